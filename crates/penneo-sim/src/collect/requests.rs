//! Prefilled requests: create one (`v2` sectioned answers, `v1` flat) and read its answers
//! once it is submitted.

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};

use super::formdef;
use super::forms::get_form;
use super::submissions::answers_for;
use crate::error::{ApiError, ApiResult};
use crate::extract::Bearer;
use crate::state::{AppState, FormRequest};
use crate::util::read_json;

async fn create_request(
    s: AppState,
    id: String,
    headers: HeaderMap,
    body: Body,
    flat: bool,
) -> ApiResult<Response> {
    let (def, version) = {
        let db = s.db();
        let form = get_form(&db, &id)?;
        let active = form
            .active()
            .ok_or_else(|| ApiError::conflict(format!("Form {id} is not ACTIVE")))?;
        (active.definition.clone(), active.version)
    };
    let body = read_json(&headers, body).await?;
    let answers = match body.get("answers") {
        None | Some(Value::Null) => json!({}),
        Some(a) => a.clone(),
    };
    let answers = if flat {
        formdef::flat_to_sections(&def, &answers).map_err(ApiError::bad_request)?
    } else {
        answers
    };
    let prefill = formdef::validate_prefill(&def, &answers).map_err(ApiError::bad_request)?;
    let rid = uuid::Uuid::new_v4().to_string();
    let mut db = s.db();
    let now = db.now_ms();
    db.requests.insert(
        rid.clone(),
        FormRequest {
            id: rid.clone(),
            form_id: id,
            version,
            answers: prefill,
            created_at: now,
            submission_id: None,
        },
    );
    db.touch();
    Ok(axum::Json(
        json!({"requestId": rid, "requestUrl": format!("{}/collect/requests/{rid}", s.base_url)}),
    )
    .into_response())
}

/// `POST /collect/api/v2/forms/{formId}/requests`
pub async fn create_request_v2(
    State(s): State<AppState>,
    Path(id): Path<String>,
    _: Bearer,
    headers: HeaderMap,
    body: Body,
) -> ApiResult<Response> {
    create_request(s, id, headers, body, false).await
}

/// `POST /collect/api/v1/forms/{formId}/requests` (older flat body)
pub async fn create_request_v1(
    State(s): State<AppState>,
    Path(id): Path<String>,
    _: Bearer,
    headers: HeaderMap,
    body: Body,
) -> ApiResult<Response> {
    create_request(s, id, headers, body, true).await
}

/// `GET /collect/api/v{1,2}/forms/{formId}/requests/{requestId}/answers`
pub async fn request_answers(
    State(s): State<AppState>,
    Path((id, rid)): Path<(String, String)>,
    _: Bearer,
) -> ApiResult<Response> {
    let db = s.db();
    get_form(&db, &id)?;
    let req = db
        .requests
        .get(&rid)
        .filter(|r| r.form_id == id)
        .ok_or_else(|| ApiError::not_found(format!("Request {rid} not found")))?;
    let sub = req
        .submission_id
        .as_ref()
        .and_then(|sid| db.submissions.get(sid))
        .ok_or_else(|| ApiError::not_found(format!("Request {rid} has no submission yet")))?;
    Ok(axum::Json(answers_for(&db, sub)?).into_response())
}

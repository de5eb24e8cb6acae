//! Submissions: the list (by `completedAt`), a submission's answers, and the answers behind a
//! casefile.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};

use super::formdef;
use super::forms::get_form;
use crate::error::{ApiError, ApiResult};
use crate::extract::{Bearer, CasefileId, Pairs};
use crate::state::{iso, parse_iso, AppState, Db, Submission};
use crate::util::{query_get, query_int};

pub(crate) fn answers_for(db: &Db, sub: &Submission) -> ApiResult<Value> {
    let form = get_form(db, &sub.form_id)?;
    let v = form
        .version(sub.version)
        .ok_or_else(|| ApiError::not_found("Form version not found"))?;
    Ok(formdef::answers_object(
        &v.definition,
        &sub.id,
        &sub.form_id,
        sub.version,
        json!({"name": sub.respondent_name, "email": sub.respondent_email}),
        &sub.answers,
    ))
}

/// `GET /collect/api/v1/forms/{formId}/submissions`
pub async fn list_submissions(
    State(s): State<AppState>,
    Path(id): Path<String>,
    _: Bearer,
    Pairs(pairs): Pairs,
) -> ApiResult<Response> {
    let limit = query_int(&pairs, "limit", 1, 1000)?.unwrap_or(10) as usize;
    let offset = query_int(&pairs, "offset", 0, i64::MAX)?.unwrap_or(0) as usize;
    let bound = |k: &str| -> ApiResult<Option<i64>> {
        match query_get(&pairs, k) {
            None | Some("") => Ok(None),
            Some(v) => parse_iso(v).map(Some).ok_or_else(|| {
                ApiError::bad_request(format!(
                    "Query parameter '{k}' must be an ISO-8601 date-time (got '{v}')"
                ))
            }),
        }
    };
    let after = bound("completedAfter")?;
    let before = bound("completedBefore")?;
    let db = s.db();
    get_form(&db, &id)?;
    let items: Vec<Value> = db
        .submissions
        .values()
        .filter(|sub| sub.form_id == id)
        .filter(|sub| after.is_none_or(|a| sub.completed_at > a))
        .filter(|sub| before.is_none_or(|b| sub.completed_at < b))
        .skip(offset)
        .take(limit)
        .map(|sub| {
            let mut v = json!({"submissionId": sub.id, "casefileId": sub.casefile_id, "version": sub.version});
            if !sub.hide_completed_at {
                v["completedAt"] = json!(iso(sub.completed_at));
            }
            if let Some(r) = &sub.request_id {
                v["requestId"] = json!(r);
            }
            v
        })
        .collect();
    Ok(axum::Json(json!({"items": items})).into_response())
}

/// `GET /collect/api/v1/forms/{formId}/submissions/{submissionId}/answers`
pub async fn submission_answers(
    State(s): State<AppState>,
    Path((id, sid)): Path<(String, String)>,
    _: Bearer,
) -> ApiResult<Response> {
    let db = s.db();
    get_form(&db, &id)?;
    let sub = db
        .submissions
        .get(&sid)
        .filter(|x| x.form_id == id)
        .ok_or_else(|| ApiError::not_found(format!("Submission {sid} not found")))?;
    Ok(axum::Json(answers_for(&db, sub)?).into_response())
}

/// `GET /collect/api/v1/casefiles/{casefileId}/answers`
pub async fn casefile_answers(
    State(s): State<AppState>,
    _: Bearer,
    CasefileId(cid): CasefileId,
) -> ApiResult<Response> {
    let db = s.db();
    let sub = db
        .submissions
        .values()
        .find(|x| x.casefile_id == cid)
        .ok_or_else(|| ApiError::not_found(format!("No submission for casefile {cid}")))?;
    Ok(axum::Json(answers_for(&db, sub)?).into_response())
}

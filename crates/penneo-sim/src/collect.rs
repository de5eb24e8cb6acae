//! Collect API: forms and versions, prefilled requests, the fill-in page, submissions and
//! answers, casefile answers and files.

use std::collections::BTreeMap;

use axum::body::Body;
use axum::extract::{FromRequest, Multipart, Path, RawQuery, Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use serde_json::{json, Map, Value};
use tokio::io::AsyncWriteExt;

use crate::error::{ApiError, ApiResult, Flavor};
use crate::formdef::{self, RawAnswers};
use crate::sign::{CasefileSpec, DocSpec, SignerSpec};
use crate::state::{
    iso, parse_iso, AppState, Db, Form, FormRequest, FormStatus, FormVersion, PrefillAnswers,
    Submission,
};
use crate::util::{
    esc, is_true_flag, query_get, query_int, query_pairs, read_json, require_bearer,
};

fn public_url(base: &str, form_id: &str) -> String {
    format!("{base}/collect/forms/{form_id}")
}

/// The form object for one version.
pub fn form_object(form: &Form, v: &FormVersion, base: &str) -> Value {
    let mut m: Map<String, Value> = v.definition.clone();
    m.remove("externalId");
    let set = |m: &mut Map<String, Value>, k: &str, val: Value| {
        m.insert(k.to_string(), val);
    };
    set(&mut m, "id", json!(form.id));
    set(&mut m, "formId", json!(form.id));
    for k in [
        "description",
        "language",
        "caseFileTitleTemplate",
        "additionalSignersConfig",
    ] {
        m.entry(k.to_string()).or_insert(Value::Null);
    }
    set(&mut m, "status", json!(v.status.as_str()));
    set(&mut m, "version", json!(v.version));
    set(
        &mut m,
        "activeVersion",
        json!(form.active().map(|a| a.version)),
    );
    set(
        &mut m,
        "latestVersion",
        json!(form.latest().map(|a| a.version)),
    );
    if form.active().is_some() {
        set(&mut m, "publicUrl", json!(public_url(base, &form.id)));
    }
    set(&mut m, "createdAt", json!(iso(form.created_at)));
    set(
        &mut m,
        "updatedAt",
        json!(iso(v.updated_at.max(form.updated_at))),
    );
    Value::Object(m)
}

fn summary(form: &Form, v: &FormVersion, base: &str) -> Value {
    let mut o = form_object(form, v, base);
    if let Value::Object(m) = &mut o {
        m.remove("sections");
        m.remove("additionalSignersConfig");
    }
    o
}

fn get_form<'a>(db: &'a Db, id: &str) -> ApiResult<&'a Form> {
    db.forms
        .get(id)
        .ok_or_else(|| ApiError::not_found(format!("Form {id} not found")))
}

fn get_form_mut<'a>(db: &'a mut Db, id: &str) -> ApiResult<&'a mut Form> {
    db.forms
        .get_mut(id)
        .ok_or_else(|| ApiError::not_found(format!("Form {id} not found")))
}

fn parse_version(raw: &str) -> ApiResult<u32> {
    raw.parse::<u32>()
        .map_err(|_| ApiError::not_found(format!("Version {raw} not found")))
}

fn latest_json(form: &Form, base: &str) -> ApiResult<Value> {
    let v = form
        .latest()
        .ok_or_else(|| ApiError::not_found(format!("Form {} has no versions", form.id)))?;
    Ok(form_object(form, v, base))
}

/// Publish version `n`: it becomes ACTIVE; the previous ACTIVE one becomes ARCHIVED.
fn publish_version(form: &mut Form, n: u32, now: i64) {
    for v in &mut form.versions {
        if v.version == n {
            v.status = FormStatus::Active;
            v.updated_at = now;
        } else if v.status == FormStatus::Active {
            v.status = FormStatus::Archived;
            v.updated_at = now;
        }
    }
    form.updated_at = now;
}

/// `GET /collect/api/v1/version`
pub async fn version(State(s): State<AppState>, headers: HeaderMap) -> ApiResult<Response> {
    require_bearer(&s, &headers)?;
    Ok(axum::Json(json!({
        "version": format!("penneo-sim {}", env!("CARGO_PKG_VERSION")),
        "language": "EN",
        "additionalSignersConfig": {"enabled": true, "maxSigners": 5},
    }))
    .into_response())
}

/// `GET /collect/api/v1/forms?status&sort&limit&offset`
pub async fn list_forms(
    State(s): State<AppState>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> ApiResult<Response> {
    require_bearer(&s, &headers)?;
    let pairs = query_pairs(q.as_deref())?;
    let statuses: Option<Vec<FormStatus>> = match query_get(&pairs, "status") {
        None | Some("") => None,
        Some(v) => Some(
            v.split(',')
                .map(|p| {
                    FormStatus::parse(p.trim()).ok_or_else(|| {
                        ApiError::bad_request(format!(
                            "Unknown status '{}' (allowed: DRAFT, ACTIVE, ARCHIVED)",
                            p.trim()
                        ))
                    })
                })
                .collect::<ApiResult<Vec<_>>>()?,
        ),
    };
    let sort = query_get(&pairs, "sort").unwrap_or("-updatedAt");
    let (desc, key) = match sort.strip_prefix('-') {
        Some(k) => (true, k),
        None => (false, sort),
    };
    if !["name", "createdAt", "updatedAt"].contains(&key) {
        return Err(ApiError::bad_request(format!(
            "Unknown sort '{sort}' (allowed: name, createdAt, updatedAt, with '-' for descending)"
        )));
    }
    let limit = query_int(&pairs, "limit", 1, 1000)?.unwrap_or(100) as usize;
    let offset = query_int(&pairs, "offset", 0, i64::MAX)?.unwrap_or(0) as usize;
    let db = s.db();
    let mut rows: Vec<(&Form, &FormVersion)> = db
        .forms
        .values()
        .filter_map(|f| f.latest().map(|v| (f, v)))
        .filter(|(_, v)| statuses.as_ref().is_none_or(|st| st.contains(&v.status)))
        .collect();
    rows.sort_by(|(fa, va), (fb, vb)| {
        let o = match key {
            "name" => formdef::s(&va.definition, "name")
                .to_lowercase()
                .cmp(&formdef::s(&vb.definition, "name").to_lowercase()),
            "createdAt" => fa.created_at.cmp(&fb.created_at),
            _ => va
                .updated_at
                .max(fa.updated_at)
                .cmp(&vb.updated_at.max(fb.updated_at)),
        }
        .then(fa.id.cmp(&fb.id));
        if desc {
            o.reverse()
        } else {
            o
        }
    });
    let total = rows.len();
    let items: Vec<Value> = rows
        .into_iter()
        .skip(offset)
        .take(limit)
        .map(|(f, v)| summary(f, v, &s.base_url))
        .collect();
    Ok(
        axum::Json(json!({"items": items, "total": total, "limit": limit, "offset": offset}))
            .into_response(),
    )
}

/// `GET /collect/api/v1/forms/{formId}`
pub async fn get_form_h(
    State(s): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    require_bearer(&s, &headers)?;
    let db = s.db();
    let form = get_form(&db, &id)?;
    Ok(axum::Json(latest_json(form, &s.base_url)?).into_response())
}

/// Keys the server manages; a client that round-trips a form object sends them back, and they
/// must not be stored in the definition.
const SERVER_KEYS: &[&str] = &[
    "id",
    "formId",
    "externalId",
    "status",
    "version",
    "publicUrl",
    "createdAt",
    "updatedAt",
    "activeVersion",
    "latestVersion",
];

fn validated(def: &Value) -> ApiResult<Map<String, Value>> {
    let mut m = formdef::validate(def).map_err(ApiError::bad_request)?;
    for k in SERVER_KEYS {
        m.remove(*k);
    }
    Ok(m)
}

/// `POST /collect/api/v1/forms[?publish=true]`
pub async fn create_form(
    State(s): State<AppState>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
    body: Body,
) -> ApiResult<Response> {
    require_bearer(&s, &headers)?;
    let pairs = query_pairs(q.as_deref())?;
    let publish = is_true_flag(&pairs, "publish")?;
    let def = validated(&read_json(&headers, body).await?)?;
    let mut db = s.db();
    let now = db.now_ms();
    let n = db.next_form;
    db.next_form += 1;
    let id = format!(
        "f_{:06x}{}",
        n,
        &uuid::Uuid::new_v4().simple().to_string()[..6]
    );
    let mut form = Form {
        id: id.clone(),
        versions: vec![FormVersion {
            version: 1,
            status: FormStatus::Draft,
            definition: def,
            created_at: now,
            updated_at: now,
        }],
        created_at: now,
        updated_at: now,
    };
    if publish {
        publish_version(&mut form, 1, now);
    }
    let out = latest_json(&form, &s.base_url)?;
    db.forms.insert(id, form);
    db.touch();
    Ok((StatusCode::CREATED, axum::Json(out)).into_response())
}

/// Apply an update to version `n` (or the latest): DRAFT edited in place, ACTIVE → new DRAFT.
fn apply_update(
    form: &mut Form,
    n: u32,
    def: Map<String, Value>,
    publish: bool,
    now: i64,
) -> ApiResult<u32> {
    let status = form
        .version(n)
        .map(|v| v.status)
        .ok_or_else(|| ApiError::not_found(format!("Version {n} not found")))?;
    let target = match status {
        FormStatus::Draft => {
            if let Some(v) = form.version_mut(n) {
                v.definition = def;
                v.updated_at = now;
            }
            n
        }
        FormStatus::Active => {
            let nv = form.next_version();
            form.versions.push(FormVersion {
                version: nv,
                status: FormStatus::Draft,
                definition: def,
                created_at: now,
                updated_at: now,
            });
            nv
        }
        FormStatus::Archived => {
            return Err(ApiError::conflict(format!(
                "Version {n} is ARCHIVED and cannot be edited; restore it first"
            )))
        }
    };
    form.updated_at = now;
    if publish {
        publish_version(form, target, now);
    }
    Ok(target)
}

/// `PUT /collect/api/v1/forms/{formId}[?publish=true]`
pub async fn update_form(
    State(s): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
    body: Body,
) -> ApiResult<Response> {
    require_bearer(&s, &headers)?;
    let pairs = query_pairs(q.as_deref())?;
    let publish = is_true_flag(&pairs, "publish")?;
    {
        let db = s.db();
        get_form(&db, &id)?;
    }
    let def = validated(&read_json(&headers, body).await?)?;
    let mut db = s.db();
    let now = db.now_ms();
    let form = get_form_mut(&mut db, &id)?;
    // The newest DRAFT is edited in place; otherwise the ACTIVE version gets a new DRAFT.
    let draft = form
        .versions
        .iter()
        .filter(|v| v.status == FormStatus::Draft)
        .map(|v| v.version)
        .max();
    let base = draft
        .or_else(|| form.active().map(|v| v.version))
        .ok_or_else(|| {
            ApiError::conflict(format!("Form {id} is archived; restore a version first"))
        })?;
    let target = apply_update(form, base, def, publish, now)?;
    let out = form
        .version(target)
        .map(|v| form_object(form, v, &s.base_url))
        .unwrap_or(Value::Null);
    db.touch();
    Ok(axum::Json(out).into_response())
}

/// `PUT /collect/api/v1/forms/{formId}/versions/{version}`
pub async fn update_version(
    State(s): State<AppState>,
    Path((id, ver)): Path<(String, String)>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
    body: Body,
) -> ApiResult<Response> {
    require_bearer(&s, &headers)?;
    let pairs = query_pairs(q.as_deref())?;
    let publish = is_true_flag(&pairs, "publish")?;
    let n = parse_version(&ver)?;
    {
        let db = s.db();
        let f = get_form(&db, &id)?;
        f.version(n)
            .ok_or_else(|| ApiError::not_found(format!("Version {n} not found")))?;
    }
    let def = validated(&read_json(&headers, body).await?)?;
    let mut db = s.db();
    let now = db.now_ms();
    let form = get_form_mut(&mut db, &id)?;
    let target = apply_update(form, n, def, publish, now)?;
    let out = form
        .version(target)
        .map(|v| form_object(form, v, &s.base_url))
        .unwrap_or(Value::Null);
    db.touch();
    Ok(axum::Json(out).into_response())
}

/// `POST /collect/api/v1/forms/{formId}/publish`: latest DRAFT → ACTIVE.
pub async fn publish_form(
    State(s): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    require_bearer(&s, &headers)?;
    let mut db = s.db();
    let now = db.now_ms();
    let form = get_form_mut(&mut db, &id)?;
    let draft = form
        .versions
        .iter()
        .filter(|v| v.status == FormStatus::Draft)
        .map(|v| v.version)
        .max()
        .ok_or_else(|| ApiError::conflict("The form has no DRAFT version to publish"))?;
    publish_version(form, draft, now);
    let out = form
        .version(draft)
        .map(|v| form_object(form, v, &s.base_url))
        .unwrap_or(Value::Null);
    db.touch();
    Ok(axum::Json(out).into_response())
}

/// `POST /collect/api/v1/forms/{formId}/archive`
pub async fn archive_form(
    State(s): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    require_bearer(&s, &headers)?;
    let mut db = s.db();
    let now = db.now_ms();
    let form = get_form_mut(&mut db, &id)?;
    for v in &mut form.versions {
        if v.status != FormStatus::Archived {
            v.status = FormStatus::Archived;
            v.updated_at = now;
        }
    }
    form.updated_at = now;
    db.touch();
    Ok(StatusCode::OK.into_response())
}

/// `GET /collect/api/v1/forms/{formId}/versions`
pub async fn list_versions(
    State(s): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    require_bearer(&s, &headers)?;
    let db = s.db();
    let form = get_form(&db, &id)?;
    let mut items: Vec<&FormVersion> = form.versions.iter().collect();
    items.sort_by_key(|v| v.version);
    let items: Vec<Value> = items
        .into_iter()
        .map(|v| {
            json!({"version": v.version, "status": v.status.as_str(), "name": formdef::s(&v.definition, "name"),
                   "createdAt": iso(v.created_at), "updatedAt": iso(v.updated_at)})
        })
        .collect();
    Ok(axum::Json(json!({"items": items})).into_response())
}

/// `GET /collect/api/v1/forms/{formId}/versions/{version}`
pub async fn get_version(
    State(s): State<AppState>,
    Path((id, ver)): Path<(String, String)>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    require_bearer(&s, &headers)?;
    let n = parse_version(&ver)?;
    let db = s.db();
    let form = get_form(&db, &id)?;
    let v = form
        .version(n)
        .ok_or_else(|| ApiError::not_found(format!("Version {n} not found")))?;
    Ok(axum::Json(form_object(form, v, &s.base_url)).into_response())
}

/// `POST /collect/api/v1/forms/{formId}/versions/{version}/{publish|archive|restore}`
pub async fn version_action(
    State(s): State<AppState>,
    Path((id, ver, action)): Path<(String, String, String)>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    require_bearer(&s, &headers)?;
    let n = parse_version(&ver)?;
    let mut db = s.db();
    let now = db.now_ms();
    let form = get_form_mut(&mut db, &id)?;
    let v = form
        .version(n)
        .cloned()
        .ok_or_else(|| ApiError::not_found(format!("Version {n} not found")))?;
    let out = match action.as_str() {
        "publish" => {
            publish_version(form, n, now);
            form.version(n).map(|v| form_object(form, v, &s.base_url))
        }
        "archive" => {
            if let Some(v) = form.version_mut(n) {
                v.status = FormStatus::Archived;
                v.updated_at = now;
            }
            form.updated_at = now;
            None
        }
        "restore" => {
            let nv = form.next_version();
            form.versions.push(FormVersion {
                version: nv,
                status: FormStatus::Draft,
                definition: v.definition.clone(),
                created_at: now,
                updated_at: now,
            });
            form.updated_at = now;
            form.version(nv).map(|v| form_object(form, v, &s.base_url))
        }
        other => {
            return Err(ApiError::not_found(format!(
                "Unknown version action '{other}'"
            )))
        }
    };
    db.touch();
    Ok(match out {
        Some(v) => axum::Json(v).into_response(),
        None => StatusCode::OK.into_response(),
    })
}

async fn create_request(
    s: AppState,
    id: String,
    headers: HeaderMap,
    body: Body,
    flat: bool,
) -> ApiResult<Response> {
    require_bearer(&s, &headers)?;
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
    headers: HeaderMap,
    body: Body,
) -> ApiResult<Response> {
    create_request(s, id, headers, body, false).await
}

/// `POST /collect/api/v1/forms/{formId}/requests` (older flat body)
pub async fn create_request_v1(
    State(s): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> ApiResult<Response> {
    create_request(s, id, headers, body, true).await
}

fn answers_for(db: &Db, sub: &Submission) -> ApiResult<Value> {
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

/// `GET /collect/api/v{1,2}/forms/{formId}/requests/{requestId}/answers`
pub async fn request_answers(
    State(s): State<AppState>,
    Path((id, rid)): Path<(String, String)>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    require_bearer(&s, &headers)?;
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

/// `GET /collect/api/v1/forms/{formId}/submissions`
pub async fn list_submissions(
    State(s): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> ApiResult<Response> {
    require_bearer(&s, &headers)?;
    let pairs = query_pairs(q.as_deref())?;
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
    headers: HeaderMap,
) -> ApiResult<Response> {
    require_bearer(&s, &headers)?;
    let db = s.db();
    get_form(&db, &id)?;
    let sub = db
        .submissions
        .get(&sid)
        .filter(|x| x.form_id == id)
        .ok_or_else(|| ApiError::not_found(format!("Submission {sid} not found")))?;
    Ok(axum::Json(answers_for(&db, sub)?).into_response())
}

fn casefile_id(raw: &str) -> ApiResult<u64> {
    raw.parse::<u64>()
        .map_err(|_| ApiError::not_found(format!("Casefile {raw} not found")))
}

/// `GET /collect/api/v1/casefiles/{casefileId}/answers`
pub async fn casefile_answers(
    State(s): State<AppState>,
    Path(cid): Path<String>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    require_bearer(&s, &headers)?;
    let cid = casefile_id(&cid)?;
    let db = s.db();
    let sub = db
        .submissions
        .values()
        .find(|x| x.casefile_id == cid)
        .ok_or_else(|| ApiError::not_found(format!("No submission for casefile {cid}")))?;
    Ok(axum::Json(answers_for(&db, sub)?).into_response())
}

/// `GET /collect/api/v1/casefiles/{casefileId}/files`
pub async fn casefile_files(
    State(s): State<AppState>,
    Path(cid): Path<String>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    require_bearer(&s, &headers)?;
    let cid = casefile_id(&cid)?;
    crate::sign::process_due(&s).await;
    let links = s.rt().files_links.clone();
    // The link to a blob: on the API host (`api`), or on the storage host, signed.
    let link = |api: String, blob: &str| -> String {
        if links.other_host {
            format!(
                "{}/_storage/{blob}?signature={}",
                s.storage_base(),
                s.storage_signature(blob)
            )
        } else {
            api
        }
    };
    let listed_size = |size: Option<i64>| size.map(|n| n + links.size_delta);
    let db = s.db();
    let cf = db
        .casefiles
        .get(&cid)
        .ok_or_else(|| ApiError::not_found(format!("Casefile {cid} not found")))?;
    let mut files: Vec<Value> = cf
        .documents
        .iter()
        .filter_map(|d| db.documents.get(d))
        .map(|d| {
            let (size, blob) = match (
                cf.status == crate::codes::casefile::COMPLETED,
                &d.sealed_blob,
            ) {
                (true, Some(b)) => (d.sealed_size.unwrap_or(d.original_size), b.clone()),
                _ => (d.original_size, d.original_blob.clone()),
            };
            let mut v = json!({"id": d.id, "filename": d.filename,
                   "size": listed_size(i64::try_from(size).ok()), "contentType": "application/pdf",
                   "createdAt": iso(d.created), "updatedAt": iso(d.modified)});
            v[links.key.as_str()] = json!(link(
                format!("{}/api/v3/documents/{}/content", s.base_url, d.id),
                &blob
            ));
            v
        })
        .collect();
    // Files the respondent uploaded in FILE fields.
    if let Some(sub) = db.submissions.values().find(|x| x.casefile_id == cid) {
        for f in answer_files(&sub.answers) {
            let id = f.get("fileId").and_then(Value::as_str).unwrap_or_default();
            let mut v = json!({"id": id, "filename": f.get("filename"),
                "size": listed_size(f.get("size").and_then(Value::as_i64)),
                "contentType": f.get("contentType"),
                "createdAt": iso(sub.completed_at), "updatedAt": iso(sub.completed_at)});
            v[links.key.as_str()] = json!(link(
                format!("{}/collect/api/v1/files/{id}", s.base_url),
                id
            ));
            files.push(v);
        }
    }
    Ok(axum::Json(files).into_response())
}

/// `GET /_storage/{blob}?signature=…`: the storage host behind [`FilesLinks::other_host`]
/// links (reached as `localhost:<port>`). Like a pre-signed storage link, the signature is
/// the credential and a request that also carries an Authorization header is refused (`400`),
/// so a client that sends its Penneo token there fails.
///
/// [`FilesLinks::other_host`]: crate::state::FilesLinks::other_host
pub async fn storage_blob(
    State(s): State<AppState>,
    Path(blob): Path<String>,
    RawQuery(q): RawQuery,
    headers: HeaderMap,
) -> Response {
    let xml = |status: StatusCode, code: &str, msg: &str| {
        (
            status,
            [(axum::http::header::CONTENT_TYPE, "application/xml")],
            format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>{code}</Code><Message>{msg}</Message></Error>"),
        )
            .into_response()
    };
    if headers.contains_key(axum::http::header::AUTHORIZATION)
        || headers.contains_key("x-auth-token")
    {
        return xml(
            StatusCode::BAD_REQUEST,
            "InvalidArgument",
            "Only one auth mechanism allowed; only the signature query parameter is accepted",
        );
    }
    let pairs = query_pairs(q.as_deref()).unwrap_or_default();
    let good = query_get(&pairs, "signature").is_some_and(|sig| sig == s.storage_signature(&blob));
    if !good || blob.contains('/') || blob.contains("..") {
        return xml(
            StatusCode::FORBIDDEN,
            "SignatureDoesNotMatch",
            "The request signature does not match",
        );
    }
    match tokio::fs::File::open(s.blob_path(&blob)).await {
        Ok(file) => {
            let mut resp =
                Response::new(Body::from_stream(tokio_util::io::ReaderStream::new(file)));
            resp.headers_mut().insert(
                axum::http::header::CONTENT_TYPE,
                axum::http::HeaderValue::from_static("application/octet-stream"),
            );
            resp
        }
        Err(_) => xml(
            StatusCode::NOT_FOUND,
            "NoSuchKey",
            "The specified key does not exist",
        ),
    }
}

/// Uploaded-file answer values in a submission.
fn answer_files(answers: &crate::state::Answers) -> Vec<&Value> {
    fn collect<'a>(v: &'a Value, out: &mut Vec<&'a Value>) {
        match v {
            Value::Object(o)
                if o.get("fileId")
                    .and_then(Value::as_str)
                    .is_some_and(formdef::is_file_id) =>
            {
                out.push(v)
            }
            Value::Array(a) => a.iter().for_each(|x| collect(x, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    for insts in answers.values() {
        for inst in insts {
            for v in inst.values() {
                collect(v, &mut out);
            }
        }
    }
    out
}

/// `GET /collect/api/v1/files/{fileId}` (assumed): a file uploaded in a FILE field.
pub async fn download_file(
    State(s): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    require_bearer(&s, &headers)?;
    let meta = {
        let db = s.db();
        db.submissions
            .values()
            .flat_map(|x| answer_files(&x.answers))
            .find(|f| f.get("fileId").and_then(Value::as_str) == Some(id.as_str()))
            .cloned()
    }
    .ok_or_else(|| ApiError::not_found(format!("File {id} not found")))?;
    let file = tokio::fs::File::open(s.blob_path(&id))
        .await
        .map_err(|_| ApiError::not_found(format!("File {id} not found")))?;
    let mut resp = Response::new(Body::from_stream(tokio_util::io::ReaderStream::new(file)));
    let ct = meta
        .get("contentType")
        .and_then(Value::as_str)
        .and_then(|c| axum::http::HeaderValue::from_str(c).ok())
        .unwrap_or(axum::http::HeaderValue::from_static(
            "application/octet-stream",
        ));
    resp.headers_mut()
        .insert(axum::http::header::CONTENT_TYPE, ct);
    Ok(resp)
}

// ------------------------------------------------------------------ submitting

/// Create a submission (and its Sign casefile) from validated answers.
pub async fn create_submission(
    s: &AppState,
    form_id: &str,
    version: u32,
    request_id: Option<String>,
    prefill: &PrefillAnswers,
    raw: &RawAnswers,
) -> Result<(String, u64), Vec<(String, String)>> {
    let (def, already) = {
        let db = s.db();
        let def = db
            .forms
            .get(form_id)
            .and_then(|f| f.version(version))
            .map(|v| v.definition.clone());
        let already = request_id
            .as_ref()
            .and_then(|r| db.requests.get(r))
            .and_then(|r| r.submission_id.clone());
        (def, already)
    };
    let Some(def) = def else {
        return Err(vec![(String::new(), "Form version not found".into())]);
    };
    if already.is_some() {
        return Err(vec![(
            String::new(),
            "This request has already been submitted".into(),
        )]);
    }
    let answers = formdef::finalize(&def, prefill, raw)?;
    let name = formdef::mapped_value(&def, &answers, "primarySigner.name")
        .unwrap_or_else(|| "Respondent".into());
    let email = formdef::mapped_value(&def, &answers, "primarySigner.email");
    let form_name = formdef::s(&def, "name").to_string();
    let template = def
        .get("caseFileTitleTemplate")
        .and_then(Value::as_str)
        .filter(|t| !t.is_empty())
        .unwrap_or("{{formName}} - {{primarySigner.name}}")
        .to_string();
    let title = formdef::render_template(&template, |k| match k {
        "formName" => Some(form_name.clone()),
        "primarySigner.name" => Some(name.clone()),
        "primarySigner.email" => email.clone(),
        other => formdef::field_value(&answers, other),
    });
    let mut lines = vec![format!(
        "Respondent: {name}{}",
        email
            .as_deref()
            .map(|e| format!(" <{e}>"))
            .unwrap_or_default()
    )];
    lines.extend(formdef::answer_lines(&def, &answers));
    let pdf = crate::pdf::text_pdf(&form_name, &lines);
    let blob = format!("collect-{}", uuid::Uuid::new_v4());
    if let Err(e) = tokio::fs::write(s.blob_path(&blob), &pdf).await {
        return Err(vec![(
            String::new(),
            format!("Could not store the document: {e}"),
        )]);
    }
    let mut db = s.db();
    let now = db.now_ms();
    if let Some(r) = request_id.as_ref().and_then(|r| db.requests.get(r)) {
        if r.submission_id.is_some() {
            return Err(vec![(
                String::new(),
                "This request has already been submitted".into(),
            )]);
        }
    }
    let sub_id = db.new_ordered_id();
    let cf_id = crate::sign::create_casefile(
        &mut db,
        CasefileSpec {
            title: title.chars().take(1024).collect(),
            language: def
                .get("language")
                .and_then(Value::as_str)
                .map(str::to_lowercase),
            signers: vec![SignerSpec {
                name: name.clone(),
                email: email.clone(),
                role: Some("signer".into()),
                sign_order: 0,
                extra: Map::new(),
            }],
            docs: vec![DocSpec {
                title: form_name.clone(),
                filename: format!(
                    "{}.pdf",
                    form_name
                        .to_lowercase()
                        .replace(|c: char| !c.is_ascii_alphanumeric(), "-")
                ),
                signable: true,
                order: 0,
                roles: vec![],
                blob,
                size: pdf.len() as u64,
                meta_data: None,
            }],
            submission_id: Some(sub_id.clone()),
            form_id: Some(form_id.to_string()),
            ..Default::default()
        },
        now,
    );
    db.submissions.insert(
        sub_id.clone(),
        Submission {
            id: sub_id.clone(),
            form_id: form_id.to_string(),
            version,
            request_id: request_id.clone(),
            casefile_id: cf_id,
            completed_at: now,
            answers,
            respondent_name: name,
            respondent_email: email,
            hide_completed_at: false,
        },
    );
    if let Some(r) = request_id.as_ref().and_then(|r| db.requests.get_mut(r)) {
        r.submission_id = Some(sub_id.clone());
    }
    db.touch();
    Ok((sub_id, cf_id))
}

/// Submit a prefilled request with extra answers (control API and fill-in page).
pub async fn submit_request(s: &AppState, rid: &str, raw: &RawAnswers) -> ApiResult<(String, u64)> {
    let req = {
        let db = s.db();
        db.requests
            .get(rid)
            .cloned()
            .ok_or_else(|| ApiError::not_found(format!("Request {rid} not found")))?
    };
    if req.submission_id.is_some() {
        return Err(ApiError::conflict(
            "This request has already been submitted",
        ));
    }
    create_submission(
        s,
        &req.form_id,
        req.version,
        Some(req.id.clone()),
        &req.answers,
        raw,
    )
    .await
    .map_err(|errs| {
        let msg = errs
            .into_iter()
            .map(|(_, m)| m)
            .collect::<Vec<_>>()
            .join("; ");
        if msg.contains("already been submitted") {
            ApiError::conflict(msg)
        } else {
            ApiError::bad_request(msg)
        }
    })
}

// ------------------------------------------------------------------ fill-in page

fn render_field(
    f: &Map<String, Value>,
    key: &str,
    value: Option<&Value>,
    locked: bool,
    error: Option<&str>,
) -> String {
    let ty = formdef::s(f, "type");
    let label = esc(formdef::s(f, "label"));
    let req = if f.get("required").and_then(Value::as_bool).unwrap_or(false) {
        " *"
    } else {
        ""
    };
    let ro = if locked { " readonly" } else { "" };
    let vals: Vec<String> = match value {
        Some(Value::Array(a)) => a.iter().map(crate::util::value_text).collect(),
        Some(v) => vec![crate::util::value_text(v)],
        None => vec![],
    };
    let first = vals.first().cloned().unwrap_or_default();
    let id = esc(key);
    let err = error
        .map(|e| format!("<div class=\"err\">{}</div>", esc(e)))
        .unwrap_or_default();
    let input = match ty {
        "CHOICE" => {
            let opts: Vec<(String, String)> = f
                .get("options")
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .map(|o| {
                            (
                                formdef::s(o.as_object().unwrap_or(&Map::new()), "label")
                                    .to_string(),
                                o.get("value")
                                    .and_then(Value::as_str)
                                    .unwrap_or("")
                                    .to_string(),
                            )
                        })
                        .collect()
                })
                .unwrap_or_default();
            let layout = formdef::s(f, "layout");
            match layout {
                "SELECT" => {
                    let options: String = opts
                        .iter()
                        .map(|(l, v)| {
                            format!(
                                "<option value=\"{}\"{}>{}</option>",
                                esc(v),
                                if vals.contains(v) { " selected" } else { "" },
                                esc(l)
                            )
                        })
                        .collect();
                    let hidden = if locked {
                        format!(
                            "<input type=\"hidden\" name=\"{id}\" value=\"{}\">",
                            esc(&first)
                        )
                    } else {
                        String::new()
                    };
                    format!("<select id=\"{id}\" name=\"{id}\"{}><option value=\"\"></option>{options}</select>{hidden}", if locked { " disabled" } else { "" })
                }
                _ => {
                    let kind = if layout == "CHECKBOX" {
                        "checkbox"
                    } else {
                        "radio"
                    };
                    let mut out = String::new();
                    for (l, v) in &opts {
                        let checked = vals.contains(v);
                        out.push_str(&format!(
                            "<div><input type=\"{kind}\" name=\"{id}\" value=\"{}\"{}{}> {}</div>",
                            esc(v),
                            if checked { " checked" } else { "" },
                            if locked && !checked {
                                " disabled"
                            } else if locked {
                                " onclick=\"return false\""
                            } else {
                                ""
                            },
                            esc(l)
                        ));
                    }
                    out
                }
            }
        }
        _ => {
            let html_type = match ty {
                "EMAIL" => "email",
                "PHONE" => "tel",
                "NUMBER" => "number\" step=\"any",
                "DATE" => "date",
                _ => "text",
            };
            let multi = f
                .get("multipleEntries")
                .and_then(|m| m.get("max"))
                .and_then(Value::as_u64);
            let count = match multi {
                Some(max) => (vals.len().max(1) as u64).max(max.min(3)).min(max) as usize,
                None => 1,
            };
            let multiline = f.get("multiline").and_then(Value::as_bool).unwrap_or(false);
            (0..count)
                .map(|i| {
                    let v = esc(vals.get(i).map(String::as_str).unwrap_or(""));
                    if multiline && ty == "TEXT" {
                        format!("<textarea id=\"{id}\" name=\"{id}\" rows=\"3\"{ro}>{v}</textarea>")
                    } else {
                        format!("<input type=\"{html_type}\" id=\"{id}\" name=\"{id}\" value=\"{v}\"{ro}>")
                    }
                })
                .collect::<Vec<_>>()
                .join("")
        }
    };
    let lock_note = if locked {
        " <span class=\"muted\">(locked)</span>"
    } else {
        ""
    };
    format!("<label for=\"{id}\">{label}{req}{lock_note}</label>{input}{err}")
}

fn cond_attr(m: &Map<String, Value>) -> String {
    match m.get("condition") {
        Some(c) if !c.is_null() => format!(" data-condition=\"{}\"", esc(&c.to_string())),
        _ => String::new(),
    }
}

const FILL_SCRIPT: &str = "<script>\
function val(n){var els=document.querySelectorAll('[name$=\".'+n+'\"]');var out=[];els.forEach(function(e){if((e.type==='radio'||e.type==='checkbox')){if(e.checked)out.push(e.value)}else if(!e.disabled||e.tagName!=='SELECT'){out.push(e.value)}});return out}\
function apply(){document.querySelectorAll('[data-condition]').forEach(function(el){var c=JSON.parse(el.getAttribute('data-condition'));var ok=(c.rules||[]).every(function(r){return val(r.field).indexOf(String(r.value))>=0});el.style.display=ok?'':'none';el.querySelectorAll('input,select,textarea').forEach(function(i){if(!ok){i.setAttribute('data-hidden','1')}else{i.removeAttribute('data-hidden')}})})}\
document.addEventListener('change',apply);document.addEventListener('input',apply);apply();\
document.querySelector('form').addEventListener('submit',function(){document.querySelectorAll('[data-hidden]').forEach(function(i){i.disabled=true})});\
</script>";

/// Render the fill-in page.
fn fill_page(
    def: &Map<String, Value>,
    action: &str,
    prefill: &PrefillAnswers,
    raw: Option<&RawAnswers>,
    errors: &[(String, String)],
) -> String {
    let errmap: BTreeMap<&str, &str> = errors
        .iter()
        .map(|(k, m)| (k.as_str(), m.as_str()))
        .collect();
    let mut body = format!(
        "<h1>{}</h1>{}",
        esc(formdef::s(def, "name")),
        def.get("description")
            .and_then(Value::as_str)
            .map(|d| format!("<p>{}</p>", esc(d)))
            .unwrap_or_default()
    );
    let general: Vec<&str> = errors
        .iter()
        .filter(|(k, _)| !k.contains('.'))
        .map(|(_, m)| m.as_str())
        .collect();
    if !errors.is_empty() {
        body.push_str(&format!(
            "<p class=\"err\" id=\"errors\">Please correct the highlighted fields.{}</p>",
            general
                .iter()
                .map(|g| format!(" {}", esc(g)))
                .collect::<String>()
        ));
    }
    body.push_str(&format!(
        "<form method=\"post\" action=\"{}\" enctype=\"multipart/form-data\">",
        esc(action)
    ));
    for sec in formdef::sections(def) {
        let slug = formdef::s(sec, "slug");
        let max = formdef::section_max(sec).unwrap_or(1) as usize;
        let pre = prefill.get(slug).cloned().unwrap_or_default();
        let given = raw.and_then(|r| r.get(slug)).cloned().unwrap_or_default();
        let count = pre
            .len()
            .max(given.len())
            .max(if max > 1 { max.min(2) } else { 1 })
            .min(max.max(1));
        body.push_str(&format!(
            "<fieldset{}><legend><strong>{}</strong></legend>",
            cond_attr(sec),
            esc(formdef::s(sec, "title"))
        ));
        if let Some(d) = sec.get("description").and_then(Value::as_str) {
            body.push_str(&format!("<p class=\"muted\">{}</p>", esc(d)));
        }
        for i in 0..count {
            if max > 1 {
                body.push_str(&format!(
                    "<p class=\"muted\">Entry {} of up to {max}</p>",
                    i + 1
                ));
            }
            let p = pre.get(i).cloned().unwrap_or_default();
            let g = given.get(i).cloned().unwrap_or_default();
            for f in formdef::fields(sec) {
                if formdef::s(f, "type") == "HTML" {
                    let content = formdef::render_template(formdef::s(f, "content"), |k| {
                        g.get(k)
                            .or_else(|| p.get(k).map(|x| &x.value))
                            .or_else(|| {
                                raw.and_then(|r| {
                                    r.values().filter_map(|i| i.first()).find_map(|i| i.get(k))
                                })
                            })
                            .or_else(|| {
                                prefill
                                    .values()
                                    .filter_map(|i| i.first())
                                    .find_map(|i| i.get(k))
                                    .map(|x| &x.value)
                            })
                            .map(crate::util::value_text)
                            .map(|t| esc(&t))
                    });
                    body.push_str(&format!("<div{}>{}</div>", cond_attr(f), content));
                    continue;
                }
                let name = formdef::s(f, "name");
                let key = format!("{slug}.{i}.{name}");
                let locked = p.get(name).is_some_and(|x| !x.editable);
                let value = if locked {
                    p.get(name).map(|x| &x.value)
                } else {
                    g.get(name).or_else(|| p.get(name).map(|x| &x.value))
                };
                if formdef::s(f, "type") == "FILE" {
                    let req = if f.get("required").and_then(Value::as_bool).unwrap_or(false) {
                        " *"
                    } else {
                        ""
                    };
                    let multiple = if formdef::is_multi_value(f) {
                        " multiple"
                    } else {
                        ""
                    };
                    let err = errmap
                        .get(key.as_str())
                        .map(|e| format!("<div class=\"err\">{}</div>", esc(e)))
                        .unwrap_or_default();
                    body.push_str(&format!(
                        "<div{}><label for=\"{k}\">{}{req}</label><input type=\"file\" id=\"{k}\" name=\"{k}\"{multiple}>{err}</div>",
                        cond_attr(f),
                        esc(formdef::s(f, "label")),
                        k = esc(&key)
                    ));
                    continue;
                }
                body.push_str(&format!(
                    "<div{}>{}</div>",
                    cond_attr(f),
                    render_field(f, &key, value, locked, errmap.get(key.as_str()).copied())
                ));
            }
        }
        body.push_str("</fieldset>");
    }
    body.push_str("<p><button class=\"primary\" type=\"submit\" id=\"submit\">Submit and continue to signing</button></p></form>");
    body.push_str(FILL_SCRIPT);
    crate::html::page(formdef::s(def, "name"), &body)
}

/// Parse `slug.index.field=value` pairs into raw answers.
fn parse_form_body(def: &Map<String, Value>, pairs: &[(String, String)]) -> RawAnswers {
    let mut raw = RawAnswers::new();
    for (k, v) in pairs {
        let mut parts = k.splitn(3, '.');
        let (Some(slug), Some(idx), Some(field)) = (parts.next(), parts.next(), parts.next())
        else {
            continue;
        };
        let Ok(idx) = idx.parse::<usize>() else {
            continue;
        };
        if idx > 100 {
            continue;
        }
        let multi = formdef::sections(def)
            .into_iter()
            .filter(|s| formdef::s(s, "slug") == slug)
            .flat_map(formdef::fields)
            .find(|f| formdef::s(f, "name") == field)
            .map(formdef::is_multi_value);
        let Some(multi) = multi else { continue };
        let insts = raw.entry(slug.to_string()).or_default();
        while insts.len() <= idx {
            insts.push(BTreeMap::new());
        }
        let entry = &mut insts[idx];
        if multi {
            let e = entry
                .entry(field.to_string())
                .or_insert_with(|| Value::Array(vec![]));
            if let Value::Array(a) = e {
                a.push(Value::String(v.clone()));
            }
        } else {
            entry.insert(field.to_string(), Value::String(v.clone()));
        }
    }
    raw
}

fn request_context(s: &AppState, rid: &str) -> ApiResult<(FormRequest, Map<String, Value>)> {
    let db = s.db();
    let req = db
        .requests
        .get(rid)
        .cloned()
        .ok_or_else(|| ApiError::html(StatusCode::NOT_FOUND, "This form link is not valid."))?;
    let def = db
        .forms
        .get(&req.form_id)
        .and_then(|f| f.version(req.version))
        .map(|v| v.definition.clone())
        .ok_or_else(|| ApiError::html(StatusCode::NOT_FOUND, "The form no longer exists."))?;
    Ok((req, def))
}

fn submitted_page(s: &AppState, cf_id: u64) -> String {
    let link = {
        let db = s.db();
        db.casefiles
            .get(&cf_id)
            .and_then(|c| c.signers.first())
            .map(|sg| crate::sign::signing_link(&s.base_url, &sg.token))
    };
    crate::html::page(
        "Submitted",
        &format!(
            "<h1>Thank you</h1><p id=\"result\">Your answers have been submitted.</p>{}",
            link.map(|l| format!(
                "<p><a id=\"continue\" href=\"{}\">Continue to signing</a></p>",
                esc(&l)
            ))
            .unwrap_or_default()
        ),
    )
}

/// `GET /collect/requests/{requestId}`
pub async fn fill_get(State(s): State<AppState>, Path(rid): Path<String>) -> Response {
    let (req, def) = match request_context(&s, &rid) {
        Ok(x) => x,
        Err(e) => return e.into_response(),
    };
    if let Some(sid) = &req.submission_id {
        let cf = s.db().submissions.get(sid).map(|x| x.casefile_id);
        return match cf {
            Some(cf) => Html(submitted_page(&s, cf)).into_response(),
            None => ApiError::html(
                StatusCode::CONFLICT,
                "This form has already been submitted.",
            )
            .into_response(),
        };
    }
    Html(fill_page(
        &def,
        &format!("/collect/requests/{rid}"),
        &req.answers,
        None,
        &[],
    ))
    .into_response()
}

/// Largest fill-in form submission (with uploaded files).
pub const FILL_LIMIT: usize = 200 * 1024 * 1024;

/// A file uploaded through the fill-in page: (field key `slug.i.field`, answer value).
type Upload = (String, Value);

/// Read a fill-in page submission: form-urlencoded, or multipart with FILE uploads (streamed
/// to disk).
async fn read_form(
    s: &AppState,
    headers: &HeaderMap,
    req: Request,
) -> ApiResult<(Vec<(String, String)>, Vec<Upload>)> {
    let ct = crate::util::content_type(headers);
    if ct == "application/x-www-form-urlencoded" {
        let bytes = crate::util::read_body(req.into_body(), 2 * 1024 * 1024, Flavor::Html).await?;
        let pairs = serde_urlencoded::from_bytes(&bytes)
            .map_err(|e| ApiError::html(StatusCode::BAD_REQUEST, format!("Malformed form: {e}")))?;
        return Ok((pairs, Vec::new()));
    }
    if ct != "multipart/form-data" {
        return Err(ApiError::html(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "Expected a form submission",
        ));
    }
    let html_err = |e: axum::extract::multipart::MultipartError| {
        ApiError::html(
            e.status(),
            format!("Malformed form upload: {}", e.body_text()),
        )
    };
    let mut mp = Multipart::from_request(req, &()).await.map_err(|e| {
        ApiError::html(
            StatusCode::BAD_REQUEST,
            format!("Malformed form upload: {}", e.body_text()),
        )
    })?;
    let mut pairs = Vec::new();
    let mut uploads: Vec<Upload> = Vec::new();
    let result: ApiResult<()> = async {
        while let Some(mut field) = mp.next_field().await.map_err(html_err)? {
            let name = field.name().unwrap_or("").to_string();
            match field.file_name().map(str::to_string) {
                None => {
                    let text = field.text().await.map_err(html_err)?;
                    pairs.push((name, text));
                }
                Some(filename) => {
                    let content_type = field
                        .content_type()
                        .unwrap_or("application/octet-stream")
                        .to_string();
                    let id = format!("file-{}", uuid::Uuid::new_v4());
                    let path = s.blob_path(&id);
                    let mut file = tokio::fs::File::create(&path)
                        .await
                        .map_err(|e| ApiError::html(StatusCode::INSUFFICIENT_STORAGE, e.to_string()))?;
                    let mut size = 0u64;
                    while let Some(chunk) = field.chunk().await.map_err(html_err)? {
                        size += chunk.len() as u64;
                        file.write_all(&chunk)
                            .await
                            .map_err(|e| ApiError::html(StatusCode::INSUFFICIENT_STORAGE, e.to_string()))?;
                    }
                    file.flush().await.ok();
                    drop(file);
                    if filename.is_empty() && size == 0 {
                        // A file input left empty.
                        let _ = tokio::fs::remove_file(&path).await;
                        continue;
                    }
                    uploads.push((
                        name,
                        json!({"fileId": id, "filename": filename, "size": size, "contentType": content_type}),
                    ));
                }
            }
        }
        Ok(())
    }
    .await;
    if let Err(e) = result {
        discard_uploads(s, &uploads).await;
        return Err(e);
    }
    Ok((pairs, uploads))
}

async fn discard_uploads(s: &AppState, uploads: &[Upload]) {
    for (_, v) in uploads {
        if let Some(id) = v.get("fileId").and_then(Value::as_str) {
            let _ = tokio::fs::remove_file(s.blob_path(id)).await;
        }
    }
}

/// Put uploaded files into the raw answers at their `slug.i.field` keys.
fn apply_uploads(def: &Map<String, Value>, raw: &mut RawAnswers, uploads: &[Upload]) {
    for (key, v) in uploads {
        let mut parts = key.splitn(3, '.');
        let (Some(slug), Some(idx), Some(field)) = (parts.next(), parts.next(), parts.next())
        else {
            continue;
        };
        let Ok(idx) = idx.parse::<usize>() else {
            continue;
        };
        let Some(f) = formdef::sections(def)
            .into_iter()
            .filter(|x| formdef::s(x, "slug") == slug)
            .flat_map(formdef::fields)
            .find(|f| formdef::s(f, "name") == field && formdef::s(f, "type") == "FILE")
        else {
            continue;
        };
        if idx > 100 {
            continue;
        }
        let insts = raw.entry(slug.to_string()).or_default();
        while insts.len() <= idx {
            insts.push(BTreeMap::new());
        }
        if formdef::is_multi_value(f) {
            let e = insts[idx]
                .entry(field.to_string())
                .or_insert_with(|| Value::Array(vec![]));
            if let Value::Array(a) = e {
                a.push(v.clone());
            }
        } else {
            insts[idx].insert(field.to_string(), v.clone());
        }
    }
}

/// `POST /collect/requests/{requestId}` (form-urlencoded)
pub async fn fill_post(
    State(s): State<AppState>,
    Path(rid): Path<String>,
    headers: HeaderMap,
    body: Request,
) -> Response {
    let (req, def) = match request_context(&s, &rid) {
        Ok(x) => x,
        Err(e) => return e.into_response(),
    };
    if req.submission_id.is_some() {
        return ApiError::html(
            StatusCode::CONFLICT,
            "This form has already been submitted.",
        )
        .into_response();
    }
    let (pairs, uploads) = match read_form(&s, &headers, body).await {
        Ok(p) => p,
        Err(e) => return e.into_response(),
    };
    let mut raw = parse_form_body(&def, &pairs);
    apply_uploads(&def, &mut raw, &uploads);
    match create_submission(
        &s,
        &req.form_id,
        req.version,
        Some(rid.clone()),
        &req.answers,
        &raw,
    )
    .await
    {
        Ok((_, cf)) => Html(submitted_page(&s, cf)).into_response(),
        Err(errs) => {
            discard_uploads(&s, &uploads).await;
            (
                StatusCode::BAD_REQUEST,
                Html(fill_page(
                    &def,
                    &format!("/collect/requests/{rid}"),
                    &req.answers,
                    Some(&raw),
                    &errs,
                )),
            )
                .into_response()
        }
    }
}

fn public_context(s: &AppState, fid: &str) -> ApiResult<(u32, Map<String, Value>)> {
    let db = s.db();
    let form = db
        .forms
        .get(fid)
        .ok_or_else(|| ApiError::html(StatusCode::NOT_FOUND, "This form does not exist."))?;
    let v = form
        .active()
        .ok_or_else(|| ApiError::html(StatusCode::NOT_FOUND, "This form is not published."))?;
    Ok((v.version, v.definition.clone()))
}

/// `GET /collect/forms/{formId}`: the public (not prefilled) form.
pub async fn public_get(State(s): State<AppState>, Path(fid): Path<String>) -> Response {
    match public_context(&s, &fid) {
        Ok((_, def)) => Html(fill_page(
            &def,
            &format!("/collect/forms/{fid}"),
            &PrefillAnswers::new(),
            None,
            &[],
        ))
        .into_response(),
        Err(e) => e.into_response(),
    }
}

/// `POST /collect/forms/{formId}`
pub async fn public_post(
    State(s): State<AppState>,
    Path(fid): Path<String>,
    headers: HeaderMap,
    body: Request,
) -> Response {
    let (version, def) = match public_context(&s, &fid) {
        Ok(x) => x,
        Err(e) => return e.into_response(),
    };
    let (pairs, uploads) = match read_form(&s, &headers, body).await {
        Ok(p) => p,
        Err(e) => return e.into_response(),
    };
    let mut raw = parse_form_body(&def, &pairs);
    apply_uploads(&def, &mut raw, &uploads);
    match create_submission(&s, &fid, version, None, &PrefillAnswers::new(), &raw).await {
        Ok((_, cf)) => Html(submitted_page(&s, cf)).into_response(),
        Err(errs) => {
            discard_uploads(&s, &uploads).await;
            (
                StatusCode::BAD_REQUEST,
                Html(fill_page(
                    &def,
                    &format!("/collect/forms/{fid}"),
                    &PrefillAnswers::new(),
                    Some(&raw),
                    &errs,
                )),
            )
                .into_response()
        }
    }
}

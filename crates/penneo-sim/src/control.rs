//! Control API under `/_sim/` (not part of Penneo): submit requests, sign/reject, move the
//! clock, inject faults, read the request log.

use std::collections::BTreeMap;

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};

use crate::collect::formdef::{self, RawAnswers};
use crate::error::{ApiError, ApiResult};
use crate::extract::parse_id;
use crate::state::{iso, secs, AppState, Fault};
use crate::util::read_optional_json;

/// `POST /_sim/requests/{requestId}/submit` body `{answers:{slug:[{field: value|{value}}]},
/// completedSecondsAgo?, withoutCompletedAt?}` or empty → `{submissionId, casefileId,
/// completedAt}`. `completedSecondsAgo` backdates the submission's `completedAt` (a
/// submission Penneo finished processing late: it shows up in the list only now, with a time
/// before the newest one a client has already seen); `withoutCompletedAt` leaves the field
/// out of the submissions list.
pub async fn submit(
    State(s): State<AppState>,
    Path(rid): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> ApiResult<Response> {
    let body = read_optional_json(&headers, body).await?;
    let backdate_secs = match body.as_ref().and_then(|b| b.get("completedSecondsAgo")) {
        None | Some(Value::Null) => 0,
        Some(v) => v
            .as_i64()
            .filter(|n| (0..=10 * 365 * 86400).contains(n))
            .ok_or_else(|| {
                ApiError::bad_request(
                    "'completedSecondsAgo' must be a whole number of seconds, 0 to 10 years",
                )
            })?,
    };
    let hide_completed_at = match body.as_ref().and_then(|b| b.get("withoutCompletedAt")) {
        None | Some(Value::Null) => false,
        Some(v) => v
            .as_bool()
            .ok_or_else(|| ApiError::bad_request("'withoutCompletedAt' must be true or false"))?,
    };
    let mut raw = RawAnswers::new();
    if let Some(b) = body {
        let answers = b.get("answers").cloned().unwrap_or(Value::Null);
        match answers {
            Value::Null => {}
            Value::Object(m) => {
                for (slug, insts) in m {
                    let list = match insts {
                        Value::Array(a) => a,
                        o @ Value::Object(_) => vec![o],
                        _ => {
                            return Err(ApiError::bad_request(format!(
                                "answers.{slug} must be an array of instances"
                            )))
                        }
                    };
                    let mut out = Vec::new();
                    for inst in list {
                        let Value::Object(inst) = inst else {
                            return Err(ApiError::bad_request(format!(
                                "answers.{slug}: each instance must be an object"
                            )));
                        };
                        let mut fields = BTreeMap::new();
                        for (k, v) in inst {
                            let v = match v {
                                Value::Object(o) if o.contains_key("value") => {
                                    o.get("value").cloned().unwrap_or(Value::Null)
                                }
                                other => other,
                            };
                            fields.insert(k, v);
                        }
                        out.push(fields);
                    }
                    raw.insert(slug, out);
                }
            }
            _ => return Err(ApiError::bad_request("'answers' must be an object")),
        }
    }
    // Unknown sections/fields are refused here too.
    {
        let db = s.db();
        if let Some(req) = db.requests.get(&rid) {
            if let Some(def) = db
                .forms
                .get(&req.form_id)
                .and_then(|f| f.version(req.version))
                .map(|v| &v.definition)
            {
                for (slug, insts) in &raw {
                    let sec = formdef::sections(def)
                        .into_iter()
                        .find(|x| formdef::s(x, "slug") == slug)
                        .ok_or_else(|| {
                            ApiError::bad_request(format!("Unknown section '{slug}'"))
                        })?;
                    for inst in insts {
                        for k in inst.keys() {
                            if !formdef::fields(sec)
                                .iter()
                                .any(|f| formdef::s(f, "name") == k)
                            {
                                return Err(ApiError::bad_request(format!(
                                    "Section '{slug}': unknown field '{k}'"
                                )));
                            }
                        }
                    }
                }
            }
        }
    }
    let (sid, cf) = crate::collect::submit::submit_request(&s, &rid, &raw).await?;
    let completed_at = {
        let mut db = s.db();
        let sub = db.submissions.get_mut(&sid).ok_or_else(|| {
            ApiError::rest(StatusCode::INTERNAL_SERVER_ERROR, "the submission vanished")
        })?;
        sub.completed_at -= backdate_secs * 1000;
        sub.hide_completed_at = hide_completed_at;
        let at = sub.completed_at;
        db.touch();
        at
    };
    Ok(
        axum::Json(
            json!({"submissionId": sid, "casefileId": cf, "completedAt": iso(completed_at)}),
        )
        .into_response(),
    )
}

fn casefile_out(s: &AppState, id: u64) -> Response {
    let db = s.db();
    match db.casefiles.get(&id) {
        Some(cf) => axum::Json(crate::sign::json::casefile_json(
            &db,
            cf,
            s.signer_status_scheme,
        ))
        .into_response(),
        None => StatusCode::OK.into_response(),
    }
}

/// `POST /_sim/casefiles/{id}/sign-all`
pub async fn sign_all(State(s): State<AppState>, Path(id): Path<String>) -> ApiResult<Response> {
    let id = parse_id(&id, "Casefile")?;
    {
        let mut db = s.db();
        crate::sign::model::sign_all(&mut db, id, s.job_delay_ms)?;
    }
    crate::work::process_due(&s).await;
    Ok(casefile_out(&s, id))
}

/// `POST /_sim/casefiles/{id}/signers/{signerId}/{sign|reject}`
pub async fn signer_action(
    State(s): State<AppState>,
    Path((id, sid, action)): Path<(String, String, String)>,
    headers: HeaderMap,
    body: Body,
) -> ApiResult<Response> {
    let id = parse_id(&id, "Casefile")?;
    let sid = parse_id(&sid, "Signer")?;
    let body = read_optional_json(&headers, body).await?;
    {
        let mut db = s.db();
        match action.as_str() {
            "sign" => crate::sign::model::sign_signer(&mut db, id, sid, s.job_delay_ms)?,
            "reject" => {
                let reason = body
                    .as_ref()
                    .and_then(|b| b.get("reason"))
                    .and_then(Value::as_str)
                    .map(str::to_string);
                crate::sign::model::reject_signer(&mut db, id, sid, reason)?
            }
            other => {
                return Err(ApiError::not_found(format!(
                    "Unknown signer action '{other}'"
                )))
            }
        }
    }
    crate::work::process_due(&s).await;
    Ok(casefile_out(&s, id))
}

/// `POST /_sim/files/links {key?, otherHost?, sizeDelta?}`: how the Collect casefile-files list
/// offers links — under `downloadUrl` (default), `url`, `link` or `href`; on the API host or on
/// a storage host (`localhost:<port>`, signed links, no Authorization header accepted); and a
/// listed size off by `sizeDelta` bytes. Answers the settings now in force.
pub async fn files_links(
    State(s): State<AppState>,
    headers: HeaderMap,
    body: Body,
) -> ApiResult<Response> {
    let v = read_optional_json(&headers, body)
        .await?
        .unwrap_or(Value::Null);
    let cur = {
        let mut rt = s.rt();
        let mut next = rt.files_links.clone();
        if let Some(k) = v.get("key") {
            let k = k.as_str().unwrap_or_default();
            if !["downloadUrl", "url", "link", "href"].contains(&k) {
                return Err(ApiError::bad_request(
                    "'key' must be one of downloadUrl, url, link, href",
                ));
            }
            next.key = k.to_string();
        }
        if let Some(o) = v.get("otherHost") {
            next.other_host = o
                .as_bool()
                .ok_or_else(|| ApiError::bad_request("'otherHost' must be true or false"))?;
        }
        if let Some(d) = v.get("sizeDelta") {
            next.size_delta = d
                .as_i64()
                .ok_or_else(|| ApiError::bad_request("'sizeDelta' must be a whole number"))?;
        }
        rt.files_links = next.clone();
        next
    };
    Ok(axum::Json(json!({
        "key": cur.key, "otherHost": cur.other_host, "sizeDelta": cur.size_delta,
        "storageBase": s.storage_base(),
    }))
    .into_response())
}

/// `POST /_sim/casefiles/malformed {record?}`: the casefile list (`GET /api/v{1,3}/casefiles`)
/// also carries this record from now on, on its first page, whatever the filters, as Penneo
/// might send a casefile in a shape a client does not know. `record` is any JSON (default: a
/// casefile without an id, `{"title": "Malformed casefile", "status": 1}`). Answers every record
/// carried so far (`201`).
pub async fn add_malformed_casefile(
    State(s): State<AppState>,
    headers: HeaderMap,
    body: Body,
) -> ApiResult<Response> {
    let record = match read_optional_json(&headers, body).await? {
        None | Some(Value::Null) => None,
        Some(Value::Object(mut m)) => m.remove("record"),
        Some(_) => return Err(ApiError::bad_request("the body must be an object")),
    }
    .unwrap_or_else(|| json!({"title": "Malformed casefile", "status": 1}));
    let mut rt = s.rt();
    rt.malformed_casefiles.push(record);
    Ok((
        StatusCode::CREATED,
        axum::Json(json!({"items": rt.malformed_casefiles})),
    )
        .into_response())
}

/// `DELETE /_sim/casefiles/malformed`: the casefile list carries real casefiles only again.
pub async fn clear_malformed_casefiles(State(s): State<AppState>) -> Response {
    s.rt().malformed_casefiles.clear();
    StatusCode::OK.into_response()
}

fn clock_json(now: i64) -> Value {
    json!({"now": secs(now), "nowMs": now, "nowIso": iso(now)})
}

/// `POST /_sim/clock/advance {seconds}`
pub async fn clock_advance(
    State(s): State<AppState>,
    headers: HeaderMap,
    body: Body,
) -> ApiResult<Response> {
    let v = crate::util::read_json(&headers, body).await?;
    let secs_f = v
        .get("seconds")
        .and_then(Value::as_f64)
        .filter(|x| x.is_finite() && *x >= 0.0 && *x <= 100.0 * 365.0 * 86400.0)
        .ok_or_else(|| {
            ApiError::bad_request("'seconds' must be a number between 0 and 100 years")
        })?;
    let now = {
        let mut db = s.db();
        db.clock_offset_ms += (secs_f * 1000.0) as i64;
        db.touch();
        db.now_ms()
    };
    crate::work::process_due(&s).await;
    Ok(axum::Json(clock_json(now)).into_response())
}

/// `GET /_sim/clock`
pub async fn clock_get(State(s): State<AppState>) -> Response {
    axum::Json(clock_json(s.now_ms())).into_response()
}

/// `POST /_sim/faults {pathPrefix, method?, status?, retryAfter?, delayMs?, dropConnection?, count}`
pub async fn add_fault(
    State(s): State<AppState>,
    headers: HeaderMap,
    body: Body,
) -> ApiResult<Response> {
    let v = crate::util::read_json(&headers, body).await?;
    let prefix = v
        .get("pathPrefix")
        .and_then(Value::as_str)
        .filter(|p| p.starts_with('/'))
        .ok_or_else(|| ApiError::bad_request("'pathPrefix' is required and must start with '/'"))?
        .to_string();
    let method = match v.get("method") {
        None | Some(Value::Null) => None,
        Some(x) => Some(
            x.as_str()
                .filter(|m| !m.is_empty() && m.bytes().all(|b| b.is_ascii_alphabetic()))
                .ok_or_else(|| {
                    ApiError::bad_request("'method' must be an HTTP method such as \"POST\"")
                })?
                .to_ascii_uppercase(),
        ),
    };
    let status = match v.get("status") {
        None | Some(Value::Null) => None,
        Some(x) => Some(
            x.as_u64()
                .filter(|n| (100..=599).contains(n))
                .ok_or_else(|| ApiError::bad_request("'status' must be an HTTP status code"))?
                as u16,
        ),
    };
    let opt_u64 = |k: &str| -> ApiResult<Option<u64>> {
        match v.get(k) {
            None | Some(Value::Null) => Ok(None),
            Some(x) => x.as_u64().map(Some).ok_or_else(|| {
                ApiError::bad_request(format!("'{k}' must be a non-negative integer"))
            }),
        }
    };
    let retry_after = opt_u64("retryAfter")?;
    let delay_ms = opt_u64("delayMs")?;
    if delay_ms.is_some_and(|d| d > 60_000) {
        return Err(ApiError::bad_request("'delayMs' must be at most 60000"));
    }
    let count = opt_u64("count")?.unwrap_or(1);
    let drop_connection = match v.get("dropConnection") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(_) => return Err(ApiError::bad_request("'dropConnection' must be a boolean")),
    };
    let mut rt = s.rt();
    rt.next_fault += 1;
    let fault = Fault {
        id: rt.next_fault,
        path_prefix: prefix,
        method,
        status,
        retry_after,
        delay_ms,
        drop_connection,
        remaining: count,
    };
    rt.faults.push(fault.clone());
    Ok((StatusCode::CREATED, axum::Json(fault)).into_response())
}

/// `GET /_sim/faults`
pub async fn list_faults(State(s): State<AppState>) -> Response {
    let rt = s.rt();
    axum::Json(json!({"items": rt.faults})).into_response()
}

/// `DELETE /_sim/faults`
pub async fn clear_faults(State(s): State<AppState>) -> Response {
    s.rt().faults.clear();
    StatusCode::OK.into_response()
}

/// `GET /_sim/log`
pub async fn get_log(State(s): State<AppState>) -> Response {
    let rt = s.rt();
    let items: Vec<_> = rt.log.iter().cloned().collect();
    axum::Json(json!({"items": items})).into_response()
}

/// `DELETE /_sim/log`
pub async fn clear_log(State(s): State<AppState>) -> Response {
    s.rt().log.clear();
    StatusCode::OK.into_response()
}

/// `GET /_sim/info`: credentials and counts.
pub async fn info(State(s): State<AppState>) -> Response {
    let db = s.db();
    axum::Json(json!({
        "baseUrl": s.base_url,
        "oauthClient": {"clientId": crate::DEMO_CLIENT_ID, "clientSecret": crate::DEMO_CLIENT_SECRET},
        "apiKey": {"key": crate::DEMO_API_KEY, "secret": crate::DEMO_API_SECRET},
        "user": {"name": crate::DEMO_USER_NAME, "email": crate::DEMO_USER_EMAIL},
        "forms": db.forms.len(),
        "submissions": db.submissions.len(),
        "casefiles": db.casefiles.len(),
        "casefilesByStatus": crate::sign::model::status_counts(&db),
        "jobs": db.jobs.len(),
        "now": iso(db.now_ms()),
    }))
    .into_response()
}

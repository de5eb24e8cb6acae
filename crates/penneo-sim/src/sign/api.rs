//! Sign API handlers: casefiles (list, get, delete), their documents and content, and signing
//! requests (link, reminder).

use crate::codes::{casefile as cs, request as rq};
use axum::body::Body;
use axum::extract::{OriginalUri, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use serde_json::{json, Value};

use super::json::{casefile_json, document_json, documents_json};
use super::model::{find_request, request_closed, signing_link};
use crate::error::{ApiError, ApiResult};
use crate::extract::{Bearer, CasefileId, DocumentId, Pairs, Settled, SigningRequestId};
use crate::state::{secs, AppState, Casefile};
use crate::util::{query_get, query_int};
use crate::work::process_due;

/// `GET /api/v1/casefiles/{id}`
pub async fn get_casefile(
    State(s): State<AppState>,
    _: Bearer,
    CasefileId(id): CasefileId,
    _: Settled,
) -> ApiResult<Response> {
    let db = s.db();
    let cf = db.casefile(id)?;
    Ok(axum::Json(casefile_json(&db, cf, s.signer_status_scheme)).into_response())
}

/// `DELETE /api/v1/casefiles/{id}`: removed outright at status 0, otherwise marked deleted.
pub async fn delete_casefile(
    State(s): State<AppState>,
    _: Bearer,
    CasefileId(id): CasefileId,
) -> ApiResult<Response> {
    let blobs = {
        let mut db = s.db();
        let now = db.now_ms();
        let status = db.casefile(id)?.status;
        let mut blobs = Vec::new();
        if status == cs::NEW {
            if let Some(cf) = db.casefiles.remove(&id) {
                for d in cf.documents {
                    if let Some(doc) = db.documents.remove(&d) {
                        blobs.push(doc.original_blob);
                        blobs.extend(doc.sealed_blob);
                    }
                }
            }
        } else if let Some(cf) = db.casefiles.get_mut(&id) {
            cf.status = cs::DELETED;
            cf.updated = now;
            for sg in &mut cf.signers {
                sg.request_status = rq::DELETED;
            }
        }
        db.touch();
        blobs
    };
    for b in blobs {
        let _ = tokio::fs::remove_file(s.blob_path(&b)).await;
    }
    Ok(StatusCode::OK.into_response())
}

/// `GET /api/v1/casefiles/{id}/documents`
pub async fn casefile_documents(
    State(s): State<AppState>,
    _: Bearer,
    CasefileId(id): CasefileId,
    _: Settled,
) -> ApiResult<Response> {
    let db = s.db();
    let cf = db.casefile(id)?;
    Ok(axum::Json(documents_json(&db, cf)).into_response())
}

/// `GET /api/v1/documents/{id}`
pub async fn get_document(
    State(s): State<AppState>,
    _: Bearer,
    DocumentId(id): DocumentId,
    _: Settled,
) -> ApiResult<Response> {
    let db = s.db();
    let d = db.document(id)?;
    Ok(axum::Json(document_json(d, db.casefiles.get(&d.casefile_id))).into_response())
}

enum Want {
    Pdf,
    Json,
}

fn negotiate(headers: &HeaderMap) -> ApiResult<Want> {
    let Some(accept) = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()) else {
        return Ok(Want::Pdf);
    };
    let mut best: Option<(f32, usize, Want)> = None;
    for (i, part) in accept.split(',').enumerate() {
        let mut it = part.split(';');
        let mt = it.next().unwrap_or("").trim().to_ascii_lowercase();
        let q = it
            .filter_map(|p| p.trim().strip_prefix("q="))
            .find_map(|q| q.parse::<f32>().ok())
            .unwrap_or(1.0);
        if q <= 0.0 {
            continue;
        }
        let want = match mt.as_str() {
            "application/pdf" | "application/octet-stream" | "*/*" | "application/*" => Want::Pdf,
            "application/json" => Want::Json,
            _ => continue,
        };
        let better = match &best {
            None => true,
            Some((bq, _, _)) => q > *bq,
        };
        if better {
            best = Some((q, i, want));
        }
    }
    best.map(|(_, _, w)| w).ok_or_else(|| {
        ApiError::rest(
            StatusCode::NOT_ACCEPTABLE,
            "Accept must allow application/pdf or application/json",
        )
    })
}

/// `GET /api/v3/documents/{id}/content[?signed=false]`
pub async fn document_content(
    State(s): State<AppState>,
    _: Bearer,
    Pairs(pairs): Pairs,
    DocumentId(id): DocumentId,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let signed = match query_get(&pairs, "signed") {
        None | Some("true") | Some("1") => true,
        Some("false") | Some("0") => false,
        Some(v) => {
            return Err(ApiError::bad_request(format!(
                "Query parameter 'signed' must be true or false (got '{v}')"
            )))
        }
    };
    if let Some(v) = query_get(&pairs, "decrypt") {
        if !matches!(v, "true" | "false" | "1" | "0") {
            return Err(ApiError::bad_request(format!(
                "Query parameter 'decrypt' must be true or false (got '{v}')"
            )));
        }
    }
    let want = negotiate(&headers)?;
    process_due(&s).await;
    let (blob, filename) = {
        let db = s.db();
        let d = db.document(id)?;
        let completed = db
            .casefiles
            .get(&d.casefile_id)
            .is_some_and(|c| c.status == cs::COMPLETED);
        let blob = match (&d.sealed_blob, signed && completed) {
            (Some(b), true) => b.clone(),
            _ => d.original_blob.clone(),
        };
        (blob, d.filename.clone())
    };
    let path = s.blob_path(&blob);
    match want {
        Want::Json => {
            let bytes = tokio::fs::read(&path).await.map_err(|e| {
                ApiError::rest(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    format!("Document content unavailable: {e}"),
                )
            })?;
            Ok(axum::Json(json!({
                "content": base64::engine::general_purpose::STANDARD.encode(&bytes),
                "filename": filename,
                "contentType": "application/pdf",
            }))
            .into_response())
        }
        Want::Pdf => {
            let file = tokio::fs::File::open(&path).await.map_err(|e| {
                ApiError::rest(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    format!("Document content unavailable: {e}"),
                )
            })?;
            let len = file.metadata().await.map(|m| m.len()).unwrap_or(0);
            let stream = tokio_util::io::ReaderStream::new(file);
            let mut resp = Response::new(Body::from_stream(stream));
            let h = resp.headers_mut();
            h.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/pdf"),
            );
            if let Ok(v) = HeaderValue::from_str(&len.to_string()) {
                h.insert(header::CONTENT_LENGTH, v);
            }
            let safe: String = filename
                .chars()
                .map(|c| {
                    if c.is_ascii_graphic() && c != '"' {
                        c
                    } else {
                        '_'
                    }
                })
                .collect();
            if let Ok(v) = HeaderValue::from_str(&format!("inline; filename=\"{safe}\"")) {
                h.insert(header::CONTENT_DISPOSITION, v);
            }
            Ok(resp)
        }
    }
}

fn num_filter(pairs: &[(String, String)], key: &str) -> ApiResult<Option<i64>> {
    match query_get(pairs, key) {
        None | Some("") => Ok(None),
        Some(v) => v.parse::<i64>().map(Some).map_err(|_| {
            ApiError::bad_request(format!(
                "Query parameter '{key}' must be a Unix timestamp in seconds (got '{v}')"
            ))
        }),
    }
}

fn id_list(pairs: &[(String, String)], key: &str) -> ApiResult<Option<Vec<i64>>> {
    match query_get(pairs, key) {
        None | Some("") => Ok(None),
        Some(v) => v
            .split(',')
            .map(|p| p.trim().parse::<i64>())
            .collect::<Result<Vec<_>, _>>()
            .map(Some)
            .map_err(|_| {
                ApiError::bad_request(format!(
                    "Query parameter '{key}' must be a comma-separated list of ids (got '{v}')"
                ))
            }),
    }
}

/// `GET /api/v1/casefiles` with filters; `x-paginate: true` + `page`/`per_page` → `Link`.
pub async fn list_casefiles(
    State(s): State<AppState>,
    _: Bearer,
    Pairs(pairs): Pairs,
    headers: HeaderMap,
    OriginalUri(uri): OriginalUri,
) -> ApiResult<Response> {
    let statuses: Option<Vec<u8>> = match query_get(&pairs, "status") {
        None | Some("") => None,
        Some(v) => Some(
            v.split(',')
                .map(|p| p.trim().parse::<u8>().ok().filter(|n| *n <= 8))
                .collect::<Option<Vec<_>>>()
                .ok_or_else(|| {
                    ApiError::bad_request(format!(
                        "Query parameter 'status' must be casefile status codes 0-8 (got '{v}')"
                    ))
                })?,
        ),
    };
    let mut ranges: Vec<(&str, Option<i64>, Option<i64>)> = Vec::new();
    for field in ["created", "activated", "completed", "expires", "updated"] {
        let after = num_filter(&pairs, &format!("{field}After"))?;
        let before = num_filter(&pairs, &format!("{field}Before"))?;
        if after.is_some() || before.is_some() {
            ranges.push((field, after, before));
        }
    }
    let ids = id_list(&pairs, "ids")?;
    let folders = id_list(&pairs, "folderIds")?;
    let title = query_get(&pairs, "title").map(str::to_lowercase);
    let meta = query_get(&pairs, "metaData");
    let reference = query_get(&pairs, "reference");
    let sort = query_get(&pairs, "sort").unwrap_or("id");
    let (desc, sort_key) = match sort.strip_prefix('-') {
        Some(k) => (true, k),
        None => (false, sort),
    };
    if ![
        "id",
        "created",
        "title",
        "completed",
        "updated",
        "activated",
        "status",
        "expireAt",
    ]
    .contains(&sort_key)
    {
        return Err(ApiError::bad_request(format!(
            "Unknown sort '{sort}' (allowed: id, created, title, completed, updated, activated, status, expireAt; prefix '-' for descending)"
        )));
    }
    let paginate = headers
        .get("x-paginate")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("true") || v == "1");
    let page = query_int(&pairs, "page", 1, 1_000_000)?.unwrap_or(1);
    let per_page = match query_int(&pairs, "per_page", 1, 1000)? {
        Some(p) => p,
        None => query_int(&pairs, "perPage", 1, 1000)?.unwrap_or(10),
    };
    let limit = query_int(&pairs, "limit", 1, 1_000_000)?;
    let offset = query_int(&pairs, "offset", 0, i64::MAX)?.unwrap_or(0);
    process_due(&s).await;
    let injected = s.rt().malformed_casefiles.clone();
    let db = s.db();
    let mut list: Vec<&Casefile> = db
        .casefiles
        .values()
        .filter(|c| statuses.as_ref().is_none_or(|st| st.contains(&c.status)))
        .filter(|c| ids.as_ref().is_none_or(|ids| ids.contains(&(c.id as i64))))
        .filter(|c| {
            folders
                .as_ref()
                .is_none_or(|f| c.folder_id.is_some_and(|id| f.contains(&id)))
        })
        .filter(|c| {
            title
                .as_ref()
                .is_none_or(|t| c.title.to_lowercase().contains(t.as_str()))
        })
        .filter(|c| meta.is_none_or(|m| c.meta_data.as_deref() == Some(m)))
        .filter(|c| reference.is_none_or(|r| c.reference.as_deref() == Some(r)))
        .filter(|c| {
            ranges.iter().all(|(field, after, before)| {
                let v = match *field {
                    "created" => Some(secs(c.created)),
                    "activated" => c.activated.map(secs),
                    "completed" => c.completed.map(secs),
                    "expires" => c.expire_at,
                    _ => Some(secs(c.updated)),
                };
                match v {
                    None => false,
                    Some(v) => after.is_none_or(|a| v > a) && before.is_none_or(|b| v < b),
                }
            })
        })
        .collect();
    list.sort_by(|a, b| {
        let o = match sort_key {
            "created" => a.created.cmp(&b.created),
            "title" => a.title.to_lowercase().cmp(&b.title.to_lowercase()),
            "completed" => a.completed.cmp(&b.completed),
            "updated" => a.updated.cmp(&b.updated),
            "activated" => a.activated.cmp(&b.activated),
            "status" => a.status.cmp(&b.status),
            "expireAt" => a.expire_at.cmp(&b.expire_at),
            _ => std::cmp::Ordering::Equal,
        }
        .then(a.id.cmp(&b.id));
        if desc {
            o.reverse()
        } else {
            o
        }
    });
    let total = list.len();
    let mut link = None;
    let page_items: Vec<&Casefile> = if paginate {
        let per = per_page as usize;
        let start = (page as usize - 1).saturating_mul(per);
        let items: Vec<&Casefile> = list.iter().skip(start).take(per).copied().collect();
        let last_page = total.div_ceil(per).max(1);
        let path = uri.path().to_string();
        let mk = |p: usize| {
            let mut qp: Vec<(String, String)> = pairs
                .iter()
                .filter(|(k, _)| k != "page" && k != "per_page" && k != "perPage")
                .cloned()
                .collect();
            qp.push(("page".into(), p.to_string()));
            qp.push(("per_page".into(), per.to_string()));
            let qs = serde_urlencoded::to_string(&qp).unwrap_or_default();
            format!("{path}?{qs}")
        };
        let mut rels = vec![format!("<{}>; rel=\"first\"", mk(1))];
        if page > 1 {
            rels.push(format!(
                "<{}>; rel=\"prev\"",
                mk((page as usize - 1).min(last_page))
            ));
        }
        if (page as usize) < last_page {
            rels.push(format!("<{}>; rel=\"next\"", mk(page as usize + 1)));
        }
        rels.push(format!("<{}>; rel=\"last\"", mk(last_page)));
        link = Some(rels.join(", "));
        items
    } else {
        list.iter()
            .skip(offset as usize)
            .take(limit.map(|l| l as usize).unwrap_or(usize::MAX))
            .copied()
            .collect()
    };
    let mut body: Vec<Value> = page_items
        .iter()
        .map(|c| casefile_json(&db, c, s.signer_status_scheme))
        .collect();
    // Records injected through the control API ride on the first page.
    let first_page = if paginate { page == 1 } else { offset == 0 };
    if first_page {
        body.extend(injected);
    }
    let mut resp = axum::Json(body).into_response();
    if let Some(l) = link.and_then(|l| HeaderValue::from_str(&l).ok()) {
        resp.headers_mut().insert(header::LINK, l);
    }
    if let Ok(v) = HeaderValue::from_str(&total.to_string()) {
        resp.headers_mut().insert("x-total-count", v);
    }
    Ok(resp)
}

/// `GET /api/v1/signingrequests/{id}/link`: a JSON array holding the signing link (the SDKs
/// read the first element). 409 while the casefile is not out for signing or the signer is done.
pub async fn signing_request_link(
    State(s): State<AppState>,
    _: Bearer,
    SigningRequestId(id): SigningRequestId,
    _: Settled,
) -> ApiResult<Response> {
    let db = s.db();
    let (cf_id, idx) = find_request(&db, id)?;
    let cf = db
        .casefiles
        .get(&cf_id)
        .ok_or_else(|| ApiError::not_found(format!("Signing request {id} not found")))?;
    if let Some(why) = request_closed(cf, &cf.signers[idx]) {
        return Err(ApiError::conflict(why));
    }
    let link = signing_link(&s.base_url, &cf.signers[idx].token);
    Ok(axum::Json(json!([link])).into_response())
}

/// `PATCH /api/v1/signingrequests/{id}/send`: e-mails the signer a reminder now (recorded on
/// the signer). 409 when there is nothing to remind of; 400 when
/// the signer has no e-mail address.
pub async fn signing_request_send(
    State(s): State<AppState>,
    _: Bearer,
    SigningRequestId(id): SigningRequestId,
    _: Settled,
) -> ApiResult<Response> {
    let mut db = s.db();
    let now = db.now_ms();
    let (cf_id, idx) = find_request(&db, id)?;
    let cf = db
        .casefiles
        .get_mut(&cf_id)
        .ok_or_else(|| ApiError::not_found(format!("Signing request {id} not found")))?;
    if let Some(why) = request_closed(cf, &cf.signers[idx]) {
        return Err(ApiError::conflict(why));
    }
    if cf.signers[idx].email.as_deref().is_none_or(str::is_empty) {
        return Err(ApiError::bad_request(
            "This signer has no e-mail address to send a reminder to",
        ));
    }
    cf.signers[idx].reminders.push(now);
    db.touch();
    Ok(StatusCode::NO_CONTENT.into_response())
}

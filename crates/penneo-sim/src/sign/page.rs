//! The signing page a signer's link opens: the documents to review, Sign and Reject.

use crate::codes::{casefile as cs, request as rq};
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};

use super::model::{reject_signer, sign_signer};
use crate::error::{ApiError, Flavor};
use crate::extract::Settled;
use crate::state::{AppState, Db};
use crate::util::{esc, query_get, read_body};

fn find_by_token(db: &Db, token: &str) -> Option<(u64, u64)> {
    db.casefiles.values().find_map(|c| {
        c.signers
            .iter()
            .find(|s| s.token == token)
            .map(|s| (c.id, s.id))
    })
}

const STATUS_NAMES: [&str; 9] = [
    "new",
    "pending",
    "rejected",
    "deleted",
    "signed",
    "completed",
    "failed",
    "expired",
    "anonymized",
];

/// `GET /signing/{token}`
pub async fn signing_page(
    State(s): State<AppState>,
    Path(token): Path<String>,
    _: Settled,
) -> Response {
    let mut db = s.db();
    let Some((cf_id, sid)) = find_by_token(&db, &token) else {
        return ApiError::html(StatusCode::NOT_FOUND, "This signing link is not valid.")
            .into_response();
    };
    let mut changed = false;
    if let Some(sg) = db
        .casefiles
        .get_mut(&cf_id)
        .and_then(|c| c.signers.iter_mut().find(|x| x.id == sid))
    {
        if rq::is_unopened(sg.request_status) {
            sg.request_status = rq::OPENED;
            changed = true;
        }
    }
    if changed {
        db.touch();
    }
    let Some(cf) = db.casefiles.get(&cf_id) else {
        return ApiError::html(StatusCode::NOT_FOUND, "Casefile not found").into_response();
    };
    let Some(sg) = cf.signers.iter().find(|x| x.id == sid) else {
        return ApiError::html(StatusCode::NOT_FOUND, "Signer not found").into_response();
    };
    let docs: String = cf
        .documents
        .iter()
        .filter_map(|d| db.documents.get(d))
        .map(|d| {
            format!(
                "<li><a href=\"/signing/{t}/documents/{id}\">{title}</a> {kind}</li>",
                t = esc(&token),
                id = d.id,
                title = esc(&d.title),
                kind = if d.signable {
                    ""
                } else {
                    "<span class=\"muted\">(attachment)</span>"
                }
            )
        })
        .collect();
    let status_name = STATUS_NAMES
        .get(cf.status as usize)
        .copied()
        .unwrap_or("unknown");
    let actions = if cf.status == cs::PENDING
        && sg.request_status != rq::SIGNED
        && sg.request_status != rq::REJECTED
    {
        format!(
            "<form method=\"post\" action=\"/signing/{t}/sign\"><button class=\"primary\" id=\"sign\" type=\"submit\">Sign</button></form>\
<form method=\"post\" action=\"/signing/{t}/reject\"><label for=\"reason\">Reason for rejecting (optional)</label>\
<textarea id=\"reason\" name=\"reason\" rows=\"2\"></textarea><p><button class=\"danger\" id=\"reject\" type=\"submit\">Reject</button></p></form>",
            t = esc(&token)
        )
    } else if sg.request_status == rq::SIGNED {
        "<p id=\"result\">You have signed.</p>".to_string()
    } else if sg.request_status == rq::REJECTED {
        "<p id=\"result\">You have rejected this casefile.</p>".to_string()
    } else {
        format!("<p id=\"result\">This casefile is {status_name}; it can no longer be signed.</p>")
    };
    let body = format!(
        "<h1>{title}</h1><p>Hello <strong>{name}</strong>{email}. Please review and sign.</p>\
<p class=\"muted\">Casefile #{id} · status {status_name}</p><h2>Documents</h2><ul>{docs}</ul>{actions}",
        title = esc(&cf.title),
        name = esc(&sg.name),
        email = sg.email.as_deref().map(|e| format!(" ({})", esc(e))).unwrap_or_default(),
        id = cf.id,
    );
    Html(crate::html::page(&cf.title, &body)).into_response()
}

/// `GET /signing/{token}/documents/{docId}`: the original PDF for review.
pub async fn signing_document(
    State(s): State<AppState>,
    Path((token, doc)): Path<(String, String)>,
) -> Response {
    let path = {
        let db = s.db();
        let Some((cf_id, _)) = find_by_token(&db, &token) else {
            return ApiError::html(StatusCode::NOT_FOUND, "This signing link is not valid.")
                .into_response();
        };
        let doc_id = doc.parse::<u64>().unwrap_or(0);
        match db.documents.get(&doc_id).filter(|d| d.casefile_id == cf_id) {
            Some(d) => s.blob_path(&d.original_blob),
            None => {
                return ApiError::html(StatusCode::NOT_FOUND, "Document not found").into_response()
            }
        }
    };
    match tokio::fs::File::open(&path).await {
        Ok(f) => {
            let mut r = Response::new(Body::from_stream(tokio_util::io::ReaderStream::new(f)));
            r.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/pdf"),
            );
            r
        }
        Err(_) => ApiError::html(StatusCode::NOT_FOUND, "Document not found").into_response(),
    }
}

async fn signing_action(s: AppState, token: String, body: Body, sign: bool) -> Response {
    let bytes = read_body(body, 64 * 1024, Flavor::Html)
        .await
        .unwrap_or_default();
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(&bytes).unwrap_or_default();
    let reason = query_get(&pairs, "reason")
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .map(|r| r.chars().take(1000).collect::<String>());
    let res = {
        let mut db = s.db();
        let Some((cf_id, sid)) = find_by_token(&db, &token) else {
            return ApiError::html(StatusCode::NOT_FOUND, "This signing link is not valid.")
                .into_response();
        };
        if sign {
            sign_signer(&mut db, cf_id, sid, s.job_delay_ms)
        } else {
            reject_signer(&mut db, cf_id, sid, reason)
        }
    };
    match res {
        Ok(()) => {
            let msg = if sign {
                "Thank you — your signature has been recorded."
            } else {
                "You have rejected the casefile. The sender has been notified."
            };
            Html(crate::html::page(
                "Done",
                &format!(
                    "<h1>{}</h1><p id=\"result\">{}</p>",
                    if sign { "Signed" } else { "Rejected" },
                    esc(msg)
                ),
            ))
            .into_response()
        }
        Err(e) => ApiError::html(e.status, e.message).into_response(),
    }
}

pub async fn signing_sign(
    State(s): State<AppState>,
    Path(token): Path<String>,
    body: Body,
) -> Response {
    signing_action(s, token, body, true).await
}

pub async fn signing_reject(
    State(s): State<AppState>,
    Path(token): Path<String>,
    body: Body,
) -> Response {
    signing_action(s, token, body, false).await
}

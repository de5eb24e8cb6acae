//! Files: a casefile's files list (its documents and the respondent's uploads, with links as
//! `/_sim/files/links` sets them), the storage host behind those links, and uploaded files.

use crate::codes::casefile as cs;
use axum::body::Body;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};

use super::formdef;
use crate::error::{ApiError, ApiResult};
use crate::extract::{Bearer, CasefileId, Settled};
use crate::state::{iso, Answers, AppState};
use crate::util::{query_get, query_pairs};

/// `GET /collect/api/v1/casefiles/{casefileId}/files`
pub async fn casefile_files(
    State(s): State<AppState>,
    _: Bearer,
    CasefileId(cid): CasefileId,
    _: Settled,
) -> ApiResult<Response> {
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
    let cf = db.casefile(cid)?;
    let mut files: Vec<Value> = cf
        .documents
        .iter()
        .filter_map(|d| db.documents.get(d))
        .map(|d| {
            let (size, blob) = match (cf.status == cs::COMPLETED, &d.sealed_blob) {
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
fn answer_files(answers: &Answers) -> Vec<&Value> {
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
    _: Bearer,
) -> ApiResult<Response> {
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

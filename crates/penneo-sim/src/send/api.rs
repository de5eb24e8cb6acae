//! Send API handlers: the multipart casefile create (streamed to disk) and the job status.

use axum::body::Body;
use axum::extract::{FromRequest, Multipart, Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};
use sha2::Digest as _;
use tokio::io::AsyncWriteExt;

use super::jobs::job_json;
use super::validate::validate;
use super::Upload;
use crate::error::{ApiError, ApiResult};
use crate::extract::SendToken;
use crate::state::{iso, AppState, Job, JobStatus, UploadedFile};
use crate::util::{content_type, read_json};
use crate::work::process_due;

/// Largest accepted create request (all parts together).
pub const CREATE_LIMIT: usize = 1024 * 1024 * 1024;
/// Largest accepted `data` part.
pub const DATA_LIMIT: usize = 1024 * 1024;
pub const RATE_LIMIT: usize = 20;
pub const RATE_WINDOW_MS: i64 = 60_000;

async fn cleanup(s: &AppState, uploads: &[Upload]) {
    for u in uploads {
        let _ = tokio::fs::remove_file(s.blob_path(&u.blob)).await;
    }
}

fn multipart_error(e: axum::extract::multipart::MultipartError) -> ApiError {
    let status = e.status();
    if status == StatusCode::PAYLOAD_TOO_LARGE {
        ApiError::rest(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("The request is larger than {CREATE_LIMIT} bytes"),
        )
    } else {
        ApiError::bad_request(format!("Malformed multipart body: {}", e.body_text()))
    }
}

/// `POST /send/api/v1/casefiles/20251022/create`
pub async fn create(
    State(s): State<AppState>,
    _: SendToken,
    headers: HeaderMap,
    req: Request,
) -> ApiResult<Response> {
    let ct = content_type(&headers);
    if ct != "multipart/form-data" {
        return Err(ApiError::bad_request(format!(
            "Content-Type must be multipart/form-data (got '{}')",
            if ct.is_empty() { "none" } else { &ct }
        )));
    }
    let mut mp = Multipart::from_request(req, &()).await.map_err(|e| {
        ApiError::bad_request(format!("Malformed multipart request: {}", e.body_text()))
    })?;
    let mut data: Option<String> = None;
    let mut uploads: Vec<Upload> = Vec::new();
    let mut first_error: Option<ApiError> = None;
    loop {
        let field = match mp.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) => {
                cleanup(&s, &uploads).await;
                return Err(multipart_error(e));
            }
        };
        let name = field.name().unwrap_or("").to_string();
        match name.as_str() {
            "data" => {
                let mut buf: Vec<u8> = Vec::new();
                let mut field = field;
                loop {
                    match field.chunk().await {
                        Ok(Some(c)) => {
                            if buf.len() + c.len() > DATA_LIMIT {
                                first_error.get_or_insert_with(|| {
                                    ApiError::rest(
                                        StatusCode::PAYLOAD_TOO_LARGE,
                                        format!(
                                            "The 'data' part is larger than {DATA_LIMIT} bytes"
                                        ),
                                    )
                                });
                            } else {
                                buf.extend_from_slice(&c);
                            }
                        }
                        Ok(None) => break,
                        Err(e) => {
                            cleanup(&s, &uploads).await;
                            return Err(multipart_error(e));
                        }
                    }
                }
                if data.is_some() {
                    first_error
                        .get_or_insert_with(|| ApiError::bad_request("More than one 'data' part"));
                }
                match String::from_utf8(buf) {
                    Ok(t) => data = Some(t),
                    Err(_) => {
                        first_error.get_or_insert_with(|| {
                            ApiError::bad_request("The 'data' part is not UTF-8 text")
                        });
                    }
                }
            }
            "files" | "files[]" => {
                let filename = field.file_name().map(str::to_string);
                let blob = format!("upload-{}", uuid::Uuid::new_v4());
                let path = s.blob_path(&blob);
                let mut file = match tokio::fs::File::create(&path).await {
                    Ok(f) => f,
                    Err(e) => {
                        cleanup(&s, &uploads).await;
                        return Err(ApiError::rest(
                            StatusCode::INSUFFICIENT_STORAGE,
                            format!("Could not store the upload: {e}"),
                        ));
                    }
                };
                let mut size: u64 = 0;
                let mut head: Vec<u8> = Vec::with_capacity(5);
                let mut field = field;
                loop {
                    match field.chunk().await {
                        Ok(Some(c)) => {
                            if head.len() < 5 {
                                let need = 5 - head.len();
                                head.extend_from_slice(&c[..need.min(c.len())]);
                            }
                            size += c.len() as u64;
                            if let Err(e) = file.write_all(&c).await {
                                let _ = tokio::fs::remove_file(&path).await;
                                cleanup(&s, &uploads).await;
                                return Err(ApiError::rest(
                                    StatusCode::INSUFFICIENT_STORAGE,
                                    format!("Could not store the upload: {e}"),
                                ));
                            }
                        }
                        Ok(None) => break,
                        Err(e) => {
                            drop(file);
                            let _ = tokio::fs::remove_file(&path).await;
                            cleanup(&s, &uploads).await;
                            return Err(multipart_error(e));
                        }
                    }
                }
                let _ = file.flush().await;
                drop(file);
                match filename.filter(|f| !f.trim().is_empty()) {
                    Some(f) => uploads.push(Upload {
                        filename: f,
                        blob,
                        size,
                        is_pdf: head == b"%PDF-",
                    }),
                    None => {
                        let _ = tokio::fs::remove_file(&path).await;
                        first_error.get_or_insert_with(|| {
                            ApiError::bad_request("Every 'files' part needs a filename")
                        });
                    }
                }
            }
            _ => {
                // Unknown parts are read and ignored.
                let mut field = field;
                loop {
                    match field.chunk().await {
                        Ok(Some(_)) => {}
                        Ok(None) => break,
                        Err(e) => {
                            cleanup(&s, &uploads).await;
                            return Err(multipart_error(e));
                        }
                    }
                }
            }
        }
    }
    if let Some(e) = first_error {
        cleanup(&s, &uploads).await;
        return Err(e);
    }
    let Some(data) = data else {
        cleanup(&s, &uploads).await;
        return Err(ApiError::bad_request("Missing 'data' part"));
    };
    let payload = match validate(&data, &uploads) {
        Ok(p) => p,
        Err(msg) => {
            cleanup(&s, &uploads).await;
            return Err(ApiError::bad_request(msg));
        }
    };
    let hash = hex::encode(sha2::Sha256::digest(data.as_bytes()));
    let uuid = uuid::Uuid::new_v4().to_string();
    let created = {
        let mut db = s.db();
        let now = db.now_ms();
        let duplicate = db
            .jobs
            .values()
            .any(|j| j.payload_hash == hash && j.status.is_live());
        db.jobs.insert(
            uuid.clone(),
            Job {
                uuid: uuid.clone(),
                payload_hash: hash.clone(),
                payload,
                status: if duplicate {
                    JobStatus::AbortedDuplicated
                } else {
                    JobStatus::Pending
                },
                created_at: now,
                updated_at: now,
                error_message: if duplicate {
                    Some("A job with the same payload is already being processed".into())
                } else {
                    None
                },
                casefile_id: None,
                signing_links: Vec::new(),
                files: uploads
                    .iter()
                    .map(|u| UploadedFile {
                        filename: u.filename.clone(),
                        blob: u.blob.clone(),
                        size: u.size,
                    })
                    .collect(),
            },
        );
        db.touch();
        if duplicate {
            // The duplicate's uploads are not needed.
            if let Some(j) = db.jobs.get_mut(&uuid) {
                j.files.clear();
            }
        }
        (now, duplicate)
    };
    if created.1 {
        cleanup(&s, &uploads).await;
    }
    Ok((
        StatusCode::OK,
        axum::Json(json!({
            "status": "handled",
            "message": "Job created",
            "jobs": [{"uuid": uuid, "payloadHash": hash, "createdAt": iso(created.0)}],
        })),
    )
        .into_response())
}

/// `POST /send/api/v1/queue/public/status` `{uuid, payloadHash}` (no auth).
pub async fn job_status(
    State(s): State<AppState>,
    headers: HeaderMap,
    body: Body,
) -> ApiResult<Response> {
    let v = read_json(&headers, body).await?;
    let uuid = v
        .get("uuid")
        .and_then(Value::as_str)
        .ok_or_else(|| ApiError::bad_request("uuid is required and must be a string"))?
        .to_string();
    let hash = v
        .get("payloadHash")
        .and_then(Value::as_str)
        .ok_or_else(|| ApiError::bad_request("payloadHash is required and must be a string"))?
        .to_string();
    {
        let db = s.db();
        match db.jobs.get(&uuid) {
            Some(j) if j.payload_hash == hash => {}
            _ => return Err(ApiError::job_not_found()),
        }
    }
    // Rate limit: at most 20 polls per rolling minute (simulated clock) per job.
    {
        let now = s.now_ms();
        let mut rt = s.rt();
        let q = rt.polls.entry(uuid.clone()).or_default();
        while q.front().is_some_and(|t| *t <= now - RATE_WINDOW_MS) {
            q.pop_front();
        }
        if q.len() >= RATE_LIMIT {
            let oldest = q.front().copied().unwrap_or(now);
            let wait_ms = (oldest + RATE_WINDOW_MS - now).max(1);
            let secs = (wait_ms as u64).div_ceil(1000).max(1);
            return Err(ApiError::rest(
                StatusCode::TOO_MANY_REQUESTS,
                format!("Rate limit exceeded: at most {RATE_LIMIT} status requests per minute for one job"),
            )
            .with_retry_after(secs));
        }
        q.push_back(now);
    }
    process_due(&s).await;
    let db = s.db();
    let j = db.jobs.get(&uuid).ok_or_else(ApiError::job_not_found)?;
    Ok(axum::Json(job_json(j)).into_response())
}

//! Send API: multipart casefile creation (streamed to disk) and the job queue.

use std::collections::BTreeSet;

use axum::body::Body;
use axum::extract::{FromRequest, Multipart, Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Map, Value};
use sha2::Digest as _;
use tokio::io::AsyncWriteExt;

use crate::error::{ApiError, ApiResult};
use crate::sign::{CasefileSpec, DocSpec, SignerSpec};
use crate::state::{iso, AppState, Job, JobStatus, UploadedFile};
use crate::util::{require_x_auth_token, valid_email};

/// Largest accepted create request (all parts together).
pub const CREATE_LIMIT: usize = 1024 * 1024 * 1024;
/// Largest accepted `data` part.
pub const DATA_LIMIT: usize = 1024 * 1024;
pub const RATE_LIMIT: usize = 20;
pub const RATE_WINDOW_MS: i64 = 60_000;

/// The Send schema's languages (`no`, not `nb`).
const LANGS: &[&str] = &["en", "da", "sv", "nl", "fr", "fi", "no", "de"];
const SSN_TYPES: &[&str] = &[
    "legacy",
    "dk:cpr",
    "se:pin",
    "no:nin",
    "be:nrn",
    "fi:pic",
    "google:oidc",
    "microsoft:oidc",
    "sms",
];
/// The Send schema's `secureSigningMethods` values.
const SECURE: &[&str] = &[
    "mitid.dk",
    "bankid_se",
    "bankid_no",
    "itsme.be",
    "ftn.fi",
    "eid.belgium.be",
    "passport-reader.eident.dk",
    "ausweisapp.bund.de",
    "qes.personal.mitid.dk",
];
const INSECURE: &[&str] = &["text", "draw", "image"];

struct Upload {
    filename: String,
    blob: String,
    size: u64,
    is_pdf: bool,
}

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
    headers: HeaderMap,
    req: Request,
) -> ApiResult<Response> {
    require_x_auth_token(&s, &headers)?;
    let ct = crate::util::content_type(&headers);
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

fn check_str(
    m: &Map<String, Value>,
    key: &str,
    ctx: &str,
    min: usize,
    max: usize,
    required: bool,
) -> Result<Option<String>, String> {
    match m.get(key) {
        None | Some(Value::Null) if !required => Ok(None),
        None | Some(Value::Null) => Err(format!("{ctx}{key} is required")),
        Some(Value::String(s)) => {
            let n = s.chars().count();
            if n < min || n > max {
                Err(format!(
                    "{ctx}{key} must be between {min} and {max} characters"
                ))
            } else {
                Ok(Some(s.clone()))
            }
        }
        Some(_) => Err(format!("{ctx}{key} must be a string")),
    }
}

fn check_int(
    m: &Map<String, Value>,
    key: &str,
    ctx: &str,
    min: i64,
) -> Result<Option<i64>, String> {
    match m.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => match v.as_i64() {
            Some(n) if n >= min => Ok(Some(n)),
            _ => Err(format!("{ctx}{key} must be an integer >= {min}")),
        },
    }
}

fn check_bool(m: &Map<String, Value>, key: &str, ctx: &str) -> Result<(), String> {
    match m.get(key) {
        None | Some(Value::Null) | Some(Value::Bool(_)) => Ok(()),
        Some(_) => Err(format!("{ctx}{key} must be a boolean")),
    }
}

/// A role as the Send schema allows it: `^[a-zA-Z0-9][a-zA-Z0-9 ,_-]*[a-zA-Z0-9,_-]$`, 3+ chars.
fn valid_role(r: &str) -> bool {
    let b = r.as_bytes();
    let inner = |c: &u8| c.is_ascii_alphanumeric() || matches!(c, b' ' | b',' | b'_' | b'-');
    b.len() >= 3 && b[0].is_ascii_alphanumeric() && b.iter().all(inner) && b[b.len() - 1] != b' '
}

fn check_role(v: Option<&Value>, what: &str) -> Result<(), String> {
    match v {
        None | Some(Value::Null) => Ok(()),
        Some(Value::String(r)) if valid_role(r) => Ok(()),
        Some(Value::String(r)) => Err(format!(
            "{what} '{r}' is not allowed: at least 3 characters, only letters a-z, digits, space, \
             comma, underscore and hyphen, starting with a letter or digit and not ending with a space"
        )),
        Some(_) => Err(format!("{what} must be a string")),
    }
}

fn check_enum_list(
    m: &Map<String, Value>,
    key: &str,
    ctx: &str,
    allowed: &[&str],
    min_items: usize,
) -> Result<(), String> {
    let Some(v) = m.get(key).filter(|v| !v.is_null()) else {
        return Ok(());
    };
    let arr = v.as_array().ok_or(format!("{ctx}{key} must be an array"))?;
    if arr.len() < min_items {
        return Err(format!("{ctx}{key} must have at least {min_items} item(s)"));
    }
    for x in arr {
        match x.as_str() {
            Some(v) if allowed.contains(&v) => {}
            _ => {
                return Err(format!(
                    "{ctx}{key} has unknown value {x} (allowed: {})",
                    allowed.join(", ")
                ))
            }
        }
    }
    Ok(())
}

fn check_enum(
    m: &Map<String, Value>,
    key: &str,
    ctx: &str,
    allowed: &[&str],
) -> Result<(), String> {
    match m.get(key) {
        None | Some(Value::Null) => Ok(()),
        Some(Value::String(s)) if allowed.contains(&s.as_str()) => Ok(()),
        Some(Value::String(s)) => Err(format!(
            "{ctx}{key} has unknown value '{s}' (allowed: {})",
            allowed.join(", ")
        )),
        Some(_) => Err(format!("{ctx}{key} must be a string")),
    }
}

/// Validate the `data` JSON against the schema and the uploads; returns the parsed payload.
fn validate(data: &str, uploads: &[Upload]) -> Result<Value, String> {
    let payload: Value = serde_json::from_str(data)
        .map_err(|e| format!("The 'data' part is not valid JSON: {e}"))?;
    let cf = payload
        .get("caseFile")
        .and_then(Value::as_object)
        .ok_or("data.caseFile is required and must be an object")?;
    let c = "caseFile.";
    check_str(cf, "title", c, 1, 1024, true)?;
    check_enum(cf, "language", c, LANGS)?;
    check_str(cf, "metaData", c, 0, 10_000, false)?;
    check_str(cf, "reference", c, 0, 255, false)?;
    check_int(cf, "folderId", c, 1)?;
    check_int(cf, "sendAt", c, 0)?;
    check_int(cf, "expireAt", c, 0)?;
    for b in [
        "sensitiveData",
        "accessControl",
        "disableNotificationsOwner",
        "disableEmailAttachments",
        "signOnMeeting",
    ] {
        check_bool(cf, b, c)?;
    }
    if let Some(v) = cf.get("visibilityMode").filter(|v| !v.is_null()) {
        if !matches!(v.as_i64(), Some(0) | Some(1)) {
            return Err("caseFile.visibilityMode must be 0 or 1".into());
        }
    }
    check_str(cf, "senderName", c, 2, 255, false)?;
    if let Some(cc) = cf.get("ccRecipients").filter(|v| !v.is_null()) {
        let arr = cc
            .as_array()
            .ok_or("caseFile.ccRecipients must be an array")?;
        for (i, r) in arr.iter().enumerate() {
            let ctx = format!("caseFile.ccRecipients[{i}].");
            let r = r.as_object().ok_or(format!("{ctx} must be an object"))?;
            check_str(r, "name", &ctx, 1, 255, true)?;
            check_bool(r, "storeAsContact", &ctx)?;
            let email = check_str(r, "email", &ctx, 3, 254, true)?.unwrap_or_default();
            if !valid_email(&email) {
                return Err(format!(
                    "{ctx}email '{email}' is not a valid e-mail address"
                ));
            }
        }
    }
    let signers = match cf.get("signers") {
        Some(Value::Array(a)) if !a.is_empty() => a,
        Some(Value::Array(_)) => {
            return Err("caseFile.signers must contain at least one signer".into())
        }
        _ => return Err("caseFile.signers is required and must be an array".into()),
    };
    for (i, sg) in signers.iter().enumerate() {
        let ctx = format!("caseFile.signers[{i}].");
        let sg = sg.as_object().ok_or(format!("{ctx} must be an object"))?;
        check_str(sg, "name", &ctx, 1, 255, true)?;
        if let Some(email) = check_str(sg, "email", &ctx, 0, 254, false)? {
            if !valid_email(&email) {
                return Err(format!(
                    "{ctx}email '{email}' is not a valid e-mail address"
                ));
            }
        }
        check_str(sg, "role", &ctx, 0, 255, false)?;
        check_role(sg.get("role"), &format!("{ctx}role"))?;
        check_str(sg, "onBehalfOf", &ctx, 0, 255, false)?;
        check_str(sg, "vatin", &ctx, 0, 64, false)?;
        check_int(sg, "signOrder", &ctx, 0)?;
        check_enum(sg, "ssnType", &ctx, SSN_TYPES)?;
        check_enum(sg, "language", &ctx, LANGS)?;
        check_enum(sg, "emailFormat", &ctx, &["text", "html"])?;
        check_bool(sg, "accessControl", &ctx)?;
        check_bool(sg, "enableInsecureSigning", &ctx)?;
        check_bool(sg, "storeAsContact", &ctx)?;
        check_enum_list(sg, "insecureSigningMethods", &ctx, INSECURE, 0)?;
        check_enum_list(sg, "secureSigningMethods", &ctx, SECURE, 1)?;
        for k in [
            "emailSubject",
            "emailText",
            "reminderEmailSubject",
            "reminderEmailText",
            "completedEmailSubject",
            "completedEmailText",
            "successUrl",
            "failUrl",
        ] {
            check_str(sg, k, &ctx, 5, 10_000, false)?;
        }
        check_int(sg, "reminderInterval", &ctx, 1)?;
        check_int(sg, "activeAt", &ctx, 0)?;
        check_int(sg, "expireAt", &ctx, 0)?;
    }
    let docs = match cf.get("documents") {
        Some(Value::Array(a)) if !a.is_empty() => a,
        Some(Value::Array(_)) => {
            return Err("caseFile.documents must contain at least one document".into())
        }
        _ => return Err("caseFile.documents is required and must be an array".into()),
    };
    let mut any_signable = false;
    let mut doc_names = BTreeSet::new();
    for (i, d) in docs.iter().enumerate() {
        let ctx = format!("caseFile.documents[{i}].");
        let d = d.as_object().ok_or(format!("{ctx} must be an object"))?;
        check_str(d, "title", &ctx, 1, 1024, true)?;
        let name = check_str(d, "name", &ctx, 1, 255, true)?.unwrap_or_default();
        check_bool(d, "signable", &ctx)?;
        check_int(d, "documentOrder", &ctx, 0)?;
        check_str(d, "metaData", &ctx, 0, 10_000, false)?;
        if let Some(r) = d.get("roles").filter(|v| !v.is_null()) {
            let arr = r
                .as_array()
                .ok_or(format!("{ctx}roles must be an array of strings"))?;
            for (k, role) in arr.iter().enumerate() {
                check_role(Some(role), &format!("{ctx}roles[{k}]"))?;
            }
        }
        if d.get("signable").and_then(Value::as_bool).unwrap_or(true) {
            any_signable = true;
        }
        let matches = uploads.iter().filter(|u| u.filename == name).count();
        if matches == 0 {
            return Err(format!(
                "{ctx}name '{name}' does not match any uploaded file"
            ));
        }
        if matches > 1 {
            return Err(format!(
                "{ctx}name '{name}' matches more than one uploaded file"
            ));
        }
        if !doc_names.insert(name.clone()) {
            return Err(format!(
                "{ctx}name '{name}' is used by more than one document"
            ));
        }
    }
    if !any_signable {
        return Err("caseFile.documents must contain at least one signable document".into());
    }
    if uploads.is_empty() {
        return Err("At least one 'files' part is required".into());
    }
    let mut seen = BTreeSet::new();
    for u in uploads {
        if !seen.insert(u.filename.as_str()) {
            return Err(format!("Duplicate filename '{}'", u.filename));
        }
        if !doc_names.contains(&u.filename) {
            return Err(format!(
                "File '{}' is not referenced by any document",
                u.filename
            ));
        }
        if !u.is_pdf {
            return Err(format!(
                "File '{}' is not a PDF (it does not start with %PDF-)",
                u.filename
            ));
        }
    }
    Ok(payload)
}

fn opt_string(m: &Map<String, Value>, k: &str) -> Option<String> {
    m.get(k).and_then(Value::as_str).map(str::to_string)
}

/// Turn a validated payload and its uploads into a casefile spec.
fn spec_from_payload(payload: &Value, files: &[UploadedFile]) -> CasefileSpec {
    let empty = Map::new();
    let cf = payload
        .get("caseFile")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    let known = [
        "title",
        "language",
        "reference",
        "metaData",
        "folderId",
        "expireAt",
        "sendAt",
        "sensitiveData",
        "visibilityMode",
        "signers",
        "documents",
    ];
    let extra: Map<String, Value> = cf
        .iter()
        .filter(|(k, _)| !known.contains(&k.as_str()))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let signers = cf
        .get("signers")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_object).collect::<Vec<_>>())
        .unwrap_or_default()
        .into_iter()
        .map(|sg| SignerSpec {
            name: opt_string(sg, "name").unwrap_or_default(),
            email: opt_string(sg, "email"),
            role: opt_string(sg, "role"),
            sign_order: sg.get("signOrder").and_then(Value::as_i64).unwrap_or(0),
            extra: sg
                .iter()
                .filter(|(k, _)| !["name", "email", "role", "signOrder"].contains(&k.as_str()))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        })
        .collect();
    let docs = cf
        .get("documents")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_object).collect::<Vec<_>>())
        .unwrap_or_default()
        .into_iter()
        .enumerate()
        .filter_map(|(i, d)| {
            let name = opt_string(d, "name")?;
            let f = files.iter().find(|f| f.filename == name)?;
            Some(DocSpec {
                title: opt_string(d, "title").unwrap_or_else(|| name.clone()),
                filename: name,
                signable: d.get("signable").and_then(Value::as_bool).unwrap_or(true),
                order: d
                    .get("documentOrder")
                    .and_then(Value::as_i64)
                    .unwrap_or(i as i64),
                roles: d
                    .get("roles")
                    .and_then(Value::as_array)
                    .map(|r| {
                        r.iter()
                            .filter_map(Value::as_str)
                            .map(str::to_string)
                            .collect()
                    })
                    .unwrap_or_default(),
                blob: f.blob.clone(),
                size: f.size,
                meta_data: opt_string(d, "metaData"),
            })
        })
        .collect();
    CasefileSpec {
        title: opt_string(cf, "title").unwrap_or_default(),
        language: opt_string(cf, "language"),
        reference: opt_string(cf, "reference"),
        meta_data: opt_string(cf, "metaData"),
        folder_id: cf.get("folderId").and_then(Value::as_i64),
        expire_at: cf.get("expireAt").and_then(Value::as_i64),
        send_at: cf.get("sendAt").and_then(Value::as_i64),
        sensitive_data: cf
            .get("sensitiveData")
            .and_then(Value::as_bool)
            .unwrap_or(false),
        visibility_mode: cf
            .get("visibilityMode")
            .and_then(Value::as_i64)
            .unwrap_or(0),
        extra,
        signers,
        docs,
        submission_id: None,
        form_id: None,
    }
}

/// Move live jobs along: pending → processing (half the delay) → completed/failed.
pub fn advance_jobs(s: &AppState) {
    let mut db = s.db();
    let now = db.now_ms();
    let delay = s.job_delay_ms as i64;
    let live: Vec<String> = db
        .jobs
        .values()
        .filter(|j| j.status.is_live())
        .map(|j| j.uuid.clone())
        .collect();
    for uuid in live {
        let Some(job) = db.jobs.get(&uuid).cloned() else {
            continue;
        };
        let elapsed = now - job.created_at;
        if elapsed >= delay {
            let broken = job
                .files
                .iter()
                .find(|f| !crate::pdf::looks_complete(&s.blob_path(&f.blob)).unwrap_or(false));
            if let Some(f) = broken {
                let msg = format!(
                    "Document '{}' could not be processed: the PDF is incomplete or damaged",
                    f.filename
                );
                if let Some(j) = db.jobs.get_mut(&uuid) {
                    j.status = JobStatus::Failed;
                    j.error_message = Some(msg);
                    j.updated_at = now;
                }
            } else {
                let spec = spec_from_payload(&job.payload, &job.files);
                let id = crate::sign::create_casefile(&mut db, spec, now);
                let links: Vec<Value> = db
                    .casefiles
                    .get(&id)
                    .map(|cf| {
                        cf.signers
                            .iter()
                            .map(|sg| {
                                json!({
                                    "name": sg.name,
                                    "role": sg.role,
                                    "signingLink": crate::sign::signing_link(&s.base_url, &sg.token),
                                })
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                if let Some(j) = db.jobs.get_mut(&uuid) {
                    j.status = JobStatus::Completed;
                    j.casefile_id = Some(id);
                    j.signing_links = links;
                    j.updated_at = now;
                }
            }
            db.touch();
        } else if elapsed * 2 >= delay && job.status == JobStatus::Pending {
            if let Some(j) = db.jobs.get_mut(&uuid) {
                j.status = JobStatus::Processing;
                j.updated_at = now;
            }
            db.touch();
        }
    }
}

pub fn job_json(j: &Job) -> Value {
    let result = match (j.status, j.casefile_id) {
        (JobStatus::Completed, Some(id)) => json!({
            "data": {"caseFile": {"id": id}, "signingLinks": j.signing_links}
        }),
        _ => Value::Null,
    };
    json!({
        "uuid": j.uuid,
        "type": "casefile_creation",
        "jobStatus": j.status.as_str(),
        "result": result,
        "payload": j.payload,
        "payloadHash": j.payload_hash,
        "errorMessage": j.error_message,
        "retries": 0,
        "maxRetries": 3,
        "createdAt": iso(j.created_at),
        "updatedAt": iso(j.updated_at),
    })
}

/// `POST /send/api/v1/queue/public/status` `{uuid, payloadHash}` (no auth).
pub async fn job_status(
    State(s): State<AppState>,
    headers: HeaderMap,
    body: Body,
) -> ApiResult<Response> {
    let v = crate::util::read_json(&headers, body).await?;
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
    crate::sign::process_due(&s).await;
    let db = s.db();
    let j = db.jobs.get(&uuid).ok_or_else(ApiError::job_not_found)?;
    Ok(axum::Json(job_json(j)).into_response())
}

//! Sign API: casefiles, signers, documents, the signing page, sealing and background work.

use std::collections::BTreeMap;

use axum::body::Body;
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use base64::Engine;
use serde_json::{json, Map, Value};

use crate::codes::{casefile as cs, request as rq};
use crate::error::{ApiError, ApiResult, Flavor};
use crate::state::{
    iso, random_token, secs, AppState, Casefile, Db, Document, Signer, SignerStatusScheme,
};
use crate::util::{esc, query_get, query_pairs, read_body, require_bearer};

pub struct SignerSpec {
    pub name: String,
    pub email: Option<String>,
    pub role: Option<String>,
    pub sign_order: i64,
    pub extra: Map<String, Value>,
}

pub struct DocSpec {
    pub title: String,
    pub filename: String,
    pub signable: bool,
    pub order: i64,
    pub roles: Vec<String>,
    pub blob: String,
    pub size: u64,
    pub meta_data: Option<String>,
}

#[derive(Default)]
pub struct CasefileSpec {
    pub title: String,
    pub language: Option<String>,
    pub reference: Option<String>,
    pub meta_data: Option<String>,
    pub folder_id: Option<i64>,
    pub expire_at: Option<i64>,
    pub send_at: Option<i64>,
    pub sensitive_data: bool,
    pub visibility_mode: i64,
    pub extra: Map<String, Value>,
    pub signers: Vec<SignerSpec>,
    pub docs: Vec<DocSpec>,
    pub submission_id: Option<String>,
    pub form_id: Option<String>,
}

/// Create a casefile (status 1, or 0 when `sendAt` lies in the future). Returns its id.
pub fn create_casefile(db: &mut Db, spec: CasefileSpec, now: i64) -> u64 {
    let id = db.new_casefile_id();
    let scheduled = spec.send_at.is_some_and(|t| t * 1000 > now);
    let mut signers = Vec::new();
    for sp in spec.signers {
        let sid = db.new_signer_id();
        let rid = db.new_signer_id() + 5_000_000;
        signers.push(Signer {
            id: sid,
            name: sp.name,
            email: sp.email,
            role: sp.role,
            sign_order: sp.sign_order,
            request_id: rid,
            request_status: rq::SENT,
            token: random_token("sgn_"),
            signed_at: None,
            rejected_at: None,
            reject_reason: None,
            extra: sp.extra,
            reminders: Vec::new(),
        });
    }
    let mut doc_ids = Vec::new();
    let mut docs = spec.docs;
    docs.sort_by_key(|d| d.order);
    for d in docs {
        let did = db.new_document_id();
        db.documents.insert(
            did,
            Document {
                id: did,
                casefile_id: id,
                title: d.title,
                filename: d.filename,
                signable: d.signable,
                document_order: d.order,
                roles: d.roles,
                original_blob: d.blob,
                original_size: d.size,
                sealed_blob: None,
                sealed_size: None,
                meta_data: d.meta_data,
                created: now,
                modified: now,
            },
        );
        doc_ids.push(did);
    }
    db.casefiles.insert(
        id,
        Casefile {
            id,
            title: spec.title,
            status: if scheduled { cs::NEW } else { cs::PENDING },
            language: spec.language,
            reference: spec.reference,
            meta_data: spec.meta_data,
            folder_id: spec.folder_id,
            expire_at: spec.expire_at,
            send_at: spec.send_at,
            sensitive_data: spec.sensitive_data,
            visibility_mode: spec.visibility_mode,
            extra: spec.extra,
            created: now,
            activated: if scheduled { None } else { Some(now) },
            completed: None,
            updated: now,
            signers,
            documents: doc_ids,
            submission_id: spec.submission_id,
            form_id: spec.form_id,
            seal_due: None,
        },
    );
    db.touch();
    id
}

pub fn signing_link(base: &str, token: &str) -> String {
    format!("{base}/signing/{token}")
}

/// The file size Penneo reports: the sealed PDF's once completed, else the upload's.
fn file_size(d: &Document, cf: Option<&Casefile>) -> u64 {
    d.sealed_size
        .filter(|_| cf.is_some_and(|c| c.status == cs::COMPLETED))
        .unwrap_or(d.original_size)
}

/// Whether a signer signs a document: signable, and the document names the signer's role
/// (or names no roles, meaning every signer).
fn signs(d: &Document, sg: &Signer) -> bool {
    d.signable
        && (d.roles.is_empty()
            || sg
                .role
                .as_deref()
                .is_some_and(|r| d.roles.iter().any(|x| x == r)))
}

/// `documents[].signatureLines[]`: one per signer who signs the document, carrying the
/// signer's role and sign order (Penneo keeps them there, not on the signer).
fn signature_lines(d: &Document, cf: &Casefile) -> Vec<Value> {
    cf.signers
        .iter()
        .enumerate()
        .filter(|(_, sg)| signs(d, sg))
        .map(|(k, sg)| {
            // A line is active once the casefile is out and every lower sign order has signed.
            let turn = cf
                .signers
                .iter()
                .all(|o| o.sign_order >= sg.sign_order || o.request_status == rq::SIGNED);
            let active = cs::lines_are_live(cf.status) && (turn || sg.request_status == rq::SIGNED);
            json!({
                "id": d.id * 1000 + k as u64 + 1,
                "signerId": sg.id,
                "documentId": d.id,
                "role": sg.role,
                "signOrder": sg.sign_order,
                "activatedAt": if active { cf.activated.map(secs) } else { None },
                "sdkClassName": "SignatureLine",
            })
        })
        .collect()
}

/// A document as Penneo's `DocumentDetails`.
pub fn document_json(d: &Document, cf: Option<&Casefile>) -> Value {
    let status = cf
        .map(|c| crate::codes::document::of_casefile(c.status))
        .unwrap_or(cs::NEW);
    json!({
        "id": d.id,
        "documentId": format!("{:04X}-{:04X}-{:04X}", (d.id >> 32) & 0xFFFF, (d.id >> 16) & 0xFFFF, d.id & 0xFFFF),
        "caseFileId": d.casefile_id,
        "title": d.title,
        "documentOrder": d.document_order,
        "status": status,
        "signable": d.signable,
        "format": "pdf",
        "fileSize": file_size(d, cf),
        "created": secs(d.created),
        "signatureLines": cf.map(|c| signature_lines(d, c)).unwrap_or_default(),
        "sdkClassName": "Document",
    })
}

/// Keys of a Send signer that Penneo reports inside `signingRequest` (`SigningRequestDetails`).
const SIGNING_REQUEST_KEYS: &[&str] = &[
    "language",
    "emailSubject",
    "emailText",
    "reminderEmailSubject",
    "reminderEmailText",
    "completedEmailSubject",
    "completedEmailText",
    "emailFormat",
    "reminderInterval",
    "accessControl",
    "enableInsecureSigning",
    "secureSigningMethods",
    "insecureSigningMethods",
];

/// A signer as Penneo's `SignerDetails`: `{id, name, types, storeAsContact, signingRequest}`;
/// e-mail and state live in `signingRequest`, role and sign order on the signature lines.
pub fn signer_json(sg: &Signer, cf_status: u8, scheme: SignerStatusScheme) -> Value {
    let opt = |k: &str| sg.extra.get(k).cloned().unwrap_or(Value::Null);
    let mut request = json!({
        "id": sg.request_id,
        "email": sg.email,
        "status": scheme.encode(sg.request_status, cf_status),
        "rejectReason": sg.reject_reason,
        "emailFormat": "text",
        "accessControl": false,
        "enableInsecureSigning": false,
        "secureSigningMethods": [],
        "insecureSigningMethods": [],
        "sdkClassName": "SigningRequest",
    });
    if let Value::Object(m) = &mut request {
        for k in SIGNING_REQUEST_KEYS {
            let v = opt(k);
            if !v.is_null() {
                m.insert((*k).to_string(), v);
            }
        }
    }
    json!({
        "id": sg.id,
        "name": sg.name,
        "types": [],
        "storeAsContact": sg.extra.get("storeAsContact").and_then(Value::as_bool).unwrap_or(true),
        "signingRequest": request,
        "sdkClassName": "Signer",
    })
}

/// A casefile as Penneo's `CaseFileDetails`.
pub fn casefile_json(db: &Db, cf: &Casefile, scheme: SignerStatusScheme) -> Value {
    let docs: Vec<Value> = cf
        .documents
        .iter()
        .filter_map(|d| db.documents.get(d))
        .map(|d| document_json(d, Some(cf)))
        .collect();
    let mut v = json!({
        "id": cf.id,
        "title": cf.title,
        "status": cf.status,
        "language": cf.language,
        "reference": cf.reference,
        "metaData": cf.meta_data,
        "folderId": cf.folder_id,
        "expireAt": cf.expire_at,
        "sendAt": cf.send_at,
        "sensitiveData": cf.sensitive_data,
        "visibilityMode": cf.visibility_mode,
        "signIteration": 1,
        "userId": 1,
        "customerId": 1,
        "created": secs(cf.created),
        "activated": cf.activated.map(secs),
        "completed": cf.completed.map(secs),
        "updated": secs(cf.updated),
        "signers": cf.signers.iter().map(|s| signer_json(s, cf.status, scheme)).collect::<Vec<_>>(),
        "documents": docs,
        "sdkClassName": "CaseFile",
    });
    if let Value::Object(m) = &mut v {
        for (k, x) in &cf.extra {
            m.entry(k.clone()).or_insert_with(|| x.clone());
        }
    }
    v
}

fn find_signer(cf: &Casefile, signer_id: u64) -> ApiResult<usize> {
    cf.signers
        .iter()
        .position(|s| s.id == signer_id)
        .ok_or_else(|| {
            ApiError::not_found(format!(
                "Signer {signer_id} not found in casefile {}",
                cf.id
            ))
        })
}

/// Sign for one signer. Errors: 404 unknown, 409 not open / not this signer's turn.
pub fn sign_signer(db: &mut Db, cf_id: u64, signer_id: u64, delay_ms: u64) -> ApiResult<()> {
    let now = db.now_ms();
    let cf = db
        .casefiles
        .get_mut(&cf_id)
        .ok_or_else(|| ApiError::not_found(format!("Casefile {cf_id} not found")))?;
    let idx = find_signer(cf, signer_id)?;
    if cf.status != cs::PENDING {
        return Err(ApiError::conflict(format!(
            "Casefile {cf_id} is not out for signing (status {})",
            cf.status
        )));
    }
    let order = cf.signers[idx].sign_order;
    match cf.signers[idx].request_status {
        rq::SIGNED => return Err(ApiError::conflict("This signer has already signed")),
        rq::REJECTED => return Err(ApiError::conflict("This signer has rejected")),
        _ => {}
    }
    if cf
        .signers
        .iter()
        .any(|s| s.sign_order < order && s.request_status != rq::SIGNED)
    {
        return Err(ApiError::conflict(
            "Signers with a lower signOrder must sign first",
        ));
    }
    cf.signers[idx].request_status = rq::SIGNED;
    cf.signers[idx].signed_at = Some(now);
    cf.updated = now;
    if cf.signers.iter().all(|s| s.request_status == rq::SIGNED) {
        cf.status = cs::SIGNED;
        cf.seal_due = Some(now + delay_ms as i64);
    }
    db.touch();
    Ok(())
}

pub fn reject_signer(
    db: &mut Db,
    cf_id: u64,
    signer_id: u64,
    reason: Option<String>,
) -> ApiResult<()> {
    let now = db.now_ms();
    let cf = db
        .casefiles
        .get_mut(&cf_id)
        .ok_or_else(|| ApiError::not_found(format!("Casefile {cf_id} not found")))?;
    let idx = find_signer(cf, signer_id)?;
    if cf.status != cs::PENDING {
        return Err(ApiError::conflict(format!(
            "Casefile {cf_id} is not out for signing (status {})",
            cf.status
        )));
    }
    if cf.signers[idx].request_status == rq::SIGNED {
        return Err(ApiError::conflict("This signer has already signed"));
    }
    cf.signers[idx].request_status = rq::REJECTED;
    cf.signers[idx].rejected_at = Some(now);
    cf.signers[idx].reject_reason = reason;
    cf.status = cs::REJECTED;
    cf.updated = now;
    db.touch();
    Ok(())
}

/// Sign for every signer who has not signed yet, in signOrder.
pub fn sign_all(db: &mut Db, cf_id: u64, delay_ms: u64) -> ApiResult<()> {
    let mut ids: Vec<(i64, u64)> = {
        let cf = db
            .casefiles
            .get(&cf_id)
            .ok_or_else(|| ApiError::not_found(format!("Casefile {cf_id} not found")))?;
        if cf.status != cs::PENDING {
            return Err(ApiError::conflict(format!(
                "Casefile {cf_id} is not out for signing (status {})",
                cf.status
            )));
        }
        cf.signers
            .iter()
            .filter(|s| s.request_status != rq::SIGNED)
            .map(|s| (s.sign_order, s.id))
            .collect()
    };
    ids.sort();
    for (_, sid) in ids {
        sign_signer(db, cf_id, sid, delay_ms)?;
    }
    Ok(())
}

struct SealJob {
    cf_id: u64,
    docs: Vec<(u64, std::path::PathBuf, String)>,
    lines: Vec<String>,
}

/// Background work: job progress, scheduled sends, expiry, sealing. Serialised.
pub async fn process_due(s: &AppState) {
    let _guard = s.work_lock.lock().await;
    crate::send::advance_jobs(s);
    let seal_jobs: Vec<SealJob> = {
        let mut db = s.db();
        let now = db.now_ms();
        let mut changed = false;
        for cf in db.casefiles.values_mut() {
            if cf.status == cs::NEW && cf.send_at.is_some_and(|t| t * 1000 <= now) {
                cf.status = cs::PENDING;
                cf.activated = Some(now);
                cf.updated = now;
                changed = true;
            }
            if cf.status == cs::PENDING && cf.expire_at.is_some_and(|t| t * 1000 <= now) {
                cf.status = cs::EXPIRED;
                cf.updated = now;
                changed = true;
            }
        }
        if changed {
            db.touch();
        }
        let due: Vec<u64> = db
            .casefiles
            .values()
            .filter(|c| c.status == cs::SIGNED && c.seal_due.is_some_and(|t| t <= now))
            .map(|c| c.id)
            .collect();
        due.into_iter()
            .filter_map(|id| {
                let cf = db.casefiles.get(&id)?;
                let mut lines = vec![
                    format!("Casefile: {} (#{})", cf.title, cf.id),
                    String::new(),
                ];
                for sg in &cf.signers {
                    lines.push(format!(
                        "Signed by {}{}{} at {}",
                        sg.name,
                        sg.email
                            .as_deref()
                            .map(|e| format!(" <{e}>"))
                            .unwrap_or_default(),
                        sg.role
                            .as_deref()
                            .map(|r| format!(" as {r}"))
                            .unwrap_or_default(),
                        sg.signed_at.map(iso).unwrap_or_default()
                    ));
                }
                lines.push(String::new());
                lines.push(format!("Sealed by the Penneo simulator at {}", iso(now)));
                lines.push("This is a simulated signature, not a legal signature.".into());
                let docs = cf
                    .documents
                    .iter()
                    .filter_map(|d| db.documents.get(d))
                    .filter(|d| d.signable)
                    .map(|d| (d.id, s.blob_path(&d.original_blob), d.title.clone()))
                    .collect();
                Some(SealJob {
                    cf_id: id,
                    docs,
                    lines,
                })
            })
            .collect()
    };
    for job in seal_jobs {
        let mut sealed: Vec<(u64, String, u64)> = Vec::new();
        let mut failed = false;
        for (doc_id, path, title) in &job.docs {
            let blob = format!("sealed-{}", uuid::Uuid::new_v4());
            let out = s.blob_path(&blob);
            let mut lines = vec![format!("Document: {title}")];
            lines.extend(job.lines.iter().cloned());
            let path = path.clone();
            let res = tokio::task::spawn_blocking(move || {
                crate::pdf::seal(&path, &out, "Signature page", &lines)
            })
            .await;
            match res {
                Ok(Ok(size)) => sealed.push((*doc_id, blob, size)),
                Ok(Err(e)) => {
                    tracing::warn!("sealing document {doc_id} failed: {e}");
                    failed = true;
                }
                Err(e) => {
                    tracing::warn!("sealing task failed: {e}");
                    failed = true;
                }
            }
        }
        let mut db = s.db();
        let now = db.now_ms();
        for (doc_id, blob, size) in sealed {
            if let Some(d) = db.documents.get_mut(&doc_id) {
                d.sealed_blob = Some(blob);
                d.sealed_size = Some(size);
                d.modified = now;
            }
        }
        if let Some(cf) = db.casefiles.get_mut(&job.cf_id) {
            if cf.status == cs::SIGNED {
                cf.status = if failed { cs::FAILED } else { cs::COMPLETED };
                cf.completed = Some(now);
                cf.updated = now;
                cf.seal_due = None;
            }
        }
        db.touch();
    }
}

fn parse_id(raw: &str, what: &str) -> ApiResult<u64> {
    raw.parse::<u64>()
        .map_err(|_| ApiError::not_found(format!("{what} {raw} not found")))
}

/// `GET /api/v1/casefiles/{id}`
pub async fn get_casefile(
    State(s): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    require_bearer(&s, &headers)?;
    let id = parse_id(&id, "Casefile")?;
    process_due(&s).await;
    let db = s.db();
    let cf = db
        .casefiles
        .get(&id)
        .ok_or_else(|| ApiError::not_found(format!("Casefile {id} not found")))?;
    Ok(axum::Json(casefile_json(&db, cf, s.signer_status_scheme)).into_response())
}

/// `DELETE /api/v1/casefiles/{id}`: removed outright at status 0, otherwise marked deleted.
pub async fn delete_casefile(
    State(s): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    require_bearer(&s, &headers)?;
    let id = parse_id(&id, "Casefile")?;
    let blobs = {
        let mut db = s.db();
        let now = db.now_ms();
        let status = db
            .casefiles
            .get(&id)
            .map(|c| c.status)
            .ok_or_else(|| ApiError::not_found(format!("Casefile {id} not found")))?;
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
    Path(id): Path<String>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    require_bearer(&s, &headers)?;
    let id = parse_id(&id, "Casefile")?;
    process_due(&s).await;
    let db = s.db();
    let cf = db
        .casefiles
        .get(&id)
        .ok_or_else(|| ApiError::not_found(format!("Casefile {id} not found")))?;
    let docs: Vec<Value> = cf
        .documents
        .iter()
        .filter_map(|d| db.documents.get(d))
        .map(|d| document_json(d, Some(cf)))
        .collect();
    Ok(axum::Json(docs).into_response())
}

/// `GET /api/v1/documents/{id}`
pub async fn get_document(
    State(s): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    require_bearer(&s, &headers)?;
    let id = parse_id(&id, "Document")?;
    process_due(&s).await;
    let db = s.db();
    let d = db
        .documents
        .get(&id)
        .ok_or_else(|| ApiError::not_found(format!("Document {id} not found")))?;
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
    Path(id): Path<String>,
    RawQuery(q): RawQuery,
    headers: HeaderMap,
) -> ApiResult<Response> {
    require_bearer(&s, &headers)?;
    let pairs = query_pairs(q.as_deref())?;
    let id = parse_id(&id, "Document")?;
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
        let d = db
            .documents
            .get(&id)
            .ok_or_else(|| ApiError::not_found(format!("Document {id} not found")))?;
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
    RawQuery(q): RawQuery,
    headers: HeaderMap,
    axum::extract::OriginalUri(uri): axum::extract::OriginalUri,
) -> ApiResult<Response> {
    require_bearer(&s, &headers)?;
    let pairs = query_pairs(q.as_deref())?;
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
    let page = crate::util::query_int(&pairs, "page", 1, 1_000_000)?.unwrap_or(1);
    let per_page = match crate::util::query_int(&pairs, "per_page", 1, 1000)? {
        Some(p) => p,
        None => crate::util::query_int(&pairs, "perPage", 1, 1000)?.unwrap_or(10),
    };
    let limit = crate::util::query_int(&pairs, "limit", 1, 1_000_000)?;
    let offset = crate::util::query_int(&pairs, "offset", 0, i64::MAX)?.unwrap_or(0);
    process_due(&s).await;
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
    let body: Vec<Value> = page_items
        .iter()
        .map(|c| casefile_json(&db, c, s.signer_status_scheme))
        .collect();
    let mut resp = axum::Json(body).into_response();
    if let Some(l) = link.and_then(|l| HeaderValue::from_str(&l).ok()) {
        resp.headers_mut().insert(header::LINK, l);
    }
    if let Ok(v) = HeaderValue::from_str(&total.to_string()) {
        resp.headers_mut().insert("x-total-count", v);
    }
    Ok(resp)
}

// ---------------------------------------------------------------- signing page

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
pub async fn signing_page(State(s): State<AppState>, Path(token): Path<String>) -> Response {
    process_due(&s).await;
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

/// Counts of casefiles per status (for the control API / diagnostics).
pub fn status_counts(db: &Db) -> BTreeMap<u8, usize> {
    let mut m = BTreeMap::new();
    for c in db.casefiles.values() {
        *m.entry(c.status).or_insert(0) += 1;
    }
    m
}

/// The casefile and signer index of a signing request id.
fn find_request(db: &Db, request_id: u64) -> ApiResult<(u64, usize)> {
    db.casefiles
        .values()
        .find_map(|cf| {
            cf.signers
                .iter()
                .position(|sg| sg.request_id == request_id)
                .map(|i| (cf.id, i))
        })
        .ok_or_else(|| ApiError::not_found(format!("Signing request {request_id} not found")))
}

/// Why a signing request cannot be acted on now (link, reminder), or `None`.
fn request_closed(cf: &Casefile, sg: &Signer) -> Option<String> {
    if cf.status != cs::PENDING {
        return Some(format!(
            "Casefile {} is not out for signing (status {})",
            cf.id, cf.status
        ));
    }
    match sg.request_status {
        rq::SIGNED | rq::FINALIZED => Some("This signer has already signed".into()),
        rq::REJECTED => Some("This signer has rejected".into()),
        rq::DELETED => Some("This signing request was deleted".into()),
        _ => None,
    }
}

/// `GET /api/v1/signingrequests/{id}/link`: a JSON array holding the signing link (the SDKs
/// read the first element). 409 while the casefile is not out for signing or the signer is done.
pub async fn signing_request_link(
    State(s): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    require_bearer(&s, &headers)?;
    let id = parse_id(&id, "Signing request")?;
    process_due(&s).await;
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
    Path(id): Path<String>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    require_bearer(&s, &headers)?;
    let id = parse_id(&id, "Signing request")?;
    process_due(&s).await;
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

//! The Sign state machine, apart from HTTP: creating a casefile, a signer signing or
//! rejecting, and the clock-driven steps (a scheduled send going out, expiry, sealing once
//! everyone has signed). Handlers, the control API, Send jobs and Collect submissions all move
//! casefiles through these functions.

use crate::codes::{casefile as cs, request as rq};
use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::error::{ApiError, ApiResult};
use crate::state::{iso, random_token, AppState, Casefile, Db, Document, Signer};

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
            request_status: 0,
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
            status: if scheduled { 0 } else { 1 },
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

/// The casefile (out for signing) and the index of its signer `signer_id`: 404 for an unknown
/// casefile or signer, 409 when the casefile is not out for signing.
fn signer_of_open_casefile(
    db: &mut Db,
    cf_id: u64,
    signer_id: u64,
) -> ApiResult<(&mut Casefile, usize)> {
    let cf = db.casefile_mut(cf_id)?;
    let idx = find_signer(cf, signer_id)?;
    if cf.status != cs::PENDING {
        return Err(ApiError::conflict(format!(
            "Casefile {cf_id} is not out for signing (status {})",
            cf.status
        )));
    }
    Ok((cf, idx))
}

/// Sign for one signer. Errors: 404 unknown, 409 not open / not this signer's turn.
pub fn sign_signer(db: &mut Db, cf_id: u64, signer_id: u64, delay_ms: u64) -> ApiResult<()> {
    let now = db.now_ms();
    let (cf, idx) = signer_of_open_casefile(db, cf_id, signer_id)?;
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
    let (cf, idx) = signer_of_open_casefile(db, cf_id, signer_id)?;
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
        let cf = db.casefile(cf_id)?;
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

/// Counts of casefiles per status (for the control API / diagnostics).
pub fn status_counts(db: &Db) -> BTreeMap<u8, usize> {
    let mut m = BTreeMap::new();
    for c in db.casefiles.values() {
        *m.entry(c.status).or_insert(0) += 1;
    }
    m
}

/// The casefile and signer index of a signing request id.
pub(crate) fn find_request(db: &Db, request_id: u64) -> ApiResult<(u64, usize)> {
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
pub(crate) fn request_closed(cf: &Casefile, sg: &Signer) -> Option<String> {
    if cf.status != cs::PENDING {
        return Some(format!(
            "Casefile {} is not out for signing (status {})",
            cf.id, cf.status
        ));
    }
    match sg.request_status {
        3 | 8 => Some("This signer has already signed".into()),
        4 => Some("This signer has rejected".into()),
        9 => Some("This signing request was deleted".into()),
        _ => None,
    }
}

struct SealJob {
    cf_id: u64,
    docs: Vec<(u64, std::path::PathBuf, String)>,
    lines: Vec<String>,
}

/// The clock-driven casefile steps: a scheduled casefile goes out at `sendAt`, a pending one
/// expires at `expireAt`, and one every signer signed is sealed (status 4 → 5, or 6 when a
/// document cannot be sealed) once its delay has passed. Run through
/// [`crate::work::process_due`], which serialises it.
pub async fn advance_casefiles(s: &AppState) {
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

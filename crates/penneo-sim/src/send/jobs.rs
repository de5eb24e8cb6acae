//! The Send job queue as a state machine, apart from HTTP: a job goes pending → processing →
//! completed (its casefile created) or failed (a damaged PDF), by the simulated clock.

use serde_json::{json, Map, Value};

use crate::sign::model::{create_casefile, signing_link, CasefileSpec, DocSpec, SignerSpec};
use crate::state::{iso, AppState, Job, JobStatus, UploadedFile};

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
                let id = create_casefile(&mut db, spec, now);
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
                                    "signingLink": signing_link(&s.base_url, &sg.token),
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

//! The Sign shapes on the wire, as Penneo's own schemas have them: `CaseFileDetails`,
//! `SignerDetails` (e-mail and state inside `signingRequest`) and `DocumentDetails` (role and
//! sign order on `signatureLines`).

use crate::codes::{casefile as cs, request as rq};
use serde_json::{json, Value};

use crate::state::{secs, Casefile, Db, Document, Signer, SignerStatusScheme};

/// Document status derived from its casefile (Document enum: 0 new … 5 completed, 7 failed).
fn document_status(cf_status: u8) -> u8 {
    match cf_status {
        6 => 7,
        7 | 8 => 5.min(cf_status),
        s => s,
    }
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
    let status = cf.map(|c| document_status(c.status)).unwrap_or(0);
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

/// A casefile's documents, in its order, as Penneo lists them.
pub fn documents_json(db: &Db, cf: &Casefile) -> Vec<Value> {
    cf.documents
        .iter()
        .filter_map(|d| db.documents.get(d))
        .map(|d| document_json(d, Some(cf)))
        .collect()
}

/// A casefile as Penneo's `CaseFileDetails`.
pub fn casefile_json(db: &Db, cf: &Casefile, scheme: SignerStatusScheme) -> Value {
    let docs = documents_json(db, cf);
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

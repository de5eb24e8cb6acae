//! The Send create's `data` part checked against Penneo's Send schema (and the uploads it
//! names): the first problem becomes the `400` message.

use std::collections::BTreeSet;

use serde_json::{Map, Value};

use super::Upload;
use crate::util::valid_email;

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
pub(crate) fn validate(data: &str, uploads: &[Upload]) -> Result<Value, String> {
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

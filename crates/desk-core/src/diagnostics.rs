//! The diagnostics recorder: Settings → Diagnostics → "Record API exchanges".
//!
//! While it is on, every exchange the Penneo client makes is redacted **as it is recorded**
//! (nothing personal is ever held, let alone written) and kept in memory; "Save" writes them to
//! a file the user picked. Redaction keeps the shape so the file still answers "what does
//! Penneo send": every secret (tokens, passwords, client secrets, signatures, codes) becomes
//! `<redacted:N chars>`; an e-mail address becomes `xxxx@example.invalid` with its local part's
//! length; every other free-text value (names, addresses, CPR/CVR numbers, titles, answers)
//! keeps its punctuation and length with letters as `x`/`X` and digits as `0`. What stays as
//! sent: keys, ids, statuses, enums, timestamps, field names, labels, slugs, numbers outside
//! answers. PDF and upload bodies are never read, only their type and size.

use std::collections::VecDeque;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

use crate::error::{DeskError, Result};

/// At most this many exchanges are kept (the oldest go first).
pub const MAX_EXCHANGES: usize = 5000;

/// Whether the recorder runs and how much it holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct RecorderStatus {
    pub recording: bool,
    pub exchanges: u32,
    pub started_at: Option<String>,
}

#[derive(Default)]
struct State {
    entries: VecDeque<Value>,
    started_at: Option<String>,
}

/// The recorder every client of this app reports to.
#[derive(Default)]
pub struct Recorder {
    on: AtomicBool,
    state: Mutex<State>,
}

impl std::fmt::Debug for Recorder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Recorder")
            .field("on", &self.on.load(Ordering::Relaxed))
            .finish_non_exhaustive()
    }
}

impl Recorder {
    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Start recording (what was recorded before is dropped).
    pub fn start(&self) {
        let mut st = self.state();
        st.entries.clear();
        st.started_at = Some(crate::db::now());
        self.on.store(true, Ordering::SeqCst);
    }

    /// Stop recording; what was recorded stays until saved or started again.
    pub fn stop(&self) {
        self.on.store(false, Ordering::SeqCst);
    }

    pub fn status(&self) -> RecorderStatus {
        let st = self.state();
        RecorderStatus {
            recording: self.on.load(Ordering::SeqCst),
            exchanges: st.entries.len() as u32,
            started_at: st.started_at.clone(),
        }
    }

    /// The recording as one JSON document.
    pub fn document(&self) -> Value {
        let st = self.state();
        json!({
            "recordedBy": concat!("Penneo Desk ", env!("CARGO_PKG_VERSION")),
            "redaction": "secrets → <redacted:N chars>; e-mail → x…@example.invalid; other free text: letters → x/X, digits → 0 (length and punctuation kept); PDF and upload bodies not recorded",
            "startedAt": st.started_at,
            "savedAt": crate::db::now(),
            "exchanges": st.entries.iter().collect::<Vec<_>>(),
        })
    }

    /// Write the recording to `path` (atomically: a temporary file beside it, then renamed).
    pub fn save(&self, path: &Path) -> Result<u32> {
        let doc = self.document();
        let n = doc["exchanges"].as_array().map_or(0, Vec::len) as u32;
        let dir = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let mut tmp = tempfile::NamedTempFile::new_in(dir)
            .map_err(|e| DeskError::io(format!("Could not write into {}", dir.display()), e))?;
        serde_json::to_writer_pretty(&mut tmp, &doc)?;
        std::io::Write::flush(&mut tmp)
            .map_err(|e| DeskError::io("Could not write the recording", e))?;
        tmp.persist(path)
            .map_err(|e| DeskError::io(format!("Could not save {}", path.display()), e.error))?;
        Ok(n)
    }
}

impl penneo::observe::ExchangeObserver for Recorder {
    fn enabled(&self) -> bool {
        self.on.load(Ordering::Relaxed)
    }

    fn exchange(&self, e: penneo::observe::Exchange) {
        if !self.enabled() {
            return;
        }
        let entry = redact_exchange(&e);
        let mut st = self.state();
        if st.entries.len() >= MAX_EXCHANGES {
            st.entries.pop_front();
        }
        st.entries.push_back(entry);
    }
}

/// One exchange, redacted.
pub fn redact_exchange(e: &penneo::observe::Exchange) -> Value {
    json!({
        "operation": e.operation,
        "method": e.method,
        "url": redact_url(e.url.as_str()),
        "status": e.status,
        "durationMs": e.duration.as_millis() as u64,
        "error": e.error.as_deref().map(mask_text),
        "request": {"headers": redact_headers(&e.request_headers), "body": redact_body(&e.request_body)},
        "response": {"headers": redact_headers(&e.response_headers), "body": redact_body(&e.response_body)},
    })
}

const SECRET_HEADERS: &[&str] = &[
    "authorization",
    "proxy-authorization",
    "x-auth-token",
    "cookie",
    "set-cookie",
    "x-wsse",
    "penneo-api-user",
];

fn redact_headers(h: &[(String, String)]) -> Value {
    let mut m = Map::new();
    for (k, v) in h {
        let k = k.to_ascii_lowercase();
        let v = if SECRET_HEADERS.contains(&k.as_str()) {
            redacted(v)
        } else if k == "location" || k == "link" || k == "content-location" {
            redact_links(v)
        } else {
            v.clone()
        };
        m.insert(k, Value::String(v));
    }
    Value::Object(m)
}

/// `<…>` groups in a Link header, or a bare URL.
fn redact_links(v: &str) -> String {
    if !v.contains('<') {
        return redact_url(v);
    }
    let mut out = String::new();
    let mut rest = v;
    while let Some(start) = rest.find('<') {
        out.push_str(&rest[..=start]);
        let after = &rest[start + 1..];
        let end = after.find('>').unwrap_or(after.len());
        out.push_str(&redact_url(&after[..end]));
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

fn redact_body(b: &penneo::observe::Body) -> Value {
    match b {
        penneo::observe::Body::None => Value::Null,
        penneo::observe::Body::Json(v) => redact_value(None, v, false),
        penneo::observe::Body::Omitted { content_type, size } => json!({
            "notRecorded": true, "contentType": content_type, "size": size,
        }),
    }
}

/// `<redacted:N chars>`.
pub fn redacted(s: &str) -> String {
    format!("<redacted:{} chars>", s.chars().count())
}

/// Keys whose string value is a secret, compared lower-case without `_`/`-`.
pub(crate) fn is_secret_key(k: &str) -> bool {
    const EXACT: &[&str] = &[
        "code",
        "state",
        "nonce",
        "digest",
        "key",
        "apikey",
        "codeverifier",
        "codechallenge",
        "password",
        "authorization",
        "signature",
        "content",
        "payloadhash",
        "accesscontrol",
    ];
    let n = folded_key(k);
    EXACT.contains(&n.as_str())
        || n.contains("token")
        || n.contains("secret")
        || n.contains("password")
        || n.ends_with("signature")
}

/// A JSON key folded for matching: `access_token`, `access-token` and `accessToken` alike.
fn folded_key(k: &str) -> String {
    k.chars()
        .filter(|c| *c != '_' && *c != '-')
        .collect::<String>()
        .to_ascii_lowercase()
}

/// Keys whose value is structure, not content: kept as sent (e-mail addresses in them are
/// still replaced).
fn is_kept_key(k: &str) -> bool {
    const EXACT: &[&str] = &[
        "id",
        "uuid",
        "status",
        "jobstatus",
        "type",
        "types",
        "fieldtype",
        "layout",
        "operator",
        "language",
        "format",
        "slug",
        "version",
        "contenttype",
        "sort",
        "error",
        "statuscode",
        "tokentype",
        "scope",
        "granttype",
        "mapto",
        "method",
        "kind",
        "label",
        "field",
        "sectionslug",
        "signable",
        "visibilitymode",
        "documentdisplaymode",
        "ssntype",
        "securesigningmethods",
        "insecuresigningmethods",
        "emailformat",
        "sdkclassname",
        "countrycodes",
        "multipleentries",
        "required",
        "editable",
        "operation",
        "expiresin",
    ];
    let n = folded_key(k);
    EXACT.contains(&n.as_str())
        || n.ends_with("id")
        || n.ends_with("ids")
        || n.ends_with("uuid")
        || n.ends_with("at")
        || n.ends_with("date")
        || n.ends_with("order")
        || n.ends_with("count")
        || n.ends_with("size")
        || n == "created"
        || n == "updated"
        || n == "modified"
        || n == "completed"
        || n == "activated"
        || n == "expireat"
}

fn is_url_key(k: &str) -> bool {
    let n = k.to_ascii_lowercase();
    n.ends_with("url") || n.ends_with("link") || n == "href" || n == "uri" || n.ends_with("uri")
}

/// A JSON value, redacted by its key and its place. `in_answer`: under a `value`/`values`
/// key, where even numbers are someone's data.
fn redact_value(key: Option<&str>, v: &Value, in_answer: bool) -> Value {
    match v {
        Value::Object(o) => {
            // An entry that describes a field (`{name, type, …}`) names the field, not a person.
            let field_like = o.contains_key("type") && o.contains_key("label");
            let mut out = Map::new();
            for (k, val) in o {
                let answer = in_answer || matches!(k.as_str(), "value" | "values");
                let redacted = if k == "name" && field_like && val.is_string() && !in_answer {
                    val.clone()
                } else {
                    redact_value(Some(k), val, answer)
                };
                out.insert(k.clone(), redacted);
            }
            Value::Object(out)
        }
        Value::Array(a) => {
            Value::Array(a.iter().map(|x| redact_value(key, x, in_answer)).collect())
        }
        Value::String(s) => Value::String(redact_string(key, s, in_answer)),
        Value::Number(n) if in_answer => {
            let digits = n
                .to_string()
                .chars()
                .filter(char::is_ascii_digit)
                .count()
                .max(1);
            Value::String("0".repeat(digits))
        }
        other => other.clone(),
    }
}

fn redact_string(key: Option<&str>, s: &str, in_answer: bool) -> String {
    if let Some(k) = key {
        if is_secret_key(k) {
            return redacted(s);
        }
        if !in_answer && is_url_key(k) {
            return redact_url(s);
        }
        if !in_answer && is_kept_key(k) {
            return if looks_like_email(s) {
                mask_email(s)
            } else {
                s.to_string()
            };
        }
    }
    mask_text(s)
}

pub(crate) fn looks_like_email(s: &str) -> bool {
    let t = s.trim();
    match t.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty() && domain.contains('.') && !t.contains(char::is_whitespace)
        }
        None => false,
    }
}

pub(crate) fn mask_email(s: &str) -> String {
    let local = s.trim().split_once('@').map_or("", |(l, _)| l);
    format!(
        "{}@example.invalid",
        "x".repeat(local.chars().count().max(1))
    )
}

/// Free text with its shape kept: e-mail addresses as `xxx@example.invalid`, letters as
/// `x`/`X`, digits as `0`; spaces and punctuation stay.
pub fn mask_text(s: &str) -> String {
    s.split_inclusive(char::is_whitespace)
        .map(|word| {
            let trimmed = word.trim_end();
            let tail = &word[trimmed.len()..];
            let core = trimmed.trim_matches(|c: char| {
                matches!(c, '<' | '>' | '(' | ')' | ',' | ';' | '"' | '\'')
            });
            if looks_like_email(core) {
                let start = trimmed.find(core).unwrap_or(0);
                format!(
                    "{}{}{}{}",
                    &trimmed[..start],
                    mask_email(core),
                    &trimmed[start + core.len()..],
                    tail
                )
            } else {
                let masked: String = trimmed
                    .chars()
                    .map(|c| {
                        if c.is_ascii_digit() {
                            '0'
                        } else if c.is_alphabetic() {
                            if c.is_uppercase() {
                                'X'
                            } else {
                                'x'
                            }
                        } else {
                            c
                        }
                    })
                    .collect();
                format!("{masked}{tail}")
            }
        })
        .collect()
}

/// A URL: scheme, host and port kept; a path segment of 16+ characters (a token) becomes
/// `redacted-N-chars`,
/// shorter ones kept (ids, names of endpoints); query values redacted except paging and dates.
pub fn redact_url(s: &str) -> String {
    let Ok(mut u) = url::Url::parse(s) else {
        return mask_text(s);
    };
    if u.password().is_some() {
        let _ = u.set_password(Some("redacted"));
    }
    if !u.username().is_empty() {
        let _ = u.set_username("redacted");
    }
    let segs: Option<Vec<String>> = u.path_segments().map(|p| {
        p.map(|seg| {
            if seg.len() >= 16 && !seg.contains('.') {
                // URL-safe form of the placeholder.
                format!("redacted-{}-chars", seg.chars().count())
            } else {
                seg.to_string()
            }
        })
        .collect()
    });
    if let Some(segs) = segs {
        if let Ok(mut p) = u.path_segments_mut() {
            p.clear().extend(segs.iter().map(String::as_str));
        }
    }
    const KEEP: &[&str] = &[
        "limit",
        "offset",
        "page",
        "per_page",
        "perPage",
        "sort",
        "status",
        "signed",
        "decrypt",
        "publish",
        "completedAfter",
        "completedBefore",
        "updatedAfter",
        "updatedBefore",
        "createdAfter",
        "createdBefore",
        "response_type",
        "code_challenge_method",
        "client_id",
        "redirect_uri",
        "error",
    ];
    let pairs: Vec<(String, String)> = u
        .query_pairs()
        .map(|(k, v)| {
            let v = if KEEP.contains(&k.as_ref()) {
                v.into_owned()
            } else if is_secret_key(&k) || v.len() >= 16 {
                redacted(&v)
            } else {
                mask_text(&v)
            };
            (k.into_owned(), v)
        })
        .collect();
    if pairs.is_empty() {
        u.set_query(None);
    } else {
        u.query_pairs_mut().clear().extend_pairs(pairs);
    }
    u.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_are_kept_and_content_is_not() {
        assert_eq!(mask_text("Ida Holm"), "Xxx Xxxx");
        assert_eq!(mask_text("010203-1234"), "000000-0000");
        assert_eq!(mask_text("DK12345678"), "XX00000000");
        assert_eq!(
            mask_text("Ida <ida.holm@firma.dk>"),
            "Xxx <xxxxxxxx@example.invalid>"
        );
        assert_eq!(mask_email("ida@x.dk"), "xxx@example.invalid");
        assert_eq!(redacted("sim_at_abc"), "<redacted:10 chars>");
        let v = json!({
            "access_token": "sim_at_1234567890",
            "expires_in": 600,
            "signers": [{"id": 7, "name": "Ida Holm", "signingRequest": {"id": 9, "email": "ida@firma.dk", "status": 4}}],
            "sections": [{"slug": "contact", "title": "Kontakt", "answers": [
                {"name": "cpr", "label": "CPR", "type": "NIN", "value": "010203-1234"},
                {"name": "employees", "label": "Employees", "type": "NUMBER", "value": 42}
            ]}],
            "respondents": [{"name": "Ida Holm", "email": "ida@firma.dk"}],
            "requestUrl": "https://sandbox.penneo.com/collect/r/abcdefghijklmnopqrstuvwxyz?lang=da",
            "createdAt": "2026-03-01T10:00:00Z",
        });
        let r = redact_value(None, &v, false);
        assert_eq!(r["access_token"], "<redacted:17 chars>");
        assert_eq!(r["expires_in"], 600);
        assert_eq!(r["signers"][0]["id"], 7);
        assert_eq!(r["signers"][0]["name"], "Xxx Xxxx");
        assert_eq!(
            r["signers"][0]["signingRequest"]["email"],
            "xxx@example.invalid"
        );
        assert_eq!(r["signers"][0]["signingRequest"]["status"], 4);
        assert_eq!(r["sections"][0]["slug"], "contact");
        assert_eq!(r["sections"][0]["answers"][0]["name"], "cpr");
        assert_eq!(r["sections"][0]["answers"][0]["label"], "CPR");
        assert_eq!(r["sections"][0]["answers"][0]["value"], "000000-0000");
        assert_eq!(r["sections"][0]["answers"][1]["value"], "00");
        assert_eq!(r["respondents"][0]["name"], "Xxx Xxxx");
        assert_eq!(r["respondents"][0]["email"], "xxx@example.invalid");
        assert_eq!(r["createdAt"], "2026-03-01T10:00:00Z");
        let url = r["requestUrl"].as_str().unwrap();
        assert!(
            url.starts_with("https://sandbox.penneo.com/collect/r/redacted-26-chars?"),
            "{url}"
        );
        assert!(url.ends_with("lang=xx"), "{url}");
    }

    #[test]
    fn headers_and_urls() {
        let h = redact_headers(&[
            ("Authorization".into(), "Bearer sim_at_secret".into()),
            ("X-Auth-Token".into(), "tok".into()),
            ("content-type".into(), "application/json".into()),
            (
                "location".into(),
                "http://127.0.0.1:8765/callback?code=sim_code_abcdefghijklmnop&state=xyz".into(),
            ),
        ]);
        assert_eq!(h["authorization"], "<redacted:20 chars>");
        assert_eq!(h["x-auth-token"], "<redacted:3 chars>");
        assert_eq!(h["content-type"], "application/json");
        let loc = h["location"].as_str().unwrap();
        assert!(!loc.contains("sim_code_") && !loc.contains("xyz"), "{loc}");
        let u = redact_url("http://127.0.0.1:9/collect/api/v1/forms/f1/submissions?limit=500&offset=0&completedAfter=2026-01-01T00:00:00Z");
        assert!(
            u.ends_with("limit=500&offset=0&completedAfter=2026-01-01T00%3A00%3A00Z"),
            "{u}"
        );
    }
}

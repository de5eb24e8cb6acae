//! Request helpers shared by the API modules: body reading, query parsing, text helpers.

use axum::body::Body;
use axum::http::{header, HeaderMap, StatusCode};
use serde_json::Value;

use crate::error::{ApiError, ApiResult, Flavor};

/// Largest JSON body accepted by JSON endpoints.
pub const JSON_LIMIT: usize = 2 * 1024 * 1024;

/// Read the whole body (up to `limit` bytes).
pub async fn read_body(body: Body, limit: usize, flavor: Flavor) -> ApiResult<bytes::Bytes> {
    axum::body::to_bytes(body, limit).await.map_err(|e| {
        let too_big = std::error::Error::source(&e)
            .map(|s| s.to_string().contains("length limit"))
            .unwrap_or(false)
            || e.to_string().contains("length limit");
        if too_big {
            ApiError::rest(
                StatusCode::PAYLOAD_TOO_LARGE,
                format!("Request body is larger than {limit} bytes"),
            )
            .with_flavor(flavor)
        } else {
            ApiError::bad_request(format!("Could not read the request body: {e}"))
                .with_flavor(flavor)
        }
    })
}

pub fn content_type(headers: &HeaderMap) -> String {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

pub fn is_json_type(ct: &str) -> bool {
    ct == "application/json" || (ct.starts_with("application/") && ct.ends_with("+json"))
}

/// Read a JSON body: requires a JSON content type (415 otherwise), valid JSON (400).
pub async fn read_json(headers: &HeaderMap, body: Body) -> ApiResult<Value> {
    let ct = content_type(headers);
    if !is_json_type(&ct) {
        return Err(ApiError::rest(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            format!(
                "Content-Type must be application/json (got '{}')",
                if ct.is_empty() { "none" } else { &ct }
            ),
        ));
    }
    let bytes = read_body(body, JSON_LIMIT, Flavor::Rest).await?;
    serde_json::from_slice(&bytes)
        .map_err(|e| ApiError::bad_request(format!("Malformed JSON body: {e}")))
}

/// Read a JSON body that may be empty (an empty body gives `None`).
pub async fn read_optional_json(headers: &HeaderMap, body: Body) -> ApiResult<Option<Value>> {
    let bytes = read_body(body, JSON_LIMIT, Flavor::Rest).await?;
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Ok(None);
    }
    let ct = content_type(headers);
    if !is_json_type(&ct) {
        return Err(ApiError::rest(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "Content-Type must be application/json",
        ));
    }
    serde_json::from_slice(&bytes)
        .map(Some)
        .map_err(|e| ApiError::bad_request(format!("Malformed JSON body: {e}")))
}

/// Parse a query string into ordered pairs (400 on malformed input).
pub fn query_pairs(raw: Option<&str>) -> ApiResult<Vec<(String, String)>> {
    match raw {
        None => Ok(Vec::new()),
        Some(q) => serde_urlencoded::from_str::<Vec<(String, String)>>(q)
            .map_err(|e| ApiError::bad_request(format!("Malformed query string: {e}"))),
    }
}

pub fn query_get<'a>(pairs: &'a [(String, String)], key: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
}

/// Parse an integer query parameter within bounds.
pub fn query_int(
    pairs: &[(String, String)],
    key: &str,
    min: i64,
    max: i64,
) -> ApiResult<Option<i64>> {
    match query_get(pairs, key) {
        None => Ok(None),
        Some(v) => match v.trim().parse::<i64>() {
            Ok(n) if n >= min && n <= max => Ok(Some(n)),
            _ => Err(ApiError::bad_request(format!(
                "Query parameter '{key}' must be an integer between {min} and {max} (got '{v}')"
            ))),
        },
    }
}

pub fn is_true_flag(pairs: &[(String, String)], key: &str) -> ApiResult<bool> {
    match query_get(pairs, key) {
        None => Ok(false),
        Some("true") | Some("1") | Some("") => Ok(true),
        Some("false") | Some("0") => Ok(false),
        Some(v) => Err(ApiError::bad_request(format!(
            "Query parameter '{key}' must be true or false (got '{v}')"
        ))),
    }
}

/// A reasonable e-mail address check (local@domain.tld, no spaces).
pub fn valid_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && local.len() <= 64
        && s.len() <= 254
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && domain.contains('.')
        && !domain.contains("..")
        && !s
            .chars()
            .any(|c| c.is_whitespace() || c == ',' || c == '<' || c == '>')
        && !domain.contains('@')
}

/// Escape text for HTML.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// Text of a JSON value for display.
pub fn value_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        Value::Array(a) => a.iter().map(value_text).collect::<Vec<_>>().join(", "),
        Value::Object(o) if o.get("filename").is_some_and(Value::is_string) => o
            .get("filename")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string(),
        other => other.to_string(),
    }
}

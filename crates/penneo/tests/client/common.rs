use std::time::Duration;

use penneo::{Credentials, Environment, Penneo, RetryPolicy, Secret, TokenSet};
use url::Url;
use wiremock::MockServer;

pub const ACCESS: &str = "access-1";

pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

pub fn tokens(access: &str, refresh: Option<&str>, expires_in: i64) -> TokenSet {
    serde_json::from_value(serde_json::json!({
        "access_token": access,
        "expires_in": expires_in,
        "access_token_expires_at": now() + expires_in,
        "refresh_token": refresh,
        "refresh_token_expires_at": refresh.map(|_| now() + 86400),
    }))
    .unwrap()
}

pub fn fast_retries() -> RetryPolicy {
    RetryPolicy {
        max_retries: 3,
        base_delay: Duration::from_millis(1),
        max_delay: Duration::from_millis(5),
        max_retry_after: Duration::from_secs(5),
    }
}

pub fn env(server: &MockServer) -> Environment {
    Environment::custom_single(Url::parse(&server.uri()).unwrap())
}

/// A client signed in with a valid access token `access-1` and refresh token `refresh-1`.
pub fn client(server: &MockServer) -> Penneo {
    Penneo::builder()
        .environment(env(server))
        .credentials(Credentials::oauth(
            "client-1",
            Secret::new("client-secret-1"),
        ))
        .tokens(tokens(ACCESS, Some("refresh-1"), 600))
        .retry_policy(fast_retries())
        .build()
        .unwrap()
}

pub fn token_response(access: &str, refresh: Option<&str>) -> serde_json::Value {
    let mut v = serde_json::json!({
        "access_token": access,
        "expires_in": 600,
        "access_token_expires_at": now() + 600,
    });
    if let Some(r) = refresh {
        v["refresh_token"] = r.into();
        v["refresh_token_expires_at"] = (now() + 86400).into();
    }
    v
}

/// Parsed multipart part.
#[derive(Debug)]
pub struct PartData {
    pub name: String,
    pub filename: Option<String>,
    pub content_type: Option<String>,
    pub body: Vec<u8>,
}

fn find(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    hay[from..]
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}

/// Minimal multipart/form-data parser for assertions.
pub fn parse_multipart(content_type: &str, body: &[u8]) -> Vec<PartData> {
    let boundary = content_type
        .split("boundary=")
        .nth(1)
        .expect("boundary")
        .trim_matches('"');
    let delim = format!("--{boundary}");
    let mut parts = Vec::new();
    let mut pos = find(body, delim.as_bytes(), 0).expect("first boundary") + delim.len();
    loop {
        if body[pos..].starts_with(b"--") {
            break;
        }
        pos += 2; // CRLF
        let head_end = find(body, b"\r\n\r\n", pos).expect("headers end");
        let head = String::from_utf8_lossy(&body[pos..head_end]).to_string();
        let next = find(body, format!("\r\n{delim}").as_bytes(), head_end).expect("next boundary");
        let content = body[head_end + 4..next].to_vec();
        let mut name = String::new();
        let mut filename = None;
        let mut ctype = None;
        for line in head.split("\r\n") {
            let lower = line.to_ascii_lowercase();
            if lower.starts_with("content-disposition") {
                for item in line.split(';') {
                    let item = item.trim();
                    if let Some(v) = item.strip_prefix("name=") {
                        name = v.trim_matches('"').to_owned();
                    }
                    if let Some(v) = item.strip_prefix("filename=") {
                        filename = Some(v.trim_matches('"').to_owned());
                    }
                }
            } else if lower.starts_with("content-type") {
                ctype = Some(line.split(':').nth(1).unwrap().trim().to_owned());
            }
        }
        parts.push(PartData {
            name,
            filename,
            content_type: ctype,
            body: content,
        });
        pos = next + 2 + delim.len();
    }
    parts
}

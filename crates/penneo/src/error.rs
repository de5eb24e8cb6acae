//! The one error type of this crate.

use std::time::Duration;

use reqwest::header::HeaderMap;
use reqwest::StatusCode;

/// Everything a Penneo call can fail with.
///
/// No variant ever carries a secret: response snippets from the OAuth endpoints are not kept,
/// and request bodies are never echoed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// No usable credentials: there is no session, the refresh token was rejected, or the
    /// server answered `401` twice. The user has to sign in again.
    #[error("sign-in required")]
    SignInRequired,
    /// `403`: the account may not do this.
    #[error("forbidden{}", fmt_msg(.message))]
    Forbidden {
        /// Penneo's message, when it sent one.
        message: Option<String>,
    },
    /// `404` on a published endpoint.
    #[error("not found{}", fmt_msg(.message))]
    NotFound {
        /// Penneo's message, when it sent one.
        message: Option<String>,
    },
    /// `404` (without a Penneo error body) on an endpoint whose path this project assumed.
    #[error("{operation} is not supported by this Penneo server")]
    NotSupported {
        /// Name of the operation in the endpoint table.
        operation: &'static str,
    },
    /// `400`/`422`, or a request this client refused to send.
    #[error("invalid input: {message}{}", .field.as_deref().map(|f| format!(" (field: {f})")).unwrap_or_default())]
    InvalidInput {
        /// Penneo's message (or ours, for a local check).
        message: String,
        /// The field the message names, when it names one.
        field: Option<String>,
    },
    /// `409`.
    #[error("conflict{}", fmt_msg(.message))]
    Conflict {
        /// Penneo's message, when it sent one.
        message: Option<String>,
    },
    /// `429`.
    #[error("rate limited{}", .retry_after.map(|d| format!(", retry after {} s", d.as_secs())).unwrap_or_default())]
    RateLimited {
        /// The `Retry-After` the server sent.
        retry_after: Option<Duration>,
    },
    /// A `5xx`.
    #[error("Penneo server error {status}{}", fmt_msg(.message))]
    Server {
        /// HTTP status.
        status: u16,
        /// Penneo's message, when it sent one.
        message: Option<String>,
    },
    /// The OAuth server refused a grant (`{error, error_description}`).
    #[error("authorization failed: {error}{}", fmt_msg(.description))]
    OAuth {
        /// The OAuth `error` code, e.g. `invalid_grant`.
        error: String,
        /// `error_description`.
        description: Option<String>,
    },
    /// Connecting, sending or receiving failed.
    #[error("network error: {message}")]
    Network {
        /// What went wrong (no URL query, no secrets).
        message: String,
        /// True when the connection was never established (nothing reached the server).
        connect: bool,
    },
    /// A connect or read timeout.
    #[error("timed out")]
    Timeout,
    /// A polling loop (e.g. [`crate::jobs::JobsHandler::wait`]) reached its deadline.
    #[error("deadline exceeded while waiting for {what}")]
    DeadlineExceeded {
        /// What was being waited for.
        what: String,
    },
    /// A response that does not fit the contract.
    #[error("unexpected response {status}: {snippet}")]
    Unexpected {
        /// HTTP status.
        status: u16,
        /// The start of the body (never from OAuth endpoints).
        snippet: String,
    },
    /// A local file could not be read or a download could not be written.
    #[error("I/O error on {path}: {source}")]
    Io {
        /// The path or target involved.
        path: String,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// The client was configured wrongly.
    #[error("configuration error: {0}")]
    Config(String),
}

fn fmt_msg(m: &Option<String>) -> String {
    m.as_deref().map(|m| format!(": {m}")).unwrap_or_default()
}

/// Shorthand for this crate's results.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// True for errors that may go away when the same call is made again later (network,
    /// timeouts, `5xx`, `429`). Non-idempotent calls are never retried automatically; the caller
    /// decides (after reconciling).
    pub fn is_retryable(&self) -> bool {
        matches!(
            self,
            Error::Network { .. }
                | Error::Timeout
                | Error::RateLimited { .. }
                | Error::Server { .. }
        )
    }

    /// The retry delay the server asked for, if any.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Error::RateLimited { retry_after } => *retry_after,
            _ => None,
        }
    }

    pub(crate) fn from_reqwest(e: reqwest::Error) -> Self {
        if e.is_timeout() {
            return Error::Timeout;
        }
        let connect = e.is_connect();
        // Drop the URL: it never holds a secret here, but it is noise in a UI message.
        let e = e.without_url();
        let mut message = e.to_string();
        let mut src = std::error::Error::source(&e);
        while let Some(s) = src {
            message.push_str(": ");
            message.push_str(&s.to_string());
            src = s.source();
        }
        Error::Network { message, connect }
    }

    pub(crate) fn decode(status: StatusCode, body: &[u8], e: &serde_json::Error) -> Self {
        Error::Unexpected {
            status: status.as_u16(),
            snippet: format!("cannot decode ({e}): {}", snippet(body)),
        }
    }
}

/// How to interpret an error response.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ErrorContext {
    pub operation: &'static str,
    pub assumed: bool,
    /// OAuth endpoints: never keep a body snippet (it may echo a secret).
    pub sensitive: bool,
}

/// The error bodies Penneo documents: OAuth `{error, error_description}` and
/// Send/Collect/Sign `{error, message, statusCode}` (job 404: `{message, statusCode}`).
#[derive(Debug, Default, serde::Deserialize)]
pub(crate) struct ErrorBody {
    #[serde(default)]
    pub error: Option<serde_json::Value>,
    #[serde(default)]
    pub error_description: Option<String>,
    #[serde(default)]
    pub message: Option<serde_json::Value>,
    #[serde(default)]
    pub field: Option<String>,
    #[serde(default, rename = "statusCode")]
    pub _status_code: Option<serde_json::Value>,
}

fn value_text(v: &serde_json::Value) -> Option<String> {
    match v {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Null => None,
        serde_json::Value::Array(a) => {
            let parts: Vec<String> = a.iter().filter_map(value_text).collect();
            if parts.is_empty() {
                None
            } else {
                Some(parts.join("; "))
            }
        }
        other => Some(other.to_string()),
    }
}

pub(crate) fn snippet(body: &[u8]) -> String {
    const MAX: usize = 300;
    let text = String::from_utf8_lossy(&body[..body.len().min(MAX * 4)]);
    let mut s: String = text.chars().take(MAX).collect();
    if text.chars().count() > MAX {
        s.push('…');
    }
    s
}

/// Parses `Retry-After` (delta seconds or an HTTP date).
pub(crate) fn parse_retry_after(headers: &HeaderMap) -> Option<Duration> {
    let v = headers
        .get(reqwest::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim();
    if let Ok(secs) = v.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let when = httpdate::parse_http_date(v).ok()?;
    Some(
        when.duration_since(std::time::SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
}

/// Finds the field a validation message names: an explicit `field` key, or a quoted name after
/// the word "field" (`field 'email'`, `field "email"`, `field \`email\``).
pub(crate) fn field_from_message(message: &str) -> Option<String> {
    let lower = message.to_ascii_lowercase();
    let idx = lower.find("field")?;
    let rest = &message[idx + "field".len()..];
    let rest = rest.trim_start_matches(|c: char| c == 's' || c == ':' || c.is_whitespace());
    let quote = rest.chars().next()?;
    if matches!(quote, '\'' | '"' | '`') {
        let inner = &rest[quote.len_utf8()..];
        let end = inner.find(quote)?;
        let name = &inner[..end];
        (!name.is_empty()).then(|| name.to_owned())
    } else {
        let name: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '.')
            .collect();
        let name = name.trim_end_matches('.');
        (!name.is_empty() && name.chars().next().is_some_and(|c| c.is_ascii_lowercase()))
            .then(|| name.to_owned())
    }
}

/// True for a router's "this path does not exist" message rather than a missing record:
/// NestJS answers an unknown route `404 {"message":"Cannot GET /path","error":"Not Found",
/// "statusCode":404}` (any method); other routers say "No route for GET /path".
pub(crate) fn is_no_route_message(message: &str) -> bool {
    const METHODS: &[&str] = &["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];
    let m = message.trim();
    if let Some(rest) = m.strip_prefix("Cannot ") {
        if let Some((method, path)) = rest.split_once(' ') {
            return METHODS.contains(&method) && path.starts_with('/');
        }
        return false;
    }
    m.to_ascii_lowercase().contains("no route")
}

/// True when an error body's message says the access token itself was refused (Penneo's Send
/// API: `400 {"message": "Invalid JWT token: …"}`), as opposed to a problem with the request.
pub(crate) fn names_bad_token(body: &[u8]) -> bool {
    let Ok(parsed) = serde_json::from_slice::<ErrorBody>(body) else {
        return false;
    };
    let Some(m) = parsed.message.as_ref().and_then(value_text) else {
        return false;
    };
    let m = m.to_ascii_lowercase();
    m.contains("jwt")
        || (m.contains("token")
            && ["invalid", "expired", "missing", "malformed"]
                .iter()
                .any(|w| m.contains(w)))
}

/// Maps a non-success response to an [`Error`].
pub(crate) fn from_response(
    status: StatusCode,
    headers: &HeaderMap,
    body: &[u8],
    ctx: ErrorContext,
) -> Error {
    let parsed: Option<ErrorBody> = serde_json::from_slice(body).ok();
    let is_oauth_shape = parsed.as_ref().is_some_and(|b| {
        b.error_description.is_some() || (b.message.is_none() && b.error.is_some())
    });
    let message = parsed.as_ref().and_then(|b| {
        b.message
            .as_ref()
            .and_then(value_text)
            .or_else(|| b.error_description.clone())
            .or_else(|| b.error.as_ref().and_then(value_text))
    });
    // OAuth endpoints report grant problems as {error, error_description}.
    if ctx.sensitive
        && is_oauth_shape
        && status.is_client_error()
        && status != StatusCode::TOO_MANY_REQUESTS
    {
        let b = parsed.unwrap_or_default();
        return Error::OAuth {
            error: b
                .error
                .as_ref()
                .and_then(value_text)
                .unwrap_or_else(|| "unknown_error".into()),
            description: b.error_description,
        };
    }
    match status.as_u16() {
        401 => Error::SignInRequired,
        403 => Error::Forbidden { message },
        404 => {
            // A router saying the path does not exist (NestJS "Cannot GET /…", or "No route
            // for …") means this server has no such endpoint, published or not. A 404 with no
            // Penneo error body says the same, but only on a path this project assumed (on a
            // published one it may just be a missing record behind a bare proxy).
            let no_body = parsed
                .as_ref()
                .is_none_or(|b| b.message.is_none() && b.error.is_none());
            let no_route = message.as_deref().is_some_and(is_no_route_message);
            if no_route || (ctx.assumed && no_body) {
                Error::NotSupported {
                    operation: ctx.operation,
                }
            } else {
                Error::NotFound { message }
            }
        }
        405 | 501 if ctx.assumed => Error::NotSupported {
            operation: ctx.operation,
        },
        409 => Error::Conflict { message },
        400 | 422 => {
            let field = parsed
                .as_ref()
                .and_then(|b| b.field.clone())
                .or_else(|| message.as_deref().and_then(field_from_message));
            let message = message.unwrap_or_else(|| {
                if ctx.sensitive {
                    format!("HTTP {}", status.as_u16())
                } else {
                    snippet(body)
                }
            });
            Error::InvalidInput { message, field }
        }
        429 => Error::RateLimited {
            retry_after: parse_retry_after(headers),
        },
        s if (500..600).contains(&s) => Error::Server { status: s, message },
        s => Error::Unexpected {
            status: s,
            snippet: if ctx.sensitive {
                message.unwrap_or_default()
            } else {
                snippet(body)
            },
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx(assumed: bool) -> ErrorContext {
        ErrorContext {
            operation: "list_forms",
            assumed,
            sensitive: false,
        }
    }

    #[test]
    fn send_error_body_is_invalid_input() {
        let body = br#"{"error":"Bad Request","message":"documents[0].name: field 'name' must match a file","statusCode":400}"#;
        match from_response(StatusCode::BAD_REQUEST, &HeaderMap::new(), body, ctx(false)) {
            Error::InvalidInput { message, field } => {
                assert!(message.starts_with("documents[0].name"));
                assert_eq!(field.as_deref(), Some("name"));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn explicit_field_key_wins() {
        let body =
            br#"{"error":"Bad Request","message":"bad","field":"contact.email","statusCode":400}"#;
        match from_response(StatusCode::BAD_REQUEST, &HeaderMap::new(), body, ctx(false)) {
            Error::InvalidInput { field, .. } => {
                assert_eq!(field.as_deref(), Some("contact.email"))
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn assumed_404_without_body_is_not_supported() {
        let e = from_response(StatusCode::NOT_FOUND, &HeaderMap::new(), b"", ctx(true));
        assert!(matches!(
            e,
            Error::NotSupported {
                operation: "list_forms"
            }
        ));
        assert!(e
            .to_string()
            .contains("not supported by this Penneo server"));
        let e = from_response(
            StatusCode::NOT_FOUND,
            &HeaderMap::new(),
            br#"{"message":"Form not found","statusCode":404}"#,
            ctx(true),
        );
        assert!(matches!(e, Error::NotFound { message: Some(ref m) } if m == "Form not found"));
        let e = from_response(StatusCode::NOT_FOUND, &HeaderMap::new(), b"", ctx(false));
        assert!(matches!(e, Error::NotFound { message: None }));
        let body = br#"{"error":"Not Found","message":"No route for GET /collect/api/v1/forms","statusCode":404}"#;
        let e = from_response(StatusCode::NOT_FOUND, &HeaderMap::new(), body, ctx(true));
        assert!(matches!(e, Error::NotSupported { .. }), "{e:?}");
    }

    #[test]
    fn nestjs_unknown_route_is_not_supported() {
        let body = br#"{"message":"Cannot GET /collect/api/v1/forms","error":"Not Found","statusCode":404}"#;
        for assumed in [true, false] {
            let e = from_response(StatusCode::NOT_FOUND, &HeaderMap::new(), body, ctx(assumed));
            assert!(
                matches!(
                    e,
                    Error::NotSupported {
                        operation: "list_forms"
                    }
                ),
                "assumed={assumed}: {e:?}"
            );
        }
        let body = br#"{"message":"Cannot PATCH /api/v1/signingrequests/9/send","error":"Not Found","statusCode":404}"#;
        let e = from_response(StatusCode::NOT_FOUND, &HeaderMap::new(), body, ctx(false));
        assert!(matches!(e, Error::NotSupported { .. }), "{e:?}");
        // A record that is missing is not a missing route, even when it says "Cannot".
        for msg in [
            "Cannot find form f1",
            "Cannot GET it",
            "Cannot FETCH /x",
            "Form not found",
        ] {
            let body = serde_json::to_vec(&serde_json::json!({
                "message": msg, "error": "Not Found", "statusCode": 404
            }))
            .unwrap();
            let e = from_response(StatusCode::NOT_FOUND, &HeaderMap::new(), &body, ctx(true));
            assert!(matches!(e, Error::NotFound { .. }), "{msg}: {e:?}");
        }
    }

    #[test]
    fn job_not_found_body() {
        let e = from_response(
            StatusCode::NOT_FOUND,
            &HeaderMap::new(),
            br#"{"message":"Job not found","statusCode":404}"#,
            ctx(false),
        );
        assert!(matches!(e, Error::NotFound { message: Some(ref m) } if m == "Job not found"));
    }

    #[test]
    fn retry_after_seconds_and_date() {
        let mut h = HeaderMap::new();
        h.insert(reqwest::header::RETRY_AFTER, "7".parse().unwrap());
        let e = from_response(StatusCode::TOO_MANY_REQUESTS, &h, b"", ctx(false));
        assert_eq!(e.retry_after(), Some(Duration::from_secs(7)));
        assert!(e.is_retryable());
        let future = std::time::SystemTime::now() + Duration::from_secs(120);
        h.insert(
            reqwest::header::RETRY_AFTER,
            httpdate::fmt_http_date(future).parse().unwrap(),
        );
        let d = parse_retry_after(&h).unwrap();
        assert!(d > Duration::from_secs(100) && d <= Duration::from_secs(120));
    }

    #[test]
    fn oauth_body_on_sensitive_endpoint() {
        let ctx = ErrorContext {
            operation: "token",
            assumed: false,
            sensitive: true,
        };
        let e = from_response(
            StatusCode::BAD_REQUEST,
            &HeaderMap::new(),
            br#"{"error":"invalid_grant","error_description":"Refresh token expired"}"#,
            ctx,
        );
        match e {
            Error::OAuth { error, description } => {
                assert_eq!(error, "invalid_grant");
                assert_eq!(description.as_deref(), Some("Refresh token expired"));
            }
            other => panic!("{other:?}"),
        }
        // A 5xx from the token endpoint with a body must not leak the body.
        let e = from_response(
            StatusCode::IM_A_TEAPOT,
            &HeaderMap::new(),
            b"access_token=abc",
            ctx,
        );
        assert!(!e.to_string().contains("abc"));
    }

    #[test]
    fn status_classes() {
        let h = HeaderMap::new();
        assert!(matches!(
            from_response(StatusCode::FORBIDDEN, &h, b"", ctx(false)),
            Error::Forbidden { .. }
        ));
        assert!(matches!(
            from_response(StatusCode::CONFLICT, &h, b"", ctx(false)),
            Error::Conflict { .. }
        ));
        assert!(matches!(
            from_response(StatusCode::UNAUTHORIZED, &h, b"", ctx(false)),
            Error::SignInRequired
        ));
        let e = from_response(StatusCode::BAD_GATEWAY, &h, b"<html>", ctx(false));
        assert!(matches!(e, Error::Server { status: 502, .. }) && e.is_retryable());
        let e = from_response(StatusCode::IM_A_TEAPOT, &h, b"teapot body", ctx(false));
        assert!(
            matches!(e, Error::Unexpected { status: 418, ref snippet } if snippet == "teapot body")
        );
        assert!(!e.is_retryable());
    }

    #[test]
    fn field_heuristics() {
        assert_eq!(
            field_from_message("Section 'company': field \"vat_since\" is invalid").as_deref(),
            Some("vat_since")
        );
        assert_eq!(
            field_from_message("unknown field contact_fax in section contact").as_deref(),
            Some("contact_fax")
        );
        assert_eq!(field_from_message("title is required"), None);
    }
}

//! A hook that sees every HTTP exchange this client makes (for a diagnostics recorder).
//!
//! Off by default and cheap when off: the client asks [`ExchangeObserver::enabled`] (one atomic
//! load in a typical observer) before doing anything extra. When it is on, JSON request and
//! response bodies are read whole and handed over; binary bodies (PDFs, uploads) never are —
//! only their size and type. What the observer does with an [`Exchange`] (redact, keep, drop)
//! is up to it: this crate hands over the raw values, including `Authorization` headers and
//! token responses, so an observer must redact before it stores anything.

use std::time::Duration;

use reqwest::header::HeaderMap;

/// One request and its answer (or the error that ended it).
#[derive(Debug, Clone)]
pub struct Exchange {
    /// Operation name from the endpoint table (`token`, `get_casefile`, …).
    pub operation: &'static str,
    /// HTTP method.
    pub method: String,
    /// The full URL called (query included).
    pub url: url::Url,
    /// Request headers as sent (sensitive ones included: redact them).
    pub request_headers: Vec<(String, String)>,
    /// The request body.
    pub request_body: Body,
    /// Response status, when a response came.
    pub status: Option<u16>,
    /// Response headers.
    pub response_headers: Vec<(String, String)>,
    /// The response body.
    pub response_body: Body,
    /// How long it took.
    pub duration: Duration,
    /// The error, when no response came.
    pub error: Option<String>,
}

/// A body as the observer sees it.
#[derive(Debug, Clone, PartialEq)]
pub enum Body {
    /// No body.
    None,
    /// A JSON body, parsed.
    Json(serde_json::Value),
    /// A body that is not recorded: its content type and size (when known).
    Omitted {
        /// `Content-Type`, if any.
        content_type: Option<String>,
        /// Size in bytes, if known.
        size: Option<u64>,
    },
}

/// Receives exchanges. Implementations must be cheap in [`Self::enabled`] and must not block.
pub trait ExchangeObserver: Send + Sync {
    /// Whether exchanges are wanted right now (checked before every call).
    fn enabled(&self) -> bool;
    /// One finished exchange.
    fn exchange(&self, exchange: Exchange);
}

pub(crate) fn headers(h: &HeaderMap) -> Vec<(String, String)> {
    h.iter()
        .map(|(k, v)| {
            (
                k.as_str().to_string(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect()
}

pub(crate) fn is_json(content_type: Option<&str>) -> bool {
    content_type.is_some_and(|c| c.to_ascii_lowercase().contains("json"))
}

/// A body from its bytes: JSON when it parses as JSON, otherwise omitted.
pub(crate) fn body_of(content_type: Option<&str>, bytes: Option<&[u8]>) -> Body {
    match bytes {
        None => Body::Omitted {
            content_type: content_type.map(str::to_string),
            size: None,
        },
        Some([]) => Body::None,
        Some(b) => match serde_json::from_slice(b) {
            Ok(v) if is_json(content_type) || content_type.is_none() => Body::Json(v),
            _ => Body::Omitted {
                content_type: content_type.map(str::to_string),
                size: Some(b.len() as u64),
            },
        },
    }
}

/// Largest response body read whole for an observer (bigger JSON is passed on unread).
const MAX_OBSERVED_BODY: u64 = 8 * 1024 * 1024;

/// Sends `rb` like `RequestBuilder::send`, telling `observer` what went out and what came
/// back. A JSON response is read whole (up to 8 MB) for the observer and handed on as a new
/// response with the same status, headers and bytes; anything else streams on untouched.
pub(crate) async fn send(
    http: &reqwest::Client,
    rb: reqwest::RequestBuilder,
    observer: &dyn ExchangeObserver,
    operation: &'static str,
) -> crate::Result<reqwest::Response> {
    use crate::Error;
    let started = std::time::Instant::now();
    let req = rb.build().map_err(Error::from_reqwest)?;
    let req_ct = req
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let mut ex = Exchange {
        operation,
        method: req.method().to_string(),
        url: req.url().clone(),
        request_headers: headers(req.headers()),
        request_body: match req.body() {
            None => Body::None,
            Some(b) => body_of(req_ct.as_deref(), b.as_bytes()),
        },
        status: None,
        response_headers: Vec::new(),
        response_body: Body::None,
        duration: Default::default(),
        error: None,
    };
    let resp = match http.execute(req).await {
        Ok(r) => r,
        Err(e) => {
            let err = Error::from_reqwest(e);
            ex.error = Some(err.to_string());
            ex.duration = started.elapsed();
            observer.exchange(ex);
            return Err(err);
        }
    };
    let status = resp.status();
    let version = resp.version();
    let resp_headers = resp.headers().clone();
    ex.status = Some(status.as_u16());
    ex.response_headers = headers(&resp_headers);
    let ct = resp_headers
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let small = resp.content_length().is_none_or(|n| n <= MAX_OBSERVED_BODY);
    if !is_json(ct.as_deref()) || !small {
        ex.response_body = Body::Omitted {
            content_type: ct,
            size: resp.content_length(),
        };
        ex.duration = started.elapsed();
        observer.exchange(ex);
        return Ok(resp);
    }
    let bytes = match resp.bytes().await {
        Ok(b) => b,
        Err(e) => {
            let err = Error::from_reqwest(e);
            ex.error = Some(err.to_string());
            ex.duration = started.elapsed();
            observer.exchange(ex);
            return Err(err);
        }
    };
    ex.response_body = body_of(ct.as_deref(), Some(&bytes));
    ex.duration = started.elapsed();
    observer.exchange(ex);
    let mut rebuilt = http::Response::builder().status(status).version(version);
    if let Some(h) = rebuilt.headers_mut() {
        *h = resp_headers;
    }
    let rebuilt = rebuilt
        .body(bytes.to_vec())
        .map_err(|e| Error::Config(format!("could not pass the response on: {e}")))?;
    Ok(reqwest::Response::from(rebuilt))
}

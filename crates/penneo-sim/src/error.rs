//! Errors: [`SimError`] for the library API, [`ApiError`] for HTTP answers.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;

/// Errors from starting or persisting the simulator.
#[derive(Debug, thiserror::Error)]
pub enum SimError {
    #[error("I/O error: {0}")]
    Io(#[from] std::io::Error),
    #[error("state file {path} could not be read: {message}")]
    State { path: String, message: String },
    #[error("JSON error: {0}")]
    Json(#[from] serde_json::Error),
    #[error("PDF error: {0}")]
    Pdf(String),
}

/// Which error body an HTTP error uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavor {
    /// `{error, message, statusCode}` (Send, Collect, Sign, control API).
    Rest,
    /// `{error, error_description}` (OAuth).
    OAuth,
    /// `{message, statusCode}` (job status 404).
    JobNotFound,
    /// A small HTML page (browser-facing pages).
    Html,
}

/// An error answer for an HTTP request.
#[derive(Debug, Clone)]
pub struct ApiError {
    pub status: StatusCode,
    pub flavor: Flavor,
    /// OAuth error code (only for [`Flavor::OAuth`]).
    pub code: &'static str,
    pub message: String,
    pub retry_after: Option<u64>,
}

pub type ApiResult<T> = Result<T, ApiError>;

impl ApiError {
    pub fn rest(status: StatusCode, message: impl Into<String>) -> Self {
        ApiError {
            status,
            flavor: Flavor::Rest,
            code: "",
            message: message.into(),
            retry_after: None,
        }
    }
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::rest(StatusCode::BAD_REQUEST, message)
    }
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::rest(StatusCode::NOT_FOUND, message)
    }
    pub fn conflict(message: impl Into<String>) -> Self {
        Self::rest(StatusCode::CONFLICT, message)
    }
    pub fn unauthorized() -> Self {
        Self::rest(
            StatusCode::UNAUTHORIZED,
            "Access token is missing, invalid or expired",
        )
    }
    pub fn oauth(status: StatusCode, code: &'static str, description: impl Into<String>) -> Self {
        ApiError {
            status,
            flavor: Flavor::OAuth,
            code,
            message: description.into(),
            retry_after: None,
        }
    }
    pub fn html(status: StatusCode, message: impl Into<String>) -> Self {
        ApiError {
            status,
            flavor: Flavor::Html,
            code: "",
            message: message.into(),
            retry_after: None,
        }
    }
    pub fn job_not_found() -> Self {
        ApiError {
            status: StatusCode::NOT_FOUND,
            flavor: Flavor::JobNotFound,
            code: "",
            message: "Job not found".into(),
            retry_after: None,
        }
    }
    pub fn with_retry_after(mut self, secs: u64) -> Self {
        self.retry_after = Some(secs);
        self
    }
    pub fn with_flavor(mut self, flavor: Flavor) -> Self {
        self.flavor = flavor;
        self
    }
}

/// The reason phrase used as `error` in REST error bodies.
pub fn reason(status: StatusCode) -> &'static str {
    status.canonical_reason().unwrap_or("Error")
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut resp = match self.flavor {
            Flavor::Rest => (
                self.status,
                axum::Json(json!({
                    "error": reason(self.status),
                    "message": self.message,
                    "statusCode": self.status.as_u16(),
                })),
            )
                .into_response(),
            Flavor::OAuth => (
                self.status,
                axum::Json(json!({
                    "error": if self.code.is_empty() { "invalid_request" } else { self.code },
                    "error_description": self.message,
                })),
            )
                .into_response(),
            Flavor::JobNotFound => (
                self.status,
                axum::Json(json!({"message": self.message, "statusCode": self.status.as_u16()})),
            )
                .into_response(),
            Flavor::Html => (
                self.status,
                axum::response::Html(crate::html::error_page(self.status, &self.message)),
            )
                .into_response(),
        };
        if let Some(secs) = self.retry_after {
            if let Ok(v) = HeaderValue::from_str(&secs.to_string()) {
                resp.headers_mut().insert(header::RETRY_AFTER, v);
            }
        }
        if self.status == StatusCode::UNAUTHORIZED && self.flavor == Flavor::Rest {
            resp.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"penneo-sim\""),
            );
        }
        if self.flavor == Flavor::OAuth {
            resp.headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        }
        resp
    }
}

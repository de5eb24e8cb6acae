//! The one error type of desk-core, and the shape it takes when it reaches the UI.

use serde::{Deserialize, Serialize};

/// Every failure desk-core reports. Messages are written for the user and never contain a
/// secret (tokens, client secrets, API secrets are never formatted into them).
#[derive(Debug, thiserror::Error)]
pub enum DeskError {
    #[error("{0}")]
    AuthRequired(String),
    #[error("Penneo is receiving too many requests; try again {}", when_again(*.retry_after_secs))]
    RateLimited { retry_after_secs: Option<u64> },
    #[error("{message}")]
    InvalidInput {
        message: String,
        field: Option<String>,
    },
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    Offline(String),
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    Server(String),
    #[error("{0}")]
    NotSupported(String),
    #[error("{0}")]
    Cancelled(String),
    #[error("{0}")]
    Timeout(String),
    #[error("{0}")]
    Secrets(String),
    #[error("Port {0} on 127.0.0.1 is in use by another program. Close it, or register another redirect port with your OAuth client and enter it here.")]
    PortInUse(u16),
    /// The OAuth client does not have this exact redirect URI registered (the URI).
    #[error("Penneo does not accept {0} as this OAuth client's redirect URI: register exactly that address for the client (same host, port and path), or choose the host and port that are registered.")]
    RedirectUriMismatch(String),
    #[error("{0}")]
    AccessDenied(String),
    #[error("{0}")]
    StateMismatch(String),
    /// Another Penneo Desk (or another core in this process) has this data dir open.
    #[error("Penneo Desk is already open on this data folder ({}). Use the window that is open, or close it first.", data_dir.display())]
    AlreadyOpen { data_dir: std::path::PathBuf },
    /// An outbox entry was moved on by someone else between reading and writing it (another
    /// worker on the same database): this worker lost the race and leaves the entry alone.
    #[error("This send was moved on elsewhere: it is {found} now, not {expected} as this window last saw it.")]
    OutboxRaced {
        expected: &'static str,
        found: String,
    },
    #[error("local database error: {0}")]
    Database(#[from] rusqlite::Error),
    #[error("{context}: {source}")]
    Io {
        context: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{0}")]
    Internal(String),
}

pub type Result<T, E = DeskError> = std::result::Result<T, E>;

impl DeskError {
    pub fn invalid(message: impl Into<String>) -> Self {
        DeskError::InvalidInput {
            message: message.into(),
            field: None,
        }
    }

    pub fn invalid_field(field: impl Into<String>, message: impl Into<String>) -> Self {
        DeskError::InvalidInput {
            message: message.into(),
            field: Some(field.into()),
        }
    }

    pub fn io(context: impl Into<String>, source: std::io::Error) -> Self {
        DeskError::Io {
            context: context.into(),
            source,
        }
    }

    /// A stable code the UI can branch on.
    pub fn code(&self) -> &'static str {
        match self {
            DeskError::AuthRequired(_) => "auth_required",
            DeskError::RateLimited { .. } => "rate_limited",
            DeskError::InvalidInput { .. } => "invalid_input",
            DeskError::NotFound(_) => "not_found",
            DeskError::Conflict(_) => "conflict",
            DeskError::Offline(_) => "offline",
            DeskError::Forbidden(_) => "forbidden",
            DeskError::Server(_) => "server",
            DeskError::NotSupported(_) => "not_supported",
            DeskError::Cancelled(_) => "cancelled",
            DeskError::Timeout(_) => "timeout",
            DeskError::Secrets(_) => "secrets",
            DeskError::PortInUse(_) => "port_in_use",
            DeskError::RedirectUriMismatch(_) => "redirect_uri_mismatch",
            DeskError::AccessDenied(_) => "access_denied",
            DeskError::StateMismatch(_) => "state_mismatch",
            DeskError::AlreadyOpen { .. } => "already_open",
            DeskError::OutboxRaced { .. } => "conflict",
            DeskError::Database(_) => "storage",
            DeskError::Io { .. } => "io",
            DeskError::Internal(_) => "internal",
        }
    }

    /// Whether trying the same thing again later may succeed.
    pub fn retryable(&self) -> bool {
        match self {
            DeskError::RateLimited { .. }
            | DeskError::Offline(_)
            | DeskError::Server(_)
            | DeskError::Timeout(_) => true,
            DeskError::Database(e) => matches!(
                e.sqlite_error_code(),
                Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
            ),
            _ => false,
        }
    }

    pub fn field(&self) -> Option<&str> {
        match self {
            DeskError::InvalidInput { field, .. } => field.as_deref(),
            DeskError::PortInUse(_) | DeskError::RedirectUriMismatch(_) => Some("redirectPort"),
            _ => None,
        }
    }

    pub fn payload(&self) -> ErrorPayload {
        ErrorPayload {
            code: self.code().to_string(),
            message: self.to_string(),
            retryable: self.retryable(),
            field: self.field().map(str::to_string),
        }
    }
}

/// What the UI receives: `{code, message, retryable, field?}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ErrorPayload {
    pub code: String,
    pub message: String,
    pub retryable: bool,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub field: Option<String>,
}

impl Serialize for DeskError {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        self.payload().serialize(s)
    }
}

impl From<serde_json::Error> for DeskError {
    fn from(e: serde_json::Error) -> Self {
        DeskError::Internal(format!("could not read stored JSON: {e}"))
    }
}

impl From<penneo::Error> for DeskError {
    fn from(e: penneo::Error) -> Self {
        use penneo::Error as P;
        match e {
            P::SignInRequired => DeskError::AuthRequired(
                "Your Penneo session has ended. Sign in again to continue.".into(),
            ),
            P::Forbidden { message } => DeskError::Forbidden(
                message.unwrap_or_else(|| "Your Penneo account may not do this.".into()),
            ),
            P::NotFound { message } => DeskError::NotFound(
                message.unwrap_or_else(|| "Penneo does not know this item (any more).".into()),
            ),
            P::NotSupported { operation } => {
                DeskError::NotSupported(format!("This Penneo server does not support {operation}."))
            }
            P::InvalidInput { message, field } => DeskError::InvalidInput { message, field },
            P::Conflict { message } => {
                DeskError::Conflict(message.unwrap_or_else(|| "Penneo reported a conflict.".into()))
            }
            P::RateLimited { retry_after } => DeskError::RateLimited {
                retry_after_secs: retry_after.map(|d| d.as_secs()),
            },
            P::Server { status, message } => DeskError::Server(match message {
                Some(m) => format!("Penneo had a problem ({status}): {m}"),
                None => format!("Penneo had a problem ({status}). Try again in a moment."),
            }),
            P::OAuth { error, description } => DeskError::AuthRequired(match description {
                Some(d) => format!("Penneo refused the sign-in ({error}): {d}"),
                None => format!("Penneo refused the sign-in ({error})."),
            }),
            P::Network { message, .. } => {
                DeskError::Offline(format!("Penneo cannot be reached: {message}"))
            }
            P::Timeout => DeskError::Timeout("Penneo did not answer in time.".into()),
            P::DeadlineExceeded { what } => {
                DeskError::Timeout(format!("Gave up waiting for {what}."))
            }
            P::Unexpected { status, .. } => DeskError::Server(format!(
                "Penneo sent an answer this app does not understand (HTTP {status})."
            )),
            P::Io { path, source } => DeskError::io(path, source),
            P::Config(m) => DeskError::invalid(m),
            other => DeskError::Internal(other.to_string()),
        }
    }
}

impl From<tokio::task::JoinError> for DeskError {
    fn from(e: tokio::task::JoinError) -> Self {
        DeskError::Internal(format!("background task failed: {e}"))
    }
}

/// "in a moment", or when Penneo said to come back.
fn when_again(secs: Option<u64>) -> String {
    match secs {
        Some(s) if s > 90 => format!("in about {} minutes", s.div_ceil(60)),
        Some(s) if s > 5 => format!("in {s} seconds"),
        _ => "in a moment".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serializes_to_ui_shape() {
        let e = DeskError::invalid_field("signers[0].email", "The email address is not valid");
        let v = serde_json::to_value(&e).unwrap();
        assert_eq!(v["code"], "invalid_input");
        assert_eq!(v["message"], "The email address is not valid");
        assert_eq!(v["retryable"], false);
        assert_eq!(v["field"], "signers[0].email");

        let e = DeskError::RateLimited {
            retry_after_secs: Some(3),
        };
        let v = serde_json::to_value(&e).unwrap();
        assert_eq!(v["code"], "rate_limited");
        assert_eq!(v["retryable"], true);
        assert!(v.get("field").is_none());
        assert!(e.to_string().ends_with("try again in a moment"));
        let later = |s| {
            DeskError::RateLimited {
                retry_after_secs: Some(s),
            }
            .to_string()
        };
        assert!(later(30).ends_with("try again in 30 seconds"));
        assert!(later(120).ends_with("try again in about 2 minutes"));
    }
}

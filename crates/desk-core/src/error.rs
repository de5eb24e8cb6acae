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
    /// Penneo answered with a server error (5xx), with its own message when it gave one.
    #[error("{}", penneo_problem(*.status, .penneo_message.as_deref()))]
    PenneoServer {
        status: u16,
        penneo_message: Option<String>,
    },
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

    /// The stable code the UI branches on.
    pub fn code(&self) -> ErrorCode {
        use ErrorCode as C;
        match self {
            DeskError::AuthRequired(_) => C::AuthRequired,
            DeskError::RateLimited { .. } => C::RateLimited,
            DeskError::InvalidInput { .. } => C::InvalidInput,
            DeskError::NotFound(_) => C::NotFound,
            DeskError::Conflict(_) | DeskError::OutboxRaced { .. } => C::Conflict,
            DeskError::Offline(_) => C::Offline,
            DeskError::Forbidden(_) => C::Forbidden,
            DeskError::Server(_) | DeskError::PenneoServer { .. } => C::Server,
            DeskError::NotSupported(_) => C::NotSupported,
            DeskError::Cancelled(_) => C::Cancelled,
            DeskError::Timeout(_) => C::Timeout,
            DeskError::Secrets(_) => C::Secrets,
            DeskError::PortInUse(_) => C::PortInUse,
            DeskError::RedirectUriMismatch(_) => C::RedirectUriMismatch,
            DeskError::AccessDenied(_) => C::AccessDenied,
            DeskError::StateMismatch(_) => C::StateMismatch,
            DeskError::AlreadyOpen { .. } => C::AlreadyOpen,
            DeskError::Database(_) => C::Storage,
            DeskError::Io { .. } => C::Io,
            DeskError::Internal(_) => C::Internal,
        }
    }

    /// Whether trying the same thing again later may succeed.
    pub fn retryable(&self) -> bool {
        match self {
            DeskError::RateLimited { .. }
            | DeskError::Offline(_)
            | DeskError::Server(_)
            | DeskError::PenneoServer { .. }
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

    /// What the UI needs to word this error itself, in its own language (the `message` stays
    /// the English fallback): the retry-after, the port, the redirect URI, the folder, Penneo's
    /// status and own words.
    pub fn params(&self) -> ErrorParams {
        match self {
            DeskError::RateLimited { retry_after_secs } => ErrorParams {
                retry_after_secs: *retry_after_secs,
                ..ErrorParams::default()
            },
            DeskError::PortInUse(port) => ErrorParams {
                port: Some(*port),
                ..ErrorParams::default()
            },
            DeskError::RedirectUriMismatch(uri) => ErrorParams {
                redirect_uri: Some(uri.clone()),
                ..ErrorParams::default()
            },
            DeskError::AlreadyOpen { data_dir } => ErrorParams {
                path: Some(data_dir.display().to_string()),
                ..ErrorParams::default()
            },
            DeskError::PenneoServer {
                status,
                penneo_message,
            } => ErrorParams {
                status: Some(*status),
                penneo_message: penneo_message.clone(),
                ..ErrorParams::default()
            },
            _ => ErrorParams::default(),
        }
    }
}

/// The parameters of an error, for the UI to word it in its own language; every one is left
/// out when it does not apply. `field` (the input at fault) travels beside them, as before.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ErrorParams {
    /// `rate_limited`: when Penneo said to come back, in seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after_secs: Option<u64>,
    /// `port_in_use`: the redirect port that is taken.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<u16>,
    /// `redirect_uri_mismatch`: the exact redirect URI Penneo refused.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redirect_uri: Option<String>,
    /// A file or folder the error is about (`already_open`: the data folder).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// A limit the input broke (characters, bytes, items).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u64>,
    /// `server`: the HTTP status Penneo answered with.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// `server`, and a refusal inside an outbox note: Penneo's own words, to be shown quoted
    /// as Penneo's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub penneo_message: Option<String>,
}

impl ErrorParams {
    /// True when no parameter is set (the error needs none to be worded).
    pub fn is_empty(&self) -> bool {
        *self == ErrorParams::default()
    }
}

/// Every code an error reaches the UI with. The wire spelling (snake_case, e.g.
/// `"auth_required"`) is stable: the UI branches on it, and tauri-specta generates the
/// TypeScript union `ErrorCode` from this enum.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub enum ErrorCode {
    /// No session, or it ended: sign in (again).
    AuthRequired,
    /// Penneo asks to slow down; retryable.
    RateLimited,
    /// Something the user entered (or the UI sent) is not valid; `field` names it.
    InvalidInput,
    NotFound,
    /// Penneo reported a conflict, or a send moved on elsewhere.
    Conflict,
    /// Penneo cannot be reached; retryable.
    Offline,
    /// The account may not do this.
    Forbidden,
    /// Penneo had a problem or answered in a way this app does not understand.
    Server,
    /// The server does not offer this operation.
    NotSupported,
    Cancelled,
    Timeout,
    /// The keychain (or the secrets file) failed.
    Secrets,
    /// The OAuth redirect port is taken by another program.
    PortInUse,
    /// The OAuth client does not have this redirect URI registered.
    RedirectUriMismatch,
    /// The user refused the sign-in in the browser.
    AccessDenied,
    /// The sign-in's answer did not match the request (state mismatch).
    StateMismatch,
    /// Another Penneo Desk has the data folder open.
    AlreadyOpen,
    /// The local database failed.
    Storage,
    /// Reading or writing a file failed.
    Io,
    /// A bug or an unexpected failure inside the app.
    Internal,
    /// Set by the UI, never by Rust: the page runs outside the desktop app.
    BackendUnavailable,
    /// Set by the UI, never by Rust: Tauri's IPC failed (e.g. a command the capabilities do
    /// not allow).
    IpcError,
}

impl ErrorCode {
    /// Every code, in declaration order.
    pub const ALL: [ErrorCode; 22] = [
        Self::AuthRequired,
        Self::RateLimited,
        Self::InvalidInput,
        Self::NotFound,
        Self::Conflict,
        Self::Offline,
        Self::Forbidden,
        Self::Server,
        Self::NotSupported,
        Self::Cancelled,
        Self::Timeout,
        Self::Secrets,
        Self::PortInUse,
        Self::RedirectUriMismatch,
        Self::AccessDenied,
        Self::StateMismatch,
        Self::AlreadyOpen,
        Self::Storage,
        Self::Io,
        Self::Internal,
        Self::BackendUnavailable,
        Self::IpcError,
    ];

    /// The wire spelling, as the UI matches on it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::AuthRequired => "auth_required",
            Self::RateLimited => "rate_limited",
            Self::InvalidInput => "invalid_input",
            Self::NotFound => "not_found",
            Self::Conflict => "conflict",
            Self::Offline => "offline",
            Self::Forbidden => "forbidden",
            Self::Server => "server",
            Self::NotSupported => "not_supported",
            Self::Cancelled => "cancelled",
            Self::Timeout => "timeout",
            Self::Secrets => "secrets",
            Self::PortInUse => "port_in_use",
            Self::RedirectUriMismatch => "redirect_uri_mismatch",
            Self::AccessDenied => "access_denied",
            Self::StateMismatch => "state_mismatch",
            Self::AlreadyOpen => "already_open",
            Self::Storage => "storage",
            Self::Io => "io",
            Self::Internal => "internal",
            Self::BackendUnavailable => "backend_unavailable",
            Self::IpcError => "ipc_error",
        }
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
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
            P::Server { status, message } => DeskError::PenneoServer {
                status,
                penneo_message: message,
            },
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

/// Penneo's server error in English, with Penneo's own words when it gave some.
fn penneo_problem(status: u16, message: Option<&str>) -> String {
    match message {
        Some(m) => format!("Penneo had a problem ({status}): {m}"),
        None => format!("Penneo had a problem ({status}). Try again in a moment."),
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
    fn every_code_serialises_to_the_string_the_ui_matches_on() {
        // The UI (and its tests, and the e2e tests) match on these exact strings.
        let expected = [
            "auth_required",
            "rate_limited",
            "invalid_input",
            "not_found",
            "conflict",
            "offline",
            "forbidden",
            "server",
            "not_supported",
            "cancelled",
            "timeout",
            "secrets",
            "port_in_use",
            "redirect_uri_mismatch",
            "access_denied",
            "state_mismatch",
            "already_open",
            "storage",
            "io",
            "internal",
            "backend_unavailable",
            "ipc_error",
        ];
        assert_eq!(ErrorCode::ALL.len(), expected.len());
        for (code, wire) in ErrorCode::ALL.into_iter().zip(expected) {
            assert_eq!(serde_json::to_value(code).unwrap(), wire);
            assert_eq!(code.as_str(), wire);
            assert_eq!(
                serde_json::from_value::<ErrorCode>(wire.into()).unwrap(),
                code
            );
        }
    }

    #[test]
    fn errors_carry_code_field_and_retryable() {
        let e = DeskError::invalid_field("signers[0].email", "The email address is not valid");
        assert_eq!(e.code(), ErrorCode::InvalidInput);
        assert_eq!(e.to_string(), "The email address is not valid");
        assert!(!e.retryable());
        assert_eq!(e.field(), Some("signers[0].email"));

        let e = DeskError::RateLimited {
            retry_after_secs: Some(3),
        };
        assert_eq!(e.code(), ErrorCode::RateLimited);
        assert!(e.retryable());
        assert!(e.field().is_none());
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

    #[test]
    fn errors_carry_the_parameters_the_ui_words_them_with() {
        let e = DeskError::RateLimited {
            retry_after_secs: Some(30),
        };
        assert_eq!(e.params().retry_after_secs, Some(30));
        let e = DeskError::PortInUse(8765);
        assert_eq!(e.params().port, Some(8765));
        assert_eq!(e.field(), Some("redirectPort"));
        let uri = "http://127.0.0.1:8765/callback";
        let e = DeskError::RedirectUriMismatch(uri.into());
        assert_eq!(e.params().redirect_uri.as_deref(), Some(uri));
        assert!(e.to_string().contains(uri), "the English fallback stays");
        let e = DeskError::AlreadyOpen {
            data_dir: "/data/desk".into(),
        };
        assert_eq!(e.params().path.as_deref(), Some("/data/desk"));

        // Penneo's 5xx keeps its status and its own words apart from the English sentence.
        let e = DeskError::from(penneo::Error::Server {
            status: 503,
            message: Some("Scheduled maintenance".into()),
        });
        assert_eq!((e.code(), e.retryable()), (ErrorCode::Server, true));
        assert_eq!(e.params().status, Some(503));
        assert_eq!(
            e.params().penneo_message.as_deref(),
            Some("Scheduled maintenance")
        );
        assert_eq!(
            e.to_string(),
            "Penneo had a problem (503): Scheduled maintenance"
        );
        let e = DeskError::from(penneo::Error::Server {
            status: 502,
            message: None,
        });
        assert_eq!(e.params().penneo_message, None);
        assert!(e.to_string().ends_with("Try again in a moment."));

        // Errors worded by their code alone carry nothing, and serialise to nothing.
        let none = DeskError::NotFound("gone".into()).params();
        assert!(none.is_empty());
        assert_eq!(serde_json::to_value(&none).unwrap(), serde_json::json!({}));
        assert_eq!(
            serde_json::to_value(DeskError::PortInUse(9).params()).unwrap(),
            serde_json::json!({"port": 9})
        );
    }
}

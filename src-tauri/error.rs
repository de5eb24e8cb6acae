//! The one error shape the UI sees: `{code, message, retryable, field?}`.

use serde::Serialize;
use specta::Type;

/// An error as it crosses to the webview. `code` is stable and the UI branches on it
/// (`auth_required`, `rate_limited`, `invalid_input`, `not_found`, `conflict`, `offline`, …);
/// `message` is written for a person; secrets never appear in either.
#[derive(Debug, Clone, Serialize, Type, thiserror::Error)]
#[serde(rename_all = "camelCase")]
#[error("{code}: {message}")]
pub struct CommandError {
    pub code: String,
    pub message: String,
    pub retryable: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

impl CommandError {
    pub fn new(code: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            code: code.into(),
            message: message.into(),
            retryable: false,
            field: None,
        }
    }
}

pub type CommandResult<T> = Result<T, CommandError>;

impl From<desk_core::DeskError> for CommandError {
    fn from(e: desk_core::DeskError) -> Self {
        let p = e.payload();
        Self {
            code: p.code,
            message: p.message,
            retryable: p.retryable,
            field: p.field,
        }
    }
}

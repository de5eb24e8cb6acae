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

impl CommandError {
    /// `invalid_input` naming the field at fault.
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: Some(field.into()),
            ..Self::new("invalid_input", message)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_penneo_desk_on_one_data_dir_is_already_open() {
        let e = CommandError::from(desk_core::DeskError::AlreadyOpen {
            data_dir: "/home/anna/.local/share/com.penneodesk.app".into(),
        });
        assert_eq!(e.code, "already_open");
        assert!(
            e.message
                .starts_with("Penneo Desk is already open on this data folder"),
            "{}",
            e.message
        );
        assert!(!e.retryable);
    }
}

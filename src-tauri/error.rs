//! The one error shape the UI sees: `{code, message, retryable, field?, params?}`.

use serde::{Deserialize, Serialize};
use specta::Type;

pub use desk_core::{ErrorCode, ErrorParams};

/// An error as it crosses to the webview (the only error type the UI receives). `code` is one
/// of [`ErrorCode`], stable, and the UI branches on it and words the error in its own language
/// from `code`, `field` and `params`; `message` is the English sentence for a person, the
/// fallback; secrets never appear in any of them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type, thiserror::Error)]
#[serde(rename_all = "camelCase")]
#[error("{code}: {message}")]
pub struct CommandError {
    pub code: ErrorCode,
    pub message: String,
    pub retryable: bool,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub field: Option<String>,
    /// What the UI needs to word the error (a port, a limit, a retry-after, Penneo's words);
    /// left out when there is nothing. Boxed: most errors have none, and an error stays small.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub params: Option<Box<ErrorParams>>,
}

impl CommandError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            retryable: false,
            field: None,
            params: None,
        }
    }

    /// The same error with parameters for the UI to word it by.
    pub fn with_params(self, params: ErrorParams) -> Self {
        Self {
            params: (!params.is_empty()).then(|| Box::new(params)),
            ..self
        }
    }
}

pub type CommandResult<T> = Result<T, CommandError>;

impl From<desk_core::DeskError> for CommandError {
    fn from(e: desk_core::DeskError) -> Self {
        let params = e.params();
        Self {
            code: e.code(),
            message: e.to_string(),
            retryable: e.retryable(),
            field: e.field().map(str::to_string),
            params: (!params.is_empty()).then(|| Box::new(params)),
        }
    }
}

impl CommandError {
    /// `invalid_input` naming the field at fault.
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: Some(field.into()),
            ..Self::new(ErrorCode::InvalidInput, message)
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
        assert_eq!(e.code, ErrorCode::AlreadyOpen);
        assert!(
            e.message
                .starts_with("Penneo Desk is already open on this data folder"),
            "{}",
            e.message
        );
        assert!(!e.retryable);
    }

    #[test]
    fn serialises_to_the_ui_shape() {
        let e = CommandError::from(desk_core::DeskError::invalid_field(
            "signers[0].email",
            "The email address is not valid",
        ));
        let v = serde_json::to_value(&e).unwrap();
        assert_eq!(
            v,
            serde_json::json!({
                "code": "invalid_input",
                "message": "The email address is not valid",
                "retryable": false,
                "field": "signers[0].email",
            })
        );
        let e = CommandError::from(desk_core::DeskError::RateLimited {
            retry_after_secs: None,
        });
        let v = serde_json::to_value(&e).unwrap();
        assert_eq!(v["code"], "rate_limited");
        assert_eq!(v["retryable"], true);
        assert!(v.get("field").is_none());
        assert_eq!(serde_json::from_value::<CommandError>(v).unwrap(), e);
        // A Penneo 429 that said when to come back carries it for the UI's own wording.
        let e = CommandError::from(desk_core::DeskError::RateLimited {
            retry_after_secs: Some(30),
        });
        let v = serde_json::to_value(&e).unwrap();
        assert_eq!(v["params"], serde_json::json!({"retryAfterSecs": 30}));
        assert!(v["message"].as_str().unwrap().ends_with("in 30 seconds"));
        let e = CommandError::from(desk_core::DeskError::PortInUse(8765));
        let v = serde_json::to_value(&e).unwrap();
        assert_eq!(
            (&v["code"], &v["field"], &v["params"]),
            (
                &serde_json::json!("port_in_use"),
                &serde_json::json!("redirectPort"),
                &serde_json::json!({"port": 8765})
            )
        );
    }
}

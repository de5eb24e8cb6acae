use serde::Serialize;
use specta::Type;

use crate::error::CommandResult;

#[derive(Debug, Clone, Copy, Serialize, Type, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Environment {
    Demo,
    Sandbox,
    Production,
    Custom,
}

#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct AccountStatus {
    pub environment: Environment,
    pub signed_in: bool,
    pub display_name: Option<String>,
    pub email: Option<String>,
}

/// Which environment is active and who is signed in to it.
#[tauri::command]
#[specta::specta]
pub fn account_status() -> CommandResult<AccountStatus> {
    // No account store exists yet (issue 5): the app starts on the demo environment, signed out.
    Ok(AccountStatus {
        environment: Environment::Demo,
        signed_in: false,
        display_name: None,
        email: None,
    })
}

use desk_core::db::accounts::Environment as CoreEnvironment;
use serde::Serialize;
use specta::Type;
use tauri::State;

use crate::error::CommandResult;
use crate::state::AppState;

#[derive(Debug, Clone, Copy, Serialize, Type, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Environment {
    Demo,
    Sandbox,
    Production,
    Custom,
}

impl From<CoreEnvironment> for Environment {
    fn from(e: CoreEnvironment) -> Self {
        match e {
            CoreEnvironment::Demo => Environment::Demo,
            CoreEnvironment::Sandbox => Environment::Sandbox,
            CoreEnvironment::Production => Environment::Production,
            CoreEnvironment::Custom => Environment::Custom,
        }
    }
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
pub async fn account_status(state: State<'_, AppState>) -> CommandResult<AccountStatus> {
    let core = &state.core;
    let accounts = core.list_accounts().await?;
    let active = accounts.into_iter().find(|s| s.account.is_active);
    Ok(match active {
        Some(s) => AccountStatus {
            environment: s.account.environment.into(),
            signed_in: s.signed_in,
            display_name: s.account.user_name.or(Some(s.account.label)),
            email: s.account.user_email,
        },
        // No account yet: the demo workspace is being opened.
        None => AccountStatus {
            environment: Environment::Demo,
            signed_in: false,
            display_name: None,
            email: None,
        },
    })
}

#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct StorageInfo {
    /// Where the app keeps its database and (without a keychain) its secrets file.
    pub data_dir: String,
    /// `keychain` or `file`.
    pub secret_store: String,
    pub secret_store_description: String,
    /// Why the OS keychain is not used, when it is not.
    pub fallback_reason: Option<String>,
}

/// Where data and secrets are kept (Settings says which secret store is in use).
#[tauri::command]
#[specta::specta]
pub fn storage_info(state: State<'_, AppState>) -> CommandResult<StorageInfo> {
    let info = state.core.storage_info();
    let kind = match info.secrets.kind {
        desk_core::secrets::SecretBackendKind::Keychain => "keychain",
        desk_core::secrets::SecretBackendKind::File => "file",
    };
    Ok(StorageInfo {
        data_dir: info.data_dir.display().to_string(),
        secret_store: kind.into(),
        secret_store_description: info.secrets.description,
        fallback_reason: info.secrets.fallback_reason,
    })
}

//! Accounts and sign-in: which workspace is active, adding one, the browser (PKCE) or API-key
//! sign-in, switching, signing out.

use desk_core::db::accounts::{Account, Environment};
use desk_core::use_cases::{NewAccount, SessionInfo};
use desk_core::Secret;
use serde::{Deserialize, Serialize};
use specta::Type;
use tauri::{AppHandle, State};
use tauri_specta::Event;

use crate::error::{CommandError, CommandResult, ErrorCode};
use crate::state::{AccountChanged, AppState};

#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct AccountStatus {
    pub account_id: Option<String>,
    pub environment: Environment,
    pub signed_in: bool,
    pub display_name: Option<String>,
    pub email: Option<String>,
    /// Where the account's API answers (for the demo: the embedded simulator's address, whose
    /// `/_sim/` control API the end-to-end tests use).
    pub api_host: Option<String>,
}

fn changed(app: &AppHandle) {
    if let Err(e) = AccountChanged.emit(app) {
        tracing::warn!("could not tell the window about the account: {e}");
    }
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
            account_id: Some(s.account.id),
            environment: s.account.environment,
            signed_in: s.signed_in || s.can_resume,
            display_name: s.account.user_name.or(Some(s.account.label)),
            email: s.account.user_email,
            api_host: Some(s.account.api_host),
        },
        // No account yet: the demo workspace is being opened.
        None => AccountStatus {
            account_id: None,
            environment: Environment::Demo,
            signed_in: false,
            display_name: None,
            email: None,
            api_host: None,
        },
    })
}

/// Every configured account, with whether it has a session or can resume one.
#[tauri::command]
#[specta::specta]
pub async fn list_accounts(state: State<'_, AppState>) -> CommandResult<Vec<SessionInfo>> {
    Ok(state.core.list_accounts().await?)
}

/// Stores a new account: its hosts and identifiers in the database, its secrets in the
/// keychain (or the 0600 file). It is not signed in yet: call `sign_in`.
#[tauri::command]
#[specta::specta]
pub async fn add_account(
    state: State<'_, AppState>,
    account: NewAccount,
) -> CommandResult<Account> {
    Ok(state.core.add_account(account).await?)
}

/// The secrets an account signs in with, entered again after a sign-out deleted them.
#[derive(Debug, Clone, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct AccountSecrets {
    #[specta(type = String)]
    pub client_secret: Secret,
    /// Only for an API-key account.
    #[serde(default)]
    #[specta(type = Option<String>)]
    pub api_secret: Option<Secret>,
}

/// Stores an account's secrets again (the OAuth client secret, and the API secret for an API
/// key) so it can sign in after a sign-out deleted them.
#[tauri::command]
#[specta::specta]
pub async fn set_account_secrets(
    state: State<'_, AppState>,
    account_id: String,
    secrets: AccountSecrets,
) -> CommandResult<()> {
    Ok(state
        .core
        .set_secrets(&account_id, secrets.client_secret, secrets.api_secret)
        .await?)
}

/// Signs an account in and makes it active. OAuth accounts open the system browser and wait
/// (up to 5 minutes) for the loopback callback; `cancel_sign_in` stops the wait.
#[tauri::command]
#[specta::specta]
pub async fn sign_in(
    app: AppHandle,
    state: State<'_, AppState>,
    account_id: String,
) -> CommandResult<Account> {
    let guard = state.begin_sign_in();
    let result = state.core.sign_in(&account_id, &guard.token).await;
    drop(guard);
    let account = result?;
    changed(&app);
    Ok(account)
}

/// Stops a browser sign-in that is waiting; it ends with a "cancelled" error. Returns whether
/// one was waiting.
#[tauri::command]
#[specta::specta]
pub fn cancel_sign_in(state: State<'_, AppState>) -> bool {
    state.cancel_sign_in()
}

/// Makes another configured account the active one.
#[tauri::command]
#[specta::specta]
pub async fn switch_account(
    app: AppHandle,
    state: State<'_, AppState>,
    account_id: String,
) -> CommandResult<()> {
    state.core.set_active(&account_id).await?;
    changed(&app);
    Ok(())
}

/// Opens the demo workspace (the embedded simulator) and makes it active.
#[tauri::command]
#[specta::specta]
pub async fn open_demo(app: AppHandle, state: State<'_, AppState>) -> CommandResult<Account> {
    let account = state.core.start_demo().await?;
    changed(&app);
    Ok(account)
}

/// Revokes the refresh token and deletes the account's secrets; its cache stays.
#[tauri::command]
#[specta::specta]
pub async fn sign_out(
    app: AppHandle,
    state: State<'_, AppState>,
    account_id: String,
) -> CommandResult<()> {
    state.core.sign_out(&account_id).await?;
    changed(&app);
    Ok(())
}

/// Signs out and removes the account with everything cached for it.
#[tauri::command]
#[specta::specta]
pub async fn remove_account(
    app: AppHandle,
    state: State<'_, AppState>,
    account_id: String,
) -> CommandResult<()> {
    let active = state.core.active_account().await?;
    if active.as_ref().is_some_and(|a| a.id == account_id)
        && active
            .as_ref()
            .is_some_and(|a| a.environment == Environment::Demo)
    {
        return Err(CommandError::new(
            ErrorCode::Conflict,
            "The demo workspace is in use. Switch to another account before removing it.",
        ));
    }
    state.core.remove_account(&account_id).await?;
    changed(&app);
    Ok(())
}

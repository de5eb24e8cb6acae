//! Settings: where data and secrets are kept, when each part of the cache was last synced, and
//! the sync of everything.

use std::path::PathBuf;

use desk_core::db::bookkeeping::SyncState;
use desk_core::diagnostics::RecorderStatus;
use desk_core::use_cases::{Preferences, PreferencesUpdate, SyncProgress, SyncReport};
use serde::Serialize;
use specta::Type;
use tauri::ipc::Channel;
use tauri::State;

use crate::error::{CommandError, CommandResult};
use crate::state::AppState;

#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct StorageInfo {
    /// Where the app keeps its database and (without a keychain) its secrets file.
    pub data_dir: String,
    /// `keychain`, `file`, `memory` (no keychain, and the file not allowed yet) or `waiting`
    /// (the keychain has not answered: it may be asking to be unlocked).
    pub secret_store: String,
    pub secret_store_description: String,
    /// Why the OS keychain is not used, when it is not.
    pub fallback_reason: Option<String>,
}

/// Where data and secrets are kept (Settings says which secret store is in use).
#[tauri::command]
#[specta::specta]
pub fn storage_info(state: State<'_, AppState>) -> CommandResult<StorageInfo> {
    Ok(storage_view(state.core.storage_info()))
}

/// "Keep secrets in a private file": the user's agreement to the 0600 file in the data dir
/// while no keychain answers (what memory holds moves there).
#[tauri::command]
#[specta::specta]
pub fn allow_file_secrets(state: State<'_, AppState>) -> CommandResult<StorageInfo> {
    Ok(storage_view(state.core.allow_file_secrets()?))
}

/// "Try the keychain again": where no keychain answered, asks it again now (the user started or
/// unlocked one); when it answers, the secrets kept in the file or in memory move into it.
#[tauri::command]
#[specta::specta]
pub async fn retry_keychain(state: State<'_, AppState>) -> CommandResult<StorageInfo> {
    Ok(storage_view(state.core.retry_keychain().await?))
}

fn storage_view(info: desk_core::use_cases::StorageInfo) -> StorageInfo {
    use desk_core::secret_store::SecretBackendKind as K;
    let kind = match info.secrets.kind {
        K::Keychain => "keychain",
        K::File => "file",
        K::Memory => "memory",
        K::Waiting => "waiting",
    };
    StorageInfo {
        data_dir: info.data_dir.display().to_string(),
        secret_store: kind.into(),
        secret_store_description: info.secrets.description,
        fallback_reason: info.secrets.fallback_reason,
    }
}

/// When each scope (forms, each form's submissions, casefiles) was last synced.
#[tauri::command]
#[specta::specta]
pub async fn sync_state(state: State<'_, AppState>) -> CommandResult<Vec<SyncState>> {
    Ok(state.core.sync_state().await?)
}

/// Forms, every form's submissions, then casefiles. A form that fails is listed in the report
/// and the others go on.
#[tauri::command]
#[specta::specta]
pub async fn sync_all(
    state: State<'_, AppState>,
    progress: Channel<SyncProgress>,
) -> CommandResult<SyncReport> {
    Ok(state
        .core
        .sync_all(&|p| {
            let _ = progress.send(p);
        })
        .await?)
}

/// Settings → Diagnostics: whether API exchanges are being recorded, and how many are held.
#[tauri::command]
#[specta::specta]
pub fn recording_status(state: State<'_, AppState>) -> CommandResult<RecorderStatus> {
    Ok(state.core.recording_status())
}

/// Start recording this run's API exchanges (redacted as they are recorded).
#[tauri::command]
#[specta::specta]
pub fn start_recording(state: State<'_, AppState>) -> CommandResult<RecorderStatus> {
    Ok(state.core.start_recording())
}

/// Stop recording; the exchanges stay until saved or a new recording starts.
#[tauri::command]
#[specta::specta]
pub fn stop_recording(state: State<'_, AppState>) -> CommandResult<RecorderStatus> {
    Ok(state.core.stop_recording())
}

/// Write the recording to the path the Save dialog (`pick_save_path`) gave; returns how many
/// exchanges it holds.
#[tauri::command]
#[specta::specta]
pub async fn save_recording(state: State<'_, AppState>, path: PathBuf) -> CommandResult<u32> {
    if !path.is_absolute() {
        return Err(CommandError::invalid(
            "path",
            "Choose where to save the recording with the Save dialog.",
        ));
    }
    state
        .grants
        .take(crate::grants::GrantKind::SaveFile, &path, "path")?;
    Ok(state.core.save_recording(path).await?)
}

/// The preferences the backend keeps for the UI (its language, whether the welcome was seen,
/// whether a production send asks once more).
#[tauri::command]
#[specta::specta]
pub async fn preferences(state: State<'_, AppState>) -> CommandResult<Preferences> {
    Ok(state.core.preferences().await?)
}

/// Changes what `update` sets. A new `language` is the UI's: desktop notifications are worded
/// in it from now on (Danish or English; other languages get English until translated).
#[tauri::command]
#[specta::specta]
pub async fn set_preferences(
    state: State<'_, AppState>,
    update: PreferencesUpdate,
) -> CommandResult<Preferences> {
    let prefs = state.core.set_preferences(update).await?;
    if let Some(lang) = &prefs.language {
        state.set_language(lang);
    }
    Ok(prefs)
}

//! Forms: the cached list, one form with its versions, saving, publishing, archiving,
//! restoring, and the builder's local autosaves.

use desk_core::db::forms::{FormDraft, FormQuery, FormRecord, FormSummary, FormVersionRecord};
use desk_core::use_cases::SyncProgress;
use desk_core::Page;
use tauri::ipc::Channel;
use tauri::State;

use super::payload::Payload;
use crate::error::CommandResult;
use crate::state::AppState;

/// The active account's forms from the local cache (readable offline), filtered, sorted and
/// searched as the query says.
#[tauri::command]
#[specta::specta]
pub async fn list_forms(
    state: State<'_, AppState>,
    query: FormQuery,
) -> CommandResult<Page<FormSummary>> {
    Ok(state.core.list_forms(query).await?)
}

/// Fetches every form of the active account (and its version list) from Penneo into the cache,
/// reporting progress on `progress`. Returns how many forms there are.
#[tauri::command]
#[specta::specta]
pub async fn sync_forms(
    state: State<'_, AppState>,
    progress: Channel<SyncProgress>,
) -> CommandResult<u32> {
    let n = state
        .core
        .sync_forms(&|p| {
            let _ = progress.send(p);
        })
        .await?;
    Ok(u32::try_from(n).unwrap_or(u32::MAX))
}

/// One form with its definition. `refresh` fetches it from Penneo first; the cache answers when
/// Penneo cannot be reached.
#[tauri::command]
#[specta::specta]
pub async fn get_form(
    state: State<'_, AppState>,
    form_id: String,
    refresh: bool,
) -> CommandResult<FormRecord> {
    Ok(state.core.get_form(&form_id, refresh).await?)
}

/// Every version of a form with its status and dates (definitions are fetched on demand).
#[tauri::command]
#[specta::specta]
pub async fn form_versions(
    state: State<'_, AppState>,
    form_id: String,
) -> CommandResult<Vec<FormVersionRecord>> {
    Ok(state.core.form_versions(&form_id).await?)
}

/// The definition of one version (cached after the first fetch), for comparing versions.
#[tauri::command]
#[specta::specta]
pub async fn form_version(
    state: State<'_, AppState>,
    form_id: String,
    version: u32,
) -> CommandResult<penneo::Form> {
    Ok(state.core.form_version(&form_id, version).await?)
}

/// Creates a form from a definition: a DRAFT, or ACTIVE at once with `publish`.
#[tauri::command]
#[specta::specta]
pub async fn create_form(
    state: State<'_, AppState>,
    definition: Payload<penneo::FormDefinition>,
    publish: bool,
) -> CommandResult<FormRecord> {
    Ok(state
        .core
        .create_form(definition.into_inner(), publish)
        .await?)
}

/// Saves a form. A DRAFT is changed in place; an ACTIVE form gets a new DRAFT version that must
/// be published (or pass `publish`).
#[tauri::command]
#[specta::specta]
pub async fn update_form(
    state: State<'_, AppState>,
    form_id: String,
    definition: Payload<penneo::FormDefinition>,
    publish: bool,
) -> CommandResult<FormRecord> {
    Ok(state
        .core
        .update_form(&form_id, definition.into_inner(), publish)
        .await?)
}

/// Publishes the form's DRAFT version (it becomes ACTIVE).
#[tauri::command]
#[specta::specta]
pub async fn publish_form(
    state: State<'_, AppState>,
    form_id: String,
) -> CommandResult<FormRecord> {
    Ok(state.core.publish_form(&form_id).await?)
}

/// Archives the form. Its submissions are kept.
#[tauri::command]
#[specta::specta]
pub async fn archive_form(
    state: State<'_, AppState>,
    form_id: String,
) -> CommandResult<FormRecord> {
    Ok(state.core.archive_form(&form_id).await?)
}

/// Publishes one version.
#[tauri::command]
#[specta::specta]
pub async fn publish_form_version(
    state: State<'_, AppState>,
    form_id: String,
    version: u32,
) -> CommandResult<FormRecord> {
    Ok(state.core.publish_form_version(&form_id, version).await?)
}

/// Archives one version.
#[tauri::command]
#[specta::specta]
pub async fn archive_form_version(
    state: State<'_, AppState>,
    form_id: String,
    version: u32,
) -> CommandResult<FormRecord> {
    Ok(state.core.archive_form_version(&form_id, version).await?)
}

/// Makes a new DRAFT version that is a copy of `version`.
#[tauri::command]
#[specta::specta]
pub async fn restore_form_version(
    state: State<'_, AppState>,
    form_id: String,
    version: u32,
) -> CommandResult<FormRecord> {
    Ok(state.core.restore_form_version(&form_id, version).await?)
}

/// Autosaves the builder's state in the local database (kept across crashes and restarts).
/// A draft of an existing form replaces that form's earlier draft.
#[tauri::command]
#[specta::specta]
pub async fn save_form_draft(
    state: State<'_, AppState>,
    draft: FormDraft,
) -> CommandResult<FormDraft> {
    Ok(state.core.save_form_draft(draft).await?)
}

/// The builder drafts not yet saved to Penneo, newest first.
#[tauri::command]
#[specta::specta]
pub async fn list_form_drafts(state: State<'_, AppState>) -> CommandResult<Vec<FormDraft>> {
    Ok(state.core.list_form_drafts().await?)
}

/// Forgets a builder draft (after it was saved, or when the user discards it).
#[tauri::command]
#[specta::specta]
pub async fn delete_form_draft(state: State<'_, AppState>, draft_id: String) -> CommandResult<()> {
    Ok(state.core.delete_form_draft(&draft_id).await?)
}

use desk_core::db::forms::{FormQuery, FormSummary};
use desk_core::Page;
use tauri::State;

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

/// Fetches every form of the active account (and its version list) from Penneo into the cache.
/// Returns how many forms there are.
#[tauri::command]
#[specta::specta]
pub async fn sync_forms(state: State<'_, AppState>) -> CommandResult<u32> {
    let n = state.core.sync_forms(&|_| {}).await?;
    Ok(u32::try_from(n).unwrap_or(u32::MAX))
}

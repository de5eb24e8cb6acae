//! Prefilled form requests: create one from an ACTIVE form, and the local list of those sent.

use desk_core::db::forms::PrefilledRequestRecord;
use desk_core::Page;
use tauri::State;

use super::payload::Payload;
use crate::error::CommandResult;
use crate::state::AppState;

/// Creates a prefilled request for an ACTIVE form. `request` is the `{answers: {section: [{field:
/// {value, editable}}]}}` body; `label` names it in the local list. The result holds the link
/// to send the client.
#[tauri::command]
#[specta::specta]
pub async fn create_prefilled_request(
    state: State<'_, AppState>,
    form_id: String,
    request: Payload<penneo::PrefilledRequest>,
    label: Option<String>,
) -> CommandResult<PrefilledRequestRecord> {
    Ok(state
        .core
        .create_prefilled_request(&form_id, request.into_inner(), label)
        .await?)
}

/// The requests sent from this app for a form, newest first, with their submission once synced.
#[tauri::command]
#[specta::specta]
pub async fn list_prefilled_requests(
    state: State<'_, AppState>,
    form_id: String,
    limit: Option<u32>,
    cursor: Option<String>,
) -> CommandResult<Page<PrefilledRequestRecord>> {
    Ok(state
        .core
        .list_prefilled_requests(&form_id, limit, cursor)
        .await?)
}

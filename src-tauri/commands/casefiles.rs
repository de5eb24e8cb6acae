//! Casefiles: checking dropped or picked PDFs, sending through the outbox, the send queue, the
//! cached list and detail, and a Collect casefile's answers and files.

use std::path::PathBuf;

use desk_core::db::casefiles::{
    CasefileDraftRecord, CasefileFileRecord, CasefileQuery, CasefileRecord, CasefileSummary,
};
use desk_core::db::outbox::OutboxEntry;
use desk_core::intake::{IntakeOptions, IntakeResult};
use desk_core::use_cases::{CasefileSend, SyncProgress};
use desk_core::{DeskEvent, Page};
use tauri::ipc::Channel;
use tauri::{AppHandle, Manager, State};

use super::payload::Payload;
use crate::error::CommandResult;
use crate::state::AppState;

/// Checks PDFs dropped on the window or picked with "Browse…" (the same call for both): each
/// comes back accepted (title, size, pages, hash) or rejected with a sentence saying why. The
/// accepted ones may be read through `asset:` URLs for their thumbnails. Only paths the
/// backend handed out (the picker's answer, a drop it saw) are checked, each once; any other
/// path fails the call with `invalid_input`.
#[tauri::command]
#[specta::specta]
pub async fn casefile_check_files<R: tauri::Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    paths: Vec<PathBuf>,
    existing_names: Vec<String>,
) -> CommandResult<Vec<IntakeResult>> {
    state
        .grants
        .take_all(crate::grants::GrantKind::ReadFile, &paths, "paths")?;
    let opts = IntakeOptions {
        existing_names,
        ..IntakeOptions::default()
    };
    let results = state.core.check_files(paths, opts).await?;
    let scope = app.asset_protocol_scope();
    for r in &results {
        if let IntakeResult::Accepted(f) = r {
            if let Err(e) = scope.allow_file(&f.path) {
                tracing::warn!("no preview for {}: {e}", f.file_name);
            }
        }
    }
    Ok(results)
}

/// Queues a casefile: the draft and the files' hashes are written down first, then the upload
/// runs in the background (and resumes after a restart). `progress` receives this send's
/// upload progress, job status and state changes until the casefile exists or the send stops;
/// the same news also arrive as `backend-event` for every open view.
#[tauri::command]
#[specta::specta]
pub async fn send_casefile(
    state: State<'_, AppState>,
    draft: Payload<penneo::CaseFileDraft>,
    files: Vec<PathBuf>,
    progress: Channel<DeskEvent>,
) -> CommandResult<OutboxEntry> {
    let draft = draft.into_inner();
    let (entry, mut news) = state
        .core
        .send_casefile_with_news(CasefileSend { draft, files })
        .await?;
    tauri::async_runtime::spawn(async move {
        while let Some(ev) = news.next().await {
            if progress.send(ev).is_err() {
                break;
            }
        }
    });
    Ok(entry)
}

/// The send queue: unfinished sends (and finished ones with `include_finished`).
#[tauri::command]
#[specta::specta]
pub async fn outbox_list(
    state: State<'_, AppState>,
    include_finished: bool,
) -> CommandResult<Vec<OutboxEntry>> {
    Ok(state.core.outbox(include_finished).await?)
}

/// One send, with its state, message, job and casefile.
#[tauri::command]
#[specta::specta]
pub async fn outbox_entry(
    state: State<'_, AppState>,
    entry_id: String,
) -> CommandResult<OutboxEntry> {
    Ok(state.core.outbox_entry(&entry_id).await?)
}

/// Tries a stopped send again (reconciling first, so it never makes a second casefile).
#[tauri::command]
#[specta::specta]
pub async fn outbox_retry(state: State<'_, AppState>, entry_id: String) -> CommandResult<()> {
    Ok(state.core.retry_outbox_entry(&entry_id).await?)
}

/// Removes a finished or stopped send from the queue.
#[tauri::command]
#[specta::specta]
pub async fn outbox_remove(state: State<'_, AppState>, entry_id: String) -> CommandResult<()> {
    Ok(state.core.remove_outbox_entry(&entry_id).await?)
}

/// The active account's casefiles from the local cache, filtered and searched.
#[tauri::command]
#[specta::specta]
pub async fn list_casefiles(
    state: State<'_, AppState>,
    query: CasefileQuery,
) -> CommandResult<Page<CasefileSummary>> {
    Ok(state.core.list_casefiles(query).await?)
}

/// Fetches casefiles changed since the last sync; status changes also arrive as events.
#[tauri::command]
#[specta::specta]
pub async fn sync_casefiles(
    state: State<'_, AppState>,
    progress: Channel<SyncProgress>,
) -> CommandResult<u32> {
    let n = state
        .core
        .sync_casefiles(&|p| {
            let _ = progress.send(p);
        })
        .await?;
    // Sends being tracked check their casefile now too.
    state.core.refresh_tracking_now();
    Ok(u32::try_from(n).unwrap_or(u32::MAX))
}

/// Keeps the editor's draft of a casefile not yet sent (in the active account's database).
#[tauri::command]
#[specta::specta]
pub async fn save_casefile_draft(
    state: State<'_, AppState>,
    draft_id: String,
    draft: Payload<penneo::CaseFileSpec>,
) -> CommandResult<CasefileDraftRecord> {
    Ok(state
        .core
        .save_casefile_draft(draft_id, draft.into_inner())
        .await?)
}

/// The casefile drafts on this computer for the active account, newest first.
#[tauri::command]
#[specta::specta]
pub async fn list_casefile_drafts(
    state: State<'_, AppState>,
) -> CommandResult<Vec<CasefileDraftRecord>> {
    Ok(state.core.list_casefile_drafts().await?)
}

/// Forgets a casefile draft (once its casefile exists, or when the user deletes it).
#[tauri::command]
#[specta::specta]
pub async fn delete_casefile_draft(
    state: State<'_, AppState>,
    draft_id: String,
) -> CommandResult<()> {
    Ok(state.core.delete_casefile_draft(draft_id).await?)
}

/// One casefile with its signers and documents; `refresh` asks Penneo first.
#[tauri::command]
#[specta::specta]
pub async fn get_casefile(
    state: State<'_, AppState>,
    casefile_id: i64,
    refresh: bool,
) -> CommandResult<CasefileRecord> {
    Ok(state.core.get_casefile(casefile_id, refresh).await?)
}

/// The signing link of one signer of a casefile out for signing (Penneo's
/// `GET /api/v1/signingrequests/{id}/link`).
#[tauri::command]
#[specta::specta]
pub async fn signer_signing_link(
    state: State<'_, AppState>,
    casefile_id: i64,
    signer_id: i64,
) -> CommandResult<String> {
    Ok(state
        .core
        .signer_signing_link(casefile_id, signer_id)
        .await?)
}

/// E-mails one signer of a casefile out for signing a reminder now (Penneo's
/// `PATCH /api/v1/signingrequests/{id}/send`).
#[tauri::command]
#[specta::specta]
pub async fn remind_signer(
    state: State<'_, AppState>,
    casefile_id: i64,
    signer_id: i64,
) -> CommandResult<()> {
    Ok(state.core.remind_signer(casefile_id, signer_id).await?)
}

/// The files attached to a Collect casefile.
#[tauri::command]
#[specta::specta]
pub async fn casefile_files(
    state: State<'_, AppState>,
    casefile_id: i64,
) -> CommandResult<Vec<CasefileFileRecord>> {
    Ok(state.core.casefile_files(casefile_id).await?)
}

/// The Collect answers that belong to a casefile.
#[tauri::command]
#[specta::specta]
pub async fn casefile_answers(
    state: State<'_, AppState>,
    casefile_id: i64,
) -> CommandResult<penneo::Answers> {
    Ok(state.core.casefile_answers(casefile_id).await?)
}

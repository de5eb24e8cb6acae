//! Submissions: the local table, one submission's answers, the search over all answers, the
//! review marks, syncing and export.

use std::path::PathBuf;

use desk_core::db::export::{CsvDelimiter, CsvOptions, ExportFormat, ExportSummary};
use desk_core::db::submissions::{
    Review, ReviewUpdate, SearchGroup, SearchQuery, SubmissionDetail, SubmissionQuery, TablePage,
};
use desk_core::use_cases::SyncProgress;
use desk_core::Page;
use tauri::ipc::Channel;
use tauri::State;

use crate::error::{CommandError, CommandResult};
use crate::state::AppState;

/// One page of a form's submissions from the local database, filtered and sorted as asked, with
/// the values of the requested field columns, from a cursor or an offset, and the count of the
/// whole view when asked for; each row in the table's form (`TableRow`: what a row shows).
#[tauri::command]
#[specta::specta]
pub async fn list_submissions(
    state: State<'_, AppState>,
    query: SubmissionQuery,
) -> CommandResult<TablePage> {
    Ok(state.core.list_submissions(query).await?.into())
}

/// One submission with all its answers and its neighbours (for next / previous).
#[tauri::command]
#[specta::specta]
pub async fn get_submission(
    state: State<'_, AppState>,
    submission_id: String,
) -> CommandResult<SubmissionDetail> {
    Ok(state.core.get_submission(&submission_id).await?)
}

/// Full-text search over every cached answer, grouped by form, with the matching text marked.
#[tauri::command]
#[specta::specta]
pub async fn search_answers(
    state: State<'_, AppState>,
    query: SearchQuery,
) -> CommandResult<Page<SearchGroup>> {
    Ok(state.core.search_answers(query).await?)
}

/// Marks a submission reviewed / flagged / annotated (kept locally).
#[tauri::command]
#[specta::specta]
pub async fn set_review(
    state: State<'_, AppState>,
    submission_id: String,
    update: ReviewUpdate,
) -> CommandResult<Review> {
    Ok(state.core.set_review(&submission_id, update).await?)
}

/// Fetches a form's submissions completed since the last sync, with their answers, reporting
/// progress on `progress`. Returns how many arrived.
#[tauri::command]
#[specta::specta]
pub async fn sync_submissions(
    state: State<'_, AppState>,
    form_id: String,
    progress: Channel<SyncProgress>,
) -> CommandResult<u32> {
    let n = state
        .core
        .sync_submissions(&form_id, &|p| {
            let _ = progress.send(p);
        })
        .await?;
    Ok(u32::try_from(n).unwrap_or(u32::MAX))
}

/// Writes every row of the current view (not just the page shown) to `path` as CSV or JSON.
/// `path` comes from the save dialog (`pick_save_path`); `csv` says which separator (and
/// decimal separator) the CSV gets: the one chosen, else the one for the UI's language.
#[tauri::command]
#[specta::specta]
pub async fn export_submissions(
    state: State<'_, AppState>,
    query: SubmissionQuery,
    format: ExportFormat,
    csv: CsvOptions,
    path: PathBuf,
) -> CommandResult<ExportSummary> {
    if !path.is_absolute() {
        return Err(CommandError::invalid(
            "path",
            "Choose where to save the export with the Save dialog.",
        ));
    }
    state
        .grants
        .take(crate::grants::GrantKind::SaveFile, &path, "path")?;
    Ok(state
        .core
        .export_submissions(query, format, csv, path)
        .await?)
}

/// The CSV separator a spreadsheet in this language expects (`;` with a decimal comma for
/// da, sv, nb, fi, nl, de, fr; `,` otherwise): what the export dialog offers first.
#[tauri::command]
#[specta::specta]
pub fn csv_delimiter_for_language(language: String) -> CsvDelimiter {
    CsvDelimiter::for_language(&language)
}

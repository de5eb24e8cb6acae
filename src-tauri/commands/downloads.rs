//! Downloads: signed documents of a completed casefile and files of a Collect casefile into a folder the user chose, the record
//! of what was downloaded, "Show in folder" and "Open".

use std::path::PathBuf;

use desk_core::db::bookkeeping::DownloadRecord;
use desk_core::downloads::SavedFile;
use desk_core::use_cases::DownloadProgress;
use tauri::ipc::Channel;
use tauri::{AppHandle, State};
use tauri_plugin_opener::OpenerExt;

use crate::error::{CommandError, CommandResult, ErrorCode};
use crate::grants::GrantKind;
use crate::state::AppState;

/// Downloads the signed PDFs of a completed casefile (all of them when `document_ids` is
/// empty) into `folder`. Each file is written to a temporary file, checked, synced and renamed;
/// an existing file is never overwritten (a numbered name is used instead).
#[tauri::command]
#[specta::specta]
pub async fn download_signed_documents(
    state: State<'_, AppState>,
    casefile_id: i64,
    document_ids: Vec<i64>,
    folder: PathBuf,
    progress: Channel<DownloadProgress>,
) -> CommandResult<Vec<SavedFile>> {
    state.grants.take(GrantKind::Folder, &folder, "folder")?;
    check_folder(&folder)?;
    Ok(state
        .core
        .download_signed_documents(casefile_id, document_ids, folder, &|p| {
            let _ = progress.send(p);
        })
        .await?)
}

/// Downloads files attached to a Collect casefile (the form's PDF, uploaded answers) into
/// `folder` — all of them when `file_ids` is empty — with the same temporary-file, check and
/// no-overwrite rules as signed documents.
#[tauri::command]
#[specta::specta]
pub async fn download_casefile_files(
    state: State<'_, AppState>,
    casefile_id: i64,
    file_ids: Vec<String>,
    folder: PathBuf,
    progress: Channel<DownloadProgress>,
) -> CommandResult<Vec<SavedFile>> {
    state.grants.take(GrantKind::Folder, &folder, "folder")?;
    check_folder(&folder)?;
    Ok(state
        .core
        .download_casefile_files(casefile_id, file_ids, folder, &|p| {
            let _ = progress.send(p);
        })
        .await?)
}

fn check_folder(folder: &std::path::Path) -> CommandResult<()> {
    if !folder.is_absolute() || !folder.is_dir() {
        return Err(CommandError::invalid(
            "folder",
            format!("{} is not a folder that exists.", folder.display()),
        ));
    }
    Ok(())
}

/// What was downloaded (for one casefile, or all), newest first.
#[tauri::command]
#[specta::specta]
pub async fn list_downloads(
    state: State<'_, AppState>,
    casefile_id: Option<i64>,
) -> CommandResult<Vec<DownloadRecord>> {
    Ok(state.core.downloads(casefile_id).await?)
}

/// Opens the file manager at a downloaded or exported file.
#[tauri::command]
#[specta::specta]
pub fn show_in_folder(app: AppHandle, path: PathBuf) -> CommandResult<()> {
    if !path.exists() {
        return Err(CommandError::new(
            ErrorCode::NotFound,
            format!("{} is no longer there.", path.display()),
        ));
    }
    app.opener().reveal_item_in_dir(&path).map_err(|e| {
        CommandError::new(
            ErrorCode::Internal,
            format!("Could not open the folder: {e}"),
        )
    })
}

/// "Open": opens a downloaded file (a signed PDF, a casefile's file) with the program the system
/// uses for it. Only a file this app downloaded for the active account (in its download record)
/// and that is still there is opened, so the webview cannot ask to launch anything else.
#[tauri::command]
#[specta::specta]
pub async fn open_downloaded_file(
    app: AppHandle,
    state: State<'_, AppState>,
    path: PathBuf,
) -> CommandResult<()> {
    let known = state
        .core
        .downloads(None)
        .await?
        .iter()
        .any(|d| std::path::Path::new(&d.path) == path);
    if !known {
        return Err(CommandError::invalid(
            "path",
            "Only a file Penneo Desk downloaded is opened from here.",
        ));
    }
    if !path.is_file() {
        return Err(CommandError::new(
            ErrorCode::NotFound,
            format!("{} is no longer there.", path.display()),
        ));
    }
    app.opener()
        .open_path(path.to_string_lossy(), None::<&str>)
        .map_err(|e| {
            CommandError::new(ErrorCode::Internal, format!("Could not open the file: {e}"))
        })
}

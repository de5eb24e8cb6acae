//! The native file dialogs, opened by the backend so the UI only ever sees the paths the user
//! chose.
//!
//! Automated runs cannot click in a native dialog. With `PENNEO_DESK_DIALOG_DIR` set, the
//! dialogs do not open: "Browse…" picks every regular file in that folder (sorted by name),
//! "Choose folder" answers with the folder itself, and "Save as" with the suggested name inside
//! it. Only the end-to-end tests set it.

use std::path::PathBuf;

use tauri::{AppHandle, State};
use tauri_plugin_dialog::{DialogExt, FilePath};
use tokio::sync::oneshot;

use crate::error::{CommandError, CommandResult, ErrorCode};
use crate::grants::GrantKind;
use crate::state::AppState;

const AUTOMATION_DIR: &str = "PENNEO_DESK_DIALOG_DIR";

fn automation_dir() -> Option<PathBuf> {
    std::env::var_os(AUTOMATION_DIR).map(PathBuf::from)
}

fn to_path(p: FilePath) -> CommandResult<PathBuf> {
    p.into_path().map_err(|e| {
        CommandError::new(
            ErrorCode::InvalidInput,
            format!("That location cannot be used: {e}"),
        )
    })
}

fn gone() -> CommandError {
    CommandError::new(ErrorCode::Internal, "The file dialog closed unexpectedly.")
}

/// "Browse…" for PDFs. Empty when the user cancels. Check the result with
/// `casefile_check_files`, exactly as a drop is checked (the paths are granted to it once).
#[tauri::command]
#[specta::specta]
pub async fn pick_pdf_files(
    app: AppHandle,
    state: State<'_, AppState>,
) -> CommandResult<Vec<PathBuf>> {
    let picked = pdf_files(app).await?;
    state
        .grants
        .grant(GrantKind::ReadFile, picked.iter().cloned());
    Ok(picked)
}

async fn pdf_files(app: AppHandle) -> CommandResult<Vec<PathBuf>> {
    if let Some(dir) = automation_dir() {
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .map_err(|e| CommandError::new(ErrorCode::Internal, format!("{AUTOMATION_DIR}: {e}")))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.is_file())
            .collect();
        files.sort();
        return Ok(files);
    }
    let (tx, rx) = oneshot::channel();
    app.dialog()
        .file()
        .set_title("Add PDFs to the casefile")
        .add_filter("PDF documents", &["pdf", "PDF"])
        .pick_files(move |picked| {
            let _ = tx.send(picked);
        });
    match rx.await.map_err(|_| gone())? {
        Some(paths) => paths.into_iter().map(to_path).collect(),
        None => Ok(Vec::new()),
    }
}

/// "Choose folder" for downloads. `None` when the user cancels. The folder is granted to one
/// download.
#[tauri::command]
#[specta::specta]
pub async fn pick_folder(
    app: AppHandle,
    state: State<'_, AppState>,
    title: String,
) -> CommandResult<Option<PathBuf>> {
    let picked = folder(app, title).await?;
    state.grants.grant(GrantKind::Folder, picked.clone());
    Ok(picked)
}

async fn folder(app: AppHandle, title: String) -> CommandResult<Option<PathBuf>> {
    if let Some(dir) = automation_dir() {
        return Ok(Some(dir));
    }
    let (tx, rx) = oneshot::channel();
    app.dialog()
        .file()
        .set_title(title)
        .pick_folder(move |picked| {
            let _ = tx.send(picked);
        });
    rx.await.map_err(|_| gone())?.map(to_path).transpose()
}

/// "Save as" with a suggested file name and one filter (e.g. `CSV`, `["csv"]`). `None` when the
/// user cancels. The path is granted to one export or save.
#[tauri::command]
#[specta::specta]
pub async fn pick_save_path(
    app: AppHandle,
    state: State<'_, AppState>,
    suggested_name: String,
    filter_name: String,
    extensions: Vec<String>,
) -> CommandResult<Option<PathBuf>> {
    let picked = save_path(app, suggested_name, filter_name, extensions).await?;
    state.grants.grant(GrantKind::SaveFile, picked.clone());
    Ok(picked)
}

async fn save_path(
    app: AppHandle,
    suggested_name: String,
    filter_name: String,
    extensions: Vec<String>,
) -> CommandResult<Option<PathBuf>> {
    let ext = extensions.first().map(String::as_str).unwrap_or("");
    let name = desk_core::downloads::safe_file_name(&suggested_name, ext);
    if let Some(dir) = automation_dir() {
        return Ok(Some(dir.join(name)));
    }
    let exts: Vec<&str> = extensions.iter().map(String::as_str).collect();
    let (tx, rx) = oneshot::channel();
    app.dialog()
        .file()
        .set_file_name(name)
        .add_filter(filter_name, &exts)
        .save_file(move |picked| {
            let _ = tx.send(picked);
        });
    rx.await.map_err(|_| gone())?.map(to_path).transpose()
}

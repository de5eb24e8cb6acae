//! The native file dialogs, opened by the backend so the UI only ever sees the paths the user
//! chose.
//!
//! Automated runs cannot click in a native dialog. With `PENNEO_DESK_DIALOG_DIR` set, the
//! dialogs do not open: "Browse…" picks every regular file in that folder (sorted by name),
//! "Choose folder" answers with the folder itself, and "Save as" with the suggested name inside
//! it. Only the end-to-end tests set it.
//!
//! The folder and save dialogs start in the folder used last (kept in `last-folder.txt` in the
//! data dir, so across restarts too); the first time, the dialog's own default.

use std::path::{Path, PathBuf};

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

const LAST_FOLDER_FILE: &str = "last-folder.txt";

/// The folder a dialog last ended in, when it still exists.
pub fn last_folder(data_dir: &Path) -> Option<PathBuf> {
    let text = std::fs::read_to_string(data_dir.join(LAST_FOLDER_FILE)).ok()?;
    let dir = PathBuf::from(text.trim_end_matches('\n'));
    (dir.is_absolute() && dir.is_dir()).then_some(dir)
}

/// Remembers the folder of a chosen folder or file. Not being able to is no reason to fail the
/// dialog: the next one starts at the default.
pub fn remember_folder(data_dir: &Path, chosen: &Path) {
    let dir = if chosen.is_dir() {
        Some(chosen)
    } else {
        chosen.parent()
    };
    if let Some(dir) = dir.filter(|d| d.is_absolute()) {
        if let Err(e) = std::fs::write(
            data_dir.join(LAST_FOLDER_FILE),
            format!("{}\n", dir.display()),
        ) {
            tracing::warn!("could not remember the folder: {e}");
        }
    }
}

fn data_dir(app: &AppHandle) -> Option<PathBuf> {
    crate::state::data_dir(app).ok()
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
    let data = data_dir(&app);
    let picked = if let Some(dir) = automation_dir() {
        Some(dir)
    } else {
        let (tx, rx) = oneshot::channel();
        let mut dialog = app.dialog().file().set_title(title);
        if let Some(last) = data.as_deref().and_then(last_folder) {
            dialog = dialog.set_directory(last);
        }
        dialog.pick_folder(move |picked| {
            let _ = tx.send(picked);
        });
        rx.await.map_err(|_| gone())?.map(to_path).transpose()?
    };
    if let (Some(data), Some(p)) = (&data, &picked) {
        remember_folder(data, p);
    }
    state.grants.grant(GrantKind::Folder, picked.clone());
    Ok(picked)
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
    let data = data_dir(&app);
    let picked = if let Some(dir) = automation_dir() {
        Some(dir.join(name))
    } else {
        let exts: Vec<&str> = extensions.iter().map(String::as_str).collect();
        let (tx, rx) = oneshot::channel();
        let mut dialog = app
            .dialog()
            .file()
            .set_file_name(name)
            .add_filter(filter_name, &exts);
        if let Some(last) = data.as_deref().and_then(last_folder) {
            dialog = dialog.set_directory(last);
        }
        dialog.save_file(move |picked| {
            let _ = tx.send(picked);
        });
        rx.await.map_err(|_| gone())?.map(to_path).transpose()?
    };
    if let (Some(data), Some(p)) = (&data, &picked) {
        remember_folder(data, p);
    }
    Ok(picked)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_folder_used_last_is_remembered_while_it_exists() {
        let data = tempfile::tempdir().unwrap();
        let docs = tempfile::tempdir().unwrap();
        assert_eq!(last_folder(data.path()), None);
        // A chosen folder is remembered as itself…
        remember_folder(data.path(), docs.path());
        assert_eq!(last_folder(data.path()).as_deref(), Some(docs.path()));
        // …a file to save as its folder (it need not exist yet).
        let other = tempfile::tempdir().unwrap();
        remember_folder(data.path(), &other.path().join("export.csv"));
        assert_eq!(last_folder(data.path()).as_deref(), Some(other.path()));
        // A folder that has gone since is not offered.
        let gone = other.path().to_path_buf();
        drop(other);
        assert!(!gone.exists());
        assert_eq!(last_folder(data.path()), None);
    }
}

//! The app's state: one `DeskCore`, opened at start-up in the app's data dir.

use std::path::PathBuf;

use desk_core::db::accounts::Environment;
use desk_core::{DeskConfig, DeskCore};
use serde::Serialize;
use specta::Type;
use tauri::{AppHandle, Manager, Runtime};
use tauri_specta::Event;

use crate::error::CommandError;

/// The active account or its session changed: the UI reads `account_status` again.
#[derive(Debug, Clone, Serialize, Type, tauri_specta::Event)]
pub struct AccountChanged;

pub struct AppState {
    pub core: DeskCore,
}

/// `PENNEO_DESK_DATA_DIR` when set (tests, portable installs), else the platform's app data dir.
pub fn data_dir<R: Runtime>(app: &AppHandle<R>) -> Result<PathBuf, CommandError> {
    if let Some(dir) = std::env::var_os("PENNEO_DESK_DATA_DIR") {
        return Ok(PathBuf::from(dir));
    }
    app.path().app_data_dir().map_err(|e| {
        CommandError::new("internal", format!("the app's data folder is unknown: {e}"))
    })
}

/// Opens the core and, when no account is active yet, opens the demo workspace in the
/// background. Account changes reach the UI as the `account-changed` event.
pub fn init<R: Runtime>(app: &AppHandle<R>) -> Result<(), Box<dyn std::error::Error>> {
    let dir = data_dir(app)?;
    std::fs::create_dir_all(&dir)?;
    let cfg = DeskConfig::new(dir, crate::opener::AppOpener::new(app.clone()));
    let core = tauri::async_runtime::block_on(DeskCore::open(cfg))?;
    app.manage(AppState { core: core.clone() });

    let handle = app.clone();
    tauri::async_runtime::spawn(async move {
        // The demo opens when nothing else is active, and again at each start while it is the
        // active account. Other accounts are not yet signed back in at start (issue 5).
        let open_demo = match core.active_account().await {
            Ok(active) => active.is_none_or(|a| a.environment == Environment::Demo),
            Err(e) => {
                tracing::warn!("accounts could not be read: {e}");
                false
            }
        };
        if open_demo {
            if let Err(e) = core.start_demo().await {
                tracing::warn!("the demo workspace could not open: {e}");
            }
        }
        if let Err(e) = AccountChanged.emit(&handle) {
            tracing::warn!("could not tell the window about the account: {e}");
        }
        if let Err(e) = core.resume_outbox().await {
            tracing::warn!("the outbox could not resume: {e}");
        }
    });
    Ok(())
}

//! The app looking after itself: its log folder and its updates.
//!
//! Updates go through tauri-plugin-updater: the feed URL (`plugins.updater.endpoints`) and the
//! public key (`plugins.updater.pubkey`) come from tauri.conf.json, and the downloaded package is
//! verified against that key (minisign, as the Tauri CLI signs it) before anything is installed.
//! The demo build ships with no feed, and "Check for updates" then says updates are not set up.

use std::path::PathBuf;
use std::sync::Mutex;

use serde::Serialize;
use specta::Type;
use tauri::{AppHandle, Manager, Runtime};
use tauri_plugin_opener::OpenerExt;
use tauri_plugin_updater::{Update, UpdaterExt};

use crate::error::{CommandError, CommandResult, ErrorCode};

/// The folder the log file is written to (shown in Settings → Diagnostics).
#[tauri::command]
#[specta::specta]
pub fn log_folder(app: AppHandle) -> CommandResult<PathBuf> {
    crate::logging::log_dir(&app)
}

/// Opens the log folder in the file manager, so the log can be attached to a message to support.
#[tauri::command]
#[specta::specta]
pub fn open_log_folder(app: AppHandle) -> CommandResult<()> {
    let dir = crate::logging::log_dir(&app)?;
    std::fs::create_dir_all(&dir).map_err(|e| {
        CommandError::new(
            ErrorCode::Io,
            format!("The log folder {} could not be made: {e}", dir.display()),
        )
    })?;
    app.opener()
        .open_path(dir.to_string_lossy(), None::<&str>)
        .map_err(|e| {
            CommandError::new(
                ErrorCode::Internal,
                format!("Could not open the log folder: {e}"),
            )
        })
}

/// What "Check for updates" found.
#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct UpdateCheck {
    /// The version running now.
    pub current_version: String,
    /// False when this build has no update feed or no public key (the demo build).
    pub configured: bool,
    /// A newer release, when the feed offers one.
    pub available: Option<AvailableUpdate>,
}

#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct AvailableUpdate {
    pub version: String,
    /// Release date as the feed gives it (RFC 3339).
    pub date: Option<String>,
    pub notes: Option<String>,
}

/// The release found by the last check, waiting for "Install and restart".
#[derive(Default)]
pub struct PendingUpdate(Mutex<Option<Update>>);

impl PendingUpdate {
    /// The release found by the last check, handed over once.
    pub fn take(&self) -> Option<Update> {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).take()
    }
}

/// Whether this build has an update feed and a key to check it with.
pub fn updates_configured<R: Runtime>(app: &AppHandle<R>) -> bool {
    let Some(cfg) = app.config().plugins.0.get("updater") else {
        return false;
    };
    let has_feed = cfg
        .get("endpoints")
        .and_then(|e| e.as_array())
        .is_some_and(|e| !e.is_empty());
    let has_key = cfg
        .get("pubkey")
        .and_then(|k| k.as_str())
        .is_some_and(|k| !k.trim().is_empty());
    has_feed && has_key
}

/// Asks the feed for a newer release; keeps it for [`install_update`].
pub async fn check<R: Runtime>(app: &AppHandle<R>) -> CommandResult<UpdateCheck> {
    let current_version = app.package_info().version.to_string();
    if !updates_configured(app) {
        return Ok(UpdateCheck {
            current_version,
            configured: false,
            available: None,
        });
    }
    let updater = app.updater().map_err(update_error)?;
    let found = updater.check().await.map_err(update_error)?;
    let available = found.as_ref().map(|u| AvailableUpdate {
        version: u.version.clone(),
        date: u.date.and_then(|d| {
            d.format(&time::format_description::well_known::Rfc3339)
                .ok()
        }),
        notes: u.body.clone(),
    });
    if let Some(pending) = app.try_state::<PendingUpdate>() {
        *pending.0.lock().unwrap_or_else(|p| p.into_inner()) = found;
    }
    Ok(UpdateCheck {
        current_version,
        configured: true,
        available,
    })
}

/// Downloads the release `update` points at and verifies its signature with the configured key
/// (the plugin's own check). The package's bytes when it is genuine; a clear refusal otherwise.
pub async fn download_verified(update: &Update) -> CommandResult<Vec<u8>> {
    update
        .download(|_, _| {}, || {})
        .await
        .map_err(update_error)
}

/// The plugin's errors, said for a person. A signature that does not match is a refusal, not
/// a hiccup: the package is thrown away and nothing is installed.
pub fn update_error(e: tauri_plugin_updater::Error) -> CommandError {
    use tauri_plugin_updater::Error as E;
    match e {
        E::Minisign(_)
        | E::Base64(_)
        | E::SignatureUtf8(_)
        | E::SignedVersionMismatch { .. }
        | E::MissingSignedVersion => {
            tracing::warn!("update refused: {e}");
            CommandError::new(
                ErrorCode::Forbidden,
                "The update was refused: its signature does not match Penneo Desk's update key, \
                 so it may have been changed on the way. Nothing was installed.",
            )
        }
        E::Reqwest(_) | E::Network(_) | E::ReleaseNotFound => CommandError {
            retryable: true,
            ..CommandError::new(
                ErrorCode::Offline,
                format!("The update server could not be reached or did not answer: {e}"),
            )
        },
        other => CommandError::new(
            ErrorCode::Internal,
            format!("The update could not be checked or installed: {other}"),
        ),
    }
}

/// "Check for updates" in Settings.
#[tauri::command]
#[specta::specta]
pub async fn check_for_update(app: AppHandle) -> CommandResult<UpdateCheck> {
    check(&app).await
}

/// "Install and restart": downloads the release the last check found, verifies it, installs it
/// and restarts the app into it.
#[tauri::command]
#[specta::specta]
pub async fn install_update(app: AppHandle) -> CommandResult<()> {
    let update = app
        .try_state::<PendingUpdate>()
        .and_then(|p| p.take())
        .ok_or_else(|| {
            CommandError::new(
                ErrorCode::Conflict,
                "There is no update to install: check for updates first.",
            )
        })?;
    let bytes = download_verified(&update).await?;
    update.install(&bytes).map_err(update_error)?;
    tracing::info!(version = %update.version, "update installed; restarting");
    app.restart()
}

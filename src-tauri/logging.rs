//! The log file: every `tracing` event of the app (tracing's `log` feature turns them into `log`
//! records while no tracing subscriber is installed) goes through tauri-plugin-log to
//! `penneo-desk.log` in the platform's log folder, and to stderr. Each line is redacted first
//! (`desk_core::redacted::redact_log_line`: secrets, e-mail addresses, CPR numbers, tokens in
//! URLs, the home folder), so the file can be sent to support as it is. The file is rotated at
//! 2 MB, and the five newest rotated files are kept.
//!
//! With `PENNEO_DESK_DATA_DIR` set (tests, portable installs) the log goes to its `logs/`
//! folder instead, so a test run never writes into the user's own log.

use std::path::PathBuf;

use tauri::plugin::TauriPlugin;
use tauri::{AppHandle, Manager, Runtime};
use tauri_plugin_log::{RotationStrategy, Target, TargetKind, TimezoneStrategy};

use crate::error::{CommandError, ErrorCode};

/// The log file's name, without its `.log`.
pub const LOG_FILE_NAME: &str = "penneo-desk";
/// Rotated at this size.
pub const MAX_LOG_BYTES: u128 = 2 * 1024 * 1024;

/// Where the log file is written.
pub fn log_dir<R: Runtime>(app: &AppHandle<R>) -> Result<PathBuf, CommandError> {
    if let Some(dir) = std::env::var_os("PENNEO_DESK_DATA_DIR") {
        return Ok(PathBuf::from(dir).join("logs"));
    }
    app.path().app_log_dir().map_err(|e| {
        CommandError::new(
            ErrorCode::Internal,
            format!("The log folder could not be found: {e}"),
        )
    })
}

/// The level: `PENNEO_DESK_LOG` (`error` … `trace`) when set, else `info`.
fn level() -> log::LevelFilter {
    std::env::var("PENNEO_DESK_LOG")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(log::LevelFilter::Info)
}

/// The plugin, writing into `dir`. Registered first thing in the app's setup.
pub fn plugin<R: Runtime>(dir: PathBuf) -> TauriPlugin<R> {
    tauri_plugin_log::Builder::new()
        .clear_targets()
        .target(Target::new(TargetKind::Folder {
            path: dir,
            file_name: Some(LOG_FILE_NAME.to_string()),
        }))
        .target(Target::new(TargetKind::Stderr))
        .level(level())
        // The webview engine and the HTTP stack are loud at info and say nothing for support.
        .level_for("tao", log::LevelFilter::Warn)
        .level_for("wry", log::LevelFilter::Warn)
        .level_for("hyper", log::LevelFilter::Warn)
        .level_for("hyper_util", log::LevelFilter::Warn)
        .level_for("reqwest", log::LevelFilter::Warn)
        .level_for("rustls", log::LevelFilter::Warn)
        // D-Bus (desktop notifications, the Secret Service) logs its handshake bytes at info.
        .level_for("zbus", log::LevelFilter::Warn)
        .level_for("tracing::span", log::LevelFilter::Warn)
        .max_file_size(MAX_LOG_BYTES)
        .rotation_strategy(RotationStrategy::KeepSome(5))
        .timezone_strategy(TimezoneStrategy::UseUtc)
        .format(|out, message, record| {
            let line = desk_core::redacted::redact_log_line(&message.to_string());
            let now = time::OffsetDateTime::now_utc()
                .format(&time::format_description::well_known::Rfc3339)
                .unwrap_or_default();
            out.finish(format_args!(
                "{now} {:<5} {}: {line}",
                record.level(),
                record.target()
            ))
        })
        .build()
}

//! The app's state: one `DeskCore`, opened at start-up in the app's data dir, and the bridge
//! from its events to the window (app events) and the desktop (notifications).

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};

use desk_core::db::accounts::Environment;
use desk_core::{DeskConfig, DeskCore, DeskEvent};
use serde::Serialize;
use specta::Type;
use tauri::{AppHandle, Manager, Runtime};
use tauri_plugin_notification::NotificationExt;
use tauri_specta::Event;
use tokio::sync::broadcast::error::RecvError;
use tokio_util::sync::CancellationToken;

use crate::error::{CommandError, ErrorCode};

/// The active account or its session changed: the UI reads `account_status` again.
#[derive(Debug, Clone, Serialize, Type, tauri_specta::Event)]
pub struct AccountChanged;

/// Something the backend did on its own: an outbox entry moved on, upload progress, a job's
/// status, a casefile's status changed, a session ended.
#[derive(Debug, Clone, Serialize, Type, tauri_specta::Event)]
pub struct BackendEvent(pub DeskEvent);

pub struct AppState {
    pub core: DeskCore,
    /// Paths the dialogs and drops handed out, which commands may take back once each.
    pub grants: crate::grants::Grants,
    /// The UI's language (a BCP 47 tag) that notifications are worded in; `en` until the UI
    /// (or the stored preference) says otherwise.
    language: Arc<RwLock<String>>,
    /// The browser sign-in waiting for its callback, if any (`cancel_sign_in` fires it).
    sign_in: Mutex<Option<(u64, CancellationToken)>>,
    sign_in_seq: AtomicU64,
}

/// A sign-in in progress; dropping it forgets its cancel token unless a newer one replaced it.
pub struct SignInGuard<'a> {
    state: &'a AppState,
    id: u64,
    pub token: CancellationToken,
}

impl Drop for SignInGuard<'_> {
    fn drop(&mut self) {
        let mut slot = self.state.sign_in.lock().unwrap_or_else(|p| p.into_inner());
        if slot.as_ref().is_some_and(|(id, _)| *id == self.id) {
            slot.take();
        }
    }
}

impl AppState {
    pub fn new(core: DeskCore) -> Self {
        Self {
            core,
            grants: Default::default(),
            language: Arc::new(RwLock::new("en".into())),
            sign_in: Mutex::new(None),
            sign_in_seq: AtomicU64::new(0),
        }
    }

    /// Starts a sign-in, cancelling one still waiting (only one loopback listener at a time).
    pub fn begin_sign_in(&self) -> SignInGuard<'_> {
        let id = self.sign_in_seq.fetch_add(1, Ordering::Relaxed);
        let token = CancellationToken::new();
        let mut slot = self.sign_in.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((_, old)) = slot.replace((id, token.clone())) {
            old.cancel();
        }
        SignInGuard {
            state: self,
            id,
            token,
        }
    }

    /// The language notifications are worded in.
    pub fn language(&self) -> String {
        self.language
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Words the next notifications in `language` (a BCP 47 tag the UI speaks).
    pub fn set_language(&self, language: &str) {
        *self.language.write().unwrap_or_else(|p| p.into_inner()) = language.to_string();
    }

    /// Cancels the waiting sign-in; false when none was waiting.
    pub fn cancel_sign_in(&self) -> bool {
        let slot = self
            .sign_in
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take();
        slot.map(|(_, t)| t.cancel()).is_some()
    }
}

/// `PENNEO_DESK_DATA_DIR` when set (tests, portable installs), else the platform's app data dir.
pub fn data_dir<R: Runtime>(app: &AppHandle<R>) -> Result<PathBuf, CommandError> {
    if let Some(dir) = std::env::var_os("PENNEO_DESK_DATA_DIR") {
        return Ok(PathBuf::from(dir));
    }
    app.path().app_data_dir().map_err(|e| {
        CommandError::new(
            ErrorCode::Internal,
            format!("the app's data folder is unknown: {e}"),
        )
    })
}

/// Test knob: the Demo simulator's signer-status numbering (`sdk` or `postman`).
const DEMO_SIGNER_SCHEME_ENV: &str = "PENNEO_DESK_DEMO_SIGNER_STATUS_SCHEME";

/// Opens the core and, when no account is active yet, opens the demo workspace in the
/// background. Account changes reach the UI as the `account-changed` event, everything else
/// the core reports as `backend-event`.
pub fn init<R: Runtime>(app: &AppHandle<R>) -> Result<(), Box<dyn std::error::Error>> {
    // `DeskCore::open` creates the data dir (0700 on Unix) and locks it: a second Penneo Desk
    // on the same data dir stops here with `already_open`.
    let dir = data_dir(app)?;
    let mut cfg = DeskConfig::new(dir, crate::opener::AppOpener::new(app.clone()));
    // For the end-to-end tests, which walk the casefile flow under both of the numberings
    // Penneo's sources give signer statuses: `sdk` (the default) or `postman`.
    if let Some(scheme) = std::env::var(DEMO_SIGNER_SCHEME_ENV)
        .ok()
        .and_then(|s| penneo::SignerStatusScheme::parse(&s))
    {
        cfg.demo_signer_status_scheme = scheme;
    }
    let core = tauri::async_runtime::block_on(DeskCore::open(cfg))?;
    let state = AppState::new(core.clone());
    // The language the UI last spoke, so a notification before the window is up is in it.
    match tauri::async_runtime::block_on(core.preferences()) {
        Ok(p) => {
            if let Some(lang) = p.language {
                state.set_language(&lang);
            }
        }
        Err(e) => tracing::warn!("preferences could not be read: {e}"),
    }
    let language = state.language.clone();
    app.manage(state);

    forward_events(app.clone(), &core, language);

    let handle = app.clone();
    tauri::async_runtime::spawn(async move {
        // The demo opens when nothing else is active, and again at each start while it is the
        // active account. Another active account signs back in on its first call, from the
        // secrets it stored (or asks for a sign-in when there are none).
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
        core.start_background_sync();
    });
    Ok(())
}

fn forward_events<R: Runtime>(app: AppHandle<R>, core: &DeskCore, language: Arc<RwLock<String>>) {
    let mut rx = core.subscribe();
    let core = core.clone();
    tauri::async_runtime::spawn(async move {
        loop {
            let ev = match rx.recv().await {
                Ok(ev) => ev,
                Err(RecvError::Lagged(n)) => {
                    // Sends must not look stuck: tell where each unfinished one stands now.
                    tracing::debug!("the window missed {n} backend events");
                    let _ = BackendEvent(DeskEvent::NewsMissed { count: n }).emit(&app);
                    // A missed sign-out must still reach the account status.
                    let _ = AccountChanged.emit(&app);
                    for e in core.outbox(false).await.unwrap_or_default() {
                        let _ = BackendEvent(DeskEvent::outbox_changed(e)).emit(&app);
                    }
                    continue;
                }
                Err(RecvError::Closed) => break,
            };
            match &ev {
                DeskEvent::CasefileStatus {
                    title,
                    status,
                    previous: Some(prev),
                    ..
                } if prev != status => {
                    let lang = language.read().unwrap_or_else(|p| p.into_inner()).clone();
                    // Completed, rejected or expired: worth a desktop notification.
                    if let Some(notice) = crate::notices::casefile_status(&lang, title, *status) {
                        let shown = app
                            .notification()
                            .builder()
                            .title(notice.title)
                            .body(notice.body)
                            .show();
                        if let Err(e) = shown {
                            tracing::debug!("no desktop notification: {e}");
                        }
                    }
                }
                DeskEvent::SignedOut { .. } => {
                    let _ = AccountChanged.emit(&app);
                }
                _ => {}
            }
            if let Err(e) = BackendEvent(ev).emit(&app) {
                tracing::debug!("could not forward a backend event: {e}");
            }
        }
    });
}

//! `DeskCore`: the one facade the desktop shell calls, grouped by domain (accounts, forms,
//! submissions, casefiles, outbox, downloads, settings).

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use tokio::sync::{broadcast, Mutex};

use crate::db::Db;
use crate::error::{DeskError, Result};
use crate::secret_store::SecretStore;
use crate::signin::BrowserOpener;

mod accounts;
mod casefiles;
mod forms;
mod outbox;
mod preferences;
mod sync;

pub use accounts::{AuthInput, NewAccount, SessionInfo, DEMO_STATE_FILE};
pub use casefiles::{CasefileSend, DownloadProgress};
pub use outbox::SendNews;
pub use preferences::{Preferences, PreferencesUpdate};
pub use sync::{CasefileSync, SyncProgress, SyncReport};

/// How the core is set up. `Default` is what the app uses; tests shorten the intervals.
#[derive(Clone)]
pub struct DeskConfig {
    /// The app's data dir (database, secrets file fallback, demo state).
    pub data_dir: PathBuf,
    pub opener: Arc<dyn BrowserOpener>,
    /// `None`: the platform keychain with the fallback rules of `secret_store::SecretVault`.
    pub secrets: Option<Arc<dyn SecretStore>>,
    /// How long a simulated Send job takes in the Demo environment.
    pub demo_job_delay_ms: u64,
    /// How the Demo environment's simulator numbers signer statuses (Penneo's sources disagree;
    /// the app learns the numbering per account). The SDKs' numbering unless a test asks for the
    /// other.
    pub demo_signer_status_scheme: penneo::SignerStatusScheme,
    /// How often the background check asks Penneo for the active account's casefiles changed
    /// since the last check (one list request when few changed): 3 s, 20 requests a minute,
    /// so a casefile signed in Penneo shows here within a few seconds. Sent casefiles of that
    /// account are followed from what it brings.
    pub casefile_poll_interval: Duration,
    /// How often a sent casefile's status is fetched on its own when the background check does
    /// not cover its account (not started, or another account is the active one).
    pub tracking_poll_interval: Duration,
    /// How often the whole account (forms, submissions, casefiles) is synced in the background.
    pub full_sync_interval: Duration,
    /// How often a job's status is polled (never faster than Penneo's 3 s rule).
    pub job_poll_interval: Duration,
    /// How long the browser has to come back from sign-in.
    pub sign_in_timeout: Duration,
    /// Retries of idempotent Penneo calls.
    pub retry: penneo::RetryPolicy,
    /// Longest wait between two attempts of an outbox send after transient failures.
    pub outbox_max_backoff: Duration,
    /// How long after an upload attempt whose fate is unknown (the app was killed during it,
    /// or the connection broke before Penneo answered) the outbox waits before it looks for
    /// the casefile and, finding none, uploads again. Penneo may have taken the upload and be
    /// making the casefile; looking too early finds nothing and sends it twice. Penneo itself
    /// refuses a second upload only while the first one's job is still running.
    pub unsure_send_wait: Duration,
    /// Start uploading as soon as a casefile is queued (otherwise at `resume_outbox`).
    pub autostart_outbox: bool,
    /// The most pages one sync loop asks for before it stops with an error: a server that
    /// ignores the offset and keeps sending full pages cannot keep the app busy for ever.
    pub max_sync_pages: u32,
}

/// [`DeskConfig::max_sync_pages`] unless a test asks for less: 1,000,000 forms or 5,000,000
/// submissions of one form.
pub const MAX_SYNC_PAGES: u32 = 10_000;

impl DeskConfig {
    pub fn new(data_dir: impl Into<PathBuf>, opener: Arc<dyn BrowserOpener>) -> Self {
        DeskConfig {
            data_dir: data_dir.into(),
            opener,
            secrets: None,
            demo_job_delay_ms: 2000,
            demo_signer_status_scheme: penneo::SignerStatusScheme::Sdk,
            casefile_poll_interval: Duration::from_secs(3),
            tracking_poll_interval: Duration::from_secs(30),
            full_sync_interval: Duration::from_secs(300),
            job_poll_interval: penneo::jobs::MIN_POLL_INTERVAL,
            sign_in_timeout: crate::signin::SIGN_IN_TIMEOUT,
            retry: penneo::RetryPolicy::default(),
            outbox_max_backoff: Duration::from_secs(60),
            unsure_send_wait: Duration::from_secs(60),
            autostart_outbox: true,
            max_sync_pages: MAX_SYNC_PAGES,
        }
    }
}

/// News for the UI (the shell forwards them as app events).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", tag = "type")]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub enum DeskEvent {
    /// An outbox entry moved on (state, message and its note, casefile id). `updated_at` is the
    /// entry's own stamp after the change: news can arrive late or twice (channel and event),
    /// and a view keeps whichever is newest.
    #[serde(rename_all = "camelCase")]
    OutboxChanged {
        entry_id: String,
        state: crate::db::outbox::OutboxState,
        message: Option<String>,
        note: Option<crate::db::outbox::OutboxNote>,
        casefile_id: Option<i64>,
        updated_at: String,
    },
    /// Upload progress of an outbox entry.
    #[serde(rename_all = "camelCase")]
    UploadProgress {
        entry_id: String,
        bytes_sent: u64,
        total_bytes: u64,
    },
    /// A job's status as last polled.
    #[serde(rename_all = "camelCase")]
    JobStatus {
        entry_id: String,
        job_uuid: String,
        /// Penneo's job status on the wire (`pending`, `completed`, …).
        #[cfg_attr(feature = "specta", specta(type = String))]
        status: penneo::JobStatus,
    },
    /// A cached casefile changed status.
    #[serde(rename_all = "camelCase")]
    CasefileStatus {
        account_id: String,
        casefile_id: i64,
        title: String,
        /// Penneo's code on the wire.
        #[cfg_attr(feature = "specta", specta(type = i64))]
        status: penneo::CasefileStatus,
        #[cfg_attr(feature = "specta", specta(type = Option<i64>))]
        previous: Option<penneo::CasefileStatus>,
    },
    /// The background sync of the whole account finished (`submissions`: how many new or
    /// changed submissions it brought).
    #[serde(rename_all = "camelCase")]
    BackgroundSynced {
        submissions: u64,
        finished_at: String,
    },
    /// The session of an account ended (sign in again).
    #[serde(rename_all = "camelCase")]
    SignedOut { account_id: String },
    /// `count` news were lost on the way to the window (they came faster than it took them):
    /// what a view shows may be behind, so it reads again. Unfinished sends are announced
    /// anew right after this.
    #[serde(rename_all = "camelCase")]
    NewsMissed { count: u64 },
}

impl DeskEvent {
    /// Where an outbox entry stands now, as the news of its last change.
    pub fn outbox_changed(e: crate::db::outbox::OutboxEntry) -> DeskEvent {
        DeskEvent::OutboxChanged {
            entry_id: e.id,
            state: e.state,
            message: e.message,
            note: e.note,
            casefile_id: e.casefile_id,
            updated_at: e.updated_at,
        }
    }
}

pub(crate) struct Inner {
    pub(crate) cfg: DeskConfig,
    pub(crate) db: Db,
    pub(crate) secrets: Arc<dyn SecretStore>,
    /// Signed-in clients by account id (access tokens live only in there).
    pub(crate) sessions: Mutex<HashMap<String, penneo::Penneo>>,
    /// The embedded simulator serving the Demo environment, once started.
    #[cfg(feature = "demo")]
    pub(crate) demo: Mutex<Option<penneo_sim::RunningSim>>,
    /// Settings → Diagnostics: every client reports to it; it records only while on.
    pub(crate) recorder: Arc<crate::diagnostics::Recorder>,
    pub(crate) events: broadcast::Sender<DeskEvent>,
    /// Outbox entries with a running worker.
    pub(crate) running: std::sync::Mutex<HashSet<String>>,
    pub(crate) shutdown: tokio_util::sync::CancellationToken,
    /// Wakes tracking workers ("check now").
    pub(crate) wake: tokio::sync::Notify,
    /// The background check of the active account's casefiles runs
    /// ([`DeskCore::start_background_sync`]).
    pub(crate) background_check: std::sync::atomic::AtomicBool,
    /// The exclusive lock on the data dir's [`LOCK_FILE`], released when the last handle on
    /// the core is gone (closing the file releases it, and so does the OS if the process dies).
    _dir_lock: std::fs::File,
    /// This run, as recorded on the entries it uploads.
    pub(crate) uploader: crate::db::outbox::Uploader,
}

/// The lock file in the data dir: whoever holds its exclusive lock owns the data dir.
pub const LOCK_FILE: &str = "penneo-desk.lock";

/// Creates the data dir (0700 on Unix: only this user may read the database and the secrets
/// file fallback; an existing one is tightened to 0700) and takes the exclusive lock on its [`LOCK_FILE`] without waiting.
///
/// Two processes on one data dir would both run the outbox on one database, and the second
/// would take the first's upload in progress for a crash leftover and send it again; the lock
/// makes the second open fail at once with [`DeskError::AlreadyOpen`]. It is an advisory lock
/// (`flock` on Unix, `LockFileEx` on Windows) on an open file, so a crashed or killed process
/// never leaves it behind.
fn lock_data_dir(dir: &Path) -> Result<std::fs::File> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder
        .create(dir)
        .map_err(|e| DeskError::io("could not create the data folder", e))?;
    #[cfg(unix)]
    {
        // A data dir made before (by an older version, or by the webview's own storage) is
        // tightened too; when that is not allowed (not this user's folder) it is left as is.
        use std::os::unix::fs::PermissionsExt;
        if let Ok(meta) = std::fs::metadata(dir) {
            if meta.permissions().mode() & 0o077 != 0 {
                if let Err(e) =
                    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
                {
                    tracing::warn!(dir = %dir.display(), "could not make the data folder private: {e}");
                }
            }
        }
    }
    let file = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(dir.join(LOCK_FILE))
        .map_err(|e| DeskError::io("could not open the data folder's lock file", e))?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(std::fs::TryLockError::WouldBlock) => Err(DeskError::AlreadyOpen {
            data_dir: dir.to_path_buf(),
        }),
        Err(std::fs::TryLockError::Error(e)) => {
            Err(DeskError::io("could not lock the data folder", e))
        }
    }
}

/// Whether a live core holds the data dir lock file at `path` (another data dir's, found on
/// an outbox entry). The file is opened, never created; a shared lock that succeeds means
/// nobody holds the exclusive one. When it cannot be told, the answer is yes: leaving an entry
/// alone is safe, taking over a live upload is not.
pub(crate) fn lock_is_held(path: &Path) -> bool {
    match std::fs::File::open(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => false,
        Err(_) => true,
        Ok(f) => match f.try_lock_shared() {
            Ok(()) => false,
            Err(_) => true,
        },
    }
}

/// The app's use-cases. Cheap to clone.
#[derive(Clone)]
pub struct DeskCore {
    pub(crate) inner: Arc<Inner>,
}

impl std::fmt::Debug for DeskCore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DeskCore")
            .field("data_dir", &self.inner.cfg.data_dir)
            .finish_non_exhaustive()
    }
}

/// Shown in Settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct StorageInfo {
    pub data_dir: PathBuf,
    pub database: PathBuf,
    pub secrets: crate::secret_store::SecretBackendInfo,
}

impl DeskCore {
    /// Lock the data dir, then open the database and the secret store. Does not start any
    /// network work; call [`DeskCore::resume_outbox`] once the UI is up.
    ///
    /// Fails with [`DeskError::AlreadyOpen`] (code `already_open`) while another core — in
    /// this process or another — has the same data dir open; see [`LOCK_FILE`].
    pub async fn open(cfg: DeskConfig) -> Result<DeskCore> {
        let dir = cfg.data_dir.clone();
        let (dir_lock, lock_path, db) = tokio::task::spawn_blocking(move || {
            let lock = lock_data_dir(&dir)?;
            let path = dir.join(LOCK_FILE);
            let path = std::fs::canonicalize(&path).unwrap_or(path);
            Ok::<_, DeskError>((lock, path, Db::open_in(&dir)?))
        })
        .await??;
        let secrets = match &cfg.secrets {
            Some(s) => s.clone(),
            None => crate::secret_store::platform_vault(&cfg.data_dir),
        };
        let (events, _) = broadcast::channel(256);
        Ok(DeskCore {
            inner: Arc::new(Inner {
                cfg,
                db,
                secrets,
                sessions: Mutex::new(HashMap::new()),
                #[cfg(feature = "demo")]
                demo: Mutex::new(None),
                recorder: Arc::new(crate::diagnostics::Recorder::default()),
                events,
                running: std::sync::Mutex::new(HashSet::new()),
                shutdown: tokio_util::sync::CancellationToken::new(),
                wake: tokio::sync::Notify::new(),
                background_check: std::sync::atomic::AtomicBool::new(false),
                _dir_lock: dir_lock,
                uploader: crate::db::outbox::Uploader {
                    run_id: uuid::Uuid::new_v4().to_string(),
                    lock_path: lock_path.to_string_lossy().into_owned(),
                },
            }),
        })
    }

    /// Stop background work (outbox workers, the demo simulator).
    pub async fn shutdown(&self) {
        self.inner.shutdown.cancel();
        #[cfg(feature = "demo")]
        if let Some(sim) = self.inner.demo.lock().await.take() {
            sim.shutdown().await;
        }
    }

    pub fn db(&self) -> &Db {
        &self.inner.db
    }

    pub fn data_dir(&self) -> &Path {
        &self.inner.cfg.data_dir
    }

    /// Background news; every subscriber gets every event from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<DeskEvent> {
        self.inner.events.subscribe()
    }

    pub(crate) fn emit(&self, e: DeskEvent) {
        let _ = self.inner.events.send(e);
    }

    /// The user agreed (Settings → Storage) to keep secrets in a 0600 file in the data dir
    /// while no keychain answers.
    pub fn allow_file_secrets(&self) -> Result<StorageInfo> {
        self.inner.secrets.allow_file_store()?;
        Ok(self.storage_info())
    }

    /// Settings → Storage → "Try the keychain again": where no keychain answered, asks it again
    /// now (the user started or unlocked one) and moves the file's and memory's secrets into it.
    /// The keychain is asked on a blocking thread (an unlock prompt may keep it).
    pub async fn retry_keychain(&self) -> Result<StorageInfo> {
        let secrets = self.inner.secrets.clone();
        tokio::task::spawn_blocking(move || secrets.retry_keychain()).await??;
        Ok(self.storage_info())
    }

    pub fn storage_info(&self) -> StorageInfo {
        StorageInfo {
            data_dir: self.inner.cfg.data_dir.clone(),
            database: self.inner.db.path().to_path_buf(),
            secrets: self.inner.secrets.info(),
        }
    }

    /// The active account's id, or `auth_required`.
    pub(crate) async fn active_id(&self) -> Result<String> {
        let acc = self
            .inner
            .db
            .call(|c| crate::db::accounts::active(c))
            .await?;
        acc.map(|a| a.id)
            .ok_or_else(|| DeskError::AuthRequired("Add or choose a Penneo account first.".into()))
    }
}

impl DeskCore {
    /// Settings → Diagnostics → "Record API exchanges": start recording every exchange with
    /// Penneo of this run, redacted as it is recorded (what an earlier recording held is
    /// dropped).
    pub fn start_recording(&self) -> crate::diagnostics::RecorderStatus {
        self.inner.recorder.start();
        self.inner.recorder.status()
    }

    /// Stop recording; what was recorded is kept until it is saved or a new recording starts.
    pub fn stop_recording(&self) -> crate::diagnostics::RecorderStatus {
        self.inner.recorder.stop();
        self.inner.recorder.status()
    }

    pub fn recording_status(&self) -> crate::diagnostics::RecorderStatus {
        self.inner.recorder.status()
    }

    /// Write the (already redacted) recording to `path`; returns how many exchanges it holds.
    pub async fn save_recording(&self, path: std::path::PathBuf) -> Result<u32> {
        let rec = self.inner.recorder.clone();
        tokio::task::spawn_blocking(move || rec.save(&path)).await?
    }
}

//! penneo-sim: a stateful local simulator of the Penneo API (OAuth, Collect, Send, Sign) plus
//! a control API under `/_sim/`. Start one with [`Sim::start`]; see the crate README.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub mod app;
pub mod codes;
pub mod collect;
pub mod control;
pub mod error;
pub mod extract;
pub mod html;
pub mod oauth;
pub mod pdf;
pub mod seed;
pub mod send;
pub mod sign;
pub mod state;
pub mod util;
pub mod work;

pub use error::SimError;
pub use state::SignerStatusScheme;

/// OAuth client id of the built-in demo client.
pub const DEMO_CLIENT_ID: &str = "demo-client";
/// OAuth client secret of the built-in demo client.
pub const DEMO_CLIENT_SECRET: &str = "demo-secret";
/// API key for the `api_keys` grant.
pub const DEMO_API_KEY: &str = "demo-key";
/// API secret for the `api_keys` grant.
pub const DEMO_API_SECRET: &str = "demo-api-secret";
/// The signed-in user's name.
pub const DEMO_USER_NAME: &str = "Demo Practice";
/// The signed-in user's e-mail.
pub const DEMO_USER_EMAIL: &str = "demo@penneo.local";

/// Initial data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Seed {
    /// A believable practice workspace (forms, submissions, casefiles).
    Demo,
    /// Nothing.
    #[default]
    Empty,
}

/// Simulator configuration.
#[derive(Debug, Clone)]
pub struct SimConfig {
    /// Address to listen on (default `127.0.0.1:0`).
    pub listen: SocketAddr,
    /// Initial data (used only when the state file does not exist yet).
    pub seed: Seed,
    /// Persist everything to this file (atomically); blobs go to `<file>.blobs/`.
    pub state_file: Option<PathBuf>,
    /// How long a Send job takes from pending to completed (simulated ms); also the delay
    /// between "signed" (4) and "completed" (5).
    pub job_delay_ms: u64,
    /// Approve OAuth authorization requests at once (no consent page).
    pub auto_approve: bool,
    /// OAuth clients registered with one exact redirect URI each (Penneo compares redirect
    /// URIs exactly); the demo client keeps accepting any loopback redirect.
    pub clients: Vec<state::RegisteredClient>,
    /// How `signingRequest.status` is numbered in casefile details (default: the SDKs').
    pub signer_status_scheme: SignerStatusScheme,
}

impl state::RegisteredClient {
    /// Parses `ID:SECRET:REDIRECT_URI` (the URI holds colons of its own; id and secret don't).
    pub fn parse(spec: &str) -> Result<Self, String> {
        let mut parts = spec.splitn(3, ':');
        let (Some(id), Some(secret), Some(uri)) = (parts.next(), parts.next(), parts.next()) else {
            return Err(format!("'{spec}' is not ID:SECRET:REDIRECT_URI"));
        };
        if id.is_empty() || secret.is_empty() {
            return Err(format!(
                "'{spec}': the client id and secret must not be empty"
            ));
        }
        let u = url::Url::parse(uri).map_err(|e| format!("'{uri}' is not a URL: {e}"))?;
        if u.fragment().is_some() {
            return Err(format!("'{uri}': a redirect URI has no fragment"));
        }
        Ok(state::RegisteredClient {
            id: id.to_string(),
            secret: secret.to_string(),
            redirect_uri: uri.to_string(),
        })
    }
}

impl Default for SimConfig {
    fn default() -> Self {
        SimConfig {
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            seed: Seed::Empty,
            state_file: None,
            job_delay_ms: 2000,
            auto_approve: false,
            clients: Vec::new(),
            signer_status_scheme: SignerStatusScheme::Sdk,
        }
    }
}

/// Entry point.
pub struct Sim;

/// A running simulator. Dropping it (or [`RunningSim::shutdown`]) stops it.
pub struct RunningSim {
    addr: SocketAddr,
    base_url: String,
    url: url::Url,
    shared: state::AppState,
    stop: Option<tokio::sync::watch::Sender<bool>>,
    server: Option<tokio::task::JoinHandle<()>>,
    ticker: Option<tokio::task::JoinHandle<()>>,
    _blob_tmp: Option<tempfile::TempDir>,
}

impl Sim {
    /// Start a simulator. Must be called inside a Tokio runtime.
    pub async fn start(config: SimConfig) -> Result<RunningSim, SimError> {
        let listener = tokio::net::TcpListener::bind(config.listen).await?;
        let addr = listener.local_addr()?;
        let base_url = format!("http://{addr}");
        let url = url::Url::parse(&base_url).map_err(|e| SimError::Io(std::io::Error::other(e)))?;
        let (db, fresh) = match &config.state_file {
            Some(p) if p.exists() => (state::load(p)?, false),
            _ => (state::Db::default(), true),
        };
        let (blobs, tmp) = match &config.state_file {
            Some(p) => {
                let dir = state::blob_dir_for(p);
                std::fs::create_dir_all(&dir)?;
                (dir, None)
            }
            None => {
                let t = tempfile::Builder::new().prefix("penneo-sim-").tempdir()?;
                (t.path().to_path_buf(), Some(t))
            }
        };
        let shared = Arc::new(state::Shared {
            db: Mutex::new(db),
            rt: Mutex::new(state::Runtime::default()),
            blobs,
            state_file: config.state_file.clone(),
            job_delay_ms: config.job_delay_ms,
            auto_approve: config.auto_approve,
            signer_status_scheme: config.signer_status_scheme,
            base_url: base_url.clone(),
            storage_secret: state::random_token("storage_"),
            clients: config.clients.clone(),
            save_lock: tokio::sync::Mutex::new(0),
            work_lock: tokio::sync::Mutex::new(()),
        });
        if fresh {
            if config.seed == Seed::Demo {
                seed::demo(&shared)?;
            }
            state::lock(&shared.db).touch();
        }
        shared.persist().await?;
        let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
        let app = app::router(shared.clone());
        let mut rx1 = stop_rx.clone();
        let server = tokio::spawn(async move {
            let res = axum::serve(listener, app)
                .with_graceful_shutdown(async move {
                    let _ = rx1.wait_for(|v| *v).await.map(|_| ());
                })
                .await;
            if let Err(e) = res {
                tracing::error!("penneo-sim server error: {e}");
            }
        });
        let tick_state = shared.clone();
        let mut rx2 = stop_rx;
        let tick_ms = (config.job_delay_ms / 4).clamp(20, 250);
        let ticker = tokio::spawn(async move {
            let stopped = async move {
                let _ = rx2.wait_for(|v| *v).await.map(|_| ());
            };
            tokio::pin!(stopped);
            loop {
                tokio::select! {
                    _ = tokio::time::sleep(Duration::from_millis(tick_ms)) => {
                        work::process_due(&tick_state).await;
                        if let Err(e) = tick_state.persist().await {
                            tracing::error!("could not save state: {e}");
                        }
                    }
                    _ = &mut stopped => break,
                }
            }
        });
        Ok(RunningSim {
            addr,
            base_url,
            url,
            shared,
            stop: Some(stop_tx),
            server: Some(server),
            ticker: Some(ticker),
            _blob_tmp: tmp,
        })
    }
}

impl RunningSim {
    /// `http://127.0.0.1:PORT` (no trailing slash). OAuth and API share it.
    pub fn base_url(&self) -> String {
        self.base_url.clone()
    }

    /// The base URL as a [`url::Url`].
    pub fn url(&self) -> url::Url {
        self.url.clone()
    }

    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Stop accepting requests, wait (up to 5 s) for open ones, and save the state.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(true);
        }
        if let Some(t) = self.ticker.take() {
            let _ = t.await;
        }
        if let Some(server) = self.server.take() {
            let abort = server.abort_handle();
            if tokio::time::timeout(Duration::from_secs(5), server)
                .await
                .is_err()
            {
                abort.abort();
            }
        }
        if let Err(e) = self.shared.persist().await {
            tracing::error!("could not save state: {e}");
        }
    }
}

impl Drop for RunningSim {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(true);
        }
        if let Some(t) = self.ticker.take() {
            t.abort();
        }
        // The server task finishes by itself: the stop signal closes the listener at once and
        // asks open connections to close gracefully.
        self.server.take();
    }
}

//! What the benchmark examples share: a core on a fresh data dir (the app's own `DeskConfig`
//! defaults, secrets in a file), signed in with API keys to a simulator. Not an example itself
//! (cargo takes only `examples/*.rs` and `examples/*/main.rs`).

use std::sync::Arc;

use desk_core::db::accounts::Environment;
use desk_core::secret_store::{FileSecretStore, SecretStore};
use desk_core::signin::BrowserOpener;
use desk_core::use_cases::{AuthInput, NewAccount};
use desk_core::{DeskConfig, DeskCore, Secret};
use tokio_util::sync::CancellationToken;

struct NoBrowser;
impl BrowserOpener for NoBrowser {
    fn open(&self, _url: &url::Url) -> desk_core::Result<()> {
        Ok(())
    }
}

/// The app's configuration for a data dir at `dir`, with its secrets in a file there.
pub fn bench_config(dir: &std::path::Path) -> DeskConfig {
    let mut cfg = DeskConfig::new(dir, Arc::new(NoBrowser));
    let store: Arc<dyn SecretStore> = Arc::new(FileSecretStore::new(dir));
    cfg.secrets = Some(store);
    cfg
}

/// Opens a core with `cfg` and signs it in to `sim` with the simulator's demo API keys; the core
/// and the account's id.
pub async fn signed_in_core(
    cfg: DeskConfig,
    sim: &penneo_sim::RunningSim,
) -> Result<(DeskCore, String), Box<dyn std::error::Error>> {
    let core = DeskCore::open(cfg).await?;
    let acc = core
        .add_account(NewAccount {
            label: "bench".into(),
            environment: Environment::Custom,
            oauth_host: Some(sim.base_url()),
            api_host: Some(sim.base_url()),
            auth: AuthInput::ApiKey {
                client_id: penneo_sim::DEMO_CLIENT_ID.into(),
                client_secret: Secret::new(penneo_sim::DEMO_CLIENT_SECRET),
                api_key: penneo_sim::DEMO_API_KEY.into(),
                api_secret: Secret::new(penneo_sim::DEMO_API_SECRET),
            },
        })
        .await?;
    core.sign_in(&acc.id, &CancellationToken::new()).await?;
    Ok((core, acc.id))
}

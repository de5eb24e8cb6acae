//! Helpers shared by the integration tests: a simulator, a core wired to it, browsers.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use desk_core::db::accounts::Environment;
use desk_core::secret_store::{FileSecretStore, SecretStore};
use desk_core::signin::BrowserOpener;
use desk_core::use_cases::{AuthInput, NewAccount};
use desk_core::{DeskConfig, DeskCore, DeskError, Secret};
use penneo_sim::{RunningSim, Seed, Sim, SimConfig};
use url::Url;

pub async fn sim(seed: Seed, auto_approve: bool) -> RunningSim {
    Sim::start(SimConfig {
        seed,
        auto_approve,
        job_delay_ms: 200,
        ..Default::default()
    })
    .await
    .expect("simulator starts")
}

/// A browser that follows the authorize redirects to the callback.
pub struct FollowingBrowser;

impl BrowserOpener for FollowingBrowser {
    fn open(&self, url: &Url) -> desk_core::Result<()> {
        let url = url.clone();
        tokio::spawn(async move {
            let _ = penneo::tls::client().get(url).send().await;
        });
        Ok(())
    }
}

/// A browser whose user clicks "Deny" on the consent page.
pub struct DenyingBrowser;

impl BrowserOpener for DenyingBrowser {
    fn open(&self, url: &Url) -> desk_core::Result<()> {
        let url = url.clone();
        tokio::spawn(async move {
            let http = penneo::tls::client();
            let page = http
                .get(url.clone())
                .send()
                .await
                .unwrap()
                .text()
                .await
                .unwrap();
            let marker = "name=\"request\" value=\"";
            let start = page.find(marker).expect("consent page") + marker.len();
            let id = &page[start..start + page[start..].find('"').unwrap()];
            let mut decision = url.clone();
            decision.set_path("/oauth/authorize/decision");
            decision.set_query(None);
            let _ = http
                .post(decision)
                .form(&[("request", id), ("decision", "deny")])
                .send()
                .await;
        });
        Ok(())
    }
}

/// A browser that first comes back with another sign-in's state, then with the real one.
pub struct ForgingBrowser;

impl BrowserOpener for ForgingBrowser {
    fn open(&self, url: &Url) -> desk_core::Result<()> {
        let mut forged = url.clone();
        let pairs: Vec<(String, String)> = url
            .query_pairs()
            .map(|(k, v)| {
                let v = if k == "state" {
                    "forged-state".to_string()
                } else {
                    v.into_owned()
                };
                (k.into_owned(), v)
            })
            .collect();
        forged.query_pairs_mut().clear().extend_pairs(pairs);
        let real = url.clone();
        tokio::spawn(async move {
            let http = penneo::tls::client();
            // The forged callback (the simulator redirects it to the listener) is refused…
            let r = http.get(forged).send().await;
            assert_eq!(r.map(|r| r.status().as_u16()).ok(), Some(400));
            // …and the real one after it still signs in.
            let _ = http.get(real).send().await;
        });
        Ok(())
    }
}

/// A browser nobody looks at.
pub struct IdleBrowser;

impl BrowserOpener for IdleBrowser {
    fn open(&self, _url: &Url) -> desk_core::Result<()> {
        Ok(())
    }
}

pub fn config(dir: &Path, opener: Arc<dyn BrowserOpener>) -> DeskConfig {
    let mut cfg = DeskConfig::new(dir, opener);
    let store: Arc<dyn SecretStore> = Arc::new(FileSecretStore::new(dir));
    cfg.secrets = Some(store);
    cfg.casefile_poll_interval = Duration::from_millis(200);
    cfg.tracking_poll_interval = Duration::from_millis(200);
    cfg.full_sync_interval = Duration::from_secs(2);
    cfg.sign_in_timeout = Duration::from_secs(20);
    cfg.retry = penneo::RetryPolicy {
        max_retries: 6,
        base_delay: Duration::from_millis(20),
        max_delay: Duration::from_millis(200),
        max_retry_after: Duration::from_secs(5),
    };
    cfg.outbox_max_backoff = Duration::from_millis(500);
    // The simulator's jobs take 100 ms–2 s in these tests; a test that holds a create longer
    // sets its own.
    cfg.unsure_send_wait = Duration::from_secs(3);
    cfg
}

pub async fn core(dir: &Path, opener: Arc<dyn BrowserOpener>) -> DeskCore {
    DeskCore::open(config(dir, opener))
        .await
        .expect("core opens")
}

pub fn oauth_account(sim: &RunningSim, port: u16) -> NewAccount {
    NewAccount {
        label: "Sim".into(),
        environment: Environment::Custom,
        oauth_host: Some(sim.base_url()),
        api_host: Some(sim.base_url()),
        auth: AuthInput::OAuth {
            client_id: penneo_sim::DEMO_CLIENT_ID.into(),
            client_secret: Secret::new(penneo_sim::DEMO_CLIENT_SECRET),
            redirect_port: Some(port),
            redirect_host: None,
        },
    }
}

pub fn api_key_account(sim: &RunningSim) -> NewAccount {
    NewAccount {
        label: "Service".into(),
        environment: Environment::Custom,
        oauth_host: Some(sim.base_url()),
        api_host: Some(sim.base_url()),
        auth: AuthInput::ApiKey {
            client_id: penneo_sim::DEMO_CLIENT_ID.into(),
            client_secret: Secret::new(penneo_sim::DEMO_CLIENT_SECRET),
            api_key: penneo_sim::DEMO_API_KEY.into(),
            api_secret: Secret::new(penneo_sim::DEMO_API_SECRET),
        },
    }
}

pub async fn control(sim: &RunningSim, path: &str, body: serde_json::Value) -> serde_json::Value {
    let r = penneo::tls::client()
        .post(format!("{}{path}", sim.base_url()))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "{path}: {}", r.status());
    r.json().await.unwrap_or(serde_json::Value::Null)
}

pub fn code(e: &DeskError) -> &'static str {
    e.code().as_str()
}

/// A valid PDF of `pages` pages, at least `min_len` bytes long (padded with an extra stream
/// object, so the file stays well-formed).
pub fn pdf(pages: u32, text: &str, min_len: usize) -> Vec<u8> {
    let v = desk_core::intake::sample_pdf(pages, text);
    if v.len() >= min_len {
        return v;
    }
    let mut doc = lopdf::Document::load_mem(&v).unwrap();
    let filler: Vec<u8> = (0..min_len).map(|i| b'a' + (i % 26) as u8).collect();
    doc.add_object(lopdf::Stream::new(lopdf::Dictionary::new(), filler));
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

/// The simulator's request log: (method, path, status).
pub async fn sim_log(sim: &RunningSim) -> Vec<(String, String, u16)> {
    let v: serde_json::Value = penneo::tls::client()
        .get(format!("{}/_sim/log", sim.base_url()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    v["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["method"].as_str().unwrap_or("").to_string(),
                e["path"].as_str().unwrap_or("").to_string(),
                e["status"].as_u64().unwrap_or(0) as u16,
            )
        })
        .collect()
}

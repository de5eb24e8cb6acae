//! Every sign-in path and failure against the simulator.

use std::sync::Arc;
use std::time::Duration;

use crate::common::*;
use desk_core::db::accounts::AuthKind;
use penneo_sim::Seed;
use tokio_util::sync::CancellationToken;

#[tokio::test]
async fn oauth_pkce_sign_in_resume_and_sign_out() {
    let sim = sim(Seed::Empty, true).await;
    let dir = tempfile::tempdir().unwrap();
    let core = core(dir.path(), Arc::new(FollowingBrowser)).await;
    let acc = core.add_account(oauth_account(&sim, 0)).await.unwrap();
    let signed = core
        .sign_in(&acc.id, &CancellationToken::new())
        .await
        .unwrap();
    assert!(signed.is_active);
    assert!(signed.last_signed_in_at.is_some());
    core.sync_forms(&|_| {}).await.unwrap();

    // A restart resumes the session from the stored refresh token, without a browser.
    drop(core);
    let core = crate::common::core(dir.path(), Arc::new(IdleBrowser)).await;
    let list = core.list_accounts().await.unwrap();
    assert!(list[0].can_resume && !list[0].signed_in);
    core.sync_forms(&|_| {}).await.unwrap();

    core.sign_out(&acc.id).await.unwrap();
    let list = core.list_accounts().await.unwrap();
    assert!(!list[0].can_resume && !list[0].signed_in);
    let err = core.sync_forms(&|_| {}).await.unwrap_err();
    assert_eq!(err.code(), desk_core::ErrorCode::AuthRequired, "{err}");
    // The secrets file holds nothing of this account any more.
    let secrets = std::fs::read_to_string(dir.path().join("secrets.json")).unwrap();
    assert!(!secrets.contains(&acc.id), "{secrets}");
}

#[tokio::test]
async fn api_key_sign_in() {
    let sim = sim(Seed::Demo, false).await;
    let dir = tempfile::tempdir().unwrap();
    let core = core(dir.path(), Arc::new(IdleBrowser)).await;
    let acc = core.add_account(api_key_account(&sim)).await.unwrap();
    assert_eq!(acc.auth_kind, AuthKind::ApiKey);
    core.sign_in(&acc.id, &CancellationToken::new())
        .await
        .unwrap();
    let n = core.sync_forms(&|_| {}).await.unwrap();
    assert_eq!(n, 6);
}

#[tokio::test]
async fn denied_consent_is_a_clear_error() {
    let sim = sim(Seed::Empty, false).await;
    let dir = tempfile::tempdir().unwrap();
    let core = core(dir.path(), Arc::new(DenyingBrowser)).await;
    let acc = core.add_account(oauth_account(&sim, 0)).await.unwrap();
    let err = core
        .sign_in(&acc.id, &CancellationToken::new())
        .await
        .unwrap_err();
    assert_eq!(err.code(), desk_core::ErrorCode::AccessDenied, "{err}");
    assert!(err.to_string().contains("declined"));
    assert!(core.active_account().await.unwrap().is_none());
}

#[tokio::test]
async fn a_wrong_state_is_refused_and_the_sign_in_goes_on() {
    let sim = sim(Seed::Empty, true).await;
    let dir = tempfile::tempdir().unwrap();
    let core = core(dir.path(), Arc::new(ForgingBrowser)).await;
    let acc = core.add_account(oauth_account(&sim, 0)).await.unwrap();
    let signed = core
        .sign_in(&acc.id, &CancellationToken::new())
        .await
        .unwrap();
    assert!(signed.is_active);
}

#[tokio::test]
async fn timeout_cancel_and_busy_port() {
    let sim = sim(Seed::Empty, true).await;
    let dir = tempfile::tempdir().unwrap();
    let mut cfg = config(dir.path(), Arc::new(IdleBrowser));
    cfg.sign_in_timeout = Duration::from_millis(300);
    let core = desk_core::DeskCore::open(cfg).await.unwrap();

    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let acc = core.add_account(oauth_account(&sim, port)).await.unwrap();
    let err = core
        .sign_in(&acc.id, &CancellationToken::new())
        .await
        .unwrap_err();
    assert_eq!(err.code(), desk_core::ErrorCode::PortInUse);
    assert_eq!(err.field(), Some("redirectPort"));
    drop(taken);

    // Nobody comes back: the listener gives up and the port is free again.
    let err = core
        .sign_in(&acc.id, &CancellationToken::new())
        .await
        .unwrap_err();
    assert_eq!(err.code(), desk_core::ErrorCode::Timeout, "{err}");
    std::net::TcpListener::bind(("127.0.0.1", port)).unwrap();

    let cancel = CancellationToken::new();
    let c2 = cancel.clone();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(50)).await;
        c2.cancel();
    });
    let err = core.sign_in(&acc.id, &cancel).await.unwrap_err();
    assert_eq!(err.code(), desk_core::ErrorCode::Cancelled);
    std::net::TcpListener::bind(("127.0.0.1", port)).unwrap();
}

#[cfg(feature = "demo")]
#[tokio::test]
async fn demo_environment_runs_the_same_flow() {
    let dir = tempfile::tempdir().unwrap();
    let core = core(dir.path(), Arc::new(FollowingBrowser)).await;
    let acc = core.start_demo().await.unwrap();
    assert!(acc.is_active);
    assert_eq!(core.sync_forms(&|_| {}).await.unwrap(), 6);
    core.shutdown().await;
    // The demo workspace persists in the data dir.
    assert!(dir
        .path()
        .join(desk_core::use_cases::DEMO_STATE_FILE)
        .exists());
}

#[tokio::test]
async fn after_sign_out_the_secrets_are_entered_again_to_sign_in() {
    let sim = sim(Seed::Empty, true).await;
    let dir = tempfile::tempdir().unwrap();
    let core = core(dir.path(), Arc::new(FollowingBrowser)).await;
    let acc = core.add_account(oauth_account(&sim, 0)).await.unwrap();
    assert!(core.list_accounts().await.unwrap()[0].has_secrets);
    core.sign_in(&acc.id, &CancellationToken::new())
        .await
        .unwrap();
    core.sign_out(&acc.id).await.unwrap();
    let list = core.list_accounts().await.unwrap();
    assert!(!list[0].has_secrets && !list[0].can_resume);
    let err = core
        .sign_in(&acc.id, &CancellationToken::new())
        .await
        .unwrap_err();
    assert_eq!(err.code(), desk_core::ErrorCode::AuthRequired, "{err}");

    let err = core
        .set_secrets(&acc.id, desk_core::Secret::new(""), None)
        .await
        .unwrap_err();
    assert_eq!(err.field(), Some("clientSecret"));
    core.set_secrets(
        &acc.id,
        desk_core::Secret::new(penneo_sim::DEMO_CLIENT_SECRET),
        None,
    )
    .await
    .unwrap();
    assert!(core.list_accounts().await.unwrap()[0].has_secrets);
    core.sign_in(&acc.id, &CancellationToken::new())
        .await
        .unwrap();
    core.sync_forms(&|_| {}).await.unwrap();
}

#[cfg(feature = "demo")]
#[tokio::test]
async fn the_demo_opens_again_after_its_sign_out() {
    let dir = tempfile::tempdir().unwrap();
    let core = core(dir.path(), Arc::new(FollowingBrowser)).await;
    let acc = core.start_demo().await.unwrap();
    core.sign_out(&acc.id).await.unwrap();
    assert!(!core.list_accounts().await.unwrap()[0].has_secrets);
    let again = core.start_demo().await.unwrap();
    assert_eq!(again.id, acc.id);
    assert_eq!(core.sync_forms(&|_| {}).await.unwrap(), 6);
    core.shutdown().await;
}

/// Counts how often the browser was opened, then behaves like [`FollowingBrowser`].
struct CountingBrowser(std::sync::atomic::AtomicUsize);

impl desk_core::signin::BrowserOpener for CountingBrowser {
    fn open(&self, url: &url::Url) -> desk_core::Result<()> {
        self.0.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        FollowingBrowser.open(url)
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Penneo compares redirect URIs exactly. Against a simulator with a client registered for
/// `http://127.0.0.1:<port>/callback`, that exact URI signs in; `localhost` or another port is
/// refused before the browser opens, with a message naming the URI to register.
#[tokio::test]
async fn exact_redirect_uri_of_a_registered_client() {
    use desk_core::db::accounts::Environment;
    use desk_core::signin::RedirectHost;
    use desk_core::use_cases::{AuthInput, NewAccount};
    let port = free_port();
    let sim = penneo_sim::Sim::start(penneo_sim::SimConfig {
        auto_approve: true,
        clients: vec![penneo_sim::state::RegisteredClient::parse(&format!(
            "practice-app:practice-secret:http://127.0.0.1:{port}/callback"
        ))
        .unwrap()],
        ..Default::default()
    })
    .await
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let browser = Arc::new(CountingBrowser(Default::default()));
    let core = core(dir.path(), browser.clone()).await;
    let account = |label: &str, host: Option<RedirectHost>, port: u16| NewAccount {
        label: label.into(),
        environment: Environment::Custom,
        oauth_host: Some(sim.base_url()),
        api_host: Some(sim.base_url()),
        auth: AuthInput::OAuth {
            client_id: "practice-app".into(),
            client_secret: desk_core::Secret::new("practice-secret"),
            redirect_port: Some(port),
            redirect_host: host,
        },
    };
    // Another host name, then another port: refused up front, the browser never opens.
    let other_port = loop {
        let p = free_port();
        if p != port {
            break p;
        }
    };
    for (label, host, p, uri) in [
        (
            "localhost",
            Some(RedirectHost::Localhost),
            port,
            format!("http://localhost:{port}/callback"),
        ),
        (
            "other port",
            None,
            other_port,
            format!("http://127.0.0.1:{other_port}/callback"),
        ),
    ] {
        let acc = core.add_account(account(label, host, p)).await.unwrap();
        let err = core
            .sign_in(&acc.id, &CancellationToken::new())
            .await
            .unwrap_err();
        assert_eq!(
            err.code(),
            desk_core::ErrorCode::RedirectUriMismatch,
            "{label}: {err}"
        );
        assert_eq!(err.field(), Some("redirectPort"));
        let msg = err.to_string();
        assert!(msg.contains(&uri), "{msg}");
        assert!(msg.contains("register exactly that address"), "{msg}");
        assert!(core.active_account().await.unwrap().is_none());
    }
    assert_eq!(
        browser.0.load(std::sync::atomic::Ordering::SeqCst),
        0,
        "no browser for a redirect URI Penneo would refuse"
    );
    // The exact URI: signed in (the stored host is 127.0.0.1).
    let acc = core
        .add_account(account("exact", None, port))
        .await
        .unwrap();
    assert_eq!(acc.redirect_host, RedirectHost::Loopback);
    let signed = core
        .sign_in(&acc.id, &CancellationToken::new())
        .await
        .unwrap();
    assert!(signed.is_active);
    assert_eq!(browser.0.load(std::sync::atomic::Ordering::SeqCst), 1);
    core.sync_forms(&|_| {}).await.unwrap();
}

/// With a client registered for `localhost`, choosing `localhost` signs in (the listener on
/// 127.0.0.1 receives it) and the choice is stored with the account.
#[tokio::test]
async fn localhost_redirect_uri_signs_in_when_registered() {
    use desk_core::db::accounts::Environment;
    use desk_core::signin::RedirectHost;
    use desk_core::use_cases::{AuthInput, NewAccount};
    let port = free_port();
    let sim = penneo_sim::Sim::start(penneo_sim::SimConfig {
        auto_approve: true,
        clients: vec![penneo_sim::state::RegisteredClient::parse(&format!(
            "lh-app:lh-secret:http://localhost:{port}/callback"
        ))
        .unwrap()],
        ..Default::default()
    })
    .await
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let core = core(dir.path(), Arc::new(FollowingBrowser)).await;
    let acc = core
        .add_account(NewAccount {
            label: "lh".into(),
            environment: Environment::Custom,
            oauth_host: Some(sim.base_url()),
            api_host: Some(sim.base_url()),
            auth: AuthInput::OAuth {
                client_id: "lh-app".into(),
                client_secret: desk_core::Secret::new("lh-secret"),
                redirect_port: Some(port),
                redirect_host: Some(RedirectHost::Localhost),
            },
        })
        .await
        .unwrap();
    core.sign_in(&acc.id, &CancellationToken::new())
        .await
        .unwrap();
    let stored = core.list_accounts().await.unwrap();
    assert_eq!(stored[0].account.redirect_host, RedirectHost::Localhost);
}

#[cfg(not(feature = "demo"))]
#[tokio::test]
async fn a_build_without_the_demo_refuses_to_open_it() {
    let dir = tempfile::tempdir().unwrap();
    let core = core(dir.path(), Arc::new(FollowingBrowser)).await;
    let err = core.start_demo().await.unwrap_err();
    assert!(
        matches!(err, desk_core::DeskError::NotSupported(_)),
        "{err}"
    );
}

/// The token requests the simulator has answered (and how many of them it refused).
async fn token_requests(sim: &penneo_sim::RunningSim) -> (usize, usize) {
    let log: serde_json::Value = penneo::tls::client()
        .get(format!("{}/_sim/log", sim.base_url()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let tokens: Vec<_> = log["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["path"].as_str().unwrap().ends_with("/oauth/token"))
        .collect();
    let refused = tokens
        .iter()
        .filter(|e| e["status"].as_u64() != Some(200))
        .count();
    (tokens.len(), refused)
}

/// A resumed session is one client per account: eight calls at once after a restart spend the
/// stored (rotating, single-use) refresh token once, and all of them succeed.
#[tokio::test]
async fn resumed_session_refreshes_once_for_eight_callers() {
    let sim = sim(Seed::Demo, true).await;
    let dir = tempfile::tempdir().unwrap();
    let core = core(dir.path(), Arc::new(FollowingBrowser)).await;
    let acc = core.add_account(oauth_account(&sim, 0)).await.unwrap();
    core.sign_in(&acc.id, &CancellationToken::new())
        .await
        .unwrap();
    drop(core);
    let before = stored_refresh_token(dir.path());

    let core = crate::common::core(dir.path(), Arc::new(IdleBrowser)).await;
    penneo::tls::client()
        .delete(format!("{}/_sim/log", sim.base_url()))
        .send()
        .await
        .unwrap();
    let calls: Vec<_> = (0..8)
        .map(|_| {
            let core = core.clone();
            tokio::spawn(async move { core.server_version().await })
        })
        .collect();
    for c in calls {
        c.await.unwrap().expect("every caller gets an answer");
    }
    assert_eq!(
        token_requests(&sim).await,
        (1, 0),
        "one refresh, none refused"
    );
    assert!(core.list_accounts().await.unwrap()[0].signed_in);

    // The rotated token is stored (off the async threads, so wait for the write): another
    // restart resumes with it.
    let mut stored = stored_refresh_token(dir.path());
    for _ in 0..100 {
        if stored != before {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
        stored = stored_refresh_token(dir.path());
    }
    assert_ne!(stored, before, "the rotated refresh token was stored");
    drop(core);
    let core = crate::common::core(dir.path(), Arc::new(IdleBrowser)).await;
    core.server_version().await.unwrap();
}

fn stored_refresh_token(dir: &std::path::Path) -> String {
    let secrets: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("secrets.json")).unwrap()).unwrap();
    secrets
        .as_object()
        .unwrap()
        .iter()
        .find(|(k, _)| k.ends_with("/refresh_token"))
        .and_then(|(_, v)| v.as_str())
        .unwrap()
        .to_string()
}

/// A session whose refresh the server refuses is dropped: the account shows signed out (not
/// signed in with every call failing), the dead refresh token is gone, and calls ask for a
/// sign-in.
#[tokio::test]
async fn a_refused_refresh_ends_the_session() {
    let sim = sim(Seed::Demo, true).await;
    let dir = tempfile::tempdir().unwrap();
    let core = core(dir.path(), Arc::new(FollowingBrowser)).await;
    let acc = core.add_account(oauth_account(&sim, 0)).await.unwrap();
    core.sign_in(&acc.id, &CancellationToken::new())
        .await
        .unwrap();
    drop(core);
    // Someone else spends the stored refresh token first (it rotates: ours is dead now).
    let rt = stored_refresh_token(dir.path());
    let spent = penneo::tls::client()
        .post(format!("{}/oauth/token", sim.base_url()))
        .json(&serde_json::json!({
            "grant_type": "refresh_token",
            "client_id": penneo_sim::DEMO_CLIENT_ID,
            "client_secret": penneo_sim::DEMO_CLIENT_SECRET,
            "refresh_token": rt,
        }))
        .send()
        .await
        .unwrap();
    assert!(spent.status().is_success());

    let core = crate::common::core(dir.path(), Arc::new(IdleBrowser)).await;
    let mut news = core.subscribe();
    let err = core.server_version().await.unwrap_err();
    assert_eq!(err.code(), desk_core::ErrorCode::AuthRequired, "{err}");
    let list = core.list_accounts().await.unwrap();
    assert!(!list[0].signed_in && !list[0].can_resume, "{:?}", list[0]);
    assert!(matches!(
        news.try_recv(),
        Ok(desk_core::DeskEvent::SignedOut { .. })
    ));
    let err = core.server_version().await.unwrap_err();
    assert_eq!(err.code(), desk_core::ErrorCode::AuthRequired, "{err}");
}

//! Every sign-in path and failure against the simulator.

mod common;

use std::sync::Arc;
use std::time::Duration;

use common::*;
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
    let core = common::core(dir.path(), Arc::new(IdleBrowser)).await;
    let list = core.list_accounts().await.unwrap();
    assert!(list[0].can_resume && !list[0].signed_in);
    core.sync_forms(&|_| {}).await.unwrap();

    core.sign_out(&acc.id).await.unwrap();
    let list = core.list_accounts().await.unwrap();
    assert!(!list[0].can_resume && !list[0].signed_in);
    let err = core.sync_forms(&|_| {}).await.unwrap_err();
    assert_eq!(err.code(), "auth_required", "{err}");
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
    assert_eq!(err.code(), "access_denied", "{err}");
    assert!(err.to_string().contains("declined"));
    assert!(core.active_account().await.unwrap().is_none());
}

#[tokio::test]
async fn state_mismatch_is_refused() {
    let sim = sim(Seed::Empty, true).await;
    let dir = tempfile::tempdir().unwrap();
    let core = core(dir.path(), Arc::new(ForgingBrowser)).await;
    let acc = core.add_account(oauth_account(&sim, 0)).await.unwrap();
    let err = core
        .sign_in(&acc.id, &CancellationToken::new())
        .await
        .unwrap_err();
    assert_eq!(err.code(), "state_mismatch", "{err}");
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
    assert_eq!(err.code(), "port_in_use");
    assert_eq!(err.field(), Some("redirectPort"));
    drop(taken);

    // Nobody comes back: the listener gives up and the port is free again.
    let err = core
        .sign_in(&acc.id, &CancellationToken::new())
        .await
        .unwrap_err();
    assert_eq!(err.code(), "timeout", "{err}");
    std::net::TcpListener::bind(("127.0.0.1", port)).unwrap();

    let cancel = CancellationToken::new();
    let c2 = cancel.clone();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(50)).await;
        c2.cancel();
    });
    let err = core.sign_in(&acc.id, &cancel).await.unwrap_err();
    assert_eq!(err.code(), "cancelled");
    std::net::TcpListener::bind(("127.0.0.1", port)).unwrap();
}

#[tokio::test]
async fn demo_environment_runs_the_same_flow() {
    let dir = tempfile::tempdir().unwrap();
    let core = core(dir.path(), Arc::new(FollowingBrowser)).await;
    let acc = core.start_demo().await.unwrap();
    assert!(acc.is_active);
    assert_eq!(core.sync_forms(&|_| {}).await.unwrap(), 6);
    core.shutdown().await;
    // The demo workspace persists in the data dir.
    assert!(dir.path().join(desk_core::core::DEMO_STATE_FILE).exists());
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
    assert_eq!(err.code(), "auth_required", "{err}");

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

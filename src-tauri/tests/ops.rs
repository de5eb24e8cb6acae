//! The app looking after itself, through the real plugins on Tauri's mock runtime:
//!
//! - the log file (tauri-plugin-log as the app configures it) is written into the data dir's
//!   `logs/` when `PENNEO_DESK_DATA_DIR` is set, never the user's own log folder, with every
//!   line redacted;
//! - updates (tauri-plugin-updater's own check, download and minisign verification): a local
//!   HTTP server serves a manifest and a package signed with a key made here, the way the Tauri
//!   CLI signs a release; a correct update is offered and verifies, a tampered package or one
//!   signed with another key is refused with a clear message, and a build with no feed says
//!   updates are not set up.

use std::io::Cursor;
use std::net::SocketAddr;

use axum::routing::get;
use axum::Router;
use base64::Engine;
use penneo_desk::commands::ops::{self, PendingUpdate};
use serde_json::json;
use tauri::test::{mock_builder, mock_context, noop_assets, MockRuntime};
use tauri::Manager;

const NEW_VERSION: &str = "9.9.9";

fn b64(s: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(s)
}

/// A key pair as `tauri signer generate` makes one: the public key as tauri.conf.json takes it
/// (base64 of the minisign public key file).
struct TestKey {
    pair: minisign::KeyPair,
}

impl TestKey {
    fn new() -> TestKey {
        TestKey {
            pair: minisign::KeyPair::generate_unencrypted_keypair().unwrap(),
        }
    }
    fn pubkey_config(&self) -> String {
        b64(&self.pair.pk.to_box().unwrap().to_string())
    }
    /// The `.sig` the Tauri CLI writes beside a bundle, as the manifest carries it: base64 of the
    /// minisign signature, its trusted comment naming the version.
    fn sign(&self, bytes: &[u8], version: &str) -> String {
        let trusted = format!("timestamp:1764633600\tfile:penneo-desk.AppImage\tversion:{version}");
        let sig = minisign::sign(
            Some(&self.pair.pk),
            &self.pair.sk,
            Cursor::new(bytes),
            Some(&trusted),
            Some("signature from tauri secret key"),
        )
        .unwrap();
        b64(&sig.to_string())
    }
}

/// Serves `/latest.json` announcing [`NEW_VERSION`] at `/package`, with `signature`, and the
/// package bytes `served`.
async fn feed(signature: String, served: Vec<u8>) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let manifest = json!({
        "version": NEW_VERSION,
        "notes": "Faster sync.",
        "pub_date": "2026-12-01T09:00:00Z",
        "url": format!("http://{addr}/package"),
        "signature": signature,
    });
    let app = Router::new()
        .route(
            "/latest.json",
            get(move || {
                let m = manifest.clone();
                async move { axum::Json(m) }
            }),
        )
        .route(
            "/package",
            get(move || {
                let b = served.clone();
                async move { b }
            }),
        );
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    addr
}

/// An app at version 0.1.0 whose updater reads `feed` and checks with `pubkey`, as
/// tauri.conf.json would configure it (plain http is allowed for the local test server only).
fn app_with_updater(feed: Option<SocketAddr>, pubkey: &str) -> tauri::App<MockRuntime> {
    let mut ctx = mock_context(noop_assets());
    let endpoints: Vec<String> = feed
        .map(|a| format!("http://{a}/latest.json"))
        .into_iter()
        .collect();
    ctx.config_mut().plugins.0.insert(
        "updater".into(),
        json!({
            "endpoints": endpoints,
            "pubkey": pubkey,
            "requireSignedVersion": true,
            "dangerousInsecureTransportProtocol": true,
        }),
    );
    mock_builder()
        .plugin(tauri_plugin_updater::Builder::new().build())
        .manage(PendingUpdate::default())
        .build(ctx)
        .expect("the app builds")
}

fn package() -> Vec<u8> {
    b"Penneo Desk 9.9.9, a test package".repeat(64)
}

#[test]
fn a_signed_update_is_offered_and_verifies() {
    tauri::async_runtime::block_on(async {
        let key = TestKey::new();
        let bytes = package();
        let addr = feed(key.sign(&bytes, NEW_VERSION), bytes.clone()).await;
        let app = app_with_updater(Some(addr), &key.pubkey_config());

        let found = ops::check(app.handle()).await.expect("the check works");
        assert!(found.configured);
        assert_eq!(found.current_version, "0.1.0");
        let offered = found.available.expect("the update is offered");
        assert_eq!(offered.version, NEW_VERSION);
        assert_eq!(offered.notes.as_deref(), Some("Faster sync."));
        assert!(offered.date.unwrap().starts_with("2026-12-01T09:00:00"));

        let update = app
            .state::<PendingUpdate>()
            .take()
            .expect("kept for install");
        let got = ops::download_verified(&update).await.expect("it verifies");
        assert_eq!(got, bytes);
    });
}

#[test]
fn a_tampered_package_is_refused_with_a_clear_message() {
    tauri::async_runtime::block_on(async {
        let key = TestKey::new();
        let genuine = package();
        let mut tampered = genuine.clone();
        tampered[10] ^= 0x20;
        let addr = feed(key.sign(&genuine, NEW_VERSION), tampered).await;
        let app = app_with_updater(Some(addr), &key.pubkey_config());

        let found = ops::check(app.handle()).await.unwrap();
        assert_eq!(found.available.unwrap().version, NEW_VERSION);
        let update = app.state::<PendingUpdate>().take().unwrap();
        let err = ops::download_verified(&update)
            .await
            .expect_err("a changed package is refused");
        assert_eq!(err.code, penneo_desk::error::ErrorCode::Forbidden);
        assert!(err.message.contains("refused"), "{}", err.message);
        assert!(
            err.message.contains("Nothing was installed"),
            "{}",
            err.message
        );
    });
}

#[test]
fn a_package_signed_with_another_key_or_for_another_version_is_refused() {
    tauri::async_runtime::block_on(async {
        let ours = TestKey::new();
        let theirs = TestKey::new();
        let bytes = package();
        // Signed by a key that is not the configured one.
        let addr = feed(theirs.sign(&bytes, NEW_VERSION), bytes.clone()).await;
        let app = app_with_updater(Some(addr), &ours.pubkey_config());
        ops::check(app.handle()).await.unwrap();
        let update = app.state::<PendingUpdate>().take().unwrap();
        let err = ops::download_verified(&update).await.unwrap_err();
        assert_eq!(err.code, penneo_desk::error::ErrorCode::Forbidden);

        // Genuinely signed, but for an older version than the manifest announces (a downgrade
        // dressed up as an update).
        let addr = feed(ours.sign(&bytes, "0.0.9"), bytes.clone()).await;
        let app = app_with_updater(Some(addr), &ours.pubkey_config());
        ops::check(app.handle()).await.unwrap();
        let update = app.state::<PendingUpdate>().take().unwrap();
        let err = ops::download_verified(&update).await.unwrap_err();
        assert_eq!(err.code, penneo_desk::error::ErrorCode::Forbidden);
    });
}

#[test]
fn without_a_feed_updates_are_not_configured() {
    tauri::async_runtime::block_on(async {
        let app = app_with_updater(None, "");
        let found = ops::check(app.handle()).await.unwrap();
        assert!(!found.configured);
        assert!(found.available.is_none());
        assert_eq!(found.current_version, "0.1.0");
    });
}

#[test]
fn the_log_file_is_written_redacted_into_the_data_dir() {
    let dir = tempfile::tempdir().unwrap();
    // As every test and the end-to-end harness run the app.
    std::env::set_var("PENNEO_DESK_DATA_DIR", dir.path());
    let app = mock_builder()
        .build(mock_context(noop_assets()))
        .expect("the app builds");
    // As the app's setup does.
    let dir_for_logs = penneo_desk::logging::log_dir(app.handle()).unwrap();
    app.handle()
        .plugin(penneo_desk::logging::plugin(dir_for_logs))
        .expect("the log plugin starts");
    let logs = dir.path().join("logs");
    assert_eq!(penneo_desk::logging::log_dir(app.handle()).unwrap(), logs);

    let token = "eyJhbGciOiJSUzI1NiJ9Zk3Lq8Vw2Xr7Ty6Un5Mp4";
    tracing::info!(
        access_token = token,
        "token refreshed for anne.hansen@firma.dk"
    );
    tracing::warn!("request failed: Authorization: Bearer {token}");
    tracing::info!("sync finished: 12 forms");
    log::logger().flush();

    let text =
        std::fs::read_to_string(logs.join(format!("{}.log", penneo_desk::logging::LOG_FILE_NAME)))
            .unwrap_or_else(|e| {
                let found: Vec<_> = std::fs::read_dir(&logs)
                    .map(|d| d.map(|e| e.unwrap().path()).collect())
                    .unwrap_or_default();
                panic!("the log file is not in the data dir's logs/ ({e}): {found:?}")
            });
    assert!(text.contains("sync finished: 12 forms"), "{text}");
    assert!(text.contains("<redacted:"), "{text}");
    for leak in [token, "anne.hansen", "firma.dk"] {
        assert!(!text.contains(leak), "{leak} reached the log file:\n{text}");
    }
    assert_eq!(text.lines().count(), 3, "{text}");
}

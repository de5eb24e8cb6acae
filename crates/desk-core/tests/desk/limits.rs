//! Limits against a server that misbehaves: a sync loop stops at its page cap.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use crate::common::*;
use desk_core::db::accounts::Environment;
use desk_core::use_cases::{AuthInput, NewAccount};
use desk_core::Secret;
use serde_json::json;
use tokio_util::sync::CancellationToken;

/// A Penneo that grants any API key and answers every forms list with the same full page of
/// 100 forms, whatever the offset.
async fn endless_forms() -> (String, Arc<AtomicUsize>) {
    let asked = Arc::new(AtomicUsize::new(0));
    let counter = asked.clone();
    let app = axum::Router::new()
        .route(
            "/oauth/token",
            axum::routing::post(|| async {
                axum::Json(json!({"access_token": "at", "expires_in": 600}))
            }),
        )
        .route(
            "/collect/api/v1/forms",
            axum::routing::get(move || {
                counter.fetch_add(1, Ordering::SeqCst);
                async {
                    let forms: Vec<_> = (0..100)
                        .map(|i| json!({"formId": format!("f{i}"), "name": format!("Form {i}")}))
                        .collect();
                    axum::Json(serde_json::Value::Array(forms))
                }
            }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    (base, asked)
}

#[tokio::test]
async fn a_sync_loop_stops_at_its_page_cap() {
    let (base, asked) = endless_forms().await;
    let dir = tempfile::tempdir().unwrap();
    let mut cfg = config(dir.path(), Arc::new(IdleBrowser));
    cfg.max_sync_pages = 5;
    let core = desk_core::DeskCore::open(cfg).await.unwrap();
    let acc = core
        .add_account(NewAccount {
            label: "Endless".into(),
            environment: Environment::Custom,
            oauth_host: Some(base.clone()),
            api_host: Some(base),
            auth: AuthInput::ApiKey {
                client_id: "c".into(),
                client_secret: Secret::new("s"),
                api_key: "k".into(),
                api_secret: Secret::new("a"),
            },
        })
        .await
        .unwrap();
    core.sign_in(&acc.id, &CancellationToken::new())
        .await
        .unwrap();
    let err = tokio::time::timeout(std::time::Duration::from_secs(30), core.sync_forms(&|_| {}))
        .await
        .expect("the sync ends")
        .unwrap_err();
    assert_eq!(err.code(), desk_core::ErrorCode::Server, "{err}");
    assert!(err.to_string().contains("5 pages"), "{err}");
    assert_eq!(asked.load(Ordering::SeqCst), 5);
}

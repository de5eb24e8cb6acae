//! Limits against a server that misbehaves: a sync loop stops at its page cap; a list shifting
//! under the offsets stores each submission once.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use crate::common::*;
use desk_core::db::accounts::Environment;
use desk_core::use_cases::{AuthInput, NewAccount};
use desk_core::Secret;
use serde_json::json;
use tokio_util::sync::CancellationToken;

/// Serves `app` on a free local port, with a token endpoint that grants any API key; its base URL.
async fn serve(app: axum::Router) -> String {
    let app = app.route(
        "/oauth/token",
        axum::routing::post(|| async {
            axum::Json(json!({"access_token": "at", "expires_in": 600}))
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    base
}

/// A Penneo that grants any API key and answers every forms list with the same full page of
/// 100 forms, whatever the offset.
async fn endless_forms() -> (String, Arc<AtomicUsize>) {
    let asked = Arc::new(AtomicUsize::new(0));
    let counter = asked.clone();
    let app = axum::Router::new().route(
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
    let base = serve(app).await;
    (base, asked)
}

/** A core opened with `cfg` and signed in with an API key to the mock Penneo at `base`. */
async fn signed_in_to(cfg: desk_core::DeskConfig, base: &str) -> desk_core::DeskCore {
    let core = desk_core::DeskCore::open(cfg).await.unwrap();
    let acc = core
        .add_account(NewAccount {
            label: "Mock Penneo".into(),
            environment: Environment::Custom,
            oauth_host: Some(base.to_string()),
            api_host: Some(base.to_string()),
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
    core
}

#[tokio::test]
async fn a_sync_loop_stops_at_its_page_cap() {
    let (base, asked) = endless_forms().await;
    let dir = tempfile::tempdir().unwrap();
    let mut cfg = config(dir.path(), Arc::new(IdleBrowser));
    cfg.max_sync_pages = 5;
    let core = signed_in_to(cfg, &base).await;
    let err = tokio::time::timeout(std::time::Duration::from_secs(30), core.sync_forms(&|_| {}))
        .await
        .expect("the sync ends")
        .unwrap_err();
    assert_eq!(err.code(), desk_core::ErrorCode::Server, "{err}");
    assert!(err.to_string().contains("5 pages"), "{err}");
    assert_eq!(asked.load(Ordering::SeqCst), 5);
}

/// A Penneo whose submission list shifts under the offsets: after the first page was read, a
/// submission completed earlier is listed first, so the second page starts with the first
/// page's last row again. Counts the answers fetches per submission.
async fn shifting_submissions(
    total: usize,
) -> (
    String,
    Arc<std::sync::Mutex<std::collections::HashMap<String, usize>>>,
) {
    use axum::extract::{Path, Query};
    let fetched = Arc::new(std::sync::Mutex::new(std::collections::HashMap::new()));
    let asked = Arc::new(AtomicUsize::new(0));
    let answers_of = fetched.clone();
    let app = axum::Router::new()
        .route(
            "/collect/api/v1/forms/{form}/submissions",
            axum::routing::get(
                move |Query(q): Query<std::collections::HashMap<String, String>>| {
                    let first_read = asked.fetch_add(1, Ordering::SeqCst) == 0;
                    async move {
                        let offset: usize = q["offset"].parse().unwrap();
                        let limit: usize = q["limit"].parse().unwrap();
                        // After the first page: one more submission, sorted first.
                        let ids: Vec<String> = (!first_read)
                            .then(|| "s-0000-early".to_string())
                            .into_iter()
                            .chain((0..total).map(|i| format!("s-{i:04}")))
                            .collect();
                        let page: Vec<_> = ids
                            .iter()
                            .skip(offset)
                            .take(limit)
                            .map(|id| json!({"submissionId": id, "completedAt": "2026-12-01T10:00:00Z"}))
                            .collect();
                        axum::Json(serde_json::Value::Array(page))
                    }
                },
            ),
        )
        .route(
            "/collect/api/v1/forms/{form}/submissions/{id}/answers",
            axum::routing::get(move |Path((_, id)): Path<(String, String)>| {
                *answers_of.lock().unwrap().entry(id.clone()).or_insert(0) += 1;
                async move {
                    axum::Json(json!({
                        "submissionId": id,
                        "respondents": [{"name": format!("Respondent {id}")}],
                        "sections": [{"slug": "main", "answers": [{"name": "city", "type": "TEXT", "value": "Vejle"}]}]
                    }))
                }
            }),
        );
    let base = serve(app).await;
    (base, fetched)
}

#[tokio::test]
async fn a_submission_list_shifting_under_the_offsets_stores_each_row_once() {
    // More than two pages of 500, so that a page is written while the next one is fetched.
    let total = 1_200;
    let (base, fetched) = shifting_submissions(total).await;
    let dir = tempfile::tempdir().unwrap();
    let core = signed_in_to(config(dir.path(), Arc::new(IdleBrowser)), &base).await;
    let reported = std::sync::Mutex::new(Vec::new());
    let synced = core
        .sync_submissions("f1", &|p| reported.lock().unwrap().push(p.done))
        .await
        .unwrap();
    // The first page's last row came again at the start of the second: fetched once. The
    // early one is past the first page and is not seen in this pass (the next one finds it).
    assert_eq!(synced as usize, total);
    let fetched = fetched.lock().unwrap().clone();
    assert_eq!(fetched.len(), total);
    assert!(
        fetched.values().all(|n| *n == 1),
        "each answers fetched once"
    );
    let reported = reported.into_inner().unwrap();
    assert!(reported.windows(2).all(|w| w[0] <= w[1]), "{reported:?}");
    assert_eq!(reported.last().copied(), Some(total as u64), "{reported:?}");
    let page = core
        .list_submissions(desk_core::db::submissions::SubmissionQuery {
            form_id: "f1".into(),
            limit: Some(5000),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(page.result.len(), total);
    assert!(page.result.iter().all(|r| r.form_id == "f1"));
}

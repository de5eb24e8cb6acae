//! No access token, refresh token or secret may appear in a log line, an error message, the
//! database, or anything the UI receives (return values and events, serialised).

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::common::*;
use desk_core::db::submissions::SearchQuery;
use desk_core::use_cases::CasefileSend;
use penneo_sim::{Seed, Sim, SimConfig};
use tokio_util::sync::CancellationToken;

#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<u8>>>);

impl Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Capture {
    type Writer = Capture;
    fn make_writer(&'a self) -> Capture {
        self.clone()
    }
}

#[tokio::test]
async fn no_secret_reaches_logs_errors_database_or_ui() {
    let logs = Capture::default();
    tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(logs.clone())
        .with_ansi(false)
        .init();

    let simdir = tempfile::tempdir().unwrap();
    let state_file = simdir.path().join("sim.json");
    let sim = Sim::start(SimConfig {
        seed: Seed::Demo,
        auto_approve: true,
        job_delay_ms: 200,
        state_file: Some(state_file.clone()),
        ..Default::default()
    })
    .await
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let files = tempfile::tempdir().unwrap();
    let core = core(dir.path(), Arc::new(FollowingBrowser)).await;
    let mut events = core.subscribe();
    let mut ui: Vec<String> = Vec::new();
    let mut push = |v: serde_json::Value| ui.push(v.to_string());

    let acc = core.add_account(oauth_account(&sim, 0)).await.unwrap();
    push(serde_json::to_value(&acc).unwrap());
    push(
        serde_json::to_value(
            core.sign_in(&acc.id, &CancellationToken::new())
                .await
                .unwrap(),
        )
        .unwrap(),
    );
    let svc = core.add_account(api_key_account(&sim)).await.unwrap();
    push(
        serde_json::to_value(
            core.sign_in(&svc.id, &CancellationToken::new())
                .await
                .unwrap(),
        )
        .unwrap(),
    );
    core.set_active(&acc.id).await.unwrap();
    push(serde_json::to_value(core.list_accounts().await.unwrap()).unwrap());
    push(serde_json::to_value(core.storage_info()).unwrap());

    // Expired tokens and failures along the way.
    control(
        &sim,
        "/_sim/clock/advance",
        serde_json::json!({"seconds": 3600}),
    )
    .await;
    control(
        &sim,
        "/_sim/faults",
        serde_json::json!({"pathPrefix": "/collect/api/v1/forms", "status": 500, "count": 2}),
    )
    .await;
    push(serde_json::to_value(core.sync_all(&|_| {}).await.unwrap()).unwrap());
    push(
        serde_json::to_value(
            core.search_answers(SearchQuery {
                text: "a".into(),
                ..Default::default()
            })
            .await
            .unwrap(),
        )
        .unwrap(),
    );
    let p = files.path().join("doc.pdf");
    std::fs::write(&p, desk_core::intake::sample_pdf(1, "doc")).unwrap();
    let draft = penneo::CaseFileDraft::new(
        "Leak check",
        vec![penneo::SignerSpec::new("A", "a@example.com")],
        vec![penneo::DocumentSpec::new("Doc", "doc.pdf")],
    );
    let entry = core
        .send_casefile(CasefileSend {
            draft,
            files: vec![p],
        })
        .await
        .unwrap();
    for _ in 0..200 {
        if core
            .outbox_entry(&entry.id)
            .await
            .unwrap()
            .casefile_id
            .is_some()
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    push(serde_json::to_value(core.outbox(true).await.unwrap()).unwrap());

    let mut errors: Vec<String> = Vec::new();
    control(
        &sim,
        "/_sim/faults",
        serde_json::json!({"pathPrefix": "/oauth/token", "status": 400, "count": 5}),
    )
    .await;
    let bad = core.add_account(oauth_account(&sim, 0)).await.unwrap();
    if let Err(e) = core.sign_in(&bad.id, &CancellationToken::new()).await {
        // What the UI receives: code, message and field (src-tauri's CommandError).
        errors.push(format!("{} {e} {:?}", e.code(), e.field()));
        errors.push(format!("{e:?}"));
    }
    if let Err(e) = core.get_casefile(999_999, true).await {
        // What the UI receives: code, message and field (src-tauri's CommandError).
        errors.push(format!("{} {e} {:?}", e.code(), e.field()));
        errors.push(format!("{e:?}"));
    }

    // Every token the server ever issued (it keeps them in its state file).
    tokio::time::sleep(Duration::from_millis(500)).await;
    let state: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&state_file).unwrap()).unwrap();
    let mut needles: Vec<String> = state["tokens"]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect();
    assert!(
        needles.len() >= 3,
        "expected several tokens, got {}",
        needles.len()
    );
    needles.push(penneo_sim::DEMO_CLIENT_SECRET.to_string());
    needles.push(penneo_sim::DEMO_API_SECRET.to_string());

    core.sign_out(&acc.id).await.unwrap();
    while let Ok(ev) = events.try_recv() {
        push(serde_json::to_value(ev).unwrap());
    }
    core.shutdown().await;
    drop(core);

    let mut haystacks: Vec<(String, Vec<u8>)> = Vec::new();
    for entry in std::fs::read_dir(dir.path()).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with(desk_core::db::DB_FILE) {
            haystacks.push((name, std::fs::read(entry.path()).unwrap()));
        }
    }
    assert!(!haystacks.is_empty());
    haystacks.push(("logs".into(), logs.0.lock().unwrap().clone()));
    // The log file holds the same lines, each through the app's log redaction (src-tauri's
    // logging.rs writes every line through it; tests/ops.rs proves the file gets them so).
    let log_file: String = String::from_utf8_lossy(&logs.0.lock().unwrap())
        .lines()
        .map(desk_core::redacted::redact_log_line)
        .collect::<Vec<_>>()
        .join("\n");
    // Personal data that may sit in a raw log line does not reach the file.
    for person in ["a@example.com", "demo@penneo.local"] {
        assert!(
            !log_file.contains(person),
            "an e-mail address ({person}) appears in the log file"
        );
    }
    haystacks.push(("log file".into(), log_file.into_bytes()));
    haystacks.push(("errors".into(), errors.join("\n").into_bytes()));
    haystacks.push(("ui".into(), ui.join("\n").into_bytes()));
    assert!(
        logs.0.lock().unwrap().len() > 1000,
        "the logs were captured"
    );
    for (what, hay) in &haystacks {
        for n in &needles {
            let found = hay.windows(n.len()).any(|w| w == n.as_bytes());
            assert!(
                !found,
                "a secret ({}…) appears in {what}",
                &n[..n.len().min(4)]
            );
        }
    }
    sim.shutdown().await;
}

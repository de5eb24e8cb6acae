//! The command layer as the webview sees it, through Tauri's mock runtime
//! (`tauri::test::mock_builder`): each call goes through the real IPC path (argument
//! deserialisation by name, the command, serialisation of the answer) against a core on the
//! demo workspace (the embedded simulator, signed in with the real PKCE flow).
//!
//! Checked here: lists are `{result, nextCursor}` in camelCase; every failure is
//! `{code, message, retryable, field?}` with the field at fault named; a Penneo 429 arrives as a
//! retryable `rate_limited`; and no token or secret the simulator ever issued appears in anything
//! a command sent back.

use std::sync::Arc;

use desk_core::secret_store::FileSecretStore;
use desk_core::signin::BrowserOpener;
use desk_core::{DeskConfig, DeskCore};
use penneo_desk::commands;
use penneo_desk::grants::GrantKind;
use penneo_desk::state::AppState;
use serde_json::{json, Value};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{get_ipc_response, mock_builder, mock_context, noop_assets, MockRuntime};
use tauri::webview::InvokeRequest;
use tauri::{Manager, WebviewWindow};

/// The system browser of the demo: follows the simulator's auto-approved authorize redirect to
/// the loopback callback.
struct FollowingBrowser;

impl BrowserOpener for FollowingBrowser {
    fn open(&self, url: &url::Url) -> desk_core::Result<()> {
        let url = url.clone();
        tokio::spawn(async move {
            let _ = penneo::tls::client().get(url).send().await;
        });
        Ok(())
    }
}

struct Harness {
    dir: tempfile::TempDir,
    _app: tauri::App<MockRuntime>,
    webview: WebviewWindow<MockRuntime>,
    /// Every answer the webview got, serialised, for the leak check.
    seen: std::cell::RefCell<Vec<String>>,
}

impl Harness {
    fn new() -> Harness {
        let dir = tempfile::tempdir().unwrap();
        let mut cfg = DeskConfig::new(dir.path(), Arc::new(FollowingBrowser));
        cfg.secrets = Some(Arc::new(FileSecretStore::new(dir.path())));
        cfg.demo_job_delay_ms = 200;
        // Tauri's own runtime, as in the app: the core's tasks and connections live there.
        let core = tauri::async_runtime::block_on(async {
            let core = DeskCore::open(cfg).await?;
            core.start_demo().await?;
            core.sync_forms(&|_| {}).await?;
            Ok::<_, desk_core::DeskError>(core)
        })
        .expect("the demo workspace opens");
        let app = mock_builder()
            .invoke_handler(tauri::generate_handler![
                commands::accounts::account_status,
                commands::accounts::list_accounts,
                commands::settings::storage_info,
                commands::settings::recording_status,
                commands::settings::start_recording,
                commands::settings::stop_recording,
                commands::settings::save_recording,
                commands::forms::list_forms,
                commands::forms::get_form,
                commands::forms::create_form,
                commands::submissions::list_submissions,
                commands::submissions::export_submissions,
                commands::submissions::csv_delimiter_for_language,
                commands::settings::preferences,
                commands::settings::set_preferences,
                commands::casefiles::send_casefile,
                commands::casefiles::get_casefile,
                commands::casefiles::signer_signing_link,
                commands::casefiles::remind_signer,
                commands::casefiles::save_casefile_draft,
                commands::casefiles::list_casefile_drafts,
                commands::casefiles::delete_casefile_draft,
                commands::downloads::download_signed_documents,
                commands::downloads::download_casefile_files,
                commands::casefiles::casefile_check_files,
                commands::app::open_link,
            ])
            .build(mock_context(noop_assets()))
            .expect("mock app");
        app.manage(AppState::new(core));
        let webview = tauri::WebviewWindowBuilder::new(&app, "main", Default::default())
            .build()
            .expect("mock window");
        Harness {
            dir,
            _app: app,
            webview,
            seen: Default::default(),
        }
    }

    /// Calls a command as the UI does; `Ok` is the answer, `Err` the rejection, both as JSON.
    fn invoke(&self, cmd: &str, args: Value) -> Result<Value, Value> {
        let res = get_ipc_response(
            &self.webview,
            InvokeRequest {
                cmd: cmd.into(),
                callback: CallbackFn(0),
                error: CallbackFn(1),
                url: "tauri://localhost".parse().unwrap(),
                body: InvokeBody::Json(args),
                headers: Default::default(),
                invoke_key: tauri::test::INVOKE_KEY.to_string(),
            },
        )
        .map(|b| b.deserialize::<Value>().expect("a JSON answer"));
        let text = match &res {
            Ok(v) | Err(v) => v.to_string(),
        };
        self.seen.borrow_mut().push(text);
        res
    }

    /// What a dialog (or a drop the backend saw) does: hands `path` out for one use.
    fn grant(&self, kind: GrantKind, path: &std::path::Path) {
        self.webview
            .state::<AppState>()
            .grants
            .grant(kind, [path.to_path_buf()]);
    }

    fn error(&self, cmd: &str, args: Value) -> Value {
        match self.invoke(cmd, args) {
            Ok(v) => panic!("{cmd} should have failed, answered {v}"),
            Err(e) => {
                assert_error_shape(&e);
                e
            }
        }
    }
}

/// `{code, message, retryable, field?, params?}` and nothing else.
fn assert_error_shape(e: &Value) {
    let obj = e
        .as_object()
        .unwrap_or_else(|| panic!("not an object: {e}"));
    assert!(obj["code"].as_str().is_some_and(|c| !c.is_empty()), "{e}");
    assert!(obj["message"].as_str().is_some_and(|m| m.len() > 10), "{e}");
    assert!(obj["retryable"].is_boolean(), "{e}");
    for k in obj.keys() {
        assert!(
            ["code", "message", "retryable", "field", "params"].contains(&k.as_str()),
            "unexpected key {k} in {e}"
        );
    }
    if let Some(p) = obj.get("params") {
        assert!(p.as_object().is_some_and(|p| !p.is_empty()), "{e}");
    }
}

#[test]
fn lists_are_pages_and_failures_have_one_shape() {
    let h = Harness::new();

    // A list: {result, nextCursor}, rows in camelCase.
    let page = h
        .invoke("list_forms", json!({"query": {"limit": 2}}))
        .unwrap();
    let rows = page["result"].as_array().expect("result");
    assert_eq!(rows.len(), 2, "{page}");
    assert!(page["nextCursor"].is_string(), "a next page: {page}");
    assert!(rows[0]["formId"].is_string(), "{page}");
    let rest = h
        .invoke(
            "list_forms",
            json!({"query": {"limit": 500, "cursor": page["nextCursor"]}}),
        )
        .unwrap();
    assert!(rest["nextCursor"].is_null(), "{rest}");
    let form_id = rows[0]["formId"].as_str().unwrap().to_string();
    assert!(rest["result"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["formId"] != form_id.as_str()));
    // A single record.
    let form = h
        .invoke("get_form", json!({"formId": form_id, "refresh": true}))
        .unwrap();
    assert_eq!(form["formId"], form_id.as_str());

    // Not found: no field.
    let e = h.error(
        "get_form",
        json!({"formId": "no-such-form", "refresh": true}),
    );
    assert_eq!(e["code"], "not_found", "{e}");
    assert!(e.get("field").is_none(), "{e}");
    let e = h.error(
        "get_casefile",
        json!({"casefileId": 999_999, "refresh": true}),
    );
    assert_eq!(e["code"], "not_found", "{e}");
    // Link and reminder name what is missing, through the bridge.
    for cmd in ["signer_signing_link", "remind_signer"] {
        let e = h.error(cmd, json!({"casefileId": 999_999, "signerId": 1}));
        assert_eq!(e["code"], "not_found", "{cmd}: {e}");
        assert!(
            e["message"].as_str().unwrap().contains("casefile"),
            "{cmd}: {e}"
        );
    }

    // A payload the model rejects names its argument.
    let e = h.error(
        "create_form",
        json!({"definition": {"name": 42}, "publish": false}),
    );
    assert_eq!(e["code"], "invalid_input", "{e}");
    assert_eq!(e["field"], "definition", "{e}");
    let e = h.error(
        "send_casefile",
        json!({"draft": {"title": []}, "files": [], "progress": "__CHANNEL__:7"}),
    );
    assert_eq!(e["code"], "invalid_input", "{e}");
    assert_eq!(e["field"], "draft", "{e}");
    // A form Penneo refuses (a field name that breaks the pattern) comes back at its field.
    let bad = json!({
        "name": "Onboarding", "language": "en",
        "sections": [{"slug": "s1", "title": "About you", "fields": [
            {"type": "TEXT", "name": "Not a valid name!", "label": "Name", "required": true}
        ]}]
    });
    let e = h.error("create_form", json!({"definition": bad, "publish": false}));
    assert_eq!(e["code"], "invalid_input", "{e}");
    assert!(
        e["field"].as_str().is_some_and(|f| !f.is_empty()),
        "the field at fault: {e}"
    );

    // Paths the user did not choose are refused before anything is written.
    let e = h.error(
        "export_submissions",
        json!({"query": {"formId": form_id}, "format": "csv", "csv": {"language": "en"}, "path": "out.csv"}),
    );
    assert_eq!(
        (e["code"].as_str(), e["field"].as_str()),
        (Some("invalid_input"), Some("path"))
    );
    let e = h.error(
        "download_signed_documents",
        json!({"casefileId": 1, "documentIds": [], "folder": h.dir.path().join("missing"), "progress": "__CHANNEL__:8"}),
    );
    assert_eq!(e["field"], "folder", "{e}");
    // A list query the backend cannot take names its field.
    let e = h.error("list_submissions", json!({"query": {"formId": ""}}));
    assert_eq!(e["field"], "formId", "{e}");
    // A casefile draft is kept as the editor sent it, and one that is not a draft is refused
    // at its argument.
    let draft = json!({"title": "Engagement letter", "signers": [], "documents": []});
    let kept = h
        .invoke(
            "save_casefile_draft",
            json!({"draftId": "new-1", "draft": draft}),
        )
        .unwrap();
    assert_eq!((&kept["id"], &kept["draft"]), (&json!("new-1"), &draft));
    let list = h.invoke("list_casefile_drafts", json!({})).unwrap();
    assert_eq!(list.as_array().map(Vec::len), Some(1), "{list}");
    let e = h.error(
        "save_casefile_draft",
        json!({"draftId": "new-2", "draft": "x"}),
    );
    assert_eq!(
        (e["code"].as_str(), e["field"].as_str()),
        (Some("invalid_input"), Some("draft"))
    );
    h.invoke("delete_casefile_draft", json!({"draftId": "new-1"}))
        .unwrap();
    assert_eq!(
        h.invoke("list_casefile_drafts", json!({})).unwrap(),
        json!([])
    );

    // Penneo's 429 with a long Retry-After: a retryable `rate_limited`, at once.
    let status = h.invoke("account_status", json!({})).unwrap();
    let api = status["apiHost"].as_str().expect("apiHost").to_string();
    tauri::async_runtime::block_on(async {
        let r = penneo::tls::client()
            .post(format!("{}/_sim/faults", api.trim_end_matches('/')))
            .json(&json!({"pathPrefix": "/collect", "status": 429, "retryAfter": 120, "count": 10}))
            .send()
            .await
            .unwrap();
        assert!(r.status().is_success(), "{}", r.text().await.unwrap());
    });
    let e = h.error("get_form", json!({"formId": form_id, "refresh": true}));
    assert_eq!(e["code"], "rate_limited", "{e}");
    assert_eq!(e["retryable"], true, "{e}");
}

#[test]
fn nothing_sent_to_the_webview_carries_a_token_or_secret() {
    let h = Harness::new();
    let status = h.invoke("account_status", json!({})).unwrap();
    assert_eq!(status["signedIn"], true, "{status}");
    assert_eq!(status["environment"], "demo", "{status}");
    let accounts = h.invoke("list_accounts", json!({})).unwrap();
    assert!(!accounts.as_array().unwrap().is_empty());
    h.invoke("storage_info", json!({})).unwrap();
    h.invoke("list_forms", json!({"query": {}})).unwrap();
    let _ = h.invoke(
        "get_form",
        json!({"formId": "no-such-form", "refresh": true}),
    );

    // Every token the simulator issued to this workspace (its state file keeps them), and the
    // demo's client and API secrets.
    std::thread::sleep(std::time::Duration::from_millis(500));
    let state: Value = serde_json::from_slice(
        &std::fs::read(h.dir.path().join(desk_core::use_cases::DEMO_STATE_FILE)).unwrap(),
    )
    .unwrap();
    let mut needles: Vec<String> = state["tokens"]
        .as_object()
        .expect("the simulator's tokens")
        .keys()
        .cloned()
        .collect();
    assert!(
        !needles.is_empty(),
        "the demo signed in, so tokens were issued"
    );
    needles.push(penneo_sim::DEMO_CLIENT_SECRET.to_string());
    needles.push(penneo_sim::DEMO_API_SECRET.to_string());
    for answer in h.seen.borrow().iter() {
        for n in &needles {
            assert!(
                !answer.contains(n.as_str()),
                "a secret reached the webview: {answer}"
            );
        }
    }
}

#[test]
fn the_diagnostics_recorder_records_redacts_and_saves() {
    let h = Harness::new();
    let st = h.invoke("recording_status", json!({})).unwrap();
    assert_eq!(st["recording"], false, "{st}");
    let st = h.invoke("start_recording", json!({})).unwrap();
    assert_eq!(st["recording"], true, "{st}");
    let forms = h.invoke("list_forms", json!({"query": {}})).unwrap();
    let form_id = forms["result"][0]["formId"].as_str().unwrap().to_string();
    h.invoke("get_form", json!({"formId": form_id, "refresh": true}))
        .unwrap();
    let st = h.invoke("stop_recording", json!({})).unwrap();
    assert_eq!(st["recording"], false, "{st}");
    assert!(st["exchanges"].as_u64().unwrap() >= 1, "{st}");
    let e = h.error("save_recording", json!({"path": "relative.json"}));
    assert_eq!(e["code"], "invalid_input", "{e}");
    let path = h.dir.path().join("exchanges.json");
    // A path no Save dialog gave is refused; the one it gave is taken, once.
    let e = h.error("save_recording", json!({"path": path.to_string_lossy()}));
    assert_eq!(e["code"], "invalid_input", "{e}");
    assert!(!path.exists());
    h.grant(GrantKind::SaveFile, &path);
    let n = h
        .invoke("save_recording", json!({"path": path.to_string_lossy()}))
        .unwrap();
    assert_eq!(n, st["exchanges"], "{n}");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("\"get_form\""), "{text}");
    assert!(
        text.contains("<redacted:"),
        "the Authorization header is a placeholder"
    );
    let state: Value = serde_json::from_slice(
        &std::fs::read(h.dir.path().join(desk_core::use_cases::DEMO_STATE_FILE)).unwrap(),
    )
    .unwrap();
    for token in state["tokens"].as_object().unwrap().keys() {
        assert!(!text.contains(token.as_str()), "a token reached the file");
    }
}

/// Paths come only from a dialog or a drop the backend saw: every command that takes one
/// refuses a path it never handed out (`invalid_input`, the field named) and touches nothing;
/// a granted path works once. Links open only to Penneo's hosts and the accounts' own.
#[test]
fn paths_never_granted_and_foreign_links_are_refused() {
    let h = Harness::new();
    let dir = h.dir.path();
    let pdf = dir.join("letter.pdf");
    std::fs::write(&pdf, desk_core::intake::sample_pdf(1, "Letter")).unwrap();
    let out = dir.join("export.csv");
    let folder = dir.join("downloads");
    std::fs::create_dir(&folder).unwrap();
    let forms = h.invoke("list_forms", json!({"query": {}})).unwrap();
    let form_id = forms["result"][0]["formId"].as_str().unwrap().to_string();

    let refused = [
        (
            "casefile_check_files",
            json!({"paths": [pdf.clone()], "existingNames": []}),
            "paths",
        ),
        (
            "casefile_check_files",
            json!({"paths": ["/etc/passwd"], "existingNames": []}),
            "paths",
        ),
        (
            "export_submissions",
            json!({"query": {"formId": form_id}, "format": "csv", "csv": {"language": "en"}, "path": out.clone()}),
            "path",
        ),
        ("save_recording", json!({"path": out.clone()}), "path"),
        (
            "download_signed_documents",
            json!({"casefileId": 1, "documentIds": [], "folder": folder.clone(), "progress": "__CHANNEL__:8"}),
            "folder",
        ),
        (
            "download_casefile_files",
            json!({"casefileId": 1, "fileIds": [], "folder": folder.clone(), "progress": "__CHANNEL__:9"}),
            "folder",
        ),
        (
            "open_link",
            json!({"url": "https://evil.example/phish"}),
            "url",
        ),
        (
            "open_link",
            json!({"url": "https://penneo.com.evil.example/"}),
            "url",
        ),
        (
            "open_link",
            json!({"url": "http://127.0.0.1:1/other-local-app"}),
            "url",
        ),
    ];
    for (cmd, args, field) in refused {
        let e = h.error(cmd, args.clone());
        assert_eq!(e["code"], "invalid_input", "{cmd} {args}: {e}");
        assert_eq!(e["field"], field, "{cmd}: {e}");
    }
    assert!(!out.exists());
    assert_eq!(std::fs::read_dir(&folder).unwrap().count(), 0);

    // A granted file is checked, once; the grant is used up by that check.
    h.grant(GrantKind::ReadFile, &pdf);
    let checked = h
        .invoke(
            "casefile_check_files",
            json!({"paths": [pdf.clone()], "existingNames": []}),
        )
        .unwrap();
    assert_eq!(checked[0]["status"], "accepted", "{checked}");
    let e = h.error(
        "casefile_check_files",
        json!({"paths": [pdf.clone()], "existingNames": []}),
    );
    assert_eq!(e["code"], "invalid_input", "{e}");
    // A grant of another kind does not count: a picked file is no export target.
    h.grant(GrantKind::ReadFile, &out);
    let e = h.error(
        "export_submissions",
        json!({"query": {"formId": form_id}, "format": "csv", "csv": {"language": "en"}, "path": out.clone()}),
    );
    assert_eq!(e["code"], "invalid_input", "{e}");
    h.grant(GrantKind::SaveFile, &out);
    h.invoke(
        "export_submissions",
        json!({"query": {"formId": form_id}, "format": "csv", "csv": {"language": "en"}, "path": out.clone()}),
    )
    .unwrap();
    assert!(out.exists());
}

#[test]
fn the_ui_language_reaches_preferences_notifications_and_the_csv() {
    let h = Harness::new();
    let p = h.invoke("preferences", json!({})).unwrap();
    assert_eq!(
        p,
        json!({"language": null, "welcomeSeen": false, "confirmProductionSends": false})
    );
    let state = h.webview.state::<AppState>();
    assert_eq!(state.language(), "en");
    let p = h
        .invoke(
            "set_preferences",
            json!({"update": {"language": "da", "welcomeSeen": true}}),
        )
        .unwrap();
    assert_eq!(
        (&p["language"], &p["welcomeSeen"]),
        (&json!("da"), &json!(true))
    );
    assert_eq!(
        state.language(),
        "da",
        "notifications are worded in Danish now"
    );
    let e = h.error("set_preferences", json!({"update": {"language": "<da>"}}));
    assert_eq!(e["field"], "language", "{e}");
    assert_eq!(state.language(), "da");

    for (lang, want) in [
        ("da", "semicolon"),
        ("en-GB", "comma"),
        ("de-AT", "semicolon"),
    ] {
        let d = h
            .invoke("csv_delimiter_for_language", json!({"language": lang}))
            .unwrap();
        assert_eq!(d, want, "{lang}");
    }
    let forms = h.invoke("list_forms", json!({"query": {}})).unwrap();
    let form_id = forms["result"][0]["formId"].as_str().unwrap().to_string();
    let path = h.dir.path().join("out.csv");
    h.grant(GrantKind::SaveFile, &path);
    let sum = h
        .invoke(
            "export_submissions",
            json!({"query": {"formId": form_id}, "format": "csv",
                   "csv": {"delimiter": null, "language": "da"}, "path": path}),
        )
        .unwrap();
    assert_eq!(sum["path"], json!(path), "{sum}");
    let bytes = std::fs::read(&path).unwrap();
    assert!(
        bytes.starts_with("\u{feff}submissionId;completedAt;".as_bytes()),
        "{:?}",
        String::from_utf8_lossy(&bytes)
    );
    h.grant(GrantKind::SaveFile, &path);
    h.invoke(
        "export_submissions",
        json!({"query": {"formId": form_id}, "format": "csv",
               "csv": {"delimiter": "comma", "language": "da"}, "path": path}),
    )
    .unwrap();
    assert!(std::fs::read(&path)
        .unwrap()
        .starts_with("\u{feff}submissionId,completedAt,".as_bytes()));
}

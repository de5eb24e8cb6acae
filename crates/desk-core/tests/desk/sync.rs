//! Sync, search, downloads and resilience against the simulator's demo workspace.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use crate::common::*;
use desk_core::db::casefiles::CasefileQuery;
use desk_core::db::submissions::{FieldFilter, FilterOp, SearchQuery, SubmissionQuery};
use penneo_sim::Seed;
use tokio_util::sync::CancellationToken;

async fn signed_in_demo(dir: &std::path::Path) -> (penneo_sim::RunningSim, desk_core::DeskCore) {
    let sim = sim(Seed::Demo, true).await;
    let core = core(dir, Arc::new(FollowingBrowser)).await;
    let acc = core.add_account(oauth_account(&sim, 0)).await.unwrap();
    core.sign_in(&acc.id, &CancellationToken::new())
        .await
        .unwrap();
    (sim, core)
}

#[tokio::test]
async fn full_sync_then_incremental_then_offline_reads() {
    let dir = tempfile::tempdir().unwrap();
    let (sim, core) = signed_in_demo(dir.path()).await;
    let report = core.sync_all(&|_| {}).await.unwrap();
    assert_eq!(report.forms, 6);
    assert_eq!(report.submissions, 44, "{report:?}");
    assert!(report.casefiles >= 12, "{report:?}");
    assert!(report.failures.is_empty(), "{report:?}");

    // A second pass fetches nothing new.
    let again = core.sync_all(&|_| {}).await.unwrap();
    assert_eq!(again.submissions, 0, "{again:?}");

    // Pick a form with submissions and read them from the cache.
    let forms = core.list_forms(Default::default()).await.unwrap();
    let form = forms
        .result
        .iter()
        .max_by_key(|f| f.submission_count)
        .unwrap();
    let page = core
        .list_submissions(SubmissionQuery {
            form_id: form.form_id.clone(),
            columns: vec![],
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(page.result.len() as i64, form.submission_count);
    let first = core
        .get_submission(&page.result[0].submission_id)
        .await
        .unwrap();
    let answer = first
        .answers
        .iter()
        .find(|a| {
            a.field_type.as_deref() == Some("TEXT")
                && a.value_text.as_deref().is_some_and(|v| v.len() > 4)
        })
        .unwrap();
    let value = answer.value_text.clone().unwrap();

    // Filter by that field's value and find it by full-text search.
    let filtered = core
        .list_submissions(SubmissionQuery {
            form_id: form.form_id.clone(),
            filters: vec![FieldFilter {
                field: answer.field_name.clone(),
                op: FilterOp::Equals,
                value: Some(value.clone()),
            }],
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(filtered
        .result
        .iter()
        .any(|r| r.submission_id == first.row.submission_id));
    let hits = core
        .search_answers(SearchQuery {
            text: value.clone(),
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(hits
        .result
        .iter()
        .flat_map(|g| g.hits.iter())
        .any(|h| h.submission_id == first.row.submission_id && h.value.iter().any(|p| p.hit)));

    // Offline: the simulator is gone, the cache still answers.
    sim.shutdown().await;
    let cached = core.list_casefiles(CasefileQuery::default()).await.unwrap();
    assert!(cached.result.len() >= 12);
    assert!(core.get_form(&form.form_id, true).await.is_ok());
    let err = core.sync_forms(&|_| {}).await.unwrap_err();
    assert_eq!(err.code(), desk_core::ErrorCode::Offline, "{err}");
    assert!(err.retryable());
    assert!(core
        .sync_state()
        .await
        .unwrap()
        .iter()
        .any(|s| s.scope == "casefiles"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn token_expiry_in_the_middle_of_a_sync_recovers() {
    let dir = tempfile::tempdir().unwrap();
    let (sim, core) = signed_in_demo(dir.path()).await;
    core.sync_forms(&|_| {}).await.unwrap();
    let base = sim.base_url();
    let advanced = Arc::new(AtomicBool::new(false));
    let flag = advanced.clone();
    // After the first page of submissions, an hour passes on the server: the access token
    // (10 minutes) expires in the middle of the sync.
    let progress = move |p: desk_core::use_cases::SyncProgress| {
        if p.scope == "submissions" && !flag.swap(true, Ordering::SeqCst) {
            let base = base.clone();
            tokio::task::block_in_place(|| {
                tokio::runtime::Handle::current().block_on(async {
                    penneo::tls::client()
                        .post(format!("{base}/_sim/clock/advance"))
                        .json(&serde_json::json!({"seconds": 3600}))
                        .send()
                        .await
                        .unwrap();
                })
            });
        }
    };
    let report = core.sync_all(&progress).await.unwrap();
    assert!(advanced.load(Ordering::SeqCst));
    assert_eq!(report.submissions, 44, "{report:?}");
    // The server refused the expired token and the client renewed it by itself.
    let log = sim_log(&sim).await;
    assert!(
        log.iter()
            .any(|(_, p, s)| p.starts_with("/collect/") && *s == 401),
        "no 401 seen"
    );
    let tokens = log
        .iter()
        .filter(|(m, p, s)| m == "POST" && p == "/oauth/token" && *s == 200)
        .count();
    assert!(
        tokens >= 2,
        "sign-in and one refresh expected, saw {tokens}"
    );
}

#[tokio::test]
async fn rides_out_429_and_500_storms() {
    let dir = tempfile::tempdir().unwrap();
    let (sim, core) = signed_in_demo(dir.path()).await;
    control(
        &sim,
        "/_sim/faults",
        serde_json::json!({"pathPrefix": "/collect/api/v1/forms", "status": 500, "count": 3}),
    )
    .await;
    control(&sim, "/_sim/faults", serde_json::json!({"pathPrefix": "/collect/api/v1/forms", "status": 429, "retryAfter": 1, "count": 2})).await;
    control(
        &sim,
        "/_sim/faults",
        serde_json::json!({"pathPrefix": "/api/v1/casefiles", "status": 503, "count": 2}),
    )
    .await;
    let report = core.sync_all(&|_| {}).await.unwrap();
    assert_eq!(report.forms, 6);
    assert_eq!(report.submissions, 44, "{report:?}");
    assert!(report.failures.is_empty(), "{report:?}");
    let log = sim_log(&sim).await;
    for status in [500, 429, 503] {
        assert!(
            log.iter().any(|(_, _, s)| *s == status),
            "no {status} was injected"
        );
    }
}

#[tokio::test]
async fn casefiles_penneo_sends_in_an_unreadable_shape_are_counted_not_fatal() {
    let dir = tempfile::tempdir().unwrap();
    let (sim, core) = signed_in_demo(dir.path()).await;
    let clean = core.sync_all(&|_| {}).await.unwrap();
    assert_eq!(clean.skipped_casefiles, 0, "{clean:?}");
    // The list now also carries a casefile without an id and one that is not an object.
    let http = penneo::tls::client();
    for body in [
        serde_json::json!({}),
        serde_json::json!({"record": "garbage"}),
    ] {
        let r = http
            .post(format!("{}/_sim/casefiles/malformed", sim.base_url()))
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 201);
    }
    let report = core.sync_all(&|_| {}).await.unwrap();
    assert_eq!(report.skipped_casefiles, 2, "{report:?}");
    assert!(report.failures.is_empty(), "{report:?}");
    // The readable ones are all still there, and the plain casefile sync goes on too.
    let cached = core.list_casefiles(CasefileQuery::default()).await.unwrap();
    assert!(cached.result.len() >= 12, "{}", cached.result.len());
    let counted = core.sync_casefiles_counted(&|_| {}).await.unwrap();
    assert_eq!(counted.skipped, 2, "{counted:?}");
    assert_eq!(core.sync_casefiles(&|_| {}).await.unwrap(), counted.synced);
}

#[tokio::test]
async fn signed_documents_download_atomically_without_overwriting() {
    let dir = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let (sim, core) = signed_in_demo(dir.path()).await;
    core.sync_casefiles(&|_| {}).await.unwrap();
    let done = core
        .list_casefiles(CasefileQuery {
            statuses: vec![desk_core::CasefileStatus::Completed],
            search: Some("Annual report".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    let cf = &done.result[0];
    let detail = core.get_casefile(cf.casefile_id, true).await.unwrap();
    let saved = core
        .download_signed_documents(cf.casefile_id, vec![], out.path().into(), &|_| {})
        .await
        .unwrap();
    assert_eq!(saved.len(), detail.documents.len());
    for f in &saved {
        let bytes = std::fs::read(&f.path).unwrap();
        assert!(bytes.starts_with(b"%PDF-"));
        assert_eq!(bytes.len() as u64, f.size);
        assert!(f.path.starts_with(out.path()));
    }
    // Again: new names, nothing overwritten.
    let again = core
        .download_signed_documents(cf.casefile_id, vec![], out.path().into(), &|_| {})
        .await
        .unwrap();
    assert!(
        again.iter().all(|f| f.file_name.contains(" (2)")),
        "{again:?}"
    );
    assert_eq!(
        core.downloads(Some(cf.casefile_id)).await.unwrap().len(),
        saved.len() * 2
    );

    // A connection dropped mid-download leaves no file behind.
    let before = std::fs::read_dir(out.path()).unwrap().count();
    control(
        &sim,
        "/_sim/faults",
        serde_json::json!({"pathPrefix": "/api/v3/documents", "dropConnection": true, "count": 50}),
    )
    .await;
    control(
        &sim,
        "/_sim/faults",
        serde_json::json!({"pathPrefix": "/api/v1/documents", "dropConnection": true, "count": 50}),
    )
    .await;
    assert!(core
        .download_signed_documents(cf.casefile_id, vec![], out.path().into(), &|_| {})
        .await
        .is_err());
    assert_eq!(std::fs::read_dir(out.path()).unwrap().count(), before);

    // A casefile that is not completed cannot be downloaded.
    let pending = core
        .list_casefiles(CasefileQuery {
            statuses: vec![desk_core::CasefileStatus::Pending],
            ..Default::default()
        })
        .await
        .unwrap();
    let err = core
        .download_signed_documents(
            pending.result[0].casefile_id,
            vec![],
            out.path().into(),
            &|_| {},
        )
        .await
        .unwrap_err();
    assert_eq!(err.code(), desk_core::ErrorCode::Conflict);
}

#[tokio::test]
async fn background_sync_reports_status_changes() {
    let dir = tempfile::tempdir().unwrap();
    let (sim, core) = signed_in_demo(dir.path()).await;
    core.sync_casefiles(&|_| {}).await.unwrap();
    let pending = core
        .list_casefiles(CasefileQuery {
            statuses: vec![desk_core::CasefileStatus::Pending],
            ..Default::default()
        })
        .await
        .unwrap();
    let id = pending.result[0].casefile_id;
    let mut events = core.subscribe();
    core.start_background_sync();
    control(
        &sim,
        &format!("/_sim/casefiles/{id}/sign-all"),
        serde_json::json!({}),
    )
    .await;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    loop {
        let ev = tokio::time::timeout(std::time::Duration::from_secs(30), events.recv())
            .await
            .unwrap()
            .unwrap();
        if let desk_core::DeskEvent::CasefileStatus {
            casefile_id,
            status: desk_core::CasefileStatus::Completed,
            previous,
            ..
        } = ev
        {
            if casefile_id == id {
                assert!(previous.is_some());
                break;
            }
        }
        assert!(std::time::Instant::now() < deadline);
    }
    assert_eq!(
        core.get_casefile(id, false).await.unwrap().status,
        desk_core::CasefileStatus::Completed
    );
    core.shutdown().await;
}

/// With no page asking, the background sync brings the account's submissions into the cache
/// every `full_sync_interval` and says so.
#[tokio::test]
async fn background_sync_brings_submissions_without_a_page_asking() {
    let dir = tempfile::tempdir().unwrap();
    let (_sim, core) = signed_in_demo(dir.path()).await;
    let mut events = core.subscribe();
    core.start_background_sync();
    let brought = tokio::time::timeout(std::time::Duration::from_secs(60), async {
        loop {
            if let Ok(desk_core::DeskEvent::BackgroundSynced { submissions, .. }) =
                events.recv().await
            {
                break submissions;
            }
        }
    })
    .await
    .expect("a background sync within a minute");
    assert!(brought > 0, "the demo's submissions arrived");
    let forms = core
        .list_forms(desk_core::db::forms::FormQuery::default())
        .await
        .unwrap();
    let cached: i64 = forms.result.iter().map(|f| f.submission_count).sum();
    assert_eq!(cached as u64, brought);
    core.shutdown().await;
}

/// A client answers a form with a file on the fill-in page; the casefile's files are listed and
/// downloaded atomically, checked against the listed size, never overwriting.
#[tokio::test]
async fn casefile_files_download_atomically() {
    let dir = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let (sim, core) = signed_in_demo(dir.path()).await;
    let def: penneo::FormDefinition = serde_json::from_value(serde_json::json!({
        "name": "Proof of address",
        "language": "EN",
        "sections": [{"slug": "person", "title": "Person", "fields": [
            {"name": "full_name", "label": "Full name", "type": "TEXT", "required": true, "mapTo": "primarySigner.name"},
            {"name": "email", "label": "E-mail", "type": "EMAIL", "required": true, "mapTo": "primarySigner.email"},
            {"name": "proof", "label": "Utility bill", "type": "FILE", "required": true}
        ]}]
    }))
    .unwrap();
    let form = core.create_form(def, true).await.unwrap();
    let request: penneo::PrefilledRequest = serde_json::from_value(serde_json::json!({
        "answers": {"person": [{
            "full_name": {"value": "Freja Holm", "editable": false},
            "email": {"value": "freja@example.com", "editable": false}
        }]}
    }))
    .unwrap();
    let req = core
        .create_prefilled_request(&form.form_id, request, None)
        .await
        .unwrap();
    let bill = pdf(1, "Utility bill", 40_000);
    let fill = reqwest::multipart::Form::new()
        .text("person.0.full_name", "Freja Holm")
        .text("person.0.email", "freja@example.com")
        .part(
            "person.0.proof",
            reqwest::multipart::Part::bytes(bill.clone())
                .file_name("bill.pdf")
                .mime_str("application/pdf")
                .unwrap(),
        );
    let res = penneo::tls::client()
        .post(&req.request_url)
        .multipart(fill)
        .send()
        .await
        .unwrap();
    assert!(res.status().is_success(), "{}", res.text().await.unwrap());
    core.sync_submissions(&form.form_id, &|_| {}).await.unwrap();
    let rows = core
        .list_submissions(SubmissionQuery {
            form_id: form.form_id.clone(),
            ..Default::default()
        })
        .await
        .unwrap();
    let casefile_id = rows.result[0].casefile_id.expect("a casefile");
    // The casefile's files: the form's PDF and the uploaded bill.
    let files = core.casefile_files(casefile_id).await.unwrap();
    assert_eq!(files.len(), 2, "{files:?}");
    let bill_id = files
        .iter()
        .find(|f| f.filename == "bill.pdf")
        .map(|f| f.file_id.clone())
        .expect("the uploaded file is listed");

    let saved = core
        .download_casefile_files(casefile_id, vec![], out.path().into(), &|_| {})
        .await
        .unwrap();
    assert_eq!(saved.len(), 2);
    let got = saved.iter().find(|f| f.file_name == "bill.pdf").unwrap();
    assert_eq!(std::fs::read(&got.path).unwrap(), bill);
    let form_pdf = saved.iter().find(|f| f.file_name != "bill.pdf").unwrap();
    assert!(std::fs::read(&form_pdf.path).unwrap().starts_with(b"%PDF-"));
    let again = core
        .download_casefile_files(
            casefile_id,
            vec![bill_id.clone()],
            out.path().into(),
            &|_| {},
        )
        .await
        .unwrap();
    assert_eq!(again[0].file_name, "bill (2).pdf");
    let err = core
        .download_casefile_files(
            casefile_id,
            vec!["no-such-file".into()],
            out.path().into(),
            &|_| {},
        )
        .await
        .unwrap_err();
    assert_eq!(err.code(), desk_core::ErrorCode::NotFound);
    // A connection dropped mid-file leaves no partial file behind (and no temporary one).
    control(
        &sim,
        "/_sim/faults",
        serde_json::json!({"pathPrefix": "/collect/api/v1/files", "dropConnection": true, "count": 50}),
    )
    .await;
    assert!(core
        .download_casefile_files(casefile_id, vec![bill_id], out.path().into(), &|_| {})
        .await
        .is_err());
    assert_eq!(std::fs::read_dir(out.path()).unwrap().count(), 3);
}

async fn simple_form(core: &desk_core::DeskCore, name: &str) -> String {
    let def: penneo::FormDefinition = serde_json::from_value(serde_json::json!({
        "name": name,
        "language": "EN",
        "sections": [{"slug": "person", "title": "Person", "fields": [
            {"name": "full_name", "label": "Full name", "type": "TEXT", "required": true, "mapTo": "primarySigner.name"},
            {"name": "email", "label": "E-mail", "type": "EMAIL", "required": true, "mapTo": "primarySigner.email"}
        ]}]
    }))
    .unwrap();
    core.create_form(def, true).await.unwrap().form_id
}

async fn submit(
    sim: &penneo_sim::RunningSim,
    core: &desk_core::DeskCore,
    form_id: &str,
    who: &str,
    extra: serde_json::Value,
) -> serde_json::Value {
    let request: penneo::PrefilledRequest = serde_json::from_value(serde_json::json!({
        "answers": {"person": [{
            "full_name": {"value": who, "editable": false},
            "email": {"value": "someone@example.com", "editable": false}
        }]}
    }))
    .unwrap();
    let req = core
        .create_prefilled_request(form_id, request, None)
        .await
        .unwrap();
    let mut body = serde_json::json!({});
    if let serde_json::Value::Object(m) = extra {
        for (k, v) in m {
            body[k] = v;
        }
    }
    control(
        sim,
        &format!("/_sim/requests/{}/submit", req.request_id),
        body,
    )
    .await
}

fn watermark(states: &[desk_core::db::bookkeeping::SyncState], form_id: &str) -> Option<String> {
    states
        .iter()
        .find(|s| s.scope == desk_core::db::bookkeeping::form_scope(form_id))
        .and_then(|s| s.watermark.clone())
}

/// A submission Penneo finishes processing late is listed with a `completedAt` older than the
/// newest one already synced. The incremental sync re-reads a day before its watermark, so it
/// is found; what the overlap brings again is not fetched twice; the watermark never moves
/// back, and a submission without `completedAt` does not reset it.
#[tokio::test]
async fn incremental_sync_finds_late_submissions_in_the_overlap() {
    let dir = tempfile::tempdir().unwrap();
    let (sim, core) = signed_in_demo(dir.path()).await;
    let form = simple_form(&core, "Late arrivals").await;
    let first = submit(&sim, &core, &form, "Ida Holm", serde_json::json!({})).await;
    assert_eq!(core.sync_submissions(&form, &|_| {}).await.unwrap(), 1);
    let wm1 = watermark(&core.sync_state().await.unwrap(), &form).expect("a watermark");
    assert_eq!(wm1, first["completedAt"].as_str().unwrap());

    control(
        &sim,
        "/_sim/clock/advance",
        serde_json::json!({"seconds": 60}),
    )
    .await;
    // Completed two hours ago, listed only now.
    let late = submit(
        &sim,
        &core,
        &form,
        "Mark Berg",
        serde_json::json!({"completedSecondsAgo": 7200}),
    )
    .await;
    assert!(late["completedAt"].as_str().unwrap() < wm1.as_str());
    let answers_before = sim_log(&sim)
        .await
        .iter()
        .filter(|(_, p, _)| p.ends_with("/answers"))
        .count();
    // Only the late one is new: the first is not fetched again.
    assert_eq!(core.sync_submissions(&form, &|_| {}).await.unwrap(), 1);
    let answers_after = sim_log(&sim)
        .await
        .iter()
        .filter(|(_, p, _)| p.ends_with("/answers"))
        .count();
    assert_eq!(
        answers_after - answers_before,
        1,
        "one answers fetch, for the late one"
    );
    let rows = core
        .list_submissions(SubmissionQuery {
            form_id: form.clone(),
            ..Default::default()
        })
        .await
        .unwrap();
    let mut ids: Vec<String> = rows
        .result
        .iter()
        .map(|r| r.submission_id.clone())
        .collect();
    ids.sort();
    let mut want = vec![
        first["submissionId"].as_str().unwrap().to_string(),
        late["submissionId"].as_str().unwrap().to_string(),
    ];
    want.sort();
    assert_eq!(ids, want);
    // The late one's older time did not move the watermark back.
    assert_eq!(
        watermark(&core.sync_state().await.unwrap(), &form).as_deref(),
        Some(wm1.as_str())
    );
    // The list asked from a day before the watermark.
    let log: serde_json::Value = penneo::tls::client()
        .get(format!("{}/_sim/log", sim.base_url()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let asked = log["items"]
        .as_array()
        .unwrap()
        .iter()
        .rev()
        .find(|e| e["path"].as_str().unwrap().ends_with("/submissions"))
        .and_then(|e| e["query"].as_str())
        .unwrap()
        .to_string();
    let after: String = url::form_urlencoded::parse(asked.as_bytes())
        .find(|(k, _)| k == "completedAfter")
        .map(|(_, v)| v.into_owned())
        .unwrap();
    let wm_t =
        time::OffsetDateTime::parse(&wm1, &time::format_description::well_known::Rfc3339).unwrap();
    let after_t =
        time::OffsetDateTime::parse(&after, &time::format_description::well_known::Rfc3339)
            .unwrap();
    let gap = (wm_t - after_t).whole_seconds();
    assert!((86_400..86_402).contains(&gap), "asked {after} for {wm1}");

    // One listed without completedAt: synced, and the watermark stays.
    let bare = submit(
        &sim,
        &core,
        &form,
        "Sara Lund",
        serde_json::json!({"withoutCompletedAt": true}),
    )
    .await;
    assert_eq!(core.sync_submissions(&form, &|_| {}).await.unwrap(), 1);
    assert_eq!(
        watermark(&core.sync_state().await.unwrap(), &form).as_deref(),
        Some(wm1.as_str())
    );
    let got = core
        .get_submission(bare["submissionId"].as_str().unwrap())
        .await
        .unwrap();
    assert_eq!(
        got.row.submission_id,
        bare["submissionId"].as_str().unwrap()
    );
    // Later than a day behind is outside the window (the documented limit).
    submit(
        &sim,
        &core,
        &form,
        "Bo Dahl",
        serde_json::json!({"completedSecondsAgo": 3 * 86_400}),
    )
    .await;
    assert_eq!(core.sync_submissions(&form, &|_| {}).await.unwrap(), 0);
    // Nothing new: nothing fetched, nothing moved.
    assert_eq!(core.sync_submissions(&form, &|_| {}).await.unwrap(), 0);
    assert_eq!(
        watermark(&core.sync_state().await.unwrap(), &form).as_deref(),
        Some(wm1.as_str())
    );
}

/// Collect lists a casefile's files with a link on another host (a storage service): the
/// download goes there without the Penneo token (the simulator's storage host refuses a
/// request that carries one), under any of the link keys, and the bytes get the same size and
/// PDF checks as any other download.
#[tokio::test]
async fn casefile_files_from_another_host() {
    let dir = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let (sim, core) = signed_in_demo(dir.path()).await;
    let form = simple_form(&core, "Elsewhere").await;
    let sub = submit(&sim, &core, &form, "Ida Holm", serde_json::json!({})).await;
    let casefile_id = sub["casefileId"].as_i64().unwrap();
    for key in ["href", "url", "link", "downloadUrl"] {
        control(
            &sim,
            "/_sim/files/links",
            serde_json::json!({"key": key, "otherHost": true, "sizeDelta": 0}),
        )
        .await;
        let before = sim_log(&sim).await.len();
        let saved = core
            .download_casefile_files(casefile_id, vec![], out.path().into(), &|_| {})
            .await
            .unwrap_or_else(|e| panic!("{key}: {e}"));
        assert_eq!(saved.len(), 1);
        assert!(std::fs::read(&saved[0].path).unwrap().starts_with(b"%PDF-"));
        let log = sim_log(&sim).await;
        let fetched: Vec<_> = log[before..]
            .iter()
            .filter(|(_, p, _)| p.starts_with("/_storage/"))
            .collect();
        assert_eq!(fetched.len(), 1, "{key}: {log:?}");
        assert_eq!(fetched[0].2, 200, "{key}: fetched without the token");
    }
    // The listed size disagrees with the bytes: refused, nothing left in the folder.
    let count = std::fs::read_dir(out.path()).unwrap().count();
    control(
        &sim,
        "/_sim/files/links",
        serde_json::json!({"key": "href", "otherHost": true, "sizeDelta": 5}),
    )
    .await;
    let err = core
        .download_casefile_files(casefile_id, vec![], out.path().into(), &|_| {})
        .await
        .unwrap_err();
    assert!(
        err.to_string().to_lowercase().contains("size") || err.to_string().contains("bytes"),
        "{err}"
    );
    assert_eq!(std::fs::read_dir(out.path()).unwrap().count(), count);
}

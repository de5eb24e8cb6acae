//! The casefile outbox against the simulator: a normal send followed to completion, a changed
//! file, a lost answer reconciled, and a process killed mid-upload that still makes exactly one
//! casefile.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::common::*;
use desk_core::db::casefiles::CasefileQuery;
use desk_core::db::outbox::{OutboxEntry, OutboxNote, OutboxState};
use desk_core::use_cases::CasefileSend;
use desk_core::DeskCore;
use penneo::{
    CaseFileDraft, CcRecipient, DocumentSpec, InsecureSigningMethod, SecureSigningMethod,
    SignerSpec, SsnType,
};
use penneo_sim::Seed;
use tokio_util::sync::CancellationToken;

fn draft(title: &str, files: &[&str]) -> CaseFileDraft {
    let mut signers = vec![
        SignerSpec::new("Anna Berg", "anna@example.com"),
        SignerSpec::new("Bo Dahl", "bo@example.com"),
    ];
    signers[0].sign_order = Some(1);
    signers[1].sign_order = Some(2);
    let docs = files
        .iter()
        .map(|f| DocumentSpec::new(f.trim_end_matches(".pdf"), *f))
        .collect();
    CaseFileDraft::new(title, signers, docs)
}

fn write_pdfs(dir: &Path, names: &[&str], min_len: usize) -> Vec<PathBuf> {
    names
        .iter()
        .map(|n| {
            let p = dir.join(n);
            std::fs::write(&p, pdf(2, n, min_len)).unwrap();
            p
        })
        .collect()
}

async fn wait_for(
    core: &DeskCore,
    id: &str,
    what: &str,
    pred: impl Fn(&OutboxEntry) -> bool,
) -> OutboxEntry {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let e = core.outbox_entry(id).await.unwrap();
        if pred(&e) {
            return e;
        }
        assert!(
            e.state != OutboxState::Stopped,
            "stopped while waiting for {what}: {:?}",
            e.message
        );
        assert!(
            Instant::now() < deadline,
            "timed out waiting for {what}; entry is {:?} ({:?})",
            e.state,
            e.message
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn casefiles_with_reference(core: &DeskCore, reference: &str) -> usize {
    core.sync_casefiles(&|_| {}).await.unwrap();
    let list = core
        .list_casefiles(CasefileQuery {
            search: Some(reference.into()),
            ..Default::default()
        })
        .await
        .unwrap();
    list.result
        .iter()
        .filter(|c| c.reference.as_deref() == Some(reference))
        .count()
}

async fn api_key_core(sim: &penneo_sim::RunningSim, dir: &Path, autostart: bool) -> DeskCore {
    let mut cfg = config(dir, Arc::new(IdleBrowser));
    cfg.autostart_outbox = autostart;
    let core = DeskCore::open(cfg).await.unwrap();
    let acc = core.add_account(api_key_account(sim)).await.unwrap();
    core.sign_in(&acc.id, &CancellationToken::new())
        .await
        .unwrap();
    core
}

#[tokio::test]
async fn a_sends_news_are_its_own_and_end_once_its_casefile_exists() {
    let sim = sim(Seed::Empty, false).await;
    let dir = tempfile::tempdir().unwrap();
    let files = tempfile::tempdir().unwrap();
    let core = api_key_core(&sim, dir.path(), true).await;
    let paths = write_pdfs(files.path(), &["letter.pdf"], 200_000);
    let (entry, mut news) = core
        .send_casefile_with_news(CasefileSend {
            draft: draft("Engagement letter", &["letter.pdf"]),
            files: paths,
        })
        .await
        .unwrap();
    let mut got = Vec::new();
    while let Some(ev) = tokio::time::timeout(Duration::from_secs(30), news.next())
        .await
        .expect("the news of a send end")
    {
        got.push(ev);
    }
    for ev in &got {
        match ev {
            desk_core::DeskEvent::OutboxChanged { entry_id, .. }
            | desk_core::DeskEvent::UploadProgress { entry_id, .. }
            | desk_core::DeskEvent::JobStatus { entry_id, .. } => {
                assert_eq!(entry_id, &entry.id)
            }
            other => panic!("not news of this send: {other:?}"),
        }
    }
    assert!(got
        .iter()
        .any(|ev| matches!(ev, desk_core::DeskEvent::UploadProgress { .. })));
    match got.last() {
        Some(desk_core::DeskEvent::OutboxChanged {
            state, casefile_id, ..
        }) => {
            assert!(!state.is_sending(), "{state:?}");
            assert!(casefile_id.is_some());
        }
        other => panic!("the last news is where the send ended: {other:?}"),
    }
    core.shutdown().await;
}

#[tokio::test]
async fn send_is_followed_to_completion() {
    let sim = sim(Seed::Empty, false).await;
    let dir = tempfile::tempdir().unwrap();
    let files = tempfile::tempdir().unwrap();
    let core = api_key_core(&sim, dir.path(), true).await;
    let mut events = core.subscribe();
    let paths = write_pdfs(files.path(), &["letter.pdf", "terms.pdf"], 300_000);
    let entry = core
        .send_casefile(CasefileSend {
            draft: draft("Engagement letter", &["letter.pdf", "terms.pdf"]),
            files: paths,
        })
        .await
        .unwrap();
    assert!(entry.reference.starts_with("desk-"), "{}", entry.reference);
    assert_eq!(entry.files.len(), 2);
    let tracked = wait_for(&core, &entry.id, "tracking", |e| {
        e.state == OutboxState::Tracking
    })
    .await;
    let cf = tracked.casefile_id.unwrap();
    assert_eq!(tracked.result.as_ref().unwrap().signing_links.len(), 2);
    control(
        &sim,
        &format!("/_sim/casefiles/{cf}/sign-all"),
        serde_json::json!({}),
    )
    .await;
    core.refresh_tracking_now();
    let done = wait_for(&core, &entry.id, "done", |e| e.state == OutboxState::Done).await;
    assert_eq!(done.casefile_id, Some(cf));
    assert_eq!(
        core.get_casefile(cf, false).await.unwrap().status,
        desk_core::CasefileStatus::Completed
    );
    assert_eq!(casefiles_with_reference(&core, &entry.reference).await, 1);

    // The UI heard about it: upload progress, the job, and the casefile's status changes.
    let mut saw_progress = false;
    let mut saw_completed = false;
    while let Ok(ev) = events.try_recv() {
        match ev {
            desk_core::DeskEvent::UploadProgress {
                bytes_sent,
                total_bytes,
                ..
            } => saw_progress |= bytes_sent == total_bytes,
            desk_core::DeskEvent::CasefileStatus {
                status: desk_core::CasefileStatus::Completed,
                casefile_id,
                ..
            } => saw_completed |= casefile_id == cf,
            _ => {}
        }
    }
    assert!(saw_progress && saw_completed);
}

#[tokio::test]
async fn signers_are_contacts_only_when_asked_and_their_options_arrive() {
    let sim = sim(Seed::Empty, false).await;
    let dir = tempfile::tempdir().unwrap();
    let files = tempfile::tempdir().unwrap();
    let core = api_key_core(&sim, dir.path(), true).await;
    let paths = write_pdfs(files.path(), &["letter.pdf"], 0);
    let mut d = draft("Engagement letter", &["letter.pdf"]);
    // Anna: nothing said about contacts. Bo: the box ticked, and every signer option set.
    let bo = &mut d.case_file.signers[1];
    bo.store_as_contact = Some(true);
    bo.secure_signing_methods = vec![
        SecureSigningMethod::MitId,
        SecureSigningMethod::MitIdQes,
        SecureSigningMethod::AusweisApp,
    ];
    bo.enable_insecure_signing = Some(true);
    bo.insecure_signing_methods = vec![InsecureSigningMethod::Draw];
    bo.ssn_type = Some(SsnType::MicrosoftOidc);
    bo.vatin = Some("DK12345678".into());
    bo.on_behalf_of = Some("Dahl ApS".into());
    d.case_file.signers[0].ssn_type = Some(SsnType::GoogleOidc);
    d.case_file.cc_recipients = vec![CcRecipient {
        name: "Partner".into(),
        email: "partner@example.com".into(),
        ..Default::default()
    }];
    let entry = core
        .send_casefile(CasefileSend {
            draft: d,
            files: paths,
        })
        .await
        .unwrap();
    // The exact data queued says false for Anna and the copy recipient.
    let data: serde_json::Value = serde_json::from_str(&entry.draft.prepared.data).unwrap();
    let sent = &data["caseFile"];
    assert_eq!(sent["signers"][0]["storeAsContact"], false);
    assert_eq!(sent["signers"][1]["storeAsContact"], true);
    assert_eq!(sent["ccRecipients"][0]["storeAsContact"], false);
    assert_eq!(sent["signers"][1]["ssnType"], "microsoft:oidc");
    assert_eq!(sent["signers"][1]["vatin"], "DK12345678");
    assert_eq!(sent["signers"][1]["onBehalfOf"], "Dahl ApS");

    // And the simulator, which checks every value against the Send schema, took them.
    let tracked = wait_for(&core, &entry.id, "tracking", |e| {
        e.state == OutboxState::Tracking
    })
    .await;
    let cf = core
        .get_casefile(tracked.casefile_id.unwrap(), true)
        .await
        .unwrap();
    let signers = cf.raw["signers"].as_array().unwrap();
    let by_name = |n: &str| {
        signers
            .iter()
            .find(|s| s["name"] == n)
            .unwrap_or_else(|| panic!("{n} in {signers:?}"))
    };
    assert_eq!(by_name("Anna Berg")["storeAsContact"], false);
    assert_eq!(by_name("Bo Dahl")["storeAsContact"], true);
    let bo = &by_name("Bo Dahl")["signingRequest"];
    assert_eq!(
        bo["secureSigningMethods"],
        serde_json::json!(["mitid.dk", "qes.personal.mitid.dk", "ausweisapp.bund.de"])
    );
    assert_eq!(bo["insecureSigningMethods"], serde_json::json!(["draw"]));
    assert!(
        by_name("Anna Berg")["signingRequest"]["secureSigningMethods"]
            .as_array()
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn invalid_draft_is_refused_before_queueing() {
    let sim = sim(Seed::Empty, false).await;
    let dir = tempfile::tempdir().unwrap();
    let files = tempfile::tempdir().unwrap();
    let core = api_key_core(&sim, dir.path(), true).await;
    let paths = write_pdfs(files.path(), &["a.pdf"], 0);
    let mut d = draft("", &["a.pdf"]);
    d.case_file.title = String::new();
    let err = core
        .send_casefile(CasefileSend {
            draft: d,
            files: paths.clone(),
        })
        .await
        .unwrap_err();
    assert_eq!(err.code(), desk_core::ErrorCode::InvalidInput);
    assert_eq!(err.field(), Some("caseFile.title"));
    std::fs::write(files.path().join("fake.pdf"), b"not a pdf").unwrap();
    let err = core
        .send_casefile(CasefileSend {
            draft: draft("x", &["fake.pdf"]),
            files: vec![files.path().join("fake.pdf")],
        })
        .await
        .unwrap_err();
    assert_eq!(err.field(), Some("files[0]"));
    assert!(core.outbox(true).await.unwrap().is_empty());
}

#[tokio::test]
async fn a_file_changed_after_queueing_stops_the_send() {
    let sim = sim(Seed::Empty, false).await;
    let dir = tempfile::tempdir().unwrap();
    let files = tempfile::tempdir().unwrap();
    let core = api_key_core(&sim, dir.path(), false).await;
    let paths = write_pdfs(files.path(), &["contract.pdf"], 0);
    let entry = core
        .send_casefile(CasefileSend {
            draft: draft("Contract", &["contract.pdf"]),
            files: paths.clone(),
        })
        .await
        .unwrap();
    std::fs::write(&paths[0], pdf(3, "changed", 0)).unwrap();
    let mut news = core.subscribe();
    core.resume_outbox().await.unwrap();
    let stopped = wait_for(&core, &entry.id, "stopped", |e| {
        e.state == OutboxState::Stopped
    })
    .await;
    let msg = stopped.message.unwrap();
    assert!(
        msg.contains("contract.pdf") && msg.contains("changed"),
        "{msg}"
    );
    // Why, as a code with the file's name for the UI to word, beside the English message.
    let why = OutboxNote::FileChanged {
        file_name: "contract.pdf".into(),
    };
    assert_eq!(stopped.note.as_ref(), Some(&why));
    assert_eq!(msg, why.text());
    // The news of the stop carries it too.
    loop {
        let ev = tokio::time::timeout(Duration::from_secs(10), news.recv())
            .await
            .expect("the news of the stop")
            .unwrap();
        if let desk_core::DeskEvent::OutboxChanged {
            entry_id,
            state: OutboxState::Stopped,
            note,
            message,
            ..
        } = ev
        {
            assert_eq!(entry_id, entry.id);
            assert_eq!((note.as_ref(), message), (Some(&why), Some(why.text())));
            break;
        }
    }
    assert_eq!(casefiles_with_reference(&core, &entry.reference).await, 0);
}

#[tokio::test]
async fn a_casefile_penneo_refuses_stops_with_penneos_own_words() {
    let sim = sim(Seed::Empty, false).await;
    let dir = tempfile::tempdir().unwrap();
    let files = tempfile::tempdir().unwrap();
    let core = api_key_core(&sim, dir.path(), false).await;
    let paths = write_pdfs(files.path(), &["offer.pdf"], 0);
    control(
        &sim,
        "/_sim/faults",
        serde_json::json!({"pathPrefix": "/send/api/v1/casefiles", "method": "POST",
            "status": 400, "count": 1}),
    )
    .await;
    let entry = core
        .send_casefile(CasefileSend {
            draft: draft("Offer", &["offer.pdf"]),
            files: paths,
        })
        .await
        .unwrap();
    core.resume_outbox().await.unwrap();
    let stopped = wait_for(&core, &entry.id, "stopped", |e| {
        e.state == OutboxState::Stopped
    })
    .await;
    let Some(OutboxNote::NotAccepted { error }) = &stopped.note else {
        panic!("{:?}", stopped.note);
    };
    assert_eq!(error.code, desk_core::ErrorCode::InvalidInput);
    assert_eq!(
        error
            .params
            .as_ref()
            .and_then(|p| p.penneo_message.as_deref()),
        Some("Injected fault (400)"),
        "Penneo's words, apart, for the UI to quote"
    );
    assert_eq!(
        stopped.message.as_deref(),
        Some("Penneo did not accept this casefile: Injected fault (400)")
    );
}

/// The upload reached Penneo, but the app crashed before it heard the answer: the entry is left
/// `uploading` with one attempt. With `job_done`, Penneo's job has made the casefile by the time
/// the app starts again; without, the job is still running then, and the next create is held by
/// the server for a second (so an upload made at once would arrive after that job ended, when
/// Penneo no longer refuses it as a duplicate). Either way: the casefile is found, nothing is
/// uploaded again.
async fn lost_answer(job_done: bool) {
    let sim = sim(Seed::Empty, false).await;
    let dir = tempfile::tempdir().unwrap();
    let files = tempfile::tempdir().unwrap();
    let core = api_key_core(&sim, dir.path(), false).await;
    let paths = write_pdfs(files.path(), &["nda.pdf"], 0);
    let entry = core
        .send_casefile(CasefileSend {
            draft: draft("NDA", &["nda.pdf"]),
            files: paths.clone(),
        })
        .await
        .unwrap();

    // The upload reached Penneo, but the app crashed before it heard the answer.
    let client = penneo::Penneo::builder()
        .environment(penneo::Environment::custom_single(sim.url()))
        .credentials(penneo::Credentials::api_keys(
            penneo_sim::DEMO_CLIENT_ID,
            penneo::Secret::new(penneo_sim::DEMO_CLIENT_SECRET),
            penneo_sim::DEMO_API_KEY,
            penneo::Secret::new(penneo_sim::DEMO_API_SECRET),
        ))
        .build()
        .unwrap();
    let data = penneo::PreparedData::from_data(entry.draft.prepared.data.clone());
    let resp = client
        .casefiles()
        .send(&data, &[penneo::UploadFile::new(&paths[0]).unwrap()], None)
        .await
        .unwrap();
    if !job_done {
        control(
            &sim,
            "/_sim/faults",
            serde_json::json!({"pathPrefix": "/send/api/v1/casefiles/20251022/create",
                "delayMs": 1000, "count": 1}),
        )
        .await;
    }
    let id = entry.id.clone();
    core.db()
        .call(move |c| {
            c.execute(
                "UPDATE outbox SET state='uploading', attempts=1 WHERE id=?1",
                [id],
            )?;
            Ok(())
        })
        .await
        .unwrap();
    if job_done {
        client
            .jobs()
            .wait(&resp.jobs[0], Duration::from_secs(30))
            .await
            .unwrap();
    }
    core.resume_outbox().await.unwrap();
    // While it waits out the attempt of unknown fate, the entry says so, as a note too.
    let waiting = wait_for(&core, &entry.id, "the wait", |e| {
        e.note == Some(OutboxNote::UnsureWait) || e.casefile_id.is_some()
    })
    .await;
    assert_eq!(waiting.note, Some(OutboxNote::UnsureWait), "{waiting:?}");
    assert_eq!(waiting.message, Some(OutboxNote::UnsureWait.text()));
    let job = client
        .jobs()
        .wait(&resp.jobs[0], Duration::from_secs(30))
        .await
        .unwrap();
    let made = job.casefile_id().unwrap() as i64;
    let e = wait_for(&core, &entry.id, "reconciled", |e| e.casefile_id.is_some()).await;
    assert_eq!(
        (&e.note, &e.message),
        (&None, &None),
        "found: nothing to wait for"
    );
    assert_eq!(e.casefile_id, Some(made));
    assert_eq!(casefiles_with_reference(&core, &entry.reference).await, 1);
    // Nothing but the first upload reached the create endpoint.
    let creates = sim_log(&sim)
        .await
        .iter()
        .filter(|(m, p, _)| m == "POST" && p.contains("/casefiles/20251022/create"))
        .count();
    assert_eq!(creates, 1);
    assert_eq!(e.attempts, 1, "found, not uploaded again: {e:?}");
}

#[tokio::test]
async fn a_lost_answer_is_reconciled_not_sent_twice() {
    lost_answer(true).await;
}

/// The kill test's finding of 2026-12-02: looking for the casefile at once found nothing (the
/// job was still running), the upload made then was held by the server until that job had
/// ended, and Penneo made a second casefile. The resumed send now waits out the attempt of
/// unknown fate first.
#[tokio::test]
async fn a_lost_answer_whose_job_still_runs_is_waited_for_not_sent_twice() {
    lost_answer(false).await;
}

const CHILD_DIR: &str = "DESK_OUTBOX_CHILD_DIR";
const CHILD_SIM: &str = "DESK_OUTBOX_CHILD_SIM";
const CHILD_PDF: &str = "DESK_OUTBOX_CHILD_PDF";

/// Runs only inside the child process of `killed_mid_upload_resumes_with_exactly_one_casefile`:
/// queues a send and uploads until it is killed.
#[tokio::test]
async fn outbox_child_process() {
    let (Ok(dir), Ok(_sim), Ok(pdf)) = (
        std::env::var(CHILD_DIR),
        std::env::var(CHILD_SIM),
        std::env::var(CHILD_PDF),
    ) else {
        return; // not the child
    };
    let core = DeskCore::open(config(Path::new(&dir), Arc::new(IdleBrowser)))
        .await
        .unwrap();
    core.send_casefile(CasefileSend {
        draft: draft("Big contract", &["big.pdf"]),
        files: vec![PathBuf::from(pdf)],
    })
    .await
    .unwrap();
    // Keep uploading until the parent kills this process (bounded, in case it does not).
    tokio::time::sleep(Duration::from_secs(60)).await;
    panic!("the child was not killed");
}

#[tokio::test]
async fn killed_mid_upload_resumes_with_exactly_one_casefile() {
    let sim = sim(Seed::Empty, false).await;
    let dir = tempfile::tempdir().unwrap();
    let files = tempfile::tempdir().unwrap();
    // Set up the account here, then leave the data dir to the child.
    let core = api_key_core(&sim, dir.path(), true).await;
    let account = core.active_account().await.unwrap().unwrap();
    core.shutdown().await;
    drop(core);
    let big = write_pdfs(files.path(), &["big.pdf"], 8 * 1024 * 1024).remove(0);
    // The server sits on the first upload long enough to kill the uploader.
    control(
        &sim,
        "/_sim/faults",
        serde_json::json!({"pathPrefix": "/send/api/v1/casefiles", "delayMs": 4000, "count": 1}),
    )
    .await;

    let mut child = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "outbox::outbox_child_process",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD_DIR, dir.path())
        .env(CHILD_SIM, sim.base_url())
        .env(CHILD_PDF, &big)
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();

    // Wait until the child is uploading, then SIGKILL it.
    let db = desk_core::Db::open_in(dir.path()).unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    let entry_id = loop {
        let uploading: Option<String> = db
            .call(|c| {
                Ok(
                    c.query_row("SELECT id FROM outbox WHERE state='uploading'", [], |r| {
                        r.get(0)
                    })
                    .ok(),
                )
            })
            .await
            .unwrap();
        if let Some(id) = uploading {
            break id;
        }
        assert!(
            child.try_wait().unwrap().is_none(),
            "the child exited early"
        );
        assert!(
            Instant::now() < deadline,
            "the child never started uploading"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    child.kill().unwrap(); // SIGKILL on Unix
    let status = child.wait().unwrap();
    assert!(!status.success());
    drop(db);

    // Restart: the entry resumes and ends with one casefile.
    let core = crate::common::core(dir.path(), Arc::new(IdleBrowser)).await;
    assert_eq!(core.active_account().await.unwrap().unwrap().id, account.id);
    assert_eq!(
        core.outbox_entry(&entry_id).await.unwrap().state,
        OutboxState::Uploading
    );
    assert_eq!(core.resume_outbox().await.unwrap(), 1);
    let e = wait_for(&core, &entry_id, "created", |e| e.casefile_id.is_some()).await;
    assert!(e.attempts >= 2, "{e:?}");
    // Let the stalled first request finish on the server, then count.
    tokio::time::sleep(Duration::from_secs(5)).await;
    assert_eq!(casefiles_with_reference(&core, &e.reference).await, 1);
    core.sync_casefiles(&|_| {}).await.unwrap();
    assert_eq!(
        core.list_casefiles(CasefileQuery::default())
            .await
            .unwrap()
            .result
            .len(),
        1
    );
}

#[tokio::test]
async fn storms_on_create_and_job_status_still_make_one_casefile() {
    let sim = sim(Seed::Empty, false).await;
    let dir = tempfile::tempdir().unwrap();
    let files = tempfile::tempdir().unwrap();
    let core = api_key_core(&sim, dir.path(), true).await;
    control(
        &sim,
        "/_sim/faults",
        serde_json::json!({"pathPrefix": "/send/api/v1/casefiles", "status": 500, "count": 2}),
    )
    .await;
    control(&sim, "/_sim/faults", serde_json::json!({"pathPrefix": "/send/api/v1/queue/public/status", "status": 429, "retryAfter": 1, "count": 2})).await;
    let paths = write_pdfs(files.path(), &["storm.pdf"], 0);
    let entry = core
        .send_casefile(CasefileSend {
            draft: draft("Storm", &["storm.pdf"]),
            files: paths,
        })
        .await
        .unwrap();
    let e = wait_for(&core, &entry.id, "created", |e| e.casefile_id.is_some()).await;
    assert!(
        e.attempts >= 3,
        "two refused uploads, then one that worked: {e:?}"
    );
    assert_eq!(casefiles_with_reference(&core, &e.reference).await, 1);
    let log = sim_log(&sim).await;
    assert_eq!(
        log.iter()
            .filter(|(_, p, s)| p.contains("/queue/public/status") && *s == 429)
            .count(),
        2
    );
}

#[tokio::test]
async fn a_second_core_on_one_data_dir_is_refused_until_the_first_closes() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("new").join("data");
    let first = crate::common::core(&data, Arc::new(IdleBrowser)).await;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&data).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o700, "{mode:o}");
    }
    let err = DeskCore::open(config(&data, Arc::new(IdleBrowser)))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, desk_core::DeskError::AlreadyOpen { data_dir } if data_dir == &data),
        "{err:?}"
    );
    assert_eq!(err.code(), desk_core::ErrorCode::AlreadyOpen);
    assert!(
        err.to_string()
            .starts_with("Penneo Desk is already open on this data folder"),
        "{err}"
    );
    // Another process sees the lock too (util-linux `flock`, where it is installed).
    let lock = data.join(desk_core::use_cases::LOCK_FILE);
    let other_process = || {
        std::process::Command::new("flock")
            .args(["--nonblock", "--shared"])
            .arg(&lock)
            .arg("true")
            .status()
            .ok()
            .map(|s| s.success())
    };
    if let Some(got_it) = other_process() {
        assert!(!got_it, "another process took the lock of an open core");
    }
    first.shutdown().await;
    drop(first);
    if let Some(got_it) = other_process() {
        assert!(got_it, "the lock outlived its core");
    }
    // A data dir made before, open to others, is made private.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let again = DeskCore::open(config(&data, Arc::new(IdleBrowser)))
        .await
        .expect("opens once the first core is gone");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&data).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o700, "{mode:o}");
    }
    again.shutdown().await;
}

/// A second core on the same database (here: another data dir whose database file is a
/// symlink to the first's — two processes the data dir lock does not keep apart, such as an
/// older Penneo Desk). Both resume one interrupted send at the same moment, and resume it again
/// while the winner's upload is held up at the server: exactly one create request reaches
/// Penneo, and the entry ends with one casefile.
#[cfg(unix)]
#[tokio::test]
async fn two_cores_resuming_one_send_make_exactly_one_create_request() {
    let sim = sim(Seed::Empty, false).await;
    let dir_a = tempfile::tempdir().unwrap();
    let dir_b = tempfile::tempdir().unwrap();
    let files = tempfile::tempdir().unwrap();
    let a = api_key_core(&sim, dir_a.path(), false).await;
    let paths = write_pdfs(files.path(), &["shared.pdf"], 0);
    let entry = a
        .send_casefile(CasefileSend {
            draft: draft("Shared", &["shared.pdf"]),
            files: paths,
        })
        .await
        .unwrap();
    std::os::unix::fs::symlink(
        dir_a.path().join(desk_core::db::DB_FILE),
        dir_b.path().join(desk_core::db::DB_FILE),
    )
    .unwrap();
    let mut cfg = config(dir_b.path(), Arc::new(IdleBrowser));
    cfg.autostart_outbox = false;
    cfg.secrets = Some(Arc::new(desk_core::secret_store::FileSecretStore::new(
        dir_a.path(),
    )));
    let b = DeskCore::open(cfg).await.unwrap();
    // One database: B sees A's send.
    assert_eq!(b.outbox_entry(&entry.id).await.unwrap().id, entry.id);

    // A crash left the send uploading; the server will sit on the next upload for 3 s.
    let id = entry.id.clone();
    a.db()
        .call(move |c| {
            c.execute(
                "UPDATE outbox SET state='uploading', attempts=1 WHERE id=?1",
                [id],
            )?;
            Ok(())
        })
        .await
        .unwrap();
    control(
        &sim,
        "/_sim/faults",
        serde_json::json!({"pathPrefix": "/send/api/v1/casefiles/20251022/create", "delayMs": 3000, "count": 1}),
    )
    .await;
    let (ra, rb) = tokio::join!(a.resume_outbox(), b.resume_outbox());
    assert_eq!((ra.unwrap(), rb.unwrap()), (1, 1));
    let uploading = wait_for(&a, &entry.id, "the new upload", |e| {
        e.state == OutboxState::Uploading && e.attempts == 2
    })
    .await;
    // Both look again while that upload is on its way: neither takes it for a leftover.
    let (ra, rb) = tokio::join!(a.resume_outbox(), b.resume_outbox());
    assert_eq!((ra.unwrap(), rb.unwrap()), (1, 1));
    let created = wait_for(&a, &entry.id, "created", |e| e.casefile_id.is_some()).await;
    assert_eq!(created.attempts, uploading.attempts, "{created:?}");
    tokio::time::sleep(Duration::from_secs(1)).await;
    let creates = sim_log(&sim)
        .await
        .iter()
        .filter(|(m, p, _)| m == "POST" && p.contains("/casefiles/20251022/create"))
        .count();
    assert_eq!(creates, 1);
    assert_eq!(casefiles_with_reference(&a, &entry.reference).await, 1);
    let end = b.outbox_entry(&entry.id).await.unwrap();
    assert_ne!(end.state, OutboxState::Stopped, "{end:?}");
    a.shutdown().await;
    b.shutdown().await;
}

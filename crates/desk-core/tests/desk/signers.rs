//! Signers of a casefile as Penneo reports them: e-mail from the signing request, role and
//! sign order from the signature lines, the status numbering learned per account (under both
//! numberings the simulator can speak), the signing link and the reminder; and a Send create
//! refused for its token, which is an expired session and never a refused casefile.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::common::*;
use desk_core::db::outbox::{OutboxEntry, OutboxState};
use desk_core::use_cases::CasefileSend;
use desk_core::DeskCore;
use desk_core::SignerState;
use penneo::{CaseFileDraft, DocumentSpec, SignerSpec};
use penneo_sim::{RunningSim, Seed, SignerStatusScheme, Sim, SimConfig};
use tokio_util::sync::CancellationToken;

async fn sim_with(scheme: SignerStatusScheme) -> RunningSim {
    Sim::start(SimConfig {
        seed: Seed::Empty,
        auto_approve: true,
        job_delay_ms: 200,
        signer_status_scheme: scheme,
        ..Default::default()
    })
    .await
    .unwrap()
}

async fn oauth_core(sim: &RunningSim, dir: &Path) -> DeskCore {
    let mut cfg = config(dir, Arc::new(FollowingBrowser));
    cfg.autostart_outbox = true;
    let core = DeskCore::open(cfg).await.unwrap();
    let acc = core.add_account(oauth_account(sim, 0)).await.unwrap();
    core.sign_in(&acc.id, &CancellationToken::new())
        .await
        .unwrap();
    core
}

fn draft(title: &str) -> CaseFileDraft {
    let mut signers = vec![
        SignerSpec::new("Anna Berg", "anna@example.com"),
        SignerSpec::new("Bo Dahl", "bo@example.com"),
    ];
    signers[0].sign_order = Some(1);
    signers[0].role = Some("Client".into());
    signers[1].sign_order = Some(2);
    signers[1].role = Some("Auditor".into());
    CaseFileDraft::new(
        title,
        signers,
        vec![DocumentSpec::new("Letter", "letter.pdf")],
    )
}

async fn wait_for(core: &DeskCore, id: &str, pred: impl Fn(&OutboxEntry) -> bool) -> OutboxEntry {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let e = core.outbox_entry(id).await.unwrap();
        if pred(&e) {
            return e;
        }
        assert!(
            !e.message
                .as_deref()
                .unwrap_or("")
                .contains("did not accept"),
            "{:?}",
            e.message
        );
        assert!(e.state != OutboxState::Stopped, "stopped: {:?}", e.message);
        assert!(
            Instant::now() < deadline,
            "timed out: {:?} {:?}",
            e.state,
            e.message
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn send(core: &DeskCore, title: &str, file: PathBuf) -> i64 {
    let entry = core
        .send_casefile(CasefileSend {
            draft: draft(title),
            files: vec![file],
        })
        .await
        .unwrap();
    let tracked = wait_for(core, &entry.id, |e| {
        e.state == OutboxState::Tracking || e.state == OutboxState::Done
    })
    .await;
    tracked.casefile_id.unwrap()
}

/// The whole story under one numbering: `signed` is the code a signed signer has in it,
/// `pending` the code of one still waiting.
async fn learns_the_numbering(scheme: SignerStatusScheme, signed: i64, pending: i64) {
    let sim = sim_with(scheme).await;
    let dir = tempfile::tempdir().unwrap();
    let files = tempfile::tempdir().unwrap();
    let core = oauth_core(&sim, dir.path()).await;
    let file = files.path().join("letter.pdf");
    std::fs::write(&file, pdf(1, "letter", 2000)).unwrap();

    let open = send(&core, "Still open", file.clone()).await;
    let cf = core.get_casefile(open, true).await.unwrap();
    assert_eq!(cf.status, desk_core::CasefileStatus::Pending);
    let anna = &cf.signers[0];
    assert_eq!(
        anna.email.as_deref(),
        Some("anna@example.com"),
        "from signingRequest"
    );
    assert_eq!(
        anna.role.as_deref(),
        Some("Client"),
        "from the signature lines"
    );
    assert_eq!(anna.signing_order, Some(1));
    assert_eq!(cf.signers[1].role.as_deref(), Some("Auditor"));
    assert_eq!(cf.signers[1].signing_order, Some(2));
    assert!(anna.signing_request_id.is_some());
    // Nothing learned yet: the raw code, no meaning.
    assert_eq!(anna.status_code, Some(pending));
    assert_eq!(anna.status, None);

    // Link and reminder for a signer of a casefile out for signing.
    let link = core
        .signer_signing_link(open, anna.signer_id)
        .await
        .unwrap();
    assert!(
        link.starts_with(&format!("{}/signing/", sim.base_url())),
        "{link}"
    );
    core.remind_signer(open, anna.signer_id).await.unwrap();
    let log = sim_log(&sim).await;
    let rid = anna.signing_request_id.unwrap();
    assert!(log.iter().any(|(m, p, s)| m == "PATCH"
        && *p == format!("/api/v1/signingrequests/{rid}/send")
        && *s == 204));

    // A completed casefile teaches the numbering ...
    let done = send(&core, "Completed", file.clone()).await;
    control(
        &sim,
        &format!("/_sim/casefiles/{done}/sign-all"),
        serde_json::json!({}),
    )
    .await;
    let deadline = Instant::now() + Duration::from_secs(30);
    let cf = loop {
        let cf = core.get_casefile(done, true).await.unwrap();
        if cf.status == desk_core::CasefileStatus::Completed || Instant::now() > deadline {
            break cf;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    assert_eq!(cf.status, desk_core::CasefileStatus::Completed);
    assert!(cf.signers.iter().all(|s| s.status_code == Some(signed)));
    assert!(
        cf.signers
            .iter()
            .all(|s| s.status == Some(SignerState::Signed)),
        "{:?}",
        cf.signers
    );
    // ... which now gives meaning to what was cached before, without another read.
    let cf = core.get_casefile(open, false).await.unwrap();
    assert_eq!(cf.signers[0].status_code, Some(pending));
    assert_eq!(cf.signers[0].status, Some(SignerState::Sent));
    // The list counts the signed signers by the learned meaning.
    core.sync_casefiles(&|_| {}).await.unwrap();
    let list = core.list_casefiles(Default::default()).await.unwrap();
    let row = list.result.iter().find(|c| c.casefile_id == done).unwrap();
    assert_eq!((row.signer_count, row.signed_count), (2, 2));

    // Nothing to link or remind of once the casefile is no longer out for signing.
    let e = core
        .remind_signer(done, cf.signers[0].signer_id)
        .await
        .unwrap_err();
    assert_eq!(code(&e), "conflict");
    let e = core
        .signer_signing_link(done, cf.signers[0].signer_id)
        .await
        .unwrap_err();
    assert!(e.to_string().contains("not out for signing"), "{e}");
}

#[tokio::test]
async fn learns_the_sdk_numbering() {
    learns_the_numbering(SignerStatusScheme::Sdk, 4, 1).await;
}

#[tokio::test]
async fn learns_the_postman_numbering() {
    learns_the_numbering(SignerStatusScheme::Postman, 3, 0).await;
}

/// The token expires on the server while the app still holds it: the Send create answers
/// `400 Invalid JWT token`, the app renews the session and the send goes through.
#[tokio::test]
async fn a_send_refused_for_its_token_renews_the_session_and_goes_through() {
    let sim = sim_with(SignerStatusScheme::Sdk).await;
    let dir = tempfile::tempdir().unwrap();
    let files = tempfile::tempdir().unwrap();
    let core = oauth_core(&sim, dir.path()).await;
    let file = files.path().join("letter.pdf");
    std::fs::write(&file, pdf(1, "letter", 2000)).unwrap();
    control(
        &sim,
        "/_sim/clock/advance",
        serde_json::json!({"seconds": 3600}),
    )
    .await;
    let cf = send(&core, "After an hour", file).await;
    assert!(cf > 0);
    let log = sim_log(&sim).await;
    let creates: Vec<u16> = log
        .iter()
        .filter(|(_, p, _)| p == "/send/api/v1/casefiles/20251022/create")
        .map(|(_, _, s)| *s)
        .collect();
    assert_eq!(
        creates,
        [400, 200],
        "refused for the token once, then accepted"
    );
    assert!(log
        .iter()
        .any(|(m, p, s)| m == "POST" && p == "/oauth/token" && *s == 200));
}

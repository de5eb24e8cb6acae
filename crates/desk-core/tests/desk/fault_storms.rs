//! Fault storms (issue 15, "The figures"): while desk-core syncs the demo workspace, sends
//! casefiles through the outbox and downloads signed documents and Collect casefile files, an
//! injector keeps adding faults through the simulator's fault API — 429 with `Retry-After`, 500,
//! 502, 503, dropped connections and 5 s stalls — on every endpoint family. Everything must
//! complete, and the counts (forms, submissions, casefiles synced, casefiles made, files
//! downloaded and their bytes) must match a fault-free run of the same scenario.
//!
//! `STORM_ROUNDS` (default 1; `make soak` sets more) storm runs after the one fault-free run;
//! `STORM_FAULTS` (default 40) faults injected at most per round, `STORM_STALLS` (default 2) of
//! them 5 s stalls at most; `STORM_SEED`.

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::common::*;
use desk_core::db::casefiles::CasefileQuery;
use desk_core::db::submissions::SubmissionQuery;
use desk_core::use_cases::CasefileSend;
use desk_core::DeskCore;
use penneo::{CaseFileDraft, DocumentSpec, SignerSpec};
use penneo_sim::{RunningSim, Seed};
use tokio_util::sync::CancellationToken;

/// Every endpoint family the app calls, by path prefix.
const FAMILIES: &[&str] = &[
    "/oauth/token",
    "/collect/api/v1/forms",
    "/collect/api/v1/casefiles",
    "/collect/api/v1/files",
    "/_storage",
    "/send/api/v1/casefiles",
    "/send/api/v1/queue",
    "/api/v1/casefiles",
    "/api/v3/casefiles",
    "/api/v1/documents",
    "/api/v3/documents",
];

const STALL_MS: u64 = 5000;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

fn env_num(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// What a scenario ends with; a storm run must end with the same.
#[derive(Debug, PartialEq, Eq)]
struct Outcome {
    forms: u64,
    submissions: u64,
    casefiles_synced: u64,
    cached_casefiles: usize,
    sent: usize,
    casefiles_at_server_with_reference: usize,
    /// (file name, size) of every downloaded file, sorted. Not the hashes: each simulator
    /// stamps its own ids into the PDFs it makes, so two runs' bytes differ.
    downloads: Vec<(String, u64)>,
}

#[derive(Default)]
struct Injected {
    by_kind: std::collections::BTreeMap<&'static str, u64>,
    total: u64,
}

async fn pending_faults(sim: &RunningSim) -> Vec<serde_json::Value> {
    let v: serde_json::Value = penneo::tls::client()
        .get(format!("{}/_sim/faults", sim.base_url()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    v["items"].as_array().cloned().unwrap_or_default()
}

/// Adds one fault at a time to the next family that has none pending (the kind drawn at
/// random), until `stop` or `max_faults`.
async fn injector(
    base: String,
    stop: Arc<AtomicBool>,
    seed: u64,
    max_stalls: u64,
    max_faults: u64,
) -> Injected {
    let http = penneo::tls::client();
    let mut rng = Rng(seed);
    let mut injected = Injected::default();
    let mut stalls = 0;
    let mut turn = rng.below(FAMILIES.len() as u64) as usize;
    while !stop.load(Ordering::SeqCst) && injected.total < max_faults {
        let pending: serde_json::Value = http
            .get(format!("{base}/_sim/faults"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let busy: Vec<String> = pending["items"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|f| f["pathPrefix"].as_str().map(str::to_string))
            .collect();
        // Every family in turn, so each one gets its share of the storm.
        let family = FAMILIES[turn % FAMILIES.len()];
        turn += 1;
        if !busy.iter().any(|b| b == family) {
            let (kind, body) = match rng.below(6) {
                0 => (
                    "429 + Retry-After",
                    serde_json::json!({"status": 429, "retryAfter": 1}),
                ),
                1 => ("500", serde_json::json!({"status": 500})),
                2 => ("502", serde_json::json!({"status": 502})),
                3 => ("503", serde_json::json!({"status": 503})),
                4 => ("dropped", serde_json::json!({"dropConnection": true})),
                _ if stalls < max_stalls => {
                    stalls += 1;
                    ("5 s stall", serde_json::json!({"delayMs": STALL_MS}))
                }
                _ => ("500", serde_json::json!({"status": 500})),
            };
            let mut body = body;
            body["pathPrefix"] = family.into();
            body["count"] = 1.into();
            let r = http
                .post(format!("{base}/_sim/faults"))
                .json(&body)
                .send()
                .await
                .unwrap();
            assert!(r.status().is_success());
            *injected.by_kind.entry(kind).or_default() += 1;
            injected.total += 1;
        }
        tokio::time::sleep(Duration::from_millis(40)).await;
    }
    injected
}

fn send_draft(i: usize) -> CaseFileDraft {
    let mut signer = SignerSpec::new("Anna Berg", "anna@example.com");
    signer.sign_order = Some(1);
    let mut d = CaseFileDraft::new(
        format!("Storm letter {i}"),
        vec![signer],
        vec![DocumentSpec::new("Letter", format!("letter-{i}.pdf"))],
    );
    d.case_file.reference = Some(format!("storm-{i}"));
    d
}

async fn scenario(core: &DeskCore, sim: &RunningSim, files: &Path, out: &Path) -> Outcome {
    // Sync.
    let report = core.sync_all(&|_| {}).await.expect("sync completes");
    assert!(report.failures.is_empty(), "{report:?}");
    // Send.
    let mut ids = Vec::new();
    for i in 0..3 {
        let p = files.join(format!("letter-{i}.pdf"));
        std::fs::write(&p, pdf(2, &format!("letter {i}"), 300_000)).unwrap();
        let e = core
            .send_casefile(CasefileSend {
                draft: send_draft(i),
                files: vec![p],
            })
            .await
            .expect("queued");
        ids.push(e.id);
    }
    let deadline = Instant::now() + Duration::from_secs(120);
    for id in &ids {
        loop {
            let e = core.outbox_entry(id).await.unwrap();
            if e.casefile_id.is_some() {
                break;
            }
            assert!(
                e.state != desk_core::db::outbox::OutboxState::Stopped,
                "a send stopped: {:?}",
                e.message
            );
            assert!(
                Instant::now() < deadline,
                "the sends did not finish: {:?} {:?} attempts {}",
                e.state,
                e.message,
                e.attempts
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
    // The access token expires (the simulator's clock jumps past it): the downloads renew it.
    control(
        sim,
        "/_sim/clock/advance",
        serde_json::json!({"seconds": 601}),
    )
    .await;
    // Download: every completed casefile's signed documents, and three Collect casefiles' files.
    core.sync_casefiles(&|_| {}).await.expect("casefile sync");
    let completed = core
        .list_casefiles(CasefileQuery {
            statuses: vec![desk_core::CasefileStatus::Completed],
            ..Default::default()
        })
        .await
        .unwrap();
    let mut downloads = Vec::new();
    for cf in completed.result.iter().take(4) {
        let saved = core
            .download_signed_documents(cf.casefile_id, vec![], out.to_path_buf(), &|_| {})
            .await
            .expect("signed documents download");
        for f in &saved {
            let bytes = std::fs::read(&f.path).unwrap();
            assert!(bytes.starts_with(b"%PDF-") && bytes.len() as u64 == f.size);
        }
        downloads.extend(saved.into_iter().map(|f| (f.file_name, f.size)));
    }
    let forms = core.list_forms(Default::default()).await.unwrap();
    let mut collect_casefiles = Vec::new();
    for f in &forms.result {
        let rows = core
            .list_submissions(SubmissionQuery {
                form_id: f.form_id.clone(),
                ..Default::default()
            })
            .await
            .unwrap();
        collect_casefiles.extend(rows.result.iter().filter_map(|r| r.casefile_id));
    }
    collect_casefiles.sort_unstable();
    collect_casefiles.dedup();
    for id in collect_casefiles.iter().take(3) {
        let saved = core
            .download_casefile_files(*id, vec![], out.to_path_buf(), &|_| {})
            .await
            .expect("casefile files download");
        for f in &saved {
            let bytes = std::fs::read(&f.path).unwrap();
            assert!(bytes.starts_with(b"%PDF-") && bytes.len() as u64 == f.size);
        }
        downloads.extend(saved.into_iter().map(|f| (f.file_name, f.size)));
    }
    downloads.sort();
    let sent = ids.len();
    let at_server = {
        core.sync_casefiles(&|_| {}).await.expect("casefile sync");
        let all = core.list_casefiles(CasefileQuery::default()).await.unwrap();
        all.result
            .iter()
            .filter(|c| {
                c.reference
                    .as_deref()
                    .is_some_and(|r| r.starts_with("storm-"))
            })
            .count()
    };
    Outcome {
        forms: report.forms,
        submissions: report.submissions,
        casefiles_synced: report.casefiles,
        cached_casefiles: core
            .list_casefiles(CasefileQuery::default())
            .await
            .unwrap()
            .result
            .len(),
        sent,
        casefiles_at_server_with_reference: at_server,
        downloads,
    }
}

async fn run(storm: Option<(u64, u64, u64)>) -> (Outcome, Injected, u64, Duration) {
    let sim = sim(Seed::Demo, true).await;
    let dir = tempfile::tempdir().unwrap();
    let files = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let mut cfg = config(dir.path(), Arc::new(IdleBrowser));
    cfg.autostart_outbox = true;
    let core = DeskCore::open(cfg).await.unwrap();
    let acc = core.add_account(api_key_account(&sim)).await.unwrap();
    core.sign_in(&acc.id, &CancellationToken::new())
        .await
        .unwrap();
    let started = Instant::now();
    let stop = Arc::new(AtomicBool::new(false));
    let inj = storm.map(|(seed, stalls, faults)| {
        tokio::spawn(injector(sim.base_url(), stop.clone(), seed, stalls, faults))
    });
    let outcome = scenario(&core, &sim, files.path(), out.path()).await;
    stop.store(true, Ordering::SeqCst);
    let injected = match inj {
        Some(h) => h.await.unwrap(),
        None => Injected::default(),
    };
    let left: u64 = pending_faults(&sim)
        .await
        .iter()
        .map(|f| f["remaining"].as_u64().unwrap_or(0))
        .sum();
    core.shutdown().await;
    (
        outcome,
        Injected {
            total: injected.total,
            by_kind: injected.by_kind,
        },
        injected.total - left,
        started.elapsed(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sync_send_and_download_ride_out_fault_storms() {
    let rounds = env_num("STORM_ROUNDS", 1);
    let stalls = env_num("STORM_STALLS", 2);
    let faults = env_num("STORM_FAULTS", 40);
    let seed = env_num(
        "STORM_SEED",
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos() as u64,
    );
    let (baseline, _, _, took) = run(None).await;
    assert_eq!(baseline.casefiles_at_server_with_reference, baseline.sent);
    assert!(!baseline.downloads.is_empty());
    println!(
        "fault storms: STORM_SEED={seed}, {rounds} rounds, at most {stalls} stalls of 5 s each"
    );
    println!(
        "fault-free: {} forms, {} submissions, {} casefiles synced, {} sent, {} files downloaded ({:.1} s)",
        baseline.forms,
        baseline.submissions,
        baseline.casefiles_synced,
        baseline.sent,
        baseline.downloads.len(),
        took.as_secs_f64()
    );
    println!("| round | faults injected | ridden out | injected by kind | counts match | time |");
    println!("| --- | --- | --- | --- | --- | --- |");
    let mut ridden_total = 0;
    let mut kinds = std::collections::BTreeMap::new();
    for round in 1..=rounds {
        let (outcome, injected, ridden, took) =
            run(Some((seed.wrapping_add(round), stalls, faults))).await;
        let same = outcome == baseline;
        println!(
            "| {round} | {} | {ridden} | {} | {} | {:.1} s |",
            injected.total,
            injected
                .by_kind
                .iter()
                .map(|(k, n)| format!("{k}: {n}"))
                .collect::<Vec<_>>()
                .join(", "),
            if same { "yes" } else { "NO" },
            took.as_secs_f64()
        );
        assert_eq!(
            outcome, baseline,
            "round {round}: a storm changed the outcome"
        );
        ridden_total += ridden;
        for (k, n) in injected.by_kind {
            *kinds.entry(k).or_insert(0) += n;
        }
        assert!(ridden > 0, "round {round}: no fault was hit");
    }
    println!(
        "FAULT STORMS: rounds={rounds} faults ridden out={ridden_total} (injected by kind: {})",
        kinds
            .iter()
            .map(|(k, n)| format!("{k}: {n}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
}

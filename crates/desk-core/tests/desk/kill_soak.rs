//! The kill test (issue 15, "The figures"): a headless driver of desk-core's send path — this
//! test binary run again as a child process — queues N casefile drafts in the outbox and runs
//! the send queue against the simulator (in this process). The parent SIGKILLs it after a random
//! delay, starts it again on the same data dir, and repeats until the child reports every draft
//! sent. Then the simulator's casefiles are counted by reference: every draft must be exactly one
//! casefile, none lost, none duplicated.
//!
//! `KILL_RUNS` (default 10; `make soak` sets 100), `KILL_DRAFTS` (default 4), `KILL_SEED` (default
//! from the clock; printed so a failing run can be repeated).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::common::*;
use desk_core::db::outbox::OutboxState;
use desk_core::use_cases::CasefileSend;
use desk_core::DeskCore;
use futures_util::TryStreamExt;
use penneo::{CaseFileDraft, DocumentSpec, SignerSpec};
use penneo_sim::{RunningSim, Seed, Sim, SimConfig};
use tokio_util::sync::CancellationToken;

const CHILD_DIR: &str = "DESK_KILL_CHILD_DIR";
const CHILD_SPEC: &str = "DESK_KILL_CHILD_SPEC";
/// The child's exit code when an entry stopped (a send given up on): the parent fails the run.
const CHILD_STOPPED: i32 = 3;
/// Kills per run at most; the start after the last one runs to the end.
const MAX_KILLS: u32 = 6;

/// A small deterministic generator (SplitMix64): the seed is printed, so a run can be repeated.
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

fn kill_draft(reference: &str, file: &str) -> CaseFileDraft {
    let mut signer = SignerSpec::new("Anna Berg", "anna@example.com");
    signer.sign_order = Some(1);
    let mut d = CaseFileDraft::new(
        format!("Kill test {reference}"),
        vec![signer],
        vec![DocumentSpec::new("Contract", file)],
    );
    d.case_file.reference = Some(reference.to_string());
    d
}

/// One line of the spec file per draft: `reference<TAB>pdf path`.
fn read_spec(path: &Path) -> Vec<(String, PathBuf)> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .filter_map(|l| l.split_once('\t'))
        .map(|(r, p)| (r.to_string(), PathBuf::from(p)))
        .collect()
}

/// The driver: runs only as the child of `every_draft_is_one_casefile_after_random_kills`. It
/// queues the drafts that are not in the outbox yet, resumes the send queue, and exits 0 once
/// every entry has its casefile (or `CHILD_STOPPED` if one was given up on).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_test_driver() {
    let (Ok(dir), Ok(spec)) = (std::env::var(CHILD_DIR), std::env::var(CHILD_SPEC)) else {
        return; // not the child
    };
    let mut cfg = config(Path::new(&dir), Arc::new(IdleBrowser));
    cfg.autostart_outbox = true;
    let core = DeskCore::open(cfg).await.unwrap();
    core.resume_outbox().await.unwrap();
    for (reference, pdf) in read_spec(Path::new(&spec)) {
        let queued = core.outbox(true).await.unwrap();
        if queued.iter().any(|e| e.reference == reference) {
            continue;
        }
        let name = pdf.file_name().unwrap().to_string_lossy().into_owned();
        core.send_casefile(CasefileSend {
            draft: kill_draft(&reference, &name),
            files: vec![pdf],
        })
        .await
        .unwrap();
    }
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let all = core.outbox(true).await.unwrap();
        if let Some(e) = all.iter().find(|e| e.state == OutboxState::Stopped) {
            eprintln!("entry {} stopped: {:?}", e.reference, e.message);
            std::process::exit(CHILD_STOPPED);
        }
        if all.iter().all(|e| e.casefile_id.is_some()) {
            std::process::exit(0);
        }
        assert!(Instant::now() < deadline, "the sends did not finish");
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

struct RunFigures {
    kills: u32,
    drafts: usize,
    casefiles: usize,
    duplicates: usize,
    lost: usize,
}

/// Casefiles at the simulator, counted through its API (not through desk-core): references.
async fn casefile_references(sim: &RunningSim) -> Vec<String> {
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
    let all: Vec<penneo::CaseFile> = client
        .casefiles()
        .list(&Default::default())
        .try_collect()
        .await
        .unwrap();
    all.into_iter().filter_map(|c| c.reference).collect()
}

async fn one_run(run: u64, drafts: usize, rng: &mut Rng) -> RunFigures {
    let sim = Sim::start(SimConfig {
        seed: Seed::Empty,
        job_delay_ms: 100,
        ..Default::default()
    })
    .await
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let files = tempfile::tempdir().unwrap();
    {
        let core = crate::common::core(dir.path(), Arc::new(IdleBrowser)).await;
        let acc = core.add_account(api_key_account(&sim)).await.unwrap();
        core.sign_in(&acc.id, &CancellationToken::new())
            .await
            .unwrap();
        core.shutdown().await;
    }
    // Each create sits on the server a random while first: kills land during uploads too, and
    // the server may make a casefile whose answer the killed child never heard.
    let stall = 50 + rng.below(400);
    control(
        &sim,
        "/_sim/faults",
        serde_json::json!({"pathPrefix": "/send/api/v1/casefiles/20251022/create",
            "method": "POST", "delayMs": stall, "count": 1000}),
    )
    .await;
    let mut spec = String::new();
    let mut references = Vec::new();
    for i in 0..drafts {
        let reference = format!("kill-{run}-{i}");
        let p = files.path().join(format!("contract-{i}.pdf"));
        std::fs::write(&p, pdf(1, &reference, 64 * 1024 + i * 1000)).unwrap();
        spec.push_str(&format!("{reference}\t{}\n", p.display()));
        references.push(reference);
    }
    let spec_path = files.path().join("spec.tsv");
    std::fs::write(&spec_path, spec).unwrap();

    let mut kills = 0;
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args([
                "--exact",
                "kill_soak::kill_test_driver",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(CHILD_DIR, dir.path())
            .env(CHILD_SPEC, &spec_path)
            .stdout(Stdio::null())
            .spawn()
            .unwrap();
        let kill_at = (kills < MAX_KILLS).then(|| {
            Instant::now() + Duration::from_millis(20 + rng.below(200 + 150 * drafts as u64))
        });
        let status = loop {
            if let Some(status) = child.try_wait().unwrap() {
                break Some(status);
            }
            if kill_at.is_some_and(|t| Instant::now() >= t) {
                child.kill().unwrap(); // SIGKILL on Unix
                child.wait().unwrap();
                kills += 1;
                break None;
            }
            assert!(
                Instant::now() < deadline,
                "run {run}: the sends never ended"
            );
            tokio::time::sleep(Duration::from_millis(5)).await;
        };
        match status {
            None => continue,
            Some(s) if s.success() => break,
            Some(s) => panic!("run {run}: the driver failed ({s}) after {kills} kills"),
        }
    }
    // A duplicate upload would still be a job on the server: let every job end first.
    tokio::time::sleep(Duration::from_millis(stall + 400)).await;
    let made = casefile_references(&sim).await;
    let mut duplicates = 0;
    let mut lost = 0;
    for r in &references {
        match made.iter().filter(|m| *m == r).count() {
            0 => lost += 1,
            1 => {}
            n => duplicates += n - 1,
        }
    }
    RunFigures {
        kills,
        drafts,
        casefiles: made.len(),
        duplicates,
        lost,
    }
}

// On 2026-12-02 this found a send made twice (KILL_SEED=1796229722949672834, run 3: 7 casefiles
// for 4 drafts): a send killed while the server held its create was requeued, found no casefile
// because Penneo's job had not made it yet, and was uploaded again after that job had ended (Penneo
// refuses a second upload only while the first job runs). The outbox now waits
// `unsure_send_wait` (3 s here, above the 450 ms hold and 100 ms job) after an attempt of unknown
// fate before it looks for the casefile.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_draft_is_one_casefile_after_random_kills() {
    if std::env::var(CHILD_DIR).is_ok() {
        return; // the child runs only the driver
    }
    let runs = env_num("KILL_RUNS", 10);
    let drafts = env_num("KILL_DRAFTS", 4) as usize;
    let seed = env_num(
        "KILL_SEED",
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos() as u64,
    );
    let mut rng = Rng(seed);
    let started = Instant::now();
    println!("kill test: {runs} runs, {drafts} drafts each, KILL_SEED={seed}");
    println!("| run | kills | drafts | casefiles | duplicates | lost |");
    println!("| --- | --- | --- | --- | --- | --- |");
    let mut total = RunFigures {
        kills: 0,
        drafts: 0,
        casefiles: 0,
        duplicates: 0,
        lost: 0,
    };
    for run in 1..=runs {
        let f = one_run(run, drafts, &mut rng).await;
        println!(
            "| {run} | {} | {} | {} | {} | {} |",
            f.kills, f.drafts, f.casefiles, f.duplicates, f.lost
        );
        total.kills += f.kills;
        total.drafts += f.drafts;
        total.casefiles += f.casefiles;
        total.duplicates += f.duplicates;
        total.lost += f.lost;
    }
    println!(
        "| **{runs} runs** | {} | {} | {} | {} | {} |",
        total.kills, total.drafts, total.casefiles, total.duplicates, total.lost
    );
    println!(
        "KILL TEST: runs={runs} kills={} drafts={} casefiles={} duplicates={} lost={} ({:.1} s)",
        total.kills,
        total.drafts,
        total.casefiles,
        total.duplicates,
        total.lost,
        started.elapsed().as_secs_f64()
    );
    assert_eq!(total.duplicates, 0, "a draft was sent twice");
    assert_eq!(total.lost, 0, "a draft was lost");
    assert_eq!(total.casefiles, total.drafts);
    assert!(total.kills > 0, "no run was killed");
}

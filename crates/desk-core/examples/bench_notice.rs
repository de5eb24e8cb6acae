//! Benchmark (not a test): how long after the simulator completes a casefile the app notices
//! (a `DeskEvent::CasefileStatus` with status 5, the event the desktop notification comes
//! from), with the app's own intervals (`DeskConfig::new`), and how many casefile requests a
//! minute the app makes while casefiles wait for their signers, and how many were answered 429.
//!
//!   cargo run --release -p desk-core --example bench_notice      # 20 casefiles
//!   BENCH_NOTICES=5 cargo run -p desk-core --example bench_notice
//!
//! The casefiles are sent through the outbox first; then, while they wait, each in turn is signed,
//! at a random moment of the check interval, by every signer through the simulator's control API; the simulator completes it at
//! once (no sealing delay), so the moment the control call returns is the moment Penneo has it
//! completed. Baseline in the same run: the check interval itself (a check every interval can
//! notice at best within one interval).
//!
//! Besides the sentences, each figure is printed once more as a `BENCH {json}` line, which
//! `make bench` (scripts/bench/run.mjs) reads into its table.

use std::time::{Duration, Instant};

use desk_core::db::outbox::OutboxState;
use desk_core::use_cases::CasefileSend;
use desk_core::DeskEvent;
use penneo::{CaseFileDraft, DocumentSpec, SignerSpec};

mod common;

#[tokio::main(flavor = "multi_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let n: usize = std::env::var("BENCH_NOTICES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20)
        .max(1);
    let sim = penneo_sim::Sim::start(penneo_sim::SimConfig {
        job_delay_ms: 0,
        seed: penneo_sim::Seed::Empty,
        ..Default::default()
    })
    .await?;
    let dir = tempfile::tempdir()?;
    let cfg = common::bench_config(dir.path());
    let interval = cfg.casefile_poll_interval;
    let (core, _) = common::signed_in_core(cfg, &sim).await?;
    let mut events = core.subscribe();
    core.start_background_sync();
    // The background check starts with the first full sync, half a minute after the start.
    eprintln!("waiting for the first background sync…");
    tokio::time::timeout(Duration::from_secs(120), async {
        while !matches!(events.recv().await, Ok(DeskEvent::BackgroundSynced { .. })) {}
    })
    .await
    .map_err(|_| "the first background sync did not come within 120 s")?;
    let files = tempfile::tempdir()?;
    let pdf = files.path().join("engagement.pdf");
    std::fs::write(
        &pdf,
        penneo_sim::pdf::text_pdf("Engagement letter", &["Terms".to_string()]),
    )?;
    let http = penneo::tls::client();
    let mut rng = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)?
        .as_nanos() as u64
        | 1;
    let mut latencies = Vec::new();
    // Send them all first: while they wait for their signers, the app only checks.
    let mut sent = Vec::new();
    for i in 0..n {
        let mut signer = SignerSpec::new("Anna Berg", "anna@example.com");
        signer.sign_order = Some(1);
        let draft = CaseFileDraft::new(
            format!("Notice bench {i}"),
            vec![signer],
            vec![DocumentSpec::new("Engagement letter", "engagement.pdf")],
        );
        let entry = core
            .send_casefile(CasefileSend {
                draft,
                files: vec![pdf.clone()],
            })
            .await?;
        sent.push(entry.id);
    }
    let mut casefiles = Vec::new();
    for id in &sent {
        loop {
            let e = core.outbox_entry(id).await?;
            if e.casefile_id.is_some() && e.state == OutboxState::Tracking {
                casefiles.push(e.casefile_id.unwrap_or_default());
                break;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
    let log_len = |http: reqwest::Client, base: String| async move {
        let log: serde_json::Value = http
            .get(format!("{base}/_sim/log"))
            .send()
            .await?
            .json()
            .await?;
        Ok::<_, reqwest::Error>(log["items"].as_array().cloned().unwrap_or_default())
    };
    let before = log_len(http.clone(), sim.base_url()).await?.len();
    let started = Instant::now();
    for cf_id in casefiles {
        // Sign at a random moment of the check interval (xorshift; the phase matters).
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        let wait = Duration::from_millis(rng % (interval.as_millis() as u64).max(1));
        tokio::time::sleep(wait).await;
        // Drop news of earlier casefiles before the clock starts.
        while events.try_recv().is_ok() {}
        let t0 = Instant::now();
        let done: serde_json::Value = http
            .post(format!(
                "{}/_sim/casefiles/{cf_id}/sign-all",
                sim.base_url()
            ))
            .send()
            .await?
            .error_for_status()?
            .json()
            .await?;
        let status = done["status"].as_i64().unwrap_or(-1);
        if status != 5 {
            return Err(
                format!("the simulator left casefile {cf_id} at status {status}, not 5").into(),
            );
        }
        let noticed = tokio::time::timeout(Duration::from_secs(120), async {
            loop {
                match events.recv().await {
                    Ok(DeskEvent::CasefileStatus {
                        casefile_id,
                        status,
                        ..
                    }) if casefile_id == cf_id && status == penneo::CasefileStatus::Completed => {
                        return Ok(t0.elapsed())
                    }
                    Ok(_) => {}
                    Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => {}
                    Err(e) => return Err(e.to_string()),
                }
            }
        })
        .await
        .map_err(|_| format!("casefile {cf_id} was not noticed within 120 s"))??;
        eprintln!(
            "casefile {cf_id}: noticed {:.2} s after it was completed",
            noticed.as_secs_f64()
        );
        latencies.push(noticed);
    }
    let elapsed = started.elapsed();
    latencies.sort();
    let p95 = latencies[((latencies.len() as f64 - 1.0) * 0.95).round() as usize];
    let median = latencies[latencies.len() / 2];
    let items = log_len(http.clone(), sim.base_url()).await?;
    let items = &items[before.min(items.len())..];
    let checks: Vec<&serde_json::Value> = items
        .iter()
        .filter(|e| {
            e["method"] == "GET"
                && e["path"]
                    .as_str()
                    .is_some_and(|p| p.starts_with("/api/v1/casefiles"))
        })
        .collect();
    let lists = checks
        .iter()
        .filter(|e| {
            e["path"]
                .as_str()
                .is_some_and(|p| !p["/api/v1/casefiles".len()..].starts_with('/'))
        })
        .count();
    let limited = items.iter().filter(|e| e["status"] == 429).count();
    // The rate between the first request and the last: n requests a check interval apart span
    // n - 1 intervals (counting n over the run's own length would put a short run's one extra
    // fence post over the limit).
    let at = |e: &serde_json::Value| {
        e["at"].as_str().and_then(|t| {
            time::OffsetDateTime::parse(t, &time::format_description::well_known::Rfc3339).ok()
        })
    };
    let span = match (
        checks.first().and_then(|e| at(e)),
        checks.last().and_then(|e| at(e)),
    ) {
        (Some(a), Some(b)) if checks.len() >= 2 && b > a => Some((b - a).as_seconds_f64()),
        _ => None,
    };
    let per_minute = match span {
        Some(secs) => (checks.len() - 1) as f64 / secs * 60.0,
        None => checks.len() as f64 / elapsed.as_secs_f64() * 60.0,
    };
    println!(
        "{n} casefiles completed in the simulator: noticed after median {:.2} s, p95 {:.2} s \
         (check interval {:.1} s); {} casefile requests ({} lists, {} single casefiles) over {:.0} s \
         = {:.1} a minute; {} answered 429 (every request while they waited)",
        median.as_secs_f64(),
        p95.as_secs_f64(),
        interval.as_secs_f64(),
        checks.len(),
        lists,
        checks.len() - lists,
        span.unwrap_or(elapsed.as_secs_f64()),
        per_minute,
        limited
    );
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "BENCH {}",
        serde_json::json!({"id": "notice_p95", "value": ms(p95), "unit": "ms",
            "baseline": ms(interval), "note": format!("{n} casefiles, median {:.0} ms", ms(median))})
    );
    println!(
        "BENCH {}",
        serde_json::json!({"id": "notice_polls_per_minute", "value": per_minute, "unit": "per minute",
            "baseline": serde_json::Value::Null, "note": format!("{} casefile requests over {:.0} s", checks.len(), span.unwrap_or(elapsed.as_secs_f64()))})
    );
    println!(
        "BENCH {}",
        serde_json::json!({"id": "notice_429", "value": limited, "unit": "count",
            "baseline": serde_json::Value::Null, "note": "every request while they waited"})
    );
    core.shutdown().await;
    Ok(())
}

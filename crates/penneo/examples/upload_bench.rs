//! Upload benchmark: 20 PDFs × 25 MB to the simulator, this client vs `curl`, same run.
//!
//! `cargo run --release -p penneo --example upload_bench` (not part of the test run).
//! Env: `BENCH_FILES` (default 20), `BENCH_MB` (default 25), `BENCH_ROUNDS` (default 2).
//!
//! The simulator runs in a child process (this binary with `--serve`), so its memory does not
//! count against the client's. Peak RSS growth is read from `/proc/self/status` (VmHWM after
//! resetting it through `/proc/self/clear_refs`), relative to VmRSS before the upload.
//!
//! The figures are printed once more as `BENCH {json}` lines, which `make bench`
//! (scripts/bench/run.mjs) reads into its table.

use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use penneo::{
    CaseFileDraft, Credentials, DocumentSpec, Environment, Penneo, Secret, SignerSpec, UploadFile,
};

fn status_kb(key: &str) -> Option<u64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    s.lines()
        .find(|l| l.starts_with(key))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

fn reset_hwm() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

/// A PDF of about `size` bytes: a valid header, one large stream object, `%%EOF`.
fn write_pdf(path: &Path, size: usize, seed: u64) -> std::io::Result<()> {
    let mut f = std::io::BufWriter::with_capacity(256 * 1024, std::fs::File::create(path)?);
    let head = b"%PDF-1.4\n1 0 obj\n<< /Length ";
    let tail = b"\nendstream\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n";
    let body_len = size.saturating_sub(head.len() + tail.len() + 32);
    f.write_all(head)?;
    write!(f, "{body_len} >>\nstream\n")?;
    let mut x = seed.wrapping_mul(6364136223846793005).wrapping_add(1);
    let mut buf = vec![0u8; 64 * 1024];
    let mut left = body_len;
    while left > 0 {
        for b in buf.iter_mut() {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            *b = x as u8;
        }
        let n = left.min(buf.len());
        f.write_all(&buf[..n])?;
        left -= n;
    }
    f.write_all(tail)?;
    f.flush()
}

fn serve() -> std::process::ExitCode {
    let rt = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("runtime: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    rt.block_on(async {
        let cfg = penneo_sim::SimConfig {
            job_delay_ms: 60_000,
            ..Default::default()
        };
        let sim = match penneo_sim::Sim::start(cfg).await {
            Ok(s) => s,
            Err(e) => {
                eprintln!("sim: {e}");
                return std::process::ExitCode::FAILURE;
            }
        };
        println!("{}", sim.base_url());
        let _ = std::io::stdout().flush();
        // Run until the parent closes our stdin.
        let _ = tokio::task::spawn_blocking(|| {
            let mut s = String::new();
            while std::io::stdin()
                .read_line(&mut s)
                .map(|n| n > 0)
                .unwrap_or(false)
            {}
        })
        .await;
        sim.shutdown().await;
        std::process::ExitCode::SUCCESS
    })
}

fn main() -> std::process::ExitCode {
    if std::env::args().any(|a| a == "--serve") {
        return serve();
    }
    match run() {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("upload_bench: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

fn env_num(k: &str, d: usize) -> usize {
    std::env::var(k)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(d)
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let n_files = env_num("BENCH_FILES", 20);
    let mb = env_num("BENCH_MB", 25);
    let rounds = env_num("BENCH_ROUNDS", 2).max(1);
    let dir = tempfile::tempdir()?;
    let mut paths: Vec<PathBuf> = Vec::new();
    for i in 0..n_files {
        let p = dir.path().join(format!("doc{i:02}.pdf"));
        write_pdf(&p, mb * 1024 * 1024, i as u64 + 1)?;
        paths.push(p);
    }
    let total_bytes: u64 = paths
        .iter()
        .map(|p| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0))
        .sum();
    println!(
        "files: {n_files} × {mb} MB = {:.1} MB",
        total_bytes as f64 / 1e6
    );

    let mut child = Command::new(std::env::current_exe()?)
        .arg("--serve")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()?;
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.take().ok_or("no child stdout")?).read_line(&mut line)?;
    let base = line.trim().to_owned();
    println!("simulator (child process {}): {base}", child.id());

    let result = bench(&base, &paths, total_bytes, rounds);
    drop(child.stdin.take());
    let _ = child.wait();
    result
}

fn bench(
    base: &str,
    paths: &[PathBuf],
    total_bytes: u64,
    rounds: usize,
) -> Result<(), Box<dyn std::error::Error>> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let client = Penneo::builder()
        .environment(Environment::custom_single(url::Url::parse(base)?))
        .credentials(Credentials::api_keys(
            penneo_sim::DEMO_CLIENT_ID,
            Secret::new(penneo_sim::DEMO_CLIENT_SECRET),
            penneo_sim::DEMO_API_KEY,
            Secret::new(penneo_sim::DEMO_API_SECRET),
        ))
        .build()?;
    let files: Vec<UploadFile> = paths
        .iter()
        .map(UploadFile::new)
        .collect::<Result<_, _>>()?;
    let documents: Vec<DocumentSpec> = files
        .iter()
        .map(|f| DocumentSpec::new(format!("Document {}", f.file_name), f.file_name.clone()))
        .collect();
    let token = rt.block_on(client.token_provider().access_token())?;
    let data_path =
        std::env::temp_dir().join(format!("upload-bench-data-{}.json", std::process::id()));

    let mut client_times = Vec::new();
    let mut curl_times = Vec::new();
    let mut rss_growth_kb = 0u64;
    let hwm_ok = reset_hwm();
    for round in 0..rounds {
        // A distinct title per upload so the simulator does not flag duplicates.
        let draft = CaseFileDraft::new(
            format!("Upload bench client {round}"),
            vec![SignerSpec::new("Bench Signer", "bench@example.org")],
            documents.clone(),
        );
        let prepared = client.casefiles().prepare(&draft, &files)?;
        reset_hwm();
        let rss_before = status_kb("VmRSS:").unwrap_or(0);
        let t = Instant::now();
        let resp = rt.block_on(client.casefiles().send(&prepared, &files, None))?;
        let el = t.elapsed();
        let hwm = status_kb("VmHWM:").unwrap_or(0);
        rss_growth_kb = rss_growth_kb.max(hwm.saturating_sub(rss_before));
        client_times.push(el);
        println!(
            "round {round}: client {:.2} s ({} job(s))",
            el.as_secs_f64(),
            resp.jobs.len()
        );

        let curl_draft = CaseFileDraft::new(
            format!("Upload bench curl {round}"),
            vec![SignerSpec::new("Bench Signer", "bench@example.org")],
            documents.clone(),
        );
        std::fs::write(&data_path, curl_draft.prepare()?.data)?;
        let mut cmd = Command::new("curl");
        cmd.args([
            "-sS",
            "-o",
            "/dev/null",
            "-w",
            "%{http_code}",
            "--fail-with-body",
            "-H",
        ])
        .arg(format!("X-Auth-Token: {}", token.expose()))
        .arg("-F")
        .arg(format!("data=<{}", data_path.display()));
        for p in paths {
            cmd.arg("-F")
                .arg(format!("files=@{};type=application/pdf", p.display()));
        }
        cmd.arg(format!("{base}/send/api/v1/casefiles/20251022/create"));
        let t = Instant::now();
        let out = cmd.output()?;
        let el = t.elapsed();
        let code = String::from_utf8_lossy(&out.stdout).to_string();
        if !out.status.success() || !code.starts_with('2') {
            return Err(format!(
                "curl failed: {code} {}",
                String::from_utf8_lossy(&out.stderr)
            )
            .into());
        }
        curl_times.push(el);
        println!(
            "round {round}: curl   {:.2} s (HTTP {code})",
            el.as_secs_f64()
        );
    }
    let _ = std::fs::remove_file(&data_path);
    let best = |v: &[Duration]| v.iter().min().copied().unwrap_or_default();
    let (c, k) = (best(&client_times), best(&curl_times));
    let mbs = |d: Duration| total_bytes as f64 / 1e6 / d.as_secs_f64().max(1e-9);
    let ratio = c.as_secs_f64() / k.as_secs_f64().max(1e-9);
    println!();
    println!("client: best {:.2} s  {:.0} MB/s", c.as_secs_f64(), mbs(c));
    println!("curl:   best {:.2} s  {:.0} MB/s", k.as_secs_f64(), mbs(k));
    println!(
        "time ratio client/curl: {ratio:.2}× (target ≤ 1.25×) {}",
        if ratio <= 1.25 { "PASS" } else { "FAIL" }
    );
    let growth_mb = rss_growth_kb as f64 / 1024.0;
    println!(
        "client peak RSS growth: {growth_mb:.1} MB (target < 64 MB) {}{}",
        if growth_mb < 64.0 { "PASS" } else { "FAIL" },
        if hwm_ok {
            ""
        } else {
            " (VmHWM could not be reset: upper bound)"
        }
    );
    println!(
        "RSS growth / upload size: {:.3}",
        rss_growth_kb as f64 * 1024.0 / total_bytes as f64
    );
    let note = format!(
        "{} files, {:.0} MB, best of {rounds}",
        paths.len(),
        total_bytes as f64 / 1e6
    );
    println!(
        "BENCH {}",
        serde_json::json!({"id": "upload_time", "value": c.as_secs_f64() * 1000.0, "unit": "ms",
            "baseline": k.as_secs_f64() * 1000.0, "note": note})
    );
    println!(
        "BENCH {}",
        serde_json::json!({"id": "upload_rss", "value": growth_mb, "unit": "MB",
            "baseline": null, "note": if hwm_ok { "peak (VmHWM) over VmRSS before" } else { "upper bound: VmHWM could not be reset" }})
    );
    Ok(())
}

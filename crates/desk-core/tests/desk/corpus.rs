//! The hostile input corpus (issue 15, "The figures"): every case under `tests/corpus/` (and the
//! big ones built here, `gen:` in the manifest) goes through the path the app takes with it and
//! must end in the outcome `tests/corpus/manifest.tsv` names — a clear refusal (its code, and a
//! message a person can read) or an acceptance — never a panic, a hang or a runaway allocation.
//!
//! - `pdf`: intake (`check_files`), as for a dropped or picked file: `accepted:<pages>` or
//!   `rejected:<reason>`.
//! - `forms`: a form definition as the editor sends it: decoded, then created at the simulator
//!   through desk-core: `ok`, `decode` (refused before anything is sent) or the error code.
//! - `signers`: a casefile draft: decoded, checked by the client, then sent to the simulator's
//!   Send API (which checks e-mails, roles and SSN types as Penneo does): `ok`, `decode` or the
//!   error code.
//! - `replies`: what a server answers to `GET /api/v1/casefiles/1` (raw HTTP, from a local
//!   socket): `ok` or the error code the app shows.
//!
//! The small files are committed (`python3 scripts/corpus/make_corpus.py` writes them again); the
//! manifest is kept by hand. `CORPUS_RECORD=1` prints every case's outcome and message.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::common::*;
use crate::pdf_bombs::zlib_bomb;
use desk_core::intake::{check_files, IntakeOptions, IntakeResult};
use desk_core::{DeskCore, DeskError};
use penneo_sim::{RunningSim, Seed};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio_util::sync::CancellationToken;

const MIB: usize = 1024 * 1024;

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus")
}

// ---- big cases, built here ----

/// A PDF around one object, with a catalog and a one-page tree.
fn pdf_with(object: &[u8]) -> Vec<u8> {
    let objs: Vec<Vec<u8>> = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>".to_vec(),
        object.to_vec(),
    ];
    let mut out = b"%PDF-1.5\n".to_vec();
    let mut offs = Vec::new();
    for (i, o) in objs.iter().enumerate() {
        offs.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        out.extend_from_slice(o);
        out.extend_from_slice(b"\nendobj\n");
    }
    let x = out.len();
    out.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f \n", objs.len() + 1).as_bytes());
    for o in offs {
        out.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{x}\n%%EOF\n",
            objs.len() + 1
        )
        .as_bytes(),
    );
    out
}

fn gen_pdf(name: &str, dir: &Path) -> (PathBuf, IntakeOptions) {
    let mut opts = IntakeOptions::default();
    let path = dir.join(format!("{name}.pdf"));
    let bytes = match name {
        "bomb-1gib-flate" => {
            let data = zlib_bomb(b"BT /F1 12 Tf (x) Tj ET ", 1024);
            let mut obj = format!(
                "<< /Filter /FlateDecode /Length {} >>\nstream\n",
                data.len()
            )
            .into_bytes();
            obj.extend_from_slice(&data);
            obj.extend_from_slice(b"\nendstream");
            pdf_with(&obj)
        }
        "bomb-1gib-objstm" => {
            let data = zlib_bomb(b"1 0 << /Type /Catalog >> ", 1024);
            let mut obj = format!(
                "<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length {} >>\nstream\n",
                data.len()
            )
            .into_bytes();
            obj.extend_from_slice(&data);
            obj.extend_from_slice(b"\nendstream");
            pdf_with(&obj)
        }
        "nested-arrays-200k" => pdf_with(&[b"[".repeat(200_000), b"]".repeat(200_000)].concat()),
        "nested-dicts-200k" => {
            pdf_with(&[b"<< /A ".repeat(200_000), b">>".repeat(200_000)].concat())
        }
        "too-large" => {
            opts.max_bytes = 4000;
            pdf(2, "too large", 8000)
        }
        "duplicate-name" => {
            opts.existing_names = vec!["duplicate-name.pdf".into()];
            desk_core::intake::sample_pdf(1, "twice")
        }
        "a-directory" => {
            std::fs::create_dir_all(&path).unwrap();
            return (path, opts);
        }
        "missing" => return (path, opts),
        other => panic!("no generated pdf case {other}"),
    };
    std::fs::write(&path, bytes).unwrap();
    (path, opts)
}

fn gen_form(name: &str) -> Vec<u8> {
    match name {
        "fields-10000" => {
            let fields: Vec<serde_json::Value> = (0..10_000)
                .map(|i| serde_json::json!({"name": format!("f{i}"), "label": format!("Field {i}"), "type": "TEXT"}))
                .collect();
            serde_json::to_vec(&serde_json::json!({"name": "Ten thousand", "language": "EN",
                "sections": [{"slug": "s", "title": "S", "fields": fields}]}))
            .unwrap()
        }
        "deep-nesting-100k" => {
            let mut v = br#"{"name": "Deep", "language": "EN", "sections": [{"slug": "s", "title": "S", "fields": [], "x": "#.to_vec();
            v.extend(b"[".repeat(100_000));
            v.extend(b"]".repeat(100_000));
            v.extend(b"}]}");
            v
        }
        "deep-sections-nesting" => {
            // Sections inside fields inside sections…, 5,000 deep.
            let mut s = String::from(r#"{"slug": "leaf", "title": "Leaf", "fields": []}"#);
            for i in 0..5_000 {
                s = format!(
                    r#"{{"slug": "s{i}", "title": "S", "fields": [{{"name": "f{i}", "label": "F", "type": "GROUP", "sections": [{s}]}}]}}"#
                );
            }
            format!(r#"{{"name": "Deep sections", "language": "EN", "sections": [{s}]}}"#).into_bytes()
        }
        "label-1mib" => serde_json::to_vec(&serde_json::json!({"name": "Long label", "language": "EN",
            "sections": [{"slug": "s", "title": "S", "fields": [{"name": "a", "label": "x".repeat(MIB), "type": "TEXT"}]}]}))
        .unwrap(),
        other => panic!("no generated form case {other}"),
    }
}

/// What the fake server answers: the whole reply at once, or dripped, or headers then silence.
enum Reply {
    Bytes(Vec<u8>),
    Drip(Vec<u8>, Duration),
    Stall(Vec<u8>),
}

fn http_reply(status: &str, body: &[u8]) -> Vec<u8> {
    let mut v = format!(
        "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
        body.len()
    )
    .into_bytes();
    v.extend_from_slice(body);
    v
}

fn gen_reply(name: &str) -> Reply {
    let casefile = br#"{"id": 1, "title": "Letter", "status": 1}"#.to_vec();
    match name {
        "body-10mib-json" => {
            let body = format!(
                r#"{{"id": 1, "title": "Letter", "status": 1, "padding": "{}"}}"#,
                "x".repeat(10 * MIB)
            );
            Reply::Bytes(http_reply("200 OK", body.as_bytes()))
        }
        "body-10mib-garbage" => Reply::Bytes(http_reply("200 OK", &vec![b'{'; 10 * MIB])),
        "announces-100mib" => Reply::Bytes(
            format!("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{{", 100 * MIB)
                .into_bytes(),
        ),
        "chunked-endless-70mib" => {
            // More than the client reads for JSON (64 MiB), sent chunked with no length.
            let mut v = b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\nconnection: close\r\n\r\n".to_vec();
            let chunk = vec![b' '; MIB];
            for _ in 0..70 {
                v.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
                v.extend_from_slice(&chunk);
                v.extend_from_slice(b"\r\n");
            }
            v.extend_from_slice(b"0\r\n\r\n");
            Reply::Bytes(v)
        }
        "slow-drip" => Reply::Drip(http_reply("200 OK", &casefile), Duration::from_millis(15)),
        "stall-after-headers" => Reply::Stall(
            b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 40\r\n\r\n{\"id\""
                .to_vec(),
        ),
        other => panic!("no generated reply case {other}"),
    }
}

// ---- runners ----

fn reason_name(r: &desk_core::intake::RejectReason) -> String {
    serde_json::to_value(r)
        .unwrap()
        .as_str()
        .unwrap()
        .to_string()
}

/// (outcome, message)
async fn run_pdf(name: &str, work: &Path) -> (String, String) {
    let (path, opts) = match name.strip_prefix("gen:") {
        Some(g) => gen_pdf(g, work),
        None => (
            corpus_dir().join("pdf").join(name),
            IntakeOptions::default(),
        ),
    };
    let r = tokio::task::spawn_blocking(move || check_files(&[path], &opts))
        .await
        .unwrap()
        .remove(0);
    match r {
        IntakeResult::Accepted(a) => (
            format!(
                "accepted:{}",
                a.page_count.map_or("?".into(), |n| n.to_string())
            ),
            String::new(),
        ),
        IntakeResult::Rejected(r) => (format!("rejected:{}", reason_name(&r.reason)), r.message),
    }
}

fn desk_outcome(e: &DeskError) -> (String, String) {
    (e.code().as_str().to_string(), e.to_string())
}

async fn run_form(name: &str, core: &DeskCore) -> (String, String) {
    let bytes = match name.strip_prefix("gen:") {
        Some(g) => gen_form(g),
        None => std::fs::read(corpus_dir().join("forms").join(name)).unwrap(),
    };
    let def: penneo::FormDefinition = match serde_json::from_slice(&bytes) {
        Ok(d) => d,
        Err(e) => return ("decode".into(), e.to_string()),
    };
    match core.create_form(def, false).await {
        Ok(_) => ("ok".into(), String::new()),
        Err(e) => desk_outcome(&e),
    }
}

async fn run_signers(name: &str, client: &penneo::Penneo, letter: &Path) -> (String, String) {
    let bytes = std::fs::read(corpus_dir().join("signers").join(name)).unwrap();
    let draft: penneo::CaseFileDraft = match serde_json::from_slice(&bytes) {
        Ok(d) => d,
        Err(e) => return ("decode".into(), e.to_string()),
    };
    let upload = penneo::UploadFile::new(letter).unwrap();
    let sent = async {
        let data = client
            .casefiles()
            .prepare(&draft, std::slice::from_ref(&upload))?;
        client.casefiles().send(&data, &[upload], None).await
    };
    match sent.await {
        Ok(_) => ("ok".into(), String::new()),
        Err(e) => desk_outcome(&DeskError::from(e)),
    }
}

/// A one-connection-at-a-time HTTP server on loopback: `POST /oauth/token` gets a token, every
/// other request the case's reply.
async fn fake_server(reply: Reply) -> (String, tokio::task::JoinHandle<()>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let reply = Arc::new(reply);
    let task = tokio::spawn(async move {
        loop {
            let Ok((mut sock, _)) = listener.accept().await else {
                return;
            };
            let reply = reply.clone();
            tokio::spawn(async move {
                let mut buf = Vec::new();
                let mut chunk = [0u8; 4096];
                while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
                    match sock.read(&mut chunk).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => buf.extend_from_slice(&chunk[..n]),
                    }
                }
                if buf.starts_with(b"POST /oauth/token") {
                    let body = br#"{"access_token": "corpus-token", "token_type": "bearer", "expires_in": 600}"#;
                    let _ = sock.write_all(&http_reply("200 OK", body)).await;
                    return;
                }
                match &*reply {
                    Reply::Bytes(b) => {
                        let _ = sock.write_all(b).await;
                    }
                    Reply::Drip(b, every) => {
                        for byte in b {
                            if sock.write_all(&[*byte]).await.is_err() {
                                return;
                            }
                            tokio::time::sleep(*every).await;
                        }
                    }
                    Reply::Stall(b) => {
                        let _ = sock.write_all(b).await;
                        tokio::time::sleep(Duration::from_secs(30)).await;
                    }
                }
                let _ = sock.shutdown().await;
            });
        }
    });
    (base, task)
}

async fn run_reply(name: &str) -> (String, String) {
    let reply = match name.strip_prefix("gen:") {
        Some(g) => gen_reply(g),
        None => Reply::Bytes(std::fs::read(corpus_dir().join("replies").join(name)).unwrap()),
    };
    let (base, server) = fake_server(reply).await;
    let client = penneo::Penneo::builder()
        .environment(penneo::Environment::custom_single(base.parse().unwrap()))
        .credentials(penneo::Credentials::api_keys(
            "corpus",
            penneo::Secret::new("corpus-secret"),
            "key",
            penneo::Secret::new("api-secret"),
        ))
        .read_timeout(Duration::from_secs(1))
        .retry_policy(penneo::RetryPolicy {
            max_retries: 1,
            base_delay: Duration::from_millis(10),
            max_delay: Duration::from_millis(10),
            max_retry_after: Duration::from_secs(1),
        })
        .build()
        .unwrap();
    let r = client.casefiles().get(1).await;
    server.abort();
    match r {
        Ok(_) => ("ok".into(), String::new()),
        Err(e) => desk_outcome(&DeskError::from(e)),
    }
}

/// The process's peak resident memory (`VmHWM`), in KiB.
fn peak_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|n| n.parse().ok())
        })
        .unwrap_or(0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_hostile_input_gets_its_clear_outcome() {
    let manifest = std::fs::read_to_string(corpus_dir().join("manifest.tsv")).unwrap();
    let cases: Vec<(String, String, String)> = manifest
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| {
            let mut p = l.split('\t');
            let (Some(k), Some(n), Some(x)) = (p.next(), p.next(), p.next()) else {
                panic!("manifest line is not kind<TAB>name<TAB>expected: {l}");
            };
            (k.to_string(), n.to_string(), x.to_string())
        })
        .collect();
    // Every committed file is in the manifest.
    for kind in ["pdf", "forms", "signers", "replies"] {
        for f in std::fs::read_dir(corpus_dir().join(kind)).unwrap() {
            let name = f.unwrap().file_name().to_string_lossy().into_owned();
            assert!(
                cases.iter().any(|(k, n, _)| k == kind && *n == name),
                "{kind}/{name} has no line in manifest.tsv"
            );
        }
    }
    assert!(cases.len() >= 60, "{} cases", cases.len());

    let sim: RunningSim = sim(Seed::Empty, true).await;
    let dir = tempfile::tempdir().unwrap();
    let work = tempfile::tempdir().unwrap();
    let core = crate::common::core(dir.path(), Arc::new(IdleBrowser)).await;
    let acc = core.add_account(api_key_account(&sim)).await.unwrap();
    core.sign_in(&acc.id, &CancellationToken::new())
        .await
        .unwrap();
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
    let letter = work.path().join("letter.pdf");
    std::fs::write(&letter, desk_core::intake::sample_pdf(1, "letter")).unwrap();

    let record = std::env::var("CORPUS_RECORD").is_ok();
    let started = Instant::now();
    let mut failures = Vec::new();
    let mut by_kind: std::collections::BTreeMap<String, (usize, usize)> = Default::default();
    for (kind, name, expected) in &cases {
        let t = Instant::now();
        let run = async {
            match kind.as_str() {
                "pdf" => run_pdf(name, work.path()).await,
                "forms" => run_form(name, &core).await,
                "signers" => run_signers(name, &client, &letter).await,
                "replies" => run_reply(name).await,
                other => panic!("unknown kind {other}"),
            }
        };
        let (got, message) = tokio::time::timeout(Duration::from_secs(20), run)
            .await
            .unwrap_or_else(|_| ("hang".into(), "no answer in 20 s".into()));
        let entry = by_kind.entry(kind.clone()).or_default();
        entry.0 += 1;
        // A refusal says what is wrong, in a sentence a person can read.
        let clear = got.starts_with("ok")
            || got.starts_with("accepted")
            || (!message.trim().is_empty()
                && message.chars().count() <= 600
                && !message.contains("panicked"));
        if record {
            println!(
                "{kind}\t{name}\t{got}\t# {:.2}s {}",
                t.elapsed().as_secs_f64(),
                message.chars().take(160).collect::<String>()
            );
        }
        if &got == expected && clear {
            entry.1 += 1;
        } else {
            failures.push(format!(
                "{kind}/{name}: expected {expected}, got {got} ({message:.300})"
            ));
        }
    }
    println!("| input | cases | clear outcome as expected |");
    println!("| --- | --- | --- |");
    for (k, (n, ok)) in &by_kind {
        println!("| {k} | {n} | {ok} |");
    }
    let peak_mib = peak_kib() / 1024;
    println!(
        "CORPUS: cases={} as expected={} peak memory {peak_mib} MiB ({:.1} s)",
        cases.len(),
        cases.len() - failures.len(),
        started.elapsed().as_secs_f64()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

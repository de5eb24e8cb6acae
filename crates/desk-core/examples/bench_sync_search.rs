//! Benchmark (not a test): sync N submissions with answers from the simulator into an empty
//! database, then sync again with nothing new; top the cache up to T submissions and page,
//! sort, filter and search those T through the same `DeskCore` calls the UI's commands make
//! (`list_submissions`, `search_answers`); and search 100,000 answer rows; each beside a
//! baseline measured in the same run.
//!
//!   cargo run --release -p desk-core --example bench_sync_search      # N = 10000, T = 100000
//!   BENCH_SUBMISSIONS=2000 BENCH_TABLE_ROWS=20000 cargo run -p desk-core --example bench_sync_search
//!
//! Baselines: the same rows inserted with a plain loop without a transaction; for the view
//! queries, reading every stored submission's answers and filtering them in memory (what a
//! table without the answer index would do); a `LIKE` scan.
//!
//! Besides the sentences, each figure is printed once more as a `BENCH {json}` line, which
//! `make bench` (scripts/bench/run.mjs) reads into its table.

use std::time::{Duration, Instant};

use desk_core::db::submissions::{AnswerRow, SearchQuery, SubmissionQuery, SubmissionRecord};
use futures_util::StreamExt;

mod common;

const WORDS: &[&str] = &[
    "Nordvind",
    "Fjordlys",
    "Holm",
    "Kjær",
    "Bech",
    "Sølvtræ",
    "Dahl",
    "Lund",
    "Havblik",
    "Østergaard",
    "Kornblomst",
    "Tårnfalk",
    "Marsk",
    "Aarhus",
    "Odense",
    "Aalborg",
    "Esbjerg",
    "Vejle",
    "Roskilde",
    "Helsingør",
];

/// One machine-readable line for `make bench`: a figure and its same-run baseline (ms).
fn row(id: &str, value_ms: Duration, baseline_ms: Option<Duration>, note: &str) {
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "BENCH {}",
        serde_json::json!({"id": id, "value": ms(value_ms), "unit": "ms",
            "baseline": baseline_ms.map(ms), "note": note})
    );
}

fn pct(v: &mut [Duration], p: f64) -> Duration {
    v.sort();
    v[((v.len() as f64 - 1.0) * p).round() as usize]
}

#[tokio::main(flavor = "multi_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let n: usize = std::env::var("BENCH_SUBMISSIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let table_rows: usize = std::env::var("BENCH_TABLE_ROWS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000)
        .max(n);
    let sim = penneo_sim::Sim::start(penneo_sim::SimConfig {
        job_delay_ms: 200,
        ..Default::default()
    })
    .await?;
    let dir = tempfile::tempdir()?;
    let (core, acc_id) = common::signed_in_core(common::bench_config(dir.path()), &sim).await?;
    let def: penneo::FormDefinition = serde_json::from_value(serde_json::json!({
        "name": "Bench KYC", "language": "EN",
        "sections": [
            {"slug": "person", "title": "Person", "fields": [
                {"name": "full_name", "label": "Full name", "type": "TEXT", "required": true, "mapTo": "primarySigner.name"},
                {"name": "email", "label": "E-mail", "type": "EMAIL", "required": true, "mapTo": "primarySigner.email"}
            ]},
            {"slug": "company", "title": "Company", "fields": [
                {"name": "company_name", "label": "Company", "type": "TEXT", "required": true},
                {"name": "city", "label": "City", "type": "TEXT", "required": true}
            ]}
        ]
    }))?;
    let form = core.create_form(def, true).await?;
    eprintln!("seeding {n} submissions in the simulator…");
    let t = Instant::now();
    let http = penneo::tls::client();
    let base = sim.base_url();
    let results: Vec<Result<(), String>> = futures_util::stream::iter(0..n)
        .map(|i| {
            let (core, http, base, form_id) = (core.clone(), http.clone(), base.clone(), form.form_id.clone());
            async move {
                let r = core
                    .create_prefilled_request(&form_id, penneo::PrefilledRequest::new(), None)
                    .await
                    .map_err(|e| e.to_string())?;
                let w = |k: usize| WORDS[(i * 7 + k * 13) % WORDS.len()];
                let body = serde_json::json!({"answers": {
                    "person": [{"full_name": format!("{} {} {i}", w(0), w(1)), "email": format!("p{i}@example.com")}],
                    "company": [{"company_name": format!("{} ApS", w(2)), "city": w(3)}]
                }});
                let resp = http
                    .post(format!("{base}/_sim/requests/{}/submit", r.request_id))
                    .json(&body)
                    .send()
                    .await
                    .map_err(|e| e.to_string())?;
                if !resp.status().is_success() {
                    return Err(format!("submit: {}", resp.status()));
                }
                Ok(())
            }
        })
        .buffer_unordered(16)
        .collect()
        .await;
    if let Some(Err(e)) = results.into_iter().find(|r| r.is_err()) {
        return Err(e.into());
    }
    eprintln!("seeded in {:.1?}", t.elapsed());

    if std::env::var("BENCH_ONLY_SEARCH").is_ok() {
        return search_bench().await;
    }
    // 1. Sync N submissions into the empty cache.
    let t = Instant::now();
    let synced = core.sync_submissions(&form.form_id, &|_| {}).await?;
    let sync_time = t.elapsed();
    assert_eq!(synced as usize, n);

    // 1a. The same sync again with nothing new (N cached): five runs, the slowest reported.
    let mut again = Vec::new();
    for _ in 0..5 {
        let t = Instant::now();
        let fresh = core.sync_submissions(&form.form_id, &|_| {}).await?;
        again.push(t.elapsed());
        assert_eq!(fresh, 0, "nothing new to sync");
    }
    let again_max = pct(&mut again, 1.0);
    println!("incremental sync with nothing new ({n} cached), 5 runs: slowest {again_max:.2?}");
    row(
        "sync_incremental",
        again_max,
        None,
        &format!("{n} cached, slowest of 5"),
    );

    // Baseline: the same rows, one autocommit insert per row.
    let page = core
        .list_submissions(SubmissionQuery {
            form_id: form.form_id.clone(),
            limit: Some(5000),
            ..Default::default()
        })
        .await?;
    let mut records: Vec<SubmissionRecord> = Vec::new();
    let mut cursor = None;
    let mut first = Some(page);
    loop {
        let p = match first.take() {
            Some(p) => p,
            None => {
                core.list_submissions(SubmissionQuery {
                    form_id: form.form_id.clone(),
                    limit: Some(5000),
                    cursor: cursor.clone(),
                    ..Default::default()
                })
                .await?
            }
        };
        for row in &p.result {
            let d = core.get_submission(&row.submission_id).await?;
            records.push(SubmissionRecord {
                submission_id: row.submission_id.clone(),
                form_id: row.form_id.clone(),
                casefile_id: row.casefile_id,
                request_id: row.request_id.clone(),
                version: row.version,
                completed_at: row.completed_at.clone(),
                respondent_name: row.respondent_name.clone(),
                respondent_email: row.respondent_email.clone(),
                answers_json: d.answers_json,
                answers: d.answers,
            });
        }
        cursor = p.next_cursor;
        if cursor.is_none() {
            break;
        }
    }
    let base_dir = tempfile::tempdir()?;
    let base_db = desk_core::Db::open_in(base_dir.path())?;
    let t = Instant::now();
    base_db.call_blocking(|c| {
        c.execute("INSERT INTO accounts (id,label,environment,oauth_host,api_host,auth_kind,created_at) VALUES ('b','b','custom','x','x','oauth','x')", [])?;
        for s in &records {
            c.execute(
                "INSERT INTO submissions (account_id, submission_id, form_id, completed_at, answers_json, synced_at) VALUES ('b',?1,?2,?3,?4,'x')",
                rusqlite::params![s.submission_id, s.form_id, s.completed_at, serde_json::to_string(&s.answers_json)?],
            )?;
            for a in &s.answers {
                c.execute(
                    "INSERT INTO answers (account_id, submission_id, form_id, section_slug, instance_index, field_name, label, field_type, value_text) VALUES ('b',?1,?2,?3,?4,?5,?6,?7,?8)",
                    rusqlite::params![s.submission_id, s.form_id, a.section_slug, a.instance_index, a.field_name, a.label, a.field_type, a.value_text],
                )?;
            }
        }
        Ok(())
    })?;
    let baseline_insert = t.elapsed();
    println!(
        "sync {n} submissions from the simulator (HTTP + answers + FTS): {:.2?}  | baseline: same rows, plain insert loop without a transaction (no HTTP): {:.2?}  | ratio sync/baseline = {:.2}",
        sync_time,
        baseline_insert,
        sync_time.as_secs_f64() / baseline_insert.as_secs_f64()
    );
    row(
        "sync_empty",
        sync_time,
        Some(baseline_insert),
        &format!("{n} submissions"),
    );

    // The table's rows: the N synced ones topped up to T with more of the same shape, written
    // into the same account's cache the way sync writes them (one transaction per 5,000).
    let extra: Vec<SubmissionRecord> = (n..table_rows)
        .map(|i| {
            let w = |k: usize| WORDS[(i * 7 + k * 13) % WORDS.len()];
            let answer = |section: &str, field: &str, value: String| AnswerRow {
                section_slug: section.into(),
                instance_index: 0,
                field_name: field.into(),
                label: Some(field.into()),
                field_type: Some("TEXT".into()),
                value_text: Some(value),
            };
            SubmissionRecord {
                submission_id: format!("bench-{i}"),
                form_id: form.form_id.clone(),
                casefile_id: None,
                request_id: None,
                version: Some(1),
                completed_at: format!(
                    "2026-01-01T{:02}:{:02}:{:02}Z",
                    i / 3600 % 24,
                    i / 60 % 60,
                    i % 60
                ),
                respondent_name: Some(format!("{} {} {i}", w(0), w(1))),
                respondent_email: Some(format!("p{i}@example.com")),
                answers_json: None,
                answers: vec![
                    answer("person", "full_name", format!("{} {} {i}", w(0), w(1))),
                    answer("person", "email", format!("p{i}@example.com")),
                    answer("company", "company_name", format!("{} ApS", w(2))),
                    answer("company", "city", w(3).to_string()),
                ],
            }
        })
        .collect();
    for chunk in extra.chunks(5000) {
        let (acc_id, chunk) = (acc_id.clone(), chunk.to_vec());
        core.db()
            .call(move |c| desk_core::db::submissions::upsert_submissions(c, &acc_id, &chunk))
            .await?;
    }
    drop(extra);
    view_bench(&core, &form.form_id, table_rows).await?;
    search_bench().await?;
    core.shutdown().await;
    sim.shutdown().await;
    Ok(())
}

/// 1b. The table's queries on the N synced submissions, through the core calls the commands
/// make: a first page with a field condition, the same sorted by a field, and the search box.
async fn view_bench(
    core: &desk_core::DeskCore,
    form_id: &str,
    n: usize,
) -> Result<(), Box<dyn std::error::Error>> {
    use desk_core::db::submissions::{FieldFilter, FilterOp, SubmissionSortKey};
    const RUNS: usize = 40;
    const BASELINE_RUNS: usize = 5;
    let city = |i: usize| WORDS[(i * 7 + 3 * 13) % WORDS.len()].to_string();
    let query = |i: usize, sort: SubmissionSortKey| SubmissionQuery {
        form_id: form_id.to_string(),
        filters: vec![FieldFilter {
            field: "city".into(),
            op: FilterOp::Contains,
            value: Some(city(i)),
        }],
        columns: vec!["company_name".into(), "city".into()],
        sort,
        limit: Some(500),
        ..Default::default()
    };
    let (mut first, mut filtered, mut sorted, mut searched, mut baseline) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for i in 0..RUNS {
        let t = Instant::now();
        let page = core
            .list_submissions(SubmissionQuery {
                form_id: form_id.to_string(),
                columns: vec!["company_name".into(), "city".into()],
                limit: Some(500),
                ..Default::default()
            })
            .await?;
        first.push(t.elapsed());
        assert_eq!(page.result.len(), 500.min(n));
        let t = Instant::now();
        let page = core
            .list_submissions(query(i, SubmissionSortKey::CompletedAt))
            .await?;
        filtered.push(t.elapsed());
        let matched = page.result.len();
        let t = Instant::now();
        core.list_submissions(query(i, SubmissionSortKey::Field("company_name".into())))
            .await?;
        sorted.push(t.elapsed());
        let t = Instant::now();
        let hits = core
            .search_answers(SearchQuery {
                text: format!("{} {i}", WORDS[i % WORDS.len()]),
                ..Default::default()
            })
            .await?;
        searched.push(t.elapsed());
        assert!(hits.result.len() <= 1);
        if i >= BASELINE_RUNS {
            continue;
        }
        // Baseline: every stored submission's answers read and filtered in memory.
        let t = Instant::now();
        let want = city(i);
        let all = core
            .list_submissions(SubmissionQuery {
                form_id: form_id.to_string(),
                columns: vec!["company_name".into(), "city".into()],
                limit: Some(5000),
                ..Default::default()
            })
            .await?;
        let mut rows = all.result;
        let mut cursor = all.next_cursor;
        while let Some(c) = cursor {
            let p = core
                .list_submissions(SubmissionQuery {
                    form_id: form_id.to_string(),
                    columns: vec!["company_name".into(), "city".into()],
                    limit: Some(5000),
                    cursor: Some(c),
                    ..Default::default()
                })
                .await?;
            rows.extend(p.result);
            cursor = p.next_cursor;
        }
        let kept = rows
            .iter()
            .filter(|r| {
                r.values
                    .get("city")
                    .and_then(|v| v.as_deref())
                    .is_some_and(|v| v.contains(want.as_str()))
            })
            .count();
        baseline.push(t.elapsed());
        assert!(kept >= matched.min(500));
    }
    let (p95, f95, s95, q95, b95) = (
        pct(&mut first, 0.95),
        pct(&mut filtered, 0.95),
        pct(&mut sorted, 0.95),
        pct(&mut searched, 0.95),
        pct(&mut baseline, 0.95),
    );
    println!(
        "the table on {n} submissions, {RUNS} runs each: first page (500 rows) p95 {p95:.2?}; first page with a field condition p95 {f95:.2?}; sorted by a field p95 {s95:.2?}; search box p95 {q95:.2?}  | baseline: read every row and filter in memory, slowest of {BASELINE_RUNS} {b95:.2?}  | ratios to baseline = {:.2} / {:.2} / {:.2} / {:.2}",
        p95.as_secs_f64() / b95.as_secs_f64(),
        f95.as_secs_f64() / b95.as_secs_f64(),
        s95.as_secs_f64() / b95.as_secs_f64(),
        q95.as_secs_f64() / b95.as_secs_f64(),
    );
    let note = format!("{n} submissions, p95 of {RUNS}");
    row("table_first_page", p95, Some(b95), &note);
    row("table_sort", s95, Some(b95), &note);
    row("table_condition", f95, Some(b95), &note);
    row("table_search", q95, Some(b95), &note);
    Ok(())
}

/// 2. Search 100,000 answer rows: FTS (the UI's search) vs a LIKE scan.
async fn search_bench() -> Result<(), Box<dyn std::error::Error>> {
    let sdir = tempfile::tempdir()?;
    let sdb = desk_core::Db::open_in(sdir.path())?;
    sdb.call_blocking(|c| {
        c.execute("INSERT INTO accounts (id,label,environment,oauth_host,api_host,auth_kind,created_at) VALUES ('s','s','custom','x','x','oauth','x')", [])?;
        let mut subs = Vec::new();
        for i in 0..10_000usize {
            let answers = (0..10usize)
                .map(|k| AnswerRow {
                    section_slug: "s".into(),
                    instance_index: 0,
                    field_name: format!("f{k}"),
                    label: Some(format!("Field {k}")),
                    field_type: Some("TEXT".into()),
                    value_text: Some(format!("{} {} {}", WORDS[(i + k) % WORDS.len()], WORDS[(i * 3 + k) % WORDS.len()], i * 10 + k)),
                })
                .collect();
            subs.push(SubmissionRecord {
                submission_id: format!("s{i}"),
                form_id: "f".into(),
                casefile_id: None,
                request_id: None,
                version: Some(1),
                completed_at: format!("2026-01-01T00:00:{:02}Z", i % 60),
                respondent_name: None,
                respondent_email: None,
                answers_json: None,
                answers,
            });
        }
        desk_core::db::submissions::upsert_submissions(c, "s", &subs)
    })?;
    let terms: Vec<String> = (0..200)
        .map(|i| match i % 3 {
            0 => WORDS[i % WORDS.len()].to_string(),
            1 => format!("{}", (i * 4_999) % 100_000),
            _ => WORDS[(i * 7) % WORDS.len()][..4].to_string(),
        })
        .collect();
    let mut fts = Vec::new();
    let mut like = Vec::new();
    for term in &terms {
        let q = SearchQuery {
            text: term.clone(),
            ..Default::default()
        };
        let t = Instant::now();
        sdb.call_blocking(|c| desk_core::db::submissions::search(c, "s", &q))?;
        fts.push(t.elapsed());
        let t = Instant::now();
        sdb.call_blocking(|c| {
            let mut st = c.prepare_cached(
                "SELECT a.form_id, a.submission_id, a.value_text FROM answers a WHERE a.account_id='s' AND (a.value_text LIKE ?1 OR a.label LIKE ?1) LIMIT 400",
            )?;
            let n = st.query_map([format!("%{term}%")], |r| r.get::<_, String>(1))?.count();
            Ok(n)
        })?;
        like.push(t.elapsed());
    }
    let (f50, f95) = (pct(&mut fts, 0.5), pct(&mut fts, 0.95));
    let (l50, l95) = (pct(&mut like, 0.5), pct(&mut like, 0.95));
    println!(
        "search 100,000 answer rows, 200 queries: FTS p50 {f50:.2?} p95 {f95:.2?}  | baseline LIKE scan p50 {l50:.2?} p95 {l95:.2?}  | ratio p95 FTS/LIKE = {:.2}",
        f95.as_secs_f64() / l95.as_secs_f64()
    );
    Ok(())
}

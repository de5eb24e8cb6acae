//! Property tests (issue 15, "The figures"), proptest on stable: whatever the input, no panic,
//! and what must hold holds.
//!
//! - form definitions: any JSON decodes as the client's `FormDefinition` or is refused, and one
//!   that decodes survives a round trip; the simulator's validation (`formdef::validate`, what
//!   stands in for Penneo's) and its answer check never panic;
//! - answers: any JSON decodes as `Answers` or is refused; decoded ones round-trip;
//! - the FTS query builder: any text gives no query or one SQLite's FTS5 accepts;
//! - file names from the server: safe, non-empty, at most 180 bytes, whatever the title;
//! - CSV cells: the export's `csv` writer and reader give back every cell, delimiters, quotes and
//!   line breaks included (the round trip the export relies on);
//! - the export itself: any answers stored in the cache, exported as JSON and as CSV by
//!   `db::export::export`, read back the same (the CSV with its formula guard); a tenth of the
//!   cases (at least 50), as each one writes two files.
//!
//! Cases per property: `PROPTEST_CASES` (default 1,000: 10,000 each took minutes in a debug
//! build on this 2-core machine; `make soak` runs 1,000,000).

use proptest::prelude::*;
use serde_json::Value;

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000)
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: cases(),
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Text with the characters that break things: quotes, FTS operators, controls, combining
/// marks, right-to-left marks, astral characters, and plain words.
fn nasty_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("\"".to_string()),
        Just("*".to_string()),
        Just("^".to_string()),
        Just(" AND ".to_string()),
        Just(" OR ".to_string()),
        Just("NEAR(".to_string()),
        Just("(".to_string()),
        Just(")".to_string()),
        Just(":".to_string()),
        Just("-".to_string()),
        Just("\u{0}".to_string()),
        Just("\u{202e}".to_string()),
        Just("a\u{30a}".to_string()),
        Just("😀".to_string()),
        Just("..".to_string()),
        Just("/".to_string()),
        Just("\\".to_string()),
        Just("\n".to_string()),
        "[a-zæøåA-Z0-9@.]{1,8}".prop_map(|s| s),
        any::<char>().prop_map(|c| c.to_string()),
    ];
    prop::collection::vec(piece, 0..12).prop_map(|v| v.concat())
}

fn json_leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Value::from),
        nasty_text().prop_map(Value::String),
    ]
}

/// JSON shaped like what the app reads (objects with the keys of form definitions and answers),
/// with wrong types anywhere.
fn json_like(keys: &'static [&'static str]) -> impl Strategy<Value = Value> {
    json_leaf().prop_recursive(5, 64, 6, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            prop::collection::vec(
                (
                    prop_oneof![
                        prop::sample::select(keys).prop_map(str::to_string),
                        "[a-z]{1,6}"
                    ],
                    inner
                ),
                0..6
            )
            .prop_map(|kv| Value::Object(kv.into_iter().collect())),
        ]
    })
}

const FORM_KEYS: &[&str] = &[
    "name",
    "language",
    "sections",
    "slug",
    "title",
    "fields",
    "label",
    "type",
    "required",
    "options",
    "mapTo",
    "max",
    "repeatable",
    "conditions",
    "caseFileTitleTemplate",
    "additionalSignersConfig",
    "enabled",
    "value",
];

const ANSWER_KEYS: &[&str] = &[
    "submissionId",
    "answers",
    "value",
    "editable",
    "files",
    "fileId",
    "name",
    "person",
    "0",
];

proptest! {
    #![proptest_config(config())]

    #[test]
    fn form_definitions_decode_validate_and_round_trip(v in json_like(FORM_KEYS)) {
        // The simulator's validation (Penneo's rules as this project knows them) never panics.
        let _ = penneo_sim::collect::formdef::validate(&v);
        if let Ok(def) = serde_json::from_value::<penneo::FormDefinition>(v) {
            let again: penneo::FormDefinition =
                serde_json::from_value(serde_json::to_value(&def).unwrap()).unwrap();
            prop_assert_eq!(again, def);
        }
    }

    #[test]
    fn a_valid_definitions_answers_are_checked_without_panic(
        kind in prop::sample::select(&["TEXT", "EMAIL", "PHONE", "NUMBER", "DATE", "CHOICE", "NIN", "BUSINESS_ID", "FILE"][..]),
        value in json_like(ANSWER_KEYS),
    ) {
        let field = serde_json::json!({"name": "a", "label": "A", "type": kind,
            "options": [{"value": "x", "label": "X"}]});
        let _ = penneo_sim::collect::formdef::check_value(field.as_object().unwrap(), &value);
    }

    #[test]
    fn answers_decode_and_round_trip(v in json_like(ANSWER_KEYS)) {
        if let Ok(a) = serde_json::from_value::<penneo::Answers>(v) {
            let again: penneo::Answers =
                serde_json::from_value(serde_json::to_value(&a).unwrap()).unwrap();
            prop_assert_eq!(again, a);
        }
    }

    #[test]
    fn file_names_are_always_safe(title in nasty_text(), ext in nasty_text()) {
        let name = desk_core::downloads::safe_file_name(&title, &ext);
        prop_assert!(!name.is_empty());
        prop_assert!(name.len() <= 180 + 1 + ext.len(), "{} bytes", name.len());
        prop_assert!(!name.starts_with('.'), "{name:?}");
        prop_assert!(!name.chars().any(|c| c.is_control()
            || matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|')), "{name:?}");
    }

    #[test]
    fn csv_cells_round_trip(rows in prop::collection::vec(prop::collection::vec(nasty_text(), 1..5), 1..5),
                            semicolon in any::<bool>()) {
        let width = rows[0].len();
        let rows: Vec<Vec<String>> = rows.into_iter().map(|mut r| { r.resize(width, String::new()); r }).collect();
        let delimiter = if semicolon { b';' } else { b',' };
        // As the export writes it: a byte order mark first (for Excel), then the records.
        let mut w = csv::WriterBuilder::new().delimiter(delimiter).from_writer("\u{feff}".as_bytes().to_vec());
        for r in &rows {
            w.write_record(r).unwrap();
        }
        let bytes = w.into_inner().unwrap();
        let mut rd = csv::ReaderBuilder::new().delimiter(delimiter).has_headers(false).from_reader(&bytes[..]);
        let back: Vec<Vec<String>> = rd.records().map(|r| r.unwrap().iter().map(str::to_string).collect()).collect();
        prop_assert_eq!(back, rows);
    }
}

/// The FTS query builder against a real FTS5 table: every query it builds is one SQLite runs.
#[test]
fn fts_queries_are_always_valid_fts5() {
    let c = rusqlite::Connection::open_in_memory().unwrap();
    c.execute_batch(
        "CREATE VIRTUAL TABLE t USING fts5(body, tokenize = 'unicode61 remove_diacritics 2');
         INSERT INTO t(body) VALUES ('Anna Berg anna@example.com 0101901234 Århus \"quoted\"');",
    )
    .unwrap();
    let mut runner = proptest::test_runner::TestRunner::new(config());
    runner
        .run(&nasty_text(), |text| {
            if let Some(q) = desk_core::db::submissions::fts_query(&text) {
                let r: rusqlite::Result<i64> =
                    c.query_row("SELECT count(*) FROM t WHERE t MATCH ?1", [&q], |r| {
                        r.get(0)
                    });
                prop_assert!(r.is_ok(), "{text:?} → {q:?}: {r:?}");
            }
            Ok(())
        })
        .unwrap();
}

/// The export, end to end: a submission with any answers, stored in a real cache (an account
/// and a form made through desk-core against the simulator), exported as JSON and as CSV by
/// `db::export::export` and read back, gives back every answer — the CSV cell with the `'` the
/// export puts before a leading `=`, `+`, `-`, `@`, tab or CR that is not a number.
#[test]
fn exports_round_trip_every_answer() {
    use desk_core::db::export::{export, CsvOptions, ExportFormat};
    use desk_core::db::submissions::{upsert_submissions, AnswerRow, SubmissionRecord};
    use std::sync::Arc;

    let rt = tokio::runtime::Runtime::new().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let (_sim, core, account, form_id) = rt.block_on(async {
        let sim = penneo_sim::Sim::start(penneo_sim::SimConfig::default())
            .await
            .unwrap();
        let mut cfg = desk_core::DeskConfig::new(dir.path(), Arc::new(NoBrowser));
        cfg.secrets = Some(Arc::new(desk_core::secret_store::FileSecretStore::new(
            dir.path(),
        )));
        let core = desk_core::DeskCore::open(cfg).await.unwrap();
        let acc = core
            .add_account(desk_core::use_cases::NewAccount {
                label: "Sim".into(),
                environment: desk_core::db::accounts::Environment::Custom,
                oauth_host: Some(sim.base_url()),
                api_host: Some(sim.base_url()),
                auth: desk_core::use_cases::AuthInput::ApiKey {
                    client_id: penneo_sim::DEMO_CLIENT_ID.into(),
                    client_secret: desk_core::Secret::new(penneo_sim::DEMO_CLIENT_SECRET),
                    api_key: penneo_sim::DEMO_API_KEY.into(),
                    api_secret: desk_core::Secret::new(penneo_sim::DEMO_API_SECRET),
                },
            })
            .await
            .unwrap();
        core.sign_in(&acc.id, &tokio_util::sync::CancellationToken::new())
            .await
            .unwrap();
        let def: penneo::FormDefinition = serde_json::from_value(serde_json::json!({
            "name": "Export", "language": "EN",
            "sections": [{"slug": "s", "title": "S", "fields": [
                {"name": "a", "label": "A", "type": "TEXT"}]}]
        }))
        .unwrap();
        let form = core.create_form(def, true).await.unwrap();
        (sim, core, acc.id, form.form_id)
    });
    let risky = |v: &str| {
        v.starts_with(['=', '+', '-', '@', '\t', '\r'])
            && v.trim().parse::<f64>().map_or(true, |n| !n.is_finite())
    };
    let n = std::cell::Cell::new(0u64);
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig {
        cases: (cases() / 10).max(50),
        ..config()
    });
    runner
        .run(
            &prop::collection::btree_map("[a-z][a-z0-9_]{0,5}", nasty_text(), 1..6),
            |answers| {
                n.set(n.get() + 1);
                let sub = SubmissionRecord {
                    submission_id: format!("p{}", n.get()),
                    form_id: form_id.clone(),
                    casefile_id: None,
                    request_id: None,
                    version: Some(1),
                    completed_at: "2026-01-01T00:00:00Z".into(),
                    respondent_name: None,
                    respondent_email: None,
                    answers_json: None,
                    answers: answers
                        .iter()
                        .map(|(k, v)| AnswerRow {
                            section_slug: "s".into(),
                            instance_index: 0,
                            field_name: k.clone(),
                            label: None,
                            field_type: Some("TEXT".into()),
                            value_text: Some(v.clone()),
                        })
                        .collect(),
                };
                let q = desk_core::db::submissions::SubmissionQuery {
                    form_id: form_id.clone(),
                    ..Default::default()
                };
                let json_path = out.path().join("e.json");
                let csv_path = out.path().join("e.csv");
                let opts = CsvOptions {
                    delimiter: None,
                    language: "en".into(),
                };
                core.db()
                    .call_blocking(|c| {
                        // Each case starts from an empty cache: the submissions and the field
                        // names the last case brought (a form's names stay while its account does,
                        // and each stored submission gets a values row per name).
                        c.execute("DELETE FROM submissions WHERE account_id=?1", [&account])?;
                        c.execute("DELETE FROM form_fields WHERE account_id=?1", [&account])?;
                        upsert_submissions(c, &account, std::slice::from_ref(&sub))?;
                        export(c, &account, &q, ExportFormat::Json, &opts, &json_path)?;
                        export(c, &account, &q, ExportFormat::Csv, &opts, &csv_path)?;
                        Ok(())
                    })
                    .unwrap();
                // JSON: the answers object is the answers.
                let list: Vec<Value> =
                    serde_json::from_slice(&std::fs::read(&json_path).unwrap()).unwrap();
                prop_assert_eq!(list.len(), 1);
                let got: std::collections::BTreeMap<String, String> =
                    serde_json::from_value(list[0]["answers"].clone()).unwrap();
                prop_assert_eq!(&got, &answers);
                // CSV: the header names every field once, the row has every value.
                let mut rd = csv::ReaderBuilder::new()
                    .has_headers(false)
                    .from_path(&csv_path)
                    .unwrap();
                let recs: Vec<csv::StringRecord> = rd.records().map(|r| r.unwrap()).collect();
                prop_assert_eq!(recs.len(), 2);
                let header: Vec<&str> = recs[0].iter().collect();
                for (k, v) in &answers {
                    let i = header.iter().position(|h| h == k);
                    prop_assert!(i.is_some(), "no column {k:?} in {header:?}");
                    let want = if risky(v) { format!("'{v}") } else { v.clone() };
                    prop_assert_eq!(recs[1].get(i.unwrap()), Some(want.as_str()), "column {}", k);
                }
                Ok(())
            },
        )
        .unwrap();
    rt.block_on(core.shutdown());
}

struct NoBrowser;

impl desk_core::signin::BrowserOpener for NoBrowser {
    fn open(&self, _url: &url::Url) -> desk_core::Result<()> {
        Ok(())
    }
}

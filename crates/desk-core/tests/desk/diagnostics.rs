//! The diagnostics recorder on the simulator's demo workspace: a sign-in, a full sync and a
//! casefile detail read are recorded, saved, and no personal value of the seed (names, e-mail
//! addresses, CPR/CVR numbers, phone numbers) and no secret (client secret, tokens) survives in
//! the file — while the file still shows what was called and what came back.

use std::sync::Arc;

use crate::common::*;
use desk_core::db::casefiles::CasefileQuery;
use desk_core::db::submissions::SubmissionQuery;
use penneo_sim::Seed;
use tokio_util::sync::CancellationToken;

#[tokio::test]
async fn a_recording_of_the_demo_keeps_nothing_personal() {
    let sim = sim(Seed::Demo, true).await;
    let dir = tempfile::tempdir().unwrap();
    let core = core(dir.path(), Arc::new(FollowingBrowser)).await;
    let acc = core.add_account(oauth_account(&sim, 0)).await.unwrap();
    assert!(!core.recording_status().recording);

    // Off: nothing is recorded.
    core.sign_in(&acc.id, &CancellationToken::new())
        .await
        .unwrap();
    core.sync_forms(&|_| {}).await.unwrap();
    assert_eq!(core.recording_status().exchanges, 0);

    let status = core.start_recording();
    assert!(status.recording && status.exchanges == 0);
    // A fresh sign-in (code exchange: secrets and tokens in both directions), a full sync and a
    // casefile detail read.
    core.sign_in(&acc.id, &CancellationToken::new())
        .await
        .unwrap();
    let report = core.sync_all(&|_| {}).await.unwrap();
    assert_eq!(report.submissions, 44, "{report:?}");
    let casefiles = core
        .list_casefiles(CasefileQuery {
            limit: Some(500),
            ..Default::default()
        })
        .await
        .unwrap();
    let with_signers = casefiles.result[0].casefile_id;
    let detail = core.get_casefile(with_signers, true).await.unwrap();
    let stopped = core.stop_recording();
    assert!(!stopped.recording);
    assert!(stopped.exchanges > 50, "{stopped:?}");
    // Stopped: no more.
    core.get_casefile(with_signers, true).await.unwrap();
    assert_eq!(core.recording_status().exchanges, stopped.exchanges);

    let file = dir.path().join("exchanges.json");
    let n = core.save_recording(file.clone()).await.unwrap();
    assert_eq!(n, stopped.exchanges);
    let text = std::fs::read_to_string(&file).unwrap();
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    let exchanges = doc["exchanges"].as_array().unwrap();

    // What a recording is for: operations, paths, statuses and bodies are there.
    let ops: std::collections::BTreeSet<&str> = exchanges
        .iter()
        .map(|e| e["operation"].as_str().unwrap())
        .collect();
    for op in [
        "token",
        "list_forms",
        "list_submissions",
        "submission_answers",
        "list_casefiles",
        "get_casefile",
    ] {
        assert!(ops.contains(op), "{op} in {ops:?}");
    }
    let detail_read = exchanges
        .iter()
        .rev()
        .find(|e| e["operation"] == "get_casefile")
        .unwrap();
    assert_eq!(detail_read["status"], 200);
    assert_eq!(detail_read["response"]["body"]["id"], with_signers);
    assert!(detail_read["url"]
        .as_str()
        .unwrap()
        .ends_with(&format!("/api/v1/casefiles/{with_signers}")));
    let auth = detail_read["request"]["headers"]["authorization"]
        .as_str()
        .unwrap();
    assert!(auth.starts_with("<redacted:"), "{auth}");

    // Everything personal the workspace holds, read from the local cache (unredacted).
    let mut personal: Vec<String> = vec![
        penneo_sim::DEMO_USER_NAME.into(),
        penneo_sim::DEMO_USER_EMAIL.into(),
        penneo_sim::DEMO_CLIENT_SECRET.into(),
    ];
    let forms = core.list_forms(Default::default()).await.unwrap();
    for f in &forms.result {
        let rows = core
            .list_submissions(SubmissionQuery {
                form_id: f.form_id.clone(),
                limit: Some(1000),
                ..Default::default()
            })
            .await
            .unwrap();
        for r in &rows.result {
            personal.extend(r.respondent_name.clone());
            personal.extend(r.respondent_email.clone());
            let d = core.get_submission(&r.submission_id).await.unwrap();
            for a in &d.answers {
                let personal_type = matches!(
                    a.field_type.as_deref(),
                    Some("NIN" | "BUSINESS_ID" | "EMAIL" | "PHONE")
                );
                if personal_type {
                    personal.extend(a.value_text.clone());
                }
            }
        }
    }
    for c in &casefiles.result {
        let cf = core.get_casefile(c.casefile_id, false).await.unwrap();
        for s in &cf.signers {
            personal.extend(s.name.clone());
            personal.extend(s.email.clone());
        }
    }
    for s in &detail.signers {
        personal.extend(s.name.clone());
        personal.extend(s.email.clone());
    }
    // The refresh token the sign-in stored.
    let secrets = std::fs::read_to_string(dir.path().join("secrets.json")).unwrap();
    let secrets: serde_json::Value = serde_json::from_str(&secrets).unwrap();
    let mut stored_secrets = Vec::new();
    fn strings(v: &serde_json::Value, out: &mut Vec<String>) {
        match v {
            serde_json::Value::String(s) => out.push(s.clone()),
            serde_json::Value::Array(a) => a.iter().for_each(|x| strings(x, out)),
            serde_json::Value::Object(o) => o.values().for_each(|x| strings(x, out)),
            _ => {}
        }
    }
    strings(&secrets, &mut stored_secrets);
    personal.extend(stored_secrets.into_iter().filter(|s| s.len() >= 12));
    personal.retain(|p| p.trim().chars().count() >= 4);
    personal.sort();
    personal.dedup();
    assert!(
        personal.len() > 80,
        "the demo has plenty of personal data to look for ({})",
        personal.len()
    );
    assert!(
        personal.iter().any(|p| p.contains('@')),
        "e-mail addresses among them"
    );
    assert!(
        personal
            .iter()
            .any(|p| p.chars().filter(char::is_ascii_digit).count() >= 8),
        "CPR/CVR-like numbers among them"
    );
    let survivors: Vec<&String> = personal
        .iter()
        .filter(|p| text.contains(p.as_str()))
        .collect();
    assert!(survivors.is_empty(), "survived redaction: {survivors:?}");
    // Tokens: every token-ish value in the recording is a placeholder.
    assert!(!text.contains("sim_at_"), "an access token survived");
    assert!(!text.contains("sim_rt_"), "a refresh token survived");
    assert!(
        !text.contains("sim_code_"),
        "an authorization code survived"
    );
}

//! The simulator itself: faults and the request log, persistence across a restart, the demo
//! seed, the remaining endpoints and the control API, stopping.

use penneo_sim::SimConfig;
use serde_json::{json, Value};

use crate::collect::active_form;
use crate::common::*;
use crate::sign::fetch;

#[tokio::test]
async fn faults_and_request_log() {
    let t = start().await;
    let tok = t.api_key_token().await;
    let (st, _) = t
        .control(
            "/_sim/faults",
            json!({"pathPrefix": "/collect/", "status": 503, "retryAfter": 7, "count": 2}),
        )
        .await;
    assert_eq!(st, 201);
    for _ in 0..2 {
        let r = t
            .http
            .get(t.url("/collect/api/v1/forms"))
            .bearer_auth(&tok)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 503);
        assert_eq!(r.headers()["retry-after"], "7");
    }
    assert_eq!(
        t.get(&tok, "/collect/api/v1/forms").await.0,
        200,
        "count exhausted"
    );
    // Drop the connection.
    t.control(
        "/_sim/faults",
        json!({"pathPrefix": "/api/v1/casefiles", "dropConnection": true, "count": 1}),
    )
    .await;
    let res = async {
        t.http
            .get(t.url("/api/v1/casefiles"))
            .bearer_auth(&tok)
            .send()
            .await?
            .bytes()
            .await
    }
    .await;
    assert!(res.is_err(), "connection must break");
    assert_eq!(t.get(&tok, "/api/v1/casefiles").await.0, 200);
    // Delay then pass through.
    t.control(
        "/_sim/faults",
        json!({"pathPrefix": "/api/v1/casefiles", "delayMs": 50, "count": 1}),
    )
    .await;
    assert_eq!(t.get(&tok, "/api/v1/casefiles").await.0, 200);
    // A fault for one method leaves the others alone (a list read does not use up a fault meant
    // for the upload beside it).
    t.control(
        "/_sim/faults",
        json!({"pathPrefix": "/collect/api/v1/forms", "method": "post", "status": 500, "count": 1}),
    )
    .await;
    assert_eq!(t.get(&tok, "/collect/api/v1/forms").await.0, 200);
    let (_, faults) = T::json(t.http.get(t.url("/_sim/faults")).send().await.unwrap()).await;
    assert_eq!(faults["items"][0]["method"], "POST");
    assert_eq!(
        faults["items"][0]["remaining"], 1,
        "the GET did not use it up"
    );
    let r = t
        .http
        .post(t.url("/collect/api/v1/forms"))
        .bearer_auth(&tok)
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 500);
    assert_eq!(
        t.control("/_sim/faults", json!({"status": 500})).await.0,
        400
    );
    assert_eq!(
        t.control("/_sim/faults", json!({"pathPrefix": "/x", "method": "P O"}))
            .await
            .0,
        400
    );
    // The log masks secrets.
    let (_, log) = T::json(t.http.get(t.url("/_sim/log")).send().await.unwrap()).await;
    let items = log["items"].as_array().unwrap();
    assert!(items.len() > 5);
    let text = log.to_string();
    assert!(!text.contains(&tok), "access token leaked into the log");
    let e = items
        .iter()
        .find(|e| e["path"] == "/collect/api/v1/forms")
        .unwrap();
    assert!(e["headers"]["authorization"]
        .as_str()
        .unwrap()
        .starts_with("Bearer "));
    assert!(e["headers"]["authorization"]
        .as_str()
        .unwrap()
        .ends_with("***"));
    assert_eq!(e["method"], "GET");
    // Responses carry X-Penneo-Request-Id, and the log records it.
    let r = t.http.get(t.url("/_sim/clock")).send().await.unwrap();
    let rid = r.headers()["x-penneo-request-id"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(r.headers().contains_key("x-b3-traceid"));
    let (_, log) = T::json(t.http.get(t.url("/_sim/log")).send().await.unwrap()).await;
    assert!(log["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["requestId"] == rid));
    assert!(items.iter().any(|e| e["status"] == 503));
}

#[tokio::test]
async fn persistence_across_restart() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("state.json");
    let cfg = || SimConfig {
        state_file: Some(file.clone()),
        job_delay_ms: 0,
        auto_approve: true,
        ..Default::default()
    };
    let mut t = start_with(cfg()).await;
    let tok = t.api_key_token().await;
    let id = active_form(&t, &tok).await;
    let cf = t.send_casefile(&tok, "Persist me", 1).await;
    t.control(&format!("/_sim/casefiles/{cf}/sign-all"), json!(null))
        .await;
    t.wait_status(&tok, cf, 5).await;
    let (_, c) = t.get(&tok, &format!("/api/v1/casefiles/{cf}")).await;
    let doc = c["documents"][0]["id"].as_u64().unwrap();
    let (_, _, sealed) = fetch(
        &t,
        &tok,
        &format!("/api/v3/documents/{doc}/content"),
        "application/pdf",
    )
    .await;
    t.sim.take().unwrap().shutdown().await;
    assert!(file.exists());
    let t2 = start_with(cfg()).await;
    // The access token survived, and so did everything else.
    let (st, f) = t2.get(&tok, &format!("/collect/api/v1/forms/{id}")).await;
    assert_eq!(st, 200);
    assert_eq!(f["status"], "ACTIVE");
    assert_eq!(
        t2.get(&tok, &format!("/api/v1/casefiles/{cf}")).await.1["status"],
        5
    );
    let (_, _, sealed2) = fetch(
        &t2,
        &tok,
        &format!("/api/v3/documents/{doc}/content"),
        "application/pdf",
    )
    .await;
    assert_eq!(sealed, sealed2);
    // New ids continue after the old ones.
    let cf2 = t2.send_casefile(&tok, "After restart", 1).await;
    assert!(cf2 > cf);
    // The state file is valid JSON (atomic writes leave no partial file).
    let _: Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
}

#[tokio::test]
async fn demo_seed_is_believable_and_deterministic() {
    let a = start_with(SimConfig {
        seed: penneo_sim::Seed::Demo,
        ..Default::default()
    })
    .await;
    let b = start_with(SimConfig {
        seed: penneo_sim::Seed::Demo,
        ..Default::default()
    })
    .await;
    let ta = a.api_key_token().await;
    let tb = b.api_key_token().await;
    let (_, fa) = a.get(&ta, "/collect/api/v1/forms?sort=name").await;
    let (_, fb) = b.get(&tb, "/collect/api/v1/forms?sort=name").await;
    let forms = fa["items"].as_array().unwrap();
    assert!(forms.len() >= 6);
    let statuses: std::collections::BTreeSet<&str> = forms
        .iter()
        .map(|f| f["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses.len(), 3, "DRAFT, ACTIVE and ARCHIVED present");
    let names = |v: &Value| {
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["name"].clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(names(&fa), names(&fb));
    let mut subs = 0;
    for f in forms {
        let (_, l) = a
            .get(
                &ta,
                &format!(
                    "/collect/api/v1/forms/{}/submissions?limit=1000",
                    f["formId"].as_str().unwrap()
                ),
            )
            .await;
        let items = l["items"].as_array().unwrap();
        subs += items.len();
        if let Some(s) = items.first() {
            let (st, ans) = a
                .get(
                    &ta,
                    &format!(
                        "/collect/api/v1/forms/{}/submissions/{}/answers",
                        f["formId"].as_str().unwrap(),
                        s["submissionId"].as_str().unwrap()
                    ),
                )
                .await;
            assert_eq!(st, 200);
            assert!(!ans["sections"].as_array().unwrap().is_empty());
        }
    }
    assert!(subs >= 40, "{subs} submissions");
    let (_, cfs) = a.get(&ta, "/api/v1/casefiles").await;
    let cfs = cfs.as_array().unwrap();
    assert!(cfs.len() >= 15);
    let st: std::collections::BTreeSet<u64> =
        cfs.iter().map(|c| c["status"].as_u64().unwrap()).collect();
    assert_eq!(st, (0..=8).collect(), "every status");
    // A rejected casefile's rejecting signer acted in turn: every signer of an earlier step had
    // signed (SDK numbering: 4 signed, 2 rejected). Sign orders live on the signature lines.
    for cf in cfs.iter().filter(|c| c["status"] == 2) {
        let lines: Vec<&Value> = cf["documents"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|d| d["signatureLines"].as_array().unwrap())
            .collect();
        let order = |s: &Value| {
            lines
                .iter()
                .find(|l| l["signerId"] == s["id"])
                .and_then(|l| l["signOrder"].as_i64())
                .unwrap_or(0)
        };
        let code = |s: &Value| s["signingRequest"]["status"].as_u64();
        let signers = cf["signers"].as_array().unwrap();
        let rejecter = signers.iter().find(|s| code(s) == Some(2)).unwrap();
        for s in signers.iter().filter(|s| order(s) < order(rejecter)) {
            assert_eq!(code(s), Some(4), "{cf}");
        }
    }
    let done = cfs.iter().find(|c| c["status"] == 5).unwrap();
    let doc = done["documents"][0]["id"].as_u64().unwrap();
    let (code, _, bytes) = fetch(
        &a,
        &ta,
        &format!("/api/v3/documents/{doc}/content"),
        "application/pdf",
    )
    .await;
    assert_eq!(code, 200);
    lopdf::Document::load_mem(&bytes).unwrap();
}

#[tokio::test]
async fn remaining_endpoints_v1_requests_public_page_documents_and_control() {
    let t = start().await;
    let tok = t.api_key_token().await;
    let id = active_form(&t, &tok).await;
    // v1 flat prefill body.
    let (st, r) = t.post(&tok, &format!("/collect/api/v1/forms/{id}/requests"), json!({"answers": {"full_name": {"value": "Flat Person", "editable": false}, "email": {"value": "flat@example.org"}, "kind": {"value": "person"}}})).await;
    assert_eq!(st, 200, "{r}");
    let rid = r["requestId"].as_str().unwrap().to_string();
    let (st, e) = t
        .post(
            &tok,
            &format!("/collect/api/v1/forms/{id}/requests"),
            json!({"answers": {"nope": {"value": 1}}}),
        )
        .await;
    assert_eq!(
        (st.as_u16(), e["message"].as_str()),
        (400, Some("Unknown field 'nope'"))
    );
    let (st, sub) = t
        .control(
            &format!("/_sim/requests/{rid}/submit"),
            json!({"answers": {"refs": [{"ref_name": {"value": "Ref"}}]}}),
        )
        .await;
    assert_eq!(st, 200, "{sub}");
    // v2 request answers path as well.
    let (st, a) = t
        .get(
            &tok,
            &format!("/collect/api/v2/forms/{id}/requests/{rid}/answers"),
        )
        .await;
    assert_eq!(st, 200);
    assert_eq!(a["respondents"][0]["email"], "flat@example.org");
    // Public form page (no prefill) creates a submission without a request.
    let (_, f) = t.get(&tok, &format!("/collect/api/v1/forms/{id}")).await;
    let public = f["publicUrl"].as_str().unwrap().to_string();
    let html = t
        .http
        .get(&public)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("name=\"contact.0.full_name\""));
    let r = t
        .http
        .post(&public)
        .form(&[
            ("contact.0.full_name", "Walk In"),
            ("contact.0.email", "walk@example.org"),
            ("contact.0.kind", "company"),
            ("contact.0.cvr", "DK11223344"),
            ("refs.0.ref_name", "R"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let (_, l) = t
        .get(&tok, &format!("/collect/api/v1/forms/{id}/submissions"))
        .await;
    assert_eq!(l["items"].as_array().unwrap().len(), 2);
    assert!(l["items"][1].get("requestId").is_none());
    // Documents of a casefile, a single document, and the signing page's document view.
    let cf = sub["casefileId"].as_u64().unwrap();
    let (st, docs) = t
        .get(&tok, &format!("/api/v1/casefiles/{cf}/documents"))
        .await;
    assert_eq!(st, 200);
    let doc = docs[0]["id"].as_u64().unwrap();
    let (st, d) = t.get(&tok, &format!("/api/v1/documents/{doc}")).await;
    assert_eq!(
        (
            st.as_u16(),
            d["caseFileId"].as_u64(),
            d["signable"].as_bool()
        ),
        (200, Some(cf), Some(true))
    );
    let (_, c) = t.get(&tok, &format!("/api/v3/casefiles/{cf}")).await;
    let link = t.signing_link(&tok, &c, 0).await;
    let r = t
        .http
        .get(format!("{link}/documents/{doc}"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["content-type"], "application/pdf");
    assert!(r.bytes().await.unwrap().starts_with(b"%PDF-"));
    assert_eq!(
        t.http
            .get(format!("{link}/documents/1"))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    // Control API odds and ends.
    let (st, clock) = T::json(t.http.get(t.url("/_sim/clock")).send().await.unwrap()).await;
    assert_eq!(st, 200);
    assert!(clock["now"].as_i64().unwrap() > 1_700_000_000);
    assert_eq!(
        t.control("/_sim/clock/advance", json!({"seconds": -5}))
            .await
            .0,
        400
    );
    let (st, info) = T::json(t.http.get(t.url("/_sim/info")).send().await.unwrap()).await;
    assert_eq!((st.as_u16(), info["submissions"].as_u64()), (200, Some(2)));
    t.control(
        "/_sim/faults",
        json!({"pathPrefix": "/x", "status": 500, "count": 3}),
    )
    .await;
    let (_, faults) = T::json(t.http.get(t.url("/_sim/faults")).send().await.unwrap()).await;
    assert_eq!(faults["items"][0]["remaining"], 3);
    assert_eq!(
        t.http
            .delete(t.url("/_sim/faults"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    let (_, faults) = T::json(t.http.get(t.url("/_sim/faults")).send().await.unwrap()).await;
    assert_eq!(faults["items"].as_array().unwrap().len(), 0);
    assert_eq!(
        t.http
            .delete(t.url("/_sim/log"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    let (_, log) = T::json(t.http.get(t.url("/_sim/log")).send().await.unwrap()).await;
    assert!(log["items"].as_array().unwrap().len() <= 1);
}

#[tokio::test]
async fn dropping_the_handle_stops_the_server() {
    let mut t = start().await;
    let addr = t.sim.as_ref().unwrap().addr();
    assert_eq!(
        t.sim.as_ref().unwrap().url().as_str(),
        format!("http://{addr}/")
    );
    assert_eq!(
        t.http
            .get(t.url("/_sim/clock"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    drop(t.sim.take());
    let mut refused = false;
    for _ in 0..50 {
        if tokio::net::TcpStream::connect(addr).await.is_err() {
            refused = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert!(refused, "listener still accepting after drop");
}

//! Send: the job lifecycle, payload hash, duplicates, the status rate limit.

use penneo_sim::SimConfig;
use serde_json::{json, Value};
use sha2::Digest as _;

use crate::common::*;

#[tokio::test]
async fn send_job_lifecycle_hash_and_duplicates() {
    // A long job delay so that real time passing during the test cannot move the job along.
    let t = start_with(SimConfig {
        job_delay_ms: 60_000,
        auto_approve: true,
        ..Default::default()
    })
    .await;
    let tok = t.api_key_token().await;
    let data = json!({"caseFile": {"title": "Framework agreement", "language": "da", "reference": "CRM-1",
        "signers": [{"name": "Ida Holm", "email": "ida@example.org", "role": "customer", "signOrder": 0},
                    {"name": "Mark Berg", "email": "mark@example.org", "role": "supplier", "signOrder": 1}],
        "documents": [{"title": "Agreement", "name": "agreement.pdf", "documentOrder": 0},
                      {"title": "Prices", "name": "prices.pdf", "signable": false, "documentOrder": 1}]}}).to_string();
    let files: [(&str, &[u8]); 2] = [("agreement.pdf", &pdf("A")), ("prices.pdf", &pdf("P"))];
    let (st, v) = t.create_casefile(&tok, &data, &files).await;
    assert_eq!(st, 200, "{v}");
    assert_eq!(v["status"], "handled");
    let uuid = v["jobs"][0]["uuid"].as_str().unwrap().to_string();
    let hash = v["jobs"][0]["payloadHash"].as_str().unwrap().to_string();
    assert_eq!(hash, hex::encode(sha2::Sha256::digest(data.as_bytes())));
    let (_, j) = t.job(&uuid, &hash).await;
    assert_eq!(j["jobStatus"], "pending");
    assert_eq!(j["result"], Value::Null);
    assert_eq!(j["type"], "casefile_creation");
    assert_eq!(j["payload"]["caseFile"]["title"], "Framework agreement");
    // A duplicate while the first is live.
    let (_, d) = t.create_casefile(&tok, &data, &files).await;
    let (_, dj) = t
        .job(
            d["jobs"][0]["uuid"].as_str().unwrap(),
            d["jobs"][0]["payloadHash"].as_str().unwrap(),
        )
        .await;
    assert_eq!(dj["jobStatus"], "aborted_duplicated");
    t.advance(31.0).await;
    let (_, j) = t.job(&uuid, &hash).await;
    assert_eq!(j["jobStatus"], "processing");
    t.advance(30.0).await;
    let (_, j) = t.job(&uuid, &hash).await;
    assert_eq!(j["jobStatus"], "completed", "{j}");
    let links = j["result"]["data"]["signingLinks"].as_array().unwrap();
    assert_eq!(links.len(), 2);
    assert_eq!(links[0]["role"], "customer");
    let id = j["result"]["data"]["caseFile"]["id"].as_u64().unwrap();
    let (_, c) = t.get(&tok, &format!("/api/v1/casefiles/{id}")).await;
    assert_eq!(c["status"], 1);
    assert_eq!(c["documents"].as_array().unwrap().len(), 2);
    assert_eq!(c["documents"][1]["signable"], false);
    // Wrong hash -> 404.
    assert_eq!(t.job(&uuid, "0000").await.0, 404);
    // A damaged PDF (header but truncated) makes the job fail.
    let bad = json!({"caseFile": {"title": "Broken", "signers": [{"name": "A"}], "documents": [{"title": "B", "name": "b.pdf"}]}}).to_string();
    let (_, v) = t
        .create_casefile(&tok, &bad, &[("b.pdf", b"%PDF-1.4 truncated")])
        .await;
    t.advance(61.0).await;
    let (_, j) = t
        .job(
            v["jobs"][0]["uuid"].as_str().unwrap(),
            v["jobs"][0]["payloadHash"].as_str().unwrap(),
        )
        .await;
    assert_eq!(j["jobStatus"], "failed");
    assert!(j["errorMessage"].as_str().unwrap().contains("b.pdf"));
}

#[tokio::test]
async fn job_status_rate_limit() {
    let t = start().await;
    let tok = t.api_key_token().await;
    let data = json!({"caseFile": {"title": "Rate", "signers": [{"name": "A"}], "documents": [{"title": "D", "name": "d.pdf"}]}}).to_string();
    let (_, v) = t
        .create_casefile(&tok, &data, &[("d.pdf", &pdf("D"))])
        .await;
    let (uuid, hash) = (
        v["jobs"][0]["uuid"].as_str().unwrap().to_string(),
        v["jobs"][0]["payloadHash"].as_str().unwrap().to_string(),
    );
    for i in 0..20 {
        assert_eq!(t.job(&uuid, &hash).await.0, 200, "poll {i}");
    }
    let r = t
        .http
        .post(t.url("/send/api/v1/queue/public/status"))
        .json(&json!({"uuid": uuid, "payloadHash": hash}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 429);
    let ra: u64 = r.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&ra));
    let e: Value = r.json().await.unwrap();
    assert_eq!(e["statusCode"], 429);
    t.advance(61.0).await;
    assert_eq!(t.job(&uuid, &hash).await.0, 200);
}

//! Sign: sealing and content negotiation, sign order, reject, delete, the signing page,
//! expiry, the casefile list.

use base64::Engine;
use serde_json::{json, Value};

use crate::common::*;

pub(crate) async fn fetch(
    t: &T,
    tok: &str,
    path: &str,
    accept: &str,
) -> (u16, Option<String>, Vec<u8>) {
    let r = t
        .http
        .get(t.url(path))
        .bearer_auth(tok)
        .header("Accept", accept)
        .send()
        .await
        .unwrap();
    let st = r.status().as_u16();
    let ct = r
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_string());
    (st, ct, r.bytes().await.unwrap().to_vec())
}

#[tokio::test]
async fn sign_all_seals_documents_and_content_negotiation() {
    let t = start().await;
    let tok = t.api_key_token().await;
    let id = t.send_casefile(&tok, "Seal me", 2).await;
    let (st, c) = t
        .control(&format!("/_sim/casefiles/{id}/sign-all"), json!(null))
        .await;
    assert_eq!(st, 200);
    assert!(c["status"] == 4 || c["status"] == 5);
    let c = t.wait_status(&tok, id, 5).await;
    assert!(c["completed"].as_i64().is_some());
    assert!(
        c["signers"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["signingRequest"]["status"] == 4),
        "signed, in the SDK numbering"
    );
    let doc = c["documents"][0]["id"].as_u64().unwrap();
    let p = format!("/api/v3/documents/{doc}/content");
    let (st, ct, sealed) = fetch(&t, &tok, &p, "application/pdf").await;
    assert_eq!((st, ct.as_deref()), (200, Some("application/pdf")));
    assert!(sealed.starts_with(b"%PDF-"));
    let (_, _, original) = fetch(&t, &tok, &format!("{p}?signed=false"), "application/pdf").await;
    assert_eq!(original, pdf("Agreement"));
    assert_ne!(sealed, original);
    let sealed_doc = lopdf::Document::load_mem(&sealed).unwrap();
    assert_eq!(
        sealed_doc.get_pages().len(),
        2,
        "a signature page was appended"
    );
    let text = sealed_doc.extract_text(&[2]).unwrap();
    assert!(
        text.contains("Signer 0") && text.contains("Signer 1"),
        "{text}"
    );
    let (st, ct, body) = fetch(&t, &tok, &p, "application/json").await;
    assert_eq!((st, ct.as_deref()), (200, Some("application/json")));
    let v: Value = serde_json::from_slice(&body).unwrap();
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(v["content"].as_str().unwrap())
        .unwrap();
    assert_eq!(decoded, sealed);
    assert_eq!(fetch(&t, &tok, &p, "text/html").await.0, 406);
    assert_eq!(
        fetch(&t, &tok, &format!("{p}?signed=maybe"), "application/pdf")
            .await
            .0,
        400
    );
    assert_eq!(
        fetch(&t, &tok, "/api/v3/documents/1/content", "application/pdf")
            .await
            .0,
        404
    );
    // Signing a completed casefile conflicts.
    assert_eq!(
        t.control(&format!("/_sim/casefiles/{id}/sign-all"), json!(null))
            .await
            .0,
        409
    );
}

#[tokio::test]
async fn sign_order_reject_delete_and_signing_page() {
    let t = start().await;
    let tok = t.api_key_token().await;
    let id = t.send_casefile(&tok, "Order", 2).await;
    let (_, c) = t.get(&tok, &format!("/api/v1/casefiles/{id}")).await;
    let s0 = c["signers"][0]["id"].as_u64().unwrap();
    let s1 = c["signers"][1]["id"].as_u64().unwrap();
    // Signer 1 must wait for signer 0.
    let (st, _) = t
        .control(
            &format!("/_sim/casefiles/{id}/signers/{s1}/sign"),
            json!(null),
        )
        .await;
    assert_eq!(st, 409);
    let (st, c) = t
        .control(
            &format!("/_sim/casefiles/{id}/signers/{s0}/sign"),
            json!(null),
        )
        .await;
    assert_eq!(st, 200);
    assert_eq!(
        c["signers"][0]["signingRequest"]["status"], 4,
        "signed (SDK numbering)"
    );
    assert_eq!(c["status"], 1);
    let (st, c) = t
        .control(
            &format!("/_sim/casefiles/{id}/signers/{s1}/reject"),
            json!({"reason": "Wrong price"}),
        )
        .await;
    assert_eq!(st, 200);
    assert_eq!(c["status"], 2);
    assert_eq!(
        c["signers"][1]["signingRequest"]["status"], 2,
        "rejected (SDK numbering)"
    );
    assert_eq!(
        t.control(
            &format!("/_sim/casefiles/{id}/signers/999/sign"),
            json!(null)
        )
        .await
        .0,
        404
    );
    assert_eq!(
        t.control("/_sim/casefiles/42/sign-all", json!(null))
            .await
            .0,
        404
    );
    // Signing page: reject through the browser page.
    let id2 = t.send_casefile(&tok, "Page", 1).await;
    let (_, c) = t.get(&tok, &format!("/api/v1/casefiles/{id2}")).await;
    let link = t.signing_link(&tok, &c, 0).await;
    let html = t
        .http
        .get(&link)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("Page") && html.contains("id=\"reject\""));
    let (_, c) = t.get(&tok, &format!("/api/v1/casefiles/{id2}")).await;
    assert_eq!(
        c["signers"][0]["signingRequest"]["status"], 1,
        "opened is still pending (SDK numbering)"
    );
    let r = t
        .http
        .post(format!("{link}/reject"))
        .form(&[("reason", "No")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let r = t
        .http
        .post(format!("{link}/sign"))
        .form(&[("x", "")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 409);
    // Delete: marked deleted (status 3) after sending.
    let r = t
        .http
        .delete(t.url(&format!("/api/v1/casefiles/{id2}")))
        .bearer_auth(&tok)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let (_, c) = t.get(&tok, &format!("/api/v1/casefiles/{id2}")).await;
    assert_eq!(c["status"], 3);
    // Status 0 (scheduled) casefiles are removed outright.
    let future = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
        + 86400 * 10;
    let data = json!({"caseFile": {"title": "Later", "sendAt": future, "signers": [{"name": "A"}], "documents": [{"title": "D", "name": "d.pdf"}]}}).to_string();
    let (_, v) = t
        .create_casefile(&tok, &data, &[("d.pdf", &pdf("D"))])
        .await;
    t.advance(2.0).await;
    let (_, j) = t
        .job(
            v["jobs"][0]["uuid"].as_str().unwrap(),
            v["jobs"][0]["payloadHash"].as_str().unwrap(),
        )
        .await;
    let id3 = j["result"]["data"]["caseFile"]["id"].as_u64().unwrap();
    assert_eq!(
        t.get(&tok, &format!("/api/v1/casefiles/{id3}")).await.1["status"],
        0
    );
    let r = t
        .http
        .delete(t.url(&format!("/api/v1/casefiles/{id3}")))
        .bearer_auth(&tok)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(
        t.get(&tok, &format!("/api/v1/casefiles/{id3}")).await.0,
        404
    );
    assert_eq!(
        t.http
            .delete(t.url("/api/v1/casefiles/12"))
            .bearer_auth(&tok)
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
}

#[tokio::test]
async fn expiry_via_clock() {
    let t = start().await;
    let tok = t.api_key_token().await;
    let (_, clock) = t
        .control("/_sim/clock/advance", json!({"seconds": 0}))
        .await;
    let expire = clock["now"].as_i64().unwrap() + 3600;
    let data = json!({"caseFile": {"title": "Expiring", "expireAt": expire, "signers": [{"name": "A"}], "documents": [{"title": "D", "name": "d.pdf"}]}}).to_string();
    let (_, v) = t
        .create_casefile(&tok, &data, &[("d.pdf", &pdf("D"))])
        .await;
    t.advance(2.0).await;
    let (_, j) = t
        .job(
            v["jobs"][0]["uuid"].as_str().unwrap(),
            v["jobs"][0]["payloadHash"].as_str().unwrap(),
        )
        .await;
    let id = j["result"]["data"]["caseFile"]["id"].as_u64().unwrap();
    assert_eq!(
        t.get(&tok, &format!("/api/v1/casefiles/{id}")).await.1["status"],
        1
    );
    t.advance(3601.0).await;
    let tok = t.api_key_token().await;
    assert_eq!(
        t.get(&tok, &format!("/api/v1/casefiles/{id}")).await.1["status"],
        7
    );
}

#[tokio::test]
async fn casefile_list_filters_and_link_pagination() {
    let t = start().await;
    let tok = t.api_key_token().await;
    let mut ids = vec![];
    for i in 0..5 {
        ids.push(t.send_casefile(&tok, &format!("List {i}"), 1).await);
    }
    t.control(&format!("/_sim/casefiles/{}/sign-all", ids[0]), json!(null))
        .await;
    t.wait_status(&tok, ids[0], 5).await;
    let (_, l) = t.get(&tok, "/api/v1/casefiles?status=5").await;
    assert_eq!(l.as_array().unwrap().len(), 1);
    let (_, l) = t.get(&tok, "/api/v1/casefiles?status=1&sort=-title").await;
    let titles: Vec<&str> = l
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles, ["List 4", "List 3", "List 2", "List 1"]);
    let (_, l) = t.get(&tok, "/api/v1/casefiles?title=list%203").await;
    assert_eq!(l.as_array().unwrap().len(), 1);
    let (_, l) = t
        .get(
            &tok,
            &format!("/api/v1/casefiles?ids={},{}", ids[1], ids[2]),
        )
        .await;
    assert_eq!(l.as_array().unwrap().len(), 2);
    let completed = t
        .get(&tok, &format!("/api/v1/casefiles/{}", ids[0]))
        .await
        .1["completed"]
        .as_i64()
        .unwrap();
    assert_eq!(
        t.get(
            &tok,
            &format!("/api/v1/casefiles?completedAfter={}", completed - 1)
        )
        .await
        .1
        .as_array()
        .unwrap()
        .len(),
        1
    );
    assert_eq!(
        t.get(
            &tok,
            &format!("/api/v1/casefiles?completedAfter={completed}")
        )
        .await
        .1
        .as_array()
        .unwrap()
        .len(),
        0
    );
    // x-paginate + Link.
    let mut seen = vec![];
    let mut next = Some("/api/v1/casefiles?per_page=2&sort=id".to_string());
    let mut pages = 0;
    while let Some(p) = next.take() {
        pages += 1;
        assert!(pages < 10);
        let r = t
            .http
            .get(t.url(&p))
            .bearer_auth(&tok)
            .header("x-paginate", "true")
            .send()
            .await
            .unwrap();
        let link = r
            .headers()
            .get("link")
            .unwrap()
            .to_str()
            .unwrap()
            .to_string();
        let body: Vec<Value> = r.json().await.unwrap();
        seen.extend(body.iter().map(|c| c["id"].as_u64().unwrap()));
        next = link
            .split(", ")
            .find(|l| l.ends_with("rel=\"next\""))
            .map(|l| {
                l.trim_start_matches('<')
                    .split('>')
                    .next()
                    .unwrap()
                    .to_string()
            });
    }
    assert_eq!(pages, 3);
    assert_eq!(seen, ids);
    for bad in [
        "status=9",
        "status=pending",
        "createdAfter=yesterday",
        "sort=colour",
        "ids=a,b",
    ] {
        assert_eq!(
            t.get(&tok, &format!("/api/v1/casefiles?{bad}")).await.0,
            400,
            "{bad}"
        );
    }
}

#[tokio::test]
async fn malformed_casefiles_ride_on_the_first_list_page() {
    let t = start().await;
    let tok = t.api_key_token().await;
    let id = t.send_casefile(&tok, "Readable", 1).await;
    let (st, v) = t.control("/_sim/casefiles/malformed", json!(null)).await;
    assert_eq!(st, 201, "{v}");
    assert_eq!(
        v["items"],
        json!([{"title": "Malformed casefile", "status": 1}])
    );
    let (st, v) = t
        .control("/_sim/casefiles/malformed", json!({"record": "garbage"}))
        .await;
    assert_eq!(st, 201);
    assert_eq!(v["items"].as_array().unwrap().len(), 2);
    // Plain list and every filter: the real casefile, then the injected records.
    let (_, l) = t.get(&tok, "/api/v1/casefiles?status=5").await;
    assert_eq!(
        l,
        json!([{"title": "Malformed casefile", "status": 1}, "garbage"])
    );
    let (_, l) = t.get(&tok, "/api/v3/casefiles").await;
    let l = l.as_array().unwrap();
    assert_eq!(l.len(), 3);
    assert_eq!(l[0]["id"], id);
    // Only the first page carries them.
    let (_, l) = t.get(&tok, "/api/v1/casefiles?offset=1").await;
    assert_eq!(l, json!([]));
    let page = |p: u32| {
        t.http
            .get(t.url(&format!("/api/v1/casefiles?per_page=1&page={p}")))
            .bearer_auth(&tok)
            .header("x-paginate", "true")
            .send()
    };
    let first: Vec<Value> = page(1).await.unwrap().json().await.unwrap();
    assert_eq!(first.len(), 3);
    let second: Vec<Value> = page(2).await.unwrap().json().await.unwrap();
    assert!(second.is_empty());
    // The body must be an object; DELETE takes them all away.
    let r = t
        .http
        .post(t.url("/_sim/casefiles/malformed"))
        .header("content-type", "application/json")
        .body("[1]")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let r = t
        .http
        .delete(t.url("/_sim/casefiles/malformed"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let (_, l) = t.get(&tok, "/api/v1/casefiles").await;
    assert_eq!(l.as_array().unwrap().len(), 1);
}

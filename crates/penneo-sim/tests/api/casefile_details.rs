//! Casefile details in Penneo's own shape (the connector definition's `CaseFileDetails`,
//! `SignerDetails`, `SigningRequestDetails`, `DocumentDetails`, `SignatureLineDetails`), the
//! signing link and reminder calls, and both signer status numberings.

use crate::common::*;
use penneo_sim::{SignerStatusScheme, SimConfig};
use serde_json::{json, Value};

async fn start_scheme(scheme: SignerStatusScheme) -> T {
    start_with(SimConfig {
        job_delay_ms: 1000,
        auto_approve: true,
        signer_status_scheme: scheme,
        ..Default::default()
    })
    .await
}

/// A casefile with two signers in two lanes; the first has options set.
async fn send_two(t: &T, tok: &str) -> u64 {
    let data = json!({"caseFile": {"title": "Engagement", "language": "da", "signers": [
        {"name": "Ida Holm", "email": "ida@example.org", "role": "Client", "signOrder": 1,
         "language": "en", "emailSubject": "Please sign", "accessControl": true,
         "secureSigningMethods": ["mitid.dk"], "storeAsContact": false, "ssnType": "dk:cpr",
         "vatin": "DK12345678", "onBehalfOf": "Holm ApS"},
        {"name": "Mark Berg", "email": "mark@example.org", "role": "Partner", "signOrder": 2}
    ], "documents": [
        {"title": "Letter", "name": "letter.pdf"},
        {"title": "Terms", "name": "terms.pdf", "signable": false},
        {"title": "Partner note", "name": "note.pdf", "roles": ["Partner"]}
    ]}})
    .to_string();
    let (l, tm, n) = (pdf("Letter"), pdf("Terms"), pdf("Note"));
    let (st, v) = t
        .create_casefile(
            tok,
            &data,
            &[
                ("letter.pdf", &l[..]),
                ("terms.pdf", &tm[..]),
                ("note.pdf", &n[..]),
            ],
        )
        .await;
    assert_eq!(st, 200, "{v}");
    t.advance(5.0).await;
    let (_, j) = t
        .job(
            v["jobs"][0]["uuid"].as_str().unwrap(),
            v["jobs"][0]["payloadHash"].as_str().unwrap(),
        )
        .await;
    assert_eq!(j["jobStatus"], "completed", "{j}");
    j["result"]["data"]["caseFile"]["id"].as_u64().unwrap()
}

fn keys(v: &Value) -> Vec<&str> {
    let mut k: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    k.sort_unstable();
    k
}

#[tokio::test]
async fn details_follow_penneos_shape() {
    let t = start().await;
    let tok = t.api_key_token().await;
    let id = send_two(&t, &tok).await;
    let (st, c) = t.get(&tok, &format!("/api/v1/casefiles/{id}")).await;
    assert_eq!(st, 200);
    // A signer is {id, name, types, storeAsContact, signingRequest}: no top-level e-mail,
    // role or sign order.
    let ida = &c["signers"][0];
    assert_eq!(
        keys(ida),
        [
            "id",
            "name",
            "sdkClassName",
            "signingRequest",
            "storeAsContact",
            "types"
        ]
    );
    assert!(ida["types"].is_array());
    assert_eq!(ida["storeAsContact"], false, "as sent");
    assert_eq!(c["signers"][1]["storeAsContact"], true, "Penneo's default");
    let req = &ida["signingRequest"];
    assert_eq!(req["email"], "ida@example.org");
    assert_eq!(req["language"], "en");
    assert_eq!(req["emailSubject"], "Please sign");
    assert_eq!(req["accessControl"], true);
    assert_eq!(req["enableInsecureSigning"], false);
    assert_eq!(req["secureSigningMethods"], json!(["mitid.dk"]));
    assert!(req["id"].as_u64().is_some() && req["status"].as_u64().is_some());
    assert!(req.get("link").is_none(), "the link is its own call");
    for k in [
        "ssnType",
        "vatin",
        "onBehalfOf",
        "socialSecurityNumberPlain",
    ] {
        assert!(
            ida.get(k).is_none() && req.get(k).is_none(),
            "{k} is not reported"
        );
    }
    // Documents carry signable, fileSize, documentOrder, caseFileId, status, format and the
    // signature lines holding role and sign order.
    let docs = c["documents"].as_array().unwrap();
    assert_eq!(docs.len(), 3);
    for (i, d) in docs.iter().enumerate() {
        assert_eq!(d["caseFileId"], id);
        assert_eq!(d["documentOrder"], i);
        assert!(d["fileSize"].as_u64().unwrap() > 100);
        assert!(d["status"].is_u64() && d["format"].is_string());
        assert!(d.get("signType").is_none() && d.get("roles").is_none());
    }
    assert_eq!(docs[1]["signable"], false);
    assert!(docs[1]["signatureLines"].as_array().unwrap().is_empty());
    let lines = docs[0]["signatureLines"].as_array().unwrap();
    assert_eq!(lines.len(), 2);
    assert_eq!(
        keys(&lines[0]),
        [
            "activatedAt",
            "documentId",
            "id",
            "role",
            "sdkClassName",
            "signOrder",
            "signerId"
        ]
    );
    assert_eq!(lines[0]["signerId"], ida["id"]);
    assert_eq!(lines[0]["documentId"], docs[0]["id"]);
    assert_eq!(
        (lines[0]["role"].as_str(), lines[0]["signOrder"].as_i64()),
        (Some("Client"), Some(1))
    );
    assert_eq!(
        (lines[1]["role"].as_str(), lines[1]["signOrder"].as_i64()),
        (Some("Partner"), Some(2))
    );
    assert!(lines[0]["activatedAt"].is_i64(), "the first lane is active");
    assert!(lines[1]["activatedAt"].is_null(), "the second lane waits");
    let partner_only = docs[2]["signatureLines"].as_array().unwrap();
    assert_eq!(partner_only.len(), 1);
    assert_eq!(partner_only[0]["role"], "Partner");
    // The list carries the same shape.
    let (_, l) = t.get(&tok, "/api/v1/casefiles").await;
    assert_eq!(l[0]["signers"], c["signers"]);
    assert_eq!(l[0]["documents"], c["documents"]);
}

#[tokio::test]
async fn signing_link_and_reminder() {
    let t = start().await;
    let tok = t.api_key_token().await;
    let id = send_two(&t, &tok).await;
    let (_, c) = t.get(&tok, &format!("/api/v1/casefiles/{id}")).await;
    let rid = c["signers"][0]["signingRequest"]["id"].as_u64().unwrap();
    // The link: a JSON array holding it, and it opens the signing page.
    let link = t.signing_link(&tok, &c, 0).await;
    let page = t.http.get(&link).send().await.unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("Engagement"));
    // Needs a token; unknown ids are 404.
    let r = t
        .http
        .get(t.url(&format!("/api/v1/signingrequests/{rid}/link")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    assert_eq!(t.get(&tok, "/api/v1/signingrequests/1/link").await.0, 404);
    // Remind now: PATCH, recorded, answered 204.
    let patch = |p: String| t.http.patch(t.url(&p)).bearer_auth(&tok).send();
    let r = patch(format!("/api/v1/signingrequests/{rid}/send"))
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    let r = patch(format!("/api/v1/signingrequests/{rid}/send"))
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    let r = patch("/api/v1/signingrequests/1/send".into())
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    // Once the signer has signed there is nothing to link or remind of: 409 saying why.
    let s0 = c["signers"][0]["id"].as_u64().unwrap();
    let (st, _) = t
        .control(
            &format!("/_sim/casefiles/{id}/signers/{s0}/sign"),
            json!(null),
        )
        .await;
    assert_eq!(st, 200);
    let (st, v) = t
        .get(&tok, &format!("/api/v1/signingrequests/{rid}/link"))
        .await;
    assert_eq!(st, 409);
    assert!(
        v["message"].as_str().unwrap().contains("already signed"),
        "{v}"
    );
    let r = patch(format!("/api/v1/signingrequests/{rid}/send"))
        .await
        .unwrap();
    assert_eq!(r.status(), 409);
    // The second signer still can, until the casefile is no longer out for signing.
    let _ = t.signing_link(&tok, &c, 1).await;
    let r = t
        .http
        .delete(t.url(&format!("/api/v1/casefiles/{id}")))
        .bearer_auth(&tok)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let rid1 = c["signers"][1]["signingRequest"]["id"].as_u64().unwrap();
    let (st, v) = t
        .get(&tok, &format!("/api/v1/signingrequests/{rid1}/link"))
        .await;
    assert_eq!(st, 409);
    assert!(
        v["message"]
            .as_str()
            .unwrap()
            .contains("not out for signing"),
        "{v}"
    );
}

/// The status codes of the same story in each numbering.
async fn statuses(scheme: SignerStatusScheme) -> (Vec<Value>, Vec<Value>, Vec<Value>) {
    let t = start_scheme(scheme).await;
    let tok = t.api_key_token().await;
    let codes = |c: &Value| -> Vec<Value> {
        c["signers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["signingRequest"]["status"].clone())
            .collect()
    };
    // Out for signing; then the first signer signs and the second rejects.
    let id = send_two(&t, &tok).await;
    let (_, c) = t.get(&tok, &format!("/api/v1/casefiles/{id}")).await;
    let sent = codes(&c);
    let s0 = c["signers"][0]["id"].as_u64().unwrap();
    let s1 = c["signers"][1]["id"].as_u64().unwrap();
    t.control(
        &format!("/_sim/casefiles/{id}/signers/{s0}/sign"),
        json!(null),
    )
    .await;
    let (st, c) = t
        .control(
            &format!("/_sim/casefiles/{id}/signers/{s1}/reject"),
            json!({}),
        )
        .await;
    assert_eq!(st, 200);
    let rejected = codes(&c);
    // A completed casefile: every signer signed.
    let id = send_two(&t, &tok).await;
    t.control(&format!("/_sim/casefiles/{id}/sign-all"), json!(null))
        .await;
    let c = t.wait_status(&tok, id, 5).await;
    (sent, rejected, codes(&c))
}

#[tokio::test]
async fn signer_statuses_in_the_sdk_numbering() {
    let (sent, rejected, completed) = statuses(SignerStatusScheme::Sdk).await;
    assert_eq!(sent, [json!(1), json!(1)], "pending");
    assert_eq!(rejected, [json!(4), json!(2)], "signed, rejected");
    assert_eq!(completed, [json!(4), json!(4)], "every signer signed");
}

#[tokio::test]
async fn signer_statuses_in_the_postman_numbering() {
    let (sent, rejected, completed) = statuses(SignerStatusScheme::Postman).await;
    assert_eq!(sent, [json!(0), json!(0)], "sent");
    assert_eq!(rejected, [json!(3), json!(4)], "signed, rejected");
    assert_eq!(completed, [json!(3), json!(3)], "every signer signed");
}

#[tokio::test]
async fn send_create_with_a_bad_token_is_a_400_naming_the_jwt() {
    let t = start().await;
    let a = pdf("A");
    let data = json!({"caseFile": {"title": "T", "signers": [{"name": "A"}], "documents": [{"title": "A", "name": "a.pdf"}]}}).to_string();
    for token in ["not-a-token", ""] {
        let (st, v) = t.create_casefile(token, &data, &[("a.pdf", &a[..])]).await;
        assert_eq!(st, 400, "{v}");
        assert_eq!(v["error"], "Bad Request");
        assert_eq!(v["statusCode"], 400);
        assert!(
            v["message"]
                .as_str()
                .unwrap()
                .starts_with("Invalid JWT token: "),
            "{v}"
        );
    }
}

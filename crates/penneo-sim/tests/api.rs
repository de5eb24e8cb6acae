//! End-to-end tests of the simulator over HTTP (reqwest as a plain client).

mod common;

use base64::Engine;
use common::*;
use penneo_sim::SimConfig;
use serde_json::{json, Value};

fn query_param(location: &str, key: &str) -> Option<String> {
    let u = url::Url::parse(location).unwrap();
    u.query_pairs()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.into_owned())
}

async fn authorize(t: &T, challenge: &str, method: &str, redirect: &str) -> reqwest::Response {
    t.http
        .get(t.url("/oauth/authorize"))
        .query(&[
            ("response_type", "code"),
            ("client_id", "demo-client"),
            ("redirect_uri", redirect),
            ("code_challenge", challenge),
            ("code_challenge_method", method),
            ("state", "xyz"),
        ])
        .send()
        .await
        .unwrap()
}

async fn code_for(t: &T, challenge: &str, method: &str, redirect: &str) -> String {
    let r = authorize(t, challenge, method, redirect).await;
    assert_eq!(r.status(), 303, "auto-approve redirects");
    let loc = r.headers()["location"].to_str().unwrap().to_string();
    assert!(loc.starts_with(redirect));
    assert_eq!(query_param(&loc, "state").as_deref(), Some("xyz"));
    query_param(&loc, "code").unwrap()
}

async fn exchange(
    t: &T,
    code: &str,
    verifier: &str,
    redirect: &str,
    secret: &str,
) -> (reqwest::StatusCode, Value) {
    T::json(
        t.http
            .post(t.url("/oauth/token"))
            .json(&json!({"grant_type": "authorization_code", "client_id": "demo-client", "client_secret": secret,
                          "code": code, "code_verifier": verifier, "redirect_uri": redirect}))
            .send()
            .await
            .unwrap(),
    )
    .await
}

const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
const CHALLENGE: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
const REDIRECT: &str = "http://127.0.0.1:8765/callback";

#[test]
fn pkce_and_digest_vectors() {
    assert_eq!(s256(VERIFIER), CHALLENGE);
    assert_eq!(penneo_sim::oauth::s256_challenge(VERIFIER), CHALLENGE);
    let raw: Vec<u8> = (0u8..20).collect();
    assert_eq!(
        base64::engine::general_purpose::STANDARD.encode(&raw),
        "AAECAwQFBgcICQoLDA0ODxAREhM="
    );
    let d = digest(&raw, "2026-01-01T00:00:00.000Z", "example-api-secret");
    assert_eq!(d, "Ha6dVrME5JyQbgvpBtAooAavL1A=");
    assert_eq!(
        penneo_sim::oauth::api_key_digest(&raw, "2026-01-01T00:00:00.000Z", "example-api-secret"),
        d
    );
}

#[tokio::test]
async fn pkce_s256_flow_refresh_rotation_and_revoke() {
    let t = start().await;
    let code = code_for(&t, CHALLENGE, "S256", REDIRECT).await;
    let (st, tok) = exchange(&t, &code, VERIFIER, REDIRECT, "demo-secret").await;
    assert_eq!(st, 200, "{tok}");
    assert_eq!(tok["expires_in"], 600);
    assert!(tok["access_token_expires_at"].as_i64().unwrap() > 0);
    assert!(
        tok["refresh_token_expires_at"].as_i64().unwrap()
            - tok["access_token_expires_at"].as_i64().unwrap()
            > 29 * 86400
    );
    let at = tok["access_token"].as_str().unwrap();
    let rt = tok["refresh_token"].as_str().unwrap().to_string();
    assert_eq!(t.get(at, "/collect/api/v1/forms").await.0, 200);

    // Reusing the code fails and revokes what it produced.
    let (st, e) = exchange(&t, &code, VERIFIER, REDIRECT, "demo-secret").await;
    assert_eq!(st, 400);
    assert_eq!(e["error"], "invalid_grant");
    assert!(e["error_description"].is_string());
    assert_eq!(t.get(at, "/collect/api/v1/forms").await.0, 401);

    // A fresh login, then refresh rotation.
    let code = code_for(&t, CHALLENGE, "S256", REDIRECT).await;
    let (_, tok) = exchange(&t, &code, VERIFIER, REDIRECT, "demo-secret").await;
    let rt1 = tok["refresh_token"].as_str().unwrap().to_string();
    let refresh = |rt: String| {
        let t = &t;
        async move {
            T::json(
                t.http
                    .post(t.url("/oauth/token"))
                    .json(&json!({"grant_type": "refresh_token", "client_id": "demo-client", "client_secret": "demo-secret",
                                  "refresh_token": rt, "redirect_uri": REDIRECT}))
                    .send()
                    .await
                    .unwrap(),
            )
            .await
        }
    };
    let (st, r2) = refresh(rt1.clone()).await;
    assert_eq!(st, 200, "{r2}");
    let rt2 = r2["refresh_token"].as_str().unwrap().to_string();
    assert_ne!(rt1, rt2);
    let (st, e) = refresh(rt1).await;
    assert_eq!(
        (st.as_u16(), e["error"].as_str()),
        (400, Some("invalid_grant"))
    );
    // Revoke: always 200 with an empty body, known or not.
    for token in [rt2.clone(), "nonexistent".to_string()] {
        let r = t
            .http
            .post(t.url("/oauth/revoke"))
            .json(&json!({"token": token, "client_id": "demo-client", "client_secret": "demo-secret"}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        assert!(r.text().await.unwrap().is_empty());
    }
    assert_eq!(refresh(rt2).await.0, 400);
    let _ = rt;
}

#[tokio::test]
async fn pkce_errors_and_expiry() {
    let t = start().await;
    // Wrong verifier.
    let code = code_for(&t, CHALLENGE, "S256", REDIRECT).await;
    let (st, e) = exchange(&t, &code, "x".repeat(43).as_str(), REDIRECT, "demo-secret").await;
    assert_eq!(
        (st.as_u16(), e["error"].as_str()),
        (400, Some("invalid_grant"))
    );
    // Wrong redirect URI.
    let code = code_for(&t, CHALLENGE, "S256", REDIRECT).await;
    let (st, e) = exchange(
        &t,
        &code,
        VERIFIER,
        "http://127.0.0.1:8765/other",
        "demo-secret",
    )
    .await;
    assert_eq!(
        (st.as_u16(), e["error"].as_str()),
        (400, Some("invalid_grant"))
    );
    // Wrong client secret.
    let (st, e) = exchange(&t, &code, VERIFIER, REDIRECT, "nope").await;
    assert_eq!(
        (st.as_u16(), e["error"].as_str()),
        (401, Some("invalid_client"))
    );
    // plain method.
    let plain = "a".repeat(50);
    let code = code_for(&t, &plain, "plain", "http://localhost:9999/cb").await;
    let (st, _) = exchange(&t, &code, &plain, "http://localhost:9999/cb", "demo-secret").await;
    assert_eq!(st, 200);
    // Code expiry after 60 s (simulated).
    let code = code_for(&t, CHALLENGE, "S256", REDIRECT).await;
    t.advance(61.0).await;
    let (st, e) = exchange(&t, &code, VERIFIER, REDIRECT, "demo-secret").await;
    assert_eq!(
        (st.as_u16(), e["error"].as_str()),
        (400, Some("invalid_grant"))
    );
    // Access token expiry after 600 s.
    let at = t.api_key_token().await;
    assert_eq!(t.get(&at, "/collect/api/v1/forms").await.0, 200);
    t.advance(601.0).await;
    let (st, e) = t.get(&at, "/collect/api/v1/forms").await;
    assert_eq!(st, 401);
    assert_eq!(e["statusCode"], 401);
    // Unknown grant and missing parameter.
    let (st, e) = T::json(t.http.post(t.url("/oauth/token")).json(&json!({"grant_type": "password", "client_id": "demo-client", "client_secret": "demo-secret"})).send().await.unwrap()).await;
    assert_eq!(
        (st.as_u16(), e["error"].as_str()),
        (400, Some("unsupported_grant_type"))
    );
    let (st, e) = T::json(
        t.http
            .post(t.url("/oauth/token"))
            .json(&json!({"client_id": "demo-client"}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(
        (st.as_u16(), e["error"].as_str()),
        (400, Some("invalid_request"))
    );
}

#[tokio::test]
async fn refresh_token_expires_after_30_days() {
    let t = start().await;
    let code = code_for(&t, CHALLENGE, "S256", REDIRECT).await;
    let (_, tok) = exchange(&t, &code, VERIFIER, REDIRECT, "demo-secret").await;
    t.advance(30.0 * 86400.0 + 1.0).await;
    let (st, e) = T::json(
        t.http
            .post(t.url("/oauth/token"))
            .json(&json!({"grant_type": "refresh_token", "client_id": "demo-client", "client_secret": "demo-secret",
                          "refresh_token": tok["refresh_token"]}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(
        (st.as_u16(), e["error"].as_str()),
        (400, Some("invalid_grant"))
    );
}

#[tokio::test]
async fn consent_page_approve_and_deny() {
    let t = start_with(SimConfig::default()).await;
    let r = authorize(&t, CHALLENGE, "S256", REDIRECT).await;
    assert_eq!(r.status(), 200);
    let html = r.text().await.unwrap();
    assert!(html.contains("Approve") && html.contains("Deny") && html.contains("Demo Practice"));
    let id = html
        .split("name=\"request\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_string();
    let r = t
        .http
        .post(t.url("/oauth/authorize/decision"))
        .form(&[("request", id.as_str()), ("decision", "deny")])
        .send()
        .await
        .unwrap();
    let loc = r.headers()["location"].to_str().unwrap().to_string();
    assert_eq!(query_param(&loc, "error").as_deref(), Some("access_denied"));
    assert_eq!(query_param(&loc, "state").as_deref(), Some("xyz"));
    // Answered requests cannot be reused.
    let r = t
        .http
        .post(t.url("/oauth/authorize/decision"))
        .form(&[("request", id.as_str()), ("decision", "approve")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let html = authorize(&t, CHALLENGE, "S256", REDIRECT)
        .await
        .text()
        .await
        .unwrap();
    let id = html
        .split("name=\"request\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_string();
    let r = t
        .http
        .post(t.url("/oauth/authorize/decision"))
        .form(&[("request", id.as_str()), ("decision", "approve")])
        .send()
        .await
        .unwrap();
    let loc = r.headers()["location"].to_str().unwrap().to_string();
    let code = query_param(&loc, "code").unwrap();
    assert_eq!(
        exchange(&t, &code, VERIFIER, REDIRECT, "demo-secret")
            .await
            .0,
        200
    );
    // Unregistered redirect URI: no redirect, an error page.
    let r = authorize(&t, CHALLENGE, "S256", "https://evil.example/cb").await;
    assert_eq!(r.status(), 400);
    // Bad method: redirected with invalid_request.
    let r = authorize(&t, CHALLENGE, "S512", REDIRECT).await;
    let loc = r.headers()["location"].to_str().unwrap().to_string();
    assert_eq!(
        query_param(&loc, "error").as_deref(),
        Some("invalid_request")
    );
}

#[tokio::test]
async fn api_keys_grant_digest_and_nonce_replay() {
    let t = start().await;
    let raw = [7u8; 16];
    let nonce = base64::engine::general_purpose::STANDARD.encode(raw);
    let created = "Fri Jun 19 2026 14:44:42 GMT+0200";
    let body = |d: &str| {
        json!({"grant_type": "api_keys", "client_id": "demo-client", "client_secret": "demo-secret",
                               "key": "demo-key", "nonce": nonce, "created_at": created, "digest": d})
    };
    let good = digest(&raw, created, "demo-api-secret");
    let (st, e) = T::json(
        t.http
            .post(t.url("/oauth/token"))
            .json(&body("AAAA"))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(
        (st.as_u16(), e["error"].as_str()),
        (401, Some("invalid_grant"))
    );
    let (st, v) = T::json(
        t.http
            .post(t.url("/oauth/token"))
            .json(&body(&good))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(st, 200, "{v}");
    assert!(v.get("refresh_token").is_none());
    assert_eq!(v["expires_in"], 600);
    let (st, e) = T::json(
        t.http
            .post(t.url("/oauth/token"))
            .json(&body(&good))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(
        (st.as_u16(), e["error"].as_str()),
        (400, Some("invalid_grant"))
    );
    assert!(e["error_description"].as_str().unwrap().contains("nonce"));
}

#[tokio::test]
async fn auth_headers_per_api() {
    let t = start().await;
    let tok = t.api_key_token().await;
    // Collect and Sign need Bearer.
    for p in [
        "/collect/api/v1/forms",
        "/api/v1/casefiles",
        "/collect/api/v1/version",
    ] {
        let (st, e) = T::json(t.http.get(t.url(p)).send().await.unwrap()).await;
        assert_eq!(st, 401, "{p}");
        assert_eq!(e["error"], "Unauthorized");
        let (st, _) = T::json(
            t.http
                .get(t.url(p))
                .header("X-Auth-Token", &tok)
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(st, 401, "{p} with X-Auth-Token");
        assert_eq!(t.get(&tok, p).await.0, 200, "{p}");
    }
    let (st, v) = t.get(&tok, "/collect/api/v1/version").await;
    assert_eq!(st, 200);
    assert!(v["version"].is_string() && v["additionalSignersConfig"].is_object());
    // Send create needs X-Auth-Token, not Bearer.
    let form = reqwest::multipart::Form::new().text("data", "{}");
    let r = t
        .http
        .post(t.url("/send/api/v1/casefiles/20251022/create"))
        .bearer_auth(&tok)
        .multipart(form)
        .send()
        .await
        .unwrap();
    // Penneo's Send API documents a bad token as a 400 naming the JWT.
    assert_eq!(r.status(), 400);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["error"], "Bad Request");
    assert_eq!(v["statusCode"], 400);
    assert!(
        v["message"]
            .as_str()
            .unwrap()
            .starts_with("Invalid JWT token: "),
        "{v}"
    );
    // Job status needs no auth.
    let (st, e) = t.job("00000000-0000-4000-8000-000000000000", "abc").await;
    assert_eq!(st, 404);
    assert_eq!(e, json!({"message": "Job not found", "statusCode": 404}));
}

#[tokio::test]
async fn form_lifecycle_and_versions() {
    let t = start().await;
    let tok = t.api_key_token().await;
    let (st, f) = t.post(&tok, "/collect/api/v1/forms", kyc_form()).await;
    assert_eq!(st, 201, "{f}");
    let id = f["formId"].as_str().unwrap().to_string();
    assert_eq!(f["id"], f["formId"]);
    assert_eq!(
        (f["status"].as_str(), f["version"].as_u64()),
        (Some("DRAFT"), Some(1))
    );
    assert_eq!(f["customTopLevel"], "kept");
    assert_eq!(f["additionalSignersConfig"], json!({"opaque": [1, 2, 3]}));
    let p = format!("/collect/api/v1/forms/{id}");
    // DRAFT edited in place.
    let mut def = kyc_form();
    def["name"] = json!("KYC individual v1b");
    let (st, f) = t.put(&tok, &p, def.clone()).await;
    assert_eq!(st, 200);
    assert_eq!(
        (f["version"].as_u64(), f["name"].as_str()),
        (Some(1), Some("KYC individual v1b"))
    );
    // Publish.
    let (st, f) = t.post(&tok, &format!("{p}/publish"), json!(null)).await;
    assert_eq!(st, 200);
    assert_eq!(f["status"], "ACTIVE");
    assert!(f["publicUrl"].is_string());
    assert_eq!(
        t.post(&tok, &format!("{p}/publish"), json!(null)).await.0,
        409
    );
    // Update ACTIVE -> new DRAFT v2, v1 keeps serving.
    def["name"] = json!("KYC individual v2");
    let (st, f) = t.put(&tok, &p, def.clone()).await;
    assert_eq!(st, 200);
    assert_eq!(
        (
            f["version"].as_u64(),
            f["status"].as_str(),
            f["activeVersion"].as_u64()
        ),
        (Some(2), Some("DRAFT"), Some(1))
    );
    let (_, vs) = t.get(&tok, &format!("{p}/versions")).await;
    let statuses: Vec<(u64, String)> = vs["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            (
                v["version"].as_u64().unwrap(),
                v["status"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(statuses, vec![(1, "ACTIVE".into()), (2, "DRAFT".into())]);
    let (st, v1) = t.get(&tok, &format!("{p}/versions/1")).await;
    assert_eq!(
        (st.as_u16(), v1["name"].as_str()),
        (200, Some("KYC individual v1b"))
    );
    assert_eq!(t.get(&tok, &format!("{p}/versions/9")).await.0, 404);
    // Update a version (DRAFT v2 in place).
    def["description"] = json!("changed");
    let (st, f) = t.put(&tok, &format!("{p}/versions/2"), def.clone()).await;
    assert_eq!(
        (
            st.as_u16(),
            f["version"].as_u64(),
            f["description"].as_str()
        ),
        (200, Some(2), Some("changed"))
    );
    // Publish version 2 -> v1 ARCHIVED.
    assert_eq!(
        t.post(&tok, &format!("{p}/versions/2/publish"), json!(null))
            .await
            .0,
        200
    );
    let (_, vs) = t.get(&tok, &format!("{p}/versions")).await;
    assert_eq!(vs["items"][0]["status"], "ARCHIVED");
    assert_eq!(vs["items"][1]["status"], "ACTIVE");
    // ARCHIVED versions cannot be edited in place.
    assert_eq!(
        t.put(&tok, &format!("{p}/versions/1"), def.clone()).await.0,
        409
    );
    // Restore v1 -> v3 DRAFT copy.
    let (st, f) = t
        .post(&tok, &format!("{p}/versions/1/restore"), json!(null))
        .await;
    assert_eq!(
        (
            st.as_u16(),
            f["version"].as_u64(),
            f["status"].as_str(),
            f["name"].as_str()
        ),
        (200, Some(3), Some("DRAFT"), Some("KYC individual v1b"))
    );
    assert_eq!(
        t.post(&tok, &format!("{p}/versions/3/archive"), json!(null))
            .await
            .0,
        200
    );
    // A GET → PUT round trip of the whole form object keeps unknown fields and ignores the
    // server-managed ones.
    let (_, mut whole) = t.get(&tok, &p).await;
    whole["status"] = json!("ARCHIVED");
    whole["publicUrl"] = json!("http://stale.example/");
    whole["sections"][0]["extraSectionKey"] = json!({"x": 1});
    let (st, f) = t.put(&tok, &p, whole).await;
    assert_eq!((st.as_u16(), f["status"].as_str()), (200, Some("DRAFT")));
    assert!(f
        .get("publicUrl")
        .is_none_or(|u| u != "http://stale.example/"));
    assert_eq!(f["sections"][0]["extraSectionKey"], json!({"x": 1}));
    assert_eq!(f["customTopLevel"], "kept");
    // Archive form.
    let r = t
        .http
        .post(t.url(&format!("{p}/archive")))
        .bearer_auth(&tok)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let (_, f) = t.get(&tok, &p).await;
    assert_eq!(f["status"], "ARCHIVED");
    assert_eq!(
        t.put(&tok, &p, kyc_form()).await.0,
        409,
        "archived forms are not edited"
    );
    assert_eq!(t.get(&tok, "/collect/api/v1/forms/nope").await.0, 404);
}

#[tokio::test]
async fn form_list_filters_sort_and_paging() {
    let t = start().await;
    let tok = t.api_key_token().await;
    for (name, publish) in [("Charlie", false), ("alpha", true), ("Bravo", true)] {
        let mut def = kyc_form();
        def["name"] = json!(name);
        let q = if publish { "?publish=true" } else { "" };
        let (st, _) = t
            .post(&tok, &format!("/collect/api/v1/forms{q}"), def)
            .await;
        assert_eq!(st, 201);
    }
    let names = |v: &Value| -> Vec<String> {
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["name"].as_str().unwrap().to_string())
            .collect()
    };
    let (_, v) = t.get(&tok, "/collect/api/v1/forms?sort=name").await;
    assert_eq!(names(&v), ["alpha", "Bravo", "Charlie"]);
    let (_, v) = t
        .get(&tok, "/collect/api/v1/forms?sort=-name&limit=2&offset=1")
        .await;
    assert_eq!(names(&v), ["Bravo", "alpha"]);
    let (_, v) = t
        .get(&tok, "/collect/api/v1/forms?status=ACTIVE&sort=name")
        .await;
    assert_eq!(names(&v), ["alpha", "Bravo"]);
    let (_, v) = t
        .get(&tok, "/collect/api/v1/forms?status=DRAFT,ARCHIVED")
        .await;
    assert_eq!(names(&v), ["Charlie"]);
    let (_, v) = t.get(&tok, "/collect/api/v1/forms?sort=createdAt").await;
    assert_eq!(names(&v), ["Charlie", "alpha", "Bravo"]);
    assert!(v["items"][0].get("sections").is_none());
    for bad in [
        "status=LIVE",
        "sort=colour",
        "limit=0",
        "limit=1001",
        "offset=-1",
    ] {
        let (st, e) = t.get(&tok, &format!("/collect/api/v1/forms?{bad}")).await;
        assert_eq!(st, 400, "{bad}");
        assert_eq!(e["statusCode"], 400);
    }
}

#[tokio::test]
async fn form_validation_names_section_and_field() {
    let t = start().await;
    let tok = t.api_key_token().await;
    type Mutation = Box<dyn Fn(&mut Value)>;
    let cases: Vec<(Mutation, &str)> = vec![
        (
            Box::new(|d| d["sections"][0]["fields"][0]["type"] = json!("COLOUR")),
            "Section 'contact', field 'full_name': unknown type 'COLOUR'",
        ),
        (
            Box::new(|d| d["sections"][1]["fields"][0]["name"] = json!("email")),
            "Section 'refs', field 'email': duplicate field name",
        ),
        (
            Box::new(|d| d["sections"][0]["fields"][0]["name"] = json!("Full Name")),
            "Section 'contact', field 'Full Name': name must match",
        ),
        (
            Box::new(|d| d["sections"][0]["fields"][1]["mapTo"] = json!("primarySigner.name")),
            "Section 'contact', field 'email': mapTo primarySigner.name requires a TEXT field",
        ),
        (
            Box::new(|d| {
                d["sections"][0]["fields"][3]["condition"]["rules"][0]["field"] = json!("ref_name")
            }),
            "Section 'contact', field 'cvr': condition refers to 'ref_name'",
        ),
        (
            Box::new(|d| d["sections"][0]["fields"][2]["options"] = json!([])),
            "Section 'contact', field 'kind': CHOICE fields need",
        ),
        (
            Box::new(|d| d["sections"][0]["fields"][2]["layout"] = json!("SLIDER")),
            "Section 'contact', field 'kind': unknown layout 'SLIDER'",
        ),
        (
            Box::new(|d| d["sections"][1]["slug"] = json!("contact")),
            "Section 'contact': duplicate slug",
        ),
        (
            Box::new(|d| d["sections"][2]["fields"][0]["content"] = json!("{{cvr}}")),
            "Section 'summary', field #1: content refers to '{{cvr}}'",
        ),
        (
            Box::new(|d| {
                d["sections"][0]["fields"][3]["condition"]["rules"][0]["operator"] =
                    json!("GREATER")
            }),
            "unknown condition operator 'GREATER'",
        ),
        (
            Box::new(|d| d["language"] = json!("XX")),
            "'language' has unknown value 'XX'",
        ),
        (
            Box::new(|d| d["name"] = json!("x".repeat(300))),
            "'name' must be at most 255 characters",
        ),
        (
            Box::new(|d| d["sections"] = json!([])),
            "'sections' must contain at least one section",
        ),
        (
            Box::new(|d| d["sections"][0]["fields"][0]["validations"]["minLength"] = json!(500)),
            "Section 'contact', field 'full_name': validations.minLength is greater than maxLength",
        ),
    ];
    for (mutate, expected) in cases {
        let mut def = kyc_form();
        mutate(&mut def);
        let (st, e) = t.post(&tok, "/collect/api/v1/forms", def).await;
        assert_eq!(st, 400, "{expected}");
        assert_eq!(e["error"], "Bad Request");
        assert!(
            e["message"].as_str().unwrap().contains(expected),
            "{} !~ {expected}",
            e["message"]
        );
    }
}

async fn active_form(t: &T, tok: &str) -> String {
    let (st, f) = t
        .post(tok, "/collect/api/v1/forms?publish=true", kyc_form())
        .await;
    assert_eq!(st, 201);
    f["formId"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn prefilled_request_submit_submissions_and_answers() {
    let t = start().await;
    let tok = t.api_key_token().await;
    // Requests need an ACTIVE form.
    let (_, draft) = t.post(&tok, "/collect/api/v1/forms", kyc_form()).await;
    let (st, _) = t
        .post(
            &tok,
            &format!(
                "/collect/api/v2/forms/{}/requests",
                draft["formId"].as_str().unwrap()
            ),
            json!({"answers": {}}),
        )
        .await;
    assert_eq!(st, 409);
    let id = active_form(&t, &tok).await;
    let rp = format!("/collect/api/v2/forms/{id}/requests");
    // Validation of prefilled answers.
    for (body, msg) in [
        (json!({"answers": {"nope": [{}]}}), "Unknown section 'nope'"),
        (
            json!({"answers": {"contact": [{"colour": {"value": "x"}}]}}),
            "Section 'contact': unknown field 'colour'",
        ),
        (
            json!({"answers": {"contact": [{"email": {"value": "not-an-email"}}]}}),
            "Section 'contact', field 'email'",
        ),
        (
            json!({"answers": {"contact": [{"kind": {"value": "robot"}}]}}),
            "is not one of the options",
        ),
        (
            json!({"answers": {"contact": [{}, {}]}}),
            "at most 1 instance",
        ),
    ] {
        let (st, e) = t.post(&tok, &rp, body).await;
        assert_eq!(st, 400);
        assert!(e["message"].as_str().unwrap().contains(msg), "{e}");
    }
    let (st, r) = t.post(&tok, &rp, json!({"answers": {
        "contact": [{"full_name": {"value": "Ida Holm", "editable": false}, "email": {"value": "ida@example.org", "editable": true}}],
        "refs": [{"ref_name": {"value": "Acme A/S"}}, {"ref_name": {"value": "Nordvind ApS"}}]
    }})).await;
    assert_eq!(st, 200, "{r}");
    let rid = r["requestId"].as_str().unwrap().to_string();
    assert!(r["requestUrl"].as_str().unwrap().starts_with(&t.base));
    let ans_path = format!("/collect/api/v1/forms/{id}/requests/{rid}/answers");
    assert_eq!(t.get(&tok, &ans_path).await.0, 404);
    // Locked field cannot be changed.
    let (st, e) = t
        .control(
            &format!("/_sim/requests/{rid}/submit"),
            json!({"answers": {"contact": [{"full_name": "Someone Else", "kind": "person"}]}}),
        )
        .await;
    assert_eq!(st, 400);
    assert!(e["message"].as_str().unwrap().contains("locked"), "{e}");
    // Required field missing (kind) -> 400.
    let (st, e) = t
        .control(&format!("/_sim/requests/{rid}/submit"), json!(null))
        .await;
    assert_eq!(st, 400);
    assert!(
        e["message"]
            .as_str()
            .unwrap()
            .contains("'kind': is required"),
        "{e}"
    );
    // Conditional required field (cvr) becomes required when kind=company.
    let (st, e) = t
        .control(
            &format!("/_sim/requests/{rid}/submit"),
            json!({"answers": {"contact": [{"kind": "company"}]}}),
        )
        .await;
    assert_eq!(st, 400);
    assert!(
        e["message"]
            .as_str()
            .unwrap()
            .contains("'cvr': is required"),
        "{e}"
    );
    let before = t
        .control("/_sim/clock/advance", json!({"seconds": 1}))
        .await
        .1["nowIso"]
        .as_str()
        .unwrap()
        .to_string();
    t.advance(1.0).await; // the submission happens strictly after `before`
    let (st, sub) = t
        .control(
            &format!("/_sim/requests/{rid}/submit"),
            json!({"answers": {"contact": [{"kind": "company", "cvr": "DK12345678"}]}}),
        )
        .await;
    assert_eq!(st, 200, "{sub}");
    let cf = sub["casefileId"].as_u64().unwrap();
    // Resubmission conflicts.
    assert_eq!(
        t.control(&format!("/_sim/requests/{rid}/submit"), json!(null))
            .await
            .0,
        409
    );
    // Answers for request, submission and casefile are the same object.
    let (st, a) = t.get(&tok, &ans_path).await;
    assert_eq!(st, 200);
    assert_eq!(a["submissionId"], sub["submissionId"]);
    assert_eq!(a["formId"], json!(id));
    assert_eq!(a["version"], 1);
    assert_eq!(a["respondents"][0]["name"], "Ida Holm");
    assert_eq!(
        a["sections"][0]["answers"][0],
        json!({"name": "full_name", "label": "Name", "type": "TEXT", "value": "Ida Holm"})
    );
    assert_eq!(a["sections"][1]["multipleEntries"], true);
    assert_eq!(
        a["sections"][1]["instances"][1]["answers"][0]["value"],
        "Nordvind ApS"
    );
    let (_, a2) = t
        .get(
            &tok,
            &format!(
                "/collect/api/v1/forms/{id}/submissions/{}/answers",
                sub["submissionId"].as_str().unwrap()
            ),
        )
        .await;
    assert_eq!(a, a2);
    let (_, a3) = t
        .get(&tok, &format!("/collect/api/v1/casefiles/{cf}/answers"))
        .await;
    assert_eq!(a, a3);
    // The casefile is a Sign casefile for the primary signer.
    let (_, c) = t.get(&tok, &format!("/api/v1/casefiles/{cf}")).await;
    assert_eq!(c["status"], 1);
    assert_eq!(c["title"], "KYC individual - Ida Holm");
    assert_eq!(
        c["signers"][0]["signingRequest"]["email"],
        "ida@example.org"
    );
    let (st, files) = t
        .get(&tok, &format!("/collect/api/v1/casefiles/{cf}/files"))
        .await;
    assert_eq!(st, 200);
    assert!(files[0]["filename"].as_str().unwrap().ends_with(".pdf"));
    assert!(files[0]["size"].as_u64().unwrap() > 100);
    let dl = t
        .http
        .get(files[0]["downloadUrl"].as_str().unwrap())
        .bearer_auth(&tok)
        .header("Accept", "application/pdf")
        .send()
        .await
        .unwrap();
    assert!(dl.bytes().await.unwrap().starts_with(b"%PDF-"));
    // Submissions list and exclusive date bounds.
    let sp = format!("/collect/api/v1/forms/{id}/submissions");
    let (_, l) = t.get(&tok, &sp).await;
    assert_eq!(l["items"].as_array().unwrap().len(), 1);
    let item = &l["items"][0];
    assert_eq!(
        (item["casefileId"].as_u64(), item["requestId"].as_str()),
        (Some(cf), Some(rid.as_str()))
    );
    let done = item["completedAt"].as_str().unwrap().to_string();
    let count = |v: &Value| v["items"].as_array().unwrap().len();
    let q = |k: &str, v: &str| {
        format!(
            "{sp}?{k}={}",
            url::form_urlencoded::byte_serialize(v.as_bytes()).collect::<String>()
        )
    };
    assert_eq!(count(&t.get(&tok, &q("completedAfter", &done)).await.1), 0);
    assert_eq!(count(&t.get(&tok, &q("completedBefore", &done)).await.1), 0);
    assert_eq!(
        count(&t.get(&tok, &q("completedAfter", &before)).await.1),
        1
    );
    assert_eq!(t.get(&tok, &q("completedAfter", "yesterday")).await.0, 400);
    assert_eq!(t.get(&tok, &format!("{sp}?limit=0")).await.0, 400);
    assert_eq!(
        t.get(&tok, "/collect/api/v1/forms/zzz/submissions").await.0,
        404
    );
    assert_eq!(
        t.get(
            &tok,
            &format!("/collect/api/v1/forms/{id}/submissions/nope/answers")
        )
        .await
        .0,
        404
    );
    assert_eq!(
        t.get(&tok, "/collect/api/v1/casefiles/999/answers").await.0,
        404
    );
    assert_eq!(
        t.get(&tok, "/collect/api/v1/casefiles/999/files").await.0,
        404
    );
}

#[tokio::test]
async fn submissions_paging_ascending() {
    let t = start().await;
    let tok = t.api_key_token().await;
    let id = active_form(&t, &tok).await;
    let mut ids = vec![];
    for i in 0..12 {
        let (_, r) = t.post(&tok, &format!("/collect/api/v2/forms/{id}/requests"), json!({"answers": {"contact": [{"full_name": {"value": format!("Person {i}")}, "email": {"value": format!("p{i}@example.org")}, "kind": {"value": "person"}}], "refs": [{"ref_name": {"value": "X"}}]}})).await;
        let (st, s) = t
            .control(
                &format!("/_sim/requests/{}/submit", r["requestId"].as_str().unwrap()),
                json!(null),
            )
            .await;
        assert_eq!(st, 200, "{s}");
        ids.push(s["submissionId"].as_str().unwrap().to_string());
    }
    let sp = format!("/collect/api/v1/forms/{id}/submissions");
    let (_, p1) = t.get(&tok, &sp).await;
    assert_eq!(
        p1["items"].as_array().unwrap().len(),
        10,
        "default limit is 10"
    );
    let (_, p2) = t.get(&tok, &format!("{sp}?limit=5&offset=10")).await;
    let got: Vec<String> = p1["items"]
        .as_array()
        .unwrap()
        .iter()
        .chain(p2["items"].as_array().unwrap())
        .map(|i| i["submissionId"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(got, ids);
}

#[tokio::test]
async fn fill_in_page_shows_prefill_locks_and_submits() {
    let t = start().await;
    let tok = t.api_key_token().await;
    let id = active_form(&t, &tok).await;
    let (_, r) = t.post(&tok, &format!("/collect/api/v2/forms/{id}/requests"), json!({"answers": {"contact": [{"full_name": {"value": "Søren Ærø", "editable": false}}]}})).await;
    let url = r["requestUrl"].as_str().unwrap().to_string();
    let html = t.http.get(&url).send().await.unwrap().text().await.unwrap();
    assert!(
        html.contains("value=\"Søren Ærø\" readonly"),
        "prefilled + locked"
    );
    assert!(html.contains("data-condition"), "conditions present");
    assert!(
        html.contains("Signing: Søren Ærø"),
        "HTML content rendered with answers"
    );
    // Missing required fields -> 400 page with errors.
    let r = t
        .http
        .post(&url)
        .form(&[("contact.0.email", "x@example.org")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    assert!(r.text().await.unwrap().contains("is required"));
    let r = t
        .http
        .post(&url)
        .form(&[
            ("contact.0.full_name", "Søren Ærø"),
            ("contact.0.email", "soren@example.org"),
            ("contact.0.kind", "person"),
            ("refs.0.ref_name", "Acme"),
            ("refs.1.ref_name", ""),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let page = r.text().await.unwrap();
    assert!(page.contains("Continue to signing"));
    let (_, l) = t
        .get(&tok, &format!("/collect/api/v1/forms/{id}/submissions"))
        .await;
    assert_eq!(l["items"].as_array().unwrap().len(), 1);
    let sid = l["items"][0]["submissionId"].as_str().unwrap();
    let (_, a) = t
        .get(
            &tok,
            &format!("/collect/api/v1/forms/{id}/submissions/{sid}/answers"),
        )
        .await;
    assert_eq!(
        a["sections"][1]["instances"].as_array().unwrap().len(),
        1,
        "empty extra instance dropped"
    );
    // Signing link from the thank-you page works.
    let link = page
        .split("id=\"continue\" href=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    let html = t.http.get(link).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("Sign"));
    let r = t
        .http
        .post(format!("{link}/sign"))
        .form(&[("x", "")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let (_, c) = t
        .get(
            &tok,
            &format!("/api/v1/casefiles/{}", l["items"][0]["casefileId"]),
        )
        .await;
    assert!(c["status"] == 4 || c["status"] == 5);
    // Unknown request page.
    assert_eq!(
        t.http
            .get(t.url("/collect/requests/nope"))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
}

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

use sha2::Digest as _;

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

async fn fetch(t: &T, tok: &str, path: &str, accept: &str) -> (u16, Option<String>, Vec<u8>) {
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
    assert_eq!(v["items"], json!([{"title": "Malformed casefile", "status": 1}]));
    let (st, v) = t
        .control("/_sim/casefiles/malformed", json!({"record": "garbage"}))
        .await;
    assert_eq!(st, 201);
    assert_eq!(v["items"].as_array().unwrap().len(), 2);
    // Plain list and every filter: the real casefile, then the injected records.
    let (_, l) = t.get(&tok, "/api/v1/casefiles?status=5").await;
    assert_eq!(l, json!([{"title": "Malformed casefile", "status": 1}, "garbage"]));
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
    assert_eq!(
        t.control("/_sim/faults", json!({"status": 500})).await.0,
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

#[tokio::test]
async fn file_fields_upload_through_the_fill_in_page() {
    let t = start().await;
    let tok = t.api_key_token().await;
    let def = json!({"name": "Onboarding with ID", "sections": [{"slug": "me", "title": "Me", "fields": [
        {"name": "full_name", "label": "Name", "type": "TEXT", "required": true, "mapTo": "primarySigner.name"},
        {"name": "id_document", "label": "Passport scan", "type": "FILE", "required": true}]}]});
    let (st, f) = t
        .post(&tok, "/collect/api/v1/forms?publish=true", def)
        .await;
    assert_eq!(st, 201, "{f}");
    let id = f["formId"].as_str().unwrap();
    let rp = format!("/collect/api/v2/forms/{id}/requests");
    let (st, e) = t
        .post(
            &tok,
            &rp,
            json!({"answers": {"me": [{"id_document": {"value": "x.pdf"}}]}}),
        )
        .await;
    assert_eq!(st, 400);
    assert!(
        e["message"].as_str().unwrap().contains("'id_document'"),
        "{e}"
    );
    let (_, r) = t
        .post(
            &tok,
            &rp,
            json!({"answers": {"me": [{"full_name": {"value": "Liv Dahl"}}]}}),
        )
        .await;
    let url = r["requestUrl"].as_str().unwrap().to_string();
    let html = t.http.get(&url).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("type=\"file\" id=\"me.0.id_document\""));
    assert!(html.contains("enctype=\"multipart/form-data\""));
    // An empty file input (as browsers send it) leaves the required field missing.
    let form = reqwest::multipart::Form::new()
        .text("me.0.full_name", "Liv Dahl")
        .part(
            "me.0.id_document",
            reqwest::multipart::Part::bytes(Vec::new()).file_name(""),
        );
    let r = t.http.post(&url).multipart(form).send().await.unwrap();
    assert_eq!(r.status(), 400);
    assert!(r.text().await.unwrap().contains("is required"));
    let scan = b"\x89PNG fake passport scan".to_vec();
    let form = reqwest::multipart::Form::new()
        .text("me.0.full_name", "Liv Dahl")
        .part(
            "me.0.id_document",
            reqwest::multipart::Part::bytes(scan.clone())
                .file_name("passport.png")
                .mime_str("image/png")
                .unwrap(),
        );
    let r = t.http.post(&url).multipart(form).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let (_, l) = t
        .get(&tok, &format!("/collect/api/v1/forms/{id}/submissions"))
        .await;
    let cf = l["items"][0]["casefileId"].as_u64().unwrap();
    let (_, a) = t
        .get(&tok, &format!("/collect/api/v1/casefiles/{cf}/answers"))
        .await;
    let v = &a["sections"][0]["answers"][1]["value"];
    assert_eq!(
        (v["filename"].as_str(), v["size"].as_u64()),
        (Some("passport.png"), Some(scan.len() as u64))
    );
    let (_, files) = t
        .get(&tok, &format!("/collect/api/v1/casefiles/{cf}/files"))
        .await;
    let up = files
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["filename"] == "passport.png")
        .unwrap();
    assert_eq!(up["contentType"], "image/png");
    let dl = up["downloadUrl"].as_str().unwrap();
    assert_eq!(t.http.get(dl).send().await.unwrap().status(), 401);
    let r = t.http.get(dl).bearer_auth(&tok).send().await.unwrap();
    assert_eq!(r.headers()["content-type"], "image/png");
    assert_eq!(r.bytes().await.unwrap().to_vec(), scan);
    assert_eq!(
        t.get(
            &tok,
            "/collect/api/v1/files/file-00000000-0000-4000-8000-000000000000"
        )
        .await
        .0,
        404
    );
}

//! OAuth: PKCE, refresh rotation, revoke, consent page, the api_keys grant, auth per API.

use base64::Engine;
use penneo_sim::SimConfig;
use serde_json::{json, Value};

use crate::common::*;

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

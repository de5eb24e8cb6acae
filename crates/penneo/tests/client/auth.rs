use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::common::*;
use base64::Engine as _;
use penneo::{
    auth::api_keys_digest, auth::pkce_challenge, Credentials, Error, Penneo, Secret, TokenSet,
};
use serde_json::{json, Value};
use url::Url;
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

fn body_of(r: &Request) -> Value {
    serde_json::from_slice(&r.body).unwrap()
}

#[tokio::test]
async fn authorize_url_has_pkce_s256_and_state() {
    let server = MockServer::start().await;
    let client = client(&server);
    let redirect = Url::parse("http://127.0.0.1:8765/callback").unwrap();
    let req = client
        .auth()
        .authorize_url(&redirect, Some("full_access"))
        .unwrap();
    assert_eq!(req.url.path(), "/oauth/authorize");
    let q: std::collections::HashMap<String, String> = req.url.query_pairs().into_owned().collect();
    assert_eq!(q["response_type"], "code");
    assert_eq!(q["client_id"], "client-1");
    assert_eq!(q["redirect_uri"], "http://127.0.0.1:8765/callback");
    assert_eq!(q["code_challenge_method"], "S256");
    assert_eq!(q["scope"], "full_access");
    assert_eq!(q["state"], req.state);
    assert_eq!(q["code_challenge"], pkce_challenge(&req.pkce_verifier));
    assert_eq!(req.pkce_verifier.expose().len(), 43);
    assert!(!format!("{req:?}").contains(req.pkce_verifier.expose()));
    let other = client.auth().authorize_url(&redirect, None).unwrap();
    assert_ne!(other.state, req.state);
    assert_ne!(other.pkce_verifier, req.pkce_verifier);
}

#[tokio::test]
async fn exchange_code_sends_the_documented_body_and_installs_tokens() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .and(header("content-type", "application/json"))
        .and(body_json(json!({
            "grant_type": "authorization_code",
            "client_id": "client-1",
            "client_secret": "client-secret-1",
            "code": "code-xyz",
            "code_verifier": "verifier-abc",
            "redirect_uri": "http://127.0.0.1:8765/callback",
        })))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(token_response("new-access", Some("new-refresh"))),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/collect/api/v1/forms/f1"))
        .and(header("authorization", "Bearer new-access"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"formId": "f1", "name": "x"})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let rotated: Arc<Mutex<Vec<String>>> = Arc::default();
    let r2 = rotated.clone();
    let client = Penneo::builder()
        .environment(env(&server))
        .credentials(Credentials::oauth(
            "client-1",
            Secret::new("client-secret-1"),
        ))
        .on_tokens_rotated(Arc::new(move |t: &TokenSet| {
            r2.lock()
                .unwrap()
                .push(t.refresh_token.as_ref().unwrap().expose().to_owned());
        }))
        .build()
        .unwrap();
    let t = client
        .auth()
        .exchange_code(
            "code-xyz",
            &Secret::new("verifier-abc"),
            &Url::parse("http://127.0.0.1:8765/callback").unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(t.access_token.expose(), "new-access");
    assert_eq!(t.refresh_token.as_ref().unwrap().expose(), "new-refresh");
    assert_eq!(t.expires_in, Some(600));
    assert_eq!(*rotated.lock().unwrap(), vec!["new-refresh".to_string()]);
    client.forms().get("f1").await.unwrap();
}

#[tokio::test]
async fn oauth_error_body_is_decoded_and_secrets_stay_out_of_errors() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(
            ResponseTemplate::new(400).set_body_json(
                json!({"error": "invalid_grant", "error_description": "Code expired"}),
            ),
        )
        .mount(&server)
        .await;
    let client = client(&server);
    let err = client
        .auth()
        .exchange_code(
            "c",
            &Secret::new("verifier-secret"),
            &Url::parse("http://127.0.0.1/cb").unwrap(),
        )
        .await
        .unwrap_err();
    match &err {
        Error::OAuth { error, description } => {
            assert_eq!(error, "invalid_grant");
            assert_eq!(description.as_deref(), Some("Code expired"));
        }
        other => panic!("{other:?}"),
    }
    let text = format!("{err} {err:?} {client:?}");
    for secret in ["client-secret-1", "verifier-secret", ACCESS, "refresh-1"] {
        assert!(!text.contains(secret), "{secret} leaked in {text}");
    }
}

#[tokio::test]
async fn api_keys_grant_sends_a_verifiable_digest() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(token_response("ak-access", None)))
        .expect(2)
        .mount(&server)
        .await;
    let client = Penneo::builder()
        .environment(env(&server))
        .credentials(Credentials::api_keys(
            "client-1",
            Secret::new("cs"),
            "key-1",
            Secret::new("api-secret-1"),
        ))
        .build()
        .unwrap();
    let t = client.auth().api_keys_grant().await.unwrap();
    assert!(t.refresh_token.is_none());
    client.auth().api_keys_grant().await.unwrap();
    let reqs = server.received_requests().await.unwrap();
    let bodies: Vec<Value> = reqs.iter().map(body_of).collect();
    for b in &bodies {
        assert_eq!(b["grant_type"], "api_keys");
        assert_eq!(b["client_id"], "client-1");
        assert_eq!(b["client_secret"], "cs");
        assert_eq!(b["key"], "key-1");
        let raw = base64::engine::general_purpose::STANDARD
            .decode(b["nonce"].as_str().unwrap())
            .unwrap();
        assert!(!raw.is_empty() && raw.len() <= 64);
        let created = b["created_at"].as_str().unwrap();
        assert_eq!(
            b["digest"],
            api_keys_digest(&raw, created, &Secret::new("api-secret-1"))
        );
    }
    assert_ne!(
        bodies[0]["nonce"], bodies[1]["nonce"],
        "nonce must be fresh"
    );
}

#[tokio::test]
async fn api_keys_provider_runs_the_grant_when_needed() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(token_response("ak-access", None)))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/collect/api/v1/forms/f1"))
        .and(header("authorization", "Bearer ak-access"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"formId": "f1", "name": "x"})),
        )
        .expect(2)
        .mount(&server)
        .await;
    let client = Penneo::builder()
        .environment(env(&server))
        .credentials(Credentials::api_keys(
            "client-1",
            Secret::new("cs"),
            "key-1",
            Secret::new("s"),
        ))
        .build()
        .unwrap();
    client.forms().get("f1").await.unwrap();
    client.forms().get("f1").await.unwrap();
    assert_eq!(client.token_provider().renewals(), 1);
}

#[tokio::test]
async fn refresh_happens_before_expiry_and_rotation_is_reported() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .and(body_json(json!({
            "grant_type": "refresh_token",
            "client_id": "client-1",
            "client_secret": "client-secret-1",
            "refresh_token": "refresh-1",
        })))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(token_response("access-2", Some("refresh-2"))),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/collect/api/v1/forms/f1"))
        .and(header("authorization", "Bearer access-2"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"formId": "f1", "name": "x"})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let rotated: Arc<Mutex<Vec<String>>> = Arc::default();
    let r2 = rotated.clone();
    // Expires in 3 s: inside the 5 s skew, so it must be refreshed before use.
    let client = Penneo::builder()
        .environment(env(&server))
        .credentials(Credentials::oauth(
            "client-1",
            Secret::new("client-secret-1"),
        ))
        .tokens(tokens("access-1", Some("refresh-1"), 3))
        .on_tokens_rotated(Arc::new(move |t: &TokenSet| {
            r2.lock()
                .unwrap()
                .push(t.refresh_token.as_ref().unwrap().expose().to_owned());
        }))
        .build()
        .unwrap();
    client.forms().get("f1").await.unwrap();
    assert_eq!(*rotated.lock().unwrap(), vec!["refresh-2".to_string()]);
    assert_eq!(
        client
            .token_provider()
            .tokens()
            .await
            .unwrap()
            .refresh_token
            .unwrap()
            .expose(),
        "refresh-2"
    );
}

#[tokio::test]
async fn a_401_refreshes_once_and_retries_the_call_once() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(token_response("access-2", Some("refresh-2"))),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/collect/api/v1/forms/f1"))
        .and(header("authorization", "Bearer access-1"))
        .respond_with(ResponseTemplate::new(401))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/collect/api/v1/forms/f1"))
        .and(header("authorization", "Bearer access-2"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"formId": "f1", "name": "x"})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server);
    let f = client.forms().get("f1").await.unwrap();
    assert_eq!(f.form_id().unwrap().as_str(), "f1");
}

#[tokio::test]
async fn a_second_401_is_sign_in_required_without_a_loop() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(token_response("access-2", Some("refresh-2"))),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/collect/api/v1/forms/f1"))
        .respond_with(ResponseTemplate::new(401))
        .expect(2)
        .mount(&server)
        .await;
    let err = client(&server).forms().get("f1").await.unwrap_err();
    assert!(matches!(err, Error::SignInRequired), "{err:?}");
}

#[tokio::test]
async fn concurrent_callers_share_one_refresh() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(token_response("access-2", Some("refresh-2")))
                .set_delay(Duration::from_millis(300)),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/collect/api/v1/forms/f1"))
        .and(header("authorization", "Bearer access-2"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"formId": "f1", "name": "x"})),
        )
        .mount(&server)
        .await;
    let client = Penneo::builder()
        .environment(env(&server))
        .credentials(Credentials::oauth(
            "client-1",
            Secret::new("client-secret-1"),
        ))
        .tokens(tokens("access-1", Some("refresh-1"), 0))
        .build()
        .unwrap();
    let calls = (0..16).map(|_| {
        let c = client.clone();
        tokio::spawn(async move { c.forms().get("f1").await })
    });
    for r in futures::future::join_all(calls).await {
        r.unwrap().unwrap();
    }
    let token_calls = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .filter(|r| r.url.path() == "/oauth/token")
        .count();
    assert_eq!(token_calls, 1);
    assert_eq!(client.token_provider().renewals(), 1);
}

#[tokio::test]
async fn concurrent_401s_share_one_refresh() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(token_response("access-2", Some("refresh-2")))
                .set_delay(Duration::from_millis(200)),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/collect/api/v1/forms/f1"))
        .and(header("authorization", "Bearer access-1"))
        .respond_with(ResponseTemplate::new(401))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/collect/api/v1/forms/f1"))
        .and(header("authorization", "Bearer access-2"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"formId": "f1", "name": "x"})),
        )
        .mount(&server)
        .await;
    let client = client(&server);
    let calls = (0..8).map(|_| {
        let c = client.clone();
        tokio::spawn(async move { c.forms().get("f1").await })
    });
    for r in futures::future::join_all(calls).await {
        r.unwrap().unwrap();
    }
    assert_eq!(client.token_provider().renewals(), 1);
}

#[tokio::test]
async fn refresh_failure_is_sign_in_required_and_nothing_else() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(ResponseTemplate::new(400).set_body_json(
            json!({"error": "invalid_grant", "error_description": "Refresh token revoked"}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let client = Penneo::builder()
        .environment(env(&server))
        .credentials(Credentials::oauth(
            "client-1",
            Secret::new("client-secret-1"),
        ))
        .tokens(tokens("access-1", Some("refresh-1"), 0))
        .build()
        .unwrap();
    let err = client.forms().get("f1").await.unwrap_err();
    assert!(matches!(err, Error::SignInRequired), "{err:?}");
    // The session is gone: no second refresh attempt, still sign-in required.
    let err = client.forms().get("f1").await.unwrap_err();
    assert!(matches!(err, Error::SignInRequired), "{err:?}");
    assert!(client.token_provider().tokens().await.is_none());
}

#[tokio::test]
async fn no_session_is_sign_in_required() {
    let server = MockServer::start().await;
    let client = Penneo::builder()
        .environment(env(&server))
        .credentials(Credentials::oauth(
            "client-1",
            Secret::new("client-secret-1"),
        ))
        .build()
        .unwrap();
    assert!(matches!(
        client.forms().get("f1").await,
        Err(Error::SignInRequired)
    ));
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn revoke_and_sign_out() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/revoke"))
        .and(body_json(json!({"token": "refresh-1", "client_id": "client-1", "client_secret": "client-secret-1"})))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server);
    client.auth().sign_out().await.unwrap();
    assert!(client.token_provider().tokens().await.is_none());
}

#[tokio::test]
async fn revoke_404_is_not_supported() {
    let server = MockServer::start().await;
    let client = client(&server);
    let err = client.auth().revoke(&Secret::new("x")).await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::NotSupported {
                operation: "revoke"
            }
        ),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_session_restored_from_a_refresh_token_refreshes_first() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .and(body_json(json!({
            "grant_type": "refresh_token",
            "client_id": "client-1",
            "client_secret": "client-secret-1",
            "refresh_token": "stored-refresh",
        })))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(token_response("access-9", Some("refresh-9"))),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/collect/api/v1/forms/f1"))
        .and(header("authorization", "Bearer access-9"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"formId": "f1", "name": "x"})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let client = Penneo::builder()
        .environment(env(&server))
        .credentials(Credentials::oauth(
            "client-1",
            Secret::new("client-secret-1"),
        ))
        .tokens(TokenSet::from_refresh_token(
            Secret::new("stored-refresh"),
            None,
        ))
        .build()
        .unwrap();
    client.forms().get("f1").await.unwrap();
}

#[tokio::test]
async fn an_expired_refresh_token_is_sign_in_required_without_a_call() {
    let server = MockServer::start().await;
    let client = Penneo::builder()
        .environment(env(&server))
        .credentials(Credentials::oauth(
            "client-1",
            Secret::new("client-secret-1"),
        ))
        .tokens(TokenSet::from_refresh_token(
            Secret::new("old"),
            Some(now() - 10),
        ))
        .build()
        .unwrap();
    assert!(matches!(
        client.forms().get("f1").await,
        Err(Error::SignInRequired)
    ));
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn a_transient_refresh_failure_keeps_the_session() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(token_response("access-2", Some("refresh-2"))),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/collect/api/v1/forms/f1"))
        .and(header("authorization", "Bearer access-2"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"formId": "f1", "name": "x"})),
        )
        .mount(&server)
        .await;
    let client = Penneo::builder()
        .environment(env(&server))
        .credentials(Credentials::oauth(
            "client-1",
            Secret::new("client-secret-1"),
        ))
        .tokens(tokens("access-1", Some("refresh-1"), 0))
        .build()
        .unwrap();
    // The call waits the failed renewal out like a failed call (nothing of it was sent yet)
    // and goes through on the renewed token.
    client.forms().get("f1").await.unwrap();
    let token_requests = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .filter(|r| r.url.path() == "/oauth/token")
        .count();
    assert_eq!(token_requests, 2);

    // A renewal that keeps failing ends the call with a retryable error once the retry budget
    // is spent, and the session is kept for the next call.
    let down = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&down)
        .await;
    let client = Penneo::builder()
        .environment(env(&down))
        .credentials(Credentials::oauth(
            "client-1",
            Secret::new("client-secret-1"),
        ))
        .tokens(tokens("access-1", Some("refresh-1"), 0))
        .retry_policy(penneo::RetryPolicy {
            max_retries: 2,
            base_delay: std::time::Duration::from_millis(5),
            max_delay: std::time::Duration::from_millis(10),
            max_retry_after: std::time::Duration::from_secs(1),
        })
        .build()
        .unwrap();
    let err = client.forms().get("f1").await.unwrap_err();
    assert!(err.is_retryable(), "{err:?}");
    assert!(
        client.token_provider().tokens().await.is_some(),
        "session kept"
    );
    assert_eq!(down.received_requests().await.unwrap().len(), 3);
}

/// The redirect-URI check before a browser opens: only a 400 page that names the redirect URI
/// and refuses it is a mismatch; a login page, a redirect or another error lets the sign-in go
/// on (it must never block one that works).
#[tokio::test]
async fn redirect_uri_check_reads_only_a_refusal() {
    let cases: Vec<(ResponseTemplate, bool)> = vec![
        (
            ResponseTemplate::new(400)
                .set_body_string("<h1>Error</h1><p>redirect_uri_mismatch: not registered</p>"),
            true,
        ),
        (
            ResponseTemplate::new(400)
                .set_body_string("The redirect URI is invalid for this client"),
            true,
        ),
        (
            ResponseTemplate::new(200).set_body_string(
                "<form><input type=hidden name=redirect_uri value=x> invalid password?</form>",
            ),
            false,
        ),
        (
            ResponseTemplate::new(302).insert_header("location", "https://login.example/login"),
            false,
        ),
        (
            ResponseTemplate::new(400).set_body_string("Unknown client_id"),
            false,
        ),
        (
            ResponseTemplate::new(401).set_body_string("redirect_uri mismatch"),
            false,
        ),
    ];
    for (i, (answer, mismatch)) in cases.into_iter().enumerate() {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path("/oauth/authorize"))
            .respond_with(answer)
            .expect(1)
            .mount(&server)
            .await;
        let c = client(&server);
        let uri = Url::parse("http://127.0.0.1:8765/callback").unwrap();
        let got = c.auth().check_redirect_uri(&uri).await;
        match (got, mismatch) {
            (Err(Error::OAuth { error, description }), true) => {
                assert_eq!(error, "redirect_uri_mismatch", "case {i}");
                assert!(description
                    .unwrap()
                    .contains("http://127.0.0.1:8765/callback"));
            }
            (Ok(()), false) => {}
            (other, _) => panic!("case {i}: {other:?}"),
        }
    }
}

/// A redirect to another origin is not followed: neither the access token of an API call nor
/// the secrets of a token request reach it, and the call fails. One within the origin is
/// followed.
#[tokio::test]
async fn redirects_never_carry_credentials_to_another_origin() {
    let server = MockServer::start().await;
    let elsewhere = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"version": "x"})))
        .mount(&elsewhere)
        .await;
    let away = |p: &str| {
        ResponseTemplate::new(307).insert_header("location", format!("{}{p}", elsewhere.uri()))
    };
    Mock::given(method("GET"))
        .and(path("/collect/api/v1/version"))
        .respond_with(away("/collect/api/v1/version"))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(away("/oauth/token"))
        .mount(&server)
        .await;

    let client = client(&server);
    assert!(client.version().await.is_err());
    assert!(client
        .auth()
        .refresh(&Secret::new("refresh-1"))
        .await
        .is_err());
    let reached = elsewhere.received_requests().await.unwrap();
    assert!(
        reached.is_empty(),
        "{} requests reached the other origin",
        reached.len()
    );

    // Within the origin a redirect is followed, with the token.
    server.reset().await;
    Mock::given(method("GET"))
        .and(path("/collect/api/v1/version"))
        .respond_with(
            ResponseTemplate::new(308).insert_header("location", "/collect/api/v1/version2"),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/collect/api/v1/version2"))
        .and(header("authorization", format!("Bearer {ACCESS}").as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"version": "1.2.3"})))
        .mount(&server)
        .await;
    client.version().await.unwrap();
}

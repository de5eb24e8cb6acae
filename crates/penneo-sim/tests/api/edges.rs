//! The edges issue 13 names: late submissions (backdated through the control API), file links
//! under other keys and on another host, exact OAuth redirect URIs. Written against the wire,
//! with a plain HTTP client.

use crate::common::*;
use penneo_sim::state::RegisteredClient;
use penneo_sim::SimConfig;
use serde_json::{json, Value};

async fn active_form(t: &T, tok: &str) -> String {
    let (st, f) = t
        .post(tok, "/collect/api/v1/forms?publish=true", kyc_form())
        .await;
    assert_eq!(st, 201, "{f}");
    f["formId"].as_str().unwrap().to_string()
}

async fn request(t: &T, tok: &str, form: &str, name: &str) -> String {
    let (st, r) = t
        .post(
            tok,
            &format!("/collect/api/v2/forms/{form}/requests"),
            json!({"answers": {"contact": [{"full_name": {"value": name}, "email": {"value": "x@example.org"}}]}}),
        )
        .await;
    assert_eq!(st, 200, "{r}");
    r["requestId"].as_str().unwrap().to_string()
}

fn company() -> Value {
    json!({"contact": [{"kind": "company", "cvr": "DK12345678"}], "refs": [{"ref_name": "Acme A/S"}]})
}

#[tokio::test]
async fn a_submission_can_be_backdated_or_listed_without_completed_at() {
    let t = start().await;
    let tok = t.api_key_token().await;
    let form = active_form(&t, &tok).await;
    let r1 = request(&t, &tok, &form, "Ida Holm").await;
    let r2 = request(&t, &tok, &form, "Mark Berg").await;
    let r3 = request(&t, &tok, &form, "Sara Lund").await;
    let (st, s1) = t
        .control(
            &format!("/_sim/requests/{r1}/submit"),
            json!({"answers": company()}),
        )
        .await;
    assert_eq!(st, 200, "{s1}");
    t.advance(10.0).await;
    // Finished an hour ago, listed only now: its completedAt is older than s1's.
    let (st, s2) = t
        .control(
            &format!("/_sim/requests/{r2}/submit"),
            json!({"answers": company(), "completedSecondsAgo": 3600}),
        )
        .await;
    assert_eq!(st, 200, "{s2}");
    let (st, s3) = t
        .control(
            &format!("/_sim/requests/{r3}/submit"),
            json!({"answers": company(), "withoutCompletedAt": true}),
        )
        .await;
    assert_eq!(st, 200, "{s3}");
    let t1 = s1["completedAt"].as_str().unwrap();
    let t2 = s2["completedAt"].as_str().unwrap();
    assert!(t2 < t1, "{t2} is before {t1}");
    let sp = format!("/collect/api/v1/forms/{form}/submissions");
    let (_, l) = t.get(&tok, &sp).await;
    let items = l["items"].as_array().unwrap();
    // Listed in id order (the late one after the first), one without completedAt.
    let ids: Vec<&str> = items
        .iter()
        .map(|i| i["submissionId"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            s1["submissionId"].as_str().unwrap(),
            s2["submissionId"].as_str().unwrap(),
            s3["submissionId"].as_str().unwrap()
        ]
    );
    assert_eq!(items[1]["completedAt"], json!(t2));
    assert!(items[2].get("completedAt").is_none(), "{}", items[2]);
    // After s1's time the late one is not listed: a client that keeps only "after the newest
    // seen" misses it.
    let (_, l) = t
        .get(&tok, &format!("{sp}?completedAfter={t1}&limit=100"))
        .await;
    let after: Vec<&Value> = l["items"].as_array().unwrap().iter().collect();
    assert!(after
        .iter()
        .all(|i| i["submissionId"] != s2["submissionId"]));
    // Bad control values.
    let r4 = request(&t, &tok, &form, "Bo Dahl").await;
    for body in [
        json!({"completedSecondsAgo": -1}),
        json!({"completedSecondsAgo": "soon"}),
        json!({"withoutCompletedAt": "yes"}),
    ] {
        let (st, e) = t
            .control(&format!("/_sim/requests/{r4}/submit"), body.clone())
            .await;
        assert_eq!(st, 400, "{body}: {e}");
    }
}

#[tokio::test]
async fn file_links_under_other_keys_and_on_a_storage_host() {
    let t = start().await;
    let tok = t.api_key_token().await;
    let form = active_form(&t, &tok).await;
    let r = request(&t, &tok, &form, "Ida Holm").await;
    let (_, s) = t
        .control(
            &format!("/_sim/requests/{r}/submit"),
            json!({"answers": company()}),
        )
        .await;
    let cf = s["casefileId"].as_u64().unwrap();
    let files_path = format!("/collect/api/v1/casefiles/{cf}/files");
    let (_, files) = t.get(&tok, &files_path).await;
    let size = files[0]["size"].as_i64().unwrap();
    assert!(files[0]["downloadUrl"]
        .as_str()
        .unwrap()
        .starts_with(&t.base));

    let (st, cfg) = t
        .control(
            "/_sim/files/links",
            json!({"key": "href", "otherHost": true, "sizeDelta": 3}),
        )
        .await;
    assert_eq!(st, 200, "{cfg}");
    let storage = cfg["storageBase"].as_str().unwrap().to_string();
    assert!(storage.starts_with("http://localhost:"), "{storage}");
    let (_, files) = t.get(&tok, &files_path).await;
    let f = &files[0];
    assert!(f.get("downloadUrl").is_none(), "{f}");
    assert_eq!(f["size"].as_i64().unwrap(), size + 3);
    let link = f["href"].as_str().unwrap();
    assert!(link.starts_with(&format!("{storage}/_storage/")), "{link}");
    // The link is its own credential: without a token it answers the PDF ...
    let plain = t.http.get(link).send().await.unwrap();
    assert_eq!(plain.status(), 200);
    let bytes = plain.bytes().await.unwrap();
    assert!(bytes.starts_with(b"%PDF-"));
    assert_eq!(bytes.len() as i64, size);
    // ... with the Penneo token as well, it refuses (as pre-signed storage links do) ...
    let with_token = t.http.get(link).bearer_auth(&tok).send().await.unwrap();
    assert_eq!(with_token.status(), 400);
    assert!(with_token
        .text()
        .await
        .unwrap()
        .contains("Only one auth mechanism allowed"));
    // ... and a wrong signature is refused.
    let forged = format!("{}0", link);
    assert_eq!(t.http.get(&forged).send().await.unwrap().status(), 403);

    for key in ["url", "link", "downloadUrl"] {
        let (st, _) = t
            .control(
                "/_sim/files/links",
                json!({"key": key, "otherHost": false, "sizeDelta": 0}),
            )
            .await;
        assert_eq!(st, 200);
        let (_, files) = t.get(&tok, &files_path).await;
        assert!(
            files[0][key].as_str().unwrap().starts_with(&t.base),
            "{key}"
        );
        assert_eq!(files[0]["size"].as_i64().unwrap(), size);
    }
    let (st, _) = t
        .control("/_sim/files/links", json!({"key": "location"}))
        .await;
    assert_eq!(st, 400);
}

fn registered() -> RegisteredClient {
    RegisteredClient::parse("practice-app:practice-secret:http://127.0.0.1:8765/callback").unwrap()
}

fn authorize_url(base: &str, client_id: &str, redirect: &str) -> String {
    let mut u = url::Url::parse(&format!("{base}/oauth/authorize")).unwrap();
    u.query_pairs_mut()
        .append_pair("response_type", "code")
        .append_pair("client_id", client_id)
        .append_pair("redirect_uri", redirect)
        .append_pair("code_challenge", &s256(&"v".repeat(43)))
        .append_pair("code_challenge_method", "S256")
        .append_pair("state", "st-1");
    u.to_string()
}

#[tokio::test]
async fn registered_clients_have_exact_redirect_uris() {
    let t = start_with(SimConfig {
        auto_approve: true,
        clients: vec![registered()],
        ..Default::default()
    })
    .await;
    // The exact URI: redirected back with a code, and the code is exchanged.
    let exact = "http://127.0.0.1:8765/callback";
    let r = t
        .http
        .get(authorize_url(&t.base, "practice-app", exact))
        .send()
        .await
        .unwrap();
    assert!(r.status().is_redirection(), "{}", r.status());
    let loc = url::Url::parse(r.headers()["location"].to_str().unwrap()).unwrap();
    assert!(loc.as_str().starts_with(exact));
    let code = loc
        .query_pairs()
        .find(|(k, _)| k == "code")
        .unwrap()
        .1
        .into_owned();
    let (st, tok) = T::json(
        t.http
            .post(t.url("/oauth/token"))
            .json(
                &json!({"grant_type": "authorization_code", "client_id": "practice-app",
                "client_secret": "practice-secret", "code": code, "redirect_uri": exact,
                "code_verifier": "v".repeat(43)}),
            )
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(st, 200, "{tok}");
    assert!(tok["refresh_token"].is_string());
    // Another host, port, path or scheme: the OAuth error page, never a redirect.
    for other in [
        "http://localhost:8765/callback",
        "http://127.0.0.1:8766/callback",
        "http://127.0.0.1:8765/callback/",
        "http://127.0.0.1:8765/other",
        "https://127.0.0.1:8765/callback",
    ] {
        let r = t
            .http
            .get(authorize_url(&t.base, "practice-app", other))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 400, "{other}");
        assert!(r.headers().get("location").is_none());
        let ct = r.headers()["content-type"].to_str().unwrap().to_string();
        assert!(ct.starts_with("text/html"), "{ct}");
        let page = r.text().await.unwrap();
        assert!(page.contains("redirect_uri_mismatch"), "{page}");
        assert!(page.contains("http://127.0.0.1:8765/callback"), "{page}");
    }
    // The wrong secret is refused at the token endpoint.
    let (st, e) = T::json(
        t.http
            .post(t.url("/oauth/token"))
            .json(
                &json!({"grant_type": "refresh_token", "client_id": "practice-app",
                "client_secret": "nope", "refresh_token": tok["refresh_token"]}),
            )
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(st, 401);
    assert_eq!(e["error"], "invalid_client");
    // The demo client keeps its loopback wildcard beside registered clients.
    for any in ["http://localhost:40001/cb", "http://127.0.0.1:9/callback"] {
        let r = t
            .http
            .get(authorize_url(&t.base, "demo-client", any))
            .send()
            .await
            .unwrap();
        assert!(r.status().is_redirection(), "{any}: {}", r.status());
    }
}

#[test]
fn client_specs_parse() {
    let c = registered();
    assert_eq!(c.id, "practice-app");
    assert_eq!(c.secret, "practice-secret");
    assert_eq!(c.redirect_uri, "http://127.0.0.1:8765/callback");
    for bad in [
        "only-id",
        "id:secret",
        ":secret:http://127.0.0.1/cb",
        "id::http://127.0.0.1/cb",
        "id:secret:not a url",
        "id:secret:http://127.0.0.1/cb#frag",
    ] {
        assert!(RegisteredClient::parse(bad).is_err(), "{bad}");
    }
}

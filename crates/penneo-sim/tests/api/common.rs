//! Test helpers: a plain HTTP client written from Penneo's published docs.
#![allow(dead_code)]

use base64::Engine;
use penneo_sim::{RunningSim, Sim, SimConfig};
use reqwest::{Client, Response, StatusCode};
use serde_json::{json, Value};
use sha1::Digest as _;

pub struct T {
    pub sim: Option<RunningSim>,
    pub base: String,
    pub http: Client,
}

pub fn client() -> Client {
    // reqwest is built with rustls and no provider of its own (the app installs ring's): one
    // before the first client. Installing twice fails harmlessly.
    let _ = rustls::crypto::ring::default_provider().install_default();
    Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(std::time::Duration::from_secs(30))
        .build()
        .unwrap()
}

pub async fn start_with(cfg: SimConfig) -> T {
    let sim = Sim::start(cfg).await.unwrap();
    let base = sim.base_url();
    T {
        sim: Some(sim),
        base,
        http: client(),
    }
}

pub async fn start() -> T {
    start_with(SimConfig {
        job_delay_ms: 1000,
        auto_approve: true,
        ..Default::default()
    })
    .await
}

pub fn digest(raw: &[u8], created: &str, secret: &str) -> String {
    let mut h = sha1::Sha1::new();
    h.update(raw);
    h.update(created.as_bytes());
    h.update(secret.as_bytes());
    base64::engine::general_purpose::STANDARD.encode(h.finalize())
}

pub fn s256(verifier: &str) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(sha2::Sha256::digest(verifier.as_bytes()))
}

/// A minimal valid one-page PDF (offsets computed).
pub fn pdf(text: &str) -> Vec<u8> {
    let content = format!("BT /F1 12 Tf 20 100 Td ({text}) Tj ET");
    let objs = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>".to_string(),
        format!("<< /Length {} >>\nstream\n{content}\nendstream", content.len() + 1),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_string(),
    ];
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offs = vec![];
    for (i, o) in objs.iter().enumerate() {
        offs.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{o}\nendobj\n", i + 1).as_bytes());
    }
    let x = out.len();
    out.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f \n", objs.len() + 1).as_bytes());
    for o in offs {
        out.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{x}\n%%EOF\n",
            objs.len() + 1
        )
        .as_bytes(),
    );
    out
}

impl T {
    pub fn url(&self, p: &str) -> String {
        format!("{}{}", self.base, p)
    }

    pub async fn json(r: Response) -> (StatusCode, Value) {
        let st = r.status();
        let text = r.text().await.unwrap();
        (
            st,
            serde_json::from_str(&text).unwrap_or(Value::String(text)),
        )
    }

    /// api_keys grant with a fresh nonce.
    pub async fn api_key_token(&self) -> String {
        let raw: Vec<u8> = (0..20).map(|_| rand_byte()).collect();
        let nonce = base64::engine::general_purpose::STANDARD.encode(&raw);
        let created = "2026-11-25T10:00:00.000Z";
        let r = self
            .http
            .post(self.url("/oauth/token"))
            .json(&json!({"grant_type": "api_keys", "client_id": "demo-client", "client_secret": "demo-secret",
                          "key": "demo-key", "nonce": nonce, "created_at": created,
                          "digest": digest(&raw, created, "demo-api-secret")}))
            .send()
            .await
            .unwrap();
        let (st, v) = Self::json(r).await;
        assert_eq!(st, 200, "{v}");
        v["access_token"].as_str().unwrap().to_string()
    }

    /// The signing link of signer `idx` of a casefile (from its details), through
    /// `GET /api/v1/signingrequests/{id}/link`.
    pub async fn signing_link(&self, tok: &str, casefile: &Value, idx: usize) -> String {
        let rid = casefile["signers"][idx]["signingRequest"]["id"]
            .as_u64()
            .expect("a signing request id");
        let (st, v) = self
            .get(tok, &format!("/api/v1/signingrequests/{rid}/link"))
            .await;
        assert_eq!(st, 200, "{v}");
        v[0].as_str()
            .expect("a JSON array holding the link")
            .to_string()
    }

    pub async fn get(&self, tok: &str, p: &str) -> (StatusCode, Value) {
        Self::json(
            self.http
                .get(self.url(p))
                .bearer_auth(tok)
                .send()
                .await
                .unwrap(),
        )
        .await
    }

    pub async fn post(&self, tok: &str, p: &str, body: Value) -> (StatusCode, Value) {
        Self::json(
            self.http
                .post(self.url(p))
                .bearer_auth(tok)
                .json(&body)
                .send()
                .await
                .unwrap(),
        )
        .await
    }

    pub async fn put(&self, tok: &str, p: &str, body: Value) -> (StatusCode, Value) {
        Self::json(
            self.http
                .put(self.url(p))
                .bearer_auth(tok)
                .json(&body)
                .send()
                .await
                .unwrap(),
        )
        .await
    }

    pub async fn control(&self, p: &str, body: Value) -> (StatusCode, Value) {
        Self::json(
            self.http
                .post(self.url(p))
                .json(&body)
                .send()
                .await
                .unwrap(),
        )
        .await
    }

    pub async fn advance(&self, seconds: f64) {
        let (st, _) = self
            .control("/_sim/clock/advance", json!({"seconds": seconds}))
            .await;
        assert_eq!(st, 200);
    }

    /// Multipart create with the given data string and files.
    pub async fn create_casefile(
        &self,
        tok: &str,
        data: &str,
        files: &[(&str, &[u8])],
    ) -> (StatusCode, Value) {
        let mut form = reqwest::multipart::Form::new().text("data", data.to_string());
        for (name, bytes) in files {
            form = form.part(
                "files",
                reqwest::multipart::Part::bytes(bytes.to_vec())
                    .file_name(name.to_string())
                    .mime_str("application/pdf")
                    .unwrap(),
            );
        }
        let r = self
            .http
            .post(self.url("/send/api/v1/casefiles/20251022/create"))
            .header("X-Auth-Token", tok)
            .multipart(form)
            .send()
            .await
            .unwrap();
        Self::json(r).await
    }

    pub async fn job(&self, uuid: &str, hash: &str) -> (StatusCode, Value) {
        Self::json(
            self.http
                .post(self.url("/send/api/v1/queue/public/status"))
                .json(&json!({"uuid": uuid, "payloadHash": hash}))
                .send()
                .await
                .unwrap(),
        )
        .await
    }

    /// Create a casefile through Send and drive the job to completion; returns its id.
    pub async fn send_casefile(&self, tok: &str, title: &str, signers: usize) -> u64 {
        let signers: Vec<Value> = (0..signers)
            .map(|i| json!({"name": format!("Signer {i}"), "email": format!("s{i}@example.org"), "role": format!("role{i}"), "signOrder": i}))
            .collect();
        let data = json!({"caseFile": {"title": title, "language": "da", "signers": signers,
            "documents": [{"title": "Agreement", "name": "agreement.pdf"}]}})
        .to_string();
        let (st, v) = self
            .create_casefile(tok, &data, &[("agreement.pdf", &pdf("Agreement"))])
            .await;
        assert_eq!(st, 200, "{v}");
        let uuid = v["jobs"][0]["uuid"].as_str().unwrap().to_string();
        let hash = v["jobs"][0]["payloadHash"].as_str().unwrap().to_string();
        self.advance(5.0).await;
        let (st, j) = self.job(&uuid, &hash).await;
        assert_eq!(st, 200);
        assert_eq!(j["jobStatus"], "completed", "{j}");
        j["result"]["data"]["caseFile"]["id"].as_u64().unwrap()
    }

    /// Wait (bounded) until a casefile reaches a status, advancing the clock.
    pub async fn wait_status(&self, tok: &str, id: u64, status: u64) -> Value {
        for _ in 0..50 {
            let (st, v) = self.get(tok, &format!("/api/v1/casefiles/{id}")).await;
            assert_eq!(st, 200);
            if v["status"] == status {
                return v;
            }
            self.advance(1.0).await;
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        panic!("casefile {id} never reached status {status}");
    }
}

fn rand_byte() -> u8 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static C: AtomicU64 = AtomicU64::new(0x9E37_79B9_7F4A_7C15);
    let x = C.fetch_add(0x9E37_79B9_7F4A_7C15, Ordering::Relaxed);
    let t = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64;
    ((x ^ t).wrapping_mul(0xBF58_476D_1CE4_E5B9) >> 56) as u8
}

pub fn kyc_form() -> Value {
    json!({
        "name": "KYC individual",
        "language": "EN",
        "description": "Know your customer",
        "caseFileTitleTemplate": "{{formName}} - {{primarySigner.name}}",
        "additionalSignersConfig": {"opaque": [1, 2, 3]},
        "customTopLevel": "kept",
        "sections": [
            {"slug": "contact", "title": "Contact", "fields": [
                {"name": "full_name", "label": "Name", "type": "TEXT", "required": true, "mapTo": "primarySigner.name",
                 "validations": {"minLength": 2, "maxLength": 120}},
                {"name": "email", "label": "E-mail", "type": "EMAIL", "required": true, "mapTo": "primarySigner.email"},
                {"name": "kind", "label": "Kind", "type": "CHOICE", "layout": "RADIO", "required": true,
                 "options": [{"label": "Person", "value": "person"}, {"label": "Company", "value": "company"}]},
                {"name": "cvr", "label": "CVR", "type": "BUSINESS_ID", "required": true,
                 "condition": {"rules": [{"field": "kind", "operator": "EQUALS", "value": "company"}]}}
            ]},
            {"slug": "refs", "title": "References", "multipleEntries": {"max": 3}, "fields": [
                {"name": "ref_name", "label": "Reference", "type": "TEXT", "required": true}
            ]},
            {"slug": "summary", "title": "Summary", "fields": [
                {"type": "HTML", "content": "<p>Signing: {{full_name}}</p>"}
            ]}
        ]
    })
}

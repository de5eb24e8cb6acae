//! Whole journeys against the stateful simulator (`penneo-sim` on 127.0.0.1:0).

use std::time::Duration;

use futures::TryStreamExt;
use penneo::{
    CaseFileDraft, CasefileStatus, Credentials, DocumentSpec, DocumentVariant, Environment,
    FormDefinition, FormStatus, JobStatus, Penneo, PrefillValue, PrefilledRequest, Secret,
    SignerSpec, SubmissionQuery, UploadFile,
};
use penneo_sim::{RunningSim, Sim, SimConfig};
use serde_json::{json, Value};
use url::Url;

async fn sim() -> RunningSim {
    Sim::start(SimConfig {
        auto_approve: true,
        job_delay_ms: 200,
        ..Default::default()
    })
    .await
    .unwrap()
}

fn builder(sim: &RunningSim) -> penneo::PenneoBuilder {
    Penneo::builder()
        .environment(Environment::custom_single(sim.url()))
        .credentials(Credentials::oauth(
            penneo_sim::DEMO_CLIENT_ID,
            Secret::new(penneo_sim::DEMO_CLIENT_SECRET),
        ))
}

/// Signs in with PKCE, following the authorize redirect like a browser would.
async fn sign_in(sim: &RunningSim) -> Penneo {
    let client = builder(sim).build().unwrap();
    let redirect = Url::parse("http://127.0.0.1:8765/callback").unwrap();
    let req = client.auth().authorize_url(&redirect, None).unwrap();
    let browser = penneo::tls::client_builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let resp = browser.get(req.url.clone()).send().await.unwrap();
    assert!(
        resp.status().is_redirection(),
        "authorize answered {}",
        resp.status()
    );
    let location = resp.headers()["location"].to_str().unwrap().to_owned();
    let back = Url::parse(&location).unwrap();
    assert_eq!(back.path(), "/callback");
    let code = req.code_from_redirect(&back).unwrap();
    let tokens = client
        .auth()
        .exchange_code(&code, &req.pkce_verifier, &redirect)
        .await
        .unwrap();
    assert!(tokens.refresh_token.is_some());
    client
}

fn definition() -> FormDefinition {
    serde_json::from_value(json!({
        "name": "Supplier Registration",
        "language": "EN",
        "description": "Supplier details",
        "caseFileTitleTemplate": "{{formName}} - {{primarySigner.name}}",
        "sections": [
            {"slug": "contact", "title": "Contact person", "fields": [
                {"name": "contact_name", "label": "Name", "type": "TEXT", "required": true, "mapTo": "primarySigner.name",
                 "validations": {"minLength": 2, "maxLength": 120}},
                {"name": "contact_email", "label": "E-mail", "type": "EMAIL", "required": true, "mapTo": "primarySigner.email"},
                {"name": "supplier_kind", "label": "Supplier kind", "type": "CHOICE", "layout": "RADIO", "required": true,
                 "options": [{"label": "Sole trader", "value": "sole"}, {"label": "Company", "value": "company"}]}
            ]},
            {"slug": "references", "title": "Customer references", "multipleEntries": {"max": 3}, "fields": [
                {"name": "reference_customer", "label": "Customer", "type": "TEXT", "required": true}
            ]}
        ]
    }))
    .unwrap()
}

fn minimal_pdf(text: &str) -> Vec<u8> {
    let content = format!("BT /F1 24 Tf 72 720 Td ({text}) Tj ET");
    let objs = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>".to_string(),
        format!("<< /Length {} >>\nstream\n{}\nendstream", content.len(), content),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_string(),
    ];
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objs.iter().enumerate() {
        offsets.push(out.len());
        out.extend(format!("{} 0 obj\n{}\nendobj\n", i + 1, o).as_bytes());
    }
    let xref = out.len();
    out.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objs.len() + 1).as_bytes());
    for off in offsets {
        out.extend(format!("{off:010} 00000 n \n").as_bytes());
    }
    out.extend(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objs.len() + 1
        )
        .as_bytes(),
    );
    out
}

#[tokio::test]
async fn pkce_sign_in_then_refresh_rotates() {
    let sim = sim().await;
    let client = sign_in(&sim).await;
    let info = client.version().await.unwrap();
    assert!(info.version.is_some());
    // A refresh through the provider works and rotates the refresh token.
    let before = client.token_provider().tokens().await.unwrap();
    let rejected = before.access_token.clone();
    client
        .token_provider()
        .token_rejected(&rejected)
        .await
        .unwrap();
    let after = client.token_provider().tokens().await.unwrap();
    assert_ne!(after.access_token, before.access_token);
    assert_ne!(after.refresh_token, before.refresh_token);
    client.version().await.unwrap();
    // The old refresh token is dead.
    let err = client
        .auth()
        .refresh(before.refresh_token.as_ref().unwrap())
        .await
        .unwrap_err();
    assert!(matches!(err, penneo::Error::OAuth { .. }), "{err:?}");
    client.auth().sign_out().await.unwrap();
    assert!(matches!(
        client.version().await,
        Err(penneo::Error::SignInRequired)
    ));
}

#[tokio::test]
async fn api_keys_sign_in() {
    let sim = sim().await;
    let client = Penneo::builder()
        .environment(Environment::custom_single(sim.url()))
        .credentials(Credentials::api_keys(
            penneo_sim::DEMO_CLIENT_ID,
            Secret::new(penneo_sim::DEMO_CLIENT_SECRET),
            penneo_sim::DEMO_API_KEY,
            Secret::new(penneo_sim::DEMO_API_SECRET),
        ))
        .build()
        .unwrap();
    client.version().await.unwrap();
    assert_eq!(client.token_provider().renewals(), 1);
}

#[tokio::test]
async fn build_publish_request_submit_answers() {
    let sim = sim().await;
    let client = sign_in(&sim).await;
    let forms = client.forms();
    let created = forms.create(&definition(), false).await.unwrap();
    let id = created.form_id().unwrap().as_str().to_owned();
    let draft = forms.get(&id).await.unwrap();
    assert_eq!(draft.status, Some(FormStatus::Draft));
    // What comes back round-trips into an update unchanged.
    assert_eq!(draft.to_definition().sections, definition().sections);
    forms.publish(&id).await.unwrap();
    let active = forms.get(&id).await.unwrap();
    assert_eq!(active.status, Some(FormStatus::Active));
    let listed = forms
        .list(&penneo::FormListQuery {
            status: vec![FormStatus::Active],
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(listed
        .iter()
        .any(|f| f.form_id().map(|x| x.as_str()) == Some(id.as_str())));

    // An invalid definition is refused with the field named.
    let mut bad = definition();
    bad.sections[0].fields[2].map_to = Some("primarySigner.email".into());
    let err = forms.create(&bad, false).await.unwrap_err();
    assert!(matches!(err, penneo::Error::InvalidInput { .. }), "{err:?}");

    // Prefilled request → submit (simulator control API) → answers.
    let pv = |v: &str, editable| PrefillValue {
        value: json!(v),
        editable,
    };
    let req = PrefilledRequest::new()
        .section_instance("contact", [("contact_name", pv("Ida Holm", false))]);
    let request = client.requests().create(&id, &req).await.unwrap();
    let err = client
        .requests()
        .answers(&id, request.request_id.as_str())
        .await
        .unwrap_err();
    assert!(matches!(err, penneo::Error::NotFound { .. }), "{err:?}");
    let submit: Value = penneo::tls::client()
        .post(format!("{}/_sim/requests/{}/submit", sim.base_url(), request.request_id))
        .json(&json!({"answers": {
            "contact": [{"contact_email": "ida@example.org", "supplier_kind": "company"}],
            "references": [{"reference_customer": "Acme A/S"}, {"reference_customer": "Nordvind ApS"}]
        }}))
        .send()
        .await
        .unwrap()
        .error_for_status()
        .unwrap()
        .json()
        .await
        .unwrap();
    let answers = client
        .requests()
        .answers(&id, request.request_id.as_str())
        .await
        .unwrap();
    let values: Vec<(String, Value)> = answers
        .iter_answers()
        .map(|(_, a)| (a.name.clone(), a.value.clone().unwrap_or(Value::Null)))
        .collect();
    assert!(
        values.contains(&("contact_name".into(), json!("Ida Holm"))),
        "{values:?}"
    );
    assert!(
        values.contains(&("contact_email".into(), json!("ida@example.org"))),
        "{values:?}"
    );
    assert_eq!(
        values
            .iter()
            .filter(|(n, _)| n == "reference_customer")
            .count(),
        2
    );
    let sid = submit["submissionId"]
        .as_str()
        .map(str::to_owned)
        .unwrap_or_else(|| submit["submissionId"].to_string());
    let by_submission = client.submissions().answers(&id, &sid).await.unwrap();
    assert_eq!(by_submission.sections, answers.sections);
    let subs: Vec<_> = client
        .submissions()
        .stream(
            &id,
            SubmissionQuery {
                limit: Some(1),
                ..Default::default()
            },
        )
        .try_collect()
        .await
        .unwrap();
    assert!(subs.len() <= 1);

    // Editing an ACTIVE form makes a new DRAFT version; the versions list shows both.
    let mut edited = active.to_definition();
    edited.description = Some("Edited".into());
    forms.update(&id, &edited, false).await.unwrap();
    let versions = forms.versions(&id).await.unwrap();
    assert!(versions.len() >= 2, "{versions:?}");
    assert!(versions.iter().any(|v| v.status == FormStatus::Draft));
    forms.archive(&id).await.unwrap();
    assert_eq!(
        forms.get(&id).await.unwrap().status,
        Some(FormStatus::Archived)
    );
}

#[tokio::test]
async fn casefile_from_pdfs_job_sign_all_download_sealed() {
    let sim = sim().await;
    let client = sign_in(&sim).await;
    let dir = tempfile::tempdir().unwrap();
    let original = minimal_pdf("Framework agreement");
    std::fs::write(dir.path().join("agreement.pdf"), &original).unwrap();
    std::fs::write(dir.path().join("prices.pdf"), minimal_pdf("Price list")).unwrap();
    let files = vec![
        UploadFile::new(dir.path().join("agreement.pdf")).unwrap(),
        UploadFile::new(dir.path().join("prices.pdf")).unwrap(),
    ];
    let draft = CaseFileDraft::new(
        "Framework agreement 2026",
        vec![
            SignerSpec {
                role: Some("customer".into()),
                sign_order: Some(0),
                ..SignerSpec::new("Ida Holm", "ida@example.org")
            },
            SignerSpec {
                role: Some("supplier".into()),
                sign_order: Some(1),
                ..SignerSpec::new("Mark Berg", "mark@example.org")
            },
        ],
        vec![
            DocumentSpec {
                roles: vec!["customer".into(), "supplier".into()],
                ..DocumentSpec::new("Framework agreement", "agreement.pdf")
            },
            DocumentSpec {
                signable: Some(false),
                ..DocumentSpec::new("Price list", "prices.pdf")
            },
        ],
    );
    let created = client
        .casefiles()
        .create(&draft, &files, None)
        .await
        .unwrap();
    let job_ref = created.response.jobs[0].clone();
    assert_eq!(
        job_ref.payload_hash, created.data.sha256,
        "the server hashes exactly the data we sent"
    );
    let job = client
        .jobs()
        .wait(&job_ref, Duration::from_secs(60))
        .await
        .unwrap();
    assert_eq!(job.job_status, JobStatus::Completed, "{job:?}");
    let id = job.casefile_id().unwrap();
    let cf = client.casefiles().get(id).await.unwrap();
    assert_eq!(cf.title.as_deref(), Some("Framework agreement 2026"));
    assert!(!cf.status.is_terminal(), "{:?}", cf.status);

    penneo::tls::client()
        .post(format!("{}/_sim/casefiles/{id}/sign-all", sim.base_url()))
        .send()
        .await
        .unwrap()
        .error_for_status()
        .unwrap();
    let mut status = client.casefiles().get(id).await.unwrap().status;
    for _ in 0..100 {
        if status == CasefileStatus::Completed {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
        status = client.casefiles().get(id).await.unwrap().status;
    }
    assert_eq!(status, CasefileStatus::Completed);
    let listed: Vec<_> = client
        .casefiles()
        .list(&penneo::CaseFileListQuery {
            status: Some(CasefileStatus::Completed),
            per_page: Some(1),
            ..Default::default()
        })
        .try_collect()
        .await
        .unwrap();
    assert!(listed.iter().any(|c| c.id == id));

    let docs = client.casefiles().documents(id).await.unwrap();
    let doc = docs
        .iter()
        .find(|d| d.title.as_deref() == Some("Framework agreement"))
        .unwrap();
    let path = dir.path().join("sealed.pdf");
    let mut out = tokio::fs::File::create(&path).await.unwrap();
    let n = client
        .documents()
        .download(doc.id, DocumentVariant::Signed, &mut out)
        .await
        .unwrap();
    drop(out);
    let sealed = std::fs::read(&path).unwrap();
    assert_eq!(n as usize, sealed.len());
    assert!(sealed.starts_with(b"%PDF-"));
    assert_ne!(sealed, original);
    let mut orig_back = Vec::new();
    client
        .documents()
        .download(doc.id, DocumentVariant::Original, &mut orig_back)
        .await
        .unwrap();
    assert_eq!(orig_back, original);
}

/// Every path under an unknown prefix is an unknown route to the simulator, which answers like
/// NestJS (`Cannot GET /…`): the client reports "not supported", published endpoint or not.
#[tokio::test]
async fn unknown_routes_at_the_simulator_are_not_supported() {
    let sim = sim().await;
    let signed_in = sign_in(&sim).await;
    let tokens = signed_in.token_provider().tokens().await.unwrap();
    let client = Penneo::builder()
        .environment(Environment::Custom {
            oauth_base: sim.url(),
            api_base: sim.url().join("/no-such-service/").unwrap(),
        })
        .credentials(Credentials::oauth(
            penneo_sim::DEMO_CLIENT_ID,
            Secret::new(penneo_sim::DEMO_CLIENT_SECRET),
        ))
        .tokens(tokens)
        .build()
        .unwrap();
    let err = client.version().await.unwrap_err();
    assert!(
        matches!(
            err,
            penneo::Error::NotSupported {
                operation: "version"
            }
        ),
        "{err:?}"
    );
    let err = client.casefiles().get(1).await.unwrap_err();
    assert!(
        matches!(
            err,
            penneo::Error::NotSupported {
                operation: "get_casefile"
            }
        ),
        "{err:?}"
    );
    // The real paths still answer "not found" for a missing record.
    let err = signed_in.casefiles().get(999_999_999).await.unwrap_err();
    assert!(matches!(err, penneo::Error::NotFound { .. }), "{err:?}");
}

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use crate::common::*;
use penneo::{
    CaseFileDraft, CcRecipient, DocumentSpec, EmailFormat, Error, InsecureSigningMethod, JobRef,
    JobStatus, Language, PreparedData, Progress, SignerSpec, SsnType, UploadFile,
};
use serde_json::{json, Value};
use sha2::Digest;
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn full_draft() -> CaseFileDraft {
    let mut d = CaseFileDraft::new(
        "Framework agreement 2026",
        vec![
            SignerSpec {
                role: Some("customer".into()),
                sign_order: Some(0),
                reminder_interval: Some(3),
                ssn_type: Some(SsnType::DkCpr),
                social_security_number_plain: Some("0101701234".into()),
                language: Some(Language::Da),
                email_format: Some(EmailFormat::Html),
                email_subject: Some("Please sign".into()),
                email_text: Some("Please sign the agreement".into()),
                reminder_email_subject: Some("Reminder".into()),
                reminder_email_text: Some("Reminder text".into()),
                completed_email_subject: Some("Completed".into()),
                completed_email_text: Some("All signed now".into()),
                access_control: Some(true),
                on_behalf_of: Some("Acme A/S".into()),
                vatin: Some("DK12345678".into()),
                active_at: Some(1_790_000_000),
                expire_at: Some(1_798_761_600),
                store_as_contact: Some(false),
                ..SignerSpec::new("Ida Holm", "ida@example.org")
            },
            SignerSpec {
                role: Some("supplier".into()),
                sign_order: Some(1),
                enable_insecure_signing: Some(true),
                insecure_signing_methods: vec![
                    InsecureSigningMethod::Draw,
                    InsecureSigningMethod::Text,
                ],
                success_url: Some("https://example.org/signed".into()),
                fail_url: Some("https://example.org/failed".into()),
                ..SignerSpec::new("Mark Berg", "mark@example.org")
            },
        ],
        vec![
            DocumentSpec {
                document_order: Some(0),
                roles: vec!["customer".into(), "supplier".into()],
                meta_data: Some("doc-meta".into()),
                ..DocumentSpec::new("Framework agreement", "agreement.pdf")
            },
            DocumentSpec {
                signable: Some(false),
                document_order: Some(1),
                ..DocumentSpec::new("Price list", "prices.pdf")
            },
        ],
    );
    let cf = &mut d.case_file;
    cf.language = Some(Language::Da);
    cf.reference = Some("CRM-4711".into());
    cf.meta_data = Some("{\"crmId\":4711}".into());
    cf.expire_at = Some(1_798_761_600);
    cf.send_at = Some(1_790_000_000);
    cf.folder_id = Some(7);
    cf.sensitive_data = Some(false);
    cf.access_control = Some(true);
    cf.disable_notifications_owner = Some(true);
    cf.disable_email_attachments = Some(true);
    cf.sign_on_meeting = Some(false);
    cf.visibility_mode = Some(1);
    cf.sender_name = Some("Desk".into());
    cf.cc_recipients = vec![CcRecipient {
        name: "Legal".into(),
        email: "legal@example.org".into(),
        store_as_contact: Some(true),
        ..Default::default()
    }];
    d
}

#[test]
fn draft_serialises_every_documented_field() {
    let v = serde_json::to_value(full_draft()).unwrap();
    let cf = &v["caseFile"];
    for k in [
        "title",
        "signers",
        "documents",
        "language",
        "metaData",
        "reference",
        "folderId",
        "sendAt",
        "expireAt",
        "sensitiveData",
        "accessControl",
        "disableNotificationsOwner",
        "disableEmailAttachments",
        "signOnMeeting",
        "visibilityMode",
        "senderName",
        "ccRecipients",
    ] {
        assert!(cf.get(k).is_some(), "caseFile.{k} missing");
    }
    let s0 = &cf["signers"][0];
    assert_eq!(s0["ssnType"], "dk:cpr");
    assert_eq!(s0["reminderInterval"], 3);
    assert_eq!(s0["emailFormat"], "html");
    assert_eq!(
        cf["signers"][1]["insecureSigningMethods"],
        json!(["draw", "text"])
    );
    assert_eq!(cf["documents"][1]["signable"], false);
    assert_eq!(cf["ccRecipients"][0]["storeAsContact"], true);
    // Unknown enum values and unknown keys round-trip.
    let mut raw = v.clone();
    raw["caseFile"]["language"] = json!("pl");
    raw["caseFile"]["futureFlag"] = json!(true);
    let back: CaseFileDraft = serde_json::from_value(raw.clone()).unwrap();
    assert_eq!(
        back.case_file.language,
        Some(Language::Unknown("pl".into()))
    );
    assert_eq!(serde_json::to_value(&back).unwrap(), raw);
    // Debug hides the national id.
    assert!(!format!("{:?}", full_draft()).contains("0101701234"));
}

#[test]
fn validation_catches_mismatched_files() {
    let d = full_draft();
    let names = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    d.validate(&names(&["agreement.pdf", "prices.pdf"]))
        .unwrap();
    assert!(matches!(
        d.validate(&names(&["agreement.pdf"])),
        Err(Error::InvalidInput { .. })
    ));
    assert!(matches!(
        d.validate(&names(&["agreement.pdf", "prices.pdf", "x.pdf"])),
        Err(Error::InvalidInput { .. })
    ));
    assert!(matches!(
        d.validate(&names(&["agreement.pdf", "agreement.pdf", "prices.pdf"])),
        Err(Error::InvalidInput { .. })
    ));
    // The Send schema's input rules, each at its field, before anything is sent.
    let ok = names(&["agreement.pdf", "prices.pdf"]);
    let field_of = |d: &penneo::CaseFileDraft| match d.validate(&ok) {
        Err(Error::InvalidInput { field, message }) => (field.unwrap_or_default(), message),
        other => panic!("{other:?}"),
    };
    let mut r = d.clone();
    r.case_file.signers[0].role = Some("Køber".into());
    let (f, m) = field_of(&r);
    assert_eq!(f, "caseFile.signers[0].role");
    assert!(
        m.contains("æ, ø and å are not allowed") && m.contains("Try \"Koeber\""),
        "{m}"
    );
    let mut r = d.clone();
    r.case_file.signers[1].role = Some("ab".into());
    assert_eq!(field_of(&r).0, "caseFile.signers[1].role");
    let mut r = d.clone();
    r.case_file.documents[0].roles = vec!["customer".into(), "Sælger".into()];
    assert_eq!(field_of(&r).0, "caseFile.documents[0].roles[1]");
    let mut r = d.clone();
    r.case_file.language = Some(Language::Nb);
    assert_eq!(field_of(&r).0, "caseFile.language");
    let mut r = d.clone();
    r.case_file.signers[0].language = Some(Language::Nb);
    assert_eq!(field_of(&r).0, "caseFile.signers[0].language");
    let mut r = d.clone();
    r.case_file.signers[0].email_subject = Some("Hi".into());
    assert_eq!(field_of(&r).0, "caseFile.signers[0].emailSubject");
    let mut r = d.clone();
    r.case_file.signers[0].reminder_interval = Some(0);
    assert_eq!(field_of(&r).0, "caseFile.signers[0].reminderInterval");
    let mut r = d.clone();
    r.case_file.title = "x".repeat(1025);
    assert_eq!(field_of(&r).0, "caseFile.title");
    let mut empty = d.clone();
    empty.case_file.signers.clear();
    assert!(
        matches!(empty.validate(&names(&["agreement.pdf", "prices.pdf"])), Err(Error::InvalidInput { field: Some(f), .. }) if f == "caseFile.signers")
    );
}

fn write_pdf(dir: &std::path::Path, name: &str, size: usize, fill: u8) -> std::path::PathBuf {
    let mut bytes = b"%PDF-1.4\n".to_vec();
    bytes.resize(size, fill);
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

#[tokio::test]
async fn create_casefile_streams_multipart_with_data_string_and_files() {
    let server = MockServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    let a = write_pdf(dir.path(), "agreement.pdf", 3 * 1024 * 1024 + 17, b'a');
    let b = write_pdf(dir.path(), "prices.pdf", 1000, b'b');
    let client = client(&server);
    let files = vec![UploadFile::new(&a).unwrap(), UploadFile::new(&b).unwrap()];
    let prepared = client.casefiles().prepare(&full_draft(), &files).unwrap();
    assert_eq!(
        prepared.sha256,
        hex::encode(sha2::Sha256::digest(prepared.data.as_bytes()))
    );
    Mock::given(method("POST"))
        .and(path("/send/api/v1/casefiles/20251022/create"))
        .and(header("x-auth-token", ACCESS))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({
            "status": "handled", "message": "Job created",
            "jobs": [{"uuid": "5d2f", "payloadHash": prepared.sha256, "createdAt": "2026-06-20T09:15:00Z"}]
        })))
        .expect(1)
        .mount(&server)
        .await;
    let last = Arc::new(AtomicU64::new(0));
    let calls = Arc::new(AtomicU64::new(0));
    let (l2, c2) = (last.clone(), calls.clone());
    let progress = Arc::new(move |p: Progress| {
        assert!(p.bytes_sent <= p.total_bytes);
        l2.fetch_max(p.bytes_sent, Ordering::SeqCst);
        c2.fetch_add(1, Ordering::SeqCst);
    });
    let created = client
        .casefiles()
        .create(&full_draft(), &files, Some(progress))
        .await
        .unwrap();
    assert_eq!(
        created.data, prepared,
        "the same draft gives the same data and hash"
    );
    assert_eq!(created.response.jobs[0].uuid, "5d2f");
    assert_eq!(
        created.response.jobs[0].created_at.as_deref(),
        Some("2026-06-20T09:15:00Z")
    );
    let total = 3 * 1024 * 1024 + 17 + 1000;
    assert_eq!(last.load(Ordering::SeqCst), total as u64);
    assert!(calls.load(Ordering::SeqCst) >= 2);

    let reqs = server.received_requests().await.unwrap();
    let r = &reqs[0];
    assert!(
        r.headers.get("authorization").is_none(),
        "Send uses X-Auth-Token, not Bearer"
    );
    let ct = r
        .headers
        .get("content-type")
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    assert!(ct.starts_with("multipart/form-data"));
    assert_eq!(
        r.headers.get("content-length").unwrap().to_str().unwrap(),
        r.body.len().to_string()
    );
    let parts = parse_multipart(&ct, &r.body);
    assert_eq!(parts.len(), 3);
    assert_eq!(parts[0].name, "data");
    assert_eq!(parts[0].filename, None, "data is a plain string part");
    assert_eq!(
        String::from_utf8(parts[0].body.clone()).unwrap(),
        prepared.data
    );
    let data: Value = serde_json::from_slice(&parts[0].body).unwrap();
    assert_eq!(data["caseFile"]["title"], "Framework agreement 2026");
    assert_eq!(parts[1].name, "files");
    assert_eq!(parts[1].filename.as_deref(), Some("agreement.pdf"));
    assert_eq!(parts[1].content_type.as_deref(), Some("application/pdf"));
    assert_eq!(parts[1].body, std::fs::read(&a).unwrap());
    assert_eq!(parts[2].name, "files");
    assert_eq!(parts[2].filename.as_deref(), Some("prices.pdf"));
    assert_eq!(parts[2].body, std::fs::read(&b).unwrap());
}

#[tokio::test]
async fn create_casefile_400_is_reported_and_never_retried() {
    let server = MockServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    let a = write_pdf(dir.path(), "agreement.pdf", 100, b'a');
    let b = write_pdf(dir.path(), "prices.pdf", 100, b'b');
    Mock::given(method("POST"))
        .and(path("/send/api/v1/casefiles/20251022/create"))
        .respond_with(ResponseTemplate::new(400).set_body_json(
            json!({"error": "Bad Request", "message": "caseFile.signers[0].role 'Købér' is not allowed", "statusCode": 400}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let files = vec![UploadFile::new(&a).unwrap(), UploadFile::new(&b).unwrap()];
    let err = client(&server)
        .casefiles()
        .create(&full_draft(), &files, None)
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::InvalidInput { ref message, .. } if message.contains("role")),
        "{err:?}"
    );
    // No refresh was attempted for a validation 400.
    let reqs = server.received_requests().await.unwrap();
    assert!(reqs.iter().all(|r| r.url.path() != "/oauth/token"));
}

/// Penneo's Send API answers a bad or expired token with `400 {"message": "Invalid JWT
/// token: …"}`: that is an expired session (refresh once and resend), never a refused casefile.
#[tokio::test]
async fn create_casefile_400_naming_the_jwt_refreshes_once_and_resends() {
    let server = MockServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    let a = write_pdf(dir.path(), "agreement.pdf", 100, b'a');
    let b = write_pdf(dir.path(), "prices.pdf", 100, b'b');
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(token_response("access-2", Some("refresh-2"))),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/send/api/v1/casefiles/20251022/create"))
        .and(header("x-auth-token", "access-1"))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({
            "error": "Bad Request", "message": "Invalid JWT token: jwt expired", "statusCode": 400
        })))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/send/api/v1/casefiles/20251022/create"))
        .and(header("x-auth-token", "access-2"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"status": "handled", "message": "Job created", "jobs": []})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let files = vec![UploadFile::new(&a).unwrap(), UploadFile::new(&b).unwrap()];
    client(&server)
        .casefiles()
        .create(&full_draft(), &files, None)
        .await
        .unwrap();
}

#[tokio::test]
async fn create_casefile_400_naming_the_jwt_twice_means_sign_in_again() {
    let server = MockServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    let a = write_pdf(dir.path(), "agreement.pdf", 100, b'a');
    let b = write_pdf(dir.path(), "prices.pdf", 100, b'b');
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(token_response("access-2", Some("refresh-2"))),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/send/api/v1/casefiles/20251022/create"))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({
            "error": "Bad Request", "message": "Invalid JWT token: signature invalid", "statusCode": 400
        })))
        .expect(2)
        .mount(&server)
        .await;
    let files = vec![UploadFile::new(&a).unwrap(), UploadFile::new(&b).unwrap()];
    let err = client(&server)
        .casefiles()
        .create(&full_draft(), &files, None)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::SignInRequired), "{err:?}");
}

#[tokio::test]
async fn create_casefile_502_is_not_retried() {
    let server = MockServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    let a = write_pdf(dir.path(), "agreement.pdf", 100, b'a');
    let b = write_pdf(dir.path(), "prices.pdf", 100, b'b');
    Mock::given(method("POST"))
        .and(path("/send/api/v1/casefiles/20251022/create"))
        .respond_with(ResponseTemplate::new(502))
        .expect(1)
        .mount(&server)
        .await;
    let files = vec![UploadFile::new(&a).unwrap(), UploadFile::new(&b).unwrap()];
    let err = client(&server)
        .casefiles()
        .create(&full_draft(), &files, None)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Server { status: 502, .. }), "{err:?}");
}

#[tokio::test]
async fn create_casefile_after_401_refreshes_and_resends_the_whole_body() {
    let server = MockServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    let a = write_pdf(dir.path(), "agreement.pdf", 200_000, b'a');
    let b = write_pdf(dir.path(), "prices.pdf", 100, b'b');
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(token_response("access-2", Some("refresh-2"))),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/send/api/v1/casefiles/20251022/create"))
        .and(header("x-auth-token", "access-1"))
        .respond_with(ResponseTemplate::new(401))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/send/api/v1/casefiles/20251022/create"))
        .and(header("x-auth-token", "access-2"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"status": "handled", "message": "Job created", "jobs": []})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let files = vec![UploadFile::new(&a).unwrap(), UploadFile::new(&b).unwrap()];
    client(&server)
        .casefiles()
        .create(&full_draft(), &files, None)
        .await
        .unwrap();
    let reqs = server.received_requests().await.unwrap();
    let last = reqs.last().unwrap();
    let ct = last.headers.get("content-type").unwrap().to_str().unwrap();
    let parts = parse_multipart(ct, &last.body);
    assert_eq!(parts[1].body.len(), 200_000);
}

#[tokio::test]
async fn missing_file_is_an_io_error_before_any_request() {
    let server = MockServer::start().await;
    let prepared = PreparedData::from_data("{}".into());
    let err = client(&server)
        .casefiles()
        .send(
            &prepared,
            &[UploadFile::with_name("/nonexistent/x.pdf", "x.pdf")],
            None,
        )
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Io { .. }), "{err:?}");
    assert!(server.received_requests().await.unwrap().is_empty());
}

fn job_ref() -> JobRef {
    JobRef {
        uuid: "5d2f".into(),
        payload_hash: "9b4c".into(),
        created_at: None,
    }
}

fn job_body(status: &str) -> Value {
    let result = if status == "completed" {
        json!({"data": {"caseFile": {"id": 1262730}, "signingLinks": [
            {"name": "Ida Holm", "role": "customer", "signingLink": "https://x/s/1"}
        ]}})
    } else {
        Value::Null
    };
    json!({
        "uuid": "5d2f", "type": "casefile_creation", "jobStatus": status, "result": result,
        "payload": {"caseFile": {"title": "T"}}, "payloadHash": "9b4c", "errorMessage": null,
        "retries": 0, "maxRetries": 3, "createdAt": "2026-06-20T09:15:00Z", "updatedAt": "2026-06-20T09:15:04Z"
    })
}

#[tokio::test]
async fn job_status_has_no_auth_and_decodes_every_field() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/send/api/v1/queue/public/status"))
        .and(body_json(json!({"uuid": "5d2f", "payloadHash": "9b4c"})))
        .respond_with(ResponseTemplate::new(200).set_body_json(job_body("completed")))
        .expect(1)
        .mount(&server)
        .await;
    let job = client(&server).jobs().status(&job_ref()).await.unwrap();
    assert_eq!(job.job_status, JobStatus::Completed);
    assert_eq!(job.casefile_id(), Some(1262730));
    assert_eq!(job.signing_links()[0].signing_link, "https://x/s/1");
    assert_eq!(job.max_retries, Some(3));
    let reqs = server.received_requests().await.unwrap();
    assert!(
        reqs[0].headers.get("authorization").is_none()
            && reqs[0].headers.get("x-auth-token").is_none()
    );
}

#[tokio::test]
async fn job_not_found_and_unknown_status() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/send/api/v1/queue/public/status"))
        .respond_with(
            ResponseTemplate::new(404)
                .set_body_json(json!({"message": "Job not found", "statusCode": 404})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let err = client(&server).jobs().status(&job_ref()).await.unwrap_err();
    assert!(
        matches!(err, Error::NotFound { message: Some(ref m) } if m == "Job not found"),
        "{err:?}"
    );
    let j: penneo::Job =
        serde_json::from_value(json!({"uuid": "u", "jobStatus": "paused"})).unwrap();
    assert_eq!(j.job_status, JobStatus::Unknown("paused".into()));
    assert!(!j.job_status.is_terminal());
}

#[tokio::test]
async fn wait_polls_until_terminal_and_honours_retry_after() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/send/api/v1/queue/public/status"))
        .respond_with(ResponseTemplate::new(200).set_body_json(job_body("processing")))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/send/api/v1/queue/public/status"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "4"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/send/api/v1/queue/public/status"))
        .respond_with(ResponseTemplate::new(200).set_body_json(job_body("completed")))
        .mount(&server)
        .await;
    let start = std::time::Instant::now();
    let job = client(&server)
        .jobs()
        .wait(&job_ref(), Duration::from_secs(30))
        .await
        .unwrap();
    assert_eq!(job.job_status, JobStatus::Completed);
    let reqs = server.received_requests().await.unwrap();
    assert_eq!(reqs.len(), 3);
    // Rate-limit compliance: ≥ 3 s after the first poll, then the 4 s Retry-After.
    assert!(
        start.elapsed() >= Duration::from_secs(7),
        "{:?}",
        start.elapsed()
    );
}

#[tokio::test]
async fn wait_gives_up_at_the_deadline() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/send/api/v1/queue/public/status"))
        .respond_with(ResponseTemplate::new(200).set_body_json(job_body("pending")))
        .mount(&server)
        .await;
    let err = client(&server)
        .jobs()
        .wait(&job_ref(), Duration::from_secs(1))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::DeadlineExceeded { .. }), "{err:?}");
    assert_eq!(
        server.received_requests().await.unwrap().len(),
        1,
        "no poll sooner than 3 s"
    );
}

#[tokio::test]
async fn wait_returns_failed_and_duplicate_jobs() {
    for status in ["failed", "aborted_duplicated"] {
        let server = MockServer::start().await;
        let mut body = job_body(status);
        body["errorMessage"] = json!("boom");
        Mock::given(method("POST"))
            .and(path("/send/api/v1/queue/public/status"))
            .respond_with(ResponseTemplate::new(200).set_body_json(body))
            .mount(&server)
            .await;
        let job = client(&server)
            .jobs()
            .wait(&job_ref(), Duration::from_secs(10))
            .await
            .unwrap();
        assert!(job.job_status.is_terminal());
        assert_eq!(job.error_message.as_deref(), Some("boom"));
    }
}

#[tokio::test]
async fn an_upload_with_no_progress_and_no_answer_times_out() {
    let server = MockServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    let a = write_pdf(dir.path(), "agreement.pdf", 100, b'a');
    let b = write_pdf(dir.path(), "prices.pdf", 100, b'b');
    Mock::given(method("POST"))
        .and(path("/send/api/v1/casefiles/20251022/create"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(5)))
        .mount(&server)
        .await;
    let client = penneo::Penneo::builder()
        .environment(env(&server))
        .credentials(penneo::Credentials::oauth("c", penneo::Secret::new("s")))
        .tokens(tokens(ACCESS, Some("r"), 600))
        .upload_idle_timeout(Duration::from_millis(400))
        .build()
        .unwrap();
    let files = vec![UploadFile::new(&a).unwrap(), UploadFile::new(&b).unwrap()];
    let err = client
        .casefiles()
        .create(&full_draft(), &files, None)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Timeout), "{err:?}");
}

#[tokio::test]
async fn job_status_is_retried_on_503() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/send/api/v1/queue/public/status"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/send/api/v1/queue/public/status"))
        .respond_with(ResponseTemplate::new(200).set_body_json(job_body("pending")))
        .expect(1)
        .mount(&server)
        .await;
    let job = client(&server).jobs().status(&job_ref()).await.unwrap();
    assert_eq!(job.job_status, JobStatus::Pending);
    assert!(job.result.is_none());
}

/// The answer to an upload starts (headers) and then stalls mid-body: the send fails with a
/// timeout after the read timeout instead of waiting for ever.
#[tokio::test]
async fn an_upload_answer_that_stalls_mid_body_times_out() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let (mut sock, _) = listener.accept().await.unwrap();
        // Read the whole request: headers, then the multipart body to its closing boundary.
        let mut got = Vec::new();
        let mut buf = [0u8; 16 * 1024];
        loop {
            let n = sock.read(&mut buf).await.unwrap();
            assert!(n > 0, "the request ended early");
            got.extend_from_slice(&buf[..n]);
            let text = String::from_utf8_lossy(&got);
            if text.contains("\r\n\r\n")
                && (text.ends_with("--\r\n") || text.ends_with("\r\n0\r\n\r\n"))
            {
                break;
            }
        }
        sock.write_all(
            b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{\"status\":",
        )
        .await
        .unwrap();
        tokio::time::sleep(Duration::from_secs(20)).await;
    });
    let dir = tempfile::tempdir().unwrap();
    let a = write_pdf(dir.path(), "agreement.pdf", 100, b'a');
    let b = write_pdf(dir.path(), "prices.pdf", 100, b'b');
    let client = penneo::Penneo::builder()
        .environment(penneo::Environment::custom_single(
            url::Url::parse(&base).unwrap(),
        ))
        .credentials(penneo::Credentials::oauth("c", penneo::Secret::new("s")))
        .tokens(tokens(ACCESS, Some("r"), 600))
        .read_timeout(Duration::from_millis(500))
        .build()
        .unwrap();
    let files = vec![UploadFile::new(&a).unwrap(), UploadFile::new(&b).unwrap()];
    let started = std::time::Instant::now();
    let err = client
        .casefiles()
        .create(&full_draft(), &files, None)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Timeout), "{err:?}");
    assert!(started.elapsed() < Duration::from_secs(10));
}

/// JSON answers and a document sent as base64 JSON are read up to a cap, never without end.
#[tokio::test]
async fn json_answers_are_capped() {
    let server = MockServer::start().await;
    let huge = format!("{{\"version\":\"{}\"}}", "x".repeat(penneo::MAX_JSON_BODY));
    Mock::given(method("GET"))
        .and(path("/collect/api/v1/version"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(huge.clone(), "application/json"))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v3/documents/7/content"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            format!("{{\"content\":\"{}\"}}", "A".repeat(penneo::MAX_JSON_BODY)),
            "application/json",
        ))
        .mount(&server)
        .await;
    let client = client(&server);
    let err = client.version().await.unwrap_err();
    assert!(err.to_string().contains("larger than"), "{err}");
    let mut out = Vec::new();
    let err = client
        .documents()
        .download(7, penneo::DocumentVariant::Signed, &mut out)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("larger than"), "{err}");
    assert!(out.is_empty());
}

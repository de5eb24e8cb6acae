use crate::common::*;
use base64::Engine as _;
use futures::TryStreamExt;
use penneo::{
    CaseFileListQuery, CasefileStatus, DocumentStatus, DocumentVariant, Error, SignerState,
    SignerStatusScheme,
};
use serde_json::json;
use wiremock::matchers::{header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn casefile_details_decode_and_keep_unknown_fields() {
    let server = MockServer::start().await;
    let body = json!({
        "id": 1262730, "title": "Framework agreement 2026", "status": 5, "expireAt": 1798761600,
        "language": "da", "reference": "CRM-4711", "metaData": "m", "signIteration": 1, "visibilityMode": 0,
        "sensitiveData": false, "disableNotificationsOwner": false, "signOnMeeting": false, "caseFileTypeId": 3,
        "created": 1790000000, "sendAt": 1790000000, "activated": 1790000001, "userId": 5, "customerId": 6,
        "signers": [
            {"id": 3001, "name": "Ida Holm", "types": [], "storeAsContact": false,
             "signingRequest": {"id": 9001, "email": "ida@example.org", "status": 4, "language": "da",
               "emailSubject": "Please sign", "accessControl": true, "enableInsecureSigning": false,
               "secureSigningMethods": ["mitid.dk"], "insecureSigningMethods": []}},
            {"id": 3002, "name": "Mark Berg", "signingRequest": {"id": 9002, "status": 7, "extraKey": 1}}
        ],
        "documents": [
            {"id": 2001, "title": "Framework agreement", "documentId": "ABC-1", "documentOrder": 0, "status": 5,
             "format": "pdf", "signable": true, "fileSize": 52011, "caseFileId": 1262730,
             "signatureLines": [
               {"id": 1, "signerId": 3001, "documentId": 2001, "role": "Client", "signOrder": 1, "activatedAt": 1790000001},
               {"id": 2, "signerId": 3002, "documentId": 2001, "role": "Partner", "signOrder": 2, "activatedAt": null}
             ]},
            {"id": "2002", "title": "Price list", "status": 6, "signable": false, "format": 1}
        ],
        "somethingNew": {"x": 1}
    });
    Mock::given(method("GET"))
        .and(path("/api/v1/casefiles/1262730"))
        .and(header("authorization", "Bearer access-1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(&body))
        .expect(1)
        .mount(&server)
        .await;
    let cf = client(&server).casefiles().get(1262730).await.unwrap();
    assert_eq!(cf.status, CasefileStatus::Completed);
    assert!(cf.status.is_terminal());
    let ida = &cf.signers[0];
    let req = ida.signing_request.as_ref().unwrap();
    assert_eq!(ida.email(), Some("ida@example.org"));
    assert_eq!(ida.status_code(), Some(4));
    assert_eq!(ida.store_as_contact, Some(false));
    assert_eq!(req.id, Some(9001));
    assert_eq!(req.access_control, Some(true));
    assert_eq!(req.secure_signing_methods, ["mitid.dk"]);
    assert_eq!(cf.signer_role(3001).as_deref(), Some("Client"));
    assert_eq!(cf.signer_sign_order(3001), Some(1));
    assert_eq!(cf.signer_role(3002).as_deref(), Some("Partner"));
    assert_eq!(cf.signer_sign_order(3002), Some(2));
    assert_eq!(cf.signers[1].status_code(), Some(7));
    assert_eq!(SignerStatusScheme::Sdk.state(7), SignerState::Unknown);
    assert_eq!(cf.documents[0].signable, Some(true));
    assert_eq!(cf.documents[0].file_size, Some(52011));
    assert_eq!(cf.documents[0].case_file_id, Some(1262730));
    assert_eq!(cf.documents[0].signature_lines.len(), 2);
    assert_eq!(cf.documents[1].signable, Some(false));
    assert_eq!(cf.documents[1].id, 2002);
    assert_eq!(cf.documents[1].status, Some(DocumentStatus::Quarantined));
    assert_eq!(cf.extra["somethingNew"], json!({"x": 1}));
    for (code, expect) in [
        (0, CasefileStatus::New),
        (4, CasefileStatus::Signed),
        (8, CasefileStatus::Anonymized),
        (42, CasefileStatus::Unknown(42)),
    ] {
        let c: penneo::CaseFile = serde_json::from_value(json!({"id": 1, "status": code})).unwrap();
        assert_eq!(c.status, expect);
    }
    assert!(!CasefileStatus::Signed.is_terminal());
}

#[tokio::test]
async fn delete_casefile_and_its_documents() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .and(path("/api/v1/casefiles/77"))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v1/casefiles/77/documents"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!([{"id": 1, "title": "A"}, {"id": 2, "title": "B"}])),
        )
        .expect(1)
        .mount(&server)
        .await;
    let c = client(&server);
    c.casefiles().delete(77).await.unwrap();
    let docs = c.casefiles().documents(77).await.unwrap();
    assert_eq!(docs.iter().map(|d| d.id).collect::<Vec<_>>(), [1, 2]);
}

#[tokio::test]
async fn delete_is_not_retried_on_5xx() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .and(path("/api/v1/casefiles/77"))
        .respond_with(ResponseTemplate::new(500))
        .expect(1)
        .mount(&server)
        .await;
    let err = client(&server).casefiles().delete(77).await.unwrap_err();
    assert!(matches!(err, Error::Server { status: 500, .. }));
}

#[tokio::test]
async fn list_follows_relative_links_with_filters_and_dedups() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v1/casefiles"))
        .and(header("x-paginate", "true"))
        .and(query_param("status", "5"))
        .and(query_param("completedAfter", "1790000000"))
        .and(query_param("sort", "-completed"))
        .and(query_param("folderIds", "3,4"))
        .and(query_param("page", "1"))
        .and(query_param("per_page", "2"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("Link", r#"</api/v1/casefiles?page=2&per_page=2>; rel="next", </api/v1/casefiles?page=1&per_page=2>; rel="first""#)
                .set_body_json(json!([{"id": 1, "status": 5}, {"id": 2, "status": 5}])),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v1/casefiles"))
        .and(header("x-paginate", "true"))
        .and(query_param("page", "2"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header(
                    "Link",
                    r#"<api/v1/casefiles?page=3&per_page=2>; rel="next""#,
                )
                .set_body_json(json!({"items": [{"id": 2, "status": 5}, {"id": 3, "status": 5}]})),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v1/casefiles"))
        .and(query_param("page", "3"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header(
                    "Link",
                    r#"<http://evil.example/api/v1/casefiles?page=4>; rel="next""#,
                )
                .set_body_json(json!([{"id": 4, "status": 5}])),
        )
        .expect(1)
        .mount(&server)
        .await;
    let q = CaseFileListQuery {
        status: Some(CasefileStatus::Completed),
        completed_after: Some(1_790_000_000),
        sort: Some("-completed".into()),
        folder_ids: vec![3, 4],
        per_page: Some(2),
        ..Default::default()
    };
    let all: Vec<_> = client(&server)
        .casefiles()
        .list(&q)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.iter().map(|c| c.id).collect::<Vec<_>>(), [1, 2, 3, 4]);
}

#[tokio::test]
async fn list_error_surfaces_in_the_stream() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v1/casefiles"))
        .respond_with(ResponseTemplate::new(403))
        .mount(&server)
        .await;
    let r: Result<Vec<_>, _> = client(&server)
        .casefiles()
        .list(&Default::default())
        .try_collect()
        .await;
    assert!(matches!(r, Err(Error::Forbidden { .. })));
}

fn pdf_bytes(n: usize) -> Vec<u8> {
    let mut v = b"%PDF-1.7\n".to_vec();
    v.extend((0..n).map(|i| (i % 251) as u8));
    v
}

#[tokio::test]
async fn download_streams_signed_and_original_with_accept_pdf() {
    let server = MockServer::start().await;
    let signed = pdf_bytes(2 * 1024 * 1024);
    let original = pdf_bytes(1000);
    Mock::given(method("GET"))
        .and(path("/api/v3/documents/2001/content"))
        .and(header("accept", "application/pdf"))
        .and(query_param("signed", "true"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("content-type", "application/pdf")
                .set_body_bytes(signed.clone()),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v3/documents/2001/content"))
        .and(header("accept", "application/pdf"))
        .and(query_param("signed", "false"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("content-type", "application/pdf")
                .set_body_bytes(original.clone()),
        )
        .expect(1)
        .mount(&server)
        .await;
    let c = client(&server);
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("signed.pdf");
    let mut f = tokio::fs::File::create(&p).await.unwrap();
    let n = c
        .documents()
        .download(2001, DocumentVariant::Signed, &mut f)
        .await
        .unwrap();
    drop(f);
    assert_eq!(n, signed.len() as u64);
    assert_eq!(std::fs::read(&p).unwrap(), signed);
    let mut buf: Vec<u8> = Vec::new();
    c.documents()
        .download(2001, DocumentVariant::Original, &mut buf)
        .await
        .unwrap();
    assert_eq!(buf, original);
}

#[tokio::test]
async fn download_accepts_a_json_base64_answer_and_reports_404() {
    let server = MockServer::start().await;
    let pdf = pdf_bytes(100);
    Mock::given(method("GET"))
        .and(path("/api/v3/documents/5/content"))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            json!({"content": base64::engine::general_purpose::STANDARD.encode(&pdf)}),
        ))
        .mount(&server)
        .await;
    let c = client(&server);
    let mut buf = Vec::new();
    c.documents()
        .download(5, DocumentVariant::Signed, &mut buf)
        .await
        .unwrap();
    assert_eq!(buf, pdf);
    let mut buf = Vec::new();
    let err = c
        .documents()
        .download(6, DocumentVariant::Signed, &mut buf)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::NotFound { .. }), "{err:?}");
    assert!(buf.is_empty());
}

#[test]
fn signer_status_numbering_is_learned_from_a_completed_casefile() {
    let cf = |status: i64, codes: &[serde_json::Value]| -> penneo::CaseFile {
        let signers: Vec<_> = codes
            .iter()
            .enumerate()
            .map(|(i, c)| json!({"id": i, "name": "x", "signingRequest": {"id": 100 + i, "status": c}}))
            .collect();
        serde_json::from_value(json!({"id": 1, "status": status, "signers": signers})).unwrap()
    };
    // Completed: every signer signed, so the shared code tells the numbering.
    assert_eq!(
        SignerStatusScheme::learn(&cf(5, &[json!(4), json!(4)])),
        Some(SignerStatusScheme::Sdk)
    );
    assert_eq!(
        SignerStatusScheme::learn(&cf(5, &[json!(3), json!(3)])),
        Some(SignerStatusScheme::Postman)
    );
    // Nothing is learned from anything else.
    assert_eq!(
        SignerStatusScheme::learn(&cf(1, &[json!(4), json!(4)])),
        None,
        "not completed"
    );
    assert_eq!(
        SignerStatusScheme::learn(&cf(5, &[json!(3), json!(4)])),
        None,
        "codes differ"
    );
    assert_eq!(
        SignerStatusScheme::learn(&cf(5, &[json!(2)])),
        None,
        "neither signed code"
    );
    assert_eq!(
        SignerStatusScheme::learn(&cf(5, &[json!(null)])),
        None,
        "no code"
    );
    assert_eq!(SignerStatusScheme::learn(&cf(5, &[])), None, "no signers");
    // What each code means in each numbering.
    use SignerState as S;
    for (code, sdk, postman) in [
        (0, S::New, S::Sent),
        (1, S::Sent, S::RequestOpened),
        (2, S::Rejected, S::Opened),
        (3, S::Deleted, S::Signed),
        (4, S::Signed, S::Rejected),
        (5, S::Undeliverable, S::Unknown),
    ] {
        assert_eq!(SignerStatusScheme::Sdk.state(code), sdk, "sdk {code}");
        assert_eq!(
            SignerStatusScheme::Postman.state(code),
            postman,
            "postman {code}"
        );
    }
}

#[tokio::test]
async fn odd_records_never_fail_the_casefile_or_the_list() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v1/casefiles"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([
            // null status, a signer with a wrong-typed name, a signer that is not an object,
            // a document with a string fileSize and an extra field, missing optional fields.
            {"id": 1, "title": "Odd", "status": null, "newThing": [1, 2],
             "signers": [
                {"id": 10, "name": 42, "signingRequest": {"id": 11, "status": null, "email": 7}},
                "not a signer",
                {"id": 12, "name": "Ok", "signingRequest": {"id": 13, "status": "4", "email": "ok@example.org"}}
             ],
             "documents": [{"id": 5, "fileSize": "12", "signable": "yes", "signatureLines": {"bad": true}}]},
            // No id: skipped with a note, the rest of the page stays.
            {"title": "No id", "status": 1},
            // Wrong type for the whole record: skipped.
            "garbage",
            {"id": "2", "title": 99, "status": "seven", "created": "soon"},
            {"id": 3, "title": "Fine", "status": 1}
        ])))
        .expect(1)
        .mount(&server)
        .await;
    let c = client(&server);
    let noted: Vec<penneo::casefiles::Listed> = c
        .casefiles()
        .list_noted(&CaseFileListQuery::default())
        .try_collect()
        .await
        .unwrap();
    let skipped = noted
        .iter()
        .filter(|l| matches!(l, penneo::casefiles::Listed::Skipped { .. }))
        .count();
    assert_eq!(skipped, 2, "{noted:?}");
    let items: Vec<penneo::CaseFile> = noted
        .into_iter()
        .filter_map(|l| match l {
            penneo::casefiles::Listed::Item(c) => Some(*c),
            penneo::casefiles::Listed::Skipped { .. } => None,
        })
        .collect();
    assert_eq!(items.iter().map(|c| c.id).collect::<Vec<_>>(), [1, 2, 3]);
    let odd = &items[0];
    assert_eq!(odd.status, CasefileStatus::Unknown(-1));
    assert_eq!(odd.signers.len(), 2, "the non-object signer is left out");
    assert_eq!(odd.signers[0].name, None);
    assert_eq!(odd.signers[0].email(), None);
    assert_eq!(odd.signers[0].status_code(), None);
    assert_eq!(odd.signers[1].status_code(), Some(4));
    assert_eq!(odd.documents[0].file_size, Some(12));
    assert_eq!(odd.documents[0].signable, None);
    assert!(odd.documents[0].signature_lines.is_empty());
    assert_eq!(odd.extra["newThing"], json!([1, 2]));
    assert_eq!(items[1].title, None);
    assert_eq!(items[1].status, CasefileStatus::Unknown(-1));
    assert_eq!(items[1].created, None);
}

#[tokio::test]
async fn signing_link_and_reminder() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v1/signingrequests/9001/link"))
        .and(header("authorization", "Bearer access-1"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!(["https://app.penneo.com/signing/abc"])),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v1/signingrequests/9002/link"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"link": "https://app.penneo.com/signing/def"})),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v1/signingrequests/9003/link"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v1/signingrequests/9004/link"))
        .respond_with(ResponseTemplate::new(409).set_body_json(
            json!({"error": "Conflict", "message": "Casefile 1 is not out for signing (status 5)", "statusCode": 409}),
        ))
        .mount(&server)
        .await;
    Mock::given(method("PATCH"))
        .and(path("/api/v1/signingrequests/9001/send"))
        .and(header("authorization", "Bearer access-1"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("PATCH"))
        .and(path("/api/v1/signingrequests/9005/send"))
        .respond_with(ResponseTemplate::new(500))
        .expect(1)
        .mount(&server)
        .await;
    let c = client(&server);
    assert_eq!(
        c.casefiles().signing_link(9001).await.unwrap(),
        "https://app.penneo.com/signing/abc"
    );
    assert_eq!(
        c.casefiles().signing_link(9002).await.unwrap(),
        "https://app.penneo.com/signing/def"
    );
    assert!(matches!(
        c.casefiles().signing_link(9003).await,
        Err(Error::Unexpected { .. })
    ));
    match c.casefiles().signing_link(9004).await {
        Err(Error::Conflict { message }) => {
            assert!(message.unwrap().contains("not out for signing"))
        }
        other => panic!("{other:?}"),
    }
    c.casefiles().send_reminder(9001).await.unwrap();
    // A reminder e-mails someone: never repeated blindly.
    assert!(matches!(
        c.casefiles().send_reminder(9005).await,
        Err(Error::Server { status: 500, .. })
    ));
}

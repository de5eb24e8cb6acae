mod common;

use base64::Engine as _;
use common::*;
use futures::TryStreamExt;
use penneo::{
    CaseFileListQuery, CaseFileStatus, DocumentStatus, DocumentVariant, Error, SignerStatus,
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
            {"id": 3001, "name": "Ida Holm", "signingRequest": {"status": 3}},
            {"id": 3002, "name": "Mark Berg", "signingRequest": {"status": 7, "extraKey": 1}}
        ],
        "documents": [
            {"id": 2001, "title": "Framework agreement", "documentId": "ABC-1", "documentOrder": 0, "status": 5, "format": 1},
            {"id": "2002", "title": "Price list", "status": 6}
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
    assert_eq!(cf.status, CaseFileStatus::Completed);
    assert!(cf.status.is_terminal());
    assert_eq!(
        cf.signers[0].signing_request.as_ref().unwrap().status,
        SignerStatus::Signed
    );
    assert_eq!(
        cf.signers[1].signing_request.as_ref().unwrap().status,
        SignerStatus::Unknown(7)
    );
    assert_eq!(cf.documents[1].id, 2002);
    assert_eq!(cf.documents[1].status, Some(DocumentStatus::Quarantined));
    assert_eq!(cf.extra["somethingNew"], json!({"x": 1}));
    for (code, expect) in [
        (0, CaseFileStatus::New),
        (4, CaseFileStatus::Signed),
        (8, CaseFileStatus::Anonymized),
        (42, CaseFileStatus::Unknown(42)),
    ] {
        let c: penneo::CaseFile = serde_json::from_value(json!({"id": 1, "status": code})).unwrap();
        assert_eq!(c.status, expect);
    }
    assert!(!CaseFileStatus::Signed.is_terminal());
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
        status: Some(CaseFileStatus::Completed),
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

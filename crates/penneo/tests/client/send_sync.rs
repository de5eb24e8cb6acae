//! The client, its errors and its futures/streams must be usable from multi-threaded apps
//! (Tauri commands need `Send` futures).

use std::time::Duration;

use penneo::*;

fn is_send<T: Send>(_: &T) {}
fn is_send_sync<T: Send + Sync>() {}

#[test]
fn types_are_send_and_sync() {
    is_send_sync::<Penneo>();
    is_send_sync::<Error>();
    is_send_sync::<TokenProvider>();
    is_send_sync::<CaseFileDraft>();
}

#[tokio::test]
async fn futures_and_streams_are_send() {
    let client = Penneo::builder()
        .environment(Environment::custom_single(
            url::Url::parse("http://127.0.0.1:9").unwrap(),
        ))
        .build()
        .unwrap();
    let draft = CaseFileDraft::default();
    let files: Vec<UploadFile> = Vec::new();
    let job = JobRef {
        uuid: "u".into(),
        payload_hash: "h".into(),
        created_at: None,
    };
    let mut sink: Vec<u8> = Vec::new();
    // Built, checked for Send, never polled.
    is_send(&client.casefiles().create(&draft, &files, None));
    is_send(&client.casefiles().list(&CaseFileListQuery::default()));
    is_send(&client.submissions().stream("f", SubmissionQuery::default()));
    is_send(&client.jobs().wait(&job, Duration::from_secs(1)));
    is_send(
        &client
            .documents()
            .download(1, DocumentVariant::Signed, &mut sink),
    );
    is_send(&client.forms().list(&FormListQuery::default()));
    is_send(&client.auth().exchange_code(
        "c",
        &Secret::new("v"),
        &url::Url::parse("http://127.0.0.1/cb").unwrap(),
    ));
    is_send(&client.token_provider().access_token());
}

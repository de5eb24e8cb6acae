use crate::common::*;
use futures::TryStreamExt;
use penneo::{
    Error, FieldType, Form, FormDefinition, FormListQuery, FormSort, FormStatus, PrefillValue,
    PrefilledRequest, SubmissionQuery,
};
use serde_json::{json, Value};
use wiremock::matchers::{body_json, header, method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

const FORM_DEF: &str = r#"{
  "name": "Supplier Registration",
  "language": "EN",
  "description": "Supplier details collected before the framework agreement is signed.",
  "caseFileTitleTemplate": "{{formName}} - {{primarySigner.name}}",
  "additionalSignersConfig": {"enabled": true, "max": 2, "nested": {"x": [1, 2.5]}},
  "sections": [
    {
      "slug": "contact",
      "title": "Contact person",
      "fields": [
        { "name": "contact_name", "label": "Name", "type": "TEXT", "required": true,
          "mapTo": "primarySigner.name", "validations": { "minLength": 2, "maxLength": 120 }, "multiline": false },
        { "name": "contact_email", "label": "E-mail", "type": "EMAIL", "required": true,
          "mapTo": "primarySigner.email" },
        { "name": "contact_phone", "label": "Phone", "type": "PHONE", "required": false,
          "countryCodes": ["DK", "SE", "NO"], "multipleEntries": { "max": 2 } },
        { "name": "supplier_kind", "label": "Supplier kind", "type": "CHOICE", "layout": "RADIO",
          "required": true,
          "options": [ { "label": "Sole trader", "value": "sole" },
                       { "label": "Company", "value": "company" } ] }
      ]
    },
    {
      "slug": "company",
      "title": "Company",
      "condition": { "rules": [ { "field": "supplier_kind", "operator": "EQUALS", "value": "company" } ] },
      "fields": [
        { "name": "employees", "label": "Employees", "type": "NUMBER", "required": false,
          "validations": { "min": 1, "max": 100000.5 } },
        { "name": "vat_since", "label": "VAT registered since", "type": "DATE", "required": true,
          "condition": { "rules": [ { "field": "employees", "operator": "GREATER_THAN", "value": 3 } ] } },
        { "name": "nin", "label": "NIN", "type": "NIN", "futureKey": {"a": 1} },
        { "name": "bid", "label": "Business", "type": "BUSINESS_ID" },
        { "name": "doc", "label": "File", "type": "FILE" },
        { "name": "sig", "label": "Sig", "type": "SIGNATURE_PAD" }
      ]
    },
    {
      "slug": "references",
      "title": "Customer references",
      "description": "Up to three reference customers.",
      "multipleEntries": { "max": 3 },
      "fields": [ { "name": "reference_customer", "label": "Customer", "type": "TEXT", "required": true } ]
    },
    {
      "slug": "summary",
      "title": "Summary",
      "fields": [ { "type": "HTML", "content": "<p>Signing: <strong>{{contact_name}}</strong></p>" } ]
    }
  ],
  "unknownTopLevel": {"keep": "me"}
}"#;

fn form_def() -> FormDefinition {
    serde_json::from_str(FORM_DEF).unwrap()
}

fn form_object(id_key: &str) -> Value {
    let mut v: Value = serde_json::from_str(FORM_DEF).unwrap();
    v[id_key] = json!("f_3b9d2a");
    v["status"] = json!("ACTIVE");
    v["version"] = json!(2);
    v["publicUrl"] = json!("https://sandbox.penneo.com/collect/f_3b9d2a");
    v["createdAt"] = json!("2026-06-01T10:00:00Z");
    v["updatedAt"] = json!("2026-06-02T10:00:00Z");
    v
}

#[test]
fn form_definition_round_trips_exactly() {
    let original: Value = serde_json::from_str(FORM_DEF).unwrap();
    let def = form_def();
    assert_eq!(serde_json::to_value(&def).unwrap(), original);
    // JSON objects are unordered: equality is per key, including every unknown key and number.
    let f = &def.sections[1].fields;
    assert_eq!(f[2].field_type, FieldType::Nin);
    assert_eq!(f[3].field_type, FieldType::BusinessId);
    assert_eq!(f[4].field_type, FieldType::File);
    assert_eq!(f[5].field_type, FieldType::Unknown("SIGNATURE_PAD".into()));
    assert_eq!(
        def.sections[0].fields[0].map_to.as_deref(),
        Some("primarySigner.name")
    );
}

#[test]
fn form_object_round_trips_and_accepts_every_id_key() {
    for key in ["formId", "externalId", "id"] {
        let v = form_object(key);
        let form: Form = serde_json::from_value(v.clone()).unwrap();
        assert_eq!(form.form_id().unwrap().as_str(), "f_3b9d2a", "{key}");
        assert_eq!(form.status, Some(FormStatus::Active));
        assert_eq!(serde_json::to_value(&form).unwrap(), v, "{key}");
        // Writing it back: the definition keeps unknown keys and drops server-managed ones.
        let back = serde_json::to_value(form.to_definition()).unwrap();
        assert_eq!(back, serde_json::from_str::<Value>(FORM_DEF).unwrap());
    }
}

#[tokio::test]
async fn version_info() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/collect/api/v1/version"))
        .and(header("authorization", "Bearer access-1"))
        .and(header("user-agent", penneo::DEFAULT_USER_AGENT))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            json!({"version": "2.3.1", "language": "en", "additionalSignersConfig": {"a": 1}}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let v = client(&server).version().await.unwrap();
    assert_eq!(v.version.as_deref(), Some("2.3.1"));
    assert_eq!(v.additional_signers_config, Some(json!({"a": 1})));
    assert!(penneo::DEFAULT_USER_AGENT.starts_with("PenneoDesk/"));
}

#[tokio::test]
async fn list_forms_sends_filters_and_decodes_items() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/collect/api/v1/forms"))
        .and(query_param("status", "DRAFT,ACTIVE"))
        .and(query_param("sort", "-updatedAt"))
        .and(query_param("limit", "25"))
        .and(query_param("offset", "50"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"items": [
            {"formId": "a", "name": "A", "status": "DRAFT", "version": 1},
            {"externalId": "b", "name": "B", "status": "RETIRED", "version": 3}
        ]})))
        .expect(1)
        .mount(&server)
        .await;
    let q = FormListQuery {
        status: vec![FormStatus::Draft, FormStatus::Active],
        sort: Some(FormSort::UpdatedDesc),
        limit: Some(25),
        offset: Some(50),
    };
    let forms = client(&server).forms().list(&q).await.unwrap();
    assert_eq!(forms.len(), 2);
    assert_eq!(forms[1].form_id().unwrap().as_str(), "b");
    assert_eq!(forms[1].status, Some(FormStatus::Unknown("RETIRED".into())));
}

#[tokio::test]
async fn list_forms_without_filters_sends_no_query_and_404_is_not_supported() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/collect/api/v1/forms"))
        .and(query_param_is_missing("status"))
        .and(query_param_is_missing("sort"))
        .respond_with(ResponseTemplate::new(404))
        .expect(1)
        .mount(&server)
        .await;
    let err = client(&server)
        .forms()
        .list(&FormListQuery::default())
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::NotSupported {
                operation: "list_forms"
            }
        ),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        "list_forms is not supported by this Penneo server"
    );
}

#[tokio::test]
async fn get_create_update_publish_archive_form() {
    let server = MockServer::start().await;
    let def_json: Value = serde_json::from_str(FORM_DEF).unwrap();
    Mock::given(method("GET"))
        .and(path("/collect/api/v1/forms/f_3b9d2a"))
        .respond_with(ResponseTemplate::new(200).set_body_json(form_object("formId")))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/collect/api/v1/forms"))
        .and(query_param("publish", "true"))
        .and(header("content-type", "application/json"))
        .and(body_json(&def_json))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"formId": "new1"})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/collect/api/v1/forms"))
        .and(query_param_is_missing("publish"))
        .and(body_json(&def_json))
        .respond_with(
            ResponseTemplate::new(201)
                .set_body_json(json!({"externalId": "new2", "status": "DRAFT"})),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .and(path("/collect/api/v1/forms/f_3b9d2a"))
        .and(query_param("publish", "true"))
        .and(body_json(&def_json))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/collect/api/v1/forms/f_3b9d2a/publish"))
        .respond_with(ResponseTemplate::new(200).set_body_json(form_object("id")))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/collect/api/v1/forms/f_3b9d2a/archive"))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    let c = client(&server);
    let f = c.forms().get("f_3b9d2a").await.unwrap();
    assert_eq!(f.sections.as_ref().unwrap().len(), 4);
    let created = c.forms().create(&form_def(), true).await.unwrap();
    assert_eq!(created.form_id().unwrap().as_str(), "new1");
    let created = c.forms().create(&form_def(), false).await.unwrap();
    assert_eq!(created.form_id().unwrap().as_str(), "new2");
    assert_eq!(
        c.forms()
            .update("f_3b9d2a", &f.to_definition(), true)
            .await
            .unwrap(),
        None
    );
    let published = c.forms().publish("f_3b9d2a").await.unwrap().unwrap();
    assert_eq!(published.form_id().unwrap().as_str(), "f_3b9d2a");
    c.forms().archive("f_3b9d2a").await.unwrap();
}

#[tokio::test]
async fn create_form_400_names_the_field_and_is_not_retried() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/collect/api/v1/forms"))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({
            "error": "Bad Request",
            "message": "Section 'contact': field 'contact_email' may only map to primarySigner.email when its type is EMAIL",
            "statusCode": 400
        })))
        .expect(1)
        .mount(&server)
        .await;
    let err = client(&server)
        .forms()
        .create(&form_def(), false)
        .await
        .unwrap_err();
    match err {
        Error::InvalidInput { message, field } => {
            assert!(message.contains("primarySigner.email"));
            assert_eq!(field.as_deref(), Some("contact_email"));
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn create_form_503_is_not_retried_but_get_is() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/collect/api/v1/forms"))
        .respond_with(ResponseTemplate::new(503))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/collect/api/v1/forms/f1"))
        .respond_with(ResponseTemplate::new(503).set_body_json(
            json!({"error": "Service Unavailable", "message": "down", "statusCode": 503}),
        ))
        .up_to_n_times(2)
        .expect(2)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/collect/api/v1/forms/f1"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"formId": "f1", "name": "x"})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let c = client(&server);
    let err = c.forms().create(&form_def(), false).await.unwrap_err();
    assert!(matches!(err, Error::Server { status: 503, .. }) && err.is_retryable());
    c.forms().get("f1").await.unwrap();
}

#[tokio::test]
async fn get_gives_up_after_the_retry_budget() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/collect/api/v1/forms/f1"))
        .respond_with(ResponseTemplate::new(500))
        .expect(4)
        .mount(&server)
        .await;
    let err = client(&server).forms().get("f1").await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::Server {
                status: 500,
                message: None
            }
        ),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_429_with_retry_after_is_waited_out_on_a_get() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/collect/api/v1/forms/f1"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "1"))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/collect/api/v1/forms/f1"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"formId": "f1", "name": "x"})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let start = std::time::Instant::now();
    client(&server).forms().get("f1").await.unwrap();
    assert!(
        start.elapsed() >= std::time::Duration::from_millis(900),
        "Retry-After honoured"
    );
}

#[tokio::test]
async fn a_429_longer_than_the_cap_is_returned() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/collect/api/v1/forms/f1"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "120"))
        .expect(1)
        .mount(&server)
        .await;
    let err = client(&server).forms().get("f1").await.unwrap_err();
    assert_eq!(err.retry_after(), Some(std::time::Duration::from_secs(120)));
}

#[tokio::test]
async fn errors_403_404_409_and_unexpected() {
    let server = MockServer::start().await;
    let rest = |status: u16, msg: &str| {
        ResponseTemplate::new(status)
            .set_body_json(json!({"error": "x", "message": msg, "statusCode": status}))
    };
    Mock::given(path("/collect/api/v1/forms/forbidden"))
        .respond_with(rest(403, "No access"))
        .mount(&server)
        .await;
    Mock::given(path("/collect/api/v1/forms/missing"))
        .respond_with(rest(404, "Form not found"))
        .mount(&server)
        .await;
    Mock::given(path("/collect/api/v1/forms/clash/publish"))
        .respond_with(rest(409, "Already active"))
        .mount(&server)
        .await;
    Mock::given(path("/collect/api/v1/forms/odd"))
        .respond_with(ResponseTemplate::new(200).set_body_string("<html>oops</html>"))
        .mount(&server)
        .await;
    let c = client(&server);
    assert!(
        matches!(c.forms().get("forbidden").await, Err(Error::Forbidden { message: Some(m) }) if m == "No access")
    );
    assert!(
        matches!(c.forms().get("missing").await, Err(Error::NotFound { message: Some(m) }) if m == "Form not found")
    );
    assert!(
        matches!(c.forms().publish("clash").await, Err(Error::Conflict { message: Some(m) }) if m == "Already active")
    );
    match c.forms().get("odd").await {
        Err(Error::Unexpected {
            status: 200,
            snippet,
        }) => assert!(snippet.contains("<html>oops")),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn form_versions() {
    let server = MockServer::start().await;
    let def_json: Value = serde_json::from_str(FORM_DEF).unwrap();
    Mock::given(method("GET"))
        .and(path("/collect/api/v1/forms/f1/versions"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"items": [
            {"version": 1, "status": "ARCHIVED", "createdAt": "2026-01-01T00:00:00Z", "updatedAt": "2026-01-02T00:00:00Z"},
            {"version": 2, "status": "ACTIVE", "createdAt": "2026-02-01T00:00:00Z", "updatedAt": "2026-02-02T00:00:00Z"}
        ]})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/collect/api/v1/forms/f1/versions/1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(form_object("formId")))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .and(path("/collect/api/v1/forms/f1/versions/3"))
        .and(query_param_is_missing("publish"))
        .and(body_json(&def_json))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"formId": "f1", "version": 3, "status": "DRAFT"})),
        )
        .expect(1)
        .mount(&server)
        .await;
    for action in ["publish", "archive", "restore"] {
        Mock::given(method("POST"))
            .and(path(format!(
                "/collect/api/v1/forms/f1/versions/2/{action}"
            )))
            .respond_with(ResponseTemplate::new(200))
            .expect(1)
            .mount(&server)
            .await;
    }
    let c = client(&server);
    let v = c.forms().versions("f1").await.unwrap();
    assert_eq!(v.len(), 2);
    assert_eq!(v[0].status, FormStatus::Archived);
    assert_eq!(c.forms().version("f1", 1).await.unwrap().version, Some(2));
    let u = c
        .forms()
        .update_version("f1", 3, &form_def(), false)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(u.version, Some(3));
    assert_eq!(c.forms().publish_version("f1", 2).await.unwrap(), None);
    assert_eq!(c.forms().archive_version("f1", 2).await.unwrap(), None);
    assert_eq!(c.forms().restore_version("f1", 2).await.unwrap(), None);
    let err = c.forms().restore_version("f1", 9).await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::NotSupported {
                operation: "restore_form_version"
            }
        ),
        "{err:?}"
    );
}

#[tokio::test]
async fn prefilled_request_uses_the_v2_body() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/collect/api/v2/forms/f1/requests"))
        .and(body_json(json!({"answers": {
            "contact": [{
                "contact_name": {"value": "Ida Holm", "editable": false},
                "contact_email": {"value": "ida@example.org", "editable": true}
            }],
            "references": [
                {"reference_customer": {"value": "Acme A/S", "editable": true}},
                {"reference_customer": {"value": "Nordvind ApS", "editable": true}}
            ]
        }})))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"requestId": "b6f0", "requestUrl": "https://x/r/b6f0"})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let pv = |v: &str, editable| PrefillValue {
        value: json!(v),
        editable,
    };
    let req = PrefilledRequest::new()
        .section_instance(
            "contact",
            [
                ("contact_name", pv("Ida Holm", false)),
                ("contact_email", pv("ida@example.org", true)),
            ],
        )
        .section_instance("references", [("reference_customer", pv("Acme A/S", true))])
        .section_instance(
            "references",
            [("reference_customer", pv("Nordvind ApS", true))],
        );
    let r = client(&server).requests().create("f1", &req).await.unwrap();
    assert_eq!(r.request_id.as_str(), "b6f0");
    assert_eq!(r.request_url.as_deref(), Some("https://x/r/b6f0"));
}

const ANSWERS: &str = r#"{
  "submissionId": "7c1e", "formId": "f_3b9d2a", "version": 2,
  "respondents": [{"name": "Ida Holm", "email": "ida@example.org"}],
  "sections": [
    {"slug": "contact", "title": "Contact person", "multipleEntries": false, "answers": [
      {"name": "contact_name", "label": "Name", "type": "TEXT", "value": "Ida Holm"},
      {"name": "contact_phone", "label": "Phone", "type": "PHONE", "values": ["+4512345678", "+4587654321"]},
      {"name": "employees", "label": "Employees", "type": "NUMBER", "value": 12}
    ]},
    {"title": "Customer references", "multipleEntries": true, "instances": [
      {"answers": [{"name": "reference_customer", "label": "Customer", "type": "TEXT", "value": "Acme A/S"}]},
      {"answers": [{"name": "reference_customer", "label": "Customer", "type": "TEXT", "value": "Nordvind ApS"}]}
    ]}
  ]
}"#;

#[tokio::test]
async fn answers_of_request_submission_and_casefile() {
    let server = MockServer::start().await;
    let body: Value = serde_json::from_str(ANSWERS).unwrap();
    for p in [
        "/collect/api/v1/forms/f1/requests/r1/answers",
        "/collect/api/v1/forms/f1/submissions/s1/answers",
        "/collect/api/v1/casefiles/1262730/answers",
    ] {
        Mock::given(method("GET"))
            .and(path(p))
            .respond_with(ResponseTemplate::new(200).set_body_json(&body))
            .expect(1)
            .mount(&server)
            .await;
    }
    let c = client(&server);
    for a in [
        c.requests().answers("f1", "r1").await.unwrap(),
        c.submissions().answers("f1", "s1").await.unwrap(),
        c.casefiles().answers("1262730").await.unwrap(),
    ] {
        assert_eq!(serde_json::to_value(&a).unwrap(), body);
        assert_eq!(a.respondents[0].email.as_deref(), Some("ida@example.org"));
        let all: Vec<&str> = a.iter_answers().map(|(_, x)| x.name.as_str()).collect();
        assert_eq!(
            all,
            [
                "contact_name",
                "contact_phone",
                "employees",
                "reference_customer",
                "reference_customer"
            ]
        );
    }
    // Request answers before a submission: 404 on a published endpoint.
    let err = c.requests().answers("f1", "nope").await.unwrap_err();
    assert!(matches!(err, Error::NotFound { .. }), "{err:?}");
}

#[tokio::test]
async fn casefile_files() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/collect/api/v1/casefiles/42/files"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([
            {"id": "a1", "filename": "passport.pdf", "size": 12345, "contentType": "application/pdf",
             "downloadUrl": "https://x/d/a1", "createdAt": "2026-01-01T00:00:00Z", "updatedAt": "2026-01-01T00:00:00Z"},
            {"filename": "other.png", "size": 7}
        ])))
        .expect(1)
        .mount(&server)
        .await;
    let files = client(&server).casefiles().files("42").await.unwrap();
    assert_eq!(files.len(), 2);
    assert_eq!(files[0].size, Some(12345));
    assert_eq!(files[0].download_url.as_deref(), Some("https://x/d/a1"));
    assert_eq!(files[1].filename, "other.png");
}

#[tokio::test]
async fn casefile_file_download_uses_the_listed_link_on_the_api_host_only() {
    let server = MockServer::start().await;
    let body: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
    let file = |v: Value| -> penneo::CasefileFile { serde_json::from_value(v).unwrap() };
    // The listed link, on the API host.
    Mock::given(method("GET"))
        .and(path("/dl/a1"))
        .and(header("authorization", format!("Bearer {ACCESS}").as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_bytes(body.clone()))
        .expect(1)
        .mount(&server)
        .await;
    // The assumed path, for a file listed without a link (or with a link elsewhere).
    Mock::given(method("GET"))
        .and(path("/collect/api/v1/files/b2"))
        .respond_with(ResponseTemplate::new(200).set_body_bytes(b"second".to_vec()))
        .expect(2)
        .mount(&server)
        .await;
    let c = client(&server);
    let mut out = Vec::new();
    let listed = file(
        json!({"id": "a1", "filename": "passport.pdf", "contentType": "application/pdf",
                             "downloadUrl": format!("{}/dl/a1", server.uri())}),
    );
    let n = c
        .casefiles()
        .download_file(&listed, &mut out)
        .await
        .unwrap();
    assert_eq!(n, body.len() as u64);
    assert_eq!(out, body);
    // It asked for the file's own type first.
    let seen = server.received_requests().await.unwrap();
    assert_eq!(
        seen[0].headers.get("accept").unwrap(),
        "application/pdf, */*;q=0.5"
    );
    let mut out = Vec::new();
    let bare = file(json!({"id": "b2", "filename": "notes.txt"}));
    c.casefiles().download_file(&bare, &mut out).await.unwrap();
    assert_eq!(out, b"second");
    // A plain-http link on another host is not followed at all: the assumed path instead.
    let mut out = Vec::new();
    let elsewhere = file(
        json!({"id": "b2", "filename": "notes.txt", "downloadUrl": "http://evil.example/steal"}),
    );
    c.casefiles()
        .download_file(&elsewhere, &mut out)
        .await
        .unwrap();
    assert_eq!(out, b"second");
    // Neither an id nor a link: refused locally.
    let nothing = file(json!({"filename": "x.bin"}));
    let err = c
        .casefiles()
        .download_file(&nothing, &mut Vec::new())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidInput { .. }), "{err:?}");
    // The assumed path answering a bare 404: this server does not offer it.
    let missing = file(json!({"id": "zz", "filename": "gone.pdf"}));
    let err = c
        .casefiles()
        .download_file(&missing, &mut Vec::new())
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::NotSupported { .. } | Error::NotFound { .. }),
        "{err:?}"
    );
}

#[tokio::test]
async fn submissions_page_and_stream() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/collect/api/v1/forms/f1/submissions"))
        .and(query_param("limit", "10"))
        .and(query_param("offset", "0"))
        .and(query_param("completedAfter", "2026-01-01T00:00:00Z"))
        .and(query_param("completedBefore", "2026-12-31T00:00:00Z"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"items": [
            {"submissionId": "s1", "casefileId": 1262730, "requestId": "r1", "version": 2, "completedAt": "2026-03-01T00:00:00Z"}
        ]})))
        .expect(1)
        .mount(&server)
        .await;
    for (offset, ids) in [(0u32, vec!["a", "b"]), (2, vec!["c", "d"]), (4, vec!["e"])] {
        let items: Vec<Value> = ids
            .iter()
            .map(|i| json!({"submissionId": i, "casefileId": "9"}))
            .collect();
        Mock::given(method("GET"))
            .and(path("/collect/api/v1/forms/f2/submissions"))
            .and(query_param("limit", "2"))
            .and(query_param("offset", offset.to_string()))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "items": items })))
            .expect(1)
            .mount(&server)
            .await;
    }
    let c = client(&server);
    let q = SubmissionQuery {
        limit: Some(10),
        offset: Some(0),
        completed_after: Some("2026-01-01T00:00:00Z".into()),
        completed_before: Some("2026-12-31T00:00:00Z".into()),
    };
    let page = c.submissions().page("f1", &q).await.unwrap();
    assert_eq!(page[0].casefile_id.as_ref().unwrap().as_str(), "1262730");
    assert_eq!(page[0].request_id.as_ref().unwrap().as_str(), "r1");
    let all: Vec<_> = c
        .submissions()
        .stream(
            "f2",
            SubmissionQuery {
                limit: Some(2),
                ..Default::default()
            },
        )
        .try_collect()
        .await
        .unwrap();
    let ids: Vec<&str> = all.iter().map(|s| s.submission_id.as_str()).collect();
    assert_eq!(ids, ["a", "b", "c", "d", "e"]);
}

#[tokio::test]
async fn connect_errors_are_network_errors_after_retries() {
    // Bind then drop a listener: nothing listens on that port any more.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let client = penneo::Penneo::builder()
        .environment(penneo::Environment::custom_single(
            url::Url::parse(&format!("http://127.0.0.1:{port}")).unwrap(),
        ))
        .credentials(penneo::Credentials::oauth("c", penneo::Secret::new("s")))
        .tokens(tokens(ACCESS, Some("r"), 600))
        .retry_policy(fast_retries())
        .build()
        .unwrap();
    let err = client.forms().get("f1").await.unwrap_err();
    assert!(
        matches!(err, Error::Network { connect: true, .. }),
        "{err:?}"
    );
    assert!(err.is_retryable());
}

#[tokio::test]
async fn read_timeout_is_a_timeout() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/collect/api/v1/forms/slow"))
        .respond_with(ResponseTemplate::new(200).set_delay(std::time::Duration::from_secs(3)))
        .mount(&server)
        .await;
    let client = penneo::Penneo::builder()
        .environment(env(&server))
        .credentials(penneo::Credentials::oauth("c", penneo::Secret::new("s")))
        .tokens(tokens(ACCESS, Some("r"), 600))
        .retry_policy(penneo::RetryPolicy::none())
        .read_timeout(std::time::Duration::from_millis(300))
        .build()
        .unwrap();
    let err = client.forms().get("slow").await.unwrap_err();
    assert!(matches!(err, Error::Timeout), "{err:?}");
}

#[tokio::test]
async fn nestjs_unknown_route_404_is_not_supported_on_any_endpoint() {
    let server = MockServer::start().await;
    let nest = |m: &str, p: &str| {
        ResponseTemplate::new(404).set_body_json(json!({
            "message": format!("Cannot {m} {p}"), "error": "Not Found", "statusCode": 404
        }))
    };
    Mock::given(method("GET"))
        .and(path("/collect/api/v1/version"))
        .respond_with(nest("GET", "/collect/api/v1/version"))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/collect/api/v1/casefiles/42/files"))
        .respond_with(nest("GET", "/collect/api/v1/casefiles/42/files"))
        .expect(1)
        .mount(&server)
        .await;
    // A missing record on the same kind of path stays "not found".
    Mock::given(method("GET"))
        .and(path("/collect/api/v1/forms/nope"))
        .respond_with(ResponseTemplate::new(404).set_body_json(
            json!({"message": "Form nope not found", "error": "Not Found", "statusCode": 404}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let c = client(&server);
    let err = c.version().await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::NotSupported {
                operation: "version"
            }
        ),
        "{err:?}"
    );
    // Published, but this server has no such route: still "not supported", not a crash.
    let err = c.casefiles().files("42").await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::NotSupported {
                operation: "casefile_files"
            }
        ),
        "{err:?}"
    );
    let err = c.forms().get("nope").await.unwrap_err();
    assert!(
        matches!(err, Error::NotFound { message: Some(ref m) } if m == "Form nope not found"),
        "{err:?}"
    );
}

/// A link on another host (here `localhost:<port>` beside the API on `127.0.0.1`: another
/// origin; http is accepted only because both are loopback, see `link_access`) is fetched
/// without the Authorization header, under any of the link keys.
#[tokio::test]
async fn casefile_file_link_on_another_host_goes_without_the_token() {
    let api = MockServer::start().await;
    let storage = MockServer::start().await;
    let storage_base = format!("http://localhost:{}", storage.address().port());
    let pdf = b"%PDF-1.7\nstored elsewhere\n%%EOF\n".to_vec();
    for (i, _) in penneo::FILE_LINK_KEYS.iter().enumerate() {
        Mock::given(method("GET"))
            .and(path(format!("/bucket/f{i}")))
            .and(query_param("X-Signature", "abc"))
            .respond_with(ResponseTemplate::new(200).set_body_bytes(pdf.clone()))
            .expect(1)
            .mount(&storage)
            .await;
    }
    // The API host is never asked (the assumed path has no mock: any call would 404).
    let c = client(&api);
    for (i, key) in penneo::FILE_LINK_KEYS.iter().enumerate() {
        let mut v = json!({
            "id": format!("f{i}"), "filename": "id.pdf", "size": pdf.len(),
            "contentType": "application/pdf",
        });
        v[*key] = json!(format!("{storage_base}/bucket/f{i}?X-Signature=abc"));
        let f: penneo::CasefileFile = serde_json::from_value(v).unwrap();
        assert!(f.link().is_some(), "{key}");
        let mut out = Vec::new();
        let n = c.casefiles().download_file(&f, &mut out).await.unwrap();
        assert_eq!(out, pdf, "{key}");
        assert_eq!(n, pdf.len() as u64);
    }
    let seen = storage.received_requests().await.unwrap();
    assert_eq!(seen.len(), penneo::FILE_LINK_KEYS.len());
    for r in &seen {
        assert!(r.headers.get("authorization").is_none(), "{r:?}");
        assert!(r.headers.get("x-auth-token").is_none(), "{r:?}");
    }
    assert!(api.received_requests().await.unwrap().is_empty());
    // A storage error is reported like any other (not a sign-out: no token was involved).
    Mock::given(method("GET"))
        .and(path("/bucket/expired"))
        .respond_with(ResponseTemplate::new(403))
        .mount(&storage)
        .await;
    let f: penneo::CasefileFile = serde_json::from_value(json!({
        "filename": "old.pdf", "href": format!("{storage_base}/bucket/expired")
    }))
    .unwrap();
    let err = c
        .casefiles()
        .download_file(&f, &mut Vec::new())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Forbidden { .. }), "{err:?}");
    // Plain http to a host that is not loopback, with no id to fall back on: refused, nothing
    // fetched.
    let f: penneo::CasefileFile = serde_json::from_value(json!({
        "filename": "x.pdf", "url": "http://files.example/x.pdf"
    }))
    .unwrap();
    let err = c
        .casefiles()
        .download_file(&f, &mut Vec::new())
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::InvalidInput { ref message, .. } if message.contains("plain http")),
        "{err:?}"
    );
}

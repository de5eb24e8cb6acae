//! Bad input: every case gets its documented status and error body — never a 500 or a hang.

use crate::common::*;
use reqwest::StatusCode;
use serde_json::{json, Value};

fn assert_rest_error(st: StatusCode, v: &Value, expected: u16, needle: &str) {
    assert_eq!(st.as_u16(), expected, "{v}");
    assert_eq!(v["statusCode"], expected, "{v}");
    assert!(v["error"].is_string(), "{v}");
    let msg = v["message"].as_str().unwrap_or_default();
    assert!(msg.contains(needle), "'{msg}' should contain '{needle}'");
}

async fn raw(
    t: &T,
    method: reqwest::Method,
    path: &str,
    tok: Option<&str>,
    ct: &str,
    body: Vec<u8>,
) -> (StatusCode, Value) {
    let mut rb = t
        .http
        .request(method, t.url(path))
        .header("content-type", ct)
        .body(body);
    if let Some(tok) = tok {
        rb = rb.bearer_auth(tok);
    }
    T::json(rb.send().await.unwrap()).await
}

#[tokio::test]
async fn malformed_json() {
    let t = start().await;
    let tok = t.api_key_token().await;
    let (st, v) = raw(
        &t,
        reqwest::Method::POST,
        "/collect/api/v1/forms",
        Some(&tok),
        "application/json",
        b"{\"name\": ".to_vec(),
    )
    .await;
    assert_rest_error(st, &v, 400, "Malformed JSON");
    let (st, v) = raw(
        &t,
        reqwest::Method::POST,
        "/send/api/v1/queue/public/status",
        None,
        "application/json",
        b"[1,2".to_vec(),
    )
    .await;
    assert_rest_error(st, &v, 400, "Malformed JSON");
    let (st, v) = raw(
        &t,
        reqwest::Method::POST,
        "/oauth/token",
        None,
        "application/json",
        b"{grant_type".to_vec(),
    )
    .await;
    assert_eq!(st, 400);
    assert_eq!(v["error"], "invalid_request");
    let (st, v) = raw(
        &t,
        reqwest::Method::POST,
        "/_sim/clock/advance",
        None,
        "application/json",
        vec![0xff, 0xfe],
    )
    .await;
    assert_rest_error(st, &v, 400, "Malformed JSON");
    // JSON of the wrong shape.
    let (st, v) = t
        .post(&tok, "/collect/api/v1/forms", json!([1, 2, 3]))
        .await;
    assert_rest_error(st, &v, 400, "must be a JSON object");
    let (st, v) = T::json(
        t.http
            .post(t.url("/send/api/v1/queue/public/status"))
            .json(&json!({"uuid": 5}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_rest_error(st, &v, 400, "uuid is required");
    // data part that is not JSON.
    let (st, v) = t
        .create_casefile(&tok, "{not json", &[("a.pdf", &pdf("A"))])
        .await;
    assert_rest_error(st, &v, 400, "not valid JSON");
}

#[tokio::test]
async fn wrong_content_types() {
    let t = start().await;
    let tok = t.api_key_token().await;
    let (st, v) = raw(
        &t,
        reqwest::Method::POST,
        "/collect/api/v1/forms",
        Some(&tok),
        "text/plain",
        serde_json::to_vec(&kyc_form()).unwrap(),
    )
    .await;
    assert_rest_error(st, &v, 415, "application/json");
    let (st, v) = raw(
        &t,
        reqwest::Method::POST,
        "/send/api/v1/queue/public/status",
        None,
        "application/x-www-form-urlencoded",
        b"uuid=a".to_vec(),
    )
    .await;
    assert_rest_error(st, &v, 415, "application/json");
    let (st, v) = raw(
        &t,
        reqwest::Method::POST,
        "/oauth/token",
        None,
        "text/plain",
        b"grant_type=x".to_vec(),
    )
    .await;
    assert_eq!(
        (st.as_u16(), v["error"].as_str()),
        (400, Some("invalid_request"))
    );
    let r = t
        .http
        .post(t.url("/send/api/v1/casefiles/20251022/create"))
        .header("X-Auth-Token", &tok)
        .json(&json!({"caseFile": {}}))
        .send()
        .await
        .unwrap();
    let (st, v) = T::json(r).await;
    assert_rest_error(st, &v, 400, "multipart/form-data");
    // Form-urlencoded token requests (RFC 6749 style) are accepted too.
    let r = t
        .http
        .post(t.url("/oauth/token"))
        .form(&[
            ("grant_type", "refresh_token"),
            ("client_id", "demo-client"),
            ("client_secret", "demo-secret"),
            ("refresh_token", "nope"),
        ])
        .send()
        .await
        .unwrap();
    let (st, v) = T::json(r).await;
    assert_eq!(
        (st.as_u16(), v["error"].as_str()),
        (400, Some("invalid_grant"))
    );
}

#[tokio::test]
async fn oversized_fields_and_bodies() {
    let t = start().await;
    let tok = t.api_key_token().await;
    let mut def = kyc_form();
    def["description"] = json!("x".repeat(3 * 1024 * 1024));
    let (st, v) = t.post(&tok, "/collect/api/v1/forms", def).await;
    assert_rest_error(st, &v, 413, "larger than");
    let mut def = kyc_form();
    def["sections"][0]["fields"][0]["label"] = json!("L".repeat(600));
    let (st, v) = t.post(&tok, "/collect/api/v1/forms", def).await;
    assert_rest_error(
        st,
        &v,
        400,
        "Section 'contact', field 'full_name': 'label' must be at most 500 characters",
    );
    let long_title = json!({"caseFile": {"title": "T".repeat(1025), "signers": [{"name": "A"}], "documents": [{"title": "D", "name": "d.pdf"}]}}).to_string();
    let (st, v) = t
        .create_casefile(&tok, &long_title, &[("d.pdf", &pdf("D"))])
        .await;
    assert_rest_error(
        st,
        &v,
        400,
        "caseFile.title must be between 1 and 1024 characters",
    );
    let huge_data = format!(
        "{{\"caseFile\": {{\"title\": \"{}\"}}}}",
        "x".repeat(2 * 1024 * 1024)
    );
    let (st, v) = t
        .create_casefile(&tok, &huge_data, &[("d.pdf", &pdf("D"))])
        .await;
    assert_rest_error(st, &v, 413, "'data' part is larger");
    let (st, v) = t
        .post(
            &tok,
            &format!("/collect/api/v2/forms/{}/requests", "x"),
            json!({"answers": {}}),
        )
        .await;
    assert_rest_error(st, &v, 404, "Form x not found");
}

#[tokio::test]
async fn unknown_ids_routes_and_methods() {
    let t = start().await;
    let tok = t.api_key_token().await;
    for p in [
        "/collect/api/v1/forms/nope",
        "/collect/api/v1/forms/nope/versions",
        "/collect/api/v1/forms/nope/versions/1",
        "/collect/api/v1/forms/nope/requests/r/answers",
        "/collect/api/v1/forms/nope/submissions",
        "/api/v1/casefiles/abc",
        "/api/v1/casefiles/999999999",
        "/api/v1/casefiles/1/documents",
        "/api/v1/documents/xyz",
        "/api/v3/documents/123/content",
        "/collect/api/v1/casefiles/abc/files",
    ] {
        let (st, v) = t.get(&tok, p).await;
        assert_rest_error(st, &v, 404, "not found");
    }
    let (st, f) = t.post(&tok, "/collect/api/v1/forms", kyc_form()).await;
    assert_eq!(st, 201);
    let id = f["formId"].as_str().unwrap();
    for p in [
        format!("/collect/api/v1/forms/{id}/versions/abc"),
        format!("/collect/api/v1/forms/{id}/versions/7"),
    ] {
        let (st, v) = t.get(&tok, &p).await;
        assert_rest_error(st, &v, 404, "Version");
    }
    let (st, v) = t
        .post(
            &tok,
            &format!("/collect/api/v1/forms/{id}/versions/1/explode"),
            json!(null),
        )
        .await;
    assert_rest_error(st, &v, 404, "Unknown version action");
    let (st, v) = t.get(&tok, "/no/such/route").await;
    // Exactly NestJS's unknown-route body, for any method.
    assert_eq!(st, 404);
    assert_eq!(
        v,
        json!({"message": "Cannot GET /no/such/route", "error": "Not Found", "statusCode": 404})
    );
    let (st, v) = t
        .post(&tok, "/collect/api/v9/nothing?token=abc", json!({}))
        .await;
    assert_eq!(st, 404);
    assert_eq!(
        v,
        json!({"message": "Cannot POST /collect/api/v9/nothing", "error": "Not Found", "statusCode": 404})
    );
    let (st, v) = T::json(
        t.http
            .delete(t.url("/collect/api/v1/forms"))
            .bearer_auth(&tok)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_rest_error(st, &v, 405, "not allowed");
    let (st, v) = t.control("/_sim/requests/nope/submit", json!(null)).await;
    assert_rest_error(st, &v, 404, "Request nope not found");
    let (st, v) = t.control("/_sim/casefiles/abc/sign-all", json!(null)).await;
    assert_rest_error(st, &v, 404, "not found");
    assert_eq!(
        t.http
            .get(t.url("/signing/nope"))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
}

#[tokio::test]
async fn unknown_enum_values() {
    let t = start().await;
    let tok = t.api_key_token().await;
    let base = |f: &dyn Fn(&mut Value)| {
        let mut d = json!({"caseFile": {"title": "E", "signers": [{"name": "A", "email": "a@example.org"}], "documents": [{"title": "D", "name": "d.pdf"}]}});
        f(&mut d);
        d.to_string()
    };
    let cases: Vec<(String, &str)> = vec![
        (
            base(&|d| d["caseFile"]["language"] = json!("xx")),
            "caseFile.language has unknown value 'xx'",
        ),
        (
            base(&|d| d["caseFile"]["signers"][0]["ssnType"] = json!("us:ssn")),
            "caseFile.signers[0].ssnType has unknown value 'us:ssn'",
        ),
        (
            base(&|d| d["caseFile"]["signers"][0]["insecureSigningMethods"] = json!(["telepathy"])),
            "insecureSigningMethods has unknown value",
        ),
        (
            base(&|d| d["caseFile"]["signers"][0]["emailFormat"] = json!("pdf")),
            "emailFormat has unknown value 'pdf'",
        ),
        (
            base(&|d| d["caseFile"]["visibilityMode"] = json!(3)),
            "visibilityMode must be 0 or 1",
        ),
    ];
    for (data, msg) in cases {
        let (st, v) = t
            .create_casefile(&tok, &data, &[("d.pdf", &pdf("D"))])
            .await;
        assert_rest_error(st, &v, 400, msg);
    }
    let (st, v) = t.get(&tok, "/collect/api/v1/forms?status=PUBLISHED").await;
    assert_rest_error(st, &v, 400, "Unknown status 'PUBLISHED'");
    let (st, v) = t.get(&tok, "/api/v1/casefiles?status=42").await;
    assert_rest_error(st, &v, 400, "status");
    let mut def = kyc_form();
    def["sections"][0]["fields"][0]["mapTo"] = json!("secondarySigner.name");
    let (st, v) = t.post(&tok, "/collect/api/v1/forms", def).await;
    assert_rest_error(st, &v, 400, "unknown mapTo 'secondarySigner.name'");
}

#[tokio::test]
async fn send_create_validation_names_the_first_problem() {
    let t = start().await;
    let tok = t.api_key_token().await;
    let a = pdf("A");
    let b = pdf("B");
    let d = |v: Value| v.to_string();
    type Case<'a> = (String, Vec<(&'a str, &'a [u8])>, &'a str);
    let mut cases: Vec<Case> = vec![
        (
            d(json!({})),
            vec![("a.pdf", &a)],
            "data.caseFile is required",
        ),
        (
            d(
                json!({"caseFile": {"title": "", "signers": [{"name": "A"}], "documents": [{"title": "A", "name": "a.pdf"}]}}),
            ),
            vec![("a.pdf", &a)],
            "caseFile.title must be between 1 and 1024",
        ),
        (
            d(
                json!({"caseFile": {"title": "T", "signers": [], "documents": [{"title": "A", "name": "a.pdf"}]}}),
            ),
            vec![("a.pdf", &a)],
            "at least one signer",
        ),
        (
            d(
                json!({"caseFile": {"title": "T", "signers": [{"email": "a@example.org"}], "documents": [{"title": "A", "name": "a.pdf"}]}}),
            ),
            vec![("a.pdf", &a)],
            "caseFile.signers[0].name is required",
        ),
        (
            d(
                json!({"caseFile": {"title": "T", "signers": [{"name": "A", "email": "not-an-email"}], "documents": [{"title": "A", "name": "a.pdf"}]}}),
            ),
            vec![("a.pdf", &a)],
            "email 'not-an-email' is not a valid e-mail address",
        ),
        (
            d(json!({"caseFile": {"title": "T", "signers": [{"name": "A"}], "documents": []}})),
            vec![("a.pdf", &a)],
            "at least one document",
        ),
        (
            d(
                json!({"caseFile": {"title": "T", "signers": [{"name": "A"}], "documents": [{"title": "A", "name": "a.pdf", "signable": false}]}}),
            ),
            vec![("a.pdf", &a)],
            "at least one signable document",
        ),
        (
            d(
                json!({"caseFile": {"title": "T", "signers": [{"name": "A"}], "documents": [{"title": "A", "name": "missing.pdf"}]}}),
            ),
            vec![("a.pdf", &a)],
            "name 'missing.pdf' does not match any uploaded file",
        ),
        (
            d(
                json!({"caseFile": {"title": "T", "signers": [{"name": "A"}], "documents": [{"title": "A", "name": "a.pdf"}]}}),
            ),
            vec![("a.pdf", &a), ("a.pdf", &b)],
            "matches more than one uploaded file",
        ),
        (
            d(
                json!({"caseFile": {"title": "T", "signers": [{"name": "A"}], "documents": [{"title": "A", "name": "a.pdf"}]}}),
            ),
            vec![("a.pdf", &a), ("b.pdf", &b)],
            "File 'b.pdf' is not referenced by any document",
        ),
        (
            d(
                json!({"caseFile": {"title": "T", "signers": [{"name": "A"}], "documents": [{"title": "A", "name": "a.pdf"}]}}),
            ),
            vec![],
            "does not match any uploaded file",
        ),
        (
            d(
                json!({"caseFile": {"title": "T", "signers": [{"name": "A", "signOrder": -1}], "documents": [{"title": "A", "name": "a.pdf"}]}}),
            ),
            vec![("a.pdf", &a)],
            "signOrder must be an integer >= 0",
        ),
        (
            d(
                json!({"caseFile": {"title": "T", "signers": [{"name": "A", "reminderInterval": 0}], "documents": [{"title": "A", "name": "a.pdf"}]}}),
            ),
            vec![("a.pdf", &a)],
            "reminderInterval must be an integer >= 1",
        ),
        (
            d(
                json!({"caseFile": {"title": "T", "signers": [{"name": "A"}], "documents": [{"title": "A", "name": "a.pdf"}], "ccRecipients": [{"name": "X", "email": "bad"}]}}),
            ),
            vec![("a.pdf", &a)],
            "ccRecipients[0].email 'bad'",
        ),
    ];
    // The Send schema's input rules, each named in the 400.
    let signer = |extra: Value| {
        let mut sg = json!({"name": "A", "email": "a@example.org"});
        for (k, v) in extra.as_object().unwrap() {
            sg[k] = v.clone();
        }
        d(
            json!({"caseFile": {"title": "T", "signers": [sg], "documents": [{"title": "A", "name": "a.pdf"}]}}),
        )
    };
    let schema_cases: Vec<(String, &str)> = vec![
        (
            signer(json!({"role": "Køber"})),
            "signers[0].role 'Køber' is not allowed",
        ),
        (
            signer(json!({"role": "ab"})),
            "signers[0].role 'ab' is not allowed",
        ),
        (
            signer(json!({"role": "Buyer "})),
            "signers[0].role 'Buyer ' is not allowed",
        ),
        (
            signer(json!({"role": "-Buyer"})),
            "signers[0].role '-Buyer' is not allowed",
        ),
        (
            signer(json!({"role": 5})),
            "signers[0].role must be a string",
        ),
        (
            signer(json!({"language": "nb"})),
            "signers[0].language has unknown value 'nb'",
        ),
        (
            signer(json!({"emailSubject": "Hi"})),
            "signers[0].emailSubject must be between 5",
        ),
        (
            signer(json!({"reminderEmailText": "abcd"})),
            "signers[0].reminderEmailText must be between 5",
        ),
        (
            signer(json!({"secureSigningMethods": ["mitid"]})),
            "signers[0].secureSigningMethods has unknown value \"mitid\"",
        ),
        (
            signer(json!({"secureSigningMethods": []})),
            "signers[0].secureSigningMethods must have at least 1",
        ),
        (
            signer(json!({"insecureSigningMethods": ["touch"]})),
            "signers[0].insecureSigningMethods has unknown value",
        ),
        (
            signer(json!({"ssnType": "dk:mitid"})),
            "signers[0].ssnType has unknown value 'dk:mitid'",
        ),
        (
            signer(json!({"vatin": 12345678})),
            "signers[0].vatin must be a string",
        ),
        (
            signer(json!({"onBehalfOf": false})),
            "signers[0].onBehalfOf must be a string",
        ),
        (
            signer(json!({"storeAsContact": "no"})),
            "signers[0].storeAsContact must be a boolean",
        ),
        (
            d(
                json!({"caseFile": {"title": "T", "language": "nb", "signers": [{"name": "A"}], "documents": [{"title": "A", "name": "a.pdf"}]}}),
            ),
            "caseFile.language has unknown value 'nb'",
        ),
        (
            d(
                json!({"caseFile": {"title": "x".repeat(1025), "signers": [{"name": "A"}], "documents": [{"title": "A", "name": "a.pdf"}]}}),
            ),
            "caseFile.title must be between 1 and 1024",
        ),
        (
            d(
                json!({"caseFile": {"title": "", "signers": [{"name": "A"}], "documents": [{"title": "A", "name": "a.pdf"}]}}),
            ),
            "caseFile.title must be between 1 and 1024",
        ),
        (
            d(
                json!({"caseFile": {"title": "T", "signers": [{"name": "A", "role": "Buyer"}], "documents": [{"title": "A", "name": "a.pdf", "roles": ["Buyer", "Sælger"]}]}}),
            ),
            "documents[0].roles[1] 'Sælger' is not allowed",
        ),
        (
            d(
                json!({"caseFile": {"title": "T", "signers": [{"name": "A"}], "documents": [{"title": "A", "name": "a.pdf"}], "ccRecipients": [{"name": "X", "email": "x@example.org", "storeAsContact": 1}]}}),
            ),
            "ccRecipients[0].storeAsContact must be a boolean",
        ),
    ];
    for (data, msg) in &schema_cases {
        cases.push((data.clone(), vec![("a.pdf", &a[..])], msg));
    }
    for (data, files, msg) in cases {
        let (st, v) = t.create_casefile(&tok, &data, &files).await;
        assert_rest_error(st, &v, 400, msg);
    }

    // Missing data part.
    let form = reqwest::multipart::Form::new().part(
        "files",
        reqwest::multipart::Part::bytes(a.clone()).file_name("a.pdf"),
    );
    let r = t
        .http
        .post(t.url("/send/api/v1/casefiles/20251022/create"))
        .header("X-Auth-Token", &tok)
        .multipart(form)
        .send()
        .await
        .unwrap();
    let (st, v) = T::json(r).await;
    assert_rest_error(st, &v, 400, "Missing 'data' part");
    // A files part without a filename.
    let form = reqwest::multipart::Form::new()
        .text("data", "{}")
        .part("files", reqwest::multipart::Part::bytes(a.clone()));
    let r = t
        .http
        .post(t.url("/send/api/v1/casefiles/20251022/create"))
        .header("X-Auth-Token", &tok)
        .multipart(form)
        .send()
        .await
        .unwrap();
    let (st, v) = T::json(r).await;
    assert_rest_error(st, &v, 400, "needs a filename");
    // Nothing was created by any of these.
    let (_, l) = t.get(&tok, "/api/v1/casefiles").await;
    assert_eq!(l.as_array().unwrap().len(), 0);
    // What the schema allows is accepted: every secure method, the OIDC ssnTypes, vatin,
    // onBehalfOf, storeAsContact false, roles with space, comma, underscore and hyphen.
    let ok = d(
        json!({"caseFile": {"title": "T", "language": "no", "signers": [{
        "name": "A", "email": "a@example.org", "role": "Board member, 2_a-", "language": "no",
        "secureSigningMethods": ["mitid.dk", "qes.personal.mitid.dk", "bankid_se", "bankid_no", "itsme.be",
            "ftn.fi", "eid.belgium.be", "passport-reader.eident.dk", "ausweisapp.bund.de"],
        "insecureSigningMethods": ["draw"], "ssnType": "google:oidc", "vatin": "DK12345678",
        "onBehalfOf": "Holm ApS", "storeAsContact": false, "emailSubject": "Sign!"
    }, {"name": "B", "ssnType": "microsoft:oidc"}],
    "documents": [{"title": "A", "name": "a.pdf", "roles": ["Board member, 2_a-"]}],
    "ccRecipients": [{"name": "X", "email": "x@example.org", "storeAsContact": false}]}}),
    );
    let (st, v) = t.create_casefile(&tok, &ok, &[("a.pdf", &a[..])]).await;
    assert_eq!(st, 200, "{v}");
}

#[tokio::test]
async fn non_pdf_disguised_as_pdf() {
    let t = start().await;
    let tok = t.api_key_token().await;
    let data = json!({"caseFile": {"title": "T", "signers": [{"name": "A"}], "documents": [{"title": "A", "name": "invoice.pdf"}]}}).to_string();
    let (st, v) = t
        .create_casefile(
            &tok,
            &data,
            &[("invoice.pdf", b"PK\x03\x04 this is a zip file")],
        )
        .await;
    assert_rest_error(st, &v, 400, "File 'invoice.pdf' is not a PDF");
    let (st, v) = t
        .create_casefile(&tok, &data, &[("invoice.pdf", b"")])
        .await;
    assert_rest_error(st, &v, 400, "is not a PDF");
}

#[tokio::test]
async fn multipart_body_cut_short() {
    let t = start().await;
    let tok = t.api_key_token().await;
    let boundary = "XyZbOuNdArY";
    let data = json!({"caseFile": {"title": "T", "signers": [{"name": "A"}], "documents": [{"title": "A", "name": "a.pdf"}]}}).to_string();
    let mut body = format!("--{boundary}\r\nContent-Disposition: form-data; name=\"data\"\r\n\r\n{data}\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"a.pdf\"\r\nContent-Type: application/pdf\r\n\r\n").into_bytes();
    body.extend_from_slice(&pdf("A")[..40]);
    // No closing boundary: the body simply ends.
    let r = t
        .http
        .post(t.url("/send/api/v1/casefiles/20251022/create"))
        .header("X-Auth-Token", &tok)
        .header(
            "content-type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(body)
        .send()
        .await
        .unwrap();
    let (st, v) = T::json(r).await;
    assert_rest_error(st, &v, 400, "Malformed multipart body");
    // Missing boundary parameter.
    let r = t
        .http
        .post(t.url("/send/api/v1/casefiles/20251022/create"))
        .header("X-Auth-Token", &tok)
        .header("content-type", "multipart/form-data")
        .body("x")
        .send()
        .await
        .unwrap();
    let (st, v) = T::json(r).await;
    assert_rest_error(st, &v, 400, "multipart");
    // The simulator is still healthy and left no stray uploads behind in a casefile.
    assert_eq!(
        t.get(&tok, "/api/v1/casefiles")
            .await
            .1
            .as_array()
            .unwrap()
            .len(),
        0
    );
}

#[tokio::test]
async fn streamed_upload_of_a_larger_pdf() {
    let t = start().await;
    let tok = t.api_key_token().await;
    let mut big = pdf("Big");
    // 24 MiB of comment lines before the final %%EOF keep it a PDF by header and trailer.
    let eof = big.len() - 6;
    let filler: Vec<u8> = std::iter::repeat_n(
        b"% filler line for a large upload test\n".as_slice(),
        24 * 1024 * 1024 / 38,
    )
    .flatten()
    .copied()
    .collect();
    big.splice(eof..eof, filler);
    let data = json!({"caseFile": {"title": "Big", "signers": [{"name": "A"}], "documents": [{"title": "Big", "name": "big.pdf"}]}}).to_string();
    let (st, v) = t.create_casefile(&tok, &data, &[("big.pdf", &big)]).await;
    assert_eq!(st, 200, "{v}");
    t.advance(2.0).await;
    let (_, j) = t
        .job(
            v["jobs"][0]["uuid"].as_str().unwrap(),
            v["jobs"][0]["payloadHash"].as_str().unwrap(),
        )
        .await;
    let id = j["result"]["data"]["caseFile"]["id"].as_u64().unwrap();
    let (_, c) = t.get(&tok, &format!("/api/v1/casefiles/{id}")).await;
    assert_eq!(
        c["documents"][0]["fileSize"].as_u64().unwrap(),
        big.len() as u64
    );
    let r = t
        .http
        .get(t.url(&format!(
            "/api/v3/documents/{}/content",
            c["documents"][0]["id"]
        )))
        .bearer_auth(&tok)
        .header("Accept", "application/pdf")
        .send()
        .await
        .unwrap();
    assert_eq!(r.bytes().await.unwrap().len(), big.len());
}

/// 600 MB in one request (run with `cargo test -p penneo-sim -- --ignored`).
#[tokio::test]
#[ignore]
async fn accepts_600_mb_request() {
    let t = start().await;
    let tok = t.api_key_token().await;
    let head = pdf("Huge");
    let chunk = vec![b'%'; 1024 * 1024];
    let total_chunks = 600usize;
    let stream = futures_util::stream::iter(
        std::iter::once(Ok::<Vec<u8>, std::io::Error>(
            head[..head.len() - 6].to_vec(),
        ))
        .chain((0..total_chunks).map(move |_| Ok(chunk.clone())))
        .chain(std::iter::once(Ok(b"\n%%EOF\n".to_vec()))),
    );
    let part =
        reqwest::multipart::Part::stream(reqwest::Body::wrap_stream(stream)).file_name("huge.pdf");
    let data = json!({"caseFile": {"title": "Huge", "signers": [{"name": "A"}], "documents": [{"title": "Huge", "name": "huge.pdf"}]}}).to_string();
    let form = reqwest::multipart::Form::new()
        .text("data", data)
        .part("files", part);
    let r = t
        .http
        .post(t.url("/send/api/v1/casefiles/20251022/create"))
        .header("X-Auth-Token", &tok)
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
}

/// Seal a 150 MB PDF end to end (run with `--ignored`; measure memory with /usr/bin/time).
#[tokio::test]
#[ignore]
async fn seals_a_150_mb_pdf() {
    let t = start().await;
    let tok = t.api_key_token().await;
    // One page whose content stream is ~150 MB of (valid) comment-free operators.
    let op = b"0 0 m 1 1 l S\n";
    let n = 150 * 1024 * 1024 / op.len();
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offs = vec![];
    offs.push(out.len());
    out.extend_from_slice(b"1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n");
    offs.push(out.len());
    out.extend_from_slice(b"2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n");
    offs.push(out.len());
    out.extend_from_slice(b"3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R >>\nendobj\n");
    offs.push(out.len());
    out.extend_from_slice(format!("4 0 obj\n<< /Length {} >>\nstream\n", n * op.len()).as_bytes());
    for _ in 0..n {
        out.extend_from_slice(op);
    }
    out.extend_from_slice(b"\nendstream\nendobj\n");
    let x = out.len();
    out.extend_from_slice(b"xref\n0 5\n0000000000 65535 f \n");
    for o in offs {
        out.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!("trailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n{x}\n%%EOF\n").as_bytes(),
    );
    let data = json!({"caseFile": {"title": "Large", "signers": [{"name": "A"}], "documents": [{"title": "L", "name": "l.pdf"}]}}).to_string();
    let started = std::time::Instant::now();
    let (st, v) = t.create_casefile(&tok, &data, &[("l.pdf", &out)]).await;
    assert_eq!(st, 200, "{v}");
    let upload = started.elapsed();
    drop(out);
    t.advance(2.0).await;
    let (_, j) = t
        .job(
            v["jobs"][0]["uuid"].as_str().unwrap(),
            v["jobs"][0]["payloadHash"].as_str().unwrap(),
        )
        .await;
    let id = j["result"]["data"]["caseFile"]["id"].as_u64().unwrap();
    let started = std::time::Instant::now();
    t.control(&format!("/_sim/casefiles/{id}/sign-all"), json!(null))
        .await;
    t.wait_status(&tok, id, 5).await;
    eprintln!("upload {upload:?}, sealing {:?}", started.elapsed());
}

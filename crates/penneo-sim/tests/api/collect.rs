//! Collect: forms and versions, prefilled requests, submissions, the fill-in page.

use serde_json::{json, Value};

use crate::common::*;

#[tokio::test]
async fn form_lifecycle_and_versions() {
    let t = start().await;
    let tok = t.api_key_token().await;
    let (st, f) = t.post(&tok, "/collect/api/v1/forms", kyc_form()).await;
    assert_eq!(st, 201, "{f}");
    let id = f["formId"].as_str().unwrap().to_string();
    assert_eq!(f["id"], f["formId"]);
    assert_eq!(
        (f["status"].as_str(), f["version"].as_u64()),
        (Some("DRAFT"), Some(1))
    );
    assert_eq!(f["customTopLevel"], "kept");
    assert_eq!(f["additionalSignersConfig"], json!({"opaque": [1, 2, 3]}));
    let p = format!("/collect/api/v1/forms/{id}");
    // DRAFT edited in place.
    let mut def = kyc_form();
    def["name"] = json!("KYC individual v1b");
    let (st, f) = t.put(&tok, &p, def.clone()).await;
    assert_eq!(st, 200);
    assert_eq!(
        (f["version"].as_u64(), f["name"].as_str()),
        (Some(1), Some("KYC individual v1b"))
    );
    // Publish.
    let (st, f) = t.post(&tok, &format!("{p}/publish"), json!(null)).await;
    assert_eq!(st, 200);
    assert_eq!(f["status"], "ACTIVE");
    assert!(f["publicUrl"].is_string());
    assert_eq!(
        t.post(&tok, &format!("{p}/publish"), json!(null)).await.0,
        409
    );
    // Update ACTIVE -> new DRAFT v2, v1 keeps serving.
    def["name"] = json!("KYC individual v2");
    let (st, f) = t.put(&tok, &p, def.clone()).await;
    assert_eq!(st, 200);
    assert_eq!(
        (
            f["version"].as_u64(),
            f["status"].as_str(),
            f["activeVersion"].as_u64()
        ),
        (Some(2), Some("DRAFT"), Some(1))
    );
    let (_, vs) = t.get(&tok, &format!("{p}/versions")).await;
    let statuses: Vec<(u64, String)> = vs["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            (
                v["version"].as_u64().unwrap(),
                v["status"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(statuses, vec![(1, "ACTIVE".into()), (2, "DRAFT".into())]);
    let (st, v1) = t.get(&tok, &format!("{p}/versions/1")).await;
    assert_eq!(
        (st.as_u16(), v1["name"].as_str()),
        (200, Some("KYC individual v1b"))
    );
    assert_eq!(t.get(&tok, &format!("{p}/versions/9")).await.0, 404);
    // Update a version (DRAFT v2 in place).
    def["description"] = json!("changed");
    let (st, f) = t.put(&tok, &format!("{p}/versions/2"), def.clone()).await;
    assert_eq!(
        (
            st.as_u16(),
            f["version"].as_u64(),
            f["description"].as_str()
        ),
        (200, Some(2), Some("changed"))
    );
    // Publish version 2 -> v1 ARCHIVED.
    assert_eq!(
        t.post(&tok, &format!("{p}/versions/2/publish"), json!(null))
            .await
            .0,
        200
    );
    let (_, vs) = t.get(&tok, &format!("{p}/versions")).await;
    assert_eq!(vs["items"][0]["status"], "ARCHIVED");
    assert_eq!(vs["items"][1]["status"], "ACTIVE");
    // ARCHIVED versions cannot be edited in place.
    assert_eq!(
        t.put(&tok, &format!("{p}/versions/1"), def.clone()).await.0,
        409
    );
    // Restore v1 -> v3 DRAFT copy.
    let (st, f) = t
        .post(&tok, &format!("{p}/versions/1/restore"), json!(null))
        .await;
    assert_eq!(
        (
            st.as_u16(),
            f["version"].as_u64(),
            f["status"].as_str(),
            f["name"].as_str()
        ),
        (200, Some(3), Some("DRAFT"), Some("KYC individual v1b"))
    );
    assert_eq!(
        t.post(&tok, &format!("{p}/versions/3/archive"), json!(null))
            .await
            .0,
        200
    );
    // A GET → PUT round trip of the whole form object keeps unknown fields and ignores the
    // server-managed ones.
    let (_, mut whole) = t.get(&tok, &p).await;
    whole["status"] = json!("ARCHIVED");
    whole["publicUrl"] = json!("http://stale.example/");
    whole["sections"][0]["extraSectionKey"] = json!({"x": 1});
    let (st, f) = t.put(&tok, &p, whole).await;
    assert_eq!((st.as_u16(), f["status"].as_str()), (200, Some("DRAFT")));
    assert!(f
        .get("publicUrl")
        .is_none_or(|u| u != "http://stale.example/"));
    assert_eq!(f["sections"][0]["extraSectionKey"], json!({"x": 1}));
    assert_eq!(f["customTopLevel"], "kept");
    // Archive form.
    let r = t
        .http
        .post(t.url(&format!("{p}/archive")))
        .bearer_auth(&tok)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let (_, f) = t.get(&tok, &p).await;
    assert_eq!(f["status"], "ARCHIVED");
    assert_eq!(
        t.put(&tok, &p, kyc_form()).await.0,
        409,
        "archived forms are not edited"
    );
    assert_eq!(t.get(&tok, "/collect/api/v1/forms/nope").await.0, 404);
}

#[tokio::test]
async fn form_list_filters_sort_and_paging() {
    let t = start().await;
    let tok = t.api_key_token().await;
    for (name, publish) in [("Charlie", false), ("alpha", true), ("Bravo", true)] {
        let mut def = kyc_form();
        def["name"] = json!(name);
        let q = if publish { "?publish=true" } else { "" };
        let (st, _) = t
            .post(&tok, &format!("/collect/api/v1/forms{q}"), def)
            .await;
        assert_eq!(st, 201);
    }
    let names = |v: &Value| -> Vec<String> {
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["name"].as_str().unwrap().to_string())
            .collect()
    };
    let (_, v) = t.get(&tok, "/collect/api/v1/forms?sort=name").await;
    assert_eq!(names(&v), ["alpha", "Bravo", "Charlie"]);
    let (_, v) = t
        .get(&tok, "/collect/api/v1/forms?sort=-name&limit=2&offset=1")
        .await;
    assert_eq!(names(&v), ["Bravo", "alpha"]);
    let (_, v) = t
        .get(&tok, "/collect/api/v1/forms?status=ACTIVE&sort=name")
        .await;
    assert_eq!(names(&v), ["alpha", "Bravo"]);
    let (_, v) = t
        .get(&tok, "/collect/api/v1/forms?status=DRAFT,ARCHIVED")
        .await;
    assert_eq!(names(&v), ["Charlie"]);
    let (_, v) = t.get(&tok, "/collect/api/v1/forms?sort=createdAt").await;
    assert_eq!(names(&v), ["Charlie", "alpha", "Bravo"]);
    assert!(v["items"][0].get("sections").is_none());
    for bad in [
        "status=LIVE",
        "sort=colour",
        "limit=0",
        "limit=1001",
        "offset=-1",
    ] {
        let (st, e) = t.get(&tok, &format!("/collect/api/v1/forms?{bad}")).await;
        assert_eq!(st, 400, "{bad}");
        assert_eq!(e["statusCode"], 400);
    }
}

#[tokio::test]
async fn form_validation_names_section_and_field() {
    let t = start().await;
    let tok = t.api_key_token().await;
    type Mutation = Box<dyn Fn(&mut Value)>;
    let cases: Vec<(Mutation, &str)> = vec![
        (
            Box::new(|d| d["sections"][0]["fields"][0]["type"] = json!("COLOUR")),
            "Section 'contact', field 'full_name': unknown type 'COLOUR'",
        ),
        (
            Box::new(|d| d["sections"][1]["fields"][0]["name"] = json!("email")),
            "Section 'refs', field 'email': duplicate field name",
        ),
        (
            Box::new(|d| d["sections"][0]["fields"][0]["name"] = json!("Full Name")),
            "Section 'contact', field 'Full Name': name must match",
        ),
        (
            Box::new(|d| d["sections"][0]["fields"][1]["mapTo"] = json!("primarySigner.name")),
            "Section 'contact', field 'email': mapTo primarySigner.name requires a TEXT field",
        ),
        (
            Box::new(|d| {
                d["sections"][0]["fields"][3]["condition"]["rules"][0]["field"] = json!("ref_name")
            }),
            "Section 'contact', field 'cvr': condition refers to 'ref_name'",
        ),
        (
            Box::new(|d| d["sections"][0]["fields"][2]["options"] = json!([])),
            "Section 'contact', field 'kind': CHOICE fields need",
        ),
        (
            Box::new(|d| d["sections"][0]["fields"][2]["layout"] = json!("SLIDER")),
            "Section 'contact', field 'kind': unknown layout 'SLIDER'",
        ),
        (
            Box::new(|d| d["sections"][1]["slug"] = json!("contact")),
            "Section 'contact': duplicate slug",
        ),
        (
            Box::new(|d| d["sections"][2]["fields"][0]["content"] = json!("{{cvr}}")),
            "Section 'summary', field #1: content refers to '{{cvr}}'",
        ),
        (
            Box::new(|d| {
                d["sections"][0]["fields"][3]["condition"]["rules"][0]["operator"] =
                    json!("GREATER")
            }),
            "unknown condition operator 'GREATER'",
        ),
        (
            Box::new(|d| d["language"] = json!("XX")),
            "'language' has unknown value 'XX'",
        ),
        (
            Box::new(|d| d["name"] = json!("x".repeat(300))),
            "'name' must be at most 255 characters",
        ),
        (
            Box::new(|d| d["sections"] = json!([])),
            "'sections' must contain at least one section",
        ),
        (
            Box::new(|d| d["sections"][0]["fields"][0]["validations"]["minLength"] = json!(500)),
            "Section 'contact', field 'full_name': validations.minLength is greater than maxLength",
        ),
    ];
    for (mutate, expected) in cases {
        let mut def = kyc_form();
        mutate(&mut def);
        let (st, e) = t.post(&tok, "/collect/api/v1/forms", def).await;
        assert_eq!(st, 400, "{expected}");
        assert_eq!(e["error"], "Bad Request");
        assert!(
            e["message"].as_str().unwrap().contains(expected),
            "{} !~ {expected}",
            e["message"]
        );
    }
}

pub(crate) async fn active_form(t: &T, tok: &str) -> String {
    let (st, f) = t
        .post(tok, "/collect/api/v1/forms?publish=true", kyc_form())
        .await;
    assert_eq!(st, 201);
    f["formId"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn prefilled_request_submit_submissions_and_answers() {
    let t = start().await;
    let tok = t.api_key_token().await;
    // Requests need an ACTIVE form.
    let (_, draft) = t.post(&tok, "/collect/api/v1/forms", kyc_form()).await;
    let (st, _) = t
        .post(
            &tok,
            &format!(
                "/collect/api/v2/forms/{}/requests",
                draft["formId"].as_str().unwrap()
            ),
            json!({"answers": {}}),
        )
        .await;
    assert_eq!(st, 409);
    let id = active_form(&t, &tok).await;
    let rp = format!("/collect/api/v2/forms/{id}/requests");
    // Validation of prefilled answers.
    for (body, msg) in [
        (json!({"answers": {"nope": [{}]}}), "Unknown section 'nope'"),
        (
            json!({"answers": {"contact": [{"colour": {"value": "x"}}]}}),
            "Section 'contact': unknown field 'colour'",
        ),
        (
            json!({"answers": {"contact": [{"email": {"value": "not-an-email"}}]}}),
            "Section 'contact', field 'email'",
        ),
        (
            json!({"answers": {"contact": [{"kind": {"value": "robot"}}]}}),
            "is not one of the options",
        ),
        (
            json!({"answers": {"contact": [{}, {}]}}),
            "at most 1 instance",
        ),
    ] {
        let (st, e) = t.post(&tok, &rp, body).await;
        assert_eq!(st, 400);
        assert!(e["message"].as_str().unwrap().contains(msg), "{e}");
    }
    let (st, r) = t.post(&tok, &rp, json!({"answers": {
        "contact": [{"full_name": {"value": "Ida Holm", "editable": false}, "email": {"value": "ida@example.org", "editable": true}}],
        "refs": [{"ref_name": {"value": "Acme A/S"}}, {"ref_name": {"value": "Nordvind ApS"}}]
    }})).await;
    assert_eq!(st, 200, "{r}");
    let rid = r["requestId"].as_str().unwrap().to_string();
    assert!(r["requestUrl"].as_str().unwrap().starts_with(&t.base));
    let ans_path = format!("/collect/api/v1/forms/{id}/requests/{rid}/answers");
    assert_eq!(t.get(&tok, &ans_path).await.0, 404);
    // Locked field cannot be changed.
    let (st, e) = t
        .control(
            &format!("/_sim/requests/{rid}/submit"),
            json!({"answers": {"contact": [{"full_name": "Someone Else", "kind": "person"}]}}),
        )
        .await;
    assert_eq!(st, 400);
    assert!(e["message"].as_str().unwrap().contains("locked"), "{e}");
    // Required field missing (kind) -> 400.
    let (st, e) = t
        .control(&format!("/_sim/requests/{rid}/submit"), json!(null))
        .await;
    assert_eq!(st, 400);
    assert!(
        e["message"]
            .as_str()
            .unwrap()
            .contains("'kind': is required"),
        "{e}"
    );
    // Conditional required field (cvr) becomes required when kind=company.
    let (st, e) = t
        .control(
            &format!("/_sim/requests/{rid}/submit"),
            json!({"answers": {"contact": [{"kind": "company"}]}}),
        )
        .await;
    assert_eq!(st, 400);
    assert!(
        e["message"]
            .as_str()
            .unwrap()
            .contains("'cvr': is required"),
        "{e}"
    );
    let before = t
        .control("/_sim/clock/advance", json!({"seconds": 1}))
        .await
        .1["nowIso"]
        .as_str()
        .unwrap()
        .to_string();
    t.advance(1.0).await; // the submission happens strictly after `before`
    let (st, sub) = t
        .control(
            &format!("/_sim/requests/{rid}/submit"),
            json!({"answers": {"contact": [{"kind": "company", "cvr": "DK12345678"}]}}),
        )
        .await;
    assert_eq!(st, 200, "{sub}");
    let cf = sub["casefileId"].as_u64().unwrap();
    // Resubmission conflicts.
    assert_eq!(
        t.control(&format!("/_sim/requests/{rid}/submit"), json!(null))
            .await
            .0,
        409
    );
    // Answers for request, submission and casefile are the same object.
    let (st, a) = t.get(&tok, &ans_path).await;
    assert_eq!(st, 200);
    assert_eq!(a["submissionId"], sub["submissionId"]);
    assert_eq!(a["formId"], json!(id));
    assert_eq!(a["version"], 1);
    assert_eq!(a["respondents"][0]["name"], "Ida Holm");
    assert_eq!(
        a["sections"][0]["answers"][0],
        json!({"name": "full_name", "label": "Name", "type": "TEXT", "value": "Ida Holm"})
    );
    assert_eq!(a["sections"][1]["multipleEntries"], true);
    assert_eq!(
        a["sections"][1]["instances"][1]["answers"][0]["value"],
        "Nordvind ApS"
    );
    let (_, a2) = t
        .get(
            &tok,
            &format!(
                "/collect/api/v1/forms/{id}/submissions/{}/answers",
                sub["submissionId"].as_str().unwrap()
            ),
        )
        .await;
    assert_eq!(a, a2);
    let (_, a3) = t
        .get(&tok, &format!("/collect/api/v1/casefiles/{cf}/answers"))
        .await;
    assert_eq!(a, a3);
    // The casefile is a Sign casefile for the primary signer.
    let (_, c) = t.get(&tok, &format!("/api/v1/casefiles/{cf}")).await;
    assert_eq!(c["status"], 1);
    assert_eq!(c["title"], "KYC individual - Ida Holm");
    assert_eq!(
        c["signers"][0]["signingRequest"]["email"],
        "ida@example.org"
    );
    let (st, files) = t
        .get(&tok, &format!("/collect/api/v1/casefiles/{cf}/files"))
        .await;
    assert_eq!(st, 200);
    assert!(files[0]["filename"].as_str().unwrap().ends_with(".pdf"));
    assert!(files[0]["size"].as_u64().unwrap() > 100);
    let dl = t
        .http
        .get(files[0]["downloadUrl"].as_str().unwrap())
        .bearer_auth(&tok)
        .header("Accept", "application/pdf")
        .send()
        .await
        .unwrap();
    assert!(dl.bytes().await.unwrap().starts_with(b"%PDF-"));
    // Submissions list and exclusive date bounds.
    let sp = format!("/collect/api/v1/forms/{id}/submissions");
    let (_, l) = t.get(&tok, &sp).await;
    assert_eq!(l["items"].as_array().unwrap().len(), 1);
    let item = &l["items"][0];
    assert_eq!(
        (item["casefileId"].as_u64(), item["requestId"].as_str()),
        (Some(cf), Some(rid.as_str()))
    );
    let done = item["completedAt"].as_str().unwrap().to_string();
    let count = |v: &Value| v["items"].as_array().unwrap().len();
    let q = |k: &str, v: &str| {
        format!(
            "{sp}?{k}={}",
            url::form_urlencoded::byte_serialize(v.as_bytes()).collect::<String>()
        )
    };
    assert_eq!(count(&t.get(&tok, &q("completedAfter", &done)).await.1), 0);
    assert_eq!(count(&t.get(&tok, &q("completedBefore", &done)).await.1), 0);
    assert_eq!(
        count(&t.get(&tok, &q("completedAfter", &before)).await.1),
        1
    );
    assert_eq!(t.get(&tok, &q("completedAfter", "yesterday")).await.0, 400);
    assert_eq!(t.get(&tok, &format!("{sp}?limit=0")).await.0, 400);
    assert_eq!(
        t.get(&tok, "/collect/api/v1/forms/zzz/submissions").await.0,
        404
    );
    assert_eq!(
        t.get(
            &tok,
            &format!("/collect/api/v1/forms/{id}/submissions/nope/answers")
        )
        .await
        .0,
        404
    );
    assert_eq!(
        t.get(&tok, "/collect/api/v1/casefiles/999/answers").await.0,
        404
    );
    assert_eq!(
        t.get(&tok, "/collect/api/v1/casefiles/999/files").await.0,
        404
    );
}

#[tokio::test]
async fn submissions_paging_ascending() {
    let t = start().await;
    let tok = t.api_key_token().await;
    let id = active_form(&t, &tok).await;
    let mut ids = vec![];
    for i in 0..12 {
        let (_, r) = t.post(&tok, &format!("/collect/api/v2/forms/{id}/requests"), json!({"answers": {"contact": [{"full_name": {"value": format!("Person {i}")}, "email": {"value": format!("p{i}@example.org")}, "kind": {"value": "person"}}], "refs": [{"ref_name": {"value": "X"}}]}})).await;
        let (st, s) = t
            .control(
                &format!("/_sim/requests/{}/submit", r["requestId"].as_str().unwrap()),
                json!(null),
            )
            .await;
        assert_eq!(st, 200, "{s}");
        ids.push(s["submissionId"].as_str().unwrap().to_string());
    }
    let sp = format!("/collect/api/v1/forms/{id}/submissions");
    let (_, p1) = t.get(&tok, &sp).await;
    assert_eq!(
        p1["items"].as_array().unwrap().len(),
        10,
        "default limit is 10"
    );
    let (_, p2) = t.get(&tok, &format!("{sp}?limit=5&offset=10")).await;
    let got: Vec<String> = p1["items"]
        .as_array()
        .unwrap()
        .iter()
        .chain(p2["items"].as_array().unwrap())
        .map(|i| i["submissionId"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(got, ids);
}

#[tokio::test]
async fn fill_in_page_shows_prefill_locks_and_submits() {
    let t = start().await;
    let tok = t.api_key_token().await;
    let id = active_form(&t, &tok).await;
    let (_, r) = t.post(&tok, &format!("/collect/api/v2/forms/{id}/requests"), json!({"answers": {"contact": [{"full_name": {"value": "Søren Ærø", "editable": false}}]}})).await;
    let url = r["requestUrl"].as_str().unwrap().to_string();
    let html = t.http.get(&url).send().await.unwrap().text().await.unwrap();
    assert!(
        html.contains("value=\"Søren Ærø\" readonly"),
        "prefilled + locked"
    );
    assert!(html.contains("data-condition"), "conditions present");
    assert!(
        html.contains("Signing: Søren Ærø"),
        "HTML content rendered with answers"
    );
    // Missing required fields -> 400 page with errors.
    let r = t
        .http
        .post(&url)
        .form(&[("contact.0.email", "x@example.org")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    assert!(r.text().await.unwrap().contains("is required"));
    let r = t
        .http
        .post(&url)
        .form(&[
            ("contact.0.full_name", "Søren Ærø"),
            ("contact.0.email", "soren@example.org"),
            ("contact.0.kind", "person"),
            ("refs.0.ref_name", "Acme"),
            ("refs.1.ref_name", ""),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let page = r.text().await.unwrap();
    assert!(page.contains("Continue to signing"));
    let (_, l) = t
        .get(&tok, &format!("/collect/api/v1/forms/{id}/submissions"))
        .await;
    assert_eq!(l["items"].as_array().unwrap().len(), 1);
    let sid = l["items"][0]["submissionId"].as_str().unwrap();
    let (_, a) = t
        .get(
            &tok,
            &format!("/collect/api/v1/forms/{id}/submissions/{sid}/answers"),
        )
        .await;
    assert_eq!(
        a["sections"][1]["instances"].as_array().unwrap().len(),
        1,
        "empty extra instance dropped"
    );
    // Signing link from the thank-you page works.
    let link = page
        .split("id=\"continue\" href=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    let html = t.http.get(link).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("Sign"));
    let r = t
        .http
        .post(format!("{link}/sign"))
        .form(&[("x", "")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let (_, c) = t
        .get(
            &tok,
            &format!("/api/v1/casefiles/{}", l["items"][0]["casefileId"]),
        )
        .await;
    assert!(c["status"] == 4 || c["status"] == 5);
    // Unknown request page.
    assert_eq!(
        t.http
            .get(t.url("/collect/requests/nope"))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
}

#[tokio::test]
async fn file_fields_upload_through_the_fill_in_page() {
    let t = start().await;
    let tok = t.api_key_token().await;
    let def = json!({"name": "Onboarding with ID", "sections": [{"slug": "me", "title": "Me", "fields": [
        {"name": "full_name", "label": "Name", "type": "TEXT", "required": true, "mapTo": "primarySigner.name"},
        {"name": "id_document", "label": "Passport scan", "type": "FILE", "required": true}]}]});
    let (st, f) = t
        .post(&tok, "/collect/api/v1/forms?publish=true", def)
        .await;
    assert_eq!(st, 201, "{f}");
    let id = f["formId"].as_str().unwrap();
    let rp = format!("/collect/api/v2/forms/{id}/requests");
    let (st, e) = t
        .post(
            &tok,
            &rp,
            json!({"answers": {"me": [{"id_document": {"value": "x.pdf"}}]}}),
        )
        .await;
    assert_eq!(st, 400);
    assert!(
        e["message"].as_str().unwrap().contains("'id_document'"),
        "{e}"
    );
    let (_, r) = t
        .post(
            &tok,
            &rp,
            json!({"answers": {"me": [{"full_name": {"value": "Liv Dahl"}}]}}),
        )
        .await;
    let url = r["requestUrl"].as_str().unwrap().to_string();
    let html = t.http.get(&url).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("type=\"file\" id=\"me.0.id_document\""));
    assert!(html.contains("enctype=\"multipart/form-data\""));
    // An empty file input (as browsers send it) leaves the required field missing.
    let form = reqwest::multipart::Form::new()
        .text("me.0.full_name", "Liv Dahl")
        .part(
            "me.0.id_document",
            reqwest::multipart::Part::bytes(Vec::new()).file_name(""),
        );
    let r = t.http.post(&url).multipart(form).send().await.unwrap();
    assert_eq!(r.status(), 400);
    assert!(r.text().await.unwrap().contains("is required"));
    let scan = b"\x89PNG fake passport scan".to_vec();
    let form = reqwest::multipart::Form::new()
        .text("me.0.full_name", "Liv Dahl")
        .part(
            "me.0.id_document",
            reqwest::multipart::Part::bytes(scan.clone())
                .file_name("passport.png")
                .mime_str("image/png")
                .unwrap(),
        );
    let r = t.http.post(&url).multipart(form).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let (_, l) = t
        .get(&tok, &format!("/collect/api/v1/forms/{id}/submissions"))
        .await;
    let cf = l["items"][0]["casefileId"].as_u64().unwrap();
    let (_, a) = t
        .get(&tok, &format!("/collect/api/v1/casefiles/{cf}/answers"))
        .await;
    let v = &a["sections"][0]["answers"][1]["value"];
    assert_eq!(
        (v["filename"].as_str(), v["size"].as_u64()),
        (Some("passport.png"), Some(scan.len() as u64))
    );
    let (_, files) = t
        .get(&tok, &format!("/collect/api/v1/casefiles/{cf}/files"))
        .await;
    let up = files
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["filename"] == "passport.png")
        .unwrap();
    assert_eq!(up["contentType"], "image/png");
    let dl = up["downloadUrl"].as_str().unwrap();
    assert_eq!(t.http.get(dl).send().await.unwrap().status(), 401);
    let r = t.http.get(dl).bearer_auth(&tok).send().await.unwrap();
    assert_eq!(r.headers()["content-type"], "image/png");
    assert_eq!(r.bytes().await.unwrap().to_vec(), scan);
    assert_eq!(
        t.get(
            &tok,
            "/collect/api/v1/files/file-00000000-0000-4000-8000-000000000000"
        )
        .await
        .0,
        404
    );
}

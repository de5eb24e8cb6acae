//! Submitting, apart from HTTP: answers become a submission, its answers PDF and a Sign
//! casefile for the primary signer (the fill-in page, the public form, the control API).

use serde_json::{Map, Value};

use super::formdef::{self, RawAnswers};
use crate::error::{ApiError, ApiResult};
use crate::sign::model::{create_casefile, CasefileSpec, DocSpec, SignerSpec};
use crate::state::{AppState, PrefillAnswers, Submission};

/// Create a submission (and its Sign casefile) from validated answers.
pub async fn create_submission(
    s: &AppState,
    form_id: &str,
    version: u32,
    request_id: Option<String>,
    prefill: &PrefillAnswers,
    raw: &RawAnswers,
) -> Result<(String, u64), Vec<(String, String)>> {
    let (def, already) = {
        let db = s.db();
        let def = db
            .forms
            .get(form_id)
            .and_then(|f| f.version(version))
            .map(|v| v.definition.clone());
        let already = request_id
            .as_ref()
            .and_then(|r| db.requests.get(r))
            .and_then(|r| r.submission_id.clone());
        (def, already)
    };
    let Some(def) = def else {
        return Err(vec![(String::new(), "Form version not found".into())]);
    };
    if already.is_some() {
        return Err(vec![(
            String::new(),
            "This request has already been submitted".into(),
        )]);
    }
    let answers = formdef::finalize(&def, prefill, raw)?;
    let name = formdef::mapped_value(&def, &answers, "primarySigner.name")
        .unwrap_or_else(|| "Respondent".into());
    let email = formdef::mapped_value(&def, &answers, "primarySigner.email");
    let form_name = formdef::s(&def, "name").to_string();
    let template = def
        .get("caseFileTitleTemplate")
        .and_then(Value::as_str)
        .filter(|t| !t.is_empty())
        .unwrap_or("{{formName}} - {{primarySigner.name}}")
        .to_string();
    let title = formdef::render_template(&template, |k| match k {
        "formName" => Some(form_name.clone()),
        "primarySigner.name" => Some(name.clone()),
        "primarySigner.email" => email.clone(),
        other => formdef::field_value(&answers, other),
    });
    let mut lines = vec![format!(
        "Respondent: {name}{}",
        email
            .as_deref()
            .map(|e| format!(" <{e}>"))
            .unwrap_or_default()
    )];
    lines.extend(formdef::answer_lines(&def, &answers));
    let pdf = crate::pdf::text_pdf(&form_name, &lines);
    let blob = format!("collect-{}", uuid::Uuid::new_v4());
    if let Err(e) = tokio::fs::write(s.blob_path(&blob), &pdf).await {
        return Err(vec![(
            String::new(),
            format!("Could not store the document: {e}"),
        )]);
    }
    let mut db = s.db();
    let now = db.now_ms();
    if let Some(r) = request_id.as_ref().and_then(|r| db.requests.get(r)) {
        if r.submission_id.is_some() {
            return Err(vec![(
                String::new(),
                "This request has already been submitted".into(),
            )]);
        }
    }
    let sub_id = db.new_ordered_id();
    let cf_id = create_casefile(
        &mut db,
        CasefileSpec {
            title: title.chars().take(1024).collect(),
            language: def
                .get("language")
                .and_then(Value::as_str)
                .map(str::to_lowercase),
            signers: vec![SignerSpec {
                name: name.clone(),
                email: email.clone(),
                role: Some("signer".into()),
                sign_order: 0,
                extra: Map::new(),
            }],
            docs: vec![DocSpec {
                title: form_name.clone(),
                filename: format!(
                    "{}.pdf",
                    form_name
                        .to_lowercase()
                        .replace(|c: char| !c.is_ascii_alphanumeric(), "-")
                ),
                signable: true,
                order: 0,
                roles: vec![],
                blob,
                size: pdf.len() as u64,
                meta_data: None,
            }],
            submission_id: Some(sub_id.clone()),
            form_id: Some(form_id.to_string()),
            ..Default::default()
        },
        now,
    );
    db.submissions.insert(
        sub_id.clone(),
        Submission {
            id: sub_id.clone(),
            form_id: form_id.to_string(),
            version,
            request_id: request_id.clone(),
            casefile_id: cf_id,
            completed_at: now,
            answers,
            respondent_name: name,
            respondent_email: email,
            hide_completed_at: false,
        },
    );
    if let Some(r) = request_id.as_ref().and_then(|r| db.requests.get_mut(r)) {
        r.submission_id = Some(sub_id.clone());
    }
    db.touch();
    Ok((sub_id, cf_id))
}

/// Submit a prefilled request with extra answers (control API and fill-in page).
pub async fn submit_request(s: &AppState, rid: &str, raw: &RawAnswers) -> ApiResult<(String, u64)> {
    let req = {
        let db = s.db();
        db.requests
            .get(rid)
            .cloned()
            .ok_or_else(|| ApiError::not_found(format!("Request {rid} not found")))?
    };
    if req.submission_id.is_some() {
        return Err(ApiError::conflict(
            "This request has already been submitted",
        ));
    }
    create_submission(
        s,
        &req.form_id,
        req.version,
        Some(req.id.clone()),
        &req.answers,
        raw,
    )
    .await
    .map_err(|errs| {
        let msg = errs
            .into_iter()
            .map(|(_, m)| m)
            .collect::<Vec<_>>()
            .join("; ");
        if msg.contains("already been submitted") {
            ApiError::conflict(msg)
        } else {
            ApiError::bad_request(msg)
        }
    })
}

//! The fill-in page a request's `requestUrl` (and a form's `publicUrl`) serves: prefilled
//! values shown, locked ones read-only, conditions applied in the browser and enforced on
//! submit, FILE fields streamed to disk.

use std::collections::BTreeMap;

use axum::extract::{FromRequest, Multipart, Path, Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use serde_json::{json, Map, Value};
use tokio::io::AsyncWriteExt;

use super::formdef::{self, RawAnswers};
use super::submit::create_submission;
use crate::error::{ApiError, ApiResult, Flavor};
use crate::sign::model::signing_link;
use crate::state::{AppState, FormRequest, PrefillAnswers};
use crate::util::esc;

fn render_field(
    f: &Map<String, Value>,
    key: &str,
    value: Option<&Value>,
    locked: bool,
    error: Option<&str>,
) -> String {
    let ty = formdef::s(f, "type");
    let label = esc(formdef::s(f, "label"));
    let req = if f.get("required").and_then(Value::as_bool).unwrap_or(false) {
        " *"
    } else {
        ""
    };
    let ro = if locked { " readonly" } else { "" };
    let vals: Vec<String> = match value {
        Some(Value::Array(a)) => a.iter().map(crate::util::value_text).collect(),
        Some(v) => vec![crate::util::value_text(v)],
        None => vec![],
    };
    let first = vals.first().cloned().unwrap_or_default();
    let id = esc(key);
    let err = error
        .map(|e| format!("<div class=\"err\">{}</div>", esc(e)))
        .unwrap_or_default();
    let input = match ty {
        "CHOICE" => {
            let opts: Vec<(String, String)> = f
                .get("options")
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .map(|o| {
                            (
                                formdef::s(o.as_object().unwrap_or(&Map::new()), "label")
                                    .to_string(),
                                o.get("value")
                                    .and_then(Value::as_str)
                                    .unwrap_or("")
                                    .to_string(),
                            )
                        })
                        .collect()
                })
                .unwrap_or_default();
            let layout = formdef::s(f, "layout");
            match layout {
                "SELECT" => {
                    let options: String = opts
                        .iter()
                        .map(|(l, v)| {
                            format!(
                                "<option value=\"{}\"{}>{}</option>",
                                esc(v),
                                if vals.contains(v) { " selected" } else { "" },
                                esc(l)
                            )
                        })
                        .collect();
                    let hidden = if locked {
                        format!(
                            "<input type=\"hidden\" name=\"{id}\" value=\"{}\">",
                            esc(&first)
                        )
                    } else {
                        String::new()
                    };
                    format!("<select id=\"{id}\" name=\"{id}\"{}><option value=\"\"></option>{options}</select>{hidden}", if locked { " disabled" } else { "" })
                }
                _ => {
                    let kind = if layout == "CHECKBOX" {
                        "checkbox"
                    } else {
                        "radio"
                    };
                    let mut out = String::new();
                    for (l, v) in &opts {
                        let checked = vals.contains(v);
                        out.push_str(&format!(
                            "<div><input type=\"{kind}\" name=\"{id}\" value=\"{}\"{}{}> {}</div>",
                            esc(v),
                            if checked { " checked" } else { "" },
                            if locked && !checked {
                                " disabled"
                            } else if locked {
                                " onclick=\"return false\""
                            } else {
                                ""
                            },
                            esc(l)
                        ));
                    }
                    out
                }
            }
        }
        _ => {
            let html_type = match ty {
                "EMAIL" => "email",
                "PHONE" => "tel",
                "NUMBER" => "number\" step=\"any",
                "DATE" => "date",
                _ => "text",
            };
            let multi = f
                .get("multipleEntries")
                .and_then(|m| m.get("max"))
                .and_then(Value::as_u64);
            let count = match multi {
                Some(max) => (vals.len().max(1) as u64).max(max.min(3)).min(max) as usize,
                None => 1,
            };
            let multiline = f.get("multiline").and_then(Value::as_bool).unwrap_or(false);
            (0..count)
                .map(|i| {
                    let v = esc(vals.get(i).map(String::as_str).unwrap_or(""));
                    if multiline && ty == "TEXT" {
                        format!("<textarea id=\"{id}\" name=\"{id}\" rows=\"3\"{ro}>{v}</textarea>")
                    } else {
                        format!("<input type=\"{html_type}\" id=\"{id}\" name=\"{id}\" value=\"{v}\"{ro}>")
                    }
                })
                .collect::<Vec<_>>()
                .join("")
        }
    };
    let lock_note = if locked {
        " <span class=\"muted\">(locked)</span>"
    } else {
        ""
    };
    format!("<label for=\"{id}\">{label}{req}{lock_note}</label>{input}{err}")
}

fn cond_attr(m: &Map<String, Value>) -> String {
    match m.get("condition") {
        Some(c) if !c.is_null() => format!(" data-condition=\"{}\"", esc(&c.to_string())),
        _ => String::new(),
    }
}

const FILL_SCRIPT: &str = "<script>\
function val(n){var els=document.querySelectorAll('[name$=\".'+n+'\"]');var out=[];els.forEach(function(e){if((e.type==='radio'||e.type==='checkbox')){if(e.checked)out.push(e.value)}else if(!e.disabled||e.tagName!=='SELECT'){out.push(e.value)}});return out}\
function apply(){document.querySelectorAll('[data-condition]').forEach(function(el){var c=JSON.parse(el.getAttribute('data-condition'));var ok=(c.rules||[]).every(function(r){return val(r.field).indexOf(String(r.value))>=0});el.style.display=ok?'':'none';el.querySelectorAll('input,select,textarea').forEach(function(i){if(!ok){i.setAttribute('data-hidden','1')}else{i.removeAttribute('data-hidden')}})})}\
document.addEventListener('change',apply);document.addEventListener('input',apply);apply();\
document.querySelector('form').addEventListener('submit',function(){document.querySelectorAll('[data-hidden]').forEach(function(i){i.disabled=true})});\
</script>";

/// Render the fill-in page.
fn fill_page(
    def: &Map<String, Value>,
    action: &str,
    prefill: &PrefillAnswers,
    raw: Option<&RawAnswers>,
    errors: &[(String, String)],
) -> String {
    let errmap: BTreeMap<&str, &str> = errors
        .iter()
        .map(|(k, m)| (k.as_str(), m.as_str()))
        .collect();
    let mut body = format!(
        "<h1>{}</h1>{}",
        esc(formdef::s(def, "name")),
        def.get("description")
            .and_then(Value::as_str)
            .map(|d| format!("<p>{}</p>", esc(d)))
            .unwrap_or_default()
    );
    let general: Vec<&str> = errors
        .iter()
        .filter(|(k, _)| !k.contains('.'))
        .map(|(_, m)| m.as_str())
        .collect();
    if !errors.is_empty() {
        body.push_str(&format!(
            "<p class=\"err\" id=\"errors\">Please correct the highlighted fields.{}</p>",
            general
                .iter()
                .map(|g| format!(" {}", esc(g)))
                .collect::<String>()
        ));
    }
    body.push_str(&format!(
        "<form method=\"post\" action=\"{}\" enctype=\"multipart/form-data\">",
        esc(action)
    ));
    for sec in formdef::sections(def) {
        let slug = formdef::s(sec, "slug");
        let max = formdef::section_max(sec).unwrap_or(1) as usize;
        let pre = prefill.get(slug).cloned().unwrap_or_default();
        let given = raw.and_then(|r| r.get(slug)).cloned().unwrap_or_default();
        let count = pre
            .len()
            .max(given.len())
            .max(if max > 1 { max.min(2) } else { 1 })
            .min(max.max(1));
        body.push_str(&format!(
            "<fieldset{}><legend><strong>{}</strong></legend>",
            cond_attr(sec),
            esc(formdef::s(sec, "title"))
        ));
        if let Some(d) = sec.get("description").and_then(Value::as_str) {
            body.push_str(&format!("<p class=\"muted\">{}</p>", esc(d)));
        }
        for i in 0..count {
            if max > 1 {
                body.push_str(&format!(
                    "<p class=\"muted\">Entry {} of up to {max}</p>",
                    i + 1
                ));
            }
            let p = pre.get(i).cloned().unwrap_or_default();
            let g = given.get(i).cloned().unwrap_or_default();
            for f in formdef::fields(sec) {
                if formdef::s(f, "type") == "HTML" {
                    let content = formdef::render_template(formdef::s(f, "content"), |k| {
                        g.get(k)
                            .or_else(|| p.get(k).map(|x| &x.value))
                            .or_else(|| {
                                raw.and_then(|r| {
                                    r.values().filter_map(|i| i.first()).find_map(|i| i.get(k))
                                })
                            })
                            .or_else(|| {
                                prefill
                                    .values()
                                    .filter_map(|i| i.first())
                                    .find_map(|i| i.get(k))
                                    .map(|x| &x.value)
                            })
                            .map(crate::util::value_text)
                            .map(|t| esc(&t))
                    });
                    body.push_str(&format!("<div{}>{}</div>", cond_attr(f), content));
                    continue;
                }
                let name = formdef::s(f, "name");
                let key = format!("{slug}.{i}.{name}");
                let locked = p.get(name).is_some_and(|x| !x.editable);
                let value = if locked {
                    p.get(name).map(|x| &x.value)
                } else {
                    g.get(name).or_else(|| p.get(name).map(|x| &x.value))
                };
                if formdef::s(f, "type") == "FILE" {
                    let req = if f.get("required").and_then(Value::as_bool).unwrap_or(false) {
                        " *"
                    } else {
                        ""
                    };
                    let multiple = if formdef::is_multi_value(f) {
                        " multiple"
                    } else {
                        ""
                    };
                    let err = errmap
                        .get(key.as_str())
                        .map(|e| format!("<div class=\"err\">{}</div>", esc(e)))
                        .unwrap_or_default();
                    body.push_str(&format!(
                        "<div{}><label for=\"{k}\">{}{req}</label><input type=\"file\" id=\"{k}\" name=\"{k}\"{multiple}>{err}</div>",
                        cond_attr(f),
                        esc(formdef::s(f, "label")),
                        k = esc(&key)
                    ));
                    continue;
                }
                body.push_str(&format!(
                    "<div{}>{}</div>",
                    cond_attr(f),
                    render_field(f, &key, value, locked, errmap.get(key.as_str()).copied())
                ));
            }
        }
        body.push_str("</fieldset>");
    }
    body.push_str("<p><button class=\"primary\" type=\"submit\" id=\"submit\">Submit and continue to signing</button></p></form>");
    body.push_str(FILL_SCRIPT);
    crate::html::page(formdef::s(def, "name"), &body)
}

/// A form field's name on the fill page, `slug.index.field`, taken apart.
fn answer_key(key: &str) -> Option<(&str, usize, &str)> {
    let mut parts = key.splitn(3, '.');
    let (slug, idx, field) = (parts.next()?, parts.next()?, parts.next()?);
    Some((slug, idx.parse().ok()?, field))
}

/// Parse `slug.index.field=value` pairs into raw answers.
fn parse_form_body(def: &Map<String, Value>, pairs: &[(String, String)]) -> RawAnswers {
    let mut raw = RawAnswers::new();
    for (k, v) in pairs {
        let Some((slug, idx, field)) = answer_key(k) else {
            continue;
        };
        if idx > 100 {
            continue;
        }
        let multi = formdef::sections(def)
            .into_iter()
            .filter(|s| formdef::s(s, "slug") == slug)
            .flat_map(formdef::fields)
            .find(|f| formdef::s(f, "name") == field)
            .map(formdef::is_multi_value);
        let Some(multi) = multi else { continue };
        let insts = raw.entry(slug.to_string()).or_default();
        while insts.len() <= idx {
            insts.push(BTreeMap::new());
        }
        let entry = &mut insts[idx];
        if multi {
            let e = entry
                .entry(field.to_string())
                .or_insert_with(|| Value::Array(vec![]));
            if let Value::Array(a) = e {
                a.push(Value::String(v.clone()));
            }
        } else {
            entry.insert(field.to_string(), Value::String(v.clone()));
        }
    }
    raw
}

fn request_context(s: &AppState, rid: &str) -> ApiResult<(FormRequest, Map<String, Value>)> {
    let db = s.db();
    let req = db
        .requests
        .get(rid)
        .cloned()
        .ok_or_else(|| ApiError::html(StatusCode::NOT_FOUND, "This form link is not valid."))?;
    let def = db
        .forms
        .get(&req.form_id)
        .and_then(|f| f.version(req.version))
        .map(|v| v.definition.clone())
        .ok_or_else(|| ApiError::html(StatusCode::NOT_FOUND, "The form no longer exists."))?;
    Ok((req, def))
}

fn submitted_page(s: &AppState, cf_id: u64) -> String {
    let link = {
        let db = s.db();
        db.casefiles
            .get(&cf_id)
            .and_then(|c| c.signers.first())
            .map(|sg| signing_link(&s.base_url, &sg.token))
    };
    crate::html::page(
        "Submitted",
        &format!(
            "<h1>Thank you</h1><p id=\"result\">Your answers have been submitted.</p>{}",
            link.map(|l| format!(
                "<p><a id=\"continue\" href=\"{}\">Continue to signing</a></p>",
                esc(&l)
            ))
            .unwrap_or_default()
        ),
    )
}

/// `GET /collect/requests/{requestId}`
pub async fn fill_get(State(s): State<AppState>, Path(rid): Path<String>) -> Response {
    let (req, def) = match request_context(&s, &rid) {
        Ok(x) => x,
        Err(e) => return e.into_response(),
    };
    if let Some(sid) = &req.submission_id {
        let cf = s.db().submissions.get(sid).map(|x| x.casefile_id);
        return match cf {
            Some(cf) => Html(submitted_page(&s, cf)).into_response(),
            None => ApiError::html(
                StatusCode::CONFLICT,
                "This form has already been submitted.",
            )
            .into_response(),
        };
    }
    Html(fill_page(
        &def,
        &format!("/collect/requests/{rid}"),
        &req.answers,
        None,
        &[],
    ))
    .into_response()
}

/// Largest fill-in form submission (with uploaded files).
pub const FILL_LIMIT: usize = 200 * 1024 * 1024;

/// A file uploaded through the fill-in page: (field key `slug.i.field`, answer value).
type Upload = (String, Value);

/// Read a fill-in page submission: form-urlencoded, or multipart with FILE uploads (streamed
/// to disk).
async fn read_form(
    s: &AppState,
    headers: &HeaderMap,
    req: Request,
) -> ApiResult<(Vec<(String, String)>, Vec<Upload>)> {
    let ct = crate::util::content_type(headers);
    if ct == "application/x-www-form-urlencoded" {
        let bytes = crate::util::read_body(req.into_body(), 2 * 1024 * 1024, Flavor::Html).await?;
        let pairs = serde_urlencoded::from_bytes(&bytes)
            .map_err(|e| ApiError::html(StatusCode::BAD_REQUEST, format!("Malformed form: {e}")))?;
        return Ok((pairs, Vec::new()));
    }
    if ct != "multipart/form-data" {
        return Err(ApiError::html(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "Expected a form submission",
        ));
    }
    let html_err = |e: axum::extract::multipart::MultipartError| {
        ApiError::html(
            e.status(),
            format!("Malformed form upload: {}", e.body_text()),
        )
    };
    let mut mp = Multipart::from_request(req, &()).await.map_err(|e| {
        ApiError::html(
            StatusCode::BAD_REQUEST,
            format!("Malformed form upload: {}", e.body_text()),
        )
    })?;
    let mut pairs = Vec::new();
    let mut uploads: Vec<Upload> = Vec::new();
    let result: ApiResult<()> = async {
        while let Some(mut field) = mp.next_field().await.map_err(html_err)? {
            let name = field.name().unwrap_or("").to_string();
            match field.file_name().map(str::to_string) {
                None => {
                    let text = field.text().await.map_err(html_err)?;
                    pairs.push((name, text));
                }
                Some(filename) => {
                    let content_type = field
                        .content_type()
                        .unwrap_or("application/octet-stream")
                        .to_string();
                    let id = format!("file-{}", uuid::Uuid::new_v4());
                    let path = s.blob_path(&id);
                    let mut file = tokio::fs::File::create(&path)
                        .await
                        .map_err(|e| ApiError::html(StatusCode::INSUFFICIENT_STORAGE, e.to_string()))?;
                    let mut size = 0u64;
                    while let Some(chunk) = field.chunk().await.map_err(html_err)? {
                        size += chunk.len() as u64;
                        file.write_all(&chunk)
                            .await
                            .map_err(|e| ApiError::html(StatusCode::INSUFFICIENT_STORAGE, e.to_string()))?;
                    }
                    file.flush().await.ok();
                    drop(file);
                    if filename.is_empty() && size == 0 {
                        // A file input left empty.
                        let _ = tokio::fs::remove_file(&path).await;
                        continue;
                    }
                    uploads.push((
                        name,
                        json!({"fileId": id, "filename": filename, "size": size, "contentType": content_type}),
                    ));
                }
            }
        }
        Ok(())
    }
    .await;
    if let Err(e) = result {
        discard_uploads(s, &uploads).await;
        return Err(e);
    }
    Ok((pairs, uploads))
}

async fn discard_uploads(s: &AppState, uploads: &[Upload]) {
    for (_, v) in uploads {
        if let Some(id) = v.get("fileId").and_then(Value::as_str) {
            let _ = tokio::fs::remove_file(s.blob_path(id)).await;
        }
    }
}

/// Put uploaded files into the raw answers at their `slug.i.field` keys.
fn apply_uploads(def: &Map<String, Value>, raw: &mut RawAnswers, uploads: &[Upload]) {
    for (key, v) in uploads {
        let Some((slug, idx, field)) = answer_key(key) else {
            continue;
        };
        let Some(f) = formdef::sections(def)
            .into_iter()
            .filter(|x| formdef::s(x, "slug") == slug)
            .flat_map(formdef::fields)
            .find(|f| formdef::s(f, "name") == field && formdef::s(f, "type") == "FILE")
        else {
            continue;
        };
        if idx > 100 {
            continue;
        }
        let insts = raw.entry(slug.to_string()).or_default();
        while insts.len() <= idx {
            insts.push(BTreeMap::new());
        }
        if formdef::is_multi_value(f) {
            let e = insts[idx]
                .entry(field.to_string())
                .or_insert_with(|| Value::Array(vec![]));
            if let Value::Array(a) = e {
                a.push(v.clone());
            }
        } else {
            insts[idx].insert(field.to_string(), v.clone());
        }
    }
}

/// `POST /collect/requests/{requestId}` (form-urlencoded)
pub async fn fill_post(
    State(s): State<AppState>,
    Path(rid): Path<String>,
    headers: HeaderMap,
    body: Request,
) -> Response {
    let (req, def) = match request_context(&s, &rid) {
        Ok(x) => x,
        Err(e) => return e.into_response(),
    };
    if req.submission_id.is_some() {
        return ApiError::html(
            StatusCode::CONFLICT,
            "This form has already been submitted.",
        )
        .into_response();
    }
    let (pairs, uploads) = match read_form(&s, &headers, body).await {
        Ok(p) => p,
        Err(e) => return e.into_response(),
    };
    let mut raw = parse_form_body(&def, &pairs);
    apply_uploads(&def, &mut raw, &uploads);
    match create_submission(
        &s,
        &req.form_id,
        req.version,
        Some(rid.clone()),
        &req.answers,
        &raw,
    )
    .await
    {
        Ok((_, cf)) => Html(submitted_page(&s, cf)).into_response(),
        Err(errs) => {
            discard_uploads(&s, &uploads).await;
            (
                StatusCode::BAD_REQUEST,
                Html(fill_page(
                    &def,
                    &format!("/collect/requests/{rid}"),
                    &req.answers,
                    Some(&raw),
                    &errs,
                )),
            )
                .into_response()
        }
    }
}

fn public_context(s: &AppState, fid: &str) -> ApiResult<(u32, Map<String, Value>)> {
    let db = s.db();
    let form = db
        .forms
        .get(fid)
        .ok_or_else(|| ApiError::html(StatusCode::NOT_FOUND, "This form does not exist."))?;
    let v = form
        .active()
        .ok_or_else(|| ApiError::html(StatusCode::NOT_FOUND, "This form is not published."))?;
    Ok((v.version, v.definition.clone()))
}

/// `GET /collect/forms/{formId}`: the public (not prefilled) form.
pub async fn public_get(State(s): State<AppState>, Path(fid): Path<String>) -> Response {
    match public_context(&s, &fid) {
        Ok((_, def)) => Html(fill_page(
            &def,
            &format!("/collect/forms/{fid}"),
            &PrefillAnswers::new(),
            None,
            &[],
        ))
        .into_response(),
        Err(e) => e.into_response(),
    }
}

/// `POST /collect/forms/{formId}`
pub async fn public_post(
    State(s): State<AppState>,
    Path(fid): Path<String>,
    headers: HeaderMap,
    body: Request,
) -> Response {
    let (version, def) = match public_context(&s, &fid) {
        Ok(x) => x,
        Err(e) => return e.into_response(),
    };
    let (pairs, uploads) = match read_form(&s, &headers, body).await {
        Ok(p) => p,
        Err(e) => return e.into_response(),
    };
    let mut raw = parse_form_body(&def, &pairs);
    apply_uploads(&def, &mut raw, &uploads);
    match create_submission(&s, &fid, version, None, &PrefillAnswers::new(), &raw).await {
        Ok((_, cf)) => Html(submitted_page(&s, cf)).into_response(),
        Err(errs) => {
            discard_uploads(&s, &uploads).await;
            (
                StatusCode::BAD_REQUEST,
                Html(fill_page(
                    &def,
                    &format!("/collect/forms/{fid}"),
                    &PrefillAnswers::new(),
                    Some(&raw),
                    &errs,
                )),
            )
                .into_response()
        }
    }
}

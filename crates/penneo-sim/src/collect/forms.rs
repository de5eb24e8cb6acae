//! Collect forms and their versions: list, get, create, update, publish, archive, restore.

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Map, Value};

use super::formdef;
use crate::error::{ApiError, ApiResult};
use crate::extract::{Bearer, Pairs};
use crate::state::{iso, AppState, Db, Form, FormStatus, FormVersion};
use crate::util::{is_true_flag, query_get, query_int, read_json};

fn public_url(base: &str, form_id: &str) -> String {
    format!("{base}/collect/forms/{form_id}")
}

/// The form object for one version.
pub fn form_object(form: &Form, v: &FormVersion, base: &str) -> Value {
    let mut m: Map<String, Value> = v.definition.clone();
    m.remove("externalId");
    let set = |m: &mut Map<String, Value>, k: &str, val: Value| {
        m.insert(k.to_string(), val);
    };
    set(&mut m, "id", json!(form.id));
    set(&mut m, "formId", json!(form.id));
    for k in [
        "description",
        "language",
        "caseFileTitleTemplate",
        "additionalSignersConfig",
    ] {
        m.entry(k.to_string()).or_insert(Value::Null);
    }
    set(&mut m, "status", json!(v.status.as_str()));
    set(&mut m, "version", json!(v.version));
    set(
        &mut m,
        "activeVersion",
        json!(form.active().map(|a| a.version)),
    );
    set(
        &mut m,
        "latestVersion",
        json!(form.latest().map(|a| a.version)),
    );
    if form.active().is_some() {
        set(&mut m, "publicUrl", json!(public_url(base, &form.id)));
    }
    set(&mut m, "createdAt", json!(iso(form.created_at)));
    set(
        &mut m,
        "updatedAt",
        json!(iso(v.updated_at.max(form.updated_at))),
    );
    Value::Object(m)
}

fn summary(form: &Form, v: &FormVersion, base: &str) -> Value {
    let mut o = form_object(form, v, base);
    if let Value::Object(m) = &mut o {
        m.remove("sections");
        m.remove("additionalSignersConfig");
    }
    o
}

pub(crate) fn get_form<'a>(db: &'a Db, id: &str) -> ApiResult<&'a Form> {
    db.forms
        .get(id)
        .ok_or_else(|| ApiError::not_found(format!("Form {id} not found")))
}

fn get_form_mut<'a>(db: &'a mut Db, id: &str) -> ApiResult<&'a mut Form> {
    db.forms
        .get_mut(id)
        .ok_or_else(|| ApiError::not_found(format!("Form {id} not found")))
}

fn parse_version(raw: &str) -> ApiResult<u32> {
    raw.parse::<u32>()
        .map_err(|_| ApiError::not_found(format!("Version {raw} not found")))
}

fn latest_json(form: &Form, base: &str) -> ApiResult<Value> {
    let v = form
        .latest()
        .ok_or_else(|| ApiError::not_found(format!("Form {} has no versions", form.id)))?;
    Ok(form_object(form, v, base))
}

/// Publish version `n`: it becomes ACTIVE; the previous ACTIVE one becomes ARCHIVED.
fn publish_version(form: &mut Form, n: u32, now: i64) {
    for v in &mut form.versions {
        if v.version == n {
            v.status = FormStatus::Active;
            v.updated_at = now;
        } else if v.status == FormStatus::Active {
            v.status = FormStatus::Archived;
            v.updated_at = now;
        }
    }
    form.updated_at = now;
}

/// `GET /collect/api/v1/version`
pub async fn version(_: Bearer) -> ApiResult<Response> {
    Ok(axum::Json(json!({
        "version": format!("penneo-sim {}", env!("CARGO_PKG_VERSION")),
        "language": "EN",
        "additionalSignersConfig": {"enabled": true, "maxSigners": 5},
    }))
    .into_response())
}

/// `GET /collect/api/v1/forms?status&sort&limit&offset`
pub async fn list_forms(
    State(s): State<AppState>,
    _: Bearer,
    Pairs(pairs): Pairs,
) -> ApiResult<Response> {
    let statuses: Option<Vec<FormStatus>> = match query_get(&pairs, "status") {
        None | Some("") => None,
        Some(v) => Some(
            v.split(',')
                .map(|p| {
                    FormStatus::parse(p.trim()).ok_or_else(|| {
                        ApiError::bad_request(format!(
                            "Unknown status '{}' (allowed: DRAFT, ACTIVE, ARCHIVED)",
                            p.trim()
                        ))
                    })
                })
                .collect::<ApiResult<Vec<_>>>()?,
        ),
    };
    let sort = query_get(&pairs, "sort").unwrap_or("-updatedAt");
    let (desc, key) = match sort.strip_prefix('-') {
        Some(k) => (true, k),
        None => (false, sort),
    };
    if !["name", "createdAt", "updatedAt"].contains(&key) {
        return Err(ApiError::bad_request(format!(
            "Unknown sort '{sort}' (allowed: name, createdAt, updatedAt, with '-' for descending)"
        )));
    }
    let limit = query_int(&pairs, "limit", 1, 1000)?.unwrap_or(100) as usize;
    let offset = query_int(&pairs, "offset", 0, i64::MAX)?.unwrap_or(0) as usize;
    let db = s.db();
    let mut rows: Vec<(&Form, &FormVersion)> = db
        .forms
        .values()
        .filter_map(|f| f.latest().map(|v| (f, v)))
        .filter(|(_, v)| statuses.as_ref().is_none_or(|st| st.contains(&v.status)))
        .collect();
    rows.sort_by(|(fa, va), (fb, vb)| {
        let o = match key {
            "name" => formdef::s(&va.definition, "name")
                .to_lowercase()
                .cmp(&formdef::s(&vb.definition, "name").to_lowercase()),
            "createdAt" => fa.created_at.cmp(&fb.created_at),
            _ => va
                .updated_at
                .max(fa.updated_at)
                .cmp(&vb.updated_at.max(fb.updated_at)),
        }
        .then(fa.id.cmp(&fb.id));
        if desc {
            o.reverse()
        } else {
            o
        }
    });
    let total = rows.len();
    let items: Vec<Value> = rows
        .into_iter()
        .skip(offset)
        .take(limit)
        .map(|(f, v)| summary(f, v, &s.base_url))
        .collect();
    Ok(
        axum::Json(json!({"items": items, "total": total, "limit": limit, "offset": offset}))
            .into_response(),
    )
}

/// `GET /collect/api/v1/forms/{formId}`
pub async fn get_form_h(
    State(s): State<AppState>,
    Path(id): Path<String>,
    _: Bearer,
) -> ApiResult<Response> {
    let db = s.db();
    let form = get_form(&db, &id)?;
    Ok(axum::Json(latest_json(form, &s.base_url)?).into_response())
}

/// Keys the server manages; a client that round-trips a form object sends them back, and they
/// must not be stored in the definition.
const SERVER_KEYS: &[&str] = &[
    "id",
    "formId",
    "externalId",
    "status",
    "version",
    "publicUrl",
    "createdAt",
    "updatedAt",
    "activeVersion",
    "latestVersion",
];

fn validated(def: &Value) -> ApiResult<Map<String, Value>> {
    let mut m = formdef::validate(def).map_err(ApiError::bad_request)?;
    for k in SERVER_KEYS {
        m.remove(*k);
    }
    Ok(m)
}

/// `POST /collect/api/v1/forms[?publish=true]`
pub async fn create_form(
    State(s): State<AppState>,
    _: Bearer,
    Pairs(pairs): Pairs,
    headers: HeaderMap,
    body: Body,
) -> ApiResult<Response> {
    let publish = is_true_flag(&pairs, "publish")?;
    let def = validated(&read_json(&headers, body).await?)?;
    let mut db = s.db();
    let now = db.now_ms();
    let n = db.next_form;
    db.next_form += 1;
    let id = format!(
        "f_{:06x}{}",
        n,
        &uuid::Uuid::new_v4().simple().to_string()[..6]
    );
    let mut form = Form {
        id: id.clone(),
        versions: vec![FormVersion {
            version: 1,
            status: FormStatus::Draft,
            definition: def,
            created_at: now,
            updated_at: now,
        }],
        created_at: now,
        updated_at: now,
    };
    if publish {
        publish_version(&mut form, 1, now);
    }
    let out = latest_json(&form, &s.base_url)?;
    db.forms.insert(id, form);
    db.touch();
    Ok((StatusCode::CREATED, axum::Json(out)).into_response())
}

/// Apply an update to version `n` (or the latest): DRAFT edited in place, ACTIVE → new DRAFT.
fn apply_update(
    form: &mut Form,
    n: u32,
    def: Map<String, Value>,
    publish: bool,
    now: i64,
) -> ApiResult<u32> {
    let status = form.existing_version(n)?.status;
    let target = match status {
        FormStatus::Draft => {
            if let Some(v) = form.version_mut(n) {
                v.definition = def;
                v.updated_at = now;
            }
            n
        }
        FormStatus::Active => form.push_draft(def, now),
        FormStatus::Archived => {
            return Err(ApiError::conflict(format!(
                "Version {n} is ARCHIVED and cannot be edited; restore it first"
            )))
        }
    };
    form.updated_at = now;
    if publish {
        publish_version(form, target, now);
    }
    Ok(target)
}

/// `PUT /collect/api/v1/forms/{formId}[?publish=true]`
pub async fn update_form(
    State(s): State<AppState>,
    Path(id): Path<String>,
    _: Bearer,
    Pairs(pairs): Pairs,
    headers: HeaderMap,
    body: Body,
) -> ApiResult<Response> {
    let publish = is_true_flag(&pairs, "publish")?;
    {
        let db = s.db();
        get_form(&db, &id)?;
    }
    let def = validated(&read_json(&headers, body).await?)?;
    let mut db = s.db();
    let now = db.now_ms();
    let form = get_form_mut(&mut db, &id)?;
    // The newest DRAFT is edited in place; otherwise the ACTIVE version gets a new DRAFT.
    let draft = form
        .versions
        .iter()
        .filter(|v| v.status == FormStatus::Draft)
        .map(|v| v.version)
        .max();
    let base = draft
        .or_else(|| form.active().map(|v| v.version))
        .ok_or_else(|| {
            ApiError::conflict(format!("Form {id} is archived; restore a version first"))
        })?;
    let target = apply_update(form, base, def, publish, now)?;
    let out = form
        .version(target)
        .map(|v| form_object(form, v, &s.base_url))
        .unwrap_or(Value::Null);
    db.touch();
    Ok(axum::Json(out).into_response())
}

/// `PUT /collect/api/v1/forms/{formId}/versions/{version}`
pub async fn update_version(
    State(s): State<AppState>,
    Path((id, ver)): Path<(String, String)>,
    _: Bearer,
    Pairs(pairs): Pairs,
    headers: HeaderMap,
    body: Body,
) -> ApiResult<Response> {
    let publish = is_true_flag(&pairs, "publish")?;
    let n = parse_version(&ver)?;
    {
        let db = s.db();
        let f = get_form(&db, &id)?;
        f.existing_version(n)?;
    }
    let def = validated(&read_json(&headers, body).await?)?;
    let mut db = s.db();
    let now = db.now_ms();
    let form = get_form_mut(&mut db, &id)?;
    let target = apply_update(form, n, def, publish, now)?;
    let out = form
        .version(target)
        .map(|v| form_object(form, v, &s.base_url))
        .unwrap_or(Value::Null);
    db.touch();
    Ok(axum::Json(out).into_response())
}

/// `POST /collect/api/v1/forms/{formId}/publish`: latest DRAFT → ACTIVE.
pub async fn publish_form(
    State(s): State<AppState>,
    Path(id): Path<String>,
    _: Bearer,
) -> ApiResult<Response> {
    let mut db = s.db();
    let now = db.now_ms();
    let form = get_form_mut(&mut db, &id)?;
    let draft = form
        .versions
        .iter()
        .filter(|v| v.status == FormStatus::Draft)
        .map(|v| v.version)
        .max()
        .ok_or_else(|| ApiError::conflict("The form has no DRAFT version to publish"))?;
    publish_version(form, draft, now);
    let out = form
        .version(draft)
        .map(|v| form_object(form, v, &s.base_url))
        .unwrap_or(Value::Null);
    db.touch();
    Ok(axum::Json(out).into_response())
}

/// `POST /collect/api/v1/forms/{formId}/archive`
pub async fn archive_form(
    State(s): State<AppState>,
    Path(id): Path<String>,
    _: Bearer,
) -> ApiResult<Response> {
    let mut db = s.db();
    let now = db.now_ms();
    let form = get_form_mut(&mut db, &id)?;
    for v in &mut form.versions {
        if v.status != FormStatus::Archived {
            v.status = FormStatus::Archived;
            v.updated_at = now;
        }
    }
    form.updated_at = now;
    db.touch();
    Ok(StatusCode::OK.into_response())
}

/// `GET /collect/api/v1/forms/{formId}/versions`
pub async fn list_versions(
    State(s): State<AppState>,
    Path(id): Path<String>,
    _: Bearer,
) -> ApiResult<Response> {
    let db = s.db();
    let form = get_form(&db, &id)?;
    let mut items: Vec<&FormVersion> = form.versions.iter().collect();
    items.sort_by_key(|v| v.version);
    let items: Vec<Value> = items
        .into_iter()
        .map(|v| {
            json!({"version": v.version, "status": v.status.as_str(), "name": formdef::s(&v.definition, "name"),
                   "createdAt": iso(v.created_at), "updatedAt": iso(v.updated_at)})
        })
        .collect();
    Ok(axum::Json(json!({"items": items})).into_response())
}

/// `GET /collect/api/v1/forms/{formId}/versions/{version}`
pub async fn get_version(
    State(s): State<AppState>,
    Path((id, ver)): Path<(String, String)>,
    _: Bearer,
) -> ApiResult<Response> {
    let n = parse_version(&ver)?;
    let db = s.db();
    let form = get_form(&db, &id)?;
    let v = form.existing_version(n)?;
    Ok(axum::Json(form_object(form, v, &s.base_url)).into_response())
}

/// `POST /collect/api/v1/forms/{formId}/versions/{version}/{publish|archive|restore}`
pub async fn version_action(
    State(s): State<AppState>,
    Path((id, ver, action)): Path<(String, String, String)>,
    _: Bearer,
) -> ApiResult<Response> {
    let n = parse_version(&ver)?;
    let mut db = s.db();
    let now = db.now_ms();
    let form = get_form_mut(&mut db, &id)?;
    let v = form.existing_version(n)?.clone();
    let out = match action.as_str() {
        "publish" => {
            publish_version(form, n, now);
            form.version(n).map(|v| form_object(form, v, &s.base_url))
        }
        "archive" => {
            if let Some(v) = form.version_mut(n) {
                v.status = FormStatus::Archived;
                v.updated_at = now;
            }
            form.updated_at = now;
            None
        }
        "restore" => {
            let nv = form.push_draft(v.definition.clone(), now);
            form.version(nv).map(|v| form_object(form, v, &s.base_url))
        }
        other => {
            return Err(ApiError::not_found(format!(
                "Unknown version action '{other}'"
            )))
        }
    };
    db.touch();
    Ok(match out {
        Some(v) => axum::Json(v).into_response(),
        None => StatusCode::OK.into_response(),
    })
}

//! Cached forms and their versions, local builder drafts, and prefilled requests sent.

use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

use crate::db::{clamp_limit, decode_cursor, like_escape, make_page, now, Page};
use crate::error::{DeskError, Result};

/// A form as cached; `definition` is the server's form object (keys this app does not know
/// kept in its `extra`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct FormRecord {
    pub form_id: String,
    pub name: String,
    pub description: Option<String>,
    pub language: Option<String>,
    pub status: String,
    pub version: i64,
    pub created_at: Option<String>,
    pub updated_at: Option<String>,
    pub synced_at: String,
    pub definition: penneo::Form,
}

/// A form in a list (without its definition).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct FormSummary {
    pub form_id: String,
    pub name: String,
    pub description: Option<String>,
    pub language: Option<String>,
    pub status: String,
    pub version: i64,
    pub created_at: Option<String>,
    pub updated_at: Option<String>,
    pub synced_at: String,
    pub submission_count: i64,
    pub has_local_draft: bool,
    /// The version clients answer today (the newest ACTIVE one among the cached versions);
    /// differs from `version` when a DRAFT waits to be published on a live form.
    pub active_version: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct FormVersionRecord {
    pub form_id: String,
    pub version: i64,
    pub status: String,
    pub created_at: Option<String>,
    pub updated_at: Option<String>,
    /// The version's form object, once fetched.
    pub definition: Option<penneo::Form>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub enum FormSort {
    Name,
    #[default]
    UpdatedAt,
    CreatedAt,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct FormQuery {
    /// DRAFT / ACTIVE / ARCHIVED; empty means all.
    pub statuses: Vec<String>,
    pub search: Option<String>,
    pub sort: FormSort,
    pub descending: bool,
    pub limit: Option<u32>,
    pub cursor: Option<String>,
}

pub fn upsert_form(c: &Connection, account_id: &str, f: &FormRecord) -> Result<()> {
    c.execute(
        "INSERT INTO forms (account_id, form_id, name, description, language, status, version, \
           definition_json, created_at, updated_at, synced_at) \
         VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11) \
         ON CONFLICT(account_id, form_id) DO UPDATE SET name=excluded.name, \
           description=excluded.description, language=excluded.language, status=excluded.status, \
           version=excluded.version, definition_json=excluded.definition_json, \
           created_at=excluded.created_at, updated_at=excluded.updated_at, synced_at=excluded.synced_at",
        params![
            account_id,
            f.form_id,
            f.name,
            f.description,
            f.language,
            f.status,
            f.version,
            serde_json::to_string(&f.definition)?,
            f.created_at,
            f.updated_at,
            f.synced_at
        ],
    )?;
    Ok(())
}

pub fn get_form(c: &Connection, account_id: &str, form_id: &str) -> Result<Option<FormRecord>> {
    let row = c
        .query_row(
            "SELECT form_id, name, description, language, status, version, created_at, updated_at, \
               synced_at, definition_json FROM forms WHERE account_id=?1 AND form_id=?2",
            params![account_id, form_id],
            |r| {
                Ok((
                    FormRecord {
                        form_id: r.get(0)?,
                        name: r.get(1)?,
                        description: r.get(2)?,
                        language: r.get(3)?,
                        status: r.get(4)?,
                        version: r.get(5)?,
                        created_at: r.get(6)?,
                        updated_at: r.get(7)?,
                        synced_at: r.get(8)?,
                        definition: penneo::Form::default(),
                    },
                    r.get::<_, String>(9)?,
                ))
            },
        )
        .optional()?;
    match row {
        None => Ok(None),
        Some((mut f, json)) => {
            f.definition = serde_json::from_str(&json)?;
            Ok(Some(f))
        }
    }
}

/// Forms no longer on the server (deleted elsewhere) are removed from the cache.
pub fn retain_forms(c: &Connection, account_id: &str, keep: &[String]) -> Result<usize> {
    let existing: Vec<String> = {
        let mut st = c.prepare("SELECT form_id FROM forms WHERE account_id = ?1")?;
        let rows = st.query_map([account_id], |r| r.get(0))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    let mut removed = 0;
    for id in existing.iter().filter(|id| !keep.contains(id)) {
        removed += c.execute(
            "DELETE FROM forms WHERE account_id=?1 AND form_id=?2",
            params![account_id, id],
        )?;
    }
    Ok(removed)
}

pub fn list_forms(c: &Connection, account_id: &str, q: &FormQuery) -> Result<Page<FormSummary>> {
    let offset = decode_cursor(q.cursor.as_deref())?;
    let limit = clamp_limit(q.limit, 200, 1000);
    let mut sql = String::from(
        "SELECT f.form_id, f.name, f.description, f.language, f.status, f.version, f.created_at, \
           f.updated_at, f.synced_at, \
           (SELECT count(*) FROM submissions s WHERE s.account_id=f.account_id AND s.form_id=f.form_id), \
           EXISTS (SELECT 1 FROM form_drafts d WHERE d.account_id=f.account_id AND d.form_id=f.form_id), \
           (SELECT max(v.version) FROM form_versions v WHERE v.account_id=f.account_id \
              AND v.form_id=f.form_id AND v.status=?) \
         FROM forms f WHERE f.account_id = ?",
    );
    let mut args: Vec<Box<dyn rusqlite::ToSql>> = vec![
        Box::new(penneo::FormStatus::Active.as_str()),
        Box::new(account_id.to_string()),
    ];
    if !q.statuses.is_empty() {
        sql.push_str(" AND f.status IN (");
        for (i, s) in q.statuses.iter().enumerate() {
            sql.push_str(if i == 0 { "?" } else { ",?" });
            args.push(Box::new(s.to_uppercase()));
        }
        sql.push(')');
    }
    if let Some(s) = q.search.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        sql.push_str(" AND f.name LIKE ? ESCAPE '\\'");
        args.push(Box::new(format!("%{}%", like_escape(s))));
    }
    let col = match q.sort {
        FormSort::Name => "f.name COLLATE NOCASE",
        FormSort::UpdatedAt => "f.updated_at",
        FormSort::CreatedAt => "f.created_at",
    };
    let dir = if q.descending { "DESC" } else { "ASC" };
    sql.push_str(&format!(
        " ORDER BY {col} {dir}, f.form_id {dir} LIMIT ? OFFSET ?"
    ));
    args.push(Box::new(limit + 1));
    args.push(Box::new(offset));
    let mut st = c.prepare(&sql)?;
    let rows = st.query_map(rusqlite::params_from_iter(args.iter()), |r| {
        Ok(FormSummary {
            form_id: r.get(0)?,
            name: r.get(1)?,
            description: r.get(2)?,
            language: r.get(3)?,
            status: r.get(4)?,
            version: r.get(5)?,
            created_at: r.get(6)?,
            updated_at: r.get(7)?,
            synced_at: r.get(8)?,
            submission_count: r.get(9)?,
            has_local_draft: r.get(10)?,
            active_version: r.get(11)?,
        })
    })?;
    let rows = rows.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(make_page(rows, offset, limit))
}

pub fn replace_versions(
    c: &mut Connection,
    account_id: &str,
    form_id: &str,
    versions: &[FormVersionRecord],
) -> Result<()> {
    let tx = c.transaction()?;
    let synced = now();
    let keep: Vec<i64> = versions.iter().map(|v| v.version).collect();
    {
        let mut st = tx.prepare(
            "INSERT INTO form_versions (account_id, form_id, version, status, created_at, updated_at, \
               definition_json, synced_at) VALUES (?1,?2,?3,?4,?5,?6,?7,?8) \
             ON CONFLICT(account_id, form_id, version) DO UPDATE SET status=excluded.status, \
               created_at=excluded.created_at, updated_at=excluded.updated_at, \
               definition_json=CASE WHEN excluded.definition_json IS NOT NULL THEN excluded.definition_json \
                 WHEN excluded.updated_at IS form_versions.updated_at THEN form_versions.definition_json \
                 ELSE NULL END, \
               synced_at=excluded.synced_at",
        )?;
        for v in versions {
            let def = v
                .definition
                .as_ref()
                .map(serde_json::to_string)
                .transpose()?;
            st.execute(params![
                account_id,
                form_id,
                v.version,
                v.status,
                v.created_at,
                v.updated_at,
                def,
                synced
            ])?;
        }
        let existing: Vec<i64> = {
            let mut q =
                tx.prepare("SELECT version FROM form_versions WHERE account_id=?1 AND form_id=?2")?;
            let r = q.query_map(params![account_id, form_id], |r| r.get(0))?;
            r.collect::<rusqlite::Result<_>>()?
        };
        for v in existing.into_iter().filter(|v| !keep.contains(v)) {
            tx.execute(
                "DELETE FROM form_versions WHERE account_id=?1 AND form_id=?2 AND version=?3",
                params![account_id, form_id, v],
            )?;
        }
    }
    tx.commit()?;
    Ok(())
}

pub fn set_version_definition(
    c: &Connection,
    account_id: &str,
    form_id: &str,
    version: i64,
    definition: &penneo::Form,
) -> Result<()> {
    let status = definition
        .status
        .as_ref()
        .map_or("DRAFT", |s| s.as_str())
        .to_string();
    c.execute(
        "INSERT INTO form_versions (account_id, form_id, version, status, created_at, updated_at, \
           definition_json, synced_at) VALUES (?1,?2,?3,?4,?5,?6,?7,?8) \
         ON CONFLICT(account_id, form_id, version) DO UPDATE SET definition_json=excluded.definition_json",
        params![
            account_id,
            form_id,
            version,
            status,
            definition.created_at,
            definition.updated_at,
            serde_json::to_string(definition)?,
            now()
        ],
    )?;
    Ok(())
}

pub fn list_versions(
    c: &Connection,
    account_id: &str,
    form_id: &str,
) -> Result<Vec<FormVersionRecord>> {
    let mut st = c.prepare(
        "SELECT form_id, version, status, created_at, updated_at, definition_json FROM form_versions \
         WHERE account_id=?1 AND form_id=?2 ORDER BY version DESC",
    )?;
    let rows = st.query_map(params![account_id, form_id], |r| {
        Ok((
            FormVersionRecord {
                form_id: r.get(0)?,
                version: r.get(1)?,
                status: r.get(2)?,
                created_at: r.get(3)?,
                updated_at: r.get(4)?,
                definition: None,
            },
            r.get::<_, Option<String>>(5)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (mut v, def) = row?;
        v.definition = def.map(|d| serde_json::from_str(&d)).transpose()?;
        out.push(v);
    }
    Ok(out)
}

/// A local autosave of the builder.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct FormDraft {
    /// Local id; stable across saves of the same draft.
    pub id: String,
    /// The server form it edits; `None` for a form not yet created.
    pub form_id: Option<String>,
    pub base_version: Option<i64>,
    pub definition: penneo::FormDefinition,
    pub updated_at: String,
}

/// Save the builder's state. A draft of an existing form replaces the earlier draft of that
/// form; a new form's draft is keyed by its local id.
pub fn save_draft(c: &Connection, account_id: &str, d: &FormDraft) -> Result<FormDraft> {
    let json = serde_json::to_string(&d.definition)?;
    let ts = now();
    let id = match &d.form_id {
        Some(form_id) => {
            let existing: Option<String> = c
                .query_row(
                    "SELECT id FROM form_drafts WHERE account_id=?1 AND form_id=?2",
                    params![account_id, form_id],
                    |r| r.get(0),
                )
                .optional()?;
            existing.unwrap_or_else(|| d.id.clone())
        }
        None => d.id.clone(),
    };
    if id.trim().is_empty() {
        return Err(DeskError::invalid_field("id", "A draft needs an id"));
    }
    c.execute(
        "INSERT INTO form_drafts (id, account_id, form_id, base_version, definition_json, updated_at) \
         VALUES (?1,?2,?3,?4,?5,?6) ON CONFLICT(id) DO UPDATE SET form_id=excluded.form_id, \
         base_version=excluded.base_version, definition_json=excluded.definition_json, \
         updated_at=excluded.updated_at",
        params![id, account_id, d.form_id, d.base_version, json, ts],
    )?;
    Ok(FormDraft {
        id,
        form_id: d.form_id.clone(),
        base_version: d.base_version,
        definition: d.definition.clone(),
        updated_at: ts,
    })
}

pub fn list_drafts(c: &Connection, account_id: &str) -> Result<Vec<FormDraft>> {
    let mut st = c.prepare(
        "SELECT id, form_id, base_version, definition_json, updated_at FROM form_drafts \
         WHERE account_id=?1 ORDER BY updated_at DESC",
    )?;
    let rows = st.query_map([account_id], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, Option<String>>(1)?,
            r.get::<_, Option<i64>>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, String>(4)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (id, form_id, base_version, json, updated_at) = row?;
        out.push(FormDraft {
            id,
            form_id,
            base_version,
            definition: serde_json::from_str(&json)?,
            updated_at,
        });
    }
    Ok(out)
}

pub fn delete_draft(c: &Connection, account_id: &str, id: &str) -> Result<()> {
    c.execute(
        "DELETE FROM form_drafts WHERE account_id=?1 AND id=?2",
        params![account_id, id],
    )?;
    Ok(())
}

/// A prefilled request sent from this app.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PrefilledRequestRecord {
    pub request_id: String,
    pub form_id: String,
    pub request_url: String,
    pub label: Option<String>,
    /// The request as sent: `{answers}`, values with their `editable` flags.
    pub request: penneo::PrefilledRequest,
    pub created_at: String,
    /// Set once a submission for this request has been synced.
    pub submission_id: Option<String>,
}

pub fn insert_request(c: &Connection, account_id: &str, r: &PrefilledRequestRecord) -> Result<()> {
    c.execute(
        "INSERT INTO prefilled_requests (account_id, request_id, form_id, request_url, label, \
           answers_json, created_at, submission_id) VALUES (?1,?2,?3,?4,?5,?6,?7,?8)",
        params![
            account_id,
            r.request_id,
            r.form_id,
            r.request_url,
            r.label,
            serde_json::to_string(&r.request)?,
            r.created_at,
            r.submission_id
        ],
    )?;
    Ok(())
}

pub fn list_requests(
    c: &Connection,
    account_id: &str,
    form_id: &str,
    limit: Option<u32>,
    cursor: Option<&str>,
) -> Result<Page<PrefilledRequestRecord>> {
    let offset = decode_cursor(cursor)?;
    let limit = clamp_limit(limit, 100, 1000);
    // The submission link comes from synced submissions carrying the request id.
    let mut st = c.prepare(
        "SELECT p.request_id, p.form_id, p.request_url, p.label, p.answers_json, p.created_at, \
           coalesce(p.submission_id, (SELECT s.submission_id FROM submissions s \
              WHERE s.account_id=p.account_id AND s.request_id=p.request_id LIMIT 1)) \
         FROM prefilled_requests p WHERE p.account_id=?1 AND p.form_id=?2 \
         ORDER BY p.created_at DESC, p.request_id LIMIT ?3 OFFSET ?4",
    )?;
    let rows = st.query_map(params![account_id, form_id, limit + 1, offset], |r| {
        Ok((
            PrefilledRequestRecord {
                request_id: r.get(0)?,
                form_id: r.get(1)?,
                request_url: r.get(2)?,
                label: r.get(3)?,
                request: penneo::PrefilledRequest::default(),
                created_at: r.get(5)?,
                submission_id: r.get(6)?,
            },
            r.get::<_, String>(4)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (mut rec, json) = row?;
        rec.request = serde_json::from_str(&json)?;
        out.push(rec);
    }
    Ok(make_page(out, offset, limit))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::accounts;
    use crate::db::test_util::open_temp;
    use serde_json::json;

    fn form(id: &str, name: &str, status: &str, updated: &str) -> FormRecord {
        FormRecord {
            form_id: id.into(),
            name: name.into(),
            description: None,
            language: Some("en".into()),
            status: status.into(),
            version: 1,
            created_at: Some(updated.into()),
            updated_at: Some(updated.into()),
            synced_at: now(),
            definition: serde_json::from_value(
                json!({"id": id, "name": name, "sections": [], "unknownField": {"kept": true}}),
            )
            .unwrap(),
        }
    }

    #[test]
    fn forms_list_filter_sort_page_and_verbatim_definition() {
        let (_d, db) = open_temp();
        db.call_blocking(|c| {
            accounts::insert(c, &accounts::sample("a"))?;
            accounts::insert(c, &accounts::sample("b"))?;
            upsert_form(c, "a", &form("f1", "KYC person", "ACTIVE", "2026-01-01"))?;
            upsert_form(c, "a", &form("f2", "KYC company", "DRAFT", "2026-01-03"))?;
            upsert_form(c, "a", &form("f3", "Onboarding", "ARCHIVED", "2026-01-02"))?;
            upsert_form(c, "b", &form("f9", "Other account", "ACTIVE", "2026-01-02"))?;
            let all = list_forms(
                c,
                "a",
                &FormQuery {
                    descending: true,
                    ..Default::default()
                },
            )?;
            let ids: Vec<_> = all.result.iter().map(|f| f.form_id.as_str()).collect();
            assert_eq!(ids, ["f2", "f3", "f1"]);
            let q = FormQuery {
                statuses: vec!["active".into(), "DRAFT".into()],
                search: Some("kyc".into()),
                sort: FormSort::Name,
                ..Default::default()
            };
            let ids: Vec<_> = list_forms(c, "a", &q)?
                .result
                .into_iter()
                .map(|f| f.form_id)
                .collect();
            assert_eq!(ids, ["f2", "f1"]);
            let p1 = list_forms(
                c,
                "a",
                &FormQuery {
                    limit: Some(2),
                    ..Default::default()
                },
            )?;
            assert_eq!(p1.result.len(), 2);
            let p2 = list_forms(
                c,
                "a",
                &FormQuery {
                    limit: Some(2),
                    cursor: p1.next_cursor.clone(),
                    ..Default::default()
                },
            )?;
            assert_eq!(p2.result.len(), 1);
            assert!(p2.next_cursor.is_none());
            let f = get_form(c, "a", "f1")?.unwrap();
            assert_eq!(f.definition.extra["unknownField"]["kept"], true);
            assert_eq!(retain_forms(c, "a", &["f1".into(), "f2".into()])?, 1);
            assert!(get_form(c, "a", "f3")?.is_none());
            assert!(get_form(c, "b", "f9")?.is_some());
            Ok(())
        })
        .unwrap();
    }

    #[test]
    fn versions_and_drafts() {
        let (_d, db) = open_temp();
        db.call_blocking(|c| {
            accounts::insert(c, &accounts::sample("a"))?;
            upsert_form(c, "a", &form("f1", "KYC", "ACTIVE", "2026-01-01"))?;
            let v = |n, s: &str| FormVersionRecord {
                form_id: "f1".into(),
                version: n,
                status: s.into(),
                created_at: None,
                updated_at: None,
                definition: None,
            };
            replace_versions(
                c,
                "a",
                "f1",
                &[v(1, "ARCHIVED"), v(2, "ACTIVE"), v(3, "DRAFT")],
            )?;
            set_version_definition(
                c,
                "a",
                "f1",
                2,
                &serde_json::from_value(json!({"version": 2, "sections": [{"slug": "s"}]}))
                    .unwrap(),
            )?;
            replace_versions(c, "a", "f1", &[v(1, "ARCHIVED"), v(2, "ACTIVE")])?;
            let vs = list_versions(c, "a", "f1")?;
            assert_eq!(vs.iter().map(|v| v.version).collect::<Vec<_>>(), [2, 1]);
            // A re-sync of the list kept the fetched definition.
            let kept = vs[0].definition.as_ref().unwrap();
            assert_eq!(
                kept.sections.as_ref().unwrap()[0].slug.as_deref(),
                Some("s")
            );
            // A version changed on the server (a DRAFT edited in place: new updatedAt) drops the
            // cached definition, so the next comparison fetches it again.
            let mut edited = v(2, "ACTIVE");
            edited.updated_at = Some("2026-02-02T00:00:00Z".into());
            replace_versions(c, "a", "f1", &[v(1, "ARCHIVED"), edited])?;
            let vs = list_versions(c, "a", "f1")?;
            assert!(vs[0].definition.is_none());

            let new_form = save_draft(
                c,
                "a",
                &FormDraft {
                    id: "local-1".into(),
                    form_id: None,
                    base_version: None,
                    definition: penneo::FormDefinition {
                        name: "x".into(),
                        ..Default::default()
                    },
                    updated_at: String::new(),
                },
            )?;
            assert_eq!(new_form.id, "local-1");
            let d1 = save_draft(
                c,
                "a",
                &FormDraft {
                    id: "d1".into(),
                    form_id: Some("f1".into()),
                    base_version: Some(2),
                    definition: penneo::FormDefinition {
                        name: "a".into(),
                        ..Default::default()
                    },
                    updated_at: String::new(),
                },
            )?;
            // A second save of the same form under another local id updates the same draft.
            let d2 = save_draft(
                c,
                "a",
                &FormDraft {
                    id: "d2".into(),
                    form_id: Some("f1".into()),
                    base_version: Some(2),
                    definition: penneo::FormDefinition {
                        name: "b".into(),
                        ..Default::default()
                    },
                    updated_at: String::new(),
                },
            )?;
            assert_eq!(d1.id, d2.id);
            let drafts = list_drafts(c, "a")?;
            assert_eq!(drafts.len(), 2);
            assert!(drafts.iter().any(|d| d.definition.name == "b"));
            let summary = list_forms(c, "a", &FormQuery::default())?;
            assert!(summary.result[0].has_local_draft);
            assert_eq!(
                summary.result[0].active_version,
                Some(2),
                "the live version"
            );
            delete_draft(c, "a", &d1.id)?;
            assert_eq!(list_drafts(c, "a")?.len(), 1);
            Ok(())
        })
        .unwrap();
    }

    #[test]
    fn prefilled_requests_per_form() {
        let (_d, db) = open_temp();
        db.call_blocking(|c| {
            accounts::insert(c, &accounts::sample("a"))?;
            for i in 0..3 {
                insert_request(
                    c,
                    "a",
                    &PrefilledRequestRecord {
                        request_id: format!("r{i}"),
                        form_id: if i < 2 { "f1".into() } else { "f2".into() },
                        request_url: format!("http://x/r{i}"),
                        label: None,
                        request: serde_json::from_value(
                            json!({"answers": {"s": [{"name": {"value": "A", "editable": false}}]}}),
                        )
                        .unwrap(),
                        created_at: format!("2026-01-0{}", i + 1),
                        submission_id: None,
                    },
                )?;
            }
            let p = list_requests(c, "a", "f1", None, None)?;
            assert_eq!(
                p.result
                    .iter()
                    .map(|r| r.request_id.as_str())
                    .collect::<Vec<_>>(),
                ["r1", "r0"]
            );
            assert!(!p.result[0].request.answers["s"][0]["name"].editable);
            Ok(())
        })
        .unwrap();
    }
}

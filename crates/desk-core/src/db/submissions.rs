//! Submissions, their answers as flat rows with an FTS5 index, and the local review state.

use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, HashMap};

use rusqlite::types::Value;
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};

use crate::db::{clamp_limit, decode_cursor, like_escape, make_page, normalize_time, now, Page};
use crate::error::{DeskError, Result};

/// One answered field, flattened: repeated sections give one row per instance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct AnswerRow {
    pub section_slug: String,
    pub instance_index: i64,
    pub field_name: String,
    pub label: Option<String>,
    pub field_type: Option<String>,
    /// The value as text (several values of a CHOICE checkbox joined by ", ").
    pub value_text: Option<String>,
}

/// A submission to store, with its flattened answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SubmissionRecord {
    pub submission_id: String,
    pub form_id: String,
    pub casefile_id: Option<i64>,
    pub request_id: Option<String>,
    pub version: Option<i64>,
    pub completed_at: String,
    pub respondent_name: Option<String>,
    pub respondent_email: Option<String>,
    /// The answers object as the server sent it (for the answers view).
    pub answers_json: Option<penneo::Answers>,
    pub answers: Vec<AnswerRow>,
}

/// Insert or replace submissions and their answers in one transaction.
/// Which of `ids` are already stored for this account (to skip what an overlapping re-read
/// brings again).
pub fn known_submission_ids(
    c: &Connection,
    account_id: &str,
    ids: &[String],
) -> Result<std::collections::HashSet<String>> {
    let mut stmt =
        c.prepare_cached("SELECT 1 FROM submissions WHERE account_id=?1 AND submission_id=?2")?;
    let mut out = std::collections::HashSet::new();
    for id in ids {
        if stmt.exists(params![account_id, id])? {
            out.insert(id.clone());
        }
    }
    Ok(out)
}

pub fn upsert_submissions(
    c: &mut Connection,
    account_id: &str,
    subs: &[SubmissionRecord],
) -> Result<()> {
    let tx = c.transaction()?;
    upsert_in(&tx, account_id, subs)?;
    tx.commit()?;
    Ok(())
}

pub(crate) fn upsert_in(
    tx: &Transaction<'_>,
    account_id: &str,
    subs: &[SubmissionRecord],
) -> Result<()> {
    // The answers go in last, all of them in one statement from a staging table. FTS5 writes
    // its pending index to disk at every statement savepoint once the index is part of the
    // transaction, and the triggers that feed it give each write to `answers` one: a row per
    // statement made a segment per answer, and flushing and merging them took a quarter of the
    // CPU of a 10,000-submission sync (perf, issue 16). Staged, a page's answers make one.
    tx.execute_batch(
        "CREATE TEMP TABLE IF NOT EXISTS upsert_answers ( \
           submission_id TEXT NOT NULL, form_id TEXT NOT NULL, section_slug TEXT NOT NULL, \
           instance_index INTEGER NOT NULL, field_name TEXT NOT NULL, label TEXT, \
           field_type TEXT, value_text TEXT); \
         CREATE TEMP TABLE IF NOT EXISTS upsert_ids (submission_id TEXT PRIMARY KEY); \
         DELETE FROM temp.upsert_answers; DELETE FROM temp.upsert_ids;",
    )?;
    let mut stage_id =
        tx.prepare_cached("INSERT OR IGNORE INTO temp.upsert_ids (submission_id) VALUES (?1)")?;
    let mut stage_ans = tx.prepare_cached(
        "INSERT INTO temp.upsert_answers (submission_id, form_id, section_slug, instance_index, \
           field_name, label, field_type, value_text) VALUES (?1,?2,?3,?4,?5,?6,?7,?8)",
    )?;
    for s in subs {
        stage_id.execute(params![s.submission_id])?;
        for a in &s.answers {
            stage_ans.execute(params![
                s.submission_id,
                s.form_id,
                a.section_slug,
                a.instance_index,
                a.field_name,
                a.label,
                a.field_type,
                a.value_text
            ])?;
        }
    }
    let synced = now();
    let mut ins_sub = tx.prepare_cached(
        "INSERT INTO submissions (account_id, submission_id, form_id, casefile_id, request_id, version, \
           completed_at, respondent_name, respondent_email, answers_json, synced_at) \
         VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11) \
         ON CONFLICT(account_id, submission_id) DO UPDATE SET form_id=excluded.form_id, \
           casefile_id=excluded.casefile_id, request_id=excluded.request_id, version=excluded.version, \
           completed_at=excluded.completed_at, respondent_name=excluded.respondent_name, \
           respondent_email=excluded.respondent_email, answers_json=excluded.answers_json, \
           synced_at=excluded.synced_at",
    )?;
    let mut del_vals = tx.prepare_cached(
        "DELETE FROM submission_values WHERE submission_id=?2 \
           AND field_id IN (SELECT id FROM form_fields WHERE account_id=?1)",
    )?;
    let mut ins_val = tx.prepare_cached(
        "INSERT INTO submission_values (submission_id, field_id, value_text, sort_text) \
         VALUES (?1,?2,?3,?4)",
    )?;
    let mut ins_field = tx.prepare_cached(
        "INSERT INTO form_fields (account_id, form_id, field_name) VALUES (?1,?2,?3) RETURNING id",
    )?;
    // Per form: its fields (name → id), and the ones this batch brings first: the submissions
    // already stored get an empty value for those at the end.
    let mut fields_of: HashMap<String, BTreeMap<String, i64>> = HashMap::new();
    let mut added: Vec<(String, i64)> = Vec::new();
    for s in subs {
        let json = s
            .answers_json
            .as_ref()
            .map(serde_json::to_string)
            .transpose()?;
        ins_sub.execute(params![
            account_id,
            s.submission_id,
            s.form_id,
            s.casefile_id,
            s.request_id,
            s.version,
            normalize_time(&s.completed_at),
            s.respondent_name,
            s.respondent_email,
            json,
            synced
        ])?;
        del_vals.execute(params![account_id, s.submission_id])?;
        let fields = match fields_of.entry(s.form_id.clone()) {
            Entry::Occupied(e) => e.into_mut(),
            Entry::Vacant(e) => e.insert(form_fields(tx, account_id, &s.form_id)?),
        };
        let values = field_values(&s.answers);
        for name in values.keys() {
            if !fields.contains_key(*name) {
                let id: i64 =
                    ins_field.query_row(params![account_id, s.form_id, name], |r| r.get(0))?;
                fields.insert((*name).to_string(), id);
                added.push((s.form_id.clone(), id));
            }
        }
        for (name, id) in fields.iter() {
            match values.get(name.as_str()) {
                Some(v) => ins_val.execute(params![s.submission_id, id, v.text(), v.smallest])?,
                None => {
                    ins_val.execute(params![s.submission_id, id, None::<String>, None::<String>])?
                }
            };
        }
    }
    let mut fill = tx.prepare_cached(
        "INSERT INTO submission_values (submission_id, field_id) \
         SELECT s.submission_id, ?3 FROM submissions s \
         WHERE s.account_id = ?1 AND s.form_id = ?2 AND NOT EXISTS (SELECT 1 FROM submission_values v \
           WHERE v.submission_id = s.submission_id AND v.field_id = ?3)",
    )?;
    for (form_id, id) in &added {
        fill.execute(params![account_id, form_id, id])?;
    }
    // The FTS writes, last: a statement each.
    tx.prepare_cached(
        "DELETE FROM answers WHERE account_id=?1 \
           AND submission_id IN (SELECT submission_id FROM temp.upsert_ids)",
    )?
    .execute(params![account_id])?;
    tx.prepare_cached(
        "INSERT INTO answers (account_id, submission_id, form_id, section_slug, instance_index, \
           field_name, label, field_type, value_text) \
         SELECT ?1, submission_id, form_id, section_slug, instance_index, field_name, label, \
           field_type, value_text FROM temp.upsert_answers ORDER BY rowid",
    )?
    .execute(params![account_id])?;
    tx.execute_batch("DELETE FROM temp.upsert_answers; DELETE FROM temp.upsert_ids;")?;
    Ok(())
}

/// One field's values in a submission, as the table shows and sorts them.
struct FieldValue<'a> {
    /// The instances' values that are not NULL, in answer order.
    parts: Vec<&'a str>,
    /// The smallest of them (byte order, as SQLite's `min` compares text).
    smallest: Option<&'a str>,
}

impl FieldValue<'_> {
    /// The values joined by ", " (what `group_concat(value_text, ', ')` gives; NULL for none).
    fn text(&self) -> Option<String> {
        (!self.parts.is_empty()).then(|| self.parts.join(", "))
    }
}

/// A submission's answers gathered per field name (repeated sections give several values).
fn field_values(answers: &[AnswerRow]) -> BTreeMap<&str, FieldValue<'_>> {
    let mut out: BTreeMap<&str, FieldValue<'_>> = BTreeMap::new();
    for a in answers {
        let v = out.entry(a.field_name.as_str()).or_insert(FieldValue {
            parts: Vec::new(),
            smallest: None,
        });
        if let Some(text) = a.value_text.as_deref() {
            v.parts.push(text);
            if v.smallest.is_none_or(|m| text < m) {
                v.smallest = Some(text);
            }
        }
    }
    out
}

/// A form's fields as numbered in `form_fields` (name → id).
fn form_fields(c: &Connection, account_id: &str, form_id: &str) -> Result<BTreeMap<String, i64>> {
    let mut st = c.prepare_cached(
        "SELECT field_name, id FROM form_fields WHERE account_id = ?1 AND form_id = ?2",
    )?;
    let fields = st
        .query_map(params![account_id, form_id], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<BTreeMap<_, _>>>()?;
    Ok(fields)
}

/// The number of a form's field, if any submission of the form has had it (then every one of
/// them has a values row for it, see migration 7).
fn field_id(c: &Connection, account_id: &str, form_id: &str, field: &str) -> Result<Option<i64>> {
    Ok(c.prepare_cached(
        "SELECT id FROM form_fields WHERE account_id = ?1 AND form_id = ?2 AND field_name = ?3",
    )?
    .query_row(params![account_id, form_id, field], |r| r.get(0))
    .optional()?)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub enum FilterOp {
    Equals,
    Contains,
    IsEmpty,
    NotEmpty,
}

/// A condition on a field's value (any instance of it matches).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct FieldFilter {
    pub field: String,
    pub op: FilterOp,
    #[serde(default)]
    pub value: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", tag = "key", content = "field")]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub enum SubmissionSortKey {
    #[default]
    CompletedAt,
    Respondent,
    Version,
    CasefileStatus,
    Reviewed,
    /// Sort by a field's value.
    Field(String),
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SubmissionQuery {
    pub form_id: String,
    /// Exclusive bounds, like the server's.
    pub completed_after: Option<String>,
    pub completed_before: Option<String>,
    pub filters: Vec<FieldFilter>,
    pub reviewed: Option<bool>,
    pub flagged: Option<bool>,
    pub sort: SubmissionSortKey,
    pub descending: bool,
    /// Field names whose values to return with each row.
    pub columns: Vec<String>,
    pub limit: Option<u32>,
    pub cursor: Option<String>,
    /// Where the page starts in the view, for a table that reads pages at any position (a page
    /// cache); give a cursor or an offset, not both.
    pub offset: Option<u32>,
    /// Count the rows of the whole view too (`SubmissionPage::total`).
    pub with_total: bool,
}

/// One page of the submissions table: its rows, the cursor of the next page, and how many rows
/// the whole view has when the query asked for the count (`with_total`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SubmissionPage {
    pub result: Vec<SubmissionRow>,
    pub next_cursor: Option<String>,
    pub total: Option<u32>,
}

/// One row of the submissions table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SubmissionRow {
    pub submission_id: String,
    pub form_id: String,
    pub casefile_id: Option<i64>,
    pub request_id: Option<String>,
    pub version: Option<i64>,
    pub completed_at: String,
    pub respondent_name: Option<String>,
    pub respondent_email: Option<String>,
    /// Penneo's casefile status code on the wire.
    #[cfg_attr(feature = "specta", specta(type = Option<i64>))]
    pub casefile_status: Option<penneo::CasefileStatus>,
    pub reviewed: bool,
    pub flagged: bool,
    pub note: Option<String>,
    /// Values of the requested columns (instances joined by ", ").
    pub values: BTreeMap<String, Option<String>>,
}

/// One page of the submissions table as the window receives it: the rows in their table form
/// (`TableRow`), the cursor of the next page, and the whole view's count when asked for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct TablePage {
    pub result: Vec<TableRow>,
    pub next_cursor: Option<String>,
    pub total: Option<u32>,
}

impl From<SubmissionPage> for TablePage {
    fn from(p: SubmissionPage) -> Self {
        TablePage {
            result: p.result.into_iter().map(TableRow::from).collect(),
            next_cursor: p.next_cursor,
            total: p.total,
        }
    }
}

/// One row of the submissions table as the window draws it: only what a row shows, and what is
/// empty or unset left out. A scroll through 100,000 rows reads every row once over the bridge,
/// and the web process keeps much of what each read cost (README, Measured); the form, casefile
/// and request of a row are read with the submission when it is opened (`SubmissionDetail`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct TableRow {
    pub submission_id: String,
    pub completed_at: String,
    /// The respondent's name, or their email where no name was given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub respondent: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<i64>,
    /// Penneo's casefile status code on the wire.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "specta", specta(type = Option<i64>))]
    pub casefile_status: Option<penneo::CasefileStatus>,
    // `default` after `skip_serializing_if`: specta then types the field optional
    // (`reviewed?: boolean`), as it is on the wire.
    #[serde(skip_serializing_if = "std::ops::Not::not", default)]
    pub reviewed: bool,
    #[serde(skip_serializing_if = "std::ops::Not::not", default)]
    pub flagged: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Values of the requested columns (instances joined by ", "); a column the row has no
    /// answer in is null.
    pub values: BTreeMap<String, Option<String>>,
}

impl From<SubmissionRow> for TableRow {
    fn from(r: SubmissionRow) -> Self {
        let blank = |s: &Option<String>| s.as_deref().is_none_or(|s| s.trim().is_empty());
        let respondent = if blank(&r.respondent_name) {
            r.respondent_email.filter(|e| !e.trim().is_empty())
        } else {
            r.respondent_name
        };
        TableRow {
            submission_id: r.submission_id,
            completed_at: r.completed_at,
            respondent,
            version: r.version,
            casefile_status: r.casefile_status,
            reviewed: r.reviewed,
            flagged: r.flagged,
            note: r.note.filter(|n| !n.is_empty()),
            values: r.values,
        }
    }
}

const ROW_COLS: &str = "s.submission_id, s.form_id, s.casefile_id, s.request_id, s.version, \
    s.completed_at, s.respondent_name, s.respondent_email, c.status, coalesce(r.reviewed, 0), \
    coalesce(r.flagged, 0), r.note";

const ROW_FROM: &str = "FROM submissions s \
    LEFT JOIN casefiles c ON c.account_id = s.account_id AND c.casefile_id = s.casefile_id \
    LEFT JOIN reviews r ON r.account_id = s.account_id AND r.submission_id = s.submission_id";

fn read_row(r: &rusqlite::Row<'_>, columns: &[String]) -> rusqlite::Result<SubmissionRow> {
    let mut values = BTreeMap::new();
    for (i, name) in columns.iter().enumerate() {
        values.insert(name.clone(), r.get::<_, Option<String>>(12 + i)?);
    }
    Ok(SubmissionRow {
        submission_id: r.get(0)?,
        form_id: r.get(1)?,
        casefile_id: r.get(2)?,
        request_id: r.get(3)?,
        version: r.get(4)?,
        completed_at: r.get(5)?,
        respondent_name: r.get(6)?,
        respondent_email: r.get(7)?,
        casefile_status: r.get::<_, Option<i64>>(8)?.map(Into::into),
        reviewed: r.get(9)?,
        flagged: r.get(10)?,
        note: r.get(11)?,
        values,
    })
}

const FIELD_VALUE: &str = "(SELECT v.value_text FROM submission_values v \
    WHERE v.submission_id = s.submission_id AND v.field_id = ?)";

/// The SQL that picks a page's submissions, in order, as `(id, k)` rows (`k` the sort value),
/// with its arguments, and the collation `k` sorts with. Sorting by a field walks the values
/// index; conditions on fields are sets of submissions read once from the answers index (the
/// unary `+` keeps the planner from driving the walk from them and sorting afterwards).
pub(crate) fn page_keys_sql(
    c: &Connection,
    account_id: &str,
    q: &SubmissionQuery,
    range: Option<(i64, i64)>,
) -> Result<(String, Vec<Value>, &'static str)> {
    if q.form_id.is_empty() {
        return Err(DeskError::invalid_field("formId", "Choose a form"));
    }
    let text = |s: &str| Value::Text(s.to_string());
    let mut args: Vec<Value> = Vec::new();
    let by_field = match &q.sort {
        SubmissionSortKey::Field(name) => field_id(c, account_id, &q.form_id, name)?,
        _ => None,
    };
    let (mut sql, key, collate, id) = if let Some(field) = by_field {
        let mut sql =
            String::from("SELECT o.submission_id AS id, o.sort_text AS k FROM submission_values o");
        // The field's number belongs to this account and form: so do the rows under it.
        if q.completed_after.is_some() || q.completed_before.is_some() {
            sql.push_str(
                " JOIN submissions s ON s.account_id = ? AND s.submission_id = o.submission_id",
            );
            args.push(text(account_id));
        }
        if q.reviewed.is_some() || q.flagged.is_some() {
            sql.push_str(
                " LEFT JOIN reviews r ON r.account_id = ? AND r.submission_id = o.submission_id",
            );
            args.push(text(account_id));
        }
        sql.push_str(" WHERE o.field_id = ?");
        args.push(Value::Integer(field));
        (sql, "o.sort_text", " COLLATE NOCASE", "o.submission_id")
    } else {
        let (key, collate) = match &q.sort {
            SubmissionSortKey::CompletedAt => ("s.completed_at", ""),
            SubmissionSortKey::Respondent => ("s.respondent_name", " COLLATE NOCASE"),
            SubmissionSortKey::Version => ("s.version", ""),
            SubmissionSortKey::CasefileStatus => ("c.status", ""),
            SubmissionSortKey::Reviewed => ("coalesce(r.reviewed, 0)", ""),
            // No submission of the form has this field: every value is empty.
            SubmissionSortKey::Field(_) => ("NULL", ""),
        };
        // Only the joins the sort and the conditions use (an unused one would still make the
        // planner read each row of `submissions` beside its index).
        let mut sql = format!("SELECT s.submission_id AS id, {key} AS k FROM submissions s");
        if q.sort == SubmissionSortKey::CasefileStatus {
            sql.push_str(
                " LEFT JOIN casefiles c ON c.account_id = s.account_id \
                 AND c.casefile_id = s.casefile_id",
            );
        }
        if q.sort == SubmissionSortKey::Reviewed || q.reviewed.is_some() || q.flagged.is_some() {
            sql.push_str(
                " LEFT JOIN reviews r ON r.account_id = s.account_id \
                 AND r.submission_id = s.submission_id",
            );
        }
        sql.push_str(" WHERE s.account_id = ? AND s.form_id = ?");
        args.extend([text(account_id), text(&q.form_id)]);
        (sql, key, collate, "s.submission_id")
    };
    if let Some(after) = &q.completed_after {
        sql.push_str(" AND s.completed_at > ?");
        args.push(Value::Text(normalize_time(after)));
    }
    if let Some(before) = &q.completed_before {
        sql.push_str(" AND s.completed_at < ?");
        args.push(Value::Text(normalize_time(before)));
    }
    if let Some(reviewed) = q.reviewed {
        sql.push_str(" AND coalesce(r.reviewed, 0) = ?");
        args.push(Value::Integer(reviewed.into()));
    }
    if let Some(flagged) = q.flagged {
        sql.push_str(" AND coalesce(r.flagged, 0) = ?");
        args.push(Value::Integer(flagged.into()));
    }
    // A condition holds when any instance of the field does (IsEmpty: when none has a value).
    for f in &q.filters {
        let (not, cond) = match f.op {
            FilterOp::Equals => {
                let v = f.value.clone().ok_or_else(|| {
                    DeskError::invalid_field(
                        format!("filters.{}", f.field),
                        "Enter a value to match",
                    )
                })?;
                ("", Some(("a.value_text = ? COLLATE NOCASE", v)))
            }
            FilterOp::Contains => {
                let v = f.value.clone().unwrap_or_default();
                (
                    "",
                    Some((
                        "a.value_text LIKE ? ESCAPE '\\'",
                        format!("%{}%", like_escape(&v)),
                    )),
                )
            }
            FilterOp::NotEmpty => ("", None),
            FilterOp::IsEmpty => ("NOT ", None),
        };
        sql.push_str(&format!(
            " AND +{id} {not}IN (SELECT a.submission_id FROM answers a WHERE a.account_id = ? \
             AND a.form_id = ? AND a.field_name = ? AND "
        ));
        args.extend([text(account_id), text(&q.form_id), text(&f.field)]);
        match cond {
            Some((cond, v)) => {
                sql.push_str(cond);
                args.push(Value::Text(v));
            }
            None => sql.push_str("a.value_text IS NOT NULL AND a.value_text <> ''"),
        }
        sql.push(')');
    }
    // Without a range (a count of the view) the order does not matter.
    if let Some((offset, limit)) = range {
        let dir = if q.descending { "DESC" } else { "ASC" };
        sql.push_str(&format!(
            " ORDER BY {key}{collate} {dir}, {id} {dir} LIMIT ? OFFSET ?"
        ));
        args.push(Value::Integer(limit + 1));
        args.push(Value::Integer(offset));
    }
    Ok((sql, args, collate))
}

pub fn list_submissions(
    c: &Connection,
    account_id: &str,
    q: &SubmissionQuery,
) -> Result<SubmissionPage> {
    if q.form_id.is_empty() {
        return Err(DeskError::invalid_field("formId", "Choose a form"));
    }
    let offset = match (q.cursor.as_deref(), q.offset) {
        (Some(_), Some(_)) => {
            return Err(DeskError::invalid_field(
                "offset",
                "Give a list position or an offset, not both",
            ))
        }
        (cursor, None) => decode_cursor(cursor)?,
        (None, Some(offset)) => i64::from(offset),
    };
    let limit = clamp_limit(q.limit, 200, 5000);
    let total = if q.with_total {
        let (keys, args, _) = page_keys_sql(c, account_id, q, None)?;
        let n: i64 = c
            .prepare(&format!("SELECT count(*) FROM ({keys})"))?
            .query_row(rusqlite::params_from_iter(args.iter()), |r| r.get(0))?;
        Some(u32::try_from(n).unwrap_or(u32::MAX))
    } else {
        None
    };
    // The page's submissions are picked first; their columns are read for those rows only.
    let (keys, key_args, collate) = page_keys_sql(c, account_id, q, Some((offset, limit)))?;
    let mut args: Vec<Value> = Vec::new();
    let mut sql = format!("SELECT {ROW_COLS}");
    for col in &q.columns {
        sql.push_str(", ");
        sql.push_str(FIELD_VALUE);
        // A field no submission of the form has: NULL matches no row.
        args.push(field_id(c, account_id, &q.form_id, col)?.map_or(Value::Null, Value::Integer));
    }
    let dir = if q.descending { "DESC" } else { "ASC" };
    sql.push_str(&format!(
        " FROM ({keys}) p CROSS JOIN submissions s ON s.account_id = ? AND s.submission_id = p.id \
         LEFT JOIN casefiles c ON c.account_id = s.account_id AND c.casefile_id = s.casefile_id \
         LEFT JOIN reviews r ON r.account_id = s.account_id AND r.submission_id = s.submission_id \
         ORDER BY p.k{collate} {dir}, p.id {dir}"
    ));
    args.extend(key_args);
    args.push(Value::Text(account_id.to_string()));
    let mut st = c.prepare(&sql)?;
    let rows = st.query_map(rusqlite::params_from_iter(args.iter()), |r| {
        read_row(r, &q.columns)
    })?;
    let rows = rows.collect::<rusqlite::Result<Vec<_>>>()?;
    let Page {
        result,
        next_cursor,
    } = make_page(rows, offset, limit);
    Ok(SubmissionPage {
        result,
        next_cursor,
        total,
    })
}

/// One submission with all its answers, for the answers view.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SubmissionDetail {
    pub row: SubmissionRow,
    pub answers: Vec<AnswerRow>,
    pub answers_json: Option<penneo::Answers>,
    pub synced_at: String,
    /// Neighbours in completion order, for next / previous.
    pub previous_id: Option<String>,
    pub next_id: Option<String>,
}

pub fn get_submission(
    c: &Connection,
    account_id: &str,
    submission_id: &str,
) -> Result<Option<SubmissionDetail>> {
    let found = c
        .query_row(
            &format!(
                "SELECT {ROW_COLS}, s.answers_json, s.synced_at {ROW_FROM} \
                 WHERE s.account_id = ?1 AND s.submission_id = ?2"
            ),
            params![account_id, submission_id],
            |r| {
                Ok((
                    read_row(r, &[])?,
                    r.get::<_, Option<String>>(12)?,
                    r.get::<_, String>(13)?,
                ))
            },
        )
        .optional()?;
    let Some((row, json, synced_at)) = found else {
        return Ok(None);
    };
    let mut st = c.prepare_cached(
        "SELECT section_slug, instance_index, field_name, label, field_type, value_text FROM answers \
         WHERE account_id=?1 AND submission_id=?2 ORDER BY id",
    )?;
    let answers = st
        .query_map(params![account_id, submission_id], |r| {
            Ok(AnswerRow {
                section_slug: r.get(0)?,
                instance_index: r.get(1)?,
                field_name: r.get(2)?,
                label: r.get(3)?,
                field_type: r.get(4)?,
                value_text: r.get(5)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let neighbour = |cmp: &str, dir: &str| -> Result<Option<String>> {
        Ok(c.query_row(
            &format!(
                "SELECT submission_id FROM submissions WHERE account_id=?1 AND form_id=?2 \
                 AND (completed_at, submission_id) {cmp} (?3, ?4) \
                 ORDER BY completed_at {dir}, submission_id {dir} LIMIT 1"
            ),
            params![account_id, row.form_id, row.completed_at, row.submission_id],
            |r| r.get(0),
        )
        .optional()?)
    };
    let previous_id = neighbour("<", "DESC")?;
    let next_id = neighbour(">", "ASC")?;
    Ok(Some(SubmissionDetail {
        row,
        answers,
        answers_json: json.map(|j| serde_json::from_str(&j)).transpose()?,
        synced_at,
        previous_id,
        next_id,
    }))
}

/// The newest `completedAt` stored for a form, as stored (normalised UTC).
pub fn latest_completed_at(
    c: &Connection,
    account_id: &str,
    form_id: &str,
) -> Result<Option<String>> {
    Ok(c.query_row(
        "SELECT max(completed_at) FROM submissions WHERE account_id=?1 AND form_id=?2",
        params![account_id, form_id],
        |r| r.get(0),
    )?)
}

/// Local review state of a submission.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ReviewUpdate {
    pub reviewed: Option<bool>,
    pub flagged: Option<bool>,
    /// `Some("")` clears the note.
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Review {
    pub submission_id: String,
    pub reviewed: bool,
    pub flagged: bool,
    pub note: Option<String>,
    pub updated_at: String,
}

pub fn set_review(
    c: &Connection,
    account_id: &str,
    submission_id: &str,
    u: &ReviewUpdate,
) -> Result<Review> {
    let exists: bool = c.query_row(
        "SELECT EXISTS (SELECT 1 FROM submissions WHERE account_id=?1 AND submission_id=?2)",
        params![account_id, submission_id],
        |r| r.get(0),
    )?;
    if !exists {
        return Err(DeskError::NotFound(
            "That submission is not in the local cache".into(),
        ));
    }
    let ts = now();
    let note = u
        .note
        .as_ref()
        .map(|n| if n.is_empty() { None } else { Some(n.clone()) });
    c.execute(
        "INSERT INTO reviews (account_id, submission_id, reviewed, flagged, note, updated_at) \
         VALUES (?1, ?2, coalesce(?3, 0), coalesce(?4, 0), ?6, ?7) \
         ON CONFLICT(account_id, submission_id) DO UPDATE SET \
           reviewed = coalesce(?3, reviews.reviewed), flagged = coalesce(?4, reviews.flagged), \
           note = CASE WHEN ?5 THEN ?6 ELSE reviews.note END, updated_at = ?7",
        params![
            account_id,
            submission_id,
            u.reviewed,
            u.flagged,
            note.is_some(),
            note.flatten(),
            ts
        ],
    )?;
    Ok(c.query_row(
        "SELECT submission_id, reviewed, flagged, note, updated_at FROM reviews \
         WHERE account_id=?1 AND submission_id=?2",
        params![account_id, submission_id],
        |r| {
            Ok(Review {
                submission_id: r.get(0)?,
                reviewed: r.get(1)?,
                flagged: r.get(2)?,
                note: r.get(3)?,
                updated_at: r.get(4)?,
            })
        },
    )?)
}

/// A part of a highlighted text: matched parts have `hit = true`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct TextPart {
    pub text: String,
    pub hit: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SearchHit {
    pub submission_id: String,
    pub section_slug: String,
    pub instance_index: i64,
    pub field_name: String,
    pub label: Option<String>,
    /// The whole value with the matches marked.
    pub value: Vec<TextPart>,
    /// A short window around the match (for long values).
    pub snippet: Vec<TextPart>,
    pub completed_at: String,
    pub respondent_name: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SearchGroup {
    pub form_id: String,
    pub form_name: Option<String>,
    /// How many answer rows of this form match (see `total_is_lower_bound`).
    pub total: i64,
    /// The count stopped early: there are at least `total` matches.
    pub total_is_lower_bound: bool,
    pub hits: Vec<SearchHit>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SearchQuery {
    pub text: String,
    /// Hits returned per form (default 20).
    pub per_form: Option<u32>,
    /// Form groups per page (default 20).
    pub limit: Option<u32>,
    pub cursor: Option<String>,
}

/// Matches counted per search before counting stops.
pub const SEARCH_COUNT_CAP: i64 = 1000;

const HIT_START: char = '\u{2}';
const HIT_END: char = '\u{3}';

/// Turn user text into a safe FTS5 query: every word quoted, the last one a prefix. Control
/// characters separate words like spaces (a NUL inside a quoted word ends SQLite's string: an
/// "unterminated string" error instead of results).
pub fn fts_query(text: &str) -> Option<String> {
    let words: Vec<String> = text
        .split(|c: char| c.is_whitespace() || c.is_control())
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric() && c != '@' && c != '.' && c != '-'))
        .filter(|w| !w.is_empty())
        .map(|w| format!("\"{}\"", w.replace('"', "\"\"")))
        .collect();
    if words.is_empty() {
        return None;
    }
    let mut q = words.join(" ");
    q.push('*');
    Some(q)
}

fn split_marked(s: &str) -> Vec<TextPart> {
    let mut parts = Vec::new();
    let mut cur = String::new();
    let mut hit = false;
    for ch in s.chars() {
        if ch == HIT_START || ch == HIT_END {
            if !cur.is_empty() {
                parts.push(TextPart {
                    text: std::mem::take(&mut cur),
                    hit,
                });
            }
            hit = ch == HIT_START;
        } else {
            cur.push(ch);
        }
    }
    if !cur.is_empty() {
        parts.push(TextPart { text: cur, hit });
    }
    parts
}

/// Full-text search over all answers of the account, grouped by form.
pub fn search(c: &Connection, account_id: &str, q: &SearchQuery) -> Result<Page<SearchGroup>> {
    let offset = decode_cursor(q.cursor.as_deref())?;
    let limit = clamp_limit(q.limit, 20, 200);
    let per_form = clamp_limit(q.per_form, 20, 500);
    let Some(fts) = fts_query(&q.text) else {
        return Ok(Page {
            result: Vec::new(),
            next_cursor: None,
        });
    };
    // Counting stops at SEARCH_COUNT_CAP matches, so a common word stays fast; the UI shows
    // "1000+" when `total_is_lower_bound` is set.
    let mut groups_st = c.prepare_cached(
        "SELECT m.form_id, f.name, count(*) FROM \
           (SELECT a.form_id AS form_id FROM answers_fts JOIN answers a ON a.id = answers_fts.rowid \
            WHERE answers_fts MATCH ?1 AND a.account_id = ?2 LIMIT ?5) m \
         LEFT JOIN forms f ON f.account_id = ?2 AND f.form_id = m.form_id \
         GROUP BY m.form_id ORDER BY f.name COLLATE NOCASE, m.form_id LIMIT ?3 OFFSET ?4",
    )?;
    let mut capped = false;
    let groups = groups_st
        .query_map(
            params![fts, account_id, limit + 1, offset, SEARCH_COUNT_CAP + 1],
            |r| {
                Ok(SearchGroup {
                    form_id: r.get(0)?,
                    form_name: r.get(1)?,
                    total: r.get(2)?,
                    total_is_lower_bound: false,
                    hits: Vec::new(),
                })
            },
        )?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    if groups.iter().map(|g| g.total).sum::<i64>() > SEARCH_COUNT_CAP {
        capped = true;
    }
    let groups: Vec<SearchGroup> = groups
        .into_iter()
        .map(|mut g| {
            g.total_is_lower_bound = capped;
            g
        })
        .collect();
    let mut page = make_page(groups, offset, limit);
    let mut hits_st = c.prepare_cached(
        "SELECT a.submission_id, a.section_slug, a.instance_index, a.field_name, a.label, \
           highlight(answers_fts, 0, char(2), char(3)), \
           snippet(answers_fts, 0, char(2), char(3), '…', 12), \
           s.completed_at, s.respondent_name \
         FROM answers_fts JOIN answers a ON a.id = answers_fts.rowid \
         JOIN submissions s ON s.account_id = a.account_id AND s.submission_id = a.submission_id \
         WHERE answers_fts MATCH ?1 AND a.account_id = ?2 AND a.form_id = ?3 \
         ORDER BY answers_fts.rowid DESC LIMIT ?4",
    )?;
    for g in &mut page.result {
        g.hits = hits_st
            .query_map(params![fts, account_id, g.form_id, per_form], |r| {
                Ok(SearchHit {
                    submission_id: r.get(0)?,
                    section_slug: r.get(1)?,
                    instance_index: r.get(2)?,
                    field_name: r.get(3)?,
                    label: r.get(4)?,
                    value: split_marked(&r.get::<_, Option<String>>(5)?.unwrap_or_default()),
                    snippet: split_marked(&r.get::<_, Option<String>>(6)?.unwrap_or_default()),
                    completed_at: r.get(7)?,
                    respondent_name: r.get(8)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
    }
    Ok(page)
}

#[cfg(test)]
pub(crate) fn sample_submission(
    form: &str,
    id: &str,
    completed: &str,
    name: &str,
    company: &str,
) -> SubmissionRecord {
    SubmissionRecord {
        submission_id: id.into(),
        form_id: form.into(),
        casefile_id: None,
        request_id: None,
        version: Some(1),
        completed_at: completed.into(),
        respondent_name: Some(name.into()),
        respondent_email: Some(format!("{}@example.com", name.to_lowercase())),
        answers_json: Some(
            serde_json::from_value(serde_json::json!({"submissionId": id})).unwrap(),
        ),
        answers: vec![
            AnswerRow {
                section_slug: "person".into(),
                instance_index: 0,
                field_name: "full_name".into(),
                label: Some("Full name".into()),
                field_type: Some("TEXT".into()),
                value_text: Some(name.into()),
            },
            AnswerRow {
                section_slug: "company".into(),
                instance_index: 0,
                field_name: "company_name".into(),
                label: Some("Company name".into()),
                field_type: Some("TEXT".into()),
                value_text: Some(company.into()),
            },
            AnswerRow {
                section_slug: "owners".into(),
                instance_index: 0,
                field_name: "owner".into(),
                label: Some("Beneficial owner".into()),
                field_type: Some("TEXT".into()),
                value_text: Some(format!("{name} Senior")),
            },
            AnswerRow {
                section_slug: "owners".into(),
                instance_index: 1,
                field_name: "owner".into(),
                label: Some("Beneficial owner".into()),
                field_type: Some("TEXT".into()),
                value_text: Some("Zoë Ågård".into()),
            },
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::test_util::open_temp;
    use crate::db::{accounts, forms};

    fn seed(c: &mut Connection) -> Result<()> {
        accounts::insert(c, &accounts::sample("a"))?;
        accounts::insert(c, &accounts::sample("b"))?;
        for (id, name) in [("f1", "KYC"), ("f2", "Onboarding")] {
            forms::upsert_form(
                c,
                "a",
                &forms::FormRecord {
                    form_id: id.into(),
                    name: name.into(),
                    description: None,
                    language: None,
                    status: "ACTIVE".into(),
                    version: 1,
                    created_at: None,
                    updated_at: None,
                    synced_at: now(),
                    definition: penneo::Form::default(),
                },
            )?;
        }
        upsert_submissions(
            c,
            "a",
            &[
                sample_submission("f1", "s1", "2026-01-01T10:00:00Z", "Anna", "Acme ApS"),
                sample_submission(
                    "f1",
                    "s2",
                    "2026-01-02T10:00:00+01:00",
                    "Bent",
                    "Nordic Holding",
                ),
                sample_submission("f1", "s3", "2026-01-03T10:00:00Z", "Carla", "Acme Trading"),
                sample_submission("f2", "s4", "2026-01-04T10:00:00Z", "Dorte", "Acme Group"),
            ],
        )?;
        upsert_submissions(
            c,
            "b",
            &[sample_submission(
                "f1",
                "s9",
                "2026-01-01T10:00:00Z",
                "Acme",
                "Acme B",
            )],
        )?;
        Ok(())
    }

    fn ids(p: &SubmissionPage) -> Vec<&str> {
        p.result.iter().map(|r| r.submission_id.as_str()).collect()
    }

    #[test]
    fn list_filters_sorts_and_pages() {
        let (_d, db) = open_temp();
        db.call_blocking(|c| {
            seed(c)?;
            let base = SubmissionQuery {
                form_id: "f1".into(),
                columns: vec!["company_name".into(), "owner".into()],
                ..Default::default()
            };
            let all = list_submissions(c, "a", &base)?;
            assert_eq!(ids(&all), ["s1", "s2", "s3"]);
            assert_eq!(
                all.result[0].values["company_name"].as_deref(),
                Some("Acme ApS")
            );
            assert_eq!(
                all.result[0].values["owner"].as_deref(),
                Some("Anna Senior, Zoë Ågård")
            );
            // Time zones were normalised: s2 was completed at 09:00 UTC.
            assert_eq!(all.result[1].completed_at, "2026-01-02T09:00:00.000000Z");

            let q = SubmissionQuery {
                completed_after: Some("2026-01-01T10:00:00Z".into()),
                completed_before: Some("2026-01-03T10:00:00Z".into()),
                ..base.clone()
            };
            assert_eq!(ids(&list_submissions(c, "a", &q)?), ["s2"]);

            let q = SubmissionQuery {
                filters: vec![FieldFilter {
                    field: "company_name".into(),
                    op: FilterOp::Contains,
                    value: Some("acme".into()),
                }],
                descending: true,
                ..base.clone()
            };
            assert_eq!(ids(&list_submissions(c, "a", &q)?), ["s3", "s1"]);
            let q = SubmissionQuery {
                filters: vec![FieldFilter {
                    field: "company_name".into(),
                    op: FilterOp::Equals,
                    value: Some("nordic holding".into()),
                }],
                ..base.clone()
            };
            assert_eq!(ids(&list_submissions(c, "a", &q)?), ["s2"]);
            // LIKE wildcards in user input are literal.
            let q = SubmissionQuery {
                filters: vec![FieldFilter {
                    field: "company_name".into(),
                    op: FilterOp::Contains,
                    value: Some("%".into()),
                }],
                ..base.clone()
            };
            assert!(list_submissions(c, "a", &q)?.result.is_empty());

            let q = SubmissionQuery {
                sort: SubmissionSortKey::Field("company_name".into()),
                ..base.clone()
            };
            assert_eq!(ids(&list_submissions(c, "a", &q)?), ["s1", "s3", "s2"]);

            set_review(
                c,
                "a",
                "s2",
                &ReviewUpdate {
                    reviewed: Some(true),
                    note: Some("ok".into()),
                    ..Default::default()
                },
            )?;
            let q = SubmissionQuery {
                reviewed: Some(true),
                ..base.clone()
            };
            let p = list_submissions(c, "a", &q)?;
            assert_eq!(ids(&p), ["s2"]);
            assert_eq!(p.result[0].note.as_deref(), Some("ok"));
            let q = SubmissionQuery {
                reviewed: Some(false),
                ..base.clone()
            };
            assert_eq!(ids(&list_submissions(c, "a", &q)?), ["s1", "s3"]);

            let p1 = list_submissions(
                c,
                "a",
                &SubmissionQuery {
                    limit: Some(2),
                    ..base.clone()
                },
            )?;
            assert_eq!(ids(&p1), ["s1", "s2"]);
            let p2 = list_submissions(
                c,
                "a",
                &SubmissionQuery {
                    limit: Some(2),
                    cursor: p1.next_cursor.clone(),
                    ..base.clone()
                },
            )?;
            assert_eq!(ids(&p2), ["s3"]);
            assert!(p2.next_cursor.is_none());
            assert_eq!(p2.total, None);
            // A page at any position, with the count of the whole view.
            let at = |offset, limit| SubmissionQuery {
                offset: Some(offset),
                limit: Some(limit),
                with_total: true,
                ..base.clone()
            };
            let p = list_submissions(c, "a", &at(1, 1))?;
            assert_eq!(ids(&p), ["s2"]);
            assert_eq!(p.total, Some(3));
            let p = list_submissions(c, "a", &at(5, 2))?;
            assert!(p.result.is_empty());
            assert_eq!(p.total, Some(3));
            let q = SubmissionQuery {
                reviewed: Some(false),
                ..at(0, 1)
            };
            assert_eq!(list_submissions(c, "a", &q)?.total, Some(2));
            let q = SubmissionQuery {
                cursor: p1.next_cursor.clone(),
                ..at(0, 1)
            };
            let e = list_submissions(c, "a", &q).unwrap_err();
            assert_eq!(e.code(), crate::ErrorCode::InvalidInput);
            Ok(())
        })
        .unwrap();
    }

    #[test]
    fn a_table_row_carries_what_a_row_shows_and_leaves_out_what_is_unset() {
        let row = |name: Option<&str>, email: Option<&str>| SubmissionRow {
            submission_id: "s1".into(),
            form_id: "f1".into(),
            casefile_id: Some(7),
            request_id: Some("r1".into()),
            version: None,
            completed_at: "2026-03-01T10:00:00Z".into(),
            respondent_name: name.map(Into::into),
            respondent_email: email.map(Into::into),
            casefile_status: None,
            reviewed: false,
            flagged: false,
            note: Some(String::new()),
            values: BTreeMap::from([("city".to_string(), None)]),
        };
        // Unset, false and empty are left out; a column without an answer stays, as null.
        let json =
            serde_json::to_value(TableRow::from(row(Some("Ida"), Some("ida@x.dk")))).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "submissionId": "s1",
                "completedAt": "2026-03-01T10:00:00Z",
                "respondent": "Ida",
                "values": { "city": null },
            })
        );
        // The email stands in for a name not given (or blank); neither: no respondent.
        let who = |name, email| TableRow::from(row(name, email)).respondent;
        assert_eq!(
            who(Some("  "), Some("ida@x.dk")).as_deref(),
            Some("ida@x.dk")
        );
        assert_eq!(who(None, Some("ida@x.dk")).as_deref(), Some("ida@x.dk"));
        assert_eq!(who(None, Some("")), None);
        // What is set comes through, and reads back the same.
        let mut set = row(Some("Ida"), None);
        set.version = Some(2);
        set.casefile_status = Some(5.into());
        set.reviewed = true;
        set.flagged = true;
        set.note = Some("call back".into());
        let table = TableRow::from(set);
        let json = serde_json::to_string(&table).unwrap();
        assert!(json.contains(r#""casefileStatus":5"#), "{json}");
        assert_eq!(serde_json::from_str::<TableRow>(&json).unwrap(), table);
    }

    #[test]
    fn resync_replaces_answers_and_keeps_review() {
        let (_d, db) = open_temp();
        db.call_blocking(|c| {
            seed(c)?;
            set_review(
                c,
                "a",
                "s1",
                &ReviewUpdate {
                    flagged: Some(true),
                    ..Default::default()
                },
            )?;
            let mut s1 =
                sample_submission("f1", "s1", "2026-01-01T10:00:00Z", "Anna", "Renamed Corp");
            s1.answers.pop();
            upsert_submissions(c, "a", &[s1])?;
            let d = get_submission(c, "a", "s1")?.unwrap();
            assert_eq!(d.answers.len(), 3);
            assert!(d.row.flagged);
            assert_eq!(d.next_id.as_deref(), Some("s2"));
            assert_eq!(d.previous_id, None);
            // FTS follows the update: the old company name is gone, the new one found.
            let hits = search(
                c,
                "a",
                &SearchQuery {
                    text: "Acme ApS".into(),
                    ..Default::default()
                },
            )?;
            assert!(hits
                .result
                .iter()
                .all(|g| g.hits.iter().all(|h| h.submission_id != "s1")));
            let hits = search(
                c,
                "a",
                &SearchQuery {
                    text: "renamed".into(),
                    ..Default::default()
                },
            )?;
            assert_eq!(hits.result[0].hits[0].submission_id, "s1");
            // Clearing a note, keeping the flag.
            let r = set_review(
                c,
                "a",
                "s1",
                &ReviewUpdate {
                    note: Some(String::new()),
                    ..Default::default()
                },
            )?;
            assert!(r.flagged);
            assert_eq!(r.note, None);
            assert_eq!(
                set_review(c, "a", "nope", &ReviewUpdate::default())
                    .unwrap_err()
                    .code(),
                crate::ErrorCode::NotFound
            );
            Ok(())
        })
        .unwrap();
    }

    #[test]
    fn search_groups_by_form_and_highlights() {
        let (_d, db) = open_temp();
        db.call_blocking(|c| {
            seed(c)?;
            let p = search(
                c,
                "a",
                &SearchQuery {
                    text: "acme".into(),
                    ..Default::default()
                },
            )?;
            let groups: Vec<_> = p
                .result
                .iter()
                .map(|g| (g.form_name.clone().unwrap(), g.total))
                .collect();
            assert_eq!(
                groups,
                [("KYC".to_string(), 2), ("Onboarding".to_string(), 1)]
            );
            let hit = &p.result[0].hits[0];
            assert!(hit
                .value
                .iter()
                .any(|t| t.hit && t.text.eq_ignore_ascii_case("acme")));
            assert!(hit.value.iter().any(|t| !t.hit));
            // Prefix and diacritics-insensitive search; labels are searched too.
            let p = search(
                c,
                "a",
                &SearchQuery {
                    text: "zoe aga".into(),
                    ..Default::default()
                },
            )?;
            assert_eq!(p.result.iter().map(|g| g.total).sum::<i64>(), 4);
            let p = search(
                c,
                "a",
                &SearchQuery {
                    text: "beneficial".into(),
                    ..Default::default()
                },
            )?;
            assert_eq!(p.result[0].total, 6);
            // Hostile input does not break the FTS syntax.
            let p = search(
                c,
                "a",
                &SearchQuery {
                    text: "\"acme ( *".into(),
                    ..Default::default()
                },
            )?;
            assert_eq!(p.result.len(), 2);
            assert!(search(
                c,
                "a",
                &SearchQuery {
                    text: "  ".into(),
                    ..Default::default()
                }
            )?
            .result
            .is_empty());
            // Group paging.
            let p = search(
                c,
                "a",
                &SearchQuery {
                    text: "acme".into(),
                    limit: Some(1),
                    ..Default::default()
                },
            )?;
            assert_eq!(p.result.len(), 1);
            let p2 = search(
                c,
                "a",
                &SearchQuery {
                    text: "acme".into(),
                    limit: Some(1),
                    cursor: p.next_cursor,
                    ..Default::default()
                },
            )?;
            assert_eq!(p2.result[0].form_id, "f2");
            Ok(())
        })
        .unwrap();
    }

    // ---- The values table (migration 7) against the answers it is made from. ----

    /// The submissions table as the queries read it before the values table: every field value
    /// worked out from `answers` per row (kept here as the reference the new queries must match
    /// row for row, in order). The columns joined instances in answer order (the plan read them
    /// through `answers_by_submission`); `ORDER BY a.id` says so now that another index could
    /// serve the subquery.
    fn reference_list(
        c: &Connection,
        account_id: &str,
        q: &SubmissionQuery,
    ) -> Result<SubmissionPage> {
        let offset = match q.offset {
            Some(offset) => i64::from(offset),
            None => decode_cursor(q.cursor.as_deref())?,
        };
        let limit = clamp_limit(q.limit, 200, 5000);
        let mut args: Vec<Value> = Vec::new();
        let mut sql = format!("SELECT {ROW_COLS}");
        for col in &q.columns {
            sql.push_str(
                ", (SELECT group_concat(a.value_text, ', ' ORDER BY a.id) FROM answers a \
                 WHERE a.account_id = s.account_id AND a.submission_id = s.submission_id AND a.field_name = ?)",
            );
            args.push(Value::Text(col.clone()));
        }
        sql.push_str(&format!(
            " {ROW_FROM} WHERE s.account_id = ? AND s.form_id = ?"
        ));
        args.push(Value::Text(account_id.into()));
        args.push(Value::Text(q.form_id.clone()));
        if let Some(after) = &q.completed_after {
            sql.push_str(" AND s.completed_at > ?");
            args.push(Value::Text(normalize_time(after)));
        }
        if let Some(before) = &q.completed_before {
            sql.push_str(" AND s.completed_at < ?");
            args.push(Value::Text(normalize_time(before)));
        }
        if let Some(reviewed) = q.reviewed {
            sql.push_str(" AND coalesce(r.reviewed, 0) = ?");
            args.push(Value::Integer(reviewed.into()));
        }
        if let Some(flagged) = q.flagged {
            sql.push_str(" AND coalesce(r.flagged, 0) = ?");
            args.push(Value::Integer(flagged.into()));
        }
        for f in &q.filters {
            let exists = "EXISTS (SELECT 1 FROM answers a WHERE a.account_id = s.account_id \
                AND a.submission_id = s.submission_id AND a.field_name = ?";
            args.push(Value::Text(f.field.clone()));
            match f.op {
                FilterOp::Equals => {
                    sql.push_str(&format!(
                        " AND {exists} AND a.value_text = ? COLLATE NOCASE)"
                    ));
                    args.push(Value::Text(f.value.clone().unwrap()));
                }
                FilterOp::Contains => {
                    sql.push_str(&format!(
                        " AND {exists} AND a.value_text LIKE ? ESCAPE '\\')"
                    ));
                    let v = f.value.clone().unwrap_or_default();
                    args.push(Value::Text(format!("%{}%", like_escape(&v))));
                }
                FilterOp::NotEmpty => sql.push_str(&format!(
                    " AND {exists} AND a.value_text IS NOT NULL AND a.value_text <> '')"
                )),
                FilterOp::IsEmpty => sql.push_str(&format!(
                    " AND NOT {exists} AND a.value_text IS NOT NULL AND a.value_text <> '')"
                )),
            }
        }
        let dir = if q.descending { "DESC" } else { "ASC" };
        let order = match &q.sort {
            SubmissionSortKey::CompletedAt => "s.completed_at".to_string(),
            SubmissionSortKey::Respondent => "s.respondent_name COLLATE NOCASE".to_string(),
            SubmissionSortKey::Version => "s.version".to_string(),
            SubmissionSortKey::CasefileStatus => "c.status".to_string(),
            SubmissionSortKey::Reviewed => "coalesce(r.reviewed, 0)".to_string(),
            SubmissionSortKey::Field(name) => {
                args.push(Value::Text(name.clone()));
                "(SELECT min(a.value_text) FROM answers a WHERE a.account_id = s.account_id \
                  AND a.submission_id = s.submission_id AND a.field_name = ?) COLLATE NOCASE"
                    .to_string()
            }
        };
        sql.push_str(&format!(
            " ORDER BY {order} {dir}, s.submission_id {dir} LIMIT ? OFFSET ?"
        ));
        args.push(Value::Integer(limit + 1));
        args.push(Value::Integer(offset));
        let mut st = c.prepare(&sql)?;
        let rows = st
            .query_map(rusqlite::params_from_iter(args.iter()), |r| {
                read_row(r, &q.columns)
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        // The view's count: every row of it, read by the same query from the start.
        let total = if q.with_total {
            let all = SubmissionQuery {
                offset: Some(0),
                cursor: None,
                limit: Some(5000),
                with_total: false,
                ..q.clone()
            };
            Some(reference_list(c, account_id, &all)?.result.len() as u32)
        } else {
            None
        };
        let page = make_page(rows, offset, limit);
        Ok(SubmissionPage {
            result: page.result,
            next_cursor: page.next_cursor,
            total,
        })
    }

    /// The values table as it must be: made from the answers, with an empty row for each field
    /// of the form a submission does not have (the form's fields: every field name its
    /// submissions have, and any numbered before).
    const EXPECTED_VALUES: &str = "\
        WITH got AS (SELECT a.account_id, a.submission_id, a.field_name, \
              group_concat(a.value_text, ', ' ORDER BY a.id) AS value_text, min(a.value_text) AS sort_text \
            FROM answers a GROUP BY a.account_id, a.submission_id, a.field_name), \
          names AS (SELECT account_id, form_id, field_name FROM form_fields \
            UNION SELECT a.account_id, s.form_id, a.field_name FROM answers a \
            JOIN submissions s ON s.account_id = a.account_id AND s.submission_id = a.submission_id) \
        SELECT s.account_id, s.submission_id, n.field_name, s.form_id, g.value_text, g.sort_text \
        FROM names n JOIN submissions s ON s.account_id = n.account_id AND s.form_id = n.form_id \
        LEFT JOIN got g ON g.account_id = s.account_id AND g.submission_id = s.submission_id \
          AND g.field_name = n.field_name \
        ORDER BY 1, 2, 3";

    /// The values table as it is, with the fields' names and forms.
    const STORED_VALUES: &str = "\
        SELECT f.account_id, v.submission_id, f.field_name, f.form_id, v.value_text, v.sort_text \
        FROM submission_values v LEFT JOIN form_fields f ON f.id = v.field_id ORDER BY 1, 2, 3";

    type ValuesRow = (
        String,
        String,
        String,
        String,
        Option<String>,
        Option<String>,
    );

    fn values_rows(c: &Connection, sql: &str) -> Vec<ValuesRow> {
        let mut st = c.prepare(sql).unwrap();
        st.query_map([], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
            ))
        })
        .unwrap()
        .collect::<rusqlite::Result<Vec<_>>>()
        .unwrap()
    }

    /// The values table holds exactly what the answers say, and every query of the table gives
    /// the rows, in the order, the reference gives (one page at a time, through the cursors).
    fn check_against_answers(c: &Connection, account_id: &str, form_id: &str, fields: &[&str]) {
        assert_eq!(
            values_rows(c, STORED_VALUES),
            values_rows(c, EXPECTED_VALUES),
            "the values table follows the answers"
        );
        let mut sorts = vec![
            SubmissionSortKey::CompletedAt,
            SubmissionSortKey::Respondent,
            SubmissionSortKey::Version,
            SubmissionSortKey::CasefileStatus,
            SubmissionSortKey::Reviewed,
            SubmissionSortKey::Field("no_such_field".into()),
        ];
        sorts.extend(fields.iter().map(|f| SubmissionSortKey::Field((*f).into())));
        let mut filter_sets: Vec<Vec<FieldFilter>> = vec![vec![]];
        for f in fields {
            let filter = |op, value: Option<&str>| FieldFilter {
                field: (*f).into(),
                op,
                value: value.map(Into::into),
            };
            filter_sets.push(vec![filter(FilterOp::NotEmpty, None)]);
            filter_sets.push(vec![filter(FilterOp::IsEmpty, None)]);
            for v in ["anna", "ÆRØ", "10", "", "a, b"] {
                filter_sets.push(vec![filter(FilterOp::Equals, Some(v))]);
            }
            for v in ["a", "Ø", "1", "%", ", "] {
                filter_sets.push(vec![filter(FilterOp::Contains, Some(v))]);
            }
        }
        filter_sets.push(vec![
            FieldFilter {
                field: fields[0].into(),
                op: FilterOp::NotEmpty,
                value: None,
            },
            FieldFilter {
                field: fields[fields.len() - 1].into(),
                op: FilterOp::Contains,
                value: Some("e".into()),
            },
        ]);
        let columns: Vec<String> = fields.iter().map(|f| (*f).to_string()).collect();
        let mut checked = 0;
        for sort in &sorts {
            for descending in [false, true] {
                for (i, filters) in filter_sets.iter().enumerate() {
                    let q = SubmissionQuery {
                        form_id: form_id.into(),
                        filters: filters.clone(),
                        sort: sort.clone(),
                        descending,
                        columns: columns.clone(),
                        // Every third query with the other conditions too.
                        reviewed: (i % 3 == 1).then_some(false),
                        completed_after: (i % 3 == 2).then(|| "2026-01-01T00:00:07Z".into()),
                        limit: Some(4),
                        ..Default::default()
                    };
                    let mut cursor = None;
                    loop {
                        let q = SubmissionQuery {
                            cursor: cursor.clone(),
                            // The view's count with the first page of every other query.
                            with_total: cursor.is_none() && i % 2 == 0,
                            ..q.clone()
                        };
                        let want = reference_list(c, account_id, &q).unwrap();
                        let got = list_submissions(c, account_id, &q).unwrap();
                        assert_eq!(got, want, "{q:?}");
                        checked += 1;
                        cursor = got.next_cursor;
                        if cursor.is_none() {
                            break;
                        }
                    }
                }
            }
        }
        assert!(checked >= sorts.len() * 2 * filter_sets.len());
    }

    /// A submission whose fields take values chosen to sort awkwardly: numbers as text, case,
    /// non-ASCII letters, empty text, no value, several instances.
    fn varied(form: &str, id: &str, n: u64, fields: &[&str]) -> SubmissionRecord {
        const VALUES: &[Option<&str>] = &[
            Some("10"),
            Some("9"),
            Some("anna"),
            Some("Anna"),
            Some("ANNA"),
            Some(""),
            None,
            Some("ærø"),
            Some("Ærø"),
            Some("zoë"),
            Some("a, b"),
            Some("100%"),
            Some("Bent"),
        ];
        let mut x = n
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let mut next = |m: usize| {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((x >> 33) as usize) % m
        };
        let mut answers = Vec::new();
        for f in fields {
            // Some submissions lack a field; some have it twice or three times.
            let instances = [0, 1, 1, 1, 2, 3][next(6)];
            for i in 0..instances {
                answers.push(AnswerRow {
                    section_slug: "s".into(),
                    instance_index: i,
                    field_name: (*f).into(),
                    label: Some((*f).into()),
                    field_type: Some("TEXT".into()),
                    value_text: VALUES[next(VALUES.len())].map(Into::into),
                });
            }
        }
        let names = ["anna", "Bent", "carla", "Ærø", "", "bent"];
        SubmissionRecord {
            submission_id: id.into(),
            form_id: form.into(),
            casefile_id: Some([1, 2, 3][next(3)]),
            request_id: None,
            version: Some([1, 2][next(2)]),
            completed_at: format!("2026-01-01T00:00:{:02}Z", next(15)),
            respondent_name: (next(7) > 0).then(|| names[next(names.len())].to_string()),
            respondent_email: None,
            answers_json: None,
            answers,
        }
    }

    fn seed_casefiles_and_reviews(c: &mut Connection) -> Result<()> {
        for (id, status) in [(1, 2), (2, 5)] {
            c.execute(
                "INSERT INTO casefiles (account_id, casefile_id, title, status, raw_json, synced_at) \
                 VALUES ('a', ?1, 't', ?2, '{}', 'x')",
                params![id, status],
            )?;
        }
        for id in ["v3", "v7", "v11"] {
            set_review(
                c,
                "a",
                id,
                &ReviewUpdate {
                    reviewed: Some(true),
                    ..Default::default()
                },
            )?;
        }
        Ok(())
    }

    #[test]
    fn values_follow_new_changed_and_deleted_submissions_and_new_fields() {
        let (_d, db) = open_temp();
        db.call_blocking(|c| {
            accounts::insert(c, &accounts::sample("a"))?;
            accounts::insert(c, &accounts::sample("b"))?;
            let v1 = ["name", "amount", "owner"];
            // Synced in two batches, as sync writes pages.
            let subs: Vec<_> = (0..24)
                .map(|i| varied("f1", &format!("v{i}"), i, &v1))
                .collect();
            upsert_submissions(c, "a", &subs[..10])?;
            upsert_submissions(c, "a", &subs[10..])?;
            // The same form id in another account, and another form: kept apart.
            upsert_submissions(c, "b", &[varied("f1", "v1", 99, &["name", "other"])])?;
            upsert_submissions(c, "a", &[varied("f2", "w1", 98, &["elsewhere"])])?;
            seed_casefiles_and_reviews(c)?;
            check_against_answers(c, "a", "f1", &v1);

            // Changed submissions: new values, a field gone, one moved to another form.
            let mut changed = varied("f1", "v3", 1003, &v1);
            changed.answers.retain(|a| a.field_name != "amount");
            upsert_submissions(
                c,
                "a",
                &[
                    changed,
                    varied("f1", "v4", 1004, &v1),
                    varied("f2", "v5", 1005, &v1),
                ],
            )?;
            check_against_answers(c, "a", "f1", &v1);
            check_against_answers(c, "a", "f2", &["elsewhere", "name", "amount", "owner"]);

            // A new version of the form: a field dropped, one added. The older submissions get
            // an empty value for the new field (so sorting by it lists them with the empties).
            let v2 = ["name", "owner", "added"];
            let newer: Vec<_> = (30..36)
                .map(|i| varied("f1", &format!("v{i}"), i, &v2))
                .collect();
            upsert_submissions(c, "a", &newer)?;
            let n: i64 = c.query_row(
                "SELECT count(*) FROM submission_values v JOIN form_fields f ON f.id = v.field_id \
                 WHERE f.account_id='a' AND f.form_id='f1' AND f.field_name='added' \
                 AND v.sort_text IS NULL",
                [],
                |r| r.get(0),
            )?;
            assert!(
                n >= 22,
                "older submissions have an empty value for the new field: {n}"
            );
            check_against_answers(c, "a", "f1", &["name", "amount", "owner", "added"]);

            // Deleted submissions take their values with them.
            c.execute(
                "DELETE FROM submissions WHERE account_id='a' AND submission_id IN ('v0','v31')",
                [],
            )?;
            check_against_answers(c, "a", "f1", &["name", "amount", "owner", "added"]);
            // The other account has a submission with the same id (two accounts on one Penneo
            // tenant): its values go with it, the first account's stay.
            accounts::delete(c, "b")?;
            check_against_answers(c, "a", "f1", &["name", "amount", "owner", "added"]);
            let left: i64 = c.query_row(
                "SELECT (SELECT count(*) FROM submission_values v \
                     WHERE NOT EXISTS (SELECT 1 FROM form_fields f WHERE f.id = v.field_id)) \
                   + (SELECT count(*) FROM form_fields WHERE account_id='b')",
                [],
                |r| r.get(0),
            )?;
            assert_eq!(left, 0);
            Ok(())
        })
        .unwrap();
    }

    #[test]
    fn migration_fills_values_from_an_existing_cache() {
        let mut c = Connection::open_in_memory().unwrap();
        c.pragma_update(None, "foreign_keys", "ON").unwrap();
        // A cache as the previous schema (6) left it, written the way its upsert wrote rows.
        for sql in &crate::db::schema::MIGRATIONS[..6] {
            c.execute_batch(sql).unwrap();
        }
        c.pragma_update(None, "user_version", 6).unwrap();
        accounts::insert(&c, &accounts::sample("a")).unwrap();
        let mut subs: Vec<_> = (0..20)
            .map(|i| varied("f1", &format!("v{i}"), i, &["name", "amount", "owner"]))
            .collect();
        subs.extend((20..26).map(|i| varied("f1", &format!("v{i}"), i, &["name", "added"])));
        subs.push(varied("f2", "w1", 77, &["elsewhere"]));
        for s in &subs {
            c.execute(
                "INSERT INTO submissions (account_id, submission_id, form_id, casefile_id, version, \
                   completed_at, respondent_name, synced_at) VALUES ('a',?1,?2,?3,?4,?5,?6,'x')",
                params![
                    s.submission_id,
                    s.form_id,
                    s.casefile_id,
                    s.version,
                    normalize_time(&s.completed_at),
                    s.respondent_name
                ],
            )
            .unwrap();
            for a in &s.answers {
                c.execute(
                    "INSERT INTO answers (account_id, submission_id, form_id, section_slug, \
                       instance_index, field_name, label, field_type, value_text) \
                     VALUES ('a',?1,?2,?3,?4,?5,?6,?7,?8)",
                    params![
                        s.submission_id,
                        s.form_id,
                        a.section_slug,
                        a.instance_index,
                        a.field_name,
                        a.label,
                        a.field_type,
                        a.value_text
                    ],
                )
                .unwrap();
            }
        }
        seed_casefiles_and_reviews(&mut c).unwrap();
        crate::db::migrate(&mut c).unwrap();
        let v: i64 = c
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(v, crate::db::schema::MIGRATIONS.len() as i64);
        let rows: i64 = c
            .query_row("SELECT count(*) FROM submission_values", [], |r| r.get(0))
            .unwrap();
        // 26 submissions of f1 × 4 field names, 1 of f2 × 1.
        assert_eq!(rows, 26 * 4 + 1);
        check_against_answers(&c, "a", "f1", &["name", "amount", "owner", "added"]);
        // And the upsert carries on from the migrated table.
        let tx = c.transaction().unwrap();
        upsert_in(&tx, "a", &[varied("f1", "v2", 500, &["name", "newest"])]).unwrap();
        tx.commit().unwrap();
        check_against_answers(
            &c,
            "a",
            "f1",
            &["name", "amount", "owner", "added", "newest"],
        );
    }

    /// How SQLite runs a page's selection.
    fn plan(c: &Connection, q: &SubmissionQuery) -> String {
        let (sql, args, _) = page_keys_sql(c, "a", q, Some((0, 500))).unwrap();
        let mut st = c.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap();
        st.query_map(rusqlite::params_from_iter(args.iter()), |r| {
            r.get::<_, String>(3)
        })
        .unwrap()
        .collect::<rusqlite::Result<Vec<_>>>()
        .unwrap()
        .join("\n")
    }

    #[test]
    fn a_first_page_walks_an_index_in_order() {
        let (_d, db) = open_temp();
        db.call_blocking(|c| {
            seed(c)?;
            let contains = FieldFilter {
                field: "owner".into(),
                op: FilterOp::Contains,
                value: Some("zo".into()),
            };
            let equals = FieldFilter {
                field: "company_name".into(),
                op: FilterOp::Equals,
                value: Some("acme aps".into()),
            };
            for descending in [false, true] {
                let q = SubmissionQuery {
                    form_id: "f1".into(),
                    sort: SubmissionSortKey::Field("company_name".into()),
                    filters: vec![contains.clone(), equals.clone()],
                    descending,
                    ..Default::default()
                };
                let p = plan(c, &q);
                assert!(
                    p.contains("USING COVERING INDEX submission_values_by_sort"),
                    "{p}"
                );
                assert!(!p.contains("TEMP B-TREE"), "{p}");
                // The conditions are read from the answers index, not answer by answer.
                assert!(p.contains("USING COVERING INDEX answers_by_field"), "{p}");
                let q = SubmissionQuery {
                    sort: SubmissionSortKey::CompletedAt,
                    ..q
                };
                let p = plan(c, &q);
                assert!(
                    p.contains("USING COVERING INDEX submissions_by_form"),
                    "{p}"
                );
                assert!(!p.contains("TEMP B-TREE"), "{p}");
            }
            Ok(())
        })
        .unwrap();
    }
}

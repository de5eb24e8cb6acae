//! Submissions, their answers as flat rows with an FTS5 index, and the local review state.

use std::collections::BTreeMap;

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
    let mut del_ans =
        tx.prepare_cached("DELETE FROM answers WHERE account_id=?1 AND submission_id=?2")?;
    let mut ins_ans = tx.prepare_cached(
        "INSERT INTO answers (account_id, submission_id, form_id, section_slug, instance_index, \
           field_name, label, field_type, value_text) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9)",
    )?;
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
        del_ans.execute(params![account_id, s.submission_id])?;
        for a in &s.answers {
            ins_ans.execute(params![
                account_id,
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
    Ok(())
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

const FIELD_VALUE: &str = "(SELECT group_concat(a.value_text, ', ') FROM answers a \
    WHERE a.account_id = s.account_id AND a.submission_id = s.submission_id AND a.field_name = ?)";

pub fn list_submissions(
    c: &Connection,
    account_id: &str,
    q: &SubmissionQuery,
) -> Result<Page<SubmissionRow>> {
    if q.form_id.is_empty() {
        return Err(DeskError::invalid_field("formId", "Choose a form"));
    }
    let offset = decode_cursor(q.cursor.as_deref())?;
    let limit = clamp_limit(q.limit, 200, 5000);
    let mut args: Vec<Box<dyn rusqlite::ToSql>> = Vec::new();
    let mut sql = format!("SELECT {ROW_COLS}");
    for col in &q.columns {
        sql.push_str(", ");
        sql.push_str(FIELD_VALUE);
        args.push(Box::new(col.clone()));
    }
    sql.push(' ');
    sql.push_str(ROW_FROM);
    sql.push_str(" WHERE s.account_id = ? AND s.form_id = ?");
    args.push(Box::new(account_id.to_string()));
    args.push(Box::new(q.form_id.clone()));
    if let Some(after) = &q.completed_after {
        sql.push_str(" AND s.completed_at > ?");
        args.push(Box::new(normalize_time(after)));
    }
    if let Some(before) = &q.completed_before {
        sql.push_str(" AND s.completed_at < ?");
        args.push(Box::new(normalize_time(before)));
    }
    if let Some(reviewed) = q.reviewed {
        sql.push_str(" AND coalesce(r.reviewed, 0) = ?");
        args.push(Box::new(reviewed));
    }
    if let Some(flagged) = q.flagged {
        sql.push_str(" AND coalesce(r.flagged, 0) = ?");
        args.push(Box::new(flagged));
    }
    for f in &q.filters {
        let exists = "EXISTS (SELECT 1 FROM answers a WHERE a.account_id = s.account_id \
            AND a.submission_id = s.submission_id AND a.field_name = ?";
        match f.op {
            FilterOp::Equals => {
                let v = f.value.clone().ok_or_else(|| {
                    DeskError::invalid_field(
                        format!("filters.{}", f.field),
                        "Enter a value to match",
                    )
                })?;
                sql.push_str(&format!(
                    " AND {exists} AND a.value_text = ? COLLATE NOCASE)"
                ));
                args.push(Box::new(f.field.clone()));
                args.push(Box::new(v));
            }
            FilterOp::Contains => {
                let v = f.value.clone().unwrap_or_default();
                sql.push_str(&format!(
                    " AND {exists} AND a.value_text LIKE ? ESCAPE '\\')"
                ));
                args.push(Box::new(f.field.clone()));
                args.push(Box::new(format!("%{}%", like_escape(&v))));
            }
            FilterOp::NotEmpty => {
                sql.push_str(&format!(
                    " AND {exists} AND a.value_text IS NOT NULL AND a.value_text <> '')"
                ));
                args.push(Box::new(f.field.clone()));
            }
            FilterOp::IsEmpty => {
                sql.push_str(&format!(
                    " AND NOT {exists} AND a.value_text IS NOT NULL AND a.value_text <> '')"
                ));
                args.push(Box::new(f.field.clone()));
            }
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
            args.push(Box::new(name.clone()));
            "(SELECT min(a.value_text) FROM answers a WHERE a.account_id = s.account_id \
              AND a.submission_id = s.submission_id AND a.field_name = ?) COLLATE NOCASE"
                .to_string()
        }
    };
    sql.push_str(&format!(
        " ORDER BY {order} {dir}, s.submission_id {dir} LIMIT ? OFFSET ?"
    ));
    args.push(Box::new(limit + 1));
    args.push(Box::new(offset));
    let mut st = c.prepare(&sql)?;
    let rows = st.query_map(rusqlite::params_from_iter(args.iter()), |r| {
        read_row(r, &q.columns)
    })?;
    let rows = rows.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(make_page(rows, offset, limit))
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

    fn ids(p: &Page<SubmissionRow>) -> Vec<&str> {
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
            Ok(())
        })
        .unwrap();
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
}

//! Cached casefiles with their signers, documents and files.

use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::db::{clamp_limit, decode_cursor, like_escape, make_page, normalize_time, now, Page};
use crate::error::{DeskError, Result};
use penneo::SignerState;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SignerRecord {
    pub signer_id: i64,
    pub name: Option<String>,
    /// From the signer's signing request.
    pub email: Option<String>,
    /// From the signer's signature lines.
    pub role: Option<String>,
    /// What `status_code` means; `None` until the account's numbering has been learned (the
    /// UI then shows a neutral label and the raw code).
    pub status: Option<SignerState>,
    /// `signingRequest.status` as Penneo sent it.
    pub status_code: Option<i64>,
    /// `signingRequest.id`: for the signing link and reminders.
    pub signing_request_id: Option<i64>,
    /// From the signer's signature lines.
    pub signing_order: Option<i64>,
    pub signed_at: Option<String>,
    pub raw: Value,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct DocumentRecord {
    pub document_id: i64,
    pub title: Option<String>,
    /// "signable" or "attachment".
    pub doc_type: Option<String>,
    #[cfg_attr(feature = "specta", specta(type = Option<i64>))]
    pub status: Option<penneo::DocumentStatus>,
    pub doc_order: Option<i64>,
    pub raw: Value,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct CasefileRecord {
    pub casefile_id: i64,
    pub title: String,
    pub reference: Option<String>,
    /// On the wire Penneo's code: 0 new, 1 pending, 2 rejected, 3 deleted, 4 signed,
    /// 5 completed, 6 failed, 7 expired, 8 anonymized.
    #[cfg_attr(feature = "specta", specta(type = i64))]
    pub status: penneo::CasefileStatus,
    pub language: Option<String>,
    pub created_at: Option<String>,
    pub updated_at: Option<String>,
    pub sent_at: Option<String>,
    pub expire_at: Option<String>,
    pub completed_at: Option<String>,
    pub signers: Vec<SignerRecord>,
    pub documents: Vec<DocumentRecord>,
    pub raw: Value,
    #[serde(default)]
    pub synced_at: String,
}

/// A casefile in the list, with signer counts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct CasefileSummary {
    pub casefile_id: i64,
    pub title: String,
    pub reference: Option<String>,
    /// Penneo's code on the wire (see [`CasefileRecord::status`]).
    #[cfg_attr(feature = "specta", specta(type = i64))]
    pub status: penneo::CasefileStatus,
    pub created_at: Option<String>,
    pub updated_at: Option<String>,
    pub expire_at: Option<String>,
    pub signer_count: i64,
    pub signed_count: i64,
    pub synced_at: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub enum CasefileDateField {
    Created,
    #[default]
    Updated,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct CasefileQuery {
    /// Penneo's codes on the wire.
    #[cfg_attr(feature = "specta", specta(type = Vec<i64>))]
    pub statuses: Vec<penneo::CasefileStatus>,
    pub date_field: CasefileDateField,
    /// Inclusive bounds on the chosen date.
    pub from: Option<String>,
    pub to: Option<String>,
    /// Matches title or reference.
    pub search: Option<String>,
    /// Oldest first when true; newest first by default.
    pub ascending: bool,
    pub limit: Option<u32>,
    pub cursor: Option<String>,
}

pub fn upsert_casefiles(
    c: &mut Connection,
    account_id: &str,
    list: &[CasefileRecord],
) -> Result<()> {
    // The numbering as stored now (it may have been learned since the records were made).
    let scheme = signer_status_scheme(c, account_id)?;
    let tx = c.transaction()?;
    let synced = now();
    for cf in list {
        tx.execute(
            "INSERT INTO casefiles (account_id, casefile_id, title, reference, status, language, \
               created_at, updated_at, sent_at, expire_at, completed_at, raw_json, synced_at) \
             VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13) \
             ON CONFLICT(account_id, casefile_id) DO UPDATE SET title=excluded.title, \
               reference=excluded.reference, status=excluded.status, language=excluded.language, \
               created_at=excluded.created_at, updated_at=excluded.updated_at, sent_at=excluded.sent_at, \
               expire_at=excluded.expire_at, completed_at=excluded.completed_at, \
               raw_json=excluded.raw_json, synced_at=excluded.synced_at",
            params![
                account_id,
                cf.casefile_id,
                cf.title,
                cf.reference,
                cf.status.code(),
                cf.language,
                cf.created_at.as_deref().map(normalize_time),
                cf.updated_at.as_deref().map(normalize_time),
                cf.sent_at.as_deref().map(normalize_time),
                cf.expire_at.as_deref().map(normalize_time),
                cf.completed_at.as_deref().map(normalize_time),
                serde_json::to_string(&cf.raw)?,
                synced
            ],
        )?;
        tx.execute(
            "DELETE FROM casefile_signers WHERE account_id=?1 AND casefile_id=?2",
            params![account_id, cf.casefile_id],
        )?;
        tx.execute(
            "DELETE FROM casefile_documents WHERE account_id=?1 AND casefile_id=?2",
            params![account_id, cf.casefile_id],
        )?;
        for s in &cf.signers {
            tx.execute(
                "INSERT INTO casefile_signers (account_id, casefile_id, signer_id, name, email, role, \
                   status, signing_order, signed_at, raw_json, status_code, signing_request_id) \
                 VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12)",
                params![
                    account_id,
                    cf.casefile_id,
                    s.signer_id,
                    s.name,
                    s.email,
                    s.role,
                    s.status
                        .or_else(|| SignerState::from_code(scheme, s.status_code))
                        .map(|x| x.as_str()),
                    s.signing_order,
                    s.signed_at,
                    serde_json::to_string(&s.raw)?,
                    s.status_code,
                    s.signing_request_id
                ],
            )?;
        }
        for d in &cf.documents {
            tx.execute(
                "INSERT INTO casefile_documents (account_id, casefile_id, document_id, title, doc_type, \
                   status, doc_order, raw_json) VALUES (?1,?2,?3,?4,?5,?6,?7,?8)",
                params![
                    account_id,
                    cf.casefile_id,
                    d.document_id,
                    d.title,
                    d.doc_type,
                    d.status.map(|s| s.code()),
                    d.doc_order,
                    serde_json::to_string(&d.raw)?
                ],
            )?;
        }
    }
    tx.commit()?;
    Ok(())
}

/// The signer status numbering learned for an account, if any.
pub fn signer_status_scheme(
    c: &Connection,
    account_id: &str,
) -> Result<Option<penneo::SignerStatusScheme>> {
    let v: Option<Option<String>> = c
        .query_row(
            "SELECT signer_status_scheme FROM accounts WHERE id=?1",
            [account_id],
            |r| r.get(0),
        )
        .optional()?;
    Ok(v.flatten()
        .and_then(|s| penneo::SignerStatusScheme::parse(&s)))
}

/// Records the numbering learned for an account and gives every cached signer of the account
/// the status its raw code means under it.
pub fn set_signer_status_scheme(
    c: &mut Connection,
    account_id: &str,
    scheme: penneo::SignerStatusScheme,
) -> Result<()> {
    let tx = c.transaction()?;
    tx.execute(
        "UPDATE accounts SET signer_status_scheme=?2 WHERE id=?1",
        params![account_id, scheme.as_str()],
    )?;
    let rows: Vec<(i64, i64, Option<i64>)> = {
        let mut st = tx.prepare(
            "SELECT casefile_id, signer_id, status_code FROM casefile_signers WHERE account_id=?1",
        )?;
        let it = st.query_map([account_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        it.collect::<std::result::Result<_, _>>()?
    };
    for (cf, sid, code) in rows {
        let status = SignerState::from_code(Some(scheme), code).map(|s| s.as_str());
        tx.execute(
            "UPDATE casefile_signers SET status=?4 WHERE account_id=?1 AND casefile_id=?2 AND signer_id=?3",
            params![account_id, cf, sid, status],
        )?;
    }
    tx.commit()?;
    Ok(())
}

pub fn get_casefile(
    c: &Connection,
    account_id: &str,
    casefile_id: i64,
) -> Result<Option<CasefileRecord>> {
    let found = c
        .query_row(
            "SELECT casefile_id, title, reference, status, language, created_at, updated_at, sent_at, \
               expire_at, completed_at, raw_json, synced_at FROM casefiles \
             WHERE account_id=?1 AND casefile_id=?2",
            params![account_id, casefile_id],
            |r| {
                Ok((
                    CasefileRecord {
                        casefile_id: r.get(0)?,
                        title: r.get(1)?,
                        reference: r.get(2)?,
                        status: r.get::<_, i64>(3)?.into(),
                        language: r.get(4)?,
                        created_at: r.get(5)?,
                        updated_at: r.get(6)?,
                        sent_at: r.get(7)?,
                        expire_at: r.get(8)?,
                        completed_at: r.get(9)?,
                        signers: Vec::new(),
                        documents: Vec::new(),
                        raw: Value::Null,
                        synced_at: r.get(11)?,
                    },
                    r.get::<_, String>(10)?,
                ))
            },
        )
        .optional()?;
    let Some((mut cf, raw)) = found else {
        return Ok(None);
    };
    cf.raw = serde_json::from_str(&raw)?;
    let mut st = c.prepare_cached(
        "SELECT signer_id, name, email, role, status, signing_order, signed_at, raw_json, \
           status_code, signing_request_id \
         FROM casefile_signers WHERE account_id=?1 AND casefile_id=?2 ORDER BY signing_order, signer_id",
    )?;
    let rows = st.query_map(params![account_id, casefile_id], |r| {
        Ok((
            SignerRecord {
                signer_id: r.get(0)?,
                name: r.get(1)?,
                email: r.get(2)?,
                role: r.get(3)?,
                status: r
                    .get::<_, Option<String>>(4)?
                    .map(|s| SignerState::parse(&s)),
                status_code: r.get(8)?,
                signing_request_id: r.get(9)?,
                signing_order: r.get(5)?,
                signed_at: r.get(6)?,
                raw: Value::Null,
            },
            r.get::<_, String>(7)?,
        ))
    })?;
    for row in rows {
        let (mut s, raw) = row?;
        s.raw = serde_json::from_str(&raw)?;
        cf.signers.push(s);
    }
    let mut st = c.prepare_cached(
        "SELECT document_id, title, doc_type, status, doc_order, raw_json FROM casefile_documents \
         WHERE account_id=?1 AND casefile_id=?2 ORDER BY doc_order, document_id",
    )?;
    let rows = st.query_map(params![account_id, casefile_id], |r| {
        Ok((
            DocumentRecord {
                document_id: r.get(0)?,
                title: r.get(1)?,
                doc_type: r.get(2)?,
                status: r.get::<_, Option<i64>>(3)?.map(Into::into),
                doc_order: r.get(4)?,
                raw: Value::Null,
            },
            r.get::<_, String>(5)?,
        ))
    })?;
    for row in rows {
        let (mut d, raw) = row?;
        d.raw = serde_json::from_str(&raw)?;
        cf.documents.push(d);
    }
    Ok(Some(cf))
}

pub fn find_by_reference(c: &Connection, account_id: &str, reference: &str) -> Result<Option<i64>> {
    Ok(c.query_row(
        "SELECT casefile_id FROM casefiles WHERE account_id=?1 AND reference=?2 \
         ORDER BY casefile_id LIMIT 1",
        params![account_id, reference],
        |r| r.get(0),
    )
    .optional()?)
}

pub fn list_casefiles(
    c: &Connection,
    account_id: &str,
    q: &CasefileQuery,
) -> Result<Page<CasefileSummary>> {
    let offset = decode_cursor(q.cursor.as_deref())?;
    let limit = clamp_limit(q.limit, 200, 1000);
    let mut sql = String::from(
        "SELECT cf.casefile_id, cf.title, cf.reference, cf.status, cf.created_at, cf.updated_at, \
           cf.expire_at, \
           (SELECT count(*) FROM casefile_signers s WHERE s.account_id=cf.account_id AND s.casefile_id=cf.casefile_id), \
           (SELECT count(*) FROM casefile_signers s WHERE s.account_id=cf.account_id AND s.casefile_id=cf.casefile_id AND s.status='signed'), \
           cf.synced_at \
         FROM casefiles cf WHERE cf.account_id = ?",
    );
    let mut args: Vec<Box<dyn rusqlite::ToSql>> = vec![Box::new(account_id.to_string())];
    if !q.statuses.is_empty() {
        sql.push_str(" AND cf.status IN (");
        for (i, s) in q.statuses.iter().enumerate() {
            sql.push_str(if i == 0 { "?" } else { ",?" });
            args.push(Box::new(s.code()));
        }
        sql.push(')');
    }
    let date_col = match q.date_field {
        CasefileDateField::Created => "cf.created_at",
        CasefileDateField::Updated => "cf.updated_at",
    };
    if let Some(from) = &q.from {
        sql.push_str(&format!(" AND {date_col} >= ?"));
        args.push(Box::new(normalize_time(from)));
    }
    if let Some(to) = &q.to {
        sql.push_str(&format!(" AND {date_col} <= ?"));
        args.push(Box::new(normalize_time(to)));
    }
    if let Some(s) = q.search.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        sql.push_str(" AND (cf.title LIKE ? ESCAPE '\\' OR cf.reference LIKE ? ESCAPE '\\')");
        let pat = format!("%{}%", like_escape(s));
        args.push(Box::new(pat.clone()));
        args.push(Box::new(pat));
    }
    let dir = if q.ascending { "ASC" } else { "DESC" };
    sql.push_str(&format!(
        " ORDER BY {date_col} {dir}, cf.casefile_id {dir} LIMIT ? OFFSET ?"
    ));
    args.push(Box::new(limit + 1));
    args.push(Box::new(offset));
    let mut st = c.prepare(&sql)?;
    let rows = st
        .query_map(rusqlite::params_from_iter(args.iter()), |r| {
            Ok(CasefileSummary {
                casefile_id: r.get(0)?,
                title: r.get(1)?,
                reference: r.get(2)?,
                status: r.get::<_, i64>(3)?.into(),
                created_at: r.get(4)?,
                updated_at: r.get(5)?,
                expire_at: r.get(6)?,
                signer_count: r.get(7)?,
                signed_count: r.get(8)?,
                synced_at: r.get(9)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(make_page(rows, offset, limit))
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct CasefileFileRecord {
    pub casefile_id: i64,
    pub file_id: String,
    pub filename: String,
    pub size: Option<i64>,
    pub content_type: Option<String>,
    pub created_at: Option<String>,
}

pub fn replace_files(
    c: &mut Connection,
    account_id: &str,
    casefile_id: i64,
    files: &[CasefileFileRecord],
) -> Result<()> {
    let tx = c.transaction()?;
    tx.execute(
        "DELETE FROM casefile_files WHERE account_id=?1 AND casefile_id=?2",
        params![account_id, casefile_id],
    )?;
    let ts = now();
    for f in files {
        tx.execute(
            "INSERT INTO casefile_files (account_id, casefile_id, file_id, filename, size, content_type, \
               created_at, synced_at) VALUES (?1,?2,?3,?4,?5,?6,?7,?8)",
            params![account_id, casefile_id, f.file_id, f.filename, f.size, f.content_type, f.created_at, ts],
        )?;
    }
    tx.commit()?;
    Ok(())
}

pub fn list_files(
    c: &Connection,
    account_id: &str,
    casefile_id: i64,
) -> Result<Vec<CasefileFileRecord>> {
    let mut st = c.prepare_cached(
        "SELECT casefile_id, file_id, filename, size, content_type, created_at FROM casefile_files \
         WHERE account_id=?1 AND casefile_id=?2 ORDER BY filename, file_id",
    )?;
    let rows = st
        .query_map(params![account_id, casefile_id], |r| {
            Ok(CasefileFileRecord {
                casefile_id: r.get(0)?,
                file_id: r.get(1)?,
                filename: r.get(2)?,
                size: r.get(3)?,
                content_type: r.get(4)?,
                created_at: r.get(5)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// A casefile being prepared on this computer, kept until Penneo has made it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct CasefileDraftRecord {
    /// Local id chosen by the editor; stable across saves.
    pub id: String,
    /// The editor's draft of the `caseFile` object as it is (not yet checked: the send checks
    /// it). Keys only the editor uses (a signer's or document's local id, a document's checked
    /// file) ride in the `extra` maps.
    pub draft: penneo::CaseFileSpec,
    /// When it was last saved here.
    pub updated_at: String,
}

/// A draft holds titles, names and paths, never file contents: anything near this size is a
/// mistake, not a casefile.
pub const MAX_CASEFILE_DRAFT_BYTES: usize = 2 * 1024 * 1024;

/// Keeps (inserts or replaces) a casefile draft of the account.
pub fn save_casefile_draft(
    c: &Connection,
    account_id: &str,
    id: &str,
    draft: &penneo::CaseFileSpec,
) -> Result<CasefileDraftRecord> {
    let id = id.trim();
    if id.is_empty() || id.len() > 200 || id.chars().any(char::is_control) {
        return Err(DeskError::invalid_field(
            "draftId",
            "A casefile draft needs an id of 1 to 200 printable characters.",
        ));
    }
    let json = serde_json::to_string(draft)?;
    if json.len() > MAX_CASEFILE_DRAFT_BYTES {
        return Err(DeskError::invalid_field(
            "draft",
            format!(
                "This draft is {} KB; a casefile draft is kept up to {} KB. Remove what was pasted into a text field by mistake.",
                json.len() / 1024,
                MAX_CASEFILE_DRAFT_BYTES / 1024
            ),
        ));
    }
    let ts = now();
    c.execute(
        "INSERT INTO casefile_drafts (id, account_id, draft_json, updated_at) VALUES (?1,?2,?3,?4) \
         ON CONFLICT(account_id, id) DO UPDATE SET draft_json=excluded.draft_json, updated_at=excluded.updated_at",
        params![id, account_id, json, ts],
    )?;
    Ok(CasefileDraftRecord {
        id: id.to_string(),
        draft: draft.clone(),
        updated_at: ts,
    })
}

/// The account's casefile drafts, newest first.
pub fn list_casefile_drafts(c: &Connection, account_id: &str) -> Result<Vec<CasefileDraftRecord>> {
    let mut st = c.prepare(
        "SELECT id, draft_json, updated_at FROM casefile_drafts WHERE account_id=?1 \
         ORDER BY updated_at DESC, id",
    )?;
    let rows = st
        .query_map([account_id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    // A draft kept by an older version in a shape the model no longer reads is left out (and
    // stays in the database) rather than hiding every other draft.
    Ok(rows
        .into_iter()
        .filter_map(|(id, json, updated_at)| match serde_json::from_str(&json) {
            Ok(draft) => Some(CasefileDraftRecord {
                id,
                draft,
                updated_at,
            }),
            Err(e) => {
                tracing::warn!(draft = %id, error = %e, "left out a casefile draft that no longer reads");
                None
            }
        })
        .collect())
}

/// Forgets a casefile draft (sent, or discarded by the user). Forgetting one that is not
/// there is not an error: the editor may remove a draft twice.
pub fn delete_casefile_draft(c: &Connection, account_id: &str, id: &str) -> Result<()> {
    c.execute(
        "DELETE FROM casefile_drafts WHERE account_id=?1 AND id=?2",
        params![account_id, id],
    )?;
    Ok(())
}

#[cfg(test)]
pub(crate) fn sample_casefile(
    id: i64,
    title: &str,
    reference: Option<&str>,
    status: penneo::CasefileStatus,
    updated: &str,
) -> CasefileRecord {
    CasefileRecord {
        casefile_id: id,
        title: title.into(),
        reference: reference.map(str::to_string),
        status,
        language: Some("en".into()),
        created_at: Some(updated.into()),
        updated_at: Some(updated.into()),
        sent_at: None,
        expire_at: None,
        completed_at: None,
        signers: vec![
            SignerRecord {
                signer_id: 1,
                name: Some("A".into()),
                email: Some("a@x.dk".into()),
                role: Some("signer".into()),
                status: Some(SignerState::Signed),
                status_code: Some(4),
                signing_request_id: Some(101),
                signing_order: Some(1),
                signed_at: None,
                raw: serde_json::json!({"id": 1}),
            },
            SignerRecord {
                signer_id: 2,
                name: Some("B".into()),
                email: Some("b@x.dk".into()),
                role: Some("signer".into()),
                status: Some(SignerState::Sent),
                status_code: Some(1),
                signing_request_id: Some(102),
                signing_order: Some(2),
                signed_at: None,
                raw: serde_json::json!({"id": 2}),
            },
        ],
        documents: vec![DocumentRecord {
            document_id: 10,
            title: Some("Letter".into()),
            doc_type: Some("signable".into()),
            status: Some(penneo::DocumentStatus::Pending),
            doc_order: Some(0),
            raw: serde_json::json!({"id": 10}),
        }],
        raw: serde_json::json!({"id": id, "title": title}),
        synced_at: String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::accounts;
    use crate::db::test_util::open_temp;

    #[test]
    fn casefile_drafts_are_kept_per_account_newest_first() {
        let (_d, db) = open_temp();
        db.call_blocking(|c| {
            accounts::insert(c, &accounts::sample("a"))?;
            accounts::insert(c, &accounts::sample("b"))?;
            let draft = |v: serde_json::Value| -> penneo::CaseFileSpec { serde_json::from_value(v).unwrap() };
            let one = draft(serde_json::json!({"title": "Engagement letter", "signers": [], "documents": []}));
            save_casefile_draft(c, "a", "d1", &one)?;
            std::thread::sleep(std::time::Duration::from_millis(2));
            save_casefile_draft(c, "a", "d2", &draft(serde_json::json!({"title": "NDA", "signers": [], "documents": []})))?;
            std::thread::sleep(std::time::Duration::from_millis(2));
            // Saving again replaces the draft and makes it the newest; the editor's own keys stay.
            let again = draft(serde_json::json!({"title": "Engagement letter 2026", "signers": [{"name": "Ida", "localId": "s1"}], "documents": []}));
            let saved = save_casefile_draft(c, "a", "d1", &again)?;
            let list = list_casefile_drafts(c, "a")?;
            assert_eq!(list.iter().map(|d| d.id.as_str()).collect::<Vec<_>>(), ["d1", "d2"]);
            assert_eq!(list[0], saved);
            assert_eq!(list[0].draft, again);
            assert_eq!(list[0].draft.signers[0].extra["localId"], "s1");
            // A row an older version kept in a shape that no longer reads is left out.
            c.execute(
                "INSERT INTO casefile_drafts (id, account_id, draft_json, updated_at) VALUES ('old','a','[1]','2000-01-01')",
                [],
            )?;
            assert_eq!(list_casefile_drafts(c, "a")?.len(), 2);
            c.execute("DELETE FROM casefile_drafts WHERE id='old'", [])?;
            // Another account sees none of them.
            assert!(list_casefile_drafts(c, "b")?.is_empty());
            delete_casefile_draft(c, "b", "d1")?;
            assert_eq!(list_casefile_drafts(c, "a")?.len(), 2);
            delete_casefile_draft(c, "a", "d1")?;
            delete_casefile_draft(c, "a", "d1")?;
            assert_eq!(list_casefile_drafts(c, "a")?.len(), 1);
            Ok(())
        })
        .unwrap();
    }

    #[test]
    fn a_casefile_draft_without_id_shape_or_bound_is_refused_at_its_field() {
        let (_d, db) = open_temp();
        db.call_blocking(|c| {
            accounts::insert(c, &accounts::sample("a"))?;
            let field = |r: Result<CasefileDraftRecord>| r.unwrap_err().field().map(str::to_string);
            let ok = penneo::CaseFileSpec::default();
            assert_eq!(
                field(save_casefile_draft(c, "a", " ", &ok)).as_deref(),
                Some("draftId")
            );
            assert_eq!(
                field(save_casefile_draft(c, "a", "a\nb", &ok)).as_deref(),
                Some("draftId")
            );
            let huge = penneo::CaseFileSpec {
                title: "x".repeat(MAX_CASEFILE_DRAFT_BYTES),
                ..Default::default()
            };
            assert_eq!(
                field(save_casefile_draft(c, "a", "d", &huge)).as_deref(),
                Some("draft")
            );
            assert!(list_casefile_drafts(c, "a")?.is_empty());
            Ok(())
        })
        .unwrap();
    }

    #[test]
    fn list_filters_search_and_detail() {
        use penneo::CasefileStatus::{Completed, Pending, Rejected};
        let (_d, db) = open_temp();
        db.call_blocking(|c| {
            accounts::insert(c, &accounts::sample("a"))?;
            upsert_casefiles(
                c,
                "a",
                &[
                    sample_casefile(
                        1,
                        "Engagement letter 2026",
                        Some("ENG-1"),
                        Pending,
                        "2026-01-01T00:00:00Z",
                    ),
                    sample_casefile(
                        2,
                        "Employment contract",
                        Some("HR_7"),
                        Completed,
                        "2026-01-05T00:00:00Z",
                    ),
                    sample_casefile(3, "NDA", None, Rejected, "2026-01-03T00:00:00Z"),
                ],
            )?;
            let all = list_casefiles(c, "a", &CasefileQuery::default())?;
            assert_eq!(
                all.result.iter().map(|c| c.casefile_id).collect::<Vec<_>>(),
                [2, 3, 1]
            );
            assert_eq!(
                (all.result[0].signer_count, all.result[0].signed_count),
                (2, 1)
            );
            let q = CasefileQuery {
                statuses: vec![Pending, Rejected],
                ..Default::default()
            };
            assert_eq!(list_casefiles(c, "a", &q)?.result.len(), 2);
            let q = CasefileQuery {
                search: Some("hr_".into()),
                ..Default::default()
            };
            assert_eq!(list_casefiles(c, "a", &q)?.result[0].casefile_id, 2);
            let q = CasefileQuery {
                search: Some("letter".into()),
                ..Default::default()
            };
            assert_eq!(list_casefiles(c, "a", &q)?.result[0].casefile_id, 1);
            let q = CasefileQuery {
                from: Some("2026-01-02T00:00:00Z".into()),
                to: Some("2026-01-04T00:00:00Z".into()),
                ..Default::default()
            };
            assert_eq!(
                list_casefiles(c, "a", &q)?
                    .result
                    .iter()
                    .map(|c| c.casefile_id)
                    .collect::<Vec<_>>(),
                [3]
            );
            assert_eq!(find_by_reference(c, "a", "HR_7")?, Some(2));
            assert_eq!(find_by_reference(c, "a", "nope")?, None);

            // An update replaces signers.
            let mut cf = sample_casefile(
                1,
                "Engagement letter 2026",
                Some("ENG-1"),
                Completed,
                "2026-01-06T00:00:00Z",
            );
            cf.signers.truncate(1);
            upsert_casefiles(c, "a", &[cf])?;
            let got = get_casefile(c, "a", 1)?.unwrap();
            assert_eq!(got.status, Completed);
            assert_eq!(got.signers.len(), 1);
            assert_eq!(got.documents[0].raw["id"], 10);

            replace_files(
                c,
                "a",
                1,
                &[CasefileFileRecord {
                    casefile_id: 1,
                    file_id: "f".into(),
                    filename: "id.pdf".into(),
                    size: Some(3),
                    content_type: None,
                    created_at: None,
                }],
            )?;
            assert_eq!(list_files(c, "a", 1)?.len(), 1);
            // Removing the account removes its cache.
            accounts::delete(c, "a")?;
            let n: i64 = c.query_row("SELECT count(*) FROM casefile_signers", [], |r| r.get(0))?;
            assert_eq!(n, 0);
            Ok(())
        })
        .unwrap();
    }
}

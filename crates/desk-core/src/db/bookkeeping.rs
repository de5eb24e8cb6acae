//! The app's bookkeeping of its own work: sync watermarks, the downloads it made, and the
//! Send jobs it started.

use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

use crate::db::now;
use crate::error::Result;

/// Scope names of sync watermarks.
pub fn form_scope(form_id: &str) -> String {
    format!("submissions:{form_id}")
}
pub const SCOPE_FORMS: &str = "forms";
pub const SCOPE_CASEFILES: &str = "casefiles";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SyncState {
    pub scope: String,
    /// `completedAfter` / `updatedAfter` to send next time, as the server wrote it.
    pub watermark: Option<String>,
    pub last_synced_at: String,
}

pub fn get_sync(c: &Connection, account_id: &str, scope: &str) -> Result<Option<SyncState>> {
    Ok(c.query_row(
        "SELECT scope, watermark, last_synced_at FROM sync_state WHERE account_id=?1 AND scope=?2",
        params![account_id, scope],
        |r| {
            Ok(SyncState {
                scope: r.get(0)?,
                watermark: r.get(1)?,
                last_synced_at: r.get(2)?,
            })
        },
    )
    .optional()?)
}

/// Record a finished sync; a `None` watermark keeps the previous one.
pub fn set_sync(
    c: &Connection,
    account_id: &str,
    scope: &str,
    watermark: Option<&str>,
) -> Result<()> {
    c.execute(
        "INSERT INTO sync_state (account_id, scope, watermark, last_synced_at) VALUES (?1,?2,?3,?4) \
         ON CONFLICT(account_id, scope) DO UPDATE SET \
           watermark = coalesce(excluded.watermark, sync_state.watermark), \
           last_synced_at = excluded.last_synced_at",
        params![account_id, scope, watermark, now()],
    )?;
    Ok(())
}

pub fn list_sync(c: &Connection, account_id: &str) -> Result<Vec<SyncState>> {
    let mut st = c.prepare(
        "SELECT scope, watermark, last_synced_at FROM sync_state WHERE account_id=?1 ORDER BY scope",
    )?;
    let rows = st
        .query_map([account_id], |r| {
            Ok(SyncState {
                scope: r.get(0)?,
                watermark: r.get(1)?,
                last_synced_at: r.get(2)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct DownloadRecord {
    pub id: String,
    /// "document" or "casefileFile".
    pub kind: String,
    pub casefile_id: Option<i64>,
    pub source_id: String,
    pub path: String,
    pub size: i64,
    pub sha256: String,
    pub created_at: String,
}

pub fn insert_download(c: &Connection, account_id: &str, d: &DownloadRecord) -> Result<()> {
    c.execute(
        "INSERT INTO downloads (id, account_id, kind, casefile_id, source_id, path, size, sha256, created_at) \
         VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9)",
        params![d.id, account_id, d.kind, d.casefile_id, d.source_id, d.path, d.size, d.sha256, d.created_at],
    )?;
    Ok(())
}

pub fn list_downloads(
    c: &Connection,
    account_id: &str,
    casefile_id: Option<i64>,
) -> Result<Vec<DownloadRecord>> {
    let mut st = c.prepare(
        "SELECT id, kind, casefile_id, source_id, path, size, sha256, created_at FROM downloads \
         WHERE account_id=?1 AND (?2 IS NULL OR casefile_id=?2) ORDER BY created_at DESC",
    )?;
    let rows = st
        .query_map(params![account_id, casefile_id], |r| {
            Ok(DownloadRecord {
                id: r.get(0)?,
                kind: r.get(1)?,
                casefile_id: r.get(2)?,
                source_id: r.get(3)?,
                path: r.get(4)?,
                size: r.get(5)?,
                sha256: r.get(6)?,
                created_at: r.get(7)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct JobRecord {
    pub uuid: String,
    pub outbox_id: Option<String>,
    pub payload_hash: String,
    /// pending / processing / completed / failed / aborted_duplicated on the wire.
    #[cfg_attr(feature = "specta", specta(type = String))]
    pub status: penneo::JobStatus,
    pub casefile_id: Option<i64>,
    pub error_message: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

pub fn upsert_job(c: &Connection, account_id: &str, j: &JobRecord) -> Result<()> {
    c.execute(
        "INSERT INTO jobs (uuid, account_id, outbox_id, payload_hash, status, casefile_id, error_message, \
           created_at, updated_at) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9) \
         ON CONFLICT(uuid) DO UPDATE SET status=excluded.status, casefile_id=excluded.casefile_id, \
           error_message=excluded.error_message, updated_at=excluded.updated_at",
        params![j.uuid, account_id, j.outbox_id, j.payload_hash, j.status.as_str(), j.casefile_id, j.error_message, j.created_at, j.updated_at],
    )?;
    Ok(())
}

pub fn list_jobs(c: &Connection, account_id: &str) -> Result<Vec<JobRecord>> {
    let mut st = c.prepare(
        "SELECT uuid, outbox_id, payload_hash, status, casefile_id, error_message, created_at, updated_at \
         FROM jobs WHERE account_id=?1 ORDER BY created_at DESC",
    )?;
    let rows = st
        .query_map([account_id], |r| {
            Ok(JobRecord {
                uuid: r.get(0)?,
                outbox_id: r.get(1)?,
                payload_hash: r.get(2)?,
                status: penneo::JobStatus::from(r.get::<_, String>(3)?.as_str()),
                casefile_id: r.get(4)?,
                error_message: r.get(5)?,
                created_at: r.get(6)?,
                updated_at: r.get(7)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::accounts;
    use crate::db::test_util::open_temp;

    #[test]
    fn watermarks_keep_previous_when_none() {
        let (_d, db) = open_temp();
        db.call_blocking(|c| {
            accounts::insert(c, &accounts::sample("a"))?;
            assert!(get_sync(c, "a", &form_scope("f1"))?.is_none());
            set_sync(c, "a", &form_scope("f1"), Some("2026-01-01T00:00:00Z"))?;
            set_sync(c, "a", &form_scope("f1"), None)?;
            let s = get_sync(c, "a", &form_scope("f1"))?.unwrap();
            assert_eq!(s.watermark.as_deref(), Some("2026-01-01T00:00:00Z"));
            set_sync(c, "a", SCOPE_CASEFILES, Some("x"))?;
            assert_eq!(list_sync(c, "a")?.len(), 2);
            let d = DownloadRecord {
                id: "d".into(),
                kind: "document".into(),
                casefile_id: Some(1),
                source_id: "7".into(),
                path: "/tmp/x.pdf".into(),
                size: 3,
                sha256: "ab".into(),
                created_at: now(),
            };
            insert_download(c, "a", &d)?;
            assert_eq!(list_downloads(c, "a", Some(1))?, vec![d.clone()]);
            assert!(list_downloads(c, "a", Some(2))?.is_empty());
            assert_eq!(list_downloads(c, "a", None)?.len(), 1);
            let mut j = JobRecord {
                uuid: "u".into(),
                outbox_id: None,
                payload_hash: "h".into(),
                status: penneo::JobStatus::Pending,
                casefile_id: None,
                error_message: None,
                created_at: now(),
                updated_at: now(),
            };
            upsert_job(c, "a", &j)?;
            j.status = penneo::JobStatus::Completed;
            j.casefile_id = Some(4);
            upsert_job(c, "a", &j)?;
            assert_eq!(list_jobs(c, "a")?, vec![j]);
            Ok(())
        })
        .unwrap();
    }
}

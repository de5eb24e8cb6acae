//! The local SQLite database: connection, migrations and the query modules.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rusqlite::Connection;

use crate::error::{DeskError, Result};

pub mod accounts;
pub mod bookkeeping;
pub mod casefiles;
pub mod export;
pub mod forms;
pub mod outbox;
mod schema;
pub mod submissions;

/// The database file's name inside the app's data dir.
pub const DB_FILE: &str = "penneo-desk.sqlite3";

/// A handle on the database; cheap to clone. Work runs on tokio's blocking pool.
#[derive(Clone)]
pub struct Db {
    conn: Arc<Mutex<Connection>>,
    path: PathBuf,
}

impl std::fmt::Debug for Db {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Db").field("path", &self.path).finish()
    }
}

impl Db {
    /// Open (or create) the database in `data_dir` and bring its schema up to date.
    pub fn open_in(data_dir: &Path) -> Result<Db> {
        std::fs::create_dir_all(data_dir)
            .map_err(|e| DeskError::io("could not create the data folder", e))?;
        Db::open(&data_dir.join(DB_FILE))
    }

    pub fn open(path: &Path) -> Result<Db> {
        let mut conn = Connection::open(path)?;
        conn.busy_timeout(Duration::from_secs(5))?;
        let mode: String =
            conn.pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get(0))?;
        if !mode.eq_ignore_ascii_case("wal") {
            tracing::warn!(mode = %mode, "SQLite did not switch to WAL");
        }
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        // A page cache of up to 16 MiB instead of SQLite's 2 MiB (it grows only as pages are
        // read). Sync writes a page of 500 submissions in one transaction into indexes keyed at
        // random (ids, values, the submissions table's sort index): with 2 MiB that transaction
        // outgrows the cache, which then writes pages out and reads them back before the commit
        // (10,000 submissions synced in pages of 500: 1.8 times the write calls and 4 times the
        // read calls).
        conn.pragma_update(None, "cache_size", -16384)?;
        migrate(&mut conn)?;
        Ok(Db {
            conn: Arc::new(Mutex::new(conn)),
            path: path.to_path_buf(),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Run `f` with the connection on the blocking pool.
    pub async fn call<R, F>(&self, f: F) -> Result<R>
    where
        R: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<R> + Send + 'static,
    {
        let conn = self.conn.clone();
        tokio::task::spawn_blocking(move || {
            let mut guard = conn.lock().unwrap_or_else(|p| p.into_inner());
            f(&mut guard)
        })
        .await?
    }

    /// Run `f` with the connection on this thread (for sync callers and tests).
    pub fn call_blocking<R, F>(&self, f: F) -> Result<R>
    where
        F: FnOnce(&mut Connection) -> Result<R>,
    {
        let mut guard = self.conn.lock().unwrap_or_else(|p| p.into_inner());
        f(&mut guard)
    }
}

fn migrate(conn: &mut Connection) -> Result<()> {
    let current: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    let target = schema::MIGRATIONS.len() as i64;
    if current > target {
        return Err(DeskError::Internal(format!(
            "the local database was made by a newer Penneo Desk (schema {current}, this one knows {target})"
        )));
    }
    for (i, sql) in schema::MIGRATIONS.iter().enumerate().skip(current as usize) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", (i + 1) as i64)?;
        tx.commit()?;
    }
    Ok(())
}

/// Now as a sortable UTC timestamp.
pub fn now() -> String {
    format_utc(time::OffsetDateTime::now_utc())
}

const UTC_FORMAT: &[time::format_description::BorrowedFormatItem<'static>] = time::macros::format_description!(
    "[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:6]Z"
);

pub fn format_utc(t: time::OffsetDateTime) -> String {
    t.to_offset(time::UtcOffset::UTC)
        .format(UTC_FORMAT)
        .unwrap_or_else(|_| t.unix_timestamp().to_string())
}

/// A timestamp from Penneo, normalised to fixed-width UTC so that text order is time order.
/// Values that do not parse as RFC 3339 are kept as they are.
pub fn normalize_time(s: &str) -> String {
    match time::OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339) {
        Ok(t) => format_utc(t),
        Err(_) => s.to_string(),
    }
}

/// Every list returns one shape: `{result, nextCursor}`.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Page<T> {
    pub result: Vec<T>,
    pub next_cursor: Option<String>,
}

/// Cursors are opaque to the UI; inside they are offsets.
pub(crate) fn decode_cursor(cursor: Option<&str>) -> Result<i64> {
    match cursor {
        None => Ok(0),
        Some(c) => c
            .strip_prefix("o:")
            .and_then(|n| n.parse::<i64>().ok())
            .filter(|n| *n >= 0)
            .ok_or_else(|| DeskError::invalid_field("cursor", "This list position is not valid")),
    }
}

/// Build a page from `limit + 1` fetched rows.
pub(crate) fn make_page<T>(mut rows: Vec<T>, offset: i64, limit: i64) -> Page<T> {
    let next_cursor = if rows.len() as i64 > limit {
        rows.truncate(limit as usize);
        Some(format!("o:{}", offset + limit))
    } else {
        None
    };
    Page {
        result: rows,
        next_cursor,
    }
}

pub(crate) fn clamp_limit(limit: Option<u32>, default: u32, max: u32) -> i64 {
    i64::from(limit.unwrap_or(default).clamp(1, max))
}

/// Escape `%`, `_` and `\` for a `LIKE ... ESCAPE '\'` pattern.
pub(crate) fn like_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    for c in s.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
pub(crate) mod test_util {
    use super::*;

    pub fn open_temp() -> (tempfile::TempDir, Db) {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open_in(dir.path()).unwrap();
        (dir, db)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opens_with_wal_foreign_keys_and_version() {
        let (dir, db) = test_util::open_temp();
        db.call_blocking(|c| {
            let mode: String = c.pragma_query_value(None, "journal_mode", |r| r.get(0))?;
            assert_eq!(mode, "wal");
            let fk: i64 = c.pragma_query_value(None, "foreign_keys", |r| r.get(0))?;
            assert_eq!(fk, 1);
            let v: i64 = c.pragma_query_value(None, "user_version", |r| r.get(0))?;
            assert_eq!(v, schema::MIGRATIONS.len() as i64);
            Ok(())
        })
        .unwrap();
        drop(db);
        // Reopening does not re-run migrations (they would fail on existing tables).
        let again = Db::open_in(dir.path()).unwrap();
        drop(again);
    }

    #[test]
    fn refuses_newer_schema() {
        let (dir, db) = test_util::open_temp();
        db.call_blocking(|c| {
            c.pragma_update(None, "user_version", 999)?;
            Ok(())
        })
        .unwrap();
        drop(db);
        let err = Db::open_in(dir.path()).unwrap_err();
        assert!(err.to_string().contains("newer"), "{err}");
    }

    #[test]
    fn normalizes_times_to_sortable_utc() {
        assert_eq!(
            normalize_time("2026-01-02T03:04:05+02:00"),
            "2026-01-02T01:04:05.000000Z"
        );
        assert_eq!(
            normalize_time("2026-01-02T01:04:05.5Z"),
            "2026-01-02T01:04:05.500000Z"
        );
        assert!(normalize_time("2026-01-02T01:04:05.5Z") > normalize_time("2026-01-02T01:04:05Z"));
        assert_eq!(normalize_time("not a date"), "not a date");
    }

    #[test]
    fn cursor_round_trip() {
        let p = make_page(vec![1, 2, 3], 0, 2);
        assert_eq!(p.result, vec![1, 2]);
        assert_eq!(decode_cursor(p.next_cursor.as_deref()).unwrap(), 2);
        let p = make_page(vec![1, 2], 4, 2);
        assert!(p.next_cursor.is_none());
        assert_eq!(
            decode_cursor(Some("bogus")).unwrap_err().code(),
            crate::ErrorCode::InvalidInput
        );
    }
}

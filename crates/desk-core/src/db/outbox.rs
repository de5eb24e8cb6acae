//! The casefile outbox: a draft and its files are written here before anything is sent, and
//! every step of the send is recorded, so a crash never loses or doubles a casefile.

use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

use crate::db::now;
use crate::error::{DeskError, Result};

/// queued → uploading → sent(job) → created(casefile) → tracking → done | stopped(message)
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub enum OutboxState {
    Queued,
    Uploading,
    Sent,
    Created,
    Tracking,
    Done,
    Stopped,
}

impl OutboxState {
    pub fn as_str(self) -> &'static str {
        match self {
            OutboxState::Queued => "queued",
            OutboxState::Uploading => "uploading",
            OutboxState::Sent => "sent",
            OutboxState::Created => "created",
            OutboxState::Tracking => "tracking",
            OutboxState::Done => "done",
            OutboxState::Stopped => "stopped",
        }
    }

    pub fn parse(s: &str) -> Result<Self> {
        Ok(match s {
            "queued" => OutboxState::Queued,
            "uploading" => OutboxState::Uploading,
            "sent" => OutboxState::Sent,
            "created" => OutboxState::Created,
            "tracking" => OutboxState::Tracking,
            "done" => OutboxState::Done,
            "stopped" => OutboxState::Stopped,
            other => return Err(DeskError::Internal(format!("unknown outbox state {other}"))),
        })
    }

    pub fn is_terminal(self) -> bool {
        matches!(self, OutboxState::Done | OutboxState::Stopped)
    }

    /// Still on the way to a casefile (queued, uploading, or sent and waiting for the job):
    /// neither stopped nor past the casefile's creation.
    pub fn is_sending(self) -> bool {
        matches!(
            self,
            OutboxState::Queued | OutboxState::Uploading | OutboxState::Sent
        )
    }

    /// The states an entry may move to from this one.
    pub fn may_move_to(self, next: OutboxState) -> bool {
        use OutboxState::*;
        if next == Stopped {
            return !self.is_terminal();
        }
        matches!(
            (self, next),
            (Queued, Uploading)
                | (Uploading, Uploading)
                | (Uploading, Queued)
                | (Uploading, Sent)
                | (Uploading, Created)
                | (Queued, Created)
                | (Sent, Created)
                | (Sent, Queued)
                | (Created, Tracking)
                | (Created, Done)
                | (Tracking, Tracking)
                | (Tracking, Done)
                | (Stopped, Queued)
        )
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct OutboxFile {
    pub idx: i64,
    /// Absolute path of the PDF on this machine.
    pub path: String,
    /// The name sent to Penneo.
    pub file_name: String,
    pub sha256: String,
    pub size: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct OutboxEntry {
    pub id: String,
    pub account_id: String,
    pub state: OutboxState,
    pub reference: String,
    pub title: String,
    /// The casefile draft as the user made it, and the exact `data` sent for it.
    pub draft: OutboxDraft,
    pub files: Vec<OutboxFile>,
    pub job_uuid: Option<String>,
    pub payload_hash: Option<String>,
    pub casefile_id: Option<i64>,
    pub message: Option<String>,
    pub attempts: i64,
    /// The job's result (signing links), once created.
    pub result: Option<OutboxResult>,
    pub created_at: String,
    pub updated_at: String,
}

/// What the outbox keeps of a send before anything goes out: the draft, and the `data` part
/// serialised from it once (byte for byte what is sent, and again after a restart) with its
/// SHA-256.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct OutboxDraft {
    pub draft: penneo::CaseFileDraft,
    #[serde(flatten)]
    pub prepared: penneo::PreparedData,
}

/// What the finished job reported.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct OutboxResult {
    /// One link per signer, to hand on when Penneo does not e-mail it.
    #[serde(default)]
    pub signing_links: Vec<penneo::SigningLink>,
}

pub struct NewOutboxEntry<'a> {
    pub id: &'a str,
    pub account_id: &'a str,
    pub reference: &'a str,
    pub title: &'a str,
    pub draft: &'a OutboxDraft,
    pub files: &'a [OutboxFile],
}

/// Write the draft and its files' hashes in one transaction, state `queued`.
pub fn enqueue(c: &mut Connection, e: &NewOutboxEntry<'_>) -> Result<()> {
    let tx = c.transaction()?;
    let ts = now();
    tx.execute(
        "INSERT INTO outbox (id, account_id, state, reference, title, draft_json, created_at, updated_at) \
         VALUES (?1,?2,'queued',?3,?4,?5,?6,?6)",
        params![e.id, e.account_id, e.reference, e.title, serde_json::to_string(e.draft)?, ts],
    )?;
    for f in e.files {
        tx.execute(
            "INSERT INTO outbox_files (outbox_id, idx, path, file_name, sha256, size) VALUES (?1,?2,?3,?4,?5,?6)",
            params![e.id, f.idx, f.path, f.file_name, f.sha256, f.size],
        )?;
    }
    tx.commit()?;
    Ok(())
}

const COLS: &str = "id, account_id, state, reference, title, draft_json, job_uuid, payload_hash, \
    casefile_id, message, attempts, result_json, created_at, updated_at";

fn read(c: &Connection, r: &rusqlite::Row<'_>) -> Result<OutboxEntry> {
    let id: String = r.get(0)?;
    let state: String = r.get(2)?;
    let draft: String = r.get(5)?;
    let result: Option<String> = r.get(11)?;
    let mut st = c.prepare_cached(
        "SELECT idx, path, file_name, sha256, size FROM outbox_files WHERE outbox_id=?1 ORDER BY idx",
    )?;
    let files = st
        .query_map([&id], |f| {
            Ok(OutboxFile {
                idx: f.get(0)?,
                path: f.get(1)?,
                file_name: f.get(2)?,
                sha256: f.get(3)?,
                size: f.get(4)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(OutboxEntry {
        id,
        account_id: r.get(1)?,
        state: OutboxState::parse(&state)?,
        reference: r.get(3)?,
        title: r.get(4)?,
        draft: serde_json::from_str(&draft)?,
        files,
        job_uuid: r.get(6)?,
        payload_hash: r.get(7)?,
        casefile_id: r.get(8)?,
        message: r.get(9)?,
        attempts: r.get(10)?,
        result: result.map(|j| serde_json::from_str(&j)).transpose()?,
        created_at: r.get(12)?,
        updated_at: r.get(13)?,
    })
}

fn query(c: &Connection, where_: &str, args: &[&dyn rusqlite::ToSql]) -> Result<Vec<OutboxEntry>> {
    let mut st = c.prepare(&format!(
        "SELECT {COLS} FROM outbox WHERE {where_} ORDER BY created_at, id"
    ))?;
    let mut rows = st.query(args)?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        out.push(read(c, r)?);
    }
    Ok(out)
}

pub fn get(c: &Connection, id: &str) -> Result<Option<OutboxEntry>> {
    Ok(query(c, "id = ?1", &[&id])?.into_iter().next())
}

pub fn list(c: &Connection, account_id: &str, include_finished: bool) -> Result<Vec<OutboxEntry>> {
    if include_finished {
        query(c, "account_id = ?1", &[&account_id])
    } else {
        query(
            c,
            "account_id = ?1 AND state NOT IN ('done','stopped')",
            &[&account_id],
        )
    }
}

/// Every entry not yet done or stopped, of every account.
pub fn unfinished(c: &Connection) -> Result<Vec<OutboxEntry>> {
    query(c, "state NOT IN ('done','stopped')", &[])
}

fn current_state(c: &Connection, id: &str) -> Result<Option<OutboxState>> {
    let s: Option<String> = c
        .query_row("SELECT state FROM outbox WHERE id=?1", [id], |r| r.get(0))
        .optional()?;
    s.map(|s| OutboxState::parse(&s)).transpose()
}

fn gone() -> DeskError {
    DeskError::NotFound("That outbox entry no longer exists".into())
}

/// The state of an entry (`not_found` when it is gone).
pub fn state_of(c: &Connection, id: &str) -> Result<OutboxState> {
    current_state(c, id)?.ok_or_else(gone)
}

fn check_move(from: OutboxState, to: OutboxState) -> Result<()> {
    if !from.may_move_to(to) {
        return Err(DeskError::Conflict(format!(
            "This send is {} and cannot become {}",
            from.as_str(),
            to.as_str()
        )));
    }
    Ok(())
}

/// Every state change is a compare-and-set: `UPDATE … WHERE id=? AND state=<from>` (the SQL
/// in `sql` must end with that condition) must change exactly one row. When it changes none,
/// someone else moved the entry since the caller read it — another worker on the same
/// database — and the caller gets [`DeskError::OutboxRaced`] (or `not_found` when the entry is
/// gone) and must leave the entry alone.
fn compare_and_set(
    c: &Connection,
    id: &str,
    from: OutboxState,
    sql: &str,
    args: &[&dyn rusqlite::ToSql],
) -> Result<()> {
    match c.execute(sql, args)? {
        1 => Ok(()),
        0 => match current_state(c, id)? {
            None => Err(gone()),
            Some(found) => Err(DeskError::OutboxRaced {
                expected: from.as_str(),
                found: found.as_str().to_string(),
            }),
        },
        n => Err(DeskError::Internal(format!(
            "an outbox state change touched {n} rows"
        ))),
    }
}

/// Move from `from` to `to` (checked against the state machine), with an optional message.
pub fn set_state(
    c: &Connection,
    id: &str,
    from: OutboxState,
    to: OutboxState,
    message: Option<&str>,
) -> Result<()> {
    check_move(from, to)?;
    compare_and_set(
        c,
        id,
        from,
        "UPDATE outbox SET state=?3, message=?4, updated_at=?5 WHERE id=?1 AND state=?2",
        &[&id, &from.as_str(), &to.as_str(), &message, &now()],
    )
}

/// The run of a core that uploads: its id (new at every open) and the path of the data dir
/// lock file it holds for its life.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Uploader {
    pub run_id: String,
    pub lock_path: String,
}

/// Start an upload attempt: `queued` → `uploading`, attempts + 1, recording who uploads.
/// Exactly one of several workers racing for a queued entry gets past this.
pub fn begin_upload(c: &Connection, id: &str, by: &Uploader) -> Result<()> {
    compare_and_set(
        c,
        id,
        OutboxState::Queued,
        "UPDATE outbox SET state='uploading', attempts=attempts+1, message=NULL, updated_at=?2, \
           attempt_started_at=?2, fate_unknown=0, uploader=?3, uploader_lock=?4 \
           WHERE id=?1 AND state='queued'",
        &[&id, &now(), &by.run_id, &by.lock_path],
    )
}

/// When the last upload attempt of `id` began, if nobody knows whether it reached Penneo (see
/// [`requeue_unsure`] and [`requeue_leftover`]); `None` when its fate is known or there was none.
pub fn unsure_since(c: &Connection, id: &str) -> Result<Option<String>> {
    c.query_row(
        "SELECT CASE WHEN fate_unknown=1 THEN attempt_started_at END FROM outbox WHERE id=?1",
        [id],
        |r| r.get(0),
    )
    .optional()?
    .ok_or_else(gone)
}

/// An upload attempt ended without an answer that says what Penneo did with it (a broken
/// connection, a timeout, a gateway error): `uploading` → `queued`, its fate unknown.
pub fn requeue_unsure(c: &Connection, id: &str, message: &str) -> Result<()> {
    compare_and_set(
        c,
        id,
        OutboxState::Uploading,
        "UPDATE outbox SET state='queued', fate_unknown=1, message=?2, updated_at=?3, \
           attempt_started_at=COALESCE(attempt_started_at, ?3) \
         WHERE id=?1 AND state='uploading'",
        &[&id, &message, &now()],
    )
}

/// Change the message of an entry that stays in `state` (what it is waiting for).
pub fn set_message(c: &Connection, id: &str, state: OutboxState, message: &str) -> Result<()> {
    compare_and_set(
        c,
        id,
        state,
        "UPDATE outbox SET message=?3, updated_at=?4 WHERE id=?1 AND state=?2",
        &[&id, &state.as_str(), &message, &now()],
    )
}

/// Who moved an `uploading` entry there: (run id, lock path), each `None` for entries from
/// before this was recorded.
pub fn uploader_of(c: &Connection, id: &str) -> Result<(Option<String>, Option<String>)> {
    c.query_row(
        "SELECT uploader, uploader_lock FROM outbox WHERE id=?1",
        [id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .optional()?
    .ok_or_else(gone)
}

/// An upload cut off by a crash goes back to `queued`, its fate unknown — only if it is still
/// the upload of `run_id` (compare-and-set on the state and the uploader). An attempt recorded
/// before attempts had a start time counts from now.
pub fn requeue_leftover(
    c: &Connection,
    id: &str,
    run_id: Option<&str>,
    message: &str,
) -> Result<()> {
    compare_and_set(
        c,
        id,
        OutboxState::Uploading,
        "UPDATE outbox SET state='queued', fate_unknown=1, message=?3, updated_at=?4, \
           attempt_started_at=COALESCE(attempt_started_at, ?4) \
         WHERE id=?1 AND state='uploading' AND uploader IS ?2",
        &[&id, &run_id, &message, &now()],
    )
}

/// The server accepted the upload: `uploading` → `sent`, and record the job.
pub fn mark_sent(c: &mut Connection, id: &str, job_uuid: &str, payload_hash: &str) -> Result<()> {
    let tx = c.transaction()?;
    let ts = now();
    compare_and_set(
        &tx,
        id,
        OutboxState::Uploading,
        "UPDATE outbox SET state='sent', job_uuid=?2, payload_hash=?3, message=NULL, updated_at=?4 \
         WHERE id=?1 AND state='uploading'",
        &[&id, &job_uuid, &payload_hash, &ts],
    )?;
    let account_id: String =
        tx.query_row("SELECT account_id FROM outbox WHERE id=?1", [id], |r| {
            r.get(0)
        })?;
    tx.execute(
        "INSERT INTO jobs (uuid, account_id, outbox_id, payload_hash, status, created_at, updated_at) \
         VALUES (?1,?2,?3,?4,'pending',?5,?5) ON CONFLICT(uuid) DO NOTHING",
        params![job_uuid, account_id, id, payload_hash, ts],
    )?;
    tx.commit()?;
    Ok(())
}

/// The casefile exists: `from` → `created`, with its id and the job result.
pub fn mark_created(
    c: &Connection,
    id: &str,
    from: OutboxState,
    casefile_id: i64,
    result: Option<&OutboxResult>,
) -> Result<()> {
    check_move(from, OutboxState::Created)?;
    let json = result.map(serde_json::to_string).transpose()?;
    compare_and_set(
        c,
        id,
        from,
        "UPDATE outbox SET state='created', casefile_id=?3, result_json=coalesce(?4, result_json), \
           message=NULL, updated_at=?5 WHERE id=?1 AND state=?2",
        &[&id, &from.as_str(), &casefile_id, &json, &now()],
    )
}

/// Remove a finished or stopped entry from the list.
pub fn remove(c: &Connection, id: &str) -> Result<()> {
    let n = c.execute(
        "DELETE FROM outbox WHERE id=?1 AND state IN ('done','stopped')",
        [id],
    )?;
    if n == 0 {
        state_of(c, id)?;
        return Err(DeskError::Conflict(
            "A send in progress cannot be removed".into(),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::accounts;
    use crate::db::test_util::open_temp;

    #[test]
    fn state_machine_is_enforced_and_persisted() {
        let (dir, db) = open_temp();
        db.call_blocking(|c| {
            accounts::insert(c, &accounts::sample("a"))?;
            let case_file = penneo::CaseFileDraft::new("Letter", vec![], vec![]);
            let draft = OutboxDraft {
                prepared: case_file.prepare()?,
                draft: case_file,
            };
            let files = vec![OutboxFile {
                idx: 0,
                path: "/abs/a.pdf".into(),
                file_name: "a.pdf".into(),
                sha256: "00".into(),
                size: 5,
            }];
            enqueue(
                c,
                &NewOutboxEntry {
                    id: "o1",
                    account_id: "a",
                    reference: "desk-o1",
                    title: "Letter",
                    draft: &draft,
                    files: &files,
                },
            )?;
            let e = get(c, "o1")?.unwrap();
            assert_eq!(e.state, OutboxState::Queued);
            assert_eq!(e.files, files);
            assert_eq!(
                set_state(c, "o1", OutboxState::Queued, OutboxState::Done, None)
                    .unwrap_err()
                    .code(),
                crate::ErrorCode::Conflict
            );
            let me = Uploader {
                run_id: "run-1".into(),
                lock_path: "/data/penneo-desk.lock".into(),
            };
            begin_upload(c, "o1", &me)?;
            assert_eq!(
                uploader_of(c, "o1")?,
                (Some("run-1".into()), Some("/data/penneo-desk.lock".into()))
            );
            // Another run's leftover is not this one.
            assert_eq!(
                requeue_leftover(c, "o1", Some("run-0"), "x").unwrap_err().code(),
                crate::ErrorCode::Conflict
            );
            mark_sent(c, "o1", "job-1", "hash-1")?;
            assert_eq!(
                crate::db::bookkeeping::list_jobs(c, "a")?[0].outbox_id.as_deref(),
                Some("o1")
            );
            assert_eq!(unfinished(c)?.len(), 1);
            assert_eq!(remove(c, "o1").unwrap_err().code(), crate::ErrorCode::Conflict);
            // A change from a state the entry is no longer in changes nothing.
            let raced = mark_created(c, "o1", OutboxState::Queued, 42, None).unwrap_err();
            assert!(
                matches!(&raced, DeskError::OutboxRaced { expected: "queued", found } if found == "sent"),
                "{raced:?}"
            );
            assert_eq!(raced.code(), crate::ErrorCode::Conflict);
            assert_eq!(begin_upload(c, "o1", &me).unwrap_err().code(), crate::ErrorCode::Conflict);
            assert_eq!(get(c, "o1")?.unwrap().state, OutboxState::Sent);
            mark_created(c, "o1", OutboxState::Sent, 42, Some(&OutboxResult::default()))?;
            set_state(c, "o1", OutboxState::Created, OutboxState::Tracking, None)?;
            set_state(c, "o1", OutboxState::Tracking, OutboxState::Done, None)?;
            assert!(matches!(
                set_state(c, "gone", OutboxState::Queued, OutboxState::Uploading, None),
                Err(DeskError::NotFound(_))
            ));
            assert!(unfinished(c)?.is_empty());
            assert_eq!(list(c, "a", false)?.len(), 0);
            assert_eq!(list(c, "a", true)?.len(), 1);
            Ok(())
        })
        .unwrap();
        drop(db);
        // After a restart the row is as it was left.
        let db = crate::db::Db::open_in(dir.path()).unwrap();
        let e = db.call_blocking(|c| get(c, "o1")).unwrap().unwrap();
        assert_eq!(
            (e.state, e.casefile_id, e.attempts),
            (OutboxState::Done, Some(42), 1)
        );
        assert_eq!(e.result, Some(OutboxResult::default()));
    }
}

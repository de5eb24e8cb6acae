//! The casefile outbox: a draft and its files are written here before anything is sent, and
//! every step of the send is recorded, so a crash never loses or doubles a casefile.

use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

use crate::db::now;
use crate::error::{DeskError, ErrorCode, ErrorParams, Result};

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
    /// What the send waits for or why it stopped, in English (logs, support details, and what
    /// the UI shows for rows from before notes were kept): always `note`'s [`OutboxNote::text`]
    /// when there is a note.
    pub message: Option<String>,
    /// The same as a code with its parameters, for the UI to word in its own language.
    pub note: Option<OutboxNote>,
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

/// Why a send waits or stopped, as a code with its parameters (the UI words it in its own
/// language). [`OutboxNote::text`] is the English sentence the entry's `message` holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "code", rename_all = "snake_case")]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub enum OutboxNote {
    /// A queued file cannot be read (moved, deleted, no access); `detail` is the system's words.
    #[serde(rename_all = "camelCase")]
    FileUnreadable { file_name: String, detail: String },
    /// A queued file is no longer what was queued.
    #[serde(rename_all = "camelCase")]
    FileChanged { file_name: String },
    /// The last upload was cut off before Penneo answered: waiting for Penneo's job before
    /// looking for the casefile and sending again.
    UnsureWait,
    /// An upload cut off by a crash, taken up again.
    ResumingUpload,
    /// Penneo took the upload but named no job.
    NoJobNamed,
    /// Penneo refused the casefile (invalid, forbidden, unknown, not offered).
    #[serde(rename_all = "camelCase")]
    NotAccepted { error: NoteError },
    /// The session ended; the send waits for a new sign-in.
    SignInAgain,
    /// The upload failed in a way that may pass (offline, timeout, Penneo's 5xx, too many
    /// requests); it is tried again.
    #[serde(rename_all = "camelCase")]
    WillRetry { error: NoteError },
    /// The entry is `sent` but its job was not written down.
    JobNotRecorded,
    /// Penneo's job completed without a casefile, and none with this send's reference exists.
    NoCasefileNamed,
    /// Penneo's job failed; `penneo_message` is Penneo's own reason, when it gave one.
    #[serde(rename_all = "camelCase")]
    JobFailed {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        penneo_message: Option<String>,
    },
    /// Penneo calls the send a duplicate, and the casefile of the first one was not found.
    DuplicateNotFound,
    /// Penneo no longer knows the job, and no casefile was made: the send goes again.
    JobLost,
    /// The entry has a casefile state but its casefile id was not written down.
    CasefileIdNotRecorded,
}

/// An error inside a note, as the UI words errors: its code, its parameters, its English text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct NoteError {
    pub code: ErrorCode,
    /// The error's English sentence (the fallback).
    pub message: String,
    /// The input at fault, when Penneo named one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// What the UI words the error with; left out when there is nothing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub params: Option<ErrorParams>,
}

impl From<&DeskError> for NoteError {
    fn from(e: &DeskError) -> Self {
        let params = e.params();
        NoteError {
            code: e.code(),
            message: e.to_string(),
            field: e.field().map(str::to_string),
            params: (!params.is_empty()).then_some(params),
        }
    }
}

impl NoteError {
    /// The same error with Penneo's own words (`params.penneo_message`), for the UI to quote as
    /// Penneo's; unchanged by `None`.
    pub fn said_by_penneo(mut self, words: Option<String>) -> Self {
        if let Some(w) = words {
            self.params
                .get_or_insert_with(ErrorParams::default)
                .penneo_message = Some(w);
        }
        self
    }
}

impl OutboxNote {
    /// The note in English: exactly what the entry's `message` holds.
    pub fn text(&self) -> String {
        use OutboxNote as N;
        match self {
            N::FileUnreadable { file_name, detail } => format!(
                "{file_name} cannot be read any more ({detail}). Put it back or remove this send."
            ),
            N::FileChanged { file_name } => format!(
                "{file_name} changed on disk after the send was queued, so it was not sent. Add the file again to send the new version."
            ),
            N::UnsureWait => "The last upload was cut off before Penneo answered. Waiting for Penneo to finish with it, then checking whether the casefile exists before sending again".into(),
            N::ResumingUpload => "Resuming an interrupted upload".into(),
            N::NoJobNamed => {
                "Penneo accepted the upload but named no job; checking before sending again".into()
            }
            N::NotAccepted { error } => {
                format!("Penneo did not accept this casefile: {}", error.message)
            }
            N::SignInAgain => "Waiting for you to sign in again".into(),
            N::WillRetry { error } => format!("Will try again: {}", error.message),
            N::JobNotRecorded => "The job of this send was not recorded".into(),
            N::NoCasefileNamed => "Penneo finished the job but named no casefile".into(),
            N::JobFailed { penneo_message } => format!(
                "Penneo could not create the casefile: {}",
                penneo_message.as_deref().unwrap_or("no reason given")
            ),
            N::DuplicateNotFound => {
                "Penneo reports this send as a duplicate, but its casefile cannot be found".into()
            }
            N::JobLost => "Penneo lost the job; sending again".into(),
            N::CasefileIdNotRecorded => "The casefile id of this send was not recorded".into(),
        }
    }
}

/// The note's message and stored JSON, as the UPDATEs write them (both NULL without a note).
fn note_columns(note: Option<&OutboxNote>) -> Result<(Option<String>, Option<String>)> {
    Ok(match note {
        Some(n) => (Some(n.text()), Some(serde_json::to_string(n)?)),
        None => (None, None),
    })
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
    casefile_id, message, attempts, result_json, created_at, updated_at, note_json";

fn read(c: &Connection, r: &rusqlite::Row<'_>) -> Result<OutboxEntry> {
    let id: String = r.get(0)?;
    let state: String = r.get(2)?;
    let draft: String = r.get(5)?;
    let result: Option<String> = r.get(11)?;
    let note: Option<String> = r.get(14)?;
    // A note this version cannot read leaves the English message to be shown.
    let note = note.and_then(|j| {
        serde_json::from_str::<OutboxNote>(&j)
            .inspect_err(|e| tracing::warn!(entry = %id, "an outbox note was not readable: {e}"))
            .ok()
    });
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
        note,
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

/// Move from `from` to `to` (checked against the state machine), with an optional note (and
/// its English text as the message; both cleared without one).
pub fn set_state(
    c: &Connection,
    id: &str,
    from: OutboxState,
    to: OutboxState,
    note: Option<&OutboxNote>,
) -> Result<()> {
    check_move(from, to)?;
    let (message, json) = note_columns(note)?;
    compare_and_set(
        c,
        id,
        from,
        "UPDATE outbox SET state=?3, message=?4, note_json=?5, updated_at=?6 WHERE id=?1 AND state=?2",
        &[&id, &from.as_str(), &to.as_str(), &message, &json, &now()],
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
        "UPDATE outbox SET state='uploading', attempts=attempts+1, message=NULL, note_json=NULL, updated_at=?2, \
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
pub fn requeue_unsure(c: &Connection, id: &str, note: &OutboxNote) -> Result<()> {
    let (message, json) = note_columns(Some(note))?;
    compare_and_set(
        c,
        id,
        OutboxState::Uploading,
        "UPDATE outbox SET state='queued', fate_unknown=1, message=?2, note_json=?3, updated_at=?4, \
           attempt_started_at=COALESCE(attempt_started_at, ?4) \
         WHERE id=?1 AND state='uploading'",
        &[&id, &message, &json, &now()],
    )
}

/// Change the note (and message) of an entry that stays in `state` (what it is waiting for).
pub fn set_note(c: &Connection, id: &str, state: OutboxState, note: &OutboxNote) -> Result<()> {
    let (message, json) = note_columns(Some(note))?;
    compare_and_set(
        c,
        id,
        state,
        "UPDATE outbox SET message=?3, note_json=?4, updated_at=?5 WHERE id=?1 AND state=?2",
        &[&id, &state.as_str(), &message, &json, &now()],
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
    note: &OutboxNote,
) -> Result<()> {
    let (message, json) = note_columns(Some(note))?;
    compare_and_set(
        c,
        id,
        OutboxState::Uploading,
        "UPDATE outbox SET state='queued', fate_unknown=1, message=?3, note_json=?4, updated_at=?5, \
           attempt_started_at=COALESCE(attempt_started_at, ?5) \
         WHERE id=?1 AND state='uploading' AND uploader IS ?2",
        &[&id, &run_id, &message, &json, &now()],
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
        "UPDATE outbox SET state='sent', job_uuid=?2, payload_hash=?3, message=NULL, note_json=NULL, updated_at=?4 \
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
           message=NULL, note_json=NULL, updated_at=?5 WHERE id=?1 AND state=?2",
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

    /// Queue a one-file letter as `id` for account "a"; its files.
    fn queue_letter(c: &mut Connection, id: &str) -> Result<Vec<OutboxFile>> {
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
                id,
                account_id: "a",
                reference: &format!("desk-{id}"),
                title: "Letter",
                draft: &draft,
                files: &files,
            },
        )?;
        Ok(files)
    }

    fn penneo_down() -> NoteError {
        NoteError::from(&DeskError::PenneoServer {
            status: 503,
            penneo_message: Some("Scheduled maintenance".into()),
        })
    }

    #[test]
    fn every_note_has_a_stable_code_and_the_english_text_the_message_always_had() {
        let refused = NoteError::from(&DeskError::invalid_field(
            "signers[0].email",
            "Invalid e-mail",
        ))
        .said_by_penneo(Some("Invalid e-mail".into()));
        let slow = NoteError::from(&DeskError::RateLimited {
            retry_after_secs: Some(30),
        });
        let cases: Vec<(OutboxNote, serde_json::Value, &str)> = vec![
            (
                OutboxNote::FileUnreadable {
                    file_name: "a.pdf".into(),
                    detail: "No such file or directory (os error 2)".into(),
                },
                serde_json::json!({"code": "file_unreadable", "fileName": "a.pdf",
                    "detail": "No such file or directory (os error 2)"}),
                "a.pdf cannot be read any more (No such file or directory (os error 2)). Put it back or remove this send.",
            ),
            (
                OutboxNote::FileChanged {
                    file_name: "a.pdf".into(),
                },
                serde_json::json!({"code": "file_changed", "fileName": "a.pdf"}),
                "a.pdf changed on disk after the send was queued, so it was not sent. Add the file again to send the new version.",
            ),
            (
                OutboxNote::UnsureWait,
                serde_json::json!({"code": "unsure_wait"}),
                "The last upload was cut off before Penneo answered. Waiting for Penneo to finish with it, then checking whether the casefile exists before sending again",
            ),
            (
                OutboxNote::ResumingUpload,
                serde_json::json!({"code": "resuming_upload"}),
                "Resuming an interrupted upload",
            ),
            (
                OutboxNote::NoJobNamed,
                serde_json::json!({"code": "no_job_named"}),
                "Penneo accepted the upload but named no job; checking before sending again",
            ),
            (
                OutboxNote::NotAccepted { error: refused },
                serde_json::json!({"code": "not_accepted", "error": {"code": "invalid_input",
                    "message": "Invalid e-mail", "field": "signers[0].email",
                    "params": {"penneoMessage": "Invalid e-mail"}}}),
                "Penneo did not accept this casefile: Invalid e-mail",
            ),
            (
                OutboxNote::SignInAgain,
                serde_json::json!({"code": "sign_in_again"}),
                "Waiting for you to sign in again",
            ),
            (
                OutboxNote::WillRetry { error: slow },
                serde_json::json!({"code": "will_retry", "error": {"code": "rate_limited",
                    "message": "Penneo is receiving too many requests; try again in 30 seconds",
                    "params": {"retryAfterSecs": 30}}}),
                "Will try again: Penneo is receiving too many requests; try again in 30 seconds",
            ),
            (
                OutboxNote::WillRetry {
                    error: penneo_down(),
                },
                serde_json::json!({"code": "will_retry", "error": {"code": "server",
                    "message": "Penneo had a problem (503): Scheduled maintenance",
                    "params": {"status": 503, "penneoMessage": "Scheduled maintenance"}}}),
                "Will try again: Penneo had a problem (503): Scheduled maintenance",
            ),
            (
                OutboxNote::JobNotRecorded,
                serde_json::json!({"code": "job_not_recorded"}),
                "The job of this send was not recorded",
            ),
            (
                OutboxNote::NoCasefileNamed,
                serde_json::json!({"code": "no_casefile_named"}),
                "Penneo finished the job but named no casefile",
            ),
            (
                OutboxNote::JobFailed {
                    penneo_message: Some("Signer 2 has no e-mail".into()),
                },
                serde_json::json!({"code": "job_failed", "penneoMessage": "Signer 2 has no e-mail"}),
                "Penneo could not create the casefile: Signer 2 has no e-mail",
            ),
            (
                OutboxNote::JobFailed {
                    penneo_message: None,
                },
                serde_json::json!({"code": "job_failed"}),
                "Penneo could not create the casefile: no reason given",
            ),
            (
                OutboxNote::DuplicateNotFound,
                serde_json::json!({"code": "duplicate_not_found"}),
                "Penneo reports this send as a duplicate, but its casefile cannot be found",
            ),
            (
                OutboxNote::JobLost,
                serde_json::json!({"code": "job_lost"}),
                "Penneo lost the job; sending again",
            ),
            (
                OutboxNote::CasefileIdNotRecorded,
                serde_json::json!({"code": "casefile_id_not_recorded"}),
                "The casefile id of this send was not recorded",
            ),
        ];
        for (note, wire, text) in cases {
            assert_eq!(serde_json::to_value(&note).unwrap(), wire, "{note:?}");
            assert_eq!(serde_json::from_value::<OutboxNote>(wire).unwrap(), note);
            assert_eq!(note.text(), text);
        }
    }

    #[test]
    fn a_note_is_stored_with_its_message_in_each_change_and_cleared_with_it() {
        let (dir, db) = open_temp();
        let me = Uploader {
            run_id: "run-1".into(),
            lock_path: "/data/penneo-desk.lock".into(),
        };
        db.call_blocking(|c| {
            accounts::insert(c, &accounts::sample("a"))?;
            queue_letter(c, "o1")?;
            let at = |c: &Connection| -> Result<(Option<OutboxNote>, Option<String>)> {
                let e = get(c, "o1")?.unwrap();
                Ok((e.note, e.message))
            };
            assert_eq!(at(c)?, (None, None));
            begin_upload(c, "o1", &me)?;
            let retry = OutboxNote::WillRetry {
                error: penneo_down(),
            };
            requeue_unsure(c, "o1", &retry)?;
            assert_eq!(at(c)?, (Some(retry.clone()), Some(retry.text())));
            set_note(c, "o1", OutboxState::Queued, &OutboxNote::UnsureWait)?;
            assert_eq!(
                at(c)?,
                (
                    Some(OutboxNote::UnsureWait),
                    Some(OutboxNote::UnsureWait.text())
                )
            );
            // A note for a state the entry is not in changes nothing.
            assert!(matches!(
                set_note(c, "o1", OutboxState::Sent, &OutboxNote::JobLost),
                Err(DeskError::OutboxRaced { .. })
            ));
            begin_upload(c, "o1", &me)?;
            assert_eq!(at(c)?, (None, None));
            requeue_leftover(c, "o1", Some("run-1"), &OutboxNote::ResumingUpload)?;
            assert_eq!(at(c)?.0, Some(OutboxNote::ResumingUpload));
            begin_upload(c, "o1", &me)?;
            let refused = OutboxNote::NotAccepted {
                error: NoteError::from(&DeskError::Forbidden("Not on this plan".into())),
            };
            set_state(
                c,
                "o1",
                OutboxState::Uploading,
                OutboxState::Stopped,
                Some(&refused),
            )?;
            Ok(())
        })
        .unwrap();
        drop(db);
        // After a restart the stopped entry still says why, in both forms.
        let db = crate::db::Db::open_in(dir.path()).unwrap();
        let e = db.call_blocking(|c| get(c, "o1")).unwrap().unwrap();
        assert_eq!(e.state, OutboxState::Stopped);
        let Some(OutboxNote::NotAccepted { error }) = &e.note else {
            panic!("{:?}", e.note);
        };
        assert_eq!(
            (error.code, error.message.as_str()),
            (crate::ErrorCode::Forbidden, "Not on this plan")
        );
        assert_eq!(
            e.message.as_deref(),
            Some("Penneo did not accept this casefile: Not on this plan")
        );
        // Sent again: the note goes with the message.
        db.call_blocking(|c| {
            set_state(c, "o1", OutboxState::Stopped, OutboxState::Queued, None)?;
            let e = get(c, "o1")?.unwrap();
            assert_eq!((e.note, e.message), (None, None));
            Ok(())
        })
        .unwrap();
    }

    #[test]
    fn entries_from_before_notes_keep_their_message() {
        let mut c = Connection::open_in_memory().unwrap();
        c.pragma_update(None, "foreign_keys", "ON").unwrap();
        // A database as the previous schema (7) left it, with a stopped send.
        for sql in &crate::db::schema::MIGRATIONS[..7] {
            c.execute_batch(sql).unwrap();
        }
        c.pragma_update(None, "user_version", 7).unwrap();
        accounts::insert(&c, &accounts::sample("a")).unwrap();
        queue_letter(&mut c, "old").unwrap();
        c.execute(
            "UPDATE outbox SET state='stopped', message='Penneo could not create the casefile: no reason given' WHERE id='old'",
            [],
        )
        .unwrap();
        crate::db::migrate(&mut c).unwrap();
        let e = get(&c, "old").unwrap().unwrap();
        assert_eq!(e.state, OutboxState::Stopped);
        assert_eq!(e.note, None);
        assert_eq!(
            e.message.as_deref(),
            Some("Penneo could not create the casefile: no reason given")
        );
        // A note this version does not know (a newer one wrote it) leaves the message too.
        c.execute(
            "UPDATE outbox SET note_json='{\"code\":\"from_the_future\"}' WHERE id='old'",
            [],
        )
        .unwrap();
        let e = get(&c, "old").unwrap().unwrap();
        assert_eq!(e.note, None);
        assert!(e.message.is_some());
        // And it goes on from the migrated row.
        set_state(&c, "old", OutboxState::Stopped, OutboxState::Queued, None).unwrap();
        begin_upload(
            &c,
            "old",
            &Uploader {
                run_id: "r".into(),
                lock_path: "/l".into(),
            },
        )
        .unwrap();
        set_state(
            &c,
            "old",
            OutboxState::Uploading,
            OutboxState::Stopped,
            Some(&OutboxNote::JobLost),
        )
        .unwrap();
        assert_eq!(
            get(&c, "old").unwrap().unwrap().note,
            Some(OutboxNote::JobLost)
        );
    }

    #[test]
    fn state_machine_is_enforced_and_persisted() {
        let (dir, db) = open_temp();
        db.call_blocking(|c| {
            accounts::insert(c, &accounts::sample("a"))?;
            let files = queue_letter(c, "o1")?;
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
                requeue_leftover(c, "o1", Some("run-0"), &OutboxNote::ResumingUpload).unwrap_err().code(),
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

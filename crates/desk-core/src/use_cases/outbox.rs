//! The outbox worker: queued → uploading → sent(job) → created(casefile) → tracking → done,
//! or stopped with a message. Every step is written down before the next one starts, so a
//! crash at any point resumes without losing the send or making a second casefile.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use futures_util::TryStreamExt;
use tokio::sync::broadcast::{self, error::RecvError};
use tokio::sync::mpsc;

use super::{DeskCore, DeskEvent};
use crate::db::outbox::{
    self as odb, NoteError, OutboxEntry, OutboxNote, OutboxResult, OutboxState,
};
use crate::error::{DeskError, Result};

/// Casefiles made more than this long before an entry was queued are not its casefile.
const RECONCILE_SKEW_SECS: i64 = 600;
/// How long to wait for the first job's casefile after `aborted_duplicated`.
const DUPLICATE_PATIENCE: Duration = Duration::from_secs(600);

/// Penneo's own words in its refusal of a request, when it gave some (its 5xx words travel in
/// the error's params already).
fn penneo_words(e: &penneo::Error) -> Option<String> {
    use penneo::Error as P;
    match e {
        P::Forbidden { message } | P::NotFound { message } | P::Conflict { message } => {
            message.clone()
        }
        P::InvalidInput { message, .. } => Some(message.clone()),
        _ => None,
    }
    .filter(|m| !m.trim().is_empty())
}

fn created_unix(e: &OutboxEntry) -> i64 {
    time::OffsetDateTime::parse(
        &e.created_at,
        &time::format_description::well_known::Rfc3339,
    )
    .map(|t| t.unix_timestamp())
    .unwrap_or(0)
}

/// The exact `data` string recorded at enqueue time.
fn prepared(e: &OutboxEntry) -> Result<penneo::PreparedData> {
    Ok(penneo::PreparedData::from_data(
        e.draft.prepared.data.clone(),
    ))
}

fn uploads(e: &OutboxEntry) -> Vec<penneo::UploadFile> {
    e.files
        .iter()
        .map(|f| penneo::UploadFile::with_name(&f.path, &f.file_name))
        .collect()
}

/// Whether `ev` is news of the send `id`: `None` when it is not; `Some(true)` when it is the
/// last (the casefile exists or the send stopped), `Some(false)` otherwise.
fn send_news_of(ev: &DeskEvent, id: &str) -> Option<bool> {
    match ev {
        DeskEvent::OutboxChanged {
            entry_id, state, ..
        } if entry_id == id => Some(!state.is_sending()),
        DeskEvent::UploadProgress { entry_id, .. } | DeskEvent::JobStatus { entry_id, .. }
            if entry_id == id =>
        {
            Some(false)
        }
        _ => None,
    }
}

/// The news of one send (see [`DeskCore::send_casefile_with_news`]), in order.
#[derive(Debug)]
pub struct SendNews {
    rx: mpsc::Receiver<DeskEvent>,
}

impl SendNews {
    /// The next piece of news; `None` once they are over.
    pub async fn next(&mut self) -> Option<DeskEvent> {
        self.rx.recv().await
    }
}

enum Step {
    Continue,
    Sleep(Duration),
    Finished,
}

impl DeskCore {
    async fn entry(&self, id: &str) -> Result<OutboxEntry> {
        let id = id.to_string();
        self.inner
            .db
            .call(move |c| odb::get(c, &id))
            .await?
            .ok_or_else(|| DeskError::NotFound("That send no longer exists.".into()))
    }

    /// `from` → `to` with `note` (none clears it), as a compare-and-set: fails with
    /// [`DeskError::OutboxRaced`] when the entry is no longer in `from`.
    async fn move_to(
        &self,
        id: &str,
        from: OutboxState,
        to: OutboxState,
        note: Option<OutboxNote>,
    ) -> Result<()> {
        let i = id.to_string();
        self.inner
            .db
            .call(move |c| odb::set_state(c, &i, from, to, note.as_ref()))
            .await?;
        self.announce(id).await;
        Ok(())
    }

    async fn announce(&self, id: &str) {
        if let Ok(e) = self.entry(id).await {
            self.emit(DeskEvent::outbox_changed(e));
        }
    }

    async fn stop_entry(&self, id: &str, from: OutboxState, note: OutboxNote) -> Result<Step> {
        tracing::info!(entry = %id, "outbox entry stopped: {}", note.text());
        self.move_to(id, from, OutboxState::Stopped, Some(note))
            .await?;
        Ok(Step::Finished)
    }

    /// Run a worker for every unfinished entry (after start-up or a new sign-in).
    pub async fn resume_outbox(&self) -> Result<usize> {
        let list = self.inner.db.call(|c| odb::unfinished(c)).await?;
        let n = list.len();
        for e in list {
            self.spawn_worker(e.id);
        }
        Ok(n)
    }

    /// Entries of the active account (finished ones too when asked).
    pub async fn outbox(&self, include_finished: bool) -> Result<Vec<OutboxEntry>> {
        let acc = self.active_id().await?;
        self.inner
            .db
            .call(move |c| odb::list(c, &acc, include_finished))
            .await
    }

    pub async fn outbox_entry(&self, id: &str) -> Result<OutboxEntry> {
        self.entry(id).await
    }

    /// Send a stopped entry again (after the user fixed the cause).
    pub async fn retry_outbox_entry(&self, id: &str) -> Result<()> {
        let i = id.to_string();
        let from = self.inner.db.call(move |c| odb::state_of(c, &i)).await?;
        self.move_to(id, from, OutboxState::Queued, None).await?;
        self.spawn_worker(id.to_string());
        Ok(())
    }

    pub async fn remove_outbox_entry(&self, id: &str) -> Result<()> {
        let i = id.to_string();
        self.inner.db.call(move |c| odb::remove(c, &i)).await
    }

    /// Queues a casefile like [`DeskCore::send_casefile`] and returns, with the entry, the news
    /// of this one send: its upload progress, job status and state changes, until the
    /// casefile exists or the send stops. The shell only forwards them.
    pub async fn send_casefile_with_news(
        &self,
        req: super::CasefileSend,
    ) -> Result<(OutboxEntry, SendNews)> {
        // Subscribe before queueing so nothing this send reports is missed.
        let rx = self.subscribe();
        let entry = self.send_casefile(req).await?;
        let news = self.news_of_send(entry.id.clone(), rx);
        Ok((entry, news))
    }

    /// The news of the send `id` from `rx`, filtered in a task of its own; the task ends
    /// when the send's news are over, when the core closes, or when [`SendNews`] is dropped.
    fn news_of_send(&self, id: String, mut rx: broadcast::Receiver<DeskEvent>) -> SendNews {
        let (tx, out) = mpsc::channel(64);
        let core = self.clone();
        tokio::spawn(async move {
            loop {
                let ev = match rx.recv().await {
                    Ok(ev) => ev,
                    // News were missed (a slow reader): send where the entry stands now
                    // instead, so the view never stays a step behind.
                    Err(RecvError::Lagged(_)) => match core.outbox_entry(&id).await {
                        Ok(e) => DeskEvent::outbox_changed(e),
                        Err(_) => continue,
                    },
                    Err(RecvError::Closed) => break,
                };
                let Some(over) = send_news_of(&ev, &id) else {
                    continue;
                };
                if tx.send(ev).await.is_err() || over {
                    break;
                }
            }
        });
        SendNews { rx: out }
    }

    /// Check tracked casefiles now instead of at the next interval.
    pub fn refresh_tracking_now(&self) {
        self.inner.wake.notify_waiters();
    }

    pub(crate) fn spawn_worker(&self, id: String) {
        {
            let mut running = self.inner.running.lock().unwrap_or_else(|p| p.into_inner());
            if !running.insert(id.clone()) {
                return;
            }
        }
        let this = self.clone();
        tokio::spawn(async move {
            let mut failures: u32 = 0;
            loop {
                if this.inner.shutdown.is_cancelled() {
                    break;
                }
                match this.step(&id).await {
                    Ok(Step::Continue) => failures = 0,
                    Ok(Step::Finished) => break,
                    Ok(Step::Sleep(d)) => {
                        tokio::select! {
                            _ = tokio::time::sleep(d) => {}
                            _ = this.inner.wake.notified() => {}
                            _ = this.inner.shutdown.cancelled() => break,
                        }
                    }
                    Err(e @ DeskError::OutboxRaced { .. }) => {
                        // Another worker on this database moved the entry on: it is theirs.
                        tracing::info!(entry = %id, "leaving the send to the worker that moved it on: {e}");
                        break;
                    }
                    Err(e) => {
                        failures += 1;
                        let d = this.backoff(failures);
                        tracing::warn!(entry = %id, error = %e, "outbox step failed; trying again in {:?}", d);
                        if matches!(e, DeskError::AuthRequired(_)) {
                            // Wait for a new sign-in (resume_outbox runs again then).
                            break;
                        }
                        tokio::select! {
                            _ = tokio::time::sleep(d) => {}
                            _ = this.inner.shutdown.cancelled() => break,
                        }
                    }
                }
            }
            this.inner
                .running
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .remove(&id);
        });
    }

    fn backoff(&self, failures: u32) -> Duration {
        let base = Duration::from_millis(500).saturating_mul(1 << failures.min(10));
        base.min(self.inner.cfg.outbox_max_backoff)
    }

    /// Find the casefile an earlier attempt may have made (by the entry's unique reference).
    async fn reconcile(&self, client: &penneo::Penneo, e: &OutboxEntry) -> Result<Option<i64>> {
        let q = penneo::CaseFileListQuery {
            reference: Some(e.reference.clone()),
            per_page: Some(100),
            ..Default::default()
        };
        let list: Vec<penneo::CaseFile> = client.casefiles().list(&q).try_collect().await?;
        let since = created_unix(e) - RECONCILE_SKEW_SECS;
        Ok(list
            .iter()
            .filter(|c| c.reference.as_deref() == Some(e.reference.as_str()))
            .filter(|c| c.created.is_none_or(|t| t >= since))
            .map(|c| c.id)
            .min()
            .and_then(|id| i64::try_from(id).ok()))
    }

    async fn requeue_unsure(&self, id: &str, note: OutboxNote) -> Result<()> {
        let i = id.to_string();
        self.inner
            .db
            .call(move |c| odb::requeue_unsure(c, &i, &note))
            .await?;
        self.announce(id).await;
        Ok(())
    }

    /// How much longer to wait before the entry `id` may look for its casefile and upload
    /// again: `Some` while its last attempt's fate is unknown and
    /// [`DeskConfig::unsure_send_wait`](super::DeskConfig) has not passed since it began (twice
    /// the simulated job's time on the Demo environment).
    async fn unsure_wait_left(&self, id: &str, account_id: &str) -> Result<Option<Duration>> {
        let acc = account_id.to_string();
        let demo = self
            .inner
            .db
            .call(move |c| crate::db::accounts::get(c, &acc))
            .await?
            .is_some_and(|a| a.environment == crate::db::accounts::Environment::Demo);
        let i = id.to_string();
        let Some(since) = self
            .inner
            .db
            .call(move |c| odb::unsure_since(c, &i))
            .await?
        else {
            return Ok(None);
        };
        let Ok(began) =
            time::OffsetDateTime::parse(&since, &time::format_description::well_known::Rfc3339)
        else {
            return Ok(None);
        };
        let elapsed = time::OffsetDateTime::now_utc() - began;
        // The Demo environment's simulator runs inside the app and stops with it: it holds no
        // request longer than its own job takes.
        let wait = if demo {
            Duration::from_millis(self.inner.cfg.demo_job_delay_ms.saturating_mul(2))
                .max(Duration::from_secs(1))
        } else {
            self.inner.cfg.unsure_send_wait
        };
        // A clock set back since (elapsed < 0) must not hold the send for as long: look now.
        Ok(Duration::try_from(elapsed)
            .ok()
            .and_then(|e| wait.checked_sub(e))
            .filter(|left| !left.is_zero()))
    }

    async fn mark_created(
        &self,
        id: &str,
        from: OutboxState,
        casefile_id: i64,
        result: Option<OutboxResult>,
    ) -> Result<()> {
        let i = id.to_string();
        self.inner
            .db
            .call(move |c| odb::mark_created(c, &i, from, casefile_id, result.as_ref()))
            .await?;
        self.announce(id).await;
        Ok(())
    }

    async fn step(&self, id: &str) -> Result<Step> {
        let e = match self.entry(id).await {
            Ok(e) => e,
            // Removed (with its account): nothing left to do.
            Err(DeskError::NotFound(_)) => return Ok(Step::Finished),
            Err(err) => return Err(err),
        };
        let client = self.client_for(&e.account_id).await?;
        match e.state {
            OutboxState::Done | OutboxState::Stopped => Ok(Step::Finished),
            OutboxState::Uploading => {
                // An upload this worker is not doing: a crash leftover (whether it reached
                // Penneo is unknown, so the next attempt reconciles before sending) — unless a
                // live core on this database is uploading it right now.
                let i = id.to_string();
                let (run, lock) = self.inner.db.call(move |c| odb::uploader_of(c, &i)).await?;
                let me = &self.inner.uploader;
                let leftover = match (&run, &lock) {
                    // This run's own attempt, whose worker failed after it (one worker per
                    // entry per core: it is not uploading).
                    (Some(r), _) if *r == me.run_id => true,
                    // An earlier run on this data dir: gone, since this core holds its lock.
                    (_, Some(l)) if *l == me.lock_path => true,
                    // A core on another data dir sharing this database: alive while it holds
                    // its lock.
                    (_, Some(l)) => {
                        let l = std::path::PathBuf::from(l);
                        !tokio::task::spawn_blocking(move || super::lock_is_held(&l)).await?
                    }
                    // Recorded before uploaders were: an earlier run of this data dir.
                    (_, None) => true,
                };
                if !leftover {
                    tracing::info!(entry = %id, "another Penneo Desk is uploading this send; leaving it to it");
                    return Ok(Step::Finished);
                }
                let (i, r) = (id.to_string(), run.clone());
                self.inner
                    .db
                    .call(move |c| {
                        odb::requeue_leftover(c, &i, r.as_deref(), &OutboxNote::ResumingUpload)
                    })
                    .await?;
                self.announce(id).await;
                Ok(Step::Continue)
            }
            OutboxState::Queued => self.step_queued(&client, e).await,
            OutboxState::Sent => self.step_sent(&client, e).await,
            OutboxState::Created | OutboxState::Tracking => self.step_track(&client, e).await,
        }
    }

    async fn step_queued(&self, client: &penneo::Penneo, e: OutboxEntry) -> Result<Step> {
        // The files must be what was queued.
        let files = e.files.clone();
        let check = tokio::task::spawn_blocking(move || {
            for f in &files {
                match crate::intake::hash_file(std::path::Path::new(&f.path)) {
                    Err(err) => {
                        return Some(OutboxNote::FileUnreadable {
                            file_name: f.file_name.clone(),
                            detail: err.to_string(),
                        })
                    }
                    Ok((hash, _)) if hash != f.sha256 => {
                        return Some(OutboxNote::FileChanged {
                            file_name: f.file_name.clone(),
                        })
                    }
                    Ok(_) => {}
                }
            }
            None
        })
        .await?;
        if let Some(note) = check {
            return self.stop_entry(&e.id, OutboxState::Queued, note).await;
        }
        if let Some(left) = self.unsure_wait_left(&e.id, &e.account_id).await? {
            if e.note != Some(OutboxNote::UnsureWait) {
                let i = e.id.clone();
                self.inner
                    .db
                    .call(move |c| {
                        odb::set_note(c, &i, OutboxState::Queued, &OutboxNote::UnsureWait)
                    })
                    .await?;
                self.announce(&e.id).await;
            }
            return Ok(Step::Sleep(left));
        }
        if e.attempts > 0 {
            if let Some(cf) = self.reconcile(client, &e).await? {
                tracing::info!(entry = %e.id, casefile = cf, "an earlier attempt had made the casefile");
                self.mark_created(&e.id, OutboxState::Queued, cf, None)
                    .await?;
                return Ok(Step::Continue);
            }
        }
        let data = prepared(&e)?;
        let files = uploads(&e);
        let (i, by) = (e.id.clone(), self.inner.uploader.clone());
        self.inner
            .db
            .call(move |c| odb::begin_upload(c, &i, &by))
            .await?;
        self.announce(&e.id).await;
        let this = self.clone();
        let entry_id = e.id.clone();
        let last_pct = Arc::new(AtomicU64::new(u64::MAX));
        let progress: penneo::ProgressFn = Arc::new(move |p: penneo::Progress| {
            let pct = (p.bytes_sent * 100)
                .checked_div(p.total_bytes)
                .unwrap_or(100);
            if last_pct.swap(pct, Ordering::Relaxed) != pct {
                this.emit(DeskEvent::UploadProgress {
                    entry_id: entry_id.clone(),
                    bytes_sent: p.bytes_sent,
                    total_bytes: p.total_bytes,
                });
            }
        });
        match client.casefiles().send(&data, &files, Some(progress)).await {
            Ok(resp) => match resp.jobs.first() {
                Some(job) => {
                    let (i, u, h) = (e.id.clone(), job.uuid.clone(), job.payload_hash.clone());
                    self.inner
                        .db
                        .call(move |c| odb::mark_sent(c, &i, &u, &h))
                        .await?;
                    self.announce(&e.id).await;
                    Ok(Step::Continue)
                }
                None => {
                    self.requeue_unsure(&e.id, OutboxNote::NoJobNamed).await?;
                    Ok(Step::Continue)
                }
            },
            Err(err) => {
                let said = penneo_words(&err);
                let de = DeskError::from(err);
                match de {
                    DeskError::InvalidInput { .. }
                    | DeskError::Forbidden(_)
                    | DeskError::NotFound(_)
                    | DeskError::NotSupported(_) => {
                        self.stop_entry(
                            &e.id,
                            OutboxState::Uploading,
                            OutboxNote::NotAccepted {
                                error: NoteError::from(&de).said_by_penneo(said),
                            },
                        )
                        .await
                    }
                    DeskError::AuthRequired(_) => {
                        self.move_to(
                            &e.id,
                            OutboxState::Uploading,
                            OutboxState::Queued,
                            Some(OutboxNote::SignInAgain),
                        )
                        .await?;
                        Err(de)
                    }
                    DeskError::RateLimited { retry_after_secs } => {
                        // Penneo turned the upload away before taking it: its fate is known.
                        let wait = retry_after_secs
                            .map(Duration::from_secs)
                            .unwrap_or_else(|| self.backoff(e.attempts as u32 + 1));
                        self.move_to(
                            &e.id,
                            OutboxState::Uploading,
                            OutboxState::Queued,
                            Some(OutboxNote::WillRetry {
                                error: NoteError::from(&de),
                            }),
                        )
                        .await?;
                        Ok(Step::Sleep(wait))
                    }
                    _ => {
                        // Unknown whether Penneo took it: the next attempt waits for Penneo's
                        // job, then looks for the casefile before sending again.
                        let error = NoteError::from(&de);
                        self.requeue_unsure(&e.id, OutboxNote::WillRetry { error })
                            .await?;
                        Ok(Step::Sleep(self.backoff(e.attempts as u32 + 1)))
                    }
                }
            }
        }
    }

    async fn step_sent(&self, client: &penneo::Penneo, e: OutboxEntry) -> Result<Step> {
        let (Some(uuid), Some(hash)) = (e.job_uuid.clone(), e.payload_hash.clone()) else {
            return self
                .stop_entry(&e.id, e.state, OutboxNote::JobNotRecorded)
                .await;
        };
        let job_ref = penneo::JobRef {
            uuid: uuid.clone(),
            payload_hash: hash.clone(),
            created_at: None,
        };
        let interval = self
            .inner
            .cfg
            .job_poll_interval
            .max(penneo::jobs::MIN_POLL_INTERVAL);
        match client.jobs().status(&job_ref).await {
            Ok(job) => {
                let status = job.job_status.clone();
                self.emit(DeskEvent::JobStatus {
                    entry_id: e.id.clone(),
                    job_uuid: uuid.clone(),
                    status: status.clone(),
                });
                let (acc, u, h, s, cf, em) = (
                    e.account_id.clone(),
                    uuid.clone(),
                    hash.clone(),
                    status.clone(),
                    job.casefile_id().and_then(|c| i64::try_from(c).ok()),
                    job.error_message.clone(),
                );
                let oid = e.id.clone();
                self.inner
                    .db
                    .call(move |c| {
                        crate::db::bookkeeping::upsert_job(
                            c,
                            &acc,
                            &crate::db::bookkeeping::JobRecord {
                                uuid: u,
                                outbox_id: Some(oid),
                                payload_hash: h,
                                status: s,
                                casefile_id: cf,
                                error_message: em,
                                created_at: crate::db::now(),
                                updated_at: crate::db::now(),
                            },
                        )
                    })
                    .await?;
                match job.job_status {
                    penneo::JobStatus::Completed => {
                        match job.casefile_id().and_then(|c| i64::try_from(c).ok()) {
                            Some(cf) => {
                                let links = OutboxResult {
                                    signing_links: job.signing_links().to_vec(),
                                };
                                self.mark_created(&e.id, e.state, cf, Some(links)).await?;
                                Ok(Step::Continue)
                            }
                            None => match self.reconcile(client, &e).await? {
                                Some(cf) => {
                                    self.mark_created(&e.id, e.state, cf, None).await?;
                                    Ok(Step::Continue)
                                }
                                None => {
                                    self.stop_entry(&e.id, e.state, OutboxNote::NoCasefileNamed)
                                        .await
                                }
                            },
                        }
                    }
                    penneo::JobStatus::Failed => {
                        let penneo_message =
                            job.error_message.clone().filter(|m| !m.trim().is_empty());
                        self.stop_entry(&e.id, e.state, OutboxNote::JobFailed { penneo_message })
                            .await
                    }
                    penneo::JobStatus::AbortedDuplicated => {
                        // An earlier attempt of this same send is (or was) being processed.
                        if let Some(cf) = self.reconcile(client, &e).await? {
                            self.mark_created(&e.id, e.state, cf, None).await?;
                            return Ok(Step::Continue);
                        }
                        let since = time::OffsetDateTime::parse(
                            &e.updated_at,
                            &time::format_description::well_known::Rfc3339,
                        )
                        .map(|t| t.unix_timestamp())
                        .unwrap_or(0);
                        if time::OffsetDateTime::now_utc().unix_timestamp() - since
                            > DUPLICATE_PATIENCE.as_secs() as i64
                        {
                            return self
                                .stop_entry(&e.id, e.state, OutboxNote::DuplicateNotFound)
                                .await;
                        }
                        Ok(Step::Sleep(interval))
                    }
                    _ => Ok(Step::Sleep(interval)),
                }
            }
            Err(penneo::Error::NotFound { .. }) => {
                // The job is gone (expired). Either the casefile exists, or it must be sent again.
                match self.reconcile(client, &e).await? {
                    Some(cf) => {
                        self.mark_created(&e.id, e.state, cf, None).await?;
                        Ok(Step::Continue)
                    }
                    None => {
                        self.move_to(
                            &e.id,
                            e.state,
                            OutboxState::Queued,
                            Some(OutboxNote::JobLost),
                        )
                        .await?;
                        Ok(Step::Continue)
                    }
                }
            }
            Err(penneo::Error::RateLimited { retry_after }) => {
                Ok(Step::Sleep(retry_after.unwrap_or(interval).max(interval)))
            }
            Err(err) if err.is_retryable() => Ok(Step::Sleep(interval)),
            Err(err) => Err(err.into()),
        }
    }

    async fn step_track(&self, client: &penneo::Penneo, e: OutboxEntry) -> Result<Step> {
        let Some(cf_id) = e.casefile_id else {
            return self
                .stop_entry(&e.id, e.state, OutboxNote::CasefileIdNotRecorded)
                .await;
        };
        // The background check brings this account's changed casefiles every few seconds:
        // follow the cached one then, instead of asking Penneo for it once more. A casefile not
        // cached yet (just made) is fetched once, so it is in the list at once.
        let covered = self
            .inner
            .background_check
            .load(std::sync::atomic::Ordering::SeqCst)
            && self.active_id().await.ok().as_deref() == Some(e.account_id.as_str());
        let cached = if covered {
            let acc = e.account_id.clone();
            self.inner
                .db
                .call(move |c| crate::db::casefiles::get_casefile(c, &acc, cf_id))
                .await?
                .map(|r| r.status)
        } else {
            None
        };
        let (terminal, interval) = match cached {
            Some(status) => (status.is_terminal(), self.inner.cfg.casefile_poll_interval),
            None => {
                let interval = if covered {
                    self.inner.cfg.casefile_poll_interval
                } else {
                    self.inner.cfg.tracking_poll_interval
                };
                let cf = match client.casefiles().get(cf_id as u64).await {
                    Ok(cf) => cf,
                    Err(err) if err.is_retryable() => return Ok(Step::Sleep(interval)),
                    Err(err) => return Err(err.into()),
                };
                let terminal = cf.status.is_terminal();
                self.store_penneo_casefiles(&e.account_id, &[cf]).await?;
                (terminal, interval)
            }
        };
        if terminal {
            self.move_to(&e.id, e.state, OutboxState::Done, None)
                .await?;
            return Ok(Step::Finished);
        }
        if e.state == OutboxState::Created {
            self.move_to(&e.id, OutboxState::Created, OutboxState::Tracking, None)
                .await?;
        }
        Ok(Step::Sleep(interval))
    }
}

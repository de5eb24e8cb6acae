//! Incremental sync into the local cache: forms (+ versions), submissions by a `completedAfter`
//! watermark per form (answers flattened into the FTS-indexed rows), casefiles by `updatedAfter`.

use futures_util::{StreamExt, TryStreamExt};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{DeskCore, DeskEvent};
use crate::db::bookkeeping::{self, form_scope, SCOPE_CASEFILES, SCOPE_FORMS};
use crate::db::casefiles::{self as cdb, CasefileRecord, DocumentRecord, SignerRecord};
use crate::db::forms::{self as fdb, FormRecord, FormVersionRecord};
use crate::db::submissions::{self as sdb, AnswerRow, SubmissionRecord};
use crate::db::{normalize_time, now};
use crate::error::{DeskError, Result};
use crate::SignerState;

/// Submissions fetched per page.
const PAGE: u32 = 500;
/// Answer fetches in flight at once.
const CONCURRENCY: usize = 8;
/// Overlap of the casefile watermark, against clock skew between this machine and Penneo.
const CASEFILE_OVERLAP_SECS: i64 = 300;
/// The background sync's first run, after the app started (or `full_sync_interval` if shorter).
const FIRST_SYNC_AFTER: std::time::Duration = std::time::Duration::from_secs(30);
/// Overlap of a form's submissions watermark: each incremental sync asks for everything
/// completed since a day before the newest `completedAt` seen. A submission Penneo finishes
/// processing late appears in the list with a `completedAt` older than ones already seen;
/// within a day it is still found. What the overlap brings again is skipped by id.
pub const SUBMISSION_OVERLAP_SECS: i64 = 86_400;

/// The `completedAfter` to ask for: the watermark minus the overlap, in whole seconds (a
/// watermark that is not RFC 3339 is sent as it is).
pub(crate) fn submissions_after(watermark: &str) -> String {
    use time::format_description::well_known::Rfc3339;
    let fmt = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");
    match time::OffsetDateTime::parse(watermark, &Rfc3339) {
        Ok(t) => (t.to_offset(time::UtcOffset::UTC)
            - time::Duration::seconds(SUBMISSION_OVERLAP_SECS))
        .format(&fmt)
        .unwrap_or_else(|_| watermark.to_string()),
        Err(_) => watermark.to_string(),
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SyncProgress {
    /// "forms", "submissions" or "casefiles".
    pub scope: String,
    pub form_id: Option<String>,
    pub done: u64,
    pub total: Option<u64>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SyncReport {
    pub forms: u64,
    pub submissions: u64,
    pub casefiles: u64,
    /// Casefiles Penneo listed in a shape that could not be read: left out of the cache (and
    /// logged), counted here so the user hears of them.
    pub skipped_casefiles: u64,
    /// Forms whose submissions could not be synced, with the reason.
    pub failures: Vec<String>,
    pub finished_at: String,
}

/// What one casefile sync did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CasefileSync {
    /// Casefiles stored in the cache.
    pub synced: u64,
    /// Casefiles Penneo listed in a shape that could not be read, left out.
    pub skipped: u64,
}

/// A value as text for the table and the search index.
fn value_text(v: &Value) -> Option<String> {
    match v {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(n.to_string()),
        Value::Array(a) => {
            let parts: Vec<String> = a.iter().filter_map(value_text).collect();
            (!parts.is_empty()).then(|| parts.join(", "))
        }
        Value::Object(o) => o
            .get("label")
            .or_else(|| o.get("filename"))
            .or_else(|| o.get("name"))
            .or_else(|| o.get("value"))
            .and_then(value_text)
            .or_else(|| Some(v.to_string())),
    }
}

/// Flatten an answers object into rows (repeated sections: one row per instance).
pub(crate) fn flatten_answers(a: &penneo::Answers) -> Vec<AnswerRow> {
    let mut rows = Vec::new();
    for s in &a.sections {
        let slug = s.slug.clone().unwrap_or_default();
        let mut push = |idx: i64, ans: &penneo::Answer| {
            let value = match (&ans.values, &ans.value) {
                (Some(vs), _) => value_text(&Value::Array(vs.clone())),
                (None, Some(v)) => value_text(v),
                (None, None) => None,
            };
            rows.push(AnswerRow {
                section_slug: slug.clone(),
                instance_index: idx,
                field_name: ans.name.clone(),
                label: ans.label.clone(),
                field_type: ans.field_type.as_ref().map(|t| t.as_str().to_string()),
                value_text: value,
            });
        };
        for ans in s.answers.iter().flatten() {
            push(0, ans);
        }
        for (i, inst) in s.instances.iter().flatten().enumerate() {
            for ans in &inst.answers {
                push(i as i64, ans);
            }
        }
    }
    rows
}

fn unix_to_text(t: Option<i64>) -> Option<String> {
    t.and_then(|s| time::OffsetDateTime::from_unix_timestamp(s).ok())
        .map(crate::db::format_utc)
}

/// A casefile as cached: e-mail and status from each signer's signing request, role and
/// sign order from its signature lines; the status is read with the account's learned
/// numbering (`None` until there is one).
pub(crate) fn casefile_record(
    cf: &penneo::CaseFile,
    scheme: Option<penneo::SignerStatusScheme>,
) -> Result<CasefileRecord> {
    let updated = cf.extra.get("updated").and_then(Value::as_i64).or_else(|| {
        [cf.created, cf.activated, cf.completed]
            .into_iter()
            .flatten()
            .max()
    });
    Ok(CasefileRecord {
        casefile_id: i64::try_from(cf.id)
            .map_err(|_| DeskError::Internal("casefile id out of range".into()))?,
        title: cf.title.clone().unwrap_or_default(),
        reference: cf.reference.clone(),
        status: cf.status,
        language: cf.language.clone(),
        created_at: unix_to_text(cf.created),
        updated_at: unix_to_text(updated),
        sent_at: unix_to_text(cf.send_at.or(cf.activated)),
        expire_at: unix_to_text(cf.expire_at),
        completed_at: unix_to_text(cf.completed),
        signers: cf
            .signers
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let id = s.id.unwrap_or(i as i64);
                let code = s.status_code();
                Ok(SignerRecord {
                    signer_id: id,
                    name: s.name.clone(),
                    email: s.email().map(str::to_string),
                    role: s.id.and_then(|id| cf.signer_role(id)),
                    status: SignerState::from_code(scheme, code),
                    status_code: code,
                    signing_request_id: s.signing_request.as_ref().and_then(|r| r.id),
                    signing_order: s.id.and_then(|id| cf.signer_sign_order(id)),
                    signed_at: None,
                    raw: serde_json::to_value(s)?,
                })
            })
            .collect::<Result<Vec<_>>>()?,
        documents: cf
            .documents
            .iter()
            .map(|d| {
                Ok(DocumentRecord {
                    document_id: i64::try_from(d.id).unwrap_or(i64::MAX),
                    title: d.title.clone(),
                    doc_type: d
                        .signable
                        .map(|s| if s { "signable" } else { "attachment" }.to_string()),
                    status: d.status,
                    doc_order: d.document_order,
                    raw: serde_json::to_value(d)?,
                })
            })
            .collect::<Result<Vec<_>>>()?,
        raw: serde_json::to_value(cf)?,
        synced_at: now(),
    })
}

/// The cache's records of a form's versions as Penneo lists them (the definitions come later,
/// one version at a time, when asked for).
pub(crate) fn version_records(
    form_id: &str,
    versions: &[penneo::FormVersionSummary],
) -> Vec<FormVersionRecord> {
    versions
        .iter()
        .map(|v| FormVersionRecord {
            form_id: form_id.to_string(),
            version: i64::from(v.version),
            status: v.status.as_str().to_string(),
            created_at: v.created_at.clone(),
            updated_at: v.updated_at.clone(),
            definition: None,
        })
        .collect()
}

/// The cache's record of a form Penneo sent. `asked_for` is the id the form was fetched by,
/// used when the answer does not repeat it; a form from a list must carry its own.
pub(crate) fn form_record(f: penneo::Form, asked_for: Option<&str>) -> Result<FormRecord> {
    let id = f
        .form_id()
        .map(|i| i.as_str().to_string())
        .or_else(|| asked_for.map(str::to_string))
        .ok_or_else(|| DeskError::Server("Penneo sent a form without an id".into()))?;
    Ok(FormRecord {
        form_id: id,
        name: f.name.clone(),
        description: f.description.clone(),
        language: f.language.clone(),
        status: f
            .status
            .as_ref()
            .map(|s| s.as_str().to_string())
            .unwrap_or_else(|| penneo::FormStatus::Draft.as_str().to_string()),
        version: i64::from(f.version.unwrap_or(1)),
        created_at: f.created_at.clone(),
        updated_at: f.updated_at.clone(),
        synced_at: now(),
        definition: f,
    })
}

impl DeskCore {
    /// Counts one more page of a sync loop; past [`super::DeskConfig::max_sync_pages`] the
    /// loop stops with an error (a server that ignores the offset would never end it).
    fn count_page(&self, pages: &mut u32, what: &str) -> Result<()> {
        *pages += 1;
        let max = self.inner.cfg.max_sync_pages;
        if *pages > max {
            return Err(DeskError::Server(format!(
                "Penneo kept sending full pages of {what} past {max} pages; the sync stopped \
                 there. Try again later."
            )));
        }
        Ok(())
    }

    /// Fetch all forms (and their version lists) into the cache.
    pub async fn sync_forms(&self, progress: &(dyn Fn(SyncProgress) + Send + Sync)) -> Result<u64> {
        let (acc, client) = self.active_client().await?;
        let mut all = Vec::new();
        let mut offset = 0u32;
        let mut pages = 0u32;
        loop {
            self.count_page(&mut pages, "forms")?;
            let q = penneo::FormListQuery {
                limit: Some(100),
                offset: Some(offset),
                ..Default::default()
            };
            let page = client.forms().list(&q).await?;
            let n = page.len() as u32;
            all.extend(page);
            progress(SyncProgress {
                scope: "forms".into(),
                form_id: None,
                done: all.len() as u64,
                total: None,
            });
            if n < 100 {
                break;
            }
            offset += n;
        }
        let records = all
            .into_iter()
            .map(|f| form_record(f, None))
            .collect::<Result<Vec<_>>>()?;
        let mut versions = Vec::new();
        for r in &records {
            match client.forms().versions(&r.form_id).await {
                Ok(vs) => versions.push((r.form_id.clone(), version_records(&r.form_id, &vs))),
                Err(penneo::Error::NotSupported { .. }) => {}
                Err(e) => return Err(e.into()),
            }
        }
        let n = records.len() as u64;
        let a = acc.clone();
        self.inner
            .db
            .call(move |c| {
                for r in &records {
                    fdb::upsert_form(c, &a, r)?;
                }
                let keep: Vec<String> = records.iter().map(|r| r.form_id.clone()).collect();
                fdb::retain_forms(c, &a, &keep)?;
                for (form_id, vs) in &versions {
                    fdb::replace_versions(c, &a, form_id, vs)?;
                }
                bookkeeping::set_sync(c, &a, SCOPE_FORMS, None)
            })
            .await?;
        Ok(n)
    }

    /// Fetch submissions of one form completed after the stored watermark (less
    /// [`SUBMISSION_OVERLAP_SECS`]) with their answers; those already stored are skipped. The
    /// watermark only moves forward, and only to a `completedAt` Penneo sent.
    pub async fn sync_submissions(
        &self,
        form_id: &str,
        progress: &(dyn Fn(SyncProgress) + Send + Sync),
    ) -> Result<u64> {
        let (acc, client) = self.active_client().await?;
        let scope = form_scope(form_id);
        let (a, s) = (acc.clone(), scope.clone());
        let watermark = self
            .inner
            .db
            .call(move |c| bookkeeping::get_sync(c, &a, &s))
            .await?
            .and_then(|s| s.watermark);
        let after = watermark.as_deref().map(submissions_after);
        let report = |done: u64| {
            progress(SyncProgress {
                scope: "submissions".into(),
                form_id: Some(form_id.to_string()),
                done,
                total: None,
            })
        };
        let mut offset = 0u32;
        let mut done = 0u64;
        // The newest completedAt known: (sortable form, as the server wrote it). It starts at
        // the stored watermark, so the overlap (older rows) never moves it back.
        let mut newest: Option<(String, String)> =
            watermark.as_ref().map(|w| (normalize_time(w), w.clone()));
        let mut pages = 0u32;
        let list = |offset: u32| {
            let q = penneo::SubmissionQuery {
                limit: Some(PAGE),
                offset: Some(offset),
                completed_after: after.clone(),
                completed_before: None,
            };
            let client = client.clone();
            let form_id = form_id.to_string();
            async move { client.submissions().page(&form_id, &q).await }
        };
        // The pages overlap: while one page's rows are written (on the blocking pool), the
        // next page's answers are fetched. The check for rows already stored runs before the
        // previous page's write starts (one connection: it would wait for the write), so the
        // ids this pass has fetched are kept here too, which also skips duplicates a list
        // shifting under the offsets brings on a later page.
        let mut fetched: std::collections::HashSet<String> = std::collections::HashSet::new();
        self.count_page(&mut pages, "submissions")?;
        let mut page = list(offset).await?;
        let mut known = self.known_ids(&acc, &page).await?;
        let mut writing: Option<tokio::task::JoinHandle<Result<u64>>> = None;
        loop {
            let n = page.len() as u32;
            for s in &page {
                if let Some(c) = s.completed_at.as_ref().filter(|c| !c.trim().is_empty()) {
                    let norm = normalize_time(c);
                    if newest.as_ref().is_none_or(|(m, _)| norm > *m) {
                        newest = Some((norm, c.clone()));
                    }
                }
            }
            // The overlap brings back rows already stored: skip them (no second answers
            // fetch).
            let fresh: Vec<penneo::Submission> = page
                .into_iter()
                .filter(|s| {
                    let id = s.submission_id.as_str();
                    !known.contains(id) && fetched.insert(id.to_string())
                })
                .collect();
            let records = self.fetch_answers(&client, form_id, fresh).await?;
            let next = if n < PAGE {
                None
            } else {
                offset += n;
                self.count_page(&mut pages, "submissions")?;
                Some(list(offset).await?)
            };
            if let Some(w) = writing.take() {
                done += w.await??;
                report(done);
            }
            if let Some(p) = &next {
                known = self.known_ids(&acc, p).await?;
            }
            let (db, a) = (self.inner.db.clone(), acc.clone());
            writing = Some(tokio::spawn(async move {
                let n = records.len() as u64;
                db.call(move |c| sdb::upsert_submissions(c, &a, &records))
                    .await?;
                Ok(n)
            }));
            match next {
                Some(p) => page = p,
                None => break,
            }
        }
        if let Some(w) = writing.take() {
            done += w.await??;
            report(done);
        }
        // Only a complete pass moves the watermark (pages are ordered by id, not by time).
        // `newest` started at the stored watermark: it moves only forward, and rows without a
        // completedAt leave it alone.
        let wm = newest.map(|(_, raw)| raw);
        let a = acc.clone();
        self.inner
            .db
            .call(move |c| bookkeeping::set_sync(c, &a, &scope, wm.as_deref()))
            .await?;
        Ok(done)
    }

    /// Which of a listed page's submissions are stored already.
    async fn known_ids(
        &self,
        acc: &str,
        page: &[penneo::Submission],
    ) -> Result<std::collections::HashSet<String>> {
        let ids: Vec<String> = page
            .iter()
            .map(|s| s.submission_id.as_str().to_string())
            .collect();
        let a = acc.to_string();
        self.inner
            .db
            .call(move |c| sdb::known_submission_ids(c, &a, &ids))
            .await
    }

    /// The answers of these submissions (a few requests in flight), as records to store.
    async fn fetch_answers(
        &self,
        client: &penneo::Penneo,
        form_id: &str,
        page: Vec<penneo::Submission>,
    ) -> Result<Vec<SubmissionRecord>> {
        futures_util::stream::iter(page)
            .map(|s| {
                let client = client.clone();
                let fid = form_id.to_string();
                async move {
                    let answers = client
                        .submissions()
                        .answers(&fid, s.submission_id.as_str())
                        .await?;
                    let first = answers.respondents.first();
                    Ok::<_, DeskError>(SubmissionRecord {
                        submission_id: s.submission_id.as_str().to_string(),
                        casefile_id: s.casefile_id.as_ref().and_then(|c| c.as_str().parse().ok()),
                        request_id: s.request_id.as_ref().map(|r| r.as_str().to_string()),
                        version: s.version.or(answers.version).map(i64::from),
                        completed_at: s.completed_at.clone().unwrap_or_default(),
                        respondent_name: first.and_then(|r| r.name.clone()),
                        respondent_email: first.and_then(|r| r.email.clone()),
                        answers: flatten_answers(&answers),
                        answers_json: Some(answers),
                        form_id: fid,
                    })
                }
            })
            .buffered(CONCURRENCY)
            .try_collect()
            .await
    }

    /// Fetch casefiles updated since the last sync; emits a status event for each change.
    /// Returns how many were synced (see [`Self::sync_casefiles_counted`] for the ones left out).
    pub async fn sync_casefiles(
        &self,
        progress: &(dyn Fn(SyncProgress) + Send + Sync),
    ) -> Result<u64> {
        Ok(self.sync_casefiles_counted(progress).await?.synced)
    }

    /// [`Self::sync_casefiles`], also counting the casefiles Penneo listed in a shape that could
    /// not be read (left out; one odd record never fails the sync).
    pub async fn sync_casefiles_counted(
        &self,
        progress: &(dyn Fn(SyncProgress) + Send + Sync),
    ) -> Result<CasefileSync> {
        let (acc, client) = self.active_client().await?;
        let a = acc.clone();
        let watermark = self
            .inner
            .db
            .call(move |c| bookkeeping::get_sync(c, &a, SCOPE_CASEFILES))
            .await?
            .and_then(|s| s.watermark)
            .and_then(|w| w.parse::<i64>().ok());
        let started = time::OffsetDateTime::now_utc().unix_timestamp();
        let q = penneo::CaseFileListQuery {
            updated_after: watermark,
            per_page: Some(100),
            ..Default::default()
        };
        let mut stream = Box::pin(client.casefiles().list_noted(&q).chunks(100));
        let mut done = 0u64;
        let mut skipped = 0u64;
        while let Some(chunk) = stream.next().await {
            let mut list = Vec::new();
            for item in chunk {
                match item? {
                    penneo::casefiles::Listed::Item(cf) => list.push(*cf),
                    penneo::casefiles::Listed::Skipped { .. } => skipped += 1,
                }
            }
            done += list.len() as u64;
            self.store_penneo_casefiles(&acc, &list).await?;
            progress(SyncProgress {
                scope: "casefiles".into(),
                form_id: None,
                done,
                total: None,
            });
        }
        if skipped > 0 {
            tracing::warn!(
                skipped,
                "casefile sync left out casefiles Penneo sent in an unexpected shape"
            );
        }
        let wm = (started - CASEFILE_OVERLAP_SECS).to_string();
        let a = acc.clone();
        self.inner
            .db
            .call(move |c| bookkeeping::set_sync(c, &a, SCOPE_CASEFILES, Some(&wm)))
            .await?;
        Ok(CasefileSync {
            synced: done,
            skipped,
        })
    }

    /// Learns the account's signer status numbering from these casefiles if it is not known
    /// yet (a completed casefile's signers all share the "signed" code), then caches them.
    pub(crate) async fn store_penneo_casefiles(
        &self,
        acc: &str,
        list: &[penneo::CaseFile],
    ) -> Result<()> {
        let a = acc.to_string();
        let mut scheme = self
            .inner
            .db
            .call(move |c| cdb::signer_status_scheme(c, &a))
            .await?;
        if scheme.is_none() {
            if let Some(learned) = list.iter().find_map(penneo::SignerStatusScheme::learn) {
                tracing::info!(
                    scheme = learned.as_str(),
                    "learned the server's signer status numbering"
                );
                let a = acc.to_string();
                self.inner
                    .db
                    .call(move |c| cdb::set_signer_status_scheme(c, &a, learned))
                    .await?;
                scheme = Some(learned);
            }
        }
        let records = list
            .iter()
            .map(|cf| casefile_record(cf, scheme))
            .collect::<Result<Vec<_>>>()?;
        self.store_casefiles(acc, records).await
    }

    /// Upsert casefiles and emit an event for each status change.
    pub(crate) async fn store_casefiles(
        &self,
        acc: &str,
        records: Vec<CasefileRecord>,
    ) -> Result<()> {
        let a = acc.to_string();
        let changes = self
            .inner
            .db
            .call(move |c| {
                let mut changes = Vec::new();
                for r in &records {
                    let prev: Option<penneo::CasefileStatus> = c
                        .query_row(
                            "SELECT status FROM casefiles WHERE account_id=?1 AND casefile_id=?2",
                            rusqlite::params![a, r.casefile_id],
                            |row| row.get::<_, i64>(0),
                        )
                        .ok()
                        .map(Into::into);
                    if prev != Some(r.status) {
                        changes.push((r.casefile_id, r.title.clone(), r.status, prev));
                    }
                }
                cdb::upsert_casefiles(c, &a, &records)?;
                Ok(changes)
            })
            .await?;
        for (id, title, status, previous) in changes {
            self.emit(DeskEvent::CasefileStatus {
                account_id: acc.to_string(),
                casefile_id: id,
                title,
                status,
                previous,
            });
        }
        Ok(())
    }

    /// Forms, then every form's submissions, then casefiles. A form that fails is reported and
    /// the others go on; losing the session stops everything.
    pub async fn sync_all(
        &self,
        progress: &(dyn Fn(SyncProgress) + Send + Sync),
    ) -> Result<SyncReport> {
        let mut report = SyncReport {
            forms: self.sync_forms(progress).await?,
            ..Default::default()
        };
        let acc = self.active_id().await?;
        let forms = self
            .inner
            .db
            .call(move |c| {
                fdb::list_forms(
                    c,
                    &acc,
                    &fdb::FormQuery {
                        limit: Some(1000),
                        ..Default::default()
                    },
                )
            })
            .await?;
        for f in forms.result {
            match self.sync_submissions(&f.form_id, progress).await {
                Ok(n) => report.submissions += n,
                Err(e @ DeskError::AuthRequired(_)) => return Err(e),
                Err(e) => report.failures.push(format!("{}: {e}", f.name)),
            }
        }
        let casefiles = self.sync_casefiles_counted(progress).await?;
        report.casefiles = casefiles.synced;
        report.skipped_casefiles = casefiles.skipped;
        report.finished_at = now();
        Ok(report)
    }

    /// Keep the active account fresh while the app runs: an incremental casefile sync every
    /// `casefile_poll_interval` (status changes arrive as [`DeskEvent::CasefileStatus`]); half a
    /// minute after the start and then every `full_sync_interval`, a full incremental sync
    /// instead — forms,
    /// every form's submissions (by their watermark), casefiles — announced as
    /// [`DeskEvent::BackgroundSynced`], so the answers clients send arrive while the user works
    /// on another page. Errors are logged and retried at the next tick; stops at
    /// [`DeskCore::shutdown`].
    pub fn start_background_sync(&self) {
        let this = self.clone();
        self.inner
            .background_check
            .store(true, std::sync::atomic::Ordering::SeqCst);
        tokio::spawn(async move {
            // Nothing in the first half minute (the app is starting, the user looking), then
            // everything (a fresh start has no submissions yet), then every
            // `full_sync_interval`, with the casefile check between.
            let started = tokio::time::Instant::now();
            let first = this.inner.cfg.full_sync_interval.min(FIRST_SYNC_AFTER);
            let mut last_full: Option<tokio::time::Instant> = None;
            loop {
                let wait = match last_full {
                    None => first.saturating_sub(started.elapsed()),
                    Some(_) => this.inner.cfg.casefile_poll_interval,
                };
                tokio::select! {
                    _ = tokio::time::sleep(wait) => {}
                    _ = this.inner.wake.notified() => {}
                    _ = this.inner.shutdown.cancelled() => break,
                }
                if last_full.is_none_or(|t| t.elapsed() >= this.inner.cfg.full_sync_interval) {
                    last_full = Some(tokio::time::Instant::now());
                    match this.sync_all(&|_| {}).await {
                        Ok(report) => this.emit(DeskEvent::BackgroundSynced {
                            submissions: report.submissions,
                            finished_at: report.finished_at,
                        }),
                        Err(e) => tracing::debug!(error = %e, "background sync failed"),
                    }
                } else if let Err(e) = this.sync_casefiles(&|_| {}).await {
                    tracing::debug!(error = %e, "background casefile sync failed");
                }
            }
            this.inner
                .background_check
                .store(false, std::sync::atomic::Ordering::SeqCst);
        });
    }

    /// When each scope was last synced (for "last synced …" in the UI).
    pub async fn sync_state(&self) -> Result<Vec<bookkeeping::SyncState>> {
        let acc = self.active_id().await?;
        self.inner
            .db
            .call(move |c| bookkeeping::list_sync(c, &acc))
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_overlap_starts_a_day_before_the_watermark() {
        assert_eq!(
            submissions_after("2026-03-02T10:20:30.123Z"),
            "2026-03-01T10:20:30Z"
        );
        assert_eq!(
            submissions_after("2026-03-02T10:20:30+02:00"),
            "2026-03-01T08:20:30Z"
        );
        assert_eq!(submissions_after("not a date"), "not a date");
    }

    #[test]
    fn flattens_sections_instances_and_values() {
        let a: penneo::Answers = serde_json::from_value(json!({
            "submissionId": "s1", "formId": "f1", "version": 2,
            "respondents": [{"name": "Anna", "email": "anna@example.com"}],
            "sections": [
                {"slug": "person", "title": "Person", "answers": [
                    {"name": "full_name", "label": "Full name", "type": "TEXT", "value": "Anna Berg"},
                    {"name": "age", "label": "Age", "type": "NUMBER", "value": 42},
                    {"name": "langs", "label": "Languages", "type": "CHOICE", "values": ["da", "en"]}
                ]},
                {"slug": "owners", "title": "Owners", "multipleEntries": true, "instances": [
                    {"answers": [{"name": "owner", "label": "Owner", "type": "TEXT", "value": "A"}]},
                    {"answers": [{"name": "owner", "label": "Owner", "type": "TEXT", "value": "B"}]}
                ]}
            ]
        }))
        .unwrap();
        let rows = flatten_answers(&a);
        let got: Vec<(String, i64, String, Option<String>)> = rows
            .iter()
            .map(|r| {
                (
                    r.section_slug.clone(),
                    r.instance_index,
                    r.field_name.clone(),
                    r.value_text.clone(),
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                (
                    "person".into(),
                    0,
                    "full_name".into(),
                    Some("Anna Berg".into())
                ),
                ("person".into(), 0, "age".into(), Some("42".into())),
                ("person".into(), 0, "langs".into(), Some("da, en".into())),
                ("owners".into(), 0, "owner".into(), Some("A".into())),
                ("owners".into(), 1, "owner".into(), Some("B".into())),
            ]
        );
        assert_eq!(rows[1].field_type.as_deref(), Some("NUMBER"));
    }
}

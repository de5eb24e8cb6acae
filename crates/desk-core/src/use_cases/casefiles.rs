//! Casefiles: file intake, sending through the outbox, the cached list and detail, casefile
//! files and answers, and signed-document downloads.

use std::path::PathBuf;

use serde::Deserialize;

use super::DeskCore;
use crate::db::bookkeeping::{self, DownloadRecord};
use crate::db::casefiles::{
    self as cdb, CasefileDraftRecord, CasefileFileRecord, CasefileQuery, CasefileRecord,
    CasefileSummary,
};
use crate::db::outbox::{self as odb, NewOutboxEntry, OutboxDraft, OutboxEntry, OutboxFile};
use crate::db::{now, Page};
use crate::downloads::{self, ByteProgress, DownloadTarget, PartialFile, SavedFile};
use crate::error::{DeskError, Result};
use crate::intake::{self, IntakeOptions, IntakeResult};
use crate::SignerState;

/// A casefile to send: the draft (documents named like the files) and the PDFs' paths.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CasefileSend {
    pub draft: penneo::CaseFileDraft,
    pub files: Vec<PathBuf>,
}

/// Penneo saves every signer and copy recipient as a contact unless told otherwise; the app
/// always says so explicitly, and only a box the user ticked makes it `true`.
fn contacts_only_when_asked(draft: &mut penneo::CaseFileDraft) {
    for s in &mut draft.case_file.signers {
        s.store_as_contact = Some(s.store_as_contact.unwrap_or(false));
    }
    for c in &mut draft.case_file.cc_recipients {
        c.store_as_contact = Some(c.store_as_contact.unwrap_or(false));
    }
}

/// A casefile file's id as listed, or its position when Penneo gave none.
fn file_id(f: &penneo::CasefileFile, index: usize) -> String {
    f.id.as_ref()
        .map(|i| i.as_str().to_string())
        .unwrap_or_else(|| format!("#{index}"))
}

impl DeskCore {
    /// Check dropped or picked files (the same call for both).
    pub async fn check_files(
        &self,
        paths: Vec<PathBuf>,
        opts: IntakeOptions,
    ) -> Result<Vec<IntakeResult>> {
        Ok(tokio::task::spawn_blocking(move || intake::check_files(&paths, &opts)).await?)
    }

    /// Queue a casefile: the draft, the exact data to upload and the files' hashes are written
    /// first, then the upload starts in the background. A reference `desk-<entry id>` is set
    /// when the user gave none, so a lost answer can be reconciled.
    pub async fn send_casefile(&self, req: CasefileSend) -> Result<OutboxEntry> {
        let (acc, client) = self.active_client().await?;
        if req.files.is_empty() {
            return Err(DeskError::invalid_field("files", "Add at least one PDF"));
        }
        let id = uuid::Uuid::new_v4().to_string();
        let mut draft = req.draft;
        let has_ref = draft
            .case_file
            .reference
            .as_deref()
            .is_some_and(|r| !r.trim().is_empty());
        if !has_ref {
            draft.case_file.reference = Some(format!("desk-{id}"));
        }
        let reference = draft.case_file.reference.clone().unwrap_or_default();
        contacts_only_when_asked(&mut draft);
        let paths = req.files.clone();
        let checked = tokio::task::spawn_blocking(move || {
            intake::check_files(&paths, &IntakeOptions::default())
        })
        .await?;
        let mut files = Vec::new();
        for (i, r) in checked.into_iter().enumerate() {
            match r {
                IntakeResult::Accepted(a) => files.push(OutboxFile {
                    idx: i as i64,
                    path: a.path.to_string_lossy().into_owned(),
                    file_name: a.file_name,
                    sha256: a.sha256,
                    size: a.size as i64,
                }),
                IntakeResult::Rejected(r) => {
                    return Err(DeskError::invalid_field(format!("files[{i}]"), r.message))
                }
            }
        }
        let uploads: Vec<penneo::UploadFile> = files
            .iter()
            .map(|f| penneo::UploadFile::with_name(&f.path, &f.file_name))
            .collect();
        let prepared = client.casefiles().prepare(&draft, &uploads)?;
        let title = draft.case_file.title.clone();
        let draft_json = OutboxDraft { draft, prepared };
        let (i, a) = (id.clone(), acc.clone());
        self.inner
            .db
            .call(move |c| {
                odb::enqueue(
                    c,
                    &NewOutboxEntry {
                        id: &i,
                        account_id: &a,
                        reference: &reference,
                        title: &title,
                        draft: &draft_json,
                        files: &files,
                    },
                )?;
                odb::get(c, &i)
            })
            .await?
            .ok_or_else(|| DeskError::Internal("the queued send vanished".into()))
            .inspect(|_| {
                if self.inner.cfg.autostart_outbox {
                    self.spawn_worker(id.clone());
                }
            })
    }

    pub async fn list_casefiles(&self, q: CasefileQuery) -> Result<Page<CasefileSummary>> {
        let acc = self.active_id().await?;
        self.inner
            .db
            .call(move |c| cdb::list_casefiles(c, &acc, &q))
            .await
    }

    // ---- drafts (local only, per account) ----

    /// Keeps the editor's draft of a casefile not yet sent.
    pub async fn save_casefile_draft(
        &self,
        draft_id: String,
        draft: penneo::CaseFileSpec,
    ) -> Result<CasefileDraftRecord> {
        let acc = self.active_id().await?;
        self.inner
            .db
            .call(move |c| cdb::save_casefile_draft(c, &acc, &draft_id, &draft))
            .await
    }

    /// The active account's casefile drafts, newest first.
    pub async fn list_casefile_drafts(&self) -> Result<Vec<CasefileDraftRecord>> {
        let acc = self.active_id().await?;
        self.inner
            .db
            .call(move |c| cdb::list_casefile_drafts(c, &acc))
            .await
    }

    pub async fn delete_casefile_draft(&self, draft_id: String) -> Result<()> {
        let acc = self.active_id().await?;
        self.inner
            .db
            .call(move |c| cdb::delete_casefile_draft(c, &acc, &draft_id))
            .await
    }

    /// A casefile with signers and documents; `refresh` fetches it first (the cache answers
    /// when Penneo cannot be reached).
    pub async fn get_casefile(&self, casefile_id: i64, refresh: bool) -> Result<CasefileRecord> {
        let acc = self.active_id().await?;
        if refresh {
            let client = self.client_for(&acc).await?;
            match client.casefiles().get(casefile_id as u64).await {
                Ok(cf) => self.store_penneo_casefiles(&acc, &[cf]).await?,
                Err(e) if e.is_retryable() => {}
                Err(e) => return Err(e.into()),
            }
        }
        self.inner
            .db
            .call(move |c| cdb::get_casefile(c, &acc, casefile_id))
            .await?
            .ok_or_else(|| DeskError::NotFound("That casefile is not in the local cache.".into()))
    }

    /// The signing request of one signer of a casefile that is out for signing (status 1),
    /// read from the cache; clear errors when there is none to act on.
    async fn open_signing_request(
        &self,
        casefile_id: i64,
        signer_id: i64,
    ) -> Result<(String, i64)> {
        let acc = self.active_id().await?;
        let a = acc.clone();
        let cf = self
            .inner
            .db
            .call(move |c| cdb::get_casefile(c, &a, casefile_id))
            .await?
            .ok_or_else(|| {
                DeskError::NotFound("That casefile is not in the local cache.".into())
            })?;
        if cf.status != penneo::CasefileStatus::Pending {
            return Err(DeskError::Conflict(
                "This casefile is not out for signing, so its signers have no link to open or reminder to get."
                    .into(),
            ));
        }
        let sg = cf
            .signers
            .iter()
            .find(|s| s.signer_id == signer_id)
            .ok_or_else(|| DeskError::NotFound("That signer is not on this casefile.".into()))?;
        match sg.status {
            Some(SignerState::Signed) => {
                return Err(DeskError::Conflict(format!(
                    "{} has already signed.",
                    sg.name.as_deref().unwrap_or("This signer")
                )))
            }
            Some(SignerState::Rejected) => {
                return Err(DeskError::Conflict(format!(
                    "{} has rejected the casefile.",
                    sg.name.as_deref().unwrap_or("This signer")
                )))
            }
            _ => {}
        }
        let rid = sg.signing_request_id.ok_or_else(|| {
            DeskError::NotFound(
                "Penneo did not name this signer's signing request; refresh the casefile and try again."
                    .into(),
            )
        })?;
        Ok((acc, rid))
    }

    /// `GET /api/v1/signingrequests/{id}/link` for one signer of a casefile out for signing.
    pub async fn signer_signing_link(&self, casefile_id: i64, signer_id: i64) -> Result<String> {
        let (acc, rid) = self.open_signing_request(casefile_id, signer_id).await?;
        let client = self.client_for(&acc).await?;
        Ok(client.casefiles().signing_link(rid).await?)
    }

    /// `PATCH /api/v1/signingrequests/{id}/send`: e-mails one signer a reminder now.
    pub async fn remind_signer(&self, casefile_id: i64, signer_id: i64) -> Result<()> {
        let (acc, rid) = self.open_signing_request(casefile_id, signer_id).await?;
        let client = self.client_for(&acc).await?;
        Ok(client.casefiles().send_reminder(rid).await?)
    }

    /// Files attached to a Collect casefile (fetched, then cached).
    pub async fn casefile_files(&self, casefile_id: i64) -> Result<Vec<CasefileFileRecord>> {
        let acc = self.active_id().await?;
        let client = self.client_for(&acc).await?;
        match client.casefiles().files(&casefile_id.to_string()).await {
            Ok(list) => {
                let recs: Vec<CasefileFileRecord> = list
                    .iter()
                    .enumerate()
                    .map(|(i, f)| CasefileFileRecord {
                        casefile_id,
                        file_id: file_id(f, i),
                        filename: f.filename.clone(),
                        size: f.size.and_then(|s| i64::try_from(s).ok()),
                        content_type: f.content_type.clone(),
                        created_at: f.created_at.clone(),
                    })
                    .collect();
                let (a, r) = (acc.clone(), recs.clone());
                self.inner
                    .db
                    .call(move |c| cdb::replace_files(c, &a, casefile_id, &r))
                    .await?;
                Ok(recs)
            }
            Err(e) if e.is_retryable() => {
                self.inner
                    .db
                    .call(move |c| cdb::list_files(c, &acc, casefile_id))
                    .await
            }
            Err(e) => Err(e.into()),
        }
    }

    /// The Collect answers that belong to a casefile.
    pub async fn casefile_answers(&self, casefile_id: i64) -> Result<penneo::Answers> {
        let (_, client) = self.active_client().await?;
        Ok(client.casefiles().answers(&casefile_id.to_string()).await?)
    }

    /// Download signed documents of a completed casefile (all when `document_ids` is empty)
    /// into `dir`. Each file is written atomically and never overwrites another.
    pub async fn download_signed_documents(
        &self,
        casefile_id: i64,
        document_ids: Vec<i64>,
        dir: PathBuf,
        progress: &(dyn Fn(DownloadProgress) + Send + Sync),
    ) -> Result<Vec<SavedFile>> {
        let cf = self.get_casefile(casefile_id, true).await?;
        if cf.status != penneo::CasefileStatus::Completed {
            return Err(DeskError::Conflict(
                "Signed documents can be downloaded once the casefile is completed.".into(),
            ));
        }
        let (acc, client) = self.active_client().await?;
        let docs: Vec<_> = cf
            .documents
            .iter()
            .filter(|d| document_ids.is_empty() || document_ids.contains(&d.document_id))
            .collect();
        if docs.is_empty() {
            return Err(DeskError::NotFound(
                "None of those documents belong to this casefile.".into(),
            ));
        }
        let mut saved = Vec::new();
        for (i, d) in docs.iter().enumerate() {
            let title = d
                .title
                .clone()
                .unwrap_or_else(|| format!("Document {}", d.document_id));
            let target = DownloadTarget::pdf(&dir, title.clone());
            let mut part = PartialFile::create(&target).await?;
            client
                .documents()
                .download(
                    d.document_id as u64,
                    penneo::DocumentVariant::Signed,
                    &mut part,
                )
                .await
                .map_err(download_error)?;
            let file = part.finish().await?;
            progress(DownloadProgress::file_done(i, docs.len(), title, &file));
            self.record_download(
                &acc,
                "document",
                casefile_id,
                d.document_id.to_string(),
                &file,
            )
            .await?;
            saved.push(file);
        }
        Ok(saved)
    }

    /// Download files attached to a Collect casefile (all when `file_ids` is empty) into
    /// `dir`, named from their file names, checked against the size Penneo listed (and the
    /// `%PDF-` signature for PDFs), written atomically, never overwriting another file.
    pub async fn download_casefile_files(
        &self,
        casefile_id: i64,
        file_ids: Vec<String>,
        dir: PathBuf,
        progress: &(dyn Fn(DownloadProgress) + Send + Sync),
    ) -> Result<Vec<SavedFile>> {
        let (acc, client) = self.active_client().await?;
        // Fresh from Penneo: the list carries each file's download link.
        let files: Vec<(String, penneo::CasefileFile)> = client
            .casefiles()
            .files(&casefile_id.to_string())
            .await?
            .into_iter()
            .enumerate()
            .map(|(i, f)| (file_id(&f, i), f))
            .filter(|(id, _)| file_ids.is_empty() || file_ids.contains(id))
            .collect();
        if files.is_empty() {
            return Err(DeskError::NotFound(
                "None of those files belong to this casefile.".into(),
            ));
        }
        let mut saved = Vec::new();
        for (i, (id, f)) in files.iter().enumerate() {
            let is_pdf = f.content_type.as_deref() == Some("application/pdf")
                || f.filename.to_ascii_lowercase().ends_with(".pdf");
            // The file's own extension, else .pdf for a PDF, else none.
            let extension = match f.filename.rsplit_once('.') {
                Some((_, ext)) if !ext.is_empty() && ext.len() <= 8 => ext.to_string(),
                _ if is_pdf => "pdf".into(),
                _ => String::new(),
            };
            let target = DownloadTarget {
                dir: dir.clone(),
                title: f.filename.clone(),
                extension,
                expect_pdf: is_pdf,
                expected_size: f.size,
                max_size: crate::downloads::MAX_DOWNLOAD_BYTES,
            };
            let mut part = PartialFile::create(&target).await?;
            client
                .casefiles()
                .download_file(f, &mut part)
                .await
                .map_err(download_error)?;
            let file = part.finish().await?;
            progress(DownloadProgress::file_done(
                i,
                files.len(),
                f.filename.clone(),
                &file,
            ));
            self.record_download(&acc, "casefileFile", casefile_id, id.clone(), &file)
                .await?;
            saved.push(file);
        }
        Ok(saved)
    }

    /// Keeps the record of a file written into the user's folder.
    async fn record_download(
        &self,
        account_id: &str,
        kind: &str,
        casefile_id: i64,
        source_id: String,
        file: &SavedFile,
    ) -> Result<()> {
        let rec = DownloadRecord {
            id: uuid::Uuid::new_v4().to_string(),
            kind: kind.into(),
            casefile_id: Some(casefile_id),
            source_id,
            path: file.path.to_string_lossy().into_owned(),
            size: file.size as i64,
            sha256: file.sha256.clone(),
            created_at: now(),
        };
        let a = account_id.to_string();
        self.inner
            .db
            .call(move |c| bookkeeping::insert_download(c, &a, &rec))
            .await
    }

    pub async fn downloads(&self, casefile_id: Option<i64>) -> Result<Vec<DownloadRecord>> {
        let acc = self.active_id().await?;
        self.inner
            .db
            .call(move |c| bookkeeping::list_downloads(c, &acc, casefile_id))
            .await
    }
}

/// Progress of a multi-document download.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct DownloadProgress {
    pub index: u32,
    pub count: u32,
    pub title: String,
    pub bytes: ByteProgress,
}

impl DownloadProgress {
    /// File `index` (0-based) of `count` is written.
    fn file_done(index: usize, count: usize, title: String, file: &SavedFile) -> Self {
        DownloadProgress {
            index: index as u32,
            count: count as u32,
            title,
            bytes: ByteProgress {
                done: file.size,
                total: Some(file.size),
            },
        }
    }
}

/// A failed write into the user's folder is an I/O problem there, not Penneo's.
fn download_error(e: penneo::Error) -> DeskError {
    match e {
        penneo::Error::Io { source, .. } => downloads::write_error(source),
        other => other.into(),
    }
}

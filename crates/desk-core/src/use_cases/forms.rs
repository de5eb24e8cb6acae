//! Forms, versions, builder drafts, prefilled requests, and the submissions views.

use super::sync::{form_record, version_records};
use super::DeskCore;
use crate::db::forms::{
    self as fdb, FormDraft, FormQuery, FormRecord, FormSummary, FormVersionRecord,
    PrefilledRequestRecord,
};
use crate::db::submissions::{
    self as sdb, Review, ReviewUpdate, SearchGroup, SearchQuery, SubmissionDetail, SubmissionPage,
    SubmissionQuery,
};
use crate::db::{now, Page};
use crate::error::{DeskError, Result};

impl DeskCore {
    // ---- forms (cache) ----

    pub async fn list_forms(&self, q: FormQuery) -> Result<Page<FormSummary>> {
        let acc = self.active_id().await?;
        self.inner
            .db
            .call(move |c| fdb::list_forms(c, &acc, &q))
            .await
    }

    /// A form from the cache; `refresh` fetches it first (falls back to the cache when offline).
    pub async fn get_form(&self, form_id: &str, refresh: bool) -> Result<FormRecord> {
        let acc = self.active_id().await?;
        if refresh {
            match self.refresh_form(&acc, form_id).await {
                Ok(f) => return Ok(f),
                Err(e) if e.code() == crate::ErrorCode::Offline => {}
                Err(e) => return Err(e),
            }
        }
        let fid = form_id.to_string();
        self.inner
            .db
            .call(move |c| fdb::get_form(c, &acc, &fid))
            .await?
            .ok_or_else(|| {
                DeskError::NotFound("That form is not in the local cache; sync first.".into())
            })
    }

    async fn refresh_form(&self, acc: &str, form_id: &str) -> Result<FormRecord> {
        let client = self.client_for(acc).await?;
        let f = client.forms().get(form_id).await?;
        let versions = match client.forms().versions(form_id).await {
            Ok(v) => Some(v),
            Err(penneo::Error::NotSupported { .. }) => None,
            Err(e) => return Err(e.into()),
        };
        let rec = form_record(f, Some(form_id))?;
        let (a, r) = (acc.to_string(), rec.clone());
        self.inner
            .db
            .call(move |c| {
                fdb::upsert_form(c, &a, &r)?;
                if let Some(vs) = versions {
                    fdb::replace_versions(c, &a, &r.form_id, &version_records(&r.form_id, &vs))?;
                }
                Ok(())
            })
            .await?;
        Ok(rec)
    }

    pub async fn form_versions(&self, form_id: &str) -> Result<Vec<FormVersionRecord>> {
        let acc = self.active_id().await?;
        let fid = form_id.to_string();
        self.inner
            .db
            .call(move |c| fdb::list_versions(c, &acc, &fid))
            .await
    }

    /// One version's form object (fetched once, then cached).
    pub async fn form_version(&self, form_id: &str, version: u32) -> Result<penneo::Form> {
        let acc = self.active_id().await?;
        let (a, fid) = (acc.clone(), form_id.to_string());
        let cached = self
            .inner
            .db
            .call(move |c| fdb::list_versions(c, &a, &fid))
            .await?
            .into_iter()
            .find(|v| v.version == i64::from(version))
            .and_then(|v| v.definition);
        if let Some(d) = cached {
            return Ok(d);
        }
        let client = self.client_for(&acc).await?;
        let f = client.forms().version(form_id, version).await?;
        let (fid, d) = (form_id.to_string(), f.clone());
        self.inner
            .db
            .call(move |c| fdb::set_version_definition(c, &acc, &fid, i64::from(version), &d))
            .await?;
        Ok(f)
    }

    /// Create a form (DRAFT, or ACTIVE with `publish`).
    pub async fn create_form(
        &self,
        definition: penneo::FormDefinition,
        publish: bool,
    ) -> Result<FormRecord> {
        let (acc, client) = self.active_client().await?;
        let f = client.forms().create(&definition, publish).await?;
        let id = f
            .form_id()
            .map(|i| i.as_str().to_string())
            .ok_or_else(|| DeskError::Server("Penneo did not return the new form's id".into()))?;
        self.refresh_form(&acc, &id).await
    }

    /// Save a form: a DRAFT is edited in place, an ACTIVE one gets a new DRAFT version.
    pub async fn update_form(
        &self,
        form_id: &str,
        definition: penneo::FormDefinition,
        publish: bool,
    ) -> Result<FormRecord> {
        let (acc, client) = self.active_client().await?;
        client.forms().update(form_id, &definition, publish).await?;
        self.refresh_form(&acc, form_id).await
    }

    pub async fn publish_form(&self, form_id: &str) -> Result<FormRecord> {
        let (acc, client) = self.active_client().await?;
        client.forms().publish(form_id).await?;
        self.refresh_form(&acc, form_id).await
    }

    pub async fn archive_form(&self, form_id: &str) -> Result<FormRecord> {
        let (acc, client) = self.active_client().await?;
        client.forms().archive(form_id).await?;
        self.refresh_form(&acc, form_id).await
    }

    pub async fn publish_form_version(&self, form_id: &str, version: u32) -> Result<FormRecord> {
        let (acc, client) = self.active_client().await?;
        client.forms().publish_version(form_id, version).await?;
        self.refresh_form(&acc, form_id).await
    }

    pub async fn archive_form_version(&self, form_id: &str, version: u32) -> Result<FormRecord> {
        let (acc, client) = self.active_client().await?;
        client.forms().archive_version(form_id, version).await?;
        self.refresh_form(&acc, form_id).await
    }

    /// Copy a version into a new DRAFT version.
    pub async fn restore_form_version(&self, form_id: &str, version: u32) -> Result<FormRecord> {
        let (acc, client) = self.active_client().await?;
        client.forms().restore_version(form_id, version).await?;
        self.refresh_form(&acc, form_id).await
    }

    // ---- builder drafts (local only) ----

    pub async fn save_form_draft(&self, draft: FormDraft) -> Result<FormDraft> {
        let acc = self.active_id().await?;
        self.inner
            .db
            .call(move |c| fdb::save_draft(c, &acc, &draft))
            .await
    }

    pub async fn list_form_drafts(&self) -> Result<Vec<FormDraft>> {
        let acc = self.active_id().await?;
        self.inner.db.call(move |c| fdb::list_drafts(c, &acc)).await
    }

    pub async fn delete_form_draft(&self, draft_id: &str) -> Result<()> {
        let acc = self.active_id().await?;
        let id = draft_id.to_string();
        self.inner
            .db
            .call(move |c| fdb::delete_draft(c, &acc, &id))
            .await
    }

    // ---- prefilled requests ----

    pub async fn create_prefilled_request(
        &self,
        form_id: &str,
        request: penneo::PrefilledRequest,
        label: Option<String>,
    ) -> Result<PrefilledRequestRecord> {
        let (acc, client) = self.active_client().await?;
        let r = client.requests().create(form_id, &request).await?;
        let rec = PrefilledRequestRecord {
            request_id: r.request_id.as_str().to_string(),
            form_id: form_id.to_string(),
            request_url: r.request_url.clone().unwrap_or_default(),
            label,
            request,
            created_at: now(),
            submission_id: None,
        };
        let r2 = rec.clone();
        self.inner
            .db
            .call(move |c| fdb::insert_request(c, &acc, &r2))
            .await?;
        Ok(rec)
    }

    pub async fn list_prefilled_requests(
        &self,
        form_id: &str,
        limit: Option<u32>,
        cursor: Option<String>,
    ) -> Result<Page<PrefilledRequestRecord>> {
        let acc = self.active_id().await?;
        let fid = form_id.to_string();
        self.inner
            .db
            .call(move |c| fdb::list_requests(c, &acc, &fid, limit, cursor.as_deref()))
            .await
    }

    // ---- submissions (cache) ----

    pub async fn list_submissions(&self, q: SubmissionQuery) -> Result<SubmissionPage> {
        let acc = self.active_id().await?;
        self.inner
            .db
            .call(move |c| sdb::list_submissions(c, &acc, &q))
            .await
    }

    pub async fn get_submission(&self, submission_id: &str) -> Result<SubmissionDetail> {
        let acc = self.active_id().await?;
        let id = submission_id.to_string();
        self.inner
            .db
            .call(move |c| sdb::get_submission(c, &acc, &id))
            .await?
            .ok_or_else(|| DeskError::NotFound("That submission is not in the local cache.".into()))
    }

    pub async fn search_answers(&self, q: SearchQuery) -> Result<Page<SearchGroup>> {
        let acc = self.active_id().await?;
        self.inner.db.call(move |c| sdb::search(c, &acc, &q)).await
    }

    /// Export the current submissions view (all its rows) to CSV (written as `csv` says) or JSON
    /// at `path`.
    pub async fn export_submissions(
        &self,
        q: SubmissionQuery,
        format: crate::db::export::ExportFormat,
        csv: crate::db::export::CsvOptions,
        path: std::path::PathBuf,
    ) -> Result<crate::db::export::ExportSummary> {
        let acc = self.active_id().await?;
        self.inner
            .db
            .call(move |c| crate::db::export::export(c, &acc, &q, format, &csv, &path))
            .await
    }

    pub async fn set_review(&self, submission_id: &str, update: ReviewUpdate) -> Result<Review> {
        let acc = self.active_id().await?;
        let id = submission_id.to_string();
        self.inner
            .db
            .call(move |c| sdb::set_review(c, &acc, &id, &update))
            .await
    }
}

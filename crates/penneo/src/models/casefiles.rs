//! Sign API casefiles and documents.

use serde::{Deserialize, Serialize};

use super::{int_enum, Extra};

int_enum! {
    /// Casefile status 0–8.
    CaseFileStatus {
        /// Not yet sent.
        New = 0,
        /// Out for signing.
        Pending = 1,
        /// A signer rejected.
        Rejected = 2,
        /// Deleted after sending.
        Deleted = 3,
        /// All signed, final documents not generated yet.
        Signed = 4,
        /// Finished: download now.
        Completed = 5,
        /// Invalid input or system error.
        Failed = 6,
        /// Deadline passed.
        Expired = 7,
        /// Data anonymized.
        Anonymized = 8,
    }
}

impl CaseFileStatus {
    /// True when the casefile will not change any more (2, 3, 5, 6, 7, 8).
    pub fn is_terminal(&self) -> bool {
        matches!(
            self,
            Self::Rejected
                | Self::Deleted
                | Self::Completed
                | Self::Failed
                | Self::Expired
                | Self::Anonymized
        )
    }
}

int_enum! {
    /// Signer (`signingRequest.status`) — Postman/skill numbering; sources disagree, see
    /// penneo-api.md §5.2. Never derive casefile completion from it.
    SignerStatus {
        /// 0 request sent.
        RequestSent = 0,
        /// 1 request opened.
        RequestOpened = 1,
        /// 2 opened.
        Opened = 2,
        /// 3 signed.
        Signed = 3,
        /// 4 rejected.
        Rejected = 4,
        /// 6 undeliverable.
        Undeliverable = 6,
        /// 8 finalized.
        Finalized = 8,
        /// 9 deleted.
        Deleted = 9,
    }
}

int_enum! {
    /// Document status.
    DocumentStatus {
        /// 0.
        New = 0,
        /// 1.
        Pending = 1,
        /// 2.
        Rejected = 2,
        /// 3.
        Deleted = 3,
        /// 4.
        Signed = 4,
        /// 5.
        Completed = 5,
        /// 6.
        Quarantined = 6,
        /// 7.
        Failed = 7,
    }
}

/// A casefile from `GET /api/v1/casefiles/{id}` or the list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CaseFile {
    /// Id.
    #[serde(deserialize_with = "super::lenient_u64")]
    pub id: u64,
    /// Title.
    #[serde(default)]
    pub title: Option<String>,
    /// Status.
    #[serde(default = "unknown_status")]
    pub status: CaseFileStatus,
    /// Language.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// Reference.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    /// Metadata.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meta_data: Option<String>,
    /// Sign iteration.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sign_iteration: Option<i64>,
    /// 0 all documents visible, 1 role-specific.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visibility_mode: Option<i64>,
    /// Sensitive data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sensitive_data: Option<bool>,
    /// Owner notifications off.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disable_notifications_owner: Option<bool>,
    /// Sign on meeting.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sign_on_meeting: Option<bool>,
    /// Casefile type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub case_file_type_id: Option<i64>,
    /// Unix seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created: Option<i64>,
    /// Unix seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub send_at: Option<i64>,
    /// Unix seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expire_at: Option<i64>,
    /// Unix seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub activated: Option<i64>,
    /// Unix seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completed: Option<i64>,
    /// Owner.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<i64>,
    /// Customer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_id: Option<i64>,
    /// Folder.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub folder_id: Option<i64>,
    /// Signers.
    #[serde(default)]
    pub signers: Vec<CaseFileSigner>,
    /// Documents.
    #[serde(default)]
    pub documents: Vec<Document>,
    /// Unknown keys.
    #[serde(flatten)]
    pub extra: Extra,
}

fn unknown_status() -> CaseFileStatus {
    CaseFileStatus::Unknown(-1)
}

/// A signer of an existing casefile.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CaseFileSigner {
    /// Id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<i64>,
    /// Name.
    #[serde(default)]
    pub name: Option<String>,
    /// E-mail.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Role.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// Sign order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sign_order: Option<i64>,
    /// Signing request.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signing_request: Option<SigningRequest>,
    /// Unknown keys.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `signingRequest`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SigningRequest {
    /// Status.
    pub status: SignerStatus,
    /// Unknown keys.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A document of a casefile.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Document {
    /// Id (used for the content download).
    #[serde(deserialize_with = "super::lenient_u64")]
    pub id: u64,
    /// External id stamped on pages.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document_id: Option<String>,
    /// Title.
    #[serde(default)]
    pub title: Option<String>,
    /// Order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document_order: Option<i64>,
    /// Status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<DocumentStatus>,
    /// 1 pdf, 2 xml, 3 xhtml, 4 zip.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<serde_json::Value>,
    /// Metadata.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meta_data: Option<String>,
    /// `signable` | `attachment`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sign_type: Option<String>,
    /// `signable` | `attachment` (other spelling).
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub doc_type: Option<String>,
    /// Unix seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created: Option<i64>,
    /// Unix seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub modified: Option<i64>,
    /// Unix seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completed: Option<i64>,
    /// Unknown keys.
    #[serde(flatten)]
    pub extra: Extra,
}

/// Filters of `GET /api/v1/casefiles` (timestamps in Unix seconds).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CaseFileListQuery {
    /// Status filter.
    pub status: Option<CaseFileStatus>,
    /// Sort field, `-` prefix = descending (e.g. `-completed`, `-created`, `title`).
    pub sort: Option<String>,
    /// Title search.
    pub title: Option<String>,
    /// Completed after (Unix seconds).
    pub completed_after: Option<i64>,
    /// Completed before.
    pub completed_before: Option<i64>,
    /// Created after.
    pub created_after: Option<i64>,
    /// Created before.
    pub created_before: Option<i64>,
    /// Activated after.
    pub activated_after: Option<i64>,
    /// Activated before.
    pub activated_before: Option<i64>,
    /// Expires after.
    pub expires_after: Option<i64>,
    /// Expires before.
    pub expires_before: Option<i64>,
    /// Updated after.
    pub updated_after: Option<i64>,
    /// Updated before.
    pub updated_before: Option<i64>,
    /// Only these ids.
    pub ids: Vec<u64>,
    /// Only these folders.
    pub folder_ids: Vec<u64>,
    /// Metadata match.
    pub meta_data: Option<String>,
    /// Reference match.
    pub reference: Option<String>,
    /// Page size (`per_page`).
    pub per_page: Option<u32>,
}

impl CaseFileListQuery {
    pub(crate) fn to_pairs(&self) -> Vec<(&'static str, String)> {
        let mut q: Vec<(&'static str, String)> = Vec::new();
        if let Some(s) = self.status {
            q.push(("status", s.code().to_string()));
        }
        let opt_str = [
            ("sort", &self.sort),
            ("title", &self.title),
            ("metaData", &self.meta_data),
            ("reference", &self.reference),
        ];
        for (k, v) in opt_str {
            if let Some(v) = v {
                q.push((k, v.clone()));
            }
        }
        let times = [
            ("completedAfter", self.completed_after),
            ("completedBefore", self.completed_before),
            ("createdAfter", self.created_after),
            ("createdBefore", self.created_before),
            ("activatedAfter", self.activated_after),
            ("activatedBefore", self.activated_before),
            ("expiresAfter", self.expires_after),
            ("expiresBefore", self.expires_before),
            ("updatedAfter", self.updated_after),
            ("updatedBefore", self.updated_before),
        ];
        for (k, v) in times {
            if let Some(v) = v {
                q.push((k, v.to_string()));
            }
        }
        let join = |v: &[u64]| v.iter().map(u64::to_string).collect::<Vec<_>>().join(",");
        if !self.ids.is_empty() {
            q.push(("ids", join(&self.ids)));
        }
        if !self.folder_ids.is_empty() {
            q.push(("folderIds", join(&self.folder_ids)));
        }
        q.push(("page", "1".into()));
        q.push(("per_page", self.per_page.unwrap_or(100).to_string()));
        q
    }
}

/// Which variant of a document to download.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DocumentVariant {
    /// The signed (sealed) PDF; only complete at casefile status 5.
    #[default]
    Signed,
    /// The original upload.
    Original,
}

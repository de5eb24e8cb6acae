//! Send API jobs.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{string_enum, Extra, Id};

string_enum! {
    /// `jobStatus`.
    JobStatus {
        /// Queued.
        Pending => "pending",
        /// Being processed.
        Processing => "processing",
        /// Done; `result.data.caseFile.id` holds the casefile.
        Completed => "completed",
        /// Failed; see `errorMessage`.
        Failed => "failed",
        /// A second create with the same payload hash while the first was live.
        AbortedDuplicated => "aborted_duplicated",
    }
}

impl JobStatus {
    /// True when the job will not change any more.
    pub fn is_terminal(&self) -> bool {
        matches!(
            self,
            JobStatus::Completed | JobStatus::Failed | JobStatus::AbortedDuplicated
        )
    }
}

string_enum! {
    /// Job `type`.
    JobType { CasefileCreation => "casefile_creation" }
}

/// What identifies a job for the status call: `{uuid, payloadHash}` (plus `createdAt` from the
/// create response).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct JobRef {
    /// Job uuid.
    pub uuid: String,
    /// SHA-256 hex of the `data` string.
    pub payload_hash: String,
    /// ISO-8601.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
}

/// `{status:"handled", message, jobs:[…]}` from casefile creation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CreateCaseFileResponse {
    /// `handled` | `error`.
    #[serde(default)]
    pub status: Option<String>,
    /// E.g. `Job created`.
    #[serde(default)]
    pub message: Option<String>,
    /// Jobs created.
    #[serde(default)]
    pub jobs: Vec<JobRef>,
    /// Unknown keys.
    #[serde(flatten)]
    pub extra: Extra,
}

/// The job object.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Job {
    /// Uuid.
    pub uuid: String,
    /// Type.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub job_type: Option<JobType>,
    /// Status.
    pub job_status: JobStatus,
    /// Null until done.
    #[serde(default)]
    pub result: Option<JobResult>,
    /// Echo of what was submitted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payload: Option<Value>,
    /// SHA-256 hex of the `data` string.
    #[serde(default)]
    pub payload_hash: Option<String>,
    /// Failure text.
    #[serde(default)]
    pub error_message: Option<String>,
    /// Retries so far.
    #[serde(default)]
    pub retries: Option<u32>,
    /// Maximum retries.
    #[serde(default)]
    pub max_retries: Option<u32>,
    /// ISO-8601.
    #[serde(default)]
    pub created_at: Option<String>,
    /// ISO-8601.
    #[serde(default)]
    pub updated_at: Option<String>,
    /// Unknown keys.
    #[serde(flatten)]
    pub extra: Extra,
}

impl Job {
    /// `result.data.caseFile.id` when completed.
    pub fn casefile_id(&self) -> Option<u64> {
        self.result
            .as_ref()?
            .data
            .as_ref()?
            .case_file
            .as_ref()?
            .id
            .as_str()
            .parse()
            .ok()
    }

    /// `result.data.signingLinks` (empty when absent).
    pub fn signing_links(&self) -> &[SigningLink] {
        self.result
            .as_ref()
            .and_then(|r| r.data.as_ref())
            .map(|d| d.signing_links.as_slice())
            .unwrap_or(&[])
    }
}

/// `result`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JobResult {
    /// `data`.
    #[serde(default)]
    pub data: Option<JobResultData>,
    /// Unknown keys.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `result.data`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct JobResultData {
    /// `caseFile`.
    #[serde(default)]
    pub case_file: Option<JobCaseFile>,
    /// Signing links.
    #[serde(default)]
    pub signing_links: Vec<SigningLink>,
    /// Unknown keys.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `result.data.caseFile`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JobCaseFile {
    /// Casefile id.
    pub id: Id,
    /// Unknown keys.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `{name, role, signingLink}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct SigningLink {
    /// Signer name.
    #[serde(default)]
    pub name: Option<String>,
    /// Signer role.
    #[serde(default)]
    pub role: Option<String>,
    /// Link.
    pub signing_link: String,
    /// Unknown keys.
    #[serde(flatten)]
    pub extra: Extra,
}

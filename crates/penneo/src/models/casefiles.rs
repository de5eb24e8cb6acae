//! Sign API casefiles and documents.

use serde::{Deserialize, Serialize};

use super::{int_enum, Extra};

int_enum! {
    /// Casefile status 0–8.
    CasefileStatus {
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

impl CasefileStatus {
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

/// How a server numbers `signingRequest.status`. Penneo's sources disagree (its Postman
/// description: 0 sent, 1 request opened, 2 opened, 3 signed, 4 rejected; both SDKs: 0 new,
/// 1 pending, 2 rejected, 3 deleted, 4 signed, 5 undeliverable), so the app learns it per
/// account from what the server answers ([`SignerStatusScheme::learn`]) and never guesses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum SignerStatusScheme {
    /// The SDKs' numbering (signed = 4).
    Sdk,
    /// The Postman description's numbering (signed = 3).
    Postman,
}

/// What a signer's status code means once the scheme is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub enum SignerState {
    /// Not sent yet.
    New,
    /// Sent, waiting for the signer.
    Sent,
    /// The signer opened the request e-mail.
    RequestOpened,
    /// The signer opened the documents.
    Opened,
    /// Signed.
    Signed,
    /// Rejected.
    Rejected,
    /// Deleted.
    Deleted,
    /// The request e-mail could not be delivered.
    Undeliverable,
    /// A code the scheme does not define, or no code.
    Unknown,
}

impl SignerState {
    const ALL: [Self; 9] = [
        Self::New,
        Self::Sent,
        Self::RequestOpened,
        Self::Opened,
        Self::Signed,
        Self::Rejected,
        Self::Deleted,
        Self::Undeliverable,
        Self::Unknown,
    ];

    /// The stable name, as serialized (`"requestOpened"`).
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::New => "new",
            Self::Sent => "sent",
            Self::RequestOpened => "requestOpened",
            Self::Opened => "opened",
            Self::Signed => "signed",
            Self::Rejected => "rejected",
            Self::Deleted => "deleted",
            Self::Undeliverable => "undeliverable",
            Self::Unknown => "unknown",
        }
    }

    /// Parses [`Self::as_str`]; anything else is [`Self::Unknown`].
    pub fn parse(s: &str) -> Self {
        Self::ALL
            .into_iter()
            .find(|x| x.as_str() == s)
            .unwrap_or(Self::Unknown)
    }

    /// The state of a raw code under a numbering: `None` while the numbering is not known,
    /// [`Self::Unknown`] for no code or one the numbering does not define.
    pub fn from_code(scheme: Option<SignerStatusScheme>, code: Option<i64>) -> Option<Self> {
        let scheme = scheme?;
        Some(code.map_or(Self::Unknown, |c| scheme.state(c)))
    }
}

impl SignerStatusScheme {
    /// The stable name (`"sdk"` / `"postman"`).
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Sdk => "sdk",
            Self::Postman => "postman",
        }
    }

    /// Parses [`Self::as_str`].
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "sdk" => Some(Self::Sdk),
            "postman" => Some(Self::Postman),
            _ => None,
        }
    }

    /// What `code` means in this scheme.
    pub fn state(&self, code: i64) -> SignerState {
        use SignerState as S;
        match (self, code) {
            (Self::Sdk, 0) => S::New,
            (Self::Sdk, 1) => S::Sent,
            (Self::Sdk, 2) => S::Rejected,
            (Self::Sdk, 3) => S::Deleted,
            (Self::Sdk, 4) => S::Signed,
            (Self::Sdk, 5) => S::Undeliverable,
            (Self::Postman, 0) => S::Sent,
            (Self::Postman, 1) => S::RequestOpened,
            (Self::Postman, 2) => S::Opened,
            (Self::Postman, 3) => S::Signed,
            (Self::Postman, 4) => S::Rejected,
            (Self::Postman, 6) => S::Undeliverable,
            (Self::Postman, 8) => S::Signed,
            (Self::Postman, 9) => S::Deleted,
            _ => S::Unknown,
        }
    }

    /// The scheme a casefile proves, if any: in a completed casefile (status 5) every signer
    /// has signed, so the one code its signers all share is "signed" — 3 in the Postman
    /// numbering, 4 in the SDKs'. Anything else (not completed, no signers, codes that differ
    /// or are missing, another code) proves nothing.
    pub fn learn(cf: &CaseFile) -> Option<Self> {
        if cf.status != CasefileStatus::Completed || cf.signers.is_empty() {
            return None;
        }
        let mut codes = cf
            .signers
            .iter()
            .map(|s| s.signing_request.as_ref().and_then(|r| r.status));
        let first = codes.next().flatten()?;
        if !codes.all(|c| c == Some(first)) {
            return None;
        }
        [Self::Sdk, Self::Postman]
            .into_iter()
            .find(|scheme| scheme.signed_code() == first)
    }

    /// The code this scheme gives a signer who has signed, and the one every signer of a
    /// completed casefile shares (Postman: 3, SDKs: 4). Postman's 8 also reads as signed
    /// but is not what a completed casefile shows, so it proves nothing.
    pub fn signed_code(&self) -> i64 {
        match self {
            Self::Sdk => 4,
            Self::Postman => 3,
        }
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

/// A casefile from `GET /api/v1/casefiles/{id}` or the list (Penneo's `CaseFileDetails`).
/// Only `id` is required; any other field that is missing, `null` or of an unexpected type
/// decodes as absent (or an unknown status), so one odd field never fails a sync.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CaseFile {
    /// Id.
    #[serde(deserialize_with = "super::lenient_u64")]
    pub id: u64,
    /// Title.
    #[serde(default, deserialize_with = "super::lenient_opt")]
    pub title: Option<String>,
    /// Status (`Unknown(-1)` when missing or not a number).
    #[serde(default = "unknown_status", deserialize_with = "lenient_status")]
    pub status: CasefileStatus,
    /// Language.
    #[serde(
        default,
        deserialize_with = "super::lenient_opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub language: Option<String>,
    /// Reference.
    #[serde(
        default,
        deserialize_with = "super::lenient_opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub reference: Option<String>,
    /// Metadata.
    #[serde(
        default,
        deserialize_with = "super::lenient_opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub meta_data: Option<String>,
    /// Sign iteration.
    #[serde(
        default,
        deserialize_with = "super::lenient_opt_i64",
        skip_serializing_if = "Option::is_none"
    )]
    pub sign_iteration: Option<i64>,
    /// 0 all documents visible, 1 role-specific.
    #[serde(
        default,
        deserialize_with = "super::lenient_opt_i64",
        skip_serializing_if = "Option::is_none"
    )]
    pub visibility_mode: Option<i64>,
    /// Sensitive data.
    #[serde(
        default,
        deserialize_with = "super::lenient_opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub sensitive_data: Option<bool>,
    /// Owner notifications off.
    #[serde(
        default,
        deserialize_with = "super::lenient_opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub disable_notifications_owner: Option<bool>,
    /// Sign on meeting.
    #[serde(
        default,
        deserialize_with = "super::lenient_opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub sign_on_meeting: Option<bool>,
    /// Casefile type.
    #[serde(
        default,
        deserialize_with = "super::lenient_opt_i64",
        skip_serializing_if = "Option::is_none"
    )]
    pub case_file_type_id: Option<i64>,
    /// Unix seconds.
    #[serde(
        default,
        deserialize_with = "super::lenient_opt_i64",
        skip_serializing_if = "Option::is_none"
    )]
    pub created: Option<i64>,
    /// Unix seconds.
    #[serde(
        default,
        deserialize_with = "super::lenient_opt_i64",
        skip_serializing_if = "Option::is_none"
    )]
    pub send_at: Option<i64>,
    /// Unix seconds.
    #[serde(
        default,
        deserialize_with = "super::lenient_opt_i64",
        skip_serializing_if = "Option::is_none"
    )]
    pub expire_at: Option<i64>,
    /// Unix seconds.
    #[serde(
        default,
        deserialize_with = "super::lenient_opt_i64",
        skip_serializing_if = "Option::is_none"
    )]
    pub activated: Option<i64>,
    /// Unix seconds.
    #[serde(
        default,
        deserialize_with = "super::lenient_opt_i64",
        skip_serializing_if = "Option::is_none"
    )]
    pub completed: Option<i64>,
    /// Owner.
    #[serde(
        default,
        deserialize_with = "super::lenient_opt_i64",
        skip_serializing_if = "Option::is_none"
    )]
    pub user_id: Option<i64>,
    /// Customer.
    #[serde(
        default,
        deserialize_with = "super::lenient_opt_i64",
        skip_serializing_if = "Option::is_none"
    )]
    pub customer_id: Option<i64>,
    /// Folder.
    #[serde(
        default,
        deserialize_with = "super::lenient_opt_i64",
        skip_serializing_if = "Option::is_none"
    )]
    pub folder_id: Option<i64>,
    /// Signers (`SignerDetails`); an element that does not decode is left out.
    #[serde(default, deserialize_with = "super::lenient_vec")]
    pub signers: Vec<CaseFileSigner>,
    /// Documents (`DocumentDetails`); an element that does not decode is left out.
    #[serde(default, deserialize_with = "super::lenient_vec")]
    pub documents: Vec<Document>,
    /// Unknown keys.
    #[serde(flatten)]
    pub extra: Extra,
}

fn unknown_status() -> CasefileStatus {
    CasefileStatus::Unknown(-1)
}

fn lenient_status<'de, D: serde::Deserializer<'de>>(d: D) -> Result<CasefileStatus, D::Error> {
    let v = serde_json::Value::deserialize(d)?;
    Ok(super::lenient_i64(v).map_or_else(|_| unknown_status(), CasefileStatus::from))
}

impl CaseFile {
    /// The signature lines of one signer, over every document.
    pub fn signature_lines_of(&self, signer_id: i64) -> impl Iterator<Item = &SignatureLine> {
        self.documents
            .iter()
            .flat_map(|d| d.signature_lines.iter())
            .filter(move |l| l.signer_id == Some(signer_id))
    }

    /// A signer's role, from its signature lines (Penneo keeps it there).
    pub fn signer_role(&self, signer_id: i64) -> Option<String> {
        self.signature_lines_of(signer_id)
            .find_map(|l| l.role.clone().filter(|r| !r.is_empty()))
    }

    /// A signer's sign order, from its signature lines (the lowest, if they differ).
    pub fn signer_sign_order(&self, signer_id: i64) -> Option<i64> {
        self.signature_lines_of(signer_id)
            .filter_map(|l| l.sign_order)
            .min()
    }
}

/// A signer of an existing casefile (Penneo's `SignerDetails`): e-mail and state are in
/// `signingRequest`; role and sign order are on the documents' signature lines.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CaseFileSigner {
    /// Id.
    #[serde(
        default,
        deserialize_with = "super::lenient_opt_i64",
        skip_serializing_if = "Option::is_none"
    )]
    pub id: Option<i64>,
    /// Name.
    #[serde(default, deserialize_with = "super::lenient_opt")]
    pub name: Option<String>,
    /// Signer types.
    #[serde(default, deserialize_with = "super::lenient_vec")]
    pub types: Vec<String>,
    /// Stored as a Penneo contact.
    #[serde(
        default,
        deserialize_with = "super::lenient_opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub store_as_contact: Option<bool>,
    /// The signing request (`SigningRequestDetails`).
    #[serde(
        default,
        deserialize_with = "super::lenient_opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub signing_request: Option<SigningRequest>,
    /// Unknown keys.
    #[serde(flatten)]
    pub extra: Extra,
}

impl CaseFileSigner {
    /// The e-mail address, from the signing request.
    pub fn email(&self) -> Option<&str> {
        self.signing_request
            .as_ref()
            .and_then(|r| r.email.as_deref())
    }

    /// The raw status code, from the signing request.
    pub fn status_code(&self) -> Option<i64> {
        self.signing_request.as_ref().and_then(|r| r.status)
    }
}

/// `signingRequest` (Penneo's `SigningRequestDetails`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SigningRequest {
    /// Id (for the link and the reminder).
    #[serde(
        default,
        deserialize_with = "super::lenient_opt_i64",
        skip_serializing_if = "Option::is_none"
    )]
    pub id: Option<i64>,
    /// E-mail.
    #[serde(
        default,
        deserialize_with = "super::lenient_opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub email: Option<String>,
    /// Status code; what it means depends on the server's [`SignerStatusScheme`].
    #[serde(default, deserialize_with = "super::lenient_opt_i64")]
    pub status: Option<i64>,
    /// Language.
    #[serde(
        default,
        deserialize_with = "super::lenient_opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub language: Option<String>,
    /// Request e-mail subject.
    #[serde(
        default,
        deserialize_with = "super::lenient_opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub email_subject: Option<String>,
    /// Request e-mail text.
    #[serde(
        default,
        deserialize_with = "super::lenient_opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub email_text: Option<String>,
    /// Reminder subject.
    #[serde(
        default,
        deserialize_with = "super::lenient_opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub reminder_email_subject: Option<String>,
    /// Reminder text.
    #[serde(
        default,
        deserialize_with = "super::lenient_opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub reminder_email_text: Option<String>,
    /// Completed subject.
    #[serde(
        default,
        deserialize_with = "super::lenient_opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub completed_email_subject: Option<String>,
    /// Completed text.
    #[serde(
        default,
        deserialize_with = "super::lenient_opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub completed_email_text: Option<String>,
    /// `text` | `html`.
    #[serde(
        default,
        deserialize_with = "super::lenient_opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub email_format: Option<String>,
    /// Days between reminders.
    #[serde(
        default,
        deserialize_with = "super::lenient_opt_i64",
        skip_serializing_if = "Option::is_none"
    )]
    pub reminder_interval: Option<i64>,
    /// SSN/VATIN/phone checked before access.
    #[serde(
        default,
        deserialize_with = "super::lenient_opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub access_control: Option<bool>,
    /// Touch signatures allowed.
    #[serde(
        default,
        deserialize_with = "super::lenient_opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub enable_insecure_signing: Option<bool>,
    /// Allowed secure signing methods (e.g. `mitid.dk`).
    #[serde(default, deserialize_with = "super::lenient_vec")]
    pub secure_signing_methods: Vec<String>,
    /// Allowed insecure signing methods (`text`, `draw`, `image`).
    #[serde(default, deserialize_with = "super::lenient_vec")]
    pub insecure_signing_methods: Vec<String>,
    /// Why the signer rejected.
    #[serde(
        default,
        deserialize_with = "super::lenient_opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub reject_reason: Option<String>,
    /// Unknown keys.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A signature line of a document (Penneo's `SignatureLineDetails`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SignatureLine {
    /// Id.
    #[serde(
        default,
        deserialize_with = "super::lenient_opt_i64",
        skip_serializing_if = "Option::is_none"
    )]
    pub id: Option<i64>,
    /// The signer it belongs to.
    #[serde(
        default,
        deserialize_with = "super::lenient_opt_i64",
        skip_serializing_if = "Option::is_none"
    )]
    pub signer_id: Option<i64>,
    /// The document it is on.
    #[serde(
        default,
        deserialize_with = "super::lenient_opt_i64",
        skip_serializing_if = "Option::is_none"
    )]
    pub document_id: Option<i64>,
    /// Role.
    #[serde(
        default,
        deserialize_with = "super::lenient_opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub role: Option<String>,
    /// Sign order.
    #[serde(
        default,
        deserialize_with = "super::lenient_opt_i64",
        skip_serializing_if = "Option::is_none"
    )]
    pub sign_order: Option<i64>,
    /// Unix seconds.
    #[serde(
        default,
        deserialize_with = "super::lenient_opt_i64",
        skip_serializing_if = "Option::is_none"
    )]
    pub activated_at: Option<i64>,
    /// Unknown keys.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A document of a casefile (Penneo's `DocumentDetails`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Document {
    /// Id (used for the content download).
    #[serde(deserialize_with = "super::lenient_u64")]
    pub id: u64,
    /// External id stamped on pages.
    #[serde(
        default,
        deserialize_with = "super::lenient_opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub document_id: Option<String>,
    /// The casefile it belongs to.
    #[serde(
        default,
        deserialize_with = "super::lenient_opt_i64",
        skip_serializing_if = "Option::is_none"
    )]
    pub case_file_id: Option<i64>,
    /// Title.
    #[serde(default, deserialize_with = "super::lenient_opt")]
    pub title: Option<String>,
    /// Order.
    #[serde(
        default,
        deserialize_with = "super::lenient_opt_i64",
        skip_serializing_if = "Option::is_none"
    )]
    pub document_order: Option<i64>,
    /// Status.
    #[serde(
        default,
        deserialize_with = "super::lenient_opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub status: Option<DocumentStatus>,
    /// Signable (true) or an attachment (false).
    #[serde(
        default,
        deserialize_with = "super::lenient_opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub signable: Option<bool>,
    /// Size in bytes.
    #[serde(
        default,
        deserialize_with = "super::lenient_opt_i64",
        skip_serializing_if = "Option::is_none"
    )]
    pub file_size: Option<i64>,
    /// Format (the connector definition says a string; older answers a number).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<serde_json::Value>,
    /// Metadata.
    #[serde(
        default,
        deserialize_with = "super::lenient_opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub meta_data: Option<String>,
    /// Unix seconds.
    #[serde(
        default,
        deserialize_with = "super::lenient_opt_i64",
        skip_serializing_if = "Option::is_none"
    )]
    pub created: Option<i64>,
    /// Signature lines: who signs it, in which role and order.
    #[serde(default, deserialize_with = "super::lenient_vec")]
    pub signature_lines: Vec<SignatureLine>,
    /// Unknown keys.
    #[serde(flatten)]
    pub extra: Extra,
}

/// Filters of `GET /api/v1/casefiles` (timestamps in Unix seconds).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CaseFileListQuery {
    /// Status filter.
    pub status: Option<CasefileStatus>,
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

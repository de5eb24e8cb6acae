//! The simulator's state: persisted data ([`Db`]), runtime-only data ([`Runtime`]), the
//! simulated clock and atomic persistence.

use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::error::SimError;

/// Lock a mutex, ignoring poisoning (a panicking handler must not take the simulator down).
pub fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

#[derive(Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Debug)]
#[serde(rename_all = "UPPERCASE")]
pub enum FormStatus {
    Draft,
    Active,
    Archived,
}

impl FormStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            FormStatus::Draft => "DRAFT",
            FormStatus::Active => "ACTIVE",
            FormStatus::Archived => "ARCHIVED",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "DRAFT" => Some(FormStatus::Draft),
            "ACTIVE" => Some(FormStatus::Active),
            "ARCHIVED" => Some(FormStatus::Archived),
            _ => None,
        }
    }
}

#[derive(Clone, Serialize, Deserialize, Debug)]
pub struct FormVersion {
    pub version: u32,
    pub status: FormStatus,
    /// The definition exactly as sent (unknown fields kept).
    pub definition: Map<String, Value>,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Clone, Serialize, Deserialize, Debug)]
pub struct Form {
    pub id: String,
    pub versions: Vec<FormVersion>,
    pub created_at: i64,
    pub updated_at: i64,
}

impl Form {
    pub fn latest(&self) -> Option<&FormVersion> {
        self.versions.iter().max_by_key(|v| v.version)
    }
    pub fn active(&self) -> Option<&FormVersion> {
        self.versions
            .iter()
            .find(|v| v.status == FormStatus::Active)
    }
    pub fn version(&self, n: u32) -> Option<&FormVersion> {
        self.versions.iter().find(|v| v.version == n)
    }
    pub fn version_mut(&mut self, n: u32) -> Option<&mut FormVersion> {
        self.versions.iter_mut().find(|v| v.version == n)
    }
    pub fn next_version(&self) -> u32 {
        self.versions.iter().map(|v| v.version).max().unwrap_or(0) + 1
    }
    /// Version `n`, or the API's 404.
    pub fn existing_version(&self, n: u32) -> crate::error::ApiResult<&FormVersion> {
        self.version(n)
            .ok_or_else(|| crate::error::ApiError::not_found(format!("Version {n} not found")))
    }
    /// Adds a DRAFT version with `definition` after the latest and returns its number.
    pub fn push_draft(&mut self, definition: serde_json::Map<String, Value>, now: i64) -> u32 {
        let version = self.next_version();
        self.versions.push(FormVersion {
            version,
            status: FormStatus::Draft,
            definition,
            created_at: now,
            updated_at: now,
        });
        self.updated_at = now;
        version
    }
}

/// One prefilled value.
#[derive(Clone, Serialize, Deserialize, Debug, PartialEq)]
pub struct Prefill {
    pub value: Value,
    pub editable: bool,
}

/// Answers keyed by section slug → instances → field name.
pub type Answers = BTreeMap<String, Vec<BTreeMap<String, Value>>>;
pub type PrefillAnswers = BTreeMap<String, Vec<BTreeMap<String, Prefill>>>;

#[derive(Clone, Serialize, Deserialize, Debug)]
pub struct FormRequest {
    pub id: String,
    pub form_id: String,
    pub version: u32,
    pub answers: PrefillAnswers,
    pub created_at: i64,
    pub submission_id: Option<String>,
}

#[derive(Clone, Serialize, Deserialize, Debug)]
pub struct Submission {
    pub id: String,
    pub form_id: String,
    pub version: u32,
    pub request_id: Option<String>,
    pub casefile_id: u64,
    pub completed_at: i64,
    pub answers: Answers,
    pub respondent_name: String,
    pub respondent_email: Option<String>,
    /// The list leaves `completedAt` out for this one (control API `withoutCompletedAt`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub hide_completed_at: bool,
}

#[derive(Clone, Serialize, Deserialize, Debug)]
pub struct Signer {
    pub id: u64,
    pub name: String,
    pub email: Option<String>,
    pub role: Option<String>,
    pub sign_order: i64,
    pub request_id: u64,
    /// Signing request status (Postman numbering: 0 sent, 1 request opened, 2 opened,
    /// 3 signed, 4 rejected, 6 undeliverable, 8 finalized, 9 deleted).
    pub request_status: u8,
    pub token: String,
    pub signed_at: Option<i64>,
    pub rejected_at: Option<i64>,
    pub reject_reason: Option<String>,
    pub extra: Map<String, Value>,
    /// Reminders sent with `PATCH /api/v1/signingrequests/{id}/send`.
    #[serde(default)]
    pub reminders: Vec<i64>,
}

#[derive(Clone, Serialize, Deserialize, Debug)]
pub struct Document {
    pub id: u64,
    pub casefile_id: u64,
    pub title: String,
    pub filename: String,
    pub signable: bool,
    pub document_order: i64,
    pub roles: Vec<String>,
    pub original_blob: String,
    pub original_size: u64,
    pub sealed_blob: Option<String>,
    pub sealed_size: Option<u64>,
    pub meta_data: Option<String>,
    pub created: i64,
    pub modified: i64,
}

#[derive(Clone, Serialize, Deserialize, Debug)]
pub struct Casefile {
    pub id: u64,
    pub title: String,
    /// 0 new, 1 pending, 2 rejected, 3 deleted, 4 signed, 5 completed, 6 failed, 7 expired,
    /// 8 anonymized.
    pub status: u8,
    pub language: Option<String>,
    pub reference: Option<String>,
    pub meta_data: Option<String>,
    pub folder_id: Option<i64>,
    pub expire_at: Option<i64>,
    pub send_at: Option<i64>,
    pub sensitive_data: bool,
    pub visibility_mode: i64,
    /// Everything else from the create payload, kept as sent.
    pub extra: Map<String, Value>,
    /// Milliseconds (simulated clock).
    pub created: i64,
    pub activated: Option<i64>,
    pub completed: Option<i64>,
    pub updated: i64,
    pub signers: Vec<Signer>,
    pub documents: Vec<u64>,
    pub submission_id: Option<String>,
    pub form_id: Option<String>,
    /// When the casefile reached status 4 and is waiting to be sealed (ms).
    pub seal_due: Option<i64>,
}

#[derive(Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Debug)]
#[serde(rename_all = "snake_case")]
pub enum JobStatus {
    Pending,
    Processing,
    Completed,
    Failed,
    AbortedDuplicated,
}

impl JobStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            JobStatus::Pending => "pending",
            JobStatus::Processing => "processing",
            JobStatus::Completed => "completed",
            JobStatus::Failed => "failed",
            JobStatus::AbortedDuplicated => "aborted_duplicated",
        }
    }
    pub fn is_live(self) -> bool {
        matches!(self, JobStatus::Pending | JobStatus::Processing)
    }
}

#[derive(Clone, Serialize, Deserialize, Debug)]
pub struct UploadedFile {
    pub filename: String,
    pub blob: String,
    pub size: u64,
}

#[derive(Clone, Serialize, Deserialize, Debug)]
pub struct Job {
    pub uuid: String,
    pub payload_hash: String,
    pub payload: Value,
    pub status: JobStatus,
    pub created_at: i64,
    pub updated_at: i64,
    pub error_message: Option<String>,
    pub casefile_id: Option<u64>,
    pub signing_links: Vec<Value>,
    pub files: Vec<UploadedFile>,
}

#[derive(Clone, Serialize, Deserialize, Debug)]
pub struct AuthCode {
    pub client_id: String,
    pub redirect_uri: String,
    pub challenge: String,
    pub method: String,
    pub scope: Option<String>,
    /// Milliseconds.
    pub expires_at: i64,
    pub used: bool,
    /// Tokens issued from this code (revoked if the code is replayed).
    pub issued: Vec<String>,
}

#[derive(Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Debug)]
#[serde(rename_all = "snake_case")]
pub enum TokenKind {
    Access,
    Refresh,
}

#[derive(Clone, Serialize, Deserialize, Debug)]
pub struct TokenRec {
    pub kind: TokenKind,
    pub client_id: String,
    pub scope: Option<String>,
    /// Milliseconds.
    pub expires_at: i64,
}

/// Everything persisted with `--state`.
#[derive(Serialize, Deserialize, Debug)]
pub struct Db {
    pub clock_offset_ms: i64,
    pub next_casefile: u64,
    pub next_document: u64,
    pub next_signer: u64,
    pub next_form: u64,
    pub next_seq: u64,
    pub forms: BTreeMap<String, Form>,
    pub requests: BTreeMap<String, FormRequest>,
    pub submissions: BTreeMap<String, Submission>,
    pub casefiles: BTreeMap<u64, Casefile>,
    pub documents: BTreeMap<u64, Document>,
    pub jobs: BTreeMap<String, Job>,
    pub codes: BTreeMap<String, AuthCode>,
    pub tokens: BTreeMap<String, TokenRec>,
    pub nonces: BTreeSet<String>,
    #[serde(skip)]
    pub generation: u64,
}

impl Default for Db {
    fn default() -> Self {
        Db {
            clock_offset_ms: 0,
            next_casefile: 1_262_700,
            next_document: 2_104_000,
            next_signer: 3_310_000,
            next_form: 1,
            next_seq: 1,
            forms: BTreeMap::new(),
            requests: BTreeMap::new(),
            submissions: BTreeMap::new(),
            casefiles: BTreeMap::new(),
            documents: BTreeMap::new(),
            jobs: BTreeMap::new(),
            codes: BTreeMap::new(),
            tokens: BTreeMap::new(),
            nonces: BTreeSet::new(),
            generation: 0,
        }
    }
}

impl Db {
    /// Mark the state changed (it will be persisted).
    pub fn touch(&mut self) {
        self.generation += 1;
    }
    pub fn now_ms(&self) -> i64 {
        real_now_ms() + self.clock_offset_ms
    }
    pub fn new_casefile_id(&mut self) -> u64 {
        let id = self.next_casefile;
        self.next_casefile += 1;
        id
    }
    pub fn new_document_id(&mut self) -> u64 {
        let id = self.next_document;
        self.next_document += 1;
        id
    }
    pub fn new_signer_id(&mut self) -> u64 {
        let id = self.next_signer;
        self.next_signer += 1;
        id
    }
    /// The casefile `id`, or the API's 404.
    pub fn casefile(&self, id: u64) -> crate::error::ApiResult<&Casefile> {
        self.casefiles
            .get(&id)
            .ok_or_else(|| casefile_not_found(id))
    }
    pub fn casefile_mut(&mut self, id: u64) -> crate::error::ApiResult<&mut Casefile> {
        self.casefiles
            .get_mut(&id)
            .ok_or_else(|| casefile_not_found(id))
    }
    /// The document `id`, or the API's 404.
    pub fn document(&self, id: u64) -> crate::error::ApiResult<&Document> {
        self.documents
            .get(&id)
            .ok_or_else(|| crate::error::ApiError::not_found(format!("Document {id} not found")))
    }
    /// An id that sorts in creation order: 8 hex digits of sequence + random UUID tail.
    pub fn new_ordered_id(&mut self) -> String {
        let seq = self.next_seq;
        self.next_seq += 1;
        let u = uuid::Uuid::new_v4().to_string();
        format!("{:08x}{}", seq, &u[8..])
    }
}

fn casefile_not_found(id: u64) -> crate::error::ApiError {
    crate::error::ApiError::not_found(format!("Casefile {id} not found"))
}

pub fn real_now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// A fault to inject into matching requests.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Fault {
    pub id: u64,
    pub path_prefix: String,
    /// Only requests with this method (upper case) are faulted; any method when absent.
    pub method: Option<String>,
    pub status: Option<u16>,
    pub retry_after: Option<u64>,
    pub delay_ms: Option<u64>,
    pub drop_connection: bool,
    pub remaining: u64,
}

/// One entry of the request log.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LogEntry {
    pub at: String,
    pub method: String,
    pub path: String,
    pub query: Option<String>,
    pub headers: BTreeMap<String, String>,
    pub body_size: Option<u64>,
    pub status: u16,
    /// The `X-Penneo-Request-Id` sent back.
    pub request_id: String,
}

/// A pending authorization waiting for approve/deny on the consent page.
#[derive(Clone, Debug)]
pub struct PendingAuth {
    pub client_id: String,
    pub redirect_uri: String,
    pub state: Option<String>,
    pub challenge: String,
    pub method: String,
    pub scope: Option<String>,
}

/// Runtime-only state (not persisted).
#[derive(Default)]
pub struct Runtime {
    pub faults: Vec<Fault>,
    pub next_fault: u64,
    pub log: VecDeque<LogEntry>,
    /// Poll timestamps (simulated ms) per job uuid, for the rate limit.
    pub polls: HashMap<String, VecDeque<i64>>,
    pub pending_auth: HashMap<String, PendingAuth>,
    /// How the Collect casefile-files list offers each file's link (`/_sim/files/links`).
    pub files_links: FilesLinks,
    /// Records the casefile list carries besides the real casefiles, as sent (a record in a
    /// shape a client cannot read: `/_sim/casefiles/malformed`).
    pub malformed_casefiles: Vec<Value>,
}

/// The Collect casefile-files list's link: under which key, and on which host.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FilesLinks {
    /// `downloadUrl` (default), `url`, `link` or `href`.
    pub key: String,
    /// Links point at a storage host (`localhost` instead of `127.0.0.1`: another origin)
    /// that serves the bytes by a signature in the query and refuses an Authorization header,
    /// like a pre-signed storage link.
    pub other_host: bool,
    /// Added to every listed `size` (to make a listing that disagrees with the bytes).
    pub size_delta: i64,
}

impl Default for FilesLinks {
    fn default() -> Self {
        FilesLinks {
            key: "downloadUrl".into(),
            other_host: false,
            size_delta: 0,
        }
    }
}

/// An OAuth client registered with one exact redirect URI (`--client ID:SECRET:REDIRECT_URI`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RegisteredClient {
    pub id: String,
    pub secret: String,
    pub redirect_uri: String,
}

pub const LOG_CAPACITY: usize = 2000;

/// Shared state behind every handler.
pub struct Shared {
    pub db: Mutex<Db>,
    pub rt: Mutex<Runtime>,
    pub blobs: PathBuf,
    pub state_file: Option<PathBuf>,
    pub job_delay_ms: u64,
    pub auto_approve: bool,
    pub signer_status_scheme: SignerStatusScheme,
    pub base_url: String,
    /// Signs the storage host's links (`/_storage/{blob}?signature=…`).
    pub storage_secret: String,
    /// OAuth clients with exact redirect URIs, beside the demo client.
    pub clients: Vec<RegisteredClient>,
    /// Serialises saving so an older snapshot never overwrites a newer one.
    pub save_lock: tokio::sync::Mutex<u64>,
    /// Serialises background work (job completion, sealing).
    pub work_lock: tokio::sync::Mutex<()>,
}

pub type AppState = Arc<Shared>;

impl Shared {
    pub fn db(&self) -> MutexGuard<'_, Db> {
        lock(&self.db)
    }
    pub fn rt(&self) -> MutexGuard<'_, Runtime> {
        lock(&self.rt)
    }
    pub fn now_ms(&self) -> i64 {
        self.db().now_ms()
    }
    pub fn blob_path(&self, blob: &str) -> PathBuf {
        self.blobs.join(blob)
    }
    /// The signature of a storage link to `blob`.
    pub fn storage_signature(&self, blob: &str) -> String {
        use sha2::Digest as _;
        let mut h = sha2::Sha256::new();
        h.update(self.storage_secret.as_bytes());
        h.update(b"\0");
        h.update(blob.as_bytes());
        hex::encode(h.finalize())
    }
    /// The storage host's base: the API's port on `localhost` instead of `127.0.0.1`.
    pub fn storage_base(&self) -> String {
        self.base_url.replacen("127.0.0.1", "localhost", 1)
    }

    /// Persist the state if it changed since the last save (no-op without `--state`).
    pub async fn persist(&self) -> Result<(), SimError> {
        let Some(path) = self.state_file.clone() else {
            return Ok(());
        };
        let mut saved = self.save_lock.lock().await;
        let (gen, json) = {
            let db = self.db();
            if db.generation == *saved {
                return Ok(());
            }
            (db.generation, serde_json::to_vec(&*db)?)
        };
        tokio::task::spawn_blocking(move || write_atomic(&path, &json))
            .await
            .map_err(|e| SimError::Io(std::io::Error::other(e.to_string())))??;
        *saved = gen;
        Ok(())
    }
}

/// Write a file atomically: temp file in the same directory, fsync, rename, fsync the directory.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), SimError> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or_else(|| Path::new("."));
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| SimError::Io(e.error))?;
    if let Ok(d) = std::fs::File::open(dir) {
        // Best effort: not every platform can fsync a directory.
        let _ = d.sync_all();
    }
    Ok(())
}

/// Load a state file.
pub fn load(path: &Path) -> Result<Db, SimError> {
    let bytes = std::fs::read(path)?;
    serde_json::from_slice(&bytes).map_err(|e| SimError::State {
        path: path.display().to_string(),
        message: e.to_string(),
    })
}

/// Blob directory for a state file: `<file>.blobs`.
pub fn blob_dir_for(state_file: &Path) -> PathBuf {
    let mut s = state_file.as_os_str().to_owned();
    s.push(".blobs");
    PathBuf::from(s)
}

/// Format milliseconds as ISO-8601 UTC with milliseconds.
pub fn iso(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let millis = ms.rem_euclid(1000);
    match time::OffsetDateTime::from_unix_timestamp(secs) {
        Ok(t) => format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
            t.year(),
            u8::from(t.month()),
            t.day(),
            t.hour(),
            t.minute(),
            t.second(),
            millis
        ),
        Err(_) => "1970-01-01T00:00:00.000Z".to_string(),
    }
}

/// Parse an ISO-8601 / RFC 3339 timestamp into milliseconds.
pub fn parse_iso(s: &str) -> Option<i64> {
    let t = time::OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339).ok()?;
    Some((t.unix_timestamp_nanos() / 1_000_000) as i64)
}

pub fn secs(ms: i64) -> i64 {
    ms.div_euclid(1000)
}

pub fn random_token(prefix: &str) -> String {
    use base64::Engine;
    use rand::RngCore;
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    format!(
        "{prefix}{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
    )
}

/// How `signingRequest.status` is numbered on the wire. Penneo's sources disagree: its Postman
/// collection says 0 sent, 1 request opened, 2 opened, 3 signed, 4 rejected; both SDKs say
/// 0 new, 1 pending, 2 rejected, 3 deleted, 4 signed, 5 undeliverable. The simulator keeps one
/// internal state ([`Signer::request_status`]) and answers in the scheme it was started with.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub enum SignerStatusScheme {
    /// The SDKs' numbering (the default).
    #[default]
    Sdk,
    /// The Postman collection's numbering.
    Postman,
}

impl SignerStatusScheme {
    /// The wire code for an internal state (see [`Signer::request_status`]); `cf_status` is
    /// the casefile's status (a scheduled casefile's signers are "new" in the SDK numbering).
    pub fn encode(self, internal: u8, cf_status: u8) -> u8 {
        match self {
            SignerStatusScheme::Postman => internal,
            SignerStatusScheme::Sdk => {
                use crate::codes::{casefile as cs, request as rq, sdk_request as sdk};
                match internal {
                    rq::SENT | rq::REQUEST_OPENED | rq::OPENED if cf_status == cs::NEW => sdk::NEW,
                    rq::SENT | rq::REQUEST_OPENED | rq::OPENED => sdk::PENDING,
                    rq::SIGNED | rq::FINALIZED => sdk::SIGNED,
                    rq::REJECTED => sdk::REJECTED,
                    rq::UNDELIVERABLE => sdk::UNDELIVERABLE,
                    rq::DELETED => sdk::DELETED,
                    _ => sdk::PENDING,
                }
            }
        }
    }
}

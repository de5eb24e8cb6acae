//! Send: the casefile create (multipart) and its job queue.
//!
//! - [`api`]: the handlers (create, job status);
//! - [`validate`]: the `data` part checked against the Send schema;
//! - [`jobs`]: the job queue's state machine (a completed job creates the casefile).

pub mod api;
pub mod jobs;
pub mod validate;

/// One uploaded `files` part, stored as a blob.
pub(crate) struct Upload {
    pub filename: String,
    pub blob: String,
    pub size: u64,
    pub is_pdf: bool,
}

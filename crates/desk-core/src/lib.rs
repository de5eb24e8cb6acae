//! desk-core: the use-cases of Penneo Desk without Tauri — accounts and sessions, secrets, the
//! local SQLite cache, the casefile outbox, downloads and file intake.

pub mod db;
pub mod diagnostics;
pub mod downloads;
pub mod error;
pub mod intake;
pub mod redacted;
pub mod secret_store;
pub mod signin;
pub mod use_cases;

pub use crate::use_cases::{DeskConfig, DeskCore, DeskEvent};
pub use db::{Db, Page};
pub use error::{DeskError, ErrorCode, ErrorParams, Result};
/// The client's status enums, as the records and events carry them.
pub use penneo::{CasefileStatus, DocumentStatus, JobStatus, SignerState};
pub use redacted::Secret;

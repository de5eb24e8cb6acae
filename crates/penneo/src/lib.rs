//! # penneo
//!
//! A typed, resilient async client for the Penneo e-signature API: OAuth (PKCE, refresh,
//! `api_keys`), Collect (forms, requests, submissions, answers), Send (casefile creation from
//! files streamed from disk, job status) and Sign (casefiles, documents, PDF download).
//!
//! ```no_run
//! # async fn demo() -> penneo::Result<()> {
//! use penneo::{Credentials, Environment, Penneo, Secret};
//! let client = Penneo::builder()
//!     .environment(Environment::Sandbox)
//!     .credentials(Credentials::oauth("my-client", Secret::new("my-secret")))
//!     .build()?;
//! let forms = client.forms().list(&Default::default()).await?;
//! # let _ = forms; Ok(()) }
//! ```
//!
//! Wire details live here only: the endpoint table ([`endpoints`]), models ([`models`]),
//! auth headers, multipart, retries and pagination.

#![warn(missing_docs)]

pub mod auth;
pub mod casefiles;
mod client;
pub mod documents;
pub mod endpoints;
mod error;
pub mod forms;
pub mod jobs;
pub mod models;
pub mod observe;
mod redacted;
pub mod requests;
pub mod submissions;
pub mod tls;
pub mod upload;

pub use auth::{AuthorizeRequest, Credentials, RotationHook, TokenProvider};
pub use client::{Environment, Penneo, PenneoBuilder, RetryPolicy, MAX_JSON_BODY};
pub use error::{Error, Result};
pub use models::*;
pub use redacted::Secret;
pub use upload::{Progress, ProgressFn, UploadFile};

/// The default user agent: `PenneoDesk/<crate version>`.
pub const DEFAULT_USER_AGENT: &str = concat!("PenneoDesk/", env!("CARGO_PKG_VERSION"));

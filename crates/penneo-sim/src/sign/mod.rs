//! Sign: casefiles, their signers and documents, and the signing page.
//!
//! - [`model`]: the state machine (create, sign, reject, the clock-driven steps), no HTTP;
//! - [`json`]: the shapes Penneo sends (`CaseFileDetails`, `SignerDetails`, `DocumentDetails`);
//! - [`api`]: the `/api/v1` and `/api/v3` handlers;
//! - [`page`]: the signing page a signer's link opens.

pub mod api;
pub mod json;
pub mod model;
pub mod page;

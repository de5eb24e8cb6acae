//! Collect: forms and versions, prefilled requests, the fill-in page, submissions and answers,
//! casefile files.
//!
//! - [`formdef`]: form definitions (validation, values, conditions, the answers object);
//! - [`forms`]: forms and versions;
//! - [`requests`]: prefilled requests;
//! - [`submissions`]: the submissions list and answers;
//! - [`files`]: casefile files and uploaded files;
//! - [`fill`]: the fill-in page;
//! - [`submit`]: answers → a submission and its casefile (no HTTP).

pub mod files;
pub mod fill;
pub mod formdef;
pub mod forms;
pub mod requests;
pub mod submissions;
pub mod submit;

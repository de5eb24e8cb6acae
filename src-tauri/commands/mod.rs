//! One module per domain; each command is a thin, typed call into `desk-core`.

pub mod accounts;
pub mod app;
pub mod casefiles;
pub mod dialogs;
pub mod downloads;
pub mod forms;
pub mod ops;
pub mod payload;
pub mod requests;
pub mod settings;
pub mod submissions;

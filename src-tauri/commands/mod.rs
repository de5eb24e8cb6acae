//! One module per domain; each command is a thin, typed call into `desk-core`.

pub mod accounts;
pub mod app;
pub mod forms;

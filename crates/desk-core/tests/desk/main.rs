//! desk-core's integration tests, one test binary (each file under `tests/` would be its own
//! binary, compiling and linking the core, the client and the simulator again: a minute of a
//! cold `make test`). A module per area; `common` holds the simulator and core set-up they share.
//! Tests that re-run this binary on one test (a child process) name it by its module path.

mod common;

mod corpus;
mod diagnostics;
mod fault_storms;
mod kill_soak;
mod limits;
mod no_leaks;
mod outbox;
mod pdf_bombs;
mod preferences;
mod properties;
mod sign_in;
mod signers;
mod sync;

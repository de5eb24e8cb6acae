//! The client's integration tests, one test binary (each file under `tests/` would be its own
//! binary, linking the client, the simulator and wiremock again: a minute of a cold `make test`).
//! A module per API area; `common` holds the wiremock helpers they share.

mod common;

mod auth;
mod collect;
mod send;
mod send_sync;
mod sign;
mod sim_journeys;

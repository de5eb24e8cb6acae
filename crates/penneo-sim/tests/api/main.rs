//! End-to-end tests of the simulator over HTTP (reqwest as a plain client, written from
//! Penneo's published docs), one module per domain in one test binary.

mod common;

mod bad_input;
mod casefile_details;
mod collect;
mod edges;
mod oauth;
mod send;
mod sign;
mod sim;

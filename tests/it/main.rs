//! Black-box tests: the real `maestro-cli` binary against a temporary state.
//! One test binary (faster to link); a sandbox per test.
#![allow(clippy::unwrap_used, clippy::print_stderr)]

mod adapters;
mod audit;
mod backends;
mod cli;
mod completion;
mod concurrency;
mod config;
mod cost;
mod crash;
mod dashboards;
mod dry_run;
mod flows;
mod http_mock;
mod layers;
#[cfg(feature = "opa-wasm")]
mod opa_wasm;
mod pack;
mod pack_proofs;
mod perf;
mod policy;
mod runbooks;
mod schemas;
mod secrets;
mod signals;
mod support;
mod tenants;
mod transparency;
mod trial;
mod users;

//! Black-box tests: the real `maestro-cli` binary against a temporary state.
//! One test binary (faster to link); a sandbox per test.

mod audit;
mod cli;
mod concurrency;
mod config;
mod runbooks;
mod support;
mod tenants;
mod users;

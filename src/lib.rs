//! `maestro-cli`: the operator CLI of CompanyOS, a multi-tenant internal platform.
//!
//! A map of the code, top to bottom; an import only ever points down (or across the domain,
//! without a cycle), and `tests/it/layers.rs` fails on one that does not. See
//! `../shared/DESIGN.md` for the whole design.
//!
//! ```text
//!  argv ──► cli/        clap: parse, call one function, render (output.rs prints; exit.rs
//!             │         maps errors to exit codes; values.rs spells the domain's enums)
//!             ▼
//!          ops/         commands that wire several modules: sync, tenant:create
//!          tenant/ flow/ governance/ cost/ perf/ ingest input signals/ pack/ trial/
//!          metrics dashboards intelgraph status markup
//!             │         the domain: one public function per command, returning Serialize
//!             │         values and typed errors; long work reports through model::progress
//!             ▼
//!          authz/       every action's ABAC decision (maestro.abac), check / guarded_write
//!          context      what a command runs with: store, config, clock, actor
//!          adapters/    one outbox::Backend per remote system
//!          policy/      the governance kernel: bundle, engine (regorus; opa-wasm opt-in),
//!                       remembered decisions, the decision log
//!          audit        append + verify the hash chain
//!          outbox/      enqueue (the only way in); sync = read → pure plan → apply
//!             ▼
//!          store/       SQLite: migrations, WAL, BEGIN IMMEDIATE writes, every SQL statement
//!          config/      maestro.toml, with errors naming file, line and key
//!             ▼
//!          model/       the leaf: ids, Tenant, Role, Money, the audit event's hash, clock,
//!                       ExitStatus and Diagnostic, Progress
//! ```
//!
//! `templates/flows/*.yaml` and `policies/*.rego` are compiled in (`include_str!`).
//!
//! `fuzzing` (feature `fuzzing`, hidden) sits beside `cli/` on top: the fuzz targets of the
//! parsers, shared by `tests/fuzz` and the cargo-fuzz project in `fuzz/`.

pub mod adapters;
pub mod audit;
pub mod authz;
pub mod cli;
pub mod config;
pub mod context;
pub mod cost;
pub mod dashboards;
pub mod flow;
#[cfg(feature = "fuzzing")]
#[doc(hidden)]
pub mod fuzzing;
pub mod governance;
pub mod ingest;
pub mod input;
pub mod intelgraph;
pub mod markup;
pub mod metrics;
pub mod model;
pub mod ops;
pub mod outbox;
pub mod pack;
pub mod perf;
pub mod policy;
pub mod signals;
pub mod status;
pub mod store;
pub mod tenant;
pub mod trial;

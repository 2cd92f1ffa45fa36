//! `maestro-cli`: the operator CLI of CompanyOS, a multi-tenant internal platform.
//!
//! A map of the code (see `../shared/DESIGN.md` for the whole design):
//!
//! ```text
//!  argv ──► cli/      clap: parse into Settings, call one domain function, render
//!             │       (output.rs is the only place that prints; exit.rs maps errors to codes)
//!             ▼
//!          tenant/    tenants, isolation boundaries, principals, authorization (authz.rs)
//!          flow/      the task-graph engine: template (load+validate) → plan → exec, kinds/
//!          policy/    the governance kernel: Rego bundle, engine (regorus; opa-wasm opt-in),
//!                     decisions, drift
//!          cost/      FOCUS billing ingest, attribution, daily/monthly rollups, reports
//!          perf/      request logs, exact latency distributions, budgets, baselines
//!          adapters/  the outbox's remote backends (syslog, Pushgateway, VictoriaMetrics,
//!                     Loki, Neo4j, Grafana, webhook), `sync`
//!          signals/   commit signals (git2) and security alerts from system logs
//!          audit.rs   append + verify the hash chain
//!             │       (domain code takes a Context: store, config, clock, actor)
//!             ▼
//!          store/     SQLite: migrations, WAL, BEGIN IMMEDIATE writes, every SQL statement
//!             ▼
//!          state.db   one file, mode 0600
//! ```
//!
//! - [`ids`]: validated identifiers (`TenantId`, `RegionId`, `PrincipalId`);
//! - [`config`]: `maestro.toml`, with errors naming file, line and key;
//! - [`clock`]: where time comes from (fixed in tests via `MAESTRO_CLOCK`);
//! - [`exit`]: exit codes and the error → exit code / `help:` mapping;
//! - [`input`]: input files read once while hashed (`.gz` too), and their errors;
//! - [`ingest`]: a file ingested once (by its sha256) for `cost:ingest` and `perf:ingest`,
//!   recorded in one transaction with its audit event;
//! - [`dashboards`]: Grafana dashboards from `templates/dashboards/`;
//! - [`metrics`]: each tenant's metrics snapshot, queued for the metrics backends;
//! - [`intelgraph`]: the IntelGraph (Neo4j) schema and the Cypher statements for outbox rows;
//! - `templates/flows/*.yaml` and `policies/*.rego` are compiled in (`include_str!`).

pub mod adapters;
pub mod audit;
pub mod cli;
pub mod config;
pub mod context;
pub mod cost;
pub mod dashboards;
pub mod flow;
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

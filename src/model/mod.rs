//! The leaf of the module graph: the types every layer shares, importing nothing of ours.
//!
//! - [`ids`]: validated identifiers (`TenantId`, `RegionId`, `PrincipalId`);
//! - [`tenant`]: a tenant as stored (`Tenant`, `Tier`, `Regions`, `TenantStatus`) and `Role`;
//! - [`money`]: exact decimal amounts (`Money`);
//! - [`audit`]: the audit event as stored and its hash (canonical JSON, lowercase hex);
//! - [`clock`]: where time comes from (fixed in tests via `MAESTRO_CLOCK`);
//! - [`exit`]: `ExitStatus` and `Diagnostic`, what an error tells the operator;
//! - [`outbox`]: an outbox row as stored and delivered;
//! - [`progress`]: the trait through which long work reports progress to a front end;
//! - [`latency`]: exact latency distributions and their nearest-rank percentiles;
//! - [`intern`]: an interner for the strings a large ingest repeats.

pub mod audit;
pub mod clock;
pub mod exit;
pub mod ids;
pub mod intern;
pub mod latency;
pub mod merkle;
pub mod money;
pub mod outbox;
pub mod progress;
pub mod tenant;

pub use exit::{Diagnostic, ExitStatus};

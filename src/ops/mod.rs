//! Operations that wire several layers together for one command, where no single domain
//! module owns the command: `audit:log` (the actor's scope over the audit log), `sync` (authorization, the adapters' backends, the outbox) and
//! `tenant:create` (the tenant checks, then a run of the `new-tenant` flow); and what shell
//! completion offers from the state (`complete`).

pub mod audit;
pub mod complete;
pub mod sync;
pub mod tenant;

//! Operations that wire several layers together for one command, where no single domain
//! module owns the command: `audit:log` (the actor's scope over the audit log), `sync` (authorization, the adapters' backends, the outbox) and
//! `tenant:create` (the tenant checks, then a run of the `new-tenant` flow).

pub mod audit;
pub mod sync;
pub mod tenant;

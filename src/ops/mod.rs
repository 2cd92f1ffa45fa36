//! Operations that wire several layers together for one command, where no single domain
//! module owns the command: `sync` (authorization, the adapters' backends, the outbox).

pub mod sync;

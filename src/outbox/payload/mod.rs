//! The payloads whose shape both sides know: the domain builds them, an adapter reads them.
//! (Audit events and alerts travel as the JSON of their stored form.)

pub mod graph;
pub mod metrics;

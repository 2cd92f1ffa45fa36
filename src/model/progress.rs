//! How long work reports its progress without knowing where it is shown: the domain advances
//! a [`Progress`], the CLI implements it with a bar on a terminal (and nothing elsewhere).

/// A sink for the progress of one piece of work measured in units (bytes, rows).
pub trait Progress: Send + Sync {
    /// `units` more are done.
    fn advance(&self, units: u64);
    /// A new stage of the work begins, counted from zero in its own units (`what` names them:
    /// "audit events read", "bytes compressed").
    fn stage(&self, _what: &str) {}
    /// The work is over: the sink may disappear.
    fn finish(&self);
}

/// A progress sink, if the front end wants one.
pub type Sink = Option<Box<dyn Progress>>;

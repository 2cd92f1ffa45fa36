//! How long work reports its progress without knowing where it is shown: the domain advances
//! a [`Progress`], the CLI implements it with a bar on a terminal (and nothing elsewhere).

/// A sink for the progress of one piece of work measured in units (bytes, rows).
pub trait Progress: Send {
    /// `units` more are done.
    fn advance(&self, units: u64);
    /// The work is over: the sink may disappear.
    fn finish(&self);
}

/// A progress sink, if the front end wants one.
pub type Sink = Option<Box<dyn Progress>>;

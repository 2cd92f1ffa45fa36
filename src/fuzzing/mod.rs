//! Fuzz targets (feature `fuzzing`; hidden, not an API): one function per parser that takes
//! any bytes and panics when an invariant beyond "no panic" breaks. The same functions run
//! in `tests/fuzz` (on stable: the committed corpus in `cargo test`, a mutation fuzzer with
//! `MAESTRO_FUZZ_SECS`) and in the cargo-fuzz project `fuzz/` (nightly, coverage-guided).
//!
//! - [`template`]: flow templates (`flow::template::load`);
//! - [`focus`]: FOCUS billing files, CSV and JSON lines (`cost:ingest`'s readers);
//! - [`auth_log`]: syslog / auth.log lines and the detections over them (`signals:mine --logs`);
//! - [`pack`]: disclosure packs (`pack::verify`);
//! - [`config`]: `maestro.toml` (`config::Config::parse`).
//!
//! Each target returns the [`Features`] of the run: labels for what the input reached (the
//! kind of each problem found, which rules fired), which the stable fuzzer, having no
//! coverage to go by, uses to keep the inputs that reach something new.

mod auth_log;
mod config;
mod focus;
mod pack;
mod template;

pub use auth_log::auth_log;
pub use config::config;
pub use focus::focus;
pub use pack::{pack, pack_with_key};
pub use template::template;

use std::hash::{DefaultHasher, Hash, Hasher};

/// A fuzz target: its name (the corpus folder `tests/fuzz/corpus/<name>/`), the function,
/// and the largest input worth trying.
pub struct Target {
    pub name: &'static str,
    pub run: fn(&[u8]) -> Features,
    pub max_len: usize,
}

pub const TARGETS: &[Target] = &[
    Target {
        name: "template",
        run: template,
        max_len: 16 << 10,
    },
    Target {
        name: "focus",
        run: focus,
        max_len: 16 << 10,
    },
    Target {
        name: "auth_log",
        run: auth_log,
        max_len: 16 << 10,
    },
    Target {
        name: "pack",
        run: pack,
        max_len: 256 << 10,
    },
    Target {
        name: "config",
        run: config,
        max_len: 16 << 10,
    },
];

/// What one run reached, as labels (`problem/unknown step kind ``...`).
#[derive(Debug, Default, Clone)]
pub struct Features(Vec<String>);

impl Features {
    /// Notes the label made of `parts`.
    pub fn add(&mut self, parts: &[&str]) {
        self.0.push(parts.join("/"));
    }

    pub fn labels(&self) -> &[String] {
        &self.0
    }
}

/// A message's shape: its first six words before a value (in backticks or double quotes),
/// numbers and other non-words left out, so that problems of one kind share a label
/// (``step `a` needs `b` `` and ``step `x` needs `y` `` are one). A message that starts with a
/// value is shaped by what follows it. Without this nearly every input would be new, and the
/// corpus would only grow.
fn shape(message: &str) -> String {
    let quote = |c: char| c == '`' || c == '"';
    let rest = match message.strip_prefix(quote) {
        Some(value) => value.split_once(quote).map_or("", |(_, after)| after),
        None => message,
    };
    let before = rest.split(quote).next().unwrap_or_default();
    before
        .split(|c: char| !c.is_ascii_alphabetic())
        .filter(|w| w.len() > 1)
        .take(6)
        .collect::<Vec<_>>()
        .join(" ")
}

/// A deterministic choice from the input (chunk sizes, cut points): the same bytes always
/// make the same choices, so a failure replays.
fn pick(bytes: &[u8], salt: u64, n: usize) -> usize {
    let mut h = DefaultHasher::new();
    (salt, bytes).hash(&mut h);
    (h.finish() % n.max(1) as u64) as usize
}

//! The governance kernel: Rego policies (`policies/`), evaluated by a [`PolicyEngine`], every
//! decision logged (secrets masked) and joined to the audit hash chain.
//!
//! - [`Bundle`] (`bundle.rs`): the policy files and their data, built in or from `[policy] dir`,
//!   with a hash;
//! - [`Governance`] (`governance.rs`): a bundle loaded into an engine; `decide` evaluates a query;
//! - [`record`] (`decision_log.rs`): writes a decision to the decision log and the audit chain;
//! - [`platform_data`] (`data.rs`): the data document built from the store (tenants, clusters).

mod bundle;
pub mod cache;
mod data;
mod decision_log;
mod deps;
pub mod engine;
mod governance;
mod mask;
mod scope;
pub mod testing;
#[cfg(feature = "opa-wasm")]
pub mod wasm;

pub use bundle::Bundle;
#[cfg(feature = "opa-wasm")]
pub use bundle::WasmBundle;
pub use data::platform_data;
pub use decision_log::{BatchDecision, record, record_batch};
pub use engine::{PolicyEngine, Regorus};
pub use governance::{Decision, Governance, LazyGovernance, NO_OPA_WASM, wasm_cache};
pub use mask::mask_secrets;
pub use scope::named_tenants;

use std::path::PathBuf;

use crate::model::{Diagnostic, ExitStatus};
use crate::store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum PolicyError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("policy `{path}`: {message}")]
    Module { path: String, message: String },
    #[error("policy data: {0}")]
    Data(String),
    #[error("evaluating `{query}`: {message}")]
    Eval { query: String, message: String },
    #[error("`{query}` is undefined: no such rule, or no decision for this input")]
    Undefined { query: String },
    #[error(
        "`{query}` did not return a decision document `{{allow, deny, audit, exceptions_applied}}`: got {got}"
    )]
    NotADecision { query: String, got: String },
    #[error("cannot read `{}`: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot write `{}`: {source}", path.display())]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("`{}` has no *.rego files", .0.display())]
    Empty(PathBuf),
    #[error("{0}")]
    Input(String),
    #[error("denied by `{query}`: {}", deny.join("; "))]
    Denied { query: String, deny: Vec<String> },
}

impl Diagnostic for PolicyError {
    fn exit_status(&self) -> ExitStatus {
        match self {
            PolicyError::Denied { .. } => ExitStatus::Denied,
            _ => ExitStatus::Error,
        }
    }
    fn help(&self) -> Option<String> {
        match self {
            PolicyError::Store(e) => e.help(),
            PolicyError::Module { .. } | PolicyError::Empty(_) => {
                Some("check the policies with `maestro-cli policy:test`".into())
            }
            PolicyError::Undefined { .. } => {
                Some("queries name a package or its decision, e.g. `data.maestro.residency`".into())
            }
            _ => None,
        }
    }
}

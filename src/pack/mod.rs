//! The disclosure pack: one tenant's evidence (residency declaration and deployments, policy
//! decisions and bundle, audit events with their chain anchors, runbooks, a branded summary),
//! with a manifest of every file's sha256, signed in minisign format; deterministic, and
//! verifiable offline with `pack:verify` or the stock `minisign -V`.

mod events;
mod export;
mod gunzip;
mod gzip;
pub mod keys;
mod read;
mod render;
mod verify;

use std::path::{Path, PathBuf};

pub use export::{ExportOptions, ExportReport, Target, export, export_with_progress};
pub use verify::{PackCheckpoint, VerifyReport, verify, verify_with, verify_with_progress};

use crate::model::{Diagnostic, ExitStatus};

/// The pack format this binary writes: 2 adds the audit log's signed checkpoint and the
/// multi-proof of the tenant's events against it. Packs of format 1 still verify.
pub const FORMAT: &str = "maestro-pack/2";
/// The formats `pack:verify` reads.
pub const FORMATS: [&str; 2] = ["maestro-pack/1", FORMAT];

#[derive(Debug, thiserror::Error)]
pub enum PackError {
    #[error(transparent)]
    Tenant(#[from] crate::tenant::TenantError),
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
    #[error(transparent)]
    Policy(#[from] crate::policy::PolicyError),
    #[error("`{}`: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("`{}` already exists; nothing was overwritten", .0.display())]
    Exists(PathBuf),
    #[error("signing key: {0}")]
    Key(String),
    #[error("{0}")]
    Input(String),
    #[error(
        "no checkpoint of the audit log covers tenant `{tenant}`'s last event ({last}): a pack carries one, with the proof of its events"
    )]
    NoCheckpoint { tenant: String, last: i64 },
}

impl PackError {
    pub(crate) fn io(path: &Path, source: std::io::Error) -> PackError {
        PackError::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}

impl Diagnostic for PackError {
    fn exit_status(&self) -> ExitStatus {
        match self {
            PackError::Tenant(e) => e.exit_status(),
            _ => ExitStatus::Error,
        }
    }
    fn help(&self) -> Option<String> {
        match self {
            PackError::Tenant(e) => e.help(),
            PackError::Exists(_) => {
                Some("choose another --out, or remove the old file first".into())
            }
            PackError::Key(_) => {
                Some("make a key pair with `maestro-cli pack:keygen --dir keys`".into())
            }
            PackError::NoCheckpoint { .. } => Some(
                "the log's signer signs one with `maestro-cli audit:checkpoint --key FILE` (hourly by cron); then export again".into(),
            ),
            _ => None,
        }
    }
}

/// An authorization refusal, reported as the tenant operations report it.
impl From<crate::authz::AuthzError> for PackError {
    fn from(e: crate::authz::AuthzError) -> Self {
        PackError::Tenant(crate::tenant::TenantError::Authz(e))
    }
}

//! A file ingested once: the path `cost:ingest` and `perf:ingest` share. The file is read
//! through once while hashed ([`crate::input`]); its sha256 is its identity, so a file
//! ingested before changes nothing the second time, even one that no longer reads cleanly
//! (say it was first ingested with `--skip-bad`). What the pass added up to is stored in one
//! transaction together with the file's row, the tenants' metrics snapshots (queued in the
//! outbox) and the audit event: all of it or none.
//!
//! This lives beside `input`, not in it: `input` only reads and hashes and knows no store,
//! while this path asks authorization and writes the store, the audit log and the outbox, the
//! layer above. Each kind says what differs ([`Kind`]: its action, its audit event, how the
//! store finds a file ingested before); the reader and the rows written stay in the kind's
//! own module.

use std::io::Read;
use std::path::Path;

use serde::Serialize;

use crate::audit::{self, NewEvent};
use crate::authz::{self, Action};
use crate::context::Context;
use crate::input::{self, Digests, InputError};
use crate::model::ids::PrincipalId;
use crate::store::{Db, StoreError};

/// A row left out with `--skip-bad`.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Skipped {
    pub line: u64,
    pub problem: String,
}

/// What differs between the kinds of file ingested once. `B` is what the store kept of a
/// file ingested before (returned when it comes again).
pub(crate) struct Kind<B> {
    /// Asked before the file is read, and again in the transaction.
    pub action: Action,
    /// The audit event's action (`cost.ingest`).
    pub event: &'static str,
    /// What the store kept of the file with these digests (its bytes' or its content's), if
    /// it was ingested before.
    pub before: fn(&Db<'_>, &Digests) -> Result<Option<B>, StoreError>,
}

/// A file read through once and hashed, not yet recorded.
pub(crate) struct Hashed<'k, B> {
    kind: &'k Kind<B>,
    actor: PrincipalId,
    /// The path as given: what messages, the stored row and the audit event show.
    pub shown: String,
    /// The sha256 of the file's bytes, as reports show it.
    pub sha256: String,
    pub digests: Digests,
}

impl<B> Kind<B> {
    /// Checks that the actor may ingest, then reads `path` (`.gz` decompressed) once with
    /// `parse`, given the text and the path as shown, while hashing it. What `parse` finds
    /// wrong is returned as the error, unless the same file was ingested before: then the
    /// pass is empty and [`Hashed::record`] returns what was stored.
    pub(crate) fn read<P: Default>(
        &self,
        ctx: &mut Context,
        path: &Path,
        progress: crate::model::progress::Sink,
        parse: impl FnOnce(&Context, Box<dyn Read + Send + '_>, &str) -> Result<P, InputError>,
    ) -> anyhow::Result<(Hashed<'_, B>, P)> {
        let actor = authz::check(ctx, self.action, None)?;
        let shown = path.display().to_string();
        let file_err = |detail: String| InputError::File {
            path: shown.clone(),
            detail,
        };
        let (pass, digests) = input::read_hashed(path, progress, |text| parse(ctx, text, &shown))
            .map_err(|e| file_err(e.to_string()))?;
        // A file ingested before (say with --skip-bad) is not an error the second time.
        let pass = match pass {
            Err(_) if (self.before)(&ctx.store.read(), &digests)?.is_some() => P::default(),
            other => other?,
        };
        let file = Hashed {
            kind: self,
            actor,
            shown,
            sha256: digests.raw.clone(),
            digests,
        };
        Ok((file, pass))
    }
}

impl<B> Hashed<'_, B> {
    /// Records the file in one transaction, unless it was ingested before: then nothing
    /// changes and what the store kept of it is returned. Otherwise authorization is asked
    /// again, `write` stores the pass's rows and the file's row (given the transaction and
    /// the time now), the metrics of `tenants` are refreshed and the audit event with
    /// `details` is appended.
    pub(crate) fn record<'t>(
        &self,
        ctx: &mut Context,
        tenants: impl IntoIterator<Item = &'t str>,
        details: serde_json::Value,
        write: impl FnOnce(&Db<'_>, &str) -> anyhow::Result<()>,
    ) -> anyhow::Result<Option<B>> {
        let clock = ctx.clock;
        let now = clock.now_rfc3339();
        ctx.store.write(|db| -> anyhow::Result<Option<B>> {
            if let Some(before) = (self.kind.before)(db, &self.digests)? {
                return Ok(Some(before));
            }
            authz::authorize(&ctx.abac, db, &clock, &self.actor, self.kind.action, None)?;
            write(db, &now)?;
            crate::metrics::refresh(db, &clock, tenants)?;
            audit::append(
                db,
                &clock,
                NewEvent {
                    actor: self.actor.clone(),
                    tenant_id: None,
                    action: self.kind.event,
                    target: self.shown.clone(),
                    details,
                },
            )?;
            Ok(None)
        })
    }
}

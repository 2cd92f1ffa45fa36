//! `trial:down`: a record of what is removed, written next to the directory, then the
//! directory itself.

use std::path::{Path, PathBuf};

use serde::Serialize;

use super::{MARKER, TrialError, step};
use crate::model::clock::Clock;
use crate::store::Store;

/// What `trial:down` removed, written next to DIR before DIR goes.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct TeardownRecord {
    pub dir: String,
    pub name: String,
    pub removed: Vec<String>,
    pub tenants: Vec<String>,
    pub final_audit_head: Option<String>,
    pub audit_events: u64,
    pub at: String,
    pub record: String,
}

/// Writes the teardown record of `dir`, then removes `dir`.
pub fn down(dir: &Path, clock: Clock) -> Result<TeardownRecord, TrialError> {
    let record = plan(dir, clock)?;
    let text = serde_json::to_string_pretty(&record).unwrap_or_default() + "\n";
    step("record", std::fs::write(&record.record, text))?;
    step("remove", std::fs::remove_dir_all(dir))?;
    Ok(record)
}

/// What `down` would record and remove (`trial:down --dry-run`), touching nothing; refuses a
/// directory trial:up did not make.
pub fn plan(dir: &Path, clock: Clock) -> Result<TeardownRecord, TrialError> {
    let marker = dir.join(MARKER);
    let name = std::fs::read_to_string(&marker).map_err(|_| TrialError {
        step: "check",
        source: anyhow::anyhow!(
            "`{}` has no {MARKER} marker: trial:down removes only what trial:up made",
            dir.display()
        ),
    })?;
    let (head, events, tenants) = match Store::open(&dir.join("state.db")) {
        Ok(store) => {
            let v = step("record", crate::audit::verify(&store.read()))?;
            let t = step("record", store.read().tenants().list(true))?;
            (
                v.head,
                v.events,
                t.iter().map(|t| t.id.to_string()).collect(),
            )
        }
        Err(_) => (None, 0, vec![]),
    };
    let mut removed: Vec<String> = step("record", std::fs::read_dir(dir))?
        .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
        .collect();
    removed.sort();
    let parent = dir
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    let file_name = dir
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_else(|| "maestro-trial".into());
    let record_path = parent.join(format!("{file_name}.teardown.json"));
    let record = TeardownRecord {
        dir: dir.display().to_string(),
        name: name.trim().to_string(),
        removed,
        tenants,
        final_audit_head: head,
        audit_events: events,
        at: clock.now_rfc3339(),
        record: record_path.display().to_string(),
    };
    Ok(record)
}

//! What shell completion offers from the state and the configuration: the tenant ids and
//! run ids the actor may see, the flow templates, the adapters. Only reads: a state file
//! that does not exist is not created, no decision or audit event is recorded, and any
//! failure (no actor, a locked or unreadable state, a bad config) offers nothing.

use std::path::PathBuf;

use crate::authz::visible_tenants;
use crate::config::Config;
use crate::flow::catalog;
use crate::model::ids::PrincipalId;
use crate::store::{RunFilter, Store};

/// How many of the newest runs are offered.
const RUNS: u64 = 50;

/// Where the values come from: the state, config and actor the command line names.
#[derive(Debug, Clone, Default)]
pub struct Source {
    pub state: Option<PathBuf>,
    pub config: Option<PathBuf>,
    pub actor: Option<String>,
}

/// A value to offer, with a short description.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub value: String,
    pub help: String,
}

impl Source {
    /// The state, opened only if it exists, with the actor and the tenants it may see
    /// (`None`: every tenant).
    fn open(&self) -> Option<(Store, Option<Vec<String>>)> {
        let state = self.state.as_ref().filter(|s| s.is_file())?;
        let actor = PrincipalId::parse(self.actor.as_deref()?).ok()?;
        let store = Store::open(state).ok()?;
        let bindings = store.read().principals().roles_of(&actor).ok()?;
        if bindings.is_empty() {
            return None;
        }
        let visible =
            visible_tenants(&bindings).map(|ts| ts.iter().map(|t| t.to_string()).collect());
        Some((store, visible))
    }

    /// The tenants the actor may see (not deleted ones), with their names.
    pub fn tenants(&self) -> Vec<Candidate> {
        let Some((store, visible)) = self.open() else {
            return Vec::new();
        };
        let Ok(tenants) = store.read().tenants().list(false) else {
            return Vec::new();
        };
        tenants
            .into_iter()
            .filter(|t| {
                visible
                    .as_ref()
                    .is_none_or(|v| v.contains(&t.id.to_string()))
            })
            .map(|t| Candidate {
                value: t.id.to_string(),
                help: t.name,
            })
            .collect()
    }

    /// The newest runs of the tenants the actor may see: flow, tenant and status.
    pub fn runs(&self) -> Vec<Candidate> {
        let Some((store, visible)) = self.open() else {
            return Vec::new();
        };
        let filter = RunFilter {
            tenants: visible,
            status: None,
            limit: Some(RUNS),
        };
        let Ok(runs) = store.read().flows().runs(&filter) else {
            return Vec::new();
        };
        runs.into_iter()
            .map(|r| Candidate {
                help: format!(
                    "{} {} {}",
                    r.flow,
                    r.tenant_id.as_deref().unwrap_or("-"),
                    r.status
                ),
                value: r.id,
            })
            .collect()
    }

    /// The built-in flow templates.
    pub fn flows(&self) -> Vec<Candidate> {
        catalog::list(&[])
            .unwrap_or_default()
            .into_iter()
            .map(|e| Candidate {
                value: e.name,
                help: e.description,
            })
            .collect()
    }

    /// The adapters of the configuration.
    pub fn adapters(&self) -> Vec<Candidate> {
        let Ok(config) = Config::discover(self.config.as_deref()) else {
            return Vec::new();
        };
        config
            .adapters
            .iter()
            .map(|a| Candidate {
                value: a.name.get_ref().clone(),
                help: serde_json::to_value(a.kind)
                    .ok()
                    .and_then(|k| k.as_str().map(str::to_string))
                    .unwrap_or_default(),
            })
            .collect()
    }
}

//! The platform's side of the data document the policies read: tenants from the store,
//! clusters from the configuration.

use serde_json::{Value, json};

use crate::config::Config;
use crate::store::{Db, StoreError};

/// The platform's side of the data document: tenants (tier, allowed regions, status) from
/// the store, clusters (region) from the configuration.
pub fn platform_data(db: &Db<'_>, config: &Config) -> Result<Value, StoreError> {
    let tenants = db.tenants().residency()?;
    let clusters: serde_json::Map<String, Value> = config
        .platform
        .clusters
        .iter()
        .map(|(name, c)| {
            (
                name.get_ref().clone(),
                json!({"region": c.region.get_ref()}),
            )
        })
        .collect();
    Ok(json!({"tenants": tenants, "clusters": clusters}))
}

//! The audit log's Merkle tree (`model::merkle`) in the state. Each event's leaf is the leaf
//! hash of its JSON line (`model::audit::json_line`: what a pack carries), so a pack's events
//! are proven by their bytes. Appending keeps the tree's frontier beside the chain head (one
//! row written anyway) and, every fourth level, the root of each perfect subtree it completes
//! (tiles): any subtree's hash then takes at most 16 reads, so a proof in a log of a million
//! events reads a few hundred rows.

use crate::model::audit::AuditEvent;
use crate::model::merkle::{self, Frontier, Hash};
use crate::store::{Db, StoreError};

/// Tiles are kept at the levels that are multiples of this.
pub const TILE_LEVELS: u32 = 4;

/// A tile: the root of the perfect subtree `(level, index)`.
pub type Tile = (u32, u64, Hash);

/// What appending `event` writes: its leaf, the tree's new frontier, the tiles it completes.
pub struct Grown {
    pub leaf: Hash,
    pub frontier: Vec<u8>,
}

/// Adds `event` (the next one after the head; `details` its canonical text, `tenant_prev`
/// its tenant's event before it, `kept` the frontier read with the head) to the tree; its tiles are written here, the leaf and
/// frontier by the caller with the event. Call inside a write transaction.
pub fn grow(
    db: &Db<'_>,
    event: &AuditEvent,
    details: &str,
    tenant_prev: Option<i64>,
    kept: Option<&[u8]>,
) -> Result<Grown, StoreError> {
    let mut frontier = match kept
        .and_then(Frontier::from_bytes)
        .filter(|f| f.size as i64 == event.seq - 1)
    {
        Some(f) => f,
        None => ensure(db, event.seq - 1)?,
    };
    let leaf = merkle::leaf_hash(
        crate::model::audit::json_line(
            event.seq,
            &event.at,
            &event.actor,
            event.tenant_id.as_deref(),
            &event.action,
            &event.target,
            details,
            &event.prev_hash,
            &event.hash,
            tenant_prev,
        )
        .as_bytes(),
    );
    let mut tiles = Vec::new();
    frontier.append(leaf, |c| {
        if c.level.is_multiple_of(TILE_LEVELS) {
            tiles.push((c.level, c.index, c.hash));
        }
    });
    if !tiles.is_empty() {
        db.audit().put_tiles(&tiles)?;
    }
    Ok(Grown {
        leaf,
        frontier: frontier.to_bytes(),
    })
}

/// The tree of the first `size` events as kept with the head; a state from before the tree
/// (or whose frontier does not match its head) has it built from the events and written,
/// tiles and frontier. Call inside a write transaction.
pub fn ensure(db: &Db<'_>, size: i64) -> Result<Frontier, StoreError> {
    if let Some(f) = kept(db, size)? {
        return Ok(f);
    }
    let (f, tiles) = build(db, size)?;
    db.audit().put_tiles(&tiles)?;
    if size > 0 {
        db.audit().set_frontier(&f.to_bytes())?;
    }
    Ok(f)
}

/// The same, writing nothing: a read computes what is not kept.
pub fn frontier(db: &Db<'_>, size: i64) -> Result<Frontier, StoreError> {
    match kept(db, size)? {
        Some(f) => Ok(f),
        None => Ok(build(db, size)?.0),
    }
}

fn kept(db: &Db<'_>, size: i64) -> Result<Option<Frontier>, StoreError> {
    Ok(db
        .audit()
        .frontier()?
        .as_deref()
        .and_then(Frontier::from_bytes)
        .filter(|f| f.size as i64 == size))
}

/// The tree of the first `size` events from the events themselves, and its tiles.
fn build(db: &Db<'_>, size: i64) -> Result<(Frontier, Vec<Tile>), StoreError> {
    let mut f = Frontier::default();
    let mut tiles = Vec::new();
    db.audit().for_each_link_between(1, size, |link| {
        f.append(link.leaf_hash(), |c| {
            if c.level.is_multiple_of(TILE_LEVELS) {
                tiles.push((c.level, c.index, c.hash));
            }
        });
        Ok(())
    })?;
    if f.size as i64 != size {
        return Err(db.corrupt(format!(
            "the audit log has {} events where its head says {size}",
            f.size
        )));
    }
    Ok((f, tiles))
}

/// The root of the perfect subtree of `2^level` events starting at event `index << level`
/// (0-based): a kept tile, else from its two halves, down to the events themselves.
pub fn perfect(db: &Db<'_>, level: u32, index: u64) -> Result<Hash, StoreError> {
    if level == 0 {
        let seq = index as i64 + 1;
        let mut leaf = None;
        db.audit().for_each_link_between(seq, seq, |link| {
            leaf = Some(link.leaf_hash());
            Ok(())
        })?;
        return leaf.ok_or_else(|| db.corrupt(format!("no audit event {seq}")));
    }
    if level.is_multiple_of(TILE_LEVELS)
        && let Some(h) = db.audit().tile(level, index)?
    {
        return Ok(h);
    }
    if level < TILE_LEVELS {
        // Up to eight events: read them in one query.
        let lo = (index << level) as i64 + 1;
        let hi = lo + (1 << level) - 1;
        let mut leaves = Vec::with_capacity(1 << level);
        db.audit().for_each_link_between(lo, hi, |link| {
            leaves.push(link.leaf_hash());
            Ok(())
        })?;
        if leaves.len() != 1 << level {
            return Err(db.corrupt(format!("audit events {lo}..={hi} are missing")));
        }
        let mut f = Frontier::default();
        for l in leaves {
            f.append(l, |_| {});
        }
        return Ok(f.root());
    }
    let left = perfect(db, level - 1, 2 * index)?;
    let right = perfect(db, level - 1, 2 * index + 1)?;
    Ok(merkle::node_hash(&left, &right))
}

/// [`perfect`] as the source `model::merkle`'s proofs take.
pub fn source<'a>(db: &'a Db<'a>) -> impl FnMut(u32, u64) -> Result<Hash, StoreError> + 'a {
    move |level, index| perfect(db, level, index)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::{NewEvent, append};
    use crate::model::clock::Clock;
    use crate::model::ids::PrincipalId;
    use crate::store::Store;

    fn grown(n: usize) -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("state.db")).unwrap();
        let clock = Clock::Fixed("2026-11-25T10:00:00Z".parse().unwrap());
        for i in 0..n {
            store
                .write(|db| {
                    append(
                        db,
                        &clock,
                        NewEvent {
                            actor: PrincipalId::parse("ops@example.com").unwrap(),
                            tenant_id: None,
                            action: "test.event",
                            target: format!("thing/{i}"),
                            details: serde_json::json!({"i": i}),
                        },
                    )
                })
                .unwrap();
        }
        (dir, store)
    }

    fn leaves(db: &Db<'_>) -> Vec<Hash> {
        let mut out = Vec::new();
        db.audit()
            .for_each_link(|l| {
                assert_eq!(l.stored_leaf, Some(&l.leaf_hash()[..]));
                out.push(l.leaf_hash());
                Ok(())
            })
            .unwrap();
        out
    }

    #[test]
    fn the_kept_tree_is_the_tree_of_the_events_and_its_proofs_hold() {
        let (_dir, store) = grown(70);
        let db = store.read();
        let all = leaves(&db);
        let mut naive = Frontier::default();
        for l in &all {
            naive.append(*l, |_| {});
        }
        let kept = frontier(&db, 70).unwrap();
        assert_eq!(kept, naive);
        let root = kept.root();
        for n in [1u64, 16, 17, 64, 70] {
            let at_n = merkle::range_hash(&mut source(&db), 0, n).unwrap();
            for i in [0, n / 2, n - 1] {
                let proof = merkle::inclusion_proof(&mut source(&db), i, n).unwrap();
                assert!(merkle::verify_inclusion(
                    i,
                    n,
                    &all[i as usize],
                    &proof,
                    &at_n
                ));
            }
            let proof = merkle::consistency_proof(&mut source(&db), n, 70).unwrap();
            assert!(merkle::verify_consistency(n, 70, &at_n, &root, &proof));
        }
    }

    #[test]
    fn a_state_without_the_tree_builds_it_at_the_next_append() {
        let (_dir, mut store) = grown(20);
        let before = frontier(&store.read(), 20).unwrap();
        store
            .write(|db| -> Result<(), StoreError> {
                db.audit().set_frontier(&[])?;
                Ok(())
            })
            .unwrap();
        assert_eq!(store.read().audit().frontier().unwrap(), Some(vec![]));
        assert_eq!(frontier(&store.read(), 20).unwrap(), before);
        let rebuilt = store.write(|db| ensure(db, 20)).unwrap();
        assert_eq!(rebuilt, before);
        assert_eq!(
            store.read().audit().frontier().unwrap(),
            Some(before.to_bytes())
        );
    }
}

#[cfg(test)]
mod tenant_prev {
    use crate::audit::{NewEvent, append};
    use crate::model::clock::Clock;
    use crate::model::ids::{PrincipalId, TenantId};
    use crate::store::{Store, StoreError};

    fn event(tenant: &str) -> NewEvent {
        NewEvent {
            actor: PrincipalId::parse("ops@example.com").unwrap(),
            tenant_id: Some(TenantId::parse(tenant).unwrap()),
            action: "test.event",
            target: "thing".into(),
            details: serde_json::json!({}),
        }
    }

    /// `tenant_prev` of every event, as stored.
    fn prevs(store: &Store) -> Vec<(i64, Option<i64>)> {
        let mut out = Vec::new();
        store
            .read()
            .audit()
            .for_each_link(|l| {
                out.push((l.seq, l.tenant_prev));
                Ok(())
            })
            .unwrap();
        out
    }

    /// Two stores on one file (two processes) and a rolled-back append: each tenant event
    /// still names the tenant's event truly before it.
    #[test]
    fn each_tenant_event_names_the_one_before_it_whoever_wrote_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.db");
        let (mut a, mut b) = (Store::open(&path).unwrap(), Store::open(&path).unwrap());
        let clock = Clock::Fixed("2026-11-25T10:00:00Z".parse().unwrap());
        let add = |s: &mut Store, t: &str| s.write(|db| append(db, &clock, event(t))).unwrap();
        add(&mut a, "acme"); // 1
        add(&mut a, "globex"); // 2
        add(&mut b, "acme"); // 3, by the other store
        add(&mut a, "acme"); // 4: follows 3, not the 1 this store wrote
        // Appended, then rolled back: the next acme event follows 4, not the lost 5.
        let lost: Result<(), StoreError> = a.write(|db| {
            append(db, &clock, event("acme"))?;
            Err(db.corrupt("roll back"))
        });
        assert!(lost.is_err());
        add(&mut b, "globex"); // 5
        add(&mut a, "acme"); // 6
        assert_eq!(
            prevs(&a),
            [
                (1, Some(0)),
                (2, Some(0)),
                (3, Some(1)),
                (4, Some(3)),
                (5, Some(2)),
                (6, Some(4)),
            ]
        );
    }
}

//! The Merkle tree of RFC 9162 §2.1 (Certificate Transparency v2) over the audit log: leaf
//! hash `SHA-256(0x00 || leaf)`, node hash `SHA-256(0x01 || left || right)`, a tree of `n`
//! leaves split at the largest power of two below `n`. Pure functions: the tree's hashes come
//! from a source of *perfect* subtrees (aligned, a power of two leaves wide), which the state
//! stores as tiles and a verifier computes from what it holds.
//!
//! - [`Frontier`]: the roots of the perfect subtrees that make up a tree of `n` leaves (at
//!   most 64); appending a leaf is O(log n) and gives the new root.
//! - [`inclusion_proof`] / [`verify_inclusion`], [`consistency_proof`] /
//!   [`verify_consistency`]: RFC 9162 §2.1.3 and §2.1.4.
//! - [`multi_proof`] / [`MultiVerifier`]: one proof for many leaves, every interior hash
//!   given once: the hashes of the subtrees holding none of the leaves, depth first, left to
//!   right; a verifier takes the leaves in order as they stream by.

use sha2::{Digest, Sha256};

pub type Hash = [u8; 32];

/// A hash from its hex text (as stored and as JSON shows it), if it is one.
pub fn from_hex(text: &str) -> Option<Hash> {
    <ct_codecs::Hex as ct_codecs::Decoder>::decode_to_vec(text, None)
        .ok()?
        .try_into()
        .ok()
}

/// The root of the empty tree: SHA-256 of nothing.
pub fn empty_root() -> Hash {
    Sha256::digest([]).into()
}

pub fn leaf_hash(leaf: &[u8]) -> Hash {
    let mut h = Sha256::new();
    h.update([0u8]);
    h.update(leaf);
    h.finalize().into()
}

pub fn node_hash(left: &Hash, right: &Hash) -> Hash {
    let mut h = Sha256::new();
    h.update([1u8]);
    h.update(left);
    h.update(right);
    h.finalize().into()
}

/// The largest power of two below `n` (`n >= 2`): where a tree of `n` leaves splits.
pub fn split(n: u64) -> u64 {
    1 << (63 - (n - 1).leading_zeros())
}

/// The roots of the perfect subtrees of a tree of `size` leaves, widest (leftmost) first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Frontier {
    pub size: u64,
    pub hashes: Vec<Hash>,
}

/// A perfect subtree completed by an append: its level (log2 of its width) and index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Completed {
    pub level: u32,
    pub index: u64,
    pub hash: Hash,
}

impl Frontier {
    /// Appends a leaf (its hash); calls `completed` for every perfect subtree of two leaves
    /// or more the append completes, smallest first.
    pub fn append(&mut self, leaf: Hash, mut completed: impl FnMut(Completed)) {
        let mut hash = leaf;
        let mut level = 0;
        let mut index = self.size;
        // Each trailing one of the old size is a subtree of that level waiting for a partner.
        while (self.size >> level) & 1 == 1 {
            let left = self.hashes.pop().unwrap_or_default();
            hash = node_hash(&left, &hash);
            level += 1;
            index >>= 1;
            completed(Completed { level, index, hash });
        }
        self.hashes.push(hash);
        self.size += 1;
    }

    /// The tree's root: the perfect subtrees folded from the right.
    pub fn root(&self) -> Hash {
        let mut iter = self.hashes.iter().rev();
        let Some(last) = iter.next() else {
            return empty_root();
        };
        iter.fold(*last, |acc, h| node_hash(h, &acc))
    }

    /// As stored: the size (8 bytes, big-endian), then the hashes.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(8 + 32 * self.hashes.len());
        out.extend_from_slice(&self.size.to_be_bytes());
        for h in &self.hashes {
            out.extend_from_slice(h);
        }
        out
    }

    /// Reads [`Frontier::to_bytes`]; `None` when the bytes do not describe a frontier.
    pub fn from_bytes(bytes: &[u8]) -> Option<Frontier> {
        let size = u64::from_be_bytes(bytes.get(..8)?.try_into().ok()?);
        let rest = &bytes[8..];
        if !rest.len().is_multiple_of(32) || rest.len() / 32 != size.count_ones() as usize {
            return None;
        }
        let hashes = rest
            .chunks_exact(32)
            .map(|c| c.try_into().unwrap_or_default())
            .collect();
        Some(Frontier { size, hashes })
    }
}

/// The hash of the leaves `lo..hi` (aligned as the tree splits them), from `perfect(level,
/// index)`: the root of the perfect subtree of `2^level` leaves starting at `index << level`.
pub fn range_hash<E>(
    perfect: &mut impl FnMut(u32, u64) -> Result<Hash, E>,
    lo: u64,
    hi: u64,
) -> Result<Hash, E> {
    let n = hi - lo;
    if n == 0 {
        return Ok(empty_root());
    }
    if n.is_power_of_two() && lo.is_multiple_of(n) {
        let level = n.trailing_zeros();
        return perfect(level, lo >> level);
    }
    let k = split(n);
    let left = range_hash(perfect, lo, lo + k)?;
    let right = range_hash(perfect, lo + k, hi)?;
    Ok(node_hash(&left, &right))
}

/// The audit path of leaf `index` in the tree of `size` leaves, from the leaf up.
pub fn inclusion_proof<E>(
    perfect: &mut impl FnMut(u32, u64) -> Result<Hash, E>,
    index: u64,
    size: u64,
) -> Result<Vec<Hash>, E> {
    fn path<E>(
        perfect: &mut impl FnMut(u32, u64) -> Result<Hash, E>,
        m: u64,
        lo: u64,
        hi: u64,
        out: &mut Vec<Hash>,
    ) -> Result<(), E> {
        if hi - lo <= 1 {
            return Ok(());
        }
        let k = split(hi - lo);
        if m < lo + k {
            path(perfect, m, lo, lo + k, out)?;
            out.push(range_hash(perfect, lo + k, hi)?);
        } else {
            path(perfect, m, lo + k, hi, out)?;
            out.push(range_hash(perfect, lo, lo + k)?);
        }
        Ok(())
    }
    let mut out = Vec::new();
    path(perfect, index, 0, size, &mut out)?;
    Ok(out)
}

/// Whether `proof` shows the leaf `leaf` at `index` in the tree of `size` leaves with `root`
/// (RFC 9162 §2.1.3.2).
pub fn verify_inclusion(index: u64, size: u64, leaf: &Hash, proof: &[Hash], root: &Hash) -> bool {
    if index >= size {
        return false;
    }
    let (mut f, mut s) = (index, size - 1);
    let mut r = *leaf;
    for p in proof {
        if s == 0 {
            return false;
        }
        if f & 1 == 1 || f == s {
            r = node_hash(p, &r);
            while f & 1 == 0 && f != 0 {
                f >>= 1;
                s >>= 1;
            }
        } else {
            r = node_hash(&r, p);
        }
        f >>= 1;
        s >>= 1;
    }
    s == 0 && r == *root
}

/// The proof that the tree of `old` leaves is a prefix of the tree of `new` leaves
/// (RFC 9162 §2.1.4.1); empty when `old` is 0 or `new`.
pub fn consistency_proof<E>(
    perfect: &mut impl FnMut(u32, u64) -> Result<Hash, E>,
    old: u64,
    new: u64,
) -> Result<Vec<Hash>, E> {
    fn sub<E>(
        perfect: &mut impl FnMut(u32, u64) -> Result<Hash, E>,
        m: u64,
        lo: u64,
        hi: u64,
        whole: bool,
        out: &mut Vec<Hash>,
    ) -> Result<(), E> {
        let n = hi - lo;
        if m == n {
            if !whole {
                out.push(range_hash(perfect, lo, hi)?);
            }
            return Ok(());
        }
        let k = split(n);
        if m <= k {
            sub(perfect, m, lo, lo + k, whole, out)?;
            out.push(range_hash(perfect, lo + k, hi)?);
        } else {
            sub(perfect, m - k, lo + k, hi, false, out)?;
            out.push(range_hash(perfect, lo, lo + k)?);
        }
        Ok(())
    }
    let mut out = Vec::new();
    if old > 0 && old < new {
        sub(perfect, old, 0, new, true, &mut out)?;
    }
    Ok(out)
}

/// Whether `proof` shows the tree of `old` leaves with `old_root` to be a prefix of the tree
/// of `new` leaves with `new_root` (RFC 9162 §2.1.4.2).
pub fn verify_consistency(
    old: u64,
    new: u64,
    old_root: &Hash,
    new_root: &Hash,
    proof: &[Hash],
) -> bool {
    if old == new {
        return proof.is_empty() && old_root == new_root;
    }
    if old == 0 {
        return proof.is_empty() && *old_root == empty_root();
    }
    if old > new {
        return false;
    }
    let mut path: Vec<Hash> = Vec::with_capacity(proof.len() + 1);
    if old.is_power_of_two() {
        path.push(*old_root);
    }
    path.extend_from_slice(proof);
    let Some((first, rest)) = path.split_first() else {
        return false;
    };
    let (mut f, mut s) = (old - 1, new - 1);
    while f & 1 == 1 {
        f >>= 1;
        s >>= 1;
    }
    let (mut fr, mut sr) = (*first, *first);
    for c in rest {
        if s == 0 {
            return false;
        }
        if f & 1 == 1 || f == s {
            fr = node_hash(c, &fr);
            sr = node_hash(c, &sr);
            while f & 1 == 0 && f != 0 {
                f >>= 1;
                s >>= 1;
            }
        } else {
            sr = node_hash(&sr, c);
        }
        f >>= 1;
        s >>= 1;
    }
    s == 0 && fr == *old_root && sr == *new_root
}

/// One proof for the leaves `indices` (ascending) of the tree of `size` leaves: the hash of
/// every maximal subtree that holds none of them, depth first, left to right.
pub fn multi_proof<E>(
    perfect: &mut impl FnMut(u32, u64) -> Result<Hash, E>,
    indices: &[u64],
    size: u64,
) -> Result<Vec<Hash>, E> {
    fn walk<E>(
        perfect: &mut impl FnMut(u32, u64) -> Result<Hash, E>,
        indices: &[u64],
        lo: u64,
        hi: u64,
        out: &mut Vec<Hash>,
    ) -> Result<(), E> {
        if indices.is_empty() {
            out.push(range_hash(perfect, lo, hi)?);
            return Ok(());
        }
        if hi - lo == 1 {
            return Ok(());
        }
        let k = split(hi - lo);
        let cut = indices.partition_point(|&i| i < lo + k);
        walk(perfect, &indices[..cut], lo, lo + k, out)?;
        walk(perfect, &indices[cut..], lo + k, hi, out)
    }
    let mut out = Vec::new();
    if size > 0 {
        walk(perfect, indices, 0, size, &mut out)?;
    }
    Ok(out)
}

/// Why a multi-proof does not hold.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MultiProofError {
    #[error("leaf {0} is out of order or outside the tree")]
    Leaf(u64),
    #[error("the proof is too short")]
    Short,
    #[error("the proof has {0} hashes too many")]
    Long(usize),
    #[error("the leaves and the proof make another root")]
    Root,
}

/// Computes the root from a [`multi_proof`] and its leaves, taking the leaves in ascending
/// order one at a time (a pack's events as they stream by) and the proof's hashes in order.
pub fn root_from_multi_proof(
    size: u64,
    leaves: &mut std::iter::Peekable<impl Iterator<Item = (u64, Hash)>>,
    proof: &mut impl Iterator<Item = Hash>,
) -> Result<Hash, MultiProofError> {
    fn walk(
        lo: u64,
        hi: u64,
        leaves: &mut std::iter::Peekable<impl Iterator<Item = (u64, Hash)>>,
        proof: &mut impl Iterator<Item = Hash>,
    ) -> Result<Hash, MultiProofError> {
        match leaves.peek() {
            Some(&(i, _)) if i < lo => Err(MultiProofError::Leaf(i)),
            Some(&(i, _)) if i < hi => {
                if hi - lo == 1 {
                    return Ok(leaves.next().map(|(_, h)| h).unwrap_or_default());
                }
                let k = split(hi - lo);
                let left = walk(lo, lo + k, leaves, proof)?;
                let right = walk(lo + k, hi, leaves, proof)?;
                Ok(node_hash(&left, &right))
            }
            _ => proof.next().ok_or(MultiProofError::Short),
        }
    }
    // The empty tree holds no leaf and needs no proof.
    let root = if size == 0 {
        empty_root()
    } else {
        walk(0, size, leaves, proof)?
    };
    if let Some((i, _)) = leaves.next() {
        return Err(MultiProofError::Leaf(i));
    }
    match proof.count() {
        0 => Ok(root),
        extra => Err(MultiProofError::Long(extra)),
    }
}

#[cfg(test)]
mod tests;

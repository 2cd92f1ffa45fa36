//! The tree against the RFC 6962 reference vectors (the certificate-transparency project's
//! `merkle_tree_test.cc` data, also in Go's `trillian/merkle/testonly`: eight leaves, the root of
//! every prefix, and proofs over them), then every proof of small trees checked exhaustively.

use super::*;

fn unhex(s: &str) -> Hash {
    let mut out = [0u8; 32];
    for (i, b) in out.iter_mut().enumerate() {
        *b = u8::from_str_radix(&s[2 * i..2 * i + 2], 16).unwrap();
    }
    out
}

const LEAVES: [&str; 8] = [
    "",
    "00",
    "10",
    "2021",
    "3031",
    "40414243",
    "5051525354555657",
    "606162636465666768696a6b6c6d6e6f",
];

const ROOTS: [&str; 9] = [
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
];

fn reference_leaves() -> Vec<Hash> {
    LEAVES
        .iter()
        .map(|l| {
            let bytes: Vec<u8> = (0..l.len() / 2)
                .map(|i| u8::from_str_radix(&l[2 * i..2 * i + 2], 16).unwrap())
                .collect();
            leaf_hash(&bytes)
        })
        .collect()
}

/// The root of the leaves `lo..hi` by the definition, for checking.
fn naive(leaves: &[Hash], lo: usize, hi: usize) -> Hash {
    match hi - lo {
        0 => empty_root(),
        1 => leaves[lo],
        n => {
            let k = split(n as u64) as usize;
            node_hash(&naive(leaves, lo, lo + k), &naive(leaves, lo + k, hi))
        }
    }
}

fn source(leaves: &[Hash]) -> impl FnMut(u32, u64) -> Result<Hash, ()> + '_ {
    move |level, index| {
        let lo = (index << level) as usize;
        Ok(naive(leaves, lo, lo + (1 << level)))
    }
}

/// Leaves `0..n` of a tree made up for the tests.
fn leaves(n: u64) -> Vec<Hash> {
    (0..n).map(|i| leaf_hash(&i.to_be_bytes())).collect()
}

#[test]
fn roots_match_the_reference_vectors() {
    let leaves = reference_leaves();
    let mut frontier = Frontier::default();
    assert_eq!(frontier.root(), unhex(ROOTS[0]));
    for (n, root) in ROOTS.iter().enumerate().skip(1) {
        frontier.append(leaves[n - 1], |_| {});
        assert_eq!(frontier.root(), unhex(root), "size {n}");
        let by_range = range_hash(&mut source(&leaves), 0, n as u64).unwrap();
        assert_eq!(by_range, unhex(root), "size {n}");
    }
}

#[test]
fn proofs_match_the_reference_vectors() {
    let leaves = reference_leaves();
    let mut s = source(&leaves);
    let hexes = |p: Vec<Hash>| p.iter().map(|h| h.to_vec()).collect::<Vec<_>>();
    let want = |v: &[&str]| v.iter().map(|h| unhex(h).to_vec()).collect::<Vec<_>>();
    assert_eq!(
        hexes(inclusion_proof(&mut s, 0, 8).unwrap()),
        want(&[
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ])
    );
    assert_eq!(
        hexes(inclusion_proof(&mut s, 5, 8).unwrap()),
        want(&[
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ])
    );
    assert_eq!(
        hexes(consistency_proof(&mut s, 6, 8).unwrap()),
        want(&[
            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ])
    );
    assert_eq!(
        hexes(consistency_proof(&mut s, 2, 5).unwrap()),
        want(&[
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        ])
    );
    assert!(consistency_proof(&mut s, 1, 1).unwrap().is_empty());
}

#[test]
fn every_inclusion_proof_of_small_trees_holds_and_a_wrong_one_does_not() {
    let all = leaves(40);
    for n in 1..=40u64 {
        let root = naive(&all, 0, n as usize);
        for i in 0..n {
            let proof = inclusion_proof(&mut source(&all), i, n).unwrap();
            let leaf = all[i as usize];
            assert!(verify_inclusion(i, n, &leaf, &proof, &root), "{i} of {n}");
            assert!(!verify_inclusion(
                i,
                n,
                &all[(i as usize + 1) % 40],
                &proof,
                &root
            ));
            if n > 1 {
                assert!(!verify_inclusion((i + 1) % n, n, &leaf, &proof, &root));
                let mut bent = proof.clone();
                bent[0][0] ^= 1;
                assert!(!verify_inclusion(i, n, &leaf, &bent, &root));
            }
        }
    }
}

#[test]
fn every_consistency_proof_of_small_trees_holds_and_a_rewritten_one_does_not() {
    let all = leaves(40);
    for n in 1..=40u64 {
        let new_root = naive(&all, 0, n as usize);
        for m in 1..=n {
            let old_root = naive(&all, 0, m as usize);
            let proof = consistency_proof(&mut source(&all), m, n).unwrap();
            assert!(
                verify_consistency(m, n, &old_root, &new_root, &proof),
                "{m} → {n}"
            );
            // A log whose first leaf was rewritten has another old root.
            let mut other = all.clone();
            other[0] = leaf_hash(b"rewritten");
            let forged = naive(&other, 0, m as usize);
            assert!(!verify_consistency(m, n, &forged, &new_root, &proof));
            if m < n {
                assert!(!verify_consistency(m + 1, n, &old_root, &new_root, &proof));
            }
        }
    }
}

#[test]
fn a_multi_proof_gives_the_root_from_any_set_of_leaves_streamed_in_order() {
    let all = leaves(64);
    let mut seed = 7u64;
    for n in 1..=64u64 {
        let root = naive(&all, 0, n as usize);
        for _ in 0..8 {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let picked: Vec<u64> = (0..n).filter(|i| (seed >> (i % 60)) & 1 == 1).collect();
            let proof = multi_proof(&mut source(&all), &picked, n).unwrap();
            let stream = || picked.iter().map(|&i| (i, all[i as usize])).peekable();
            let got = root_from_multi_proof(n, &mut stream(), &mut proof.iter().copied());
            assert_eq!(got, Ok(root), "{picked:?} of {n}");
            // Every leaf proven needs no more hashes than a proof per leaf would.
            assert!(proof.len() as u64 <= n);
            if let Some(&first) = picked.first() {
                let fewer: Vec<(u64, Hash)> = stream().filter(|(i, _)| *i != first).collect();
                let got = root_from_multi_proof(
                    n,
                    &mut fewer.into_iter().peekable(),
                    &mut proof.iter().copied(),
                );
                assert_ne!(got, Ok(root), "a leaf left out of {picked:?}");
                let mut bent: Vec<(u64, Hash)> = stream().collect();
                bent[0].1[3] ^= 4;
                let got = root_from_multi_proof(
                    n,
                    &mut bent.into_iter().peekable(),
                    &mut proof.iter().copied(),
                );
                assert_ne!(got, Ok(root), "a leaf changed in {picked:?}");
            }
        }
    }
}

#[test]
fn a_frontier_reports_completed_subtrees_and_survives_its_bytes() {
    let all = leaves(37);
    let mut f = Frontier::default();
    let mut done = Vec::new();
    for leaf in &all {
        f.append(*leaf, |c| done.push(c));
    }
    for c in &done {
        let lo = (c.index << c.level) as usize;
        assert_eq!(c.hash, naive(&all, lo, lo + (1 << c.level)));
    }
    // 37 leaves complete 18 pairs, 9 fours, 4 eights, 2 sixteens, 1 thirty-two.
    assert_eq!(done.len(), 18 + 9 + 4 + 2 + 1);
    assert_eq!(f.root(), naive(&all, 0, 37));
    assert_eq!(Frontier::from_bytes(&f.to_bytes()), Some(f.clone()));
    assert_eq!(Frontier::from_bytes(&f.to_bytes()[..40]), None);
}

#[test]
fn the_empty_tree_proves_no_leaf() {
    let leaf = leaf_hash(b"made up");
    let got = root_from_multi_proof(
        0,
        &mut vec![(0, leaf)].into_iter().peekable(),
        &mut std::iter::empty(),
    );
    assert_eq!(got, Err(MultiProofError::Leaf(0)));
    let got = root_from_multi_proof(
        0,
        &mut Vec::new().into_iter().peekable(),
        &mut vec![leaf].into_iter(),
    );
    assert_eq!(got, Err(MultiProofError::Long(1)));
    let got = root_from_multi_proof(
        0,
        &mut Vec::new().into_iter().peekable(),
        &mut std::iter::empty(),
    );
    assert_eq!(got, Ok(empty_root()));
}

//! Crafted archives for `pack:verify`, each under `ulimit -v 256 MiB`: whatever an archive
//! claims (a 1 GiB file in 1 MB, a huge name, bytes past its end), verify reads it in bounded
//! memory and answers: exit 0 or 4, never an allocation abort.

use std::io::{Read, Write};
use std::path::Path;

use flate2::Compression;
use flate2::write::GzEncoder;

use crate::common::{Tier, under_shell};
use crate::support::{ADMIN, Sandbox};

/// `len` zero bytes, read without holding them.
fn zeros(len: u64) -> impl Read {
    std::io::repeat(0).take(len)
}

/// A gzipped tar of `(name, size)` entries of zeros, written as a stream.
fn zero_tar(path: &Path, entries: &[(&str, u64)]) {
    let file = std::fs::File::create(path).unwrap();
    let mut tar = tar::Builder::new(GzEncoder::new(file, Compression::fast()));
    for (name, size) in entries {
        let mut header = tar::Header::new_gnu();
        header.set_size(*size);
        header.set_mode(0o644);
        header.set_entry_type(tar::EntryType::Regular);
        tar.append_data(&mut header, name, zeros(*size)).unwrap();
    }
    tar.into_inner().unwrap().finish().unwrap();
}

/// A tar header block for `name` of `kind` claiming `size` bytes, then `data` (padded), all
/// gzipped after `prefix` (raw tar bytes) and before an end marker.
fn raw_tar(path: &Path, kind: u8, size: u64, data: impl Read) {
    let file = std::fs::File::create(path).unwrap();
    let mut gz = GzEncoder::new(file, Compression::fast());
    let mut header = tar::Header::new_gnu();
    header.set_path("x").unwrap();
    header.set_size(size);
    header.set_mode(0o644);
    header.as_mut_bytes()[156] = kind;
    header.set_cksum();
    gz.write_all(header.as_bytes()).unwrap();
    let written = std::io::copy(&mut data.take(size), &mut gz).unwrap();
    let pad = (512 - written % 512) % 512;
    gz.write_all(&vec![0; pad as usize]).unwrap();
    gz.write_all(&[0; 1024]).unwrap();
    gz.finish().unwrap();
}

/// Each crafted archive verified under the limit.
pub fn crafted(tier: &Tier) -> String {
    let s = Sandbox::initialised();
    s.create("acme", "eu-west-1", "alice@acme.example");
    s.ok(ADMIN, &["pack:keygen", "--dir", "keys"]);
    s.checkpoint();
    crate::common::export_acme(&s, "good.tar.gz");
    let dir = s.home();
    // Larger than the address space allowed, so a verify that held one file would abort: a
    // 512 MiB file (quick tier) or 1 GiB files (long tier).
    let big: u64 = if tier.name == "long" {
        1 << 30
    } else {
        512 << 20
    };
    zero_tar(&dir.join("one-big.tar.gz"), &[("audit/events.jsonl", big)]);
    if tier.name == "long" {
        zero_tar(
            &dir.join("three-big.tar.gz"),
            &[("a", big), ("b", big), ("c", big)],
        );
    }
    let many: Vec<(String, u64)> = (0..20_000).map(|i| (format!("f{i}"), 1)).collect();
    let many: Vec<(&str, u64)> = many.iter().map(|(n, l)| (n.as_str(), *l)).collect();
    zero_tar(&dir.join("many.tar.gz"), &many);
    raw_tar(
        &dir.join("long-name.tar.gz"),
        b'L',
        300 << 20,
        std::io::repeat(b'a'),
    );
    raw_tar(
        &dir.join("pax.tar.gz"),
        b'x',
        300 << 20,
        std::io::repeat(b'a'),
    );
    raw_tar(
        &dir.join("claims-8-gib.tar.gz"),
        b'0',
        8 << 30,
        zeros(1 << 20),
    );
    let good = std::fs::read(dir.join("good.tar.gz")).unwrap();
    let mut trailing = good.clone();
    trailing.extend_from_slice(&[0u8; 4096]);
    std::fs::write(dir.join("trailing.tar.gz"), trailing).unwrap();
    let mut second = good.clone();
    second.extend_from_slice(&good);
    std::fs::write(dir.join("second-member.tar.gz"), second).unwrap();
    let mut gz = GzEncoder::new(Vec::new(), Compression::fast());
    gz.write_all(&[0xab; 1 << 20]).unwrap();
    std::fs::write(dir.join("not-tar.tar.gz"), gz.finish().unwrap()).unwrap();
    let mut names = vec![
        "good.tar.gz",
        "one-big.tar.gz",
        "many.tar.gz",
        "long-name.tar.gz",
        "pax.tar.gz",
        "claims-8-gib.tar.gz",
        "trailing.tar.gz",
        "second-member.tar.gz",
        "not-tar.tar.gz",
    ];
    if tier.name == "long" {
        names.push("three-big.tar.gz");
    }
    for &name in &names {
        let out = under_shell(
            &s,
            "ulimit -v 262144; exec \"$0\" \"$@\"",
            &["pack:verify", name],
        )
        .output()
        .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        let want = if name == "good.tar.gz" { 0 } else { 4 };
        assert_eq!(out.status.code(), Some(want), "{name}: {stderr}");
        assert!(!stderr.contains("memory allocation"), "{name}: {stderr}");
    }
    format!(
        "{} archives verified under ulimit -v 256 MiB (files of {} MiB): 1 accepted, the rest refused, 0 aborts",
        names.len(),
        big >> 20
    )
}

//! Reads a pack archive once, as a stream, never extracting, in memory that does not grow
//! with what the archive holds or claims: every file is hashed while it is read through one
//! buffer; only the few files `pack:verify` parses (the manifest, its signature, the public
//! key, the chain record; each up to `MAX_PARSED`) are kept, and the audit events are checked
//! a line at a time. Unsafe entries are refused. Every byte of the file must be accounted
//! for: one gzip member whose trailer matches, a tar stream that ends with its end-of-archive
//! marker and nothing but zeros after it, and nothing after the member.

use std::collections::BTreeMap;
use std::io::{self, Read};
use std::path::{Component, Path};

use sha2::{Digest, Sha256};

use super::events::EventCheck;
use super::gunzip::{self, Member};
use super::verify::Problems;
use crate::model::audit::hex;

pub const MANIFEST: &str = "manifest.json";
pub const SIGNATURE: &str = "manifest.json.minisig";
pub const PUBLIC_KEY: &str = "maestro-pack.pub";
pub const CHAIN: &str = "audit/chain.json";
/// The log's signed checkpoint and the multi-proof of the events against it (format 2);
/// their names sort before the events', so a stream has them first.
pub const CHECKPOINT: &str = "audit/checkpoint.txt";
pub const CHECKPOINT_PROOF: &str = "audit/checkpoint-proof.bin";
/// Consistency proofs from earlier checkpoints to the pack's (read when `--checkpoint` asks).
pub const CHECKPOINT_CONSISTENCY: &str = "audit/checkpoint-consistency.json";
const EVENTS: &str = "audit/events.jsonl";
/// The files that are parsed, and so kept in memory.
const PARSED: [&str; 7] = [
    MANIFEST,
    SIGNATURE,
    PUBLIC_KEY,
    CHAIN,
    CHECKPOINT,
    CHECKPOINT_PROOF,
    CHECKPOINT_CONSISTENCY,
];
/// The proof has one hash a gap between the tenant's events: 32 MiB are a million of them;
/// the consistency proofs, a thousand of a few hundred bytes each.
const MAX_PROOF: u64 = 32 << 20;
/// Larger files than this are refused (a pack is evidence, not a payload).
const MAX_FILE: u64 = 1 << 30;
/// The files that are parsed are held in memory, so they are refused unread past this: a
/// manifest of a thousand files is about 150 KiB.
const MAX_PARSED: u64 = 1 << 20;
/// Every entry's name is remembered until the manifest is read (it may come last); a pack
/// holds a few dozen files, so reading stops past this many entries.
const MAX_ENTRIES: usize = 10_000;
/// A GNU long name (an entry that names the next one) longer than this is refused unread.
const MAX_LONG_NAME: u64 = 1024;
/// The buffer every file is read through.
const BUFFER: usize = 64 * 1024;

/// A file of the pack as read: its digest and length.
pub struct Seen {
    pub sha256: String,
    pub size: u64,
}

/// What one pass over the archive found.
#[derive(Default)]
pub struct Contents {
    pub files: BTreeMap<String, Seen>,
    /// The parsed files' bytes, by name (a name in `files` but not here was too large).
    pub kept: BTreeMap<&'static str, Vec<u8>>,
    pub events: Option<EventCheck>,
}

/// One pass over the file: the gzip member, the tar entries in it, what follows the tar
/// end-of-archive marker, and what follows the member. What is wrong with the archive goes
/// to `problems`; an `Err` is a failure to read the file at all.
pub fn read_archive(mut input: impl io::BufRead, problems: &mut Problems) -> io::Result<Contents> {
    let mut contents = Contents::default();
    let member = match Member::new(&mut input) {
        Ok(m) => m,
        Err(e) => {
            problems.push(format!("the archive is damaged: {e}"));
            return Ok(contents);
        }
    };
    let mut archive = tar::Archive::new(member);
    let mut buf = vec![0u8; BUFFER];
    if read_entries(&mut archive, &mut buf, &mut contents, problems)? {
        read_end(archive.into_inner(), &mut buf, problems)?;
    }
    Ok(contents)
}

/// Reads every entry into `contents`; true if the tar stream was read to its end-of-archive
/// marker, false if reading stopped at a problem.
fn read_entries<R: Read>(
    archive: &mut tar::Archive<R>,
    buf: &mut [u8],
    contents: &mut Contents,
    problems: &mut Problems,
) -> io::Result<bool> {
    // Raw: the tar crate would read a GNU long name or pax header whole into memory,
    // whatever its size; long names are read here, capped, and pax headers refused.
    let entries = archive.entries()?.raw(true);
    // The name a GNU long name entry gave the next entry; `Some(None)`: one too long to read.
    let mut long_name: Option<Option<Vec<u8>>> = None;
    for (count, entry) in entries.enumerate() {
        let mut entry = match entry {
            Ok(e) => e,
            Err(e) => {
                problems.push(format!("the archive is damaged: {e}"));
                return Ok(false);
            }
        };
        if count == MAX_ENTRIES {
            problems.push(format!(
                "more than {MAX_ENTRIES} entries: a pack holds far fewer; the rest was not read"
            ));
            return Ok(false);
        }
        let header = entry.header();
        let kind = header.entry_type();
        let recognised = header.as_gnu().is_some() || header.as_ustar().is_some();
        if recognised && kind.is_gnu_longname() {
            if long_name.is_some() {
                problems.push("two GNU long names for one entry".into());
            }
            if entry.size() > MAX_LONG_NAME {
                problems.push(format!(
                    "a GNU long name of {} bytes, longer than any pack path",
                    entry.size()
                ));
                long_name = Some(None);
                continue;
            }
            let mut name = Vec::new();
            if let Err(e) = entry.read_to_end(&mut name) {
                problems.push(format!("the archive is damaged: {e}"));
                return Ok(false);
            }
            while name.last() == Some(&0) {
                name.pop();
            }
            long_name = Some(Some(name));
            continue;
        }
        let raw = match long_name.take() {
            Some(Some(name)) => String::from_utf8_lossy(&name).into_owned(),
            // Its name was refused: the entry is skipped.
            Some(None) => continue,
            None => String::from_utf8_lossy(&entry.path_bytes()).into_owned(),
        };
        if !kind.is_file() {
            problems.push(format!(
                "`{raw}`: a {} entry; a pack holds regular files only",
                kind_name(kind)
            ));
            continue;
        }
        let p = Path::new(&raw);
        if p.is_absolute() || p.components().any(|c| !matches!(c, Component::Normal(_))) {
            problems.push(format!("`{raw}`: unsafe path (absolute, `..` or `.`)"));
            continue;
        }
        let size = entry.size();
        if size > MAX_FILE {
            problems.push(format!(
                "`{raw}`: {size} bytes, larger than any pack file may be"
            ));
            continue;
        }
        let first = !contents.files.contains_key(&raw);
        if !first {
            problems.push(format!("`{raw}`: appears twice"));
        }
        // The first copy of a parsed file is kept, if small enough.
        let limit = if raw == CHECKPOINT_PROOF || raw == CHECKPOINT_CONSISTENCY {
            MAX_PROOF
        } else {
            MAX_PARSED
        };
        let mut kept = match PARSED.iter().find(|n| **n == raw) {
            Some(_) if first && size > limit => {
                problems.push(format!(
                    "`{raw}`: {size} bytes, more than the {limit} that verify reads of it"
                ));
                None
            }
            Some(name) if first => Some((*name, Vec::with_capacity(size as usize))),
            _ => None,
        };
        let mut events = (first && raw == EVENTS).then(|| {
            EventCheck::against(
                contents.kept.get(CHECKPOINT).map(Vec::as_slice),
                contents.kept.get(CHECKPOINT_PROOF).map(Vec::as_slice),
            )
        });
        let read = read_file(&mut entry, buf, |bytes| {
            if let Some((_, kept)) = &mut kept {
                kept.extend_from_slice(bytes);
            }
            if let Some(events) = &mut events {
                events.feed(bytes);
            }
        });
        let seen = match read {
            Ok(seen) if seen.size == size => seen,
            Ok(seen) => {
                problems.push(format!(
                    "`{raw}`: the archive ends inside this file ({} of its {size} bytes)",
                    seen.size
                ));
                return Ok(false);
            }
            Err(e) => {
                problems.push(format!("`{raw}`: cannot read: {e}"));
                return Ok(false);
            }
        };
        if let Some((name, bytes)) = kept {
            contents.kept.insert(name, bytes);
        }
        if let Some(mut events) = events {
            events.finish();
            contents.events = Some(events);
        }
        if first {
            contents.files.insert(raw, seen);
        }
    }
    if long_name.is_some() {
        problems.push("the archive is damaged: a GNU long name names no entry".into());
        return Ok(false);
    }
    Ok(true)
}

/// Reads `file` to its end through `buf`, hashing it and handing each piece to `also`.
fn read_file(
    file: &mut impl Read,
    buf: &mut [u8],
    mut also: impl FnMut(&[u8]),
) -> io::Result<Seen> {
    let mut sha = Sha256::new();
    let mut size = 0;
    loop {
        let n = match file.read(buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        sha.update(&buf[..n]);
        also(&buf[..n]);
        size += n as u64;
    }
    Ok(Seen {
        sha256: hex(&sha.finalize()),
        size,
    })
}

/// After the tar crate stopped at the first zero block: the rest of the tar stream must be
/// zeros (the marker's second block, padding), and reading it to its end checks the gzip
/// trailer; then nothing may follow the gzip member, not another member, not a byte.
fn read_end<R: io::BufRead>(
    mut member: Member<R>,
    buf: &mut [u8],
    problems: &mut Problems,
) -> io::Result<()> {
    let mut after_marker = false;
    loop {
        match member.read(buf) {
            Ok(0) => break,
            Ok(n) => after_marker |= buf[..n].iter().any(|&b| b != 0),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => {
                problems.push(format!("the archive is damaged: {e}"));
                return Ok(());
            }
        }
    }
    if after_marker {
        problems.push("data after the tar end-of-archive marker".into());
    }
    let mut input = member.into_inner();
    let mut head = Vec::with_capacity(2);
    (&mut input).take(2).read_to_end(&mut head)?;
    let trailing = head.len() as u64 + io::copy(&mut input, &mut io::sink())?;
    if trailing > 0 {
        problems.push(match head == gunzip::MAGIC {
            true => {
                format!("bytes after the end of the gzip stream: {trailing} (a second gzip member)")
            }
            false => format!("bytes after the end of the gzip stream: {trailing}"),
        });
    }
    Ok(())
}

fn kind_name(k: tar::EntryType) -> &'static str {
    match k {
        tar::EntryType::Symlink => "symbolic link",
        tar::EntryType::Link => "hard link",
        tar::EntryType::Directory => "directory",
        tar::EntryType::Char | tar::EntryType::Block => "device",
        tar::EntryType::Fifo => "fifo",
        tar::EntryType::XHeader | tar::EntryType::XGlobalHeader => "pax header",
        tar::EntryType::GNUSparse => "sparse file",
        _ => "special",
    }
}

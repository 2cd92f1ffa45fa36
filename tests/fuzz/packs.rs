//! Packs exported now, by the binary: each verifies, and changing any one byte of one is
//! found out by `pack::verify` or changes nothing that was signed (the `pack` target's
//! invariants, with the key the pack was made with). `regenerate_pack_seeds` makes the
//! corpus's packs the same way.

use std::path::Path;
use std::process::Command;

use maestro_cli::fuzzing::pack_with_key;

use crate::drive;

/// Which platform a pack is exported from.
#[derive(Clone, Copy)]
enum Variant {
    /// One tenant, nothing done.
    Plain,
    /// Deployments, one denied, and a second tenant (whose data must stay out).
    Deployed,
    /// Branding, and a tenant name outside ASCII.
    Branded,
}

const ADMIN: &str = "ops@example.com";

/// Runs the binary in `home` as the platform admin, on a fixed clock; insists on success.
fn run(home: &Path, args: &[&str]) -> Vec<u8> {
    let out = Command::new(env!("CARGO_BIN_EXE_maestro-cli"))
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home)
        .env("MAESTRO_HOME", home)
        .env("TMPDIR", home)
        .env("NO_COLOR", "1")
        .env("MAESTRO_CLOCK", "2026-11-25T10:00:00Z")
        .env("MAESTRO_ACTOR", ADMIN)
        .current_dir(home)
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success() || args[0] == "flow:run",
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// Exports tenant `acme` of a platform set up as `variant`, signed with the key pair in
/// `keys` (made there first when missing): the pack's bytes.
fn export(home: &Path, keys: &Path, variant: Variant) -> Vec<u8> {
    let config = match variant {
        Variant::Plain => "",
        Variant::Deployed => {
            "[platform.clusters]\neu-prod-1 = { region = \"eu-west-1\" }\nus-prod-1 = { region = \"us-east-1\" }\n"
        }
        Variant::Branded => {
            "[branding]\nproduct_name = \"Ünïcode Cloud <&>\"\nprimary_color = \"#ff0000\"\nsupport_contact = \"help@example.com\"\n"
        }
    };
    std::fs::write(home.join("maestro.toml"), config).unwrap();
    run(home, &["init"]);
    let name = match variant {
        Variant::Branded => "Acme \"Ärger\" & Co",
        _ => "acme",
    };
    run(
        home,
        &[
            "tenant:create",
            "acme",
            "--name",
            name,
            "--regions",
            "eu-west-1",
            "--admin",
            "alice@acme.example",
        ],
    );
    if let Variant::Deployed = variant {
        run(
            home,
            &[
                "tenant:create",
                "globex",
                "--regions",
                "us-east-1",
                "--admin",
                "carol@globex.example",
            ],
        );
        for (tenant, cluster) in [
            ("acme", "eu-prod-1"),
            ("acme", "us-prod-1"),
            ("globex", "us-prod-1"),
        ] {
            let cluster = format!("cluster={cluster}");
            run(
                home,
                &[
                    "flow:run",
                    "deploy",
                    "--tenant",
                    tenant,
                    "-p",
                    "service=api",
                    "-p",
                    "version=1.0",
                    "-p",
                    &cluster,
                ],
            );
        }
    }
    if !keys.join("maestro-pack.key").exists() {
        run(home, &["pack:keygen", "--dir", keys.to_str().unwrap()]);
    }
    // A pack carries a signed checkpoint of the audit log that covers the tenant's events.
    if !home.join("log-key/maestro-log.key").exists() {
        run(home, &["audit:keygen", "--dir", "log-key"]);
    }
    run(
        home,
        &["audit:checkpoint", "--key", "log-key/maestro-log.key"],
    );
    let key = keys.join("maestro-pack.key");
    run(
        home,
        &[
            "pack:export",
            "--tenant",
            "acme",
            "--key",
            key.to_str().unwrap(),
            "--out",
            "pack.tar.gz",
        ],
    );
    std::fs::read(home.join("pack.tar.gz")).unwrap()
}

/// The gzip stream's bytes, unpacked: the tar inside.
fn gunzip(bytes: &[u8]) -> Vec<u8> {
    use std::io::Read;
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_end(&mut out)
        .unwrap();
    out
}

/// `pack_with_key` on `bytes`, its panic turned into the message.
fn check(bytes: &[u8], key: &str) -> Result<(), String> {
    drive::run_fn(|| pack_with_key(bytes, key)).map(drop)
}

#[test]
fn exported_packs_verify_and_a_changed_byte_is_found_out() {
    let dir = tempfile::tempdir().unwrap();
    let pack = export(dir.path(), &dir.path().join("keys"), Variant::Deployed);
    let key = std::fs::read_to_string(dir.path().join("keys/maestro-pack.pub")).unwrap();
    for pubkey in [None, Some(dir.path().join("keys/maestro-pack.pub"))] {
        let report =
            maestro_cli::pack::verify(&dir.path().join("pack.tar.gz"), pubkey.as_deref()).unwrap();
        assert!(report.ok, "{:?}", report.problems);
    }
    check(&pack, &key).unwrap();
    check(&gunzip(&pack), &key).unwrap();
    // The gzip header and trailer byte by byte, and bytes spread over the stream: each
    // changed alone (all bits flipped).
    let n = pack.len();
    let mut places: Vec<usize> = (0..32).chain(n - 32..n).collect();
    places.extend((1..64).map(|i| i * n / 64));
    // The known bugs' failures (tests/fuzz/known/README.md) are not news here.
    let known = crate::known_bugs(crate::target("pack"));
    let mut broken = Vec::new();
    for at in places {
        let mut changed = pack.clone();
        changed[at] ^= 0xff;
        match check(&changed, &key) {
            Err(e) if !known.contains(&drive::kind(&e)) => {
                broken.push(format!("byte {at} of {n}: {e}"));
            }
            _ => {}
        }
    }
    assert!(broken.is_empty(), "{}", broken.join("\n"));
}

/// Writes the corpus's packs (`tests/fuzz/corpus/pack/`: each variant as `.tar.gz`, the
/// plain one also as the bare `.tar`) and their public key (`tests/fuzz/pack-seed-key.pub`),
/// from a fresh key pair. (The `tampered-*` seeds were cut from these by hand: see the
/// corpus's README.)
#[test]
#[ignore = "rewrites the pack seeds: cargo test --test fuzz -- --ignored regenerate_pack_seeds"]
fn regenerate_pack_seeds() {
    let keys = tempfile::tempdir().unwrap();
    let corpus = crate::fuzz_dir().join("corpus/pack");
    std::fs::create_dir_all(&corpus).unwrap();
    for (name, variant) in [
        ("plain", Variant::Plain),
        ("deployed", Variant::Deployed),
        ("branded", Variant::Branded),
    ] {
        let home = tempfile::tempdir().unwrap();
        let pack = export(home.path(), keys.path(), variant);
        std::fs::write(corpus.join(format!("{name}.tar.gz")), &pack).unwrap();
        if let Variant::Plain = variant {
            std::fs::write(corpus.join(format!("{name}.tar")), gunzip(&pack)).unwrap();
        }
    }
    std::fs::copy(
        keys.path().join("maestro-pack.pub"),
        crate::fuzz_dir().join("pack-seed-key.pub"),
    )
    .unwrap();
}

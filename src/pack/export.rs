//! `pack:export`: gathers one tenant's evidence, writes the manifest and its signature, and
//! packs everything deterministically (sorted entries, mode 0644, owner 0, one mtime, gzip
//! mtime 0).

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::Serialize;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use super::read::{CHECKPOINT, CHECKPOINT_CONSISTENCY, CHECKPOINT_PROOF};
use super::{FORMAT, PackError, keys, render};
use crate::audit;
use crate::authz::{self, Action};
use crate::context::Context;
use crate::model::audit::hex;
use crate::model::ids::TenantId;
use crate::model::merkle;
use crate::policy::Bundle;
use crate::tenant::ops;

const RUNBOOKS: &[(&str, &str)] = &[
    (
        "access-review.md",
        include_str!("../../runbooks/access-review.md"),
    ),
    (
        "audit-verification.md",
        include_str!("../../runbooks/audit-verification.md"),
    ),
    (
        "disclosure-pack.md",
        include_str!("../../runbooks/disclosure-pack.md"),
    ),
    ("flows.md", include_str!("../../runbooks/flows.md")),
    (
        "governance.md",
        include_str!("../../runbooks/governance.md"),
    ),
    (
        "tenant-onboarding.md",
        include_str!("../../runbooks/tenant-onboarding.md"),
    ),
];

#[derive(Debug, Clone)]
pub enum Target {
    Archive(PathBuf),
    Dir(PathBuf),
}

#[derive(Debug, Clone)]
pub struct ExportOptions {
    pub tenant: String,
    /// Inclusive dates (`2026-11-01`), UTC.
    pub from: Option<String>,
    pub to: Option<String>,
    pub key: PathBuf,
    pub passphrase: Option<String>,
    pub target: Target,
    /// The generation time (`SOURCE_DATE_EPOCH`); the context's clock otherwise.
    pub generated_at: Option<jiff::Timestamp>,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct ExportReport {
    pub path: String,
    pub tenant: String,
    pub files: usize,
    pub manifest_sha256: String,
    pub key_id: String,
    pub generated_at: String,
}

/// What the export needs of a tenant's audit events, gathered in one pass.
#[derive(Default)]
struct TenantEvents {
    jsonl: Vec<u8>,
    count: usize,
    first: Option<(i64, String)>,
    last: Option<(i64, String)>,
    history: Vec<Value>,
    admitted: BTreeMap<String, Value>,
    /// The events' numbers, ascending: their leaves in the log's Merkle tree.
    seqs: Vec<u64>,
}

fn day_start(d: &str) -> Result<String, PackError> {
    let date: jiff::civil::Date = d
        .parse()
        .map_err(|_| PackError::Input(format!("invalid date `{d}`: expected YYYY-MM-DD")))?;
    Ok(format!("{date}T00:00:00.000Z"))
}

fn day_end(d: &str) -> Result<String, PackError> {
    let date: jiff::civil::Date = d
        .parse()
        .map_err(|_| PackError::Input(format!("invalid date `{d}`: expected YYYY-MM-DD")))?;
    Ok(format!("{date}T23:59:59.999Z"))
}

fn json_bytes(v: &impl Serialize) -> Vec<u8> {
    let mut b = serde_json::to_vec_pretty(v).unwrap_or_default();
    b.push(b'\n');
    b
}

pub fn export(ctx: &mut Context, opts: &ExportOptions) -> Result<ExportReport, PackError> {
    export_with_progress(ctx, opts, &None)
}

/// The same, reporting to `progress` the tenant's audit events as they are read, then the
/// pack's bytes as they are compressed.
pub fn export_with_progress(
    ctx: &mut Context,
    opts: &ExportOptions,
    progress: &crate::model::progress::Sink,
) -> Result<ExportReport, PackError> {
    let tenant_id = TenantId::parse(&opts.tenant).map_err(crate::tenant::TenantError::from)?;
    authz::read_scope(ctx, Action::PackExport, Some(tenant_id.as_str()))?;
    let from = opts.from.as_deref().map(day_start).transpose()?;
    let to = opts.to.as_deref().map(day_end).transpose()?;
    if let (Some(f), Some(t)) = (&from, &to)
        && f > t
    {
        return Err(PackError::Input(format!(
            "--from {} is after --to {}",
            f, t
        )));
    }
    let in_period =
        |at: &str| from.as_deref().is_none_or(|f| at >= f) && to.as_deref().is_none_or(|t| at <= t);
    let secret = keys::load_secret(&opts.key, opts.passphrase.clone())?;
    let generated_at = opts.generated_at.unwrap_or_else(|| ctx.clock.now());
    let generated = format!("{}", generated_at.strftime("%Y-%m-%dT%H:%M:%SZ"));
    // The whole chain is re-verified on a second connection while this one gathers.
    let state = ctx.store.path().to_path_buf();
    let checker = std::thread::spawn(
        move || -> Result<audit::VerifyReport, crate::store::StoreError> {
            let store = crate::store::Store::open(&state)?;
            audit::verify(&store.read())
        },
    );
    let db = ctx.store.read();
    let tenant = ops::load(&db, &tenant_id)?;
    // One pass over this tenant's events: the JSON lines as stored, the anchors, and the
    // few whose details the pack reads (declarations and deployment records).
    let mut events = TenantEvents::default();
    if let Some(p) = progress {
        p.stage("audit events read");
    }
    db.audit().for_each_tenant_link(tenant_id.as_str(), from.as_deref(), |link| {
        if let Some(p) = progress {
            p.advance(1);
        }
        if !in_period(link.at) {
            return Ok(());
        }
        link.write_json_line(&mut events.jsonl);
        events.count += 1;
        events.seqs.push(link.seq as u64);
        if events.first.is_none() {
            events.first = Some((link.seq, link.prev_hash.to_string()));
        }
        events.last = Some((link.seq, link.hash.to_string()));
        let details = || serde_json::from_str::<Value>(link.details).unwrap_or(Value::Null);
        match link.action {
            "tenant.create" | "tenant.update" | "tenant.delete" => events.history.push(
                json!({"seq": link.seq, "at": link.at, "actor": link.actor, "action": link.action, "details": details()}),
            ),
            "deployment.record" => {
                if let Some(id) = link.target.strip_prefix("deployment/") {
                    events.admitted.insert(id.to_string(), details().get("decision_id").cloned().unwrap_or(Value::Null));
                }
            }
            _ => {}
        }
        Ok(())
    })?;
    let decisions: Vec<_> = db
        .decisions()
        .list(Some(&[tenant_id.to_string()]), None, None)?
        .into_iter()
        .filter(|d| in_period(&d.at))
        .collect();
    let deployments: Vec<_> = db
        .flows()
        .deployments(Some(tenant_id.as_str()))?
        .into_iter()
        .filter(|d| in_period(&d.created_at))
        .collect();
    let chain = checker
        .join()
        .map_err(|_| PackError::Input("the audit chain check stopped unexpectedly".into()))??;
    let bundle = Bundle::for_config(&ctx.config)?;
    let schema = ctx.store.schema_version()?;

    let mut files: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    // Residency: the declaration and its history from the audit log.
    files.insert(
        "residency/declaration.json".into(),
        json_bytes(&json!({
            "tenant": tenant.id, "name": tenant.name, "tier": tenant.tier, "status": tenant.status,
            "allowed_regions": tenant.regions, "declared_at": tenant.created_at, "updated_at": tenant.updated_at,
            "history": events.history,
        })),
    );
    let deployment_rows: Vec<Value> = deployments
        .iter()
        .map(|d| {
            json!({
                "id": d.id, "service": d.service, "env": d.env, "cluster": d.cluster, "region": d.region,
                "version": d.version, "at": d.created_at, "actor": d.actor, "run_id": d.run_id,
                "allowed_now": crate::model::ids::RegionId::parse(&d.region).is_ok_and(|r| tenant.regions.allows(&r)),
                "decision_id": events.admitted.get(&d.id).cloned().unwrap_or(Value::Null),
            })
        })
        .collect();
    files.insert(
        "residency/deployments.json".into(),
        json_bytes(&deployment_rows),
    );
    let denied_deploys: Vec<&crate::store::DecisionRow> = decisions
        .iter()
        .filter(|d| !d.allow && d.query == "data.maestro.residency")
        .collect();
    files.insert(
        "residency/report.md".into(),
        render::residency_report(
            &ctx.config.branding,
            &tenant,
            &deployment_rows,
            &denied_deploys,
        )
        .into_bytes(),
    );
    // Policy: this tenant's decisions (inputs were masked when logged), the bundle, exceptions.
    let mut jsonl = Vec::new();
    for d in &decisions {
        let mut d = d.clone();
        only_this_tenants_roles(&mut d.input, tenant_id.as_str());
        serde_json::to_writer(&mut jsonl, &d).map_err(|e| PackError::Input(e.to_string()))?;
        jsonl.push(b'\n');
    }
    files.insert("policy/decisions.jsonl".into(), jsonl);
    for (name, text) in bundle.files.iter() {
        files.insert(format!("policy/bundle/{name}"), text.clone().into_bytes());
    }
    files.insert("policy/bundle.json".into(), json_bytes(&json!({"origin": bundle.origin, "sha256": bundle.sha256, "files": bundle.files.iter().map(|(n, _)| n).collect::<Vec<_>>()})));
    let exceptions: Vec<Value> = bundle
        .data
        .get("exceptions")
        .and_then(|e| e.as_array())
        .map(|list| {
            list.iter()
                .filter(|e| {
                    e.get("from_tenant").and_then(|x| x.as_str()) == Some(tenant_id.as_str())
                        || e.get("to_tenant").and_then(|x| x.as_str()) == Some(tenant_id.as_str())
                })
                .cloned()
                .collect()
        })
        .unwrap_or_default();
    files.insert("policy/exceptions.json".into(), json_bytes(&exceptions));
    // The newest signed checkpoint of the log, if it covers the last event, and one proof
    // of every event here against it; before the events in the archive, so that a verifier
    // reading it as a stream has them when the events come.
    if let Some(&last) = events.seqs.last() {
        let signed = db
            .audit()
            .latest_checkpoint()?
            .filter(|c| c.size as u64 >= last)
            .ok_or_else(|| PackError::NoCheckpoint {
                tenant: tenant_id.to_string(),
                last: last as i64,
            })?;
        let indices: Vec<u64> = events.seqs.iter().map(|s| s - 1).collect();
        let proof = merkle::multi_proof(
            &mut crate::audit::tree::source(&db),
            &indices,
            signed.size as u64,
        )?;
        // Consistency proofs from the checkpoints signed before (the newest thousand), so
        // that a checkpoint the customer holds from a witness is checked offline.
        let mut earlier = Vec::new();
        for c in db.audit().checkpoints_before(signed.size, 1000)? {
            let proof = merkle::consistency_proof(
                &mut crate::audit::tree::source(&db),
                c.size as u64,
                signed.size as u64,
            )?;
            let hexed: Vec<String> = proof.iter().map(|h| crate::model::audit::hex(h)).collect();
            earlier.push(json!({"size": c.size, "root": c.root, "proof": hexed}));
        }
        earlier.reverse();
        files.insert(CHECKPOINT_CONSISTENCY.into(), json_bytes(&earlier));
        files.insert(CHECKPOINT.into(), signed.note.into_bytes());
        files.insert(CHECKPOINT_PROOF.into(), proof.concat());
    }
    // Audit: this tenant's events, the anchors around them and the chain check at export.
    files.insert(
        "audit/events.jsonl".into(),
        std::mem::take(&mut events.jsonl),
    );
    files.insert(
        "audit/chain.json".into(),
        json_bytes(&json!({
            "events": events.count,
            "first_seq": events.first.as_ref().map(|f| f.0),
            "last_seq": events.last.as_ref().map(|l| l.0),
            "anchor_before_first": events.first.as_ref().map(|f| f.1.clone()),
            "anchor_after_last": events.last.as_ref().map(|l| l.1.clone()),
            "verified_at_export": {"ok": chain.ok, "events": chain.events, "head": chain.head, "first_bad": chain.first_bad},
            "note": "the chain covers every tenant; each event here carries prev_hash and hash, so each can be recomputed, and the anchors tie them to the full chain",
        })),
    );
    // The standalone checker (Python 3, standard library only), signed with the rest.
    files.insert(
        "verify/verify.py".into(),
        include_str!("../../templates/pack/verify.py")
            .as_bytes()
            .to_vec(),
    );
    for (name, text) in RUNBOOKS {
        files.insert(
            format!("runbooks/{name}"),
            render::runbook(&ctx.config.branding, text).into_bytes(),
        );
    }
    let logo = match &ctx.config.branding.logo {
        Some(path) => {
            let bytes = std::fs::read(path).map_err(|e| PackError::io(path, e))?;
            let ext = path
                .extension()
                .and_then(|x| x.to_str())
                .unwrap_or("bin")
                .to_ascii_lowercase();
            let name = format!("branding/logo.{ext}");
            files.insert(name.clone(), bytes);
            Some(name)
        }
        None => None,
    };
    files.insert(
        "maestro-pack.pub".into(),
        secret.public_key_text().into_bytes(),
    );
    let summary = render::Summary {
        tenant: &tenant,
        generated_at: &generated,
        period: (opts.from.as_deref(), opts.to.as_deref()),
        deployments: &deployment_rows,
        decisions: decisions.len(),
        denied: decisions.iter().filter(|d| !d.allow).count(),
        events: events.count,
        chain_ok: chain.ok,
        bundle_sha256: &bundle.sha256,
        logo: logo.as_deref(),
    };
    files.insert(
        "index.html".into(),
        render::index_html(&ctx.config.branding, &summary).into_bytes(),
    );
    files.insert(
        "README.md".into(),
        render::readme(&ctx.config.branding, &summary).into_bytes(),
    );
    let inputs_digest = |name: &str| files.get(name).map(|b| hex(&Sha256::digest(b)));
    files.insert(
        "provenance.json".into(),
        json_bytes(&json!({
            "_type": "https://in-toto.io/Statement/v1",
            "predicateType": "https://maestro.dev/pack-provenance/v1",
            "predicate": {
                "builder": {"id": "maestro-cli", "version": env!("CARGO_PKG_VERSION")},
                "invocation": {"command": "pack:export", "tenant": tenant_id, "from": opts.from, "to": opts.to, "target": match &opts.target { Target::Archive(_) => "archive", Target::Dir(_) => "dir" }},
                "materials": {
                    "state_schema_version": schema, "policy_bundle_sha256": bundle.sha256, "audit_head": chain.head,
                    "audit_events_sha256": inputs_digest("audit/events.jsonl"), "decisions_sha256": inputs_digest("policy/decisions.jsonl"),
                },
                "started_at": generated, "finished_at": generated,
            },
        })),
    );
    let manifest = json!({
        "format": FORMAT,
        "tenant": tenant_id,
        "period": {"from": opts.from, "to": opts.to},
        "generated_at": generated,
        "tool": {"name": "maestro-cli", "version": env!("CARGO_PKG_VERSION")},
        "policy_bundle_sha256": bundle.sha256,
        "state_schema_version": schema,
        "files": files.iter().map(|(p, b)| json!({"path": p, "size": b.len(), "sha256": hex(&Sha256::digest(b))})).collect::<Vec<_>>(),
    });
    let manifest_bytes = json_bytes(&manifest);
    let trusted = format!(
        "timestamp:{} file:manifest.json tenant:{tenant_id}",
        generated_at.as_second()
    );
    let signature = secret.sign(&manifest_bytes, &trusted);
    let manifest_sha256 = hex(&Sha256::digest(&manifest_bytes));
    files.insert("manifest.json".into(), manifest_bytes);
    files.insert("manifest.json.minisig".into(), signature.into_bytes());
    let path = match &opts.target {
        Target::Archive(p) => {
            if let Some(bar) = progress {
                bar.stage("bytes compressed");
            }
            let done = |n: u64| {
                if let Some(bar) = progress {
                    bar.advance(n);
                }
            };
            write_archive(p, &files, generated_at.as_second().max(0) as u64, &done)?;
            p.clone()
        }
        Target::Dir(d) => {
            write_dir(d, &files)?;
            d.clone()
        }
    };
    if let Some(p) = progress {
        p.finish();
    }
    Ok(ExportReport {
        path: path.display().to_string(),
        tenant: tenant_id.to_string(),
        files: files.len(),
        manifest_sha256,
        key_id: keys::public_key_id(&secret.public_key_text()).unwrap_or_default(),
        generated_at: generated,
    })
}

/// An authorization input lists every role of the actor; in a tenant's pack only the roles
/// for that tenant (and platform-wide ones) may appear.
fn only_this_tenants_roles(input: &mut Value, tenant: &str) {
    if let Some(roles) = input.get_mut("roles").and_then(|r| r.as_array_mut()) {
        roles.retain(|r| match r.get("tenant") {
            None | Some(Value::Null) => true,
            Some(t) => t.as_str() == Some(tenant),
        });
    }
}

/// Sorted entries, mode 0644, uid/gid 0, no user names, one mtime; gzip header mtime 0.
fn write_archive(
    path: &Path,
    files: &BTreeMap<String, Vec<u8>>,
    mtime: u64,
    done: &(dyn Fn(u64) + Sync),
) -> Result<(), PackError> {
    if path.exists() {
        return Err(PackError::Exists(path.to_path_buf()));
    }
    let tmp = path.with_extension("partial");
    let size: usize = files.values().map(|b| b.len() + 1024).sum();
    let mut tar = tar::Builder::new(Vec::with_capacity(size + 2048));
    tar.mode(tar::HeaderMode::Deterministic);
    for (name, bytes) in files {
        let mut h = tar::Header::new_ustar();
        h.set_size(bytes.len() as u64);
        h.set_mode(0o644);
        h.set_uid(0);
        h.set_gid(0);
        h.set_mtime(mtime);
        h.set_entry_type(tar::EntryType::Regular);
        tar.append_data(&mut h, name, bytes.as_slice())
            .map_err(|e| PackError::io(path, e))?;
    }
    let tarball = tar.into_inner().map_err(|e| PackError::io(path, e))?;
    let file = std::fs::File::create(&tmp).map_err(|e| PackError::io(&tmp, e))?;
    let mut w = std::io::BufWriter::new(file);
    // Deflate on every core (the pack's slowest part); the bytes do not depend on it.
    super::gzip::write(&tarball, flate2::Compression::default(), &mut w, done)
        .and_then(|()| w.flush())
        .map_err(|e| PackError::io(&tmp, e))?;
    drop(w);
    std::fs::rename(&tmp, path).map_err(|e| PackError::io(path, e))
}

fn write_dir(dir: &Path, files: &BTreeMap<String, Vec<u8>>) -> Result<(), PackError> {
    if dir.exists()
        && std::fs::read_dir(dir)
            .map(|mut d| d.next().is_some())
            .unwrap_or(true)
    {
        return Err(PackError::Exists(dir.to_path_buf()));
    }
    for (name, bytes) in files {
        let p = dir.join(name);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).map_err(|e| PackError::io(parent, e))?;
        }
        std::fs::write(&p, bytes).map_err(|e| PackError::io(&p, e))?;
    }
    Ok(())
}

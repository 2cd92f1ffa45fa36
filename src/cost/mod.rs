//! Cost: billing data in FinOps FOCUS format, attributed to tenant / service / env from
//! configurable tags, rolled up per day at ingest, and reported with shares and top drivers.
//!
//! - [`money`]: exact fixed-point decimals (no `f64` sums);
//! - [`ingest`]: one streaming pass over a FOCUS CSV (or `.gz`), then one transaction;
//! - [`report`]: totals, groups, the unallocated bucket, top cost drivers.

use std::collections::BTreeMap;

use rustc_hash::FxHashMap;
use std::io::Read;
use std::path::Path;

use serde::Serialize;

use crate::audit::{self, NewEvent};
use crate::config::CostConfig;
use crate::context::Context;
use crate::model::ids::dns_label_problem;
use crate::model::intern::Interner;
use crate::model::money::Money;
use crate::store::{Column, CostFilter, DailyKey, DriverKey, FileCounts, Grain, Sums};
use crate::tenant::authz::{self, Action};
use crate::tenant::users;

/// The FOCUS columns ingest reads; all must be in the header.
const REQUIRED: &[&str] = &[
    "BilledCost",
    "EffectiveCost",
    "ChargePeriodStart",
    "BillingCurrency",
    "ProviderName",
    "RegionId",
    "ServiceName",
    "ResourceId",
    "ConsumedQuantity",
    "ConsumedUnit",
    "Tags",
];

/// A row left out with `--skip-bad`.
#[derive(Debug, Clone, Serialize)]
pub struct Skipped {
    pub line: u64,
    pub problem: String,
}

/// What `cost:ingest` did.
#[derive(Debug, Clone, Serialize)]
pub struct IngestReport {
    pub file: String,
    pub sha256: String,
    /// `true` when this file had been ingested before: nothing changed.
    pub already_ingested: bool,
    pub rows: u64,
    pub allocated: u64,
    pub unallocated: u64,
    pub skipped: u64,
    pub skipped_rows: Vec<Skipped>,
    pub billed: Money,
    pub effective: Money,
    pub currency: Option<String>,
}

impl IngestReport {
    fn fill(&mut self, c: &FileCounts) {
        self.rows = c.rows;
        self.allocated = c.allocated;
        self.unallocated = c.unallocated;
        self.skipped = c.skipped;
        self.billed = c.billed;
        self.effective = c.effective;
        self.currency = c.currency.clone();
    }
}

/// Rollup rows per day and per month, each sorted: what an ingest writes.
type Periods<K, V> = [(Grain, Vec<(K, V)>); 2];

/// The id of "no tenant" (the unallocated bucket).
const NO_TENANT: u32 = u32::MAX;

/// An interned CSV value as text (ingest checked that the file is UTF-8).
fn text_of(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Who a row belongs to: interned tenant (or [`NO_TENANT`]), service, env.
#[derive(Debug, Clone, Copy)]
struct Attributed {
    tenant: u32,
    service: u32,
    env: u32,
}

/// What one pass over a file adds up to: sums per (day, tenant, service, env, region,
/// provider) and per (day, tenant, driver kind, driver name), all interned. Memory grows with
/// the distinct keys, not with the rows.
#[derive(Default)]
struct Totals {
    counts: FileCounts,
    /// Every value a row adds up under, as its raw bytes.
    strings: Interner<[u8]>,
    /// Raw `Tags` text → attribution: billing exports repeat the same few tag sets.
    memo: FxHashMap<Box<[u8]>, Attributed>,
    daily: FxHashMap<[u32; 6], Sums>,
    drivers: FxHashMap<[u32; 4], Money>,
    /// The last valid day seen.
    last_day: Option<Box<[u8]>>,
}

impl Totals {
    /// A tag value maps to a tenant through `[cost.tenants]`, else when it is itself a valid
    /// tenant id; otherwise the row is unallocated.
    fn attribute(&mut self, config: &CostConfig, raw: &[u8]) -> Result<Attributed, String> {
        if let Some(found) = self.memo.get(raw) {
            return Ok(*found);
        }
        let text = std::str::from_utf8(raw).map_err(|_| "Tags is not UTF-8".to_string())?;
        let tags = match text {
            "" | "NULL" => serde_json::Map::new(),
            t => match serde_json::from_str::<serde_json::Value>(t) {
                Ok(serde_json::Value::Object(map)) => map,
                _ => return Err(format!("Tags `{t}` is not a JSON object or NULL")),
            },
        };
        let get = |key: &str| tags.get(key).and_then(|v| v.as_str());
        let tenant = get(&config.tenant_tag).and_then(|value| match config.tenants.get(value) {
            Some(id) => Some(id.get_ref().as_str()),
            None => dns_label_problem(value).is_none().then_some(value),
        });
        let found = Attributed {
            tenant: tenant.map_or(NO_TENANT, |t| self.strings.id(t.as_bytes())),
            service: self
                .strings
                .id(get(&config.service_tag).unwrap_or("(untagged)").as_bytes()),
            env: self
                .strings
                .id(get(&config.env_tag).unwrap_or("(untagged)").as_bytes()),
        };
        if self.memo.len() >= 100_000 {
            self.memo.clear();
        }
        self.memo.insert(raw.into(), found);
        Ok(found)
    }

    fn add(&mut self, row: &Row<'_>) {
        let c = &mut self.counts;
        if row.who.tenant == NO_TENANT {
            c.unallocated += 1;
        } else {
            c.allocated += 1;
        }
        c.billed += row.billed;
        c.effective += row.effective;
        let s = &mut self.strings;
        let day = s.id(row.day);
        let (service, resource) = (s.id(row.service_name), s.id(row.resource_id));
        let key = [
            day,
            row.who.tenant,
            row.who.service,
            row.who.env,
            s.id(row.region),
            s.id(row.provider),
        ];
        *self
            .drivers
            .entry([day, row.who.tenant, 0, service])
            .or_default() += row.effective;
        *self
            .drivers
            .entry([day, row.who.tenant, 1, resource])
            .or_default() += row.effective;
        *self.daily.entry(key).or_default() += Sums {
            billed: row.billed,
            effective: row.effective,
            requests: row.requests.unwrap_or(Money::ZERO),
            rows: 1,
        };
    }

    /// Adds another thread's totals (its own strings) to these.
    fn merge(&mut self, other: Totals) -> Result<(), String> {
        let (c, o) = (&mut self.counts, &other.counts);
        match (&c.currency, &o.currency) {
            (Some(a), Some(b)) if a != b => {
                return Err(format!(
                    "BillingCurrency `{b}` differs from the file's `{a}`: one currency per file"
                ));
            }
            (None, Some(b)) => c.currency = Some(b.clone()),
            _ => {}
        }
        c.rows += o.rows;
        c.allocated += o.allocated;
        c.unallocated += o.unallocated;
        c.skipped += o.skipped;
        c.billed += o.billed;
        c.effective += o.effective;
        let ids: Vec<u32> = other.strings.names().map(|n| self.strings.id(n)).collect();
        let id = |i: u32| {
            if i == NO_TENANT {
                NO_TENANT
            } else {
                ids[i as usize]
            }
        };
        for (k, v) in other.daily {
            *self
                .daily
                .entry([id(k[0]), id(k[1]), id(k[2]), id(k[3]), id(k[4]), id(k[5])])
                .or_default() += v;
        }
        for (k, v) in other.drivers {
            *self
                .drivers
                .entry([id(k[0]), id(k[1]), k[2], id(k[3])])
                .or_default() += v;
        }
        Ok(())
    }

    /// The tenants with allocated cost.
    fn tenants(&self) -> std::collections::BTreeSet<String> {
        let ids: std::collections::BTreeSet<u32> = self
            .daily
            .keys()
            .map(|k| k[1])
            .filter(|&t| t != NO_TENANT)
            .collect();
        ids.into_iter()
            .map(|t| text_of(self.strings.name(t)))
            .collect()
    }

    /// The daily sums and the same summed per month, each in primary-key order: each
    /// insert lands next to the last, so the b-trees are written page by page instead of
    /// all over (measured: 3 × faster than unsorted). Keys stay numbers until written
    /// ([`Totals::daily_key`]): a year of rollups as text would be hundreds of MB.
    fn sums_by_period(&mut self) -> Periods<[u32; 6], Sums> {
        let daily: Vec<([u32; 6], Sums)> = self.daily.iter().map(|(k, v)| (*k, *v)).collect();
        self.by_period(daily, [true; 6])
    }

    fn daily_key(&self, k: &[u32; 6]) -> DailyKey {
        let name = |i: usize| text_of(self.strings.name(k[i]));
        DailyKey {
            day: name(0),
            tenant_id: (k[1] != NO_TENANT).then(|| name(1)),
            service: name(2),
            env: name(3),
            region: name(4),
            provider: name(5),
        }
    }

    /// The same for cost drivers (`[day, tenant, kind, name]`, kind 0 a service, 1 a
    /// resource).
    fn drivers_by_period(&mut self) -> Periods<[u32; 4], Money> {
        let daily: Vec<([u32; 4], Money)> = self.drivers.iter().map(|(k, v)| (*k, *v)).collect();
        // The kind is a number, not an interned value.
        self.by_period(daily, [true, true, false, true])
    }

    fn driver_key(&self, k: &[u32; 4]) -> DriverKey {
        let name = |i: usize| text_of(self.strings.name(k[i]));
        DriverKey {
            day: name(0),
            tenant_id: (k[1] != NO_TENANT).then(|| name(1)),
            kind: if k[2] == 0 { "service" } else { "resource" },
            name: name(3),
        }
    }

    /// `daily` (keys of interned values, the day first) sorted as the texts of their values
    /// sort, and its values summed per month (the day cut to `YYYY-MM`), sorted too: the
    /// order the rollup tables are written in. `interned` says which parts of a key are
    /// interned values; the others are driver kinds (0 "service", 1 "resource": sorted as
    /// 1 - kind, as their texts sort). Sorting numbers ranked by text instead of the texts themselves
    /// is what keeps a year of rollups quick to write.
    fn by_period<const N: usize, V: Copy + Default + std::ops::AddAssign>(
        &mut self,
        mut daily: Vec<([u32; N], V)>,
        interned: [bool; N],
    ) -> Periods<[u32; N], V> {
        let mut month_of: FxHashMap<u32, u32> = FxHashMap::default();
        for (k, _) in &daily {
            if let std::collections::hash_map::Entry::Vacant(slot) = month_of.entry(k[0]) {
                let day = self.strings.name(k[0]);
                let month = day[..day.len().min(7)].to_vec();
                slot.insert(self.strings.id(&month));
            }
        }
        // Each value's place among all values in text order, from 1; "no tenant" is 0.
        let s = &self.strings;
        let mut order: Vec<u32> = (0..s.names().count() as u32).collect();
        order.sort_unstable_by(|&a, &b| s.name(a).cmp(s.name(b)));
        let mut rank = vec![0u32; order.len()];
        for (place, id) in order.into_iter().enumerate() {
            rank[id as usize] = place as u32 + 1;
        }
        let sort_key = |k: &[u32; N]| -> [u32; N] {
            let mut out = [0; N];
            for ((o, &part), interned) in out.iter_mut().zip(k).zip(interned) {
                *o = match part {
                    _ if !interned => u32::from(part == 0),
                    NO_TENANT => 0,
                    id => rank[id as usize],
                };
            }
            out
        };
        daily.sort_unstable_by_key(|(k, _)| sort_key(k));
        let mut monthly: FxHashMap<[u32; N], V> = FxHashMap::default();
        for (k, v) in &daily {
            let mut month = *k;
            month[0] = month_of[&k[0]];
            *monthly.entry(month).or_default() += *v;
        }
        let mut monthly: Vec<([u32; N], V)> = monthly.into_iter().collect();
        monthly.sort_unstable_by_key(|(k, _)| sort_key(k));
        [(Grain::Day, daily), (Grain::Month, monthly)]
    }
}

/// One parsed row, borrowing from the record.
struct Row<'a> {
    day: &'a [u8],
    who: Attributed,
    region: &'a [u8],
    provider: &'a [u8],
    service_name: &'a [u8],
    resource_id: &'a [u8],
    billed: Money,
    effective: Money,
    requests: Option<Money>,
}

/// Ingests the FOCUS CSV at `path` (`.gz` read as gzip): one streaming pass adds every row
/// to the daily rollups and cost drivers in memory (memory grows with the distinct days ×
/// tenants × services × ..., not with the rows); then one transaction stores them with the
/// file's sha256, unless that file was ingested before. A malformed row stops the ingest with
/// nothing stored, unless `skip_bad`.
pub fn ingest(
    ctx: &mut Context,
    path: &Path,
    format: Format,
    skip_bad: bool,
    progress: Option<indicatif::ProgressBar>,
) -> anyhow::Result<IngestReport> {
    let actor = users::check(ctx, Action::CostIngest, None)?;
    let shown = path.display().to_string();
    let file_err = |detail: String| crate::input::InputError::File {
        path: shown.clone(),
        detail,
    };
    let mut raw = crate::input::open(path)
        .map_err(|e| file_err(e.to_string()))?
        .with_progress(progress);
    let text = crate::input::text(path, &mut raw);
    let read = match format {
        Format::Focus | Format::Csv => read_rows(text, &shown, &ctx.config.cost, skip_bad),
        Format::Jsonl => read_json_lines(text, &shown, &ctx.config.cost, skip_bad),
    };
    let sha256 = raw.finish().map_err(|e| file_err(e.to_string()))?;
    // A file ingested before (say with --skip-bad) is not an error the second time.
    let (mut totals, skipped_rows) = match read {
        Err(_) if ctx.store.read().cost().file(&sha256)?.is_some() => Default::default(),
        other => other?,
    };
    let mut report = IngestReport {
        file: shown.clone(),
        sha256: sha256.clone(),
        already_ingested: false,
        rows: 0,
        allocated: 0,
        unallocated: 0,
        skipped: 0,
        skipped_rows,
        billed: Money::ZERO,
        effective: Money::ZERO,
        currency: None,
    };
    let clock = ctx.clock;
    let now = clock.now_rfc3339();
    let tenants = totals.tenants();
    let sums = totals.sums_by_period();
    let drivers = totals.drivers_by_period();
    let stored = ctx
        .store
        .write(|db| -> anyhow::Result<Option<FileCounts>> {
            let rows = db.cost();
            if let Some(before) = rows.file(&sha256)? {
                return Ok(Some(before));
            }
            authz::authorize(db, &clock, &actor, Action::CostIngest, None)?;
            // Each in primary-key order (`Totals::sums_by_period`).
            for (grain, sums) in &sums {
                rows.add_sums(*grain, sums.iter().map(|(k, v)| (totals.daily_key(k), *v)))?;
            }
            for (grain, drivers) in &drivers {
                rows.add_drivers(
                    *grain,
                    drivers.iter().map(|(k, v)| (totals.driver_key(k), *v)),
                )?;
            }
            let c = &totals.counts;
            rows.insert_file(&sha256, &shown, c, &now)?;
            crate::metrics::refresh(db, &clock, tenants.iter().map(String::as_str))?;
            audit::append(
                db,
                &clock,
                NewEvent {
                    actor: actor.clone(),
                    tenant_id: None,
                    action: "cost.ingest",
                    target: shown.clone(),
                    details: serde_json::json!({
                        "sha256": sha256,
                        "rows": c.rows,
                        "allocated": c.allocated,
                        "unallocated": c.unallocated,
                        "skipped": c.skipped,
                        "billed": c.billed.to_string(),
                        "effective": c.effective.to_string(),
                    }),
                },
            )?;
            Ok(None)
        })?;
    match stored {
        Some(before) => {
            report.already_ingested = true;
            report.skipped_rows.clear();
            report.fill(&before);
        }
        None => report.fill(&totals.counts),
    }
    Ok(report)
}

/// The input format of `cost:ingest`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Format {
    /// FinOps FOCUS 1.0 CSV
    #[default]
    Focus,
    /// A CSV with the FOCUS columns (the same reader as `focus`)
    Csv,
    /// One JSON object per line, keyed by FOCUS column names
    Jsonl,
}

/// JSON lines: each object's FOCUS columns become a record in `REQUIRED` order (numbers as
/// their exact text, `null` as `NULL`, `Tags` as its JSON), then go through the same checks.
fn read_json_lines(
    reader: Box<dyn Read + Send + '_>,
    shown: &str,
    config: &CostConfig,
    skip_bad: bool,
) -> Result<(Totals, Vec<Skipped>), crate::input::InputError> {
    use std::io::BufRead;
    // Raw values: a number keeps its exact decimal text (no trip through f64).
    type Object = BTreeMap<String, Box<serde_json::value::RawValue>>;
    let mut totals = Totals::default();
    let mut skipped = Vec::new();
    let mut record = csv::ByteRecord::new();
    for (i, line) in std::io::BufReader::new(reader).split(b'\n').enumerate() {
        let line_no = i as u64 + 1;
        let line = line.map_err(|e| crate::input::InputError::File {
            path: shown.to_string(),
            detail: format!("line {line_no}: {e}"),
        })?;
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        totals.counts.rows += 1;
        let outcome = match serde_json::from_slice::<Object>(&line) {
            Err(e) => Err(format!("not a JSON object: {e}")),
            Ok(object) => {
                record.clear();
                let mut problem = None;
                for name in REQUIRED {
                    let raw = object.get(*name).map(|r| r.get()).unwrap_or("null");
                    if raw == "null" {
                        record.push_field(b"NULL");
                    } else if raw.starts_with('"') {
                        match serde_json::from_str::<String>(raw) {
                            Ok(text) => record.push_field(text.as_bytes()),
                            Err(e) => problem = Some(format!("{name}: {e}")),
                        }
                    } else {
                        record.push_field(raw.as_bytes());
                    }
                }
                match problem {
                    Some(p) => Err(p),
                    None => take_row(
                        std::array::from_fn(|c| record.get(c).unwrap_or_default()),
                        config,
                        &mut totals,
                    ),
                }
            }
        };
        match outcome {
            Ok(()) => {}
            Err(problem) if skip_bad => {
                totals.counts.skipped += 1;
                skipped.push(Skipped {
                    line: line_no,
                    problem,
                });
            }
            Err(detail) => {
                return Err(crate::input::InputError::Row {
                    path: shown.to_string(),
                    line: line_no,
                    detail,
                });
            }
        }
    }
    Ok((totals, skipped))
}

/// Raw CSV cut at a record boundary, with the line its first record starts on.
struct Chunk {
    index: usize,
    line: u64,
    bytes: Vec<u8>,
}

/// About how much CSV text a chunk holds.
const CHUNK: usize = 1 << 20;

/// Cuts CSV text into [`Chunk`]s at record boundaries: after a newline outside quotes (in
/// CSV a quote inside a quoted field is doubled, so "outside" is an even count of quotes
/// since the last boundary).
struct Cutter<R> {
    inner: R,
    carry: Vec<u8>,
    line: u64,
    index: usize,
    done: bool,
    /// Emptied chunk buffers, to reuse: a fresh megabyte each time cost a page fault per
    /// 4 KiB.
    spare: Vec<Vec<u8>>,
}

impl<R: Read> Cutter<R> {
    fn new(inner: R) -> Self {
        Cutter {
            inner,
            carry: Vec::new(),
            line: 1,
            index: 0,
            done: false,
            spare: Vec::new(),
        }
    }

    /// Takes back a chunk's buffer once it has been parsed.
    fn recycle(&mut self, buf: Vec<u8>) {
        if self.spare.len() < 8 {
            self.spare.push(buf);
        }
    }

    fn next_chunk(&mut self) -> std::io::Result<Option<Chunk>> {
        loop {
            if self.done {
                return Ok(None);
            }
            // The buffer is filled in place: `read_to_end` would zero it again each time.
            let mut buf = self.spare.pop().unwrap_or_default();
            let kept = self.carry.len();
            buf.resize(kept + CHUNK, 0);
            buf[..kept].copy_from_slice(&self.carry);
            self.carry.clear();
            let mut filled = kept;
            while filled < buf.len() {
                match self.inner.read(&mut buf[filled..]) {
                    Ok(0) => break,
                    Ok(n) => filled += n,
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                    Err(e) => return Err(e),
                }
            }
            let eof = filled < buf.len();
            buf.truncate(filled);
            let cut = if eof {
                self.done = true;
                if buf.is_empty() {
                    return Ok(None);
                }
                buf.len()
            } else {
                match last_boundary(&buf) {
                    Some(cut) => cut,
                    // One record longer than the buffer: read on.
                    None => {
                        self.carry = buf;
                        continue;
                    }
                }
            };
            self.carry.extend_from_slice(&buf[cut..]);
            buf.truncate(cut);
            let chunk = Chunk {
                index: self.index,
                line: self.line,
                bytes: buf,
            };
            self.index += 1;
            // bytecount: SIMD chosen at run time (`filter().count()` was 15 % of the ingest).
            self.line += bytecount::count(&chunk.bytes, b'\n') as u64;
            return Ok(Some(chunk));
        }
    }
}

/// Where the last record of `buf` (which starts at a record boundary) ends: just after its
/// last newline outside quotes.
fn last_boundary(buf: &[u8]) -> Option<usize> {
    let quotes = bytecount::count(buf, b'"');
    let mut outside = quotes.is_multiple_of(2);
    for (i, &b) in buf.iter().enumerate().rev() {
        match b {
            b'\n' if outside => return Some(i + 1),
            b'"' => outside = !outside,
            _ => {}
        }
    }
    None
}

/// What a thread found wrong in the chunks it took, by chunk: rows left out (`--skip-bad`) and
/// the first row that stops the ingest.
#[derive(Default)]
struct Problems {
    skipped: Vec<(usize, Vec<Skipped>)>,
    failed: Option<(usize, u64, String)>,
}

/// Parses and adds up one chunk; the first chunk starts with the header (already read).
#[allow(clippy::too_many_arguments)]
fn take_chunk(
    chunk: &Chunk,
    header: bool,
    width: usize,
    index: &[usize; REQUIRED.len()],
    config: &CostConfig,
    skip_bad: bool,
    totals: &mut Totals,
    problems: &mut Problems,
) {
    let bytes = &chunk.bytes[..];
    let mut csv = simd_csv::TotalReaderBuilder::new()
        .has_headers(header)
        .from_bytes(bytes);
    // The first chunk's header was read (and checked) by the caller: skipped here. (In a
    // chunk without one this reads nothing away: the reader starts over at its first row.)
    let _ = csv.byte_headers();
    // One check for the whole chunk; a chunk that fails it is checked record by record, to
    // name the row and column.
    let utf8 = simdutf8::basic::from_utf8(bytes).is_ok();
    let mut lines = Lines {
        at: 0,
        line: chunk.line,
    };
    let mut record = simd_csv::ByteRecord::new();
    let mut skipped = Vec::new();
    loop {
        let at = csv.position() as usize;
        if !csv.read_byte_record(&mut record) {
            break;
        }
        let outcome = if record.len() != width {
            Err(format!(
                "{} fields where the header has {width}",
                record.len()
            ))
        } else if !utf8 && let Some(column) = (0..width).find(|&c| !is_utf8(record.get(c))) {
            Err(format!("column {} is not UTF-8", column + 1))
        } else {
            take_row(
                std::array::from_fn(|c| record.get(index[c]).unwrap_or_default()),
                config,
                totals,
            )
        };
        totals.counts.rows += 1;
        match outcome {
            Ok(()) => {}
            Err(problem) if skip_bad => {
                totals.counts.skipped += 1;
                skipped.push(Skipped {
                    line: lines.of(bytes, at),
                    problem,
                });
            }
            Err(detail) => {
                problems.failed = Some((chunk.index, lines.of(bytes, at), detail));
                return;
            }
        }
    }
    if !skipped.is_empty() {
        problems.skipped.push((chunk.index, skipped));
    }
}

fn is_utf8(field: Option<&[u8]>) -> bool {
    simdutf8::basic::from_utf8(field.unwrap_or_default()).is_ok()
}

/// Line numbers of a chunk's records, counted only for the rows that need one (a row left
/// out or refused), from the last one counted.
struct Lines {
    at: usize,
    line: u64,
}

impl Lines {
    /// The line of the record read from byte `at` on (past any blank lines, which the
    /// reader skips).
    fn of(&mut self, bytes: &[u8], at: usize) -> u64 {
        let start = at
            + bytes[at..]
                .iter()
                .take_while(|b| matches!(b, b'\r' | b'\n'))
                .count();
        self.line += bytecount::count(&bytes[self.at..start], b'\n') as u64;
        self.at = start;
        self.line
    }
}

/// The streaming pass, on both cores: this thread reads (and hashes) the text and cuts it
/// into chunks at record boundaries, which a second thread parses and adds up; when that one
/// has chunks waiting, this one takes the next chunk itself. The first chunk is taken before
/// the second thread starts, so the file's currency is known to both. Each thread adds up
/// into its own totals, merged at the end; problems are reported in file order.
fn read_rows(
    reader: Box<dyn Read + Send + '_>,
    shown: &str,
    config: &CostConfig,
    skip_bad: bool,
) -> Result<(Totals, Vec<Skipped>), crate::input::InputError> {
    let file_err = |detail: String| crate::input::InputError::File {
        path: shown.to_string(),
        detail,
    };
    let mut cutter = Cutter::new(reader);
    let first = cutter
        .next_chunk()
        .map_err(|e| file_err(format!("cannot read the header: {e}")))?;
    let first = first.unwrap_or(Chunk {
        index: 0,
        line: 1,
        bytes: Vec::new(),
    });
    // Read by the same reader as the rows (`take_chunk`).
    let headers = simd_csv::TotalReaderBuilder::new()
        .from_bytes(&first.bytes)
        .byte_headers()
        .clone();
    let mut index = [0usize; REQUIRED.len()];
    for (slot, name) in index.iter_mut().zip(REQUIRED) {
        *slot = headers
            .iter()
            .position(|h| h == name.as_bytes())
            .ok_or_else(|| {
                file_err(format!(
                    "no `{name}` column: not a FOCUS 1.0 file (needs {})",
                    REQUIRED.join(", ")
                ))
            })?;
    }
    let width = headers.len();
    let mut totals = Totals::default();
    let mut problems = Problems::default();
    take_chunk(
        &first,
        true,
        width,
        &index,
        config,
        skip_bad,
        &mut totals,
        &mut problems,
    );
    // Chunks after the first failing one are not needed.
    let stop = std::sync::atomic::AtomicUsize::new(match &problems.failed {
        Some((chunk, ..)) => *chunk,
        None => usize::MAX,
    });
    let wanted = |chunk: &Chunk| chunk.index < stop.load(std::sync::atomic::Ordering::Relaxed);
    // Takes a chunk after the first; a failure stops the chunks after it.
    let take = |chunk: &Chunk, totals: &mut Totals, problems: &mut Problems| {
        take_chunk(
            chunk, false, width, &index, config, skip_bad, totals, problems,
        );
        if let Some((chunk, ..)) = problems.failed {
            stop.fetch_min(chunk, std::sync::atomic::Ordering::Relaxed);
        }
    };
    let currency = totals.counts.currency.clone();
    let (read_error, helper) = std::thread::scope(|scope| {
        let (to_helper, chunks) = std::sync::mpsc::sync_channel::<Chunk>(4);
        let (to_cutter, emptied) = std::sync::mpsc::channel::<Vec<u8>>();
        let helper = scope.spawn(move || {
            let mut totals = Totals::default();
            totals.counts.currency = currency;
            let mut problems = Problems::default();
            for chunk in chunks {
                if wanted(&chunk) {
                    take(&chunk, &mut totals, &mut problems);
                }
                let _ = to_cutter.send(chunk.bytes);
            }
            (totals, problems)
        });
        let mut read_error = None;
        while stop.load(std::sync::atomic::Ordering::Relaxed) == usize::MAX {
            for buf in emptied.try_iter() {
                cutter.recycle(buf);
            }
            let chunk = match cutter.next_chunk() {
                Ok(Some(chunk)) => chunk,
                Ok(None) => break,
                Err(e) => {
                    read_error = Some(e);
                    break;
                }
            };
            let chunk = match to_helper.try_send(chunk) {
                Ok(()) => continue,
                Err(std::sync::mpsc::TrySendError::Full(c))
                | Err(std::sync::mpsc::TrySendError::Disconnected(c)) => c,
            };
            take(&chunk, &mut totals, &mut problems);
            cutter.recycle(chunk.bytes);
        }
        drop(to_helper);
        (read_error, helper.join())
    });
    let (helper_totals, helper_problems) =
        helper.map_err(|_| file_err("the CSV reader failed".into()))?;
    let mut all = [problems, helper_problems];
    let first_failure = all
        .iter_mut()
        .filter_map(|p| p.failed.take())
        .min_by_key(|(chunk, line, _)| (*chunk, *line));
    if let Some((_, line, detail)) = first_failure {
        return Err(crate::input::InputError::Row {
            path: shown.to_string(),
            line,
            detail,
        });
    }
    if let Some(e) = read_error {
        return Err(file_err(format!("after line {}: {e}", cutter.line)));
    }
    totals.merge(helper_totals).map_err(file_err)?;
    let mut skipped: Vec<(usize, Vec<Skipped>)> = all.into_iter().flat_map(|p| p.skipped).collect();
    skipped.sort_by_key(|(chunk, _)| *chunk);
    Ok((totals, skipped.into_iter().flat_map(|(_, s)| s).collect()))
}

/// The columns `REQUIRED` names, in that order.
const BILLED: usize = 0;
const EFFECTIVE: usize = 1;
const START: usize = 2;
const CURRENCY: usize = 3;
const PROVIDER: usize = 4;
const REGION: usize = 5;
const SERVICE: usize = 6;
const RESOURCE: usize = 7;
const QUANTITY: usize = 8;
const UNIT: usize = 9;
const TAGS: usize = 10;

/// Parses one data row (its `REQUIRED` columns, in that order) and adds it to `totals`, or
/// says what is wrong with it.
fn take_row(
    fields: [&[u8]; REQUIRED.len()],
    config: &CostConfig,
    totals: &mut Totals,
) -> Result<(), String> {
    let nullable = |c: usize| Some(fields[c]).filter(|v| !v.is_empty() && *v != b"NULL");
    let number = |c: usize| -> Result<Money, String> {
        let v = String::from_utf8_lossy(fields[c]);
        Money::parse(&v).map_err(|e| format!("{} `{v}`: {e}", REQUIRED[c]))
    };
    let billed = number(BILLED)?;
    let effective = number(EFFECTIVE)?;
    let start = fields[START];
    let day = start
        .get(..10)
        // Rows come in runs of the same day: parse a day once.
        .filter(|d| {
            totals.last_day.as_deref() == Some(*d)
                || std::str::from_utf8(d).is_ok_and(|d| d.parse::<jiff::civil::Date>().is_ok())
        })
        .ok_or_else(|| {
            format!(
                "ChargePeriodStart `{}` is not a date-time",
                String::from_utf8_lossy(start)
            )
        })?;
    if totals.last_day.as_deref() != Some(day) {
        totals.last_day = Some(day.into());
    }
    let requests = match (nullable(UNIT), nullable(QUANTITY)) {
        (Some(unit), Some(_)) if unit.windows(7).any(|w| w.eq_ignore_ascii_case(b"request")) => {
            Some(number(QUANTITY)?)
        }
        _ => None,
    };
    let currency = fields[CURRENCY];
    match &totals.counts.currency {
        Some(c) if c.as_bytes() != currency => {
            return Err(format!(
                "BillingCurrency `{}` differs from the file's `{c}`: one currency per file",
                String::from_utf8_lossy(currency)
            ));
        }
        _ => {}
    }
    let who = totals.attribute(config, fields[TAGS])?;
    if totals.counts.currency.is_none() {
        totals.counts.currency = Some(text_of(currency));
    }
    totals.add(&Row {
        day,
        who,
        region: nullable(REGION).unwrap_or(b"-"),
        provider: fields[PROVIDER],
        service_name: nullable(SERVICE).unwrap_or(b"-"),
        resource_id: nullable(RESOURCE).unwrap_or(b"-"),
        billed,
        effective,
        requests,
    });
    Ok(())
}

/// What a report groups by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Dimension {
    Tenant,
    Service,
    Env,
    Region,
    Provider,
}

impl Dimension {
    fn column(self) -> Column {
        match self {
            Dimension::Tenant => Column::Tenant,
            Dimension::Service => Column::Service,
            Dimension::Env => Column::Env,
            Dimension::Region => Column::Region,
            Dimension::Provider => Column::Provider,
        }
    }
}

/// The bucket of rows without a tenant.
pub const UNALLOCATED: &str = "unallocated";

pub struct ReportOptions {
    pub from: String,
    pub to: String,
    pub by: Vec<Dimension>,
    pub top: usize,
    pub tenant: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Group {
    /// One value per `by` dimension.
    pub key: Vec<String>,
    pub billed: Money,
    pub effective: Money,
    /// Share of the total effective cost, in percent.
    pub share: f64,
    pub rows: u64,
    /// Requests (FOCUS `ConsumedQuantity` in a request unit), and effective cost per request.
    pub requests: Money,
    pub cost_per_request: Option<f64>,
    pub unallocated: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Driver {
    pub name: String,
    pub effective: Money,
    pub share: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct CostReport {
    pub from: String,
    pub to: String,
    pub by: Vec<Dimension>,
    pub billed: Money,
    pub effective: Money,
    pub rows: u64,
    pub groups: Vec<Group>,
    pub top_services: Vec<Driver>,
    pub top_resources: Vec<Driver>,
}

fn share(part: Money, total: Money) -> f64 {
    if total.is_zero() {
        0.0
    } else {
        (part.to_f64() / total.to_f64() * 1000.0).round() / 10.0
    }
}

fn top(items: Vec<(String, Money)>, n: usize, total: Money) -> Vec<Driver> {
    let mut sums: BTreeMap<String, Money> = BTreeMap::new();
    for (name, amount) in items {
        *sums.entry(name).or_default() += amount;
    }
    let mut all: Vec<(String, Money)> = sums.into_iter().collect();
    all.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    all.into_iter()
        .take(n)
        .map(|(name, effective)| Driver {
            share: share(effective, total),
            name,
            effective,
        })
        .collect()
}

/// Splits the days `from..=to` into the whole calendar months inside it (read from the
/// monthly rollups) and the days before and after them (read from the daily ones).
fn segments(from: &str, to: &str) -> Vec<(Grain, String, String)> {
    let (Ok(from), Ok(to)) = (
        from.parse::<jiff::civil::Date>(),
        to.parse::<jiff::civil::Date>(),
    ) else {
        return Vec::new();
    };
    if from > to {
        return Vec::new();
    }
    let mut out = Vec::new();
    // The first whole month starts at `from` if it is a 1st, else at the next 1st.
    let first_whole = if from.day() == 1 {
        from
    } else {
        from.last_of_month().tomorrow().unwrap_or(from)
    };
    // The last whole month ends at `to` if it is a month's last day, else before `to`'s month.
    let last_whole_end = if to == to.last_of_month() {
        to
    } else {
        to.first_of_month().yesterday().unwrap_or(to)
    };
    if first_whole > last_whole_end {
        out.push((Grain::Day, from.to_string(), to.to_string()));
        return out;
    }
    if from < first_whole {
        out.push((
            Grain::Day,
            from.to_string(),
            first_whole.yesterday().unwrap_or(from).to_string(),
        ));
    }
    let month = |d: jiff::civil::Date| d.to_string()[..7].to_string();
    out.push((Grain::Month, month(first_whole), month(last_whole_end)));
    if last_whole_end < to {
        out.push((
            Grain::Day,
            last_whole_end.tomorrow().unwrap_or(to).to_string(),
            to.to_string(),
        ));
    }
    out
}

/// `cost:report`: the rollups in a day range, grouped, with the top cost drivers. A
/// tenant-admin or viewer sees only their tenants (and not the unallocated bucket).
pub fn report(ctx: &mut Context, o: &ReportOptions) -> anyhow::Result<CostReport> {
    for (what, value) in [("--from", &o.from), ("--to", &o.to)] {
        if value.parse::<jiff::civil::Date>().is_err() {
            return Err(crate::input::InputError::BadDate {
                what,
                value: value.clone(),
            }
            .into());
        }
    }
    let tenants = users::read_scope(ctx, Action::CostRead, o.tenant.as_deref())?;
    let db = ctx.store.read();
    let columns: Vec<Column> = o.by.iter().map(|d| d.column()).collect();
    // Whole months from the monthly rollups, the ends of the range from the daily ones.
    let mut merged: BTreeMap<Vec<Option<String>>, Sums> = BTreeMap::new();
    let mut drivers: [Vec<(String, Money)>; 2] = Default::default();
    for (grain, lo, hi) in segments(&o.from, &o.to) {
        let part = CostFilter {
            from: lo,
            to: hi,
            tenants: tenants.clone(),
        };
        for (key, sums) in db.cost().grouped(grain, &part, &columns)? {
            *merged.entry(key).or_default() += sums;
        }
        let [services, resources] = db.cost().drivers(grain, &part)?;
        drivers[0].extend(services);
        drivers[1].extend(resources);
    }
    let grouped: Vec<(Vec<Option<String>>, Sums)> = merged.into_iter().collect();
    let mut total = Sums::default();
    for (_, sums) in &grouped {
        total += *sums;
    }
    let mut groups: Vec<Group> = grouped
        .into_iter()
        .map(|(key, s)| {
            let unallocated =
                o.by.iter()
                    .zip(&key)
                    .any(|(d, v)| *d == Dimension::Tenant && v.is_none());
            Group {
                key: key
                    .into_iter()
                    .map(|v| v.unwrap_or_else(|| UNALLOCATED.into()))
                    .collect(),
                billed: s.billed,
                effective: s.effective,
                share: share(s.effective, total.effective),
                rows: s.rows,
                requests: s.requests,
                cost_per_request: (!s.requests.is_zero())
                    .then(|| s.effective.to_f64() / s.requests.to_f64()),
                unallocated,
            }
        })
        .collect();
    // Largest first; the unallocated bucket last, on its own line.
    groups.sort_by(|a, b| {
        a.unallocated
            .cmp(&b.unallocated)
            .then_with(|| b.effective.cmp(&a.effective))
            .then_with(|| a.key.cmp(&b.key))
    });
    let [services, resources] = drivers;
    let top_services = top(services, o.top, total.effective);
    let top_resources = top(resources, o.top, total.effective);
    Ok(CostReport {
        from: o.from.clone(),
        to: o.to.clone(),
        by: o.by.clone(),
        billed: total.billed,
        effective: total.effective,
        rows: total.rows,
        groups,
        top_services,
        top_resources,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_boundary_is_a_newline_outside_quotes() {
        assert_eq!(last_boundary(b"a,b\nc,d\ne"), Some(8));
        // The last newline is inside a quoted field: the boundary is the one before it.
        assert_eq!(last_boundary(b"a,b\nc,\"x\ny"), Some(4));
        // Doubled quotes inside a field do not end it.
        assert_eq!(last_boundary(b"a,\"say \"\"hi\"\"\nthere\"\nz"), Some(21));
        assert_eq!(last_boundary(b"a,\"open\nfield"), None);
    }

    #[test]
    fn the_simd_reader_reads_records_and_lines_as_the_csv_crate_does() {
        // Quoted delimiters, doubled quotes, quoted newlines, CRLF, blank lines, empty fields.
        let text = b"a,b,c\r\n1,\"x,y\",\"say \"\"hi\"\"\"\r\n\r\n2,\"multi\nline\",\n3,,\"{\"\"k\"\": \"\"v\"\"}\"\n\n4,last,row";
        // Each record's fields as the csv crate reads them, and the line it starts on.
        let expected: Vec<(u64, Vec<Vec<u8>>)> = [2, 4, 6, 8]
            .into_iter()
            .zip(
                csv::ReaderBuilder::new()
                    .has_headers(true)
                    .from_reader(&text[..])
                    .byte_records()
                    .map(|r| r.unwrap().iter().map(<[u8]>::to_vec).collect()),
            )
            .collect();
        let mut simd = simd_csv::TotalReaderBuilder::new()
            .has_headers(true)
            .from_bytes(text);
        let _ = simd.byte_headers();
        let mut lines = Lines { at: 0, line: 1 };
        let mut got = Vec::new();
        let mut record = simd_csv::ByteRecord::new();
        loop {
            let at = simd.position() as usize;
            if !simd.read_byte_record(&mut record) {
                break;
            }
            let fields: Vec<Vec<u8>> = record.iter().map(<[u8]>::to_vec).collect();
            got.push((lines.of(text, at), fields));
        }
        assert_eq!(expected.len(), 4);
        assert_eq!(got, expected);
    }

    #[test]
    fn chunks_hold_whole_records_and_count_their_lines() {
        // Records with quoted newlines and doubled quotes, several chunks' worth.
        let mut text = Vec::new();
        for i in 0..60_000 {
            text.extend_from_slice(
                format!(
                    "{i},\"line one\nline \"\"two\"\"\",{}\n",
                    "x".repeat(i % 50)
                )
                .as_bytes(),
            );
        }
        let whole: Vec<csv::ByteRecord> = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(&text[..])
            .byte_records()
            .map(Result::unwrap)
            .collect();
        let mut cutter = Cutter::new(&text[..]);
        let mut records = Vec::new();
        let mut chunks = 0;
        let mut expected_line = 1;
        while let Some(chunk) = cutter.next_chunk().unwrap() {
            assert_eq!(chunk.index, chunks);
            assert_eq!(chunk.line, expected_line);
            assert_eq!(chunk.bytes.last(), Some(&b'\n'));
            expected_line += chunk.bytes.iter().filter(|&&b| b == b'\n').count() as u64;
            records.extend(
                csv::ReaderBuilder::new()
                    .has_headers(false)
                    .from_reader(&chunk.bytes[..])
                    .byte_records()
                    .map(Result::unwrap),
            );
            chunks += 1;
        }
        assert!(chunks > 2, "{chunks} chunks");
        assert_eq!(records, whole);
    }

    fn seg(from: &str, to: &str) -> Vec<(Grain, String, String)> {
        segments(from, to)
    }

    #[test]
    fn ranges_split_into_whole_months_and_ends() {
        let (d, m) = (Grain::Day, Grain::Month);
        let s = |g, a: &str, b: &str| (g, a.to_string(), b.to_string());
        assert_eq!(
            seg("2025-01-01", "2025-12-31"),
            [s(m, "2025-01", "2025-12")]
        );
        assert_eq!(
            seg("2024-09-15", "2024-11-03"),
            [
                s(d, "2024-09-15", "2024-09-30"),
                s(m, "2024-10", "2024-10"),
                s(d, "2024-11-01", "2024-11-03")
            ]
        );
        assert_eq!(
            seg("2024-09-02", "2024-09-29"),
            [s(d, "2024-09-02", "2024-09-29")]
        );
        assert_eq!(
            seg("2024-02-01", "2024-02-29"),
            [s(m, "2024-02", "2024-02")]
        );
        assert_eq!(seg("2024-03-01", "2024-02-01"), []);
    }
}

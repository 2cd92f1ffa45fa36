//! cost:ingest / cost:report through the binary, on the real FOCUS sample in
//! `../shared/data/focus/`: every row accounted for, exact totals computed independently here,
//! idempotent re-ingest, corrupted copies refused with their line and nothing stored.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::support::{ADMIN, HELP_GRANT, Sandbox};

/// The `help:` of an ingest refused for a bad line.
const HELP_SKIP_BAD: &str = "nothing was stored; fix the line, or pass --skip-bad to leave such lines out (they are counted and listed)";

const CONFIG: &str = "[cost]\ntenant_tag = \"business_unit\"\nservice_tag = \"application\"\nenv_tag = \"environment\"\n\n[cost.tenants]\nPeoriaData = \"peoria\"\nTempeAI = \"tempe\"\nLipaData = \"lipa\"\n";

fn sample() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/focus/focus_sample_1000.csv")
}

fn platform() -> Sandbox {
    let s = Sandbox::initialised();
    std::fs::write(s.home().join("maestro.toml"), CONFIG).unwrap();
    s
}

/// Exact decimal → integer units of 1e-12, written independently of the crate's `Money`.
fn units(text: &str) -> i128 {
    let (negative, t) = match text.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, text),
    };
    let (int, frac) = t.split_once('.').unwrap_or((t, ""));
    let mut frac = frac.to_string();
    while frac.len() < 12 {
        frac.push('0');
    }
    let v =
        int.parse::<i128>().unwrap_or(0) * 1_000_000_000_000 + frac[..12].parse::<i128>().unwrap();
    if negative { -v } else { v }
}

fn units_of(json: &Value) -> i128 {
    units(json.as_str().unwrap())
}

/// Per tenant (by the config's mapping; else unallocated): (rows, billed, effective), the
/// amounts of its charges (credit rows, FOCUS `ChargeCategory` `Credit`, are a report's line
/// of their own); and the whole file's billed and effective, credits included.
fn expected() -> (BTreeMap<String, (u64, i128, i128)>, i128, i128) {
    let mapping: BTreeMap<&str, &str> = [
        ("PeoriaData", "peoria"),
        ("TempeAI", "tempe"),
        ("LipaData", "lipa"),
    ]
    .into();
    let mut reader = csv::Reader::from_path(sample()).unwrap();
    let headers = reader.headers().unwrap().clone();
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (b, e, t) = (col("BilledCost"), col("EffectiveCost"), col("Tags"));
    let category = col("ChargeCategory");
    let mut out: BTreeMap<String, (u64, i128, i128)> = BTreeMap::new();
    let (mut billed, mut effective) = (0, 0);
    for record in reader.records() {
        let record = record.unwrap();
        let tags: Value = match &record[t] {
            "NULL" | "" => Value::Null,
            text => serde_json::from_str(text).unwrap(),
        };
        let unit = tags.get("business_unit").and_then(Value::as_str);
        let tenant = unit
            .and_then(|u| mapping.get(u).copied())
            .or(unit.filter(|u| {
                !u.is_empty()
                    && u.len() <= 63
                    && u.bytes()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-')
                    && !u.starts_with('-')
                    && !u.ends_with('-')
            }))
            .unwrap_or("unallocated");
        let entry = out.entry(tenant.to_string()).or_default();
        entry.0 += 1;
        if &record[category] != "Credit" {
            entry.1 += units(&record[b]);
            entry.2 += units(&record[e]);
        }
        billed += units(&record[b]);
        effective += units(&record[e]);
    }
    (out, billed, effective)
}

fn report(s: &Sandbox, actor: &str, extra: &[&str]) -> Value {
    let mut args = vec!["cost:report", "--from", "2024-09-01", "--to", "2024-09-30"];
    args.extend_from_slice(extra);
    s.json(actor, &args)
}

#[test]
fn the_focus_sample_is_accounted_for_to_the_last_row_and_the_last_digit() {
    let s = platform();
    let out = s.json(ADMIN, &["cost:ingest", sample().to_str().unwrap()]);
    let (per_tenant, billed, effective) = expected();
    assert_eq!(out["rows"], 1000);
    let accounted = ["allocated", "unallocated", "skipped"]
        .iter()
        .map(|k| out[k].as_u64().unwrap())
        .sum::<u64>();
    assert_eq!(accounted, 1000, "{out}");
    assert_eq!(
        out["unallocated"].as_u64(),
        Some(per_tenant["unallocated"].0)
    );
    assert_eq!(units_of(&out["billed"]), billed);
    assert_eq!(units_of(&out["effective"]), effective);
    assert_eq!(out["billed"], "20.52022672899");

    let r = report(&s, ADMIN, &[]);
    assert_eq!(units_of(&r["billed"]), billed);
    assert_eq!(units_of(&r["effective"]), effective);
    assert_eq!(r["rows"], 1000);
    let groups: BTreeMap<String, (u64, i128, i128)> = r["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            (
                g["key"][0].as_str().unwrap().to_string(),
                (
                    g["rows"].as_u64().unwrap(),
                    units_of(&g["billed"]),
                    units_of(&g["effective"]),
                ),
            )
        })
        .collect();
    assert_eq!(groups, per_tenant);
    let last = r["groups"].as_array().unwrap().last().unwrap();
    assert_eq!(
        last["key"][0], "unallocated",
        "the unallocated bucket is its own, last line"
    );
    assert_eq!(last["unallocated"], true);
    let top = r["top_services"].as_array().unwrap();
    assert_eq!(top.len(), 5);
    assert_eq!(top[0]["name"], "Amazon Elastic Compute Cloud");
}

#[test]
fn re_ingesting_changes_nothing_and_gz_is_the_same_file_content() {
    let s = platform();
    s.ok(ADMIN, &["cost:ingest", sample().to_str().unwrap()]);
    let before = s.dump();
    let again = s.run(
        ADMIN,
        &[
            "cost:ingest",
            sample().to_str().unwrap(),
            "--output",
            "json",
        ],
    );
    assert_eq!(again.code, 0);
    assert_eq!(
        again.stderr,
        format!(
            "note: `{}` was ingested before; nothing changed\n",
            sample().display()
        )
    );
    let body: Value = serde_json::from_str(&again.stdout).unwrap();
    assert_eq!(body["already_ingested"], true);
    assert_eq!(body["rows"], 1000, "the stored counts are shown again");
    assert_eq!(s.dump(), before);

    // A gzipped copy in a fresh state gives the same totals.
    let t = platform();
    let gz = t.home().join("focus.csv.gz");
    let status = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("gzip -c {} > {}", sample().display(), gz.display()))
        .status()
        .unwrap();
    assert!(status.success());
    let out = t.json(ADMIN, &["cost:ingest", gz.to_str().unwrap()]);
    assert_eq!(out["billed"], "20.52022672899");
    assert_eq!(out["rows"], 1000);
}

/// The same billing data as `.csv` and as `.csv.gz` counts once, whichever comes first; a
/// `.gz` file recorded by its bytes alone (before content hashes) is still known by them.
#[test]
fn the_same_content_compressed_or_not_is_ingested_once() {
    let gzip = |s: &Sandbox| {
        let gz = s.home().join("focus.csv.gz");
        let status = std::process::Command::new("sh")
            .arg("-c")
            .arg(format!("gzip -c {} > {}", sample().display(), gz.display()))
            .status()
            .unwrap();
        assert!(status.success());
        gz.display().to_string()
    };
    let plain = sample().display().to_string();
    for order in [[0, 1], [1, 0]] {
        let s = platform();
        let files = [plain.clone(), gzip(&s)];
        s.ok(ADMIN, &["cost:ingest", &files[order[0]]]);
        let before = s.dump();
        let again = s.run(
            ADMIN,
            &["cost:ingest", &files[order[1]], "--output", "json"],
        );
        assert_eq!(
            again.stderr,
            format!(
                "note: `{}` was ingested before; nothing changed\n",
                files[order[1]]
            )
        );
        let body: Value = serde_json::from_str(&again.stdout).unwrap();
        assert_eq!(body["already_ingested"], true);
        assert_eq!(body["billed"], "20.52022672899");
        assert_eq!(s.dump(), before);
    }
    let s = platform();
    let gz = gzip(&s);
    s.ok(ADMIN, &["cost:ingest", &gz]);
    s.db()
        .execute("UPDATE cost_files SET content_sha256 = NULL", [])
        .unwrap();
    let before = s.dump();
    let again = s.json(ADMIN, &["cost:ingest", &gz]);
    assert_eq!(again["already_ingested"], true);
    assert_eq!(s.dump(), before);
}

#[test]
fn json_lines_of_the_same_rows_give_the_same_totals() {
    let s = platform();
    let mut reader = csv::Reader::from_path(sample()).unwrap();
    let headers = reader.headers().unwrap().clone();
    let mut text = String::new();
    for record in reader.records() {
        let record = record.unwrap();
        let object: serde_json::Map<String, Value> = headers
            .iter()
            .zip(record.iter())
            .map(|(h, v)| {
                (
                    h.to_string(),
                    if v == "NULL" {
                        Value::Null
                    } else {
                        Value::from(v)
                    },
                )
            })
            .collect();
        let mut line = serde_json::to_string(&object).unwrap();
        // Costs as JSON numbers, written exactly as in the CSV (as an exporter would).
        for column in ["BilledCost", "EffectiveCost"] {
            let v = &record[headers.iter().position(|h| h == column).unwrap()];
            line = line.replace(
                &format!("\"{column}\":\"{v}\""),
                &format!("\"{column}\":{v}"),
            );
        }
        text.push_str(&line);
        text.push('\n');
    }
    assert!(
        text.contains("\"BilledCost\":0.00000080000,"),
        "costs are JSON numbers"
    );
    let path = s.home().join("focus.jsonl");
    std::fs::write(&path, text).unwrap();
    let out = s.json(
        ADMIN,
        &["cost:ingest", path.to_str().unwrap(), "--format", "jsonl"],
    );
    let (_, billed, effective) = expected();
    assert_eq!(out["rows"], 1000);
    assert_eq!(units_of(&out["billed"]), billed);
    assert_eq!(units_of(&out["effective"]), effective);
}

/// The sample with line `line` (1-based, header is line 1) changed by `edit`.
fn corrupted(s: &Sandbox, name: &str, line: usize, edit: impl Fn(&[u8]) -> Vec<u8>) -> PathBuf {
    let bytes = std::fs::read(sample()).unwrap();
    let mut lines: Vec<Vec<u8>> = bytes.split(|b| *b == b'\n').map(<[u8]>::to_vec).collect();
    lines[line - 1] = edit(&lines[line - 1]);
    let path = s.home().join(name);
    std::fs::write(&path, lines.join(&b'\n')).unwrap();
    path
}

#[test]
fn corrupted_copies_are_refused_with_their_line_and_nothing_is_stored() {
    let s = platform();
    let before = s.dump();
    let bad_number = corrupted(&s, "bad-number.csv", 501, |l| {
        String::from_utf8_lossy(l)
            .replacen(",0.", ",zero.", 1)
            .into_bytes()
    });
    s.run(ADMIN, &["cost:ingest", bad_number.to_str().unwrap()])
        .assert_error(
            1,
            &format!(
                "{}:501: BilledCost `zero.00000040000`: not a decimal number",
                bad_number.display()
            ),
            Some(HELP_SKIP_BAD),
        );

    let missing = corrupted(&s, "missing.csv", 1, |l| {
        String::from_utf8_lossy(l)
            .replace("\"EffectiveCost\"", "\"Effective\"")
            .into_bytes()
    });
    s.run(ADMIN, &["cost:ingest", missing.to_str().unwrap()])
        .assert_error(
            1,
            &format!(
                "`{}`: no `EffectiveCost` column: not a FOCUS 1.0 file (needs BilledCost, EffectiveCost, ChargePeriodStart, BillingCurrency, ProviderName, RegionId, ServiceName, ResourceId, ConsumedQuantity, ConsumedUnit, Tags)",
                missing.display()
            ),
            None,
        );

    let latin1 = corrupted(&s, "latin1.csv", 700, |l| {
        let mut l = l.to_vec();
        let at = l.len() / 2;
        l.insert(at, 0xe9);
        l
    });
    s.run(ADMIN, &["cost:ingest", latin1.to_str().unwrap()])
        .assert_error(
            1,
            &format!("{}:700: column 27 is not UTF-8", latin1.display()),
            Some(HELP_SKIP_BAD),
        );

    // The first data row is line 2: the header is line 1.
    let first_row = corrupted(&s, "first-row.csv", 2, |l| {
        String::from_utf8_lossy(l)
            .replacen(",0.", ",zero.", 1)
            .into_bytes()
    });
    s.run(ADMIN, &["cost:ingest", first_row.to_str().unwrap()])
        .assert_error(
            1,
            &format!(
                "{}:2: BilledCost `zero.00000080000`: not a decimal number",
                first_row.display()
            ),
            Some(HELP_SKIP_BAD),
        );

    let short = corrupted(&s, "short.csv", 42, |l| {
        let text = String::from_utf8_lossy(l);
        text.rsplit_once(',').unwrap().0.as_bytes().to_vec()
    });
    // Cutting the last field opens a quote that runs to the end of the file.
    s.run(ADMIN, &["cost:ingest", short.to_str().unwrap()])
        .assert_error(
            1,
            &format!(
                "{}:42: a quote out of place or never closed: a field is either quoted whole, its inner quotes doubled, or holds no quote (RFC 4180)",
                short.display()
            ),
            Some(HELP_SKIP_BAD),
        );

    assert_eq!(s.dump(), before, "a refused ingest stored something");

    // With --skip-bad the bad row is counted, listed, and the rest ingested.
    let out = s.run(
        ADMIN,
        &[
            "cost:ingest",
            bad_number.to_str().unwrap(),
            "--skip-bad",
            "--output",
            "json",
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let body: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(body["skipped"], 1);
    assert_eq!(body["skipped_rows"][0]["line"], 501);
    assert_eq!(
        out.stderr,
        format!(
            "warning: {}:501: skipped: BilledCost `zero.00000040000`: not a decimal number\n",
            bad_number.display()
        )
    );
    let stored = body["allocated"].as_u64().unwrap() + body["unallocated"].as_u64().unwrap();
    assert_eq!(stored, 999);
    // The same file again, without --skip-bad: it was ingested, so this is not an error.
    let again = s.run(ADMIN, &["cost:ingest", bad_number.to_str().unwrap()]);
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert_eq!(
        again.stderr,
        format!(
            "note: `{}` was ingested before; nothing changed\n",
            bad_number.display()
        )
    );
}

/// The sample's rows six times over (each copy with its own `Id`s): several megabytes, so
/// the file is cut into chunks that both threads add up.
fn sixfold(s: &Sandbox, name: &str, edit: impl Fn(usize, &[u8]) -> Vec<u8>) -> PathBuf {
    let bytes = std::fs::read(sample()).unwrap();
    let mut lines: Vec<&[u8]> = bytes.split(|b| *b == b'\n').collect();
    while lines.last().is_some_and(|l| l.is_empty()) {
        lines.pop();
    }
    let mut out = lines[0].to_vec();
    out.push(b'\n');
    for copy in 0..6 {
        for (i, line) in lines[1..].iter().enumerate() {
            // Line numbers of the whole file: the header is line 1.
            let number = 2 + copy * (lines.len() - 1) + i;
            let text = String::from_utf8_lossy(line).replacen('"', &format!("\"{copy}-"), 1);
            out.extend(edit(number, text.as_bytes()));
            out.push(b'\n');
        }
    }
    let path = s.home().join(name);
    std::fs::write(&path, out).unwrap();
    path
}

#[test]
fn a_file_of_many_chunks_adds_up_exactly_and_reports_lines_in_order() {
    let s = platform();
    let big = sixfold(&s, "six.csv", |_, l| l.to_vec());
    assert!(std::fs::metadata(&big).unwrap().len() > 4 << 20);
    let out = s.json(ADMIN, &["cost:ingest", big.to_str().unwrap()]);
    let (per_tenant, billed, effective) = expected();
    assert_eq!(out["rows"], 6000);
    assert_eq!(units_of(&out["billed"]), 6 * billed);
    assert_eq!(units_of(&out["effective"]), 6 * effective);
    assert_eq!(
        out["unallocated"].as_u64(),
        Some(6 * per_tenant["unallocated"].0)
    );
    let r = report(&s, ADMIN, &[]);
    for g in r["groups"].as_array().unwrap() {
        let want = &per_tenant[g["key"][0].as_str().unwrap()];
        assert_eq!(g["rows"].as_u64().unwrap(), 6 * want.0, "{g}");
        assert_eq!(units_of(&g["billed"]), 6 * want.1, "{g}");
    }

    // Bad rows in the first and in the last copy: the first one stops the ingest ...
    let bad = |n: usize, l: &[u8]| {
        if n == 502 || n == 5502 {
            String::from_utf8_lossy(l)
                .replacen(",0.", ",zero.", 1)
                .into_bytes()
        } else {
            l.to_vec()
        }
    };
    let s = platform();
    let path = sixfold(&s, "six-bad.csv", bad);
    let before = s.dump();
    s.run(ADMIN, &["cost:ingest", path.to_str().unwrap()])
        .assert_error(
            1,
            &format!(
                "{}:502: BilledCost `zero.00060909750`: not a decimal number",
                path.display()
            ),
            Some(HELP_SKIP_BAD),
        );
    assert_eq!(s.dump(), before);
    // ... one only in the last copy is found there ...
    let path = sixfold(&s, "six-late.csv", |n, l| {
        bad(if n == 502 { 0 } else { n }, l)
    });
    s.run(ADMIN, &["cost:ingest", path.to_str().unwrap()])
        .assert_error(
            1,
            &format!(
                "{}:5502: BilledCost `zero.00060909750`: not a decimal number",
                path.display()
            ),
            Some(HELP_SKIP_BAD),
        );
    assert_eq!(s.dump(), before);
    // ... and --skip-bad lists both, in file order.
    let path = s.home().join("six-bad.csv");
    let body = s.json(
        ADMIN,
        &["cost:ingest", path.to_str().unwrap(), "--skip-bad"],
    );
    assert_eq!(body["skipped"], 2);
    assert_eq!(body["skipped_rows"][0]["line"], 502);
    assert_eq!(body["skipped_rows"][1]["line"], 5502);
    assert_eq!(body["rows"], 6000);
}

#[test]
fn tenants_see_only_their_own_cost_and_csv_cells_are_neutralised() {
    let s = platform();
    s.create("peoria", "us-west-2,us-east-1", "pat@peoria.example");
    s.create("tempe", "us-west-2", "tom@tempe.example");
    // A tag value that a spreadsheet would run as a formula.
    let rigged = corrupted(&s, "rigged.csv", 2, |l| {
        let text = String::from_utf8_lossy(l);
        let base = text.strip_suffix(",NULL").unwrap();
        format!("{base},\"{{\"\"business_unit\"\": \"\"PeoriaData\"\", \"\"application\"\": \"\"=HYPERLINK(1)\"\"}}\"").into_bytes()
    });
    let denied = s.run(
        "pat@peoria.example",
        &["cost:ingest", rigged.to_str().unwrap()],
    );
    assert_eq!(denied.code, 3, "ingesting is a platform admin's job");
    s.ok(ADMIN, &["cost:ingest", rigged.to_str().unwrap()]);

    let own = report(&s, "pat@peoria.example", &[]);
    let keys: Vec<&str> = own["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["key"][0].as_str().unwrap())
        .collect();
    assert_eq!(
        keys,
        ["peoria"],
        "no other tenant and no unallocated bucket"
    );
    let denied = s.run(
        "pat@peoria.example",
        &[
            "cost:report",
            "--from",
            "2024-09-01",
            "--to",
            "2024-09-30",
            "--tenant",
            "tempe",
        ],
    );
    assert_eq!(denied.code, 3);
    assert!(
        !denied.stderr.contains("of `peoria`"),
        "a denial names no other tenant: {}",
        denied.stderr
    );
    denied.assert_error(
        3,
        "denied: `pat@peoria.example` may not run `cost:report` on tenant `tempe`: it needs viewer or tenant-admin of `tempe`; `pat@peoria.example` holds no role for `tempe`",
        Some(HELP_GRANT),
    );

    let csv = s
        .ok(
            ADMIN,
            &[
                "cost:report",
                "--from",
                "2024-09-01",
                "--to",
                "2024-09-30",
                "--by",
                "tenant,service",
                "--output",
                "csv",
            ],
        )
        .stdout;
    assert!(csv.starts_with("tenant,service,billed,effective"), "{csv}");
    assert!(csv.contains("peoria,'=HYPERLINK(1),"), "{csv}");
    assert!(!csv.contains(",=HYPERLINK"), "{csv}");

    let bad = s.run(
        ADMIN,
        &["cost:report", "--from", "September", "--to", "2024-09-30"],
    );
    bad.assert_error(
        1,
        "invalid --from `September`: expected a date such as `2026-11-01`",
        None,
    );
}

/// `--by day`, `week` and `month`: the sample's effective charges per day of its
/// `ChargePeriodStart`, summed here from the CSV itself, in time order; weeks (ISO) and the
/// month add up the same days; with a tenant, each day splits into its tenants.
#[test]
fn cost_over_time_by_day_week_and_month() {
    let s = platform();
    s.ok(ADMIN, &["cost:ingest", sample().to_str().unwrap()]);
    let mut reader = csv::Reader::from_path(sample()).unwrap();
    let headers = reader.headers().unwrap().clone();
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (start, e) = (col("ChargePeriodStart"), col("EffectiveCost"));
    let category = col("ChargeCategory");
    let mut per_day: BTreeMap<String, i128> = BTreeMap::new();
    for record in reader.records() {
        let record = record.unwrap();
        // The charges: a credit is the report's line of its own.
        let charge = if &record[category] == "Credit" {
            0
        } else {
            units(&record[e])
        };
        *per_day.entry(record[start][..10].to_string()).or_default() += charge;
    }
    let keyed = |r: &Value| -> Vec<(String, i128)> {
        r["groups"]
            .as_array()
            .unwrap()
            .iter()
            .map(|g| {
                (
                    g["key"][0].as_str().unwrap().to_string(),
                    units_of(&g["effective"]),
                )
            })
            .collect()
    };
    let by_day = keyed(&report(&s, ADMIN, &["--by", "day"]));
    assert_eq!(by_day, per_day.clone().into_iter().collect::<Vec<_>>());
    let mut per_week: BTreeMap<String, i128> = BTreeMap::new();
    for (day, amount) in &per_day {
        let week = day.parse::<jiff::civil::Date>().unwrap().iso_week_date();
        *per_week
            .entry(format!("{}-W{:02}", week.year(), week.week()))
            .or_default() += amount;
    }
    let by_week = keyed(&report(&s, ADMIN, &["--by", "week"]));
    assert_eq!(by_week, per_week.into_iter().collect::<Vec<_>>());
    assert_eq!(by_week[0].0, "2024-W35", "2024-09-01 is a Sunday");
    let total: i128 = per_day.values().sum();
    assert_eq!(
        keyed(&report(&s, ADMIN, &["--by", "month"])),
        [("2024-09".to_string(), total)]
    );
    // Day then tenant: every day's groups add up to that day.
    let split = report(&s, ADMIN, &["--by", "day,tenant"]);
    let mut summed: BTreeMap<String, i128> = BTreeMap::new();
    for g in split["groups"].as_array().unwrap() {
        *summed
            .entry(g["key"][0].as_str().unwrap().to_string())
            .or_default() += units_of(&g["effective"]);
    }
    assert_eq!(summed, per_day);
    // A cost per request is exact money, a decimal string like every amount.
    let mut priced = 0;
    for g in report(&s, ADMIN, &["--by", "service"])["groups"]
        .as_array()
        .unwrap()
    {
        let requests = units_of(&g["requests"]);
        if requests == 0 {
            assert!(g["cost_per_request"].is_null(), "{g}");
            continue;
        }
        priced += 1;
        let scaled = units_of(&g["effective"]) * 1_000_000_000_000;
        let (q, r) = (scaled / requests, scaled % requests);
        let expected = q + if 2 * r.abs() >= requests.abs() {
            scaled.signum() * requests.signum()
        } else {
            0
        };
        assert_eq!(units_of(&g["cost_per_request"]), expected, "{g}");
    }
    assert!(priced > 0, "no group with requests in the sample");
}

/// Credits (FOCUS `ChargeCategory` `Credit`) are a line of their own: the groups are the
/// charges, their shares add up to 100 and none passes it, and charges plus credits are what
/// was paid. The credit rows are summed here from the sample with the csv crate.
#[test]
fn credits_are_a_line_of_their_own_and_shares_are_of_the_charges() {
    let s = platform();
    s.ok(ADMIN, &["cost:ingest", sample().to_str().unwrap()]);
    let mut reader = csv::Reader::from_path(sample()).unwrap();
    let headers = reader.headers().unwrap().clone();
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (category, billed, effective) = (
        col("ChargeCategory"),
        col("BilledCost"),
        col("EffectiveCost"),
    );
    let (mut credit_billed, mut credit_effective) = (0i128, 0i128);
    for row in reader.records() {
        let row = row.unwrap();
        if &row[category] == "Credit" {
            credit_billed += units(&row[billed]);
            credit_effective += units(&row[effective]);
        }
    }
    assert!(credit_effective < 0, "the sample has a credit");
    let by_tenant = [
        "cost:report",
        "--from",
        "2024-09-01",
        "--to",
        "2024-09-30",
        "--by",
        "tenant",
    ];
    let r = s.json(ADMIN, &by_tenant);
    let amount = |v: &Value| units(v.as_str().unwrap());
    assert_eq!(amount(&r["credits"]["billed"]), credit_billed);
    assert_eq!(amount(&r["credits"]["effective"]), credit_effective);
    let groups = r["groups"].as_array().unwrap();
    assert!(groups.len() > 1, "{r:#}");
    let charges: i128 = groups.iter().map(|g| amount(&g["effective"])).sum();
    assert_eq!(charges + credit_effective, amount(&r["effective"]));
    let billed_charges: i128 = groups.iter().map(|g| amount(&g["billed"])).sum();
    assert_eq!(billed_charges + credit_billed, amount(&r["billed"]));
    let shares: Vec<f64> = groups
        .iter()
        .map(|g| g["share"].as_f64().unwrap())
        .collect();
    assert!(shares.iter().all(|&p| p <= 100.0), "{shares:?}");
    let sum: f64 = shares.iter().sum();
    assert!(
        (sum - 100.0).abs() <= 0.05 * shares.len() as f64,
        "{shares:?} add up to {sum}"
    );
    let table = s.ok(ADMIN, &by_tenant).stdout;
    let line = table
        .lines()
        .find(|l| l.starts_with("credits "))
        .unwrap_or_else(|| panic!("no credits line:\n{table}"));
    assert!(
        line.contains(r["credits"]["effective"].as_str().unwrap()),
        "{line}"
    );
}

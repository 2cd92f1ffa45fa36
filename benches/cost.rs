//! Cost benchmarks, whole process (the real binary, a fresh state per sample):
#![allow(clippy::print_stdout, clippy::unwrap_used)]
//!
//! (a) `cost:ingest` of a generated monthly FOCUS export of 1,000,000 rows (the real sample's
//!     44 columns and rows, cycled, over the 30 days of a month and 1,000 tenants: ~33 rows
//!     per tenant and day, as hourly billing lines are), against DuckDB (`pip install duckdb`)
//!     reading the same file with `read_csv` and the same GROUP BY, in the same run. Goal:
//!     ≥ 500,000 rows/s. Peak RSS at 250k, 500k and 1M rows of the same month (flat).
//! (b) `cost:report` over one year × 1,000 tenants of daily rollups. Goal: ≤ 50 ms.
//!
//! `cargo bench --bench cost`; results go to BENCHMARKS.md by hand (machine, date, figures).

mod common;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const CONFIG: &str = "[cost]\ntenant_tag = \"business_unit\"\nservice_tag = \"application\"\nenv_tag = \"environment\"\n";

fn sample() -> Vec<csv::ByteRecord> {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/focus/focus_sample_1000.csv");
    let mut reader = csv::Reader::from_path(path).unwrap();
    reader.byte_records().map(|r| r.unwrap()).collect()
}

/// `rows` FOCUS rows: the sample's rows cycled, spread evenly over `days` days from
/// 2025-01-01, tags over `tenants` tenants.
fn generate(path: &Path, rows: usize, tenants: usize, days: usize) {
    let source =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/focus/focus_sample_1000.csv");
    let headers = csv::Reader::from_path(&source)
        .unwrap()
        .byte_headers()
        .unwrap()
        .clone();
    let col = |name: &str| headers.iter().position(|h| h == name.as_bytes()).unwrap();
    let (start, id, tags) = (col("ChargePeriodStart"), col("Id"), col("Tags"));
    let records = sample();
    let mut out = csv::Writer::from_path(path).unwrap();
    out.write_byte_record(&headers).unwrap();
    let first = jiff::civil::date(2025, 1, 1);
    for i in 0..rows {
        let base = &records[i % records.len()];
        let day = first
            .checked_add(jiff::Span::new().days((i * days / rows) as i64))
            .unwrap();
        let mut row = csv::ByteRecord::new();
        for (c, field) in base.iter().enumerate() {
            if c == start {
                row.push_field(format!("{day} 00:00:00").as_bytes());
            } else if c == id {
                row.push_field(i.to_string().as_bytes());
            } else if c == tags {
                row.push_field(
                    format!(
                        "{{\"business_unit\": \"tenant-{}\", \"application\": \"app-{}\", \"environment\": \"prod\"}}",
                        i % tenants,
                        i % 20
                    )
                    .as_bytes(),
                );
            } else {
                row.push_field(field);
            }
        }
        out.write_byte_record(&row).unwrap();
    }
    out.flush().unwrap();
}

fn fresh_home(bin: &Path) -> tempfile::TempDir {
    let home = tempfile::tempdir().unwrap();
    std::fs::write(home.path().join("maestro.toml"), CONFIG).unwrap();
    let status = Command::new(bin)
        .arg("init")
        .env("MAESTRO_HOME", home.path())
        .env("MAESTRO_CONFIG", home.path().join("maestro.toml"))
        .env("MAESTRO_ACTOR", "bench@example.com")
        .stdout(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    home
}

/// Runs maestro-cli under `/usr/bin/time`: (wall time, peak RSS in KiB).
fn timed(bin: &Path, home: &Path, args: &[&str]) -> (Duration, u64) {
    let start = Instant::now();
    let out = Command::new("/usr/bin/time")
        .args(["-f", "%M"])
        .arg(bin)
        .args(args)
        .env("MAESTRO_HOME", home)
        .env("MAESTRO_CONFIG", home.join("maestro.toml"))
        .env("MAESTRO_ACTOR", "bench@example.com")
        .stdout(Stdio::null())
        .output()
        .unwrap();
    let took = start.elapsed();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rss = String::from_utf8_lossy(&out.stderr)
        .lines()
        .last()
        .and_then(|l| l.trim().parse().ok())
        .unwrap_or(0);
    (took, rss)
}

fn duckdb(file: &Path) -> Option<Duration> {
    let script = format!(
        "import duckdb, time\nt = time.time()\nduckdb.sql(\"\"\"SELECT CAST(ChargePeriodStart AS DATE) AS day, json_extract_string(Tags, '$.business_unit') AS tenant, json_extract_string(Tags, '$.application') AS service, json_extract_string(Tags, '$.environment') AS env, RegionId, ProviderName, sum(BilledCost), sum(EffectiveCost), count(*) FROM read_csv('{}') GROUP BY ALL\"\"\").fetchall()\nprint(time.time() - t)\n",
        file.display()
    );
    let start = Instant::now();
    let out = Command::new("python3")
        .arg("-c")
        .arg(script)
        .output()
        .ok()?;
    let took = start.elapsed();
    out.status.success().then_some(took)
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    let bin = common::binary();
    let bin = bin.as_path();
    let dir = tempfile::tempdir().unwrap();

    // (a) ingest: RSS at three sizes, then time and compare at 1M.
    for rows in [250_000usize, 500_000, 1_000_000] {
        let file = dir.path().join(format!("focus-{rows}.csv"));
        generate(&file, rows, 1000, 30);
        let mb = std::fs::metadata(&file).unwrap().len() as f64 / (1 << 20) as f64;
        let mut times = Vec::new();
        let mut rss = 0;
        let samples = if rows == 1_000_000 { 3 } else { 1 };
        for _ in 0..samples {
            let home = fresh_home(bin);
            let (t, r) = timed(
                bin,
                home.path(),
                &["--quiet", "cost:ingest", file.to_str().unwrap()],
            );
            times.push(t);
            rss = rss.max(r);
        }
        let t = median(times);
        print!(
            "ingest {rows} rows ({mb:.0} MB): {:.2} s = {:.0} rows/s, peak RSS {:.1} MiB",
            t.as_secs_f64(),
            rows as f64 / t.as_secs_f64(),
            rss as f64 / 1024.0
        );
        if rows == 1_000_000 {
            match duckdb(&file) {
                Some(d) => print!("; DuckDB read_csv + GROUP BY: {:.2} s", d.as_secs_f64()),
                None => print!("; DuckDB not installed (pip install duckdb)"),
            }
        }
        println!();
        std::fs::remove_file(&file).unwrap();
    }

    // (b) a year of daily rollups for 1,000 tenants, then reports.
    let file = dir.path().join("year.csv");
    generate(&file, 365_000, 1000, 365);
    let home = fresh_home(bin);
    timed(
        bin,
        home.path(),
        &["--quiet", "cost:ingest", file.to_str().unwrap()],
    );
    for by in ["tenant", "tenant,service"] {
        let mut times = Vec::new();
        for _ in 0..9 {
            let (t, _) = timed(
                bin,
                home.path(),
                &[
                    "cost:report",
                    "--from",
                    "2025-01-01",
                    "--to",
                    "2025-12-31",
                    "--by",
                    by,
                    "--output",
                    "json",
                ],
            );
            times.push(t);
        }
        println!(
            "cost:report --by {by} over 365 days x 1000 tenants: {:.1} ms (median of 9, whole process)",
            median(times).as_secs_f64() * 1000.0
        );
    }
}

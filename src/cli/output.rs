//! Rendering: the only place that writes to stdout. stdout is data (table, JSON, CSV);
//! notes, warnings and errors go to stderr.

use std::io::{IsTerminal, Write};

use clap::ValueEnum;
use comfy_table::{ContentArrangement, presets};
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// Aligned columns for people.
    Table,
    /// Stable JSON for scripts (shapes documented in docs/guide.md).
    Json,
    /// RFC 4180 CSV with a header row; formula-like cells neutralised.
    Csv,
}

/// Rows for `table` and `csv`.
pub struct Table {
    pub headers: Vec<&'static str>,
    pub rows: Vec<Vec<String>>,
    /// One record shown as `FIELD  VALUE` lines in table format.
    pub vertical: bool,
}

impl Table {
    pub fn new(headers: Vec<&'static str>) -> Table {
        Table {
            headers,
            rows: Vec::new(),
            vertical: false,
        }
    }

    /// A single record: one row, shown vertically as a table.
    pub fn record(pairs: Vec<(&'static str, String)>) -> Table {
        let (headers, row): (Vec<_>, Vec<_>) = pairs.into_iter().unzip();
        Table {
            headers,
            rows: vec![row],
            vertical: true,
        }
    }

    pub fn push(&mut self, row: Vec<String>) {
        self.rows.push(row);
    }
}

#[derive(Debug, Clone, Copy)]
pub struct Printer {
    pub format: OutputFormat,
    pub quiet: bool,
}

impl Printer {
    /// Prints `value` as JSON, or the table built by `table` as a table or CSV.
    pub fn data<T: Serialize>(
        &self,
        value: &T,
        table: impl FnOnce() -> Table,
    ) -> anyhow::Result<()> {
        let text = match self.format {
            OutputFormat::Json => serde_json::to_string_pretty(value)? + "\n",
            OutputFormat::Table => render_table(&table()),
            OutputFormat::Csv => render_csv(&table()),
        };
        write_stdout(&text)
    }

    /// Prints text as it is (e.g. YAML manifests).
    pub fn raw(&self, text: &str) -> anyhow::Result<()> {
        write_stdout(text)
    }

    /// A note for people on stderr, silenced by `--quiet`.
    pub fn note(&self, message: &str) {
        if !self.quiet {
            // A closed stderr (`2>&1 | head`) must not stop the command.
            let _ = writeln!(std::io::stderr().lock(), "{message}");
        }
    }
}

fn write_stdout(text: &str) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        // `maestro-cli tenant:list | head -1` is not an error.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => Ok(other?),
    }
}

fn render_table(table: &Table) -> String {
    let mut t = comfy_table::Table::new();
    t.load_style(presets::NOTHING)
        .set_content_arrangement(ContentArrangement::Disabled);
    if table.vertical {
        if let Some(row) = table.rows.first() {
            for (h, v) in table.headers.iter().zip(row) {
                t.add_row(vec![h.to_uppercase(), v.clone()]);
            }
        }
    } else {
        t.set_header(table.headers.iter().map(|h| h.to_uppercase()));
        for row in &table.rows {
            t.add_row(row.clone());
        }
    }
    let text = t.to_string();
    // comfy-table pads every line; trailing spaces help no one.
    let mut out: String = text
        .lines()
        .map(|l| l.trim_end().trim_start_matches(' '))
        .collect::<Vec<_>>()
        .join("\n");
    out.push('\n');
    out
}

fn render_csv(table: &Table) -> String {
    let mut out = String::new();
    let line = |cells: &mut dyn Iterator<Item = &str>, out: &mut String| {
        let cells: Vec<String> = cells.map(csv_cell).collect();
        out.push_str(&cells.join(","));
        out.push_str("\r\n");
    };
    line(&mut table.headers.iter().copied(), &mut out);
    for row in &table.rows {
        line(&mut row.iter().map(String::as_str), &mut out);
    }
    out
}

/// Quotes a CSV cell when needed and neutralises cells a spreadsheet would run as a
/// formula (leading `= + - @`, tab or CR) by prefixing `'`.
pub fn csv_cell(value: &str) -> String {
    let value = if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_string()
    };
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value
    }
}

/// Whether stderr gets colour: a terminal, and `NO_COLOR` unset or empty.
pub fn stderr_color() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// Prints an error (and its help line) on stderr, as text or as one JSON object.
pub fn report_error(err: &anyhow::Error, help: Option<&str>, code: u8, json: bool) {
    let mut stderr = std::io::stderr().lock();
    if json {
        let causes: Vec<String> = err.chain().skip(1).map(|c| c.to_string()).collect();
        let body = serde_json::json!({
            "error": {"message": err.to_string(), "causes": causes, "help": help, "exit_code": code}
        });
        let _ = writeln!(stderr, "{body}");
        return;
    }
    let (red, yellow, reset) = if stderr_color() {
        ("\x1b[1;31m", "\x1b[1;33m", "\x1b[0m")
    } else {
        ("", "", "")
    };
    let _ = writeln!(stderr, "{red}error{reset}: {err}");
    let mut causes = err.chain().skip(1).peekable();
    if causes.peek().is_some() {
        let _ = writeln!(stderr, "\nCaused by:");
        for cause in causes {
            let _ = writeln!(stderr, "    {cause}");
        }
    }
    if let Some(help) = help {
        let _ = writeln!(stderr, "{yellow}help{reset}: {help}");
    }
}

/// One detection as a JSON line on stderr (its `"alert"` field names the rule): the alert log
/// a cron job mails or a collector ships. Never silenced by `--quiet`.
pub fn alert_line(alert: &crate::store::AlertRow) {
    #[derive(Serialize)]
    struct Line<'a> {
        alert: &'a str,
        level: &'a str,
        title: &'a str,
        at: &'a str,
        host: &'a str,
        program: &'a str,
        pid: Option<i64>,
        user: Option<&'a str>,
        src_ip: Option<&'a str>,
        count: i64,
        tenant_id: Option<&'a str>,
        file: &'a str,
        line: i64,
    }
    let line = Line {
        alert: &alert.rule,
        level: &alert.level,
        title: &alert.title,
        at: &alert.at,
        host: &alert.host,
        program: &alert.program,
        pid: alert.pid,
        user: alert.user.as_deref(),
        src_ip: alert.src_ip.as_deref(),
        count: alert.count,
        tenant_id: alert.tenant_id.as_deref(),
        file: &alert.file,
        line: alert.line,
    };
    if let Ok(text) = serde_json::to_string(&line) {
        let _ = writeln!(std::io::stderr().lock(), "{text}");
    }
}

/// A bar over the bytes of `path`, on a terminal only (and not with `--quiet`).
pub fn file_progress(printer: &Printer, path: &std::path::Path) -> crate::model::progress::Sink {
    if printer.quiet || !std::io::stderr().is_terminal() {
        return None;
    }
    let len = std::fs::metadata(path).ok()?.len();
    let bar = indicatif::ProgressBar::new(len);
    if let Ok(style) = indicatif::ProgressStyle::with_template(
        "{bar:40} {bytes}/{total_bytes} {bytes_per_sec} eta {eta}",
    ) {
        bar.set_style(style);
    }
    Some(Box::new(Bar(bar)))
}

/// A file's progress bar on the terminal.
struct Bar(indicatif::ProgressBar);

impl crate::model::progress::Progress for Bar {
    fn advance(&self, units: u64) {
        self.0.inc(units);
    }

    fn finish(&self) {
        self.0.finish_and_clear();
    }
}

/// The notes of an ingest: the file was ingested before, and each row left out by
/// `--skip-bad` (`file:line: skipped: why`).
pub fn ingest_notes(
    printer: &Printer,
    file: &str,
    already: bool,
    skipped: &[crate::cost::Skipped],
) {
    if already {
        printer.note(&format!(
            "note: `{file}` was ingested before; nothing changed"
        ));
    }
    for s in skipped {
        printer.note(&format!(
            "warning: {file}:{}: skipped: {}",
            s.line, s.problem
        ));
    }
}

/// A problem a check found (exit 4): one line on stderr, never silenced by `--quiet`.
pub fn report_problem(message: &str) {
    let (red, reset) = if stderr_color() {
        ("\x1b[1;31m", "\x1b[0m")
    } else {
        ("", "")
    };
    let _ = writeln!(std::io::stderr().lock(), "{red}problem{reset}: {message}");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_cells_are_quoted_and_neutralised() {
        assert_eq!(csv_cell("plain"), "plain");
        assert_eq!(csv_cell("a,b"), "\"a,b\"");
        assert_eq!(csv_cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_cell("=1+1"), "'=1+1");
        assert_eq!(csv_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_cell("-2,3"), "\"'-2,3\"");
    }

    #[test]
    fn tables_have_no_trailing_spaces() {
        let mut t = Table::new(vec!["id", "name"]);
        t.push(vec!["a".into(), "Alpha".into()]);
        t.push(vec!["bb".into(), "B".into()]);
        let text = render_table(&t);
        assert!(text.lines().all(|l| !l.ends_with(' ')), "{text:?}");
        assert!(text.starts_with("ID"), "{text:?}");
    }
}

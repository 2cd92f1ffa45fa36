//! Rendering: the only place that writes to stdout. stdout is data (table, JSON, CSV);
//! notes, warnings and errors go to stderr.

use std::borrow::Cow;
use std::io::{IsTerminal, Write};

use anstyle::{AnsiColor, Style};
use clap::ValueEnum;
use comfy_table::{ContentArrangement, presets};
use serde::Serialize;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

pub use progress::{count_progress, file_progress, stage_progress};
pub use redirect::{capture, relocating};
use redirect::{relocated, write_stdout};

mod humane;
mod progress;
mod redirect;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// Aligned columns for people, cut to the terminal's width (`$COLUMNS`) with `…`.
    Table,
    /// The same, every cell whole however wide.
    Wide,
    /// Stable JSON for scripts (shapes documented in docs/guide.md).
    Json,
    /// RFC 4180 CSV with a header row; formula-like cells neutralised.
    Csv,
}

impl OutputFormat {
    /// Whether it is a table for people (`table` or `wide`).
    pub fn is_table(self) -> bool {
        matches!(self, OutputFormat::Table | OutputFormat::Wide)
    }
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
    /// Tables without their header row (`--no-headers`).
    pub no_headers: bool,
    /// The width `table` cuts its lines to: `$COLUMNS`, else the terminal's; none when
    /// stdout is not a terminal.
    pub width: Option<usize>,
    /// A dry run's rehearsal: notes say so.
    pub dry_run: bool,
    /// The time a `table` shows instants against ("5m ago"); none: instants as they are.
    pub now: Option<jiff::Timestamp>,
}

impl Printer {
    /// A printer of tables for people, as `--output` defaults.
    pub fn plain() -> Printer {
        Printer {
            format: OutputFormat::Table,
            quiet: false,
            no_headers: false,
            width: None,
            dry_run: false,
            now: None,
        }
    }
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
            OutputFormat::Table => {
                let mut t = table();
                if let (Some(now), false) = (self.now, t.vertical) {
                    humane::humane(&mut t.rows, now);
                }
                render_table(&t, self.no_headers, self.width)
            }
            OutputFormat::Wide => render_table(&table(), self.no_headers, None),
            OutputFormat::Csv => render_csv(&table()),
        };
        write_stdout(&text)
    }

    /// Prints text as it is (e.g. YAML manifests).
    pub fn raw(&self, text: &str) -> anyhow::Result<()> {
        write_stdout(text)
    }

    /// A note for people on stderr (one line, see [`for_terminal`]), silenced by `--quiet`.
    pub fn note(&self, message: &str) {
        if !self.quiet {
            let message = relocated(message);
            // In a rehearsal the mark goes after a note's own `note:` or `warning:`.
            let (kind, rest) = match message.split_once(": ") {
                Some((k @ ("note" | "warning"), rest)) => (format!("{k}: "), rest),
                _ => (String::new(), &*message),
            };
            let rehearsed = if self.dry_run { "dry run: " } else { "" };
            // A closed stderr (`2>&1 | head`) must not stop the command.
            let _ = writeln!(
                std::io::stderr().lock(),
                "{kind}{rehearsed}{}",
                for_terminal(rest, false)
            );
        }
    }
}

/// How `error:` and `problem:`, and `help:`, look on a terminal that takes colour.
const ERROR_STYLE: Style = AnsiColor::Red.on_default().bold();
const HELP_STYLE: Style = AnsiColor::Yellow.on_default().bold();

/// `style` where stderr takes colour, else the plain style (which prints nothing).
fn styled(style: Style) -> Style {
    if stderr_color() { style } else { Style::new() }
}

/// The narrowest a column is cut to.
const NARROWEST: usize = 8;

fn render_table(table: &Table, no_headers: bool, width: Option<usize>) -> String {
    let mut t = comfy_table::Table::new();
    t.load_style(presets::NOTHING)
        .set_content_arrangement(ContentArrangement::Disabled);
    if table.vertical {
        if let Some(row) = table.rows.first() {
            let names = table.headers.iter().map(|h| h.len()).max().unwrap_or(0);
            let room = width.map(|w| w.saturating_sub(names + 2).max(NARROWEST));
            for (h, v) in table.headers.iter().zip(row) {
                t.add_row(vec![h.to_uppercase(), cut(&for_terminal(v, false), room)]);
            }
        }
    } else {
        let headers: Vec<String> = table.headers.iter().map(|h| h.to_uppercase()).collect();
        let cells: Vec<Vec<String>> = table
            .rows
            .iter()
            .map(|row| {
                row.iter()
                    .map(|c| for_terminal(c, false).into_owned())
                    .collect()
            })
            .collect();
        let mut widths: Vec<usize> = headers
            .iter()
            .map(|h| if no_headers { 0 } else { h.width() })
            .collect();
        for row in &cells {
            for (w, c) in widths.iter_mut().zip(row) {
                *w = (*w).max(c.width());
            }
        }
        if let Some(limit) = width {
            fit(&mut widths, limit);
        }
        if !no_headers {
            t.set_header(headers.iter().zip(&widths).map(|(h, w)| cut(h, Some(*w))));
        }
        for row in &cells {
            t.add_row(row.iter().zip(&widths).map(|(c, w)| cut(c, Some(*w))));
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

/// Narrows `widths` (columns two spaces apart) until a line fits in `limit`: the widest
/// column after the first is cut first (the first holds what a row is: an id, a name), down
/// to [`NARROWEST`]; then the first.
fn fit(widths: &mut [usize], limit: usize) {
    let total = |w: &[usize]| w.iter().sum::<usize>() + 2 * w.len().saturating_sub(1);
    while total(widths) > limit {
        let widest = |from: usize| {
            (from..widths.len())
                .filter(|&i| widths[i] > NARROWEST)
                .max_by_key(|&i| (widths[i], std::cmp::Reverse(i)))
        };
        let Some(i) = widest(1).or_else(|| widest(0)) else {
            return;
        };
        // Down to the next widest column, or by what is too much, whichever is less.
        let next = (0..widths.len())
            .filter(|&j| j != i && widths[j] < widths[i])
            .map(|j| widths[j])
            .max()
            .unwrap_or(0);
        let excess = total(widths) - limit;
        widths[i] = widths[i]
            .saturating_sub(excess)
            .max(next)
            .max(NARROWEST)
            .min(widths[i] - 1);
    }
}

/// `text` cut to `width` columns, its last one `…`, when it is wider.
fn cut(text: &str, width: Option<usize>) -> String {
    match width {
        Some(w) if text.width() > w => {
            let mut out = String::new();
            let mut used = 0;
            for c in text.chars() {
                let cw = c.width().unwrap_or(0);
                if used + cw + 1 > w {
                    break;
                }
                out.push(c);
                used += cw;
            }
            out.push('…');
            out
        }
        _ => text.to_string(),
    }
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

/// The longest line of a message, note or table cell shown whole: a longer one (a 100 MB
/// one-line input quoted back) is cut, saying how much was left out.
pub const MAX_LINE: usize = 1000;

/// `text` as it may reach a terminal: control characters (ESC, CR, NUL, DEL, the C1 set) and
/// the bidirectional overrides shown as escapes (`\e`, `\r`, `\0`, `\x7f`, `\u{202e}`),
/// line breaks too unless `keep_lines` (they come from a value and could forge a line such
/// as `help: ...`), and every line over [`MAX_LINE`] characters cut.
pub fn for_terminal(text: &str, keep_lines: bool) -> Cow<'_, str> {
    let unsafe_char = |c: char| {
        (c.is_control() && c != '\t' && !(keep_lines && c == '\n'))
            || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    };
    let long = text.len() > MAX_LINE && text.split('\n').any(|l| l.chars().count() > MAX_LINE);
    if !long && !text.contains(unsafe_char) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len().min(4 * MAX_LINE));
    let mut shown = 0usize;
    let mut cut = 0usize;
    let end_line = |out: &mut String, shown: &mut usize, cut: &mut usize| {
        if *cut > 0 {
            out.push_str(&format!("… ({} more characters)", *cut));
        }
        (*shown, *cut) = (0, 0);
    };
    for c in text.chars() {
        if keep_lines && c == '\n' {
            end_line(&mut out, &mut shown, &mut cut);
            out.push('\n');
            continue;
        }
        if shown >= MAX_LINE {
            cut += 1;
            continue;
        }
        shown += 1;
        match c {
            _ if !unsafe_char(c) => out.push(c),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\0' => out.push_str("\\0"),
            '\x1b' => out.push_str("\\e"),
            c if (c as u32) < 0x80 => out.push_str(&format!("\\x{:02x}", c as u32)),
            c => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
        }
    }
    end_line(&mut out, &mut shown, &mut cut);
    Cow::Owned(out)
}

/// Prints an error (and its help line) on stderr, as text or as one JSON object. As text,
/// every part passes [`for_terminal`]: only a `multiline` message keeps its line breaks.
pub fn report_error(
    err: &anyhow::Error,
    help: Option<&str>,
    code: u8,
    json: bool,
    multiline: bool,
) {
    let mut stderr = std::io::stderr().lock();
    if json {
        // JSON escapes control characters itself; only the length is capped.
        let cap = |text: String| -> String {
            match text.char_indices().nth(4 * MAX_LINE) {
                Some((at, _)) => format!("{}… ({} more bytes)", &text[..at], text.len() - at),
                None => text,
            }
        };
        let causes: Vec<String> = err.chain().skip(1).map(|c| cap(c.to_string())).collect();
        let body = serde_json::json!({
            "error": {"message": cap(err.to_string()), "causes": causes, "help": help, "exit_code": code}
        });
        let _ = writeln!(stderr, "{body}");
        return;
    }
    let (red, yellow) = (styled(ERROR_STYLE), styled(HELP_STYLE));
    let message = err.to_string();
    let _ = writeln!(
        stderr,
        "{red}error{red:#}: {}",
        for_terminal(&message, multiline)
    );
    // A cause the message already quotes (`cannot read `x`: {source}`) is not said twice.
    let mut said = message;
    let causes: Vec<String> = err
        .chain()
        .skip(1)
        .map(|c| c.to_string())
        .filter(|c| {
            // SQLite's own error repeats its message after its code.
            let text = c
                .strip_prefix("Error code ")
                .and_then(|rest| rest.split_once(": "))
                .map_or(c.as_str(), |(_, message)| message);
            let new = !said.contains(text);
            said.push_str(c);
            new
        })
        .collect();
    if !causes.is_empty() {
        let _ = writeln!(stderr, "\nCaused by:");
        for cause in causes {
            let _ = writeln!(stderr, "    {}", for_terminal(&cause, false));
        }
    }
    if let Some(help) = help {
        let _ = writeln!(
            stderr,
            "{yellow}help{yellow:#}: {}",
            for_terminal(help, false)
        );
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
    problem_lines(message, false);
}

/// A problem laid out on several lines (a template's problem with its source line and caret).
pub fn report_problem_lines(message: &str) {
    problem_lines(message, true);
}

fn problem_lines(message: &str, keep_lines: bool) {
    let red = styled(ERROR_STYLE);
    let _ = writeln!(
        std::io::stderr().lock(),
        "{red}problem{red:#}: {}",
        for_terminal(message, keep_lines)
    );
}

#[cfg(test)]
mod tests {
    #[test]
    fn control_characters_are_escaped_and_long_lines_cut() {
        let long = "x".repeat(MAX_LINE + 5);
        let cases: &[(&str, bool, String)] = &[
            ("plain `acme`", false, "plain `acme`".into()),
            ("a\tb", false, "a\tb".into()),
            ("x\nhelp: forged", false, "x\\nhelp: forged".into()),
            ("x\nhelp: kept", true, "x\nhelp: kept".into()),
            ("\x1b[31mred\r\0\x7f", false, "\\e[31mred\\r\\0\\x7f".into()),
            (
                "\u{9b}31m \u{202e}evil",
                false,
                "\\u{9b}31m \\u{202e}evil".into(),
            ),
            (
                &long,
                false,
                format!("{}… (5 more characters)", "x".repeat(MAX_LINE)),
            ),
            (
                &format!("{long}\nshort"),
                true,
                format!("{}… (5 more characters)\nshort", "x".repeat(MAX_LINE)),
            ),
        ];
        for (input, keep, want) in cases {
            assert_eq!(
                super::for_terminal(input, *keep),
                want.as_str(),
                "{input:?}"
            );
        }
    }

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
        let text = render_table(&t, false, None);
        assert!(text.lines().all(|l| !l.ends_with(' ')), "{text:?}");
        assert!(text.starts_with("ID"), "{text:?}");
    }

    #[test]
    fn wide_tables_are_cut_to_the_width_widest_column_first() {
        let mut t = Table::new(vec!["id", "status", "details"]);
        t.push(vec!["acme".into(), "active".into(), "x".repeat(200)]);
        t.push(vec![
            "a-much-longer-id".into(),
            "deleted".into(),
            "short".into(),
        ]);
        let text = render_table(&t, false, Some(50));
        assert!(text.lines().all(|l| l.chars().count() <= 50), "{text}");
        // The first column (what a row is) and the narrow one stay whole.
        assert!(text.contains("a-much-longer-id  deleted"), "{text}");
        assert!(text.lines().nth(1).unwrap().ends_with("xxx…"), "{text}");
        let mut widths = vec![40, 30, 30];
        fit(&mut widths, 50);
        assert_eq!(widths.iter().sum::<usize>() + 4, 50, "{widths:?}");
        assert!(widths[0] >= widths[1] && widths[1] >= 8, "{widths:?}");
        assert_eq!(cut("naïve café", Some(6)), "naïve…");
        assert_eq!(cut("short", Some(6)), "short");
        assert_eq!(
            render_table(&t, true, None)
                .lines()
                .next()
                .unwrap()
                .split_whitespace()
                .next(),
            Some("acme")
        );
    }
}

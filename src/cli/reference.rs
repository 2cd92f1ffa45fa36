//! `docs/reference.md`, the command reference, generated from the clap definition: every
//! command's full `--help`. A test keeps the committed file current; after changing a
//! command, refresh it with `MAESTRO_BLESS=1 cargo test --lib cli::reference`.

use clap::{Command, CommandFactory};

use super::Cli;

const PREAMBLE: &str = "\
# Command reference

Generated from the command-line definition (`src/cli/`) by `src/cli/reference.rs`; a test
fails when it is stale. Refresh it with `MAESTRO_BLESS=1 cargo test --lib cli::reference`.
Every command below is also `maestro-cli COMMAND --help`. Exit codes and the JSON conventions
are in the [README](../README.md#exit-codes) and the [guide](guide.md#json-output).
";

/// The whole reference, in Markdown.
pub fn markdown() -> String {
    let mut top = Cli::command().term_width(100);
    top.build();
    let mut out = String::from(PREAMBLE);
    out.push_str("\n## Commands\n\n");
    for sub in top.get_subcommands().filter(|s| listed(s)) {
        let about = sub.get_about().map(|a| a.to_string()).unwrap_or_default();
        out.push_str(&format!(
            "- [`{}`](#{}): {about}\n",
            sub.get_name(),
            anchor(sub.get_name())
        ));
    }
    out.push_str("\n## `maestro-cli`\n\n");
    push_help(&mut out, &mut top.clone());
    for sub in top.get_subcommands_mut().filter(|s| listed(s)) {
        section(&mut out, sub, 2);
    }
    out
}

/// A command's section, then its own subcommands' one level deeper.
fn section(out: &mut String, cmd: &mut Command, level: usize) {
    let name = cmd.get_bin_name().unwrap_or(cmd.get_name()).to_string();
    let short = name.strip_prefix("maestro-cli ").unwrap_or(&name);
    out.push_str(&format!("\n{} `{short}`\n\n", "#".repeat(level)));
    push_help(out, cmd);
    for sub in cmd.get_subcommands_mut().filter(|s| listed(s)) {
        section(out, sub, level + 1);
    }
}

/// Whether a subcommand has a section: not hidden, and not clap's own `help`.
fn listed(cmd: &Command) -> bool {
    !cmd.is_hide_set() && cmd.get_name() != "help"
}

fn push_help(out: &mut String, cmd: &mut Command) {
    let help = cmd.render_long_help().to_string();
    // The top level's commands under their groups' headings, as `--help` shows them.
    let help = super::groups::grouped_help(&help).unwrap_or(help);
    out.push_str("```text\n");
    for line in help.trim_end().lines() {
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out.push_str("```\n");
}

/// GitHub's heading anchor of `` `name` ``: lowercase, punctuation other than `-` dropped.
fn anchor(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_alphanumeric() || *c == '-')
        .collect::<String>()
        .to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reference_is_current() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/reference.md");
        let want = markdown();
        if std::env::var_os("MAESTRO_BLESS").is_some() {
            std::fs::write(&path, &want).unwrap();
            return;
        }
        let have = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            have == want,
            "docs/reference.md is stale: run `MAESTRO_BLESS=1 cargo test --lib cli::reference`"
        );
    }

    #[test]
    fn every_command_has_a_section() {
        let text = markdown();
        for sub in Cli::command().get_subcommands().filter(|s| listed(s)) {
            assert!(
                text.contains(&format!("\n## `{}`\n", sub.get_name())),
                "{}",
                sub.get_name()
            );
        }
    }
}

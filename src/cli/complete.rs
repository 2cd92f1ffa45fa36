//! `__complete` (hidden): the candidates for the word under the cursor, asked for by the
//! scripts `completions bash|zsh|fish` prints (`completions/`). clap_complete's
//! engine walks the command tree; tenant ids, run ids, flow names and adapter names come from
//! the state and the configuration (`ops::complete`). bash gives the whole line, split here
//! as the shell would, because bash's own words are cut at `:` (`tenant:cr` is three words
//! there); the candidates are printed relative to what bash takes for the word.

use std::ffi::OsString;
use std::sync::Arc;

use clap::{Args, CommandFactory, ValueEnum};
use clap_complete::engine::{ArgValueCandidates, CompletionCandidate};

use super::{Cli, GlobalArgs, Settings};
use crate::model::ExitStatus;
use crate::ops::complete::{Candidate, Source};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CompleteShell {
    Bash,
    Zsh,
    Fish,
}

#[derive(Debug, Args)]
pub struct CompleteArgs {
    /// The shell asking: how candidates are printed
    #[arg(value_enum)]
    pub shell: CompleteShell,
    /// bash: where the cursor is in the line, in bytes (COMP_POINT)
    #[arg(long)]
    pub point: Option<usize>,
    /// bash: the characters that end a word for readline (COMP_WORDBREAKS)
    #[arg(long, allow_hyphen_values = true)]
    pub breaks: Option<String>,
    /// The command line: bash passes it whole (COMP_LINE), zsh and fish as words up to the
    /// one being completed
    #[arg(last = true)]
    pub words: Vec<String>,
}

pub fn run(args: &CompleteArgs, settings: &Settings) -> anyhow::Result<ExitStatus> {
    let (words, bash_word_start) = match args.shell {
        CompleteShell::Bash => {
            let line = args.words.first().map_or("", String::as_str);
            let point = floor_char_boundary(line, args.point.unwrap_or(line.len()));
            let (words, raw_current) = split_line(&line[..point]);
            // What bash takes for the word: the part after the last word-break character.
            let breaks = args.breaks.as_deref().unwrap_or(" \t\n\"'><=;|&(:");
            let cut = raw_current
                .char_indices()
                .rfind(|(_, c)| breaks.contains(*c))
                .map_or(0, |(i, c)| i + c.len_utf8());
            (words, raw_current[..cut].to_string())
        }
        _ => (args.words.clone(), String::new()),
    };
    let mut out = String::new();
    for (value, help) in candidates(words) {
        match args.shell {
            CompleteShell::Bash => {
                let value = value.strip_prefix(&bash_word_start).unwrap_or(&value);
                out.push_str(value);
            }
            CompleteShell::Zsh => {
                let open = if value.ends_with(['=', '/', ',', ':']) {
                    'n'
                } else {
                    's'
                };
                let value = value.replace('\\', "\\\\").replace(':', "\\:");
                out.push_str(&format!("{open}\t{value}"));
                if !help.is_empty() {
                    out.push(':');
                    out.push_str(&help);
                }
            }
            CompleteShell::Fish => {
                out.push_str(&value);
                if !help.is_empty() {
                    out.push('\t');
                    out.push_str(&help);
                }
            }
        }
        out.push('\n');
    }
    settings.printer.raw(&out)?;
    Ok(ExitStatus::Ok)
}

/// The candidates for the last of `words` (the first is the program), with one-line helps.
pub fn candidates(mut words: Vec<String>) -> Vec<(String, String)> {
    if words.is_empty() {
        words.push("maestro-cli".into());
    }
    if words.len() == 1 {
        words.push(String::new());
    }
    let source = Arc::new(source_of(&words));
    let mut cmd = with_values(Cli::command(), &source);
    let index = words.len() - 1;
    let args: Vec<OsString> = words.into_iter().map(OsString::from).collect();
    let flag_typed = args[index].to_string_lossy().starts_with('-');
    let cwd = std::env::current_dir().ok();
    let mut found: Vec<(String, String)> =
        clap_complete::engine::complete(&mut cmd, args, index, cwd.as_deref())
            .unwrap_or_default()
            .into_iter()
            .filter(|c| !c.is_hide_set())
            .map(|c| {
                let help = c
                    .get_help()
                    .map(|h| one_line(&h.to_string()))
                    .unwrap_or_default();
                (c.get_value().to_string_lossy().into_owned(), help)
            })
            .collect();
    // Flags only once `-` is typed, or when nothing else fits (as git and cargo do): a
    // lone tenant or run id then completes at the first TAB.
    if !flag_typed && found.iter().any(|(v, _)| !v.starts_with('-')) {
        found.retain(|(v, _)| !v.starts_with('-'));
    }
    found
}

/// The state, config and actor the words name (`--state PATH`, `--state=PATH`, ...), else
/// the environment's, resolved as a command would resolve them.
fn source_of(words: &[String]) -> Source {
    let before = &words[..words.len().saturating_sub(1)];
    let named = |name: &str| {
        let long = format!("--{name}");
        let joined = format!("--{name}=");
        let mut found = None;
        let mut it = before.iter();
        while let Some(w) = it.next() {
            if *w == long {
                found = it.next().cloned();
            } else if let Some(v) = w.strip_prefix(&joined) {
                found = Some(v.to_string());
            }
        }
        found.or_else(|| {
            std::env::var(format!("MAESTRO_{}", name.to_uppercase()))
                .ok()
                .filter(|v| !v.is_empty())
        })
    };
    let global = GlobalArgs {
        state: named("state").map(Into::into),
        config: named("config").map(Into::into),
        actor: named("actor"),
        output: super::output::OutputFormat::Table,
        no_headers: false,
        quiet: true,
        verbose: 0,
    };
    let default_home = directories::BaseDirs::new().map(|d| d.data_dir().join("maestro"));
    let state = Settings::resolve(&global, |k| std::env::var_os(k), default_home)
        .ok()
        .map(|s| s.state);
    Source {
        state,
        config: global.config,
        actor: global.actor,
    }
}

/// Which values an argument takes from the state or the configuration.
#[derive(Clone, Copy)]
enum Values {
    Tenants,
    Runs,
    Flows,
    Adapters,
}

fn values_of(command: &str, arg: &str) -> Option<Values> {
    match arg {
        "tenant" => Some(Values::Tenants),
        "id" if command.starts_with("tenant:") && command != "tenant:create" => {
            Some(Values::Tenants)
        }
        "run_id" => Some(Values::Runs),
        "flow" => Some(Values::Flows),
        "adapter" => Some(Values::Adapters),
        _ => None,
    }
}

/// `cmd` with the values of tenant, run, flow and adapter arguments attached (read only
/// when that argument is the one being completed).
fn with_values(cmd: clap::Command, source: &Arc<Source>) -> clap::Command {
    let commands: Vec<String> = cmd
        .get_subcommands()
        .map(|c| c.get_name().to_string())
        .collect();
    commands.iter().fold(cmd, |cmd, name| {
        // `mut_args` changes each in place (`mut_arg` would move it last, and so reorder
        // the positionals).
        cmd.mut_subcommand(name, |sub| {
            sub.mut_args(|a| match values_of(name, a.get_id().as_str()) {
                None => a,
                Some(values) => {
                    let source = Arc::clone(source);
                    a.add(ArgValueCandidates::new(move || {
                        let found = match values {
                            Values::Tenants => source.tenants(),
                            Values::Runs => source.runs(),
                            Values::Flows => source.flows(),
                            Values::Adapters => source.adapters(),
                        };
                        found.into_iter().map(candidate).collect()
                    }))
                }
            })
        })
    })
}

fn candidate(c: Candidate) -> CompletionCandidate {
    let help = if c.help == c.value {
        String::new()
    } else {
        one_line(&c.help)
    };
    CompletionCandidate::new(c.value).help((!help.is_empty()).then(|| help.into()))
}

/// The first line of `text`, control characters as spaces, at most 80 characters: a
/// description in a completion menu.
fn one_line(text: &str) -> String {
    let line = text.lines().next().unwrap_or_default();
    let mut out: String = line
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(80)
        .collect();
    if line.chars().count() > 80 {
        out.push('…');
    }
    out.trim().to_string()
}

/// The largest char boundary of `s` at or before `at`.
fn floor_char_boundary(s: &str, at: usize) -> usize {
    (0..=at.min(s.len()))
        .rev()
        .find(|&i| s.is_char_boundary(i))
        .unwrap_or(0)
}

/// The words of a shell line up to the cursor, as the shell will pass them (quotes and
/// backslashes removed), the last one the word being completed (empty after a space); and
/// that last word as typed.
fn split_line(line: &str) -> (Vec<String>, &str) {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut start = None;
    let mut quote = None;
    let mut chars = line.char_indices();
    while let Some((i, c)) = chars.next() {
        match (quote, c) {
            (None, c) if c.is_whitespace() => {
                if start.take().is_some() {
                    words.push(std::mem::take(&mut word));
                }
                continue;
            }
            (None, '\'' | '"') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None | Some('"'), '\\') => {
                if let Some((_, next)) = chars.next() {
                    word.push(next);
                }
            }
            (_, c) => word.push(c),
        }
        start.get_or_insert(i);
    }
    let current = start.map_or("", |s| &line[s..]);
    words.push(word);
    (words, current)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_splits_as_the_shell_splits_it() {
        let (words, current) = split_line("maestro-cli tenant:cr");
        assert_eq!(words, ["maestro-cli", "tenant:cr"]);
        assert_eq!(current, "tenant:cr");
        let (words, current) = split_line("maestro-cli  --state 'my state.db' flow:status ");
        assert_eq!(
            words,
            ["maestro-cli", "--state", "my state.db", "flow:status", ""]
        );
        assert_eq!(current, "");
        let (words, current) = split_line(r#"maestro-cli a\ b "c\"d" 'e"#);
        assert_eq!(words, ["maestro-cli", "a b", "c\"d", "e"]);
        assert_eq!(current, "'e");
    }

    #[test]
    fn commands_flags_and_values_complete() {
        let words = |line: &str| split_line(line).0;
        let values = |line: &str| -> Vec<String> {
            candidates(words(line))
                .into_iter()
                .map(|(v, _)| v)
                .collect()
        };
        assert_eq!(values("maestro-cli tenant:cr"), ["tenant:create"]);
        assert!(values("maestro-cli tenant:").contains(&"tenant:delete".to_string()));
        assert!(!values("maestro-cli ").contains(&"__complete".to_string()));
        assert_eq!(values("maestro-cli cost:report --by ten"), ["tenant"]);
        assert_eq!(values("maestro-cli -o js"), ["json"]);
        assert!(values("maestro-cli tenant:create acme --re").contains(&"--regions".to_string()));
        assert!(values("maestro-cli flow:run ").contains(&"new-tenant".to_string()));
    }
}

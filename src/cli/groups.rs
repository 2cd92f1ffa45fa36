//! Command groups: `tenant:create` is the command `create` of the group `tenant`. The spaced
//! form `maestro-cli tenant create …` is the same command; `maestro-cli tenant` and
//! `maestro-cli help tenant` list a group's commands; a mistyped command is answered with the
//! closest names first.

use std::ffi::OsString;

use clap::CommandFactory;
use clap::error::{ContextKind, ContextValue, ErrorKind};

use super::Cli;

/// What the command line asks for, once the spaced form is read.
pub enum Words {
    /// A command line for clap (the spaced form joined: `tenant create` → `tenant:create`).
    Command(Vec<OsString>),
    /// The list of a group's commands (`maestro-cli tenant`, `maestro-cli help tenant`).
    List(String),
}

/// The command names of `group` (`tenant:create`, …), with what each does.
fn commands_of(cli: &clap::Command, group: &str) -> Vec<(String, String)> {
    let prefix = format!("{group}:");
    cli.get_subcommands()
        .filter(|c| c.get_name().starts_with(&prefix) && !c.is_hide_set())
        .map(|c| {
            let about = c.get_about().map(|a| a.to_string()).unwrap_or_default();
            (c.get_name().to_string(), about)
        })
        .collect()
}

/// Reads the spaced form of the command word at `at`: `GROUP VERB` is `GROUP:VERB`,
/// `GROUP` alone (or before a flag) and `help GROUP` list the group, `help GROUP VERB` is
/// `GROUP:VERB --help`. Anything else is left as it is.
pub fn read(mut args: Vec<OsString>, at: usize) -> Words {
    let word = |i: usize| args.get(i).and_then(|w| w.to_str()).map(str::to_string);
    let Some(first) = word(at) else {
        return Words::Command(args);
    };
    let (group, verb_at, help) = if first == "help" {
        match word(at + 1) {
            Some(group) => (group, at + 2, true),
            None => return Words::Command(args),
        }
    } else {
        (first, at + 1, false)
    };
    // Whether it names a group is known without building the command tree (about a
    // millisecond, which every `status` or `sync` would pay): the groups are those parsed on
    // their own (`narrow_parser`).
    if group.contains(':') || super::narrow_parser(&format!("{group}:")).is_none() {
        return Words::Command(args);
    }
    let cli = Cli::command();
    let commands = commands_of(&cli, &group);
    if commands.is_empty() {
        return Words::Command(args);
    }
    match word(verb_at).filter(|v| !v.starts_with('-')) {
        Some(verb) => {
            // `tenant create …`, and `tenant craete`, which clap then answers with the
            // closest `tenant:*` names.
            let name = format!("{group}:{verb}");
            args.splice(at..=verb_at, [OsString::from(&name)]);
            if help {
                args.insert(at + 1, "--help".into());
            }
            Words::Command(args)
        }
        // `sync` is a command and a group (`sync:dead`): without a verb, the command.
        None if cli.find_subcommand(&group).is_some() => Words::Command(args),
        None if help || verb_at == args.len() || word(verb_at).as_deref() == Some("--help") => {
            Words::List(listing(&group, &commands))
        }
        None => Words::Command(args),
    }
}

fn listing(group: &str, commands: &[(String, String)]) -> String {
    let width = commands.iter().map(|(n, _)| n.len()).max().unwrap_or(0);
    let mut out =
        format!("Commands of `{group}` (`maestro-cli {group} VERB` is `{group}:VERB`):\n");
    for (name, about) in commands {
        out.push_str(&format!("  {name:<width$}  {about}\n"));
    }
    let first = &commands[0].0;
    out.push_str(&format!(
        "\nSee `maestro-cli {first} --help` for one of them.\n"
    ));
    out
}

/// The heading of a group's commands in `--help`.
fn title(group: &str) -> String {
    match group {
        "init" | "status" | "completions" | "help" => "Setup and health",
        "tenant" => "Tenants",
        "user" => "Principals and roles",
        "audit" => "Audit log",
        "flow" => "Flows",
        "deploy" => "Deployments",
        "policy" => "Governance",
        "pack" => "Disclosure packs",
        "signals" => "Signals",
        "cost" => "Cost",
        "perf" => "Performance",
        "dashboard" => "Dashboards",
        "intelgraph" => "IntelGraph",
        "sync" => "Backends (the outbox)",
        "trial" => "Trial environment",
        other => return other.to_string(),
    }
    .to_string()
}

/// The top-level help (clap's, as text) with its one list of commands split under a heading
/// per group, in the order the groups first appear; `None` for a help without a command list.
pub fn grouped_help(text: &str) -> Option<String> {
    let start = text.find("\nCommands:\n")? + 1;
    let body = start + "Commands:\n".len();
    let end = text[body..]
        .find("\n\n")
        .map_or(text.len(), |at| body + at + 1);
    // An entry is a line indented by two spaces, with the lines indented more that wrap it.
    let mut entries: Vec<(String, String)> = Vec::new();
    for line in text[body..end].lines() {
        match (line.strip_prefix("  "), entries.last_mut()) {
            (Some(rest), _) if !rest.starts_with(' ') => {
                let name = rest.split_whitespace().next().unwrap_or_default();
                let key = match name.split_once(':') {
                    Some((group, _)) => group,
                    None => name,
                };
                entries.push((title(key), format!("{line}\n")));
            }
            (_, Some((_, lines))) => {
                lines.push_str(line);
                lines.push('\n');
            }
            (_, None) => return None,
        }
    }
    // Only the top level's list has grouped (`group:verb`) names; a command's own
    // subcommands (`policy:check deploy`) stay as they are.
    if !entries.iter().any(|(_, lines)| {
        lines
            .split_whitespace()
            .next()
            .is_some_and(|name| name.contains(':'))
    }) {
        return None;
    }
    let mut order: Vec<&str> = Vec::new();
    for (title, _) in &entries {
        if !order.contains(&title.as_str()) {
            order.push(title);
        }
    }
    let mut out = text[..start].to_string();
    for (i, title) in order.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(&format!("{title}:\n"));
        for (_, lines) in entries.iter().filter(|(t, _)| t == title) {
            out.push_str(lines);
        }
    }
    out.push_str(&text[end..]);
    Some(out)
}

/// A clap error about an unknown command, with the closest command names first (at most
/// three, best first); clap lists every name above its threshold, the best one last.
pub fn closest_first(mut err: clap::Error) -> clap::Error {
    if err.kind() != ErrorKind::InvalidSubcommand {
        return err;
    }
    let Some(ContextValue::String(typed)) = err.get(ContextKind::InvalidSubcommand).cloned() else {
        return err;
    };
    let cmd = Cli::command();
    let mut scored: Vec<(f64, String)> = cmd
        .get_subcommands()
        .filter(|c| !c.is_hide_set())
        .map(|c| c.get_name().to_string())
        .map(|name| (strsim::jaro_winkler(&typed, &name), name))
        .filter(|(score, _)| *score > 0.7)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    scored.truncate(3);
    if !scored.is_empty() {
        let names = scored.into_iter().map(|(_, n)| n).collect();
        err.insert(
            ContextKind::SuggestedSubcommand,
            ContextValue::Strings(names),
        );
    }
    err
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(line: &str) -> Vec<OsString> {
        line.split(' ').map(OsString::from).collect()
    }

    fn command(line: &str) -> String {
        match read(words(line), 1) {
            Words::Command(args) => args
                .iter()
                .map(|a| a.to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join(" "),
            Words::List(text) => format!("LIST {}", text.lines().next().unwrap_or_default()),
        }
    }

    #[test]
    fn the_spaced_form_is_the_command() {
        assert_eq!(
            command("maestro-cli tenant create acme --regions eu-west-1"),
            "maestro-cli tenant:create acme --regions eu-west-1"
        );
        assert_eq!(
            command("maestro-cli tenant:list"),
            "maestro-cli tenant:list"
        );
        assert_eq!(
            command("maestro-cli help tenant show"),
            "maestro-cli tenant:show --help"
        );
        assert_eq!(command("maestro-cli sync"), "maestro-cli sync");
        assert_eq!(command("maestro-cli status"), "maestro-cli status");
        assert!(command("maestro-cli tenant").starts_with("LIST Commands of `tenant`"));
        assert!(command("maestro-cli help flow").starts_with("LIST Commands of `flow`"));
        assert!(command("maestro-cli tenant --help").starts_with("LIST"));
    }

    #[test]
    fn the_help_lists_every_command_once_under_its_group() {
        let help = Cli::command().render_long_help().to_string();
        let grouped = grouped_help(&help).unwrap();
        assert!(!grouped.contains("\nCommands:\n"), "{grouped}");
        for heading in [
            "Setup and health:",
            "Tenants:",
            "Governance:",
            "Backends (the outbox):",
        ] {
            assert!(
                grouped.contains(&format!("\n{heading}\n")),
                "{heading}: {grouped}"
            );
        }
        for sub in Cli::command()
            .get_subcommands()
            .filter(|c| !c.is_hide_set())
        {
            let line = format!("\n  {} ", sub.get_name());
            assert_eq!(
                grouped.matches(&line).count(),
                1,
                "{}: {grouped}",
                sub.get_name()
            );
        }
        // Whatever follows the list is kept.
        assert!(grouped.contains("\nGlobal options:\n"), "{grouped}");
        assert_eq!(grouped_help("Usage: maestro-cli tenant:show <ID>\n"), None);
        let check = Cli::command()
            .find_subcommand_mut("policy:check")
            .unwrap()
            .render_long_help()
            .to_string();
        assert_eq!(grouped_help(&check), None, "a command's own subcommands");
    }
}

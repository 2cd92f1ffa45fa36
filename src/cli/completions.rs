//! `completions SHELL`: shell completion scripts. The committed copies under `completions/`
//! are checked by a test to be current; refresh them with `completions --dir completions`.

use std::path::PathBuf;

use anyhow::Context as _;
use clap::{Args, CommandFactory, ValueEnum};
use clap_complete::Shell;

use super::{Cli, Settings};
use crate::model::ExitStatus;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ShellArg {
    Bash,
    Zsh,
    Fish,
    Powershell,
}

impl ShellArg {
    const ALL: [ShellArg; 4] = [
        ShellArg::Bash,
        ShellArg::Zsh,
        ShellArg::Fish,
        ShellArg::Powershell,
    ];

    fn shell(self) -> Shell {
        match self {
            ShellArg::Bash => Shell::Bash,
            ShellArg::Zsh => Shell::Zsh,
            ShellArg::Fish => Shell::Fish,
            ShellArg::Powershell => Shell::PowerShell,
        }
    }

    /// The file name the shell looks for.
    fn file_name(self) -> &'static str {
        match self {
            ShellArg::Bash => "maestro-cli.bash",
            ShellArg::Zsh => "_maestro-cli",
            ShellArg::Fish => "maestro-cli.fish",
            ShellArg::Powershell => "_maestro-cli.ps1",
        }
    }
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell
    #[arg(value_enum, required_unless_present = "dir")]
    pub shell: Option<ShellArg>,
    /// Write the scripts of all shells into DIR instead
    #[arg(long, value_name = "DIR", conflicts_with = "shell")]
    pub dir: Option<PathBuf>,
}

pub fn run(args: &CompletionsArgs, settings: &Settings) -> anyhow::Result<ExitStatus> {
    if let Some(dir) = &args.dir {
        for shell in ShellArg::ALL {
            let path = dir.join(shell.file_name());
            std::fs::write(&path, script(shell))
                .with_context(|| format!("cannot write `{}`", path.display()))?;
            settings
                .printer
                .note(&format!("wrote `{}`", path.display()));
        }
    } else if let Some(shell) = args.shell {
        settings.printer.raw(&script(shell))?;
    }
    Ok(ExitStatus::Ok)
}

/// The completion script for `shell`.
pub fn script(shell: ShellArg) -> String {
    let mut buf = Vec::new();
    clap_complete::generate(shell.shell(), &mut Cli::command(), "maestro-cli", &mut buf);
    let text = String::from_utf8_lossy(&buf).into_owned();
    match shell {
        ShellArg::Zsh => escape_zsh_command_names(&text),
        _ => text,
    }
}

/// clap's zsh script lists commands as `'tenant:create:Create a tenant'` inside `_describe`,
/// where `:` separates name from description; an unescaped `:` in the name makes zsh offer
/// `tenant` only. Escape it as `tenant\:create`.
fn escape_zsh_command_names(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        match trimmed
            .strip_prefix('\'')
            .and_then(|rest| command_name_prefix(rest))
        {
            Some(name) if name.contains(':') => {
                let indent = &line[..line.len() - trimmed.len()];
                out.push_str(indent);
                out.push('\'');
                out.push_str(&name.replace(':', "\\:"));
                out.push_str(&trimmed[1 + name.len()..]);
            }
            _ => out.push_str(line),
        }
    }
    out
}

/// In `group:verb:description'`, the `group:verb` part, if the line has that shape.
fn command_name_prefix(rest: &str) -> Option<&str> {
    let mut parts = rest.splitn(3, ':');
    let group = parts.next()?;
    let verb = parts.next()?;
    parts.next()?;
    let is_word = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_lowercase() || c == '-');
    (is_word(group) && is_word(verb)).then(|| &rest[..group.len() + 1 + verb.len()])
}

//! `completions SHELL`: shell completion scripts. The bash, zsh and fish scripts are the files
//! under `completions/` (they ask the binary, `complete.rs`); PowerShell's is clap's, whose
//! committed copy a test keeps current (`completions --dir completions` refreshes it).

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

/// The completion script for `shell`: bash, zsh and fish ask the binary for candidates
/// (`__complete`, see `complete.rs`); PowerShell's is clap's static script.
pub fn script(shell: ShellArg) -> String {
    match shell {
        ShellArg::Bash => include_str!("../../completions/maestro-cli.bash").to_string(),
        ShellArg::Zsh => include_str!("../../completions/_maestro-cli").to_string(),
        ShellArg::Fish => include_str!("../../completions/maestro-cli.fish").to_string(),
        ShellArg::Powershell => {
            let mut buf = Vec::new();
            clap_complete::generate(shell.shell(), &mut Cli::command(), "maestro-cli", &mut buf);
            String::from_utf8_lossy(&buf).into_owned()
        }
    }
}

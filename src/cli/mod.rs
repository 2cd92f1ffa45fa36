//! The command line: parse arguments into a validated [`Settings`], call one domain function,
//! render its result. No SQL and no business rules here.

mod audit;
mod complete;
mod completions;
mod confirm;
mod cost;
mod dashboard;
mod deploy;
mod dry_run;
pub mod exit;
mod flow;
mod groups;
mod intelgraph;
#[cfg(test)]
mod manpages;
pub mod output;
mod pack;
mod perf;
mod policy;
#[cfg(test)]
mod reference;
#[cfg(test)]
mod schemas;
mod signals;
mod sync;
mod tenant;
mod trial;
mod user;
mod values;

use std::ffi::OsString;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::config::Config;
use crate::context::Context;
use crate::model::ExitStatus;
use crate::model::clock::Clock;
use crate::model::ids::PrincipalId;
use exit::classify;
use output::{OutputFormat, Printer};

const EXAMPLES: &str = "\
Examples:
  maestro-cli --actor ops@example.com init
  maestro-cli --actor ops@example.com tenant:create acme --name \"Acme Corp\" \\
      --regions eu-west-1,eu-central-1 --tier prod --admin alice@acme.example
  maestro-cli --actor alice@acme.example tenant:show acme --output json
  maestro-cli audit:verify";

#[derive(Debug, Parser)]
#[command(
    name = "maestro-cli",
    version,
    about = "Run the CompanyOS multi-tenant platform: tenants, audit, governance",
    long_about = "Run the CompanyOS multi-tenant platform: tenants and their isolation \
                  boundaries, principals and roles, and a tamper-evident audit log, kept in one \
                  local SQLite file.",
    after_help = EXAMPLES,
    propagate_version = true,
    max_term_width = 100
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args)]
#[command(next_help_heading = "Global options")]
pub struct GlobalArgs {
    /// State file [default: $MAESTRO_HOME/state.db, MAESTRO_HOME defaults to ~/.local/share/maestro]
    #[arg(
        long,
        global = true,
        env = "MAESTRO_STATE",
        value_name = "PATH",
        hide_env_values = true
    )]
    pub state: Option<PathBuf>,
    /// Configuration file [default: ./maestro.toml, then ~/.config/maestro/maestro.toml]
    #[arg(
        long,
        global = true,
        env = "MAESTRO_CONFIG",
        value_name = "PATH",
        hide_env_values = true
    )]
    pub config: Option<PathBuf>,
    /// The acting principal, an e-mail-like id recorded in the audit log
    #[arg(
        long,
        global = true,
        env = "MAESTRO_ACTOR",
        value_name = "ID",
        hide_env_values = true
    )]
    pub actor: Option<String>,
    /// Output format of the data on stdout
    #[arg(long, short = 'o', global = true, value_enum, default_value_t = OutputFormat::Table)]
    pub output: OutputFormat,
    /// Tables without their header row
    #[arg(long, global = true)]
    pub no_headers: bool,
    /// Print nothing but requested data and errors
    #[arg(long, short = 'q', global = true)]
    pub quiet: bool,
    /// Say more on stderr (which state and config files are used)
    #[arg(long, short = 'v', global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create the state file and make the actor its first platform admin
    #[command(
        name = "init",
        after_help = "Example:\n  maestro-cli --actor ops@example.com init"
    )]
    Init(dry_run::DryRunArg),
    #[command(flatten)]
    Tenant(tenant::TenantCommand),
    #[command(flatten)]
    User(user::UserCommand),
    #[command(flatten)]
    Audit(audit::AuditCommand),
    #[command(flatten)]
    Flow(flow::FlowCommand),
    #[command(flatten)]
    Deploy(deploy::DeployCommand),
    #[command(flatten)]
    Policy(policy::PolicyCommand),
    #[command(flatten)]
    Pack(pack::PackCommand),
    #[command(flatten)]
    Signals(signals::SignalsCommand),
    #[command(flatten)]
    Cost(cost::CostCommand),
    #[command(flatten)]
    Perf(perf::PerfCommand),
    #[command(flatten)]
    Dashboard(dashboard::DashboardCommand),
    #[command(flatten)]
    IntelGraph(intelgraph::IntelGraphCommand),
    #[command(flatten)]
    Sync(sync::SyncCommand),
    #[command(flatten)]
    Trial(trial::TrialCommand),
    /// The installation's health: state, integrity, audit chain, policies; `System Online`
    #[command(
        name = "status",
        after_help = "Example:\n  maestro-cli status --output json"
    )]
    Status,
    /// Print shell completions (bash, zsh, fish, powershell)
    #[command(
        name = "completions",
        after_help = "Example:\n  maestro-cli completions zsh > ~/.zfunc/_maestro-cli"
    )]
    Completions(completions::CompletionsArgs),
    /// The completion candidates of a command line, for the scripts of `completions`
    #[command(name = "__complete", hide = true)]
    Complete(complete::CompleteArgs),
}

/// Everything a command needs, resolved from arguments and environment, nothing opened yet.
#[derive(Debug, Clone)]
pub struct Settings {
    pub state: PathBuf,
    pub config: Option<PathBuf>,
    pub actor: Option<String>,
    pub clock: Clock,
    pub printer: Printer,
    pub verbose: u8,
}

impl Settings {
    /// Pure: `env` looks up environment variables (`MAESTRO_HOME`, `MAESTRO_CLOCK`).
    pub fn resolve(
        global: &GlobalArgs,
        env: impl Fn(&str) -> Option<OsString>,
        default_home: Option<PathBuf>,
    ) -> anyhow::Result<Settings> {
        let state = match &global.state {
            Some(path) => path.clone(),
            None => {
                let home = env("MAESTRO_HOME")
                    .filter(|h| !h.is_empty())
                    .map(PathBuf::from)
                    .or(default_home)
                    .ok_or_else(|| {
                        anyhow::anyhow!("cannot find a home for the state file: set MAESTRO_HOME or pass --state PATH")
                    })?;
                home.join("state.db")
            }
        };
        let clock = match env("MAESTRO_CLOCK").filter(|v| !v.is_empty()) {
            None => Clock::System,
            Some(value) => {
                let text = value.to_string_lossy();
                let at = text.parse().map_err(|_| {
                    anyhow::anyhow!("invalid MAESTRO_CLOCK `{text}`: expected an RFC 3339 instant such as `2026-01-01T00:00:00Z`")
                })?;
                Clock::Fixed(at)
            }
        };
        Ok(Settings {
            state,
            config: global.config.clone(),
            actor: global.actor.clone(),
            clock,
            printer: Printer {
                format: global.output,
                quiet: global.quiet,
                no_headers: global.no_headers,
                width: env("COLUMNS")
                    .and_then(|c| c.to_str()?.parse().ok())
                    .filter(|&w: &usize| w > 0)
                    .or_else(|| {
                        let stdout = std::io::stdout();
                        std::io::IsTerminal::is_terminal(&stdout)
                            .then(|| terminal_size::terminal_size_of(&stdout))
                            .flatten()
                            .map(|(w, _)| usize::from(w.0))
                    }),
                dry_run: false,
                now: Some(clock.now()),
            },
            verbose: global.verbose,
        })
    }

    /// Loads the configuration and opens the state file, creating it when there is none
    /// (`init`, and the first write of a new installation, which bootstraps its admin).
    pub fn context(&self) -> anyhow::Result<Context> {
        self.open_context()
    }

    /// The same for a command that only reads: the state must exist, so that a mistyped
    /// `--state` is an error, not a new empty state that answers "denied".
    pub fn read_context(&self) -> anyhow::Result<Context> {
        if !self.state.exists() {
            return Err(crate::store::StoreError::Missing {
                path: self.state.clone(),
            }
            .into());
        }
        self.open_context()
    }

    fn open_context(&self) -> anyhow::Result<Context> {
        let config = Config::discover(self.config.as_deref())?;
        let actor = self.actor.as_deref().map(PrincipalId::parse).transpose()?;
        if self.verbose > 0 {
            let source = config
                .source
                .as_deref()
                .map_or("built-in defaults".to_string(), |p| {
                    format!("`{}`", p.display())
                });
            self.printer.note(&format!(
                "note: state `{}`, config {source}",
                self.state.display()
            ));
        }
        Context::open(&self.state, config, self.clock, actor)
    }
}

/// The command line with one group's commands in place of all of them (see [`parse`]). Its
/// settings are those of [`Cli`] that shape a command's parsing and its errors.
#[derive(Debug, Parser)]
#[command(
    name = "maestro-cli",
    version,
    propagate_version = true,
    max_term_width = 100
)]
struct Narrow<C: Subcommand> {
    #[command(flatten)]
    global: GlobalArgs,
    #[command(subcommand)]
    command: C,
}

/// `policy:check` alone: the deploy gate every pipeline runs, so clap builds (and propagates
/// the global options into) one command instead of its group's seven.
#[derive(Debug, Subcommand)]
enum PolicyCheckOnly {
    #[command(name = "policy:check")]
    Check(policy::CheckArgs),
}

/// Parses the command line. clap builds the whole tree of ~45 commands and their options
/// before it reads a word, about a millisecond per process (a seventh of a policy check); so
/// when the command word names a group (`policy:log` → `policy:*`), that group alone is
/// built and parsed, and `policy:check` alone. Only a successful parse is taken from it:
/// help, `--version`, a typo or a bad option is parsed again with the whole tree, so every
/// message stays as it was.
fn parse(args: Vec<OsString>) -> Result<Cli, clap::Error> {
    let narrow = command_word(&args)
        .and_then(narrow_parser)
        .and_then(|parse| parse(&args));
    match narrow {
        Some(cli) => Ok(cli),
        None => Cli::try_parse_from(args),
    }
}

/// Parses a command line with one group's commands; `None` when they cannot.
type NarrowParser = fn(&[OsString]) -> Option<Cli>;

/// The parser of the command `word` names (`policy:check`) or of its group's commands,
/// `None` for a word that names no group.
fn narrow_parser(word: &str) -> Option<NarrowParser> {
    fn narrow<C: Subcommand>(args: &[OsString], wrap: fn(C) -> Command) -> Option<Cli> {
        let n = Narrow::<C>::try_parse_from(args).ok()?;
        Some(Cli {
            global: n.global,
            command: wrap(n.command),
        })
    }
    if word == "policy:check" {
        return Some(|a| {
            narrow(a, |PolicyCheckOnly::Check(args)| {
                Command::Policy(policy::PolicyCommand::Check(args))
            })
        });
    }
    let (group, _) = word.split_once(':')?;
    Some(match group {
        "tenant" => |a| narrow(a, Command::Tenant),
        "user" => |a| narrow(a, Command::User),
        "audit" => |a| narrow(a, Command::Audit),
        "flow" => |a| narrow(a, Command::Flow),
        "deploy" => |a| narrow(a, Command::Deploy),
        "policy" => |a| narrow(a, Command::Policy),
        "pack" => |a| narrow(a, Command::Pack),
        "signals" => |a| narrow(a, Command::Signals),
        "cost" => |a| narrow(a, Command::Cost),
        "perf" => |a| narrow(a, Command::Perf),
        "dashboard" => |a| narrow(a, Command::Dashboard),
        "intelgraph" => |a| narrow(a, Command::IntelGraph),
        "sync" => |a| narrow(a, Command::Sync),
        "trial" => |a| narrow(a, Command::Trial),
        _ => return None,
    })
}

/// The command word of `args` (after the program name and the global options before it),
/// or `None` when it cannot be told without clap (an unknown option, `--`, no word).
fn command_word(args: &[OsString]) -> Option<&str> {
    args.get(command_word_at(args)?)?.to_str()
}

/// Where [`command_word`] is in `args`.
fn command_word_at(args: &[OsString]) -> Option<usize> {
    let mut i = 1;
    while let Some(word) = args.get(i) {
        let word = word.to_str()?;
        if let Some(long) = word.strip_prefix("--") {
            match long {
                "state" | "config" | "actor" | "output" => i += 1,
                "quiet" | "verbose" => {}
                _ if long.contains('=') => {}
                _ => return None,
            }
        } else if let Some(shorts) = word.strip_prefix('-') {
            match shorts.find(|c| c != 'q' && c != 'v') {
                None if !shorts.is_empty() => {}
                // `-o json`, `-qo json`; `-ojson` carries its value.
                Some(at) if shorts[at..].starts_with('o') => {
                    if at + 1 == shorts.len() {
                        i += 1;
                    }
                }
                _ => return None,
            }
        } else {
            return Some(i);
        }
        i += 1;
    }
    None
}

/// Parses `args`, runs the command, reports any error on stderr; returns the exit status.
pub fn run(args: impl IntoIterator<Item = OsString>) -> ExitStatus {
    let mut args: Vec<OsString> = args.into_iter().collect();
    if let Some(at) = command_word_at(&args) {
        match groups::read(args, at) {
            groups::Words::Command(spelled) => args = spelled,
            groups::Words::List(text) => {
                let printer = Printer::plain();
                return match printer.raw(&text) {
                    Ok(()) => ExitStatus::Ok,
                    Err(_) => ExitStatus::Error,
                };
            }
        }
    }
    let cli = match parse(args) {
        Ok(cli) => cli,
        Err(e) => {
            if e.kind() == clap::error::ErrorKind::DisplayHelp
                && let Some(text) = groups::grouped_help(&e.render().to_string())
            {
                return match Printer::plain().raw(&text) {
                    Ok(()) => ExitStatus::Ok,
                    Err(_) => ExitStatus::Error,
                };
            }
            let e = groups::closest_first(e);
            let _ = e.print();
            return if e.use_stderr() {
                ExitStatus::Usage
            } else {
                ExitStatus::Ok
            };
        }
    };
    let json = cli.global.output == OutputFormat::Json;
    let default_home = directories::BaseDirs::new().map(|d| d.data_dir().join("maestro"));
    let result = Settings::resolve(&cli.global, |k| std::env::var_os(k), default_home)
        .and_then(|settings| execute(cli.command, &settings));
    match result {
        Ok(status) => status,
        Err(err) => {
            let c = classify(&err);
            output::report_error(&err, c.help.as_deref(), c.status.code(), json, c.multiline);
            c.status
        }
    }
}

fn execute(command: Command, settings: &Settings) -> anyhow::Result<ExitStatus> {
    match command {
        Command::Init(d) if dry_run::wanted(d, settings) => {
            dry_run::rehearse_state(settings, true, user::init)
        }
        Command::Init(_) => user::init(settings),
        Command::Status => {
            let ctx = settings.read_context()?;
            let s = crate::status::status(&ctx);
            let printer = settings.printer;
            printer.data(&s, || {
                let mut t = output::Table::new(vec!["check", "ok", "detail"]);
                for c in &s.checks {
                    t.push(vec![
                        c.name.to_string(),
                        if c.ok { "ok" } else { "FAIL" }.to_string(),
                        c.detail.clone(),
                    ]);
                }
                t
            })?;
            if s.online {
                printer.note(&format!("{}: System Online", ctx.config.branding.short()));
                Ok(ExitStatus::Ok)
            } else {
                output::report_problem("not every check is healthy: see the lines marked FAIL");
                Ok(ExitStatus::Problems)
            }
        }
        Command::Tenant(cmd) => cmd.run(settings),
        Command::User(cmd) => cmd.run(settings),
        Command::Audit(cmd) => cmd.run(settings),
        Command::Flow(cmd) => cmd.run(settings),
        Command::Policy(cmd) => cmd.run(settings),
        Command::Pack(cmd) => cmd.run(settings),
        Command::Signals(cmd) => cmd.run(settings),
        Command::Cost(cmd) => cmd.run(settings),
        Command::Perf(cmd) => cmd.run(settings),
        Command::Dashboard(cmd) => cmd.run(settings),
        Command::Deploy(cmd) => cmd.run(settings),
        Command::IntelGraph(cmd) => cmd.run(settings),
        Command::Sync(cmd) => cmd.run(settings),
        Command::Trial(cmd) => cmd.run(settings),
        Command::Completions(args) => completions::run(&args, settings),
        Command::Complete(args) => complete::run(&args, settings),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn global(args: &[&str]) -> GlobalArgs {
        let mut argv = vec!["maestro-cli"];
        argv.extend_from_slice(args);
        argv.push("audit:verify");
        Cli::try_parse_from(argv).unwrap().global
    }

    #[test]
    fn state_path_precedence() {
        let none = |_: &str| None;
        let home = |k: &str| (k == "MAESTRO_HOME").then(|| OsString::from("/h"));
        let s = Settings::resolve(&global(&[]), none, Some("/xdg/maestro".into())).unwrap();
        assert_eq!(s.state, PathBuf::from("/xdg/maestro/state.db"));
        let s = Settings::resolve(&global(&[]), home, Some("/xdg/maestro".into())).unwrap();
        assert_eq!(s.state, PathBuf::from("/h/state.db"));
        let s = Settings::resolve(&global(&["--state", "/s.db"]), home, None).unwrap();
        assert_eq!(s.state, PathBuf::from("/s.db"));
        assert!(Settings::resolve(&global(&[]), none, None).is_err());
    }

    #[test]
    fn bad_clock_is_an_error() {
        let env = |k: &str| (k == "MAESTRO_CLOCK").then(|| OsString::from("noon"));
        let err = Settings::resolve(&global(&["--state", "/s.db"]), env, None).unwrap_err();
        assert!(err.to_string().contains("invalid MAESTRO_CLOCK `noon`"));
    }

    fn argv(line: &str) -> Vec<OsString> {
        line.split(' ').map(OsString::from).collect()
    }

    #[test]
    fn a_command_is_parsed_by_its_group_alone_to_what_the_whole_tree_gives() {
        for line in [
            "maestro-cli policy:check deploy --tenant acme --service api --env prod --cluster eu-1",
            "maestro-cli -o json policy:check deploy --tenant acme --service api --env prod --cluster eu-1 --format sarif --engine regorus",
            "maestro-cli policy:check --input-lines b.jsonl --query data.maestro.residency --format junit -q",
            "maestro-cli policy:log --tenant acme --decision deny",
            "maestro-cli --actor ops@example.com -qo json tenant:create acme --regions eu-west-1 --admin a@acme.example",
            "maestro-cli -o csv --state /s.db cost:report --from 2026-01-01 --to 2026-02-01 --by tenant,service -v",
            "maestro-cli -ojson user:list --tenant acme",
            "maestro-cli --output=csv -v pack:verify p.tar",
            "maestro-cli --config c.toml --quiet audit:verify",
            "maestro-cli flow:run deploy -p service=api --tenant acme -j 2",
            "maestro-cli signals:mine --repo . -q",
            "maestro-cli trial:up --dir /tmp/t",
        ] {
            let args = argv(line);
            let whole = Cli::try_parse_from(&args).unwrap();
            let word = command_word(&args).unwrap();
            let narrow = narrow_parser(word).unwrap()(&args)
                .unwrap_or_else(|| panic!("`{line}` was not parsed by its group"));
            assert_eq!(format!("{narrow:?}"), format!("{whole:?}"), "{line}");
        }
    }

    #[test]
    fn what_a_group_cannot_parse_goes_to_the_whole_tree() {
        use clap::error::ErrorKind;
        for (line, kind) in [
            ("maestro-cli policy:check --help", ErrorKind::DisplayHelp),
            (
                "maestro-cli policy:chek deploy",
                ErrorKind::InvalidSubcommand,
            ),
            (
                "maestro-cli policy:check deploy --bogus",
                ErrorKind::UnknownArgument,
            ),
            ("maestro-cli --version", ErrorKind::DisplayVersion),
            (
                "maestro-cli --bogus tenant:list",
                ErrorKind::UnknownArgument,
            ),
        ] {
            let err = parse(argv(line)).unwrap_err();
            let whole = Cli::try_parse_from(argv(line)).unwrap_err();
            assert_eq!(err.kind(), kind, "{line}");
            assert_eq!(err.to_string(), whole.to_string(), "{line}");
        }
        assert_eq!(
            command_word(&argv("maestro-cli --actor policy:check")),
            None
        );
        assert_eq!(command_word(&argv("maestro-cli -x tenant:list")), None);
        assert_eq!(command_word(&argv("maestro-cli -- tenant:list")), None);
    }

    #[test]
    fn every_command_group_has_a_narrow_parser() {
        use clap::CommandFactory;
        for sub in Cli::command().get_subcommands() {
            if sub.get_name().contains(':') {
                assert!(
                    narrow_parser(sub.get_name()).is_some(),
                    "{}",
                    sub.get_name()
                );
            }
        }
    }

    #[test]
    fn clap_definition_is_consistent() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}

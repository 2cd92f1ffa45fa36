//! Entry point: run the CLI and turn its outcome into the process exit code.

fn main() -> std::process::ExitCode {
    std::process::ExitCode::from(maestro_cli::cli::run(std::env::args_os()).code())
}

//! Entry point: run the CLI and turn its outcome into the process exit code.

fn main() -> std::process::ExitCode {
    quiet_library_backtraces();
    std::process::ExitCode::from(maestro_cli::cli::run(std::env::args_os()).code())
}

/// regorus's parser backtracks through `anyhow` errors, and with `RUST_BACKTRACE=1` in the
/// environment each of them captures a backtrace: a policy check took twice as long. The
/// standard library reads `RUST_LIB_BACKTRACE` once, at the first capture, and keeps the
/// answer; so it is set to `0` for that first read and removed again, and children (flow
/// steps) see the environment as it was. Panics still print their backtrace under
/// `RUST_BACKTRACE`; an explicit `RUST_LIB_BACKTRACE` is left alone.
fn quiet_library_backtraces() {
    if std::env::var_os("RUST_LIB_BACKTRACE").is_some()
        || std::env::var_os("RUST_BACKTRACE").is_none()
    {
        return;
    }
    // SAFETY: called first in `main`, before any thread exists, so no other thread can be
    // reading the environment while it changes.
    #[allow(unsafe_code)]
    unsafe {
        std::env::set_var("RUST_LIB_BACKTRACE", "0");
    }
    let _ = std::backtrace::Backtrace::capture();
    #[allow(unsafe_code)]
    unsafe {
        std::env::remove_var("RUST_LIB_BACKTRACE");
    }
}

//! Where a dry run's rehearsal sends what a command prints: kept to be wrapped (`capture`),
//! and with the scratch copy's path shown as the real one (`relocating`).

use std::borrow::Cow;
use std::io::Write;
use std::path::Path;

thread_local! {
    /// Where stdout goes while [`capture`] runs.
    static CAPTURED: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
    /// A path printed as another while [`relocating`] runs.
    static RELOCATED: std::cell::RefCell<Option<(String, String)>> = const { std::cell::RefCell::new(None) };
}

/// Runs `body` with every `from` it prints (stdout and notes) shown as `to`: a dry run's
/// rehearsal works in a scratch copy and speaks of the real path.
pub fn relocating<R>(from: &Path, to: &Path, body: impl FnOnce() -> R) -> R {
    let pair = (from.display().to_string(), to.display().to_string());
    let before = RELOCATED.with(|r| r.borrow_mut().replace(pair));
    let result = body();
    RELOCATED.with(|r| *r.borrow_mut() = before);
    result
}

pub(super) fn relocated(text: &str) -> Cow<'_, str> {
    RELOCATED.with(|r| match r.borrow().as_ref() {
        Some((from, to)) if text.contains(from.as_str()) => Cow::Owned(text.replace(from, to)),
        _ => Cow::Borrowed(text),
    })
}

/// Runs `body` with what it prints on stdout kept instead (a dry run's JSON wraps it).
pub fn capture<R>(body: impl FnOnce() -> R) -> (R, String) {
    CAPTURED.with(|c| *c.borrow_mut() = Some(String::new()));
    let r = body();
    let text = CAPTURED.with(|c| c.borrow_mut().take()).unwrap_or_default();
    (r, text)
}

pub(super) fn write_stdout(text: &str) -> anyhow::Result<()> {
    let text = &*relocated(text);
    let kept = CAPTURED.with(|c| match c.borrow_mut().as_mut() {
        Some(buf) => {
            buf.push_str(text);
            true
        }
        None => false,
    });
    if kept {
        return Ok(());
    }
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        // `maestro-cli tenant:list | head -1` is not an error.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => Ok(other?),
    }
}

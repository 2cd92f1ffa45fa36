//! `man/`, the manual pages, rendered from the clap definition by clap_mangen: `maestro-cli.1`
//! and one page a command, named without the `:` (`maestro-cli-tenant-create.1`: `man
//! maestro-cli-tenant-create`). A test keeps the committed pages current; after changing a
//! command, refresh them with `MAESTRO_BLESS=1 cargo test --lib cli::manpages`.

use clap::{Command, CommandFactory};

use super::Cli;

/// Every page: its file name and its roff text.
pub fn pages() -> Vec<(String, String)> {
    let mut top = Cli::command().disable_help_subcommand(true);
    top.build();
    let mut out = Vec::new();
    page(&top, &mut out);
    out
}

/// `cmd`'s page, then its subcommands' (not hidden ones).
fn page(cmd: &Command, out: &mut Vec<(String, String)>) {
    let name = cmd
        .get_display_name()
        .unwrap_or(cmd.get_name())
        .replace(':', "-");
    let man = clap_mangen::Man::new(cmd.clone().display_name(&name))
        .title(name.to_uppercase())
        .manual("maestro-cli manual");
    let mut text = Vec::new();
    man.render(&mut text).expect("roff into memory");
    out.push((
        format!("{name}.1"),
        String::from_utf8_lossy(&text).into_owned(),
    ));
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        page(sub, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_man_pages_are_current() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("man");
        let pages = pages();
        if std::env::var_os("MAESTRO_BLESS").is_some() {
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(&dir).unwrap();
            for (file, text) in &pages {
                std::fs::write(dir.join(file), text).unwrap();
            }
            return;
        }
        let mut committed: Vec<String> = std::fs::read_dir(&dir)
            .map(|d| {
                d.map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        committed.sort();
        let mut want: Vec<String> = pages.iter().map(|(f, _)| f.clone()).collect();
        want.sort();
        let stale = "man/ is stale: run `MAESTRO_BLESS=1 cargo test --lib cli::manpages`";
        assert_eq!(committed, want, "{stale}");
        for (file, text) in &pages {
            let have = std::fs::read_to_string(dir.join(file)).unwrap_or_default();
            assert!(&have == text, "{file}: {stale}");
        }
    }

    #[test]
    fn every_command_has_a_page_without_a_colon_in_its_name() {
        let files: Vec<String> = pages().into_iter().map(|(f, _)| f).collect();
        assert!(files.contains(&"maestro-cli.1".to_string()));
        for sub in Cli::command()
            .get_subcommands()
            .filter(|s| !s.is_hide_set())
        {
            let file = format!("maestro-cli-{}.1", sub.get_name().replace(':', "-"));
            assert!(files.contains(&file), "{file}");
        }
        assert!(files.iter().all(|f| !f.contains(':')), "{files:?}");
    }
}

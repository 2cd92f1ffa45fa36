//! What a Rego module is and what it needs, read off its text without parsing it: its
//! `package` and the `data.…` paths it refers to. The regorus engine uses this to parse only
//! the modules a query can reach (a check of `maestro.residency` does not parse the ABAC
//! policy), which is most of the cost of a one-shot `policy:check`.
//!
//! The reading is an over-approximation, never an under-one: comments and strings are
//! skipped, and any use of `data` other than a dotted path (`data[x]`, `data` as a whole, an
//! unreadable `package`) means "every module".
//!
//! It also tells whether a module is *pure*: whether it calls no builtin whose result depends
//! on more than the input and the data (the clock, randomness, the network, the runtime). A
//! decision of pure modules can be remembered (see [`super::cache`]). That reading errs the
//! safe way too: any dotted name starting with such a builtin's namespace counts.

/// A `data.` path, as its components: `data.maestro.abac.allow` is `["maestro", "abac", "allow"]`.
pub type Path = Vec<String>;

/// What one module needs besides itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Needs {
    /// The modules whose package overlaps one of these paths.
    Paths(Vec<Path>),
    /// Every module of the bundle.
    All,
}

/// A module's package and needs. `package` is `None` when it could not be read: such a module
/// is loaded with every query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModuleDeps {
    pub package: Option<Path>,
    pub needs: Needs,
    pub pure: bool,
}

/// Namespaces of the builtins whose results are not a function of input and data alone:
/// `time.now_ns`, `rand.intn`, `http.send`, `uuid.rfc4122`, `opa.runtime`,
/// `net.lookup_ip_addr`, `io.jwt.decode_verify` (checks expiry against the clock),
/// `crypto.x509.parse_and_verify_certificates` (the same); `crypto` as a whole, to keep the
/// list short.
pub(super) const IMPURE: [&str; 8] = ["time", "rand", "http", "uuid", "opa", "net", "io", "crypto"];

/// Whether a package may hold (or lie under) what `path` names: one is a prefix of the other.
pub fn overlaps(package: &[String], path: &[String]) -> bool {
    package.iter().zip(path).all(|(a, b)| a == b)
}

/// The `data.` path of a query (`data.maestro.residency.decision`); `None` for anything else.
pub fn query_path(query: &str) -> Option<Path> {
    let rest = query.strip_prefix("data")?;
    if rest.is_empty() {
        return Some(Vec::new());
    }
    let rest = rest.strip_prefix('.')?;
    let parts: Vec<String> = rest.split('.').map(str::to_string).collect();
    parts.iter().all(|p| is_ident(p)).then_some(parts)
}

fn is_ident(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

#[derive(Debug, PartialEq)]
enum Token<'a> {
    Ident(&'a str),
    Dot,
    Other,
}

/// Identifiers, dots and everything else, with comments, strings and whitespace left out.
fn tokens(text: &str) -> Vec<Token<'_>> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        match b {
            b'#' => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' && bytes[i] != b'\n' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                i += 1;
                out.push(Token::Other);
            }
            b'`' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'`' {
                    i += 1;
                }
                i += 1;
                out.push(Token::Other);
            }
            b'.' => {
                out.push(Token::Dot);
                i += 1;
            }
            _ if b.is_ascii_alphabetic() || b == b'_' => {
                let start = i;
                while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                    i += 1;
                }
                out.push(Token::Ident(&text[start..i]));
            }
            _ if b.is_ascii_whitespace() => i += 1,
            _ => {
                out.push(Token::Other);
                i += 1;
            }
        }
    }
    out
}

/// The dotted path starting at `tokens[at]` (an identifier), and where it ends.
fn dotted(tokens: &[Token<'_>], mut at: usize) -> (Path, usize) {
    let mut path = Vec::new();
    while let Some(Token::Ident(name)) = tokens.get(at) {
        path.push((*name).to_string());
        if tokens.get(at + 1) != Some(&Token::Dot) {
            return (path, at + 1);
        }
        at += 2;
    }
    (path, at)
}

/// Reads a module's package, needs and purity.
pub fn scan(text: &str) -> ModuleDeps {
    let tokens = tokens(text);
    let pure = !tokens.iter().enumerate().any(|(i, t)| match t {
        Token::Ident(name) => {
            IMPURE.contains(name)
                && (i == 0 || tokens[i - 1] != Token::Dot)
                && tokens.get(i + 1) == Some(&Token::Dot)
        }
        _ => false,
    });
    let (package, needs) = package_and_needs(&tokens);
    ModuleDeps {
        package,
        needs,
        pure,
    }
}

fn package_and_needs(tokens: &[Token<'_>]) -> (Option<Path>, Needs) {
    let mut package = None;
    let mut paths = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let after_dot = i > 0 && tokens[i - 1] == Token::Dot;
        match tokens[i] {
            Token::Ident("package") if package.is_none() && !after_dot => {
                let (path, end) = dotted(tokens, i + 1);
                // `package a["b-c"]` and the like: not read, so loaded with every query.
                let plain = !path.is_empty() && !matches!(tokens.get(end), Some(Token::Other));
                package = Some(plain.then_some(path));
                i = end;
            }
            Token::Ident("data") if !after_dot => {
                if tokens.get(i + 1) != Some(&Token::Dot) {
                    return (package.flatten(), Needs::All);
                }
                let (path, end) = dotted(tokens, i + 2);
                if path.is_empty() || tokens.get(end) == Some(&Token::Dot) {
                    return (package.flatten(), Needs::All);
                }
                paths.push(path);
                i = end;
            }
            _ => i += 1,
        }
    }
    (package.flatten(), Needs::Paths(paths))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Path {
        s.split('.').map(str::to_string).collect()
    }

    #[test]
    fn reads_the_package_and_dotted_data_paths() {
        let d = scan(
            "# uses `data` as a whole? no: see data[x] in this comment\n\
             package maestro.residency\n\
             import rego.v1\n\
             tenants := data.tenants\n\
             msg := \"data[x] in a string\"\n\
             raw := `data`\n\
             x := input.data.y\n\
             y := data.maestro.abac.allow\n",
        );
        assert_eq!(d.package, Some(p("maestro.residency")));
        assert_eq!(
            d.needs,
            Needs::Paths(vec![p("tenants"), p("maestro.abac.allow")])
        );
    }

    #[test]
    fn data_as_a_whole_or_indexed_needs_everything() {
        for text in [
            "package a\nx := data[input.p]",
            "package a\nx := data",
            "package a\nimport data\n",
            "package a\nx := data.",
        ] {
            let d = scan(text);
            assert_eq!(d.needs, Needs::All, "{text}");
        }
        // `data.b["c"].d`: `data.b` is the prefix that matters, every package under it is loaded.
        assert_eq!(
            scan("package a\nx := data.b[\"c\"].d").needs,
            Needs::Paths(vec![p("b")])
        );
    }

    #[test]
    fn an_unreadable_package_is_none() {
        assert_eq!(scan("package a[\"b-c\"]\nx := 1").package, None);
        assert_eq!(scan("x := 1").package, None);
        assert_eq!(scan("package foo.bar # note\n").package, Some(p("foo.bar")));
    }

    #[test]
    fn overlap_is_a_prefix_either_way() {
        assert!(overlaps(
            &p("maestro.residency"),
            &p("maestro.residency.decision")
        ));
        assert!(overlaps(&p("maestro.residency"), &p("maestro")));
        assert!(overlaps(&p("maestro.residency"), &[]));
        assert!(!overlaps(&p("maestro.residency"), &p("maestro.abac")));
        assert!(!overlaps(&p("maestro.residency"), &p("tenants")));
    }

    #[test]
    fn a_module_calling_the_clock_randomness_or_the_network_is_not_pure() {
        let shipped = [
            include_str!("../../policies/abac.rego"),
            include_str!("../../policies/residency.rego"),
            include_str!("../../policies/tenant_isolation.rego"),
            include_str!("../../policies/mission_lock.rego"),
        ];
        for text in shipped {
            assert!(scan(text).pure, "{}", &text[..60]);
        }
        for text in [
            "package a\nx := time.now_ns()",
            "package a\nx if { rand.intn(\"k\", 10) > 5 }",
            "package a\nx := http.send({\"url\": input.u})",
            "package a\nx := io.jwt.decode_verify(input.t, {})",
            "package a\nx := crypto.x509.parse_and_verify_certificates(input.c)",
            "package a\nx := opa.runtime()",
        ] {
            assert!(!scan(text).pure, "{text}");
        }
        // A field, a string or a comment of that name is not a call.
        for text in [
            "package a\nx := input.time.zone",
            "package a\nx := \"time.now_ns()\" # rand.intn\n",
            "package a\ntime_zone := 1",
        ] {
            assert!(scan(text).pure, "{text}");
        }
    }

    #[test]
    fn query_paths() {
        assert_eq!(query_path("data.maestro.abac"), Some(p("maestro.abac")));
        assert_eq!(query_path("data"), Some(vec![]));
        assert_eq!(query_path("data.x[1]"), None);
        assert_eq!(query_path("input.x"), None);
        assert_eq!(query_path("database.x"), None);
    }
}

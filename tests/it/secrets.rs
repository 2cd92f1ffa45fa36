//! A backend that echoes the credentials it got, in every encoding: the token never reaches
//! the state or `sync` (any output format); `[redacted]` stands in its place.

use serde_json::{Value, json};

use crate::http_mock::Mock;
use crate::support::{ADMIN, HELP_SYNC, Output, Sandbox, error_text, json_error};

const VAR: &str = "MAESTRO_TEST_TOKEN";
const CANARY: &str = "tok/Canary+5f1d=9c0e?7a~x";

/// The canary as a server may send it back, each computed apart from the code under test
/// (Python's `base64`, `urllib.parse.quote` and `bytes.hex`). Base64 without its padding,
/// which the padded form contains.
const ENCODINGS: &[(&str, &str)] = &[
    ("as is", CANARY),
    ("percent-encoded", "tok%2FCanary%2B5f1d%3D9c0e%3F7a~x"),
    (
        "percent-encoded, lower-case escapes",
        "tok%2fCanary%2b5f1d%3d9c0e%3f7a~x",
    ),
    ("base64", "dG9rL0NhbmFyeSs1ZjFkPTljMGU/N2F+eA"),
    ("URL-safe base64", "dG9rL0NhbmFyeSs1ZjFkPTljMGU_N2F-eA"),
    (
        "base64 of `maestro:<token>` (basic auth)",
        "bWFlc3Rybzp0b2svQ2FuYXJ5KzVmMWQ9OWMwZT83YX54",
    ),
    (
        "base64 of `key <token>`",
        "a2V5IHRvay9DYW5hcnkrNWYxZD05YzBlPzdhfng",
    ),
    ("hex", "746f6b2f43616e6172792b356631643d396330653f37617e78"),
    (
        "upper-case hex",
        "746F6B2F43616E6172792B356631643D396330653F37617E78",
    ),
];

/// What the server says: the `Authorization` header it got, and the token in every form.
fn echo(r: &crate::http_mock::Request) -> String {
    format!(
        "auth={} raw={CANARY} url=tok%2FCanary%2B5f1d%3D9c0e%3F7a~x \
         b64=dG9rL0NhbmFyeSs1ZjFkPTljMGU/N2F+eA== b64url=dG9rL0NhbmFyeSs1ZjFkPTljMGU_N2F-eA== \
         hex=746f6b2f43616e6172792b356631643d396330653f37617e78 \
         blob=a2V5IHRvay9DYW5hcnkrNWYxZD05YzBlPzdhfng=",
        r.header("authorization").unwrap_or("none")
    )
}

/// The echo as it must come out: every form of the token redacted (of the base64 of
/// `key <token>`, the characters that depend on the token alone).
fn redacted(scheme: &str) -> String {
    format!(
        "auth={scheme} [redacted] raw=[redacted] url=[redacted] b64=[redacted] \
         b64url=[redacted] hex=[redacted] blob=a2V5IH[redacted]g="
    )
}

/// A platform with tenant `acme` (its tenant-admin alice) and two adapters on a server that
/// echoes the credentials: Neo4j (basic auth as `maestro`, refused for good: 401 with a Neo4j
/// error code; dead at once) and Loki (a bearer token, answered 500: retried).
fn echoing_platform() -> (Sandbox, Mock) {
    let s = Sandbox::initialised();
    s.create("acme", "eu-west-1", "alice@acme.example");
    let server = Mock::start(|r| {
        if r.target.starts_with("/db/") {
            let error = json!({"errors": [{
                "code": "Neo.ClientError.Security.Unauthorized",
                "message": echo(r),
            }]});
            (401, error.to_string())
        } else {
            (500, json!({"message": echo(r)}).to_string())
        }
    });
    std::fs::write(
        s.home().join("maestro.toml"),
        format!(
            "[[adapters]]\nname = \"graph\"\nkind = \"neo4j\"\nurl = \"{0}\"\nuser = \"maestro\"\n\
             token_env = \"{VAR}\"\nmax_attempts = 1\n\n\
             [[adapters]]\nname = \"logs\"\nkind = \"loki\"\nurl = \"{0}\"\ntoken_env = \"{VAR}\"\n",
            server.url()
        ),
    )
    .unwrap();
    (s, server)
}

/// Runs with the token set (`actor` `None`: without an acting principal).
fn run(s: &Sandbox, actor: Option<&str>, args: &[&str]) -> Output {
    let out = s.cmd(actor).env(VAR, CANARY).args(args).output().unwrap();
    Output {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

#[track_caller]
fn assert_no_token(what: &str, text: &str) {
    for (encoding, form) in ENCODINGS {
        assert!(
            !text.contains(form),
            "{what} holds the token {encoding}:\n{text}"
        );
    }
}

/// The two adapters' errors after one sync.
fn neo4j_error() -> String {
    format!(
        "Neo.ClientError.Security.Unauthorized: {}",
        redacted("Basic")
    )
}

fn loki_error(server: &Mock) -> String {
    format!(
        "HTTP 500 from `{}/loki/api/v1/push`: {{\"message\":\"{}\"}}",
        server.url(),
        redacted("Bearer")
    )
}

#[test]
fn an_echoed_token_is_redacted_in_every_encoding_and_output_format() {
    for format in ["table", "json", "csv"] {
        let (s, server) = echoing_platform();
        let out = run(&s, Some(ADMIN), &["sync", "--output", format]);
        assert_no_token(&format!("sync --output {format}"), &out.stdout);
        assert_no_token(&format!("sync --output {format} (stderr)"), &out.stderr);
        let (graph, logs) = (neo4j_error(), loki_error(&server));
        match format {
            "table" => assert_eq!(
                out.stdout,
                format!(
                    "ADAPTER  DELIVERED  RETRYING  DEAD  PENDING  LAST ERROR\n\
                     graph    6          0         2     0        {graph}\n\
                     logs     0          8         0     8        {logs}\n"
                )
            ),
            "csv" => assert_eq!(
                out.stdout,
                format!(
                    "adapter,delivered,retrying,dead,pending,last error\r\n\
                     graph,6,0,2,0,{graph}\r\nlogs,0,8,0,8,\"{}\"\r\n",
                    logs.replace('"', "\"\"")
                )
            ),
            // Compared as a value: its keys come out sorted.
            _ => assert_eq!(
                serde_json::from_str::<Value>(&out.stdout).unwrap(),
                json!([
                    {"adapter": "graph", "delivered": 6, "retrying": 0, "dead": 2, "pending": 0, "last_error": graph},
                    {"adapter": "logs", "delivered": 0, "retrying": 8, "dead": 0, "pending": 8, "last_error": logs},
                ])
            ),
        }
        let expected_stderr = if format == "json" {
            json_error(1, &format!("adapter `graph`: {graph}"), Some(HELP_SYNC))
                + &json_error(1, &format!("adapter `logs`: {logs}"), Some(HELP_SYNC))
        } else {
            error_text(&format!("adapter `graph`: {graph}"), Some(HELP_SYNC))
                + &error_text(&format!("adapter `logs`: {logs}"), Some(HELP_SYNC))
        };
        assert_eq!(
            (out.code, out.stderr.as_str()),
            (1, expected_stderr.as_str()),
            "sync --output {format}"
        );

        // What the state holds: the same redacted texts, nothing else.
        let db = s.db();
        let mut stmt = db
            .prepare(
                "SELECT adapter, status, last_error, count(*) FROM outbox_deliveries
                  GROUP BY 1, 2, 3 ORDER BY 1, 2, 3",
            )
            .unwrap();
        let recorded: Vec<(String, String, Option<String>, i64)> = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(
            recorded,
            [
                ("graph".into(), "dead".into(), Some(neo4j_error()), 2),
                ("graph".into(), "done".into(), None, 6),
                ("logs".into(), "retry".into(), Some(loki_error(&server)), 1),
                (
                    "logs".into(),
                    "retry".into(),
                    Some("waiting behind an earlier row that is retried".into()),
                    7
                ),
            ]
        );
        drop(stmt);
        drop(db);
        for file in ["state.db", "state.db-wal"] {
            let bytes = std::fs::read(s.home().join(file)).unwrap_or_default();
            assert_no_token(file, &String::from_utf8_lossy(&bytes));
        }
        // The server did get the token, and sent it back.
        let requests = server.requests();
        assert!(
            requests
                .iter()
                .any(|r| r.header("authorization") == Some(&format!("Bearer {CANARY}"))),
            "{requests:?}"
        );
    }
}

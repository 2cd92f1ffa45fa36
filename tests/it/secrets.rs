//! A backend that echoes the credentials it got, in every encoding: the token never reaches
//! the state, `sync` (any output format), `sync:dead` or `status`; `[redacted]` stands in its
//! place, and only a platform admin reads an adapter's error text in `status`.

use serde_json::{Value, json};

use crate::http_mock::Mock;
use crate::support::{ADMIN, HELP_SYNC, Output, Sandbox, error_text, json_error};

/// The sandbox's clock as the outbox records it.
const CLOCK: &str = "2026-11-25T10:00:00.000Z";

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

#[test]
fn only_a_platform_admin_reads_adapter_errors_in_status_and_then_redacted() {
    let (s, server) = echoing_platform();
    assert_eq!(run(&s, Some(ADMIN), &["sync"]).code, 1);

    // sync:dead, a platform admin's: the recorded error, redacted.
    let dead = run(&s, Some(ADMIN), &["sync:dead", "--output", "json"]);
    assert_no_token("sync:dead", &dead.stdout);
    let dead: Value = serde_json::from_str(&dead.stdout).unwrap();
    let errors: Vec<&str> = dead
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["last_error"].as_str().unwrap())
        .collect();
    assert_eq!(errors, vec![neo4j_error().as_str(); 2]);

    let adapters = |actor: Option<&str>| -> Vec<String> {
        let out = run(&s, actor, &["status", "--output", "json"]);
        assert_no_token("status", &format!("{}{}", out.stdout, out.stderr));
        assert_eq!(out.code, 4, "{}", out.stderr);
        let status: Value = serde_json::from_str(&out.stdout).unwrap();
        status["checks"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["name"] == "adapter")
            .map(|c| {
                assert_eq!(c["ok"], false, "{c}");
                c["detail"].as_str().unwrap().to_string()
            })
            .collect()
    };
    let url = server.url();
    let probe = |scheme: &str| {
        format!(
            "HTTP 500 from `{url}/`: {{\"message\":\"{}\"}}",
            redacted(scheme)
        )
    };
    let ready = format!(
        "HTTP 500 from `{url}/ready`: {{\"message\":\"{}\"}}",
        redacted("Bearer")
    );
    assert_eq!(
        adapters(Some(ADMIN)),
        [
            format!(
                "graph (neo4j): UNREACHABLE ({}); 0 pending, 2 dead; last success {CLOCK}; \
                 2 failed deliveries; last error {CLOCK}: {}",
                probe("Basic"),
                neo4j_error()
            ),
            format!(
                "logs (loki): UNREACHABLE ({ready}); 8 pending, 0 dead; last success never; \
                 1 failed delivery; last error {CLOCK}: {}",
                loki_error(&server)
            ),
        ],
        "a platform admin reads the errors, redacted"
    );
    let hidden = [
        "graph (neo4j): UNREACHABLE; 0 pending, 2 dead; last success 2026-11-25T10:00:00.000Z; \
         2 failed deliveries; \
         error text shown to platform admins only (`maestro-cli status`, `maestro-cli sync:dead`)",
        "logs (loki): UNREACHABLE; 8 pending, 0 dead; last success never; 1 failed delivery; \
         error text shown to platform admins only (`maestro-cli status`, `maestro-cli sync:dead`)",
    ];
    assert_eq!(
        adapters(Some("alice@acme.example")),
        hidden,
        "a tenant admin sees the counts, not the text"
    );
    assert_eq!(
        adapters(Some("nobody@example.com")),
        hidden,
        "a principal without a role"
    );
    assert_eq!(adapters(None), hidden, "no acting principal");

    // The table, as a tenant admin prints it.
    let table = run(&s, Some("alice@acme.example"), &["status"]);
    assert_no_token("status", &table.stdout);
    assert!(!table.stdout.contains("[redacted]"), "{}", table.stdout);
    for line in hidden {
        assert!(
            table
                .stdout
                .contains(&format!("adapter      FAIL  {line}\n")),
            "{}",
            table.stdout
        );
    }
}

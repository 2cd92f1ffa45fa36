//! IntelGraph on Neo4j over HTTP: the statements of `outbox::payload::graph` for each row, with
//! their parameters, through the Query API (`POST /db/<db>/query/v2`, one statement a
//! request) or the older transactional endpoint (`POST /db/<db>/tx/commit`, a row's
//! statements in one transaction). The latter answers 200 even when a statement failed: its
//! `errors` are read either way. `Neo.TransientError.*` is retried; other Neo4j errors are
//! permanent (the row goes to the dead letter).

use serde_json::{Value, json};

use super::http::{Auth, Http};
use crate::config::{AdapterConfig, Neo4jApi};
use crate::model::outbox::OutboxRow;
use crate::outbox::payload::graph::{self, Statement};
use crate::outbox::{Backend, Failure, one_by_one};

pub struct Neo4j {
    http: Http,
    database: String,
    api: Neo4jApi,
}

/// The first error of a Neo4j answer's `errors`, as a failure.
pub fn errors(body: &str) -> Option<Failure> {
    let v: Value = serde_json::from_str(body).ok()?;
    let e = v["errors"].as_array()?.first()?;
    let code = e["code"].as_str().unwrap_or("Neo.Unknown");
    let message = format!("{code}: {}", e["message"].as_str().unwrap_or_default());
    Some(if code.starts_with("Neo.TransientError") {
        Failure::retry(message)
    } else {
        Failure::permanent(message)
    })
}

impl Neo4j {
    pub fn new(config: &AdapterConfig) -> Neo4j {
        let user = config.basic_user().unwrap_or("neo4j").to_string();
        Neo4j {
            http: Http::new(config, |t| t.map_or(Auth::None, |t| Auth::Basic(user, t))),
            database: config.database.clone().unwrap_or_else(|| "neo4j".into()),
            api: config.api.unwrap_or_default(),
        }
    }

    fn post(&self, path: &str, body: Value) -> Result<(), Failure> {
        let request = self
            .http
            .request(reqwest::Method::POST, path, &[])?
            .header(reqwest::header::ACCEPT, "application/json")
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(body.to_string());
        let answer = self.http.exchange(request)?;
        // A refused statement comes with Neo4j's own error code (in a 4xx answer from the
        // Query API, in a 200 one from tx/commit): classify by it. Its message is the server's
        // text: kept as a redacted excerpt, like any answer.
        if let Some(mut f) = errors(&answer.body) {
            f.message = self.http.excerpt(&f.message);
            return Err(f);
        }
        self.http.check(answer).map(|_| ())
    }

    fn run(&self, statements: &[Statement]) -> Result<(), Failure> {
        if statements.is_empty() {
            return Ok(());
        }
        match self.api {
            Neo4jApi::Query => {
                let path = format!("/db/{}/query/v2", self.database);
                for s in statements {
                    self.post(
                        &path,
                        json!({"statement": s.statement, "parameters": s.parameters}),
                    )?;
                }
                Ok(())
            }
            Neo4jApi::Tx => self.post(
                &format!("/db/{}/tx/commit", self.database),
                json!({ "statements": statements }),
            ),
        }
    }
}

impl Backend for Neo4j {
    fn deliver(&mut self, rows: &[OutboxRow]) -> Vec<Result<(), Failure>> {
        one_by_one(rows, |row| self.run(&graph::statements(row)))
    }

    fn reachable(&self) -> Result<(), String> {
        self.http.probe("/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_in_a_200_answer_are_failures() {
        assert_eq!(errors(r#"{"results":[],"errors":[]}"#), None);
        let f = errors(
            r#"{"errors":[{"code":"Neo.ClientError.Statement.SyntaxError","message":"bad"}]}"#,
        )
        .unwrap();
        assert!(f.permanent);
        assert_eq!(f.message, "Neo.ClientError.Statement.SyntaxError: bad");
        let f = errors(r#"{"errors":[{"code":"Neo.TransientError.Transaction.DeadlockDetected","message":"x"}]}"#).unwrap();
        assert!(!f.permanent);
    }
}

//! What the HTTP adapters share: one blocking client per delivery run with the adapter's
//! timeout, its credentials, and the reading of an answer into success, retry (network
//! errors, 408, 429 and 5xx, honouring `Retry-After`) or a permanent failure (other 4xx). A
//! failure keeps only a redacted excerpt of the answer (`outbox::redact`).

use std::time::Duration;

use reqwest::blocking::{Client, RequestBuilder};

use super::secret::{self, Secret};
use crate::config::AdapterConfig;
use crate::outbox::{Failure, Secrets};

/// How requests authenticate.
#[derive(Debug, Clone)]
pub enum Auth {
    None,
    Bearer(Secret),
    Basic(String, Secret),
}

/// An answer, any status.
#[derive(Debug)]
pub struct Answer {
    pub url: String,
    pub status: u16,
    pub retry_after: Option<Duration>,
    pub body: String,
}

/// An answer with a 2xx status.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub body: String,
}

pub struct Http {
    client: Result<Client, String>,
    base: String,
    auth: Result<Auth, String>,
    timeout: Duration,
    /// The variable the token came from, for messages.
    token_env: Option<String>,
    /// The token's forms, out of every message.
    secrets: Secrets,
}

impl Http {
    /// `auth` turns the adapter's token (if any) into credentials.
    pub fn new(config: &AdapterConfig, auth: impl FnOnce(Option<Secret>) -> Auth) -> Http {
        // reqwest is built without a TLS provider of its own (see Cargo.toml): ring. Installing
        // it a second time is refused harmlessly.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let timeout = Duration::from_millis(config.timeout_ms.max(1));
        let client = Client::builder()
            .timeout(timeout)
            .connect_timeout(timeout)
            .user_agent(concat!("maestro-cli/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| format!("cannot set up an HTTP client: {e}"));
        let token = secret::token(config);
        let mut secrets = Secrets::default();
        if let Ok(Some(t)) = &token {
            secrets.add(t.expose(), config.basic_user());
        }
        Http {
            client,
            base: config.url.get_ref().trim_end_matches('/').to_string(),
            auth: token.map(auth),
            timeout,
            token_env: config.token_env.as_ref().map(|v| v.get_ref().clone()),
            secrets,
        }
    }

    /// A backend's answer (or a part of it) as a message may hold it: redacted, on one line,
    /// capped.
    pub fn excerpt(&self, text: &str) -> String {
        self.secrets.excerpt(text)
    }

    /// `base` + `path`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// A request to `path` (with `query` pairs, encoded) with the credentials set.
    pub fn request(
        &self,
        method: reqwest::Method,
        path: &str,
        query: &[(&str, &str)],
    ) -> Result<RequestBuilder, Failure> {
        let client = self
            .client
            .as_ref()
            .map_err(|e| Failure::retry(e.clone()))?;
        let auth = self.auth.as_ref().map_err(|e| Failure::retry(e.clone()))?;
        let mut url = reqwest::Url::parse(&self.url(path))
            .map_err(|e| Failure::permanent(format!("invalid url `{}`: {e}", self.url(path))))?;
        if !query.is_empty() {
            url.query_pairs_mut().extend_pairs(query);
        }
        let request = client.request(method, url);
        Ok(match auth {
            Auth::None => request,
            Auth::Bearer(token) => request.bearer_auth(token.expose()),
            Auth::Basic(user, password) => request.basic_auth(user, Some(password.expose())),
        })
    }

    /// Sends `request` and reads the answer, whatever its status; only a network failure
    /// (no answer, a time-out) is an error.
    pub fn exchange(&self, request: RequestBuilder) -> Result<Answer, Failure> {
        let client = self
            .client
            .as_ref()
            .map_err(|e| Failure::retry(e.clone()))?;
        let request = request
            .build()
            .map_err(|e| Failure::permanent(format!("cannot make the request: {}", chain(&e))))?;
        let url = request.url().as_str().to_string();
        let response = match client.execute(request) {
            Ok(r) => r,
            Err(e) if e.is_timeout() => {
                return Err(Failure::retry(format!(
                    "`{url}` did not answer within {} ms",
                    self.timeout.as_millis()
                )));
            }
            Err(e) => {
                return Err(Failure::retry(
                    self.scrub(format!("`{url}`: {}", chain(&e))),
                ));
            }
        };
        let status = response.status().as_u16();
        let retry_after = response
            .headers()
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(parse_retry_after);
        let body = match response.text() {
            Ok(b) => b,
            Err(e) if e.is_timeout() => {
                return Err(Failure::retry(format!(
                    "`{url}` did not finish its answer within {} ms",
                    self.timeout.as_millis()
                )));
            }
            Err(e) => {
                return Err(Failure::retry(format!(
                    "`{url}`: reading the answer: {}",
                    chain(&e)
                )));
            }
        };
        Ok(Answer {
            url,
            status,
            retry_after,
            body,
        })
    }

    /// Sends `request`: a 2xx answer is a [`Reply`]; 408, 429 and 5xx are retried (after
    /// `Retry-After` when given); other statuses are permanent failures.
    pub fn send(&self, request: RequestBuilder) -> Result<Reply, Failure> {
        let answer = self.exchange(request)?;
        self.check(answer)
    }

    /// An answer as [`Http::send`] reads it.
    pub fn check(&self, answer: Answer) -> Result<Reply, Failure> {
        let Answer {
            url,
            status,
            retry_after,
            body,
        } = answer;
        if (200..300).contains(&status) {
            return Ok(Reply { status, body });
        }
        let snippet = snippet(&self.secrets, &body);
        let mut failure = match status {
            408 | 429 | 500..=599 => Failure::retry(format!("HTTP {status} from `{url}`{snippet}")),
            401 | 403 => Failure::permanent(format!(
                "HTTP {status} from `{url}`: the credentials were refused{}{snippet}",
                self.token_env
                    .as_ref()
                    .map(|v| format!("; check the token in `${v}`"))
                    .unwrap_or_else(|| "; set token_env for this adapter".into())
            )),
            _ => Failure::permanent(format!("HTTP {status} from `{url}`{snippet}")),
        };
        failure.retry_after = retry_after;
        failure.message = self.scrub(failure.message);
        Err(failure)
    }

    /// `message` with the token, should a server have echoed it, replaced.
    fn scrub(&self, message: String) -> String {
        self.secrets.redact(&message).into_owned()
    }

    /// For `status`: a GET of `path` gets an answer below 500 that does not refuse the
    /// credentials (a 404 from an endpoint an older version lacks is an answer).
    pub fn probe(&self, path: &str) -> Result<(), String> {
        let request = self
            .request(reqwest::Method::GET, path, &[])
            .map_err(|f| f.message)?;
        let answer = self.exchange(request).map_err(|f| f.message)?;
        match answer.status {
            401 | 403 | 500.. => self.check(answer).map(|_| ()).map_err(|f| f.message),
            _ => Ok(()),
        }
    }
}

/// `: <the body's excerpt, secrets redacted>`, or nothing.
fn snippet(secrets: &Secrets, body: &str) -> String {
    let excerpt = secrets.excerpt(body);
    if excerpt.is_empty() {
        String::new()
    } else {
        format!(": {excerpt}")
    }
}

/// An error with its causes, `: `-joined (reqwest's own message says little).
fn chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let text = s.to_string();
        if !out.contains(&text) {
            out.push_str(": ");
            out.push_str(&text);
        }
        source = s.source();
    }
    out
}

/// `Retry-After`: delay-seconds or an HTTP-date.
pub fn parse_retry_after(value: &str) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = jiff::fmt::rfc2822::parse(value).ok()?.timestamp();
    let wait = at.duration_since(jiff::Timestamp::now());
    Some(Duration::from_secs(
        u64::try_from(wait.as_secs()).unwrap_or(0),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_takes_seconds_and_dates() {
        assert_eq!(parse_retry_after("120"), Some(Duration::from_secs(120)));
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT"),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon"), None);
    }

    #[test]
    fn snippets_are_one_short_redacted_line() {
        let mut secrets = Secrets::default();
        secrets.add("tok-1234567890", None);
        assert_eq!(snippet(&secrets, ""), "");
        assert_eq!(snippet(&secrets, "a\n  b"), ": a b");
        assert_eq!(snippet(&secrets, &"x".repeat(500)).len(), 202);
        // Redacted before the cut: a token across the 200th character leaves no part of it.
        let body = format!("{} Bearer tok-1234567890", "x".repeat(190));
        assert_eq!(
            snippet(&secrets, &body),
            format!(": {} Bearer [r", "x".repeat(190))
        );
    }
}

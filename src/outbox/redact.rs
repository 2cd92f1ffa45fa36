//! Secrets out of error text. A backend may echo the credentials it was sent (`Authorization:
//! Basic <base64 of user:token>`, the token in a URL, in hex) and its answer becomes an error
//! that is stored (`outbox_deliveries.last_error`) and shown (`sync`, `sync:dead`, `status`).
//! [`Secrets`] holds every form of every adapter's token and [`Secrets::redact`] replaces each
//! with [`MARKER`]: adapter errors pass through it before they are stored
//! ([`super::sync::deliver`]) or shown ([`super::sync::probe`], `sync:dead`), and a backend's
//! answer is kept only as a redacted, capped [`Secrets::excerpt`].
//!
//! The forms of a secret: as is; base64 in the standard and URL-safe alphabets, padded or not,
//! of the secret alone and of `user:secret` (basic authentication), and inside any longer base64
//! text (at each of the three byte alignments, the characters that only the secret
//! determines); lower- and upper-case hex; each of these percent-encoded (upper- or lower-case
//! escapes; the secret itself also with every byte escaped, and as a form value) and
//! JSON-escaped.

use std::borrow::Cow;
use std::fmt;

use ct_codecs::{Base64, Base64NoPadding, Base64UrlSafe, Base64UrlSafeNoPadding, Encoder};

use crate::config::{AdapterConfig, Config};
use crate::model::audit::hex;

/// What a secret is replaced with (also how `adapters::secret::Secret` prints).
pub const MARKER: &str = "[redacted]";

/// How much of a backend's answer an error keeps: its first characters, after redaction.
pub const EXCERPT_CHARS: usize = 200;

/// The shortest piece of base64 text matched inside longer base64 text: shorter pieces of a
/// very short secret would match innocent text.
const MIN_FRAGMENT: usize = 8;

/// Every form of some secrets. `Debug` shows how many forms, never one.
#[derive(Clone, Default)]
pub struct Secrets {
    forms: Vec<String>,
}

impl fmt::Debug for Secrets {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Secrets({} forms)", self.forms.len())
    }
}

impl Secrets {
    /// The tokens of every adapter in `config`, read from the variables their `token_env`
    /// names (an unset variable has nothing to redact).
    pub fn from_config(config: &Config) -> Secrets {
        let mut secrets = Secrets::default();
        for adapter in &config.adapters {
            secrets.add_adapter(adapter);
        }
        secrets
    }

    /// The token of one adapter, with its basic-auth user.
    pub fn add_adapter(&mut self, config: &AdapterConfig) {
        let token = config
            .token_env
            .as_ref()
            .and_then(|var| std::env::var(var.get_ref()).ok());
        if let Some(token) = token {
            self.add(&token, config.basic_user());
        }
    }

    /// Adds every form of `secret`; `user`: the user it is sent with in basic authentication.
    pub fn add(&mut self, secret: &str, user: Option<&str>) {
        if secret.is_empty() {
            return;
        }
        let bytes = secret.as_bytes();
        let mut plain = vec![secret.to_string()];
        plain.extend(base64_forms(bytes));
        if let Some(user) = user {
            plain.extend(base64_forms(format!("{user}:{secret}").as_bytes()));
        }
        plain.extend(base64_fragments(bytes));
        let lower = hex(bytes);
        plain.push(lower.to_ascii_uppercase());
        plain.push(lower);

        let mut escaped = vec![
            percent(secret, Escape::All, Case::Upper),
            percent(secret, Escape::All, Case::Lower),
            percent(secret, Escape::Reserved, Case::Upper).replace("%20", "+"),
        ];
        for form in &plain {
            escaped.push(percent(form, Escape::Reserved, Case::Upper));
            escaped.push(percent(form, Escape::Reserved, Case::Lower));
        }
        plain.extend(escaped);
        let json: Vec<String> = plain.iter().flat_map(|form| json_forms(form)).collect();
        plain.extend(json);

        for form in plain {
            if !form.is_empty() && !self.forms.contains(&form) {
                self.forms.push(form);
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        self.forms.is_empty()
    }

    /// `text` with every occurrence of every form replaced by [`MARKER`] (overlapping or
    /// adjacent occurrences by one marker).
    pub fn redact<'a>(&self, text: &'a str) -> Cow<'a, str> {
        let mut spans: Vec<(usize, usize)> = Vec::new();
        for form in &self.forms {
            let mut from = 0;
            while let Some(at) = text[from..].find(form.as_str()) {
                let start = from + at;
                spans.push((start, start + form.len()));
                // Overlapping occurrences too: look again one character further.
                from = start + text[start..].chars().next().map_or(1, char::len_utf8);
            }
        }
        if spans.is_empty() {
            return Cow::Borrowed(text);
        }
        spans.sort_unstable();
        let mut out = String::with_capacity(text.len());
        let mut copied = 0;
        let mut current = spans[0];
        for &(start, end) in &spans[1..] {
            if start <= current.1 {
                current.1 = current.1.max(end);
            } else {
                out.push_str(&text[copied..current.0]);
                out.push_str(MARKER);
                copied = current.1;
                current = (start, end);
            }
        }
        out.push_str(&text[copied..current.0]);
        out.push_str(MARKER);
        out.push_str(&text[current.1..]);
        Cow::Owned(out)
    }

    /// A backend's answer as an error keeps it: redacted, on one line, its first
    /// [`EXCERPT_CHARS`] characters (cut after redaction, so that no part of a secret is left
    /// at the cut).
    pub fn excerpt(&self, text: &str) -> String {
        let one_line = self
            .redact(text)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        self.redact(&one_line).chars().take(EXCERPT_CHARS).collect()
    }
}

/// Base64 of `data`: standard and URL-safe alphabets, padded and not.
fn base64_forms(data: &[u8]) -> Vec<String> {
    [
        Base64::encode_to_string(data),
        Base64NoPadding::encode_to_string(data),
        Base64UrlSafe::encode_to_string(data),
        Base64UrlSafeNoPadding::encode_to_string(data),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// What `secret` looks like inside any longer base64 text: base64 works on 3-byte groups from
/// the start, so the secret starts at one of three alignments; at each, the characters whose
/// six bits all come from the secret are the same whatever surrounds it.
fn base64_fragments(secret: &[u8]) -> Vec<String> {
    let mut fragments = Vec::new();
    for offset in 0..3 {
        let mut data = vec![0u8; offset];
        data.extend_from_slice(secret);
        let first = (8 * offset).div_ceil(6);
        let end = 8 * data.len() / 6;
        for encoded in [
            Base64NoPadding::encode_to_string(&data),
            Base64UrlSafeNoPadding::encode_to_string(&data),
        ]
        .into_iter()
        .flatten()
        {
            if let Some(fragment) = encoded.get(first..end)
                && fragment.len() >= MIN_FRAGMENT
            {
                fragments.push(fragment.to_string());
            }
        }
    }
    fragments
}

#[derive(Clone, Copy)]
enum Escape {
    /// Every byte but RFC 3986's unreserved characters.
    Reserved,
    All,
}

#[derive(Clone, Copy)]
enum Case {
    Upper,
    Lower,
}

fn percent(text: &str, escape: Escape, case: Case) -> String {
    let digits: &[u8; 16] = match case {
        Case::Upper => b"0123456789ABCDEF",
        Case::Lower => b"0123456789abcdef",
    };
    let mut out = String::with_capacity(text.len() * 3);
    for &b in text.as_bytes() {
        let keep = matches!(escape, Escape::Reserved)
            && (b.is_ascii_alphanumeric() || b"-._~".contains(&b));
        if keep {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(char::from(digits[usize::from(b >> 4)]));
            out.push(char::from(digits[usize::from(b & 0x0f)]));
        }
    }
    out
}

/// `text` inside a JSON string: escaped as serde_json writes it, and with `/` as `\/`.
fn json_forms(text: &str) -> Vec<String> {
    let quoted = serde_json::Value::from(text).to_string();
    let inner = quoted
        .strip_prefix('"')
        .and_then(|q| q.strip_suffix('"'))
        .unwrap_or(&quoted)
        .to_string();
    let slashed = inner.replace('/', "\\/");
    vec![inner, slashed]
}

#[cfg(test)]
mod tests;

//! Every form of a secret, table by table: the text a backend might send back, and what is
//! left of it. The encoded forms were computed apart from this code (Python's `base64`,
//! `urllib.parse.quote` and `bytes.hex`).

use super::*;

const SECRET: &str = "s3cr3t/t0k+n?x~9";

fn secrets() -> Secrets {
    let mut s = Secrets::default();
    s.add(SECRET, Some("maestro"));
    s
}

#[test]
fn every_encoding_of_a_secret_is_redacted() {
    let cases: &[(&str, &str, &str)] = &[
        ("as is", "Bearer s3cr3t/t0k+n?x~9", "Bearer [redacted]"),
        (
            "basic auth, standard base64 of user:secret",
            "Basic bWFlc3RybzpzM2NyM3QvdDBrK24/eH45",
            "Basic [redacted]",
        ),
        (
            "basic auth, URL-safe",
            "Basic bWFlc3RybzpzM2NyM3QvdDBrK24_eH45",
            "Basic [redacted]",
        ),
        (
            "base64, padded",
            "b64=czNjcjN0L3QwaytuP3h+OQ==;",
            "b64=[redacted];",
        ),
        (
            "base64, unpadded",
            "b64=czNjcjN0L3QwaytuP3h+OQ;",
            "b64=[redacted];",
        ),
        (
            "URL-safe base64, padded",
            "czNjcjN0L3QwaytuP3h-OQ==",
            "[redacted]",
        ),
        (
            "URL-safe base64, unpadded",
            "czNjcjN0L3QwaytuP3h-OQ",
            "[redacted]",
        ),
        (
            "inside longer base64, one byte in",
            "eHMzY3IzdC90MGsrbj94fjk=",
            "eH[redacted]k=",
        ),
        (
            "inside longer URL-safe base64, two bytes in",
            "eHlzM2NyM3QvdDBrK24_eH45",
            "eHl[redacted]",
        ),
        (
            "percent-encoded",
            "?token=s3cr3t%2Ft0k%2Bn%3Fx~9&a=1",
            "?token=[redacted]&a=1",
        ),
        (
            "percent-encoded, lower-case escapes",
            "s3cr3t%2ft0k%2bn%3fx~9",
            "[redacted]",
        ),
        (
            "every byte percent-encoded",
            "%73%33%63%72%33%74%2f%74%30%6b%2b%6e%3f%78%7e%39",
            "[redacted]",
        ),
        (
            "user:secret percent-encoded",
            "maestro%3As3cr3t%2Ft0k%2Bn%3Fx~9",
            "maestro%3A[redacted]",
        ),
        (
            "base64 percent-encoded",
            "czNjcjN0L3QwaytuP3h%2BOQ%3D%3D",
            "[redacted]",
        ),
        (
            "base64 percent-encoded, lower-case escapes",
            "czNjcjN0L3QwaytuP3h%2bOQ%3d%3d",
            "[redacted]",
        ),
        ("hex", "7333637233742f74306b2b6e3f787e39", "[redacted]"),
        (
            "upper-case hex",
            "7333637233742F74306B2B6E3F787E39",
            "[redacted]",
        ),
        (
            "JSON with escaped slashes",
            r#"{"auth":"Basic bWFlc3RybzpzM2NyM3QvdDBrK24\/eH45"}"#,
            r#"{"auth":"Basic [redacted]"}"#,
        ),
        (
            "adjacent and repeated",
            "s3cr3t/t0k+n?x~9s3cr3t/t0k+n?x~9 and s3cr3t/t0k+n?x~9",
            "[redacted] and [redacted]",
        ),
        (
            "nothing secret",
            "HTTP 401 from `http://127.0.0.1:3000/`: bad credentials",
            "HTTP 401 from `http://127.0.0.1:3000/`: bad credentials",
        ),
    ];
    let secrets = secrets();
    for (what, text, expected) in cases {
        assert_eq!(secrets.redact(text), *expected, "{what}");
    }
}

#[test]
fn text_without_a_secret_is_not_copied() {
    assert!(matches!(secrets().redact("all clear"), Cow::Borrowed(_)));
    assert!(matches!(
        Secrets::default().redact("s3cr3t/t0k+n?x~9"),
        Cow::Borrowed(_)
    ));
}

#[test]
fn a_short_secret_is_redacted_in_its_whole_forms_only() {
    let mut s = Secrets::default();
    s.add("abc", None);
    s.add("", None);
    assert_eq!(
        s.redact("x abc y YWJj 616263"),
        "x [redacted] y [redacted] [redacted]"
    );
    // Pieces of base64 that short are not searched for inside other base64.
    assert_eq!(s.redact("YWJ WJj"), "YWJ WJj");
}

#[test]
fn an_excerpt_is_cut_after_redaction() {
    let body = format!("{}\n{SECRET} tail", "x".repeat(194));
    let excerpt = secrets().excerpt(&body);
    assert_eq!(excerpt, format!("{} [reda", "x".repeat(194)));
    assert_eq!(excerpt.chars().count(), EXCERPT_CHARS);
    assert_eq!(secrets().excerpt("  short\n answer "), "short answer");
}

#[test]
fn secrets_never_format_a_form() {
    let debug = format!("{:?}", secrets());
    assert!(debug.starts_with("Secrets("), "{debug}");
    assert!(!debug.contains("s3cr3t"), "{debug}");
}

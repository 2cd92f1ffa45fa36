//! The Prometheus text exposition format (0.0.4) of a tenant's metrics snapshot, for the
//! Pushgateway (without timestamps: it refuses them) and VictoriaMetrics (with the snapshot's
//! time, so a backlog delivered late keeps its history).

use std::fmt::Write as _;

use crate::outbox::payload::metrics::{self, Snapshot};

/// A label value escaped: `\`, `"` and newlines.
pub fn label_value(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out
}

/// `# HELP`/`# TYPE` once per metric, then its samples; `timestamp_ms` appended when given.
pub fn render(snapshot: &Snapshot, timestamp_ms: Option<i64>) -> String {
    let mut out = String::new();
    let mut current = "";
    for s in &snapshot.samples {
        if s.name != current {
            current = &s.name;
            let _ = writeln!(out, "# HELP {} {}", s.name, metrics::help(&s.name));
            let _ = writeln!(out, "# TYPE {} gauge", s.name);
        }
        out.push_str(&s.name);
        if !s.labels.is_empty() {
            out.push('{');
            for (i, (k, v)) in s.labels.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                let _ = write!(out, "{k}=\"{}\"", label_value(v));
            }
            out.push('}');
        }
        let _ = match timestamp_ms {
            Some(ts) => writeln!(out, " {} {ts}", s.value),
            None => writeln!(out, " {}", s.value),
        };
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::outbox::payload::metrics::Sample;

    #[test]
    fn renders_escaped_labels_and_one_header_per_metric() {
        let sample = |name: &str, label: &str, value: &str| Sample {
            name: name.into(),
            labels: [("service".to_string(), label.to_string())].into(),
            value: value.into(),
        };
        let snapshot = Snapshot {
            tenant_id: "acme".into(),
            at: "2026-11-25T10:00:00Z".into(),
            samples: vec![
                sample("maestro_perf_requests", "a\"b\\c\nd", "3"),
                sample("maestro_perf_requests", "api", "4"),
            ],
        };
        let text = render(&snapshot, Some(1_764_064_800_000));
        assert_eq!(
            text.matches("# TYPE maestro_perf_requests gauge").count(),
            1
        );
        assert!(
            text.contains("maestro_perf_requests{service=\"a\\\"b\\\\c\\nd\"} 3 1764064800000\n"),
            "{text}"
        );
        assert!(render(&snapshot, None).contains("{service=\"api\"} 4\n"));
    }
}

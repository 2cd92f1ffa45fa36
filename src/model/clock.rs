//! Where time comes from. Commands take the time from a `Clock`, so tests and packs can fix it.

use jiff::Timestamp;

#[derive(Debug, Clone, Copy)]
pub enum Clock {
    /// The system clock.
    System,
    /// Always the same instant (tests, reproducible packs: `MAESTRO_CLOCK`).
    Fixed(Timestamp),
}

impl Clock {
    pub fn now(&self) -> Timestamp {
        match self {
            Clock::System => Timestamp::now(),
            Clock::Fixed(at) => *at,
        }
    }

    /// The current instant as RFC 3339 in UTC with millisecond precision, the form stored.
    pub fn now_rfc3339(&self) -> String {
        format_rfc3339(self.now())
    }
}

pub fn format_rfc3339(at: Timestamp) -> String {
    format!("{at:.3}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_clock_formats_utc_millis() {
        let at: Timestamp = "2026-11-25T09:10:11.5Z".parse().unwrap();
        assert_eq!(Clock::Fixed(at).now_rfc3339(), "2026-11-25T09:10:11.500Z");
    }
}

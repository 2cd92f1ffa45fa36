//! Exact latency distributions: `(microseconds, count)` pairs sorted by value, as the store
//! keeps them per day, and their percentiles.

/// The nearest-rank percentile `p` (0 < p ≤ 100) of a sorted (value, count) distribution:
/// the smallest value with at least ⌈p·N/100⌉ requests at or below it.
pub fn percentile(latencies: &[(u64, u64)], p: u64) -> Option<u64> {
    let n: u64 = latencies.iter().map(|(_, c)| c).sum();
    if n == 0 {
        return None;
    }
    let rank = (p * n).div_ceil(100).max(1);
    let mut seen = 0;
    for (value, c) in latencies {
        seen += c;
        if seen >= rank {
            return Some(*value);
        }
    }
    latencies.last().map(|(v, _)| *v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_percentiles() {
        // 1..=100 ms, one request each.
        let d: Vec<(u64, u64)> = (1..=100).map(|v| (v * 1000, 1)).collect();
        assert_eq!(percentile(&d, 50), Some(50_000));
        assert_eq!(percentile(&d, 95), Some(95_000));
        assert_eq!(percentile(&d, 99), Some(99_000));
        assert_eq!(percentile(&[(7, 3)], 95), Some(7));
        assert_eq!(percentile(&[], 95), None);
        // 19 fast, 1 slow: p95 is the 19th request.
        assert_eq!(percentile(&[(10, 19), (900, 1)], 95), Some(10));
        assert_eq!(percentile(&[(10, 18), (900, 2)], 95), Some(900));
    }
}

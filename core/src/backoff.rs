//! When to try again after a failed send: exponential, with jitter, capped.

use chrono::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backoff {
    pub base: Duration,
    pub cap: Duration,
}

impl Default for Backoff {
    /// 2 s, 4 s, 8 s ... never more than five minutes.
    fn default() -> Self {
        Self {
            base: Duration::seconds(2),
            cap: Duration::minutes(5),
        }
    }
}

impl Backoff {
    /// Delay before attempt `failures + 1`; `jitter` in [0, 1) spreads devices that came online
    /// together ("full jitter" between half and the whole delay).
    pub fn delay(&self, failures: u32, jitter: f64) -> Duration {
        let exp = 2_i64.saturating_pow(failures.saturating_sub(1).min(30));
        let full = self
            .base
            .num_milliseconds()
            .saturating_mul(exp)
            .min(self.cap.num_milliseconds());
        let jitter = jitter.clamp(0.0, 1.0);
        Duration::milliseconds(((full as f64) * (0.5 + jitter / 2.0)) as i64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn it_doubles_then_stays_at_the_cap() {
        let b = Backoff::default();
        assert_eq!(b.delay(1, 1.0), Duration::seconds(2));
        assert_eq!(b.delay(2, 1.0), Duration::seconds(4));
        assert_eq!(b.delay(3, 1.0), Duration::seconds(8));
        assert_eq!(b.delay(9, 1.0), Duration::minutes(5));
        assert_eq!(b.delay(1000, 1.0), Duration::minutes(5));
    }

    #[test]
    fn jitter_spreads_between_half_and_whole() {
        let b = Backoff::default();
        assert_eq!(b.delay(3, 0.0), Duration::seconds(4));
        assert!(b.delay(3, 0.5) > Duration::seconds(4) && b.delay(3, 0.5) < Duration::seconds(8));
        assert!(b.delay(20, 0.0) >= Duration::seconds(150));
    }
}

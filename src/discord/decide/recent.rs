//! When each key was last seen, forgotten once older than a window or beyond a bound: the
//! cooldowns and the escalation rate. Forgetting costs the same however many keys there are
//! (the oldest are dropped from the front of a queue), and a flood of distinct keys cannot
//! grow it past its bound.

use std::collections::{HashMap, VecDeque};
use std::hash::Hash;
use std::time::Duration;

use tokio::time::Instant;

/// Keys and when each was last seen.
#[derive(Debug)]
pub struct Recent<K> {
    last: HashMap<K, Instant>,
    /// Every time a key was seen, oldest first (a key seen again is also further back, with
    /// its older time: skipped when its time is not the one kept).
    order: VecDeque<(K, Instant)>,
    bound: usize,
}

impl<K: Eq + Hash + Clone> Recent<K> {
    /// At most `bound` keys are kept.
    pub fn new(bound: usize) -> Recent<K> {
        Recent {
            last: HashMap::new(),
            order: VecDeque::new(),
            bound: bound.max(1),
        }
    }

    /// When `key` was last seen.
    pub fn get(&self, key: &K) -> Option<Instant> {
        self.last.get(key).copied()
    }

    /// Whether `key` was seen within `window` before `now`.
    pub fn within(&self, key: &K, window: Duration, now: Instant) -> bool {
        self.get(key)
            .is_some_and(|t| now.saturating_duration_since(t) < window)
    }

    /// Notes `key` as seen at `now`, and forgets what is older than `window` or beyond the
    /// bound.
    pub fn insert(&mut self, key: K, now: Instant, window: Duration) {
        self.last.insert(key.clone(), now);
        self.order.push_back((key, now));
        while let Some((k, t)) = self.order.front() {
            let stale = self.last.get(k) != Some(t);
            let old = now.saturating_duration_since(*t) >= window;
            let over = self.last.len() > self.bound || self.order.len() > 2 * self.bound;
            if !(stale || old || over) {
                break;
            }
            let (k, t) = self.order.pop_front().expect("a front");
            if self.last.get(&k) == Some(&t) {
                self.last.remove(&k);
            }
        }
    }

    /// Keys kept.
    pub fn len(&self) -> usize {
        self.last.len()
    }

    pub fn is_empty(&self) -> bool {
        self.last.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_kept_within_their_window_and_bound() {
        let t0 = Instant::now();
        let w = Duration::from_secs(60);
        let mut r = Recent::new(1_000);
        r.insert(1u64, t0, w);
        assert!(r.within(&1, w, t0 + Duration::from_secs(59)));
        assert!(!r.within(&1, w, t0 + Duration::from_secs(60)));
        // Seen again: the newer time counts, and the older entry in the queue does not drop it.
        r.insert(1, t0 + Duration::from_secs(30), w);
        r.insert(2, t0 + Duration::from_secs(61), w);
        assert!(r.within(&1, w, t0 + Duration::from_secs(61)));
        // A flood of distinct keys within the window stays at the bound.
        for k in 0..100_000u64 {
            r.insert(k + 10, t0 + Duration::from_secs(62), w);
        }
        assert!(r.len() <= 1_000, "{}", r.len());
        assert!(r.order.len() <= 2_001, "{}", r.order.len());
        // Past the window, one more insert forgets the rest.
        r.insert(7, t0 + Duration::from_secs(200), w);
        assert_eq!(r.len(), 1);
    }
}

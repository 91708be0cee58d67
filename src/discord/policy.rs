//! Decisions the bot makes before it acts, as plain functions: whose messages it reads, where,
//! whether a cooldown holds a reply back, and who counts as staff.

use std::collections::HashMap;
use std::time::Duration;

use tokio::time::Instant;

/// What the bot knows of a posted message when it decides whether to read it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Posted {
    pub author_is_bot: bool,
    pub is_webhook: bool,
    pub author_is_self: bool,
    pub in_guild: bool,
    pub channel: u64,
    /// The parent channel when the message is in a thread or forum post.
    pub parent: Option<u64>,
}

/// Whether to read a message for an unprompted reply: messages from people, in a server, in a
/// configured channel (or anywhere when none is configured).
pub fn should_read(m: &Posted, channels: &[u64]) -> bool {
    if m.author_is_bot || m.is_webhook || m.author_is_self || !m.in_guild {
        return false;
    }
    channels.is_empty()
        || channels.contains(&m.channel)
        || m.parent.is_some_and(|p| channels.contains(&p))
}

/// The outcome of a cooldown check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Post these entries.
    Post(Vec<String>),
    /// Every entry was posted in this channel recently.
    EntryCooldown,
    /// The user got a reply very recently.
    UserRateLimited,
}

/// Remembers recent unprompted replies, per (channel, entry) and per user.
#[derive(Debug)]
pub struct Cooldowns {
    entry_window: Duration,
    user_window: Duration,
    by_entry: HashMap<(u64, String), Instant>,
    by_user: HashMap<u64, Instant>,
}

impl Cooldowns {
    pub fn new(entry_window: Duration, user_window: Duration) -> Cooldowns {
        Cooldowns {
            entry_window,
            user_window,
            by_entry: HashMap::new(),
            by_user: HashMap::new(),
        }
    }

    /// Decides whether `entries` may be posted in `channel` for `user` at `now`, and if so
    /// records the post. Entries posted in the channel within the window are left out.
    pub fn check(&mut self, now: Instant, channel: u64, user: u64, entries: &[String]) -> Verdict {
        if self
            .by_user
            .get(&user)
            .is_some_and(|&t| now.duration_since(t) < self.user_window)
        {
            return Verdict::UserRateLimited;
        }
        let fresh: Vec<String> = entries
            .iter()
            .filter(|e| {
                self.by_entry
                    .get(&(channel, e.to_string()))
                    .is_none_or(|&t| now.duration_since(t) >= self.entry_window)
            })
            .cloned()
            .collect();
        if fresh.is_empty() {
            return Verdict::EntryCooldown;
        }
        for e in &fresh {
            self.by_entry.insert((channel, e.clone()), now);
        }
        self.by_user.insert(user, now);
        self.prune(now);
        Verdict::Post(fresh)
    }

    /// Forgets what is past every window, so memory stays bounded.
    fn prune(&mut self, now: Instant) {
        if self.by_entry.len() + self.by_user.len() < 4096 {
            return;
        }
        let (ew, uw) = (self.entry_window, self.user_window);
        self.by_entry.retain(|_, t| now.duration_since(*t) < ew);
        self.by_user.retain(|_, t| now.duration_since(*t) < uw);
    }
}

/// Whether a member counts as staff: Manage Server permission, or the configured staff role.
pub fn is_staff(manage_guild: bool, roles: &[u64], staff_role: Option<u64>) -> bool {
    manage_guild || staff_role.is_some_and(|r| roles.contains(&r))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn posted() -> Posted {
        Posted {
            author_is_bot: false,
            is_webhook: false,
            author_is_self: false,
            in_guild: true,
            channel: 10,
            parent: None,
        }
    }

    #[test]
    fn reads_people_in_configured_channels() {
        assert!(should_read(&posted(), &[]));
        assert!(should_read(&posted(), &[10]));
        assert!(!should_read(&posted(), &[11]));
        assert!(
            should_read(
                &Posted {
                    channel: 99,
                    parent: Some(11),
                    ..posted()
                },
                &[11]
            ),
            "a thread of a configured channel"
        );
    }

    #[test]
    fn ignores_bots_webhooks_itself_and_direct_messages() {
        assert!(!should_read(
            &Posted {
                author_is_bot: true,
                ..posted()
            },
            &[]
        ));
        assert!(!should_read(
            &Posted {
                is_webhook: true,
                ..posted()
            },
            &[]
        ));
        assert!(!should_read(
            &Posted {
                author_is_self: true,
                ..posted()
            },
            &[]
        ));
        assert!(!should_read(
            &Posted {
                in_guild: false,
                ..posted()
            },
            &[]
        ));
    }

    #[tokio::test(start_paused = true)]
    async fn cooldowns_hold_per_channel_entry_and_per_user() {
        let mut c = Cooldowns::new(Duration::from_secs(600), Duration::from_secs(10));
        let e = vec!["token-expired".to_string()];
        assert_eq!(
            c.check(Instant::now(), 1, 100, &e),
            Verdict::Post(e.clone())
        );
        // The same user right away: rate limited.
        assert_eq!(
            c.check(Instant::now(), 2, 100, &e),
            Verdict::UserRateLimited
        );
        tokio::time::advance(Duration::from_secs(11)).await;
        // Another user, same channel and entry: the entry cooldown holds.
        assert_eq!(c.check(Instant::now(), 1, 200, &e), Verdict::EntryCooldown);
        // Another channel is fine.
        assert_eq!(
            c.check(Instant::now(), 2, 200, &e),
            Verdict::Post(e.clone())
        );
        tokio::time::advance(Duration::from_secs(600)).await;
        assert_eq!(c.check(Instant::now(), 1, 300, &e), Verdict::Post(e));
    }

    #[tokio::test(start_paused = true)]
    async fn only_fresh_entries_are_posted() {
        let mut c = Cooldowns::new(Duration::from_secs(600), Duration::from_secs(0));
        c.check(Instant::now(), 1, 1, &["a".to_string()]);
        let v = c.check(Instant::now(), 1, 2, &["a".to_string(), "b".to_string()]);
        assert_eq!(v, Verdict::Post(vec!["b".to_string()]));
    }

    #[test]
    fn staff_is_manage_server_or_the_staff_role() {
        assert!(is_staff(true, &[], None));
        assert!(is_staff(false, &[5, 7], Some(7)));
        assert!(!is_staff(false, &[5], Some(7)));
        assert!(!is_staff(false, &[5], None));
    }
}

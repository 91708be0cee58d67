//! Each server's settings as last read from the record: read at most every [`SETTINGS_FRESH`],
//! one read at a time per server (a burst on a cold cache makes one read), and `None` (no
//! unprompted replies) while they cannot be read. The read itself is the caller's
//! (`state::Data::overrides`).

use std::collections::{HashMap, HashSet};
use std::future::Future;
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use poise::serenity_prelude::GuildId;
use tokio::time::Instant;

use super::io::locks::KeyedLocks;
use crate::settings::Overrides;

/// Servers' settings as read.
#[derive(Debug, Default)]
pub struct SettingsCache {
    inner: Mutex<Entries>,
    /// One read of a server's settings at a time.
    reads: KeyedLocks<GuildId>,
}

/// Settings as read, how many changes were made here to each server's (a read begun before a
/// change does not overwrite it; a change in one server does not discard another's read), and
/// the servers whose settings are being read now (meanwhile the last ones
/// read serve).
#[derive(Debug, Default)]
struct Entries {
    /// `None`: the server's settings could not be read (and none were before).
    read: HashMap<GuildId, (Instant, Option<Overrides>)>,
    changes: HashMap<GuildId, u64>,
    reading: HashSet<GuildId>,
}

impl SettingsCache {
    /// A server's own settings: from the cache, or from `read` (at most `SETTINGS_WAIT`);
    /// `None` when they cannot be read and were never read.
    pub async fn overrides<F, R>(&self, guild: GuildId, read: F) -> Option<Overrides>
    where
        F: FnOnce() -> R,
        R: Future<Output = Option<Overrides>>,
    {
        if let Some(o) = self.cached(guild) {
            return o;
        }
        // One read at a time per server: a burst on a cold cache waits for the first read
        // instead of each reading the record.
        self.reads.run(guild, self.read(guild, read)).await
    }

    /// What the cache answers without a read: a fresh entry, or a stale one while another
    /// message of the server reads them again.
    fn cached(&self, guild: GuildId) -> Option<Option<Overrides>> {
        let entries = self.entries();
        let (at, o) = entries.read.get(&guild)?;
        let fresh = Instant::now().duration_since(*at) < SETTINGS_FRESH;
        (fresh || entries.reading.contains(&guild)).then(|| o.clone())
    }

    async fn read<F, R>(&self, guild: GuildId, read: F) -> Option<Overrides>
    where
        F: FnOnce() -> R,
        R: Future<Output = Option<Overrides>>,
    {
        // Read by the request this one waited for.
        if let Some(o) = self.cached(guild) {
            return o;
        }
        let now = Instant::now();
        let (known, changes) = {
            let mut entries = self.entries();
            entries.reading.insert(guild);
            let known = entries.read.get(&guild).and_then(|(_, o)| o.clone());
            (known, entries.changes_to(guild))
        };
        let reading = Reading { cache: self, guild };
        // A record that is slow to answer does not hold the message up.
        let got = tokio::time::timeout(SETTINGS_WAIT, read())
            .await
            .ok()
            .flatten();
        drop(reading);
        let mut entries = self.entries();
        // A change made while this read was under way wins over what it read.
        if entries.changes_to(guild) != changes {
            if let Some((_, o)) = entries.read.get(&guild) {
                return o.clone();
            }
        }
        let (o, at) = match got {
            Some(o) => (Some(o), now),
            // Not read: what was known before (or nothing: unknown), asked again soon.
            None => (
                known,
                now.checked_sub(SETTINGS_FRESH - SETTINGS_RETRY)
                    .unwrap_or(now),
            ),
        };
        if entries.changes_to(guild) == changes {
            entries.read.insert(guild, (at, o.clone()));
        }
        o
    }

    /// After a server's settings changed: `now` is what the record holds now (cached at once),
    /// or `None` to read them again at the next use (what was read stays until then).
    pub fn changed(&self, guild: GuildId, now: Option<Overrides>) {
        let mut entries = self.entries();
        *entries.changes.entry(guild).or_default() += 1;
        let at = Instant::now();
        match now {
            Some(o) => {
                entries.read.insert(guild, (at, Some(o)));
            }
            None => {
                if let Some(entry) = entries.read.get_mut(&guild) {
                    entry.0 = at.checked_sub(SETTINGS_FRESH).unwrap_or(at);
                }
            }
        }
    }

    fn entries(&self) -> MutexGuard<'_, Entries> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Entries {
    fn changes_to(&self, guild: GuildId) -> u64 {
        self.changes.get(&guild).copied().unwrap_or(0)
    }
}

/// A read of a server's settings under way; when it ends (or is abandoned), others may read.
struct Reading<'a> {
    cache: &'a SettingsCache,
    guild: GuildId,
}

impl Drop for Reading<'_> {
    fn drop(&mut self) {
        self.cache.entries().reading.remove(&self.guild);
    }
}

/// How long a server's settings, once read, are used before they are read again.
pub const SETTINGS_FRESH: Duration = Duration::from_secs(30);
/// How long a message waits for its server's settings from the record; then the last read (or
/// the defaults) serve, and the record is asked again after [`SETTINGS_RETRY`].
const SETTINGS_WAIT: Duration = Duration::from_secs(1);
const SETTINGS_RETRY: Duration = Duration::from_secs(5);

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    fn with_cooldown(secs: u64) -> Overrides {
        Overrides {
            cooldown_secs: Some(secs),
            ..Overrides::default()
        }
    }

    #[tokio::test]
    async fn a_change_in_one_server_does_not_discard_another_s_read() {
        let cache = SettingsCache::default();
        let reads = AtomicUsize::new(0);
        let (a, b) = (GuildId::new(1), GuildId::new(2));
        let (go, wait) = tokio::sync::oneshot::channel::<()>();
        let read_a = cache.overrides(a, || async {
            reads.fetch_add(1, Ordering::SeqCst);
            wait.await.ok()?;
            Some(with_cooldown(30))
        });
        let change_b = async {
            tokio::task::yield_now().await;
            cache.changed(b, Some(with_cooldown(60)));
            go.send(()).unwrap();
        };
        let (got, ()) = tokio::join!(read_a, change_b);
        assert_eq!(got, Some(with_cooldown(30)));
        // What was read for `a` is kept: no second read.
        let again = cache
            .overrides(a, || async {
                reads.fetch_add(1, Ordering::SeqCst);
                Some(with_cooldown(99))
            })
            .await;
        assert_eq!(again, Some(with_cooldown(30)));
        assert_eq!(reads.load(Ordering::SeqCst), 1);
        // A change to the same server while a read is under way wins over what it read.
        let (go, wait) = tokio::sync::oneshot::channel::<()>();
        cache.changed(a, None);
        let read_a = cache.overrides(a, || async {
            wait.await.ok()?;
            Some(with_cooldown(45))
        });
        let change_a = async {
            tokio::task::yield_now().await;
            cache.changed(a, Some(with_cooldown(90)));
            go.send(()).unwrap();
        };
        let (got, ()) = tokio::join!(read_a, change_a);
        assert_eq!(got, Some(with_cooldown(90)));
    }
}

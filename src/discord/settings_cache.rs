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

/// Settings as read, how many changes were made here (a read begun before a change does not
/// overwrite it), and the servers whose settings are being read now (meanwhile the last ones
/// read serve).
#[derive(Debug, Default)]
struct Entries {
    /// `None`: the server's settings could not be read (and none were before).
    read: HashMap<GuildId, (Instant, Option<Overrides>)>,
    changes: u64,
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
            (known, entries.changes)
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
        if entries.changes != changes {
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
        if entries.changes == changes {
            entries.read.insert(guild, (at, o.clone()));
        }
        o
    }

    /// After a server's settings changed: `now` is what the record holds now (cached at once),
    /// or `None` to read them again at the next use (what was read stays until then).
    pub fn changed(&self, guild: GuildId, now: Option<Overrides>) {
        let mut entries = self.entries();
        entries.changes += 1;
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

//! Each server's settings as last read from the record: read at most every [`SETTINGS_FRESH`],
//! one read at a time per server, and `None` (no unprompted replies) while they cannot be read.

use std::collections::HashMap;
use std::time::Duration;

use poise::serenity_prelude::GuildId;
use std::sync::MutexGuard;

use super::state::Data;
use crate::settings::{Overrides, Settings};

impl Data {
    /// The settings in force in a server: its own over the environment's. Read from the
    /// record at most every [`SETTINGS_FRESH`] (a change made here is seen at once; one made
    /// by another process or the command line within that time). For commands: when a
    /// server's settings cannot be read, the environment's defaults.
    pub async fn settings(&self, guild: Option<GuildId>) -> Settings {
        let defaults = Settings::defaults(&self.config, guild.map(GuildId::get));
        match guild {
            Some(g) => defaults.with(&self.overrides(g).await.unwrap_or_default()),
            None => defaults,
        }
    }

    /// The settings that decide unprompted replies, or `None` while a server's own cannot be
    /// read (the record slow or down and nothing read before): then the server gets no
    /// unprompted replies, since it may have turned them off.
    pub async fn settings_for_replies(&self, guild: Option<GuildId>) -> Option<Settings> {
        let defaults = Settings::defaults(&self.config, guild.map(GuildId::get));
        match guild {
            Some(g) => Some(defaults.with(&self.overrides(g).await?)),
            None => Some(defaults),
        }
    }

    /// A server's own settings (see [`Data::settings`]); `None` when they cannot be read and
    /// were never read.
    pub async fn overrides(&self, guild: GuildId) -> Option<Overrides> {
        if let Some(o) = self.cached_overrides(guild) {
            return o;
        }
        // One read at a time per server: a burst on a cold cache waits for the first read
        // instead of each reading the record.
        self.settings_reads
            .run(guild, self.read_overrides(guild))
            .await
    }

    /// What the cache answers without a read: a fresh entry, or a stale one while another
    /// message of the server reads them again.
    fn cached_overrides(&self, guild: GuildId) -> Option<Option<Overrides>> {
        let cache = self.settings_cache();
        let (at, o) = cache.entries.get(&guild)?;
        let fresh = tokio::time::Instant::now().duration_since(*at) < SETTINGS_FRESH;
        (fresh || cache.reading.contains(&guild)).then(|| o.clone())
    }

    async fn read_overrides(&self, guild: GuildId) -> Option<Overrides> {
        // Read by the request this one waited for.
        if let Some(o) = self.cached_overrides(guild) {
            return o;
        }
        let now = tokio::time::Instant::now();
        let (known, changes) = {
            let mut cache = self.settings_cache();
            cache.reading.insert(guild);
            let known = cache.entries.get(&guild).and_then(|(_, o)| o.clone());
            (known, cache.changes)
        };
        let reading = ReadingSettings { data: self, guild };
        // A record that is slow to answer does not hold the message up.
        let read = tokio::time::timeout(
            SETTINGS_WAIT,
            self.record(move |s| s.server_settings(guild.get())),
        )
        .await
        .ok()
        .flatten();
        drop(reading);
        let mut cache = self.settings_cache();
        // A change made while this read was under way wins over what it read.
        if cache.changes != changes {
            if let Some((_, o)) = cache.entries.get(&guild) {
                return o.clone();
            }
        }
        let (o, at) = match read {
            Some(o) => (Some(o), now),
            // Not read: what was known before (or nothing: unknown), asked again soon.
            None => (
                known,
                now.checked_sub(SETTINGS_FRESH - SETTINGS_RETRY)
                    .unwrap_or(now),
            ),
        };
        if cache.changes == changes {
            cache.entries.insert(guild, (at, o.clone()));
        }
        o
    }

    /// After a server's settings changed: `now` is what the record holds now (cached at once),
    /// or `None` to read them again at the next use (what was read stays until then).
    pub fn settings_changed(&self, guild: GuildId, now: Option<Overrides>) {
        let mut cache = self.settings_cache();
        cache.changes += 1;
        let at = tokio::time::Instant::now();
        match now {
            Some(o) => {
                cache.entries.insert(guild, (at, Some(o)));
            }
            None => {
                if let Some(entry) = cache.entries.get_mut(&guild) {
                    entry.0 = at.checked_sub(SETTINGS_FRESH).unwrap_or(at);
                }
            }
        }
    }

    pub(super) fn settings_cache(&self) -> MutexGuard<'_, SettingsCache> {
        self.settings.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// A read of a server's settings under way; when it ends (or is abandoned), others may read.
struct ReadingSettings<'a> {
    data: &'a Data,
    guild: GuildId,
}

impl Drop for ReadingSettings<'_> {
    fn drop(&mut self) {
        self.data.settings_cache().reading.remove(&self.guild);
    }
}

/// Servers' settings as read, how many changes were made here (a read begun before a change
/// does not overwrite it), and the servers whose settings are being read now (one read at a
/// time per server; meanwhile the last ones read serve).
#[derive(Debug, Default)]
pub(super) struct SettingsCache {
    /// `None`: the server's settings could not be read (and none were before).
    entries: HashMap<GuildId, (tokio::time::Instant, Option<Overrides>)>,
    changes: u64,
    reading: std::collections::HashSet<GuildId>,
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
    use crate::config::Config;
    use crate::engine::Engine;
    use crate::settings::{Setting, Value};
    use crate::store::Store;

    fn data() -> Data {
        let config = Config::from_vars(&HashMap::new()).unwrap();
        let engine = Engine::new(crate::kb::KnowledgeBase::default());
        let store = Store::in_memory().unwrap();
        Data::new(config, engine, Some(store), reqwest::Client::new())
    }

    async fn set_elsewhere(data: &Data, guild: GuildId, secs: u64) {
        data.record(move |s| {
            s.change_setting(
                guild.get(),
                Setting::Cooldown,
                Some(&Value::Seconds(secs)),
                1,
            )
        })
        .await
        .unwrap();
    }

    #[tokio::test]
    async fn settings_are_read_once_then_served_until_changed_or_stale() {
        let data = data();
        let g = GuildId::new(5);
        set_elsewhere(&data, g, 30).await;
        assert_eq!(data.settings(Some(g)).await.cooldown_secs, 30);
        // Changed by another process: this one serves what it read until it is stale.
        set_elsewhere(&data, g, 60).await;
        assert_eq!(data.settings(Some(g)).await.cooldown_secs, 30);
        // A change noted here without its value: read again at the next use.
        data.settings_changed(g, None);
        assert_eq!(data.settings(Some(g)).await.cooldown_secs, 60);
        // A change noted with its value: served at once, without reading.
        let mut now = data.overrides(g).await.unwrap();
        now.cooldown_secs = Some(90);
        data.settings_changed(g, Some(now));
        assert_eq!(data.settings(Some(g)).await.cooldown_secs, 90);
        // Another server, and messages outside servers, get the defaults.
        assert_eq!(
            data.settings(Some(GuildId::new(6))).await.cooldown_secs,
            600
        );
        assert_eq!(data.settings(None).await.cooldown_secs, 600);
    }

    #[tokio::test]
    async fn without_a_record_commands_get_the_defaults_and_replies_wait() {
        let config = Config::from_vars(&HashMap::new()).unwrap();
        let engine = Engine::new(crate::kb::KnowledgeBase::default());
        let data = Data::new(config, engine, None, reqwest::Client::new());
        let s = data.settings(Some(GuildId::new(5))).await;
        assert!(s.auto_replies);
        assert_eq!(s.cooldown_secs, 600);
        // The server may have turned unprompted replies off: none until its settings are read.
        assert_eq!(data.settings_for_replies(Some(GuildId::new(5))).await, None);
        assert!(data.settings_for_replies(None).await.is_some());
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_cold_burst_reads_a_server_s_settings_once() {
        let data = std::sync::Arc::new(data());
        let g = GuildId::new(5);
        set_elsewhere(&data, g, 30).await;
        let reads_before = data.record(|s| s.reads()).await.unwrap();
        let burst: Vec<_> = (0..50)
            .map(|_| {
                let data = data.clone();
                tokio::spawn(async move { data.settings_for_replies(Some(g)).await })
            })
            .collect();
        for b in burst {
            assert_eq!(b.await.unwrap().unwrap().cooldown_secs, 30);
        }
        let reads = data.record(|s| s.reads()).await.unwrap() - reads_before;
        assert_eq!(reads, 1, "settings reads in a burst of 50");
    }
}

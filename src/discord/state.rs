//! State shared by every handler of this process: the engine, the record, cooldowns, the
//! answers remembered, locks, the operators. Its settings cache is in `settings_cache.rs`.

use std::sync::{Arc, Mutex, MutexGuard, RwLock};
use std::time::Duration;

use poise::serenity_prelude as serenity;
use serenity::{GuildId, MessageId};

use super::decide::conversation::Conversation;
use super::decide::policy;
use super::decide::recent;
use super::io::locks::KeyedLocks;
use super::io::memory::Conversations;
use super::io::reload::{self, RecordSlot};
use super::pages::Pages;
use super::settings_cache::SettingsCache;
#[cfg(doc)]
use super::settings_cache::SETTINGS_FRESH;
use crate::config::Config;
use crate::engine::Engine;
use crate::settings::{Overrides, Settings};
use crate::store::server::Kind;
use crate::store::Store;

/// Errors of commands and handlers: logged by [`on_error`], shown to the user only as a short
/// apology. Errors meant for the user are replies, not errors.
pub type Error = anyhow::Error;
pub type Context<'a> = poise::Context<'a, Data, Error>;

/// State shared by every handler. What lives here is this process's own: the servers of its
/// shards (cooldowns, the answers it remembers, locks). What several processes share —
/// escalations, votes, settings, errors nothing answered — is in the record.
pub struct Data {
    pub config: Config,
    pub(super) engine: reload::EngineSlot,
    /// The last `/kb reload` (in any process) this process has reloaded for.
    pub(super) kb_seen: Arc<std::sync::atomic::AtomicI64>,
    /// `None` while the record cannot be opened (the bot answers without it, and keeps
    /// trying to open it).
    pub(super) store: RecordSlot,
    /// Each server's settings as last read from the record.
    pub(super) settings: SettingsCache,
    pub cooldowns: Mutex<policy::Cooldowns>,
    pub(super) conversations: Mutex<Conversations>,
    /// HTTP client for attachments (no proxy from the environment).
    pub fetch: reqwest::Client,
    /// A user message's creation, edits and deletion are handled one after another (serenity
    /// runs each event in its own task).
    pub message_locks: KeyedLocks<MessageId>,
    /// A conversation's escalation is opened by one request at a time.
    pub escalation_locks: KeyedLocks<String>,
    /// When each reporter (per server) last opened an escalation.
    pub(super) escalated: Mutex<recent::Recent<(Option<GuildId>, serenity::UserId)>>,
    /// The application's owners (or team members), known once connected.
    pub(super) owners: std::sync::OnceLock<std::collections::HashSet<serenity::UserId>>,
    /// What this process counts for `/metrics`.
    pub metrics: Arc<crate::ops::metrics::Metrics>,
    /// The dashboard: each server's activity counted, the key its links are signed with.
    pub pages: Arc<Pages>,
}

impl Data {
    /// `store` is `None` when the database could not be opened: the bot still answers.
    pub fn new(
        config: Config,
        engine: Engine,
        store: Option<Store>,
        fetch: reqwest::Client,
    ) -> Data {
        let store_slot: RecordSlot = Arc::new(RwLock::new(store.map(Arc::new)));
        Data {
            engine: Arc::new(RwLock::new(Arc::new(engine))),
            kb_seen: Arc::new(std::sync::atomic::AtomicI64::new(0)),
            store: store_slot.clone(),
            settings: SettingsCache::default(),
            cooldowns: Mutex::new(policy::Cooldowns::default()),
            conversations: Mutex::new(Conversations::default()),
            fetch,
            message_locks: KeyedLocks::default(),
            escalation_locks: KeyedLocks::default(),
            owners: std::sync::OnceLock::new(),
            escalated: Mutex::new(recent::Recent::new(policy::COOLDOWN_BOUND)),
            metrics: Arc::default(),
            pages: Arc::new(Pages::new(
                store_slot.clone(),
                config.dashboard_key.clone(),
                config.kb_dir.clone(),
                config.home_guild,
            )),
            config,
        }
    }

    /// Counts an event of a server's activity (nothing outside a server).
    pub fn count(&self, guild: Option<GuildId>, kind: Kind, entry: &str) {
        if let Some(g) = guild {
            self.pages.tally.count(g.get(), kind, entry);
        }
    }

    /// How long `reporter` must wait before opening another escalation in `guild`, or `None`
    /// (and then the new one is noted).
    pub fn escalation_too_soon(
        &self,
        guild: Option<GuildId>,
        reporter: serenity::UserId,
    ) -> Option<Duration> {
        let interval = Duration::from_secs(self.config.escalation_interval_secs);
        let now = tokio::time::Instant::now();
        let mut escalated = self.escalated.lock().unwrap_or_else(|e| e.into_inner());
        let key = (guild, reporter);
        if escalated.within(&key, interval, now) {
            let since = escalated.get(&key).map_or(Duration::ZERO, |t| now - t);
            return Some(interval.saturating_sub(since));
        }
        escalated.insert(key, now, interval);
        None
    }

    /// Whether `user` is one of the bot's operators, who may change what every server shares
    /// (`/kb reload`, drafts): the application's owners, or staff (`staff_here`) of the home
    /// server. Another server's staff are not.
    pub fn is_operator(
        &self,
        user: serenity::UserId,
        guild: Option<GuildId>,
        staff_here: bool,
    ) -> bool {
        let owner = self.owners.get().is_some_and(|o| o.contains(&user));
        let home = guild.is_some_and(|g| Some(g.get()) == self.config.home_guild);
        owner || (home && staff_here)
    }

    /// The current engine; a reload swaps it atomically, and answers in flight keep theirs.
    pub fn engine(&self) -> Arc<Engine> {
        self.engine
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Replaces the engine (after a successful reload).
    pub fn swap_engine(&self, engine: Engine) {
        reload::swap(&self.engine, engine);
    }

    /// The answers the bot remembers.
    pub fn conversations(&self) -> MutexGuard<'_, Conversations> {
        self.conversations.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Remembers an answer.
    pub fn remember(&self, reply: MessageId, c: Conversation) {
        self.conversations().insert(reply, c);
    }

    /// Runs `f` on the record, on a blocking thread. A failure is logged with what could not be
    /// recorded, and the bot carries on: `None`.
    pub async fn record<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Store) -> anyhow::Result<T> + Send + 'static,
    ) -> Option<T> {
        let store = self
            .store
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()?;
        let result = tokio::task::spawn_blocking(move || f(&store)).await;
        match result {
            Ok(Ok(v)) => Some(v),
            Ok(Err(e)) => {
                self.metrics.record_error();
                tracing::error!(error = %format!("{e:#}"), "could not write to the record");
                None
            }
            Err(e) => {
                self.metrics.record_error();
                tracing::error!(error = %e, "the record task failed");
                None
            }
        }
    }
}

impl Data {
    /// Whether the record is open.
    pub fn has_record(&self) -> bool {
        self.store
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .is_some()
    }

    /// Where the record goes once it could be opened.
    pub(super) fn record_slot(&self) -> RecordSlot {
        self.store.clone()
    }

    /// Notes that this process reloaded for reload number `n` (see [`reload`]).
    pub fn kb_reloaded_to(&self, n: i64) {
        self.kb_seen
            .fetch_max(n, std::sync::atomic::Ordering::SeqCst);
    }
}

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

    /// The settings that decide who is staff (the staff role), or `None` while a server's own
    /// cannot be read: then only Manage Server (and the application's owners) count, since
    /// the server may have replaced the environment's staff role. Checks fail closed.
    pub async fn settings_for_checks(&self, guild: Option<GuildId>) -> Option<Settings> {
        self.settings_for_replies(guild).await
    }

    /// A server's own settings (see [`Data::settings`]); `None` when they cannot be read and
    /// were never read.
    pub async fn overrides(&self, guild: GuildId) -> Option<Overrides> {
        self.settings
            .overrides(guild, || {
                self.record(move |s| s.server_settings(guild.get()))
            })
            .await
    }

    /// After a server's settings changed: `now` is what the record holds now (cached at once),
    /// or `None` to read them again at the next use.
    pub fn settings_changed(&self, guild: GuildId, now: Option<Overrides>) {
        self.settings.changed(guild, now);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::engine::Engine;
    use crate::settings::{Setting, Value};
    use crate::store::Store;
    use std::collections::HashMap;

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

    #[tokio::test]
    async fn without_a_record_the_environment_s_staff_role_does_not_count() {
        let vars = HashMap::from([
            ("ERRMEDIC_HOME_GUILD".to_string(), "5".to_string()),
            ("ERRMEDIC_STAFF_ROLE".to_string(), "888".to_string()),
        ]);
        let config = Config::from_vars(&vars).unwrap();
        let engine = Engine::new(crate::kb::KnowledgeBase::default());
        let data = Data::new(config, engine, None, reqwest::Client::new());
        let home = Some(GuildId::new(5));
        // Shown by `/errmedic settings` as the default...
        assert!(data.settings(home).await.staff_role.is_some());
        // ...but not trusted for permissions until the server's own settings are read.
        assert_eq!(data.settings_for_checks(home).await, None);
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

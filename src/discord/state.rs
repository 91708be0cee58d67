//! State shared by every handler of this process: the engine, the record, cooldowns, the
//! answers remembered, locks, the operators. Its settings cache is in `settings_cache.rs`.

use std::sync::{Arc, Mutex, MutexGuard, RwLock};
use std::time::Duration;

use poise::serenity_prelude as serenity;
use serenity::{GuildId, MessageId};

use super::decide::policy;
use super::io::locks::KeyedLocks;
use super::io::memory::{Conversation, Conversations};
use super::io::{recent, reload};
use super::settings_cache::SettingsCache;
use crate::config::Config;
use crate::engine::Engine;
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
    pub(super) settings: Mutex<SettingsCache>,
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
    /// One read of a server's settings at a time.
    pub(super) settings_reads: KeyedLocks<GuildId>,
    /// The application's owners (or team members), known once connected.
    pub(super) owners: std::sync::OnceLock<std::collections::HashSet<serenity::UserId>>,
}

impl Data {
    /// `store` is `None` when the database could not be opened: the bot still answers.
    pub fn new(
        config: Config,
        engine: Engine,
        store: Option<Store>,
        fetch: reqwest::Client,
    ) -> Data {
        Data {
            config,
            engine: Arc::new(RwLock::new(Arc::new(engine))),
            kb_seen: Arc::new(std::sync::atomic::AtomicI64::new(0)),
            store: Arc::new(RwLock::new(store.map(Arc::new))),
            settings: Mutex::new(SettingsCache::default()),
            cooldowns: Mutex::new(policy::Cooldowns::default()),
            conversations: Mutex::new(Conversations::default()),
            fetch,
            message_locks: KeyedLocks::default(),
            escalation_locks: KeyedLocks::default(),
            owners: std::sync::OnceLock::new(),
            settings_reads: KeyedLocks::default(),
            escalated: Mutex::new(recent::Recent::new(policy::COOLDOWN_BOUND)),
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
                tracing::error!(error = %format!("{e:#}"), "could not write to the record");
                None
            }
            Err(e) => {
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

/// The record, or `None` while it cannot be opened.
pub(crate) type RecordSlot = Arc<RwLock<Option<Arc<Store>>>>;

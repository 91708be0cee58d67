//! The Discord bot: the only module that knows about Discord. Commands (`/fix`, `/kb`,
//! `/escalate`, `/resolve`, the "Find fix" context menu), unprompted replies to pasted errors,
//! and escalation threads. Decisions are plain functions (`policy`, `present`, `ids`,
//! `escalation::summary`); the handlers carry them out.

pub mod clicks;
pub mod commands;
pub mod escalation;
pub mod events;
pub mod ids;
pub mod limits;
pub mod locks;
pub mod memory;
pub mod messages;
pub mod policy;
pub mod present;
pub mod read;
pub mod recent;
pub mod reload;
pub mod send;
pub mod settings;

use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex, MutexGuard, RwLock};
use std::time::Duration;

use poise::serenity_prelude as serenity;
use serenity::{FullEvent, GuildId, MessageId};
use tokio_util::task::TaskTracker;

use crate::config::Config;
use crate::engine::Engine;
use crate::settings::{Overrides, Settings};
use crate::store::Store;
use locks::KeyedLocks;
use memory::{Conversation, Conversations};

/// Errors of commands and handlers: logged by [`on_error`], shown to the user only as a short
/// apology. Errors meant for the user are replies, not errors.
pub type Error = anyhow::Error;
pub type Context<'a> = poise::Context<'a, Data, Error>;

/// State shared by every handler. What lives here is this process's own: the servers of its
/// shards (cooldowns, the answers it remembers, locks). What several processes share —
/// escalations, votes, settings, errors nothing answered — is in the record.
pub struct Data {
    pub config: Config,
    engine: reload::EngineSlot,
    /// The last `/kb reload` (in any process) this process has reloaded for.
    kb_seen: Arc<std::sync::atomic::AtomicI64>,
    /// `None` while the record cannot be opened (the bot answers without it, and keeps
    /// trying to open it).
    store: RecordSlot,
    /// Each server's settings as last read from the record.
    settings: Mutex<SettingsCache>,
    pub cooldowns: Mutex<policy::Cooldowns>,
    conversations: Mutex<Conversations>,
    /// HTTP client for attachments (no proxy from the environment).
    pub fetch: reqwest::Client,
    /// A user message's creation, edits and deletion are handled one after another (serenity
    /// runs each event in its own task).
    pub message_locks: KeyedLocks<MessageId>,
    /// A conversation's escalation is opened by one request at a time.
    pub escalation_locks: KeyedLocks<String>,
    /// When each reporter (per server) last opened an escalation.
    escalated: Mutex<recent::Recent<(Option<GuildId>, serenity::UserId)>>,
    /// One read of a server's settings at a time.
    settings_reads: KeyedLocks<GuildId>,
    /// The application's owners (or team members), known once connected.
    owners: std::sync::OnceLock<std::collections::HashSet<serenity::UserId>>,
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
    fn record_slot(&self) -> RecordSlot {
        self.store.clone()
    }

    /// Notes that this process reloaded for reload number `n` (see [`reload`]).
    pub fn kb_reloaded_to(&self, n: i64) {
        self.kb_seen
            .fetch_max(n, std::sync::atomic::Ordering::SeqCst);
    }

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

    fn settings_cache(&self) -> MutexGuard<'_, SettingsCache> {
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
struct SettingsCache {
    /// `None`: the server's settings could not be read (and none were before).
    entries: HashMap<GuildId, (tokio::time::Instant, Option<Overrides>)>,
    changes: u64,
    reading: std::collections::HashSet<GuildId>,
}

/// The record, or `None` while it cannot be opened.
type RecordSlot = Arc<RwLock<Option<Arc<Store>>>>;

/// How long a server's settings, once read, are used before they are read again.
pub const SETTINGS_FRESH: Duration = Duration::from_secs(30);
/// How long a message waits for its server's settings from the record; then the last read (or
/// the defaults) serve, and the record is asked again after [`SETTINGS_RETRY`].
const SETTINGS_WAIT: Duration = Duration::from_secs(1);
const SETTINGS_RETRY: Duration = Duration::from_secs(5);

/// Ids of the events (messages, edits, deletions, interactions) the bot has finished
/// handling — replies sent, records written — and how many times each (a message's creation,
/// edits and deletion share its id). Tests wait on it instead of a clock.
#[derive(Debug)]
pub struct Handled {
    ids: Mutex<HashMap<u64, u32>>,
    changed: tokio::sync::watch::Sender<u64>,
}

impl Default for Handled {
    fn default() -> Self {
        Handled {
            ids: Mutex::new(HashMap::new()),
            changed: tokio::sync::watch::channel(0).0,
        }
    }
}

impl Handled {
    fn done(&self, id: u64) {
        *self
            .ids
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .entry(id)
            .or_default() += 1;
        self.changed.send_modify(|n| *n += 1);
    }

    /// How many events with this id (a message or interaction id) have been handled.
    pub fn count(&self, id: u64) -> u32 {
        self.ids
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(&id)
            .copied()
            .unwrap_or(0)
    }

    /// Whether an event with this id has been handled.
    pub fn contains(&self, id: u64) -> bool {
        self.count(id) > 0
    }

    /// Waits until `n` events with this id have been handled; false on timeout.
    pub async fn wait_for_count(&self, id: u64, n: u32, timeout: Duration) -> bool {
        let mut changes = self.changed.subscribe();
        let waiting = async {
            while self.count(id) < n {
                if changes.changed().await.is_err() {
                    return false;
                }
            }
            true
        };
        tokio::time::timeout(timeout, waiting)
            .await
            .unwrap_or(false)
    }

    /// Waits until an event with this id has been handled; false on timeout.
    pub async fn wait(&self, id: u64, timeout: Duration) -> bool {
        self.wait_for_count(id, 1, timeout).await
    }
}

/// The id an event is known by in [`Handled`].
fn event_id(event: &FullEvent) -> Option<u64> {
    match event {
        FullEvent::Message { new_message } => Some(new_message.id.get()),
        FullEvent::MessageUpdate { event, .. } => Some(event.id.get()),
        FullEvent::MessageDelete {
            deleted_message_id, ..
        } => Some(deleted_message_id.get()),
        FullEvent::InteractionCreate { interaction } => Some(interaction.id().get()),
        _ => None,
    }
}

/// poise's framework, with every event it handles — commands, context menus, autocomplete,
/// clicks, messages — tracked, so that shutdown waits for all of them.
struct Tracked {
    inner: poise::Framework<Data, Error>,
    tracker: TaskTracker,
    handled: Option<Arc<Handled>>,
}

#[serenity::async_trait]
impl serenity::Framework for Tracked {
    async fn init(&mut self, client: &serenity::Client) {
        self.inner.init(client).await;
    }

    async fn dispatch(&self, ctx: serenity::Context, event: FullEvent) {
        let _working = self.tracker.token();
        let id = event_id(&event);
        self.inner.dispatch(ctx, event).await;
        if let (Some(handled), Some(id)) = (&self.handled, id) {
            handled.done(id);
        }
    }
}

/// Where the bot connects, and what tests observe.
#[derive(Debug, Clone, Default)]
pub struct Wiring {
    /// Replaces `https://discord.com` in REST URLs (`DISCORD_API_BASE`).
    pub api_base: Option<String>,
    /// Told about every event handled (tests).
    pub handled: Option<Arc<Handled>>,
}

/// Builds the REST client: through `api_base` when given (the rate limiter must then be off,
/// or requests still go to discord.com), never through a proxy from the environment.
pub fn http(token: &str, wiring: &Wiring) -> anyhow::Result<(serenity::Http, reqwest::Client)> {
    let client = reqwest::Client::builder()
        .no_proxy()
        .timeout(Duration::from_secs(30))
        .build()?;
    let mut builder = serenity::HttpBuilder::new(token).client(client.clone());
    if let Some(base) = &wiring.api_base {
        builder = builder
            .proxy(base.trim_end_matches('/'))
            .ratelimiter_disabled(true);
    }
    Ok((builder.build(), client))
}

/// The gateway intents the bot needs: guild messages with their content, for unprompted replies.
pub fn intents() -> serenity::GatewayIntents {
    serenity::GatewayIntents::GUILDS
        | serenity::GatewayIntents::GUILD_MESSAGES
        | serenity::GatewayIntents::MESSAGE_CONTENT
}

/// One central error handler: internal errors are logged with their context; the user sees a
/// short apology, never the details.
async fn on_error(error: poise::FrameworkError<'_, Data, Error>) {
    let apology = match &error {
        poise::FrameworkError::Command { error, ctx, .. } => {
            tracing::error!(command = %ctx.command().qualified_name, error = %format!("{error:#}"), "command failed");
            "Sorry, that went wrong on my side; it has been logged."
        }
        poise::FrameworkError::EventHandler { error, event, .. } => {
            tracing::error!(event = event.snake_case_name(), error = %format!("{error:#}"), "event handler failed");
            return;
        }
        poise::FrameworkError::CommandCheckFailed { ctx, .. } => {
            let command = &ctx.command().qualified_name;
            tracing::info!(command = %command, user = %ctx.author().id, "a staff command was refused");
            if commands::OPERATOR_COMMANDS.contains(&&**command) {
                "Only the bot's operators (its owners, or staff of its home server) can use this command: it changes what every server shares."
            } else {
                "Only staff (Manage Server, or the staff role) can use this command."
            }
        }
        poise::FrameworkError::GuildOnly { ctx, .. } => {
            tracing::info!(command = %ctx.command().qualified_name, "a server command was used outside a server");
            "This command works in a server only."
        }
        poise::FrameworkError::ArgumentParse { error, ctx, .. } => {
            tracing::info!(command = %ctx.command().qualified_name, error = %error, "could not read the command's arguments");
            "I could not read that command's options; please check them and try again."
        }
        other => {
            tracing::warn!(error = %other, "framework error");
            "Sorry, I could not run that."
        }
    };
    // Replies never echo user text here, and never ping.
    if let Some(ctx) = error.ctx() {
        if let Err(e) = ctx.send(send::private_reply(apology)).await {
            tracing::warn!(error = %e, "could not tell the user about an error");
        }
    }
}

/// Opens the record (on a blocking thread: the PostgreSQL driver blocks); `None`, logged, when
/// it cannot be opened.
async fn open_record(database: crate::config::Database) -> Option<Store> {
    let shown = database.to_string();
    match tokio::task::spawn_blocking(move || Store::connect(&database)).await {
        Ok(Ok(s)) => {
            tracing::info!(record = %shown, kind = s.kind(), "record open");
            Some(s)
        }
        Ok(Err(e)) => {
            tracing::error!(error = %format!("{e:#}"), record = %shown, "the record is unavailable; answering without recording, and trying again");
            None
        }
        Err(e) => {
            tracing::error!(error = %e, "opening the record failed");
            None
        }
    }
}

/// How soon a record that could not be opened at start is tried again; the wait doubles up to
/// [`RETRY_RECORD_MAX`].
const RETRY_RECORD: Duration = Duration::from_secs(15);
const RETRY_RECORD_MAX: Duration = Duration::from_secs(300);

/// Tries to open the record until it opens (or the bot stops: nobody else holds the slot).
async fn reopen_record(slot: RecordSlot, database: crate::config::Database) {
    let mut wait = RETRY_RECORD;
    loop {
        tokio::time::sleep(wait).await;
        wait = (wait * 2).min(RETRY_RECORD_MAX);
        if Arc::strong_count(&slot) == 1 {
            return;
        }
        if let Some(store) = open_record(database.clone()).await {
            *slot.write().unwrap_or_else(|e| e.into_inner()) = Some(Arc::new(store));
            return;
        }
    }
}

/// Runs the bot until `shutdown` completes, then closes the gateway cleanly.
pub async fn run(
    config: Config,
    engine: Engine,
    wiring: Wiring,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let token = config
        .discord_token
        .clone()
        .ok_or_else(|| anyhow::anyhow!("DISCORD_TOKEN is not set"))?;
    let (http, fetch) = http(token.expose(), &wiring)?;
    let database = config.database.clone();
    let store = open_record(database.clone()).await;
    let retry = store.is_none();
    let guild = config.guild_id;
    let shards = config.shards;
    let follow = reload::Follow {
        dir: config.kb_dir.clone(),
        every: Duration::from_secs(config.kb_follow_secs),
    };
    let data = Data::new(config, engine, store, fetch);
    if retry {
        tokio::spawn(reopen_record(data.record_slot(), database));
    }
    // Reloads done before this process started are in the knowledge base it loaded.
    if let Some(last) = data.record(|s| s.last_kb_reload()).await {
        data.kb_reloaded_to(last);
    }
    tokio::spawn(follow.run(
        data.engine.clone(),
        data.record_slot(),
        data.kb_seen.clone(),
    ));
    let framework = poise::Framework::builder()
        .options(poise::FrameworkOptions {
            commands: commands::all(),
            on_error: |e| Box::pin(on_error(e)),
            event_handler: |ctx, event| Box::pin(events::handle(ctx, event)),
            ..Default::default()
        })
        .setup(move |ctx, ready, framework| {
            Box::pin(async move {
                tracing::info!(user = %ready.user.name, guilds = ready.guilds.len(), "connected to Discord");
                // Commands belong to the application, not to a shard: the process that runs
                // shard 0 registers them, once for all.
                if shards.is_none_or(|s| s.first == 0) {
                    match guild {
                        Some(g) => poise::builtins::register_in_guild(ctx, &framework.options().commands, serenity::GuildId::new(g)).await?,
                        None => poise::builtins::register_globally(ctx, &framework.options().commands).await?,
                    }
                }
                let _ = data.owners.set(framework.options().owners.clone());
                Ok(data)
            })
        })
        .build();
    let tracker = TaskTracker::new();
    let framework = Tracked {
        inner: framework,
        tracker: tracker.clone(),
        handled: wiring.handled.clone(),
    };
    let mut client = serenity::ClientBuilder::new_with_http(http, intents())
        .framework(framework)
        .await?;
    let manager = client.shard_manager.clone();
    tokio::spawn(async move {
        shutdown.await;
        tracing::info!("shutting down");
        manager.shutdown_all().await;
    });
    match shards {
        Some(s) => {
            tracing::info!(shards = %s, "starting gateway shards");
            client
                .start_shard_range(s.first..s.last + 1, s.total)
                .await?
        }
        None => client.start_autosharded().await?,
    }
    // The gateway is closed: no new events. Let the ones being handled — messages, commands,
    // clicks — finish their replies (and records), within reason.
    tracker.close();
    if tokio::time::timeout(Duration::from_secs(10), tracker.wait())
        .await
        .is_err()
    {
        tracing::warn!(
            left = tracker.len(),
            "stopped with events still being handled"
        );
    }
    tracing::info!("stopped");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::settings::{Setting, Value};

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

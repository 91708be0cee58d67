//! The Discord bot: the only module that knows about Discord. Commands (`/fix`, `/kb`,
//! `/escalate`, `/resolve`, the "Find fix" context menu), unprompted replies to pasted errors,
//! and escalation threads. Decisions are plain functions (`policy`, `present`, `ids`,
//! `escalation::summary`); the async code carries them out.

pub mod commands;
pub mod escalation;
pub mod events;
pub mod ids;
pub mod limits;
pub mod policy;
pub mod present;

use std::collections::{HashMap, VecDeque};
use std::future::Future;
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use poise::serenity_prelude as serenity;

use crate::config::Config;
use crate::engine::Engine;
use crate::store::Store;

/// Errors of commands and handlers: logged by [`on_error`], shown to the user only as a short
/// apology. Errors meant for the user are replies, not errors.
pub type Error = anyhow::Error;
pub type Context<'a> = poise::Context<'a, Data, Error>;

/// What the bot remembers of an answer it posted, to escalate it or follow edits and deletes.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Conversation {
    pub channel: u64,
    /// The user's message the answer replies to (none for lookups).
    pub message: Option<u64>,
    pub author: u64,
    pub text: String,
    pub codes: Vec<String>,
    pub products: Vec<String>,
    /// Entries offered, with their confidence.
    pub offered: Vec<(String, f32)>,
    /// Votes so far: (entry, helpful).
    pub ratings: Vec<(String, bool)>,
}

/// Answers the bot remembers: by the bot's message id, and the user's message → the bot's reply.
#[derive(Debug, Default)]
pub struct Conversations {
    by_reply: HashMap<u64, Conversation>,
    reply_of: HashMap<u64, (u64, u64)>,
    order: VecDeque<u64>,
    /// User messages deleted before their reply was known (deleted while the bot answered).
    deleted: VecDeque<u64>,
}

/// Answers remembered at most; older ones are forgotten (their buttons still record votes).
const REMEMBERED: usize = 20_000;

impl Conversations {
    pub fn insert(&mut self, reply: u64, c: Conversation) {
        if let Some(origin) = c.message {
            self.reply_of.insert(origin, (c.channel, reply));
        }
        self.by_reply.insert(reply, c);
        self.order.push_back(reply);
        while self.order.len() > REMEMBERED {
            if let Some(old) = self.order.pop_front() {
                if let Some(c) = self.by_reply.remove(&old) {
                    if let Some(origin) = c.message {
                        self.reply_of.remove(&origin);
                    }
                }
            }
        }
    }

    pub fn get(&self, reply: u64) -> Option<&Conversation> {
        self.by_reply.get(&reply)
    }

    pub fn get_mut(&mut self, reply: u64) -> Option<&mut Conversation> {
        self.by_reply.get_mut(&reply)
    }

    /// The bot's reply (channel, message) to a user's message.
    pub fn reply_to(&self, origin: u64) -> Option<(u64, u64)> {
        self.reply_of.get(&origin).copied()
    }

    /// Forgets the answer to a user's message; returns the reply (channel, message).
    pub fn forget_origin(&mut self, origin: u64) -> Option<(u64, u64)> {
        let reply = self.reply_of.remove(&origin)?;
        self.by_reply.remove(&reply.1);
        Some(reply)
    }

    /// A user's message was deleted: returns its reply to delete, or remembers the deletion in
    /// case the reply is still being sent.
    pub fn origin_deleted(&mut self, origin: u64) -> Option<(u64, u64)> {
        let reply = self.forget_origin(origin);
        if reply.is_none() {
            self.deleted.push_back(origin);
            if self.deleted.len() > 1000 {
                self.deleted.pop_front();
            }
        }
        reply
    }

    /// True when the user's message was deleted while its reply was being sent.
    pub fn was_deleted(&self, origin: u64) -> bool {
        self.deleted.contains(&origin)
    }

    /// The most recent answer in a channel to a user, for `/escalate`.
    pub fn latest(&self, channel: u64, user: u64) -> Option<(u64, &Conversation)> {
        self.order.iter().rev().find_map(|id| {
            self.by_reply
                .get(id)
                .filter(|c| c.channel == channel && c.author == user)
                .map(|c| (*id, c))
        })
    }
}

/// State shared by every handler.
pub struct Data {
    pub config: Config,
    engine: RwLock<Arc<Engine>>,
    store: Option<Arc<Mutex<Store>>>,
    pub cooldowns: Mutex<policy::Cooldowns>,
    pub conversations: Mutex<Conversations>,
    /// HTTP client for attachments (no proxy from the environment).
    pub fetch: reqwest::Client,
    /// One lock per user message being handled, so that its creation, edits and deletion are
    /// handled one after another (serenity runs each event in its own task).
    message_locks: Mutex<HashMap<u64, Arc<tokio::sync::Mutex<()>>>>,
    /// Events being handled; shutdown waits for them.
    pub in_flight: Arc<std::sync::atomic::AtomicUsize>,
}

/// Counts an event as in flight while it lives.
pub struct InFlight(Arc<std::sync::atomic::AtomicUsize>);

impl InFlight {
    pub fn new(counter: &Arc<std::sync::atomic::AtomicUsize>) -> InFlight {
        counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        InFlight(counter.clone())
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.fetch_sub(1, std::sync::atomic::Ordering::SeqCst);
    }
}

impl Data {
    /// `store` is `None` when the database could not be opened: the bot still answers.
    pub fn new(
        config: Config,
        engine: Engine,
        store: Option<Store>,
        fetch: reqwest::Client,
    ) -> Data {
        let cooldowns = policy::Cooldowns::new(
            Duration::from_secs(config.cooldown_secs),
            Duration::from_secs(config.user_rate_secs),
        );
        Data {
            config,
            engine: RwLock::new(Arc::new(engine)),
            store: store.map(|s| Arc::new(Mutex::new(s))),
            cooldowns: Mutex::new(cooldowns),
            conversations: Mutex::new(Conversations::default()),
            fetch,
            message_locks: Mutex::new(HashMap::new()),
            in_flight: Arc::new(std::sync::atomic::AtomicUsize::new(0)),
        }
    }

    /// Runs `f` while holding the lock of user message `id`.
    pub async fn one_at_a_time<T>(&self, id: u64, f: impl Future<Output = T>) -> T {
        let lock = self
            .message_locks
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .entry(id)
            .or_default()
            .clone();
        let result = {
            let _held = lock.lock().await;
            f.await
        };
        let mut locks = self.message_locks.lock().unwrap_or_else(|e| e.into_inner());
        if locks.get(&id).is_some_and(|l| Arc::strong_count(l) <= 2) {
            locks.remove(&id);
        }
        result
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
        *self.engine.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(engine);
    }

    /// Runs `f` on the record, on a blocking thread. A failure is logged with what could not be
    /// recorded, and the bot carries on: `None`.
    pub async fn record<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Store) -> anyhow::Result<T> + Send + 'static,
    ) -> Option<T> {
        let store = self.store.clone()?;
        let result = tokio::task::spawn_blocking(move || {
            let guard = store.lock().unwrap_or_else(|e| e.into_inner());
            f(&guard)
        })
        .await;
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

    /// Remembers an answer.
    pub fn remember(&self, reply: u64, c: Conversation) {
        self.conversations
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(reply, c);
    }
}

/// Where the bot connects; tests point it at a fake Discord on loopback.
#[derive(Debug, Clone, Default)]
pub struct Endpoints {
    /// Replaces `https://discord.com` in REST URLs (`DISCORD_API_BASE`).
    pub api_base: Option<String>,
}

/// Builds the REST client: through `api_base` when given (the rate limiter must then be off,
/// or requests still go to discord.com), never through a proxy from the environment.
pub fn http(
    token: &str,
    endpoints: &Endpoints,
) -> anyhow::Result<(serenity::Http, reqwest::Client)> {
    let client = reqwest::Client::builder()
        .no_proxy()
        .timeout(Duration::from_secs(30))
        .build()?;
    let mut builder = serenity::HttpBuilder::new(token).client(client.clone());
    if let Some(base) = &endpoints.api_base {
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
        let reply = poise::CreateReply::default()
            .content(apology)
            .ephemeral(true)
            .allowed_mentions(commands::no_pings());
        if let Err(e) = ctx.send(reply).await {
            tracing::warn!(error = %e, "could not tell the user about an error");
        }
    }
}

/// Runs the bot until `shutdown` completes, then closes the gateway cleanly.
pub async fn run(
    config: Config,
    engine: Engine,
    endpoints: Endpoints,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let token = config
        .discord_token
        .clone()
        .ok_or_else(|| anyhow::anyhow!("DISCORD_TOKEN is not set"))?;
    let (http, fetch) = http(token.expose(), &endpoints)?;
    let store = match Store::open(&config.database) {
        Ok(s) => Some(s),
        Err(e) => {
            tracing::error!(error = %format!("{e:#}"), path = %config.database.display(), "the record is unavailable; answering without recording");
            None
        }
    };
    let guild = config.guild_id;
    let data = Data::new(config, engine, store, fetch);
    let in_flight = data.in_flight.clone();
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
                match guild {
                    Some(g) => poise::builtins::register_in_guild(ctx, &framework.options().commands, serenity::GuildId::new(g)).await?,
                    None => poise::builtins::register_globally(ctx, &framework.options().commands).await?,
                }
                Ok(data)
            })
        })
        .build();
    let mut client = serenity::ClientBuilder::new_with_http(http, intents())
        .framework(framework)
        .await?;
    let shards = client.shard_manager.clone();
    tokio::spawn(async move {
        shutdown.await;
        tracing::info!("shutting down");
        shards.shutdown_all().await;
    });
    client.start().await?;
    // The gateway is closed: no new events. Let the ones being handled finish their replies
    // (and records), within reason.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while in_flight.load(std::sync::atomic::Ordering::SeqCst) > 0
        && tokio::time::Instant::now() < deadline
    {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let left = in_flight.load(std::sync::atomic::Ordering::SeqCst);
    if left > 0 {
        tracing::warn!(left, "stopped with events still being handled");
    }
    tracing::info!("stopped");
    Ok(())
}

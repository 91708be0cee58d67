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
pub mod send;

use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex, MutexGuard, RwLock};
use std::time::Duration;

use poise::serenity_prelude as serenity;
use serenity::{FullEvent, MessageId};
use tokio_util::task::TaskTracker;

use crate::config::Config;
use crate::engine::Engine;
use crate::store::Store;
use locks::KeyedLocks;
use memory::{Conversation, Conversations};

/// Errors of commands and handlers: logged by [`on_error`], shown to the user only as a short
/// apology. Errors meant for the user are replies, not errors.
pub type Error = anyhow::Error;
pub type Context<'a> = poise::Context<'a, Data, Error>;

/// State shared by every handler.
pub struct Data {
    pub config: Config,
    engine: RwLock<Arc<Engine>>,
    store: Option<Arc<Mutex<Store>>>,
    pub cooldowns: Mutex<policy::Cooldowns>,
    conversations: Mutex<Conversations>,
    /// HTTP client for attachments (no proxy from the environment).
    pub fetch: reqwest::Client,
    /// A user message's creation, edits and deletion are handled one after another (serenity
    /// runs each event in its own task).
    pub message_locks: KeyedLocks<MessageId>,
    /// A conversation's escalation is opened by one request at a time.
    pub escalation_locks: KeyedLocks<String>,
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
            message_locks: KeyedLocks::default(),
            escalation_locks: KeyedLocks::default(),
        }
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
}

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
            tracing::info!(command = %ctx.command().qualified_name, user = %ctx.author().id, "a staff command was refused");
            "Only staff (Manage Server, or the staff role) can use this command."
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
    let store = match Store::open(&config.database) {
        Ok(s) => Some(s),
        Err(e) => {
            tracing::error!(error = %format!("{e:#}"), path = %config.database.display(), "the record is unavailable; answering without recording");
            None
        }
    };
    let guild = config.guild_id;
    let data = Data::new(config, engine, store, fetch);
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
    let tracker = TaskTracker::new();
    let framework = Tracked {
        inner: framework,
        tracker: tracker.clone(),
        handled: wiring.handled.clone(),
    };
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

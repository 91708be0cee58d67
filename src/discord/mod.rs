//! The Discord bot: the only module that knows about Discord. Commands (`/fix`, `/kb`,
//! `/escalate`, `/resolve`, the "Find fix" context menu), unprompted replies to pasted errors,
//! and escalation threads. `decide` holds the decisions (pure), `handlers` carry them out with
//! the helpers of `io`; `state` is what every handler shares. This file is the wiring: the
//! framework, errors shown to users, and `run`.

pub mod decide;
pub mod handled;
pub mod handlers;
pub mod io;
pub mod pages;
pub mod probe;
pub mod settings_cache;
pub mod state;

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use poise::serenity_prelude as serenity;
use serenity::FullEvent;
use tokio_util::task::TaskTracker;

use crate::config::Config;
use crate::engine::Engine;
use crate::store::Store;
use handled::{event_id, Handled};
use handlers::{commands, events};
use io::reload;
use io::reload::RecordSlot;
use state::{Data, Error};

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
        if let Some(id) = id {
            // What a test of the running binary waits on (the in-process tests use `Handled`).
            tracing::trace!(event = id, "event handled");
            if let Some(handled) = &self.handled {
                handled.done(id);
            }
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
            if handlers::checks::OPERATOR_COMMANDS.contains(&&**command) {
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
        if let Err(e) = ctx.send(io::send::private_reply(apology)).await {
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

/// How often each server's counted activity is added to the record.
const ACTIVITY_EVERY: Duration = Duration::from_secs(10);

/// Adds the counted activity to the record every `every`, for as long as the process runs.
async fn add_activity_every(pages: Arc<pages::Pages>, every: Duration) {
    let mut tick = tokio::time::interval(every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        if let Err(e) = pages.flush().await {
            tracing::warn!(error = %format!("{e:#}"), "activity counts wait for the record");
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
    let http_addr = config.http_addr;
    let data = Data::new(config, engine, store, fetch);
    let (metrics, engine_slot, record_slot, pages) = (
        data.metrics.clone(),
        data.engine.clone(),
        data.record_slot(),
        data.pages.clone(),
    );
    tokio::spawn(add_activity_every(pages.clone(), ACTIVITY_EVERY));
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
            pre_command: |ctx| {
                Box::pin(async move {
                    ctx.data().metrics.command(&ctx.command().qualified_name);
                })
            },
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
    let listener = match http_addr {
        Some(addr) => {
            let listener = tokio::net::TcpListener::bind(addr)
                .await
                .map_err(|e| anyhow::anyhow!("ERRMEDIC_HTTP_ADDR: cannot listen on {addr}: {e}"))?;
            tracing::info!(%addr, "serving /healthz, /readyz, /metrics and dashboards (/d/…)");
            let live = probe::Live {
                metrics,
                engine: engine_slot,
                record: record_slot,
                manager: manager.clone(),
                shards: shards.map(|s| s.last - s.first + 1),
            };
            let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
            let routes = crate::ops::http::router(Arc::new(live)).merge(crate::dashboard::router(
                Arc::new(pages::Served(pages.clone())),
            ));
            let served = tokio::spawn(crate::ops::http::serve(listener, routes, async {
                let _ = stopped.await;
            }));
            Some((stop, served))
        }
        None => None,
    };
    tokio::spawn(async move {
        shutdown.await;
        tracing::info!("shutting down");
        manager.shutdown_all().await;
    });
    match shards {
        Some(s) => {
            tracing::info!(shards = %s, "starting gateway shards");
            client
                // serenity 0.12 reads the range's end as included (it starts `end - start + 1`
                // shards): `first..last` runs exactly FIRST to LAST.
                .start_shard_range(s.first..s.last, s.total)
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
    if let Some((stop, served)) = listener {
        let _ = stop.send(());
        if let Ok(Err(e)) = served.await {
            tracing::warn!(error = %e, "the HTTP listener stopped with an error");
        }
    }
    if let Err(e) = pages.flush().await {
        tracing::warn!(error = %format!("{e:#}"), left = pages.tally.pending(), "stopped with activity counts not added to the record");
    }
    tracing::info!("stopped");
    Ok(())
}

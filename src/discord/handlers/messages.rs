//! Messages people post: read, decide (`policy::plan_message`), then act — reply, edit or
//! delete the reply, warn about a credential, or record an error nothing answered. Edits are
//! read again; deleting a message deletes its answer.

use poise::serenity_prelude as serenity;
use serenity::{ChannelId, CreateMessage, EditMessage, Message, MessageId, MessageUpdateEvent};

use crate::discord::decide::conversation::Conversation;
use crate::discord::decide::limits;
use crate::discord::decide::policy::{self, MessagePlan, Posted, Reading};
use crate::discord::decide::present;
use crate::discord::io::read::{parent_of, read, Read};
use crate::discord::io::send;
use crate::discord::state::{Data, Error};
use crate::engine::{Answer, Engine};
use crate::ops::metrics::Tier;
use crate::settings::Settings;
use crate::store::server::Kind;
use crate::text::redact;
use crate::text::words::cut;
use std::time::Instant;

/// A new message.
pub async fn created(
    ctx: &serenity::Context,
    data: &Data,
    bot: serenity::UserId,
    msg: &Message,
) -> Result<(), Error> {
    let received = Instant::now();
    data.message_locks
        .run(msg.id, on_message(ctx, data, bot, msg, None, received))
        .await
}

/// An edited message: read again, and its answer follows.
pub async fn edited(
    ctx: &serenity::Context,
    data: &Data,
    bot: serenity::UserId,
    event: &MessageUpdateEvent,
) -> Result<(), Error> {
    let received = Instant::now();
    if event.content.is_none() || event.author.as_ref().is_some_and(|a| a.bot) {
        return Ok(());
    }
    // Not fetched where the bot does not read (the full check follows the fetch).
    let here = Posted {
        author_is_bot: false,
        is_webhook: false,
        author_is_self: false,
        in_guild: event.guild_id.is_some(),
        channel: event.channel_id,
        parent: parent_of(ctx, event.guild_id, event.channel_id),
    };
    let Some(settings) = data.settings_for_replies(event.guild_id).await else {
        return Ok(());
    };
    if !settings.auto_replies || !policy::should_read(&here, &settings.auto_reply_channels) {
        return Ok(());
    }
    data.message_locks
        .run(event.id, async {
            let msg = event.channel_id.message(&ctx.http, event.id).await?;
            let previous = data.conversations().reply_to(msg.id);
            on_message(ctx, data, bot, &msg, Some(previous), received).await
        })
        .await
}

/// A deleted message: its answer goes too.
pub async fn deleted(ctx: &serenity::Context, data: &Data, id: MessageId) -> Result<(), Error> {
    data.message_locks
        .run(id, async {
            let reply = data.conversations().forget_origin(id);
            if let Some((channel, reply)) = reply {
                channel.delete_message(&ctx.http, reply).await?;
            }
            Ok(())
        })
        .await
}

/// Reads a message, decides, and carries the plan out. `edit` is set for an edited message, with
/// the bot's reply when it had answered it: the reply is edited, or removed when the message no
/// longer warrants one.
async fn on_message(
    ctx: &serenity::Context,
    data: &Data,
    bot: serenity::UserId,
    msg: &Message,
    edit: Option<Option<(ChannelId, MessageId)>>,
    received: Instant,
) -> Result<(), Error> {
    let posted = posted(ctx, bot, msg);
    let Some(settings) = data.settings_for_replies(msg.guild_id).await else {
        tracing::info!(message = %msg.id, "this server's settings cannot be read: no unprompted reply until they can");
        data.metrics.silent("settings_unknown");
        return Ok(());
    };
    if !settings.auto_replies || !policy::should_read(&posted, &settings.auto_reply_channels) {
        tracing::debug!(message = %msg.id, ?posted, "not read");
        return Ok(());
    }
    data.metrics.message_read();
    let read = read(&data.fetch, data.config.max_attachment_bytes, msg).await;
    let engine = data.engine();
    let answer = engine.paste(&read.text);
    let seen = Seen {
        ctx,
        data,
        msg,
        engine: &engine,
        answer: &answer,
        warning: redact::warning(&read.redacted.secrets),
        read,
        received,
    };
    let plan = seen.plan(&settings, edit);
    tracing::debug!(message = %msg.id, ?plan, len = seen.read.text.len(), "read a message");
    seen.carry_out(plan).await
}

/// Where a message was posted and by whom, as the policy reads it.
fn posted(ctx: &serenity::Context, bot: serenity::UserId, msg: &Message) -> Posted {
    Posted {
        author_is_bot: msg.author.bot,
        is_webhook: msg.webhook_id.is_some(),
        author_is_self: msg.author.id == bot,
        in_guild: msg.guild_id.is_some(),
        channel: msg.channel_id,
        parent: parent_of(ctx, msg.guild_id, msg.channel_id),
    }
}

/// A message read and answered by the engine, before anything is done with it.
struct Seen<'a> {
    ctx: &'a serenity::Context,
    data: &'a Data,
    msg: &'a Message,
    engine: &'a Engine,
    answer: &'a Answer,
    read: Read,
    /// What the user is told when the message holds a secret.
    warning: Option<String>,
    /// When the event arrived (for the reply's latency).
    received: Instant,
}

impl Seen<'_> {
    /// What to do with the message (`policy::plan_message`), cooldowns applied.
    fn plan(
        &self,
        settings: &Settings,
        edit: Option<Option<(ChannelId, MessageId)>>,
    ) -> MessagePlan {
        let entries: Vec<String> = self
            .answer
            .auto_reply
            .iter()
            .map(|&i| self.engine.entry(self.answer.matches[i].entry).id.clone())
            .collect();
        let reading = Reading {
            unanswered: entries
                .is_empty()
                .then(|| policy::unanswered_signature(self.answer, &self.read.redacted.text))
                .flatten(),
            entries,
            has_secret: self.warning.is_some(),
            previous: edit.flatten(),
            edited: edit.is_some(),
        };
        policy::plan_message(
            reading,
            &mut self
                .data
                .cooldowns
                .lock()
                .unwrap_or_else(|e| e.into_inner()),
            policy::Windows::of(settings, self.msg.guild_id),
            tokio::time::Instant::now(),
            self.msg.channel_id,
            self.msg.author.id,
        )
    }

    /// The conversation this message starts (nothing offered yet).
    fn base(&self) -> Conversation {
        Conversation::new(self.msg.channel_id, Some(self.msg.id), self.msg.author.id)
    }

    async fn carry_out(self, plan: MessagePlan) -> Result<(), Error> {
        let (data, msg, http) = (self.data, self.msg, &self.ctx.http);
        match &plan {
            MessagePlan::Hold(_) => data.metrics.silent("cooldown"),
            MessagePlan::Silent { unanswered } | MessagePlan::Warn { unanswered } => {
                data.metrics.silent(match self.answer.gate.reason {
                    "" => "nothing_matched",
                    reason => reason,
                });
                // For the server's dashboard: an error read and left unanswered (the same
                // messages as its table of errors nothing answered; an edit is not counted again).
                if unanswered.is_some() {
                    data.count(msg.guild_id, Kind::Silence, "");
                }
            }
            _ => {}
        }
        match plan {
            MessagePlan::Hold(_) => Ok(()),
            MessagePlan::Silent { unanswered } => {
                if unanswered.is_some() {
                    let c = Conversation::of_answer(
                        self.engine,
                        self.answer,
                        &[],
                        &self.read.redacted.text,
                        self.base(),
                    );
                    data.conversations().remember_unanswered(c);
                }
                record_unanswered(data, unanswered, &self.read.redacted.text, msg).await;
                Ok(())
            }
            MessagePlan::Warn { unanswered } => {
                // The warning first: a slow record must not hold it back.
                let out = CreateMessage::new()
                    .reference_message(msg)
                    .allowed_mentions(send::no_pings())
                    .content(self.warning.clone().unwrap_or_default())
                    .components(present::dismiss_only());
                let sent = send::message(http, msg.channel_id, out).await;
                record_unanswered(data, unanswered, &self.read.redacted.text, msg).await;
                data.remember(sent?.id, self.base());
                Ok(())
            }
            MessagePlan::WarnInstead((channel, reply)) => {
                let edit = EditMessage::new()
                    .content(self.warning.clone().unwrap_or_default())
                    .embeds(Vec::new())
                    .components(present::dismiss_only());
                send::edit(http, channel, reply, edit).await?;
                Ok(())
            }
            MessagePlan::DeleteAnswer((channel, reply)) => {
                data.conversations().forget_origin(msg.id);
                channel.delete_message(http, reply).await?;
                Ok(())
            }
            MessagePlan::EditAnswer(reply, entries) => self.post(&entries, Some(reply)).await,
            MessagePlan::Answer(entries) => self.post(&entries, None).await,
        }
    }

    /// Posts the answer with `entries` (or edits the earlier `reply` to it), and remembers it.
    async fn post(
        &self,
        entries: &[String],
        reply: Option<(ChannelId, MessageId)>,
    ) -> Result<(), Error> {
        let (engine, answer, msg) = (self.engine, self.answer, self.msg);
        let shown: Vec<usize> = answer
            .auto_reply
            .iter()
            .copied()
            .filter(|&i| entries.contains(&engine.entry(answer.matches[i].entry).id))
            .collect();
        let mut p = present::answer(engine, answer, &shown, true);
        if let Some(warning) = &self.warning {
            p.content = cut(&format!("{warning}\n{}", p.content), limits::MESSAGE);
        }
        let http = &self.ctx.http;
        let reply_id = match reply {
            Some((channel, reply)) => {
                let edit = EditMessage::new()
                    .embeds(p.embeds)
                    .components(p.components)
                    .content(p.content);
                send::edit(http, channel, reply, edit).await?;
                reply
            }
            None => {
                let mut out = CreateMessage::new()
                    .reference_message(msg)
                    .allowed_mentions(send::no_pings())
                    .embeds(p.embeds)
                    .components(p.components);
                if !p.content.is_empty() {
                    out = out.content(p.content);
                }
                let sent = send::message(http, msg.channel_id, out).await?.id;
                let tier = match shown
                    .first()
                    .map(|&i| engine.entry(answer.matches[i].entry).tier)
                {
                    Some(crate::kb::Tier::Reference) => Tier::reference,
                    _ => Tier::curated,
                };
                self.data.metrics.replied(tier, self.received.elapsed());
                let guild = msg.guild_id;
                self.data.count(
                    guild,
                    match tier {
                        Tier::reference => Kind::ReplyReference,
                        Tier::curated => Kind::ReplyCurated,
                    },
                    "",
                );
                for &i in &shown {
                    let id = &engine.entry(answer.matches[i].entry).id;
                    self.data.count(guild, Kind::Shown, id);
                }
                sent
            }
        };
        tracing::info!(message = %msg.id, entries = shown.len(), "answered a pasted error");
        let c = Conversation::of_answer(
            engine,
            answer,
            &shown,
            &self.read.redacted.text,
            self.base(),
        );
        self.data.remember(reply_id, c);
        Ok(())
    }
}

/// Records an error nothing answered, with a redacted excerpt.
async fn record_unanswered(data: &Data, signature: Option<String>, redacted: &str, msg: &Message) {
    let Some(signature) = signature else {
        return;
    };
    let excerpt = cut(redacted, 200);
    let (message, guild) = (msg.id, msg.guild_id.map(|g| g.get()));
    let recorded = data
        .record(move |s| s.unanswered(&signature, &excerpt, Some(message.get()), guild))
        .await;
    if recorded.is_some() {
        tracing::info!(%message, "recorded an error nothing answered");
    }
}

//! Messages people post: read, decide (`policy::plan_message`), then act — reply, edit or
//! delete the reply, warn about a credential, or record an error nothing answered. Edits are
//! read again; deleting a message deletes its answer.

use poise::serenity_prelude as serenity;
use serenity::{ChannelId, CreateMessage, EditMessage, Message, MessageId, MessageUpdateEvent};

use crate::discord::decide::conversation::Conversation;
use crate::discord::decide::policy::{self, MessagePlan, Posted, Reading};
use crate::discord::decide::present;
use crate::discord::io::read::{parent_of, read};
use crate::discord::io::send;
use crate::discord::state::Data;
use crate::discord::state::Error;
use crate::text::redact;

/// A new message.
pub async fn created(
    ctx: &serenity::Context,
    data: &Data,
    bot: serenity::UserId,
    msg: &Message,
) -> Result<(), Error> {
    data.message_locks
        .run(msg.id, on_message(ctx, data, bot, msg, None))
        .await
}

/// An edited message: read again, and its answer follows.
pub async fn edited(
    ctx: &serenity::Context,
    data: &Data,
    bot: serenity::UserId,
    event: &MessageUpdateEvent,
) -> Result<(), Error> {
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
            on_message(ctx, data, bot, &msg, Some(previous)).await
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
) -> Result<(), Error> {
    let previous = edit.flatten();
    let posted = Posted {
        author_is_bot: msg.author.bot,
        is_webhook: msg.webhook_id.is_some(),
        author_is_self: msg.author.id == bot,
        in_guild: msg.guild_id.is_some(),
        channel: msg.channel_id,
        parent: parent_of(ctx, msg.guild_id, msg.channel_id),
    };
    let Some(settings) = data.settings_for_replies(msg.guild_id).await else {
        tracing::info!(message = %msg.id, "this server's settings cannot be read: no unprompted reply until they can");
        return Ok(());
    };
    if !settings.auto_replies || !policy::should_read(&posted, &settings.auto_reply_channels) {
        tracing::debug!(message = %msg.id, ?posted, "not read");
        return Ok(());
    }
    let read = read(&data.fetch, data.config.max_attachment_bytes, msg).await;
    let engine = data.engine();
    let answer = engine.paste(&read.text);
    let warning = redact::warning(&read.redacted.secrets);
    let entries: Vec<String> = answer
        .auto_reply
        .iter()
        .map(|&i| engine.entry(answer.matches[i].entry).id.clone())
        .collect();
    let reading = Reading {
        unanswered: entries
            .is_empty()
            .then(|| policy::unanswered_signature(&answer, &read.redacted.text))
            .flatten(),
        entries,
        has_secret: warning.is_some(),
        previous,
        edited: edit.is_some(),
    };
    let plan = policy::plan_message(
        reading,
        &mut data.cooldowns.lock().unwrap_or_else(|e| e.into_inner()),
        policy::Windows::of(&settings, msg.guild_id),
        tokio::time::Instant::now(),
        msg.channel_id,
        msg.author.id,
    );
    tracing::debug!(message = %msg.id, ?plan, len = read.text.len(), "read a message");
    let base = Conversation::new(msg.channel_id, Some(msg.id), msg.author.id);
    let (shown, reply) = match plan {
        MessagePlan::Hold(_) => return Ok(()),
        MessagePlan::Silent { unanswered } => {
            if unanswered.is_some() {
                data.conversations()
                    .remember_unanswered(Conversation::of_answer(
                        &engine,
                        &answer,
                        &[],
                        &read.redacted.text,
                        base,
                    ));
            }
            record_unanswered(data, unanswered, &read.redacted.text, msg.id).await;
            return Ok(());
        }
        MessagePlan::Warn { unanswered } => {
            // The warning first: a slow record must not hold it back.
            let out = CreateMessage::new()
                .reference_message(msg)
                .allowed_mentions(send::no_pings())
                .content(warning.unwrap_or_default())
                .components(present::dismiss_only());
            let sent = send::message(&ctx.http, msg.channel_id, out).await;
            record_unanswered(data, unanswered, &read.redacted.text, msg.id).await;
            data.remember(sent?.id, base);
            return Ok(());
        }
        MessagePlan::WarnInstead((channel, reply)) => {
            let edit = EditMessage::new()
                .content(warning.unwrap_or_default())
                .embeds(Vec::new())
                .components(present::dismiss_only());
            send::edit(&ctx.http, channel, reply, edit).await?;
            return Ok(());
        }
        MessagePlan::DeleteAnswer((channel, reply)) => {
            data.conversations().forget_origin(msg.id);
            channel.delete_message(&ctx.http, reply).await?;
            return Ok(());
        }
        MessagePlan::EditAnswer(reply, entries) => (entries, Some(reply)),
        MessagePlan::Answer(entries) => (entries, None),
    };
    let shown: Vec<usize> = answer
        .auto_reply
        .iter()
        .copied()
        .filter(|&i| shown.contains(&engine.entry(answer.matches[i].entry).id))
        .collect();
    let mut p = present::answer(&engine, &answer, &shown, true);
    if let Some(warning) = warning {
        p.content = crate::discord::decide::limits::trim(
            &format!("{warning}\n{}", p.content),
            crate::discord::decide::limits::MESSAGE,
        );
    }
    let reply_id = match reply {
        Some((channel, reply)) => {
            let edit = EditMessage::new()
                .embeds(p.embeds)
                .components(p.components)
                .content(p.content);
            send::edit(&ctx.http, channel, reply, edit).await?;
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
            send::message(&ctx.http, msg.channel_id, out).await?.id
        }
    };
    tracing::info!(message = %msg.id, entries = shown.len(), "answered a pasted error");
    data.remember(
        reply_id,
        Conversation::of_answer(&engine, &answer, &shown, &read.redacted.text, base),
    );
    Ok(())
}

/// Records an error nothing answered, with a redacted excerpt.
async fn record_unanswered(
    data: &Data,
    signature: Option<String>,
    redacted: &str,
    message: MessageId,
) {
    let Some(signature) = signature else {
        return;
    };
    let excerpt = crate::discord::decide::limits::trim(redacted, 200);
    let recorded = data
        .record(move |s| s.unanswered(&signature, &excerpt, Some(message.get())))
        .await;
    if recorded.is_some() {
        tracing::info!(%message, "recorded an error nothing answered");
    }
}

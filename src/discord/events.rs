//! Gateway events: messages (unprompted replies), edits, deletes, and button clicks.

use poise::serenity_prelude as serenity;
use serenity::{
    ChannelId, ComponentInteraction, CreateInteractionResponse, CreateInteractionResponseMessage,
    CreateMessage, EditInteractionResponse, EditMessage, FullEvent, Message, MessageId,
};

use super::commands::{conversation_of as conversation, no_pings};
use super::escalation::{self, opened_text};
use super::ids::Action;
use super::policy::{self, Posted, Verdict};
use super::{present, Conversation, Data, Error};
use crate::engine::{Answer, Engine};
use crate::redact::{self, redact};

/// Attachments read as text.
const TEXT_EXTENSIONS: [&str; 3] = ["txt", "log", "json"];

/// Routes the events the bot acts on.
pub async fn handle(
    fctx: poise::FrameworkContext<'_, Data, Error>,
    event: &FullEvent,
) -> Result<(), Error> {
    let data = fctx.user_data;
    let ctx = fctx.serenity_context;
    let _in_flight = super::InFlight::new(&data.in_flight);
    match event {
        FullEvent::Message { new_message } => {
            data.one_at_a_time(
                new_message.id.get(),
                on_message(ctx, data, fctx.bot_id(), new_message, None),
            )
            .await
        }
        FullEvent::MessageUpdate { event, .. } => {
            if event.content.is_none() || event.author.as_ref().is_some_and(|a| a.bot) {
                return Ok(());
            }
            data.one_at_a_time(event.id.get(), async {
                let msg = event.channel_id.message(&ctx.http, event.id).await?;
                let previous = data
                    .conversations
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .reply_to(msg.id.get());
                on_message(ctx, data, fctx.bot_id(), &msg, previous).await
            })
            .await
        }
        FullEvent::MessageDelete {
            deleted_message_id, ..
        } => {
            data.one_at_a_time(deleted_message_id.get(), async {
                let reply = data
                    .conversations
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .origin_deleted(deleted_message_id.get());
                if let Some((channel, reply)) = reply {
                    ChannelId::new(channel)
                        .delete_message(&ctx.http, MessageId::new(reply))
                        .await?;
                }
                Ok(())
            })
            .await
        }
        FullEvent::InteractionCreate {
            interaction: serenity::Interaction::Component(click),
        } => on_click(ctx, data, click).await,
        _ => Ok(()),
    }
}

/// A message's text as the engine reads it: its content (code blocks included) and its text
/// attachments, each read up to the configured size.
pub async fn message_text(data: &Data, msg: &Message) -> String {
    let mut text = msg.content.clone();
    for a in &msg.attachments {
        let ext = a
            .filename
            .rsplit('.')
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        if !TEXT_EXTENSIONS.contains(&ext.as_str()) {
            continue;
        }
        match fetch_bounded(
            &data.fetch,
            &a.url,
            data.config.max_attachment_bytes as usize,
        )
        .await
        {
            Ok(body) => {
                text.push('\n');
                text.push_str(&body);
            }
            Err(e) => {
                tracing::warn!(error = %e, file = %a.filename, "could not read an attachment")
            }
        }
    }
    text
}

/// Downloads at most `max` bytes of a URL as text; invalid UTF-8 is replaced, not rejected.
async fn fetch_bounded(client: &reqwest::Client, url: &str, max: usize) -> anyhow::Result<String> {
    let mut resp = client.get(url).send().await?.error_for_status()?;
    let mut body = Vec::new();
    while let Some(chunk) = resp.chunk().await? {
        let room = max.saturating_sub(body.len());
        body.extend_from_slice(&chunk[..chunk.len().min(room)]);
        if body.len() >= max {
            break;
        }
    }
    Ok(String::from_utf8_lossy(&body).into_owned())
}

/// The parent of a thread or forum post, from the cache.
fn parent_of(
    ctx: &serenity::Context,
    guild: Option<serenity::GuildId>,
    channel: ChannelId,
) -> Option<u64> {
    let guild = ctx.cache.guild(guild?)?;
    let parent = match guild.channels.get(&channel) {
        Some(c) => c.parent_id,
        None => guild
            .threads
            .iter()
            .find(|t| t.id == channel)
            .and_then(|t| t.parent_id),
    };
    parent.map(|p| p.get())
}

/// Attempts at sending a reply when Discord answers 429 or a server error.
const ATTEMPTS: u32 = 3;

/// Sends a message, retrying within reason when Discord is rate limiting or failing (429,
/// 5xx): a quarter second, then half a second. Other errors, and the last failure, are returned.
async fn send(
    ctx: &serenity::Context,
    channel: ChannelId,
    message: CreateMessage,
) -> serenity::Result<Message> {
    let mut delay = std::time::Duration::from_millis(250);
    for attempt in 1.. {
        match channel.send_message(&ctx.http, message.clone()).await {
            Err(serenity::Error::Http(serenity::HttpError::UnsuccessfulRequest(resp)))
                if attempt < ATTEMPTS
                    && (resp.status_code.as_u16() == 429 || resp.status_code.is_server_error()) =>
            {
                tracing::warn!(status = resp.status_code.as_u16(), attempt, channel = %channel, "Discord refused a reply; retrying");
                tokio::time::sleep(delay).await;
                delay *= 2;
            }
            other => return other,
        }
    }
    unreachable!("the loop returns")
}

/// A short key for an error nothing answered: its codes, else its first words.
pub fn unanswered_signature(answer: &Answer, text: &str) -> Option<String> {
    let e = &answer.extracted;
    if !e.codes.is_empty() {
        return Some(
            e.codes
                .iter()
                .take(3)
                .cloned()
                .collect::<Vec<_>>()
                .join(" "),
        );
    }
    let lower = text.to_lowercase();
    let looks_like_error = !e.statuses.is_empty()
        || ["error", "exception", "failed", "denied", "invalid"]
            .iter()
            .any(|w| lower.contains(w));
    if !looks_like_error {
        return None;
    }
    let words: Vec<String> =
        crate::engine::content_words(&crate::engine::normalize::clean(text).text)
            .into_iter()
            .take(6)
            .collect();
    (!words.is_empty()).then(|| words.join(" "))
}

/// Reads a message and, when the engine says so and no cooldown holds, replies to it. With
/// `previous` (an edit of a message already answered), the reply is edited, or removed when
/// the message no longer warrants one.
async fn on_message(
    ctx: &serenity::Context,
    data: &Data,
    bot: serenity::UserId,
    msg: &Message,
    previous: Option<(u64, u64)>,
) -> Result<(), Error> {
    let posted = Posted {
        author_is_bot: msg.author.bot,
        is_webhook: msg.webhook_id.is_some(),
        author_is_self: msg.author.id == bot,
        in_guild: msg.guild_id.is_some(),
        channel: msg.channel_id.get(),
        parent: parent_of(ctx, msg.guild_id, msg.channel_id),
    };
    if !policy::should_read(&posted, &data.config.auto_reply_channels) {
        tracing::debug!(message = %msg.id, ?posted, "not read");
        return Ok(());
    }
    let text = message_text(data, msg).await;
    let engine = data.engine();
    let answer = engine.paste(&text);
    let redacted = redact(&text);
    let warning = redact::warning(&redacted.secrets);
    tracing::debug!(message = %msg.id, replies = answer.auto_reply.len(), edited = previous.is_some(), len = text.len(), "read a message");
    if answer.auto_reply.is_empty() {
        if let Some((channel, reply)) = previous {
            data.conversations
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .forget_origin(msg.id.get());
            ChannelId::new(channel)
                .delete_message(&ctx.http, MessageId::new(reply))
                .await?;
        } else {
            if let Some(signature) = unanswered_signature(&answer, &text) {
                let excerpt = super::limits::trim(&redacted.text, 200);
                data.record(move |s| s.unanswered(&signature, &excerpt))
                    .await;
            }
            if let Some(warning) = warning {
                let dismiss = super::ids::Action::Dismiss.encode().map(|id| {
                    serenity::CreateActionRow::Buttons(vec![serenity::CreateButton::new(id)
                        .label("Dismiss")
                        .style(serenity::ButtonStyle::Secondary)])
                });
                let mut out = CreateMessage::new()
                    .reference_message(msg)
                    .allowed_mentions(no_pings())
                    .content(warning);
                if let Some(row) = dismiss {
                    out = out.components(vec![row]);
                }
                let sent = send(ctx, msg.channel_id, out).await?;
                data.remember(
                    sent.id.get(),
                    Conversation {
                        channel: posted.channel,
                        message: Some(msg.id.get()),
                        author: msg.author.id.get(),
                        ..Conversation::default()
                    },
                );
            }
        }
        return Ok(());
    }
    let ids: Vec<String> = answer
        .auto_reply
        .iter()
        .map(|&i| engine.entry(answer.matches[i].entry).id.clone())
        .collect();
    let shown: Vec<usize> = match previous {
        Some(_) => answer.auto_reply.clone(),
        None => {
            let verdict = data
                .cooldowns
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .check(
                    tokio::time::Instant::now(),
                    posted.channel,
                    msg.author.id.get(),
                    &ids,
                );
            match verdict {
                Verdict::Post(fresh) => answer
                    .auto_reply
                    .iter()
                    .copied()
                    .filter(|&i| fresh.contains(&engine.entry(answer.matches[i].entry).id))
                    .collect(),
                other => {
                    tracing::debug!(verdict = ?other, message = %msg.id, "reply held back");
                    return Ok(());
                }
            }
        }
    };
    let mut p = present::answer(&engine, &answer, &shown, true);
    if let Some(warning) = warning {
        p.content =
            super::limits::trim(&format!("{warning}\n{}", p.content), super::limits::MESSAGE);
    }
    let reply_id = match previous {
        Some((channel, reply)) => {
            let edit = EditMessage::new()
                .embeds(p.embeds)
                .components(p.components)
                .allowed_mentions(no_pings())
                .content(p.content);
            ChannelId::new(channel)
                .edit_message(&ctx.http, MessageId::new(reply), edit)
                .await?;
            reply
        }
        None => {
            let mut out = CreateMessage::new()
                .reference_message(msg)
                .allowed_mentions(no_pings())
                .embeds(p.embeds)
                .components(p.components);
            if !p.content.is_empty() {
                out = out.content(p.content);
            }
            send(ctx, msg.channel_id, out).await?.id.get()
        }
    };
    tracing::info!(message = %msg.id, entries = ?ids, "answered a pasted error");
    data.remember(
        reply_id,
        conversation(
            &engine,
            &answer,
            &shown,
            posted.channel,
            Some(msg.id.get()),
            msg.author.id.get(),
            &text,
        ),
    );
    Ok(())
}

async fn respond(
    ctx: &serenity::Context,
    click: &ComponentInteraction,
    text: &str,
) -> Result<(), Error> {
    let message = CreateInteractionResponseMessage::new()
        .content(super::limits::trim(text, super::limits::MESSAGE))
        .ephemeral(true)
        .allowed_mentions(no_pings());
    click
        .create_response(&ctx.http, CreateInteractionResponse::Message(message))
        .await?;
    Ok(())
}

fn clicker_is_staff(data: &Data, click: &ComponentInteraction) -> bool {
    let Some(member) = &click.member else {
        return false;
    };
    let manage = member.permissions.is_some_and(|p| p.manage_guild());
    let roles: Vec<u64> = member.roles.iter().map(|r| r.get()).collect();
    policy::is_staff(manage, &roles, data.config.staff_role)
}

/// The conversation behind a button's message, as remembered or as far as the message tells.
fn conversation_for(
    data: &Data,
    engine: &Engine,
    click: &ComponentInteraction,
    entry: &str,
) -> Conversation {
    let remembered = data
        .conversations
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .get(click.message.id.get())
        .cloned();
    remembered.unwrap_or_else(|| Conversation {
        channel: click.channel_id.get(),
        message: click
            .message
            .message_reference
            .as_ref()
            .and_then(|r| r.message_id)
            .map(|m| m.get()),
        author: click.user.id.get(),
        offered: engine
            .kb()
            .get(entry)
            .map(|e| vec![(e.id.clone(), 0.0)])
            .unwrap_or_default(),
        ..Conversation::default()
    })
}

async fn on_click(
    ctx: &serenity::Context,
    data: &Data,
    click: &ComponentInteraction,
) -> Result<(), Error> {
    let Some(action) = Action::decode(&click.data.custom_id) else {
        return Ok(());
    };
    let user = click.user.id.get();
    let message = click.message.id.get();
    match action {
        Action::Solved(entry) => {
            // Answer first: a slow or locked record must not make the click time out.
            respond(ctx, click, "Thanks — glad that fixed it.").await?;
            vote(data, message, &entry, user, true).await;
            Ok(())
        }
        Action::Unhelpful(entry) | Action::Escalate(entry) => {
            let unhelpful = matches!(
                Action::decode(&click.data.custom_id),
                Some(Action::Unhelpful(_))
            );
            // Several REST calls follow: acknowledge now, answer when done.
            click.defer_ephemeral(&ctx.http).await?;
            if unhelpful {
                vote(data, message, &entry, user, false).await;
            }
            let engine = data.engine();
            let c = conversation_for(data, &engine, click, &entry);
            let text = match escalation::open(
                &ctx.http,
                data,
                &format!("reply:{message}"),
                &c,
                user,
                None,
            )
            .await
            {
                Ok(opened) => opened_text(&opened),
                Err(e) => {
                    tracing::error!(error = %format!("{e:#}"), message, "could not open an escalation thread");
                    "Sorry, I could not open an escalation thread; it has been logged.".to_string()
                }
            };
            click
                .edit_response(&ctx.http, EditInteractionResponse::new().content(text))
                .await?;
            Ok(())
        }
        Action::Dismiss => {
            let author = data
                .conversations
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .get(message)
                .map(|c| c.author);
            if author != Some(user) && !clicker_is_staff(data, click) {
                return respond(
                    ctx,
                    click,
                    "Only the person who posted the error, or staff, can dismiss this answer.",
                )
                .await;
            }
            respond(ctx, click, "Dismissed.").await?;
            click
                .channel_id
                .delete_message(&ctx.http, click.message.id)
                .await?;
            Ok(())
        }
        Action::Close => {
            if !clicker_is_staff(data, click) {
                return respond(ctx, click, "Only staff can close an escalation.").await;
            }
            let thread = click.channel_id.get().to_string();
            let closed = data
                .record(move |s| s.close_escalation(&thread, "closed"))
                .await;
            let text = match closed {
                Some(true) => "Closed and recorded; archiving the thread.",
                Some(false) => "This escalation is already closed.",
                None => {
                    "Could not record the outcome (the record is unavailable); it has been logged."
                }
            };
            respond(ctx, click, text).await?;
            if closed == Some(true) {
                let _ = click
                    .channel_id
                    .edit_thread(&ctx.http, serenity::EditThread::new().archived(true))
                    .await;
            }
            Ok(())
        }
    }
}

/// Records a vote, and remembers it for an escalation summary.
async fn vote(data: &Data, message: u64, entry: &str, user: u64, helpful: bool) {
    if let Some(c) = data
        .conversations
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .get_mut(message)
    {
        c.ratings.push((entry.to_string(), helpful));
    }
    let entry = entry.to_string();
    data.record(move |s| s.vote(&entry, helpful, user, message))
        .await;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Extracted;

    #[test]
    fn unanswered_errors_are_keyed_by_code_or_first_words() {
        let with_code = Answer {
            extracted: Extracted {
                codes: vec!["AADSTS700016".into()],
                ..Extracted::default()
            },
            ..Answer::default()
        };
        assert_eq!(
            unanswered_signature(&with_code, "x").as_deref(),
            Some("AADSTS700016")
        );
        let plain = Answer::default();
        assert_eq!(
            unanswered_signature(&plain, "good morning team").as_deref(),
            None
        );
        assert_eq!(
            unanswered_signature(&plain, "Backup job failed: disk quota exceeded").as_deref(),
            Some("backup job failed disk quota exceeded")
        );
    }
}

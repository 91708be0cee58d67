//! Reading a user's message: its text as the engine reads it (content, code blocks and text
//! attachments, each bounded) and the same text redacted, read once, for everything that is
//! stored or shown elsewhere. Also the parent of a thread, from the cache.

use poise::serenity_prelude as serenity;
use serenity::{ChannelId, GuildId, Message};

use crate::text::redact::{redact, Redacted};

/// Attachments read as text.
const TEXT_EXTENSIONS: [&str; 3] = ["txt", "log", "json"];

/// A message as read: `text` goes to the engine only; everything stored, logged or posted
/// elsewhere comes from `redacted`.
#[derive(Debug, Clone)]
pub struct Read {
    pub text: String,
    pub redacted: Redacted,
}

/// Reads a message and its text attachments.
pub async fn read(fetch: &reqwest::Client, max_attachment_bytes: u64, msg: &Message) -> Read {
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
        match fetch_bounded(fetch, &a.url, max_attachment_bytes as usize).await {
            Ok(body) => {
                text.push('\n');
                text.push_str(&body);
            }
            Err(e) => {
                tracing::warn!(error = %e, message = %msg.id, "could not read an attachment")
            }
        }
    }
    let redacted = user_text(&text);
    Read { text, redacted }
}

/// The one way a text a person typed or pasted is read for anything but the engine: redacted
/// at once, before it is escaped, trimmed, quoted, stored, logged or posted (a message, an
/// attachment, a `/fix` query, an `/escalate` note, a `/resolve` outcome, a message kept for a
/// draft).
pub fn user_text(raw: &str) -> Redacted {
    redact(raw)
}

/// Downloads at most `max` bytes of a URL as text; invalid UTF-8 is replaced, not rejected.
async fn fetch_bounded(client: &reqwest::Client, url: &str, max: usize) -> anyhow::Result<String> {
    // Errors without the URL: an attachment's URL is signed, and errors are logged.
    let mut resp = client
        .get(url)
        .send()
        .await
        .and_then(reqwest::Response::error_for_status)
        .map_err(reqwest::Error::without_url)?;
    let mut body = Vec::new();
    while let Some(chunk) = resp.chunk().await.map_err(reqwest::Error::without_url)? {
        let room = max.saturating_sub(body.len());
        body.extend_from_slice(&chunk[..chunk.len().min(room)]);
        if body.len() >= max {
            break;
        }
    }
    Ok(String::from_utf8_lossy(&body).into_owned())
}

/// The parent of a thread or forum post, from the cache.
pub fn parent_of(
    ctx: &serenity::Context,
    guild: Option<GuildId>,
    channel: ChannelId,
) -> Option<ChannelId> {
    let guild = ctx.cache.guild(guild?)?;
    match guild.channels.get(&channel) {
        Some(c) => c.parent_id,
        None => guild
            .threads
            .iter()
            .find(|t| t.id == channel)
            .and_then(|t| t.parent_id),
    }
}

//! Everything the bot sends goes through here, so that every message, edit, interaction
//! response and follow-up sets allowed mentions, and sending a reply is retried within reason
//! when Discord is rate limiting or failing.

use poise::serenity_prelude as serenity;
use serenity::{
    ChannelId, ComponentInteraction, CreateAllowedMentions, CreateInteractionResponse,
    CreateInteractionResponseMessage, CreateMessage, EditInteractionResponse, EditMessage, Message,
    MessageId,
};

use crate::discord::decide::limits;
use crate::text::words::cut;

/// Allowed mentions for every answer: nobody is pinged, not even the person replied to.
pub fn no_pings() -> CreateAllowedMentions {
    CreateAllowedMentions::new().replied_user(false)
}

/// Attempts at sending a reply when Discord answers 429 or a server error.
const ATTEMPTS: u32 = 3;

/// Sends a message, retrying when Discord is rate limiting or failing (429, 5xx): a quarter
/// second, then half a second. Other errors, and the last failure, are returned. The caller
/// sets allowed mentions (most pass [`no_pings`]; a new escalation thread pings its role).
pub async fn message(
    http: &serenity::Http,
    channel: ChannelId,
    message: CreateMessage,
) -> serenity::Result<Message> {
    let mut delay = std::time::Duration::from_millis(250);
    let mut attempt = 1;
    loop {
        match channel.send_message(http, message.clone()).await {
            Err(serenity::Error::Http(serenity::HttpError::UnsuccessfulRequest(resp)))
                if attempt < ATTEMPTS
                    && (resp.status_code.as_u16() == 429 || resp.status_code.is_server_error()) =>
            {
                tracing::warn!(status = resp.status_code.as_u16(), attempt, channel = %channel, "Discord refused a message; retrying");
                tokio::time::sleep(delay).await;
                delay *= 2;
                attempt += 1;
            }
            other => return other,
        }
    }
}

/// Edits one of the bot's messages; it pings nobody.
pub async fn edit(
    http: &serenity::Http,
    channel: ChannelId,
    id: MessageId,
    edit: EditMessage,
) -> serenity::Result<Message> {
    channel
        .edit_message(http, id, edit.allowed_mentions(no_pings()))
        .await
}

/// Answers a click privately, at once.
pub async fn tell(
    http: &serenity::Http,
    click: &ComponentInteraction,
    text: &str,
) -> serenity::Result<()> {
    let message = CreateInteractionResponseMessage::new()
        .content(cut(text, limits::MESSAGE))
        .ephemeral(true)
        .allowed_mentions(no_pings());
    click
        .create_response(http, CreateInteractionResponse::Message(message))
        .await
}

/// Answers a click that was deferred ("thinking…").
pub async fn tell_deferred(
    http: &serenity::Http,
    click: &ComponentInteraction,
    text: &str,
) -> serenity::Result<Message> {
    tell_deferred_with(http, click, text, Vec::new()).await
}

/// Answers a deferred click with text and components.
pub async fn tell_deferred_with(
    http: &serenity::Http,
    click: &ComponentInteraction,
    text: &str,
    components: Vec<serenity::CreateActionRow>,
) -> serenity::Result<Message> {
    click
        .edit_response(
            http,
            EditInteractionResponse::new()
                .content(cut(text, limits::MESSAGE))
                .components(components)
                .allowed_mentions(no_pings()),
        )
        .await
}

/// A private command reply that pings nobody.
pub fn private_reply(text: &str) -> poise::CreateReply {
    poise::CreateReply::default()
        .content(cut(text, limits::MESSAGE))
        .ephemeral(true)
        .allowed_mentions(no_pings())
}

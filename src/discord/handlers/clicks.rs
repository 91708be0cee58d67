//! Button clicks: decide (`policy::plan_click`), then act. Every path answers the clicker:
//! with the outcome, or, when something fails, a short apology (the cause is logged), so nobody
//! is left on "thinking…".

use poise::serenity_prelude as serenity;
use serenity::ComponentInteraction;

use crate::discord::decide::conversation::{escalation_key, Conversation};
use crate::discord::decide::escalation::{self as plan, opened_text};
use crate::discord::decide::policy::{self, ClickPlan};
use crate::discord::handlers::escalate;
use crate::discord::io::send;
use crate::discord::state::Data;
use crate::discord::state::Error;

/// What the clicker is told when handling a click failed.
const APOLOGY: &str = "Sorry, that went wrong on my side; it has been logged.";

/// Handles a click on one of the bot's buttons.
pub async fn clicked(
    ctx: &serenity::Context,
    data: &Data,
    click: &ComponentInteraction,
) -> Result<(), Error> {
    // Who posted the error: remembered, or the author of the message the answer replies to.
    let author = data
        .conversations()
        .get(click.message.id)
        .map(|c| c.author)
        .or_else(|| {
            click
                .message
                .referenced_message
                .as_ref()
                .map(|m| m.author.id)
        });
    // Fails closed: while the server's settings cannot be read, Manage Server only.
    let role = data
        .settings_for_checks(click.guild_id)
        .await
        .and_then(|s| s.staff_role);
    let staff = policy::member_is_staff(click.member.as_ref(), role);
    let clicker = policy::Clicker {
        id: click.user.id,
        staff,
        operator: data.is_operator(click.user.id, click.guild_id, staff),
    };
    let plan = policy::plan_click(&click.data.custom_id, clicker, author);
    tracing::debug!(click = %click.id, ?plan, "a button click");
    let http = &ctx.http;
    match plan {
        ClickPlan::Ignore => Ok(()),
        ClickPlan::Refuse(text) => Ok(send::tell(http, click, text).await?),
        ClickPlan::Solved(entry) => {
            // Answer first: a slow or locked record must not make the click time out.
            send::tell(http, click, "Thanks — glad that fixed it.").await?;
            vote(data, click, &entry, true).await;
            Ok(())
        }
        ClickPlan::Unhelpful(entry) => {
            send::tell(
                http,
                click,
                "Thanks for saying so. Only the person who posted the error, or staff, can escalate it; `/escalate` asks for help with your own.",
            )
            .await?;
            vote(data, click, &entry, false).await;
            Ok(())
        }
        ClickPlan::Escalate { entry, unhelpful } => {
            let work = escalate(ctx, data, click, &entry, unhelpful);
            answer_deferred(http, click, "escalate", work).await
        }
        ClickPlan::Dismiss => {
            send::tell(http, click, "Dismissed.").await?;
            click
                .channel_id
                .delete_message(http, click.message.id)
                .await?;
            data.conversations().forget_reply(click.message.id);
            Ok(())
        }
        ClickPlan::Close => {
            // Closing writes the record first: acknowledge now, answer when done.
            click.defer_ephemeral(http).await?;
            let closed = escalate::close(http, data, click.channel_id, "closed".into()).await;
            send::tell_deferred_with(
                http,
                click,
                plan::closed_text(closed),
                plan::closed_components(closed),
            )
            .await?;
            Ok(())
        }
        ClickPlan::Draft => {
            let work = escalate::write_draft(http, data, click.channel_id);
            answer_deferred(http, click, "write a draft", work).await
        }
    }
}

/// Acknowledges a click at once (several REST calls follow), runs `work`, and answers with its
/// text — or, when it fails, with a short apology, the cause logged as "could not {what}".
async fn answer_deferred(
    http: &serenity::Http,
    click: &ComponentInteraction,
    what: &str,
    work: impl std::future::Future<Output = anyhow::Result<String>>,
) -> Result<(), Error> {
    click.defer_ephemeral(http).await?;
    let text = match work.await {
        Ok(text) => text,
        Err(e) => {
            tracing::error!(error = %format!("{e:#}"), click = %click.id, "could not {what}");
            APOLOGY.to_string()
        }
    };
    send::tell_deferred(http, click, &text).await?;
    Ok(())
}

/// Records an unhelpful vote when asked and opens (or links) the escalation; the text for the
/// clicker.
async fn escalate(
    ctx: &serenity::Context,
    data: &Data,
    click: &ComponentInteraction,
    entry: &str,
    unhelpful: bool,
) -> anyhow::Result<String> {
    if unhelpful {
        vote(data, click, entry, false).await;
    }
    let c = conversation_for(data, click, entry);
    let key = escalation_key(Some(click.message.id), click.channel_id, click.user.id);
    let request = escalate::Request {
        key: &key,
        conversation: &c,
        reporter: click.user.id,
        note: None,
        guild: click.guild_id,
        entry: Some(entry),
    };
    let opened = escalate::open(&ctx.http, data, request).await?;
    Ok(opened_text(&opened))
}

/// The conversation behind a button's message, as remembered or as far as the message tells.
fn conversation_for(data: &Data, click: &ComponentInteraction, entry: &str) -> Conversation {
    if let Some(c) = data.conversations().get(click.message.id) {
        return c.clone();
    }
    let origin = click
        .message
        .message_reference
        .as_ref()
        .and_then(|r| r.message_id);
    let mut c = Conversation::new(click.channel_id, origin, click.user.id);
    if data.engine().kb().get(entry).is_some() {
        c.offered = vec![(entry.to_string(), 0.0)];
    }
    c
}

/// Records a vote, and remembers it for an escalation summary.
async fn vote(data: &Data, click: &ComponentInteraction, entry: &str, helpful: bool) {
    let message = click.message.id;
    // A paste whose answer solved it is a candidate example for the entry (`kb examples`).
    let mut solved_paste = None;
    if let Some(c) = data.conversations().get_mut(message) {
        c.ratings.push((entry.to_string(), helpful));
        if helpful && c.author == click.user.id && !c.text.trim().is_empty() {
            solved_paste = c.message.map(|m| (c.text.clone(), m.get()));
        }
    }
    if let Some((text, origin)) = solved_paste {
        let entry = entry.to_string();
        data.record(move |s| s.example_candidate(&entry, &text, origin))
            .await;
    }
    data.metrics.vote(if helpful {
        crate::ops::metrics::Vote::Solved
    } else {
        crate::ops::metrics::Vote::Unhelpful
    });
    let (entry, user) = (entry.to_string(), click.user.id.get());
    let guild = click.guild_id.map(|g| g.get());
    data.record(move |s| s.vote(&entry, helpful, user, message.get(), guild))
        .await;
}

//! Slash commands and the message context-menu command. Each command's `///` doc is its
//! description in Discord.

use crate::store::server::Kind;
use poise::serenity_prelude as serenity;
use serenity::{AutocompleteChoice, CreateAutocompleteResponse, MessageId};

use crate::discord::decide::conversation::{escalation_key, Conversation};
use crate::discord::decide::escalation::{self as plan, opened_text};
use crate::discord::decide::limits;
use crate::discord::decide::present;
use crate::discord::handlers::checks;
use crate::discord::handlers::escalate;
use crate::discord::io::send::{no_pings, private_reply};
use crate::discord::state::Context;
use crate::discord::state::Data;
use crate::discord::state::Error;
use crate::engine::{Answer, Engine, Match};
use crate::kb::{Product, Tier};
use crate::text::words::cut;

/// Every command the bot registers.
pub fn all() -> Vec<poise::Command<Data, Error>> {
    vec![
        fix(),
        kb(),
        escalate(),
        resolve(),
        find_fix(),
        use_in_draft(),
        crate::discord::handlers::settings_commands::errmedic(),
    ]
}

/// Entries for autocomplete as the user types: those whose id, title or a code contains what
/// was typed come first, then the engine's ranking of it as a lookup.
fn suggestions(engine: &Engine, partial: &str) -> Vec<AutocompleteChoice> {
    let entries = &engine.kb().entries;
    let typed = partial.trim().to_lowercase();
    let contains = |i: &usize| {
        let e = &entries[*i];
        e.id.contains(&typed)
            || e.title.to_lowercase().contains(&typed)
            || e.matching
                .codes
                .iter()
                .any(|c| c.to_lowercase().contains(&typed))
    };
    // The team's entries that contain what was typed, then the engine's ranking, then the
    // reference entries that contain it.
    let curated = |i: &usize| entries[*i].tier == Tier::Curated;
    let direct = (0..entries.len()).filter(|i| curated(i) && contains(i));
    let ranked = engine.query(partial).matches.into_iter().map(|m| m.entry);
    let reference = (0..entries.len()).filter(|i| !curated(i) && contains(i));
    let mut seen = Vec::new();
    direct
        .chain(ranked)
        .chain(reference)
        .filter(|i| {
            let new = !seen.contains(i);
            seen.push(*i);
            new
        })
        .take(limits::CHOICES)
        .map(|i| {
            let e = &entries[i];
            AutocompleteChoice::new(
                cut(&format!("{} ({})", e.title, e.id), limits::CHOICE_NAME),
                e.id.clone(),
            )
        })
        .collect()
}

async fn autocomplete_entry(ctx: Context<'_>, partial: &str) -> CreateAutocompleteResponse {
    CreateAutocompleteResponse::new().set_choices(suggestions(&ctx.data().engine(), partial))
}

/// The answer to a lookup: the entry picked from autocomplete, or the engine's ranking.
pub fn lookup(engine: &Engine, query: &str) -> Answer {
    if let Some(i) = engine
        .kb()
        .entries
        .iter()
        .position(|e| e.id == query.trim())
    {
        return Answer {
            matches: vec![Match {
                entry: i,
                score: 1.0,
                reasons: vec!["picked from the list".into()],
                strong: true,
                points: 1.0,
            }],
            ..Answer::default()
        };
    }
    engine.query(query)
}

/// A presented answer as a command reply that pings nobody.
fn as_reply(p: present::Presented, ephemeral: bool) -> poise::CreateReply {
    let mut reply = poise::CreateReply::default()
        .ephemeral(ephemeral)
        .allowed_mentions(no_pings())
        .components(p.components);
    let content = p.content.trim();
    if !content.is_empty() {
        reply = reply.content(cut(content, limits::MESSAGE));
    }
    for e in p.embeds {
        reply = reply.embed(e);
    }
    reply
}

async fn say_private(ctx: Context<'_>, text: impl Into<String>) -> Result<(), Error> {
    ctx.send(private_reply(&text.into())).await?;
    Ok(())
}

/// Look up the fix for an error message, an error code or a few words
#[poise::command(slash_command)]
pub async fn fix(
    ctx: Context<'_>,
    #[description = "The error, its code, or a few words"]
    #[autocomplete = "autocomplete_entry"]
    query: String,
    #[description = "Only you see the answer"] private: Option<bool>,
) -> Result<(), Error> {
    let engine = ctx.data().engine();
    let answer = lookup(&engine, &query);
    ctx.data().count(ctx.guild_id(), Kind::Lookup, "");
    if answer.matches.is_empty() {
        return say_private(ctx, "Nothing in the knowledge base matches that. Try the error code or other words, or `/escalate` to ask the support staff.").await;
    }
    let p = present::answer(&engine, &answer, &[0], false);
    let reply = as_reply(p, private.unwrap_or(false));
    let handle = ctx.send(reply).await?;
    let shown = &engine.entry(answer.matches[0].entry).id;
    ctx.data().count(ctx.guild_id(), Kind::Shown, shown);
    if let Ok(msg) = handle.message().await {
        let base = Conversation::new(ctx.channel_id(), None, ctx.author().id);
        let redacted = crate::discord::io::read::user_text(&query).text;
        let c = Conversation::of_answer(&engine, &answer, &[0], &redacted, base);
        ctx.data().remember(msg.id, c);
    }
    Ok(())
}

/// Browse the knowledge base
#[poise::command(
    slash_command,
    subcommands("kb_show", "kb_list", "kb_reload", "kb_draft", "kb_drafts")
)]
pub async fn kb(_ctx: Context<'_>) -> Result<(), Error> {
    Ok(())
}

/// Show a knowledge-base entry in full
#[poise::command(slash_command, rename = "show")]
pub async fn kb_show(
    ctx: Context<'_>,
    #[description = "Entry id"]
    #[autocomplete = "autocomplete_entry"]
    id: String,
) -> Result<(), Error> {
    let engine = ctx.data().engine();
    let Some(entry) = engine.kb().get(id.trim()) else {
        return say_private(
            ctx,
            format!(
                "There is no entry `{}`; `/kb list` shows them.",
                cut(&id.replace('`', ""), 80)
            ),
        )
        .await;
    };
    let embed = present::entry_embed(entry, None, limits::EMBED_TOTAL);
    ctx.send(
        poise::CreateReply::default()
            .embed(embed)
            .allowed_mentions(no_pings()),
    )
    .await?;
    Ok(())
}

/// Which entries `/kb list` shows: the curated entries of a product, or the reference tier.
#[derive(Debug, Clone, Copy, poise::ChoiceParameter)]
pub enum ListChoice {
    #[name = "CSP"]
    Csp,
    Graph,
    #[name = "Exchange Online"]
    ExchangeOnline,
    Entra,
    Intune,
    Teams,
    /// The general meaning of every Entra and common Graph code.
    #[name = "reference"]
    Reference,
}

impl ListChoice {
    /// Whether the choice lists `e`.
    fn lists(self, e: &crate::kb::Entry) -> bool {
        let product = match self {
            ListChoice::Reference => return e.tier == Tier::Reference,
            ListChoice::Csp => Product::Csp,
            ListChoice::Graph => Product::Graph,
            ListChoice::ExchangeOnline => Product::ExchangeOnline,
            ListChoice::Entra => Product::Entra,
            ListChoice::Intune => Product::Intune,
            ListChoice::Teams => Product::Teams,
        };
        e.tier == Tier::Curated && e.products.contains(&product)
    }
}

/// List the knowledge-base entries
#[poise::command(slash_command, rename = "list")]
pub async fn kb_list(
    ctx: Context<'_>,
    #[description = "Only this product, or the reference entries"] product: Option<ListChoice>,
    #[description = "Page number"]
    #[min = 1]
    page: Option<u32>,
) -> Result<(), Error> {
    let engine = ctx.data().engine();
    let entries: Vec<&crate::kb::Entry> = engine
        .kb()
        .entries
        .iter()
        .filter(|e| match product {
            Some(choice) => choice.lists(e),
            None => e.tier == Tier::Curated,
        })
        .collect();
    if entries.is_empty() {
        return say_private(ctx, "No entries for that product.").await;
    }
    let (text, pages) = present::entry_list(&entries, page.unwrap_or(1) as usize);
    let mut header = format!(
        "**{} entries** (page {} of {pages}; `/kb show <id>` for one)\n",
        entries.len(),
        (page.unwrap_or(1) as usize).clamp(1, pages)
    );
    let reference = engine.kb().reference().count();
    if product.is_none() && reference > 0 {
        header.push_str(&format!(
            "…and {reference} reference entries, the general meaning of Entra and Graph codes (`/kb list reference`).\n"
        ));
    }
    say_private(ctx, format!("{header}{text}")).await
}

/// Reload the knowledge base from disk (the bot's operators only)
#[poise::command(slash_command, rename = "reload", check = "checks::operators_only")]
pub async fn kb_reload(ctx: Context<'_>) -> Result<(), Error> {
    ctx.defer_ephemeral().await?;
    let data = ctx.data();
    let loaded = crate::discord::io::reload::load(data.config.kb_dir.clone()).await?;
    match loaded {
        Ok(engine) => {
            let n = engine.kb().curated().count();
            let r = engine.kb().reference().count();
            data.swap_engine(engine);
            tracing::info!(entries = n, by = %ctx.author().id, "knowledge base reloaded");
            // Noted in the record, so that every other process reloads too.
            let by = ctx.author().id.get();
            let noted = data.record(move |s| s.kb_reloaded(by)).await;
            if let Some(number) = noted {
                data.kb_reloaded_to(number);
            }
            let shared = matches!(data.config.database, crate::config::Database::Postgres(_));
            let others = match noted {
                Some(_) if shared => format!(
                    " Other processes sharing the record reload within {} s.",
                    data.config.kb_follow_secs
                ),
                _ => String::new(),
            };
            say_private(
                ctx,
                format!("Reloaded: {n} entries ({r} reference).{others}"),
            )
            .await
        }
        Err(e) => {
            tracing::warn!(problems = e.problems.len(), "knowledge base reload refused");
            let list: Vec<String> = e
                .problems
                .iter()
                .take(15)
                .map(|p| format!("- {}", limits::escape(&p.to_string())))
                .collect();
            say_private(ctx, format!("Not reloaded: the knowledge base has {} problem(s); the current one stays in use.\n{}", e.problems.len(), list.join("\n"))).await
        }
    }
}

/// Write a draft entry from this escalation thread (the bot's operators only)
#[poise::command(slash_command, rename = "draft", check = "checks::operators_only")]
pub async fn kb_draft(ctx: Context<'_>) -> Result<(), Error> {
    ctx.defer_ephemeral().await?;
    let text = escalate::write_draft(ctx.http(), ctx.data(), ctx.channel_id()).await?;
    say_private(ctx, text).await
}

/// List the draft entries waiting for review (the bot's operators only)
#[poise::command(slash_command, rename = "drafts", check = "checks::operators_only")]
pub async fn kb_drafts(ctx: Context<'_>) -> Result<(), Error> {
    ctx.defer_ephemeral().await?;
    let engine = ctx.data().engine();
    let published: Vec<String> = engine.kb().entries.iter().map(|e| e.id.clone()).collect();
    let dir = ctx.data().config.kb_dir.join("drafts");
    let checked =
        tokio::task::spawn_blocking(move || crate::authoring::drafts::check_dir(&dir, &published))
            .await?;
    if checked.drafts.is_empty() {
        return say_private(ctx, "No drafts wait for review.").await;
    }
    let lines: Vec<String> = checked
        .drafts
        .iter()
        .map(|d| {
            let todo = checked
                .todo
                .iter()
                .filter(|p| p.entry.as_deref() == Some(d.id.as_str()))
                .count();
            let state = if todo == 0 {
                "ready: `errmedic kb promote` it".to_string()
            } else {
                format!("{todo} thing(s) to fill")
            };
            cut(
                &format!("`{}` — {} ({state})", d.id, limits::escape(&d.title)),
                190,
            )
        })
        .collect();
    say_private(
        ctx,
        format!(
            "**{} draft(s)** waiting for review (`errmedic kb check` lists what each needs):\n{}",
            lines.len(),
            lines.join("\n")
        ),
    )
    .await
}

/// Use this message in the draft entry of its escalation thread (staff only)
#[poise::command(
    context_menu_command = "Use in draft",
    default_member_permissions = "MANAGE_GUILD",
    check = "checks::staff_only"
)]
pub async fn use_in_draft(ctx: Context<'_>, msg: serenity::Message) -> Result<(), Error> {
    // The record may be slow: acknowledge within Discord's three seconds.
    ctx.defer_ephemeral().await?;
    let text = crate::discord::io::read::user_text(&msg.content).text;
    let thread = msg.channel_id.get().to_string();
    let kept = ctx
        .data()
        .record(move |s| s.escalation_note(&thread, &text))
        .await;
    let reply = match kept {
        Some(true) => "Kept for the draft entry: the Draft entry button or `/kb draft` uses it.",
        Some(false) => "This message is not in an escalation thread.",
        None => "Could not keep it (the record is unavailable); it has been logged.",
    };
    say_private(ctx, reply).await
}

/// Ask the support staff for help: opens an escalation thread for this conversation
#[poise::command(slash_command, guild_only)]
pub async fn escalate(
    ctx: Context<'_>,
    #[description = "What you need help with"] summary: Option<String>,
) -> Result<(), Error> {
    ctx.defer_ephemeral().await?;
    let (channel, user) = (ctx.channel_id(), ctx.author().id);
    let (reply, conversation) = {
        let memory = ctx.data().conversations();
        let answered = memory.latest(channel, user);
        let unanswered = memory.unanswered(channel, user);
        // The newer of their last answered conversation and their last error nothing answered
        // (ids are snowflakes: a larger one is newer).
        let when = |c: &Conversation, fallback: MessageId| c.message.unwrap_or(fallback);
        match (answered, unanswered) {
            (Some((reply, a)), Some(u)) if when(u, MessageId::new(1)) > when(a, reply) => {
                (None, u.clone())
            }
            (Some((reply, a)), _) => (Some(reply), a.clone()),
            (None, Some(u)) => (None, u.clone()),
            (None, None) => (None, Conversation::new(channel, None, user)),
        }
    };
    let key = escalation_key(reply, channel, user);
    // Redacted as it is read, before the summary escapes it for Markdown.
    let note = summary.map(|s| crate::discord::io::read::user_text(&s).text);
    let request = escalate::Request {
        key: &key,
        conversation: &conversation,
        reporter: user,
        note: note.as_deref(),
        guild: ctx.guild_id(),
        entry: None,
    };
    let opened = escalate::open(ctx.http(), ctx.data(), request).await?;
    say_private(ctx, opened_text(&opened)).await
}

/// Close this escalation thread and record the outcome (staff only)
#[poise::command(
    slash_command,
    default_member_permissions = "MANAGE_GUILD",
    check = "checks::staff_only"
)]
pub async fn resolve(
    ctx: Context<'_>,
    #[description = "What fixed it"] outcome: Option<String>,
) -> Result<(), Error> {
    ctx.defer_ephemeral().await?;
    let outcome =
        crate::discord::io::read::user_text(&outcome.unwrap_or_else(|| "resolved".into())).text;
    let closed = escalate::close(ctx.http(), ctx.data(), ctx.channel_id(), outcome).await;
    ctx.send(private_reply(plan::closed_text(closed)).components(plan::closed_components(closed)))
        .await?;
    Ok(())
}

/// Find the fix for the error in this message
#[poise::command(context_menu_command = "Find fix")]
pub async fn find_fix(ctx: Context<'_>, msg: serenity::Message) -> Result<(), Error> {
    ctx.defer_ephemeral().await?;
    let data = ctx.data();
    let read =
        crate::discord::io::read::read(&data.fetch, data.config.max_attachment_bytes, &msg).await;
    let engine = ctx.data().engine();
    let answer = engine.paste(&read.text);
    let shown: Vec<usize> = if answer.auto_reply.is_empty() {
        (0..answer.matches.len().min(1)).collect()
    } else {
        answer.auto_reply.clone()
    };
    if shown.is_empty() {
        return say_private(ctx, "Nothing in the knowledge base matches this message. `/escalate` asks the support staff.").await;
    }
    let p = present::answer(&engine, &answer, &shown, false);
    let note = if answer.auto_reply.is_empty() {
        "Not sure this is it — the closest entry:\n"
    } else {
        ""
    };
    let p = present::Presented {
        content: format!("{note}{}", p.content),
        ..p
    };
    let reply = as_reply(p, true);
    let handle = ctx.send(reply).await?;
    if let Ok(sent) = handle.message().await {
        // Not tied to the message: its edits and deletion follow the unprompted answer, if any.
        let base = Conversation::new(msg.channel_id, None, ctx.author().id);
        let c = Conversation::of_answer(&engine, &answer, &shown, &read.redacted.text, base);
        ctx.data().remember(sent.id, c);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn engine() -> Engine {
        Engine::new(
            crate::kb::load_dir(std::path::Path::new(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/kb"
            )))
            .unwrap(),
        )
    }

    #[test]
    fn suggestions_rank_by_the_engine_and_fit_limits() {
        let e = engine();
        let s = serde_json::to_value(suggestions(&e, "token exp")).unwrap();
        assert_eq!(s[0]["value"], "token-expired");
        let s = serde_json::to_value(suggestions(&e, "aadsts50076")).unwrap();
        assert_eq!(
            s[0]["value"], "mfa-required-location",
            "codes as they are typed"
        );
        let all = suggestions(&e, "");
        assert!(all.len() <= limits::CHOICES);
        for c in serde_json::to_value(all).unwrap().as_array().unwrap() {
            assert!(c["name"].as_str().unwrap().chars().count() <= limits::CHOICE_NAME);
        }
    }

    #[test]
    fn a_picked_id_is_answered_directly() {
        let e = engine();
        let a = lookup(&e, "grant-revoked");
        assert_eq!(e.entry(a.matches[0].entry).id, "grant-revoked");
        assert_eq!(a.matches.len(), 1);
    }
}

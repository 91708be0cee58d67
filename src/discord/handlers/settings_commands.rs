//! `/errmedic settings`, `/errmedic set` and `/errmedic reset` (and `/errmedic dashboard`, in
//! `dashboard_link.rs`): a server's own settings, set by
//! its staff, checked against the server (from the gateway's cache), stored in the record, and
//! in force from the next message — in every process, within [`crate::discord::settings_cache::SETTINGS_FRESH`].

use poise::serenity_prelude as serenity;
use serenity::{ChannelType, GuildId, RoleId, UserId};

use crate::discord::decide::settings_text;
use crate::discord::handlers::checks::staff_only;
use crate::discord::io::send::private_reply;
use crate::discord::state::Context;
use crate::discord::state::Data;
use crate::discord::state::Error;
use crate::settings::{
    self, ChannelFacts, ChannelKind, Overrides, ServerFacts, Setting, Settings, Value,
};

/// errmedic's settings and dashboard for this server (staff only)
#[poise::command(
    slash_command,
    rename = "errmedic",
    subcommands(
        "show",
        "set",
        "reset",
        "crate::discord::handlers::dashboard_link::dashboard"
    ),
    default_member_permissions = "MANAGE_GUILD",
    guild_only
)]
pub async fn errmedic(_ctx: Context<'_>) -> Result<(), Error> {
    Ok(())
}

/// Show this server's settings, and which are the defaults
#[poise::command(slash_command, rename = "settings", check = "staff_only", guild_only)]
pub async fn show(ctx: Context<'_>) -> Result<(), Error> {
    let Some(guild) = ctx.guild_id() else {
        return Ok(());
    };
    ctx.defer_ephemeral().await?;
    let data = ctx.data();
    data.settings_changed(guild, None);
    let Some(overrides) = data.overrides(guild).await else {
        ctx.send(private_reply(UNREADABLE)).await?;
        return Ok(());
    };
    let text = describe(data, guild, &overrides);
    ctx.send(private_reply(&text)).await?;
    Ok(())
}

/// Change this server's settings (give only the ones to change)
#[allow(clippy::too_many_arguments)]
#[poise::command(slash_command, rename = "set", check = "staff_only", guild_only)]
pub async fn set(
    ctx: Context<'_>,
    #[description = "Turn unprompted replies to pasted errors on or off"] auto_replies: Option<
        bool,
    >,
    #[description = "Channels for unprompted replies: mention them, or say `all`"]
    auto_reply_channels: Option<String>,
    #[description = "Where escalation threads are opened"]
    #[channel_types("Text", "News")]
    escalation_channel: Option<serenity::ChannelId>,
    #[description = "The role pinged in a new escalation thread"] support_role: Option<RoleId>,
    #[description = "The role allowed staff commands (besides Manage Server)"] staff_role: Option<
        RoleId,
    >,
    #[description = "Seconds before the same answer is posted again in a channel"]
    #[max = 86400]
    cooldown: Option<u32>,
    #[description = "Seconds between unprompted replies to one person"]
    #[max = 3600]
    user_rate: Option<u32>,
) -> Result<(), Error> {
    let Some(guild) = ctx.guild_id() else {
        return Ok(());
    };
    ctx.defer_ephemeral().await?;
    let mut changes: Vec<(Setting, Value)> = Vec::new();
    if let Some(on) = auto_replies {
        changes.push((Setting::AutoReplies, Value::Switch(on)));
    }
    if let Some(text) = auto_reply_channels {
        match settings_text::parse_channels(&text) {
            Ok(ids) => changes.push((Setting::AutoReplyChannels, Value::Channels(ids))),
            Err(refused) => return say(ctx, &refused).await,
        }
    }
    if let Some(c) = escalation_channel {
        changes.push((Setting::EscalationChannel, Value::Channel(c.get())));
    }
    if let Some(r) = support_role {
        changes.push((Setting::SupportRole, Value::Role(r.get())));
    }
    if let Some(r) = staff_role {
        changes.push((Setting::StaffRole, Value::Role(r.get())));
    }
    if let Some(s) = cooldown {
        changes.push((Setting::Cooldown, Value::Seconds(s.into())));
    }
    if let Some(s) = user_rate {
        changes.push((Setting::UserRate, Value::Seconds(s.into())));
    }
    if changes.is_empty() {
        return say(ctx, "Give at least one setting to change.").await;
    }
    let data = ctx.data();
    if !data.has_record() {
        return say(ctx, UNAVAILABLE).await;
    }
    let facts = server_facts(ctx.serenity_context(), guild, ctx.framework().bot_id());
    let Some(facts) = facts else {
        return say(ctx, "I have not yet received this server's channels and roles from Discord; try again in a minute.").await;
    };
    let refused: Vec<String> = changes
        .iter()
        .filter_map(|(s, v)| settings::check(*s, v, &facts).err())
        .map(|r| format!("- {}", settings_text::refusal(&r)))
        .collect();
    if !refused.is_empty() {
        let text = format!("Nothing was changed:\n{}", refused.join("\n"));
        return say(ctx, &text).await;
    }
    let by = ctx.author().id;
    let Some(now) = store(data, guild, by, changes).await else {
        return say(ctx, UNAVAILABLE).await;
    };
    let text = format!("Saved.\n{}", describe(data, guild, &now));
    say(ctx, &text).await
}

/// Which setting goes back to the default.
#[derive(Debug, Clone, Copy, poise::ChoiceParameter)]
pub enum Which {
    #[name = "auto-replies"]
    AutoReplies,
    #[name = "auto-reply channels"]
    AutoReplyChannels,
    #[name = "escalation channel"]
    EscalationChannel,
    #[name = "support role"]
    SupportRole,
    #[name = "staff role"]
    StaffRole,
    #[name = "cooldown"]
    Cooldown,
    #[name = "user rate"]
    UserRate,
}

impl Which {
    fn setting(self) -> Setting {
        match self {
            Which::AutoReplies => Setting::AutoReplies,
            Which::AutoReplyChannels => Setting::AutoReplyChannels,
            Which::EscalationChannel => Setting::EscalationChannel,
            Which::SupportRole => Setting::SupportRole,
            Which::StaffRole => Setting::StaffRole,
            Which::Cooldown => Setting::Cooldown,
            Which::UserRate => Setting::UserRate,
        }
    }
}

/// Put one setting back to the default
#[poise::command(slash_command, rename = "reset", check = "staff_only", guild_only)]
pub async fn reset(
    ctx: Context<'_>,
    #[description = "The setting to put back to the default"] setting: Which,
) -> Result<(), Error> {
    let Some(guild) = ctx.guild_id() else {
        return Ok(());
    };
    ctx.defer_ephemeral().await?;
    let data = ctx.data();
    let (setting, by) = (setting.setting(), ctx.author().id.get());
    let now = data
        .record(move |s| {
            s.change_setting(guild.get(), setting, None, by)?;
            s.server_settings(guild.get())
        })
        .await;
    data.settings_changed(guild, now.clone());
    let Some(now) = now else {
        return say(ctx, UNAVAILABLE).await;
    };
    let text = format!(
        "The {} is back to the default.\n{}",
        setting.name(),
        describe(data, guild, &now)
    );
    say(ctx, &text).await
}

const UNREADABLE: &str = "The record is unavailable, so this server's settings cannot be read now; until they can, I send no unprompted replies here (commands still work). It has been logged.";

const UNAVAILABLE: &str =
    "The record is unavailable, so settings cannot be changed now; it has been logged.";

async fn say(ctx: Context<'_>, text: &str) -> Result<(), Error> {
    ctx.send(private_reply(text)).await?;
    Ok(())
}

/// Stores every change, and returns the server's settings as the record now holds them;
/// `None` when the record could not take them.
async fn store(
    data: &Data,
    guild: GuildId,
    by: UserId,
    changes: Vec<(Setting, Value)>,
) -> Option<Overrides> {
    let now = data
        .record(move |s| {
            for (setting, value) in &changes {
                s.change_setting(guild.get(), *setting, Some(value), by.get())?;
            }
            s.server_settings(guild.get())
        })
        .await;
    data.settings_changed(guild, now.clone());
    now
}

fn describe(data: &Data, guild: GuildId, overrides: &Overrides) -> String {
    let guild = Some(guild.get());
    let settings = Settings::defaults(&data.config, guild).with(overrides);
    let withheld = Settings::home_defaults_withheld(&data.config, guild);
    settings_text::describe(&settings, overrides, withheld)
}

/// What the gateway told of a server: its channels (with what the bot may do in each) and
/// roles. `None` until Discord has sent the server.
fn server_facts(ctx: &serenity::Context, guild: GuildId, bot: UserId) -> Option<ServerFacts> {
    let g = ctx.cache.guild(guild)?;
    let me = g.members.get(&bot)?;
    let channels = g
        .channels
        .values()
        .map(|c| {
            let p = g.user_permissions_in(c, me);
            let kind = match c.kind {
                ChannelType::Text | ChannelType::News => ChannelKind::Text,
                // Media channels (type 16) are forums of posts with media.
                ChannelType::Forum | ChannelType::Unknown(16) => ChannelKind::Forum,
                _ => ChannelKind::Other,
            };
            let send = match kind {
                ChannelKind::Forum => p.send_messages_in_threads(),
                _ => p.send_messages(),
            };
            let facts = ChannelFacts {
                name: c.name.clone(),
                kind,
                bot_can_post: p.view_channel() && send,
                bot_can_open_threads: p.create_private_threads() || p.create_public_threads(),
            };
            (c.id.get(), facts)
        })
        .collect();
    Some(ServerFacts {
        channels,
        roles: g.roles.keys().map(|r| r.get()).collect(),
    })
}

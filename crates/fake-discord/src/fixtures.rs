//! Payloads: what the fake sends (READY, dispatches) and answers (messages, threads,
//! commands), and builders for the events tests dispatch. `validate` checks a payload against
//! serenity's model.

use serde_json::{json, Value};
use serenity::model::prelude as model;

use crate::{APP_ID, GUILD_ID};

const TIMESTAMP: &str = "2026-01-01T00:00:00.000000+00:00";

/// Checks a dispatch payload with serenity's own types; panics naming the problem.
pub fn validate(event: &str, data: &Value) {
    let result = match event {
        "READY" => serde_json::from_value::<model::Ready>(data.clone()).map(drop),
        "MESSAGE_CREATE" => serde_json::from_value::<model::Message>(data.clone()).map(drop),
        "MESSAGE_UPDATE" => {
            serde_json::from_value::<model::MessageUpdateEvent>(data.clone()).map(drop)
        }
        "MESSAGE_DELETE" => {
            serde_json::from_value::<model::MessageDeleteEvent>(data.clone()).map(drop)
        }
        "INTERACTION_CREATE" => {
            serde_json::from_value::<model::Interaction>(data.clone()).map(drop)
        }
        "GUILD_CREATE" => serde_json::from_value::<model::Guild>(data.clone()).map(drop),
        "THREAD_DELETE" => {
            serde_json::from_value::<model::PartialGuildChannel>(data.clone()).map(drop)
        }
        other => panic!("the fake does not know how to check a {other} dispatch"),
    };
    if let Err(e) = result {
        panic!("{event} fixture does not deserialise with serenity's model: {e}\n{data:#}");
    }
}

/// A user object.
pub fn user(id: u64, name: &str, bot: bool) -> Value {
    json!({"id": id.to_string(), "username": name, "discriminator": "0", "global_name": name, "avatar": null, "bot": bot})
}

/// The bot itself.
pub fn bot_user() -> Value {
    let mut u = user(APP_ID, "errmedic", true);
    u["verified"] = json!(true);
    u["mfa_enabled"] = json!(false);
    u
}

pub(crate) fn ready(gateway: &str, (shard, total): (u64, u64)) -> Value {
    let guilds: Vec<Value> = [GUILD_ID]
        .iter()
        .filter(|&&g| crate::shard_of(g, total) == shard)
        .map(|g| json!({"id": g.to_string(), "unavailable": true}))
        .collect();
    json!({
        "v": 10,
        "user": bot_user(),
        "guilds": guilds,
        "session_id": format!("fake-session-{shard}-{total}"),
        "resume_gateway_url": gateway,
        "shard": [shard, total],
        "application": {"id": APP_ID.to_string(), "flags": 0},
    })
}

pub(crate) fn application() -> Value {
    json!({
        "id": APP_ID.to_string(),
        "name": "errmedic",
        "icon": null,
        "description": "",
        "bot_public": true,
        "bot_require_code_grant": false,
        "owner": user(1, "owner", false),
        "verify_key": "00",
        "team": null,
        "flags": 0,
    })
}

pub(crate) fn registered_command(mut c: Value, id: u64) -> Value {
    c["id"] = json!(id.to_string());
    c["application_id"] = json!(APP_ID.to_string());
    c["version"] = json!("1");
    if c.get("type").is_none() {
        c["type"] = json!(1);
    }
    if c.get("description").is_none() {
        c["description"] = json!("");
    }
    c
}

/// A message the bot sent, as Discord returns it.
pub(crate) fn sent_message(id: u64, channel: u64, body: &Value) -> Value {
    let mut m = message(
        id,
        channel,
        &bot_user(),
        body["content"].as_str().unwrap_or(""),
    );
    m["embeds"] = body.get("embeds").cloned().unwrap_or(json!([]));
    m
}

pub(crate) fn thread(id: u64, parent: u64, body: &Value) -> Value {
    json!({
        "id": id.to_string(),
        "type": body.get("type").cloned().unwrap_or(json!(11)),
        "guild_id": GUILD_ID.to_string(),
        "name": body.get("name").cloned().unwrap_or(json!("thread")),
        "parent_id": parent.to_string(),
        "owner_id": APP_ID.to_string(),
        "position": 0,
        "permission_overwrites": [],
        "nsfw": false,
        "rate_limit_per_user": 0,
        "thread_metadata": {"archived": body.get("archived").cloned().unwrap_or(json!(false)), "auto_archive_duration": 1440, "archive_timestamp": TIMESTAMP, "locked": false},
        "message_count": 0,
        "member_count": 1,
    })
}

/// A guild member with the given permission bits (as Discord sends in interactions).
pub fn member(user: &Value, roles: &[u64], permissions: u64) -> Value {
    json!({
        "user": user,
        "roles": roles.iter().map(|r| r.to_string()).collect::<Vec<_>>(),
        "joined_at": TIMESTAMP,
        "deaf": false,
        "mute": false,
        "flags": 0,
        "permissions": permissions.to_string(),
    })
}

/// A message posted in the fixture guild.
pub fn message(id: u64, channel: u64, author: &Value, content: &str) -> Value {
    json!({
        "id": id.to_string(),
        "channel_id": channel.to_string(),
        "guild_id": GUILD_ID.to_string(),
        "author": author,
        "content": content,
        "timestamp": TIMESTAMP,
        "edited_timestamp": null,
        "tts": false,
        "mention_everyone": false,
        "mentions": [],
        "mention_roles": [],
        "attachments": [],
        "embeds": [],
        "pinned": false,
        "type": 0,
    })
}

/// An attachment object for `message["attachments"]`.
pub fn attachment(id: u64, filename: &str, url: &str, size: u64) -> Value {
    json!({"id": id.to_string(), "filename": filename, "size": size, "url": url, "proxy_url": url})
}

/// An edit of a message (`MESSAGE_UPDATE`).
pub fn message_update(id: u64, channel: u64, author: &Value, content: &str) -> Value {
    let mut m = message(id, channel, author, content);
    m["edited_timestamp"] = json!(TIMESTAMP);
    m
}

/// A deletion (`MESSAGE_DELETE`).
pub fn message_delete(id: u64, channel: u64) -> Value {
    json!({"id": id.to_string(), "channel_id": channel.to_string(), "guild_id": GUILD_ID.to_string()})
}

fn interaction(kind: u8, id: u64, channel: u64, member: &Value, data: Value) -> Value {
    json!({
        "id": id.to_string(),
        "application_id": APP_ID.to_string(),
        "type": kind,
        "data": data,
        "guild_id": GUILD_ID.to_string(),
        "channel_id": channel.to_string(),
        "channel": {"id": channel.to_string(), "type": 0},
        "member": member,
        "token": format!("token-{id}"),
        "version": 1,
        "app_permissions": "0",
        "locale": "en-US",
        "guild_locale": "en-US",
        "entitlements": [],
        "authorizing_integration_owners": {},
        "attachment_size_limit": 26214400,
    })
}

/// An option of a slash command: (name, Discord option type, value).
pub fn option(name: &str, kind: u8, value: Value) -> Value {
    json!({"name": name, "type": kind, "value": value})
}

/// A slash command invocation. `options` as Discord sends them; for a subcommand, one option
/// of type 1 with its own `options`.
pub fn slash_command(
    id: u64,
    channel: u64,
    member: &Value,
    name: &str,
    options: Vec<Value>,
) -> Value {
    interaction(
        2,
        id,
        channel,
        member,
        json!({"id": "1", "name": name, "type": 1, "options": options}),
    )
}

/// An autocomplete request: `options` with the focused one marked.
pub fn autocomplete(
    id: u64,
    channel: u64,
    member: &Value,
    name: &str,
    options: Vec<Value>,
) -> Value {
    interaction(
        4,
        id,
        channel,
        member,
        json!({"id": "1", "name": name, "type": 1, "options": options}),
    )
}

/// A message context-menu command on `target` (a message object).
pub fn message_command(id: u64, channel: u64, member: &Value, name: &str, target: &Value) -> Value {
    let target_id = target["id"].as_str().unwrap_or("0").to_string();
    interaction(
        2,
        id,
        channel,
        member,
        json!({"id": "2", "name": name, "type": 3, "target_id": target_id, "resolved": {"messages": {target_id.clone(): target}}}),
    )
}

/// A button click on `message` (a message object).
pub fn button_click(
    id: u64,
    channel: u64,
    member: &Value,
    custom_id: &str,
    message: &Value,
) -> Value {
    let mut i = interaction(
        3,
        id,
        channel,
        member,
        json!({"custom_id": custom_id, "component_type": 2}),
    );
    i["message"] = message.clone();
    i
}

/// A payload (message, deletion, interaction) moved to another server.
pub fn in_guild(mut v: Value, guild: u64) -> Value {
    v["guild_id"] = json!(guild.to_string());
    v
}

/// A channel of a server: (id, name, Discord channel type), with the bot's permissions in it
/// denied by an overwrite when `bot_denied` is set.
#[derive(Debug, Clone)]
pub struct ChannelSpec {
    pub id: u64,
    pub name: &'static str,
    pub kind: u8,
    /// Permission bits the bot is denied in this channel.
    pub bot_denied: u64,
}

/// A server as `GUILD_CREATE` sends it: its channels, its roles (`(id, name)`; the
/// `@everyone` role, with the id of the server, allows `everyone` bits), and the bot as a
/// member.
pub fn guild_create(
    guild: u64,
    channels: &[ChannelSpec],
    roles: &[(u64, &str)],
    everyone: u64,
) -> Value {
    let role = |id: u64, name: &str, permissions: u64| {
        json!({"id": id.to_string(), "name": name, "color": 0, "colors": {"primary_color": 0, "secondary_color": null, "tertiary_color": null}, "hoist": false, "position": 0,
               "permissions": permissions.to_string(), "managed": false, "mentionable": true, "flags": 0})
    };
    let mut all_roles = vec![role(guild, "@everyone", everyone)];
    all_roles.extend(roles.iter().map(|(id, name)| role(*id, name, 0)));
    let channels: Vec<Value> = channels
        .iter()
        .map(|c| {
            let overwrites = if c.bot_denied == 0 {
                json!([])
            } else {
                json!([{"id": APP_ID.to_string(), "type": 1, "allow": "0", "deny": c.bot_denied.to_string()}])
            };
            json!({"id": c.id.to_string(), "type": c.kind, "guild_id": guild.to_string(), "name": c.name,
                   "position": 0, "permission_overwrites": overwrites, "nsfw": false, "rate_limit_per_user": 0})
        })
        .collect();
    let mut me = member(&bot_user(), &[], 0);
    me.as_object_mut().unwrap().remove("permissions");
    json!({
        "id": guild.to_string(),
        "name": format!("server {guild}"),
        "icon": null, "icon_hash": null, "splash": null, "discovery_splash": null,
        "owner_id": "1",
        "afk_channel_id": null, "afk_timeout": 300,
        "verification_level": 0, "default_message_notifications": 0, "explicit_content_filter": 0,
        "roles": all_roles, "emojis": [], "features": [], "mfa_level": 0,
        "application_id": null, "system_channel_id": null, "system_channel_flags": 0,
        "rules_channel_id": null, "vanity_url_code": null, "description": null, "banner": null,
        "premium_tier": 0, "preferred_locale": "en-US", "public_updates_channel_id": null,
        "nsfw_level": 0, "stickers": [], "premium_progress_bar_enabled": false,
        "joined_at": TIMESTAMP, "large": false, "unavailable": false, "member_count": 2,
        "voice_states": [], "members": [me], "channels": channels, "threads": [],
        "presences": [], "stage_instances": [], "guild_scheduled_events": [],
    })
}

/// A slash command option that names a channel or a role (type 7 or 8): the value, and the
/// `resolved` data Discord sends with it.
pub fn with_resolved(mut command: Value, channels: &[(u64, &str)], roles: &[(u64, &str)]) -> Value {
    let channels: serde_json::Map<String, Value> = channels
        .iter()
        .map(|(id, name)| {
            (
                id.to_string(),
                json!({"id": id.to_string(), "type": 0, "name": name, "permissions": "0"}),
            )
        })
        .collect();
    let roles: serde_json::Map<String, Value> = roles
        .iter()
        .map(|(id, name)| (id.to_string(), json!({"id": id.to_string(), "name": name, "color": 0, "colors": {"primary_color": 0, "secondary_color": null, "tertiary_color": null}, "hoist": false, "position": 0, "permissions": "0", "managed": false, "mentionable": true, "flags": 0})))
        .collect();
    command["data"]["resolved"] = json!({"channels": channels, "roles": roles});
    command
}

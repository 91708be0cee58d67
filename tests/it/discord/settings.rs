//! Per-server settings set with `/errmedic`, checked against the server the gateway sent, and
//! in force from the next message.

use super::*;

const SUPPORT: u64 = 501;
const ESCALATIONS: u64 = 502;
const LOCKED: u64 = 503;
const VOICE: u64 = 504;
const TEAM_ROLE: u64 = 901;
const SEND_MESSAGES: u64 = 1 << 11;

fn channel(id: u64, name: &'static str, kind: u8, bot_denied: u64) -> fake::ChannelSpec {
    fake::ChannelSpec {
        id,
        name,
        kind,
        bot_denied,
    }
}

/// The fixture server: channels the bot may use, one it may not post in, a voice channel.
fn server() -> Value {
    // @everyone may view, send, and open threads.
    let everyone = (1 << 10) | SEND_MESSAGES | (1 << 35) | (1 << 36);
    fake::guild_create(
        fake::GUILD_ID,
        &[
            channel(CHANNEL, "general", 0, 0),
            channel(SUPPORT, "support", 0, 0),
            channel(ESCALATIONS, "escalations", 0, 0),
            channel(LOCKED, "announcements", 0, SEND_MESSAGES),
            channel(VOICE, "voice", 2, 0),
        ],
        &[(TEAM_ROLE, "helpdesk"), (888, "staff")],
        everyone,
    )
}

fn errmedic(id: u64, member: &Value, sub: &str, options: Vec<Value>) -> Value {
    let command = fake::slash_command(
        id,
        CHANNEL,
        member,
        "errmedic",
        vec![json!({"name": sub, "type": 1, "options": options})],
    );
    fake::with_resolved(
        command,
        &[
            (SUPPORT, "support"),
            (ESCALATIONS, "escalations"),
            (LOCKED, "announcements"),
        ],
        &[(TEAM_ROLE, "helpdesk"), (999, "gone")],
    )
}

fn staff() -> Value {
    fake::member(&person(10), &[], MANAGE_GUILD)
}

/// Runs `/errmedic` and returns what the bot told the member.
async fn run(bot: &Bot, member: &Value, sub: &str, options: Vec<Value>) -> String {
    let id = bot.fake.new_id();
    bot.handle("INTERACTION_CREATE", errmedic(id, member, sub, options))
        .await;
    told(bot, id)
}

async fn answered_in(bot: &Bot, channel: u64) -> bool {
    let since = bot.fake.requests().len();
    bot.handle(
        "MESSAGE_CREATE",
        fake::message(bot.fake.new_id(), channel, &person(42), MFA_PASTE),
    )
    .await;
    bot.fake.count_since(since, posts_to(channel)) > 0
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staff_set_a_server_s_settings_and_they_apply_at_once() {
    let bot = start(&[
        ("ERRMEDIC_USER_RATE_SECS", "0"),
        ("ERRMEDIC_COOLDOWN_SECS", "0"),
    ])
    .await;
    bot.fake.dispatch("GUILD_CREATE", server());
    // Before: the environment's defaults (every channel).
    let shown = run(&bot, &staff(), "settings", vec![]).await;
    assert!(
        shown.contains("**auto-reply channels**: every channel (default)"),
        "{shown}"
    );
    assert!(answered_in(&bot, CHANNEL).await);

    // Only staff.
    let refused = run(
        &bot,
        &fake::member(&person(11), &[], 0),
        "set",
        vec![fake::option("auto_replies", 5, json!(false))],
    )
    .await;
    assert!(refused.contains("Only staff"), "{refused}");

    // Checked against the server: nothing is changed when one value is refused.
    let refused = run(
        &bot,
        &staff(),
        "set",
        vec![
            fake::option("auto_reply_channels", 3, json!(format!("<#{SUPPORT}>"))),
            fake::option("escalation_channel", 7, json!(LOCKED.to_string())),
            fake::option("support_role", 8, json!("999")),
        ],
    )
    .await;
    assert!(refused.contains("Nothing was changed"), "{refused}");
    assert!(
        refused.contains("I cannot post in #announcements"),
        "{refused}"
    );
    assert!(
        refused.contains("is not a role of this server"),
        "{refused}"
    );
    let voice = run(
        &bot,
        &staff(),
        "set",
        vec![fake::option(
            "auto_reply_channels",
            3,
            json!(format!("<#{VOICE}>")),
        )],
    )
    .await;
    assert!(voice.contains("not a text or forum channel"), "{voice}");
    let typo = run(
        &bot,
        &staff(),
        "set",
        vec![fake::option("auto_reply_channels", 3, json!("#support"))],
    )
    .await;
    assert!(typo.contains("`#support` is not a channel"), "{typo}");
    assert!(answered_in(&bot, CHANNEL + 7).await, "still every channel");

    // Accepted: in force from the next message.
    let saved = run(
        &bot,
        &staff(),
        "set",
        vec![
            fake::option("auto_reply_channels", 3, json!(format!("<#{SUPPORT}>"))),
            fake::option("escalation_channel", 7, json!(ESCALATIONS.to_string())),
            fake::option("support_role", 8, json!(TEAM_ROLE.to_string())),
        ],
    )
    .await;
    assert!(saved.contains("Saved."), "{saved}");
    assert!(saved.contains("Last changed by <@10> on "), "{saved}");
    assert!(
        saved.contains(&format!("**auto-reply channels**: <#{SUPPORT}>\\n")),
        "{saved}"
    );
    assert!(saved.contains("**cooldown**: 0 s (default)"), "{saved}");
    assert!(
        !answered_in(&bot, CHANNEL).await,
        "not an auto-reply channel any more"
    );
    assert!(answered_in(&bot, SUPPORT).await);

    // An escalation goes to the server's channel and pings its role.
    let answer = first_post(&bot, SUPPORT, "the answer");
    let click = bot.fake.new_id();
    bot.handle(
        "INTERACTION_CREATE",
        fake::button_click(
            click,
            SUPPORT,
            &fake::member(&person(42), &[], 0),
            "errmedic:escalate:mfa-required-location",
            &answer.response,
        ),
    )
    .await;
    let thread = bot
        .fake
        .requests()
        .into_iter()
        .find(|r| r.method == "POST" && r.path.ends_with("/threads"))
        .expect("a thread");
    assert_eq!(
        thread.path,
        format!("/api/v10/channels/{ESCALATIONS}/threads"),
        "{thread}"
    );
    let summary = bot
        .fake
        .requests()
        .into_iter()
        .find(|r| {
            r.method == "POST"
                && r.body["content"]
                    .as_str()
                    .is_some_and(|c| c.contains("**Escalation**"))
        })
        .expect("a summary");
    assert!(
        summary.body["content"]
            .as_str()
            .unwrap()
            .starts_with(&format!("<@&{TEAM_ROLE}>")),
        "{summary}"
    );

    // Off, then back to the default.
    let off = run(
        &bot,
        &staff(),
        "set",
        vec![fake::option("auto_replies", 5, json!(false))],
    )
    .await;
    assert!(off.contains("**auto-replies**: off"), "{off}");
    assert!(!answered_in(&bot, SUPPORT).await, "auto-replies are off");
    let reset = run(
        &bot,
        &staff(),
        "reset",
        // Discord sends a choice as its index: 0 is "auto-replies".
        vec![fake::option("setting", 4, json!(0))],
    )
    .await;
    assert!(reset.contains("back to the default"), "{reset}");
    assert!(answered_in(&bot, SUPPORT).await);

    // Another server set nothing: the environment's settings hold there.
    let other = 7_000_000_000_000_000_001;
    let since = bot.fake.requests().len();
    bot.handle(
        "MESSAGE_CREATE",
        fake::in_guild(
            fake::message(bot.fake.new_id(), 9100, &person(42), MFA_PASTE),
            other,
        ),
    )
    .await;
    assert_eq!(bot.fake.count_since(since, posts_to(9100)), 1);
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_record_settings_are_not_changed_and_replies_wait_for_them() {
    let dir = std::env::temp_dir().join(format!("errmedic-norecord-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("record.sqlite3")).unwrap();
    let sqlite = dir.join("record.sqlite3").display().to_string();
    // An SQLite path that is a folder, and a PostgreSQL server that is not there.
    for db in [sqlite.as_str(), "postgres://errmedic@127.0.0.1:1/errmedic"] {
        let bot = start(&[("ERRMEDIC_DATABASE", db)]).await;
        bot.fake.dispatch("GUILD_CREATE", server());
        let said = run(
            &bot,
            &staff(),
            "set",
            vec![fake::option("cooldown", 4, json!(5))],
        )
        .await;
        assert!(said.contains("record is unavailable"), "{db}: {said}");
        // What the server set cannot be read: shown as such, and no unprompted replies (it may
        // have turned them off); lookups still answer.
        let shown = run(&bot, &staff(), "settings", vec![]).await;
        assert!(shown.contains("record is unavailable"), "{db}: {shown}");
        assert!(!answered_in(&bot, CHANNEL).await, "{db}");
        let id = bot.fake.new_id();
        let query = vec![fake::option("query", 3, json!("AADSTS50076"))];
        bot.handle(
            "INTERACTION_CREATE",
            fake::slash_command(id, CHANNEL, &staff(), "fix", query),
        )
        .await;
        let looked_up = told(&bot, id);
        assert!(
            looked_up.contains("mfa-required-location") || looked_up.contains("multi-factor"),
            "{db}: {looked_up}"
        );
        bot.stop().await;
    }
    let _ = std::fs::remove_dir_all(&dir);
}

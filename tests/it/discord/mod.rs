//! End-to-end: the real serenity client, with the bot's handlers, against a fake Discord on
//! loopback. Tests drive gateway events and assert on the REST requests the bot makes.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use errmedic::config::Config;
use errmedic::discord::handled::Handled;
use errmedic::discord::{self, Wiring};
use errmedic::engine::Engine;
use fake_discord::{self as fake, FakeDiscord, Request};
use serde_json::{json, Value};

use crate::root;

mod boundaries;
mod clicks;
mod commands;
mod dashboard;
mod escalation;
mod examples;
mod load;
mod messages;
mod ops;
mod outage;
mod secrets;
mod settings;
mod shards;
mod shutdown;
mod sustained;

const WAIT: Duration = Duration::from_secs(10);

const CHANNEL: u64 = 500;

const SUPPORT_ROLE: u64 = 777;

const MANAGE_GUILD: u64 = 1 << 5;

struct Bot {
    fake: FakeDiscord,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    task: tokio::task::JoinHandle<anyhow::Result<()>>,
    dir: PathBuf,
    handled: Arc<Handled>,
}

impl Bot {
    /// Dispatches a gateway event and waits until the bot says it has handled it (replies
    /// sent, records written): "nothing was sent" is asserted after this, never after a sleep.
    async fn handle(&self, event: &str, data: Value) {
        let id: u64 = data["id"]
            .as_str()
            .and_then(|s| s.parse().ok())
            .expect("an event with an id");
        // A message's creation, edits and deletion share its id: wait for one more.
        let before = self.handled.count(id);
        self.fake.dispatch(event, data);
        assert!(
            self.handled.wait_for_count(id, before + 1, WAIT).await,
            "the bot did not finish handling {event} {id}"
        );
    }

    /// Every message, edit, interaction response and follow-up the bot sent set allowed
    /// mentions.
    fn assert_every_send_sets_allowed_mentions(&self) {
        for r in self.fake.requests() {
            let sends = matches!(r.method.as_str(), "POST" | "PATCH")
                && (r.path.contains("/messages")
                    || r.path.contains("/interactions/")
                    || r.path.contains("/webhooks/"));
            let body = if r.path.contains("/interactions/") {
                &r.body["data"]
            } else {
                &r.body
            };
            let has_text = body.get("content").is_some() || body.get("embeds").is_some();
            if sends && has_text {
                assert!(
                    body.get("allowed_mentions").is_some(),
                    "sent without allowed mentions: {r}"
                );
            }
        }
    }

    async fn stop(mut self) {
        self.assert_every_send_sets_allowed_mentions();
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        let _ = tokio::time::timeout(WAIT, &mut self.task).await;
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &to.join(e.file_name()));
        } else {
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
}

/// Starts a fake Discord and the bot against it, with extra configuration variables.
async fn start(extra: &[(&str, &str)]) -> Bot {
    let fake = FakeDiscord::start().await;
    // One directory (knowledge base, record) per bot: tests run in parallel in one process.
    static BOTS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = BOTS.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    let dir = std::env::temp_dir().join(format!("errmedic-e2e-{}-{n}", std::process::id()));
    copy_dir(&root().join("kb"), &dir.join("kb"));
    let mut vars: HashMap<String, String> = [
        ("DISCORD_TOKEN", "test-token-not-secret"),
        ("ERRMEDIC_SUPPORT_ROLE", "777"),
        ("ERRMEDIC_STAFF_ROLE", "888"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    vars.insert("DISCORD_API_BASE".into(), fake.base.clone());
    // The fake's server is the operators' own: the role defaults above are its roles.
    vars.insert("ERRMEDIC_HOME_GUILD".into(), fake::GUILD_ID.to_string());
    // Tests escalate again at once; the interval has its own test.
    vars.insert("ERRMEDIC_ESCALATION_INTERVAL_SECS".into(), "0".into());
    vars.insert(
        "ERRMEDIC_DATABASE".into(),
        dir.join("record.sqlite3").display().to_string(),
    );
    vars.insert(
        "ERRMEDIC_KB_DIR".into(),
        dir.join("kb").display().to_string(),
    );
    for (k, v) in extra {
        vars.insert(k.to_string(), v.to_string());
    }
    let config = Config::from_vars(&vars).unwrap();
    let engine = Engine::new(errmedic::kb::load_dir(&config.kb_dir).unwrap());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let handled = Arc::new(Handled::default());
    let wiring = Wiring {
        api_base: Some(fake.base.clone()),
        handled: Some(handled.clone()),
    };
    let task = tokio::spawn(discord::run(config, engine, wiring, async move {
        let _ = stopped.await;
    }));
    fake.wait_identified(WAIT).await;
    fake.wait_for("command registration", WAIT, |r| {
        r.method == "PUT" && r.path.ends_with("/commands")
    })
    .await;
    Bot {
        fake,
        stop: Some(stop),
        task,
        dir,
        handled,
    }
}

/// The record's report (read after the events that write it were handled).
fn report(bot: &Bot) -> String {
    let db = bot.dir.join("record.sqlite3");
    errmedic::store::Store::open(&db).unwrap().report().unwrap()
}

/// The bot's first message in `channel`; panics naming `what` when there is none.
fn first_post(bot: &Bot, channel: u64, what: &str) -> Request {
    bot.fake
        .requests()
        .into_iter()
        .find(|r| posts_to(channel)(r))
        .unwrap_or_else(|| panic!("no {what} in channel {channel}"))
}

/// Everything the bot sent in answer to interaction `id`: its callback and any follow-ups.
fn told(bot: &Bot, id: u64) -> String {
    bot.fake
        .requests()
        .iter()
        .filter(|r| r.path.contains(&format!("token-{id}")))
        .map(|r| r.body.to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

/// A server other than the home one.
const OTHER: u64 = fake::GUILD_ID + 1;

/// `value` (a message or an interaction) moved to server `guild`.
fn in_guild(mut value: Value, guild: u64) -> Value {
    value["guild_id"] = json!(guild.to_string());
    value
}

/// A free port on 127.0.0.1 for the bot's HTTP listener.
fn free_addr() -> String {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap().to_string()
}

fn person(id: u64) -> Value {
    fake::user(id, &format!("user{id}"), false)
}

fn posts_to(channel: u64) -> impl Fn(&Request) -> bool {
    move |r| r.method == "POST" && r.path == format!("/api/v10/channels/{channel}/messages")
}

fn callback_for(interaction: u64) -> impl Fn(&Request) -> bool {
    move |r| {
        r.method == "POST"
            && r.path
                .starts_with(&format!("/api/v10/interactions/{interaction}/"))
    }
}

const MFA_PASTE: &str = "Connect-MgGraph fails:\n```\nAADSTS50076: Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access '00000003-0000-0000-c000-000000000000'.\n```";

/// Posts the MFA paste, waits for the reply, and returns (paste id, reply message as Discord
/// would show it in a click).
async fn answered(bot: &Bot, author: u64) -> (u64, Value) {
    answered_with(bot, author, MFA_PASTE).await
}

/// [`answered`] for another paste.
async fn answered_with(bot: &Bot, author: u64, text: &str) -> (u64, Value) {
    let paste = bot.fake.new_id();
    bot.handle(
        "MESSAGE_CREATE",
        fake::message(paste, CHANNEL, &person(author), text),
    )
    .await;
    let reply = bot
        .fake
        .requests()
        .into_iter()
        .find(|r| {
            posts_to(CHANNEL)(r)
                && r.body["message_reference"]["message_id"] == json!(paste.to_string())
        })
        .expect("the paste was answered");
    let id: u64 = reply.response["id"].as_str().unwrap().parse().unwrap();
    let mut message = fake::message(id, CHANNEL, &fake::bot_user(), "");
    message["message_reference"] =
        json!({"message_id": paste.to_string(), "channel_id": CHANNEL.to_string()});
    (paste, message)
}

/// Clicks a button of the bot's reply and waits until the click was handled.
async fn click(bot: &Bot, member: &Value, custom_id: &str, message: &Value) -> u64 {
    let id = bot.fake.new_id();
    bot.handle(
        "INTERACTION_CREATE",
        fake::button_click(id, CHANNEL, member, custom_id, message),
    )
    .await;
    id
}

fn thread_posts(bot: &Bot) -> Vec<Request> {
    bot.fake
        .requests()
        .into_iter()
        .filter(|r| r.method == "POST" && r.path.ends_with("/threads"))
        .collect()
}

fn kb_reload(id: u64, member: &Value) -> Value {
    fake::slash_command(
        id,
        CHANNEL,
        member,
        "kb",
        vec![json!({"name": "reload", "type": 1, "options": []})],
    )
}

fn kb_sub(id: u64, member: &Value, sub: &str, options: Vec<Value>) -> Value {
    fake::slash_command(
        id,
        CHANNEL,
        member,
        "kb",
        vec![json!({"name": sub, "type": 1, "options": options})],
    )
}

const JWT: &str = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJodHRwczovL2dyYXBoIn0.c2lnbmF0dXJlLXNpZ25hdHVyZQ";

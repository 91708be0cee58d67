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
mod outage;
mod secrets;
mod settings;
mod shards;

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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pasted_covered_error_gets_one_safe_reply() {
    let bot = start(&[]).await;
    let id = bot.fake.new_id();
    bot.fake.dispatch(
        "MESSAGE_CREATE",
        fake::message(id, CHANNEL, &person(42), MFA_PASTE),
    );
    let r = bot
        .fake
        .wait_for("a reply to the paste", WAIT, posts_to(CHANNEL))
        .await;
    let embed = &r.body["embeds"][0];
    assert!(
        embed["footer"]["text"]
            .as_str()
            .unwrap()
            .starts_with("mfa-required-location"),
        "{r}"
    );
    assert!(
        embed["description"].as_str().unwrap().contains("**Steps**"),
        "{r}"
    );
    assert_eq!(
        r.body["message_reference"]["message_id"],
        id.to_string(),
        "replies to the paste"
    );
    let mentions = &r.body["allowed_mentions"];
    assert_eq!(mentions["parse"], json!([]), "{r}");
    assert_eq!(mentions["replied_user"], json!(false), "{r}");
    let buttons: Vec<&str> = r.body["components"][0]["components"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["custom_id"].as_str().unwrap())
        .collect();
    assert!(
        buttons.contains(&"errmedic:unhelpful:mfa-required-location"),
        "{buttons:?}"
    );
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn chat_uncovered_errors_and_bots_get_no_reply() {
    let bot = start(&[]).await;
    let since = bot.fake.requests().len();
    bot.handle(
        "MESSAGE_CREATE",
        fake::message(
            bot.fake.new_id(),
            CHANNEL,
            &person(1),
            "morning all, coffee anyone?",
        ),
    )
    .await;
    bot.handle(
        "MESSAGE_CREATE",
        fake::message(
            bot.fake.new_id(),
            CHANNEL,
            &person(2),
            "Backup job failed on NAS-01: disk quota exceeded (error 0x80070070)",
        ),
    )
    .await;
    bot.handle(
        "MESSAGE_CREATE",
        fake::message(
            bot.fake.new_id(),
            CHANNEL,
            &fake::user(3, "otherbot", true),
            MFA_PASTE,
        ),
    )
    .await;
    assert_eq!(
        bot.fake.count_since(since, posts_to(CHANNEL)),
        0,
        "unexpected replies"
    );
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cooldown_holds_a_repeat_back() {
    let bot = start(&[]).await;
    bot.fake.dispatch(
        "MESSAGE_CREATE",
        fake::message(bot.fake.new_id(), CHANNEL, &person(1), MFA_PASTE),
    );
    bot.fake
        .wait_for("the first reply", WAIT, posts_to(CHANNEL))
        .await;
    let since = bot.fake.requests().len();
    bot.handle(
        "MESSAGE_CREATE",
        fake::message(bot.fake.new_id(), CHANNEL, &person(2), MFA_PASTE),
    )
    .await;
    assert_eq!(
        bot.fake.count_since(since, posts_to(CHANNEL)),
        0,
        "the same entry was posted again"
    );
    // Another channel is not held back.
    bot.fake.dispatch(
        "MESSAGE_CREATE",
        fake::message(bot.fake.new_id(), CHANNEL + 1, &person(3), MFA_PASTE),
    );
    bot.fake
        .wait_for("a reply in another channel", WAIT, posts_to(CHANNEL + 1))
        .await;
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_text_attachment_is_read() {
    let bot = start(&[]).await;
    let url = bot.fake.serve_file(
        "sync.log",
        b"2024-01-01 sync failed\nCode: ErrorSendAsDenied\n".to_vec(),
    );
    let mut m = fake::message(bot.fake.new_id(), CHANNEL, &person(1), "log attached");
    m["attachments"] = json!([fake::attachment(bot.fake.new_id(), "sync.log", &url, 48)]);
    bot.fake.dispatch("MESSAGE_CREATE", m);
    let r = bot
        .fake
        .wait_for("a reply from the attachment", WAIT, posts_to(CHANNEL))
        .await;
    assert!(
        r.body["embeds"][0]["footer"]["text"]
            .as_str()
            .unwrap()
            .starts_with("graph-exo-access-denied"),
        "{r}"
    );
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deleting_the_paste_deletes_the_reply() {
    let bot = start(&[]).await;
    let id = bot.fake.new_id();
    bot.fake.dispatch(
        "MESSAGE_CREATE",
        fake::message(id, CHANNEL, &person(1), MFA_PASTE),
    );
    bot.fake
        .wait_for("the reply", WAIT, posts_to(CHANNEL))
        .await;
    bot.fake
        .dispatch("MESSAGE_DELETE", fake::message_delete(id, CHANNEL));
    bot.fake
        .wait_for("the reply deleted", WAIT, |r| {
            r.method == "DELETE"
                && r.path
                    .starts_with(&format!("/api/v10/channels/{CHANNEL}/messages/"))
        })
        .await;
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fix_and_autocomplete_answer() {
    let bot = start(&[]).await;
    let member = fake::member(&person(5), &[], 0);
    let id = bot.fake.new_id();
    bot.fake.dispatch(
        "INTERACTION_CREATE",
        fake::slash_command(
            id,
            CHANNEL,
            &member,
            "fix",
            vec![fake::option("query", 3, json!("token expird"))],
        ),
    );
    let r = bot
        .fake
        .wait_for("the /fix answer", WAIT, callback_for(id))
        .await;
    assert_eq!(r.body["type"], 4, "{r}");
    assert!(
        r.body["data"]["embeds"][0]["footer"]["text"]
            .as_str()
            .unwrap()
            .starts_with("token-expired"),
        "{r}"
    );
    let id = bot.fake.new_id();
    let mut focused = fake::option("query", 3, json!("applife"));
    focused["focused"] = json!(true);
    bot.fake.dispatch(
        "INTERACTION_CREATE",
        fake::autocomplete(id, CHANNEL, &member, "fix", vec![focused]),
    );
    let r = bot
        .fake
        .wait_for("autocomplete choices", WAIT, callback_for(id))
        .await;
    assert_eq!(r.body["type"], 8, "{r}");
    assert_eq!(
        r.body["data"]["choices"][0]["value"], "intune-applifecycle-2210",
        "{r}"
    );
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_context_menu_answers_privately() {
    let bot = start(&[]).await;
    let member = fake::member(&person(5), &[], 0);
    let target = fake::message(
        bot.fake.new_id(),
        CHANNEL,
        &person(6),
        "Get-MgUser: AADSTS50078: Presented multi-factor authentication has expired",
    );
    let id = bot.fake.new_id();
    bot.fake.dispatch(
        "INTERACTION_CREATE",
        fake::message_command(id, CHANNEL, &member, "Find fix", &target),
    );
    let answered = |r: &Request| {
        (r.method == "PATCH" || r.method == "POST")
            && r.path.contains(&format!("/token-{id}"))
            && r.body.to_string().contains("mfa-expired")
    };
    bot.fake
        .wait_for("the private answer", WAIT, answered)
        .await;
    let deferred = bot
        .fake
        .wait_for("the deferral", WAIT, callback_for(id))
        .await;
    assert_eq!(deferred.body["data"]["flags"], 64, "ephemeral: {deferred}");
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn didnt_help_opens_exactly_one_thread_with_summary_and_ping() {
    let bot = start(&[]).await;
    let (paste, reply_message) = answered(&bot, 42).await;
    let member = fake::member(&person(42), &[], 0);
    let click = bot.fake.new_id();
    bot.fake.dispatch(
        "INTERACTION_CREATE",
        fake::button_click(
            click,
            CHANNEL,
            &member,
            "errmedic:unhelpful:mfa-required-location",
            &reply_message,
        ),
    );
    let thread = bot
        .fake
        .wait_for("a thread", WAIT, |r| {
            r.method == "POST" && r.path.ends_with("/threads")
        })
        .await;
    assert!(
        thread.path.contains(&paste.to_string()),
        "a thread on the paste itself: {thread}"
    );
    bot.fake
        .wait_for("the reporter added", WAIT, |r| {
            r.method == "PUT" && r.path.ends_with("/thread-members/42")
        })
        .await;
    let summary = bot
        .fake
        .wait_for("the summary", WAIT, |r| {
            r.method == "POST"
                && r.body["content"]
                    .as_str()
                    .is_some_and(|c| c.contains("**Escalation**"))
        })
        .await;
    let content = summary.body["content"].as_str().unwrap();
    assert!(
        content.starts_with("<@&777>")
            && content.contains("mfa-required-location")
            && content.contains("didn't help"),
        "{content}"
    );
    assert_eq!(
        summary.body["allowed_mentions"]["roles"],
        json!([SUPPORT_ROLE.to_string()]),
        "{summary}"
    );
    bot.fake
        .wait_for("the link to the thread", WAIT, |r| {
            r.path.contains(&format!("token-{click}"))
                && r.body.to_string().contains("Opened an escalation thread")
        })
        .await;
    // A second click links to the same thread.
    let again = bot.fake.new_id();
    bot.fake.dispatch(
        "INTERACTION_CREATE",
        fake::button_click(
            again,
            CHANNEL,
            &member,
            "errmedic:escalate:mfa-required-location",
            &reply_message,
        ),
    );
    bot.fake
        .wait_for("the existing thread", WAIT, |r| {
            r.path.contains(&format!("token-{again}"))
                && r.body.to_string().contains("already open")
        })
        .await;
    let threads = bot
        .fake
        .requests()
        .iter()
        .filter(|r| r.method == "POST" && r.path.ends_with("/threads"))
        .count();
    assert_eq!(threads, 1);
    bot.stop().await;
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kb_reload_is_for_staff_and_keeps_a_good_kb() {
    let bot = start(&[]).await;
    let id = bot.fake.new_id();
    bot.fake.dispatch(
        "INTERACTION_CREATE",
        kb_reload(id, &fake::member(&person(9), &[], 0)),
    );
    let r = bot
        .fake
        .wait_for("the refusal", WAIT, callback_for(id))
        .await;
    assert!(
        r.body["data"]["content"]
            .as_str()
            .unwrap()
            .contains("operators"),
        "{r}"
    );
    // Staff, with a broken knowledge base on disk: refused, the old one stays.
    std::fs::write(bot.dir.join("kb/token-expired.json"), "{ broken").unwrap();
    let id = bot.fake.new_id();
    bot.fake.dispatch(
        "INTERACTION_CREATE",
        kb_reload(id, &fake::member(&person(9), &[888], 0)),
    );
    bot.fake
        .wait_for("the problems", WAIT, |r| {
            r.path.contains(&format!("token-{id}")) && r.body.to_string().contains("Not reloaded")
        })
        .await;
    let id = bot.fake.new_id();
    bot.fake.dispatch(
        "INTERACTION_CREATE",
        fake::slash_command(
            id,
            CHANNEL,
            &fake::member(&person(9), &[], 0),
            "fix",
            vec![fake::option("query", 3, json!("token-expired"))],
        ),
    );
    let r = bot
        .fake
        .wait_for("the old kb still answering", WAIT, callback_for(id))
        .await;
    assert!(r.body.to_string().contains("token-expired"), "{r}");
    // Fixed on disk: a Manage Server member reloads it.
    std::fs::copy(
        root().join("kb/token-expired.json"),
        bot.dir.join("kb/token-expired.json"),
    )
    .unwrap();
    let id = bot.fake.new_id();
    bot.fake.dispatch(
        "INTERACTION_CREATE",
        kb_reload(id, &fake::member(&person(10), &[], MANAGE_GUILD)),
    );
    bot.fake
        .wait_for("the reload", WAIT, |r| {
            r.path.contains(&format!("token-{id}"))
                && r.body.to_string().contains("Reloaded: 22 entries")
        })
        .await;
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_edited_message_is_read_again() {
    let bot = start(&[]).await;
    let id = bot.fake.new_id();
    let author = person(7);
    bot.fake.dispatch(
        "MESSAGE_CREATE",
        fake::message(id, CHANNEL, &author, "one sec, pasting the error"),
    );
    bot.fake.dispatch(
        "MESSAGE_UPDATE",
        fake::message_update(id, CHANNEL, &author, MFA_PASTE),
    );
    let reply = bot
        .fake
        .wait_for("a reply to the edit", WAIT, posts_to(CHANNEL))
        .await;
    let reply_id = reply.response["id"].as_str().unwrap().to_string();
    bot.fake.dispatch(
        "MESSAGE_UPDATE",
        fake::message_update(id, CHANNEL, &author, "never mind, sorted"),
    );
    bot.fake
        .wait_for("the reply removed", WAIT, |r| {
            r.method == "DELETE" && r.path.ends_with(&format!("/messages/{reply_id}"))
        })
        .await;
    bot.stop().await;
}

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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_the_poster_or_staff_can_dismiss() {
    let bot = start(&[]).await;
    let (_, reply) = answered(&bot, 42).await;
    let reply_id = reply["id"].as_str().unwrap().to_string();
    let click = bot.fake.new_id();
    bot.fake.dispatch(
        "INTERACTION_CREATE",
        fake::button_click(
            click,
            CHANNEL,
            &fake::member(&person(43), &[], 0),
            "errmedic:dismiss",
            &reply,
        ),
    );
    let r = bot
        .fake
        .wait_for("the refusal", WAIT, callback_for(click))
        .await;
    assert!(
        r.body["data"]["content"]
            .as_str()
            .unwrap()
            .contains("Only the person"),
        "{r}"
    );
    let click = bot.fake.new_id();
    bot.fake.dispatch(
        "INTERACTION_CREATE",
        fake::button_click(
            click,
            CHANNEL,
            &fake::member(&person(42), &[], 0),
            "errmedic:dismiss",
            &reply,
        ),
    );
    bot.fake
        .wait_for("the reply dismissed", WAIT, |r| {
            r.method == "DELETE" && r.path.ends_with(&format!("/messages/{reply_id}"))
        })
        .await;
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn escalate_then_staff_resolve() {
    let bot = start(&[("ERRMEDIC_ESCALATION_CHANNEL", "600")]).await;
    answered(&bot, 42).await;
    let id = bot.fake.new_id();
    let reporter = fake::member(&person(42), &[], 0);
    bot.fake.dispatch(
        "INTERACTION_CREATE",
        fake::slash_command(
            id,
            CHANNEL,
            &reporter,
            "escalate",
            vec![fake::option("summary", 3, json!("still failing @everyone"))],
        ),
    );
    let thread = bot
        .fake
        .wait_for("a private thread in the escalation channel", WAIT, |r| {
            r.method == "POST" && r.path == "/api/v10/channels/600/threads"
        })
        .await;
    assert_eq!(thread.body["type"], 12, "private: {thread}");
    let thread_id: u64 = thread.response["id"].as_str().unwrap().parse().unwrap();
    let summary = bot
        .fake
        .wait_for("the summary", WAIT, posts_to(thread_id))
        .await;
    let content = summary.body["content"].as_str().unwrap();
    assert!(
        content.contains("still failing") && !content.contains("@everyone"),
        "{content}"
    );
    assert!(
        content.contains("AADSTS50076"),
        "the original error: {content}"
    );
    // Not staff: refused. Staff: closed and archived.
    let id = bot.fake.new_id();
    bot.fake.dispatch(
        "INTERACTION_CREATE",
        fake::slash_command(id, thread_id, &reporter, "resolve", vec![]),
    );
    let r = bot
        .fake
        .wait_for("the refusal", WAIT, callback_for(id))
        .await;
    assert!(
        r.body["data"]["content"]
            .as_str()
            .unwrap()
            .contains("Only staff"),
        "{r}"
    );
    let id = bot.fake.new_id();
    bot.handle(
        "INTERACTION_CREATE",
        fake::slash_command(
            id,
            thread_id,
            &fake::member(&person(1), &[888], 0),
            "resolve",
            vec![fake::option("outcome", 3, json!("re-registered MFA"))],
        ),
    )
    .await;
    let told = told(&bot, id);
    assert!(told.contains("Closed and recorded"), "{told}");
    bot.fake
        .wait_for("the thread archived", WAIT, |r| {
            r.method == "PATCH"
                && r.path == format!("/api/v10/channels/{thread_id}")
                && r.body["archived"] == json!(true)
        })
        .await;
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn solved_votes_reach_the_report() {
    let bot = start(&[]).await;
    let (_, reply) = answered(&bot, 42).await;
    let click = bot.fake.new_id();
    bot.fake.dispatch(
        "INTERACTION_CREATE",
        fake::button_click(
            click,
            CHANNEL,
            &fake::member(&person(42), &[], 0),
            "errmedic:solved:mfa-required-location",
            &reply,
        ),
    );
    bot.fake
        .wait_for("the thanks", WAIT, callback_for(click))
        .await;
    bot.handled.wait(click, WAIT).await;
    let report = report(&bot);
    assert!(
        report.contains("mfa-required-location") && report.contains("   1 / 0"),
        "{report}"
    );
    bot.stop().await;
}

const JWT: &str = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJodHRwczovL2dyYXBoIn0.c2lnbmF0dXJlLXNpZ25hdHVyZQ";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pasted_token_is_flagged_and_never_stored() {
    let bot = start(&[]).await;
    bot.fake.dispatch(
        "MESSAGE_CREATE",
        fake::message(
            bot.fake.new_id(),
            CHANNEL,
            &person(1),
            &format!("{MFA_PASTE}\nAuthorization: Bearer {JWT}"),
        ),
    );
    let r = bot
        .fake
        .wait_for("the reply", WAIT, posts_to(CHANNEL))
        .await;
    assert!(
        r.body["content"].as_str().unwrap().contains("access token"),
        "{r}"
    );
    assert!(
        !r.body.to_string().contains(JWT),
        "the reply does not repeat the token"
    );
    // No error, only a secret (and an error nothing covers): a warning alone.
    bot.handle(
        "MESSAGE_CREATE",
        fake::message(
            bot.fake.new_id(),
            CHANNEL + 1,
            &person(2),
            "Nightly export failed with error 0x80070005, client_secret=Abc8Q~aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        ),
    )
    .await;
    let r = bot
        .fake
        .wait_for("the warning", WAIT, posts_to(CHANNEL + 1))
        .await;
    assert!(
        r.body["content"]
            .as_str()
            .unwrap()
            .contains("client secret"),
        "{r}"
    );
    assert!(
        r.body["embeds"].as_array().is_none_or(|e| e.is_empty()),
        "no answer: {r}"
    );
    let report = report(&bot);
    assert!(
        report.contains("nightly export failed")
            && report.contains("[client secret]")
            && !report.contains("Abc8Q~"),
        "{report}"
    );
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_bot_resumes_after_the_gateway_drops() {
    let bot = start(&[]).await;
    bot.fake.drop_gateway();
    let deadline = tokio::time::Instant::now() + WAIT;
    while bot.fake.sessions().1 == 0 && bot.fake.sessions().0 < 2 {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the bot did not reconnect: {:?}",
            bot.fake.sessions()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    bot.fake.dispatch(
        "MESSAGE_CREATE",
        fake::message(bot.fake.new_id(), CHANNEL, &person(1), MFA_PASTE),
    );
    bot.fake
        .wait_for("a reply after reconnecting", WAIT, posts_to(CHANNEL))
        .await;
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_errors_are_retried_within_reason() {
    let bot = start(&[]).await;
    bot.fake.fail_next(
        "POST",
        &format!("/api/v10/channels/{CHANNEL}/messages"),
        &[429, 502],
    );
    bot.fake.fail_next(
        "POST",
        &format!("/api/v10/channels/{}/messages", CHANNEL + 1),
        &[500, 500, 500, 500],
    );
    bot.fake.dispatch(
        "MESSAGE_CREATE",
        fake::message(bot.fake.new_id(), CHANNEL, &person(1), MFA_PASTE),
    );
    let ok = |r: &Request| posts_to(CHANNEL)(r) && r.response.get("id").is_some();
    bot.fake
        .wait_for("the reply on the third attempt", WAIT, ok)
        .await;
    assert_eq!(
        bot.fake
            .requests()
            .iter()
            .filter(|r| posts_to(CHANNEL)(r))
            .count(),
        3
    );
    // A channel that keeps failing: three attempts, then the bot gives up and goes on.
    let since = bot.fake.requests().len();
    bot.handle(
        "MESSAGE_CREATE",
        fake::message(bot.fake.new_id(), CHANNEL + 1, &person(2), MFA_PASTE),
    )
    .await;
    assert_eq!(bot.fake.count_since(since, posts_to(CHANNEL + 1)), 3);
    bot.fake.dispatch(
        "MESSAGE_CREATE",
        fake::message(bot.fake.new_id(), CHANNEL + 2, &person(3), MFA_PASTE),
    );
    bot.fake
        .wait_for("the bot still serving", WAIT, posts_to(CHANNEL + 2))
        .await;
    bot.stop().await;
}

/// The bot as its own process (the `errmedic` binary), logging at debug to a file of its own,
/// with `RUST_LOG` read from a `.env` file in its working directory.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_token_never_reaches_the_logs() {
    let token = "MTIzNDU2Nzg5.test-token-that-must-not-be-logged";
    let fake = FakeDiscord::start().await;
    let dir = std::env::temp_dir().join(format!("errmedic-logs-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join(".env"),
        "RUST_LOG=errmedic=debug,serenity=debug,poise=debug\n",
    )
    .unwrap();
    let log = dir.join("stderr.log");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_errmedic"))
        .current_dir(&dir)
        .env_remove("RUST_LOG")
        .env("DISCORD_TOKEN", token)
        .env("DISCORD_API_BASE", &fake.base)
        .env("ERRMEDIC_KB_DIR", root().join("kb"))
        .env("ERRMEDIC_DATABASE", dir.join("record.sqlite3"))
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::fs::File::create(&log).unwrap())
        .spawn()
        .unwrap();
    fake.wait_identified(WAIT).await;
    fake.wait_for("command registration", WAIT, |r| {
        r.method == "PUT" && r.path.ends_with("/commands")
    })
    .await;
    fake.fail_next(
        "POST",
        &format!("/api/v10/channels/{CHANNEL}/messages"),
        &[500, 500, 500],
    );
    fake.dispatch(
        "MESSAGE_CREATE",
        fake::message(fake.new_id(), CHANNEL, &person(1), MFA_PASTE),
    );
    fake.wait_for("the last attempt", WAIT, |r| {
        posts_to(CHANNEL)(r) && fake.count_since(0, posts_to(CHANNEL)) == 3
    })
    .await;
    // Errors nothing answers, carrying every credential form: logged (debug) without them.
    let read_to_string = |p: &Path| std::fs::read_to_string(p).unwrap_or_default();
    let (mut secrets, mut ids) = (Vec::new(), Vec::new());
    for (i, form) in crate::secrets::forms().iter().enumerate() {
        let (text, values) = crate::secrets::render(form, 31_000 + i as u64);
        secrets.extend(values);
        let id = fake.new_id();
        ids.push(id);
        fake.dispatch(
            "MESSAGE_CREATE",
            fake::message(
                id,
                CHANNEL + 1,
                &person(2 + i as u64),
                &format!("sync job failed: quota exceeded (0x8004{i:04})\n{text}"),
            ),
        );
    }
    // Every one of them read (and so logged) before the process is stopped.
    let deadline = std::time::Instant::now() + WAIT;
    while !ids
        .iter()
        .all(|id| read_to_string(&log).contains(&format!("read a message {id}")))
    {
        assert!(
            std::time::Instant::now() < deadline,
            "not every message was read"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // The process logs the refusal after Discord's third answer; stop it once it has.
    let deadline = std::time::Instant::now() + WAIT;
    let mut logs = String::new();
    while std::time::Instant::now() < deadline {
        logs = std::fs::read_to_string(&log).unwrap_or_default();
        if logs.contains("event handler failed") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let _ = child.kill();
    let _ = child.wait();
    let logs = std::fs::read_to_string(&log).unwrap_or(logs);
    std::fs::remove_dir_all(&dir).unwrap();
    assert!(
        logs.contains("configuration read") && logs.contains("Discord refused a message"),
        "debug logs from RUST_LOG in .env, and the failure: {logs}"
    );
    assert!(
        !logs.contains(token) && !logs.contains("test-token-that-must"),
        "the token is in the logs"
    );
    // serenity's own debug lines carry what Discord sent; errmedic's never carry what a person
    // typed.
    let ours: String = logs
        .lines()
        .filter(|l| l.contains(" errmedic"))
        .collect::<Vec<_>>()
        .join("\n");
    for v in &secrets {
        assert!(
            !crate::secrets::leaks(&ours, v),
            "{v:?} is in errmedic's logs"
        );
    }
}

/// Resident memory of this process in MB.
/// The pasted errors of the load tests, with the entry that answers each.
const BURST_PASTES: [(&str, &str); 5] = [
    (MFA_PASTE, "mfa-required-location"),
    ("Graph returned {\"error\":{\"code\":\"ErrorAccessDenied\",\"message\":\"Access is denied. Check credentials and try again.\"}}", "graph-exo-access-denied"),
    ("New-IntuneWin32App failed with AppLifecycle_2210 on tenant fabrikam", "intune-applifecycle-2210"),
    ("sync: AADSTS700082: The refresh token has expired due to inactivity.", "token-expired"),
    // No team entry: the code's general meaning answers.
    ("AADSTS700016: Application with identifier 'x' was not found in the directory", "aadsts700016"),
];

/// Checks a load test's replies: every covered paste got exactly one reply, with its entry, and
/// no other message got any. Returns the event→reply times in milliseconds, sorted.
fn check_burst_replies(
    replies: &[Request],
    expected: &HashMap<u64, &str>,
    sent_at: &HashMap<u64, std::time::Instant>,
) -> Vec<f64> {
    let mut latencies: Vec<f64> = Vec::new();
    let mut answered: HashMap<u64, usize> = HashMap::new();
    for r in replies {
        let origin: u64 = r.body["message_reference"]["message_id"]
            .as_str()
            .unwrap()
            .parse()
            .unwrap();
        *answered.entry(origin).or_default() += 1;
        let want = expected
            .get(&origin)
            .unwrap_or_else(|| panic!("a reply to a message that needed none: {r}"));
        assert!(
            r.body["embeds"][0]["footer"]["text"]
                .as_str()
                .unwrap()
                .starts_with(want),
            "{r}"
        );
        latencies.push((r.at - sent_at[&origin]).as_secs_f64() * 1e3);
    }
    assert_eq!(
        answered.len(),
        expected.len(),
        "every covered paste got a reply"
    );
    assert!(answered.values().all(|&n| n == 1), "exactly one reply each");
    latencies.sort_by(f64::total_cmp);
    latencies
}

/// The `q` quantile of sorted values.
fn quantile(sorted: &[f64], q: f64) -> f64 {
    sorted[((sorted.len() - 1) as f64 * q) as usize]
}

fn rss_mb() -> f64 {
    errmedic::devtools::bench::resident_mb().unwrap_or(0.0)
}

/// A burst of messages across many channels, a mix of chat and pasted errors. Run it with
/// `cargo test --release -- --ignored burst --nocapture`; it prints the figures.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "load test: run explicitly in release"]
async fn burst_of_ten_thousand_messages() {
    const MESSAGES: usize = 10_000;
    let bot = start(&[
        ("ERRMEDIC_COOLDOWN_SECS", "0"),
        ("ERRMEDIC_USER_RATE_SECS", "0"),
    ])
    .await;
    let pastes = BURST_PASTES;
    let chats = [
        "morning all, coffee anyone?",
        "thanks, that fixed it!",
        "I'm out this afternoon, ping me if urgent",
        "Fixed: we now retry once on AADSTS50076 before asking for MFA again (#88)",
    ];
    let before = rss_mb();
    let mut expected: HashMap<u64, &str> = HashMap::new();
    let mut sent_at: HashMap<u64, std::time::Instant> = HashMap::new();
    let since = bot.fake.requests().len();
    let start_all = std::time::Instant::now();
    for i in 0..MESSAGES {
        let id = bot.fake.new_id();
        let channel = 10_000 + (i % 200) as u64;
        let (text, entry) = if i % 3 == 0 {
            (pastes[i % pastes.len()].0, Some(pastes[i % pastes.len()].1))
        } else {
            (chats[i % chats.len()], None)
        };
        if let Some(e) = entry {
            expected.insert(id, e);
        }
        sent_at.insert(id, std::time::Instant::now());
        bot.fake.dispatch(
            "MESSAGE_CREATE",
            fake::message(id, channel, &person(1_000 + (i % 500) as u64), text),
        );
        if i % 1000 == 999 {
            tokio::task::yield_now().await;
        }
    }
    let replies_of = |reqs: &[Request]| -> Vec<Request> {
        reqs.iter()
            .skip(since)
            .filter(|r| r.method == "POST" && r.path.ends_with("/messages"))
            .cloned()
            .collect()
    };
    for id in sent_at.keys() {
        assert!(
            bot.handled.wait(*id, Duration::from_secs(120)).await,
            "message {id} was never handled"
        );
    }
    let elapsed = start_all.elapsed();
    let after = rss_mb();
    let replies = replies_of(&bot.fake.requests());
    let latencies = check_burst_replies(&replies, &expected, &sent_at);
    let p = |q: f64| quantile(&latencies, q);
    println!(
        "burst: {MESSAGES} messages ({} pastes) in {:.2} s = {:.0} msg/s; event→reply median {:.1} ms, p99 {:.1} ms; RSS {before:.1} MB → {after:.1} MB",
        expected.len(),
        elapsed.as_secs_f64(),
        MESSAGES as f64 / elapsed.as_secs_f64(),
        p(0.5),
        p(0.99)
    );
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_bot_answers_when_the_record_cannot_be_opened() {
    let dir = std::env::temp_dir().join(format!("errmedic-no-db-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    // A directory where the database file should be: SQLite cannot open it.
    let bot = start(&[("ERRMEDIC_DATABASE", dir.to_str().unwrap())]).await;
    // The server's settings cannot be read (it may have turned unprompted replies off): the
    // paste is read and left alone.
    bot.handle(
        "MESSAGE_CREATE",
        fake::message(bot.fake.new_id(), CHANNEL, &person(1), MFA_PASTE),
    )
    .await;
    assert_eq!(bot.fake.count_since(0, posts_to(CHANNEL)), 0);
    // Lookups answer.
    let id = bot.fake.new_id();
    let query = vec![fake::option("query", 3, json!("AADSTS50076"))];
    bot.handle(
        "INTERACTION_CREATE",
        fake::slash_command(id, CHANNEL, &fake::member(&person(1), &[], 0), "fix", query),
    )
    .await;
    assert!(
        told(&bot, id).contains("multi-factor"),
        "{}",
        told(&bot, id)
    );
    bot.stop().await;
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_locked_record_does_not_stop_the_bot() {
    let bot = start(&[]).await;
    let (_, reply) = answered(&bot, 42).await;
    // Another process holds the database's write lock.
    let db = bot.dir.join("record.sqlite3");
    let lock = rusqlite::Connection::open(&db).unwrap();
    lock.execute_batch("BEGIN EXCLUSIVE;").unwrap();
    let click = bot.fake.new_id();
    bot.fake.dispatch(
        "INTERACTION_CREATE",
        fake::button_click(
            click,
            CHANNEL,
            &fake::member(&person(42), &[], 0),
            "errmedic:solved:mfa-required-location",
            &reply,
        ),
    );
    bot.fake
        .wait_for("the click answered", WAIT, callback_for(click))
        .await;
    bot.fake.dispatch(
        "MESSAGE_CREATE",
        fake::message(bot.fake.new_id(), CHANNEL + 1, &person(2), MFA_PASTE),
    );
    bot.fake
        .wait_for("still answering pastes", WAIT, posts_to(CHANNEL + 1))
        .await;
    lock.execute_batch("ROLLBACK;").unwrap();
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_lets_a_reply_in_flight_finish() {
    let mut bot = start(&[]).await;
    // Discord is slow to accept the reply: two attempts fail, the third comes ~0.75 s later,
    // after the gateway has closed.
    bot.fake.fail_next(
        "POST",
        &format!("/api/v10/channels/{CHANNEL}/messages"),
        &[502, 502],
    );
    bot.fake.dispatch(
        "MESSAGE_CREATE",
        fake::message(bot.fake.new_id(), CHANNEL, &person(1), MFA_PASTE),
    );
    bot.fake
        .wait_for("the first attempt", WAIT, posts_to(CHANNEL))
        .await;
    let _ = bot.stop.take().unwrap().send(());
    let finished = tokio::time::timeout(WAIT, &mut bot.task)
        .await
        .expect("the bot stopped")
        .unwrap();
    assert!(finished.is_ok(), "{finished:?}");
    // By the time `run` returned (when the process would exit), the reply had gone out.
    let ok = |r: &Request| posts_to(CHANNEL)(r) && r.response.get("id").is_some();
    assert_eq!(
        bot.fake.count_since(0, ok),
        1,
        "the reply in flight was cut off by shutdown"
    );
    let _ = std::fs::remove_dir_all(&bot.dir);
}

/// Every value of every table of the record, as text.
fn every_stored_value(db: &Path) -> String {
    let conn = rusqlite::Connection::open(db).unwrap();
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let mut out = String::new();
    for table in tables {
        let mut stmt = conn.prepare(&format!("SELECT * FROM {table}")).unwrap();
        let columns = stmt.column_count();
        let mut rows = stmt.query([]).unwrap();
        while let Some(row) = rows.next().unwrap() {
            for i in 0..columns {
                let v: rusqlite::types::Value = row.get(i).unwrap();
                out.push_str(&format!("{table}: {v:?}\n"));
            }
        }
    }
    out
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn secrets_in_messages_never_reach_the_record() {
    let bot = start(&[("ERRMEDIC_ESCALATION_CHANNEL", "600")]).await;
    let secrets = [
        JWT,
        "Winter2024Blue",
        "S3cr3tValue99",
        "Abc8Q~aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        "Hunter22x",
        "ABCDEFGHIJKLMNOP1234",
        "admin@contoso.com",
        "3f2504e0-4f89-11d3-9a0c-0305e82c3301",
        "Spring2025Green",
    ];
    // An answered paste carrying a token, escalated.
    let (_, reply) = answered_with(
        &bot,
        42,
        &format!("{MFA_PASTE}\nAuthorization: Bearer {JWT}\nsigned in as admin@contoso.com"),
    )
    .await;
    let reporter = fake::member(&person(42), &[], 0);
    click(
        &bot,
        &reporter,
        "errmedic:unhelpful:mfa-required-location",
        &reply,
    )
    .await;
    // Errors nothing answers, each with a kind of secret redaction knows.
    let unanswered = [
        "password=Winter2024Blue login failed for the sync account, error 0x80048823".to_string(),
        "client_secret=S3cr3tValue99 token request failed".to_string(),
        "Connect failed with secret Abc8Q~aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa error".to_string(),
        "Connect-ExchangeOnline -Password Hunter22x failed".to_string(),
        "api_key=ABCDEFGHIJKLMNOP1234 request failed with error 401".to_string(),
        "tenant 3f2504e0-4f89-11d3-9a0c-0305e82c3301 sync failed: quota exceeded".to_string(),
    ];
    for (i, text) in unanswered.iter().enumerate() {
        bot.handle(
            "MESSAGE_CREATE",
            fake::message(bot.fake.new_id(), CHANNEL + 1 + i as u64, &person(7), text),
        )
        .await;
    }
    // Staff resolve the escalation with an outcome that holds a password.
    let thread: u64 = thread_posts(&bot)[0].response["id"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    bot.handle(
        "INTERACTION_CREATE",
        fake::slash_command(
            bot.fake.new_id(),
            thread,
            &fake::member(&person(1), &[888], 0),
            "resolve",
            vec![fake::option(
                "outcome",
                3,
                json!("reset password=Spring2025Green for the sync account"),
            )],
        ),
    )
    .await;
    let stored = every_stored_value(&bot.dir.join("record.sqlite3"));
    let report = report(&bot);
    assert!(
        stored.contains("unanswered") && stored.contains("escalations"),
        "{stored}"
    );
    assert!(report.contains("login failed"), "{report}");
    let thread_summary = first_post(&bot, thread, "the summary").body.to_string();
    for secret in secrets {
        for (what, text) in [
            ("the record", &stored),
            ("the report", &report),
            ("the thread", &thread_summary),
        ] {
            assert!(
                !text.to_lowercase().contains(&secret.to_lowercase()),
                "{secret} is in {what}:\n{text}"
            );
        }
    }
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_closed_conversation_can_be_escalated_again() {
    let bot = start(&[("ERRMEDIC_ESCALATION_CHANNEL", "600")]).await;
    let (_, reply) = answered(&bot, 42).await;
    let reporter = fake::member(&person(42), &[], 0);
    let staff = fake::member(&person(1), &[888], 0);
    click(
        &bot,
        &reporter,
        "errmedic:escalate:mfa-required-location",
        &reply,
    )
    .await;
    let first: u64 = thread_posts(&bot)[0].response["id"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let close = bot.fake.new_id();
    let in_thread = fake::message(bot.fake.new_id(), first, &fake::bot_user(), "summary");
    bot.handle(
        "INTERACTION_CREATE",
        fake::button_click(close, first, &staff, "errmedic:close", &in_thread),
    )
    .await;
    assert!(told(&bot, close).contains("Closed and recorded"));
    // Escalated again: a new thread, which staff can resolve.
    let again = click(
        &bot,
        &reporter,
        "errmedic:escalate:mfa-required-location",
        &reply,
    )
    .await;
    assert!(
        told(&bot, again).contains("Opened an escalation thread"),
        "{}",
        told(&bot, again)
    );
    let threads = thread_posts(&bot);
    assert_eq!(threads.len(), 2);
    let second: u64 = threads[1].response["id"].as_str().unwrap().parse().unwrap();
    let resolve = bot.fake.new_id();
    bot.handle(
        "INTERACTION_CREATE",
        fake::slash_command(resolve, second, &staff, "resolve", vec![]),
    )
    .await;
    assert!(
        told(&bot, resolve).contains("Closed and recorded"),
        "{}",
        told(&bot, resolve)
    );
    let store = errmedic::store::Store::open(&bot.dir.join("record.sqlite3")).unwrap();
    let key = format!("reply:{}", reply["id"].as_str().unwrap());
    let history = store.escalations_of(&key).unwrap();
    assert_eq!(history.len(), 2, "both escalations are kept");
    assert!(history.iter().all(|e| e.closed));
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_escalation_clicks_at_once_open_one_thread() {
    let bot = start(&[("ERRMEDIC_ESCALATION_CHANNEL", "600")]).await;
    let (_, reply) = answered(&bot, 42).await;
    // Discord is slow to create threads: both clicks are in flight together.
    bot.fake.delay(
        "POST",
        "/api/v10/channels/600/threads",
        Duration::from_millis(300),
    );
    let ids = [bot.fake.new_id(), bot.fake.new_id()];
    for id in ids.iter() {
        bot.fake.dispatch(
            "INTERACTION_CREATE",
            fake::button_click(
                *id,
                CHANNEL,
                // The reporter clicks twice (or from two devices).
                &fake::member(&person(42), &[], 0),
                "errmedic:escalate:mfa-required-location",
                &reply,
            ),
        );
    }
    for id in ids {
        assert!(bot.handled.wait(id, WAIT).await);
    }
    assert_eq!(
        thread_posts(&bot).len(),
        1,
        "one thread for one conversation"
    );
    let answers: Vec<String> = ids.iter().map(|&id| told(&bot, id)).collect();
    assert_eq!(
        answers
            .iter()
            .filter(|a| a.contains("Opened an escalation thread"))
            .count(),
        1,
        "{answers:?}"
    );
    assert_eq!(
        answers
            .iter()
            .filter(|a| a.contains("already open"))
            .count(),
        1,
        "{answers:?}"
    );
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_click_that_fails_after_deferring_is_answered() {
    let bot = start(&[("ERRMEDIC_ESCALATION_CHANNEL", "600")]).await;
    let (_, reply) = answered(&bot, 42).await;
    // Discord refuses both the private and the public thread.
    bot.fake
        .fail_next("POST", "/api/v10/channels/600/threads", &[403, 403]);
    let id = click(
        &bot,
        &fake::member(&person(42), &[], 0),
        "errmedic:escalate:mfa-required-location",
        &reply,
    )
    .await;
    let answer = bot
        .fake
        .requests()
        .into_iter()
        .find(|r| r.method == "PATCH" && r.path.contains(&format!("token-{id}")))
        .expect("the deferred click was answered");
    assert!(
        answer.body["content"]
            .as_str()
            .unwrap()
            .contains("went wrong"),
        "{answer}"
    );
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_lets_a_command_in_flight_finish() {
    let mut bot = start(&[("ERRMEDIC_ESCALATION_CHANNEL", "600")]).await;
    bot.fake.delay(
        "POST",
        "/api/v10/channels/600/threads",
        Duration::from_millis(800),
    );
    let id = bot.fake.new_id();
    bot.fake.dispatch(
        "INTERACTION_CREATE",
        fake::slash_command(
            id,
            CHANNEL,
            &fake::member(&person(42), &[], 0),
            "escalate",
            vec![],
        ),
    );
    bot.fake
        .wait_for("the deferral", WAIT, callback_for(id))
        .await;
    let _ = bot.stop.take().unwrap().send(());
    let finished = tokio::time::timeout(WAIT, &mut bot.task)
        .await
        .expect("the bot stopped")
        .unwrap();
    assert!(finished.is_ok(), "{finished:?}");
    // By the time `run` returned, the command had answered.
    assert!(
        told(&bot, id).contains("Opened an escalation thread"),
        "the command in flight was cut off by shutdown: {}",
        told(&bot, id)
    );
    bot.assert_every_send_sets_allowed_mentions();
    let _ = std::fs::remove_dir_all(&bot.dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_uncovered_entra_code_gets_its_general_meaning_marked_as_such() {
    let bot = start(&[]).await;
    bot.handle(
        "MESSAGE_CREATE",
        fake::message(
            bot.fake.new_id(),
            CHANNEL,
            &person(1),
            "Sign-in to the portal fails:\nAADSTS700016: Application with identifier '11112222-0000-4000-8000-000000000000' was not found in the directory 'Fabrikam'.",
        ),
    )
    .await;
    let r = first_post(&bot, CHANNEL, "an answer");
    let embed = &r.body["embeds"][0];
    assert!(
        embed["title"]
            .as_str()
            .unwrap()
            .starts_with("General meaning: AADSTS700016"),
        "{r}"
    );
    assert!(
        embed["footer"]["text"]
            .as_str()
            .unwrap()
            .contains("not a fix written by your team"),
        "{r}"
    );
    // A covered paste is still answered by the team's entry.
    bot.handle(
        "MESSAGE_CREATE",
        fake::message(bot.fake.new_id(), CHANNEL + 1, &person(2), MFA_PASTE),
    )
    .await;
    let r = first_post(&bot, CHANNEL + 1, "an answer");
    assert!(
        r.body["embeds"][0]["footer"]["text"]
            .as_str()
            .unwrap()
            .starts_with("mfa-required-location"),
        "{r}"
    );
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unanswered_error_becomes_an_entry_through_escalation_and_a_draft() {
    let bot = start(&[("ERRMEDIC_ESCALATION_CHANNEL", "600")]).await;
    let paste =
        "Nightly sync stopped:\nAADSTS7000012: The grant was obtained for a different tenant.";
    let reporter = fake::member(&person(42), &[], 0);
    let staff = fake::member(&person(1), &[888], 0);
    // Nothing answers it.
    let since = bot.fake.requests().len();
    bot.handle(
        "MESSAGE_CREATE",
        fake::message(bot.fake.new_id(), CHANNEL, &person(42), paste),
    )
    .await;
    assert_eq!(bot.fake.count_since(since, posts_to(CHANNEL)), 0);
    // The poster escalates; the thread carries the error.
    bot.handle(
        "INTERACTION_CREATE",
        fake::slash_command(bot.fake.new_id(), CHANNEL, &reporter, "escalate", vec![]),
    )
    .await;
    let thread: u64 = thread_posts(&bot)[0].response["id"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    // Staff resolve it with what fixed it, then ask for a draft.
    let resolved_at = std::time::Instant::now();
    let resolve = bot.fake.new_id();
    bot.handle(
        "INTERACTION_CREATE",
        fake::slash_command(
            resolve,
            thread,
            &staff,
            "resolve",
            vec![fake::option(
                "outcome",
                3,
                json!("The integration was consented in the wrong tenant. Consent it again from the client's own tenant."),
            )],
        ),
    )
    .await;
    assert!(
        told(&bot, resolve).contains("errmedic:draft"),
        "the Draft entry button is offered"
    );
    // Staff mark a message of the thread for the draft.
    let advice = fake::message(
        bot.fake.new_id(),
        thread,
        &person(1),
        "Then run the nightly sync once more.",
    );
    let mark = bot.fake.new_id();
    bot.handle(
        "INTERACTION_CREATE",
        fake::message_command(mark, thread, &staff, "Use in draft", &advice),
    )
    .await;
    assert!(
        told(&bot, mark).contains("Kept for the draft"),
        "{}",
        told(&bot, mark)
    );
    let in_thread = fake::message(bot.fake.new_id(), thread, &fake::bot_user(), "closed");
    let click = bot.fake.new_id();
    bot.handle(
        "INTERACTION_CREATE",
        fake::button_click(click, thread, &staff, "errmedic:draft", &in_thread),
    )
    .await;
    let posted = bot
        .fake
        .requests()
        .into_iter()
        .find(|r| posts_to(thread)(r) && r.body["_files"].is_array())
        .expect("the draft posted in the thread");
    let took = posted.at - resolved_at;
    let file = posted.body["_files"][0]["filename"]
        .as_str()
        .unwrap()
        .to_string();
    let id = file.trim_end_matches(".json").to_string();
    assert!(
        posted.body["content"]
            .as_str()
            .unwrap()
            .contains(&format!("errmedic kb promote {id}")),
        "{posted}"
    );
    let kb = bot.dir.join("kb");
    let draft = std::fs::read_to_string(kb.join("drafts").join(&file)).unwrap();
    assert!(
        draft.contains("consented in the wrong tenant")
            && draft.contains("Then run the nightly sync once more.")
            && draft.contains("AADSTS7000012"),
        "{draft}"
    );
    // kb check accepts it; promoted and reloaded, it answers the same paste unprompted.
    let run = |args: &[&str]| crate::run_errmedic(&bot.dir, &[], args);
    let (code, out, _) = run(&["kb", "check", kb.to_str().unwrap()]);
    assert_eq!(code, 0, "{out}");
    let promote = run(&[
        "kb",
        "promote",
        &id,
        "--by",
        "staff",
        "--kb",
        kb.to_str().unwrap(),
    ]);
    assert_eq!(promote.0, 0, "{}", promote.2);
    let reload = bot.fake.new_id();
    bot.handle("INTERACTION_CREATE", kb_reload(reload, &staff))
        .await;
    assert!(
        told(&bot, reload).contains("Reloaded: 23 entries"),
        "{}",
        told(&bot, reload)
    );
    bot.handle(
        "MESSAGE_CREATE",
        fake::message(bot.fake.new_id(), CHANNEL + 1, &person(43), paste),
    )
    .await;
    let answer = first_post(&bot, CHANNEL + 1, "the new entry answers the paste");
    assert!(
        answer.body["embeds"][0]["footer"]["text"]
            .as_str()
            .unwrap()
            .starts_with(&id),
        "{answer}"
    );
    println!("from /resolve to the draft posted: {} ms", took.as_millis());
    bot.stop().await;
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kb_list_counts_the_reference_tier_and_drafts_are_for_staff() {
    let bot = start(&[]).await;
    let member = fake::member(&person(5), &[], 0);
    let staff = fake::member(&person(1), &[888], 0);
    let id = bot.fake.new_id();
    bot.handle("INTERACTION_CREATE", kb_sub(id, &member, "list", vec![]))
        .await;
    let listed = told(&bot, id);
    assert!(
        listed.contains("**22 entries**") && listed.contains("327 reference entries"),
        "{listed}"
    );
    let id = bot.fake.new_id();
    bot.handle(
        "INTERACTION_CREATE",
        kb_sub(
            id,
            &member,
            "list",
            // Choices travel as their index: "reference" is the seventh.
            vec![fake::option("product", 4, json!(6))],
        ),
    )
    .await;
    let reference = told(&bot, id);
    assert!(
        reference.contains("**327 entries**") && reference.contains("aadsts"),
        "{reference}"
    );
    // Drafts: refused to members, listed for staff with what each needs.
    std::fs::create_dir_all(bot.dir.join("kb/drafts")).unwrap();
    let draft = errmedic::authoring::import::drafts(
        "## Sync fails\n\n* **Error Message:** `Sync_QuotaHit`\n",
        "page.md",
        None,
        &mut errmedic::authoring::drafts::Ids::default(),
    );
    errmedic::authoring::drafts::write(&bot.dir.join("kb/drafts"), &draft[0]).unwrap();
    let id = bot.fake.new_id();
    bot.handle("INTERACTION_CREATE", kb_sub(id, &member, "drafts", vec![]))
        .await;
    assert!(told(&bot, id).contains("operators"), "{}", told(&bot, id));
    let id = bot.fake.new_id();
    bot.handle("INTERACTION_CREATE", kb_sub(id, &staff, "drafts", vec![]))
        .await;
    let drafts = told(&bot, id);
    assert!(
        drafts.contains("sync-fails") && drafts.contains("to fill"),
        "{drafts}"
    );
    // A member cannot ask for a draft from a thread.
    let click = bot.fake.new_id();
    let msg = fake::message(bot.fake.new_id(), CHANNEL, &fake::bot_user(), "closed");
    bot.handle(
        "INTERACTION_CREATE",
        fake::button_click(click, CHANNEL, &member, "errmedic:draft", &msg),
    )
    .await;
    assert!(
        told(&bot, click).contains("operators"),
        "{}",
        told(&bot, click)
    );
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn find_fix_on_an_answered_paste_leaves_its_answer_following_the_paste() {
    let bot = start(&[]).await;
    let (paste, reply) = answered(&bot, 42).await;
    let reply_id = reply["id"].as_str().unwrap().to_string();
    let target = fake::message(paste, CHANNEL, &person(42), MFA_PASTE);
    bot.handle(
        "INTERACTION_CREATE",
        fake::message_command(
            bot.fake.new_id(),
            CHANNEL,
            &fake::member(&person(5), &[], 0),
            "Find fix",
            &target,
        ),
    )
    .await;
    bot.handle("MESSAGE_DELETE", fake::message_delete(paste, CHANNEL))
        .await;
    assert_eq!(
        bot.fake.count_since(0, |r| r.method == "DELETE"
            && r.path.ends_with(&format!("/messages/{reply_id}"))),
        1,
        "the public answer goes with the paste"
    );
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn edits_neither_record_an_error_twice_nor_drop_a_credential_warning() {
    let bot = start(&[]).await;
    let author = person(7);
    let id = bot.fake.new_id();
    let unanswered = "Nightly backup failed: disk quota exceeded on NAS-01 (error 0x80070070)";
    bot.handle(
        "MESSAGE_CREATE",
        fake::message(id, CHANNEL, &author, unanswered),
    )
    .await;
    for text in [
        "Nightly backup failed: disk quota exceeded on NAS-01 (error 0x80070070)!",
        "Nightly backup failed: disk quota exceeded on NAS-02 (error 0x80070070)",
    ] {
        bot.handle(
            "MESSAGE_UPDATE",
            fake::message_update(id, CHANNEL, &author, text),
        )
        .await;
    }
    let r = report(&bot);
    assert!(r.contains("   1× nightly backup failed"), "{r}");
    // An answered paste with a token, edited so that only the token is left: the answer
    // becomes the warning.
    let paste = bot.fake.new_id();
    bot.handle(
        "MESSAGE_CREATE",
        fake::message(
            paste,
            CHANNEL + 1,
            &author,
            &format!("{MFA_PASTE}\nAuthorization: Bearer {JWT}"),
        ),
    )
    .await;
    let reply = first_post(&bot, CHANNEL + 1, "an answer");
    let reply_id = reply.response["id"].as_str().unwrap().to_string();
    bot.handle(
        "MESSAGE_UPDATE",
        fake::message_update(
            paste,
            CHANNEL + 1,
            &author,
            &format!("never mind\nAuthorization: Bearer {JWT}"),
        ),
    )
    .await;
    let edit = bot
        .fake
        .requests()
        .into_iter()
        .find(|r| r.method == "PATCH" && r.path.ends_with(&format!("/messages/{reply_id}")))
        .expect("the answer edited");
    assert!(
        edit.body["content"]
            .as_str()
            .unwrap()
            .contains("access token")
            && edit.body["embeds"] == json!([]),
        "{edit}"
    );
    bot.stop().await;
}

//! End-to-end: the real serenity client, with the bot's handlers, against a fake Discord on
//! loopback. Tests drive gateway events and assert on the REST requests the bot makes.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use errmedic::config::Config;
use errmedic::discord::{self, Endpoints};
use errmedic::engine::Engine;
use fake_discord::{self as fake, FakeDiscord, Request};
use serde_json::{json, Value};

use crate::root;

const WAIT: Duration = Duration::from_secs(10);
const QUIET: Duration = Duration::from_millis(600);
const CHANNEL: u64 = 500;
const SUPPORT_ROLE: u64 = 777;
const MANAGE_GUILD: u64 = 1 << 5;

struct Bot {
    fake: FakeDiscord,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    task: tokio::task::JoinHandle<anyhow::Result<()>>,
    dir: PathBuf,
}

impl Bot {
    async fn stop(mut self) {
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
        std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
    }
}

/// Starts a fake Discord and the bot against it, with extra configuration variables.
/// Everything the bot and serenity logged in this test binary.
static LOGS: std::sync::Mutex<Vec<u8>> = std::sync::Mutex::new(Vec::new());
/// Off for the load test, whose logs would dwarf what it measures.
static CAPTURE: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(true);

struct LogWriter;

impl std::io::Write for LogWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if !CAPTURE.load(std::sync::atomic::Ordering::Relaxed) {
            return Ok(buf.len());
        }
        LOGS.lock()
            .unwrap_or_else(|e| e.into_inner())
            .extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn logs() -> String {
    String::from_utf8_lossy(&LOGS.lock().unwrap_or_else(|e| e.into_inner())).into_owned()
}

async fn start(extra: &[(&str, &str)]) -> Bot {
    let _ = tracing_subscriber::fmt()
        .with_env_filter("errmedic=debug,serenity=debug,poise=debug")
        .with_ansi(false)
        .with_writer(|| LogWriter)
        .try_init();
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
    let endpoints = Endpoints {
        api_base: Some(fake.base.clone()),
    };
    let task = tokio::spawn(discord::run(config, engine, endpoints, async move {
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
    }
}

/// The record's report once it mentions `needle` (records are written on a blocking thread),
/// or as it is after a few seconds.
async fn report_containing(bot: &Bot, needle: &str) -> String {
    let db = bot.dir.join("record.sqlite3");
    let mut report = String::new();
    for _ in 0..50 {
        report = errmedic::store::Store::open(&db).unwrap().report().unwrap();
        if report.contains(needle) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    report
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
    bot.fake.dispatch(
        "MESSAGE_CREATE",
        fake::message(
            bot.fake.new_id(),
            CHANNEL,
            &person(1),
            "morning all, coffee anyone?",
        ),
    );
    bot.fake.dispatch("MESSAGE_CREATE", fake::message(bot.fake.new_id(), CHANNEL, &person(2), "AADSTS700016: Application with identifier 'x' was not found in the directory 'contoso'."));
    bot.fake.dispatch(
        "MESSAGE_CREATE",
        fake::message(
            bot.fake.new_id(),
            CHANNEL,
            &fake::user(3, "otherbot", true),
            MFA_PASTE,
        ),
    );
    let posts = bot
        .fake
        .requests_after(since, QUIET * 2, posts_to(CHANNEL))
        .await;
    assert!(posts.is_empty(), "unexpected replies: {posts:?}");
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
    bot.fake.dispatch(
        "MESSAGE_CREATE",
        fake::message(bot.fake.new_id(), CHANNEL, &person(2), MFA_PASTE),
    );
    let posts = bot
        .fake
        .requests_after(since, QUIET, posts_to(CHANNEL))
        .await;
    assert!(
        posts.is_empty(),
        "the same entry was posted again: {posts:?}"
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
            .contains("Only staff"),
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
    let paste = bot.fake.new_id();
    bot.fake.dispatch(
        "MESSAGE_CREATE",
        fake::message(paste, CHANNEL, &person(author), MFA_PASTE),
    );
    let reply = bot
        .fake
        .wait_for("the reply", WAIT, posts_to(CHANNEL))
        .await;
    // The bot remembers the answer once Discord has answered its request.
    tokio::time::sleep(Duration::from_millis(150)).await;
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
    bot.fake.dispatch(
        "INTERACTION_CREATE",
        fake::slash_command(
            id,
            thread_id,
            &fake::member(&person(1), &[888], 0),
            "resolve",
            vec![fake::option("outcome", 3, json!("re-registered MFA"))],
        ),
    );
    let r = bot
        .fake
        .wait_for("the resolution", WAIT, callback_for(id))
        .await;
    assert!(
        r.body["data"]["content"]
            .as_str()
            .unwrap()
            .contains("Resolved"),
        "{r}"
    );
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
    let report = report_containing(&bot, "mfa-required-location").await;
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
    bot.fake.dispatch("MESSAGE_CREATE", fake::message(bot.fake.new_id(), CHANNEL + 1, &person(2), "AADSTS7000215: Invalid client secret provided. client_secret=Abc8Q~aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"));
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
    let report = report_containing(&bot, "AADSTS7000215").await;
    assert!(
        report.contains("AADSTS7000215")
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
    bot.fake.dispatch(
        "MESSAGE_CREATE",
        fake::message(bot.fake.new_id(), CHANNEL + 1, &person(2), MFA_PASTE),
    );
    let attempts = bot
        .fake
        .requests_after(since, Duration::from_secs(2), posts_to(CHANNEL + 1))
        .await;
    assert_eq!(attempts.len(), 3, "{attempts:?}");
    bot.fake.dispatch(
        "MESSAGE_CREATE",
        fake::message(bot.fake.new_id(), CHANNEL + 2, &person(3), MFA_PASTE),
    );
    bot.fake
        .wait_for("the bot still serving", WAIT, posts_to(CHANNEL + 2))
        .await;
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_token_never_reaches_the_logs() {
    let token = "MTIzNDU2Nzg5.test-token-that-must-not-be-logged";
    let bot = start(&[("DISCORD_TOKEN", token)]).await;
    bot.fake.fail_next(
        "POST",
        &format!("/api/v10/channels/{CHANNEL}/messages"),
        &[500, 500, 500],
    );
    bot.fake.dispatch(
        "MESSAGE_CREATE",
        fake::message(bot.fake.new_id(), CHANNEL, &person(1), MFA_PASTE),
    );
    bot.fake
        .requests_after(0, Duration::from_secs(2), |_| true)
        .await;
    bot.stop().await;
    let logs = logs();
    assert!(
        logs.contains("Discord refused a reply"),
        "the failure was logged"
    );
    assert!(
        !logs.contains(token) && !logs.contains("test-token-that-must"),
        "the token is in the logs"
    );
}

/// Resident memory of this process in MB.
fn rss_mb() -> f64 {
    errmedic::bench::resident_mb().unwrap_or(0.0)
}

/// A burst of messages across many channels, a mix of chat and pasted errors. Run it with
/// `cargo test --release -- --ignored burst --nocapture`; it prints the figures.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "load test: run explicitly in release"]
async fn burst_of_ten_thousand_messages() {
    const MESSAGES: usize = 10_000;
    CAPTURE.store(false, std::sync::atomic::Ordering::Relaxed);
    let bot = start(&[
        ("ERRMEDIC_COOLDOWN_SECS", "0"),
        ("ERRMEDIC_USER_RATE_SECS", "0"),
    ])
    .await;
    let pastes = [
        (MFA_PASTE, "mfa-required-location"),
        ("Graph returned {\"error\":{\"code\":\"ErrorAccessDenied\",\"message\":\"Access is denied. Check credentials and try again.\"}}", "graph-exo-access-denied"),
        ("New-IntuneWin32App failed with AppLifecycle_2210 on tenant fabrikam", "intune-applifecycle-2210"),
        ("sync: AADSTS700082: The refresh token has expired due to inactivity.", "token-expired"),
    ];
    let chats = [
        "morning all, coffee anyone?",
        "thanks, that fixed it!",
        "I'm out this afternoon, ping me if urgent",
        "AADSTS700016: Application with identifier 'x' was not found in the directory",
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
    let deadline = tokio::time::Instant::now() + Duration::from_secs(120);
    loop {
        let n = bot.fake.count_since(since, |r| {
            r.method == "POST" && r.path.ends_with("/messages")
        });
        if n >= expected.len() || tokio::time::Instant::now() > deadline {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let elapsed = start_all.elapsed();
    tokio::time::sleep(QUIET).await;
    let after = rss_mb();
    let replies = replies_of(&bot.fake.requests());
    let mut latencies: Vec<f64> = Vec::new();
    let mut answered: HashMap<u64, usize> = HashMap::new();
    for r in &replies {
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
    let p = |q: f64| latencies[((latencies.len() - 1) as f64 * q) as usize];
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
    bot.fake.dispatch(
        "MESSAGE_CREATE",
        fake::message(bot.fake.new_id(), CHANNEL, &person(1), MFA_PASTE),
    );
    bot.fake
        .wait_for("a reply without a record", WAIT, posts_to(CHANNEL))
        .await;
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

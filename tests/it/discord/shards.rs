//! Two bot processes, each running half of the gateway shards, sharing one PostgreSQL record
//! — against the fake Discord, which routes each server's events to the shard that owns it.
//! Needs a PostgreSQL server (`ERRMEDIC_TEST_POSTGRES`; `.ci/run` starts one); without it,
//! these tests say they were skipped.

use std::process::{Child, Command, Stdio};

use super::load::{check_burst_replies, quantile, BURST_PASTES};
use super::*;

/// A bot process with its own token, so that the fake can tell whose requests are whose.
pub(super) struct Process {
    pub(super) child: Child,
    log: PathBuf,
    token: String,
}

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Process {
    pub(super) fn logs(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Whether a request came from this process.
    pub(super) fn sent(&self, r: &Request) -> bool {
        r.auth.ends_with(&self.token)
    }
}

pub(super) fn spawn(
    fake: &FakeDiscord,
    dir: &Path,
    name: &str,
    shards: &str,
    database: &str,
    extra: &[(&str, &str)],
) -> Process {
    std::fs::create_dir_all(dir).unwrap();
    let log = dir.join(format!("{name}.log"));
    let token = format!("token-of-{name}");
    let mut command = Command::new(env!("CARGO_BIN_EXE_errmedic"));
    command
        .current_dir(dir)
        .env("RUST_LOG", "errmedic=info")
        .env("DISCORD_TOKEN", &token)
        .env("DISCORD_API_BASE", &fake.base)
        .env("ERRMEDIC_SHARDS", shards)
        .env("ERRMEDIC_DATABASE", database)
        .env("ERRMEDIC_KB_DIR", root().join("kb"))
        .env("ERRMEDIC_ESCALATION_CHANNEL", "")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&log).unwrap());
    for (k, v) in extra {
        command.env(k, v);
    }
    Process {
        child: command.spawn().unwrap(),
        log,
        token,
    }
}

/// A server owned by `shard` of 2.
pub(super) fn server_on(shard: u64, n: u64) -> u64 {
    let guild = ((1_000 + 2 * n + shard) << 22) + 7;
    assert_eq!(fake::shard_of(guild, 2), shard);
    guild
}

/// Two processes (shards 0/2 and 1/2) against one fake Discord and one PostgreSQL database.
async fn two_processes(
    test: &str,
    extra: &[(&str, &str)],
) -> Option<(FakeDiscord, [Process; 2], String, PathBuf)> {
    let name = test.to_string();
    let url = tokio::task::spawn_blocking(move || errmedic::store::postgres::test_database(&name))
        .await
        .unwrap()?;
    let fake = FakeDiscord::start().await;
    let dir = std::env::temp_dir().join(format!("errmedic-{test}-{}", std::process::id()));
    let a = spawn(&fake, &dir, "a", "0/2", &url, extra);
    let b = spawn(&fake, &dir, "b", "1/2", &url, extra);
    fake.wait_shards(&[(0, 2), (1, 2)], WAIT).await;
    // The process running shard 0 registers the commands, the other does not.
    fake.wait_for("command registration", WAIT, |r| {
        r.method == "PUT" && r.path.ends_with("/commands") && a.sent(r)
    })
    .await;
    Some((fake, [a, b], url, dir))
}

/// The bot's reply to a message, once sent.
async fn reply_to(fake: &FakeDiscord, channel: u64, message: u64) -> Request {
    fake.wait_for("a reply", WAIT, |r| {
        posts_to(channel)(r)
            && r.body["message_reference"]["message_id"]
                .as_str()
                .is_some_and(|m| m == message.to_string())
    })
    .await
}

/// `errmedic report` against the shared record, once it holds `what` (the processes write it
/// after they answer).
fn report_holding(url: &str, dir: &Path, what: &[&str]) -> String {
    let deadline = std::time::Instant::now() + WAIT;
    loop {
        let (code, out, err) =
            crate::run_errmedic(dir, &[("ERRMEDIC_DATABASE", Path::new(url))], &["report"]);
        assert_eq!(code, 0, "{err}");
        if what.iter().all(|w| out.contains(w)) || std::time::Instant::now() > deadline {
            return out;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_processes_share_the_servers_and_one_record() {
    let Some((fake, [a, b], url, dir)) = two_processes("two_processes_share", &[]).await else {
        return;
    };
    let (g0, g1) = (server_on(0, 1), server_on(1, 1));
    let (c0, c1) = (7_100, 7_200);
    // Each answers the servers of its own shard, and only those.
    let (m0, m1) = (fake.new_id(), fake.new_id());
    fake.dispatch(
        "MESSAGE_CREATE",
        fake::in_guild(fake::message(m0, c0, &person(42), MFA_PASTE), g0),
    );
    fake.dispatch(
        "MESSAGE_CREATE",
        fake::in_guild(fake::message(m1, c1, &person(43), MFA_PASTE), g1),
    );
    let r0 = reply_to(&fake, c0, m0).await;
    let r1 = reply_to(&fake, c1, m1).await;
    assert_eq!(
        fake.count_since(0, |r| r.method == "PUT" && r.path.ends_with("/commands")),
        1,
        "commands are registered once, by shard 0's process"
    );
    assert!(
        a.sent(&r0) && b.sent(&r1),
        "shard 0 answers {g0}, shard 1 answers {g1}"
    );
    // Errors nothing answers, recorded by each process in the shared record; the first one
    // delivered to both shards (as during a reshard) is still recorded once.
    let backup_id = fake.new_id();
    let backup = fake::in_guild(
        fake::message(
            backup_id,
            c0 + 1,
            &person(7),
            "Nightly backup failed: disk quota exceeded on NAS-01 (error 0x80070070)",
        ),
        g0,
    );
    fake.dispatch_to_shard(0, "MESSAGE_CREATE", backup.clone());
    fake.dispatch_to_shard(1, "MESSAGE_CREATE", backup);
    fake.dispatch(
        "MESSAGE_CREATE",
        fake::in_guild(
            fake::message(
                fake.new_id(),
                c1 + 1,
                &person(7),
                "Printer spooler crashed with error 0x00000709 on PRN-02",
            ),
            g1,
        ),
    );
    // A vote in the other process's server.
    let solved = fake.new_id();
    fake.dispatch(
        "INTERACTION_CREATE",
        fake::in_guild(
            fake::button_click(
                solved,
                c1,
                &fake::member(&person(43), &[], 0),
                "errmedic:solved:mfa-required-location",
                &r1.response,
            ),
            g1,
        ),
    );
    fake.wait_for("the vote answered", WAIT, callback_for(solved))
        .await;

    // The same answer's Escalate clicked at once on both sides (a server moving between
    // shards, say): one thread, and both clickers are pointed to it.
    fake.delay(
        "POST",
        &format!("/api/v10/channels/{c0}/messages/"),
        Duration::from_millis(300),
    );
    let clicks = [fake.new_id(), fake.new_id()];
    for (shard, id) in clicks.iter().enumerate() {
        let click = fake::in_guild(
            fake::button_click(
                *id,
                c0,
                &fake::member(&person(42 + shard as u64), &[], 0),
                "errmedic:escalate:mfa-required-location",
                &r0.response,
            ),
            g0,
        );
        fake.dispatch_to_shard(shard as u64, "INTERACTION_CREATE", click);
    }
    let mut answers = Vec::new();
    for id in clicks {
        let r = fake
            .wait_for("the escalation answered", WAIT, |r| {
                r.method == "PATCH" && r.path.contains(&format!("token-{id}"))
            })
            .await;
        answers.push(r.body["content"].as_str().unwrap_or_default().to_string());
    }
    let threads = fake.count_since(0, |r| r.method == "POST" && r.path.ends_with("/threads"));
    assert_eq!(
        threads,
        1,
        "one thread for one conversation: {answers:?}\n{}\n{}",
        a.logs(),
        b.logs()
    );
    assert_eq!(
        answers
            .iter()
            .filter(|t| t.contains("Opened an escalation thread"))
            .count(),
        1,
        "{answers:?}"
    );
    assert_eq!(
        answers
            .iter()
            .filter(|t| t.contains("already open"))
            .count(),
        1,
        "{answers:?}"
    );

    // The report sees both processes' records.
    report_holding(
        &url,
        &dir,
        &[
            "1× nightly backup failed",
            "0x00000709",
            "Escalations: 1 open",
        ],
    );
    // Both processes have recorded the message delivered twice (each logs it).
    let seen = backup_id.to_string();
    let deadline = std::time::Instant::now() + WAIT;
    while ![&a, &b].iter().all(|p| {
        p.logs()
            .lines()
            .any(|l| l.contains(&seen) && l.contains("recorded an error nothing answered"))
    }) {
        assert!(
            std::time::Instant::now() < deadline,
            "both processes record the message:\n{}\n{}",
            a.logs(),
            b.logs()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let report = report_holding(&url, &dir, &["0x00000709"]);
    assert!(report.contains("   1× nightly backup failed"), "{report}");
    assert!(report.contains("0x00000709"), "{report}");
    assert!(
        report.contains("mfa-required-location") && report.contains("   1 / 0"),
        "{report}"
    );
    assert!(report.contains("Escalations: 1 open, 0 closed"), "{report}");
    // Each process runs its own shard and no other: a second shard would start after the
    // gateway's identify interval (5 s) and answer the other process's servers again.
    tokio::time::sleep(Duration::from_secs(7)).await;
    let mut shards = fake.identified_shards();
    shards.sort_unstable();
    assert_eq!(shards, [(0, 2), (1, 2)], "the shards that identified");
    drop((a, b));
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bot_on_postgres_answers_records_and_stops_cleanly() {
    let url = tokio::task::spawn_blocking(|| {
        errmedic::store::postgres::test_database("a_bot_on_postgres_stops_cleanly")
    })
    .await
    .unwrap();
    let Some(url) = url else {
        return;
    };
    let mut bot = start(&[("ERRMEDIC_DATABASE", &url)]).await;
    let (_, reply) = answered(&bot, 42).await;
    let solved = click(
        &bot,
        &fake::member(&person(42), &[], 0),
        "errmedic:solved:mfa-required-location",
        &reply,
    )
    .await;
    assert!(
        told(&bot, solved).contains("glad"),
        "{}",
        told(&bot, solved)
    );
    // Shutdown drops the record inside the runtime: it must neither panic nor hang.
    let _ = bot.stop.take().unwrap().send(());
    let finished = tokio::time::timeout(WAIT, &mut bot.task)
        .await
        .expect("the bot stopped");
    assert!(matches!(finished, Ok(Ok(()))), "{finished:?}");
    let report = tokio::task::spawn_blocking(move || {
        let target = errmedic::config::Database::Postgres(errmedic::config::Secret::new(url));
        errmedic::store::Store::connect(&target)
            .unwrap()
            .report()
            .unwrap()
    })
    .await
    .unwrap();
    assert!(
        report.contains("mfa-required-location") && report.contains("   1 / 0"),
        "{report}"
    );
    let _ = std::fs::remove_dir_all(&bot.dir);
}

/// The footer of the reply to a paste posted in `guild` (which names the entry that answered).
async fn answer_in(fake: &FakeDiscord, guild: u64, channel: u64) -> String {
    let id = fake.new_id();
    fake.dispatch(
        "MESSAGE_CREATE",
        fake::in_guild(fake::message(id, channel, &person(42), MFA_PASTE), guild),
    );
    let r = reply_to(fake, channel, id).await;
    r.body["embeds"][0]["footer"]["text"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reload_in_one_process_reaches_the_other() {
    let kb_copy = std::env::temp_dir().join(format!("errmedic-reload-kb-{}", std::process::id()));
    copy_dir(&root().join("kb"), &kb_copy);
    let kb = kb_copy.display().to_string();
    let quick = [
        ("ERRMEDIC_KB_DIR", kb.as_str()),
        ("ERRMEDIC_KB_FOLLOW_SECS", "1"),
        ("ERRMEDIC_COOLDOWN_SECS", "0"),
        ("ERRMEDIC_USER_RATE_SECS", "0"),
    ];
    let Some((fake, [a, b], _, dir)) = two_processes("a_reload_reaches_the_other", &quick).await
    else {
        return;
    };
    let (g0, g1) = (server_on(0, 3), server_on(1, 3));
    assert!(answer_in(&fake, g0, 7_300)
        .await
        .starts_with("mfa-required-location"));
    // The team drops the entry, and staff reload in a server of the other process.
    std::fs::remove_file(kb_copy.join("mfa-required-location.json")).unwrap();
    let reload = fake.new_id();
    fake.dispatch(
        "INTERACTION_CREATE",
        fake::in_guild(
            kb_reload(reload, &fake::member(&person(1), &[], MANAGE_GUILD)),
            g1,
        ),
    );
    let done = fake
        .wait_for("the reload answered", WAIT, |r| {
            r.path.contains(&format!("token-{reload}")) && r.body.to_string().contains("Reloaded")
        })
        .await;
    assert!(
        b.sent(&done) && done.body.to_string().contains("Reloaded: 21 entries"),
        "{done}"
    );
    // The first process follows: the code's general meaning answers there now.
    let deadline = std::time::Instant::now() + WAIT;
    loop {
        let footer = answer_in(&fake, g0, 7_300).await;
        if footer.starts_with("aadsts50076") {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the other process still answers with {footer}:\n{}",
            a.logs()
        );
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    assert!(
        a.logs()
            .contains("knowledge base reloaded, as another process did"),
        "{}",
        a.logs()
    );
    drop((a, b));
    let _ = std::fs::remove_dir_all(&dir);
    let _ = std::fs::remove_dir_all(&kb_copy);
}

/// Resident memory of a process, in MB (Linux).
pub(super) fn rss_of(pid: u32) -> f64 {
    errmedic::devtools::bench::resident_mb_of(&pid.to_string()).unwrap_or(0.0)
}

/// The burst of [`super::burst_of_ten_thousand_messages`] across twenty servers, split
/// between two processes that share PostgreSQL: throughput, event→reply latency, and that
/// every paste got exactly one reply and every error nothing answers was recorded once.
/// Run on demand: `cargo test --release --test it -- --ignored two_process_burst --nocapture`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "load test: run on demand with --release"]
async fn two_process_burst() {
    const MESSAGES: usize = 10_000;
    let quiet = [
        ("ERRMEDIC_COOLDOWN_SECS", "0"),
        ("ERRMEDIC_USER_RATE_SECS", "0"),
        // Each process says when it has handled an event: what "nothing doubled" waits on.
        ("RUST_LOG", "errmedic=info,errmedic::discord=trace"),
    ];
    let Some((fake, [a, b], url, dir)) = two_processes("two_process_burst", &quiet).await else {
        return;
    };
    let pastes = BURST_PASTES;
    let chats = [
        "morning all, coffee anyone?",
        "thanks, that fixed it!",
        "I'm out this afternoon",
    ];
    let unanswered = "Nightly backup failed: disk quota exceeded on NAS-01 (error 0x80070070)";
    let guilds: Vec<u64> = (0..20).map(|n| server_on(n % 2, n)).collect();
    let mut expected: HashMap<u64, &str> = HashMap::new();
    let mut sent_at: HashMap<u64, std::time::Instant> = HashMap::new();
    let mut recorded = 0;
    let since = fake.requests().len();
    let start_all = std::time::Instant::now();
    for i in 0..MESSAGES {
        let id = fake.new_id();
        // Ten messages at a time in one server, so that every server (and both shards) gets
        // pastes, chat and errors nothing answers alike.
        let guild = guilds[(i / 10) % guilds.len()];
        let channel = 20_000 + (i % 200) as u64;
        let text = match i % 10 {
            0 | 3 | 6 => {
                let (text, entry) = pastes[i % pastes.len()];
                expected.insert(id, entry);
                text
            }
            9 => {
                recorded += 1;
                unanswered
            }
            _ => chats[i % chats.len()],
        };
        sent_at.insert(id, std::time::Instant::now());
        fake.dispatch(
            "MESSAGE_CREATE",
            fake::in_guild(
                fake::message(id, channel, &person(1_000 + (i % 500) as u64), text),
                guild,
            ),
        );
        if i % 1000 == 999 {
            tokio::task::yield_now().await;
        }
    }
    let is_reply = |r: &Request| {
        r.method == "POST"
            && r.path.ends_with("/messages")
            && r.body["message_reference"].is_object()
    };
    let deadline = std::time::Instant::now() + Duration::from_secs(120);
    while fake.count_since(since, is_reply) < expected.len() && std::time::Instant::now() < deadline
    {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let elapsed = start_all.elapsed();
    let report = report_holding(&url, &dir, &[&format!("{recorded}× nightly backup failed")]);
    // Anything doubled has been sent once both processes have handled every message.
    let handled = |logs: &str| -> std::collections::HashSet<String> {
        logs.lines()
            .filter(|l| l.contains("event handled"))
            .filter_map(|l| l.split("event=").nth(1))
            .map(|id| id.split_whitespace().next().unwrap_or("").to_string())
            .collect()
    };
    let deadline = std::time::Instant::now() + Duration::from_secs(120);
    loop {
        let seen: std::collections::HashSet<String> = handled(&a.logs())
            .union(&handled(&b.logs()))
            .cloned()
            .collect();
        if sent_at.keys().all(|id| seen.contains(&id.to_string())) {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "not every message was handled"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let replies: Vec<Request> = fake
        .requests()
        .into_iter()
        .skip(since)
        .filter(|r| is_reply(r))
        .collect();
    let latencies = check_burst_replies(&replies, &expected, &sent_at);
    let mut by_process = [0usize; 2];
    for r in &replies {
        by_process[usize::from(b.sent(r))] += 1;
    }
    assert!(
        report.contains(&format!("{recorded}× nightly backup failed")),
        "every unanswered error recorded once: {report}"
    );
    let p = |q: f64| quantile(&latencies, q);
    println!(
        "two-process burst: {MESSAGES} messages ({} pastes, {recorded} recorded errors) in {:.2} s = {:.0} msg/s; event→reply median {:.1} ms, p99 {:.1} ms; replies by process {by_process:?}; RSS {:.1} MB + {:.1} MB",
        expected.len(),
        elapsed.as_secs_f64(),
        MESSAGES as f64 / elapsed.as_secs_f64(),
        p(0.5),
        p(0.99),
        rss_of(a.child.id()),
        rss_of(b.child.id()),
    );
    drop((a, b));
    let _ = std::fs::remove_dir_all(&dir);
}

//! Latency under sustained load: 1,000 messages a second (30% pastes, 70% chat) over 50
//! servers and 500 channels, against the fake Discord, for `ERRMEDIC_LOAD_SECS` (60) seconds:
//! one process on SQLite, and two processes (shards 0/2 and 1/2) sharing PostgreSQL. Each
//! prints event→reply p50, p99 and max, messages lost or doubled (asserted 0), and resident
//! memory of each process before and after. Run on demand:
//! `cargo test --release --test it -- --ignored sustained --nocapture --test-threads 1`.

use super::load::{check_burst_replies, quantile, BURST_PASTES};
use super::shards::{rss_of, server_on, spawn, Process};
use super::*;

const RATE: usize = 1_000;
const SERVERS: u64 = 50;
const CHANNELS: u64 = 500;

fn seconds() -> usize {
    std::env::var("ERRMEDIC_LOAD_SECS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(60)
}

/// Sends `RATE` messages a second for `secs`, paced every 10 ms; returns the pastes with the
/// entry that must answer each, and when every message was sent.
async fn drive(
    fake: &FakeDiscord,
    secs: usize,
    guild_of: impl Fn(u64) -> u64,
    processes: &[&Process],
) -> (HashMap<u64, &'static str>, HashMap<u64, std::time::Instant>) {
    let chats = [
        "morning all, coffee anyone?",
        "thanks, that fixed it!",
        "I'm out this afternoon, ping me if urgent",
        "can someone review the onboarding doc before Friday?",
    ];
    let mut expected = HashMap::new();
    let mut sent_at = HashMap::new();
    let mut tick = tokio::time::interval(Duration::from_millis(10));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Burst);
    let per_tick = RATE / 100;
    for t in 0..secs * 100 {
        tick.tick().await;
        // Resident memory every 15 s: it grows while the bounded memories (answers
        // remembered, cooldowns) fill, then stays.
        if t % 1500 == 0 && t > 0 {
            let rss: Vec<f64> = processes.iter().map(|p| rss_of(p.child.id())).collect();
            println!("  at {:>3} s: RSS {rss:.1?} MB", t / 100);
        }
        for k in 0..per_tick {
            let i = t * per_tick + k;
            let id = fake.new_id();
            let channel = 40_000 + (i as u64 * 7919) % CHANNELS;
            let text = if i % 10 < 3 {
                let (text, entry) = BURST_PASTES[i % BURST_PASTES.len()];
                expected.insert(id, entry);
                text
            } else {
                chats[i % chats.len()]
            };
            sent_at.insert(id, std::time::Instant::now());
            fake.dispatch(
                "MESSAGE_CREATE",
                fake::in_guild(
                    fake::message(id, channel, &person(1_000 + (i % 500) as u64), text),
                    guild_of(channel),
                ),
            );
        }
    }
    (expected, sent_at)
}

/// Waits until every paste has its reply (and a little longer, for doubles), checks them, and
/// prints the figures.
async fn report(
    setup: &str,
    fake: &FakeDiscord,
    since: usize,
    processes: &[&Process],
    (expected, sent_at): (HashMap<u64, &str>, HashMap<u64, std::time::Instant>),
    rss_before: Vec<f64>,
) {
    let is_reply = |r: &Request| {
        r.method == "POST"
            && r.path.ends_with("/messages")
            && r.body["message_reference"].is_object()
    };
    let deadline = std::time::Instant::now() + Duration::from_secs(120);
    while fake.count_since(since, is_reply) < expected.len() && std::time::Instant::now() < deadline
    {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    let rss_after: Vec<f64> = processes.iter().map(|p| rss_of(p.child.id())).collect();
    let replies: Vec<Request> = fake
        .requests()
        .into_iter()
        .skip(since)
        .filter(|r| is_reply(r))
        .collect();
    let mut by_origin: HashMap<String, Vec<usize>> = HashMap::new();
    for r in &replies {
        let origin = r.body["message_reference"]["message_id"]
            .as_str()
            .unwrap_or("")
            .to_string();
        let who = processes.iter().position(|p| p.sent(r)).unwrap_or(9);
        by_origin.entry(origin).or_default().push(who);
    }
    let doubled: Vec<_> = by_origin
        .iter()
        .filter(|(_, v)| v.len() > 1)
        .take(5)
        .collect();
    if !doubled.is_empty() {
        println!(
            "doubled: {} (e.g. {doubled:?}); sessions (identifies, resumes) {:?}, shards {:?}",
            by_origin.values().filter(|v| v.len() > 1).count(),
            fake.sessions(),
            fake.identified_shards()
        );
    }
    // Panics on a paste left without a reply, a second reply, or a reply to chat.
    let latencies = check_burst_replies(&replies, &expected, &sent_at);
    let p = |q: f64| quantile(&latencies, q);
    println!(
        "sustained ({setup}): {} messages at {RATE}/s ({} pastes); lost 0, doubled 0; event→reply p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms; RSS {rss_before:.1?} MB → {rss_after:.1?} MB",
        sent_at.len(),
        expected.len(),
        p(0.5),
        p(0.99),
        latencies.last().copied().unwrap_or(0.0),
    );
}

const QUIET: [(&str, &str); 3] = [
    ("ERRMEDIC_COOLDOWN_SECS", "0"),
    ("ERRMEDIC_USER_RATE_SECS", "0"),
    ("RUST_LOG", "errmedic=warn,serenity=info"),
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "load test: run on demand with --release"]
async fn sustained_load_one_process_on_sqlite() {
    let fake = FakeDiscord::start().await;
    let dir = std::env::temp_dir().join(format!("errmedic-sustained-{}", std::process::id()));
    let db = dir.join("record.sqlite3").display().to_string();
    let bot = spawn(&fake, &dir, "sqlite", "0/1", &db, &QUIET);
    fake.wait_shards(&[(0, 1)], WAIT).await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    let before = vec![rss_of(bot.child.id())];
    let since = fake.requests().len();
    let sent = drive(&fake, seconds(), |c| 900_000 + c % SERVERS, &[&bot]).await;
    report("1 process, SQLite", &fake, since, &[&bot], sent, before).await;
    drop(bot);
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "load test: run on demand with --release"]
async fn sustained_load_two_processes_on_postgres() {
    let url =
        tokio::task::spawn_blocking(|| errmedic::store::postgres::test_database("sustained_two"))
            .await
            .unwrap();
    let Some(url) = url else {
        return;
    };
    let fake = FakeDiscord::start().await;
    let dir = std::env::temp_dir().join(format!("errmedic-sustained-pg-{}", std::process::id()));
    let a = spawn(&fake, &dir, "a", "0/2", &url, &QUIET);
    let b = spawn(&fake, &dir, "b", "1/2", &url, &QUIET);
    fake.wait_shards(&[(0, 2), (1, 2)], WAIT).await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    let before = vec![rss_of(a.child.id()), rss_of(b.child.id())];
    let since = fake.requests().len();
    // Servers of both shards alike.
    let sent = drive(
        &fake,
        seconds(),
        |c| server_on((c % SERVERS) % 2, c % SERVERS),
        &[&a, &b],
    )
    .await;
    report(
        "2 processes, PostgreSQL",
        &fake,
        since,
        &[&a, &b],
        sent,
        before,
    )
    .await;
    drop((a, b));
    let _ = std::fs::remove_dir_all(&dir);
}

//! The operator's side of a running bot: `/healthz`, `/readyz` following the gateway, and
//! every named metric moving when its event happens.

use super::*;

async fn get(addr: &str, path: &str) -> (u16, String) {
    let r = reqwest::get(format!("http://{addr}{path}")).await.unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

/// Waits until `/readyz` answers `status`, and returns its body.
async fn readiness(addr: &str, status: u16) -> String {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    loop {
        let (got, body) = get(addr, "/readyz").await;
        if got == status {
            return body;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "readiness stayed {got} ({body}), waiting for {status}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The value of one sample line of `/metrics` (0 when absent).
async fn sample(addr: &str, line: &str) -> f64 {
    let (_, text) = get(addr, "/metrics").await;
    text.lines()
        .find_map(|l| l.strip_prefix(line)?.strip_prefix(' ')?.parse().ok())
        .unwrap_or(0.0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn readiness_follows_the_gateway() {
    let addr = free_addr();
    let bot = start(&[("ERRMEDIC_HTTP_ADDR", &addr)]).await;
    assert_eq!(get(&addr, "/healthz").await.0, 200);
    readiness(&addr, 200).await;
    assert_eq!(sample(&addr, "errmedic_shards_connected").await, 1.0);
    bot.fake.stop_gateway();
    let why = readiness(&addr, 503).await;
    assert!(why.contains("0 of 1 gateway shards connected"), "{why}");
    assert_eq!(get(&addr, "/healthz").await.0, 200, "alive while not ready");
    bot.fake.start_gateway();
    readiness(&addr, 200).await;
    bot.stop().await;
    // Stopped with the bot.
    assert!(reqwest::get(format!("http://{addr}/healthz"))
        .await
        .is_err());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_named_metric_moves_with_its_event() {
    let addr = free_addr();
    let bot = start(&[
        ("ERRMEDIC_HTTP_ADDR", &addr),
        ("ERRMEDIC_ESCALATION_CHANNEL", "600"),
    ])
    .await;
    readiness(&addr, 200).await;
    let m = |line: &'static str| sample(&addr, line);
    assert!(m("errmedic_kb_entries{tier=\"curated\"}").await >= 20.0);
    assert!(m("errmedic_kb_entries{tier=\"reference\"}").await >= 100.0);
    // A paste answered from the curated tier, then one from the reference tier.
    let (_, reply) = answered(&bot, 42).await;
    assert_eq!(m("errmedic_messages_total").await, 1.0);
    assert_eq!(m("errmedic_replies_total{tier=\"curated\"}").await, 1.0);
    assert_eq!(m("errmedic_reply_latency_seconds_count").await, 1.0);
    answered_with(
        &bot,
        43,
        "Sign-in failed:\nAADSTS90072: User account from the external provider does not exist in tenant and cannot access the application.",
    )
    .await;
    assert_eq!(m("errmedic_replies_total{tier=\"reference\"}").await, 1.0);
    // Chat is read and left alone, for a named reason.
    bot.handle(
        "MESSAGE_CREATE",
        fake::message(
            bot.fake.new_id(),
            CHANNEL,
            &person(44),
            "morning all, coffee?",
        ),
    )
    .await;
    assert_eq!(m("errmedic_messages_total").await, 3.0);
    assert_eq!(
        m("errmedic_silences_total{reason=\"nothing_matched\"}").await,
        1.0
    );
    // A lookup.
    let id = bot.fake.new_id();
    bot.handle(
        "INTERACTION_CREATE",
        fake::slash_command(
            id,
            CHANNEL,
            &fake::member(&person(45), &[], 0),
            "fix",
            vec![fake::option("query", 3, json!("token expired"))],
        ),
    )
    .await;
    assert_eq!(m("errmedic_commands_total{command=\"fix\"}").await, 1.0);
    // A vote, an escalation opened and closed.
    let reporter = fake::member(&person(42), &[], 0);
    click(
        &bot,
        &reporter,
        "errmedic:solved:mfa-required-location",
        &reply,
    )
    .await;
    assert_eq!(m("errmedic_votes_total{vote=\"solved\"}").await, 1.0);
    click(
        &bot,
        &reporter,
        "errmedic:escalate:mfa-required-location",
        &reply,
    )
    .await;
    assert_eq!(m("errmedic_escalations_total{event=\"opened\"}").await, 1.0);
    let thread: u64 = thread_posts(&bot)[0].response["id"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let staff = fake::member(&person(1), &[888], 0);
    let in_thread = fake::message(bot.fake.new_id(), thread, &fake::bot_user(), "summary");
    let close = bot.fake.new_id();
    bot.handle(
        "INTERACTION_CREATE",
        fake::button_click(close, thread, &staff, "errmedic:close", &in_thread),
    )
    .await;
    assert_eq!(m("errmedic_escalations_total{event=\"closed\"}").await, 1.0);
    // The record fails (another process holds its write lock): counted.
    let lock = rusqlite::Connection::open(bot.dir.join("record.sqlite3")).unwrap();
    lock.execute_batch("BEGIN EXCLUSIVE;").unwrap();
    // Not waited for: the click waits for the lock as long as the record lets it.
    bot.fake.dispatch(
        "INTERACTION_CREATE",
        fake::button_click(
            bot.fake.new_id(),
            CHANNEL,
            &reporter,
            "errmedic:solved:mfa-required-location",
            &reply,
        ),
    );
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    while m("errmedic_record_errors_total").await < 1.0 {
        assert!(
            tokio::time::Instant::now() < deadline,
            "no record error counted"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    lock.execute_batch("ROLLBACK;").unwrap();
    // No label carries a user's text or id.
    let (_, text) = get(&addr, "/metrics").await;
    for private in ["morning", "42", "AADSTS", "token expired"] {
        assert!(
            // The labels only (between the braces): a value may hold any digits.
            !text
                .lines()
                .filter_map(|l| Some(&l[l.find('{')?..=l.find('}')?]))
                .any(|labels| labels.contains(private)),
            "{private} in a label:\n{text}"
        );
    }
    bot.stop().await;
}

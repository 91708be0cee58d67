//! The bot and a PostgreSQL record that goes down and comes back: answers never stop, what
//! could not be recorded is logged, and the pool reconnects by itself. Runs its own cluster
//! (`.ci/postgres`), so it needs a machine where PostgreSQL can run: it runs where
//! `ERRMEDIC_TEST_POSTGRES` is set, and says it was skipped elsewhere.

use super::*;

/// A cluster of this test's own, removed at the end.
struct Cluster {
    dir: PathBuf,
}

impl Cluster {
    fn script(&self, action: &str) -> String {
        let out = std::process::Command::new(root().join(".ci/postgres"))
            .args([action, self.dir.to_str().unwrap()])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            ".ci/postgres {action}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        self.script("stop");
    }
}

/// Votes recorded for an entry, read from the record.
async fn solved_votes(url: &str, entry: &'static str) -> Option<i64> {
    let url = url.to_string();
    tokio::task::spawn_blocking(move || {
        let target = errmedic::config::Database::Postgres(errmedic::config::Secret::new(url));
        let report = errmedic::store::Store::connect(&target)
            .ok()?
            .report_data()
            .ok()?;
        report
            .entries
            .iter()
            .find(|e| e.entry == entry)
            .map(|e| e.solved)
    })
    .await
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_bot_rides_out_a_postgres_restart() {
    if errmedic::store::postgres::test_server("the_bot_rides_out_a_postgres_restart").is_none() {
        return;
    }
    let cluster = Cluster {
        dir: std::env::temp_dir().join(format!("errmedic-outage-{}", std::process::id())),
    };
    let url = tokio::task::block_in_place(|| cluster.script("start"));
    let bot = start(&[
        ("ERRMEDIC_DATABASE", &url),
        ("ERRMEDIC_COOLDOWN_SECS", "0"),
        ("ERRMEDIC_USER_RATE_SECS", "0"),
    ])
    .await;
    let voter = fake::member(&person(42), &[], 0);
    let solved = "errmedic:solved:mfa-required-location";
    let (_, reply) = answered(&bot, 42).await;
    click(&bot, &voter, solved, &reply).await;
    assert_eq!(solved_votes(&url, "mfa-required-location").await, Some(1));

    // The server goes down: pastes are still answered, clicks still acknowledged.
    tokio::task::block_in_place(|| cluster.script("halt"));
    let down = std::time::Instant::now();
    let (_, reply) = answered(&bot, 43).await;
    let answered_down = down.elapsed();
    let id = click(&bot, &fake::member(&person(43), &[], 0), solved, &reply).await;
    assert!(told(&bot, id).contains("glad"), "{}", told(&bot, id));

    // It comes back: the pool reconnects, and votes are recorded again.
    tokio::task::block_in_place(|| cluster.script("resume"));
    let deadline = std::time::Instant::now() + WAIT;
    let mut author = 44;
    loop {
        let (_, reply) = answered(&bot, author).await;
        click(&bot, &fake::member(&person(author), &[], 0), solved, &reply).await;
        if solved_votes(&url, "mfa-required-location").await == Some(2) {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no vote recorded after the server came back"
        );
        author += 1;
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    println!("answered with the record down in {answered_down:?}");
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

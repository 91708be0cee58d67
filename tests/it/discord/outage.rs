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

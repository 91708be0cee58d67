//! Load: a burst of ten thousand messages across many channels (run on demand with
//! `--ignored`); the pastes and the reply check are shared with the two-process burst.

use super::*;

/// Resident memory of this process in MB.
/// The pasted errors of the load tests, with the entry that answers each.
pub(super) const BURST_PASTES: [(&str, &str); 5] = [
    (MFA_PASTE, "mfa-required-location"),
    ("Graph returned {\"error\":{\"code\":\"ErrorAccessDenied\",\"message\":\"Access is denied. Check credentials and try again.\"}}", "graph-exo-access-denied"),
    ("New-IntuneWin32App failed with AppLifecycle_2210 on tenant fabrikam", "intune-applifecycle-2210"),
    ("sync: AADSTS700082: The refresh token has expired due to inactivity.", "token-expired"),
    // No team entry: the code's general meaning answers.
    ("AADSTS700016: Application with identifier 'x' was not found in the directory", "aadsts700016"),
];

/// Checks a load test's replies: every covered paste got exactly one reply, with its entry, and
/// no other message got any. Returns the event→reply times in milliseconds, sorted.
pub(super) fn check_burst_replies(
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
pub(super) fn quantile(sorted: &[f64], q: f64) -> f64 {
    sorted[((sorted.len() - 1) as f64 * q) as usize]
}

pub(super) fn rss_mb() -> f64 {
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

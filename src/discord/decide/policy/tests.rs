use super::*;

fn posted() -> Posted {
    Posted {
        author_is_bot: false,
        is_webhook: false,
        author_is_self: false,
        in_guild: true,
        channel: ChannelId::new(10),
        parent: None,
    }
}

#[test]
fn reads_people_in_configured_channels() {
    assert!(should_read(&posted(), &[]));
    assert!(should_read(&posted(), &[10]));
    assert!(!should_read(&posted(), &[11]));
    assert!(
        should_read(
            &Posted {
                channel: ChannelId::new(99),
                parent: Some(ChannelId::new(11)),
                ..posted()
            },
            &[11]
        ),
        "a thread of a configured channel"
    );
}

#[test]
fn ignores_bots_webhooks_itself_and_direct_messages() {
    assert!(!should_read(
        &Posted {
            author_is_bot: true,
            ..posted()
        },
        &[]
    ));
    assert!(!should_read(
        &Posted {
            is_webhook: true,
            ..posted()
        },
        &[]
    ));
    assert!(!should_read(
        &Posted {
            author_is_self: true,
            ..posted()
        },
        &[]
    ));
    assert!(!should_read(
        &Posted {
            in_guild: false,
            ..posted()
        },
        &[]
    ));
}

#[tokio::test(start_paused = true)]
async fn cooldowns_hold_per_channel_entry_and_per_user() {
    let mut c = Cooldowns::default();
    let w = Windows {
        server: None,
        entry: Duration::from_secs(600),
        user: Duration::from_secs(10),
    };
    let e = vec!["token-expired".to_string()];
    assert_eq!(
        c.check(w, Instant::now(), ChannelId::new(1), UserId::new(100), &e),
        Verdict::Post(e.clone())
    );
    // The same user right away: rate limited.
    assert_eq!(
        c.check(w, Instant::now(), ChannelId::new(2), UserId::new(100), &e),
        Verdict::UserRateLimited
    );
    tokio::time::advance(Duration::from_secs(11)).await;
    // Another user, same channel and entry: the entry cooldown holds.
    assert_eq!(
        c.check(w, Instant::now(), ChannelId::new(1), UserId::new(200), &e),
        Verdict::EntryCooldown
    );
    // Another channel is fine.
    assert_eq!(
        c.check(w, Instant::now(), ChannelId::new(2), UserId::new(200), &e),
        Verdict::Post(e.clone())
    );
    tokio::time::advance(Duration::from_secs(600)).await;
    assert_eq!(
        c.check(w, Instant::now(), ChannelId::new(1), UserId::new(300), &e),
        Verdict::Post(e)
    );
}

#[tokio::test(start_paused = true)]
async fn each_check_uses_its_own_server_s_windows() {
    let mut c = Cooldowns::default();
    let long = Windows {
        server: Some(GuildId::new(1)),
        entry: Duration::from_secs(600),
        user: Duration::from_secs(20),
    };
    let short = Windows {
        server: Some(GuildId::new(2)),
        entry: Duration::from_secs(30),
        user: Duration::from_secs(20),
    };
    let e = vec!["token-expired".to_string()];
    let (a, b) = (ChannelId::new(1), ChannelId::new(2));
    assert!(matches!(
        c.check(long, Instant::now(), a, UserId::new(1), &e),
        Verdict::Post(_)
    ));
    // The same person at once in another server: its own user rate.
    assert!(matches!(
        c.check(short, Instant::now(), b, UserId::new(1), &e),
        Verdict::Post(_)
    ));
    assert_eq!(
        c.check(short, Instant::now(), ChannelId::new(3), UserId::new(1), &e),
        Verdict::UserRateLimited
    );
    tokio::time::advance(Duration::from_secs(31)).await;
    assert_eq!(
        c.check(long, Instant::now(), a, UserId::new(2), &e),
        Verdict::EntryCooldown
    );
    assert!(matches!(
        c.check(short, Instant::now(), b, UserId::new(2), &e),
        Verdict::Post(_)
    ));
}

#[tokio::test(start_paused = true)]
async fn only_fresh_entries_are_posted() {
    let mut c = Cooldowns::default();
    let w = Windows {
        server: None,
        entry: Duration::from_secs(600),
        user: Duration::from_secs(0),
    };
    c.check(
        w,
        Instant::now(),
        ChannelId::new(1),
        UserId::new(1),
        &["a".to_string()],
    );
    let v = c.check(
        w,
        Instant::now(),
        ChannelId::new(1),
        UserId::new(2),
        &["a".to_string(), "b".to_string()],
    );
    assert_eq!(v, Verdict::Post(vec!["b".to_string()]));
}

#[test]
fn staff_is_manage_server_or_the_staff_role() {
    assert!(is_staff(true, &[], None));
    assert!(is_staff(false, &[5, 7], Some(7)));
    assert!(!is_staff(false, &[5], Some(7)));
    assert!(!is_staff(false, &[5], None));
}

#[test]
fn unanswered_errors_are_keyed_by_code_or_first_redacted_words() {
    use crate::engine::Extracted;
    let with_code = Answer {
        extracted: Extracted {
            codes: vec!["AADSTS700016".into()],
            ..Extracted::default()
        },
        ..Answer::default()
    };
    assert_eq!(
        unanswered_signature(&with_code, "AADSTS700016: app not found").as_deref(),
        Some("AADSTS700016")
    );
    // A "code" read out of a secret is not kept: the redacted text no longer holds it.
    let from_secret = Answer {
        extracted: Extracted {
            codes: vec!["Winter_2024".into()],
            ..Extracted::default()
        },
        ..Answer::default()
    };
    let key = unanswered_signature(&from_secret, "login failed password=[password]").unwrap();
    assert!(!key.contains("Winter"), "{key}");
    let plain = Answer::default();
    assert_eq!(unanswered_signature(&plain, "good morning team"), None);
    assert_eq!(
        unanswered_signature(&plain, "Backup job failed: disk quota exceeded").as_deref(),
        Some("backup job failed disk quota exceeded")
    );
    let redacted = crate::text::redact::redact(
        "password=Winter2024Blue login failed for the sync account, error 0x80048823",
    );
    let key = unanswered_signature(&plain, &redacted.text).unwrap();
    assert!(!key.contains("winter"), "{key}");
    assert!(key.contains("login failed sync account"), "{key}");
}

fn reading(entries: &[&str]) -> Reading {
    Reading {
        entries: entries.iter().map(|e| e.to_string()).collect(),
        has_secret: false,
        previous: None,
        edited: false,
        unanswered: None,
    }
}

#[tokio::test(start_paused = true)]
async fn what_to_do_with_a_message() {
    let reply = (ChannelId::new(1), MessageId::new(50));
    let (ch, user) = (ChannelId::new(1), UserId::new(7));
    let cases: Vec<(Reading, MessagePlan)> = vec![
        (reading(&["a"]), MessagePlan::Answer(vec!["a".into()])),
        (
            Reading {
                unanswered: Some("x".into()),
                ..reading(&[])
            },
            MessagePlan::Silent {
                unanswered: Some("x".into()),
            },
        ),
        (
            Reading {
                has_secret: true,
                ..reading(&[])
            },
            MessagePlan::Warn { unanswered: None },
        ),
        (
            Reading {
                previous: Some(reply),
                ..reading(&["a"])
            },
            MessagePlan::EditAnswer(reply, vec!["a".into()]),
        ),
        (
            Reading {
                previous: Some(reply),
                ..reading(&[])
            },
            MessagePlan::DeleteAnswer(reply),
        ),
        (
            Reading {
                previous: Some(reply),
                has_secret: true,
                ..reading(&[])
            },
            MessagePlan::WarnInstead(reply),
        ),
        (
            Reading {
                edited: true,
                unanswered: Some("x".into()),
                ..reading(&[])
            },
            MessagePlan::Silent { unanswered: None },
        ),
    ];
    for (r, want) in cases {
        let mut c = Cooldowns::default();
        let w = Windows {
            server: None,
            entry: Duration::from_secs(600),
            user: Duration::from_secs(10),
        };
        assert_eq!(
            plan_message(r.clone(), &mut c, w, Instant::now(), ch, user),
            want,
            "{r:?}"
        );
    }
    // A second answer right away is held back; with a credential, the warning still goes.
    let mut c = Cooldowns::default();
    let w = Windows {
        server: None,
        entry: Duration::from_secs(600),
        user: Duration::from_secs(10),
    };
    plan_message(reading(&["a"]), &mut c, w, Instant::now(), ch, user);
    assert_eq!(
        plan_message(reading(&["a"]), &mut c, w, Instant::now(), ch, user),
        MessagePlan::Hold(Verdict::UserRateLimited)
    );
    let secret = Reading {
        has_secret: true,
        ..reading(&["a"])
    };
    assert_eq!(
        plan_message(secret, &mut c, w, Instant::now(), ch, user),
        MessagePlan::Warn { unanswered: None }
    );
}

#[test]
fn what_a_click_asks_for() {
    let (poster, other) = (UserId::new(1), UserId::new(2));
    let who = |id, staff, operator| Clicker {
        id,
        staff,
        operator,
    };
    let escalate = |unhelpful| ClickPlan::Escalate {
        entry: "a".into(),
        unhelpful,
    };
    let cases: Vec<(&str, Clicker, ClickPlan)> = vec![
        ("other-bot:x", who(poster, false, false), ClickPlan::Ignore),
        (
            "errmedic:solved:a",
            who(other, false, false),
            ClickPlan::Solved("a".into()),
        ),
        (
            "errmedic:unhelpful:a",
            who(poster, false, false),
            escalate(true),
        ),
        (
            "errmedic:unhelpful:a",
            who(other, false, false),
            ClickPlan::Unhelpful("a".into()),
        ),
        (
            "errmedic:escalate:a",
            who(poster, false, false),
            escalate(false),
        ),
        (
            "errmedic:escalate:a",
            who(other, true, false),
            escalate(false),
        ),
        (
            "errmedic:dismiss",
            who(poster, false, false),
            ClickPlan::Dismiss,
        ),
        (
            "errmedic:dismiss",
            who(other, true, false),
            ClickPlan::Dismiss,
        ),
        ("errmedic:close", who(other, true, false), ClickPlan::Close),
        ("errmedic:draft", who(other, true, true), ClickPlan::Draft),
    ];
    for (id, clicker, want) in cases {
        assert_eq!(
            plan_click(id, clicker, Some(poster)),
            want,
            "{id} {clicker:?}"
        );
    }
    // Who posted the error is not known here (another process answered it): escalating is
    // not refused.
    assert_eq!(
        plan_click("errmedic:escalate:a", who(other, false, false), None),
        escalate(false)
    );
    for (id, clicker) in [
        ("errmedic:dismiss", who(other, false, false)),
        ("errmedic:escalate:a", who(other, false, false)),
        ("errmedic:close", who(poster, false, false)),
        // A server's staff are not the operators: drafts are every server's.
        ("errmedic:draft", who(other, true, false)),
    ] {
        assert!(
            matches!(plan_click(id, clicker, Some(poster)), ClickPlan::Refuse(_)),
            "{id} {clicker:?}"
        );
    }
}

#[test]
fn cooldowns_stay_bounded_under_a_flood_of_distinct_users_and_channels() {
    let mut c = Cooldowns::default();
    let now = Instant::now();
    let windows = Windows {
        server: Some(GuildId::new(1)),
        entry: Duration::from_secs(600),
        user: Duration::from_secs(600),
    };
    for i in 1..=100_000u64 {
        let v = c.check(
            windows,
            now,
            ChannelId::new(i),
            UserId::new(i),
            &["token-expired".to_string()],
        );
        assert!(matches!(v, Verdict::Post(_)));
    }
    assert!(c.len() <= 2 * COOLDOWN_BOUND, "{}", c.len());
}

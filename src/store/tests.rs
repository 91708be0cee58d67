use super::server::*;
use super::*;
use crate::config::Secret;
use crate::settings::Value as V;

/// Runs a test on an SQLite record, and on a PostgreSQL one when a server is given
/// (`ERRMEDIC_TEST_POSTGRES`; otherwise it says it skipped that half).
fn on_each(test: &str, f: impl Fn(Store)) {
    f(Store::in_memory().unwrap());
    if let Some(url) = postgres::test_database(test) {
        f(Store::connect(&Database::Postgres(Secret::new(url))).unwrap());
    }
}

fn escalation(conversation: &str, thread: &str) -> Escalation {
    Escalation {
        conversation: conversation.into(),
        thread_id: thread.into(),
        reporter: "1".into(),
        summary: "s".into(),
        closed: false,
        guild: None,
        entry: None,
    }
}

#[test]
fn votes_escalations_and_gaps_appear_in_the_report() {
    on_each("votes_escalations_and_gaps_appear_in_the_report", |s| {
        s.vote("token-expired", true, 1, 10, None).unwrap();
        s.vote("token-expired", true, 2, 10, None).unwrap();
        s.vote("mfa-expired", false, 1, 11, None).unwrap();
        let e = escalation("c1", "t1");
        s.open_escalation(&e).unwrap();
        assert_eq!(s.open_escalation_of("c1").unwrap(), Some(e.clone()));
        assert!(
            s.open_escalation(&escalation("c1", "t2")).is_err(),
            "one open escalation per conversation"
        );
        assert!(s.close_escalation("t1", "fixed").unwrap());
        assert!(!s.close_escalation("t1", "again").unwrap());
        assert_eq!(s.open_escalation_of("c1").unwrap(), None);
        s.unanswered("AADSTS700016", "AADSTS700016: Application …", None, None)
            .unwrap();
        s.unanswered("AADSTS700016", "AADSTS700016: Application …", None, None)
            .unwrap();
        let r = s.report().unwrap();
        assert!(r.contains("token-expired") && r.contains("   2 / 0"), "{r}");
        assert!(r.contains("Escalations: 0 open, 1 closed"), "{r}");
        assert!(r.contains("   2× AADSTS700016"), "{r}");
    });
}

#[test]
fn a_second_vote_by_the_same_person_replaces_the_first() {
    on_each("a_second_vote_by_the_same_person_replaces_the_first", |s| {
        s.vote("token-expired", true, 1, 10, None).unwrap();
        s.vote("token-expired", false, 1, 10, None).unwrap();
        s.vote("token-expired", true, 2, 10, None).unwrap();
        let r = s.report_data().unwrap();
        assert_eq!(r.entries.len(), 1);
        assert_eq!((r.entries[0].solved, r.entries[0].unhelpful), (1, 1));
    });
}

#[test]
fn a_closed_conversation_can_be_escalated_again_and_both_are_kept() {
    on_each("a_closed_conversation_can_be_escalated_again", |s| {
        let first = escalation("reply:1", "t1");
        s.open_escalation(&first).unwrap();
        assert!(s.close_escalation("t1", "fixed").unwrap());
        let second = escalation("reply:1", "t2");
        s.open_escalation(&second).unwrap();
        assert_eq!(s.open_escalation_of("reply:1").unwrap(), Some(second));
        assert!(s.close_escalation("t2", "fixed again").unwrap());
        let all = s.escalations_of("reply:1").unwrap();
        assert_eq!(all.len(), 2);
        assert!(all.iter().all(|e| e.closed));
    });
}

#[test]
fn one_claim_per_conversation_and_the_others_see_its_thread() {
    on_each("one_claim_per_conversation", |s| {
        let Claim::Claimed(c) = s.claim_escalation("c", "1").unwrap() else {
            panic!("the first request claims it")
        };
        assert_eq!(s.claim_escalation("c", "2").unwrap(), Claim::Pending);
        assert!(s.escalation_opened(&c, &escalation("c", "t9")).unwrap());
        assert_eq!(
            s.claim_escalation("c", "2").unwrap(),
            Claim::Open("t9".into())
        );
        // A claim given up leaves nothing behind.
        let Claim::Claimed(d) = s.claim_escalation("d", "1").unwrap() else {
            panic!("claimed")
        };
        s.abandon_claim(&d).unwrap();
        assert_eq!(s.open_escalation_of("d").unwrap(), None);
        assert!(matches!(
            s.claim_escalation("d", "1").unwrap(),
            Claim::Claimed(_)
        ));
        let r = s.report_data().unwrap();
        assert_eq!(
            r.escalations_open, 1,
            "a claim still pending is not counted"
        );
    });
}

#[test]
fn claims_from_many_threads_at_once_open_one_escalation() {
    let dir = std::env::temp_dir().join(format!("errmedic-claims-{}", std::process::id()));
    let path = dir.join("record.sqlite3");
    let mut targets = vec![Database::Sqlite(path)];
    if let Some(url) = postgres::test_database("claims_from_many_threads_at_once") {
        targets.push(Database::Postgres(Secret::new(url)));
    }
    for target in targets {
        let stores: Vec<Store> = (0..4).map(|_| Store::connect(&target).unwrap()).collect();
        for round in 0..10 {
            let conversation = format!("same-{round}");
            let start = std::sync::Barrier::new(stores.len());
            let claimed = std::thread::scope(|scope| {
                let handles: Vec<_> = stores
                    .iter()
                    .map(|s| {
                        let (start, conversation) = (&start, &conversation);
                        scope.spawn(move || {
                            start.wait();
                            s.claim_escalation(conversation, "1").unwrap()
                        })
                    })
                    .collect();
                handles
                    .into_iter()
                    .map(|h| h.join().unwrap())
                    .filter(|c| matches!(c, Claim::Claimed(_)))
                    .count()
            });
            assert_eq!(claimed, 1, "{} round {round}", stores[0].kind());
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_claim_taken_over_as_stale_is_not_completed_by_its_first_owner() {
    on_each("a_claim_taken_over_as_stale", |s| {
        let Claim::Claimed(old) = s.claim_escalation("c", "1").unwrap() else {
            panic!("claimed")
        };
        // The first owner's process stalled: its claim is older than the limit.
        s.execute(
            &format!(
                "UPDATE escalations SET opened_at = opened_at - {} WHERE conversation = 'c'",
                STALE_CLAIM_SECS + 5
            ),
            &[],
        )
        .unwrap();
        let Claim::Claimed(new) = s.claim_escalation("c", "2").unwrap() else {
            panic!("a stale claim is taken over")
        };
        assert_ne!(old, new);
        // The first owner finishes late: neither its thread nor its give-up touches the
        // new claim.
        assert!(!s.escalation_opened(&old, &escalation("c", "late")).unwrap());
        s.abandon_claim(&old).unwrap();
        assert!(s.escalation_opened(&new, &escalation("c", "t2")).unwrap());
        assert_eq!(s.open_escalation_of("c").unwrap().unwrap().thread_id, "t2");
    });
}

#[test]
fn knowledge_base_reloads_are_numbered_in_order() {
    on_each("knowledge_base_reloads_are_numbered", |s| {
        assert_eq!(s.last_kb_reload().unwrap(), 0);
        let first = s.kb_reloaded(9).unwrap();
        let second = s.kb_reloaded(9).unwrap();
        assert!(second > first && first > 0);
        assert_eq!(s.last_kb_reload().unwrap(), second);
    });
}

#[test]
fn settings_are_kept_per_server_and_reset_to_the_default() {
    on_each("settings_are_kept_per_server", |s| {
        assert_eq!(s.server_settings(7).unwrap(), Overrides::default());
        s.change_setting(
            7,
            Setting::AutoReplyChannels,
            Some(&V::Channels(vec![1, 2])),
            9,
        )
        .unwrap();
        s.change_setting(7, Setting::Cooldown, Some(&V::Seconds(30)), 9)
            .unwrap();
        s.change_setting(7, Setting::AutoReplies, Some(&V::Switch(false)), 9)
            .unwrap();
        s.change_setting(7, Setting::SupportRole, Some(&V::Role(5)), 9)
            .unwrap();
        s.change_setting(8, Setting::AutoReplyChannels, Some(&V::Channels(vec![])), 9)
            .unwrap();
        let o = s.server_settings(7).unwrap();
        assert_eq!(o.auto_reply_channels, Some(vec![1, 2]));
        assert_eq!(o.cooldown_secs, Some(30));
        assert_eq!(o.auto_replies, Some(false));
        assert_eq!(o.support_role, Some(5));
        assert_eq!(o.staff_role, None);
        assert_eq!(o.changed.map(|(by, _)| by), Some(9), "who changed it last");
        assert_eq!(
            s.server_settings(8).unwrap().auto_reply_channels,
            Some(vec![]),
            "every channel, set, is not the default"
        );
        s.change_setting(7, Setting::Cooldown, None, 9).unwrap();
        assert_eq!(s.server_settings(7).unwrap().cooldown_secs, None);
        assert_eq!(s.server_settings(7).unwrap().support_role, Some(5));
    });
}

#[test]
fn connections_lost_when_the_server_restarts_are_replaced() {
    let Some(url) = postgres::test_database("connections_lost_are_replaced") else {
        return;
    };
    let s = Store::connect(&Database::Postgres(Secret::new(url))).unwrap();
    s.vote("x", true, 1, 1, None).unwrap();
    // What a restart does to the pool: every connection to the database is cut.
    let cut = s
        .query(
            "SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()",
            &[],
        )
        .unwrap();
    assert!(cut[0].int(0).is_ok());
    s.query("SELECT pg_terminate_backend(pg_backend_pid())", &[])
        .ok();
    for i in 0..3 {
        s.vote("x", true, 2 + i, 1, None).unwrap();
    }
    assert_eq!(s.report_data().unwrap().entries[0].solved, 4);
}

#[test]
fn a_record_of_the_first_schema_is_migrated_with_its_escalations() {
    let conn = rusqlite::Connection::open_in_memory().unwrap();
    conn.execute_batch(&format!(
        "BEGIN; {}; PRAGMA user_version = 1; COMMIT;",
        migrations::render(migrations::MIGRATIONS[0], migrations::Dialect::Sqlite)
    ))
    .unwrap();
    conn.execute(
        "INSERT INTO escalations (opened_at, conversation, thread_id, reporter, summary) VALUES (1, 'c', 't', 'r', 's')",
        [],
    )
    .unwrap();
    conn.execute_batch(
        "INSERT INTO votes (at, entry, helpful, user_id, message_id) VALUES (1, 'e', 1, 'u', 'm'), (2, 'e', 0, 'u', 'm')",
    )
    .unwrap();
    let s = Store::with(Db::Sqlite(sqlite::Db::with_connection(conn).unwrap()));
    assert_eq!(s.open_escalation_of("c").unwrap().unwrap().thread_id, "t");
    let r = s.report_data().unwrap();
    assert_eq!(
        (r.entries[0].solved, r.entries[0].unhelpful),
        (0, 1),
        "a doubled vote keeps the last"
    );
}

#[test]
fn migrations_run_once_and_the_folder_is_created() {
    let dir = std::env::temp_dir().join(format!("errmedic-store-{}", std::process::id()));
    let path = dir.join("nested/record.sqlite3");
    {
        let s = Store::open(&path).unwrap();
        s.vote("x", true, 1, 1, None).unwrap();
    }
    let s = Store::open(&path).unwrap();
    assert!(s.report().unwrap().contains("x"));
    std::fs::remove_dir_all(&dir).unwrap();
    if let Some(url) = postgres::test_database("migrations_run_once") {
        let target = Database::Postgres(Secret::new(url));
        Store::connect(&target)
            .unwrap()
            .vote("x", true, 1, 1, None)
            .unwrap();
        let s = Store::connect(&target).unwrap();
        assert!(s.report().unwrap().contains("x"));
    }
}

#[test]
fn the_report_keeps_the_last_excerpt_and_names_what_did_not_help() {
    on_each("the_report_keeps_the_last_excerpt", |s| {
        s.unanswered("backup failed quota", "zzz first excerpt", None, None)
            .unwrap();
        // The same message seen twice (two shards, an edit) counts once.
        for _ in 0..2 {
            s.unanswered("backup failed quota", "aaa last excerpt", Some(77), None)
                .unwrap();
        }
        s.vote("mfa-expired", false, 1, 1, None).unwrap();
        s.vote("mfa-expired", false, 2, 1, None).unwrap();
        s.vote("token-expired", true, 1, 2, None).unwrap();
        let r = s.report_data().unwrap();
        assert_eq!(r.unanswered[0].count, 2);
        assert_eq!(r.unanswered[0].last_excerpt, "aaa last excerpt");
        assert!(r.unanswered[0].first_at <= r.unanswered[0].last_at);
        let text = r.to_string();
        assert!(text.contains("Most often didn't help"), "{text}");
        assert!(
            text.contains("mfa-expired") && text.contains("since "),
            "{text}"
        );
        let json = serde_json::to_value(&r).unwrap();
        assert_eq!(json["unanswered"][0]["signature"], "backup failed quota");
        assert_eq!(json["entries"][0]["entry"], "token-expired");
    });
}

#[test]
fn each_server_sees_its_own_view_only() {
    on_each("each_server_sees_its_own_view_only", |s| {
        let (a, b) = (111u64, 222u64);
        let now = super::now();
        let today = now / 86_400;
        let tally = Tally::default();
        tally.count_on(a, today, Kind::ReplyCurated, "", 2);
        tally.count_on(a, today, Kind::Shown, "token-expired", 2);
        tally.count_on(a, today, Kind::Lookup, "", 1);
        tally.count_on(b, today, Kind::Silence, "", 1);
        // Before the window: not counted.
        tally.count_on(a, today - DAYS, Kind::ReplyCurated, "", 50);
        assert_eq!(tally.flush(&s).unwrap(), 5);
        assert_eq!(tally.pending(), 0);
        // A second flush adds to the same rows.
        tally.count_on(a, today, Kind::ReplyCurated, "", 1);
        tally.flush(&s).unwrap();
        s.vote("token-expired", false, 1, 10, Some(a)).unwrap();
        s.vote("token-expired", true, 2, 10, Some(a)).unwrap();
        s.vote("mfa-expired", false, 1, 11, Some(b)).unwrap();
        s.unanswered("AADSTS700016", "in a", Some(1), Some(a))
            .unwrap();
        s.unanswered("AADSTS700016", "in b", Some(2), Some(b))
            .unwrap();
        s.unanswered("AADSTS700016", "in b again", Some(3), Some(b))
            .unwrap();
        let mut e = escalation("c1", "t1");
        e.guild = Some(a);
        e.entry = Some("token-expired".into());
        s.open_escalation(&e).unwrap();
        let mut f = escalation("c2", "t2");
        f.guild = Some(b);
        s.open_escalation(&f).unwrap();
        s.close_escalation("t2", "fixed").unwrap();

        let va = s.server_view(a, now).unwrap();
        assert_eq!(va.activity.len(), DAYS as usize);
        assert_eq!(va.activity.last().unwrap().day, civil(today));
        assert_eq!(va.totals.replies_curated, 3);
        assert_eq!(va.totals.lookups, 1);
        assert_eq!(va.totals.silences, 0);
        assert_eq!(va.totals.escalations_opened, 1);
        assert_eq!(va.totals.escalations_closed, 0);
        assert_eq!(
            va.entries,
            vec![EntryHelp {
                entry: "token-expired".into(),
                shown: 2,
                solved: 1,
                unhelpful: 1,
                escalated: 1,
            }]
        );
        assert_eq!(va.unanswered.len(), 1);
        assert_eq!(va.unanswered[0].count, 1);
        assert_eq!(va.unanswered[0].last_excerpt, "in a");
        assert_eq!(va.open_escalations.len(), 1);
        assert_eq!(va.open_count, 1);
        assert_eq!(va.open_escalations[0].thread_id, "t1");
        assert!(va.closed_escalations.is_empty());

        let vb = s.server_view(b, now).unwrap();
        assert_eq!(vb.totals.silences, 1);
        assert_eq!(vb.totals.replies_curated, 0);
        assert_eq!(vb.unanswered[0].count, 2);
        assert_eq!(vb.unanswered[0].last_excerpt, "in b again");
        assert_eq!(vb.entries[0].entry, "mfa-expired");
        assert_eq!(vb.entries[0].unhelpful, 1);
        assert!(vb.open_escalations.is_empty());
        assert_eq!(vb.closed_escalations.len(), 1);
        assert_eq!(vb.totals.escalations_closed, 1);
        // A server that was never seen: every day, all zero.
        let vc = s.server_view(333, now).unwrap();
        assert_eq!(vc.activity.len(), DAYS as usize);
        assert_eq!(
            vc.totals,
            ActivityDay {
                day: "total".into(),
                ..ActivityDay::default()
            }
        );
        assert!(vc.entries.is_empty() && vc.unanswered.is_empty());
    });
}

#[test]
fn the_dashboard_key_is_made_once() {
    on_each("the_dashboard_key_is_made_once", |s| {
        let first = s.dashboard_key("aaaa").unwrap();
        assert_eq!(first, "aaaa");
        assert_eq!(s.dashboard_key("bbbb").unwrap(), "aaaa");
    });
}

#[test]
fn counts_that_cannot_be_added_wait_for_the_next_flush() {
    let s = Store::in_memory().unwrap();
    let tally = Tally::default();
    tally.count(1, Kind::Lookup, "");
    tally.count(1, Kind::Lookup, "");
    // The table gone: the flush fails and keeps its counts.
    s.execute("ALTER TABLE activity RENAME TO activity_away", &[])
        .unwrap();
    assert!(tally.flush(&s).is_err());
    assert_eq!(tally.pending(), 1);
    s.execute("ALTER TABLE activity_away RENAME TO activity", &[])
        .unwrap();
    assert_eq!(tally.flush(&s).unwrap(), 1);
    assert_eq!(s.server_view(1, super::now()).unwrap().totals.lookups, 2);
}

#[test]
fn a_snapshot_sees_one_state_of_a_shared_record() {
    let Some(url) = postgres::test_database("a_snapshot_sees_one_state_of_a_shared_record") else {
        return;
    };
    let open = || Store::connect(&Database::Postgres(Secret::new(url.clone()))).unwrap();
    let (reader, writer) = (open(), open());
    let count = |q: &mut Reader<'_>| -> anyhow::Result<i64> {
        q("SELECT COUNT(*) FROM votes", &[])?[0].int(0)
    };
    let (before, after) = reader
        .snapshot(|q| {
            let before = count(q)?;
            // Another process votes while the view is being read.
            writer.vote("token-expired", true, 1, 10, Some(5))?;
            Ok((before, count(q)?))
        })
        .unwrap();
    assert_eq!((before, after), (0, 0), "the second read saw a later state");
    assert_eq!(reader.snapshot(|q| count(q)).unwrap(), 1);
}

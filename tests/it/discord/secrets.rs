//! Nothing a person typed reaches the record, the report, a thread, a draft or any message the
//! bot sends unredacted: every credential form of `tests/secrets/forms.jsonl`, through every
//! path that reads user text (messages, `/escalate` notes, `/resolve` outcomes), on SQLite and
//! on PostgreSQL.

use super::*;
use crate::secrets::{forms, leaks, render};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_credential_form_reaches_the_record_a_thread_or_a_draft() {
    let postgres = tokio::task::spawn_blocking(|| {
        errmedic::store::postgres::test_database("no_credential_form_reaches_the_record")
    })
    .await
    .unwrap();
    for url in [None, postgres] {
        let mut extra = vec![("ERRMEDIC_ESCALATION_CHANNEL", "600")];
        if let Some(url) = &url {
            extra.push(("ERRMEDIC_DATABASE", url.as_str()));
        }
        let bot = start(&extra).await;
        let mut values = Vec::new();
        let mut typed = |seed: u64| {
            let form = &forms()[seed as usize % forms().len()];
            let (text, v) = render(form, 7_000 + seed);
            values.extend(v);
            text
        };
        // Every form, each in an error nothing answers.
        let n = forms().len() as u64;
        for i in 0..n {
            let text = format!(
                "sync job {i} failed: quota exceeded (0x8004{i:04})\n{}",
                typed(i)
            );
            bot.handle(
                "MESSAGE_CREATE",
                fake::message(bot.fake.new_id(), CHANNEL + 1 + i, &person(7), &text),
            )
            .await;
        }
        // The last of them escalated with a note, resolved with an outcome: both typed.
        let channel = CHANNEL + n;
        let note = format!("tried again with {} and {}", typed(n), typed(n + 1));
        bot.handle(
            "INTERACTION_CREATE",
            fake::slash_command(
                bot.fake.new_id(),
                channel,
                &fake::member(&person(7), &[], 0),
                "escalate",
                vec![fake::option("summary", 3, json!(note))],
            ),
        )
        .await;
        let thread: u64 = thread_posts(&bot)
            .first()
            .expect("an escalation thread")
            .response["id"]
            .as_str()
            .unwrap()
            .parse()
            .unwrap();
        let staff = fake::member(&person(1), &[888], 0);
        let outcome = format!("reset it: {}", typed(n + 2));
        for (command, options) in [
            ("resolve", vec![fake::option("outcome", 3, json!(outcome))]),
            (
                "kb",
                vec![json!({"name": "draft", "type": 1, "options": []})],
            ),
        ] {
            bot.handle(
                "INTERACTION_CREATE",
                fake::slash_command(bot.fake.new_id(), thread, &staff, command, options),
            )
            .await;
        }
        let database = match &url {
            Some(u) => {
                errmedic::config::Database::Postgres(errmedic::config::Secret::new(u.clone()))
            }
            None => errmedic::config::Database::Sqlite(bot.dir.join("record.sqlite3")),
        };
        let (stored, report) = tokio::task::spawn_blocking(move || {
            let store = errmedic::store::Store::connect(&database).unwrap();
            (store.dump().unwrap(), store.report().unwrap())
        })
        .await
        .unwrap();
        assert!(
            stored.contains("quota exceeded") && stored.contains("tried again"),
            "the record holds the errors and the note: {stored}"
        );
        let drafts: String = std::fs::read_dir(bot.dir.join("kb/drafts"))
            .map(|d| {
                d.flatten()
                    .map(|f| std::fs::read_to_string(f.path()).unwrap_or_default())
                    .collect()
            })
            .unwrap_or_default();
        assert!(!drafts.is_empty(), "a draft was written");
        let sent: String = bot
            .fake
            .requests()
            .iter()
            .map(|r| r.body.to_string())
            .collect::<Vec<_>>()
            .join("\n");
        assert!(sent.contains("tried again"), "the note is in the thread");
        for v in &values {
            for (what, text) in [
                ("the record", &stored),
                ("the report", &report),
                ("a draft", &drafts),
                ("a message the bot sent", &sent),
            ] {
                assert!(!leaks(text, v), "{v:?} is in {what}");
            }
        }
        bot.stop().await;
    }
}

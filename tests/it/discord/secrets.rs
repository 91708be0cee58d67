//! Nothing secret is kept or shown: every credential form of `tests/secrets/forms.jsonl`,
//! through every path that reads user text, stays out of the record (SQLite and PostgreSQL),
//! the report, threads, drafts and the logs.

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
    bot.handle(
        "MESSAGE_CREATE",
        fake::message(
            bot.fake.new_id(),
            CHANNEL + 1,
            &person(2),
            "Nightly export failed with error 0x80070005, client_secret=Abc8Q~aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        ),
    )
    .await;
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
    let report = report(&bot);
    assert!(
        report.contains("nightly export failed")
            && report.contains("[client secret]")
            && !report.contains("Abc8Q~"),
        "{report}"
    );
    bot.stop().await;
}

/// The bot as its own process (the `errmedic` binary), logging at debug to a file of its own,
/// with `RUST_LOG` read from a `.env` file in its working directory.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_token_never_reaches_the_logs() {
    logs_hold_no_secret("text").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_json_logs_hold_no_secret_either() {
    logs_hold_no_secret("json").await;
}

/// Runs the binary with logs in `format`, pastes every credential form, and reads its logs.
async fn logs_hold_no_secret(format: &str) {
    let token = "MTIzNDU2Nzg5.test-token-that-must-not-be-logged";
    let fake = FakeDiscord::start().await;
    let dir = std::env::temp_dir().join(format!("errmedic-logs-{format}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join(".env"),
        "RUST_LOG=errmedic=debug,serenity=debug,poise=debug,axum=debug,hyper=debug,tower=debug\n",
    )
    .unwrap();
    let log = dir.join("stderr.log");
    let http_addr = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().to_string()
    };
    let dashboard_key = "a-dashboard-key-that-must-not-be-logged-either";
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_errmedic"))
        .current_dir(&dir)
        .env_remove("RUST_LOG")
        .env("DISCORD_TOKEN", token)
        .env("ERRMEDIC_HTTP_ADDR", &http_addr)
        .env("ERRMEDIC_PUBLIC_URL", format!("http://{http_addr}"))
        .env("ERRMEDIC_DASHBOARD_KEY", dashboard_key)
        .env("ERRMEDIC_LOG_FORMAT", format)
        .env("DISCORD_API_BASE", &fake.base)
        .env("ERRMEDIC_KB_DIR", root().join("kb"))
        .env("ERRMEDIC_DATABASE", dir.join("record.sqlite3"))
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::fs::File::create(&log).unwrap())
        .spawn()
        .unwrap();
    fake.wait_identified(WAIT).await;
    fake.wait_for("command registration", WAIT, |r| {
        r.method == "PUT" && r.path.ends_with("/commands")
    })
    .await;
    fake.fail_next(
        "POST",
        &format!("/api/v10/channels/{CHANNEL}/messages"),
        &[500, 500, 500],
    );
    fake.dispatch(
        "MESSAGE_CREATE",
        fake::message(fake.new_id(), CHANNEL, &person(1), MFA_PASTE),
    );
    fake.wait_for("the last attempt", WAIT, |r| {
        posts_to(CHANNEL)(r) && fake.count_since(0, posts_to(CHANNEL)) == 3
    })
    .await;
    // Errors nothing answers, carrying every credential form: logged (debug) without them.
    let read_to_string = |p: &Path| std::fs::read_to_string(p).unwrap_or_default();
    let (mut secrets, mut ids) = (Vec::new(), Vec::new());
    for (i, form) in crate::secrets::forms().iter().enumerate() {
        let (text, values) = crate::secrets::render(form, 31_000 + i as u64);
        secrets.extend(values);
        let id = fake.new_id();
        ids.push(id);
        fake.dispatch(
            "MESSAGE_CREATE",
            fake::message(
                id,
                CHANNEL + 1,
                &person(2 + i as u64),
                &format!("sync job failed: quota exceeded (0x8004{i:04})\n{text}"),
            ),
        );
    }
    // Every one of them read (and so logged) before the process is stopped.
    let deadline = std::time::Instant::now() + WAIT;
    while !ids
        .iter()
        .all(|id| read_to_string(&log).contains(&id.to_string()))
    {
        assert!(
            std::time::Instant::now() < deadline,
            "not every message was read"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // A dashboard link given to staff, followed, and a forged one: neither is logged.
    let ask = fake.new_id();
    fake.dispatch(
        "INTERACTION_CREATE",
        fake::slash_command(
            ask,
            CHANNEL,
            &fake::member(&person(9), &[], MANAGE_GUILD),
            "errmedic",
            vec![json!({"name": "dashboard", "type": 1, "options": []})],
        ),
    );
    let reply = fake
        .wait_for("the dashboard link", WAIT, |r| {
            r.path.contains(&format!("token-{ask}")) && r.body.to_string().contains("/d/")
        })
        .await
        .body
        .to_string();
    let at = reply.find("/d/").unwrap() + 3;
    let link_token: String = reply[at..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '.')
        .collect();
    let signature = link_token.rsplit('.').next().unwrap().to_string();
    assert_eq!(signature.len(), 64, "{reply}");
    let page = reqwest::get(format!("http://{http_addr}/d/{link_token}"))
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    let forged = format!("1.4000000000.{}", "0".repeat(64));
    let refused = reqwest::get(format!("http://{http_addr}/d/{forged}"))
        .await
        .unwrap();
    assert_eq!(refused.status(), 403);
    // The process logs the refusal after Discord's third answer; stop it once it has.
    let deadline = std::time::Instant::now() + WAIT;
    let mut logs = String::new();
    while std::time::Instant::now() < deadline {
        logs = std::fs::read_to_string(&log).unwrap_or_default();
        if logs.contains("event handler failed") && logs.contains("gave a dashboard link") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let _ = child.kill();
    let _ = child.wait();
    let logs = std::fs::read_to_string(&log).unwrap_or(logs);
    std::fs::remove_dir_all(&dir).unwrap();
    assert!(
        logs.contains("configuration read") && logs.contains("Discord refused a message"),
        "debug logs from RUST_LOG in .env, and the failure: {logs}"
    );
    assert!(
        !logs.contains(token) && !logs.contains("test-token-that-must"),
        "the token is in the logs"
    );
    assert!(
        logs.contains("gave a dashboard link") && logs.contains("a dashboard link was refused"),
        "{logs}"
    );
    for secret in [signature.as_str(), &link_token, &forged, dashboard_key] {
        assert!(!logs.contains(secret), "{secret} is in the logs");
    }
    // serenity's own debug lines carry what Discord sent; errmedic's never carry what a person
    // typed.
    let ours: String = logs
        .lines()
        .filter(|l| l.contains(" errmedic") || l.contains("\"target\":\"errmedic"))
        .collect::<Vec<_>>()
        .join("\n");
    if format == "json" {
        // One object a line, for log shippers.
        assert!(ours.lines().count() > 10, "{logs}");
        for line in logs.lines() {
            assert!(
                serde_json::from_str::<Value>(line).is_ok_and(|v| v.is_object()),
                "not a JSON object: {line}"
            );
        }
    }
    for v in &secrets {
        assert!(
            !crate::secrets::leaks(&ours, v),
            "{v:?} is in errmedic's logs"
        );
    }
}

/// Every value of every table of the record, as text.
fn every_stored_value(db: &Path) -> String {
    let conn = rusqlite::Connection::open(db).unwrap();
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let mut out = String::new();
    for table in tables {
        let mut stmt = conn.prepare(&format!("SELECT * FROM {table}")).unwrap();
        let columns = stmt.column_count();
        let mut rows = stmt.query([]).unwrap();
        while let Some(row) = rows.next().unwrap() {
            for i in 0..columns {
                let v: rusqlite::types::Value = row.get(i).unwrap();
                out.push_str(&format!("{table}: {v:?}\n"));
            }
        }
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn secrets_in_messages_never_reach_the_record() {
    let bot = start(&[("ERRMEDIC_ESCALATION_CHANNEL", "600")]).await;
    let secrets = [
        JWT,
        "Winter2024Blue",
        "S3cr3tValue99",
        "Abc8Q~aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        "Hunter22x",
        "ABCDEFGHIJKLMNOP1234",
        "admin@contoso.com",
        "3f2504e0-4f89-11d3-9a0c-0305e82c3301",
        "Spring2025Green",
    ];
    // An answered paste carrying a token, escalated.
    let (_, reply) = answered_with(
        &bot,
        42,
        &format!("{MFA_PASTE}\nAuthorization: Bearer {JWT}\nsigned in as admin@contoso.com"),
    )
    .await;
    let reporter = fake::member(&person(42), &[], 0);
    click(
        &bot,
        &reporter,
        "errmedic:unhelpful:mfa-required-location",
        &reply,
    )
    .await;
    // Errors nothing answers, each with a kind of secret redaction knows.
    let unanswered = [
        "password=Winter2024Blue login failed for the sync account, error 0x80048823".to_string(),
        "client_secret=S3cr3tValue99 token request failed".to_string(),
        "Connect failed with secret Abc8Q~aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa error".to_string(),
        "Connect-ExchangeOnline -Password Hunter22x failed".to_string(),
        "api_key=ABCDEFGHIJKLMNOP1234 request failed with error 401".to_string(),
        "tenant 3f2504e0-4f89-11d3-9a0c-0305e82c3301 sync failed: quota exceeded".to_string(),
    ];
    for (i, text) in unanswered.iter().enumerate() {
        bot.handle(
            "MESSAGE_CREATE",
            fake::message(bot.fake.new_id(), CHANNEL + 1 + i as u64, &person(7), text),
        )
        .await;
    }
    // Staff resolve the escalation with an outcome that holds a password.
    let thread: u64 = thread_posts(&bot)[0].response["id"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    bot.handle(
        "INTERACTION_CREATE",
        fake::slash_command(
            bot.fake.new_id(),
            thread,
            &fake::member(&person(1), &[888], 0),
            "resolve",
            vec![fake::option(
                "outcome",
                3,
                json!("reset password=Spring2025Green for the sync account"),
            )],
        ),
    )
    .await;
    let stored = every_stored_value(&bot.dir.join("record.sqlite3"));
    let report = report(&bot);
    assert!(
        stored.contains("unanswered") && stored.contains("escalations"),
        "{stored}"
    );
    assert!(report.contains("login failed"), "{report}");
    let thread_summary = first_post(&bot, thread, "the summary").body.to_string();
    for secret in secrets {
        for (what, text) in [
            ("the record", &stored),
            ("the report", &report),
            ("the thread", &thread_summary),
        ] {
            assert!(
                !text.to_lowercase().contains(&secret.to_lowercase()),
                "{secret} is in {what}:\n{text}"
            );
        }
    }
    bot.stop().await;
}

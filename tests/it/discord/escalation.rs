//! Escalation threads: one per conversation, the summary and the ping, closing and opening
//! again, and drafts written from them.

use super::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn didnt_help_opens_exactly_one_thread_with_summary_and_ping() {
    let bot = start(&[]).await;
    let (paste, reply_message) = answered(&bot, 42).await;
    let member = fake::member(&person(42), &[], 0);
    let click = bot.fake.new_id();
    bot.fake.dispatch(
        "INTERACTION_CREATE",
        fake::button_click(
            click,
            CHANNEL,
            &member,
            "errmedic:unhelpful:mfa-required-location",
            &reply_message,
        ),
    );
    let thread = bot
        .fake
        .wait_for("a thread", WAIT, |r| {
            r.method == "POST" && r.path.ends_with("/threads")
        })
        .await;
    assert!(
        thread.path.contains(&paste.to_string()),
        "a thread on the paste itself: {thread}"
    );
    bot.fake
        .wait_for("the reporter added", WAIT, |r| {
            r.method == "PUT" && r.path.ends_with("/thread-members/42")
        })
        .await;
    let summary = bot
        .fake
        .wait_for("the summary", WAIT, |r| {
            r.method == "POST"
                && r.body["content"]
                    .as_str()
                    .is_some_and(|c| c.contains("**Escalation**"))
        })
        .await;
    let content = summary.body["content"].as_str().unwrap();
    assert!(
        content.starts_with("<@&777>")
            && content.contains("mfa-required-location")
            && content.contains("didn't help"),
        "{content}"
    );
    assert_eq!(
        summary.body["allowed_mentions"]["roles"],
        json!([SUPPORT_ROLE.to_string()]),
        "{summary}"
    );
    bot.fake
        .wait_for("the link to the thread", WAIT, |r| {
            r.path.contains(&format!("token-{click}"))
                && r.body.to_string().contains("Opened an escalation thread")
        })
        .await;
    // A second click links to the same thread.
    let again = bot.fake.new_id();
    bot.fake.dispatch(
        "INTERACTION_CREATE",
        fake::button_click(
            again,
            CHANNEL,
            &member,
            "errmedic:escalate:mfa-required-location",
            &reply_message,
        ),
    );
    bot.fake
        .wait_for("the existing thread", WAIT, |r| {
            r.path.contains(&format!("token-{again}"))
                && r.body.to_string().contains("already open")
        })
        .await;
    let threads = bot
        .fake
        .requests()
        .iter()
        .filter(|r| r.method == "POST" && r.path.ends_with("/threads"))
        .count();
    assert_eq!(threads, 1);
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn escalate_then_staff_resolve() {
    let bot = start(&[("ERRMEDIC_ESCALATION_CHANNEL", "600")]).await;
    answered(&bot, 42).await;
    let id = bot.fake.new_id();
    let reporter = fake::member(&person(42), &[], 0);
    bot.fake.dispatch(
        "INTERACTION_CREATE",
        fake::slash_command(
            id,
            CHANNEL,
            &reporter,
            "escalate",
            vec![fake::option("summary", 3, json!("still failing @everyone"))],
        ),
    );
    let thread = bot
        .fake
        .wait_for("a private thread in the escalation channel", WAIT, |r| {
            r.method == "POST" && r.path == "/api/v10/channels/600/threads"
        })
        .await;
    assert_eq!(thread.body["type"], 12, "private: {thread}");
    let thread_id: u64 = thread.response["id"].as_str().unwrap().parse().unwrap();
    let summary = bot
        .fake
        .wait_for("the summary", WAIT, posts_to(thread_id))
        .await;
    let content = summary.body["content"].as_str().unwrap();
    assert!(
        content.contains("still failing") && !content.contains("@everyone"),
        "{content}"
    );
    assert!(
        content.contains("AADSTS50076"),
        "the original error: {content}"
    );
    // Not staff: refused. Staff: closed and archived.
    let id = bot.fake.new_id();
    bot.fake.dispatch(
        "INTERACTION_CREATE",
        fake::slash_command(id, thread_id, &reporter, "resolve", vec![]),
    );
    let r = bot
        .fake
        .wait_for("the refusal", WAIT, callback_for(id))
        .await;
    assert!(
        r.body["data"]["content"]
            .as_str()
            .unwrap()
            .contains("Only staff"),
        "{r}"
    );
    let id = bot.fake.new_id();
    bot.handle(
        "INTERACTION_CREATE",
        fake::slash_command(
            id,
            thread_id,
            &fake::member(&person(1), &[888], 0),
            "resolve",
            vec![fake::option("outcome", 3, json!("re-registered MFA"))],
        ),
    )
    .await;
    let told = told(&bot, id);
    assert!(told.contains("Closed and recorded"), "{told}");
    bot.fake
        .wait_for("the thread archived", WAIT, |r| {
            r.method == "PATCH"
                && r.path == format!("/api/v10/channels/{thread_id}")
                && r.body["archived"] == json!(true)
        })
        .await;
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_closed_conversation_can_be_escalated_again() {
    let bot = start(&[("ERRMEDIC_ESCALATION_CHANNEL", "600")]).await;
    let (_, reply) = answered(&bot, 42).await;
    let reporter = fake::member(&person(42), &[], 0);
    let staff = fake::member(&person(1), &[888], 0);
    click(
        &bot,
        &reporter,
        "errmedic:escalate:mfa-required-location",
        &reply,
    )
    .await;
    let first: u64 = thread_posts(&bot)[0].response["id"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let close = bot.fake.new_id();
    let in_thread = fake::message(bot.fake.new_id(), first, &fake::bot_user(), "summary");
    bot.handle(
        "INTERACTION_CREATE",
        fake::button_click(close, first, &staff, "errmedic:close", &in_thread),
    )
    .await;
    assert!(told(&bot, close).contains("Closed and recorded"));
    // Escalated again: a new thread, which staff can resolve.
    let again = click(
        &bot,
        &reporter,
        "errmedic:escalate:mfa-required-location",
        &reply,
    )
    .await;
    assert!(
        told(&bot, again).contains("Opened an escalation thread"),
        "{}",
        told(&bot, again)
    );
    let threads = thread_posts(&bot);
    assert_eq!(threads.len(), 2);
    let second: u64 = threads[1].response["id"].as_str().unwrap().parse().unwrap();
    let resolve = bot.fake.new_id();
    bot.handle(
        "INTERACTION_CREATE",
        fake::slash_command(resolve, second, &staff, "resolve", vec![]),
    )
    .await;
    assert!(
        told(&bot, resolve).contains("Closed and recorded"),
        "{}",
        told(&bot, resolve)
    );
    let store = errmedic::store::Store::open(&bot.dir.join("record.sqlite3")).unwrap();
    let key = format!("reply:{}", reply["id"].as_str().unwrap());
    let history = store.escalations_of(&key).unwrap();
    assert_eq!(history.len(), 2, "both escalations are kept");
    assert!(history.iter().all(|e| e.closed));
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_escalation_clicks_at_once_open_one_thread() {
    let bot = start(&[("ERRMEDIC_ESCALATION_CHANNEL", "600")]).await;
    let (_, reply) = answered(&bot, 42).await;
    // Discord is slow to create threads: both clicks are in flight together.
    bot.fake.delay(
        "POST",
        "/api/v10/channels/600/threads",
        Duration::from_millis(300),
    );
    let ids = [bot.fake.new_id(), bot.fake.new_id()];
    for id in ids.iter() {
        bot.fake.dispatch(
            "INTERACTION_CREATE",
            fake::button_click(
                *id,
                CHANNEL,
                // The reporter clicks twice (or from two devices).
                &fake::member(&person(42), &[], 0),
                "errmedic:escalate:mfa-required-location",
                &reply,
            ),
        );
    }
    for id in ids {
        assert!(bot.handled.wait(id, WAIT).await);
    }
    assert_eq!(
        thread_posts(&bot).len(),
        1,
        "one thread for one conversation"
    );
    let answers: Vec<String> = ids.iter().map(|&id| told(&bot, id)).collect();
    assert_eq!(
        answers
            .iter()
            .filter(|a| a.contains("Opened an escalation thread"))
            .count(),
        1,
        "{answers:?}"
    );
    assert_eq!(
        answers
            .iter()
            .filter(|a| a.contains("already open"))
            .count(),
        1,
        "{answers:?}"
    );
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unanswered_error_becomes_an_entry_through_escalation_and_a_draft() {
    let bot = start(&[("ERRMEDIC_ESCALATION_CHANNEL", "600")]).await;
    let paste =
        "Nightly sync stopped:\nAADSTS70000121: The passed grant is from a personal Microsoft account and is required to be sent to the /consumers or /common endpoint.";
    let reporter = fake::member(&person(42), &[], 0);
    let staff = fake::member(&person(1), &[888], 0);
    // Nothing answers it.
    let since = bot.fake.requests().len();
    bot.handle(
        "MESSAGE_CREATE",
        fake::message(bot.fake.new_id(), CHANNEL, &person(42), paste),
    )
    .await;
    assert_eq!(bot.fake.count_since(since, posts_to(CHANNEL)), 0);
    // The poster escalates; the thread carries the error.
    bot.handle(
        "INTERACTION_CREATE",
        fake::slash_command(bot.fake.new_id(), CHANNEL, &reporter, "escalate", vec![]),
    )
    .await;
    let thread: u64 = thread_posts(&bot)[0].response["id"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    // Staff resolve it with what fixed it, then ask for a draft.
    let resolved_at = std::time::Instant::now();
    let resolve = bot.fake.new_id();
    bot.handle(
        "INTERACTION_CREATE",
        fake::slash_command(
            resolve,
            thread,
            &staff,
            "resolve",
            vec![fake::option(
                "outcome",
                3,
                json!("The mailbox signed in with a personal Microsoft account. Sign it in again through the consumers endpoint."),
            )],
        ),
    )
    .await;
    assert!(
        told(&bot, resolve).contains("errmedic:draft"),
        "the Draft entry button is offered"
    );
    // Staff mark a message of the thread for the draft.
    let advice = fake::message(
        bot.fake.new_id(),
        thread,
        &person(1),
        "Then run the nightly sync once more.",
    );
    let mark = bot.fake.new_id();
    bot.handle(
        "INTERACTION_CREATE",
        fake::message_command(mark, thread, &staff, "Use in draft", &advice),
    )
    .await;
    assert!(
        told(&bot, mark).contains("Kept for the draft"),
        "{}",
        told(&bot, mark)
    );
    let in_thread = fake::message(bot.fake.new_id(), thread, &fake::bot_user(), "closed");
    let click = bot.fake.new_id();
    bot.handle(
        "INTERACTION_CREATE",
        fake::button_click(click, thread, &staff, "errmedic:draft", &in_thread),
    )
    .await;
    let posted = bot
        .fake
        .requests()
        .into_iter()
        .find(|r| posts_to(thread)(r) && r.body["_files"].is_array())
        .expect("the draft posted in the thread");
    let took = posted.at - resolved_at;
    let file = posted.body["_files"][0]["filename"]
        .as_str()
        .unwrap()
        .to_string();
    let id = file.trim_end_matches(".json").to_string();
    assert!(
        posted.body["content"]
            .as_str()
            .unwrap()
            .contains(&format!("errmedic kb promote {id}")),
        "{posted}"
    );
    let kb = bot.dir.join("kb");
    let draft = std::fs::read_to_string(kb.join("drafts").join(&file)).unwrap();
    assert!(
        draft.contains("signed in with a personal Microsoft account")
            && draft.contains("Then run the nightly sync once more.")
            && draft.contains("AADSTS70000121"),
        "{draft}"
    );
    // kb check accepts it; promoted and reloaded, it answers the same paste unprompted.
    let run = |args: &[&str]| crate::run_errmedic(&bot.dir, &[], args);
    let (code, out, _) = run(&["kb", "check", kb.to_str().unwrap()]);
    assert_eq!(code, 0, "{out}");
    let promote = run(&[
        "kb",
        "promote",
        &id,
        "--by",
        "staff",
        "--kb",
        kb.to_str().unwrap(),
    ]);
    assert_eq!(promote.0, 0, "{}", promote.2);
    let reload = bot.fake.new_id();
    bot.handle("INTERACTION_CREATE", kb_reload(reload, &staff))
        .await;
    assert!(
        told(&bot, reload).contains("Reloaded: 23 entries"),
        "{}",
        told(&bot, reload)
    );
    bot.handle(
        "MESSAGE_CREATE",
        fake::message(bot.fake.new_id(), CHANNEL + 1, &person(43), paste),
    )
    .await;
    let answer = first_post(&bot, CHANNEL + 1, "the new entry answers the paste");
    assert!(
        answer.body["embeds"][0]["footer"]["text"]
            .as_str()
            .unwrap()
            .starts_with(&id),
        "{answer}"
    );
    println!("from /resolve to the draft posted: {} ms", took.as_millis());
    bot.stop().await;
}

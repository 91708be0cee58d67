//! Shutdown drains the work in flight: a reply and a command started before it finish.

use super::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_lets_a_reply_in_flight_finish() {
    let mut bot = start(&[]).await;
    // Discord is slow to accept the reply: two attempts fail, the third comes ~0.75 s later,
    // after the gateway has closed.
    bot.fake.fail_next(
        "POST",
        &format!("/api/v10/channels/{CHANNEL}/messages"),
        &[502, 502],
    );
    bot.fake.dispatch(
        "MESSAGE_CREATE",
        fake::message(bot.fake.new_id(), CHANNEL, &person(1), MFA_PASTE),
    );
    bot.fake
        .wait_for("the first attempt", WAIT, posts_to(CHANNEL))
        .await;
    let _ = bot.stop.take().unwrap().send(());
    let finished = tokio::time::timeout(WAIT, &mut bot.task)
        .await
        .expect("the bot stopped")
        .unwrap();
    assert!(finished.is_ok(), "{finished:?}");
    // By the time `run` returned (when the process would exit), the reply had gone out.
    let ok = |r: &Request| posts_to(CHANNEL)(r) && r.response.get("id").is_some();
    assert_eq!(
        bot.fake.count_since(0, ok),
        1,
        "the reply in flight was cut off by shutdown"
    );
    let _ = std::fs::remove_dir_all(&bot.dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_lets_a_command_in_flight_finish() {
    let mut bot = start(&[("ERRMEDIC_ESCALATION_CHANNEL", "600")]).await;
    bot.fake.delay(
        "POST",
        "/api/v10/channels/600/threads",
        Duration::from_millis(800),
    );
    let id = bot.fake.new_id();
    bot.fake.dispatch(
        "INTERACTION_CREATE",
        fake::slash_command(
            id,
            CHANNEL,
            &fake::member(&person(42), &[], 0),
            "escalate",
            vec![],
        ),
    );
    bot.fake
        .wait_for("the deferral", WAIT, callback_for(id))
        .await;
    let _ = bot.stop.take().unwrap().send(());
    let finished = tokio::time::timeout(WAIT, &mut bot.task)
        .await
        .expect("the bot stopped")
        .unwrap();
    assert!(finished.is_ok(), "{finished:?}");
    // By the time `run` returned, the command had answered.
    assert!(
        told(&bot, id).contains("Opened an escalation thread"),
        "the command in flight was cut off by shutdown: {}",
        told(&bot, id)
    );
    bot.assert_every_send_sets_allowed_mentions();
    let _ = std::fs::remove_dir_all(&bot.dir);
}

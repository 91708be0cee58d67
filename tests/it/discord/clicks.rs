//! Button clicks: Solved votes, Dismiss, and an answer to every click even when the work fails.

use super::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_the_poster_or_staff_can_dismiss() {
    let bot = start(&[]).await;
    let (_, reply) = answered(&bot, 42).await;
    let reply_id = reply["id"].as_str().unwrap().to_string();
    let click = bot.fake.new_id();
    bot.fake.dispatch(
        "INTERACTION_CREATE",
        fake::button_click(
            click,
            CHANNEL,
            &fake::member(&person(43), &[], 0),
            "errmedic:dismiss",
            &reply,
        ),
    );
    let r = bot
        .fake
        .wait_for("the refusal", WAIT, callback_for(click))
        .await;
    assert!(
        r.body["data"]["content"]
            .as_str()
            .unwrap()
            .contains("Only the person"),
        "{r}"
    );
    let click = bot.fake.new_id();
    bot.fake.dispatch(
        "INTERACTION_CREATE",
        fake::button_click(
            click,
            CHANNEL,
            &fake::member(&person(42), &[], 0),
            "errmedic:dismiss",
            &reply,
        ),
    );
    bot.fake
        .wait_for("the reply dismissed", WAIT, |r| {
            r.method == "DELETE" && r.path.ends_with(&format!("/messages/{reply_id}"))
        })
        .await;
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn solved_votes_reach_the_report() {
    let bot = start(&[]).await;
    let (_, reply) = answered(&bot, 42).await;
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
        .wait_for("the thanks", WAIT, callback_for(click))
        .await;
    bot.handled.wait(click, WAIT).await;
    let report = report(&bot);
    assert!(
        report.contains("mfa-required-location") && report.contains("   1 / 0"),
        "{report}"
    );
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_click_that_fails_after_deferring_is_answered() {
    let bot = start(&[("ERRMEDIC_ESCALATION_CHANNEL", "600")]).await;
    let (_, reply) = answered(&bot, 42).await;
    // Discord refuses both the private and the public thread.
    bot.fake
        .fail_next("POST", "/api/v10/channels/600/threads", &[403, 403]);
    let id = click(
        &bot,
        &fake::member(&person(42), &[], 0),
        "errmedic:escalate:mfa-required-location",
        &reply,
    )
    .await;
    let answer = bot
        .fake
        .requests()
        .into_iter()
        .find(|r| r.method == "PATCH" && r.path.contains(&format!("token-{id}")))
        .expect("the deferred click was answered");
    assert!(
        answer.body["content"]
            .as_str()
            .unwrap()
            .contains("went wrong"),
        "{answer}"
    );
    bot.stop().await;
}

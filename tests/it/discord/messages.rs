//! Messages people post: one safe reply to a covered error, none to chat, bots or uncovered
//! errors; cooldowns, attachments, edits and deletions.

use super::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pasted_covered_error_gets_one_safe_reply() {
    let bot = start(&[]).await;
    let id = bot.fake.new_id();
    bot.fake.dispatch(
        "MESSAGE_CREATE",
        fake::message(id, CHANNEL, &person(42), MFA_PASTE),
    );
    let r = bot
        .fake
        .wait_for("a reply to the paste", WAIT, posts_to(CHANNEL))
        .await;
    let embed = &r.body["embeds"][0];
    assert!(
        embed["footer"]["text"]
            .as_str()
            .unwrap()
            .starts_with("mfa-required-location"),
        "{r}"
    );
    assert!(
        embed["description"].as_str().unwrap().contains("**Steps**"),
        "{r}"
    );
    assert_eq!(
        r.body["message_reference"]["message_id"],
        id.to_string(),
        "replies to the paste"
    );
    let mentions = &r.body["allowed_mentions"];
    assert_eq!(mentions["parse"], json!([]), "{r}");
    assert_eq!(mentions["replied_user"], json!(false), "{r}");
    let buttons: Vec<&str> = r.body["components"][0]["components"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["custom_id"].as_str().unwrap())
        .collect();
    assert!(
        buttons.contains(&"errmedic:unhelpful:mfa-required-location"),
        "{buttons:?}"
    );
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn chat_uncovered_errors_and_bots_get_no_reply() {
    let bot = start(&[]).await;
    let since = bot.fake.requests().len();
    bot.handle(
        "MESSAGE_CREATE",
        fake::message(
            bot.fake.new_id(),
            CHANNEL,
            &person(1),
            "morning all, coffee anyone?",
        ),
    )
    .await;
    bot.handle(
        "MESSAGE_CREATE",
        fake::message(
            bot.fake.new_id(),
            CHANNEL,
            &person(2),
            "Backup job failed on NAS-01: disk quota exceeded (error 0x80070070)",
        ),
    )
    .await;
    bot.handle(
        "MESSAGE_CREATE",
        fake::message(
            bot.fake.new_id(),
            CHANNEL,
            &fake::user(3, "otherbot", true),
            MFA_PASTE,
        ),
    )
    .await;
    assert_eq!(
        bot.fake.count_since(since, posts_to(CHANNEL)),
        0,
        "unexpected replies"
    );
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cooldown_holds_a_repeat_back() {
    let bot = start(&[]).await;
    bot.fake.dispatch(
        "MESSAGE_CREATE",
        fake::message(bot.fake.new_id(), CHANNEL, &person(1), MFA_PASTE),
    );
    bot.fake
        .wait_for("the first reply", WAIT, posts_to(CHANNEL))
        .await;
    let since = bot.fake.requests().len();
    bot.handle(
        "MESSAGE_CREATE",
        fake::message(bot.fake.new_id(), CHANNEL, &person(2), MFA_PASTE),
    )
    .await;
    assert_eq!(
        bot.fake.count_since(since, posts_to(CHANNEL)),
        0,
        "the same entry was posted again"
    );
    // Another channel is not held back.
    bot.fake.dispatch(
        "MESSAGE_CREATE",
        fake::message(bot.fake.new_id(), CHANNEL + 1, &person(3), MFA_PASTE),
    );
    bot.fake
        .wait_for("a reply in another channel", WAIT, posts_to(CHANNEL + 1))
        .await;
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_text_attachment_is_read() {
    let bot = start(&[]).await;
    let url = bot.fake.serve_file(
        "sync.log",
        b"2024-01-01 sync failed\nCode: ErrorSendAsDenied\n".to_vec(),
    );
    let mut m = fake::message(bot.fake.new_id(), CHANNEL, &person(1), "log attached");
    m["attachments"] = json!([fake::attachment(bot.fake.new_id(), "sync.log", &url, 48)]);
    bot.fake.dispatch("MESSAGE_CREATE", m);
    let r = bot
        .fake
        .wait_for("a reply from the attachment", WAIT, posts_to(CHANNEL))
        .await;
    assert!(
        r.body["embeds"][0]["footer"]["text"]
            .as_str()
            .unwrap()
            .starts_with("graph-exo-access-denied"),
        "{r}"
    );
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deleting_the_paste_deletes_the_reply() {
    let bot = start(&[]).await;
    let id = bot.fake.new_id();
    bot.fake.dispatch(
        "MESSAGE_CREATE",
        fake::message(id, CHANNEL, &person(1), MFA_PASTE),
    );
    bot.fake
        .wait_for("the reply", WAIT, posts_to(CHANNEL))
        .await;
    bot.fake
        .dispatch("MESSAGE_DELETE", fake::message_delete(id, CHANNEL));
    bot.fake
        .wait_for("the reply deleted", WAIT, |r| {
            r.method == "DELETE"
                && r.path
                    .starts_with(&format!("/api/v10/channels/{CHANNEL}/messages/"))
        })
        .await;
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_edited_message_is_read_again() {
    let bot = start(&[]).await;
    let id = bot.fake.new_id();
    let author = person(7);
    bot.fake.dispatch(
        "MESSAGE_CREATE",
        fake::message(id, CHANNEL, &author, "one sec, pasting the error"),
    );
    bot.fake.dispatch(
        "MESSAGE_UPDATE",
        fake::message_update(id, CHANNEL, &author, MFA_PASTE),
    );
    let reply = bot
        .fake
        .wait_for("a reply to the edit", WAIT, posts_to(CHANNEL))
        .await;
    let reply_id = reply.response["id"].as_str().unwrap().to_string();
    bot.fake.dispatch(
        "MESSAGE_UPDATE",
        fake::message_update(id, CHANNEL, &author, "never mind, sorted"),
    );
    bot.fake
        .wait_for("the reply removed", WAIT, |r| {
            r.method == "DELETE" && r.path.ends_with(&format!("/messages/{reply_id}"))
        })
        .await;
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_uncovered_entra_code_gets_its_general_meaning_marked_as_such() {
    let bot = start(&[]).await;
    bot.handle(
        "MESSAGE_CREATE",
        fake::message(
            bot.fake.new_id(),
            CHANNEL,
            &person(1),
            "Sign-in to the portal fails:\nAADSTS700016: Application with identifier '11112222-0000-4000-8000-000000000000' was not found in the directory 'Fabrikam'.",
        ),
    )
    .await;
    let r = first_post(&bot, CHANNEL, "an answer");
    let embed = &r.body["embeds"][0];
    assert!(
        embed["title"]
            .as_str()
            .unwrap()
            .starts_with("General meaning: AADSTS700016"),
        "{r}"
    );
    assert!(
        embed["footer"]["text"]
            .as_str()
            .unwrap()
            .contains("not a fix written by your team"),
        "{r}"
    );
    // A covered paste is still answered by the team's entry.
    bot.handle(
        "MESSAGE_CREATE",
        fake::message(bot.fake.new_id(), CHANNEL + 1, &person(2), MFA_PASTE),
    )
    .await;
    let r = first_post(&bot, CHANNEL + 1, "an answer");
    assert!(
        r.body["embeds"][0]["footer"]["text"]
            .as_str()
            .unwrap()
            .starts_with("mfa-required-location"),
        "{r}"
    );
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn edits_neither_record_an_error_twice_nor_drop_a_credential_warning() {
    let bot = start(&[]).await;
    let author = person(7);
    let id = bot.fake.new_id();
    let unanswered = "Nightly backup failed: disk quota exceeded on NAS-01 (error 0x80070070)";
    bot.handle(
        "MESSAGE_CREATE",
        fake::message(id, CHANNEL, &author, unanswered),
    )
    .await;
    for text in [
        "Nightly backup failed: disk quota exceeded on NAS-01 (error 0x80070070)!",
        "Nightly backup failed: disk quota exceeded on NAS-02 (error 0x80070070)",
    ] {
        bot.handle(
            "MESSAGE_UPDATE",
            fake::message_update(id, CHANNEL, &author, text),
        )
        .await;
    }
    let r = report(&bot);
    assert!(r.contains("   1× nightly backup failed"), "{r}");
    // An answered paste with a token, edited so that only the token is left: the answer
    // becomes the warning.
    let paste = bot.fake.new_id();
    bot.handle(
        "MESSAGE_CREATE",
        fake::message(
            paste,
            CHANNEL + 1,
            &author,
            &format!("{MFA_PASTE}\nAuthorization: Bearer {JWT}"),
        ),
    )
    .await;
    let reply = first_post(&bot, CHANNEL + 1, "an answer");
    let reply_id = reply.response["id"].as_str().unwrap().to_string();
    bot.handle(
        "MESSAGE_UPDATE",
        fake::message_update(
            paste,
            CHANNEL + 1,
            &author,
            &format!("never mind\nAuthorization: Bearer {JWT}"),
        ),
    )
    .await;
    let edit = bot
        .fake
        .requests()
        .into_iter()
        .find(|r| r.method == "PATCH" && r.path.ends_with(&format!("/messages/{reply_id}")))
        .expect("the answer edited");
    assert!(
        edit.body["content"]
            .as_str()
            .unwrap()
            .contains("access token")
            && edit.body["embeds"] == json!([]),
        "{edit}"
    );
    bot.stop().await;
}

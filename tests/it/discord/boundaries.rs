//! No server reaches into another: the environment's channel and role defaults apply in the
//! home server only, what every server shares is changed by the operators only, and
//! escalations are the reporter's (or staff's), one at a time, in a server.

use super::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_home_server_s_escalation_channel_and_role_stay_there() {
    let bot = start(&[("ERRMEDIC_ESCALATION_CHANNEL", "600")]).await;
    let channel = 700;
    let paste = bot.fake.new_id();
    bot.handle(
        "MESSAGE_CREATE",
        in_guild(fake::message(paste, channel, &person(50), MFA_PASTE), OTHER),
    )
    .await;
    let reply = bot
        .fake
        .requests()
        .into_iter()
        .find(posts_to(channel))
        .expect("the paste in the other server was answered");
    let id: u64 = reply.response["id"].as_str().unwrap().parse().unwrap();
    let mut message = in_guild(fake::message(id, channel, &fake::bot_user(), ""), OTHER);
    message["message_reference"] =
        json!({"message_id": paste.to_string(), "channel_id": channel.to_string()});
    let click_id = bot.fake.new_id();
    bot.handle(
        "INTERACTION_CREATE",
        in_guild(
            fake::button_click(
                click_id,
                channel,
                &fake::member(&person(50), &[], 0),
                "errmedic:escalate:mfa-required-location",
                &message,
            ),
            OTHER,
        ),
    )
    .await;
    let threads = thread_posts(&bot);
    assert_eq!(threads.len(), 1, "{}", told(&bot, click_id));
    assert!(
        !threads[0].path.contains("/channels/600/"),
        "another server's escalation opened in the home server's channel: {}",
        threads[0].path
    );
    let thread = threads[0].response["id"].as_str().unwrap().to_string();
    let summary = bot
        .fake
        .requests()
        .into_iter()
        .find(|r| r.method == "POST" && r.path.ends_with(&format!("/channels/{thread}/messages")))
        .expect("the summary");
    assert!(
        !summary.body.to_string().contains("777"),
        "the home server's support role was pinged from another server: {}",
        summary.body
    );
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_the_operators_reload_the_knowledge_base_for_every_server() {
    let bot = start(&[]).await;
    let admin_elsewhere = fake::member(&person(60), &[], MANAGE_GUILD);
    let refused = bot.fake.new_id();
    bot.handle(
        "INTERACTION_CREATE",
        in_guild(kb_reload(refused, &admin_elsewhere), OTHER),
    )
    .await;
    assert!(
        told(&bot, refused).contains("operators"),
        "{}",
        told(&bot, refused)
    );
    // Staff of the home server may.
    let home_staff = fake::member(&person(9), &[888], 0);
    let allowed = bot.fake.new_id();
    bot.handle("INTERACTION_CREATE", kb_reload(allowed, &home_staff))
        .await;
    assert!(
        told(&bot, allowed).contains("Reloaded"),
        "{}",
        told(&bot, allowed)
    );
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_environment_s_staff_role_does_not_count_while_settings_are_unknown() {
    let dir = std::env::temp_dir().join(format!("errmedic-no-settings-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    // The record cannot be opened: the home server may have replaced the staff role (888 in
    // the environment), so only Manage Server counts until its settings are read.
    let bot = start(&[("ERRMEDIC_DATABASE", dir.to_str().unwrap())]).await;
    let old_role = fake::member(&person(9), &[888], 0);
    let refused = bot.fake.new_id();
    bot.handle("INTERACTION_CREATE", kb_reload(refused, &old_role))
        .await;
    assert!(
        !told(&bot, refused).contains("Reloaded"),
        "the environment's staff role passed while settings were unknown: {}",
        told(&bot, refused)
    );
    let admin = fake::member(&person(10), &[], MANAGE_GUILD);
    let allowed = bot.fake.new_id();
    bot.handle("INTERACTION_CREATE", kb_reload(allowed, &admin))
        .await;
    assert!(
        told(&bot, allowed).contains("Reloaded"),
        "{}",
        told(&bot, allowed)
    );
    bot.stop().await;
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn escalations_are_the_reporter_s_one_at_a_time_and_in_a_server() {
    let bot = start(&[
        ("ERRMEDIC_ESCALATION_CHANNEL", "600"),
        ("ERRMEDIC_ESCALATION_INTERVAL_SECS", "300"),
    ])
    .await;
    let (_, reply) = answered(&bot, 42).await;
    // Someone else cannot escalate the answer to 42's paste.
    let other = click(
        &bot,
        &fake::member(&person(43), &[], 0),
        "errmedic:escalate:mfa-required-location",
        &reply,
    )
    .await;
    assert!(
        told(&bot, other).contains("Only the person who posted"),
        "{}",
        told(&bot, other)
    );
    assert!(thread_posts(&bot).is_empty());
    click(
        &bot,
        &fake::member(&person(42), &[], 0),
        "errmedic:escalate:mfa-required-location",
        &reply,
    )
    .await;
    assert_eq!(thread_posts(&bot).len(), 1);
    // Another error of theirs at once: not a second thread within the interval.
    let channel = CHANNEL + 5;
    bot.handle(
        "MESSAGE_CREATE",
        fake::message(
            bot.fake.new_id(),
            channel,
            &person(42),
            "sync failed: quota exceeded (0x80040001)",
        ),
    )
    .await;
    let again = bot.fake.new_id();
    bot.handle(
        "INTERACTION_CREATE",
        fake::slash_command(
            again,
            channel,
            &fake::member(&person(42), &[], 0),
            "escalate",
            vec![],
        ),
    )
    .await;
    assert!(
        told(&bot, again).contains("a moment ago"),
        "{}",
        told(&bot, again)
    );
    assert_eq!(thread_posts(&bot).len(), 1);
    // Not in a direct message.
    let mut dm = fake::slash_command(
        bot.fake.new_id(),
        channel,
        &fake::member(&person(44), &[], 0),
        "escalate",
        vec![],
    );
    let dm_id: u64 = dm["id"].as_str().unwrap().parse().unwrap();
    let object = dm.as_object_mut().unwrap();
    object.remove("guild_id");
    object.remove("member");
    object.insert("user".into(), person(44));
    object.insert(
        "channel".into(),
        json!({"id": channel.to_string(), "type": 1}),
    );
    bot.handle("INTERACTION_CREATE", dm).await;
    assert!(
        told(&bot, dm_id).contains("in a server only"),
        "{}",
        told(&bot, dm_id)
    );
    assert_eq!(thread_posts(&bot).len(), 1);
    bot.stop().await;
}

/// Whether the record holds the escalation of conversation `key` in `thread` as closed.
fn closed_in_record(bot: &Bot, key: &str, thread: &str) -> bool {
    let store = errmedic::store::Store::open(&bot.dir.join("record.sqlite3")).unwrap();
    store
        .escalations_of(key)
        .unwrap()
        .iter()
        .any(|e| e.thread_id == thread && e.closed)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_escalation_whose_thread_is_gone_is_closed_and_can_be_opened_again() {
    let bot = start(&[("ERRMEDIC_ESCALATION_CHANNEL", "600")]).await;
    let (_, reply) = answered(&bot, 42).await;
    let key = format!("reply:{}", reply["id"].as_str().unwrap());
    let reporter = fake::member(&person(42), &[], 0);
    click(
        &bot,
        &reporter,
        "errmedic:escalate:mfa-required-location",
        &reply,
    )
    .await;
    let first = thread_posts(&bot)[0].response["id"]
        .as_str()
        .unwrap()
        .to_string();
    // The thread was deleted while nobody watched: Discord no longer knows it.
    bot.fake
        .fail_next("GET", &format!("/api/v10/channels/{first}"), &[404]);
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
    assert_eq!(thread_posts(&bot).len(), 2);
    assert!(closed_in_record(&bot, &key, &first));
    // Deleted while the bot watches: closed at once.
    let second = thread_posts(&bot)[1].response["id"]
        .as_str()
        .unwrap()
        .to_string();
    bot.fake.dispatch(
        "THREAD_DELETE",
        json!({"id": second, "guild_id": fake::GUILD_ID.to_string(), "parent_id": "600", "type": 12}),
    );
    let deadline = std::time::Instant::now() + WAIT;
    while !closed_in_record(&bot, &key, &second) {
        assert!(
            std::time::Instant::now() < deadline,
            "the deleted thread's escalation is still open"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    bot.stop().await;
}

//! Slash and context-menu commands: `/fix` and autocomplete, "Find fix", `/kb list|show|reload|drafts`.

use super::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fix_and_autocomplete_answer() {
    let bot = start(&[]).await;
    let member = fake::member(&person(5), &[], 0);
    let id = bot.fake.new_id();
    bot.fake.dispatch(
        "INTERACTION_CREATE",
        fake::slash_command(
            id,
            CHANNEL,
            &member,
            "fix",
            vec![fake::option("query", 3, json!("token expird"))],
        ),
    );
    let r = bot
        .fake
        .wait_for("the /fix answer", WAIT, callback_for(id))
        .await;
    assert_eq!(r.body["type"], 4, "{r}");
    assert!(
        r.body["data"]["embeds"][0]["footer"]["text"]
            .as_str()
            .unwrap()
            .starts_with("token-expired"),
        "{r}"
    );
    let id = bot.fake.new_id();
    let mut focused = fake::option("query", 3, json!("applife"));
    focused["focused"] = json!(true);
    bot.fake.dispatch(
        "INTERACTION_CREATE",
        fake::autocomplete(id, CHANNEL, &member, "fix", vec![focused]),
    );
    let r = bot
        .fake
        .wait_for("autocomplete choices", WAIT, callback_for(id))
        .await;
    assert_eq!(r.body["type"], 8, "{r}");
    assert_eq!(
        r.body["data"]["choices"][0]["value"], "intune-applifecycle-2210",
        "{r}"
    );
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_context_menu_answers_privately() {
    let bot = start(&[]).await;
    let member = fake::member(&person(5), &[], 0);
    let target = fake::message(
        bot.fake.new_id(),
        CHANNEL,
        &person(6),
        "Get-MgUser: AADSTS50078: Presented multi-factor authentication has expired",
    );
    let id = bot.fake.new_id();
    bot.fake.dispatch(
        "INTERACTION_CREATE",
        fake::message_command(id, CHANNEL, &member, "Find fix", &target),
    );
    let answered = |r: &Request| {
        (r.method == "PATCH" || r.method == "POST")
            && r.path.contains(&format!("/token-{id}"))
            && r.body.to_string().contains("mfa-expired")
    };
    bot.fake
        .wait_for("the private answer", WAIT, answered)
        .await;
    let deferred = bot
        .fake
        .wait_for("the deferral", WAIT, callback_for(id))
        .await;
    assert_eq!(deferred.body["data"]["flags"], 64, "ephemeral: {deferred}");
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kb_reload_is_for_staff_and_keeps_a_good_kb() {
    let bot = start(&[]).await;
    let id = bot.fake.new_id();
    bot.fake.dispatch(
        "INTERACTION_CREATE",
        kb_reload(id, &fake::member(&person(9), &[], 0)),
    );
    let r = bot
        .fake
        .wait_for("the refusal", WAIT, callback_for(id))
        .await;
    assert!(
        r.body["data"]["content"]
            .as_str()
            .unwrap()
            .contains("operators"),
        "{r}"
    );
    // Staff, with a broken knowledge base on disk: refused, the old one stays.
    std::fs::write(bot.dir.join("kb/token-expired.json"), "{ broken").unwrap();
    let id = bot.fake.new_id();
    bot.fake.dispatch(
        "INTERACTION_CREATE",
        kb_reload(id, &fake::member(&person(9), &[888], 0)),
    );
    bot.fake
        .wait_for("the problems", WAIT, |r| {
            r.path.contains(&format!("token-{id}")) && r.body.to_string().contains("Not reloaded")
        })
        .await;
    let id = bot.fake.new_id();
    bot.fake.dispatch(
        "INTERACTION_CREATE",
        fake::slash_command(
            id,
            CHANNEL,
            &fake::member(&person(9), &[], 0),
            "fix",
            vec![fake::option("query", 3, json!("token-expired"))],
        ),
    );
    let r = bot
        .fake
        .wait_for("the old kb still answering", WAIT, callback_for(id))
        .await;
    assert!(r.body.to_string().contains("token-expired"), "{r}");
    // Fixed on disk: a Manage Server member reloads it.
    std::fs::copy(
        root().join("kb/token-expired.json"),
        bot.dir.join("kb/token-expired.json"),
    )
    .unwrap();
    let id = bot.fake.new_id();
    bot.fake.dispatch(
        "INTERACTION_CREATE",
        kb_reload(id, &fake::member(&person(10), &[], MANAGE_GUILD)),
    );
    bot.fake
        .wait_for("the reload", WAIT, |r| {
            r.path.contains(&format!("token-{id}"))
                && r.body.to_string().contains("Reloaded: 22 entries")
        })
        .await;
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kb_list_counts_the_reference_tier_and_drafts_are_for_staff() {
    let bot = start(&[]).await;
    let member = fake::member(&person(5), &[], 0);
    let staff = fake::member(&person(1), &[888], 0);
    let id = bot.fake.new_id();
    bot.handle("INTERACTION_CREATE", kb_sub(id, &member, "list", vec![]))
        .await;
    let listed = told(&bot, id);
    assert!(
        listed.contains("**22 entries**")
            && listed.contains(&format!(
                "{} reference entries",
                shipped_reference_entries()
            )),
        "{listed}"
    );
    let id = bot.fake.new_id();
    bot.handle(
        "INTERACTION_CREATE",
        kb_sub(
            id,
            &member,
            "list",
            // Choices travel as their index: "reference" is the seventh.
            vec![fake::option("product", 4, json!(6))],
        ),
    )
    .await;
    let reference = told(&bot, id);
    assert!(
        reference.contains(&format!("**{} entries**", shipped_reference_entries()))
            && reference.contains("aadsts"),
        "{reference}"
    );
    // Drafts: refused to members, listed for staff with what each needs.
    std::fs::create_dir_all(bot.dir.join("kb/drafts")).unwrap();
    let draft = errmedic::authoring::import::drafts(
        "## Sync fails\n\n* **Error Message:** `Sync_QuotaHit`\n",
        "page.md",
        None,
        &mut errmedic::authoring::drafts::Ids::default(),
    );
    errmedic::authoring::drafts::write(&bot.dir.join("kb/drafts"), &draft[0]).unwrap();
    let id = bot.fake.new_id();
    bot.handle("INTERACTION_CREATE", kb_sub(id, &member, "drafts", vec![]))
        .await;
    assert!(told(&bot, id).contains("operators"), "{}", told(&bot, id));
    let id = bot.fake.new_id();
    bot.handle("INTERACTION_CREATE", kb_sub(id, &staff, "drafts", vec![]))
        .await;
    let drafts = told(&bot, id);
    assert!(
        drafts.contains("sync-fails") && drafts.contains("to fill"),
        "{drafts}"
    );
    // A member cannot ask for a draft from a thread.
    let click = bot.fake.new_id();
    let msg = fake::message(bot.fake.new_id(), CHANNEL, &fake::bot_user(), "closed");
    bot.handle(
        "INTERACTION_CREATE",
        fake::button_click(click, CHANNEL, &member, "errmedic:draft", &msg),
    )
    .await;
    assert!(
        told(&bot, click).contains("operators"),
        "{}",
        told(&bot, click)
    );
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn find_fix_on_an_answered_paste_leaves_its_answer_following_the_paste() {
    let bot = start(&[]).await;
    let (paste, reply) = answered(&bot, 42).await;
    let reply_id = reply["id"].as_str().unwrap().to_string();
    let target = fake::message(paste, CHANNEL, &person(42), MFA_PASTE);
    bot.handle(
        "INTERACTION_CREATE",
        fake::message_command(
            bot.fake.new_id(),
            CHANNEL,
            &fake::member(&person(5), &[], 0),
            "Find fix",
            &target,
        ),
    )
    .await;
    bot.handle("MESSAGE_DELETE", fake::message_delete(paste, CHANNEL))
        .await;
    assert_eq!(
        bot.fake.count_since(0, |r| r.method == "DELETE"
            && r.path.ends_with(&format!("/messages/{reply_id}"))),
        1,
        "the public answer goes with the paste"
    );
    bot.stop().await;
}

/// How many reference entries the shipped knowledge base holds (every file of `kb/reference/`).
fn shipped_reference_entries() -> usize {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("kb/reference");
    std::fs::read_dir(&dir)
        .unwrap()
        .map(|f| {
            let text = std::fs::read_to_string(f.unwrap().path()).unwrap();
            let entries: Vec<serde_json::Value> = serde_json::from_str(&text).unwrap();
            entries.len()
        })
        .sum()
}

//! The record as a teacher: a paste whose answer its author marked Solved waits as a candidate
//! example of the entry (`kb examples --pending`), and becomes one when a person accepts it.

use super::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_solved_paste_becomes_an_example_once_a_person_accepts_it() {
    let bot = start(&[]).await;
    let (_, reply) = answered(&bot, 42).await;
    // Someone else's Solved is a vote, not the author's word that it fixed their error.
    click(
        &bot,
        &fake::member(&person(43), &[], 0),
        "errmedic:solved:mfa-required-location",
        &reply,
    )
    .await;
    let db = bot.dir.join("record.sqlite3");
    let kb = bot.dir.join("kb");
    let cli = |args: &[&str]| {
        crate::run_errmedic(
            &bot.dir,
            &[("ERRMEDIC_DATABASE", &db), ("ERRMEDIC_KB_DIR", &kb)],
            args,
        )
    };
    let (code, out, err) = cli(&["kb", "examples", "--pending"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("no pastes marked Solved are waiting"), "{out}");
    click(
        &bot,
        &fake::member(&person(42), &[], 0),
        "errmedic:solved:mfa-required-location",
        &reply,
    )
    .await;
    // The vote is recorded after the click is answered.
    let deadline = std::time::Instant::now() + WAIT;
    let out = loop {
        let (_, out, _) = cli(&["kb", "examples", "--pending"]);
        if out.contains("mfa-required-location") || std::time::Instant::now() > deadline {
            break out;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    let line = out
        .lines()
        .find(|l| l.contains("mfa-required-location"))
        .unwrap_or_else(|| panic!("the Solved paste waits: {out}"));
    assert!(line.contains("Connect-MgGraph"), "{line}");
    let id = line.split_whitespace().next().unwrap();
    let (code, out, err) = cli(&["kb", "examples", "--accept", id]);
    assert_eq!(code, 0, "{out}{err}");
    let entry = std::fs::read_to_string(kb.join("mfa-required-location.json")).unwrap();
    assert!(
        entry.contains("record: answer marked Solved") && entry.contains("AADSTS50076"),
        "{entry}"
    );
    let (code, out, err) = cli(&["kb", "check"]);
    assert_eq!(code, 0, "{out}{err}");
    let (_, out, _) = cli(&["kb", "examples", "--pending"]);
    assert!(out.contains("no pastes marked Solved are waiting"), "{out}");
    // Accepting it again is refused by name.
    let (code, _, err) = cli(&["kb", "examples", "--accept", id]);
    assert_ne!(code, 0);
    assert!(err.contains("no waiting example"), "{err}");
    bot.stop().await;
}

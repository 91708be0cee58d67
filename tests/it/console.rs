//! The console behaves as the bot does in a channel.

use crate::engine;

fn session(input: &str) -> String {
    let mut out = Vec::new();
    errmedic::terminal::console::run(engine(), input.as_bytes(), &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn a_multi_line_paste_gets_the_auto_reply() {
    let out = session("Get-MgUser : AADSTS50076: Due to a configuration change made by your administrator,\nor because you moved to a new location, you must use multi-factor authentication\n\n/quit\n");
    assert!(out.contains("DISCORD_TOKEN"), "start-up note: {out}");
    assert!(
        out.contains("[mfa-required-location]") && out.contains("Steps:"),
        "{out}"
    );
}

#[test]
fn chat_gets_silence_and_commands_answer() {
    let out = session("good morning all\n\n/fix applifecycle\n/kb show token-expired\n/kb list Teams\n/kb show nope\n/help\n");
    assert!(out.contains("stays silent"), "{out}");
    assert!(out.contains("[intune-applifecycle-2210]"), "{out}");
    assert!(
        out.contains("The token has expired  [token-expired]"),
        "{out}"
    );
    assert!(
        out.contains("teams-pstn-http-exception") && !out.contains("mfa-expired "),
        "{out}"
    );
    assert!(out.contains("No entry `nope`"), "{out}");
    assert!(out.contains("/fix TEXT"), "{out}");
}

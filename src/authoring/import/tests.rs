use super::*;

#[test]
fn relative_links_become_absolute_with_anchors() {
    let base = Some("https://docs.example.com/a/b/troubleshooting/common-issues");
    assert_eq!(
        resolve("../setup.md#conditional-access", base),
        "https://docs.example.com/a/b/setup#conditional-access"
    );
    assert_eq!(
        resolve("#gdap", base),
        "https://docs.example.com/a/b/troubleshooting/common-issues#gdap"
    );
    assert_eq!(
        resolve("./next.md", base),
        "https://docs.example.com/a/b/troubleshooting/next"
    );
    assert_eq!(
        resolve("https://learn.microsoft.com/x", base),
        "https://learn.microsoft.com/x"
    );
    assert_eq!(resolve("../setup.md", None), "../setup.md");
}

#[test]
fn a_page_becomes_sections_with_causes_steps_notes_and_codes() {
    let page = concat!(
        "# Page\n\nIntro.\n\n## **Sign-in fails**\n\n",
        "* **Error Message:** `AADSTS50076`, Strong authentication is required\n",
        "* **Cause:** MFA is &#x20;missing.\n",
        "* **Potential Resolution:**\n  1. Register MFA.\n  2. Sign in again.\n\n",
        "{% hint style=\"info\" %}\nDuo is not supported. See [docs](../mfa.md#duo \"mention\")\n{% endhint %}\n\n",
        "![shot](x.png)\n",
    );
    let d = drafts(
        page,
        "page.md",
        Some("https://d.example/x/y/page"),
        &mut crate::authoring::drafts::Ids::default(),
    );
    assert_eq!(d.len(), 1);
    let e = &d[0];
    assert_eq!(e.title, "Sign-in fails");
    assert_eq!(e.cause, "MFA is missing.");
    assert_eq!(e.steps, ["Register MFA.", "Sign in again."]);
    assert!(
        e.notes[0].starts_with("Duo is not supported"),
        "{:?}",
        e.notes
    );
    assert_eq!(e.links[0].url, "https://d.example/x/mfa#duo");
    assert!(e.matching.codes.contains(&"AADSTS50076".to_string()));
    assert!(e
        .matching
        .messages
        .contains(&"Strong authentication is required".to_string()));
    assert_eq!(e.origin.as_deref(), Some("page.md#sign-in-fails"));
}

#[test]
fn a_heading_with_three_sub_sections_is_a_list_of_errors() {
    let page = "## Errors\n\nThese are common.\n\n### A failed\n\nCheck a.\n\n### B failed\n\nCheck b.\n\n### C failed\n\nCheck c.\n\n## Topic\n\nText.\n\n### Part one\n\nMore.\n";
    let d = drafts(
        page,
        "p.md",
        None,
        &mut crate::authoring::drafts::Ids::default(),
    );
    let titles: Vec<&str> = d.iter().map(|e| e.title.as_str()).collect();
    assert_eq!(titles, ["A failed", "B failed", "C failed", "Topic"]);
    assert_eq!(d[0].steps, ["Check a."]);
    assert_eq!(d[0].matching.messages, ["A failed"]);
    assert!(d[3].cause.contains("Text.") && d[3].cause.contains("More."));
}

#[test]
fn instructions_are_read_from_conditions_obligations_and_polite_requests() {
    for (sentence, is_step) in [
        ("Check the user's roles.", true),
        ("Please verify the tenant id in the request.", true),
        (
            "If the mailbox is shared, check the delegate's Send As right.",
            true,
        ),
        (
            "When using GDAP, ensure the user is in the Exchange Administrators group.",
            true,
        ),
        (
            "The service account must be excluded from every Conditional Access policy.",
            true,
        ),
        ("The app needs to have Directory.AccessAsUser.All.", true),
        ("Reauthorization is required after a password change.", true),
        ("If the token expired, the call fails with 401.", false),
        ("This error means the grant was revoked.", false),
        (
            "Users may encounter missing permissions on the page.",
            false,
        ),
    ] {
        assert_eq!(imperative(sentence), is_step, "{sentence}");
    }
}

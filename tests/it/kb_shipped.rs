//! The shipped knowledge base loads, validates and holds exactly the published ids.

use crate::{engine, root};

/// The published ids: one entry per section of the troubleshooting guide.
const IDS: [&str; 22] = [
    "csp-mfa-required",
    "bad-request-400",
    "entra-permissions-display",
    "client-consent-gdap",
    "graph-exo-access-denied",
    "csp-delegated-unsupported-token",
    "request-not-applicable-to-tenant",
    "tenant-not-premium",
    "teams-pstn-http-exception",
    "provide-valid-credential",
    "exchange-subscription-lapsed",
    "user-not-found",
    "consent-not-granted-aadsts50020",
    "invalid-or-malformed",
    "intune-applifecycle-2210",
    "exchange-insufficient-access",
    "device-object-not-found",
    "grant-revoked",
    "mfa-required-location",
    "mfa-expired",
    "token-expired",
    "password-profile-forbidden",
];

#[test]
fn shipped_kb_has_exactly_the_published_ids() {
    let mut ids: Vec<&str> = engine()
        .kb()
        .entries
        .iter()
        .map(|e| e.id.as_str())
        .collect();
    ids.sort_unstable();
    let mut want = IDS.to_vec();
    want.sort_unstable();
    assert_eq!(ids, want);
}

#[test]
fn shipped_entries_are_complete() {
    for e in &engine().kb().entries {
        assert!(!e.steps.is_empty(), "{}: steps", e.id);
        assert!(!e.links.is_empty(), "{}: links", e.id);
        assert!(
            e.links.iter().all(|l| l.url.starts_with("https://")),
            "{}: links",
            e.id
        );
        assert!(!e.matching.keywords.is_empty(), "{}: keywords", e.id);
    }
}

#[test]
fn seed_links_are_resolved_to_the_published_page() {
    let csp = engine().kb().get("bad-request-400").unwrap();
    assert!(csp.links.iter().any(|l| l
        .url
        .ends_with("/authorization-best-practices#conditional-access")));
    let duo = engine().kb().get("csp-mfa-required").unwrap();
    assert!(duo.notes.iter().any(|n| n.contains("Duo")));
}

#[test]
fn every_entry_answers_its_own_title_as_a_lookup() {
    for (i, e) in engine().kb().entries.iter().enumerate() {
        let answer = engine().query(&e.title);
        let top = answer.matches.first().map(|m| m.entry);
        assert_eq!(top, Some(i), "looking up the title of {}", e.id);
    }
}

#[test]
fn kb_readme_documents_every_field() {
    let readme = std::fs::read_to_string(root().join("kb/README.md")).unwrap();
    for field in [
        "id", "title", "products", "cause", "steps", "notes", "links", "tags", "codes", "messages",
        "rules", "patterns", "keywords",
    ] {
        assert!(
            readme.contains(&format!("`{field}`")),
            "kb/README.md does not document `{field}`"
        );
    }
}

//! The shipped knowledge base loads, validates and holds exactly the published ids.

use errmedic::kb::Tier;

use crate::{engine, root};

/// The published ids: one entry per section of the troubleshooting guide, in its order.
pub const IDS: [&str; 22] = [
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
    let mut ids: Vec<&str> = engine().kb().curated().map(|e| e.id.as_str()).collect();
    ids.sort_unstable();
    let mut want = IDS.to_vec();
    want.sort_unstable();
    assert_eq!(ids, want);
}

#[test]
fn shipped_entries_are_complete() {
    for e in engine().kb().curated() {
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
        if e.tier != Tier::Curated {
            continue;
        }
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

/// The Graph codes the reference tier must explain.
const GRAPH_CODES: [&str; 8] = [
    "Request_ResourceNotFound",
    "ErrorItemNotFound",
    "MailboxNotEnabledForRESTAPI",
    "ResourceNotFound",
    "TooManyRequests",
    "accessDenied",
    "itemNotFound",
    "invalidRequest",
];

#[test]
fn the_reference_pack_covers_every_entra_code_and_the_common_graph_codes() {
    let kb = engine().kb();
    let codes: Vec<&str> = kb
        .reference()
        .map(|e| e.matching.codes[0].as_str())
        .collect();
    let entra = codes.iter().filter(|c| c.starts_with("AADSTS")).count();
    assert!(entra >= 300, "{entra} Entra codes");
    for code in GRAPH_CODES {
        assert!(codes.contains(&code), "{code} missing");
        let id = format!("graph-{}", code.to_lowercase());
        assert!(kb.get(&id).is_some(), "{id}");
    }
    for e in kb.reference() {
        assert!(e.reference_note().is_some());
        assert!(!e.cause.is_empty() && !e.steps.is_empty() && !e.links.is_empty());
    }
}

#[test]
fn every_reference_code_is_found_first_by_a_lookup_after_a_team_entry_that_owns_it() {
    let kb = engine().kb();
    for (i, e) in kb.entries.iter().enumerate() {
        if e.tier != Tier::Reference {
            continue;
        }
        let code = &e.matching.codes[0];
        let owner = kb.curated().position(|c| {
            c.matching
                .codes
                .iter()
                .any(|x| x.eq_ignore_ascii_case(code))
        });
        let mut queries = vec![code.clone()];
        if let Some(digits) = code.strip_prefix("AADSTS") {
            queries.push(digits.to_string());
        }
        for q in queries {
            let ids: Vec<usize> = engine().query(&q).matches.iter().map(|m| m.entry).collect();
            match owner {
                _ if !code.starts_with("AADSTS") => {
                    // A Graph code may be answered first by a team entry about the same
                    // failure (`accessDenied`); its general meaning follows.
                    assert!(ids.iter().take(2).any(|&x| x == i), "/fix {q}: {ids:?}")
                }
                None => assert_eq!(ids.first(), Some(&i), "/fix {q}"),
                Some(o) => assert_eq!(ids.get(..2), Some(&[o, i][..]), "/fix {q}"),
            }
        }
    }
}

#[test]
fn a_code_s_message_finds_it_on_a_lookup_but_never_answers_a_paste_unprompted() {
    let kb = engine().kb();
    let mut checked = 0;
    for (i, e) in kb.entries.iter().enumerate() {
        if e.tier != Tier::Reference {
            continue;
        }
        for message in &e.matching.messages {
            checked += 1;
            let ids: Vec<usize> = engine()
                .query(message)
                .matches
                .iter()
                .map(|m| m.entry)
                .collect();
            assert!(
                ids.iter().take(3).any(|&x| x == i),
                "/fix {message}: {ids:?}"
            );
            // Pasted without its code, a message is no one's error for certain: the
            // parameter or app it names may be another code's.
            let pasted = format!("I get this error when I sign in:\n\n{message}");
            let answer = engine().paste(&pasted);
            assert!(
                !answer.auto_reply.contains(&i),
                "{pasted}: {:?}",
                answer.auto_reply
            );
        }
    }
    assert!(checked >= 100, "{checked} messages");
}

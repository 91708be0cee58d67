//! `errmedic kb import` on the seed guide (a GitBook page): one draft per troubleshooting
//! section, compared with the published entries written from the same page; and drafts through
//! `kb check` and `kb promote`.

use std::collections::HashSet;

use errmedic::authoring::import::drafts;
use errmedic::engine::Engine;
use errmedic::kb::Entry;

use crate::kb_shipped::IDS;
use crate::{engine, root, run_errmedic, test_path};

const BASE: &str = "https://docs.rewst.help/documentation/integrations/cloud/microsoft-cloud-integration-bundle/troubleshooting/common-issues";

fn seed_drafts() -> Vec<Entry> {
    let page = std::fs::read_to_string(test_path("fixtures/import/common-issues.md")).unwrap();
    let taken: Vec<String> = engine().kb().entries.iter().map(|e| e.id.clone()).collect();
    let mut ids = errmedic::authoring::drafts::Ids::new(&taken, &[]);
    drafts(&page, "common-issues.md", Some(BASE), &mut ids)
}

fn words(text: &str) -> HashSet<String> {
    errmedic::text::words::content_words(text)
        .into_iter()
        .collect()
}

#[test]
fn the_seed_guide_becomes_a_draft_per_section_like_the_published_entries() {
    let drafts = seed_drafts();
    assert_eq!(
        drafts.len(),
        22,
        "{:?}",
        drafts.iter().map(|d| &d.title).collect::<Vec<_>>()
    );
    let kb = engine().kb();
    let curated = Engine::new(errmedic::kb::KnowledgeBase {
        entries: kb.curated().cloned().collect(),
        mentions: None,
    });
    for (d, id) in drafts.iter().zip(IDS) {
        let published = kb.get(id).unwrap();
        // Titles: the published title names the same error.
        let shared = words(&d.title)
            .intersection(&words(&published.title))
            .count();
        assert!(
            shared >= 2.min(words(&d.title).len()),
            "{}: `{}` vs `{}`",
            id,
            d.title,
            published.title
        );
        // Ids never reuse a published one; the draft says where it came from.
        assert!(kb.get(&d.id).is_none(), "{} reuses a published id", d.id);
        assert!(d
            .origin
            .as_deref()
            .unwrap()
            .starts_with("common-issues.md#"));
        // Links: absolute, and every one the section gives is one the published entry gives.
        for l in &d.links {
            assert!(l.url.starts_with("https://"), "{id}: {}", l.url);
            assert!(
                published.links.iter().any(|p| p.url == l.url),
                "{id}: the draft's link {} is not among the published entry's",
                l.url
            );
        }
        // Its own text finds its section.
        let found = curated.query(&format!("{} {}", d.title, d.cause));
        assert_eq!(
            curated.entry(found.matches[0].entry).id,
            id,
            "{} does not find its section",
            d.title
        );
        assert!(!d.cause.is_empty(), "{id}: no cause");
    }
    // What the sections quote goes to `match`.
    let by_id = |i: usize| &drafts[i].matching;
    assert!(by_id(5).codes.contains(&"Request_BadRequest".to_string()));
    assert!(by_id(5)
        .messages
        .iter()
        .any(|m| m.contains("Unsupported token. Unable to initialize the authorization context")));
    assert!(by_id(0).messages.iter().any(|m| m.contains("MFA Required")));
    assert!(by_id(12).codes.contains(&"AADSTS50020".to_string()));
    assert!(by_id(14).codes.contains(&"AppLifecycle_2210".to_string()));
    assert!(by_id(8)
        .codes
        .contains(&"Microsoft.Skype.Sync.Pstn.Tnm.Common.Http.HttpResponseException".to_string()));
    assert_eq!(by_id(20).messages, ["The token has expired"]);
    // Steps from ordered lists and from prose that says what to do; notes from hints.
    assert_eq!(drafts[0].steps.len(), 3);
    assert!(drafts[6].steps[0].starts_with("Check the tenant's license information"));
    assert!(drafts[0].notes[0].contains("Duo"));
    // Images are dropped.
    assert!(drafts
        .iter()
        .all(|d| d.links.iter().all(|l| !l.url.contains(".gitbook"))));
}

#[test]
fn drafts_are_checked_then_promoted_with_their_review() {
    let dir = std::env::temp_dir().join(format!("errmedic-drafts-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    for e in std::fs::read_dir(root().join("kb")).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "json") {
            std::fs::copy(&p, dir.join(p.file_name().unwrap())).unwrap();
        }
    }
    let errmedic = |args: &[&str]| run_errmedic(&dir, &[], args);
    let kb = dir.to_str().unwrap();
    let page = test_path("fixtures/import/common-issues.md");
    let (code, out, err) = errmedic(&[
        "kb",
        "import",
        page.to_str().unwrap(),
        "--base-url",
        BASE,
        "--kb",
        kb,
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("22 draft(s)"), "{out}");
    // Importing again updates the same drafts.
    let (code, _, _) = errmedic(&[
        "kb",
        "import",
        page.to_str().unwrap(),
        "--base-url",
        BASE,
        "--kb",
        kb,
    ]);
    assert_eq!(code, 0);
    let json = std::fs::read_dir(dir.join("drafts"))
        .unwrap()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "json"))
        .count();
    assert_eq!(json, 22);
    // kb check passes, listing what reviewers must fill.
    let (code, out, _) = errmedic(&["kb", "check", kb]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("22 draft(s)") && out.contains("to fill before promoting"),
        "{out}"
    );
    // Every section of the guide imports with steps: ordered lists, imperative sentences,
    // conditions then instructions ("If the user lacks …, check …") and obligations ("the user
    // must be in …").
    let drafts_dir = dir.join("drafts");
    for e in std::fs::read_dir(&drafts_dir).unwrap().flatten() {
        if e.path().extension().is_some_and(|x| x == "json") {
            let d: serde_json::Value =
                serde_json::from_str(&std::fs::read_to_string(e.path()).unwrap()).unwrap();
            assert!(
                d["steps"].as_array().is_some_and(|s| !s.is_empty()),
                "{} imported without steps",
                e.path().display()
            );
        }
    }
    // A draft with no steps is not promoted; one that is complete is, with its review.
    let emptied = drafts_dir.join("client-error-400-bad-request.json");
    let mut d: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&emptied).unwrap()).unwrap();
    d["steps"] = serde_json::json!([]);
    std::fs::write(&emptied, serde_json::to_string_pretty(&d).unwrap()).unwrap();
    let (code, _, err) = errmedic(&["kb", "promote", "client-error-400-bad-request", "--kb", kb]);
    assert_eq!(code, 1);
    assert!(err.contains("steps"), "{err}");
    let (code, out, err) = errmedic(&[
        "kb",
        "promote",
        "handling-csp-delegated-permissions-errors",
        "--by",
        "alice",
        "--kb",
        kb,
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("reviewed by alice"), "{out}");
    let promoted =
        std::fs::read_to_string(dir.join("handling-csp-delegated-permissions-errors.json"))
            .unwrap();
    assert!(promoted.contains("\"by\": \"alice\""), "{promoted}");
    assert!(!dir
        .join("drafts/handling-csp-delegated-permissions-errors.json")
        .exists());
    let loaded = errmedic::kb::load_dir(&dir).unwrap();
    assert!(loaded
        .get("handling-csp-delegated-permissions-errors")
        .is_some());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_page_of_identical_headings_gives_distinct_drafts_and_origins() {
    let section = "## Sync fails\n\n**Error:** `Sync_QuotaHit` on the nightly run\n\nReauthorize the connection.\n\n";
    let page = section.repeat(5_000);
    let d = drafts(
        &page,
        "hostile.md",
        None,
        &mut errmedic::authoring::drafts::Ids::default(),
    );
    assert_eq!(d.len(), 5_000);
    let ids: HashSet<&str> = d.iter().map(|e| e.id.as_str()).collect();
    let origins: HashSet<Option<&str>> = d.iter().map(|e| e.origin.as_deref()).collect();
    assert_eq!((ids.len(), origins.len()), (5_000, 5_000));
}

#[test]
fn importing_again_updates_only_untouched_drafts_and_pages_keep_to_their_own() {
    let dir = std::env::temp_dir().join(format!("errmedic-reimport-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    for folder in ["a", "b"] {
        std::fs::create_dir_all(dir.join(folder)).unwrap();
        std::fs::write(
            dir.join(folder).join("page.md"),
            format!("## Sync fails in {folder}\n\n**Error:** `Sync_QuotaHit`\n\nReauthorize the connection.\n\n## Export fails\n\n**Error:** `Export_Denied`\n\nGrant the export role.\n"),
        )
        .unwrap();
    }
    std::fs::create_dir_all(dir.join("kb")).unwrap();
    let import = || {
        let (code, out, err) = run_errmedic(
            &dir,
            &[],
            &["kb", "import", "a/page.md", "b/page.md", "--kb", "kb"],
        );
        assert_eq!(code, 0, "{out}{err}");
        out
    };
    import();
    let drafts_dir = dir.join("kb/drafts");
    let files = || -> Vec<std::path::PathBuf> {
        let mut f: Vec<_> = std::fs::read_dir(&drafts_dir)
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        f.sort();
        f
    };
    // Two pages called page.md: four drafts, none overwriting another.
    assert_eq!(files().len(), 4, "{:?}", files());
    // A reviewer edits one; importing again keeps the edit and changes nothing else.
    let edited = files()
        .into_iter()
        .find(|p| {
            std::fs::read_to_string(p)
                .unwrap()
                .contains("Sync fails in a")
        })
        .unwrap();
    let text = std::fs::read_to_string(&edited).unwrap();
    std::fs::write(
        &edited,
        text.replace("Reauthorize", "Reauthorize (checked)"),
    )
    .unwrap();
    let out = import();
    assert!(out.contains("kept") && out.contains("edited"), "{out}");
    assert!(std::fs::read_to_string(&edited)
        .unwrap()
        .contains("(checked)"));
    assert_eq!(files().len(), 4, "{:?}", files());
    std::fs::remove_dir_all(&dir).unwrap();
}

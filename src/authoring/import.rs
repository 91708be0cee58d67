//! `errmedic kb import`: a team's troubleshooting pages in Markdown (GitBook, MkDocs, a docs repo)
//! become draft entries, one per troubleshooting section. Pure: text in, drafts out; the command
//! line reads and writes the files.
//!
//! Read with a real Markdown parser (pulldown-cmark). Headings are section titles; a heading with
//! three or more sub-sections of its own is a list of errors (each sub-section a draft), one with
//! fewer is one topic in parts (one draft). Prose and "Cause:" items become the cause; ordered
//! lists (or prose sentences that tell the reader what to do) the steps; GitBook hints the notes;
//! links are made absolute against `--base-url` (anchors kept, `.md` dropped); images are dropped.
//! The error's codes and messages — code spans, fenced blocks, "Error Message:" items, and the
//! title itself under a list of errors — go to `match`.

use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use crate::kb::{Entry, Link, MatchSpec, Product, Tier};

/// One heading's content.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Section {
    pub level: u8,
    pub title: String,
    /// The heading's anchor on the page.
    pub anchor: String,
    pub prose: Vec<String>,
    pub ordered: Vec<String>,
    /// Unordered items: (label before `:` in bold, the rest), or no label.
    pub bullets: Vec<(Option<String>, String)>,
    pub notes: Vec<String>,
    pub links: Vec<Link>,
    pub code_spans: Vec<String>,
    pub code_blocks: Vec<String>,
}

/// GitBook's `{% … %}` tags on lines of their own, so that the parser sees them as paragraphs.
fn separate_gitbook_tags(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len() + 64);
    for line in markdown.lines() {
        let t = line.trim();
        if t.starts_with("{%") && t.ends_with("%}") {
            out.push_str("\n\n");
            out.push_str(t);
            out.push_str("\n\n");
        } else {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// Resolves a link against the base URL (the page's published URL) as a browser would:
/// `../x.md#a` → absolute, with `.md` dropped and the anchor kept; `#a` → the page with that anchor. Absolute and `mailto:` links stay; without a base, relative
/// links stay relative (the reviewer sees a warning).
pub fn resolve(url: &str, base: Option<&str>) -> String {
    if url.contains("://") || url.starts_with("mailto:") {
        return url.to_string();
    }
    let (path, anchor) = match url.split_once('#') {
        Some((p, a)) => (p, Some(a)),
        None => (url, None),
    };
    let path = path.strip_suffix(".md").unwrap_or(path);
    let path = path.strip_suffix("/README").unwrap_or(path);
    let Some(base) = base else {
        return url.to_string();
    };
    if path.is_empty() {
        // An anchor on the page itself.
        let page = base.split('#').next().unwrap_or(base);
        return format!("{page}#{}", anchor.unwrap_or(""));
    }
    let (root, dir) = match base
        .find("://")
        .and_then(|i| base[i + 3..].find('/').map(|j| i + 3 + j))
    {
        Some(cut) => (&base[..cut], &base[cut..]),
        None => (base.trim_end_matches('/'), "/"),
    };
    let mut parts: Vec<&str> = if path.starts_with('/') {
        Vec::new()
    } else {
        dir.split('/').filter(|s| !s.is_empty()).collect()
    };
    if !dir.ends_with('/') && !path.starts_with('/') {
        parts.pop();
    }
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    let mut out = format!("{root}/{}", parts.join("/"));
    if let Some(a) = anchor {
        out.push('#');
        out.push_str(a);
    }
    out
}

/// GitHub/GitBook-style anchor of a heading: its letters and digits in lower case, runs joined
/// by `-`.
fn anchor(title: &str) -> String {
    title
        .to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}

/// Reads a page into its sections (headings of level 2 and below; the page title is not one).
pub fn sections(markdown: &str, base: Option<&str>) -> Vec<Section> {
    let text = separate_gitbook_tags(markdown);
    let mut out: Vec<Section> = Vec::new();
    let mut heading: Option<(u8, String)> = None;
    let mut buf = String::new();
    let mut lists: Vec<bool> = Vec::new();
    let mut in_hint = false;
    let mut in_image = false;
    let mut code: Option<String> = None;
    let mut link: Option<(String, String, usize)> = None;
    // Items whose own text was already taken (a nested list started inside them).
    let mut taken: Vec<bool> = Vec::new();

    fn commit(out: &mut [Section], buf: &mut String, lists: &[bool], in_item: bool, in_hint: bool) {
        let text = buf.split_whitespace().collect::<Vec<_>>().join(" ");
        buf.clear();
        let Some(s) = out.last_mut() else { return };
        if text.is_empty() || (text.starts_with("{%") && text.ends_with("%}")) {
            return;
        }
        if in_hint {
            s.notes.push(text);
        } else if !in_item {
            s.prose.push(text);
        } else if lists.last() == Some(&true) {
            s.ordered.push(text);
        } else {
            let label = text
                .split_once(':')
                .filter(|(l, _)| l.len() <= 40 && !l.contains("://"))
                .map(|(l, r)| (l.trim().to_string(), r.trim().to_string()));
            match label {
                Some((l, r)) => s.bullets.push((Some(l), r)),
                None => s.bullets.push((None, text)),
            }
        }
    }

    for event in Parser::new_ext(&text, Options::empty()) {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                let level = match level {
                    HeadingLevel::H1 => 1,
                    HeadingLevel::H2 => 2,
                    HeadingLevel::H3 => 3,
                    HeadingLevel::H4 => 4,
                    HeadingLevel::H5 => 5,
                    HeadingLevel::H6 => 6,
                };
                heading = Some((level, String::new()));
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, title)) = heading.take() {
                    let title = title.split_whitespace().collect::<Vec<_>>().join(" ");
                    out.push(Section {
                        level,
                        anchor: anchor(&title),
                        title,
                        ..Section::default()
                    });
                }
                buf.clear();
            }
            Event::Start(Tag::List(first)) => {
                if !lists.is_empty() && taken.last() == Some(&false) {
                    commit(&mut out, &mut buf, &lists, true, in_hint);
                    if let Some(t) = taken.last_mut() {
                        *t = true;
                    }
                } else {
                    commit(&mut out, &mut buf, &lists, !lists.is_empty(), in_hint);
                }
                lists.push(first.is_some());
            }
            Event::End(TagEnd::List(_)) => {
                lists.pop();
            }
            Event::Start(Tag::Item) => {
                buf.clear();
                taken.push(false);
            }
            Event::End(TagEnd::Item) => {
                if taken.pop() == Some(false) {
                    commit(&mut out, &mut buf, &lists, true, in_hint);
                } else {
                    buf.clear();
                }
            }
            Event::End(TagEnd::Paragraph) => {
                let t = buf.trim().to_string();
                if t.starts_with("{% hint") {
                    in_hint = true;
                    buf.clear();
                } else if t.starts_with("{% endhint") {
                    in_hint = false;
                    buf.clear();
                } else if let Some(url) = t
                    .strip_prefix("{% content-ref url=\"")
                    .and_then(|r| r.split('"').next())
                {
                    if let Some(s) = out.last_mut() {
                        s.links.push(Link {
                            title: url.trim_end_matches(".md").to_string(),
                            url: resolve(url, base),
                        });
                    }
                    buf.clear();
                } else if lists.is_empty() {
                    commit(&mut out, &mut buf, &lists, false, in_hint);
                }
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let _ = matches!(kind, CodeBlockKind::Fenced(_));
                code = Some(String::new());
            }
            Event::End(TagEnd::CodeBlock) => {
                if let (Some(c), Some(s)) = (code.take(), out.last_mut()) {
                    if !c.trim().is_empty() {
                        s.code_blocks.push(c.trim().to_string());
                    }
                }
            }
            Event::Start(Tag::Image { .. }) => in_image = true,
            Event::End(TagEnd::Image) => in_image = false,
            Event::Start(Tag::Link {
                dest_url, title, ..
            }) => link = Some((dest_url.to_string(), title.to_string(), buf.len())),
            Event::End(TagEnd::Link) => {
                if let (Some((url, title, from)), Some(s)) = (link.take(), out.last_mut()) {
                    let text = buf.get(from..).unwrap_or("").trim().to_string();
                    let shown = if title == "mention" || text.is_empty() {
                        text.trim_start_matches('#')
                            .trim_end_matches(".md")
                            .replace('-', " ")
                    } else {
                        text
                    };
                    let shown = if shown.is_empty() { url.clone() } else { shown };
                    s.links.push(Link {
                        title: shown,
                        url: resolve(&url, base),
                    });
                }
            }
            Event::Text(t) => {
                if in_image {
                    continue;
                }
                if let Some(c) = code.as_mut() {
                    c.push_str(&t);
                } else if let Some((_, h)) = heading.as_mut() {
                    h.push_str(&t);
                } else {
                    buf.push_str(&t);
                }
            }
            Event::Code(t) => {
                if let Some((_, h)) = heading.as_mut() {
                    h.push_str(&t);
                } else {
                    buf.push_str(&t);
                    if let Some(s) = out.last_mut() {
                        s.code_spans.push(t.to_string());
                    }
                }
            }
            Event::SoftBreak | Event::HardBreak => buf.push(' '),
            _ => {}
        }
    }
    out
}

/// A heading with this many sub-sections of its own is a list of errors.
const LIST_OF_ERRORS: usize = 3;

/// Labels of items that say why the error happens.
const CAUSE_LABELS: [&str; 6] = [
    "cause",
    "root cause",
    "suspected cause",
    "common issue",
    "error context",
    "context",
];

/// Labels of items that quote the error.
const MESSAGE_LABELS: [&str; 3] = ["error message", "error message & context", "error"];

/// The troubleshooting sections of a page: the sub-sections of a list of errors, and every
/// other heading of level 2 (with its sub-sections folded in).
pub fn troubleshooting(all: &[Section]) -> Vec<(Section, bool)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < all.len() {
        let s = &all[i];
        if s.level < 2 {
            i += 1;
            continue;
        }
        let end = (i + 1..all.len())
            .find(|&j| all[j].level <= s.level)
            .unwrap_or(all.len());
        let children: Vec<&Section> = all[i + 1..end]
            .iter()
            .filter(|c| c.level == s.level + 1)
            .collect();
        if children.len() >= LIST_OF_ERRORS {
            for j in i + 1..end {
                if all[j].level == s.level + 1 {
                    let sub_end = (j + 1..end)
                        .find(|&k| all[k].level <= all[j].level)
                        .unwrap_or(end);
                    out.push((fold(&all[j..sub_end]), true));
                }
            }
        } else {
            out.push((fold(&all[i..end]), false));
        }
        i = end;
    }
    out
}

/// A section with its sub-sections' content appended.
fn fold(parts: &[Section]) -> Section {
    let mut s = parts[0].clone();
    for p in &parts[1..] {
        s.prose.extend(p.prose.iter().cloned());
        s.ordered.extend(p.ordered.iter().cloned());
        s.bullets.extend(p.bullets.iter().cloned());
        s.notes.extend(p.notes.iter().cloned());
        s.links.extend(p.links.iter().cloned());
        s.code_spans.extend(p.code_spans.iter().cloned());
        s.code_blocks.extend(p.code_blocks.iter().cloned());
    }
    s
}

/// Sentences of prose that tell the reader what to do.
fn imperative(sentence: &str) -> bool {
    const VERBS: [&str; 16] = [
        "check",
        "verify",
        "ensure",
        "make",
        "confirm",
        "consider",
        "look",
        "use",
        "go",
        "return",
        "follow",
        "review",
        "add",
        "remove",
        "reauthorize",
        "try",
    ];
    let first = sentence
        .split_whitespace()
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    VERBS.contains(&first.trim_matches(|c: char| !c.is_ascii_alphabetic()))
        || sentence.to_ascii_lowercase().contains(" will be needed")
        || sentence.to_ascii_lowercase().contains(" is required")
        || sentence.to_ascii_lowercase().contains(" must occur")
}

/// The sentences of a text (ending in `.`, `!` or `?`, the rest as a last one).
pub fn sentences(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for word in text.split_whitespace() {
        if !cur.is_empty() {
            cur.push(' ');
        }
        cur.push_str(word);
        if word.ends_with(['.', '?', '!']) {
            out.push(std::mem::take(&mut cur));
        }
    }
    if !cur.trim().is_empty() {
        out.push(cur);
    }
    out
}

/// True for a token that names an error on its own: `AADSTS50020`, `Request_BadRequest`,
/// `AppLifecycle_2210`, `Microsoft.Skype.…HttpResponseException`.
fn is_code(token: &str) -> bool {
    let t = token.trim_matches(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.'));
    let t = t.trim_end_matches('.');
    if t.len() < 5 || t.contains(' ') {
        return false;
    }
    let upper = t.bytes().filter(|b| b.is_ascii_uppercase()).count();
    t.to_ascii_uppercase().starts_with("AADSTS") && t[6..].bytes().all(|b| b.is_ascii_digit())
        || (t.contains('_')
            && upper >= 1
            && t.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_'))
        || (t.ends_with("Exception") && upper >= 2)
}

/// Cuts text to `max` characters at a word.
fn cut(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut out: String = text.chars().take(max - 1).collect();
    if let Some(i) = out.rfind(' ') {
        out.truncate(i);
    }
    out.push('…');
    out
}

/// A draft entry from a section. `list_item`: the section is one of a list of errors, so its
/// title is the error's message. `origin`: where it came from (`page.md#anchor`).
pub fn draft(s: &Section, list_item: bool, id: String, origin: String) -> Entry {
    let budget = crate::kb::Budget::ANSWER;
    let label_is = |l: &Option<String>, set: &[&str]| {
        l.as_deref()
            .is_some_and(|l| set.contains(&l.to_ascii_lowercase().as_str()))
    };
    let mut cause: Vec<String> = s
        .bullets
        .iter()
        .filter(|(l, _)| label_is(l, &CAUSE_LABELS))
        .map(|(_, t)| t.clone())
        .collect();
    let mut steps: Vec<String> = s.ordered.clone();
    if cause.is_empty() {
        for p in &s.prose {
            for sentence in sentences(p) {
                if s.ordered.is_empty() && imperative(&sentence) {
                    steps.push(sentence);
                } else if !(sentence.starts_with("See ") && sentence.len() < 80) {
                    cause.push(sentence);
                }
            }
        }
    }
    // A section of one sentence that says both why and what to do ("If X, reauthorization must
    // occur") gives it as the cause too.
    if cause.is_empty() {
        cause.extend(s.prose.first().cloned());
    }
    let mut messages: Vec<String> = Vec::new();
    let mut codes: Vec<String> = Vec::new();
    let add_code = |c: &str, codes: &mut Vec<String>| {
        let c = c
            .trim_matches(|ch: char| !(ch.is_ascii_alphanumeric() || ch == '_' || ch == '.'))
            .trim_end_matches('.')
            .to_string();
        if !codes.contains(&c) {
            codes.push(c);
        }
    };
    for token in s.title.split_whitespace() {
        if is_code(token) {
            add_code(token, &mut codes);
        }
    }
    let quoted = s
        .bullets
        .iter()
        .filter(|(l, _)| label_is(l, &MESSAGE_LABELS))
        .map(|(_, t)| t.clone());
    for q in quoted {
        for part in q.split(", ") {
            let part = part.trim().trim_end_matches('.');
            if part.split_whitespace().count() >= 2 && !part.starts_with("This ") {
                messages.push(part.to_string());
            }
        }
    }
    for span in s.code_spans.iter().chain(&s.code_blocks) {
        if is_code(span) {
            add_code(span, &mut codes);
        } else if span.split_whitespace().count() >= 3 {
            messages.push(span.clone());
        }
    }
    if list_item {
        let m = s.title.trim_end_matches('.').to_string();
        if m.split_whitespace().count() >= 2 {
            messages.push(m);
        }
    }
    messages.dedup();
    let mut keywords = vec![s.title.to_lowercase()];
    keywords.dedup();
    let mut links: Vec<Link> = Vec::new();
    for l in &s.links {
        if !links.iter().any(|x| x.url == l.url) {
            links.push(l.clone());
        }
    }
    Entry {
        id,
        title: cut(&s.title, 200),
        products: guess_products(s),
        cause: cut(&cause.join(" "), budget.cause),
        steps: steps
            .iter()
            .take(budget.steps)
            .map(|t| cut(t, budget.step))
            .collect(),
        notes: s
            .notes
            .iter()
            .take(2)
            .map(|n| cut(n, budget.note))
            .collect(),
        links: links.into_iter().take(budget.links).collect(),
        tags: Vec::new(),
        matching: MatchSpec {
            codes,
            messages,
            keywords,
            ..MatchSpec::default()
        },
        reviewed: None,
        origin: Some(origin),
        tier: Tier::Curated,
    }
}

/// Products a section names (Entra when it names none).
fn guess_products(s: &Section) -> Vec<Product> {
    let text = format!(
        "{} {} {} {}",
        s.title,
        s.prose.join(" "),
        s.ordered.join(" "),
        s.bullets
            .iter()
            .map(|(_, t)| t.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    )
    .to_lowercase();
    let mut out = Vec::new();
    for (p, words) in [
        (Product::Csp, &["csp", "partner center", "gdap"][..]),
        (Product::Graph, &["graph"][..]),
        (Product::ExchangeOnline, &["exchange"][..]),
        (Product::Intune, &["intune"][..]),
        (Product::Teams, &["teams", "skype"][..]),
        (
            Product::Entra,
            &["entra", "aadsts", "mfa", "conditional access", "token"][..],
        ),
    ] {
        if words.iter().any(|w| text.contains(w)) {
            out.push(p);
        }
    }
    if out.is_empty() {
        out.push(Product::Entra);
    }
    out
}

/// The drafts of one page. `page` names it in each draft's origin (with the heading's anchor,
/// numbered when a heading repeats, as GitHub does); `ids` holds the ids already used.
pub fn drafts(
    markdown: &str,
    page: &str,
    base: Option<&str>,
    ids: &mut crate::authoring::drafts::Ids,
) -> Vec<Entry> {
    let mut anchors: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    troubleshooting(&sections(markdown, base))
        .into_iter()
        .map(|(s, list_item)| {
            let seen = anchors.entry(s.anchor.clone()).or_insert(0);
            let anchor = match *seen {
                0 => s.anchor.clone(),
                n => format!("{}-{n}", s.anchor),
            };
            *seen += 1;
            let origin = format!("{page}#{anchor}");
            let id = ids.id_for(&s.title, &origin);
            draft(&s, list_item, id, origin)
        })
        .collect()
}

#[cfg(test)]
mod tests {
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
}

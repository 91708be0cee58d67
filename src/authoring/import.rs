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

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use crate::text::words::cut_at_word;

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
    let mut reader = Reader {
        base,
        ..Reader::default()
    };
    for event in Parser::new_ext(&text, Options::empty()) {
        reader.event(event);
    }
    reader.out
}

/// A page being read, event by event: the sections so far and where in the page it is.
#[derive(Default)]
struct Reader<'b> {
    base: Option<&'b str>,
    out: Vec<Section>,
    /// The heading being read (its level and text).
    heading: Option<(u8, String)>,
    /// Text read since the last block was kept.
    buf: String,
    /// Open lists, innermost last: whether each is ordered.
    lists: Vec<bool>,
    /// Items whose own text was already taken (a nested list started inside them).
    taken: Vec<bool>,
    in_hint: bool,
    in_image: bool,
    /// The code block being read.
    code: Option<String>,
    /// The link being read: its URL, title and where its text starts in `buf`.
    link: Option<(String, String, usize)>,
}

impl Reader<'_> {
    fn event(&mut self, event: Event<'_>) {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                self.heading = Some((level as u8, String::new()));
            }
            Event::End(TagEnd::Heading(_)) => self.heading_end(),
            Event::Start(Tag::List(first)) => self.list_start(first.is_some()),
            Event::End(TagEnd::List(_)) => {
                self.lists.pop();
            }
            Event::Start(Tag::Item) => {
                self.buf.clear();
                self.taken.push(false);
            }
            Event::End(TagEnd::Item) => {
                if self.taken.pop() == Some(false) {
                    self.commit(true);
                } else {
                    self.buf.clear();
                }
            }
            Event::End(TagEnd::Paragraph) => self.paragraph_end(),
            Event::Start(Tag::CodeBlock(_)) => self.code = Some(String::new()),
            Event::End(TagEnd::CodeBlock) => {
                if let (Some(c), Some(s)) = (self.code.take(), self.out.last_mut()) {
                    if !c.trim().is_empty() {
                        s.code_blocks.push(c.trim().to_string());
                    }
                }
            }
            Event::Start(Tag::Image { .. }) => self.in_image = true,
            Event::End(TagEnd::Image) => self.in_image = false,
            Event::Start(Tag::Link {
                dest_url, title, ..
            }) => self.link = Some((dest_url.to_string(), title.to_string(), self.buf.len())),
            Event::End(TagEnd::Link) => self.link_end(),
            Event::Text(t) => self.text(&t),
            Event::Code(t) => {
                if let Some((_, h)) = self.heading.as_mut() {
                    h.push_str(&t);
                } else {
                    self.buf.push_str(&t);
                    if let Some(s) = self.out.last_mut() {
                        s.code_spans.push(t.to_string());
                    }
                }
            }
            Event::SoftBreak | Event::HardBreak => self.buf.push(' '),
            _ => {}
        }
    }

    fn heading_end(&mut self) {
        if let Some((level, title)) = self.heading.take() {
            let title = title.split_whitespace().collect::<Vec<_>>().join(" ");
            self.out.push(Section {
                level,
                anchor: anchor(&title),
                title,
                ..Section::default()
            });
        }
        self.buf.clear();
    }

    /// A list starts: the text before it is kept (an item's own text, when the list is nested
    /// in an item).
    fn list_start(&mut self, ordered: bool) {
        if !self.lists.is_empty() && self.taken.last() == Some(&false) {
            self.commit(true);
            if let Some(t) = self.taken.last_mut() {
                *t = true;
            }
        } else {
            self.commit(!self.lists.is_empty());
        }
        self.lists.push(ordered);
    }

    /// A paragraph ends: GitBook's hints and content references are read; other text outside
    /// lists is kept as prose.
    fn paragraph_end(&mut self) {
        let t = self.buf.trim().to_string();
        if t.starts_with("{% hint") {
            self.in_hint = true;
            self.buf.clear();
        } else if t.starts_with("{% endhint") {
            self.in_hint = false;
            self.buf.clear();
        } else if let Some(url) = t
            .strip_prefix("{% content-ref url=\"")
            .and_then(|r| r.split('"').next())
        {
            if let Some(s) = self.out.last_mut() {
                s.links.push(Link {
                    title: url.trim_end_matches(".md").to_string(),
                    url: resolve(url, self.base),
                });
            }
            self.buf.clear();
        } else if self.lists.is_empty() {
            self.commit(false);
        }
    }

    fn link_end(&mut self) {
        if let (Some((url, title, from)), Some(s)) = (self.link.take(), self.out.last_mut()) {
            let text = self.buf.get(from..).unwrap_or("").trim().to_string();
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
                url: resolve(&url, self.base),
            });
        }
    }

    fn text(&mut self, t: &str) {
        if self.in_image {
            return;
        }
        if let Some(c) = self.code.as_mut() {
            c.push_str(t);
        } else if let Some((_, h)) = self.heading.as_mut() {
            h.push_str(t);
        } else {
            self.buf.push_str(t);
        }
    }

    /// Keeps the text read so far in the current section: as a note (in a hint), prose, a
    /// step (an ordered item) or a bullet (`Label: text` when it has a short label).
    fn commit(&mut self, in_item: bool) {
        let text = self.buf.split_whitespace().collect::<Vec<_>>().join(" ");
        self.buf.clear();
        let Some(s) = self.out.last_mut() else { return };
        if text.is_empty() || (text.starts_with("{%") && text.ends_with("%}")) {
            return;
        }
        if self.in_hint {
            s.notes.push(text);
        } else if !in_item {
            s.prose.push(text);
        } else if self.lists.last() == Some(&true) {
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
    let lower = sentence.trim().to_ascii_lowercase();
    // "Please verify …" is "verify …".
    let lower = lower.strip_prefix("please ").unwrap_or(&lower);
    let starts_with_verb = |clause: &str| {
        let first = clause.split_whitespace().next().unwrap_or("");
        VERBS.contains(&first.trim_matches(|c: char| !c.is_ascii_alphabetic()))
    };
    // A condition, then what to do: "If the user lacks …, check …", "When using GDAP, ensure …".
    let conditional = ["if ", "when ", "in case ", "once ", "after "]
        .iter()
        .any(|c| lower.starts_with(c))
        && lower.split_once(", ").is_some_and(|(_, then)| {
            let then = then.strip_prefix("please ").unwrap_or(then);
            starts_with_verb(then)
        });
    // An obligation: "the user must be in the … group", "the app needs to have …".
    const OBLIGATIONS: [&str; 10] = [
        " will be needed",
        " is required",
        " are required",
        " must occur",
        " must be ",
        " must have ",
        " needs to ",
        " need to ",
        " has to ",
        " is the recommended ",
    ];
    starts_with_verb(lower) || conditional || OBLIGATIONS.iter().any(|o| lower.contains(o))
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

/// A draft entry from a section. `list_item`: the section is one of a list of errors, so its
/// title is the error's message. `origin`: where it came from (`page.md#anchor`).
pub fn draft(s: &Section, list_item: bool, id: String, origin: String) -> Entry {
    let budget = crate::kb::Budget::ANSWER;
    let (cause, steps) = cause_and_steps(s);
    let (codes, messages) = codes_and_messages(s, list_item);
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
        title: cut_at_word(&s.title, 200),
        products: guess_products(s),
        cause: cut_at_word(&cause.join(" "), budget.cause),
        steps: steps
            .iter()
            .take(budget.steps)
            .map(|t| cut_at_word(t, budget.step))
            .collect(),
        notes: s
            .notes
            .iter()
            .take(2)
            .map(|n| cut_at_word(n, budget.note))
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

/// Whether a bullet's label is one of `set` ("Cause", "Error message", …).
fn label_is(label: &Option<String>, set: &[&str]) -> bool {
    label
        .as_deref()
        .is_some_and(|l| set.contains(&l.to_ascii_lowercase().as_str()))
}

/// The section's cause (its labelled bullets, else its prose) and steps (its ordered list, else
/// the imperative sentences of its prose).
fn cause_and_steps(s: &Section) -> (Vec<String>, Vec<String>) {
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
    // No list of steps and no instruction in the prose: the instructions and obligations said in
    // its other labelled bullets ("the authenticating account must have …", "ensure …").
    if steps.is_empty() {
        for (label, text) in &s.bullets {
            if label_is(label, &CAUSE_LABELS) || label_is(label, &MESSAGE_LABELS) {
                continue;
            }
            steps.extend(sentences(text).into_iter().filter(|t| imperative(t)));
        }
    }
    // A section of one sentence that says both why and what to do ("If X, reauthorization must
    // occur") gives it as the cause too.
    if cause.is_empty() {
        cause.extend(s.prose.first().cloned());
    }
    (cause, steps)
}

/// The codes (in the title and code spans) and messages (quoted in labelled bullets and code;
/// the title of a listed error) a draft matches.
fn codes_and_messages(s: &Section, list_item: bool) -> (Vec<String>, Vec<String>) {
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
    (codes, messages)
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
mod tests;

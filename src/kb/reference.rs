//! The reference tier: the general meaning of every Entra sign-in code (`AADSTS…`) and of the
//! Microsoft Graph error codes support engineers meet most, in our words. Kept apart from the
//! curated entries: its own folder (`kb/reference/`), its own file format (one JSON array per
//! pack) and its own checks. Loaded entries become ordinary [`Entry`] values marked
//! [`Tier::Reference`], matched by their code alone.

use std::collections::HashMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::entry::{Entry, Link, MatchSpec, Product, Tier};
use super::validate::is_https_url;
use super::validate::Problem;

/// One reference entry as stored in a pack.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReferenceEntry {
    /// `aadsts<digits>` or `graph-<code in lower case>`.
    pub id: String,
    /// The code as Microsoft writes it: `AADSTS700016`, `Request_ResourceNotFound`.
    pub code: String,
    /// Microsoft's name for the error (`UnauthorizedClient_DoesNotMatchRequest`), when it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The group of codes whose steps it shares.
    pub category: String,
    pub title: String,
    /// What the code means, in our words.
    pub meaning: String,
    /// What to do, ordered.
    pub steps: Vec<String>,
    pub links: Vec<Link>,
    /// Lookup words (category phrases, the name's words).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub keywords: Vec<String>,
    /// The HTTP status the code usually comes with (Graph).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// Microsoft's messages for the code, word for word as its services show them, with the
    /// parts that vary written `{name}`: a paste that quotes one without the code still finds
    /// the entry. Each has at least [`MIN_MESSAGE_WORDS`] words outside its placeholders, and no
    /// other reference entry has it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub messages: Vec<String>,
}

/// The fewest words (outside placeholders) a reference entry's message needs: shorter ones
/// ("Invalid STS request.", "Credential required.") say too little to stand for one code.
pub const MIN_MESSAGE_WORDS: usize = 5;

/// A message as the engine matches it: its `{placeholders}` (and the quotes or brackets around
/// them) left out, since the paste holds the values instead. One pass, spaces collapsed.
pub fn without_placeholders(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut depth = 0usize;
    for c in message.chars() {
        match c {
            '{' => depth += 1,
            '}' if depth > 0 => depth -= 1,
            _ if depth > 0 => {}
            c if c.is_whitespace() => {
                if !out.is_empty() && !out.ends_with(' ') {
                    out.push(' ');
                }
            }
            c => {
                // What wrapped a placeholder is left empty: `''`, `()`, `<>`.
                let opener = match c {
                    '\'' => '\'',
                    ')' => '(',
                    '>' => '<',
                    _ => '\0',
                };
                if opener != '\0' && out.ends_with(opener) {
                    out.pop();
                    if !out.is_empty() && !out.ends_with(' ') {
                        out.push(' ');
                    }
                } else {
                    out.push(c);
                }
            }
        }
    }
    out.truncate(out.trim_end().len());
    out
}

/// The words of a message as matched (see [`without_placeholders`]): its runs of letters and
/// digits. Checked on every load, so counted without reading the words themselves.
pub fn word_count(matched: &str) -> usize {
    matched
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .count()
}

/// The id a code's reference entry must have.
pub fn id_for(code: &str) -> String {
    let lower = code.to_ascii_lowercase();
    if lower.starts_with("aadsts") {
        lower
    } else {
        format!("graph-{lower}")
    }
}

impl ReferenceEntry {
    /// The entry the engine matches: its code is its only evidence; lookups also see its name,
    /// category and keywords.
    pub fn to_entry(&self) -> Entry {
        let aadsts = self.code.to_ascii_uppercase().starts_with("AADSTS");
        let mut keywords = self.keywords.clone();
        if let Some(name) = &self.name {
            keywords.push(name.clone());
        }
        Entry {
            id: self.id.clone(),
            title: self.title.clone(),
            products: vec![if aadsts {
                Product::Entra
            } else {
                Product::Graph
            }],
            cause: self.meaning.clone(),
            steps: self.steps.clone(),
            notes: Vec::new(),
            links: self.links.clone(),
            tags: vec![self.category.clone()],
            matching: MatchSpec {
                codes: vec![self.code.clone()],
                messages: self
                    .messages
                    .iter()
                    .map(|m| without_placeholders(m))
                    .collect(),
                keywords,
                ..MatchSpec::default()
            },
            reviewed: None,
            origin: None,
            tier: Tier::Reference,
        }
    }
}

/// Reads the packs (`*.json`, each an array of [`ReferenceEntry`]) in `dir`: the entries, or every
/// problem found. A missing folder is an empty tier.
pub fn load_dir(dir: &Path) -> Result<Vec<ReferenceEntry>, Vec<Problem>> {
    let Ok(paths) = super::files::json_files(dir) else {
        return Ok(Vec::new());
    };
    let mut entries = Vec::new();
    let mut problems = Vec::new();
    for path in paths {
        let file = path.display().to_string();
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) => {
                problems.push(Problem::file(&file, format!("cannot read the file: {e}")));
                continue;
            }
        };
        match serde_json::from_str::<Vec<ReferenceEntry>>(&text) {
            Ok(pack) => entries.extend(pack.into_iter().map(|e| (file.clone(), e))),
            Err(e) => problems.push(Problem {
                line: e.line(),
                column: e.column(),
                ..Problem::file(&file, format!("not a reference pack: {e}"))
            }),
        }
    }
    problems.extend(check(&entries));
    if problems.is_empty() {
        Ok(entries.into_iter().map(|(_, e)| e).collect())
    } else {
        Err(problems)
    }
}

/// Checks reference entries (with the file each came from): ids made from codes, every code
/// once, nothing empty, every link https, every message long enough and one code's only.
pub fn check(entries: &[(String, ReferenceEntry)]) -> Vec<Problem> {
    let mut problems = Vec::new();
    let mut codes: HashMap<String, &str> = HashMap::new();
    let mut messages: HashMap<String, &str> = HashMap::new();
    for (file, e) in entries {
        let mut report = |field: &str, message: String| {
            problems.push(Problem::entry(file, &e.id, field, message));
        };
        if e.id != id_for(&e.code) {
            report(
                "id",
                format!("must be `{}`, made from the code", id_for(&e.code)),
            );
        }
        for (field, value) in [
            ("code", &e.code),
            ("category", &e.category),
            ("title", &e.title),
            ("meaning", &e.meaning),
        ] {
            if value.trim().is_empty() {
                report(field, "must not be empty".into());
            }
        }
        if e.steps.is_empty() || e.steps.iter().any(|s| s.trim().is_empty()) {
            report("steps", "must hold at least one step, none empty".into());
        }
        if e.links.is_empty() {
            report("links", "must hold at least one link".into());
        }
        for (i, l) in e.links.iter().enumerate() {
            if l.title.trim().is_empty() || !is_https_url(&l.url) {
                report(
                    &format!("links[{i}]"),
                    format!(
                        "needs a title and an absolute https:// URL, not `{}`",
                        l.url
                    ),
                );
            }
        }
        for (i, m) in e.messages.iter().enumerate() {
            let field = format!("messages[{i}]");
            let matched = without_placeholders(m);
            if word_count(&matched) < MIN_MESSAGE_WORDS {
                report(
                    &field,
                    format!(
                        "`{m}` has fewer than {MIN_MESSAGE_WORDS} words outside its placeholders"
                    ),
                );
            }
            let key = matched.to_lowercase();
            match messages.get(&key) {
                Some(first) if *first != e.code => report(
                    &field,
                    format!("`{m}` is already a message of {first}: it cannot tell them apart"),
                ),
                _ => {
                    messages.insert(key, &e.code);
                }
            }
        }
        match codes.get(&e.code.to_ascii_lowercase()) {
            Some(first) => report(
                "code",
                format!("`{}` is already the code of an entry in {first}", e.code),
            ),
            None => {
                codes.insert(e.code.to_ascii_lowercase(), file);
            }
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(code: &str) -> ReferenceEntry {
        ReferenceEntry {
            id: id_for(code),
            code: code.into(),
            name: Some("InvalidReplyTo".into()),
            category: "redirect-uri".into(),
            title: format!("{code} InvalidReplyTo"),
            meaning: "The reply address does not match.".into(),
            steps: vec!["Compare the redirect URI.".into()],
            links: vec![Link {
                title: "Codes".into(),
                url: "https://learn.microsoft.com/x".into(),
            }],
            keywords: vec!["reply url mismatch".into()],
            status: None,
            messages: Vec::new(),
        }
    }

    #[test]
    fn ids_come_from_codes() {
        assert_eq!(id_for("AADSTS700016"), "aadsts700016");
        assert_eq!(
            id_for("Request_ResourceNotFound"),
            "graph-request_resourcenotfound"
        );
    }

    #[test]
    fn a_good_pack_passes_and_every_problem_is_named() {
        let f = "kb/reference/aadsts.json".to_string();
        assert!(check(&[(f.clone(), entry("AADSTS50011"))]).is_empty());
        let mut bad = entry("AADSTS50011");
        bad.id = "aadsts1".into();
        bad.meaning = " ".into();
        bad.links[0].url = "http://example.com".into();
        let problems = check(&[(f.clone(), entry("AADSTS50011")), (f, bad)]);
        let text: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
        let all = text.join("\n");
        for needle in [
            "must be `aadsts50011`",
            "meaning",
            "https",
            "already the code",
        ] {
            assert!(all.contains(needle), "{needle} missing from:\n{all}");
        }
    }

    #[test]
    fn a_reference_entry_is_matched_by_its_code_and_found_by_its_words() {
        let e = entry("AADSTS50011").to_entry();
        assert_eq!(e.tier, Tier::Reference);
        assert_eq!(e.matching.codes, ["AADSTS50011"]);
        assert!(e.matching.keywords.contains(&"InvalidReplyTo".to_string()));
        assert_eq!(e.products, [Product::Entra]);
    }

    #[test]
    fn messages_are_matched_without_their_placeholders() {
        assert_eq!(
            without_placeholders(
                "Application with identifier '{appId}' was not found in the directory '{tenant}'."
            ),
            "Application with identifier was not found in the directory ."
        );
        assert_eq!(
            without_placeholders("Application '{appId}'({appName}) is disabled."),
            "Application is disabled."
        );
        let mut e = entry("AADSTS700016");
        e.messages = vec!["Application with identifier '{appId}' was not found.".into()];
        assert_eq!(
            e.to_entry().matching.messages,
            ["Application with identifier was not found."]
        );
    }

    #[test]
    fn a_message_must_say_enough_and_belong_to_one_code() {
        let f = "kb/reference/aadsts.json".to_string();
        let mut short = entry("AADSTS81016");
        short.messages = vec!["Invalid STS request.".into()];
        let mut first = entry("AADSTS53005");
        first.messages = vec!["Application needs to enforce Intune protection policies.".into()];
        let mut second = entry("AADSTS53009");
        second.messages = first.messages.clone();
        let problems = check(&[(f.clone(), short), (f.clone(), first), (f, second)]);
        let text: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
        assert_eq!(text.len(), 2, "{text:?}");
        assert!(text[0].contains("aadsts81016") && text[0].contains("fewer than 5 words"));
        assert!(
            text[1].contains("aadsts53009") && text[1].contains("already a message of AADSTS53005")
        );
    }
}

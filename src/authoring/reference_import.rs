//! `errmedic kb reference import TABLE.md`: builds the reference pack of Entra sign-in codes from
//! Microsoft's published table (`reference-error-codes.md` in `MicrosoftDocs/entra-docs`).
//!
//! From the table it takes facts only: every `AADSTS` code and Microsoft's name for it. The words
//! are ours, kept in `reference/`: what each code means and what to check first
//! (`aadsts-words.json`), the steps of each category (`categories.json`) and the codes that have
//! their own troubleshooting article (`articles.json`). A code the table gains before our words
//! cover it gets a category guessed from its name and the category's steps, and says so.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::Context;
use serde::Deserialize;

use crate::kb::reference::{
    id_for, without_placeholders, word_count, ReferenceEntry, MIN_MESSAGE_WORDS,
};
use crate::kb::Link;

/// Microsoft's table of Entra codes.
pub const TABLE_URL: &str =
    "https://learn.microsoft.com/en-us/entra/identity-platform/reference-error-codes";

/// One row of the table: the code and Microsoft's name for the error, when the row gives one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub code: String,
    pub name: Option<String>,
}

/// Reads the rows of the AADSTS table from the Markdown page: lines `| AADSTS<digits> | Name -
/// description |`. Other tables and prose are skipped; a code seen twice is kept once.
pub fn parse_table(markdown: &str) -> Vec<Row> {
    let mut rows: Vec<Row> = Vec::new();
    for line in markdown.lines() {
        let Some(rest) = line.trim().strip_prefix('|') else {
            continue;
        };
        let mut cells = rest.split('|');
        let code = cells.next().unwrap_or("").trim().replace('`', "");
        let digits = code.strip_prefix("AADSTS").unwrap_or("");
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        if rows.iter().any(|r| r.code == code) {
            continue;
        }
        let name = leading_name(cells.next().unwrap_or(""));
        rows.push(Row { code, name });
    }
    rows
}

/// The error name a description starts with: one identifier (`InvalidReplyTo`,
/// `UnauthorizedClient_DoesNotMatchRequest`) followed by `-` or ending the cell.
fn leading_name(cell: &str) -> Option<String> {
    let cell = cell.trim();
    let end = cell
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(cell.len());
    let (token, rest) = cell.split_at(end);
    let named = rest.trim_start().starts_with('-') || rest.trim().is_empty();
    let identifier = token.len() > 2
        && token.starts_with(|c: char| c.is_ascii_uppercase())
        && (token.contains('_') || token[1..].contains(|c: char| c.is_ascii_uppercase()));
    (named && identifier).then(|| token.to_string())
}

/// Our words for one code.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Words {
    pub category: String,
    pub meaning: String,
    #[serde(default)]
    pub action: Option<String>,
}

/// A code Microsoft's services emit that its table does not list: Microsoft's name for it (when
/// one was seen), its message as the service shows it, and where both were seen.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Unlisted {
    #[serde(default)]
    pub name: Option<String>,
    pub message: String,
    pub source: String,
}

/// One of Microsoft's messages for a code, as its services show it (the parts that vary written
/// `{name}`), and where it was seen.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Seen {
    pub message: String,
    pub source: String,
}

/// Microsoft's lookup page for any Entra code, listed in its table or not.
pub fn lookup_url(code: &str) -> String {
    format!(
        "https://login.microsoftonline.com/error?code={}",
        code.trim_start_matches("AADSTS")
    )
}

/// Our words for one category.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Category {
    pub title: String,
    pub steps: Vec<String>,
    #[serde(default)]
    pub keywords: Vec<String>,
}

/// Everything in `reference/` the pack is written from.
#[derive(Debug, Clone)]
pub struct Sources {
    pub words: BTreeMap<String, Words>,
    pub categories: BTreeMap<String, Category>,
    pub articles: BTreeMap<String, String>,
    /// Codes seen in the wild that the table lacks (`aadsts-unlisted.json`).
    pub unlisted: BTreeMap<String, Unlisted>,
    /// Microsoft's messages for codes, seen in the wild (`aadsts-messages.json`).
    pub messages: BTreeMap<String, Vec<Seen>>,
}

impl Sources {
    /// Reads `aadsts-words.json`, `categories.json`, `articles.json`, `aadsts-unlisted.json` and
    /// `aadsts-messages.json` from `dir`.
    pub fn read(dir: &Path) -> anyhow::Result<Sources> {
        fn json<T: serde::de::DeserializeOwned>(path: &Path) -> anyhow::Result<T> {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("reading {}", path.display()))?;
            serde_json::from_str(&text).with_context(|| format!("parsing {}", path.display()))
        }
        let unlisted = dir.join("aadsts-unlisted.json");
        let messages = dir.join("aadsts-messages.json");
        let sources = Sources {
            words: json(&dir.join("aadsts-words.json"))?,
            categories: json(&dir.join("categories.json"))?,
            articles: json(&dir.join("articles.json"))?,
            // Optional: a folder of our words from before there were notes still imports.
            unlisted: if unlisted.exists() {
                json(&unlisted)?
            } else {
                BTreeMap::new()
            },
            messages: if messages.exists() {
                json(&messages)?
            } else {
                BTreeMap::new()
            },
        };
        for (code, seen) in &sources.messages {
            if !is_aadsts(code) {
                anyhow::bail!("{}: `{code}` is not an AADSTS code", messages.display());
            }
            if let Some(i) = seen
                .iter()
                .position(|s| s.message.trim().is_empty() || s.source.trim().is_empty())
            {
                anyhow::bail!(
                    "{}: {code}, message {}: needs the message as Microsoft shows it and where it was seen",
                    messages.display(),
                    i + 1
                );
            }
        }
        for (code, u) in &sources.unlisted {
            if !is_aadsts(code) {
                anyhow::bail!("{}: `{code}` is not an AADSTS code", unlisted.display());
            }
            if u.message.trim().is_empty() || u.source.trim().is_empty() {
                anyhow::bail!(
                    "{}: {code} needs the message as Microsoft shows it and where it was seen",
                    unlisted.display()
                );
            }
            if !sources.words.contains_key(code) {
                anyhow::bail!(
                    "{}: {code} has no words of ours in aadsts-words.json (what it means, its category)",
                    unlisted.display()
                );
            }
        }
        if let Some((code, w)) = sources
            .words
            .iter()
            .find(|(_, w)| !sources.categories.contains_key(&w.category))
        {
            anyhow::bail!(
                "{}: {code} names the category `{}`, which categories.json does not have",
                dir.join("aadsts-words.json").display(),
                w.category
            );
        }
        Ok(sources)
    }
}

/// Guesses a category from an error's name, for codes our words do not cover yet.
fn guess_category(name: Option<&str>) -> &'static str {
    let name = name.unwrap_or("").to_ascii_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| name.contains(w));
    if has(&["consent", "permission", "scope"]) {
        "consent"
    } else if has(&["replyto", "redirect", "replyaddress"]) {
        "redirect-uri"
    } else if has(&["mfa", "strongauth", "multifactor"]) {
        "mfa"
    } else if has(&["conditionalaccess", "policy", "blocked"]) {
        "conditional-access"
    } else if has(&["device"]) {
        "device"
    } else if has(&["password", "credential", "secret", "certificate"]) {
        "credentials"
    } else if has(&["federat", "saml", "wsfed", "sso", "passthrough"]) {
        "federation"
    } else if has(&["guest", "external", "b2b"]) {
        "b2b-guest"
    } else if has(&["tenant", "directory"]) {
        "tenant"
    } else if has(&["token", "expired", "session", "grant"]) {
        "token-lifetime"
    } else if has(&["user", "account"]) {
        "user-account"
    } else if has(&["application", "client", "serviceprincipal", "app"]) {
        "app-registration"
    } else if has(&["server", "service", "unavailable", "internal", "timeout"]) {
        "service"
    } else {
        "request-format"
    }
}

/// `AADSTS` and 4 to 8 digits.
fn is_aadsts(code: &str) -> bool {
    let digits = code.strip_prefix("AADSTS").unwrap_or("");
    (4..=8).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit())
}

/// Per code, the messages its entry is matched by: those seen (`aadsts-messages.json`, then an
/// unlisted code's own), each once, leaving out any with too few words to stand for one code
/// and any that two codes share (it cannot tell them apart).
fn matched_messages(sources: &Sources) -> BTreeMap<String, Vec<String>> {
    let mut seen: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let unlisted = sources
        .unlisted
        .iter()
        .map(|(code, u)| (code, u.message.as_str()));
    let listed = sources
        .messages
        .iter()
        .flat_map(|(code, s)| s.iter().map(move |s| (code, s.message.as_str())));
    for (code, message) in listed.chain(unlisted) {
        let message = message.trim().to_string();
        let kept = seen.entry(code.clone()).or_default();
        if !kept.contains(&message) {
            kept.push(message);
        }
    }
    let mut owners: BTreeMap<String, usize> = BTreeMap::new();
    for m in seen.values().flatten() {
        *owners
            .entry(without_placeholders(m).to_lowercase())
            .or_default() += 1;
    }
    for messages in seen.values_mut() {
        messages.retain(|m| {
            let matched = without_placeholders(m);
            word_count(&matched) >= MIN_MESSAGE_WORDS && owners[&matched.to_lowercase()] == 1
        });
    }
    seen.retain(|_, m| !m.is_empty());
    seen
}

/// `InvalidReplyTo` → `invalid reply to`.
fn name_words(name: &str) -> String {
    crate::text::words::words(name).join(" ")
}

/// The reference entries of the table's rows and of the codes it lacks (`sources.unlisted`; the
/// table's row wins where both have a code), in code order.
pub fn build(rows: &[Row], sources: &Sources) -> Vec<ReferenceEntry> {
    let extra: Vec<Row> = sources
        .unlisted
        .iter()
        .filter(|(code, _)| !rows.iter().any(|r| &r.code == *code))
        .map(|(code, u)| Row {
            code: code.clone(),
            name: u.name.clone(),
        })
        .collect();
    let mut rows: Vec<&Row> = rows.iter().chain(&extra).collect();
    rows.sort_by_key(|r| r.code[6..].parse::<u64>().unwrap_or(u64::MAX));
    let mut messages = matched_messages(sources);
    rows.into_iter()
        .map(|row| {
            let ours = sources.words.get(&row.code);
            let category = ours
                .map(|w| w.category.as_str())
                .filter(|c| sources.categories.contains_key(*c))
                .unwrap_or_else(|| guess_category(row.name.as_deref()));
            let cat = sources.categories.get(category);
            let cat_title = cat.map_or("Sign-in error", |c| c.title.as_str());
            let meaning = match ours {
                Some(w) => w.meaning.clone(),
                None => format!(
                    "A sign-in error Microsoft lists{}; no note of ours covers it yet, so start with the steps for {}.",
                    row.name
                        .as_deref()
                        .map(|n| format!(" as `{n}`"))
                        .unwrap_or_default(),
                    cat_title.to_lowercase()
                ),
            };
            let mut steps: Vec<String> = ours.and_then(|w| w.action.clone()).into_iter().collect();
            steps.extend(cat.map(|c| c.steps.clone()).unwrap_or_default());
            let listed = !extra.iter().any(|r| r.code == row.code);
            let mut links = vec![if listed {
                Link {
                    title: "Microsoft Entra authentication and authorization error codes".into(),
                    url: TABLE_URL.into(),
                }
            } else {
                Link {
                    title: format!("Microsoft's error lookup for {}", row.code),
                    url: lookup_url(&row.code),
                }
            }];
            if let Some(url) = sources.articles.get(&row.code) {
                links.push(Link {
                    title: format!("Troubleshooting {}", row.code),
                    url: url.clone(),
                });
            } else if let Some(u) = sources.unlisted.get(&row.code).filter(|u| {
                !listed && u.source.starts_with("https://learn.microsoft.com/")
            }) {
                links.push(Link {
                    title: format!("Where Microsoft describes {}", row.code),
                    url: u.source.clone(),
                });
            }
            let mut keywords: Vec<String> = cat.map(|c| c.keywords.clone()).unwrap_or_default();
            if let Some(name) = &row.name {
                keywords.push(name_words(name));
            }
            let topic = cat_title.to_lowercase();
            let title = match &row.name {
                Some(name) => format!("{} {name}: {topic}", row.code),
                None => format!("{}: {topic}", row.code),
            };
            ReferenceEntry {
                id: id_for(&row.code),
                code: row.code.clone(),
                name: row.name.clone(),
                category: category.to_string(),
                title,
                meaning,
                steps,
                links,
                keywords,
                status: None,
                messages: messages.remove(&row.code).unwrap_or_default(),
            }
        })
        .collect()
}

/// What an import wrote.
pub struct Imported {
    pub entries: Vec<ReferenceEntry>,
    /// Codes `aadsts-messages.json` has messages for that neither the table nor
    /// `aadsts-unlisted.json` lists: their messages were not written.
    pub orphans: Vec<String>,
}

/// Reads the table and the sources, and writes the pack to `out`.
pub fn import(table: &Path, sources: &Path, out: &Path) -> anyhow::Result<Imported> {
    let markdown =
        std::fs::read_to_string(table).with_context(|| format!("reading {}", table.display()))?;
    let rows = parse_table(&markdown);
    if rows.is_empty() {
        anyhow::bail!(
            "{}: no `| AADSTS<digits> | … |` rows; is this Microsoft's reference-error-codes.md?",
            table.display()
        );
    }
    let sources = Sources::read(sources)?;
    let entries = build(&rows, &sources);
    let orphans = sources
        .messages
        .keys()
        .filter(|c| !entries.iter().any(|e| &e.code == *c))
        .cloned()
        .collect();
    if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    let mut json = serde_json::to_string_pretty(&entries)?;
    json.push('\n');
    std::fs::write(out, json).with_context(|| format!("writing {}", out.display()))?;
    Ok(Imported { entries, orphans })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_read_only_where_a_row_gives_one() {
        assert_eq!(
            leading_name("InvalidReplyTo - The reply address is missing"),
            Some("InvalidReplyTo".into())
        );
        assert_eq!(
            leading_name("UserStrongAuthExpired- Presented MFA expired"),
            Some("UserStrongAuthExpired".into())
        );
        assert_eq!(
            leading_name("UnauthorizedClient_DoesNotMatchRequest"),
            Some("UnauthorizedClient_DoesNotMatchRequest".into())
        );
        assert_eq!(leading_name("Invalid URI - domain name contains"), None);
        assert_eq!(leading_name("The request was malformed."), None);
    }

    fn sources(unlisted: &[(&str, Option<&str>, &str)]) -> Sources {
        let words = |category: &str, meaning: &str| Words {
            category: category.into(),
            meaning: meaning.into(),
            action: None,
        };
        let mut s = Sources {
            words: BTreeMap::from([("AADSTS50011".into(), words("redirect-uri", "Listed."))]),
            categories: BTreeMap::from([(
                "redirect-uri".into(),
                Category {
                    title: "Reply address".into(),
                    steps: vec!["Check the redirect URIs.".into()],
                    keywords: vec![],
                },
            )]),
            articles: BTreeMap::new(),
            unlisted: BTreeMap::new(),
            messages: BTreeMap::new(),
        };
        for (code, name, source) in unlisted {
            s.words
                .insert((*code).into(), words("redirect-uri", "Seen, not listed."));
            s.unlisted.insert(
                (*code).into(),
                Unlisted {
                    name: name.map(Into::into),
                    message: "No reply address is registered for the application.".into(),
                    source: (*source).into(),
                },
            );
        }
        s
    }

    #[test]
    fn codes_the_table_lacks_are_added_with_microsoft_s_lookup() {
        let rows = parse_table("| AADSTS50011 | InvalidReplyTo - The reply address |");
        let s = sources(&[
            (
                "AADSTS500113",
                None,
                "https://learn.microsoft.com/en-us/troubleshoot/x",
            ),
            ("AADSTS50011", Some("Other"), "owner/repo#1"),
        ]);
        let entries = build(&rows, &s);
        let codes: Vec<&str> = entries.iter().map(|e| e.code.as_str()).collect();
        assert_eq!(codes, ["AADSTS50011", "AADSTS500113"]);
        // The table's row wins over an unlisted note for the same code.
        assert_eq!(entries[0].name.as_deref(), Some("InvalidReplyTo"));
        assert_eq!(entries[0].links[0].url, TABLE_URL);
        let unlisted = &entries[1];
        assert_eq!(unlisted.meaning, "Seen, not listed.");
        assert_eq!(
            unlisted.links[0].url,
            "https://login.microsoftonline.com/error?code=500113"
        );
        assert_eq!(
            unlisted.links[1].url,
            "https://learn.microsoft.com/en-us/troubleshoot/x"
        );
        assert_eq!(unlisted.steps, ["Check the redirect URIs."]);
    }

    #[test]
    fn messages_seen_are_kept_unless_short_or_shared() {
        let rows = parse_table(
            "| AADSTS50011 | InvalidReplyTo - The reply address |\n| AADSTS50012 | AuthenticationFailed - x |",
        );
        let mut s = sources(&[("AADSTS500113", None, "owner/repo#2")]);
        let seen = |m: &str| Seen {
            message: m.into(),
            source: "owner/repo#1".into(),
        };
        s.messages.insert(
            "AADSTS50011".into(),
            vec![
                seen("The reply URL specified in the request does not match '{appId}'."),
                seen("Invalid reply."),
                seen("Shared by two codes of the table, word for word."),
            ],
        );
        s.messages.insert(
            "AADSTS50012".into(),
            vec![seen("Shared by two codes of the table, word for word.")],
        );
        let entries = build(&rows, &s);
        assert_eq!(
            entries[0].messages,
            ["The reply URL specified in the request does not match '{appId}'."]
        );
        assert!(entries[1].messages.is_empty());
        // An unlisted code's own message is matched too.
        assert_eq!(
            entries[2].messages,
            ["No reply address is registered for the application."]
        );
    }

    #[test]
    fn an_unlisted_code_needs_our_words_and_its_message() {
        let dir = std::env::temp_dir().join(format!("errmedic-unlisted-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        for (file, text) in [
            ("aadsts-words.json", "{}"),
            ("categories.json", "{}"),
            ("articles.json", "{}"),
            (
                "aadsts-unlisted.json",
                r#"{"AADSTS500113": {"message": "No reply address is registered.", "source": "owner/repo#1"}}"#,
            ),
        ] {
            std::fs::write(dir.join(file), text).unwrap();
        }
        let e = Sources::read(&dir).unwrap_err().to_string();
        assert!(e.contains("AADSTS500113 has no words of ours"), "{e}");
        std::fs::write(
            dir.join("aadsts-unlisted.json"),
            r#"{"AADSTS500113": {"message": " ", "source": "owner/repo#1"}}"#,
        )
        .unwrap();
        let e = Sources::read(&dir).unwrap_err().to_string();
        assert!(e.contains("needs the message"), "{e}");
        std::fs::write(
            dir.join("aadsts-unlisted.json"),
            r#"{"500113": {"message": "x", "source": "y"}}"#,
        )
        .unwrap();
        let e = Sources::read(&dir).unwrap_err().to_string();
        assert!(e.contains("is not an AADSTS code"), "{e}");
        std::fs::write(
            dir.join("aadsts-unlisted.json"),
            r#"{"AADSTS1": {"message": "x", "source": "y"}}"#,
        )
        .unwrap();
        let e = Sources::read(&dir).unwrap_err().to_string();
        assert!(e.contains("is not an AADSTS code"), "{e}");
        // Without the file, there are no notes.
        std::fs::remove_file(dir.join("aadsts-unlisted.json")).unwrap();
        assert!(Sources::read(&dir).unwrap().unlisted.is_empty());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn categories_are_guessed_from_names() {
        assert_eq!(guess_category(Some("InvalidReplyTo")), "redirect-uri");
        assert_eq!(guess_category(Some("ConsentRequired")), "consent");
        assert_eq!(guess_category(None), "request-format");
    }
}

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

use crate::kb::reference::{id_for, ReferenceEntry};
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
}

impl Sources {
    /// Reads `aadsts-words.json`, `categories.json` and `articles.json` from `dir`.
    pub fn read(dir: &Path) -> anyhow::Result<Sources> {
        fn json<T: serde::de::DeserializeOwned>(path: &Path) -> anyhow::Result<T> {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("reading {}", path.display()))?;
            serde_json::from_str(&text).with_context(|| format!("parsing {}", path.display()))
        }
        let sources = Sources {
            words: json(&dir.join("aadsts-words.json"))?,
            categories: json(&dir.join("categories.json"))?,
            articles: json(&dir.join("articles.json"))?,
        };
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

/// `InvalidReplyTo` → `invalid reply to`.
fn name_words(name: &str) -> String {
    crate::text::words::words(name).join(" ")
}

/// The reference entries of the table's rows, in code order.
pub fn build(rows: &[Row], sources: &Sources) -> Vec<ReferenceEntry> {
    let mut rows: Vec<&Row> = rows.iter().collect();
    rows.sort_by_key(|r| r.code[6..].parse::<u64>().unwrap_or(u64::MAX));
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
            let mut links = vec![Link {
                title: "Microsoft Entra authentication and authorization error codes".into(),
                url: TABLE_URL.into(),
            }];
            if let Some(url) = sources.articles.get(&row.code) {
                links.push(Link {
                    title: format!("Troubleshooting {}", row.code),
                    url: url.clone(),
                });
            }
            let mut keywords: Vec<String> = cat.map(|c| c.keywords.clone()).unwrap_or_default();
            if let Some(name) = &row.name {
                keywords.push(name_words(name));
            }
            let title = match &row.name {
                Some(name) => format!("{} {name} — {cat_title}", row.code),
                None => format!("{} — {cat_title}", row.code),
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
            }
        })
        .collect()
}

/// Reads the table and the sources, and writes the pack to `out`; returns the entries written.
pub fn import(table: &Path, sources: &Path, out: &Path) -> anyhow::Result<Vec<ReferenceEntry>> {
    let markdown =
        std::fs::read_to_string(table).with_context(|| format!("reading {}", table.display()))?;
    let rows = parse_table(&markdown);
    if rows.is_empty() {
        anyhow::bail!(
            "{}: no `| AADSTS<digits> | … |` rows; is this Microsoft's reference-error-codes.md?",
            table.display()
        );
    }
    let entries = build(&rows, &Sources::read(sources)?);
    if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    let mut json = serde_json::to_string_pretty(&entries)?;
    json.push('\n');
    std::fs::write(out, json).with_context(|| format!("writing {}", out.display()))?;
    Ok(entries)
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

    #[test]
    fn categories_are_guessed_from_names() {
        assert_eq!(guess_category(Some("InvalidReplyTo")), "redirect-uri");
        assert_eq!(guess_category(Some("ConsentRequired")), "consent");
        assert_eq!(guess_category(None), "request-format");
    }
}

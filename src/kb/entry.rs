//! The knowledge base's types: an entry (what an error is, why it happens, how to fix it,
//! how to recognise it), its parts, and the knowledge base as loaded.

use serde::{Deserialize, Serialize};

/// One knowledge-base entry: an error, why it happens and how to fix it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// Stable id, lowercase words joined by `-`; never changes once published.
    pub id: String,
    /// One-line title, as a person would name the error.
    pub title: String,
    /// Products the error comes from.
    pub products: Vec<Product>,
    /// Why the error happens.
    pub cause: String,
    /// Ordered resolution steps.
    pub steps: Vec<String>,
    /// Extra remarks (such as a vendor notice).
    #[serde(default)]
    pub notes: Vec<String>,
    /// Documentation links, absolute `https://` URLs.
    #[serde(default)]
    pub links: Vec<Link>,
    /// Free tags, used by lookups.
    #[serde(default)]
    pub tags: Vec<String>,
    /// What the entry answers: codes, messages, rules, patterns and lookup keywords.
    #[serde(rename = "match")]
    pub matching: MatchSpec,
    /// Who reviewed the entry, and when (`errmedic kb promote` sets it); none on a draft.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reviewed: Option<Review>,
    /// Where a draft came from: `page.md#anchor`, `escalation 12`, `unanswered`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin: Option<String>,
    /// Curated (the team's fix) or reference (the general meaning of a code); set by the loader,
    /// never written in an entry file.
    #[serde(skip)]
    pub tier: Tier,
}

/// A review of an entry: the day (`YYYY-MM-DD`) and who.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Review {
    pub on: String,
    pub by: String,
}

/// Which tier of the knowledge base an entry belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Tier {
    /// The team's own entry: its fix for this product.
    #[default]
    Curated,
    /// The general meaning of an error code (`kb/reference/`).
    Reference,
}

/// The product an error belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Product {
    #[serde(rename = "CSP")]
    Csp,
    Graph,
    #[serde(rename = "Exchange Online")]
    ExchangeOnline,
    Entra,
    Intune,
    Teams,
}

impl Product {
    /// Every product, in display order.
    pub const ALL: [Product; 6] = [
        Product::Csp,
        Product::Graph,
        Product::ExchangeOnline,
        Product::Entra,
        Product::Intune,
        Product::Teams,
    ];

    /// The product's display name, as written in the knowledge-base files.
    pub fn name(self) -> &'static str {
        match self {
            Product::Csp => "CSP",
            Product::Graph => "Graph",
            Product::ExchangeOnline => "Exchange Online",
            Product::Entra => "Entra",
            Product::Intune => "Intune",
            Product::Teams => "Teams",
        }
    }

    /// Parses a display name, ignoring case.
    pub fn parse(name: &str) -> Option<Product> {
        Product::ALL
            .into_iter()
            .find(|p| p.name().eq_ignore_ascii_case(name.trim()))
    }
}

/// A documentation link.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Link {
    pub title: String,
    pub url: String,
}

/// What an entry answers.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MatchSpec {
    /// Identifiers that on their own identify this error: `AADSTS50076`, `ErrorAccessDenied`,
    /// exception type names, `AppLifecycle_2210`. Matched exactly, ignoring case and `_`/`.`.
    #[serde(default)]
    pub codes: Vec<String>,
    /// The messages the error is emitted with, word for word. Matched as phrases: in order,
    /// tolerating noise between words, line wraps and truncation.
    #[serde(default)]
    pub messages: Vec<String>,
    /// Combinations of terms that together point at this error.
    #[serde(default)]
    pub rules: Vec<Rule>,
    /// What the entry is not, for its messages and rules at once (alternatives separated by
    /// `|`, as a rule's `none`): any of them present, none of its messages or rules holds. Its
    /// codes and patterns still do: a code names its error wherever it is pasted.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub none: String,
    /// Regular expressions over the pasted text.
    #[serde(default)]
    pub patterns: Vec<Pattern>,
    /// How people ask for this entry in a lookup; used by `/fix` only.
    #[serde(default)]
    pub keywords: Vec<String>,
    /// Real pastes of this error (redacted, each with where it was seen): a new paste much like
    /// one of them supports the entry's other evidence.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub examples: Vec<Example>,
    /// The messages as Microsoft shows them in other languages (each with its language and
    /// where it was seen): matched like `messages`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub localized: Vec<Localized>,
}

impl MatchSpec {
    /// Every message, the English ones first, then the localized ones.
    pub fn all_messages(&self) -> impl Iterator<Item = &str> {
        self.messages
            .iter()
            .map(String::as_str)
            .chain(self.localized.iter().map(|l| l.message.as_str()))
    }

    /// Message `i` of [`MatchSpec::all_messages`].
    pub fn message(&self, i: usize) -> &str {
        match self.messages.get(i) {
            Some(m) => m,
            None => &self.localized[i - self.messages.len()].message,
        }
    }
}

/// A message of the error in another language, as Microsoft shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Localized {
    /// The language: `de`, `fr`, `es`, `ja`, `nl`, `pt`, `it`, `sv`, `zh` (see
    /// [`LANGUAGES`]).
    pub lang: String,
    pub message: String,
    /// Where this wording was seen (Microsoft's localized page, or a thread).
    pub source: String,
}

/// The languages a localized message may be in.
pub const LANGUAGES: &[&str] = &[
    "de", "es", "fr", "it", "ja", "ko", "nl", "pl", "pt", "sv", "zh",
];

/// A real paste of an entry's error, redacted, and where it was seen (a thread, a page, or the
/// record's answer marked Solved).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Example {
    pub text: String,
    pub source: String,
}

/// A rule: every group in `all` must be present, and no alternative of `none`; a group is
/// alternatives separated by `|`, each a word or phrase; a trailing `*` matches any word
/// starting with the prefix.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    pub all: Vec<String>,
    /// Alternatives that say the text is about something else (`create user` beside a rule
    /// for updating one): any of them present, the rule does not hold.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub none: String,
    pub weight: f32,
    /// Shown to the user as the reason for the match.
    pub why: String,
    /// The rule looks for a refusal (a group holds `403`, `forbidden` or `access denied`): a
    /// pasted message that refuses in its own words (`You do not have permission to perform
    /// this operation.`) is about it, not about another cause.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub refusal: bool,
}

/// A rule's alternatives that are a refusal's status (see [`Rule::refusal`]).
pub const REFUSAL_STATUS: &[&str] = &["403", "forbidden", "access denied", "AccessDenied"];

/// A regular expression that is evidence for the entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pattern {
    pub regex: String,
    pub weight: f32,
    pub why: String,
}

/// A loaded, validated knowledge base.
#[derive(Debug, Clone, Default)]
pub struct KnowledgeBase {
    /// Curated entries first, then reference entries.
    pub entries: Vec<Entry>,
    /// The learned reader of genre (`kb/genre/mentions.json`), when there is one.
    pub mentions: Option<super::mentions::MentionModel>,
}

impl Entry {
    /// For a reference entry, the line that tells it apart from a team's fix.
    pub fn reference_note(&self) -> Option<String> {
        (self.tier == Tier::Reference).then(|| {
            format!(
                "General meaning of {}, from Microsoft's table in our words; not a fix written by your team.",
                self.matching.codes.first().map_or("this code", String::as_str)
            )
        })
    }
}

impl KnowledgeBase {
    /// The curated entries.
    pub fn curated(&self) -> impl Iterator<Item = &Entry> {
        self.entries.iter().filter(|e| e.tier == Tier::Curated)
    }

    /// The reference entries.
    pub fn reference(&self) -> impl Iterator<Item = &Entry> {
        self.entries.iter().filter(|e| e.tier == Tier::Reference)
    }

    /// Looks an entry up by id.
    pub fn get(&self, id: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.id == id)
    }
}

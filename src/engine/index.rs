//! The index built once from a knowledge base: vocabulary, word weights, codes, compiled
//! messages, rules and patterns, and the postings that find candidates for a text.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use regex_automata::meta;

use super::phrase::{Doc, Phrase, UNKNOWN};
use super::spell::Speller;
use crate::kb::KnowledgeBase;

/// Weight of a word that appears in every entry.
pub(super) const MIN_WEIGHT: f32 = 0.3;

/// One alternative of a rule group: a word sequence, or a word prefix (`paginat*`).
#[derive(Debug, Clone)]
pub enum Term {
    Words(Vec<u32>),
    Prefix(String),
}

impl Term {
    /// Whether the doc holds the term.
    pub fn is_in(&self, doc: &Doc) -> bool {
        match self {
            Term::Words(ids) => !ids.contains(&UNKNOWN) && doc.contains_seq(ids),
            Term::Prefix(p) => doc.has_prefix(p),
        }
    }
}

/// A compiled rule: `index` is its place in the entry's `rules`.
#[derive(Debug, Clone)]
pub struct CompiledRule {
    pub entry: u32,
    pub index: u16,
    pub groups: Vec<Vec<Term>>,
    /// Terms any one of which keeps the rule from holding.
    pub none: Vec<Term>,
    pub weight: f32,
    /// The rule looks for a refusal ([`crate::kb::Rule::refusal`]).
    pub refusal: bool,
}

/// A compiled message: `index` is its place in the entry's `messages`.
#[derive(Debug, Clone)]
pub struct Message {
    pub entry: u32,
    pub index: u16,
    pub phrase: Phrase,
}

/// A compiled pattern's owner: `index` is its place in the entry's `patterns`.
#[derive(Debug, Clone)]
pub struct PatternInfo {
    pub entry: u32,
    pub index: u16,
    pub weight: f32,
}

/// The knowledge base and everything precomputed for matching it.
#[derive(Debug)]
pub struct Index {
    pub kb: KnowledgeBase,
    /// The learned reader of genre, when the knowledge base has one.
    pub mentions: Option<super::mention::Mentions>,
    pub vocab: HashMap<compact_str::CompactString, u32>,
    /// Per word id: its weight (inverse document frequency).
    pub weight: Vec<f32>,
    /// Code key → (entry, place in the entry's `codes`).
    pub codes: HashMap<String, Vec<(u32, u16)>>,
    /// Some code is a plain word (not [`crate::text::words::is_code_shaped`]): every identifier of a
    /// text must then be looked up, not only code-shaped ones.
    pub plain_codes: bool,
    /// Code keys any entry knows, in codes or rule terms: a paste code outside it is foreign.
    pub known_codes: HashSet<String>,
    pub messages: Vec<Message>,
    /// Word id → messages containing it.
    pub message_postings: Vec<Vec<u32>>,
    pub rules: Vec<CompiledRule>,
    /// Per entry: the terms of its `none` (empty for most), which its messages and rules yield to.
    pub entry_none: Vec<Vec<Term>>,
    /// Word id → rules with an alternative starting with it; prefix rules are always tried.
    pub rule_postings: Vec<Vec<u32>>,
    pub prefix_rules: Vec<u32>,
    /// Every pattern of every entry as one automaton (`None` when there are none).
    pub patterns: Option<meta::Regex>,
    pub pattern_info: Vec<PatternInfo>,
    /// Word id → (entry, field weight) for lookups.
    pub lookup_postings: Vec<Vec<(u32, f32)>>,
    /// Per entry: the content words of its title, keywords and messages, title first.
    pub phrases: Vec<Vec<Vec<u32>>>,
    /// Word sequences that mark a text as coming from a Microsoft service.
    pub microsoft: Vec<Vec<u32>>,
    /// Words after which a marker names no service: `Microsoft.PowerShell.Commands` is in every
    /// PowerShell error record, whoever's service failed.
    pub not_a_service: Vec<u32>,
    /// Words that matter for matching a paste (codes, messages, rules): a text with none of
    /// them and no signal cannot match.
    pub match_words: HashSet<u32>,
    pub speller: Speller,
    /// Per word id: the word occurs only in localized messages (another language's word).
    pub foreign: Vec<bool>,
    /// The entries' example pastes.
    pub examples: super::examples::Examples,
}

/// Words and phrases that mark a text as coming from a Microsoft service or tool. Every entry
/// answers a Microsoft error, so evidence that is not strong on its own (wording, a status)
/// only leads to an unprompted reply next to one of these.
pub(super) const MICROSOFT_MARKERS: &[&str] = &[
    "microsoft",
    "microsoftonline",
    "azure",
    "entra",
    "aad",
    "azure ad",
    "msal",
    "adal",
    "graph",
    "msgraph",
    "office365",
    "office 365",
    "o365",
    "m365",
    "exchange",
    "outlook",
    "sharepoint",
    "onedrive",
    "teams",
    "intune",
    "partner center",
    "partnercenter",
    "csp",
    "gdap",
    "tenant",
    "mailbox",
    "conditional access",
    "enterprise app",
    "enterprise application",
    "service principal",
    "app registration",
    "MgGraph",
    "AzureAD",
    "ExchangeOnline",
    // A field only Microsoft's identity platform puts in its token responses.
    "ext_expires_in",
    // What only Microsoft Graph's and Azure's error bodies and headers hold.
    "innerError",
    "client-request-id",
    // Graph's own resource names.
    "createUploadSession",
    "driveItem",
    // Microsoft's consumer sign-in.
    "login.live.com",
    // Microsoft's name in Chinese (simplified and traditional), Japanese and Korean.
    "微软",
    "微軟",
    "マイクロソフト",
    "마이크로소프트",
];

impl Index {
    /// Reads a cleaned text into a [`Doc`]. A word split by a line wrap (`Cmdle` / `ts`) is
    /// joined again when only the joined form is known.
    pub fn doc(&self, text: &str) -> Doc {
        let mut doc = Doc::default();
        doc.words.reserve(text.len() / 6 + 8);
        crate::text::words::split_words(text, &mut doc.words);
        doc.ids.reserve(doc.words.len());
        let mut kept = 0;
        for i in 0..doc.words.len() {
            let id = self.id(&doc.words[i].text);
            let after_unknown = kept > 0 && doc.ids[kept - 1] == UNKNOWN;
            if id == UNKNOWN && after_unknown && doc.words[i].after_newline {
                let joined = format!("{}{}", doc.words[kept - 1].text, doc.words[i].text);
                let joined = crate::text::words::words(&joined).join("");
                let jid = self.id(&joined);
                if jid != UNKNOWN {
                    doc.words[kept - 1].text = joined.into();
                    doc.ids[kept - 1] = jid;
                    continue;
                }
            }
            doc.words.swap(kept, i);
            doc.ids.push(id);
            kept += 1;
        }
        doc.words.truncate(kept);
        let mut occurrences = Vec::with_capacity(doc.ids.len());
        for (pos, (&id, w)) in doc.ids.iter().zip(&doc.words).enumerate() {
            if id != UNKNOWN {
                occurrences.push((id, pos as u32));
            }
            if let Some(compound) = &w.compound {
                let cid = self.id(compound);
                if cid != UNKNOWN && cid != id {
                    occurrences.push((cid, pos as u32));
                }
            }
        }
        for (id, pos) in occurrences {
            doc.add_occurrence(id, pos);
        }
        doc.index();
        doc
    }

    /// The text of a code, message, rule reason or pattern reason, by owner and place.
    pub fn code(&self, entry: u32, index: u16) -> &str {
        &self.kb.entries[entry as usize].matching.codes[index as usize]
    }

    pub fn message_text(&self, m: &Message) -> &str {
        self.kb.entries[m.entry as usize]
            .matching
            .message(m.index as usize)
    }

    pub fn rule_why(&self, r: &CompiledRule) -> &str {
        &self.kb.entries[r.entry as usize].matching.rules[r.index as usize].why
    }

    pub fn pattern_why(&self, p: &PatternInfo) -> &str {
        &self.kb.entries[p.entry as usize].matching.patterns[p.index as usize].why
    }

    /// The vocabulary id of a word, or [`UNKNOWN`].
    pub fn id(&self, word: &str) -> u32 {
        self.vocab.get(word).copied().unwrap_or(UNKNOWN)
    }

    /// True when the doc names a Microsoft service or tool (see [`MICROSOFT_MARKERS`]).
    pub fn is_microsoft(&self, doc: &Doc) -> bool {
        self.microsoft.iter().any(|seq| match seq.as_slice() {
            [one] => doc.positions(*one).any(|p| {
                doc.ids
                    .get(p as usize + 1)
                    .is_none_or(|next| !self.not_a_service.contains(next))
            }),
            _ => doc.contains_seq(seq),
        })
    }

    /// True when the doc holds at least one alternative of every group of the rule and none
    /// of its `none` terms (its entry's among them). (Inlined into the paste's rule loop: called
    /// apart, it cost 1% more instructions over the benchmark's pastes.)
    #[inline]
    pub fn rule_holds(&self, rule: &CompiledRule, doc: &Doc) -> bool {
        let present = |term: &Term| term.is_in(doc);
        rule.groups.iter().all(|group| group.iter().any(present)) && !rule.none.iter().any(present)
    }

    /// True when the doc holds a term of the entry's `none`: its messages do not hold there.
    pub fn excludes(&self, entry: u32, doc: &Doc) -> bool {
        self.entry_none[entry as usize].iter().any(|t| t.is_in(doc))
    }
}

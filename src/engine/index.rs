//! The index built once from a knowledge base: vocabulary, word weights, codes, compiled
//! messages, rules and patterns, and the postings that find candidates for a text.

use std::collections::{HashMap, HashSet};

use regex::RegexSet;

use super::normalize::{self, code_key, content_words, words, Word};
use super::phrase::{Doc, Phrase, UNKNOWN};
use super::signals::is_generic_code;
use super::spell::Speller;
use crate::kb::{Entry, KnowledgeBase};

/// Weight of a word that appears in every entry.
const MIN_WEIGHT: f32 = 0.3;

/// One alternative of a rule group: a word sequence, or a word prefix (`paginat*`).
#[derive(Debug, Clone)]
pub enum Term {
    Words(Vec<u32>),
    Prefix(String),
}

/// A compiled rule.
#[derive(Debug, Clone)]
pub struct CompiledRule {
    pub entry: u32,
    pub groups: Vec<Vec<Term>>,
    pub weight: f32,
    pub why: String,
}

/// A compiled message of an entry.
#[derive(Debug, Clone)]
pub struct Message {
    pub entry: u32,
    pub text: String,
    pub phrase: Phrase,
}

/// A compiled pattern's owner and meaning.
#[derive(Debug, Clone)]
pub struct PatternInfo {
    pub entry: u32,
    pub weight: f32,
    pub why: String,
}

/// The knowledge base and everything precomputed for matching it.
#[derive(Debug)]
pub struct Index {
    pub kb: KnowledgeBase,
    pub vocab: HashMap<String, u32>,
    /// Per word id: its weight (inverse document frequency).
    pub weight: Vec<f32>,
    /// Code key → (entry, code as written).
    pub codes: HashMap<String, Vec<(u32, String)>>,
    /// Code keys any entry knows, in codes or rule terms: a paste code outside it is foreign.
    pub known_codes: HashSet<String>,
    pub messages: Vec<Message>,
    /// Word id → messages containing it.
    pub message_postings: HashMap<u32, Vec<u32>>,
    pub rules: Vec<CompiledRule>,
    /// Word id → rules with an alternative starting with it; prefix rules are always tried.
    pub rule_postings: HashMap<u32, Vec<u32>>,
    pub prefix_rules: Vec<u32>,
    pub patterns: RegexSet,
    pub pattern_info: Vec<PatternInfo>,
    /// Word id → (entry, field weight) for lookups.
    pub lookup_postings: HashMap<u32, Vec<(u32, f32)>>,
    /// Adjacent word pairs of each entry's title, keywords and messages.
    pub bigrams: HashMap<(u32, u32), Vec<u32>>,
    /// Per entry: the content words of its title, keywords and messages, title first.
    pub phrases: Vec<Vec<Vec<u32>>>,
    /// Word sequences that mark a text as coming from a Microsoft service.
    pub microsoft: Vec<Vec<u32>>,
    /// Words that matter for matching a paste (codes, messages, rules): a text with none of
    /// them and no signal cannot match.
    pub match_words: HashSet<u32>,
    pub speller: Speller,
}

/// Words and phrases that mark a text as coming from a Microsoft service or tool. Every entry
/// answers a Microsoft error, so evidence that is not strong on its own (wording, a status)
/// only leads to an unprompted reply next to one of these.
const MICROSOFT_MARKERS: &[&str] = &[
    "microsoft",
    "microsoftonline",
    "azure",
    "entra",
    "aad",
    "azure ad",
    "msal",
    "adal",
    "graph",
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
];

/// Field weights for lookups: how well a word in that field describes the entry.
const FIELD_WEIGHTS: [(Field, f32); 9] = [
    (Field::Title, 1.0),
    (Field::Keywords, 1.0),
    (Field::Codes, 1.0),
    (Field::Messages, 0.9),
    (Field::Tags, 0.9),
    (Field::Rules, 0.7),
    (Field::Cause, 0.6),
    (Field::Steps, 0.5),
    (Field::Notes, 0.4),
];

#[derive(Clone, Copy)]
enum Field {
    Title,
    Keywords,
    Codes,
    Messages,
    Tags,
    Rules,
    Cause,
    Steps,
    Notes,
}

fn strs(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

fn field_texts(e: &Entry, field: Field) -> Vec<&str> {
    let m = &e.matching;
    match field {
        Field::Title => vec![e.title.as_str(), e.id.as_str()],
        Field::Keywords => strs(&m.keywords),
        Field::Codes => strs(&m.codes),
        Field::Messages => strs(&m.messages),
        Field::Tags => {
            let mut v = strs(&e.tags);
            v.extend(e.products.iter().map(|p| p.name()));
            v
        }
        Field::Rules => m
            .rules
            .iter()
            .flat_map(|r| r.all.iter().map(String::as_str))
            .collect(),
        Field::Cause => vec![e.cause.as_str()],
        Field::Steps => strs(&e.steps),
        Field::Notes => strs(&e.notes),
    }
}

/// Every word of a rule group text, with `*` and `|` treated as separators.
fn rule_words(group: &str) -> Vec<String> {
    words(&group.replace(['|', '*'], " "))
}

impl Index {
    /// Builds the index. The knowledge base must have passed validation; a pattern that does
    /// not compile is left out.
    pub fn build(kb: KnowledgeBase) -> Index {
        let mut vocab: HashMap<String, u32> = HashMap::new();
        let mut df: Vec<u32> = Vec::new();
        let intern = |w: &str, vocab: &mut HashMap<String, u32>, df: &mut Vec<u32>| -> u32 {
            if let Some(&id) = vocab.get(w) {
                return id;
            }
            let id = df.len() as u32;
            vocab.insert(w.to_string(), id);
            df.push(0);
            id
        };

        // Vocabulary and document frequency over every field of every entry.
        let mut entry_words: Vec<HashMap<u32, f32>> = Vec::with_capacity(kb.entries.len());
        for e in &kb.entries {
            let mut best: HashMap<u32, f32> = HashMap::new();
            for (field, fw) in FIELD_WEIGHTS {
                for text in field_texts(e, field) {
                    let ws = if matches!(field, Field::Rules) {
                        rule_words(text)
                    } else {
                        words(text)
                    };
                    for w in &ws {
                        let id = intern(w, &mut vocab, &mut df);
                        // Stop words are known (rule phrases use them) but describe nothing.
                        if normalize::is_stop_word(w) {
                            continue;
                        }
                        let slot = best.entry(id).or_insert(0.0);
                        *slot = slot.max(fw);
                    }
                }
            }
            for id in best.keys() {
                df[*id as usize] += 1;
            }
            entry_words.push(best);
        }
        // Words that mark a text as coming from a Microsoft service.
        let microsoft: Vec<Vec<u32>> = MICROSOFT_MARKERS
            .iter()
            .map(|m| {
                words(m)
                    .iter()
                    .map(|w| intern(w, &mut vocab, &mut df))
                    .collect()
            })
            .collect();
        let n = kb.entries.len().max(1) as f32;
        let max_idf = (1.0 + n).ln();
        let weight: Vec<f32> = df
            .iter()
            .map(|&d| ((1.0 + n / d.max(1) as f32).ln() / max_idf).max(MIN_WEIGHT))
            .collect();

        let mut lookup_postings: HashMap<u32, Vec<(u32, f32)>> = HashMap::new();
        for (e, ws) in entry_words.into_iter().enumerate() {
            for (id, fw) in ws {
                lookup_postings.entry(id).or_default().push((e as u32, fw));
            }
        }

        let ids_of = |ws: &[String]| -> Vec<u32> {
            ws.iter()
                .map(|w| vocab.get(w).copied().unwrap_or(UNKNOWN))
                .collect()
        };

        let mut codes: HashMap<String, Vec<(u32, String)>> = HashMap::new();
        let mut known_codes = HashSet::new();
        let mut messages = Vec::new();
        let mut message_postings: HashMap<u32, Vec<u32>> = HashMap::new();
        let mut rules = Vec::new();
        let mut rule_postings: HashMap<u32, Vec<u32>> = HashMap::new();
        let mut prefix_rules = Vec::new();
        let mut pattern_sources = Vec::new();
        let mut pattern_info = Vec::new();
        let mut bigrams: HashMap<(u32, u32), Vec<u32>> = HashMap::new();
        let mut match_words = HashSet::new();
        let mut phrases = Vec::with_capacity(kb.entries.len());

        for (ei, e) in kb.entries.iter().enumerate() {
            let ei = ei as u32;
            let m = &e.matching;
            for code in &m.codes {
                let key = code_key(code);
                known_codes.insert(key.clone());
                codes.entry(key).or_default().push((ei, code.clone()));
                match_words.extend(ids_of(&words(code)).into_iter().filter(|&id| id != UNKNOWN));
            }
            for text in &m.messages {
                let ws = content_words(text);
                let ids = ids_of(&ws);
                let weights = ids.iter().map(|&id| weight[id as usize]).collect();
                let mi = messages.len() as u32;
                let mut seen = HashSet::new();
                for &id in &ids {
                    if seen.insert(id) {
                        message_postings.entry(id).or_default().push(mi);
                    }
                }
                match_words.extend(ids.iter().copied());
                messages.push(Message {
                    entry: ei,
                    text: text.clone(),
                    phrase: Phrase::new(ids, ws, weights),
                });
            }
            for rule in &m.rules {
                let ri = rules.len() as u32;
                let mut has_prefix = false;
                let mut groups = Vec::new();
                for group in &rule.all {
                    known_codes.insert(code_key(group.split('|').next().unwrap_or("")));
                    for alt in group.split('|') {
                        known_codes.insert(code_key(alt));
                    }
                    let terms: Vec<Term> = group
                        .split('|')
                        .map(|alt| match alt.trim().strip_suffix('*') {
                            Some(prefix) => {
                                has_prefix = true;
                                Term::Prefix(words(prefix).join(""))
                            }
                            None => Term::Words(ids_of(&words(alt))),
                        })
                        .collect();
                    for term in &terms {
                        if let Term::Words(ids) = term {
                            if let Some(&first) = ids.first() {
                                rule_postings.entry(first).or_default().push(ri);
                            }
                            match_words.extend(ids.iter().copied().filter(|&id| id != UNKNOWN));
                        }
                    }
                    groups.push(terms);
                }
                if has_prefix {
                    prefix_rules.push(ri);
                }
                rules.push(CompiledRule {
                    entry: ei,
                    groups,
                    weight: rule.weight,
                    why: rule.why.clone(),
                });
            }
            for p in &m.patterns {
                if crate::kb::compile_pattern(&p.regex).is_ok() {
                    pattern_sources.push(p.regex.clone());
                    pattern_info.push(PatternInfo {
                        entry: ei,
                        weight: p.weight,
                        why: p.why.clone(),
                    });
                }
            }
            let mut own = Vec::new();
            for text in std::iter::once(&e.title)
                .chain(&m.keywords)
                .chain(&m.messages)
            {
                let ids = ids_of(&content_words(text));
                for pair in ids.windows(2) {
                    let list = bigrams.entry((pair[0], pair[1])).or_default();
                    if list.last() != Some(&ei) {
                        list.push(ei);
                    }
                }
                own.push(ids);
            }
            phrases.push(own);
        }
        for dedupe in rule_postings.values_mut() {
            dedupe.dedup();
        }
        known_codes.retain(|k| !k.is_empty() && !is_generic_code(k));
        let patterns = RegexSet::new(&pattern_sources).unwrap_or_else(|_| RegexSet::empty());
        let speller = Speller::new(&vocab);
        Index {
            kb,
            vocab,
            weight,
            codes,
            known_codes,
            messages,
            message_postings,
            rules,
            rule_postings,
            prefix_rules,
            patterns,
            pattern_info,
            lookup_postings,
            bigrams,
            phrases,
            microsoft,
            match_words,
            speller,
        }
    }

    /// Reads a cleaned text into a [`Doc`]. A word split by a line wrap (`Cmdle` / `ts`) is
    /// joined again when only the joined form is known.
    pub fn doc(&self, text: &str) -> Doc {
        let mut raw: Vec<Word> = Vec::new();
        normalize::split_words(text, &mut raw);
        let mut doc = Doc::default();
        for w in raw {
            let id = self.id(&w.text);
            if w.after_newline && id == UNKNOWN {
                if let Some(prev) = doc.words.last() {
                    let joined = normalize::words(&format!("{}{}", prev.text, w.text)).join("");
                    let jid = self.id(&joined);
                    if jid != UNKNOWN && doc.ids.last() == Some(&UNKNOWN) {
                        let last = doc.words.len() - 1;
                        doc.words[last].text = joined;
                        doc.ids[last] = jid;
                        continue;
                    }
                }
            }
            doc.ids.push(id);
            doc.words.push(w);
        }
        for (pos, (&id, w)) in doc.ids.iter().zip(&doc.words).enumerate() {
            if id != UNKNOWN {
                doc.positions.entry(id).or_default().push(pos as u32);
            }
            if let Some(compound) = &w.compound {
                let cid = self.id(compound);
                if cid != UNKNOWN && cid != id {
                    doc.positions.entry(cid).or_default().push(pos as u32);
                }
            }
        }
        doc
    }

    /// The vocabulary id of a word, or [`UNKNOWN`].
    pub fn id(&self, word: &str) -> u32 {
        self.vocab.get(word).copied().unwrap_or(UNKNOWN)
    }

    /// True when the doc names a Microsoft service or tool (see [`MICROSOFT_MARKERS`]).
    pub fn is_microsoft(&self, doc: &Doc) -> bool {
        self.microsoft.iter().any(|seq| doc.contains_seq(seq))
    }

    /// True when the doc holds at least one alternative of every group of the rule.
    pub fn rule_holds(&self, rule: &CompiledRule, doc: &Doc) -> bool {
        rule.groups.iter().all(|group| {
            group.iter().any(|term| match term {
                Term::Words(ids) => !ids.contains(&UNKNOWN) && doc.contains_seq(ids),
                Term::Prefix(p) => doc.has_prefix(p),
            })
        })
    }
}

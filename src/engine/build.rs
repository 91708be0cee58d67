//! Building the [`Index`] once at load: one pass over every field of every entry for the
//! vocabulary and word weights, then the codes, messages, rules and patterns compiled for
//! matching, with the postings that find them.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use regex_automata::meta;

use super::index::{
    CompiledRule, Index, Message, PatternInfo, Term, MICROSOFT_MARKERS, MIN_WEIGHT,
};
use super::phrase::{Phrase, UNKNOWN};
use super::signals::is_generic_code;
use super::spell::Speller;
use crate::kb::{Entry, KnowledgeBase, Tier};
use crate::text::words::{code_key, words};

/// Field weights for lookups: how well a word in that field describes the entry.
const FIELD_WEIGHTS: [(Field, f32); 10] = [
    (Field::Title, 1.0),
    (Field::Keywords, 1.0),
    (Field::Codes, 1.0),
    (Field::Messages, 0.9),
    // Matched in pastes only: lookups are in English, and other languages' words would
    // correct misspelt English ones (`acess` to Portuguese `acesso`).
    (Field::Localized, 0.0),
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
    Localized,
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
        Field::Localized => m.localized.iter().map(|l| l.message.as_str()).collect(),
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

/// Builds one automaton that reports which of `patterns` match (over bytes, ASCII classes).
/// Only the forward search is built, which keeps large sets quick to build.
fn patterns_regex(patterns: &[&str]) -> Option<meta::Regex> {
    if patterns.is_empty() {
        return None;
    }
    meta::Regex::builder()
        .configure(
            meta::Config::new()
                .match_kind(regex_automata::MatchKind::All)
                .which_captures(regex_automata::nfa::thompson::WhichCaptures::None)
                .nfa_size_limit(Some(crate::kb::PATTERN_SIZE_LIMIT * patterns.len()))
                .onepass(false)
                .backtrack(false)
                .auto_prefilter(false),
        )
        .syntax(crate::kb::pattern_syntax())
        .build_many(patterns)
        .ok()
}

/// The vocabulary while it is built: word → id, and per id its document frequency and whether
/// it is a stop word.
#[derive(Default)]
struct Vocabulary {
    /// Short words are stored inline, so that a lookup compares them without a second memory
    /// access.
    map: HashMap<compact_str::CompactString, u32>,
    df: Vec<u32>,
    stop: Vec<bool>,
    /// Words seen only in localized messages: not offered as spelling corrections.
    foreign: Vec<bool>,
}

impl Vocabulary {
    fn intern(&mut self, w: &str) -> u32 {
        if let Some(&id) = self.map.get(w) {
            return id;
        }
        let id = self.df.len() as u32;
        self.map.insert(w.into(), id);
        self.df.push(0);
        self.stop.push(crate::text::words::is_stop_word(w));
        self.foreign.push(true);
        id
    }
}

/// The content words of an entry's title, keywords and messages, in order.
#[derive(Default)]
struct Sequences {
    title: Vec<u32>,
    keywords: Vec<Vec<u32>>,
    /// Each message's words, and whether it holds a program's name.
    messages: Vec<(Vec<u32>, bool)>,
}

/// What one pass over every field of every entry reads: the vocabulary and document
/// frequencies, per entry each word with the weight of the best field it appears in, and the
/// content words of titles, keywords and messages in order.
struct Words {
    vocabulary: Vocabulary,
    entry_words: Vec<Vec<(u32, f32)>>,
    sequences: Vec<Sequences>,
}

fn read_words(kb: &KnowledgeBase) -> Words {
    let mut vocabulary = Vocabulary::default();
    let mut entry_words: Vec<Vec<(u32, f32)>> = Vec::with_capacity(kb.entries.len());
    let mut sequences: Vec<Sequences> = Vec::with_capacity(kb.entries.len());
    let mut seq: Vec<u32> = Vec::new();
    // Per word id: the last entry (plus one) it was seen in, and its position in `own`.
    let mut seen: Vec<(u32, u32)> = Vec::new();
    for (ei, e) in kb.entries.iter().enumerate() {
        let mark = ei as u32 + 1;
        let mut own: Vec<(u32, f32)> = Vec::new();
        let mut seqs = Sequences::default();
        let reference = e.tier == Tier::Reference;
        for (field, fw) in FIELD_WEIGHTS {
            // A reference entry's steps are its category's, shared by dozens of codes: they
            // describe none of them; its title, name and category phrases say what it is.
            if reference && matches!(field, Field::Steps | Field::Notes | Field::Cause) {
                continue;
            }
            for (ti, text) in field_texts(e, field).into_iter().enumerate() {
                seq.clear();
                let localized = matches!(field, Field::Localized);
                crate::text::words::for_each_word(text, |w| {
                    let id = vocabulary.intern(w);
                    vocabulary.foreign[id as usize] &= localized;
                    // Stop words are known (rule phrases use them) but describe nothing.
                    if !vocabulary.stop[id as usize] {
                        seq.push(id);
                    }
                });
                for &id in seq.iter().filter(|_| !localized) {
                    if seen.len() <= id as usize {
                        seen.resize(id as usize + 1, (0, 0));
                    }
                    let slot = &mut seen[id as usize];
                    if slot.0 == mark {
                        let best = &mut own[slot.1 as usize].1;
                        *best = best.max(fw);
                    } else {
                        *slot = (mark, own.len() as u32);
                        own.push((id, fw));
                    }
                }
                match field {
                    Field::Title if ti == 0 => seqs.title = seq.clone(),
                    Field::Keywords => seqs.keywords.push(seq.clone()),
                    Field::Messages | Field::Localized => seqs
                        .messages
                        .push((seq.clone(), crate::text::words::holds_program_name(text))),
                    _ => {}
                }
            }
        }
        // The words of rules' `none` are known, so that a text can be read for them, but
        // belong to no field: they say what an entry is not.
        for none in e
            .matching
            .rules
            .iter()
            .map(|r| &r.none)
            .chain([&e.matching.none])
        {
            crate::text::words::for_each_word(none, |w| {
                vocabulary.intern(w);
            });
        }
        // Word weights come from the curated entries alone, so that the reference tier
        // (hundreds of codes) does not change how the team's entries are matched.
        if !reference {
            for (id, _) in &own {
                vocabulary.df[*id as usize] += 1;
            }
        }
        own.shrink_to_fit();
        entry_words.push(own);
        sequences.push(seqs);
    }
    Words {
        vocabulary,
        entry_words,
        sequences,
    }
}

/// Each word's weight: its inverse document frequency over `curated` entries, scaled to
/// [`MIN_WEIGHT`]..1.
fn weights(df: &[u32], curated: usize) -> Vec<f32> {
    let n = curated.max(1) as f32;
    let max_idf = (1.0 + n).ln();
    df.iter()
        .map(|&d| ((1.0 + n / d.max(1) as f32).ln() / max_idf).max(MIN_WEIGHT))
        .collect()
}

/// Per word id, the entries that have it and the weight of the field it is in.
fn lookup_postings(entry_words: Vec<Vec<(u32, f32)>>, df: &[u32]) -> Vec<Vec<(u32, f32)>> {
    let mut postings: Vec<Vec<(u32, f32)>> =
        df.iter().map(|&d| Vec::with_capacity(d as usize)).collect();
    for (e, ws) in entry_words.into_iter().enumerate() {
        for (id, fw) in ws {
            postings[id as usize].push((e as u32, fw));
        }
    }
    postings
}

/// The entries' codes, messages, rules and patterns, compiled for matching, with the
/// postings that find them.
struct Matchers<'a> {
    vocab: &'a HashMap<compact_str::CompactString, u32>,
    weight: &'a [f32],
    codes: HashMap<String, Vec<(u32, u16)>>,
    known_codes: HashSet<String>,
    messages: Vec<Message>,
    message_postings: Vec<Vec<u32>>,
    rules: Vec<CompiledRule>,
    entry_none: Vec<Vec<Term>>,
    rule_postings: Vec<Vec<u32>>,
    prefix_rules: Vec<u32>,
    pattern_sources: Vec<String>,
    pattern_info: Vec<PatternInfo>,
    match_words: HashSet<u32>,
    phrases: Vec<Vec<Vec<u32>>>,
}

impl<'a> Matchers<'a> {
    fn new(
        vocab: &'a HashMap<compact_str::CompactString, u32>,
        weight: &'a [f32],
        words: usize,
        entries: usize,
    ) -> Matchers<'a> {
        Matchers {
            vocab,
            weight,
            codes: HashMap::default(),
            known_codes: HashSet::default(),
            messages: Vec::new(),
            message_postings: vec![Vec::new(); words],
            rules: Vec::new(),
            entry_none: Vec::with_capacity(entries),
            rule_postings: vec![Vec::new(); words],
            prefix_rules: Vec::new(),
            pattern_sources: Vec::new(),
            pattern_info: Vec::new(),
            match_words: HashSet::default(),
            phrases: Vec::with_capacity(entries),
        }
    }

    /// Vocabulary ids of the words of a text.
    fn ids_in(&self, text: &str) -> Vec<u32> {
        let mut ids = Vec::new();
        crate::text::words::for_each_word(text, |w| {
            ids.push(self.vocab.get(w).copied().unwrap_or(UNKNOWN))
        });
        ids
    }

    /// Adds entry `ei`: its codes, messages, rules, patterns and phrases.
    fn add(&mut self, ei: u32, e: &Entry, seqs: Sequences) {
        self.add_codes(ei, e);
        let none = self.terms(&e.matching.none);
        self.entry_none.push(none);
        let mut own = vec![seqs.title];
        own.extend(seqs.keywords);
        for (index, (ids, names)) in seqs.messages.into_iter().enumerate() {
            own.push(ids.clone());
            // A reference entry's messages find it on lookups only: the labels of pasted
            // errors name a code's meaning only where the code itself is pasted, and a
            // message without its code posted unprompted is more often someone else's error
            // (`The request body must contain the following parameter` ends in any name).
            if e.tier == Tier::Curated {
                self.add_message(ei, index, ids, names);
            }
        }
        for (index, rule) in e.matching.rules.iter().enumerate() {
            self.add_rule(ei, index, rule);
        }
        for (index, p) in e.matching.patterns.iter().enumerate() {
            self.pattern_sources.push(p.regex.as_str().to_string());
            self.pattern_info.push(PatternInfo {
                entry: ei,
                index: index as u16,
                weight: p.weight,
            });
        }
        self.phrases.push(own);
    }

    fn add_codes(&mut self, ei: u32, e: &Entry) {
        for (ci, code) in e.matching.codes.iter().enumerate() {
            let key = code_key(code);
            // Codes of reference entries stay "foreign" to the curated ones: a curated entry
            // is not answered over a code it does not know.
            if e.tier == Tier::Curated {
                self.known_codes.insert(key.clone());
            }
            self.codes.entry(key).or_default().push((ei, ci as u16));
            let ids = self.ids_in(code);
            self.match_words
                .extend(ids.into_iter().filter(|&id| id != UNKNOWN));
        }
    }

    fn add_message(&mut self, ei: u32, index: usize, ids: Vec<u32>, names: bool) {
        let weights = ids.iter().map(|&id| self.weight[id as usize]).collect();
        let mi = self.messages.len() as u32;
        let mut distinct = ids.clone();
        distinct.sort_unstable();
        distinct.dedup();
        for id in distinct {
            if let Some(list) = self.message_postings.get_mut(id as usize) {
                list.push(mi);
            }
        }
        self.match_words.extend(ids.iter().copied());
        self.messages.push(Message {
            entry: ei,
            index: index as u16,
            phrase: Phrase {
                names,
                ..Phrase::new(ids, weights)
            },
        });
    }

    /// The alternatives of a `none` (separated by `|`) as terms.
    fn terms(&self, none: &str) -> Vec<Term> {
        none.split('|')
            .filter(|alt| !alt.trim().is_empty())
            .map(|alt| self.term(alt))
            .collect()
    }

    /// One alternative of a rule's group: a prefix (`paginat*`) or a phrase's word ids.
    fn term(&self, alt: &str) -> Term {
        match alt.trim().strip_suffix('*') {
            Some(prefix) => Term::Prefix(words(prefix).join("")),
            None => Term::Words(self.ids_in(alt)),
        }
    }

    fn add_rule(&mut self, ei: u32, index: usize, rule: &crate::kb::Rule) {
        let ri = self.rules.len() as u32;
        let mut has_prefix = false;
        let mut groups = Vec::with_capacity(rule.all.len());
        for group in &rule.all {
            let mut terms = Vec::new();
            for alt in group.split('|') {
                self.known_codes.insert(code_key(alt));
                let term = self.term(alt);
                has_prefix |= matches!(term, Term::Prefix(_));
                if let Term::Words(ids) = &term {
                    if let Some(&first) = ids.first() {
                        if let Some(list) = self.rule_postings.get_mut(first as usize) {
                            list.push(ri);
                        }
                    }
                    self.match_words
                        .extend(ids.iter().copied().filter(|&id| id != UNKNOWN));
                }
                terms.push(term);
            }
            groups.push(terms);
        }
        if has_prefix {
            self.prefix_rules.push(ri);
        }
        // Words of `none` need no postings (they never make a rule hold), only known ids. The
        // entry's `none` is the rule's too.
        let mut none = self.terms(&rule.none);
        none.extend(self.entry_none[ei as usize].iter().cloned());
        self.rules.push(CompiledRule {
            entry: ei,
            index: index as u16,
            groups,
            none,
            weight: rule.weight,
            refusal: rule.refusal,
        });
    }

    /// Postings deduplicated and shrunk; codes that mean nothing on their own left out of the
    /// known ones.
    fn finish(mut self) -> Matchers<'a> {
        for dedupe in self.rule_postings.iter_mut() {
            dedupe.dedup();
        }
        self.known_codes
            .retain(|k| !k.is_empty() && !is_generic_code(k));
        for list in self
            .message_postings
            .iter_mut()
            .chain(self.rule_postings.iter_mut())
        {
            list.shrink_to_fit();
        }
        self
    }
}

/// The entries' patterns as one regex set. Validation checked every pattern; should the set
/// still fail, the ones that build alone are kept (with their infos).
fn compile_patterns(
    sources: &[String],
    mut info: Vec<PatternInfo>,
) -> (Option<meta::Regex>, Vec<PatternInfo>) {
    let all: Vec<&str> = sources.iter().map(String::as_str).collect();
    if let Some(set) = patterns_regex(&all) {
        return (Some(set), info);
    }
    let ok: Vec<bool> = all.iter().map(|p| patterns_regex(&[p]).is_some()).collect();
    let mut keep = ok.iter();
    info.retain(|_| *keep.next().unwrap_or(&false));
    let kept: Vec<&str> = all
        .iter()
        .zip(&ok)
        .filter(|(_, ok)| **ok)
        .map(|(p, _)| *p)
        .collect();
    (patterns_regex(&kept), info)
}

impl Index {
    pub fn build(kb: KnowledgeBase) -> Index {
        // The example pastes and the reader of genre need nothing else that is built here:
        // a second thread builds them meanwhile (the same values either way).
        let mut index = std::thread::scope(|scope| {
            let aside = scope.spawn(|| {
                (
                    super::examples::Examples::build(&kb),
                    kb.mentions.as_ref().map(super::mention::Mentions::new),
                )
            });
            let mut index = Index::from_words(&kb);
            (index.examples, index.mentions) = aside
                .join()
                .unwrap_or_else(|e| std::panic::resume_unwind(e));
            index
        });
        index.kb = kb;
        index
    }

    /// Everything but the knowledge base itself (left empty), its examples and its reader of
    /// genre.
    fn from_words(kb: &KnowledgeBase) -> Index {
        let Words {
            mut vocabulary,
            entry_words,
            sequences,
        } = read_words(kb);
        // Words that mark a text as coming from a Microsoft service.
        let microsoft: Vec<Vec<u32>> = MICROSOFT_MARKERS
            .iter()
            .map(|m| words(m).iter().map(|w| vocabulary.intern(w)).collect())
            .collect();
        let not_a_service: Vec<u32> = ["powershell"]
            .iter()
            .map(|w| vocabulary.intern(w))
            .collect();
        let Vocabulary {
            map: vocab,
            df,
            foreign,
            ..
        } = vocabulary;
        let weight = weights(&df, kb.curated().count());
        let lookup_postings = lookup_postings(entry_words, &df);
        let mut m = Matchers::new(&vocab, &weight, df.len(), kb.entries.len());
        for (ei, (e, seqs)) in kb.entries.iter().zip(sequences).enumerate() {
            m.add(ei as u32, e, seqs);
        }
        let plain_codes = kb
            .entries
            .iter()
            .flat_map(|e| &e.matching.codes)
            .any(|c| !crate::text::words::is_code_shaped(c));
        let Matchers {
            codes,
            known_codes,
            messages,
            message_postings,
            rules,
            entry_none,
            rule_postings,
            prefix_rules,
            pattern_sources,
            pattern_info,
            match_words,
            phrases,
            ..
        } = m.finish();
        let (patterns, pattern_info) = compile_patterns(&pattern_sources, pattern_info);
        let speller = Speller::new(vocab.iter().map(|(w, &id)| (w.as_str(), id)), |id| {
            !foreign[id as usize]
        });
        Index {
            examples: super::examples::Examples::default(),
            mentions: None,
            kb: KnowledgeBase::default(),
            vocab,
            weight,
            codes,
            plain_codes,
            known_codes,
            messages,
            message_postings,
            rules,
            entry_none,
            rule_postings,
            prefix_rules,
            patterns,
            pattern_info,
            lookup_postings,
            phrases,
            microsoft,
            not_a_service,
            match_words,
            speller,
            foreign,
        }
    }
}

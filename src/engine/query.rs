//! Scoring a lookup (`/fix token expired`): how much of the query each entry explains, with
//! misspellings corrected against the knowledge base's vocabulary.

use rustc_hash::FxHashMap as HashMap;

use super::answer::{Answer, Match, MAX_RANKED};
use super::index::Index;
use super::normalize::clean;
use super::phrase::UNKNOWN;
use crate::kb::Tier;
use crate::text::words::{code_key_into, identifiers, is_stop_word, split_words};

/// Weight of a query word that the knowledge base does not know at all.
const UNKNOWN_WEIGHT: f32 = 0.5;
/// A corrected word counts this much of a correctly spelt one.
const CORRECTED: f32 = 0.85;
/// Share of the score earned by query word pairs found side by side in an entry.
const PAIR_SHARE: f32 = 0.15;
/// Bonus when the query's words appear side by side, in order, in an entry's title, keyword or
/// message.
const PHRASE_BONUS: f32 = 0.1;
/// Bonus share for how much of an entry's title the query covers (precise titles win ties).
const TITLE_SHARE: f32 = 0.05;
/// Entries scoring below this are not listed.
const MIN_SCORE: f32 = 0.12;

/// What a reference entry's lookup score counts for against a curated entry's.
const REFERENCE_SHARE: f32 = 0.85;

pub(super) fn answer(index: &Index, text: &str) -> Answer {
    let cleaned = clean(text);
    let (terms, notes) = terms(index, &cleaned.text);
    let mut scores = word_scores(index, &terms);
    let code_owners = named_codes(index, &cleaned.text, &mut scores);
    bonuses(index, &terms, &mut scores);
    team_first(index, &code_owners, &mut scores);
    Answer {
        matches: explained(index, scores, &terms, &notes),
        auto_reply: Vec::new(),
        extracted: Default::default(),
        truncated: cleaned.truncated,
        gate: Default::default(),
    }
}

/// A query word as matched: its id, weight and how sure the reading is.
type Term = (u32, f32, f32);

/// Each entry's score so far, and the reasons given for it.
type Scores = HashMap<u32, (f32, Vec<String>)>;

/// The query's words as (id, weight, how sure): known, corrected, or unknown; and what was
/// corrected, for the reasons.
fn terms(index: &Index, text: &str) -> (Vec<Term>, Vec<String>) {
    let mut raw = Vec::new();
    split_words(text, &mut raw);
    let mut terms: Vec<Term> = Vec::new();
    let mut notes: Vec<String> = Vec::new();
    for w in raw.iter().filter(|w| !is_stop_word(&w.text)) {
        let id = index.id(&w.text);
        if id != UNKNOWN {
            terms.push((id, index.weight[id as usize], 1.0));
        } else if let Some(fixed) = index.speller.correct(&w.text) {
            terms.push((fixed, index.weight[fixed as usize], CORRECTED));
            notes.push(format!(
                "read “{}” as “{}”",
                w.text,
                index.speller.word(fixed)
            ));
        } else {
            terms.push((UNKNOWN, UNKNOWN_WEIGHT, 0.0));
        }
    }
    (terms, notes)
}

/// How much of the query's weight each entry's words explain.
fn word_scores(index: &Index, terms: &[Term]) -> Scores {
    let total: f32 = terms.iter().map(|t| t.1).sum();
    let mut scores = Scores::default();
    if total > 0.0 {
        for &(id, w, sure) in terms {
            if id == UNKNOWN {
                continue;
            }
            for &(entry, fw) in index
                .lookup_postings
                .get(id as usize)
                .map(Vec::as_slice)
                .unwrap_or(&[])
            {
                scores.entry(entry).or_default().0 += (1.0 - PAIR_SHARE) * w * fw * sure / total;
            }
        }
    }
    scores
}

/// Entries that own a code named in the query score high; returns the owners, per code.
fn named_codes(index: &Index, text: &str, scores: &mut Scores) -> Vec<Vec<u32>> {
    let mut key = String::new();
    let mut code_owners: Vec<Vec<u32>> = Vec::new();
    identifiers(text, |ident| {
        code_key_into(ident, &mut key);
        // A bare number of an Entra code's length is looked up as that code: `50020` →
        // `AADSTS50020`.
        if (4..=7).contains(&key.len())
            && key.bytes().all(|b| b.is_ascii_digit())
            && !index.codes.contains_key(key.as_str())
        {
            key.insert_str(0, "aadsts");
        }
        if let Some(owners) = index.codes.get(key.as_str()) {
            code_owners.push(owners.iter().map(|&(e, _)| e).collect());
            for &(entry, ci) in owners {
                let code = index.code(entry, ci);
                let slot = scores.entry(entry).or_default();
                slot.0 = slot.0.max(0.97);
                let reason = format!("code {code}");
                if !slot.1.contains(&reason) {
                    slot.1.push(reason);
                }
            }
        }
    });
    code_owners
}

/// Bonuses for word pairs, whole phrases and title coverage, computed only for entries they
/// could lift to the top.
fn bonuses(index: &Index, terms: &[Term], scores: &mut Scores) {
    let known: Vec<u32> = terms
        .iter()
        .map(|t| t.0)
        .filter(|&id| id != UNKNOWN)
        .collect();
    let pairs: Vec<(u32, u32)> = terms
        .windows(2)
        .map(|p| (p[0].0, p[1].0))
        .filter(|p| p.0 != UNKNOWN && p.1 != UNKNOWN)
        .collect();
    let pair_share = PAIR_SHARE / terms.len().saturating_sub(1).max(1) as f32;
    let best = scores.values().map(|s| s.0).fold(0.0f32, f32::max);
    for (&entry, slot) in scores.iter_mut() {
        if slot.0 < best - (PAIR_SHARE + PHRASE_BONUS + TITLE_SHARE) {
            continue;
        }
        let own = &index.phrases[entry as usize];
        let adjacent = |a: u32, b: u32| {
            own.iter()
                .any(|p| p.windows(2).any(|w| w[0] == a && w[1] == b))
        };
        slot.0 += pair_share * pairs.iter().filter(|&&(a, b)| adjacent(a, b)).count() as f32;
        if known.len() >= 2
            && own
                .iter()
                .any(|p| p.windows(known.len()).any(|w| w == known.as_slice()))
        {
            slot.0 += PHRASE_BONUS;
        }
        if let Some(title) = own.first().filter(|t| !t.is_empty()) {
            let covered = title.iter().filter(|id| known.contains(id)).count();
            slot.0 += TITLE_SHARE * covered as f32 / title.len() as f32;
        }
    }
}

/// When both fit, the team's entry comes before a code's general meaning: reference entries
/// count for a little less, and a curated owner of a code named in the query comes first.
fn team_first(index: &Index, code_owners: &[Vec<u32>], scores: &mut Scores) {
    for (&entry, slot) in scores.iter_mut() {
        if index.kb.entries[entry as usize].tier == Tier::Reference {
            slot.0 *= REFERENCE_SHARE;
        }
    }
    for owners in code_owners {
        let tier = |e: &u32| index.kb.entries[*e as usize].tier;
        let best_reference = owners
            .iter()
            .filter(|e| tier(e) == Tier::Reference)
            .filter_map(|e| scores.get(e).map(|s| s.0))
            .fold(f32::NEG_INFINITY, f32::max);
        for e in owners.iter().filter(|e| tier(e) == Tier::Curated) {
            if let Some(slot) = scores.get_mut(e) {
                slot.0 = slot.0.max(best_reference + 0.01);
            }
        }
    }
}

/// The best entries, ranked first, then explained (only the entries shown).
fn explained(index: &Index, scores: Scores, terms: &[Term], notes: &[String]) -> Vec<Match> {
    let mut ranked: Vec<(u32, (f32, Vec<String>))> = scores
        .into_iter()
        .filter(|(_, (s, _))| *s >= MIN_SCORE)
        .collect();
    ranked.sort_by(|a, b| b.1 .0.total_cmp(&a.1 .0).then(a.0.cmp(&b.0)));
    ranked.truncate(MAX_RANKED);
    ranked
        .into_iter()
        .map(|(entry, (raw, mut reasons))| {
            let score = raw.min(1.0);
            let matched: Vec<String> = matched_words(index, entry, terms);
            if !matched.is_empty() {
                reasons.push(format!("words: {}", matched.join(", ")));
            }
            reasons.extend(notes.iter().cloned());
            Match {
                entry: entry as usize,
                score,
                reasons,
                strong: false,
                points: raw,
            }
        })
        .collect()
}

/// The query words (as the knowledge base spells them) found in an entry.
fn matched_words(index: &Index, entry: u32, terms: &[Term]) -> Vec<String> {
    let mut out = Vec::new();
    for &(id, _, _) in terms {
        if id == UNKNOWN {
            continue;
        }
        let hit = index
            .lookup_postings
            .get(id as usize)
            .is_some_and(|l| l.iter().any(|&(e, _)| e == entry));
        if hit {
            let w = index.speller.word(id).to_string();
            if !out.contains(&w) {
                out.push(w);
            }
        }
    }
    out
}

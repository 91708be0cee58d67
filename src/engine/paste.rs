//! Scoring a pasted message: evidence from codes, messages, rules and patterns, combined per
//! entry, then the auto-reply decision.

use rustc_hash::FxHashMap as HashMap;

use super::answer::{confidence, Answer, Extracted, Gate, Match, MAX_RANKED};
use super::decide::{decide, silence_learned, Candidate, Decision, Learned, TextFacts};
use super::form;
use super::index::{Index, Term};
use super::normalize::{decode_bounded, remove_noise};
use super::phrase::{coverage, Doc, UNKNOWN};
use super::signals::{self, is_foreign_status, is_generic_code};
use crate::kb::{Product, Tier};
use crate::text::words::{code_key, code_key_into, identifiers, is_code_shaped};

/// Points of a code that identifies the entry.
const CODE_POINTS: f32 = 4.0;
/// Points of a message found whole; a partial message earns its share.
const MESSAGE_POINTS: f32 = 4.0;
/// A message found to at least this share counts.
const MIN_COVERAGE: f32 = 0.5;
/// A message of at most this many content words counts only when found whole.
const SHORT_MESSAGE_WORDS: usize = 3;
/// A message found to at least this share is strong evidence...
const STRONG_COVERAGE: f32 = 0.8;
/// ...when it has at least this many words: two or three words (`token expired`, `user not
/// found`) occur in many products' errors...
const STRONG_MIN_WORDS: usize = 4;
/// ...or this many, next to something naming a Microsoft service.
const STRONG_MIN_WORDS_MICROSOFT: usize = 3;
/// A message of fewer content words (stop words aside) than this is strong only when the text
/// quotes it as written: read through stems and stop words, a few words are also a sentence
/// about the error (`I guess it relates to access token expire` holds `Access token has
/// expired.`); and not as the writer's guess at the cause ([`super::quote`]).
const QUOTED_BELOW_WORDS: usize = 5;

/// One piece of evidence for an entry.
#[derive(Debug, Clone)]
struct Evidence {
    points: f32,
    /// Set for strong evidence: what it rests on.
    key: Option<String>,
    /// Evidence from a rule.
    rule: bool,
    /// Evidence from a pattern.
    pattern: bool,
    reason: String,
}

pub(super) fn answer(index: &Index, text: &str) -> Answer {
    let decoded = decode_bounded(text);
    let mut answer = Answer {
        truncated: decoded.truncated,
        ..Answer::default()
    };
    let has_digit = decoded.text.bytes().any(|b| b.is_ascii_digit());
    // The text as pasted is kept: its form is read from it (stack frames and log lines are how
    // an error is carried).
    let pasted = as_read(decoded.text, |c| knows_code(index, c));
    let text = without_noise(&pasted, has_digit);
    let doc = index.doc(&text);
    let has_match_word = doc.ids.iter().any(|id| index.match_words.contains(id));
    // Ordinary chat leaves here: with no digit (codes, statuses, patterns) and no word of any
    // entry's codes, messages or rules, nothing can match.
    if !has_digit && !has_match_word {
        return answer;
    }
    let (evidence, microsoft) = gather(index, &text, &doc);
    // Signals tell whether the text carries an error no entry covers; they matter when some
    // entry matched, and are worth reporting when the text has codes at all.
    if !evidence.is_empty() || has_digit {
        answer.extracted = extracted(index, &text);
    }
    if evidence.is_empty() {
        return answer;
    }
    // Two tiers: the team's curated entries decide first; the general meaning of a code
    // (reference) speaks only when no curated entry does.
    let (curated, reference): (Vec<Scored>, Vec<Scored>) = ranked(evidence)
        .into_iter()
        .partition(|r| index.kb.entries[r.0.entry].tier == Tier::Curated);
    let mut facts = text_facts(&answer.extracted.foreign, microsoft, form::read(&pasted));
    let mut curated = top(curated, MAX_RANKED);
    code_owner_first(index, &mut curated);
    let read = Read {
        pasted: &pasted,
        text: &text,
        doc: &doc,
    };
    // The learned reader of genre costs a pass over the text: it reads only a text some tier
    // would answer, and silences that tier as the gate would have with its verdict.
    let mut learned_read = false;
    let mut learn = |facts: &mut TextFacts, decision: &mut Decision| {
        if decision.reply.is_empty() {
            return;
        }
        if !std::mem::replace(&mut learned_read, true) {
            facts.learned = learned(index, &pasted);
        }
        if let Some(l) = facts.learned {
            silence_learned(l.for_form(facts.form), decision);
        }
    };
    let mut decision = decide_curated(index, &curated, &answer.extracted.foreign, facts, &read);
    learn(&mut facts, &mut decision);
    let mut tiers = vec![(curated, decision, facts)];
    if tiers[0].1.reply.is_empty() && !reference.is_empty() {
        let (reference, mut decision, mut facts) =
            decide_reference(index, reference, &answer.extracted.foreign, facts, &text);
        learn(&mut facts, &mut decision);
        let replied = !decision.reply.is_empty();
        // The tier that explains the answer goes first: the one that replies, or the
        // reference tier when no curated entry matched at all (its gate said why it is silent).
        let explains = replied || tiers[0].0.is_empty();
        if !explains {
            // The curated tier explains the silence; the code's meaning had its own reason.
            let why = format!("{}; a code's meaning: {}", tiers[0].1.why, decision.why);
            tiers[0].1.why = why;
        }
        tiers.push((reference, decision, facts));
        if explains {
            tiers.swap(0, 1);
        }
    }
    explained(&mut answer, tiers);
    answer
}

/// Whether some entry (curated or reference) owns `code`.
fn knows_code(index: &Index, code: &str) -> bool {
    index.codes.contains_key(code_key(code).as_str())
}

/// A decoded paste as it is read: codes written apart from their prefix given in full (after a
/// plain "error", those `known` says exist).
fn as_read(decoded: String, known: impl Fn(&str) -> bool) -> String {
    match signals::with_code_prefixes(&decoded, known) {
        std::borrow::Cow::Borrowed(_) => decoded,
        std::borrow::Cow::Owned(full) => full,
    }
}

/// The features the learned reader of genre reads in a paste, named, as matching reads them.
pub(super) fn mention_features(text: &str) -> Vec<String> {
    // (Without a knowledge base, a number after a plain "error" stays a number.)
    super::mention::feature_names(&as_read(decode_bounded(text).text, |_| false))
}

/// The learned reader's probability for a paste, read as matching reads it.
pub(super) fn mention_probability(index: &Index, text: &str) -> Option<f32> {
    let read = as_read(decode_bounded(text).text, |c| knows_code(index, c));
    learned(index, &read).map(|l| l.mention)
}

/// The text a paste is matched in: without noise (ids, timestamps, tokens come with digits,
/// addresses with `@`, stack frames with `(`: text with none of them has none to remove).
fn without_noise(pasted: &str, has_digit: bool) -> std::borrow::Cow<'_, str> {
    if has_digit || pasted.contains(['@', '(']) {
        remove_noise(pasted)
    } else {
        std::borrow::Cow::Borrowed(pasted)
    }
}

/// Every entry's evidence in the text (codes, messages, rules, patterns), and whether the text
/// is Microsoft's.
fn gather(index: &Index, text: &str, doc: &Doc) -> (HashMap<u32, Vec<Evidence>>, bool) {
    let mut evidence: HashMap<u32, Vec<Evidence>> =
        HashMap::with_capacity_and_hasher(16, Default::default());
    codes(index, text, &mut evidence);
    let microsoft = index.is_microsoft(doc) || signals::has_microsoft_code(text);
    let strong_words = if microsoft {
        STRONG_MIN_WORDS_MICROSOFT
    } else {
        STRONG_MIN_WORDS
    };
    messages(index, text, doc, strong_words, &mut evidence);
    rules(index, doc, &mut evidence);
    patterns(index, text, &mut evidence);
    examples(index, text, &mut evidence);
    (evidence, microsoft)
}

/// The codes and statuses read in the text, and those no entry covers.
fn extracted(index: &Index, text: &str) -> Extracted {
    let found = signals::extract(text);
    Extracted {
        foreign: foreign(index, &found),
        codes: found.codes,
        statuses: found.statuses,
    }
}

/// Each entry's evidence combined (the strongest first, each further item worth half the one
/// before), best entry first.
fn ranked(evidence: HashMap<u32, Vec<Evidence>>) -> Vec<Scored> {
    let mut ranked: Vec<Scored> = evidence
        .into_iter()
        .map(|(entry, mut items)| {
            items.sort_by(|a, b| b.points.total_cmp(&a.points));
            let points: f32 = items
                .iter()
                .enumerate()
                .map(|(i, e)| e.points * 0.5f32.powi(i as i32))
                .sum();
            let keys: Vec<String> = items.iter().filter_map(|e| e.key.clone()).collect();
            let backing = Backing {
                ruled: items.iter().any(|e| e.rule),
                patterned: items.iter().any(|e| e.pattern),
            };
            let m = Match {
                entry: entry as usize,
                score: confidence(points),
                reasons: items.into_iter().map(|e| e.reason).collect(),
                strong: !keys.is_empty(),
                points,
            };
            (m, keys, backing)
        })
        .collect();
    ranked.sort_by(|a, b| {
        b.0.points
            .total_cmp(&a.0.points)
            .then(a.0.entry.cmp(&b.0.entry))
    });
    ranked
}

/// Whether codes (not HTTP statuses) and statuses are among `foreign`.
fn foreign_kinds(foreign: &[String]) -> (bool, bool) {
    (
        foreign.iter().any(|f| !f.starts_with("HTTP ")),
        foreign.iter().any(|f| f.starts_with("HTTP ")),
    )
}

/// What the learned reader of genre makes of a paste, when the knowledge base has one.
fn learned(index: &Index, pasted: &str) -> Option<Learned> {
    let model = index.mentions.as_ref()?;
    model.probability(pasted).map(|mention| Learned {
        mention,
        silent_at: model.threshold(),
    })
}

fn text_facts(foreign: &[String], microsoft: bool, form: form::Form) -> TextFacts {
    let (foreign_code, foreign_status) = foreign_kinds(foreign);
    TextFacts {
        foreign_code,
        foreign_status,
        microsoft,
        form,
        learned: None,
    }
}

/// A paste as read: as pasted, without noise, and as words.
struct Read<'a> {
    pasted: &'a str,
    text: &'a str,
    doc: &'a Doc,
}

/// Backed only by codes for a kind of failure ([`signals::is_kind_code`]), and by none of the
/// entry's messages.
fn kind_code_only(c: &Candidate) -> bool {
    c.strong && !c.keys.is_empty() && c.keys.iter().all(|k| signals::is_kind_code(k))
}

/// The gate's decision on the curated entries, several errors answered innermost first.
fn decide_curated(
    index: &Index,
    curated: &[Scored],
    foreign: &[String],
    facts: TextFacts,
    read: &Read<'_>,
) -> Decision {
    let mut cands = candidates(index, curated, foreign);
    // A code is no other error's name when what follows it is this entry's own message,
    // whole (`AADSTS16000: Session is invalid due to expiration or recent password change`):
    // the entry was written for that message, under whichever code.
    for (c, r) in cands.iter_mut().zip(curated) {
        if c.named_otherwise && c.strong {
            c.named_otherwise = !message_follows_code(read.pasted, &r.1, foreign);
        }
    }
    // Only wording-and-rules candidates need the paste's own message (the regex has a cost).
    let context = |r: &Scored| r.2.ruled || r.2.patterned;
    let spelled = if cands
        .iter()
        .zip(curated)
        .any(|(c, r)| (!c.strong && context(r)) || kind_code_only(c))
    {
        form::messages(read.pasted)
    } else {
        Vec::new()
    };
    if !spelled.is_empty() {
        let said_text = spelled.join("\n");
        let said = index.doc(&said_text);
        // A message in a language the entries' rules are not written in says nothing for or
        // against them (`Privilèges insuffisants pour effectuer l'opération.`).
        let readable = reads_as_english(index, &said);
        // Whether the message refuses in its own words: read only when a rule needs it.
        let mut refuses = None;
        for (c, r) in cands.iter_mut().zip(curated) {
            let b = r.2;
            // Rules and patterns are context (a status, a product, a phrase around the error):
            // when the paste spells its error's message, one of them must be about it.
            let touched = (b.ruled
                && rules_touch(index, r.0.entry, read.doc, &said, || {
                    *refuses.get_or_insert_with(|| form::refuses(&said_text))
                }))
                || (b.patterned && patterns_touch(index, r.0.entry, &said_text));
            c.off_message = context(r) && !touched && readable;
            // A code for a kind of failure (`ErrorAccessDenied`, `Request_BadRequest`) stands
            // for many causes: when the paste spells its message and nothing of the entry's is
            // in it ("Access to OData is disabled."), the message says which cause, and it is
            // not this entry's.
            if kind_code_only(c) && !touched && readable && !restates_code(&spelled, &c.keys) {
                c.strong = false;
                c.off_message = true;
            }
        }
    }
    let mut decision = decide(&cands, facts);
    innermost_first(index, read.text, curated, &mut decision.reply);
    decision
}

/// Words a message adds to its code's without saying more (`Access is denied.` for
/// `accessDenied`).
const RESTATING_WORDS: &[&str] = &["a", "an", "is", "was", "has", "been", "the", "error"];

/// Whether one of the messages only restates one of the codes (`"code": "accessDenied",
/// "message": "Access denied"`): it names no other cause than the code does.
fn restates_code(messages: &[String], keys: &[String]) -> bool {
    messages.iter().any(|m| {
        let said: Vec<&str> = m
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|w| !RESTATING_WORDS.iter().any(|r| r.eq_ignore_ascii_case(w)))
            .collect();
        keys.contains(&code_key(&said.concat()))
    })
}

/// Whether a message reads as English: its words of the entries' English text outweigh those
/// only in localized messages, and half the words no entry has.
fn reads_as_english(index: &Index, said: &Doc) -> bool {
    // Words no entry has (names, paths, products) count half against: an English message
    // still has its stop words and common words.
    let (mut english, mut other) = (0, 0);
    for &id in &said.ids {
        if id == UNKNOWN {
            other += 1;
        } else if index.foreign[id as usize] {
            other += 2;
        } else {
            english += 2;
        }
    }
    english >= other
}

/// The reference tier's entries, ranked, and the gate's decision on them: only an Entra
/// sign-in code's meaning is posted unprompted.
fn decide_reference(
    index: &Index,
    mut reference: Vec<Scored>,
    foreign: &[String],
    facts: TextFacts,
    text: &str,
) -> (Vec<Scored>, Decision, TextFacts) {
    // Entra codes first (only they are posted unprompted, below); of several, the innermost
    // (the last one written, inside its wrappers) first.
    let entra = |r: &Scored| {
        index.kb.entries[r.0.entry]
            .products
            .contains(&Product::Entra)
    };
    reference.sort_by_key(|r| {
        (
            std::cmp::Reverse(entra(r)),
            std::cmp::Reverse(last_position(index, text, r.0.entry)),
        )
    });
    let reference = top(reference, MAX_RANKED);
    let unknown: Vec<String> = foreign
        .iter()
        .filter(|f| !knows_code(index, f))
        .cloned()
        .collect();
    let (foreign_code, foreign_status) = foreign_kinds(&unknown);
    let facts = TextFacts {
        foreign_code,
        foreign_status,
        ..facts
    };
    let mut candidates = candidates(index, &reference, &unknown);
    // Unprompted, only an Entra sign-in code's meaning is posted: Graph's codes
    // (`TooManyRequests`, `Request_ResourceNotFound`) are answered on lookups and listed
    // under answers, but their general meaning posted unasked is mostly noise.
    for (c, r) in candidates.iter_mut().zip(&reference) {
        if !entra(r) {
            c.points = 0.0;
            c.strong = false;
            c.coded = false;
        }
    }
    let mut decision = decide(&candidates, facts);
    // A code's general meaning is posted unprompted only for an error the text carries (or asks
    // about): a code named in passing is no one's error.
    if !(facts.form.carries || facts.form.asks || decision.reply.is_empty()) {
        decision.reply.clear();
        decision.vetoed = true;
        decision.why = "silent: the text names the code but carries no error".into();
        decision.reason = "code_without_error";
    }
    (reference, decision, facts)
}

/// The answer's matches and gate from the tiers, the one that answers first (its decision
/// explains the answer).
fn explained(answer: &mut Answer, tiers: Vec<(Vec<Scored>, Decision, TextFacts)>) {
    let mut tiers = tiers.into_iter();
    let (first, decision, facts) = tiers.next().expect("the curated tier");
    answer.auto_reply = decision.reply.clone();
    answer.gate = Gate {
        why: decision.why.clone(),
        reason: decision.reason,
        vetoed: decision.vetoed,
        facts,
        features: decision.features.clone(),
    };
    answer.matches = scored(first, &decision.confidence);
    for (rest, d, _) in tiers {
        answer.matches.extend(scored(rest, &d.confidence));
    }
    answer.matches.truncate(MAX_RANKED);
}

/// One ranked entry with the keys of its strong evidence and whether a rule backs it.
type Scored = (Match, Vec<String>, Backing);

/// What an entry's weaker evidence rests on: rules, patterns (or neither: wording).
#[derive(Debug, Clone, Copy, Default)]
struct Backing {
    ruled: bool,
    patterned: bool,
}

/// Whether some rule of the entry that holds on the paste has a term inside the message the
/// paste spells out, or looks for a refusal and `refusal_said` finds one in the message's own
/// words.
fn rules_touch(
    index: &Index,
    entry: usize,
    doc: &Doc,
    said: &Doc,
    mut refusal_said: impl FnMut() -> bool,
) -> bool {
    index
        .rules
        .iter()
        .filter(|r| r.entry as usize == entry && index.rule_holds(r, doc))
        .any(|r| {
            // A group naming any of many services ("from a Microsoft service") says where the
            // error came from, not what it is: it does not make the rule about the message. A
            // group naming one product (Partner Center) is what the entry is about.
            let context = |g: &&Vec<Term>| {
                g.iter()
                    .filter(|t| matches!(t, Term::Words(ids) if index.microsoft.contains(ids)))
                    .count()
                    >= ANY_SERVICE
            };
            r.groups
                .iter()
                .filter(|g| !context(g))
                .flatten()
                .any(|t| t.is_in(said))
                || (r.refusal && refusal_said())
        })
}

fn top(mut ranked: Vec<Scored>, n: usize) -> Vec<Scored> {
    ranked.truncate(n);
    ranked
}

/// A code names its error: when the best entry rests on messages or wording only, and the text
/// names its error with a code of that entry's family that another ranked entry owns and is
/// backed by (`AADSTS70043: The refresh token has expired …` beside an entry for expired tokens
/// that owns other AADSTS codes), that code's owner goes first. (A code no entry knows leaves
/// the order as it is: the gate's vetoes weigh it.)
fn code_owner_first(index: &Index, ranked: &mut [Scored]) {
    let Some(first) = ranked.first() else {
        return;
    };
    if backing_codes(&first.1).next().is_some() {
        return;
    }
    let entry = first.0.entry;
    let owner = ranked
        .iter()
        .position(|r| backing_codes(&r.1).any(|k| of_entry_family(index, entry, k)));
    if let Some(owner) = owner {
        ranked[..=owner].rotate_right(1);
    }
}

/// The codes backing a ranked entry (its evidence's keys that are not messages).
fn backing_codes(keys: &[String]) -> impl Iterator<Item = &String> {
    keys.iter().filter(|k| !k.starts_with("message:"))
}

/// What the decision needs of ranked entries. An entry is named otherwise by a code no entry
/// knows, or, when no code of its own backs it, by one that another ranked entry is backed by.
fn candidates(index: &Index, ranked: &[Scored], foreign: &[String]) -> Vec<Candidate> {
    ranked
        .iter()
        .enumerate()
        .map(|(i, (m, keys, ruled))| Candidate {
            points: m.points,
            strong: m.strong,
            coded: backing_codes(keys).next().is_some(),
            named_otherwise: names_otherwise(index, m.entry, foreign)
                || backing_codes(keys).next().is_none()
                    && ranked
                        .iter()
                        .enumerate()
                        .filter(|&(j, _)| j != i)
                        .flat_map(|(_, r)| backing_codes(&r.1))
                        .any(|k| of_entry_family(index, m.entry, k)),
            off_message: false,
            ruled: ruled.ruled,
            keys: keys.clone(),
        })
        .collect()
}

/// The matches, each with its calibrated confidence.
fn scored(ranked: Vec<Scored>, confidence: &[f32]) -> Vec<Match> {
    ranked
        .into_iter()
        .zip(confidence)
        .map(|((mut m, _, _), &p)| {
            // A reply shows how often replies like it are right.
            m.score = super::decide::shown(p);
            m
        })
        .collect()
}

/// Several errors answered at once: an error written inside another's line (`Consent failed:
/// AADSTS50076: …`) is the cause, so it comes first; errors on lines of their own keep the order
/// they were written in. Entries placed by a code of theirs only; the others keep their rank.
fn innermost_first(index: &Index, text: &str, ranked: &[Scored], reply: &mut [usize]) {
    if reply.len() < 2 {
        return;
    }
    let lower = text.to_ascii_lowercase();
    let place = |i: usize| -> Option<(usize, usize)> {
        index.kb.entries[ranked[i].0.entry]
            .matching
            .codes
            .iter()
            .filter_map(|c| lower.find(&c.to_ascii_lowercase()))
            .min()
            .map(|at| {
                let line = lower[..at].matches('\n').count();
                let column = at - lower[..at].rfind('\n').map_or(0, |n| n + 1);
                (line, column)
            })
    };
    let places: Option<Vec<(usize, usize)>> = reply.iter().map(|&i| place(i)).collect();
    if let Some(places) = places {
        let mut order: Vec<(usize, (usize, usize))> = reply.iter().copied().zip(places).collect();
        order.sort_by_key(|&(_, (line, column))| (line, std::cmp::Reverse(column)));
        for (slot, (i, _)) in reply.iter_mut().zip(order) {
            *slot = i;
        }
    }
}

/// Where the entry's first code is last written in the text (0 when it is not).
fn last_position(index: &Index, text: &str, entry: usize) -> usize {
    let Some(code) = index.kb.entries[entry].matching.codes.first() else {
        return 0;
    };
    let (hay, needle) = (text.to_ascii_lowercase(), code.to_ascii_lowercase());
    whole_code_at(&hay, &needle).last().map_or(0, |p| p + 1)
}

/// Where `code` stands whole in `hay` (both in lower case): `aadsts70021` is not found inside
/// `aadsts700213`.
fn whole_code_at<'a>(hay: &'a str, code: &'a str) -> impl Iterator<Item = usize> + 'a {
    hay.match_indices(code).map(|(p, _)| p).filter(move |p| {
        !hay[p + code.len()..]
            .bytes()
            .next()
            .is_some_and(|b| b.is_ascii_alphanumeric())
    })
}

/// The family of a numbered code: its letters before the digits (`AADSTS50076` → `aadsts`).
fn family(code: &str) -> Option<String> {
    let digits = code.find(|c: char| c.is_ascii_digit())?;
    let (letters, number) = code.split_at(digits);
    (letters.len() >= 2 && number.bytes().all(|b| b.is_ascii_digit()))
        .then(|| letters.to_ascii_lowercase())
}

/// True when one of the `foreign` codes is followed, after its colon, by one of the messages
/// the entry matched strongly (`keys`), whole.
fn message_follows_code(text: &str, keys: &[String], foreign: &[String]) -> bool {
    let flat = |s: &str| {
        s.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
    };
    let lower = flat(text);
    keys.iter()
        .filter_map(|k| k.strip_prefix("message:"))
        .any(|message| {
            let start = flat(message);
            let start = start.trim_end_matches('.');
            foreign.iter().any(|code| {
                let code = code.to_lowercase();
                let follows = whole_code_at(&lower, &code).any(|at| {
                    let after = lower[at + code.len()..].trim_start_matches([':', ' ', '-']);
                    after.starts_with(start)
                });
                follows
            })
        })
}

/// True when one of the `foreign` codes is of a family the entry's own codes belong to.
fn names_otherwise(index: &Index, entry: usize, foreign: &[String]) -> bool {
    foreign.iter().any(|f| of_entry_family(index, entry, f))
}

/// True when `code` is of a family (`AADSTS`, `IDX`) the entry's own codes belong to.
fn of_entry_family(index: &Index, entry: usize, code: &str) -> bool {
    family(code).is_some_and(|fam| {
        index.kb.entries[entry]
            .matching
            .codes
            .iter()
            .any(|c| family(c).as_deref() == Some(fam.as_str()))
    })
}

/// Codes and statuses of the text that no entry knows.
fn foreign(index: &Index, found: &signals::Signals) -> Vec<String> {
    let mut out: Vec<String> = found
        .codes
        .iter()
        .filter(|c| {
            let key = code_key(c);
            !is_generic_code(&key) && !index.known_codes.contains(&key)
        })
        .cloned()
        .collect();
    out.extend(
        found
            .statuses
            .iter()
            .filter(|&&s| is_foreign_status(s))
            .map(|s| format!("HTTP {s}")),
    );
    out
}

/// A paste must hold this share of an example's weight to be like it...
const EXAMPLE_MIN: f32 = 0.6;
/// ...and then supports the entry by this many points times the share.
const EXAMPLE_POINTS: f32 = 1.5;

/// Support from the entries' example pastes, for entries other evidence already found: an
/// example never makes a candidate alone.
fn examples(index: &Index, text: &str, evidence: &mut HashMap<u32, Vec<Evidence>>) {
    // Only an entry without strong evidence (a code, a whole message) needs support.
    let needs = evidence
        .iter()
        .any(|(&e, items)| index.examples.has(e as usize) && items.iter().all(|i| i.key.is_none()));
    if !needs {
        return;
    }
    for like in index.examples.like(text, EXAMPLE_MIN) {
        if let Some(items) = evidence.get_mut(&(like.entry as u32)) {
            items.push(Evidence {
                points: EXAMPLE_POINTS * like.share,
                key: None,
                rule: false,
                pattern: false,
                reason: format!(
                    "like a known paste ({}, {:.0}%)",
                    like.source,
                    like.share * 100.0
                ),
            });
        }
    }
}

/// How many services a rule's group names to mean "any Microsoft service".
const ANY_SERVICE: usize = 5;

/// Whether one of `entry`'s patterns matches in `said` (the error's own message).
fn patterns_touch(index: &Index, entry: usize, said: &str) -> bool {
    let Some(patterns) = &index.patterns else {
        return false;
    };
    let mut set = regex_automata::PatternSet::new(patterns.pattern_len());
    patterns.which_overlapping_matches(&regex_automata::Input::new(said.as_bytes()), &mut set);
    set.iter()
        .any(|pi| index.pattern_info[pi.as_usize()].entry as usize == entry)
}

fn patterns(index: &Index, text: &str, evidence: &mut HashMap<u32, Vec<Evidence>>) {
    let Some(patterns) = &index.patterns else {
        return;
    };
    let mut set = regex_automata::PatternSet::new(patterns.pattern_len());
    patterns.which_overlapping_matches(&regex_automata::Input::new(text.as_bytes()), &mut set);
    for pi in set.iter() {
        let info = &index.pattern_info[pi.as_usize()];
        evidence.entry(info.entry).or_default().push(Evidence {
            points: info.weight,
            key: None,
            rule: false,
            pattern: true,
            reason: index.pattern_why(info).to_string(),
        });
    }
}

fn codes(index: &Index, text: &str, evidence: &mut HashMap<u32, Vec<Evidence>>) {
    let mut key = String::new();
    identifiers(text, |ident| {
        if !index.plain_codes && !is_code_shaped(ident) {
            return;
        }
        code_key_into(ident, &mut key);
        let Some(owners) = index.codes.get(key.as_str()) else {
            return;
        };
        for &(entry, ci) in owners {
            let code = index.code(entry, ci);
            // Graph's camelCase codes (`accessDenied`, `invalidRequest`) are another error than
            // OAuth's of the same letters (`access_denied`, `invalid_request`): only the
            // spelling Microsoft sends is that code.
            if is_camel_case(code) && ident != code {
                continue;
            }
            let items = evidence.entry(entry).or_default();
            if items.iter().any(|e| e.key.as_deref() == Some(key.as_str())) {
                continue;
            }
            let first = !items.iter().any(|e| e.key.is_some());
            items.push(Evidence {
                points: if first { CODE_POINTS } else { 1.0 },
                key: Some(key.clone()),
                rule: false,
                pattern: false,
                reason: format!("code {code}"),
            });
        }
    });
}

/// A code written in camelCase: a lower-case letter first, an upper-case one later, letters
/// and digits only (`accessDenied`, not `AccessDenied` or `access_denied`).
fn is_camel_case(code: &str) -> bool {
    let b = code.as_bytes();
    b.first().is_some_and(u8::is_ascii_lowercase)
        && b.iter().any(u8::is_ascii_uppercase)
        && b.iter().all(u8::is_ascii_alphanumeric)
}

/// Aligns known messages with the doc; one found to [`STRONG_COVERAGE`] with at least
/// `strong_words` words is strong evidence (a short one only when `text` quotes it).
fn messages(
    index: &Index,
    text: &str,
    doc: &Doc,
    strong_words: usize,
    evidence: &mut HashMap<u32, Vec<Evidence>>,
) {
    // Upper bound of each message's coverage from the words present: only messages that could
    // reach the minimum are aligned.
    // Sized for a long paste's hundreds of touched messages: growing it step by step cost
    // more than the search.
    let mut bound: HashMap<u32, f32> = HashMap::with_capacity_and_hasher(512, Default::default());
    for id in doc.distinct_ids() {
        if let Some(list) = index.message_postings.get(id as usize) {
            let w = index.weight[id as usize];
            for &mi in list {
                *bound.entry(mi).or_insert(0.0) += w;
            }
        }
    }
    let mut best: HashMap<u32, (f32, u32)> = HashMap::default();
    for (mi, b) in bound {
        let message = &index.messages[mi as usize];
        if b < MIN_COVERAGE * message.phrase.total() && b < 2.0 {
            continue;
        }
        let share = coverage(doc, &message.phrase, &|id| index.speller.word(id));
        // A short message found in part is two common words side by side ("not found" of
        // "User was not found."), not the message.
        if share < MIN_COVERAGE || (share < 1.0 && message.phrase.ids.len() <= SHORT_MESSAGE_WORDS)
        {
            continue;
        }
        // Of messages found to the same share, the longest says most (`Access token has
        // expired.` over `The token has expired.`).
        let slot = best.entry(message.entry).or_insert((0.0, mi));
        let held = index.messages[slot.1 as usize].phrase.ids.len();
        let words = message.phrase.ids.len();
        if share > slot.0
            || (share == slot.0
                && (words, std::cmp::Reverse(mi)) > (held, std::cmp::Reverse(slot.1)))
        {
            *slot = (share, mi);
        }
    }
    // The text folded for quotes, made once and only when a short message needs it.
    let mut quotes: Option<super::quote::Quotes> = None;
    for (entry, (share, mi)) in best {
        if index.excludes(entry, doc) {
            continue;
        }
        let message = &index.messages[mi as usize];
        let said = index.message_text(message);
        let words = message.phrase.ids.len();
        let strong = share >= STRONG_COVERAGE
            && words >= strong_words
            && (words >= QUOTED_BELOW_WORDS
                || quotes
                    .get_or_insert_with(|| super::quote::Quotes::new(text))
                    .holds(said));
        // Squared: the words missing from a partial message are often the ones that tell
        // two errors apart (`token is expired` / `token is missing an expiration`).
        evidence.entry(entry).or_default().push(Evidence {
            points: MESSAGE_POINTS * share * share,
            key: strong.then(|| format!("message:{said}")),
            rule: false,
            pattern: false,
            reason: format!("message “{}” ({:.0}%)", ellipsis(said, 70), share * 100.0),
        });
    }
}

fn rules(index: &Index, doc: &Doc, evidence: &mut HashMap<u32, Vec<Evidence>>) {
    let mut tried: Vec<u32> = index.prefix_rules.clone();
    for id in doc.distinct_ids() {
        if let Some(list) = index.rule_postings.get(id as usize) {
            tried.extend(list);
        }
    }
    tried.sort_unstable();
    tried.dedup();
    for ri in tried {
        let rule = &index.rules[ri as usize];
        if index.rule_holds(rule, doc) {
            evidence.entry(rule.entry).or_default().push(Evidence {
                points: rule.weight,
                key: None,
                rule: true,
                pattern: false,
                reason: index.rule_why(rule).to_string(),
            });
        }
    }
}

/// Cuts text to at most `max` characters, ending with `…` when cut.
pub fn ellipsis(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max.saturating_sub(1)).collect();
    format!("{}…", cut.trim_end())
}

#[cfg(test)]
mod tests {
    use super::{is_camel_case, restates_code};

    #[test]
    fn a_message_that_only_restates_its_code_names_no_other_cause() {
        let keys = ["accessdenied".to_string()];
        for said in [
            "Access denied",
            "Access is denied.",
            "ACCESS DENIED",
            "access_denied",
        ] {
            assert!(restates_code(&[said.to_string()], &keys), "{said}");
        }
        for said in [
            "Access denied to the site collection's retention hold",
            "Request was cancelled by event received.",
            "Denied",
        ] {
            assert!(!restates_code(&[said.to_string()], &keys), "{said}");
        }
        assert!(!restates_code(&[], &keys));
    }

    #[test]
    fn only_camel_case_codes_are_read_as_written() {
        for code in [
            "accessDenied",
            "invalidRequest",
            "itemNotFound",
            "quotaLimitReached",
        ] {
            assert!(is_camel_case(code), "{code}");
        }
        for code in [
            "access_denied",
            "AccessDenied",
            "ErrorAccessDenied",
            "Authorization_RequestDenied",
            "AADSTS50020",
            "accessdenied",
            "",
        ] {
            assert!(!is_camel_case(code), "{code}");
        }
    }
}

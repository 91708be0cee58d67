//! Phrase alignment: how much of a known error message appears, in order, in a paste —
//! tolerating words in between, missing words, line wraps and a message cut short.

use crate::text::words::{is_stop_word, Word};

/// Marks a word that is not in the knowledge base's vocabulary.
pub const UNKNOWN: u32 = u32::MAX;
/// Most words allowed between two matched words of a phrase.
const GAP: usize = 4;
/// Most message words in a row that may be missing from the paste.
const MAX_MISSES: usize = 2;
/// Occurrences of a word tried as the start of an alignment.
const MAX_STARTS: usize = 32;

/// A text as the matcher sees it: words with their vocabulary ids, and where each id occurs.
#[derive(Debug, Default)]
pub struct Doc {
    pub words: Vec<Word>,
    pub ids: Vec<u32>,
    /// (id, position) of every known word, sorted: the occurrences of an id are one run.
    occurrences: Vec<(u32, u32)>,
}

impl Doc {
    /// Records that `id` occurs at `pos`; call [`Doc::index`] when done.
    pub fn add_occurrence(&mut self, id: u32, pos: u32) {
        self.occurrences.push((id, pos));
    }

    /// Sorts the occurrences so that [`Doc::positions`] can find them.
    pub fn index(&mut self) {
        self.occurrences.sort_unstable();
    }

    /// Where `id` occurs, in order.
    pub fn positions(&self, id: u32) -> impl Iterator<Item = u32> + '_ {
        let start = self.occurrences.partition_point(|&(i, _)| i < id);
        self.occurrences[start..]
            .iter()
            .take_while(move |&&(i, _)| i == id)
            .map(|&(_, p)| p)
    }

    /// Every distinct known id of the doc, once each.
    pub fn distinct_ids(&self) -> impl Iterator<Item = u32> + '_ {
        let mut last = None;
        self.occurrences.iter().filter_map(move |&(id, _)| {
            let new = last != Some(id);
            last = Some(id);
            new.then_some(id)
        })
    }

    /// True when the word sequence `ids` occurs in the doc, its words in a row save for an
    /// article the sequence does not write (`reset password` holds in "reset the password").
    /// A single word also matches a camelCase run written as one word (`onedrive` in
    /// `OneDrive`).
    pub fn contains_seq(&self, ids: &[u32]) -> bool {
        let Some(&first) = ids.first() else {
            return false;
        };
        let mut starts = self.positions(first).peekable();
        if ids.len() == 1 {
            return starts.peek().is_some();
        }
        starts.any(|p| self.seq_at(p as usize, &ids[1..]))
    }

    /// Whether `rest` follows the word at `p`, each word next to the one before or one article
    /// after it, all in one clause: `username = user,` and `password = pwd` hold no "user
    /// password".
    fn seq_at(&self, p: usize, rest: &[u32]) -> bool {
        let mut at = p;
        for &id in rest {
            let mut next = at + 1;
            if self.ids.get(next) != Some(&id) && self.words.get(next).is_some_and(is_article) {
                if self.words[next].after_break {
                    return false;
                }
                next += 1;
            }
            match self.words.get(next) {
                Some(w) if self.ids[next] == id && !w.after_break => at = next,
                _ => return false,
            }
        }
        true
    }

    /// True when some word of the doc starts with `prefix`.
    pub fn has_prefix(&self, prefix: &str) -> bool {
        self.words.iter().any(|w| w.text.starts_with(prefix))
    }
}

/// `a`, `an` or `the`, which a rule's phrase may leave out.
fn is_article(w: &Word) -> bool {
    matches!(w.text.as_str(), "a" | "an" | "the")
}

/// A message compiled for alignment: its content words, their weights and prefix sums.
#[derive(Debug, Clone)]
pub struct Phrase {
    pub ids: Vec<u32>,
    pub weights: Vec<f32>,
    /// `prefix[i]` is the weight of the first `i` words.
    pub prefix: Vec<f32>,
    /// The message holds a program's name (`…SendAsDeniedException…`): a paste's words from
    /// inside such names may stand for its words. Other messages are read from sentences only.
    pub names: bool,
}

impl Phrase {
    pub fn new(ids: Vec<u32>, weights: Vec<f32>) -> Phrase {
        let mut prefix = vec![0.0];
        for w in &weights {
            prefix.push(prefix.last().unwrap() + w);
        }
        Phrase {
            ids,
            weights,
            prefix,
            names: false,
        }
    }

    pub fn total(&self) -> f32 {
        *self.prefix.last().unwrap()
    }

    /// Whether `w` may stand for one of the message's words: a word from inside a program's
    /// name only for a message that holds such names.
    fn may_read(&self, w: &Word) -> bool {
        self.names || !w.joined
    }
}

/// The share (0..=1, weighted) of `phrase` found in order in `doc`. When the doc stops in the
/// middle of the phrase (it ends, or its next word is the start of the phrase's next word),
/// only the part of the phrase up to that point counts.
/// `word` gives the text of a vocabulary id.
pub fn coverage<'a>(doc: &Doc, phrase: &Phrase, word: &impl Fn(u32) -> &'a str) -> f32 {
    let k = phrase.ids.len();
    // A message that holds a negation itself may be pasted with another one (`does not` as
    // `doesn't`, `cannot` as `can't`); only a message without any is broken by one.
    let negated = phrase.ids.iter().any(|&id| is_negation(word(id)));
    let mut best = 0.0f32;
    for i in 0..k.div_ceil(2) {
        for start in doc
            .positions(phrase.ids[i])
            .filter(|&p| phrase.may_read(&doc.words[p as usize]))
            .take(MAX_STARTS)
        {
            best = best.max(align_from(doc, phrase, word, negated, i, start as usize));
            if best >= 1.0 {
                return 1.0;
            }
        }
    }
    best
}

/// The share of a message's weight a paste cut short must show: a message's first few words
/// are often ordinary words (`Der Benutzer muss`, `O usuário deve`), and a text ending with them
/// has not shown its error.
const CUT_SHARE: f32 = 0.5;

fn align_from<'a>(
    doc: &Doc,
    phrase: &Phrase,
    word: &impl Fn(u32) -> &'a str,
    negated: bool,
    first: usize,
    start: usize,
) -> f32 {
    let k = phrase.ids.len();
    let mut matched = phrase.weights[first];
    let mut count = 1;
    let mut cur = start;
    let mut last = first;
    let mut misses = 0;
    for j in first + 1..k {
        let hi = (cur + 1 + GAP).min(doc.ids.len());
        // The words in between may not negate the message ("the refresh token isn't revoked"
        // is not "The refresh token has been revoked").
        // Nor may they end a sentence and go on with other words: a message is not pieced
        // together from one sentence's last word and another sentence's words ("…the requested
        // user." / "Phone not found" is no "User was not found"; "…principal'. Incorrect or
        // invalid token." is no "…principal'. Token is expired."). The message's own next
        // sentence, after its stop words ("policies." / "The access policy …"), goes on.
        let mut crossed = false;
        let next = (cur + 1..hi)
            .take_while(|&q| negated || !is_negation(&doc.words[q].text))
            .take_while(|&q| {
                crossed |= doc.words[q - 1].sentence_end;
                !crossed || (cur + 1..q).all(|g| is_stop_word(&doc.words[g].text))
            })
            .find(|&q| doc.ids[q] == phrase.ids[j] && phrase.may_read(&doc.words[q]));
        match next {
            Some(q) => {
                matched += phrase.weights[j];
                count += 1;
                cur = q;
                last = j;
                misses = 0;
            }
            None => {
                misses += 1;
                if misses > MAX_MISSES {
                    break;
                }
            }
        }
    }
    let next = last + 1;
    // A paste that ends mid-phrase (not at the end of a sentence) needs three matched words;
    // one whose next word is cut (`privileges to co`) shows the cut itself and needs two. A cut is where a paste is cut: at its end or at the end
    // of a line. A whole word inside a line that begins the message's next word is only a
    // word (`la cuenta de servicio` against `La cuenta debe…`).
    let cut_short = next < k
        && matched >= CUT_SHARE * phrase.total()
        && match doc.words.get(cur + 1) {
            None => count >= 3 && !doc.words[cur].sentence_end,
            Some(w) => {
                let at_a_cut = doc
                    .words
                    .get(cur + 2)
                    .is_none_or(|after| after.after_newline);
                at_a_cut
                    && count >= 2
                    && w.text.len() >= 2
                    && w.text.len() < word(phrase.ids[next]).len()
                    && word(phrase.ids[next]).starts_with(w.text.as_str())
            }
        };
    let total = if cut_short {
        phrase.prefix[next]
    } else {
        phrase.total()
    };
    if total > 0.0 {
        (matched / total).min(1.0)
    } else {
        0.0
    }
}

/// A word that negates what follows it, as the tokeniser leaves it (`isn't` → `isn`, `t`; the
/// lone `t` is what any `n't` leaves: `can't`, `won't`).
fn is_negation(word: &str) -> bool {
    matches!(
        word,
        "not"
            | "never"
            | "no"
            | "nor"
            | "cannot"
            | "t"
            | "isn"
            | "wasn"
            | "aren"
            | "weren"
            | "doesn"
            | "didn"
            | "don"
            | "hasn"
            | "haven"
            | "hadn"
            | "won"
            | "couldn"
            | "shouldn"
            | "wouldn"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Builds a doc and a phrase over a tiny vocabulary made of the phrase's words.
    fn check(phrase: &str, text: &str, expected: f32) {
        let pwords: Vec<String> = phrase.split(' ').map(str::to_string).collect();
        let id = |w: &str| {
            pwords
                .iter()
                .position(|p| p == w)
                .map_or(UNKNOWN, |i| i as u32)
        };
        let mut doc = Doc::default();
        for (pos, raw) in text.split(' ').enumerate() {
            let w = raw.trim_end_matches('.');
            doc.words.push(Word {
                text: w.into(),
                after_newline: false,
                after_break: false,
                compound: None,
                joined: false,
                sentence_end: raw.ends_with('.'),
            });
            doc.ids.push(id(w));
            doc.add_occurrence(id(w), pos as u32);
        }
        doc.index();
        let ids = (0..pwords.len() as u32).collect();
        let word = |id: u32| pwords[id as usize].as_str();
        let got = coverage(&doc, &Phrase::new(ids, vec![1.0; pwords.len()]), &word);
        assert!(
            (got - expected).abs() < 0.01,
            "{phrase:?} in {text:?}: got {got}, expected {expected}"
        );
    }

    #[test]
    fn a_phrase_stands_in_one_clause() {
        let doc = |text: &str| {
            let mut d = Doc::default();
            crate::text::words::split_words(text, &mut d.words);
            let ids: Vec<u32> = d
                .words
                .iter()
                .map(|w| match w.text.as_str() {
                    "user" => 0,
                    "password" => 1,
                    _ => UNKNOWN,
                })
                .collect();
            for (pos, &id) in ids.iter().enumerate() {
                if id != UNKNOWN {
                    d.add_occurrence(id, pos as u32);
                }
            }
            d.ids = ids;
            d.index();
            d
        };
        assert!(doc("reset the user password").contains_seq(&[0, 1]));
        assert!(doc("a wrapped user\npassword").contains_seq(&[0, 1]));
        assert!(!doc("username = user,\n  password = pwd").contains_seq(&[0, 1]));
        assert!(!doc("get(user) password").contains_seq(&[0, 1]));
        // An article the phrase does not write may stand between its words, once, in the clause.
        assert!(doc("the user a password").contains_seq(&[0, 1]));
        assert!(!doc("user the a password").contains_seq(&[0, 1]));
        assert!(!doc("user, the password").contains_seq(&[0, 1]));
        assert!(!doc("user; a password").contains_seq(&[0, 1]));
        assert!(!doc("user to password").contains_seq(&[0, 1]));
    }

    #[test]
    fn whole_phrase_with_noise_around() {
        check(
            "provided grant expired revoked",
            "error x provided grant ha expired due being revoked y",
            1.0,
        );
    }

    #[test]
    fn missing_words_lower_the_share() {
        let phrase = "insufficient access right perform operation";
        check(phrase, "user ha insufficient access right and more", 0.6);
        // A sentence that ends is not a message cut short.
        check(phrase, "user ha insufficient access right.", 0.6);
    }

    #[test]
    fn a_phrase_cut_short_counts_what_was_seen() {
        check(
            "must use multi factor authentication access",
            "you must use multi factor",
            1.0,
        );
        check(
            "insufficient privilege complete operation",
            "insufficient privilege co",
            1.0,
        );
        // Too little seen to call it a cut: two words only.
        check("must use multi factor", "must use", 0.5);
        // A whole word that begins the next one is a cut only where a paste is cut: at its end.
        check(
            "la cuenta debe agregarse primero usuario externo inquilino",
            "la cuenta de servicio",
            0.25,
        );
        check(
            "access token expired not yet valid",
            "access token ex officio",
            2.0 / 6.0,
        );
        check(
            "access token expired not yet valid",
            "access token expired not ye",
            1.0,
        );
        // A paste cut short shows at least half of its message: a message's opening words are
        // often ordinary ones.
        check(
            "access token expired not yet valid",
            "access token ex",
            2.0 / 6.0,
        );
        check(
            "benutzer muss sich zweistufige authentifizierung interaktiv registrieren",
            "gestern benutzer muss sich",
            3.0 / 7.0,
        );
    }

    #[test]
    fn a_message_is_not_pieced_together_across_a_sentence_end() {
        // The message's first sentence, then another sentence on the same line: its words are
        // not the message's next sentence.
        check(
            "login failed user principal token expired",
            "login failed user principal. incorrect or invalid token.",
            4.0 / 6.0,
        );
        // The message's own next sentence goes on after its stop words.
        check(
            "blocked conditional access policy",
            "blocked conditional access. the policy",
            1.0,
        );
    }

    #[test]
    fn a_negation_between_the_words_breaks_the_message() {
        // "The refresh token has been revoked" in prose that says the opposite.
        check(
            "refresh token revoked",
            "although the original refresh token isn t revoked the new one",
            2.0 / 3.0,
        );
        check(
            "refresh token revoked",
            "the refresh token ha been revoked",
            1.0,
        );
        // A negation the message holds itself is the message, in whichever words it is pasted.
        check(
            "user doe not exist tenant",
            "user doe not exist in tenant",
            1.0,
        );
        check(
            "request not right send mail",
            "the request has no right to send mail",
            0.8,
        );
        check(
            "request not right send mail",
            "the request doesn t have right to send mail",
            0.8,
        );
        check(
            "refresh token revoked",
            "the refresh token can t be revoked twice",
            2.0 / 3.0,
        );
    }

    /// The share of the message "token expired request" in `text`, read by the tokeniser;
    /// `names` as the message's own [`Phrase::names`].
    fn share_of_token_expired_request(text: &str, names: bool) -> f32 {
        let vocab = ["token", "expired", "request"];
        let mut d = Doc::default();
        crate::text::words::split_words(text, &mut d.words);
        d.ids = d
            .words
            .iter()
            .map(|w| {
                vocab
                    .iter()
                    .position(|v| *v == w.text.as_str())
                    .map_or(UNKNOWN, |i| i as u32)
            })
            .collect();
        for (pos, &id) in d.ids.clone().iter().enumerate() {
            if id != UNKNOWN {
                d.add_occurrence(id, pos as u32);
            }
        }
        d.index();
        let word = |id: u32| vocab[id as usize];
        let phrase = Phrase {
            names,
            ..Phrase::new(vec![0, 1, 2], vec![1.0; 3])
        };
        coverage(&d, &phrase, &word)
    }

    #[test]
    fn a_message_is_not_pieced_together_across_a_sentence_and_its_line() {
        let share = |text: &str| share_of_token_expired_request(text, false);
        // One sentence, with words in between, and one wrapped by a terminal: the whole message.
        assert!((share("the token has expired for this request") - 1.0).abs() < 0.01);
        assert!((share("the token has\nexpired for this request") - 1.0).abs() < 0.01);
        // The message's own sentences, one after the other, still chain, after stop words too.
        assert!((share("the token.\nexpired request") - 1.0).abs() < 0.01);
        assert!((share("the token.\nThe expired request") - 1.0).abs() < 0.01);
        // A sentence's last word and another line's words are no message.
        let pieced = share("we renewed the token.\nVERBOSE: it expired on the request");
        assert!(pieced < 0.7, "{pieced}");
    }

    #[test]
    fn a_program_s_names_are_no_message_unless_the_message_holds_names() {
        let share = share_of_token_expired_request;
        // `tokenCache.isExpired(request)`: words from inside names.
        let code = "if (tokenCache.isExpired(request)) { refreshTokenExpiredRequest(); }";
        assert!(share(code, false) < 0.01, "{}", share(code, false));
        // A product's two capitalised words (`OData`) are still words of a sentence.
        assert!((share("the OData token expired on this request", false) - 1.0).abs() < 0.01);
        // A message that holds a program's name is read from names too.
        assert!((share(code, true) - 1.0).abs() < 0.01);
    }

    #[test]
    fn words_out_of_order_do_not_chain() {
        check("json invalid value", "value invalid json", 1.0 / 3.0);
    }
}

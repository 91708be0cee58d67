//! The learned reader of genre: how likely a text only *mentions* errors (an article explaining
//! an error, a list of codes with their fixes, a change's description) rather than carrying one.
//! The rules of [`super::form`] name the genres they know; this model, fitted on labelled cases
//! by `errmedic train-mentions`, reads the words, word pairs and line openings of a text as a
//! whole, so that a kind of writing no rule was written for can still be told apart.
//!
//! One reader of features serves the fitting (which names them, for the model file) and the
//! matching (which hashes them, without allocating per feature), so the two can never disagree.

use std::collections::{BTreeMap, HashMap};

use crate::kb::MentionModel;
use crate::text::words::{fnv1a_step, FNV1A_START};

/// The most of a text read (bytes): genre shows early, and the cost stays bounded.
const MAX_BYTES: usize = 20_000;

/// Fewer distinct features than this say too little of a text's genre (a code repeated a
/// thousand times is long, not written).
const MIN_FEATURES: usize = 32;

/// Punctuation that is a feature of its own (JSON, Markdown, prose questions).
fn is_mark(c: char) -> bool {
    matches!(
        c,
        '?' | '!' | ':' | '{' | '}' | '[' | ']' | '(' | ')' | '|' | '`' | '"'
    )
}

/// Receives a text's features: single ones (a word, a line's opening) and word pairs, each
/// with its hash ([`hash_name`] of its name).
trait Sink {
    /// Whether the sink reads features' names (fitting) or only their hashes (matching: no
    /// word is then written out, and the names given are empty).
    const NAMES: bool;
    fn one(&mut self, a: &str, hash: u64);
    fn two(&mut self, a: &str, b: &str, hash: u64);
}

/// A word or mark as it is read: its text (when names are read), and the FNV-1a hash of its
/// bytes ([`hash_one`] of its text), kept as it grows.
struct Token {
    text: String,
    hash: u64,
    len: usize,
    /// Whether every byte so far is the next of `aadsts`.
    aadsts: bool,
}

impl Token {
    fn new() -> Token {
        Token {
            text: String::new(),
            hash: FNV1A_START,
            len: 0,
            aadsts: true,
        }
    }

    fn push_byte(&mut self, b: u8) {
        self.hash = fnv1a_step(self.hash, u64::from(b));
        self.aadsts &= b"aadsts".get(self.len) == Some(&b);
        self.len += 1;
    }

    fn push_ascii(&mut self, b: u8, names: bool) {
        if names {
            self.text.push(char::from(b));
        }
        self.push_byte(b);
    }

    fn push(&mut self, c: char, names: bool) {
        if names {
            self.text.push(c);
        }
        for &b in c.encode_utf8(&mut [0u8; 4]).as_bytes() {
            self.push_byte(b);
        }
    }

    fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Whether the word is `aadsts` (a code's prefix).
    fn is_aadsts(&self) -> bool {
        self.aadsts && self.len == 6
    }

    fn clear(&mut self) {
        self.text.clear();
        self.hash = FNV1A_START;
        self.len = 0;
        self.aadsts = true;
    }
}

/// Reads the features of `text` into `sink`: each non-empty line's opening (`L:#`, `L:-`,
/// `L:```…`, `L:word:` or `L:w` for prose), then each word (lower case; `AADSTS50020` as
/// `aadsts#`; digits separate words; a heading's `##` is a word; a Chinese or Japanese
/// character is a word) and mark, and each two in a row.
fn read<S: Sink>(text: &str, sink: &mut S) {
    let names = S::NAMES;
    let text = &text[..floor(text, MAX_BYTES)];
    let mut opening = String::new();
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        opening.clear();
        opening.push_str("L:");
        line_opening(line, &mut opening);
        sink.one(&opening, hash_one(&opening).max(1));
    }
    let mut prev = Token::new();
    let mut word = Token::new();
    let mut mark = Token::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        // ASCII is read byte by byte; any other character is decoded.
        let c = if b.is_ascii() {
            i += 1;
            if b.is_ascii_alphabetic() {
                word.push_ascii(b.to_ascii_lowercase(), names);
                continue;
            }
            char::from(b)
        } else {
            let c = text[i..]
                .chars()
                .next()
                .unwrap_or(char::REPLACEMENT_CHARACTER);
            i += c.len_utf8();
            c
        };
        // Chinese and Japanese write no spaces between words: each character is a word of its
        // own, so that the pairs read are the script's two-character words (`原因`, `解決`).
        if is_unspaced(c) {
            if !word.is_empty() {
                token(&mut word, &mut prev, sink);
            }
            word.push(c, names);
            token(&mut word, &mut prev, sink);
            continue;
        }
        if is_word_char(c) {
            for l in c.to_lowercase() {
                word.push(l, names);
            }
            continue;
        }
        if !word.is_empty() {
            if word.is_aadsts() && c.is_ascii_digit() {
                word.push_ascii(b'#', names);
                while bytes.get(i).is_some_and(u8::is_ascii_digit) {
                    i += 1;
                }
            }
            token(&mut word, &mut prev, sink);
        }
        if is_mark(c) {
            mark.push_ascii(c as u8, names);
            token(&mut mark, &mut prev, sink);
        }
    }
    if !word.is_empty() {
        token(&mut word, &mut prev, sink);
    }
}

/// Gives a word or mark, and then the pair it makes with the one before; the word becomes the
/// one before, and `current` is left empty for the next.
fn token(current: &mut Token, prev: &mut Token, sink: &mut impl Sink) {
    sink.one(&current.text, current.hash.max(1));
    if !prev.is_empty() {
        sink.two(
            &prev.text,
            &current.text,
            pair(prev.hash, current.hash).max(1),
        );
    }
    std::mem::swap(current, prev);
    current.clear();
}

/// The largest char boundary at or below `at`.
fn floor(text: &str, at: usize) -> usize {
    (0..=at.min(text.len()))
        .rev()
        .find(|&i| text.is_char_boundary(i))
        .unwrap_or(0)
}

/// Han ideographs, hiragana and katakana (with the prolonged sound mark), written without
/// spaces between words.
fn is_unspaced(c: char) -> bool {
    matches!(c, '\u{3040}'..='\u{30ff}' | '\u{3400}'..='\u{4dbf}' | '\u{4e00}'..='\u{9fff}' | '\u{f900}'..='\u{faff}')
}

/// Letters, and the `_`, `'` and `#` that join them (`invalid_grant`, `don't`, `##`, `c#`).
fn is_word_char(c: char) -> bool {
    c.is_alphabetic() || c == '_' || c == '\'' || c == '#'
}

/// How a line opens: a fence, a heading, a list or quote mark, a numbered item, a comment, a
/// `label:`, or prose (`w`).
fn line_opening(line: &str, out: &mut String) {
    if line.starts_with("```") {
        out.push_str("```");
    } else if line.starts_with('#') {
        out.extend(line.chars().take_while(|&c| c == '#'));
    } else if line.starts_with("//") || line.starts_with("/*") {
        out.push_str(&line[..2]);
    } else if let Some(c) = line.chars().next().filter(|c| "-*+>|".contains(*c)) {
        out.push(c);
    } else if line.starts_with(|c: char| c.is_ascii_digit())
        && line
            .trim_start_matches(|c: char| c.is_ascii_digit())
            .starts_with('.')
    {
        out.push_str("0.");
    } else {
        let label = &line[..label_len(line)];
        if !label.is_empty() && line[label.len()..].starts_with(':') {
            let mut digits = false;
            for c in label.chars().flat_map(char::to_lowercase) {
                if c.is_ascii_digit() {
                    if !digits {
                        out.push('0');
                    }
                    digits = true;
                } else {
                    out.push(c);
                    digits = false;
                }
            }
            out.push(':');
        } else {
            out.push('w');
        }
    }
}

/// Bytes of a line's leading run of letters, digits and underscores.
fn label_len(line: &str) -> usize {
    line.find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(line.len())
}

/// The names of a text's distinct features, sorted (for fitting and for people).
pub fn feature_names(text: &str) -> Vec<String> {
    struct Names(Vec<String>);
    impl Sink for Names {
        const NAMES: bool = true;
        fn one(&mut self, a: &str, _: u64) {
            self.0.push(a.to_string());
        }
        fn two(&mut self, a: &str, b: &str, _: u64) {
            self.0.push(format!("{a} {b}"));
        }
    }
    let mut names = Names(Vec::new());
    read(text, &mut names);
    names.0.sort_unstable();
    names.0.dedup();
    names.0
}

/// FNV-1a over a feature's bytes.
fn hash_one(a: &str) -> u64 {
    crate::text::words::fnv1a_str(a)
}

fn hash_two(a: &str, b: &str) -> u64 {
    pair(hash_one(a), hash_one(b))
}

/// The hash of a pair, from its words' hashes.
fn pair(a: u64, b: u64) -> u64 {
    a.rotate_left(23) ^ b.wrapping_mul(0x9e37_79b9_7f4a_7c15)
}

/// The hash of a feature as [`feature_names`] names it (never 0, as matching reads it).
fn hash_name(name: &str) -> u64 {
    match name.split_once(' ') {
        Some((a, b)) => hash_two(a, b),
        None => hash_one(name),
    }
    .max(1)
}

/// Weights by feature hash, in one flat open-addressing table of (tag, weight) pairs: eight
/// bytes a slot, so that the table of a model of ten thousand features stays in the processor's
/// cache between pastes. A slot is found by the hash's low bits and checked by its high 32 (the
/// tag; 0 marks an empty slot): two features are taken for one only if 46 or more bits of their
/// hashes agree.
#[derive(Debug, Clone)]
struct Weights {
    slots: Vec<(u32, f32)>,
}

impl Weights {
    fn new(pairs: impl ExactSizeIterator<Item = (u64, f32)>) -> Weights {
        let size = (2 * pairs.len() + 2).next_power_of_two();
        let mut w = Weights {
            slots: vec![(0, 0.0); size],
        };
        for (h, v) in pairs {
            let i = w.slot(h);
            w.slots[i] = (tag(h), v);
        }
        w
    }

    /// The slot holding `h`, or the empty one where it would go.
    fn slot(&self, h: u64) -> usize {
        let mask = self.slots.len() - 1;
        let tag = tag(h);
        let mut i = (h as usize) & mask;
        while self.slots[i].0 != 0 && self.slots[i].0 != tag {
            i = (i + 1) & mask;
        }
        i
    }

    fn get(&self, h: u64) -> f32 {
        self.slots[self.slot(h)].1
    }
}

/// A hash's high bits, never 0.
fn tag(h: u64) -> u32 {
    ((h >> 32) as u32).max(1)
}

/// A model ready for matching: weights by feature hash.
#[derive(Debug, Clone)]
pub struct Mentions {
    bias: f32,
    min_chars: usize,
    threshold: f32,
    weights: Weights,
}

impl Mentions {
    pub fn new(model: &MentionModel) -> Mentions {
        Mentions {
            bias: model.bias,
            min_chars: model.min_chars,
            threshold: model.threshold,
            weights: Weights::new(model.weights.iter().map(|(name, w)| (hash_name(name), w))),
        }
    }

    /// The probability at which the gate stays silent.
    pub fn threshold(&self) -> f32 {
        self.threshold
    }

    /// How likely `text` only mentions errors; `None` when it is too short, or too repetitive,
    /// to tell.
    pub fn probability(&self, text: &str) -> Option<f32> {
        if text.chars().count() < self.min_chars {
            return None;
        }
        // Each distinct feature once: an open-addressing set of hashes that doubles when half
        // full.
        struct Distinct<'m> {
            slots: Vec<u64>,
            count: usize,
            sum: f32,
            weights: &'m Weights,
        }
        impl Distinct<'_> {
            /// Adds a feature by its hash (never 0: 0 marks an empty slot).
            fn add(&mut self, h: u64) {
                if !insert(&mut self.slots, h) {
                    return;
                }
                self.count += 1;
                self.sum += self.weights.get(h);
                if 2 * self.count > self.slots.len() {
                    let mut grown = vec![0; 2 * self.slots.len()];
                    for &old in self.slots.iter().filter(|&&h| h != 0) {
                        insert(&mut grown, old);
                    }
                    self.slots = grown;
                }
            }
        }
        /// Inserts `h` (not 0) into a power-of-two table; whether it was new.
        fn insert(slots: &mut [u64], h: u64) -> bool {
            let mask = slots.len() - 1;
            let mut i = (h as usize) & mask;
            while slots[i] != 0 {
                if slots[i] == h {
                    return false;
                }
                i = (i + 1) & mask;
            }
            slots[i] = h;
            true
        }
        impl Sink for Distinct<'_> {
            const NAMES: bool = false;
            fn one(&mut self, _: &str, hash: u64) {
                self.add(hash);
            }
            fn two(&mut self, _: &str, _: &str, hash: u64) {
                self.add(hash);
            }
        }
        let mut set = Distinct {
            slots: vec![0; 512],
            count: 0,
            sum: 0.0,
            weights: &self.weights,
        };
        read(text, &mut set);
        if set.count < MIN_FEATURES {
            return None;
        }
        Some(logistic(self.bias, set.count, set.sum))
    }
}

/// The model's probability: the bias plus the features' weights, scaled by the square root of
/// how many features the text has (a long text is not more certain for being long).
fn logistic(bias: f32, features: usize, sum: f32) -> f32 {
    let z = bias + sum / (features.max(1) as f32).sqrt();
    1.0 / (1.0 + (-z).exp())
}

/// How the model is fitted.
#[derive(Debug, Clone, Copy)]
pub struct Fitting {
    /// A feature must occur in at least this many training texts to be learned.
    pub min_texts: usize,
    pub epochs: usize,
    pub rate: f64,
    /// L2 penalty.
    pub l2: f64,
}

impl Default for Fitting {
    fn default() -> Fitting {
        Fitting {
            min_texts: 3,
            epochs: 20,
            rate: 0.1,
            l2: 1e-3,
        }
    }
}

/// A fitted model's numbers, before they are written as a [`MentionModel`].
#[derive(Debug, Clone, PartialEq)]
pub struct Fitted {
    pub bias: f32,
    pub weights: BTreeMap<String, f32>,
}

impl Fitted {
    /// The probability that `features` (as [`feature_names`] gives them) only mention errors.
    pub fn probability(&self, features: &[String]) -> f32 {
        let sum = features.iter().filter_map(|f| self.weights.get(f)).sum();
        logistic(self.bias, features.len(), sum)
    }
}

/// One text to fit on: its features (as [`feature_names`] gives them), whether it only mentions
/// errors, and how much it counts (1 for an ordinary text).
#[derive(Debug, Clone, PartialEq)]
pub struct Labelled {
    pub features: Vec<String>,
    pub mention: bool,
    pub weight: f64,
}

/// Fits a logistic model by stochastic gradient descent on labelled texts, each counting by its
/// weight, in an order fixed by a seeded shuffle, so that the same cases always give the same
/// model. Weights are rounded to three decimals; those that round to zero are left out.
pub fn fit(samples: &[Labelled], how: Fitting) -> Fitted {
    let mut texts: HashMap<&str, usize> = HashMap::new();
    for Labelled { features, .. } in samples {
        for f in features {
            *texts.entry(f.as_str()).or_default() += 1;
        }
    }
    let mut weights: HashMap<&str, f64> = texts
        .iter()
        .filter(|&(_, &n)| n >= how.min_texts)
        .map(|(&f, _)| (f, 0.0))
        .collect();
    let mut bias = 0.0f64;
    let mut order: Vec<usize> = (0..samples.len()).collect();
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    for _ in 0..how.epochs {
        // Fisher–Yates with xorshift.
        for i in (1..order.len()).rev() {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            order.swap(i, (seed % (i as u64 + 1)) as usize);
        }
        for &i in &order {
            let Labelled {
                features,
                mention,
                weight,
            } = &samples[i];
            let scale = 1.0 / (features.len().max(1) as f64).sqrt();
            let z = bias
                + scale
                    * features
                        .iter()
                        .filter_map(|f| weights.get(f.as_str()))
                        .sum::<f64>();
            let p = 1.0 / (1.0 + (-z.clamp(-30.0, 30.0)).exp());
            let gradient = weight * (p - if *mention { 1.0 } else { 0.0 });
            for f in features {
                if let Some(w) = weights.get_mut(f.as_str()) {
                    *w -= how.rate * (gradient * scale + how.l2 * *w);
                }
            }
            bias -= how.rate * gradient;
        }
    }
    let round = |w: f64| ((w * 1000.0).round() / 1000.0) as f32;
    Fitted {
        bias: round(bias),
        weights: weights
            .into_iter()
            .map(|(f, w)| (f.to_string(), round(w)))
            .filter(|&(_, w)| w != 0.0)
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn features_are_words_pairs_marks_and_line_openings() {
        let names = feature_names("## Cause\n- AADSTS50076: you must use MFA?\nplain text");
        for want in [
            "L:##",
            "L:-",
            "L:w",
            "cause",
            "aadsts#",
            ":",
            "aadsts# :",
            "must use",
            "mfa ?",
            "? plain",
        ] {
            assert!(names.contains(&want.to_string()), "{want} not in {names:?}");
        }
        assert!(!names.iter().any(|n| n.contains("50076")), "{names:?}");
        let labels = feature_names("Error123: x\n12. step\n// note\n```json");
        for want in ["L:error0:", "L:0.", "L://", "L:```"] {
            assert!(
                labels.contains(&want.to_string()),
                "{want} not in {labels:?}"
            );
        }
    }

    #[test]
    fn matching_reads_the_features_fitting_named() {
        // A model whose one feature is a pair (and one a line opening) scores a text exactly as
        // the fitted numbers do on the names of its features.
        let text = "## Cause\nThis error occurs when the token has expired. It means the \
            application must sign in again, and the user sees a prompt with the tenant's name.\n\
            - Step one: open the portal and find the app\n- Step two: check its grant";
        let names = feature_names(text);
        let weights: BTreeMap<String, f32> = [("this error", 6.0), ("L:##", 4.0), ("occurs", 2.0)]
            .into_iter()
            .map(|(k, w)| (k.to_string(), w))
            .collect();
        let fitted = Fitted {
            bias: -0.5,
            weights: weights.clone(),
        };
        let model = Mentions::new(&MentionModel {
            trained_on: String::new(),
            min_chars: 10,
            threshold: 0.5,
            bias: -0.5,
            weights: weights.into_iter().collect(),
        });
        let p = model.probability(text).unwrap();
        assert!((p - fitted.probability(&names)).abs() < 1e-6, "{p}");
        assert!(p > 0.5, "{p}");
        assert_eq!(model.probability("short"), None);
        assert_eq!(model.probability(&"AADSTS50076 ".repeat(1000)), None);
    }

    #[test]
    fn chinese_and_japanese_are_read_a_character_at_a_time() {
        // No spaces between words: a run of characters would be one word seen once. Read as
        // characters, its pairs are the script's words, shared between texts.
        let names = feature_names("回避策\nエラーの原因: token expired");
        for want in [
            "回", "回 避", "避 策", "エ", "ラ ー", "原 因", "因 :", ": token",
        ] {
            assert!(names.contains(&want.to_string()), "{want} not in {names:?}");
        }
        assert!(!names.iter().any(|n| n == "回避策"), "{names:?}");
        // Hangul writes spaces and Latin letters beside a character stay a word.
        let mixed = feature_names("접근 거부 原因abc");
        for want in ["접근", "거부", "因 abc"] {
            assert!(mixed.contains(&want.to_string()), "{want} not in {mixed:?}");
        }
    }

    #[test]
    fn every_feature_hashes_as_its_name_does() {
        // The hash matching reads for each feature is the hash of the name fitting gives it.
        struct Check(usize);
        impl Sink for Check {
            const NAMES: bool = true;
            fn one(&mut self, a: &str, hash: u64) {
                assert_eq!(hash, hash_name(a), "{a}");
                self.0 += 1;
            }
            fn two(&mut self, a: &str, b: &str, hash: u64) {
                assert_eq!(hash, hash_name(&format!("{a} {b}")), "{a} {b}");
                self.0 += 1;
            }
        }
        for text in [
            "## Cause\n- AADSTS50076: you must use MFA?\nplain text {\"error\": [1]} | x |",
            "Der Zugriff wurde VERWEIGERT: Straße Ǆemal İstanbul ÉTÉ don't invalid_grant c#",
            "アクセスが拒否されました。エラーコード:700003 访问被拒绝 aadsts aadsts7 AADSTS",
            "Error123: x\n12. step\n// note\n```json\n> quote\n* star",
        ] {
            let mut check = Check(0);
            read(text, &mut check);
            assert!(check.0 > 10, "{text}");
            // Matching, which writes no names, reads the same hashes.
            struct Hashes(Vec<u64>);
            impl Sink for Hashes {
                const NAMES: bool = false;
                fn one(&mut self, _: &str, hash: u64) {
                    self.0.push(hash);
                }
                fn two(&mut self, _: &str, _: &str, hash: u64) {
                    self.0.push(hash);
                }
            }
            let mut hashes = Hashes(Vec::new());
            read(text, &mut hashes);
            hashes.0.sort_unstable();
            hashes.0.dedup();
            let mut named: Vec<u64> = feature_names(text).iter().map(|n| hash_name(n)).collect();
            named.sort_unstable();
            named.dedup();
            assert_eq!(hashes.0, named, "{text}");
        }
    }

    #[test]
    fn fitting_learns_which_words_mark_a_mention_and_is_repeatable() {
        let mention = |i: usize| {
            format!("## Cause {i}\nThis error means the grant expired. Solution: sign in again.")
        };
        let carried = |i: usize| {
            format!("I get this when I run it {i}:\n```\nAADSTS50173: the provided grant has expired\n```\nany idea?")
        };
        let labelled = |text: String, mention: bool| Labelled {
            features: feature_names(&text),
            mention,
            weight: 1.0,
        };
        let samples: Vec<Labelled> = (0..20)
            .flat_map(|i| [labelled(mention(i), true), labelled(carried(i), false)])
            .collect();
        let fitted = fit(&samples, Fitting::default());
        assert_eq!(fitted, fit(&samples, Fitting::default()));
        assert!(fitted.weights["solution"] > 0.0, "{:?}", fitted.weights);
        assert!(fitted.weights["i get"] < 0.0, "{:?}", fitted.weights);
        let unseen_mention =
            feature_names("## Cause\nThis error means a sign in is needed. Solution: sign in.");
        let unseen_paste = feature_names("I get this:\n```\nAADSTS50076: use MFA\n```\nany idea?");
        assert!(fitted.probability(&unseen_mention) > 0.5);
        assert!(fitted.probability(&unseen_paste) < 0.5);
    }

    #[test]
    fn long_and_odd_texts_are_read_within_bounds() {
        let text = "é".repeat(30_000) + "\n\u{0}\r\n## x";
        assert!(!feature_names(&text).is_empty());
        let names = feature_names(&"word ".repeat(10_000));
        assert_eq!(names, vec!["L:w", "word", "word word"]);
    }
}

//! Spelling correction for lookups: a misspelt word is mapped to the closest word of the
//! knowledge base's vocabulary, found through a table of one-letter deletions.

use std::collections::HashMap;

/// Words shorter than this are never corrected.
const MIN_LEN: usize = 4;

/// Finds vocabulary words within a small edit distance of a word.
#[derive(Debug, Default)]
pub struct Speller {
    /// A word or one of its one-letter deletions → vocabulary words.
    deletes: HashMap<String, Vec<u32>>,
    words: Vec<String>,
}

fn deletions(word: &str) -> impl Iterator<Item = String> + '_ {
    word.char_indices().map(move |(i, c)| {
        let mut s = String::with_capacity(word.len());
        s.push_str(&word[..i]);
        s.push_str(&word[i + c.len_utf8()..]);
        s
    })
}

impl Speller {
    pub fn new(vocab: &HashMap<String, u32>) -> Speller {
        let mut words = vec![String::new(); vocab.len()];
        let mut deletes: HashMap<String, Vec<u32>> = HashMap::new();
        for (w, &id) in vocab {
            words[id as usize] = w.clone();
            if w.len() < MIN_LEN || !w.bytes().all(|b| b.is_ascii_lowercase()) {
                continue;
            }
            deletes.entry(w.clone()).or_default().push(id);
            for d in deletions(w) {
                let list = deletes.entry(d).or_default();
                if list.last() != Some(&id) {
                    list.push(id);
                }
            }
        }
        Speller { deletes, words }
    }

    /// The vocabulary word with this id.
    pub fn word(&self, id: u32) -> &str {
        self.words.get(id as usize).map_or("", String::as_str)
    }

    /// The closest vocabulary word to a word that is not in the vocabulary: distance 1 for
    /// words of up to 6 letters, 2 for longer ones. Ties go to the word sharing the longer start.
    pub fn correct(&self, word: &str) -> Option<u32> {
        if word.len() < MIN_LEN || !word.bytes().all(|b| b.is_ascii_lowercase()) {
            return None;
        }
        let max = if word.len() <= 6 { 1 } else { 2 };
        let mut best: Option<(usize, usize, u32)> = None;
        let mut consider = |ids: &Vec<u32>| {
            for &id in ids {
                let cand = &self.words[id as usize];
                let d = strsim::osa_distance(word, cand);
                if d == 0 || d > max {
                    continue;
                }
                let common = word
                    .bytes()
                    .zip(cand.bytes())
                    .take_while(|(a, b)| a == b)
                    .count();
                let key = (d, usize::MAX - common, id);
                if best.is_none_or(|b| key < b) {
                    best = Some(key);
                }
            }
        };
        if let Some(ids) = self.deletes.get(word) {
            consider(ids);
        }
        for d in deletions(word) {
            if let Some(ids) = self.deletes.get(&d) {
                consider(ids);
            }
        }
        best.map(|(_, _, id)| id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn speller(words: &[&str]) -> Speller {
        let vocab = words
            .iter()
            .enumerate()
            .map(|(i, w)| (w.to_string(), i as u32))
            .collect();
        Speller::new(&vocab)
    }

    fn check(words: &[&str], typo: &str, expected: Option<&str>) {
        let s = speller(words);
        let got = s.correct(typo).map(|id| s.words[id as usize].as_str());
        assert_eq!(got, expected, "correcting {typo:?}");
    }

    #[test]
    fn corrects_common_typos() {
        let vocab = [
            "license",
            "permission",
            "expired",
            "tenant",
            "consent",
            "intune",
        ];
        check(&vocab, "licence", Some("license"));
        check(&vocab, "permision", Some("permission"));
        check(&vocab, "exipred", Some("expired"));
        check(&vocab, "tennant", Some("tenant"));
        check(&vocab, "intnue", Some("intune"));
    }

    #[test]
    fn leaves_unrelated_and_short_words_alone() {
        let vocab = ["license", "token"];
        check(&vocab, "banana", None);
        check(&vocab, "tkn", None);
        check(&vocab, "tokne", Some("token"));
    }
}

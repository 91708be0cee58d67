//! Spelling correction for lookups: a misspelt word is mapped to the closest word of the
//! knowledge base's vocabulary, found through a table of one-letter deletions.

/// Words shorter than this are never corrected.
const MIN_LEN: usize = 4;

/// Finds vocabulary words within a small edit distance of a word.
#[derive(Debug, Default)]
pub struct Speller {
    /// (hash of a word or of one of its one-letter deletions, word id), sorted. A hash
    /// collision only adds a candidate, which the edit distance then rules out.
    deletes: Vec<(u64, u32)>,
    words: Vec<String>,
}

fn hash(s: &str) -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = rustc_hash::FxBuildHasher.build_hasher();
    h.write(s.as_bytes());
    h.finish()
}

/// Calls `f` with each one-letter deletion of an ASCII word.
fn deletions(word: &str, mut f: impl FnMut(&str)) {
    let mut buf = String::with_capacity(word.len());
    for i in 0..word.len() {
        buf.clear();
        buf.push_str(&word[..i]);
        buf.push_str(&word[i + 1..]);
        f(&buf);
    }
}

impl Speller {
    /// Builds the table over `vocab`: (word, id) pairs with ids `0..n`.
    /// A speller over `vocab`, offering as corrections only the words `offered` accepts.
    pub fn new<'a>(
        vocab: impl ExactSizeIterator<Item = (&'a str, u32)>,
        offered: impl Fn(u32) -> bool,
    ) -> Speller {
        let mut words = vec![String::new(); vocab.len()];
        let mut deletes = Vec::new();
        for (w, id) in vocab {
            words[id as usize] = w.to_string();
            if w.len() < MIN_LEN || !w.bytes().all(|b| b.is_ascii_lowercase()) || !offered(id) {
                continue;
            }
            deletes.push((hash(w), id));
            deletions(w, |d| deletes.push((hash(d), id)));
        }
        deletes.sort_unstable();
        deletes.dedup();
        deletes.shrink_to_fit();
        Speller { deletes, words }
    }

    fn candidates(&self, key: &str, mut f: impl FnMut(u32)) {
        let h = hash(key);
        let start = self.deletes.partition_point(|&(k, _)| k < h);
        for &(k, id) in &self.deletes[start..] {
            if k != h {
                break;
            }
            f(id);
        }
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
        let mut consider = |id: u32| {
            let cand = &self.words[id as usize];
            let d = strsim::osa_distance(word, cand);
            if d == 0 || d > max {
                return;
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
        };
        self.candidates(word, &mut consider);
        deletions(word, |d| self.candidates(d, &mut consider));
        best.map(|(_, _, id)| id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn speller(words: &[&str]) -> Speller {
        Speller::new(
            words.iter().enumerate().map(|(i, w)| (*w, i as u32)),
            |_| true,
        )
    }

    #[test]
    fn words_not_offered_are_never_a_correction() {
        let words = ["access", "acesso"];
        let s = Speller::new(
            words.iter().enumerate().map(|(i, w)| (*w, i as u32)),
            |id| id == 0,
        );
        assert_eq!(s.correct("acess"), Some(0));
        let s = Speller::new(
            words.iter().enumerate().map(|(i, w)| (*w, i as u32)),
            |id| id == 1,
        );
        assert_eq!(s.correct("acess"), Some(1));
        let s = Speller::new(
            words.iter().enumerate().map(|(i, w)| (*w, i as u32)),
            |_| false,
        );
        assert_eq!(s.correct("acess"), None);
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

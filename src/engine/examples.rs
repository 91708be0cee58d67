//! Example pastes as evidence: each entry's real pastes (`match.examples`), read as sets of
//! words weighted by how rare they are among all examples. A paste much like one of an
//! entry's examples supports that entry's other evidence; it never makes a candidate alone.

use std::collections::HashMap;

use crate::kb::KnowledgeBase;
use crate::text::words::fnv1a;

/// An example paste's words, and where it came from.
#[derive(Debug, Clone)]
struct Known {
    entry: u32,
    /// The sum of its words' weights.
    mass: f32,
    source: String,
}

/// Every example of a knowledge base, indexed by word.
#[derive(Debug, Clone, Default)]
pub struct Examples {
    known: Vec<Known>,
    /// Entry → whether it has examples.
    has: Vec<bool>,
    /// Word → (example, the word's weight).
    postings: HashMap<u64, Vec<(u32, f32)>>,
}

/// The example of an entry most like a paste: how much of the example's weight the paste holds.
#[derive(Debug, Clone, PartialEq)]
pub struct Like {
    pub entry: usize,
    pub share: f32,
    pub source: String,
}

/// Words of at least this many characters count (shorter ones say little).
const MIN_WORD: usize = 3;
/// At most this many words of a paste are read.
const MAX_WORDS: usize = 2000;

/// The distinct words of a text: lower case, letters and digits, not all digits.
fn words(text: &str) -> Vec<u64> {
    let mut out: Vec<u64> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= MIN_WORD && !w.bytes().all(|b| b.is_ascii_digit()))
        .take(MAX_WORDS)
        .map(|w| {
            if w.is_ascii() {
                fnv1a(w.bytes().map(|b| u64::from(b.to_ascii_lowercase())))
            } else {
                fnv1a(w.chars().flat_map(char::to_lowercase).map(u64::from))
            }
        })
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

impl Examples {
    pub fn build(kb: &KnowledgeBase) -> Examples {
        let mut bags: Vec<(u32, Vec<u64>, String)> = Vec::new();
        for (i, e) in kb.entries.iter().enumerate() {
            for x in &e.matching.examples {
                bags.push((i as u32, words(&x.text), x.source.clone()));
            }
        }
        let mut df: HashMap<u64, u32> = HashMap::new();
        for (_, bag, _) in &bags {
            for w in bag {
                *df.entry(*w).or_default() += 1;
            }
        }
        let n = bags.len().max(1) as f32;
        let mut examples = Examples {
            has: kb
                .entries
                .iter()
                .map(|e| !e.matching.examples.is_empty())
                .collect(),
            ..Examples::default()
        };
        for (k, (entry, bag, source)) in bags.into_iter().enumerate() {
            let mut mass = 0.0;
            for w in bag {
                // Rare words weigh most; a word in every example weighs little.
                let weight = (1.0 + n / df[&w] as f32).ln();
                mass += weight;
                examples
                    .postings
                    .entry(w)
                    .or_default()
                    .push((k as u32, weight));
            }
            examples.known.push(Known {
                entry,
                mass,
                source,
            });
        }
        examples
    }

    /// Whether entry `entry` has examples.
    pub fn has(&self, entry: usize) -> bool {
        self.has.get(entry).copied().unwrap_or(false)
    }

    /// For each entry with an example holding at least `min` of its weight in `text`, the most
    /// alike of its examples.
    pub fn like(&self, text: &str, min: f32) -> Vec<Like> {
        if self.known.is_empty() {
            return Vec::new();
        }
        let mut held: HashMap<u32, f32> = HashMap::new();
        for w in words(text) {
            for &(k, weight) in self.postings.get(&w).into_iter().flatten() {
                *held.entry(k).or_default() += weight;
            }
        }
        let mut best: HashMap<u32, (f32, u32)> = HashMap::new();
        for (k, h) in held {
            let known = &self.known[k as usize];
            let share = h / known.mass.max(f32::EPSILON);
            if share < min {
                continue;
            }
            let slot = best.entry(known.entry).or_insert((0.0, k));
            if share > slot.0 {
                *slot = (share, k);
            }
        }
        let mut out: Vec<Like> = best
            .into_iter()
            .map(|(entry, (share, k))| Like {
                entry: entry as usize,
                share,
                source: self.known[k as usize].source.clone(),
            })
            .collect();
        out.sort_by(|a, b| b.share.total_cmp(&a.share).then(a.entry.cmp(&b.entry)));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kb(entries: &[(&str, &[&str])]) -> KnowledgeBase {
        let entries = entries
            .iter()
            .map(|(id, texts)| {
                let mut e: crate::kb::Entry = serde_json::from_value(serde_json::json!({
                    "id": id, "title": id, "products": ["Entra"], "cause": "c", "steps": ["s"],
                    "match": {"codes": ["X1"]}
                }))
                .unwrap();
                e.matching.examples = texts
                    .iter()
                    .map(|t| crate::kb::Example {
                        text: t.to_string(),
                        source: format!("thread about {id}"),
                    })
                    .collect();
                e
            })
            .collect();
        KnowledgeBase {
            entries,
            mentions: None,
        }
    }

    #[test]
    fn a_paste_like_an_example_is_found_and_others_are_not() {
        let kb = kb(&[
            ("token-expired", &["oauthlib.oauth2.rfc6749.errors.TokenExpiredError: (token_expired) when the sensor polls the mailbox"]),
            ("user-not-found", &["Get-MgUser : Resource 'jdoe' does not exist or one of its queried reference-property objects are not present"]),
        ]);
        let x = Examples::build(&kb);
        let like = x.like(
            "Traceback ...\noauthlib.oauth2.rfc6749.errors.TokenExpiredError: (token_expired) while the sensor polls the mailbox again",
            0.6,
        );
        assert_eq!(like.len(), 1, "{like:?}");
        assert_eq!(like[0].entry, 0);
        assert!(like[0].share > 0.8, "{like:?}");
        assert_eq!(like[0].source, "thread about token-expired");
        assert!(x.like("morning all, coffee anyone?", 0.6).is_empty());
        // Words of another language around the same error still find it.
        let like = x.like("Fehler beim Abruf: oauthlib.oauth2.rfc6749.errors.TokenExpiredError: (token_expired) sensor mailbox polls", 0.6);
        assert_eq!(like.first().map(|l| l.entry), Some(0));
    }
}

//! Synthetic knowledge bases for benchmarks: the shipped entries plus generated ones, from a fixed
//! seed, with a vocabulary of tens of thousands of words used with a realistic (Zipf-like) spread.

use crate::kb::{Entry, Link, MatchSpec, Pattern, Product, Rule};

/// A small, fast, deterministic generator (SplitMix64).
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n`.
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }

    /// An index in `0..n`, small ones far more often (roughly Zipf).
    pub fn zipf(&mut self, n: usize) -> usize {
        let u = (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
        (((n as f64).powf(u)) as usize).saturating_sub(1).min(n - 1)
    }
}

const SYLLABLES: [&str; 40] = [
    "ka", "ro", "mi", "ten", "sa", "lo", "ver", "dan", "pi", "qu", "ex", "al", "or", "tri", "no",
    "ga", "be", "ul", "zen", "fa", "cor", "ti", "mun", "ha", "pre", "sto", "lin", "de", "vi", "ar",
    "sol", "ne", "gro", "im", "pal", "ru", "ces", "to", "bi", "mel",
];

/// A vocabulary of `n` distinct made-up words.
fn vocabulary(rng: &mut Rng, n: usize) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    let mut words = Vec::with_capacity(n);
    while words.len() < n {
        let parts = 2 + rng.below(3);
        let w: String = (0..parts)
            .map(|_| SYLLABLES[rng.below(SYLLABLES.len())])
            .collect();
        if seen.insert(w.clone()) {
            words.push(w);
        }
    }
    words
}

fn sentence(rng: &mut Rng, vocab: &[String], min: usize, max: usize) -> String {
    let n = min + rng.below(max - min + 1);
    let words: Vec<&str> = (0..n)
        .map(|_| vocab[rng.zipf(vocab.len())].as_str())
        .collect();
    let mut s = words.join(" ");
    if let Some(first) = s.get_mut(0..1) {
        first.make_ascii_uppercase();
    }
    s
}

/// `shipped` plus generated entries, `total` in all, from `seed`.
pub fn knowledge_base(shipped: &[Entry], total: usize, seed: u64) -> Vec<Entry> {
    let mut rng = Rng::new(seed);
    let vocab = vocabulary(&mut rng, 40_000);
    let mut out: Vec<Entry> = shipped.iter().take(total).cloned().collect();
    let mut n = 0;
    while out.len() < total {
        n += 1;
        let id = format!("synthetic-{n:05}");
        let mut codes = vec![format!("SYN{:06}", 100_000 + n)];
        if rng.below(3) == 0 {
            codes.push(format!(
                "{}_{}",
                vocab[rng.below(vocab.len())],
                1000 + rng.below(9000)
            ));
        }
        let messages: Vec<String> = (0..1 + rng.below(3))
            .map(|_| sentence(&mut rng, &vocab, 6, 16))
            .collect();
        let rules = (0..rng.below(3))
            .map(|_| Rule {
                all: (0..2)
                    .map(|_| {
                        (0..1 + rng.below(3))
                            .map(|_| vocab[rng.zipf(vocab.len())].clone())
                            .collect::<Vec<_>>()
                            .join("|")
                    })
                    .collect(),
                none: String::new(),
                weight: 1.0 + rng.below(30) as f32 / 10.0,
                why: sentence(&mut rng, &vocab, 3, 6),
                refusal: false,
            })
            .collect();
        let patterns = if rng.below(20) == 0 {
            vec![Pattern {
                regex: format!(r"(?i)\b{}\s+\d{{3}}\b", vocab[rng.below(vocab.len())]),
                weight: 2.0,
                why: sentence(&mut rng, &vocab, 3, 5),
            }]
        } else {
            vec![]
        };
        out.push(Entry {
            title: sentence(&mut rng, &vocab, 4, 9),
            products: vec![Product::ALL[rng.below(Product::ALL.len())]],
            cause: sentence(&mut rng, &vocab, 15, 40),
            steps: (0..2 + rng.below(4))
                .map(|_| sentence(&mut rng, &vocab, 8, 20))
                .collect(),
            notes: vec![],
            links: vec![Link {
                title: sentence(&mut rng, &vocab, 2, 5),
                url: format!("https://docs.example.com/{id}"),
            }],
            tags: (0..rng.below(4))
                .map(|_| vocab[rng.zipf(vocab.len())].clone())
                .collect(),
            matching: MatchSpec {
                codes,
                messages,
                rules,
                patterns,
                keywords: (0..1 + rng.below(3))
                    .map(|_| sentence(&mut rng, &vocab, 2, 5))
                    .collect(),
                // One example paste per entry, as the curated entries carry a few.
                examples: vec![crate::kb::Example {
                    text: sentence(&mut rng, &vocab, 20, 40),
                    source: format!("synthetic {id}"),
                }],
                localized: Vec::new(),
                none: String::new(),
            },
            id,
            reviewed: None,
            origin: None,
            tier: Default::default(),
        });
    }
    out
}

/// Writes entries as a knowledge-base directory, one file per entry.
pub fn write_dir(entries: &[Entry], dir: &std::path::Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    for e in entries {
        let text = serde_json::to_string_pretty(e).map_err(std::io::Error::other)?;
        std::fs::write(dir.join(format!("{}.json", e.id)), text + "\n")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generation_is_deterministic_and_valid() {
        let a = knowledge_base(&[], 50, 7);
        let b = knowledge_base(&[], 50, 7);
        assert_eq!(a, b);
        assert_eq!(a.len(), 50);
        let named: Vec<(String, Entry)> = a
            .into_iter()
            .map(|e| (format!("{}.json", e.id), e))
            .collect();
        for (file, e) in &named {
            assert_eq!(crate::kb::validate_entry(file, "", e), vec![]);
        }
    }

    #[test]
    fn the_vocabulary_is_spread() {
        let kb = knowledge_base(&[], 300, 1);
        let mut words = std::collections::HashSet::new();
        for e in &kb {
            words.extend(crate::text::words::words(&e.cause));
        }
        assert!(words.len() > 2000, "only {} distinct words", words.len());
    }
}

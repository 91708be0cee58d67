//! The learned reader of genre, as data: the weights of a logistic model over a text's words,
//! word pairs and line openings, telling a text that only *mentions* errors (an article, a list of
//! codes with their fixes, a change) from one that *carries* an error. `errmedic train-mentions`
//! writes it from labelled case files; the engine reads it from `kb/genre/mentions.json`. The file
//! is optional: without it the engine reads genre by its rules alone.

use std::fmt;

use serde::de::{DeserializeSeed, MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Where the model lives, relative to the knowledge base's directory.
pub const MENTIONS_FILE: &str = "genre/mentions.json";

/// A fitted model. Keys of `weights` are features as `errmedic train-mentions` names them: a
/// word (`cause`), two words in a row (`this error`), or a line's opening (`L:#`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MentionModel {
    /// What it was fitted on and how it did on cases it was not fitted on, for people.
    pub trained_on: String,
    /// Texts shorter than this (in characters) are left to the rules: a few words say too
    /// little of their genre.
    pub min_chars: usize,
    /// The probability of a mention at which the gate stays silent.
    pub threshold: f32,
    pub bias: f32,
    /// Feature → weight, in the file's order (a JSON object, written in the list's order, which
    /// fitting gives sorted by name).
    #[serde(serialize_with = "as_object", deserialize_with = "from_object")]
    pub weights: Features,
}

/// Feature names and their weights, in order. Not a map: the engine hashes each name once into
/// its own table, and a map built only to be walked once made up a third of loading a knowledge
/// base. The names sit end to end in one string: a model of tens of thousands of features is read
/// with no allocation per name.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Features {
    names: String,
    /// Where each name ends in `names`, with its weight.
    ends: Vec<(u32, f32)>,
}

impl Features {
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// The features, in order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (&str, f32)> + '_ {
        self.ends.iter().enumerate().map(|(i, &(end, w))| {
            let start = i.checked_sub(1).map_or(0, |before| self.ends[before].0);
            (&self.names[start as usize..end as usize], w)
        })
    }

    fn push(&mut self, name: &str, weight: f32) {
        self.names.push_str(name);
        self.close(weight);
    }

    /// Ends the name written last onto `names`, with its weight.
    fn close(&mut self, weight: f32) {
        // A model file is at most `MAX_MODEL_BYTES`, far below 4 GB.
        let end = u32::try_from(self.names.len()).expect("names under 4 GB");
        self.ends.push((end, weight));
    }
}

impl<S: AsRef<str>> FromIterator<(S, f32)> for Features {
    fn from_iter<I: IntoIterator<Item = (S, f32)>>(pairs: I) -> Features {
        let mut features = Features::default();
        for (name, w) in pairs {
            features.push(name.as_ref(), w);
        }
        features
    }
}

fn as_object<S: Serializer>(weights: &Features, s: S) -> Result<S::Ok, S::Error> {
    let mut map = s.serialize_map(Some(weights.len()))?;
    for (k, w) in weights.iter() {
        map.serialize_entry(k, &w)?;
    }
    map.end()
}

fn from_object<'de, D: Deserializer<'de>>(d: D) -> Result<Features, D::Error> {
    /// Reads an object's key straight onto the end of the names.
    struct Name<'a>(&'a mut String);
    impl<'de> DeserializeSeed<'de> for Name<'_> {
        type Value = ();
        fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
            d.deserialize_str(self)
        }
    }
    impl Visitor<'_> for Name<'_> {
        type Value = ();
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a feature's name")
        }
        fn visit_str<E: serde::de::Error>(self, name: &str) -> Result<(), E> {
            self.0.push_str(name);
            Ok(())
        }
    }
    struct Pairs;
    impl<'de> Visitor<'de> for Pairs {
        type Value = Features;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("an object of feature names and their weights")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut out = Features::default();
            while map.next_key_seed(Name(&mut out.names))?.is_some() {
                out.close(map.next_value()?);
            }
            Ok(out)
        }
    }
    d.deserialize_map(Pairs)
}

impl MentionModel {
    /// What is wrong with a parsed model, as (field, problem).
    pub fn problems(&self) -> Vec<(&'static str, String)> {
        let mut problems = Vec::new();
        if !(self.threshold > 0.0 && self.threshold < 1.0) {
            problems.push((
                "threshold",
                format!("{} is not a probability between 0 and 1", self.threshold),
            ));
        }
        let longest = crate::text::MAX_INPUT_BYTES;
        if self.min_chars > longest {
            problems.push((
                "min_chars",
                format!(
                    "{} is longer than any text read ({longest} bytes)",
                    self.min_chars
                ),
            ));
        }
        if !self.bias.is_finite() {
            problems.push(("bias", "is not a finite number".into()));
        }
        // Fitting writes the features sorted by name: names in strictly rising order hold no
        // repeat. A file edited out of order is sorted (its names, not the weights), so that a
        // repeat sits beside its twin. Cheaper than a set of tens of thousands of names, on
        // every load.
        if !self
            .weights
            .iter()
            .map(|(k, _)| k)
            .is_sorted_by(|a, b| a < b)
        {
            let mut names: Vec<&str> = self.weights.iter().map(|(k, _)| k).collect();
            names.sort_unstable();
            for pair in names.windows(2) {
                if pair[0] == pair[1] {
                    problems.push(("weights", format!("`{}` is given twice", pair[0])));
                }
            }
        }
        for (key, w) in self.weights.iter() {
            if !plainly_a_feature(key) {
                if let Some(problem) = shape_problem(key) {
                    problems.push(("weights", problem));
                }
            }
            if !w.is_finite() || w.abs() > 100.0 {
                problems.push((
                    "weights",
                    format!("`{key}` has weight {w}, not a finite number within ±100"),
                ));
            }
        }
        problems
    }
}

/// What is wrong with a feature's name, if anything: it must be one word, or two separated by
/// one space, each one that can be read.
fn shape_problem(key: &str) -> Option<String> {
    // By bytes: a search for a character costs more than these short names.
    let (first, second) = match key.bytes().position(|b| b == b' ') {
        Some(i) => (&key[..i], Some(&key[i + 1..])),
        None => (key, None),
    };
    let parts = std::iter::once(first).chain(second);
    if second.is_some_and(|b| b.bytes().any(|c| c == b' ')) || parts.clone().any(str::is_empty) {
        Some(format!(
            "`{key}` is not a feature: one word, or two separated by one space"
        ))
    } else if parts.clone().any(never_read) {
        // Words are read in lower case: such a feature could never be met.
        Some(format!(
            "`{key}` can never be read: features are lower case, one space apart"
        ))
    } else {
        None
    }
}

/// The common case, in one pass over the bytes: ASCII without capitals or whitespace but one
/// space between two words. Such a name is a feature that can be read; any other is checked
/// part by part (a line's opening `L:#`, a word in another script).
fn plainly_a_feature(key: &str) -> bool {
    /// Per byte: 1 for a space, 2 for a byte that is not plain (a capital, other whitespace,
    /// a byte of another script).
    const CLASS: [u8; 256] = {
        let mut class = [0u8; 256];
        let mut c = 0;
        while c < 256 {
            let b = c as u8;
            class[c] = if b == b' ' {
                1
            } else if b >= 0x80 || b.is_ascii_uppercase() || b.is_ascii_whitespace() {
                2
            } else {
                0
            };
            c += 1;
        }
        class
    };
    let b = key.as_bytes();
    let (mut spaces, mut odd) = (0u32, 0u8);
    for &c in b {
        let class = CLASS[usize::from(c)];
        spaces += u32::from(class & 1);
        odd |= class & 2;
    }
    odd == 0 && spaces <= 1 && b.first().is_some_and(|&c| c != b' ') && b.last() != Some(&b' ')
}

/// Whether a feature's word could never be met: words are read in lower case, without spaces.
/// A line's opening (`L:#`) is the one feature written with a capital.
fn never_read(word: &str) -> bool {
    let word = word.strip_prefix("L:").unwrap_or(word);
    // By bytes (an ASCII capital or space is one byte in UTF-8); only a word with other
    // characters is searched again for Unicode's spaces.
    word.bytes()
        .any(|b| b.is_ascii_uppercase() || b.is_ascii_whitespace())
        || (!word.is_ascii() && word.chars().any(char::is_whitespace))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plain_name_is_one_the_full_check_accepts() {
        let names = [
            "cause",
            "this error",
            "l:#",
            "L:#",
            "a b c",
            " x",
            "x ",
            "x  y",
            "Cause",
            "tab\there",
            "エラー が",
            "\u{a0}x",
            "",
            "error:",
            "! !",
        ];
        for name in names {
            if plainly_a_feature(name) {
                assert_eq!(shape_problem(name), None, "{name:?}");
            }
        }
        assert!(plainly_a_feature("this error") && !plainly_a_feature("L:#"));
    }

    #[test]
    fn a_model_with_bad_numbers_or_features_names_each() {
        let model = MentionModel {
            trained_on: String::new(),
            min_chars: 1 << 20,
            threshold: 1.5,
            bias: f32::NAN,
            weights: [
                ("a b c", 0.1),
                (" x", 0.1),
                ("cause", 1000.0),
                ("AADSTS50076", 0.5),
                ("this error", 0.5),
                ("this error", 0.4),
            ]
            .into_iter()
            .map(|(k, w)| (k.to_string(), w))
            .collect(),
        };
        let fields: Vec<&str> = model.problems().iter().map(|p| p.0).collect();
        assert_eq!(
            fields,
            [
                "threshold",
                "min_chars",
                "bias",
                "weights",
                "weights",
                "weights",
                "weights",
                "weights"
            ],
            "{:?}",
            model.problems()
        );
    }

    #[test]
    fn a_feature_given_twice_is_found_in_order_or_out_of_it() {
        let model = |names: &[&str]| MentionModel {
            trained_on: String::new(),
            min_chars: 400,
            threshold: 0.5,
            bias: 0.0,
            weights: names.iter().map(|k| (k.to_string(), 0.1)).collect(),
        };
        let twice = |names: &[&str]| -> Vec<String> {
            model(names).problems().into_iter().map(|p| p.1).collect()
        };
        assert_eq!(
            twice(&["cause", "fix", "fix", "this"]),
            ["`fix` is given twice"]
        );
        assert_eq!(
            twice(&["this", "fix", "cause", "fix"]),
            ["`fix` is given twice"]
        );
        assert!(twice(&["cause", "fix", "this"]).is_empty());
    }

    #[test]
    fn features_read_back_as_written_in_order_escapes_and_all() {
        let text = r#"{"trained_on": "", "min_chars": 400, "threshold": 0.5, "bias": 0.25,
            "weights": {"this error": 1.5, "L:#": -0.5, "caf\u00e9 \"x\"": 0.125, "fix": 2}}"#;
        let model: MentionModel = serde_json::from_str(text).unwrap();
        let read: Vec<(&str, f32)> = model.weights.iter().collect();
        assert_eq!(
            read,
            [
                ("this error", 1.5),
                ("L:#", -0.5),
                ("café \"x\"", 0.125),
                ("fix", 2.0)
            ]
        );
        let again: MentionModel =
            serde_json::from_str(&serde_json::to_string(&model).unwrap()).unwrap();
        assert_eq!(again, model);
        assert_eq!(
            model.weights,
            read.iter().copied().collect::<Features>(),
            "built from pairs or read from text, the same"
        );
    }
}

//! The learned reader of genre, as data: the weights of a logistic model over a text's words,
//! word pairs and line openings, telling a text that only *mentions* errors (an article, a list of
//! codes with their fixes, a change) from one that *carries* an error. `errmedic train-mentions`
//! writes it from labelled case files; the engine reads it from `kb/genre/mentions.json`. The file
//! is optional: without it the engine reads genre by its rules alone.

use std::fmt;

use serde::de::{MapAccess, Visitor};
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
    /// fitting gives sorted by name). Read into a
    /// list, not a map: the engine hashes each name once into its own table, and a map
    /// built only to be walked once made up a third of loading a knowledge base.
    #[serde(serialize_with = "as_object", deserialize_with = "from_object")]
    pub weights: Vec<(String, f32)>,
}

fn as_object<S: Serializer>(weights: &[(String, f32)], s: S) -> Result<S::Ok, S::Error> {
    let mut map = s.serialize_map(Some(weights.len()))?;
    for (k, w) in weights {
        map.serialize_entry(k, w)?;
    }
    map.end()
}

fn from_object<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<(String, f32)>, D::Error> {
    struct Pairs;
    impl<'de> Visitor<'de> for Pairs {
        type Value = Vec<(String, f32)>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("an object of feature names and their weights")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut out = Vec::with_capacity(map.size_hint().unwrap_or(0));
            while let Some(pair) = map.next_entry::<String, f32>()? {
                out.push(pair);
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
        // Fitting writes the features sorted by name, so a repeat sits beside its twin; a file
        // edited out of order is sorted (its names, not the weights) before the same check.
        // Cheaper than a set of 23,000 names, on every load.
        let mut names: Vec<&str> = self.weights.iter().map(|(k, _)| k.as_str()).collect();
        if !names.is_sorted() {
            names.sort_unstable();
        }
        for pair in names.windows(2) {
            if pair[0] == pair[1] {
                problems.push(("weights", format!("`{}` is given twice", pair[0])));
            }
        }
        for (key, w) in &self.weights {
            let (first, second) = match key.split_once(' ') {
                Some((a, b)) => (a, Some(b)),
                None => (key.as_str(), None),
            };
            let parts = std::iter::once(first).chain(second);
            if second.is_some_and(|b| b.contains(' ')) || parts.clone().any(str::is_empty) {
                problems.push((
                    "weights",
                    format!("`{key}` is not a feature: one word, or two separated by one space"),
                ));
            } else if parts.clone().any(|p| {
                // A line's opening (`L:#`) is the one feature written with a capital.
                p.strip_prefix("L:")
                    .unwrap_or(p)
                    .chars()
                    .any(|c| c.is_ascii_uppercase() || c.is_whitespace())
            }) {
                // Words are read in lower case: such a feature could never be met.
                problems.push((
                    "weights",
                    format!("`{key}` can never be read: features are lower case, one space apart"),
                ));
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

#[cfg(test)]
mod tests {
    use super::*;

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
}

//! The learned reader of genre, as data: the weights of a logistic model over a text's words,
//! word pairs and line openings, telling a text that only *mentions* errors (an article, a list of
//! codes with their fixes, a change) from one that *carries* an error. `errmedic train-mentions`
//! writes it from labelled case files; the engine reads it from `kb/genre/mentions.json`. The file
//! is optional: without it the engine reads genre by its rules alone.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

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
    pub weights: BTreeMap<String, f32>,
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
        for (key, w) in &self.weights {
            let parts: Vec<&str> = key.split(' ').collect();
            if parts.len() > 2 || parts.iter().any(|p| p.is_empty()) {
                problems.push((
                    "weights",
                    format!("`{key}` is not a feature: one word, or two separated by one space"),
                ));
            } else if parts.iter().any(|p| {
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
                "weights"
            ],
            "{:?}",
            model.problems()
        );
    }
}

//! Whether a text quotes a short message as written, and whether the writer only guesses at it.
//!
//! A message of a few words is strong evidence only when the text holds it word for word: read
//! through stems and stop words, a few words are also a sentence about the error. Held word for
//! word, it can still be the writer's guess at the cause ("I guess that this is because the
//! access token has expired"), not an error anyone was shown.

/// Words that, shortly before a message in its sentence, make it the writer's guess.
const GUESSES: [&str; 11] = [
    "guess",
    "think",
    "suspect",
    "assume",
    "believe",
    "maybe",
    "perhaps",
    "probably",
    "presumably",
    "possibly",
    "might",
];

/// How many words before a message a guess is looked for.
const GUESS_REACH: usize = 7;

/// Text as a quote is compared: lower case, every run of other characters than letters and
/// digits one space, and a space at each end, so that a quote is found on word boundaries.
pub(super) fn fold(text: &str) -> String {
    fold_with(text, false)
}

/// Whether `folded` (the text as [`fold`] gives it) holds `said` word for word somewhere the
/// writer does not only guess at it; `text` is the text itself, read for its sentences only
/// when the quote is found.
pub(super) fn quoted(text: &str, folded: &str, said: &str) -> bool {
    let said = fold(said);
    if !folded.contains(said.as_str()) {
        return false;
    }
    // Sentence ends kept as a word of their own ("."), so that a guess in the sentence before
    // does not reach this one. A quote the marks split is not a guess.
    let marked = fold_with(text, true);
    let mut found = false;
    for (at, _) in marked.match_indices(said.as_str()) {
        found = true;
        if !guessed(&marked[..at]) {
            return true;
        }
    }
    !found
}

/// Whether the words just before a quote (`before`, folded with sentence marks) hold a guess
/// in the same sentence.
fn guessed(before: &str) -> bool {
    before
        .split_whitespace()
        .rev()
        .take(GUESS_REACH)
        .take_while(|&w| w != ".")
        .any(|w| GUESSES.contains(&w))
}

/// [`fold`], keeping each end of a sentence (`.`, `!`, `?` before a space or the end, a blank
/// line) and each colon that opens a quote (`the error is: …`) as a word `.` when `marks` is
/// set.
fn fold_with(text: &str, marks: bool) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push(' ');
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else {
            let end = marks
                && (matches!(c, '.' | '!' | '?' | ':')
                    && chars.peek().is_none_or(|n| n.is_whitespace())
                    || c == '\n' && chars.peek() == Some(&'\n'));
            if !out.ends_with(' ') {
                out.push(' ');
            }
            if end && !out.ends_with(". ") {
                out.push_str(". ");
            }
        }
    }
    if !out.ends_with(' ') {
        out.push(' ');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{fold, quoted};

    fn holds(text: &str, said: &str) -> bool {
        quoted(text, &fold(text), said)
    }

    #[test]
    fn a_message_quoted_as_written_counts() {
        assert!(holds(
            "Graph says: Access token has expired.",
            "Access token has expired."
        ));
        assert!(holds(
            "{\"message\":\"Access token has expired.\"}",
            "Access token has expired."
        ));
    }

    #[test]
    fn the_same_words_in_other_order_do_not() {
        assert!(!holds(
            "I guess it relates to access token expire",
            "Access token has expired."
        ));
    }

    #[test]
    fn a_guess_at_the_cause_is_not_a_quote() {
        for text in [
            "Login failed for user 'NT AUTHORITY\\ANONYMOUS LOGON'.\n\nI guess that this is because the access token has expired.",
            "It works after a restart, so I think the token has expired.",
            "Maybe the token has expired?",
        ] {
            let said = if text.contains("access token") {
                "Access token has expired."
            } else {
                "The token has expired."
            };
            assert!(!holds(text, said), "{text}");
        }
    }

    #[test]
    fn a_guess_in_another_sentence_or_far_before_does_not_reach_the_quote() {
        assert!(holds(
            "I think so. The token has expired.",
            "The token has expired."
        ));
        assert!(holds(
            "I think the sync stopped at night, and this morning every call fails with: The token has expired.",
            "The token has expired."
        ));
        assert!(holds(
            "I think the error is: The token has expired.",
            "The token has expired."
        ));
        assert!(holds(
            "Maybe relevant:\n\nThe token has expired.",
            "The token has expired."
        ));
    }

    #[test]
    fn one_quote_not_guessed_is_enough() {
        assert!(holds(
            "I guess the token has expired. The server says: The token has expired.",
            "The token has expired."
        ));
    }
}

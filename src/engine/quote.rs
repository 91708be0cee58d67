//! Whether a text quotes a short message as written, and whether the writer only guesses at it.
//!
//! A message of a few words is strong evidence only when the text holds it word for word: read
//! through stems and stop words, a few words are also a sentence about the error. Held word for
//! word, it can still be the writer's guess at the cause ("I guess that this is because the
//! access token has expired"), not an error anyone was shown.

/// Words that, shortly before a message in its sentence, make it the writer's guess.
const GUESSES: &[&str] = &[
    "guess",
    "guessing",
    "think",
    "suspect",
    "assume",
    "assuming",
    "believe",
    "maybe",
    "perhaps",
    "probably",
    "presumably",
    "possibly",
    "likely",
    "might",
    "seems",
];

/// How many words before a message a guess is looked for.
const GUESS_REACH: usize = 7;

/// The word that stands for a break in the marked fold: the end of a sentence or of a line, or
/// the opening of a quote.
const BREAK: &str = "|";

/// A text folded for quotes, once, as many short messages are looked for in it.
pub(super) struct Quotes<'t> {
    text: &'t str,
    /// Lower case, every run of other characters than letters and digits one space, and a space
    /// at each end, so that a quote is found on word boundaries.
    plain: String,
    /// The same with each break kept as a word of its own ([`BREAK`]): made only when a quote
    /// is found.
    marked: Option<String>,
}

impl<'t> Quotes<'t> {
    pub(super) fn new(text: &'t str) -> Quotes<'t> {
        Quotes {
            text,
            plain: fold(text, false),
            marked: None,
        }
    }

    /// Whether the text holds `said` word for word somewhere the writer does not only guess at
    /// it.
    pub(super) fn holds(&mut self, said: &str) -> bool {
        if !self.plain.contains(fold(said, false).as_str()) {
            return false;
        }
        // The message's own breaks (`Authentication failed. MFA required.`) stay in it; its
        // last one, ending it, does not.
        let marked_said = fold(said, true);
        let marked_said = marked_said
            .trim_end()
            .strip_suffix(BREAK)
            .unwrap_or(&marked_said);
        let text = self.text;
        let marked = self.marked.get_or_insert_with(|| fold(text, true));
        let mut found = marked.match_indices(marked_said).peekable();
        // A quote whose punctuation differs from the message's is found only without breaks:
        // nothing tells it for a guess.
        found.peek().is_none() || found.any(|(at, _)| !guessed(&marked[..at]))
    }
}

/// Whether the words just before a quote (`before`, folded with breaks) hold a guess, with no
/// break between.
fn guessed(before: &str) -> bool {
    before
        .split_whitespace()
        .rev()
        .take(GUESS_REACH)
        .take_while(|&w| w != BREAK)
        .any(|w| GUESSES.contains(&w))
}

/// Text folded for quotes (see [`Quotes`]); with `breaks`, each end of a sentence (`.`, `!`,
/// `?` before a space or the end), each line break, each colon before a space (what follows
/// is quoted: `the error is: …`) and each quotation mark or backtick that opens a quote after a
/// space is kept as the word [`BREAK`].
fn fold(text: &str, breaks: bool) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push(' ');
    let mut prev = ' ';
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else {
            let next = chars.peek().copied();
            let ends = matches!(c, '.' | '!' | '?' | ':') && next.is_none_or(char::is_whitespace);
            let opens = matches!(c, '"' | '“' | '`' | '\'') && prev.is_whitespace();
            if !out.ends_with(' ') {
                out.push(' ');
            }
            if breaks && (ends || opens || c == '\n') && !out.trim_end().ends_with(BREAK) {
                out.push_str(BREAK);
                out.push(' ');
            }
        }
        prev = c;
    }
    if !out.ends_with(' ') {
        out.push(' ');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::Quotes;

    fn holds(text: &str, said: &str) -> bool {
        Quotes::new(text).holds(said)
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
        for (text, said) in [
            (
                "Login failed for user 'NT AUTHORITY\\ANONYMOUS LOGON'.\n\nI guess that this is because the access token has expired.",
                "Access token has expired.",
            ),
            (
                "It works after a restart, so I think the token has expired.",
                "The token has expired.",
            ),
            ("Maybe the token has expired?", "The token has expired."),
            (
                "It seems likely the token has expired.",
                "The token has expired.",
            ),
            // A message with a sentence end of its own is still read for the guess before it.
            (
                "Maybe Authentication failed. MFA required. would explain it",
                "Authentication failed. MFA required.",
            ),
        ] {
            assert!(!holds(text, said), "{text}");
        }
    }

    #[test]
    fn a_guess_out_of_reach_does_not_make_a_quote_a_guess() {
        // A sentence end, a blank line or a single line break, a colon, a quotation mark or a
        // backtick stands between.
        for text in [
            "I think so. The token has expired.",
            "I think the error is: The token has expired.",
            "Maybe relevant\n\nThe token has expired.",
            "Maybe relevant\r\nThe token has expired.",
            "Any idea what might cause this\nThe token has expired.",
            "I believe the error was `The token has expired.`",
            "I believe Graph returns \"The token has expired.\"",
            // Seven words on.
            "I think the sync job stopped at night and this morning every single call returns the token has expired.",
        ] {
            assert!(holds(text, "The token has expired."), "{text}");
        }
    }

    #[test]
    fn a_quote_punctuated_otherwise_than_its_message_counts() {
        // Found only without breaks: nothing to read a guess from.
        assert!(holds(
            "maybe Authentication failed, MFA required",
            "Authentication failed. MFA required."
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

//! Discord's size limits, and making text fit them and safe to echo.

use crate::text::words::cut;

/// A message's content.
pub const MESSAGE: usize = 2000;
/// An embed's title.
pub const EMBED_TITLE: usize = 256;
/// An embed's description.
pub const EMBED_DESCRIPTION: usize = 4096;
/// An embed field's name.
pub const FIELD_NAME: usize = 256;
/// An embed field's value.
pub const FIELD_VALUE: usize = 1024;
/// Fields in one embed.
pub const FIELDS: usize = 25;
/// All text of one embed together.
pub const EMBED_TOTAL: usize = 6000;
/// An embed footer.
pub const FOOTER: usize = 2048;
/// A component's custom id.
pub const CUSTOM_ID: usize = 100;
/// A thread's name.
pub const THREAD_NAME: usize = 100;
/// Autocomplete choices.
pub const CHOICES: usize = 25;
/// An autocomplete choice's name.
pub const CHOICE_NAME: usize = 100;

/// Makes user text safe to echo: markdown cannot break the surrounding formatting, mentions
/// cannot ping (`@everyone`, `<@&role>`), and links are not turned into clickable ones. The text
/// stays readable.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '\\' | '*' | '_' | '~' | '`' | '|' | '>' | '#' | '[' | ']' | '(' | ')' => {
                out.push('\\');
                out.push(c);
            }
            // A zero-width space after `@` and `<` keeps mentions from resolving, and one inside
            // `://` keeps links from being linked.
            '@' => out.push_str("@\u{200b}"),
            '<' => out.push_str("<\u{200b}"),
            ':' if out.ends_with("http") || out.ends_with("https") => out.push_str(":\u{200b}"),
            _ => out.push(c),
        }
    }
    out
}

/// Quotes user text as a code block, trimmed to `max` characters: nothing inside formats, pings
/// or links. Backticks in the text are replaced so they cannot close the block.
pub fn code_block(text: &str, max: usize) -> String {
    let body = text.replace("```", "ʼʼʼ").replace('@', "@\u{200b}");
    let body = cut(body.trim(), max.saturating_sub(8));
    format!("```\n{body}\n```")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trim_counts_characters() {
        assert_eq!(cut("abc", 3), "abc");
        assert_eq!(cut("abcd", 3), "ab…");
        assert_eq!(cut("ééééé", 4).chars().count(), 4);
    }

    #[test]
    fn escaped_text_cannot_ping_or_format() {
        let e = escape("@everyone **bold** <@&123> [x](https://evil.example)");
        assert!(
            !e.contains("@everyone")
                && !e.contains("<@&")
                && !e.contains("**")
                && !e.contains("https://"),
            "{e}"
        );
        assert!(e.contains("everyone") && e.contains("bold"));
    }

    #[test]
    fn code_blocks_cannot_be_closed_from_inside() {
        let b = code_block("x ``` @here y", 100);
        assert_eq!(b.matches("```").count(), 2, "{b}");
        assert!(!b.contains("@here"));
        assert!(code_block(&"a".repeat(5000), 1000).chars().count() <= 1000);
    }

    #[test]
    fn the_answer_budget_fits_one_embed() {
        let b = crate::kb::Budget::ANSWER;
        // An entry's whole text, with a title and the field names around it, fits one embed;
        // each part fits where it is shown.
        assert!(b.total + EMBED_TITLE + 2 * FIELD_NAME <= EMBED_TOTAL);
        assert!(b.cause <= EMBED_DESCRIPTION && b.step <= EMBED_DESCRIPTION);
        assert!(b.note <= FIELD_VALUE && b.links <= FIELDS);
    }
}

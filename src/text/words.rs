//! The tokeniser: splitting text into normalised words (ASCII runs, camelCase parts,
//! lower case, plurals reduced), stop words, and error-code keys. A leaf module: the engine,
//! the knowledge-base checks and the adapters use it, and it uses none of them.

/// At most this many words of a text are split.
pub const MAX_WORDS: usize = 12_000;
/// True for a word (as returned by [`words`]) that carries no meaning for matching: common
/// English words.
pub fn is_stop_word(word: &str) -> bool {
    matches!(
        word,
        "a" | "an"
            | "and"
            | "are"
            | "as"
            | "at"
            | "be"
            | "been"
            | "but"
            | "by"
            | "can"
            | "could"
            | "did"
            | "do"
            | "doe"
            | "for"
            | "from"
            | "get"
            | "got"
            | "had"
            | "has"
            | "have"
            | "how"
            | "i"
            | "if"
            | "in"
            | "into"
            | "is"
            | "it"
            | "its"
            | "me"
            | "my"
            | "of"
            | "on"
            | "or"
            | "our"
            | "so"
            | "than"
            | "that"
            | "the"
            | "their"
            | "them"
            | "then"
            | "there"
            | "these"
            | "they"
            | "this"
            | "those"
            | "to"
            | "was"
            | "we"
            | "were"
            | "what"
            | "when"
            | "where"
            | "which"
            | "while"
            | "who"
            | "why"
            | "will"
            | "with"
            | "would"
            | "you"
            | "your"
    )
}

/// One word of text, with whether a line break came right before it.
#[derive(Debug, Clone, PartialEq)]
pub struct Word {
    /// Short words are stored inline (no allocation per word).
    pub text: compact_str::CompactString,
    pub after_newline: bool,
    /// A mark that ends a clause or a value came before the word (ASCII `,` `;` `=`, brackets;
    /// not the `>` and `|` that quote or frame a line):
    /// `username = user,` / `password = pwd` holds no phrase "user password".
    pub after_break: bool,
    /// On the first part of a camelCase run (`OneDrive`): the whole run as one word
    /// (`onedrive`), so that either spelling matches.
    pub compound: Option<compact_str::CompactString>,
    /// The word is a camelCase part of a program's name (`Token` in `AccessTokenCacheItem`,
    /// `Expired` in `isExpired`): a name's part, not a word of a sentence.
    pub joined: bool,
    /// The word ends a sentence (`.`, `!` or `?` follows it, after any closing quotes or
    /// brackets).
    pub sentence_end: bool,
}

/// A run of word characters: ASCII letters and digits, or two neighbouring characters of a
/// script written without spaces (Chinese, Japanese, Korean: see [`is_cjk`]).
#[derive(Debug, Clone, Copy)]
enum Run<'a> {
    /// Letters and digits (ASCII only, so any byte index inside is a character boundary).
    Ascii(&'a str),
    /// Two characters (one when the run has a single character), in the text's spelling.
    Cjk(&'a str),
}

/// True for a character of a script that does not separate its words with spaces: CJK
/// ideographs, hiragana, katakana (full and half width, with the prolonged sound mark) and
/// Hangul syllables.
pub fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{3040}'..='\u{30FF}'
            | '\u{3400}'..='\u{4DBF}'
            | '\u{4E00}'..='\u{9FFF}'
            | '\u{F900}'..='\u{FAFF}'
            | '\u{FF66}'..='\u{FF9F}'
            | '\u{AC00}'..='\u{D7AF}')
}

/// What separated a run from the one before it.
#[derive(Debug, Clone, Copy, Default)]
struct Gap {
    newline: bool,
    /// A mark that ends a clause or a value (see [`Word::after_break`]).
    breaks: bool,
}

/// Calls `f` with each run of ASCII letters and digits in `text`, what came between it and the
/// run before (a line break, a clause's end), and the byte index just after it. A run of CJK
/// characters, which has no spaces to split at, is given as its overlapping character pairs
/// (`多要素認証` → `多要`, `要素`, `素認`, `認証`): pairs say far more than single characters,
/// and a message's pairs still follow one another in a paste. Other characters (accented
/// letters among them) separate words. `f` returns false to stop.
fn runs(text: &str, mut f: impl FnMut(Run<'_>, Gap, usize) -> bool) {
    let bytes = text.as_bytes();
    let mut i = 0;
    let mut gap = Gap::default();
    while i < bytes.len() {
        if bytes[i] >= 0x80 {
            // A run of CJK characters, given as its overlapping pairs (a lone one as itself).
            let (start, mut prev, mut count) = (i, i, 0usize);
            for c in text[start..].chars().take_while(|&c| is_cjk(c)) {
                let end = i + c.len_utf8();
                if count > 0 {
                    if !f(Run::Cjk(&text[prev..end]), gap, end) {
                        return;
                    }
                    gap = Gap::default();
                }
                (prev, i, count) = (i, end, count + 1);
            }
            match count {
                0 => i += text[start..].chars().next().map_or(1, char::len_utf8),
                1 => {
                    if !f(Run::Cjk(&text[start..i]), gap, i) {
                        return;
                    }
                    gap = Gap::default();
                }
                _ => {}
            }
            continue;
        }
        if !bytes[i].is_ascii_alphanumeric() {
            gap.newline |= bytes[i] == b'\n';
            gap.breaks |= matches!(
                bytes[i],
                b',' | b';' | b'=' | b'(' | b')' | b'{' | b'}' | b'[' | b']'
            );
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && bytes[i].is_ascii_alphanumeric() {
            i += 1;
        }
        if !f(Run::Ascii(&text[start..i]), gap, i) {
            return;
        }
        gap = Gap::default();
    }
}

/// Marks that end a sentence after a CJK run.
fn cjk_sentence_end(rest: &str) -> bool {
    rest.starts_with(['。', '！', '？', '．'])
}

/// The camelCase parts of a run, as byte ranges: `HttpResponse` → `Http`, `Response`.
fn parts(run: &[u8]) -> impl Iterator<Item = std::ops::Range<usize>> + '_ {
    let mut from = 0;
    (1..run.len())
        .filter(|&k| is_hump(run, k))
        .chain([run.len()])
        .map(move |cut| {
            let range = from..cut;
            from = cut;
            range
        })
}

/// Splits text into normalised words: ASCII letters and digits, split at camelCase humps,
/// lowercased, plurals reduced. `AADSTS50076` stays one word.
pub fn split_words(text: &str, out: &mut Vec<Word>) {
    let text = &*product_names(text);
    let bytes = text.as_bytes();
    runs(text, |run, gap, end| {
        if out.len() >= MAX_WORDS {
            return false;
        }
        let run = match run {
            Run::Ascii(run) => run,
            Run::Cjk(pair) => {
                out.push(Word {
                    text: pair.into(),
                    after_newline: gap.newline,
                    after_break: gap.breaks,
                    compound: None,
                    joined: false,
                    sentence_end: cjk_sentence_end(&text[end..]),
                });
                return true;
            }
        };
        let first = out.len();
        for range in parts(run.as_bytes()) {
            out.push(Word {
                text: lower_stem(&run[range]),
                after_newline: gap.newline && out.len() == first,
                after_break: gap.breaks && out.len() == first,
                compound: None,
                joined: false,
                sentence_end: false,
            });
        }
        if out.len() > first + 1 {
            out[first].compound = Some(lower_stem(run));
            if is_program_name(run.as_bytes(), out.len() - first) {
                for w in &mut out[first..] {
                    w.joined = true;
                }
            }
        }
        // Closing quotes and brackets may stand between the word and its stop
        // (`principal>'.`, `"expired".`).
        let mark = end
            + bytes[end.min(bytes.len())..]
                .iter()
                .take(3)
                .take_while(|b| matches!(b, b'"' | b'\'' | b'`' | b')' | b']' | b'>'))
                .count();
        let stop = matches!(bytes.get(mark), Some(b'.' | b'!' | b'?'))
            && bytes
                .get(mark + 1)
                .is_none_or(|b| b.is_ascii_whitespace() || matches!(b, b'"' | b'\'' | b'`' | b')'));
        if let Some(last) = out.last_mut() {
            last.sentence_end = stop;
        }
        true
    });
}

/// The names Microsoft's identity service has had, in the messages of its errors and in what
/// people write: Azure Active Directory, Azure AD, Microsoft Entra ID, Entra ID. Read as one
/// ("Azure AD"), so that a message written under one name matches a paste under another.
static PRODUCT_NAMES: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::RegexBuilder::new(
        r"\b(?:azure\s+active\s+directory|microsoft\s+entra(?:\s+id)?|entra\s+id)\b",
    )
    .case_insensitive(true)
    .unicode(false)
    .build()
    .expect("product names pattern")
});

/// `text` with the identity service's names read as one (see [`PRODUCT_NAMES`]).
fn product_names(text: &str) -> std::borrow::Cow<'_, str> {
    PRODUCT_NAMES.replace_all(text, "Azure AD")
}

/// Whether a run of `parts` camelCase parts is a program's name (`isExpired`,
/// `AccessTokenCacheItem`), not a product's two capitalised words (`OData`, `SharePoint`).
fn is_program_name(run: &[u8], parts: usize) -> bool {
    parts > 1 && (run[0].is_ascii_lowercase() || parts > 2)
}

/// Whether `text` holds a program's name (see [`Word::joined`]).
pub fn holds_program_name(text: &str) -> bool {
    let mut found = false;
    runs(text, |run, _, _| {
        if let Run::Ascii(run) = run {
            let run = run.as_bytes();
            found = is_program_name(run, parts(run).count());
        }
        !found
    });
    found
}

/// Calls `f` with each normalised word of `text` (as [`split_words`] makes them), without
/// allocating per word: for building indexes over large knowledge bases.
pub fn for_each_word(text: &str, mut f: impl FnMut(&str)) {
    let text = &*product_names(text);
    let mut buf = String::new();
    runs(text, |run, _, _| {
        let run = match run {
            Run::Ascii(run) => run,
            Run::Cjk(pair) => {
                f(pair);
                return true;
            }
        };
        for range in parts(run.as_bytes()) {
            lower_stem_into(&run[range], &mut buf);
            f(&buf);
        }
        true
    });
}

/// Normalised words of `text` (see [`split_words`]).
pub fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    split_words(text, &mut out);
    out.into_iter().map(|w| w.text.into()).collect()
}

/// Normalised words of `text` without stop words.
pub fn content_words(text: &str) -> Vec<String> {
    words(text)
        .into_iter()
        .filter(|w| !is_stop_word(w))
        .collect()
}

/// True when an ASCII alphanumeric run splits before byte `k` at a camelCase hump:
/// `HttpResponse` before `R`, `HTTPError` before `E`. Digits stay with letters.
fn is_hump(b: &[u8], k: usize) -> bool {
    let lower_to_upper = b[k - 1].is_ascii_lowercase() && b[k].is_ascii_uppercase();
    let acronym_end = k + 1 < b.len()
        && b[k - 1].is_ascii_uppercase()
        && b[k].is_ascii_uppercase()
        && b[k + 1].is_ascii_lowercase();
    lower_to_upper || acronym_end
}

/// How a lowercase word is reduced: the length kept, and whether `y` follows
/// (`permissions` → 11, no; `policies` → 5, yes).
fn plural_cut(w: &str) -> (usize, bool) {
    let n = w.len();
    if n > 4 && w.ends_with("ies") {
        (n - 3, true)
    } else if n > 3
        && w.ends_with('s')
        && !w.ends_with("ss")
        && !w.ends_with("us")
        && !w.ends_with("is")
    {
        (n - 1, false)
    } else {
        (n, false)
    }
}

/// Lowercases an ASCII word and reduces plurals: `Permissions` → `permission`,
/// `policies` → `policy`. Short words stay inline (no allocation).
fn lower_stem(word: &str) -> compact_str::CompactString {
    let mut w = compact_str::CompactString::with_capacity(word.len());
    w.push_str(word);
    w.make_ascii_lowercase();
    let (keep, y) = plural_cut(&w);
    w.truncate(keep);
    if y {
        w.push('y');
    }
    w
}

/// [`lower_stem`] into a reused buffer.
fn lower_stem_into(word: &str, w: &mut String) {
    w.clear();
    w.push_str(word);
    w.make_ascii_lowercase();
    let (keep, y) = plural_cut(w);
    w.truncate(keep);
    if y {
        w.push('y');
    }
}

/// The lookup key of a code: letters and digits only, lowercased.
/// `AppLifecycle_2210`, `applifecycle 2210` and `APPLIFECYCLE2210` share one key.
pub fn code_key(code: &str) -> String {
    let mut key = String::with_capacity(code.len());
    code_key_into(code, &mut key);
    key
}

/// [`code_key`] into a reused buffer.
pub fn code_key_into(code: &str, key: &mut String) {
    key.clear();
    key.extend(
        code.bytes()
            .filter(u8::is_ascii_alphanumeric)
            .map(|b| b.to_ascii_lowercase() as char),
    );
}

/// Cuts `text` to at most `max` characters, ending with `…` when cut (the one text cutter:
/// Discord's limits count characters, and so do entries' budgets).
pub fn cut(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut out: String = text.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// [`cut`], at the last whole word that fits.
pub fn cut_at_word(text: &str, max: usize) -> String {
    let mut out = cut(text, max);
    if out.len() < text.len() {
        out.pop();
        if let Some(i) = out.rfind(' ') {
            out.truncate(i);
        }
        out.push('…');
    }
    out
}

/// Words that say a line reports a failure.
const ERROR_WORDS: [&str; 5] = ["error", "exception", "failed", "denied", "invalid"];

/// Whether a text says something failed (an error word, in any case).
pub fn says_it_failed(text: &str) -> bool {
    let lower = text.to_lowercase();
    ERROR_WORDS.iter().any(|w| lower.contains(w))
}

/// True for an identifier shaped like a code: it has a digit, `_` or `.`, or a capital
/// letter after the first character (`AADSTS50076`, `AppLifecycle_2210`, `ErrorAccessDenied`).
/// Plain words (`denied`, `Error`) are not.
pub fn is_code_shaped(ident: &str) -> bool {
    let b = ident.as_bytes();
    b.iter()
        .any(|c| c.is_ascii_digit() || *c == b'_' || *c == b'.')
        || b.iter().skip(1).any(u8::is_ascii_uppercase)
}

/// Identifier-like runs of text (`[A-Za-z0-9_.]`), trimmed of dots, with each dotted part too:
/// the candidates for code lookup.
pub fn identifiers(text: &str, mut f: impl FnMut(&str)) {
    // Over bytes: every byte of an identifier is ASCII, so a run starts and ends at a character
    // boundary and any other byte (of a non-ASCII character too) separates runs.
    let is_part = |b: &u8| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.');
    let bytes = text.as_bytes();
    let mut at = 0;
    while let Some(start) = bytes[at..].iter().position(is_part).map(|p| at + p) {
        let end = bytes[start..]
            .iter()
            .position(|b| !is_part(b))
            .map_or(bytes.len(), |p| start + p);
        at = end;
        let run = text[start..end].trim_matches('.');
        if run.len() < 3 {
            continue;
        }
        f(run);
        if run.contains('.') {
            for part in run.split('.') {
                if part.len() >= 3 {
                    f(part);
                }
            }
        }
    }
}

/// FNV-1a over a sequence of values (bytes or characters): a small, stable hash for
/// fingerprints and word keys (not for anything an attacker must not collide).
pub fn fnv1a(values: impl IntoIterator<Item = u64>) -> u64 {
    values.into_iter().fold(FNV1A_START, fnv1a_step)
}

/// FNV-1a's starting value, for a hash built a value at a time with [`fnv1a_step`].
pub const FNV1A_START: u64 = 0xcbf2_9ce4_8422_2325;

/// One step of FNV-1a: the hash `h` so far, with `v` added.
pub fn fnv1a_step(h: u64, v: u64) -> u64 {
    (h ^ v).wrapping_mul(0x0000_0100_0000_01b3)
}

/// FNV-1a of a text's bytes.
pub fn fnv1a_str(text: &str) -> u64 {
    fnv1a(text.bytes().map(u64::from))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mark_that_ends_a_clause_is_kept_before_the_next_word() {
        let mut words = Vec::new();
        split_words(
            "username = user,\n  password = pwd > quoted | framed",
            &mut words,
        );
        let breaks: Vec<(&str, bool)> = words
            .iter()
            .map(|w| (w.text.as_str(), w.after_break))
            .collect();
        assert_eq!(
            breaks,
            [
                ("username", false),
                ("user", true),
                ("password", true),
                ("pwd", true),
                ("quoted", false),
                ("framed", false)
            ]
        );
    }

    /// The words of `text` that `keep` holds for.
    fn words_where(text: &str, keep: impl Fn(&Word) -> bool) -> Vec<String> {
        let mut words = Vec::new();
        split_words(text, &mut words);
        words
            .into_iter()
            .filter(|w| keep(w))
            .map(|w| w.text.into())
            .collect()
    }

    #[test]
    fn a_sentence_ends_after_closing_quotes_and_brackets_before_its_stop() {
        let ends = words_where(
            "Login failed for user '<token-identified principal>'. It said \"expired\". Not v1.2 (see docs) or user.name here",
            |w| w.sentence_end,
        );
        assert_eq!(ends, ["principal", "expired"]);
    }

    #[test]
    fn a_program_s_name_is_read_as_joined_parts_a_product_s_two_words_are_not() {
        let joined = words_where(
            "mAccessTokenCacheItem.isExpired() on OData SharePoint",
            |w| w.joined,
        );
        assert_eq!(
            joined,
            ["m", "access", "token", "cache", "item", "is", "expired"]
        );
        assert!(holds_program_name("Exception:SendAsDeniedException"));
        assert!(holds_program_name("call isExpired first"));
        assert!(!holds_program_name(
            "Parsing OData Select and Expand failed"
        ));
    }
}

//! Turning messy pasted text into clean text and words: escapes, entities, markup, stack
//! frames, GUIDs, timestamps, e-mail addresses and tokens are dealt with here.

use std::borrow::Cow;
use std::sync::LazyLock;

pub use crate::text::MAX_INPUT_BYTES;

/// Text after cleaning, and whether the input was cut to [`MAX_INPUT_BYTES`].
#[derive(Debug, Clone)]
pub struct Cleaned {
    pub text: String,
    pub truncated: bool,
}

/// Noise that is replaced by a space: GUIDs, e-mail addresses, timestamps, long hex or base64
/// runs (trace ids, tokens), stack-frame lines, PowerShell's own type names and links to pages
/// named after a code. ASCII-only over bytes, so it runs as a DFA;
/// every match starts and ends on an ASCII byte, so the text stays valid UTF-8.
static NOISE: LazyLock<regex::bytes::Regex> = LazyLock::new(|| {
    regex::bytes::RegexBuilder::new(concat!(
        r"(?i)[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
        r"|[a-z0-9._%+\-]+@[a-z0-9\-]+(?:\.[a-z0-9\-]+)+",
        // Timestamps, their fraction of a second written after `.`, `,` (Python's and log4j's
        // logs) or `:` (`07:41:00:403`), whose digits are no status.
        r"|\d{4}-\d{2}-\d{2}[t ]\d{2}:\d{2}(?::\d{2}(?:\.\d+|[,:]\d{3,7}\b)?)?z?",
        r"|\d{1,2}/\d{1,2}/\d{2,4}\s+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+|[,:]\d{3,7}\b)?)?(?:\s*[ap]m)?",
        r"|\b\d{1,2}:\d{2}:\d{2}[.,:]\d{3,9}\b",
        r"|\b[a-z0-9_\-]{20,}\.[a-z0-9_\-]{20,}\.[a-z0-9_\-]{10,}",
        r"|\b[0-9a-f]{24,}\b",
        r"|(?m)^[ \t]*at [\w.$`<>\[\],]+\([^\n]*\)[^\n]*$",
        // PowerShell's own type names, in every PowerShell web error whoever's service failed.
        r"|\bmicrosoft\.powershell\.[\w.]+",
        // A link whose path names a code (a documentation page: `…/error-code-aadsts50020-user-
        // account-…#cause-7`) cites the error, it does not carry it; a code in a link's query
        // (`?error_description=AADSTS65001…`, a sign-in's redirect) is kept.
        r#"|https?://[^\s?#"'<>()\[\]]*aadsts\d{4,8}[^\s?#"'<>()\[\]]*(?:#[^\s"'<>()\[\]]*)?"#,
    ))
    .unicode(false)
    .build()
    .expect("noise regex")
});

/// Cleans pasted text: decodes escapes and entities, drops zero-width characters and noise.
/// Never fails; input longer than [`MAX_INPUT_BYTES`] is cut at a character boundary.
pub fn clean(input: &str) -> Cleaned {
    let decoded = decode_bounded(input);
    Cleaned {
        text: remove_noise(&decoded.text).into_owned(),
        truncated: decoded.truncated,
    }
}

/// The first step of [`clean`]: cut to [`MAX_INPUT_BYTES`], escapes and entities decoded.
pub fn decode_bounded(input: &str) -> Cleaned {
    let mut end = input.len().min(MAX_INPUT_BYTES);
    while !input.is_char_boundary(end) {
        end -= 1;
    }
    Cleaned {
        text: decode(&input[..end]),
        truncated: end < input.len(),
    }
}

/// The second step of [`clean`]: noise replaced by spaces.
pub fn remove_noise(decoded: &str) -> Cow<'_, str> {
    let kept = without_python_source(decoded);
    let replaced = match NOISE.replace_all(kept.as_bytes(), &b" "[..]) {
        Cow::Borrowed(_) => None,
        Cow::Owned(bytes) => Some(bytes),
    };
    match replaced {
        None => kept,
        Some(bytes) => Cow::Owned(
            String::from_utf8(bytes)
                .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()),
        ),
    }
}

/// Without the source lines a Python traceback prints under each frame (`  File "…", line N,
/// in f`, then the line of code, and carets under it): they are the program's code, not the
/// error, and their names are no codes (`status_code=resp_status`). Only lines indented deeper
/// than their frame go, and never one that names an exception (`AuthError: …`, a frame without
/// source being followed by the error itself); the frame's line stays, as its path can name the
/// service the program talks to.
fn without_python_source(text: &str) -> Cow<'_, str> {
    if !text.contains("File \"") {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    // The frame's indent, and how many lines under it may still be its source.
    let mut frame: Option<(usize, usize)> = None;
    for line in text.split_inclusive('\n') {
        let body = line.trim_start_matches([' ', '\t']);
        let indent = line.len() - body.len();
        if body.starts_with("File \"") && body.contains("\", line ") {
            frame = Some((indent, 2));
            out.push_str(line);
            continue;
        }
        match frame {
            Some((depth, left))
                if left > 0
                    && indent > depth
                    && !body.trim().is_empty()
                    && !names_an_exception(body) =>
            {
                frame = Some((depth, left - 1));
                if line.ends_with('\n') {
                    out.push('\n');
                }
            }
            _ => {
                frame = None;
                out.push_str(line);
            }
        }
    }
    if out.len() == text.len() {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(out)
    }
}

/// Whether a line starts with an exception's name and a colon (`AuthError: …`,
/// `requests.exceptions.HTTPError: …`).
fn names_an_exception(line: &str) -> bool {
    let Some((path, _)) = line.split_once(':') else {
        return false;
    };
    let name = path.rsplit('.').next().unwrap_or(path);
    ["Error", "Exception", "Warning"]
        .iter()
        .any(|k| name.ends_with(k))
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

/// Decodes backslash escapes (`\r\n`, `\"`, `\u0027`, `\_`) and HTML entities, and drops
/// zero-width and bidi control characters.
fn decode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    loop {
        // Copy the run of bytes that need no decoding in one go: everything but `\`, `&` and
        // the lead bytes of the few characters dropped or replaced below.
        let plain = rest
            .bytes()
            .position(|b| matches!(b, b'\\' | b'&' | 0xC2 | 0xE2 | 0xEF))
            .unwrap_or(rest.len());
        out.push_str(&rest[..plain]);
        rest = &rest[plain..];
        let Some(c) = rest.chars().next() else { break };
        let mut step = c.len_utf8();
        match c {
            '\\' => {
                let next = rest[1..].chars().next();
                match next {
                    Some('n' | 'r' | 't') => {
                        out.push(if next == Some('t') { ' ' } else { '\n' });
                        step = 2;
                    }
                    Some('u') => match rest
                        .get(2..6)
                        .and_then(|hex| u32::from_str_radix(hex, 16).ok())
                        .and_then(char::from_u32)
                    {
                        Some(ch) => {
                            out.push(ch);
                            step = 6;
                        }
                        None => out.push(' '),
                    },
                    Some(ch) if ch.is_ascii_punctuation() => {
                        out.push(ch);
                        step = 2;
                    }
                    _ => out.push(' '),
                }
            }
            '&' => match entity(rest) {
                Some((ch, len)) => {
                    out.push(ch);
                    step = len;
                }
                None => out.push('&'),
            },
            '\u{200b}'..='\u{200f}'
            | '\u{202a}'..='\u{202e}'
            | '\u{2060}'..='\u{2064}'
            | '\u{feff}' => {}
            '\u{00a0}' => out.push(' '),
            _ => out.push(c),
        }
        rest = &rest[step..];
    }
    out
}

/// Decodes an HTML entity at the start of `s`: the character and the entity's length.
fn entity(s: &str) -> Option<(char, usize)> {
    let end = s.bytes().take(12).position(|b| b == b';')?;
    let name = &s[1..end];
    let ch = match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => ' ',
        _ => {
            let num = name.strip_prefix('#')?;
            let code = match num.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => num.parse().ok()?,
            };
            char::from_u32(code)?
        }
    };
    Some((ch, end + 1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::words::*;

    #[test]
    fn stop_words() {
        assert!(is_stop_word("the") && is_stop_word("doe") && !is_stop_word("token"));
    }

    #[test]
    fn escaped_json_is_decoded() {
        let c = clean(
            r#"{\"error\":\"x\",\"error_description\":\"AADSTS50076: Due to\r\nTrace ID: 1\"}"#,
        );
        assert!(
            c.text
                .contains("\"error_description\":\"AADSTS50076: Due to\n"),
            "{}",
            c.text
        );
        assert_eq!(
            clean(r"it\u0027s AppLifecycle\_2210").text,
            "it's AppLifecycle_2210"
        );
    }

    #[test]
    fn entities_are_decoded() {
        assert_eq!(
            clean("a &gt; b &amp;&#x20;c &#39;d&#39; &bogus;").text,
            "a > b & c 'd' &bogus;"
        );
    }

    #[test]
    fn noise_is_removed() {
        let c = clean("Trace ID: 8fd8421c-4adc-405f-92f9-f2bd61326000 by jdoe@contoso.com at 2021-06-25 13:16:19Z");
        assert!(
            !c.text.contains("8fd8421c")
                && !c.text.contains("contoso")
                && !c.text.contains("13:16"),
            "{}",
            c.text
        );
        let frames = clean("Boom\n   at System.Net.HttpWebRequest.GetResponse()\nEnd");
        assert!(!frames.text.contains("GetResponse"), "{}", frames.text);
        // A Python traceback's source lines go, its frames and the error stay.
        let python = clean("Traceback (most recent call last):\n  File \"/app/auth.py\", line 198, in list_groups\n    raise AuthError(error=json.dumps(body), status_code=resp_status)\n            ^^^^^^^^^^^^^^^^\n  File \"/app/main.py\", line 12, in <module>\n    run()\nAuthError: Insufficient privileges to complete the operation.\n    at the second attempt");
        assert!(
            !python.text.contains("resp_status")
                && !python.text.contains("run()")
                && !python.text.contains("^^^")
                && python.text.contains("/app/auth.py")
                && python.text.contains("AuthError: Insufficient privileges")
                && python.text.contains("at the second attempt"),
            "{}",
            python.text
        );
        // A traceback indented as a whole, with a frame that has no source: the error under
        // the frame stays.
        let block = clean("    Traceback (most recent call last):\n      File \"<stdin>\", line 1, in <module>\n    AuthError: Insufficient privileges to complete the operation.");
        assert!(
            block.text.contains("AuthError: Insufficient privileges"),
            "{}",
            block.text
        );
        let under = clean("  File \"<stdin>\", line 1, in <module>\n    requests.exceptions.HTTPError: 403 Client Error: Forbidden");
        assert!(under.text.contains("HTTPError: 403"), "{}", under.text);
        // A timestamp's fraction of a second is no status, however it is written.
        for stamp in [
            "2022-12-27 07:41:00:403 Imap.S: OK",
            "2025-02-04 12:09:44,403 [main] WARN",
            "[07:41:00.500] sync started",
            "12/27/2022 7:41:00:403 PM connected",
        ] {
            assert!(!clean(stamp).text.contains("403"), "{stamp}");
            assert!(!clean(stamp).text.contains("500"), "{stamp}");
        }
        assert!(clean("07:41 got 403 Forbidden")
            .text
            .contains("403 Forbidden"));
    }

    #[test]
    fn links_to_pages_named_after_a_code_are_citations() {
        let page = clean("This is the section: https://learn.microsoft.com/troubleshoot/error-code-aadsts50020-user-account-identity-provider-does-not-exist#cause-7-a-re-created-user. It fails.");
        assert!(
            !page.text.to_lowercase().contains("aadsts50020")
                && !page.text.contains("identity-provider")
                && !page.text.contains("cause-7")
                && page.text.contains("It fails."),
            "{}",
            page.text
        );
        // A sign-in's redirect carries its error in the query: kept.
        let redirect = clean("https://app.contoso.net/callback?error=access_denied&error_description=AADSTS65001%3a+The+user+has+not+consented");
        assert!(redirect.text.contains("AADSTS65001"), "{}", redirect.text);
        // Links without a code in their path are left alone.
        let graph = clean("POST https://graph.microsoft.com/v1.0/users/x/sendMail returned 403");
        assert!(
            graph
                .text
                .contains("graph.microsoft.com/v1.0/users/x/sendMail"),
            "{}",
            graph.text
        );
    }

    #[test]
    fn escapes_next_to_multibyte_characters_do_not_split_them() {
        assert_eq!(clean("\\uéé").text, " uéé");
        assert_eq!(clean("&é;").text, "&é;");
        assert_eq!(clean("a\\").text, "a ");
    }

    #[test]
    fn zero_width_characters_vanish() {
        assert_eq!(clean("AAD\u{200b}STS50020").text, "AADSTS50020");
    }

    #[test]
    fn long_input_is_cut_at_a_char_boundary() {
        let long = "é".repeat(MAX_INPUT_BYTES);
        let c = clean(&long);
        assert!(c.truncated);
        assert!(c.text.len() <= MAX_INPUT_BYTES);
    }

    #[test]
    fn words_split_camel_case_and_reduce_plurals() {
        assert_eq!(
            words("PartnerCenterModule"),
            ["partner", "center", "module"]
        );
        assert_eq!(
            words("HTTPResponseException"),
            ["http", "response", "exception"]
        );
        assert_eq!(
            words("Authorization_RequestDenied"),
            ["authorization", "request", "denied"]
        );
        assert_eq!(
            words("AADSTS50076 permissions policies access"),
            ["aadsts50076", "permission", "policy", "access"]
        );
        assert_eq!(
            content_words("The user is not in the tenant"),
            ["user", "not", "tenant"]
        );
    }

    #[test]
    fn for_each_word_agrees_with_words() {
        let text = "The PartnerCenterModule permissions: AADSTS50076, HTTPError!";
        let mut seen = Vec::new();
        for_each_word(text, |w| seen.push(w.to_string()));
        assert_eq!(seen, words(text));
    }

    #[test]
    fn the_identity_service_s_names_read_as_one() {
        let want = words("Tenant does not have Azure AD Premium license");
        for name in [
            "Azure Active Directory",
            "Microsoft Entra ID",
            "Microsoft Entra",
            "entra id",
            "AZURE  ACTIVE\nDIRECTORY",
        ] {
            let text = format!("Tenant does not have {name} Premium license");
            assert_eq!(words(&text), want, "{text}");
            let mut seen = Vec::new();
            for_each_word(&text, |w| seen.push(w.to_string()));
            assert_eq!(seen, want, "{text}");
        }
        // Other words that begin the same are left alone.
        assert_eq!(
            words("active directory sync"),
            ["active", "directory", "sync"]
        );
        assert_eq!(words("entrance identity"), ["entrance", "identity"]);
    }

    #[test]
    fn scripts_without_spaces_are_read_as_character_pairs() {
        // Chinese and Japanese have no spaces between words: a run of their characters is read
        // as its overlapping pairs, and a lone character as itself; ASCII words around them
        // and accented letters keep their old reading.
        assert_eq!(
            words("AADSTS70008: 刷新令牌过期。"),
            ["aadsts70008", "刷新", "新令", "令牌", "牌过", "过期"]
        );
        assert_eq!(words("エラー 700082"), ["エラ", "ラー", "700082"]);
        assert_eq!(words("ID 为 X"), ["id", "为", "x"]);
        assert_eq!(
            words("Zugriff für Benutzer"),
            ["zugriff", "f", "r", "benutzer"]
        );
        let mut split = Vec::new();
        split_words("無効です。 Retry", &mut split);
        assert!(split[2].sentence_end, "{split:?}");
        assert!(!split[0].sentence_end);
        let text = "多要素認証 PartnerCenter 由于管理员";
        let mut seen = Vec::new();
        for_each_word(text, |w| seen.push(w.to_string()));
        assert_eq!(seen, words(text));
    }

    #[test]
    fn code_keys_ignore_case_and_separators() {
        assert_eq!(code_key("AppLifecycle_2210"), "applifecycle2210");
        assert_eq!(code_key("Microsoft.Skype.Sync"), "microsoftskypesync");
    }

    #[test]
    fn code_shapes() {
        for code in [
            "AADSTS50076",
            "AppLifecycle_2210",
            "ErrorAccessDenied",
            "IDX10223",
            "Microsoft.Skype",
        ] {
            assert!(is_code_shaped(code), "{code}");
        }
        for word in ["denied", "Error", "the"] {
            assert!(!is_code_shaped(word), "{word}");
        }
    }

    #[test]
    fn identifiers_yield_dotted_parts() {
        let mut seen = Vec::new();
        identifiers(
            "x: SendAsDeniedException.MapiExceptionSendAsDenied; ok",
            |s| seen.push(s.to_string()),
        );
        assert_eq!(
            seen,
            [
                "SendAsDeniedException.MapiExceptionSendAsDenied",
                "SendAsDeniedException",
                "MapiExceptionSendAsDenied"
            ]
        );
        // Any other character separates identifiers, a non-ASCII one too, at either end.
        let mut seen = Vec::new();
        identifiers("ÄADSTS50076…Error_Code→x.AppLifecycle_2210.é", |s| {
            seen.push(s.to_string())
        });
        assert_eq!(
            seen,
            [
                "ADSTS50076",
                "Error_Code",
                "x.AppLifecycle_2210",
                "AppLifecycle_2210"
            ]
        );
    }
}

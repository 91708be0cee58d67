//! The error's own message, where a paste spells it out (a cmdlet's error line, a JSON
//! `message`, a `Message:` field, an exception's text): what the rules are checked against.

use std::sync::LazyLock;

/// The verbs PowerShell's cmdlets are named with (`Get-…`, `Set-…`), the common ones.
const CMDLET_VERB: &str = "(?i:Add|Approve|Assert|Backup|Block|Build|Checkpoint|Clear|Close|Compare|Complete|Compress|Confirm|Connect|Convert|ConvertFrom|ConvertTo|Copy|Debug|Deny|Deploy|Disable|Disconnect|Dismount|Edit|Enable|Enter|Exit|Expand|Export|Find|Format|Get|Grant|Group|Hide|Import|Initialize|Install|Invoke|Join|Limit|Lock|Measure|Merge|Mount|Move|New|Open|Optimize|Out|Ping|Pop|Protect|Publish|Push|Read|Receive|Redo|Register|Remove|Rename|Repair|Request|Reset|Resize|Resolve|Restart|Restore|Resume|Revoke|Save|Search|Select|Send|Set|Show|Skip|Split|Start|Step|Stop|Submit|Suspend|Switch|Sync|Test|Trace|Unblock|Undo|Uninstall|Unlock|Unprotect|Unpublish|Unregister|Update|Use|Wait|Watch|Write)";

/// The error's own message, where the paste spells it out: a cmdlet's error line
/// (`Get-MgUser : …`), a JSON `message` or `error_description` (Azure AD Graph's
/// `"message": {"lang": …, "value": …}` too), a `Message:` field, an exception's text
/// (`…Exception: …`). A line that stops mid-sentence, wrapped by a terminal, goes on to the next
/// when that one goes on in lower case (`…to complete the` / `  operation.`, or after
/// Terraform's `│`), unless the next is a stack frame (`   at Contoso.Sync.Run()`).
pub(super) static MESSAGE: LazyLock<regex::bytes::Regex> = LazyLock::new(|| {
    let line = format!(r"[^\r\n](?:{LINE_MESSAGE_TAIL})");
    // After a label: a message, not a program's placeholder for one (`Message: {}'.format(…)`,
    // `Exception: %s`), whose line may run on into the next line's own message.
    let said = format!(r"[^{{%\s](?:{LINE_MESSAGE_TAIL})");
    regex::bytes::RegexBuilder::new(&[
        // (A cmdlet's name opens with one of PowerShell's verbs: `Content-Type: …` and
        // `User-Agent: …` are HTTP headers, not errors.)
        // (On its own line, and a noun of three or more: Graph's `request-id : <GUID>` header
        // is no cmdlet's error.)
        // (Graph PowerShell names the cmdlet's variant after an underscore:
        // `Get-MgUser_List: …`.)
        format!(r#"(?mR)^[ \t]*{CMDLET_VERB}-[A-Za-z0-9]{{3,}}(?:_[A-Za-z0-9]+)?[ \t]*:[ \t]+(?P<a>{line})$"#),
        body_message("b"),
        // A wrapper's quoted `Message="…"` (autorest: `Message=\"Unknown service error\"
        // Details=[…]`): the quotes end it, not the line.
        r#"\bMessage=\\?"(?P<n>[^"\\\r\n]{12,})\\?""#.to_string(),
        format!(r#"(?mR)\bMessage\s*[:=]\s*(?P<c>{said})$"#),
        format!(r#"(?mR)\b[A-Za-z.]*Exception:\s+(?P<d>{said})$"#),
        // Graph SDK wrappers (Go, Terraform): `unexpected status 400 with OData error: Code: message`,
        // and `unexpected status 400 (400 Bad Request) with error: Code: message`.
        format!(r#"(?mR)\b(?:OData|with)(?:\s|\xE2\x94\x82)*error:\s*[A-Za-z_]+:\s*(?P<e>{line})$"#),
        // Graph PowerShell's message before the response's status, on its line or the line
        // above (`Insufficient privileges to complete the operation.` / `Status: 403
        // (Forbidden)`), after the bars of PowerShell's concise view.
        r"(?mR)^[ \t>|]*(?P<o>[^\r\n|]{12,}?)(?:[ \t]+|[ \t]*\r?\n(?:[ \t>|]*\r?\n)?[ \t>|]*)Status:[ \t]*[1-5]\d\d[ \t]*\(".to_string(),
        // A Python dict's repr of a body: single quotes.
        r#"'(?:message|error_description)'\s*:\s*(?:'(?P<g>[^'\r\n]{12,})'|"(?P<h>[^"\r\n]{12,})")"#.to_string(),
        // A log's key-value fields (`errorCode=Request_BadRequest errorMessage="…"`), and a
        // wrapper's `Error detail:` line.
        // (The key right before its `=` or `:`: `errorMessage = "…";` is a line of code.)
        format!(r#"(?mR)\b(?:error_?[Mm]essage|ErrorMessage)(?:"\s*:|[:=])[ \t]*(?:"(?P<i>[^"\r\n]{{12,}})"|(?P<j>{line})$)"#),
        format!(r#"(?mR)\b(?i:error details?)\s*:\s*(?P<k>{said})$"#),
        // Azure AD Graph's `odata.error` body: the message is an object with its language.
        r#""message"\s*:\s*\{\s*"lang"\s*:\s*"[^"]*"\s*,\s*"value"\s*:\s*"(?P<f>[^"]{12,})""#.to_string(),
        // The same bodies inside a string, their quotes escaped (`Details=[{\"odata.error\":…`).
        escaped_body_message("l"),
        r#"\\"message\\"\s*:\s*\{\s*\\"lang\\"\s*:\s*\\"[^"\\]*\\"\s*,\s*\\"value\\"\s*:\s*\\"(?P<m>[^"\\]{12,})"#.to_string(),
    ]
    .join("|"))
    .unicode(false)
    .build()
    .expect("message regex")
});

/// A JSON body's `message` or `error_description`, in the named group `group`.
fn body_message(group: &str) -> String {
    format!(r#""(?:message|error_description)"\s*:\s*"(?P<{group}>[^"]{{12,}})""#)
}

/// [`body_message`] inside a string, its quotes escaped (`Details=[{\"odata.error\":…`).
fn escaped_body_message(group: &str) -> String {
    format!(r#"\\"(?:message|error_description)\\"\s*:\s*\\"(?P<{group}>[^"\\]{{12,}})"#)
}

/// A response body's `message` inside a longer message (a line that quotes the body), its
/// quotes plain or escaped.
static INNER_MESSAGE: LazyLock<regex::Regex> = LazyLock::new(|| {
    regex::Regex::new(&format!(
        "{}|{}",
        body_message("plain"),
        escaped_body_message("escaped")
    ))
    .expect("inner message pattern")
});

/// A "message" that is only an HTTP status and its reason (`400 Bad Request`, `(403)
/// Forbidden.`, `Forbidden (403)`, `The remote server returned an error: (403) Forbidden.`,
/// `Response status code does not indicate success: 403 (Forbidden).`): it names no cause.
static STATUS_ONLY: LazyLock<regex::Regex> = LazyLock::new(|| {
    let reason = http_reason!();
    // What .NET, PowerShell and axios put before a status.
    let lead = r"(the remote server returned an error:|response status code does not indicate success:|request failed with status code|http error|status code)?\s*";
    regex::Regex::new(&format!(
        r"(?i)^{lead}(http\s*)?(status(\s*code)?\s*[:=]?\s*)?\(?[1-5]\d\d\)?\s*[-:]?\s*\(?{reason}?\)?\s*\.?$|^{lead}{reason}\s*\(?[1-5]\d\d\)?\s*\.?$"
    ))
    .expect("status-only pattern")
});

/// A message that refuses access in its own words, not a status's (`You do not have permission
/// to perform this operation.`, `Applications … are not allowed access`, `This operation can
/// only be performed by an administrator.`, `Access to invalidate refresh tokens operation is
/// denied.`). Not a missing access in general (`You do not have access to create this personal
/// site or you do not have a valid license`): a licence, a policy or a folder may be its cause.
static REFUSAL: LazyLock<regex::Regex> = LazyLock::new(|| {
    regex::Regex::new(concat!(
        r"(?i)\b(?:(?:do|does|did)\s+not|(?:don|doesn|didn)['’]t)\s+have\s+(?:the\s+)?",
        r"(?:required\s+|necessary\s+|sufficient\s+|enough\s+)?(?:permissions?|rights?|privileges?)\b",
        r"|\bnot\s+allowed\s+access\b",
        r"|\b(?:is|are)\s+denied\b",
        r"|\binsufficient\s+(?:privileges|permissions|rights)\b",
        r"|\bonly\s+be\s+performed\s+by\b",
        r"|\blacks?\s+(?:the\s+)?(?:required\s+)?(?:permissions?|privileges?|rights?|roles?)\b",
    ))
    .expect("refusal pattern")
});

/// Whether one of the messages refuses access in its own words (see [`REFUSAL`]).
pub fn refuses(messages: &str) -> bool {
    REFUSAL.is_match(messages)
}

/// Addresses and paths: a request's URL (`https://graph.microsoft.com/v1.0/…`), a script's
/// file (`C:\Program Files\…\Invoke-DocGraph.ps1:61`), on one line.
static WHERE: LazyLock<regex::Regex> = LazyLock::new(|| {
    regex::Regex::new(r"https?://\S+|\b[A-Za-z]:\\\S*(?:[ \t]\S+\\\S*)*").expect("where pattern")
});

/// A "message" that says where, not what: a request's address or a file's path with only the
/// words a request's line puts around it (`GET https://graph.microsoft.com/beta/…`, `Request
/// to https://…('…') failed with`, a script's path and line), or the opening of an HTML page
/// (`<!DOCTYPE html`). A sentence around an address (`Cannot get site https://…`, `Invalid
/// audience: https://…`) says what went wrong.
fn only_where(m: &str) -> bool {
    let m = m.trim();
    if m.len() >= 9 && m.as_bytes()[..9].eq_ignore_ascii_case(b"<!DOCTYPE") {
        return true;
    }
    if !WHERE.is_match(m) {
        return false;
    }
    WHERE
        .replace_all(m, " ")
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
        .all(|w| {
            WORDS_AROUND_AN_ADDRESS
                .iter()
                .any(|a| a.eq_ignore_ascii_case(w))
        })
}

/// The words a request's or a script's line puts around its address (`Request to … failed
/// with`, `GET …`, `At … line 61 char 5`).
const WORDS_AROUND_AN_ADDRESS: &[&str] = &[
    "get", "post", "put", "patch", "delete", "head", "request", "to", "failed", "with", "at",
    "line", "char", "url", "uri", "calling", "for", "from", "http", "https",
];

/// A message written on a line, after its first character (which each use reads itself): the
/// line, or, when it stops mid-sentence, the line and the next one that goes on in lower case
/// after a terminal's indent (spaces, `>`, `|`, Terraform's `│`), and is no stack frame (`at …`).
/// Twelve characters at least with the first.
const LINE_MESSAGE_TAIL: &str = r"[^\r\n]{10,}[^.\r\n]\r?\n(?:[ \t>|]|\xE2\x94\x82)*(?:[b-z]|a[^t\r\n]|at\S)[^\r\n]*|[^\r\n]{11,}";

/// The error messages a paste spells out (see [`MESSAGE`]), at most a few.
pub fn messages(text: &str) -> Vec<String> {
    MESSAGE
        .captures_iter(text.as_bytes())
        // Each alternative holds its message in a named group, and every group is named (a
        // test holds it), so the first group that took part is the message.
        .filter_map(|c| {
            c.iter()
                .skip(1)
                .flatten()
                .next()
                .map(|m| String::from_utf8_lossy(m.as_bytes()).into_owned())
        })
        // Markdown's emphasis around a pasted line (`**Exception of type … was thrown.**`) is
        // the writer's, not the message's.
        .map(|m| {
            let bare =
                m.trim_matches(|c: char| c == '*' || c == '_' || c == '`' || c.is_whitespace());
            if bare.len() == m.len() {
                m
            } else {
                bare.to_string()
            }
        })
        // An exception's line that holds the response's body (`ClientException: … resulted in
        // a 400 Bad Request response: {"error":{"code":"BadRequest","message":"…"}}`): the
        // body's own message says what went wrong, the line around it only how it was sent.
        .map(|m| {
            match INNER_MESSAGE
                .captures(&m)
                .and_then(|c| c.name("plain").or(c.name("escaped")))
            {
                Some(inner) => inner.as_str().to_string(),
                None => m,
            }
        })
        // One word (`"message": "UnknownError"`) is a code, not what went wrong.
        .filter(|m| m.split_whitespace().nth(1).is_some())
        // .NET's default text for an exception names its type and nothing of the error.
        .filter(|m| !(m.starts_with("Exception of type") && m.trim_end().ends_with("was thrown.")))
        // A cmdlet's `: 400 Bad Request` is the status, not what went wrong.
        .filter(|m| !STATUS_ONLY.is_match(m.trim()))
        .filter(|m| !only_where(m))
        .take(8)
        .collect()
}

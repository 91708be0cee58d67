//! Strong signals in pasted text: AADSTS, IDX and AD FS (`MSIS`) codes, structured error codes
//! (`"code": ...`, `Code: ...`) and HTTP statuses. They tell the engine what error a paste
//! carries, including errors the knowledge base does not cover.

use std::sync::LazyLock;

use regex::bytes::{Regex, RegexBuilder};

/// Signals found in a text.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Signals {
    /// Codes as written: `AADSTS50076`, `IDX10223`, `Authorization_RequestDenied`, `900420`.
    pub codes: Vec<String>,
    /// HTTP statuses, such as 403 or 429.
    pub statuses: Vec<u16>,
}

static CODES: LazyLock<Regex> = LazyLock::new(|| {
    RegexBuilder::new(concat!(
        r"(?i)\b(AADSTS\d{4,8}|IDX\d{5})\b",
        // A label's value on its own line: the next line is something else (`Inner error:` then
        // the SDK's `AdditionalData:` block).
        r#"|(?:code|error)["']?[ \t]*[:=][ \t]*["']?([A-Za-z][A-Za-z0-9_]{2,80}|\d{5,9})\b"#,
    ))
    .unicode(false)
    .build()
    .expect("codes regex")
});

/// AD FS's codes (`MSIS9659`), searched apart from [`CODES`]: one more literal there slows the
/// search of every paste for a code most pastes never hold.
static ADFS_CODES: LazyLock<Regex> = LazyLock::new(|| {
    RegexBuilder::new(r"\bMSIS\d{4}\b")
        .unicode(false)
        .build()
        .expect("AD FS codes regex")
});

static STATUSES: LazyLock<Regex> = LazyLock::new(|| {
    RegexBuilder::new(concat!(
        r"(?i)\b([45]\d\d)\)?\s*[:\-]?\s*\(?(bad ?request|unauthorized|forbidden|not ?found|too ?many ?requests|conflict|internal ?server ?error|bad ?gateway|service ?unavailable|gateway ?time-?out)",
        r#"|(?:status(?:\s*code)?|statuscode|http(?:\s*error)?|res_status)["']?\s*[:=]?\s*["']?([45]\d\d)\b"#,
        r"|\b(TooManyRequests|Too Many Requests|throttled)\b",
        // .NET's status names, as PowerShell and HttpClient print them.
        r"|(?:\bstatus(?:\s*code)?|does not indicate success)\s*[:=]?\s*(BadRequest|Unauthorized|Forbidden|NotFound|Conflict|InternalServerError|BadGateway|ServiceUnavailable|GatewayTimeout)\b",
    ))
    .unicode(false)
    .build()
    .expect("statuses regex")
});

/// Codes that every error response carries and that identify no particular error.
const GENERIC_CODES: &[&str] = &[
    "accessdenied",
    "badrequest",
    "conflict",
    "consentrequired",
    // Azure Resource Manager's and Graph's wrappers: the error they wrap is in their message.
    "deploymentfailed",
    "extensionerror",
    "forbidden",
    "generalexception",
    "interactionrequired",
    "internalservererror",
    "invalidclient",
    "invalidgrant",
    "invalidrequest",
    "invalidresource",
    "invalidscope",
    "invalidtemplatedeployment",
    "loginrequired",
    "notfound",
    "servererror",
    "serviceunavailable",
    "temporarilyunavailable",
    "unauthorized",
    "unauthorizedclient",
    "unknownerror",
];

/// Codes that name a kind of failure, each sent with many messages, one a cause: an entry may
/// own one (for the message it was written for), but the code alone does not say which cause.
const KIND_CODES: &[&str] = &[
    "accessdenied",
    "authorizationrequestdenied",
    "erroraccessdenied",
    "requestbadrequest",
    "requestbodyread",
];

/// True when a code (as a code key) names a kind of failure rather than one error.
pub fn is_kind_code(key: &str) -> bool {
    KIND_CODES.contains(&key)
}

/// True when a code (as a code key) identifies no particular error.
pub fn is_generic_code(key: &str) -> bool {
    GENERIC_CODES.binary_search(&key).is_ok()
}

fn str_of(m: regex::bytes::Match<'_>) -> &str {
    std::str::from_utf8(m.as_bytes()).unwrap_or("")
}

/// An Entra code written without its prefix after words that say "error code" (in the languages
/// Microsoft's sign-in pages are read in), with its prefix misspelt (`ADDSTS`, `AADST`), or
/// apart from its number (`AADSTS 50146`, or a line wrapped between them before the message).
static UNPREFIXED: LazyLock<regex::Regex> = LazyLock::new(|| {
    regex::RegexBuilder::new(concat!(
        // A code glued to what precedes it, where markup between them was dropped (a SOAP
        // fault's `<psf:value>0x80045C01</psf:value><psf:text>AADSTS90023: …` read as text,
        // `Authentication FailureAADSTS50126`).
        r"(?P<glued>[0-9A-Za-z])(?P<g>AADSTS\d{5,8})(?-u:\b)|",
        r"(?P<typo>(?-u:\b)(?:AADSTS[ _-]+|(?:ADDSTS|ADSTS|AADST|AADTS|AASDTS|AADSDTS)[ _-]?)(?P<n>\d{5,8})(?-u:\b))",
        // A line wrapped between the prefix and its number, the message's colon after it (a
        // number opening the next line alone is anything: a count, a year, a port).
        r"|(?-u:\b)AADSTS[ \t]*\r?\n[ \t]*(?P<w>\d{5,8}):",
        r"|(?P<said>(?:error\s*code|error\s*no\.?|errorcode|fehlercode|fehler|code\s+d['’]erreur|código\s+de\s+error|codigo\s+de\s+error|código\s+de\s+erro|foutcode|felkod|felkoden|codice\s+(?:di\s+)?errore|エラー\s*コード|エラーコード|错误代码|錯誤碼)\s*[:：#=]?\s*)(?P<m>\d{5,8})(?-u:\b)",
        // A number after a plain "error" (`error 7000215`, `el error 7000215`, `erreur
        // 50076`), a plain "code" (`fails with code `50203``), and in the fields of a sign-in
        // record (Graph's `"errorCode": 50126`, Log Analytics' `ResultType: 50126`): an Entra
        // code only when the number is one, since many other products number their errors too
        // (`SQL error 18456`).
        r#"|(?P<plain>(?-u:\b)(?:error\s+id|error|erreur|errore|erro|fout|fel|code|error_?code|result_?type)["'`]?\s*[:#=]?\s*["'`]?)(?P<k>\d{5,8})(?-u:\b)"#,
    ))
    .case_insensitive(true)
    .build()
    .expect("unprefixed code pattern")
});

/// Where a code is given by number only, beside no code in full: the token endpoint's
/// `"error_codes":[50076]` and tools that pass that list on (`Unknown error code(s) from server:
/// [50055]`, ADAL's `Fail to valid authority with errors: [50049]`), a number there being an
/// Entra code when it is one; and Microsoft's error lookup
/// (`login.microsoftonline.com/error?code=9002313`), which sign-in pages and token endpoints link
/// beside the error.
static LISTED: LazyLock<regex::Regex> = LazyLock::new(|| {
    regex::RegexBuilder::new(concat!(
        r#"(?P<list>(?-u:\b)error(?:[ _]?codes?(?:\(s\))?|s)"?(?:\s+from\s+server)?\s*[:=]\s*\[\s*)(?P<e>\d{5,8})(?-u:\b)"#,
        r"|(?P<link>(?-u:\b)login\.(?:microsoftonline\.(?:com|us)|microsoft\.com|windows\.net|partner\.microsoftonline\.cn|chinacloudapi\.cn)/error\?code=)(?P<l>\d{5,8})(?-u:\b)",
    ))
    .case_insensitive(true)
    .build()
    .expect("listed code pattern")
});

/// The text with every Entra code written in full: `error code 700003`, `Fehler 700003`,
/// `エラーコード:700003` and `ADDSTS700003` all read as `AADSTS700003`; after a plain "error" or
/// "error id" (`error 7000215`), and in a list of codes (`"error_codes":[7000215]`), only a code
/// `known` says exists; in a text with no code in full, Microsoft's error lookup link names one.
pub fn with_code_prefixes<'t>(
    text: &'t str,
    known: impl Fn(&str) -> bool,
) -> std::borrow::Cow<'t, str> {
    if !text.bytes().any(|b| b.is_ascii_digit()) {
        return std::borrow::Cow::Borrowed(text);
    }
    let read = UNPREFIXED.replace_all(text, |c: &regex::Captures| {
        if let Some(g) = c.name("g") {
            return format!("{} {}", &c["glued"], g.as_str());
        }
        if let Some(w) = c.name("w") {
            return format!("AADSTS{}:", w.as_str());
        }
        match (c.name("n"), c.name("m"), c.name("k")) {
            (Some(n), _, _) => format!("AADSTS{}", n.as_str()),
            (None, Some(m), _) => format!("{}AADSTS{}", &c["said"], m.as_str()),
            (None, None, Some(k))
                if known(&format!("AADSTS{}", k.as_str())) && !other_product(text, k.start()) =>
            {
                format!("{}AADSTS{}", &c["plain"], k.as_str())
            }
            _ => c[0].to_string(),
        }
    });
    // A body that writes its code in full (`AADSTS50076: …` beside `"error_codes":[50076]`) says
    // nothing more by number: the text is read as it is, without a copy.
    if read.contains("AADSTS") {
        return read;
    }
    let listed = LISTED.replace_all(&read, |c: &regex::Captures| {
        if let Some(l) = c.name("l") {
            return format!("{}AADSTS{}", &c["link"], l.as_str());
        }
        let code = format!("AADSTS{}", &c["e"]);
        // `errors: [N]` lists codes only after ADAL's authority check.
        let plural = c["list"]
            .as_bytes()
            .get(5)
            .is_some_and(|b| b.eq_ignore_ascii_case(&b's'));
        let whose = c.get(0).map_or("", |m| &read[..m.start()]);
        if known(&code) && (!plural || whose.trim_end().ends_with("authority with")) {
            format!("{}{code}", &c["list"])
        } else {
            c[0].to_string()
        }
    });
    match listed {
        std::borrow::Cow::Owned(s) => std::borrow::Cow::Owned(s),
        std::borrow::Cow::Borrowed(_) => read,
    }
}

/// Whether the line around `at` names a product that numbers its own errors (SQL Server's
/// `Msg 50000, Level 16`, `error 50000, severity 16`).
fn other_product(text: &str, at: usize) -> bool {
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    let line = text[start..end].to_ascii_lowercase();
    ["sql", "severity", "msg ", "level "]
        .iter()
        .any(|w| line.contains(w))
}

/// Extracts the signals of a cleaned text.
pub fn extract(text: &str) -> Signals {
    let mut s = Signals::default();
    let text = text.as_bytes();
    for cap in CODES.captures_iter(text) {
        let code = match (cap.get(1), cap.get(2)) {
            (Some(m), _) => str_of(m).to_ascii_uppercase(),
            // A type's name opening its fields (`error: MainError(code='…', …)`, as an SDK
            // prints an exception) is not a code; its fields are read on their own. Nor is the
            // head of a qualified name after an error label (`"error":"GroupsClient.BaseClient
            // .Get(): …"`, `office365Users.UpdateMyProfile failed`): an object or a namespace,
            // whose message follows. After a code label a dotted code keeps its head
            // (`code:AppStudioPlugin.TeamsAppUpdateFailed`).
            (None, Some(m))
                if is_code_after_label(str_of(m))
                    && text.get(m.end()) != Some(&b'(')
                    && !(after_error_label(&cap) && opens_qualified_name(&text[m.end()..]))
                    && !is_package_prefix(str_of(m), &text[m.end()..]) =>
            {
                unglued(str_of(m), &text[m.end()..]).to_string()
            }
            _ => continue,
        };
        add_once(&mut s.codes, code);
    }
    for m in ADFS_CODES.find_iter(text) {
        add_once(&mut s.codes, str_of(m).to_string());
    }
    for cap in STATUSES.captures_iter(text) {
        let status = if let Some(m) = cap.get(1).or_else(|| cap.get(3)) {
            str_of(m).parse().unwrap_or(0)
        } else if let Some(m) = cap.get(4).or_else(|| cap.get(5)) {
            match crate::text::words::code_key(str_of(m)).as_str() {
                "badrequest" => 400,
                "unauthorized" => 401,
                "forbidden" => 403,
                "notfound" => 404,
                "conflict" => 409,
                "internalservererror" => 500,
                "badgateway" => 502,
                "serviceunavailable" => 503,
                "gatewaytimeout" => 504,
                _ => 429,
            }
        } else {
            0
        };
        if status != 0 {
            add_once(&mut s.statuses, status);
        }
    }
    s
}

/// Adds `x` unless the list holds it already (signals are listed once, in the order found).
fn add_once<T: PartialEq>(list: &mut Vec<T>, x: T) {
    if !list.contains(&x) {
        list.push(x);
    }
}

/// Whether a structured code was read after an `error` label rather than a `code` label.
fn after_error_label(cap: &regex::bytes::Captures<'_>) -> bool {
    cap.get(0).is_some_and(|m| {
        m.as_bytes()
            .get(..5)
            .is_some_and(|l| l.eq_ignore_ascii_case(b"error"))
    })
}

/// Whether the text after an identifier goes on with a member of it (`.Get`, `.BaseClient`).
fn opens_qualified_name(after: &[u8]) -> bool {
    after.first() == Some(&b'.') && after.get(1).is_some_and(u8::is_ascii_alphabetic)
}

/// A Go package's name opening the error it wraps (`error="oauth2: token expired …"`,
/// `x509: …`): one lower-case word with a digit (a word of letters alone is no code's shape),
/// then a colon. Codes of that case are written with an underscore (`invalid_grant: …`), or
/// are of a numbered family (`aadsts50076: …`).
fn is_package_prefix(ident: &str, after: &[u8]) -> bool {
    let lower = ident
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
    let family = ["aadsts", "idx", "msis"].iter().any(|f| {
        ident
            .strip_prefix(f)
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
    });
    after.first() == Some(&b':') && lower && !family
}

/// Whether what follows `code:` or `error:` is a code: shaped like one, and not a short word in
/// capitals (`SMTP ERROR: DATA END command failed`, `Error: SMTP`): those are protocol words
/// and shouting, not the names of errors.
fn is_code_after_label(ident: &str) -> bool {
    let shouted = ident.len() <= 5 && ident.bytes().all(|b| b.is_ascii_uppercase());
    crate::text::words::is_code_shaped(ident) && !shouted && !is_named_for_a_code(ident)
}

/// A variable of source code named for the code it holds (`code=aad_code`,
/// `status_code=resp_status`), not a code: lower case, its last part saying what it holds.
fn is_named_for_a_code(ident: &str) -> bool {
    let lower = ident
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
    // An error's own name says what is wrong first (`bad_verification_code`, `invalid_code`).
    let (first, _) = ident.split_once('_').unwrap_or((ident, ""));
    let named_for_error = matches!(
        first,
        "invalid"
            | "bad"
            | "expired"
            | "missing"
            | "unsupported"
            | "unknown"
            | "unauthorized"
            | "wrong"
    );
    lower
        && !named_for_error
        && ident.rsplit_once('_').is_some_and(|(_, last)| {
            matches!(
                last,
                "code" | "codes" | "status" | "msg" | "message" | "text"
            )
        })
}

/// A code copied from a page whose "Error code:" and "Error message:" lines ran together
/// (`Error code: Authorization_RequestDeniedError message: …`) loses the next label's "Error".
fn unglued<'a>(code: &'a str, after: &[u8]) -> &'a str {
    let after = after.trim_ascii_start();
    let label = ["message", "description"].iter().any(|l| {
        after
            .get(..l.len())
            .is_some_and(|a| a.eq_ignore_ascii_case(l.as_bytes()))
    });
    // The code before it is a code in its own right (`Authorization_RequestDenied`); a word
    // before "Error" (`ExtensionError`, then a `Message:` line) is the code itself.
    if let Some(head) = code.strip_suffix("Error") {
        if label && head.len() >= 3 && crate::text::words::is_code_shaped(head) {
            return head;
        }
    }
    // Where the line break between the fields was lost, the next label runs into the code
    // whole (`Code: Request_BadRequestMessage: The value of …`): a label then its colon.
    for label in ["Message", "Description"] {
        if let Some(head) = code.strip_suffix(label) {
            if after.first() == Some(&b':')
                && head.len() >= 3
                && crate::text::words::is_code_shaped(head)
            {
                return head;
            }
        }
    }
    code
}

/// Codes only Microsoft's services write: Entra and identity-model codes, Graph directory codes
/// (`Request_…`, `Authorization_…`) and Exchange codes (`ErrorAccessDenied`); and the shape of
/// Microsoft Graph's error body, whose `innerError` carries the request's id. Such a code marks
/// a text as Microsoft's as surely as a product name does.
static MICROSOFT_CODE: LazyLock<Regex> = LazyLock::new(|| {
    RegexBuilder::new(concat!(
        r"\b(AADSTS\d{4,8}|IDX\d{5}|(Request|Authorization|Authentication|Directory)_[A-Z][A-Za-z]+|Error[A-Z][a-z]+[A-Z][A-Za-z]+)\b",
        r#"|"inner[Ee]rror"\s*:\s*\{[^{}]{0,200}"(client-)?request-id""#,
        // Cmdlets of Microsoft's PowerShell modules (Graph, Az, AzureAD, MSOnline, Exchange
        // Online, Teams, PnP, Partner Center, Intune): `Get-MgUser`, `Connect-ExchangeOnline`,
        // `Invoke-DeviceManagement_ManagedDevices_RebootNow`.
        // PowerShell's verbs only: `Cross-Team` and `Shared-Mailbox` are words. The Graph
        // module's errors name the cmdlet's inner variant (`Get-MgAuditLogDirectoryAudit_List1`,
        // `Update-MgUser_UpdateExpanded`).
        r"|\b(Get|Set|New|Remove|Add|Connect|Disconnect|Update|Grant|Revoke|Enable|Disable|Invoke|Test|Import|Export|Search|Start|Stop|Clear|Reset|Send|Find|Register|Unregister|Install|Move|Restore)-",
        r"((Mg|Az|AzureAD|Msol|EXO|Cs|PnP|Partner|Entra)[A-Z][A-Za-z]*(_[A-Za-z0-9]+)*|(Mailbox|DistributionGroup|UnifiedGroup|ExchangeOnline|MicrosoftTeams|Team)([A-Z][A-Za-z]*)?|Intune[A-Z][A-Za-z]*|Device(App)?Management_[A-Za-z_]+)\b",
    ))
    .unicode(false)
    .build()
    .expect("microsoft code regex")
});

/// True when the text carries a code only Microsoft's services write.
pub fn has_microsoft_code(text: &str) -> bool {
    MICROSOFT_CODE.is_match(text.as_bytes())
}

/// True for statuses that no knowledge-base entry answers by status alone: the error lies
/// elsewhere (not found, throttling, server faults).
pub fn is_foreign_status(status: u16) -> bool {
    matches!(status, 404 | 405 | 408 | 409 | 429) || status >= 500
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn microsoft_s_codes_and_graph_s_error_body_mark_a_text() {
        assert!(has_microsoft_code(
            "AADSTS50076: Due to a configuration change"
        ));
        assert!(has_microsoft_code("Authorization_RequestDenied"));
        let graph = r#"{"error": {"code": "BadRequest", "message": "Empty Payload.", "innerError": {"date": "2019-06-07T09:15:49", "request-id": "1b73eb82"}}}"#;
        assert!(has_microsoft_code(graph));
        // Another service's error body with an inner error of its own is not Microsoft's.
        let other = r#"{"error": {"code": "BadRequest", "message": "Empty payload", "innerError": {"trace": "x"}}}"#;
        assert!(!has_microsoft_code(other));
        assert!(!has_microsoft_code("Error: request failed with status 400"));
        for cmdlet in [
            "Get-MgUser : Access token has expired.",
            "Connect-ExchangeOnline -UserPrincipalName",
            "Get-AzADServicePrincipal -DisplayName x",
            "Get-AzureADUser -ObjectId x",
            "Set-Mailbox -Identity x",
            "Add-MailboxPermission -Identity x",
            "Get-CsOnlineUser x",
            "New-PartnerAccessToken -ApplicationId x",
            "Invoke-DeviceManagement_ManagedDevices_RebootNow -ManagedDeviceId x",
            "Get-DeviceAppManagement_MobileApps",
            "Get-IntuneManagedDevice -Filter x",
            "Get-MgAuditLogDirectoryAudit_List1: Invalid filter clause",
            "[Update-MgUser_UpdateExpanded], Exception",
        ] {
            assert!(has_microsoft_code(cmdlet), "{cmdlet}");
        }
        for other in [
            "Get-Content file.txt",
            "Set-Csv x",
            "Import-Module Az",
            "Get-Azimuth",
            "our Cross-Team sync",
            "a Shared-Mailbox rule",
            "Get-DeviceManagement",
            "Set-Intune",
        ] {
            assert!(!has_microsoft_code(other), "{other}");
        }
    }

    fn check(text: &str, codes: &[&str], statuses: &[u16]) {
        let s = extract(text);
        assert_eq!(s.codes, codes, "codes of {text:?}");
        assert_eq!(s.statuses, statuses, "statuses of {text:?}");
    }

    #[test]
    fn generic_codes_are_sorted() {
        assert!(GENERIC_CODES.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn aadsts_and_structured_codes() {
        check(
            "invalid_grant: aadsts50173: the grant",
            &["AADSTS50173"],
            &[],
        );
        // Codes run to eight digits (AADSTS70000121, a personal account's grant sent to a
        // tenant); a longer run of digits is no code.
        check(
            "AADSTS70000121: The passed grant is from a personal Microsoft account",
            &["AADSTS70000121"],
            &[],
        );
        check("AADSTS700001210: x", &[], &[]);
        assert_eq!(
            with_code_prefixes("error code 70000121 on sign-in", |_| false),
            "error code AADSTS70000121 on sign-in"
        );
        assert!(has_microsoft_code("AADSTS70000121: The passed grant"));
        check(
            r#"{"code":"ErrorAccessDenied","message":"x"}"#,
            &["ErrorAccessDenied"],
            &[],
        );
        check(
            "Code: Authorization_RequestDenied\nMessage: no",
            &["Authorization_RequestDenied"],
            &[],
        );
        // Words in capitals after a label are not codes; longer capitals or underscores are.
        check(
            "SMTP ERROR: DATA END command failed\nMailer Error: SMTP Error: data not accepted",
            &[],
            &[],
        );
        check("error: EACCES opening the cache", &["EACCES"], &[]);
        check("code: INSUFF_ACCESS_RIGHTS", &["INSUFF_ACCESS_RIGHTS"], &[]);
        check(
            r#"code": "900420" Invalid Token - 401 unauthorized"#,
            &["900420"],
            &[401],
        );
        check("Error: Graph batch job failed", &[], &[]);
        check("IDX10223: Lifetime validation failed", &["IDX10223"], &[]);
        // AD FS numbers its errors too: an error of AD FS, not of Entra.
        check(
            "Login-AzureRmAccount : MSIS9659: Invalid 'username' or 'password'.: The remote server returned an error: (400) Bad Request.",
            &["MSIS9659"],
            &[400],
        );
        // A label ending its line: what the next line holds is no code of it.
        check(
            "Code: Authorization_RequestDenied\nMessage: Insufficient privileges.\nInner error:\n\tAdditionalData:\n\tdate: 2021-05-06T07:08:09",
            &["Authorization_RequestDenied"],
            &[],
        );
    }

    #[test]
    fn http_statuses_in_their_usual_shapes() {
        check(
            "The remote server returned an error: (403) Forbidden.",
            &[],
            &[403],
        );
        check(
            "Response status code does not indicate success: 400 (BadRequest).",
            &[],
            &[400],
        );
        check(
            "res_code: 'TooManyRequests'\nres_status: 429",
            &["TooManyRequests"],
            &[429],
        );
        check("Request Error, Status: NotFound", &[], &[404]);
        check("HttpStatusCode: 400: BadRequest", &[], &[400]);
        // The status by its .NET name only.
        check(
            "Response status code does not indicate success: BadRequest (Bad Request).",
            &[],
            &[400],
        );
        check(
            "Request to https://graph.microsoft.com/beta/x failed with HTTP Status Forbidden and description: Forbidden",
            &[],
            &[403],
        );
        check("StatusCode: Unauthorized", &[], &[401]);
        check(
            "the status is not found yet, and nothing is forbidden",
            &[],
            &[],
        );
        check("we have 400 users", &[], &[]);
    }

    #[test]
    fn statuses_outside_the_knowledge_base_are_foreign() {
        assert!(is_foreign_status(429) && is_foreign_status(404) && is_foreign_status(503));
        assert!(!is_foreign_status(400) && !is_foreign_status(401) && !is_foreign_status(403));
    }

    #[test]
    fn a_code_run_into_a_message_label_whole_is_read_without_it() {
        check(
            "{HttpResponseCode: 400Code: Request_BadRequestMessage: The value of 'odata.bind' is an empty array.",
            &["Request_BadRequest"],
            &[],
        );
        check(
            "error code: Authorization_IdentityNotFoundDescription: The identity was not found",
            &["Authorization_IdentityNotFound"],
            &[],
        );
        // Without the colon of a label, a code that ends in the word stays whole.
        check("Code: InvalidMessage", &["InvalidMessage"], &[]);
    }

    #[test]
    fn a_variable_named_for_the_code_it_holds_is_no_code() {
        check(
            "token = session.fetch_token(url, code=aad_code, client_secret=key)",
            &[],
            &[],
        );
        check(
            "raise self._get_exception(code=response_code, text=msg_text)",
            &[],
            &[],
        );
        // OAuth's own codes are lower case too.
        check(
            "error_code: invalid_grant, error_description: AADSTS50173",
            &["invalid_grant", "AADSTS50173"],
            &[],
        );
        check(
            "{ error: server_error, error_description: x }",
            &["server_error"],
            &[],
        );
        // An error's own name that ends in "code" is a code.
        check(
            "error: bad_verification_code, error_description: The code has expired",
            &["bad_verification_code"],
            &[],
        );
        check("Error Code: invalid_code", &["invalid_code"], &[]);
    }

    #[test]
    fn a_code_run_into_the_next_label_is_read_without_it() {
        check(
            "Error code: Authorization_RequestDeniedError message: Insufficient privileges",
            &["Authorization_RequestDenied"],
            &[],
        );
        check(
            "Error code: Request_BadRequestError Description: bad",
            &["Request_BadRequest"],
            &[],
        );
        // A code that ends in Error on its own stays whole, and so does a word before "Error"
        // when a `Message:` line follows.
        check(
            "Error code: InvalidAuthenticationTokenError",
            &["InvalidAuthenticationTokenError"],
            &[],
        );
        check(
            "Code: ExtensionError  Message: Operation: Create; Exception: [Status Code: Forbidden]",
            &["ExtensionError"],
            &[403],
        );
    }

    #[test]
    fn a_type_s_name_opening_its_fields_is_not_a_code() {
        check(
            "error: MainError(additional_data={}, code='Authorization_RequestDenied', inner_error=InnerError(client_request_id='x'))",
            &["Authorization_RequestDenied"],
            &[],
        );
        check(
            "error: ErrorAccessDenied (mailbox)",
            &["ErrorAccessDenied"],
            &[],
        );
    }

    #[test]
    fn the_head_of_a_qualified_name_is_not_a_code() {
        check(
            r#"{"msg":"Unable to get groups","error":"GroupsClient.BaseClient.Get(): unexpected status 403 with OData error: Authorization_RequestDenied: Insufficient privileges"}"#,
            &["Authorization_RequestDenied"],
            &[403],
        );
        check(
            "Error: office365Users.UpdateMyProfile failed: The server returned an HTTP error with code 400.",
            &[],
            &[],
        );
        // A Go package opening the error it wraps; a code of that case has an underscore.
        check(
            r#"logger=plugin error="oauth2: token expired and refresh token is not set""#,
            &[],
            &[],
        );
        check(
            "error: invalid_client: AADSTS7000215: Invalid client secret provided.",
            &["invalid_client", "AADSTS7000215"],
            &[],
        );
        check(
            "error: aadsts50076: Due to a configuration change",
            &["aadsts50076"],
            &[],
        );
        // After a code label a dotted code keeps its head, as before.
        check(
            "[Error] - code:AppStudioPlugin.TeamsAppUpdateFailed, message: update failed",
            &["AppStudioPlugin"],
            &[],
        );
        // A code at the end of a sentence is still one.
        check(
            "Code: ErrorAccessDenied. Try again.",
            &["ErrorAccessDenied"],
            &[],
        );
    }

    #[test]
    fn a_number_after_a_plain_error_is_a_code_only_when_it_is_one() {
        let known = |c: &str| matches!(c, "AADSTS7000215" | "AADSTS50076");
        for (text, read) in [
            (
                "My app fails with error 7000215 on the token call",
                "error AADSTS7000215",
            ),
            ("Mi app falla con el error 7000215", "error AADSTS7000215"),
            ("Erreur 50076 à la connexion", "Erreur AADSTS50076"),
            ("Login failed, SQL error 18456", "SQL error 18456"),
            (
                "Agent job failed with error 50076, severity 16",
                "error 50076, severity 16",
            ),
            ("error code AADSTS50076", "error code AADSTS50076"),
            ("terror 7000215", "terror 7000215"),
            (
                "pam_aad(gdm-password:auth): Unknown error code(s) from server: [50076]",
                "from server: [AADSTS50076]",
            ),
            (
                r#"{"error":"invalid_client","error_codes":[7000215]}"#,
                "[AADSTS7000215]",
            ),
            (r#"{"error_codes": [ 18456 ]}"#, "[ 18456 ]"),
            (
                "Error: Fail to valid authority with errors: [50076]",
                "errors: [AADSTS50076]",
            ),
            // Only ADAL's authority check lists codes after "errors:".
            (
                "RAISERROR failed with errors: [50076]",
                "with errors: [50076]",
            ),
            (
                "Azure AD shows an error id 7000215",
                "error id AADSTS7000215",
            ),
            // A sign-in record's fields, as Graph and Log Analytics give them.
            (
                r#""status": {"errorCode": 7000215, "failureReason": "Invalid client secret""#,
                r#""errorCode": AADSTS7000215"#,
            ),
            (
                r#"{"ResultType": "50076", "ResultDescription": "..."}"#,
                r#""ResultType": "AADSTS50076""#,
            ),
            ("ResultType: 50076", "ResultType: AADSTS50076"),
            (
                "sign-in fails with code `50076` in the web flow",
                "code `AADSTS50076`",
            ),
            (r#"{"errorCode": 18456}"#, r#"{"errorCode": 18456}"#),
            ("Active code page: 65001", "Active code page: 65001"),
        ] {
            assert!(with_code_prefixes(text, known).contains(read), "{text}");
        }
    }

    #[test]
    fn codes_without_their_prefix_are_read_in_full() {
        for (text, code) in [
            (
                "Sign-in failed with error code 700003 this morning",
                "AADSTS700003",
            ),
            ("Fehlercode: 50076 beim Anmelden", "AADSTS50076"),
            ("エラーコード:700003", "AADSTS700003"),
            ("Code d'erreur : 50020", "AADSTS50020"),
            ("ADDSTS50173 after the password change", "AADSTS50173"),
            ("HCW fails with ADSTS50011 at the end", "AADSTS50011"),
            ("felkod 7000215", "AADSTS7000215"),
            ("AADSTS 50146 error when signing in", "AADSTS50146"),
            (
                "invalid_client:\n\n7000215 - [2024-09-16 08:49:39Z]: AADSTS\n7000215: Invalid client secret provided.",
                "AADSTS7000215",
            ),
            ("got aadsts-700016 again", "AADSTS700016"),
            (
                "always this error https://login.microsoftonline.com/error?code=9002313",
                "AADSTS9002313",
            ),
            (
                "see login.microsoft.com/error?code=50076 for it",
                "AADSTS50076",
            ),
            (
                "https://login.microsoftonline.us/error?code=50076",
                "AADSTS50076",
            ),
            (
                "InvalidRequestInvalid Request0x80045C010x80045C01AADSTS90023: Invalid STS request.",
                "0x80045C01 AADSTS90023:",
            ),
            (
                "wst:FailedAuthenticationAuthentication FailureAADSTS50126: Error validating credentials",
                "Failure AADSTS50126:",
            ),
        ] {
            assert!(with_code_prefixes(text, |_| false).contains(code), "{text}");
        }
        for text in [
            "error code 403 from Graph",
            "error 0x80070070",
            "order 700003 shipped",
            "AADSTS50076",
            "https://example.com/error?code=9002313",
            "https://xlogin.microsoftonline.com/error?code=9002313",
            "login.microsoftonline.com/error?code=AADSTS50076",
        ] {
            assert!(
                !with_code_prefixes(text, |_| false).contains("AADSTSAADSTS"),
                "{text}"
            );
            assert_eq!(
                with_code_prefixes(text, |_| false).contains("AADSTS"),
                text.contains("AADSTS"),
                "{text}"
            );
        }
        // A number that opens the line after a bare prefix is no part of it without the
        // message's colon.
        let counted = "Top failures by prefix: AADSTS\n12345 sign-ins, mostly 50126";
        assert!(!with_code_prefixes(counted, |_| false).contains("AADSTS12345"));
    }
}

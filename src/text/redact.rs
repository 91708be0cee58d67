//! Redaction of secrets and personal data in pasted text, before anything is stored or logged.
//! Error codes stay; tokens, client secrets, passwords, keys, private keys, cookies, e-mail
//! addresses and ids go. What kinds of secret were found is reported, so the user can be told
//! to rotate them.
//!
//! Secrets are found by their shape (a JWT, a PEM block, a GitHub or AWS key, a Microsoft refresh
//! token) and by where they stand (after a flag, a header, a query parameter or a field named like
//! a secret). The forms covered are listed as data in `tests/secrets/forms.jsonl`; the property
//! test there generates each inside real-looking pastes.

use std::sync::LazyLock;

use regex::{Captures, Regex};

/// A kind of secret found in a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum SecretKind {
    AccessToken,
    RefreshToken,
    ClientSecret,
    Password,
    Key,
    PrivateKey,
    ApiToken,
    Cookie,
}

impl SecretKind {
    /// How the kind is named to the user.
    pub fn name(self) -> &'static str {
        match self {
            SecretKind::AccessToken => "an access token",
            SecretKind::RefreshToken => "a refresh token or authorization code",
            SecretKind::ClientSecret => "a client secret",
            SecretKind::Password => "a password",
            SecretKind::Key => "an access key",
            SecretKind::PrivateKey => "a private key",
            SecretKind::ApiToken => "an API token",
            SecretKind::Cookie => "a session cookie",
        }
    }

    /// What stands in its place.
    pub fn placeholder(self) -> &'static str {
        match self {
            SecretKind::AccessToken => "[access token]",
            SecretKind::RefreshToken => "[refresh token]",
            SecretKind::ClientSecret => "[client secret]",
            SecretKind::Password => "[password]",
            SecretKind::Key => "[key]",
            SecretKind::PrivateKey => "[private key]",
            SecretKind::ApiToken => "[token]",
            SecretKind::Cookie => "[cookie]",
        }
    }

    /// The kind a field, flag or header of this name holds.
    fn of_name(name: &str) -> SecretKind {
        let n = name.to_ascii_lowercase();
        if n.contains("pass") || n.contains("pwd") || n == "p" {
            SecretKind::Password
        } else if n.contains("secret") {
            SecretKind::ClientSecret
        } else if n.contains("cookie") {
            SecretKind::Cookie
        } else if n.contains("refresh") || n == "code" {
            SecretKind::RefreshToken
        } else if n.contains("token") || n.contains("authorization") || n.contains("assertion") {
            SecretKind::AccessToken
        } else {
            SecretKind::Key
        }
    }
}

/// A redacted text and the kinds of secret it held.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redacted {
    pub text: String,
    pub secrets: Vec<SecretKind>,
}

/// The placeholders redaction leaves in place of what it removed.
pub const PLACEHOLDERS: [&str; 10] = [
    "[access token]",
    "[refresh token]",
    "[client secret]",
    "[password]",
    "[key]",
    "[private key]",
    "[token]",
    "[cookie]",
    "[email]",
    "[id]",
];

/// What a rule's match stands for.
#[derive(Clone, Copy)]
enum What {
    Secret(SecretKind),
    /// A secret whose kind the named group `k` (a field, flag or header name) tells.
    Named,
    /// Personal data: replaced without a warning.
    Personal(&'static str),
}

/// One pattern. The named group `v` is what is replaced (the whole match without one); `keep`
/// may veto a value that is not a secret after all (a path after `-p`, a word after `Basic`).
struct Rule {
    re: Regex,
    what: What,
    keep: Option<fn(&str) -> bool>,
}

/// A field, flag or header name that holds a secret, as the end of a longer name
/// (`clientSecret`, `AdminPassword`, `x-api-key`). Token names are listed whole, so that an
/// error code ending in "Token" (`InvalidAuthenticationToken:`) is not taken for a field.
const SECRET_NAME: &str = r"(?:[A-Za-z0-9_.\-]*?(?:password|passwd|passphrase|pwd|secret|secretvalue|api[_\-]?key|access[_\-]?key|account[_\-]?key|private[_\-]?key|shared[_\-]?access[_\-]?key|subscription[_\-]?key|functions?[_\-]?key|master[_\-]?key|signing[_\-]?key|primary[_\-]?key|secondary[_\-]?key|shared[_\-]?access[_\-]?signature|connection[_\-]?string|client[_\-]?assertion)|(?:[A-Za-z0-9]*[_.\-])?(?:access|refresh|id|auth|bearer|sas|session|api|client|csrf|xsrf|security|oauth|bot|github|slack|discord|personal[_\-]?access)?[_\-]?token|authorization|cookie)";

/// A value after `=` or `:`: quoted (may hold `;` and spaces), braced, or a bare word.
const VALUE: &str = r#"(?:\[[a-z ]{2,20}\][^\s"'&,;<>)\]}]*|"(?:[^"\\\r\n]|\\.)*"|'[^'\r\n]*'|\{[^}\r\n]*\}|[^\s"'&,;<>)\]}]+)"#;

static RULES: LazyLock<Vec<Rule>> = LazyLock::new(rules);

/// Words a field, flag or header named like a secret must contain.
const NAMES: &[&str] = &[
    "pass",
    "pwd",
    "secret",
    "key",
    "token",
    "signature",
    "string",
    "assertion",
    "authorization",
    "cookie",
];

/// Per rule, in the order of [`rules`]: literals (ASCII, any case) at least one of which a text
/// must hold for the rule to match it at all; empty = always run. One scan of the text for all
/// of them decides which rules run, so a paste without credentials costs a few scans, not one
/// per rule.
const TRIGGERS: [&[&str]; 27] = [
    &["-----begin"],
    &["eyj"],
    &[
        "ghp_",
        "gho_",
        "ghu_",
        "ghs_",
        "ghr_",
        "github_pat_",
        "xox",
        "xapp-",
    ],
    &["hooks.slack.com"],
    &[],
    &["0.a", "1.a"],
    &["m."],
    &["akia", "asia"],
    &["akia", "asia"],
    &["=="],
    &["q~"],
    &["://"],
    &[
        "authorization",
        "api-key",
        "apikey",
        "subscription-key",
        "functions-key",
        "auth-token",
        "private-token",
    ],
    &["cookie"],
    &["key"],
    &["bearer", "basic"],
    &[
        "sig=",
        "code=",
        "secret=",
        "token=",
        "password=",
        "pwd=",
        "key=",
        "signature=",
        "assertion=",
    ],
    &["securestring"],
    &["pscredential"],
    &[
        "pass", "pwd", "-p", "/p", "secret", "key", "token", "string",
    ],
    NAMES,
    NAMES,
    NAMES,
    NAMES,
    NAMES,
    &["@"],
    &[],
];

/// The triggers of every rule in one automaton, and for each of its patterns the rules it
/// triggers.
static TRIGGERED: LazyLock<(aho_corasick::AhoCorasick, Vec<Vec<usize>>)> = LazyLock::new(|| {
    let mut words: Vec<&str> = Vec::new();
    let mut rules_of: Vec<Vec<usize>> = Vec::new();
    for (rule, triggers) in TRIGGERS.iter().enumerate() {
        for t in *triggers {
            match words.iter().position(|w| w == t) {
                Some(i) => rules_of[i].push(rule),
                None => {
                    words.push(t);
                    rules_of.push(vec![rule]);
                }
            }
        }
    }
    let ac = aho_corasick::AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .build(&words)
        .expect("redaction triggers");
    (ac, rules_of)
});

/// Which rules can match `text` (see [`TRIGGERS`]).
fn candidates(text: &str) -> Vec<bool> {
    let (ac, rules_of) = &*TRIGGERED;
    // The two letters outside ASCII that the rules' Unicode case folding reads as ASCII ones
    // (`ſ` as s, the Kelvin sign as k) escape an ASCII scan: every rule runs.
    if text.contains(['\u{17f}', '\u{212a}']) {
        return vec![true; TRIGGERS.len()];
    }
    let mut run: Vec<bool> = TRIGGERS.iter().map(|t| t.is_empty()).collect();
    for m in ac.find_overlapping_iter(text) {
        for &r in &rules_of[m.pattern().as_usize()] {
            run[r] = true;
        }
    }
    run
}

/// The rules, in the order they apply (a table: one entry per form of secret, read top to
/// bottom, which is why this function is long).
fn rules() -> Vec<Rule> {
    let rule = |re: &str, what: What, keep: Option<fn(&str) -> bool>| Rule {
        re: Regex::new(re).unwrap_or_else(|e| panic!("redaction pattern {re}: {e}")),
        what,
        keep,
    };
    use SecretKind::*;
    use What::*;
    vec![
        // PEM private keys, to their END line (or the end of the text when it was cut).
        rule(
            r"(?s)-----BEGIN [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----(?:.*?-----END [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----|(?:(?:\r?\n|\\n)[A-Za-z0-9+/=]{16,})*)",
            Secret(PrivateKey),
            None,
        ),
        // JWTs anywhere: in JSON, in quotes, after `%3D`.
        rule(
            r"eyJ[A-Za-z0-9_\-]{10,}\.[A-Za-z0-9_\-]{10,}\.[A-Za-z0-9_\-]*",
            Secret(AccessToken),
            None,
        ),
        // Service tokens by their prefixes: GitHub, Slack, Discord bot tokens.
        rule(
            r"(?-u:\b)(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,}|xox[abposr]-[A-Za-z0-9\-]{10,}|xapp-[A-Za-z0-9\-]{10,})",
            Secret(ApiToken),
            None,
        ),
        rule(
            r"hooks\.slack\.com/services/(?P<v>[A-Za-z0-9/]{20,})",
            Secret(ApiToken),
            None,
        ),
        rule(
            r"(?-u:\b)[MNO][A-Za-z0-9_\-]{23,27}\.[A-Za-z0-9_\-]{6,7}\.[A-Za-z0-9_\-]{27,40}(?-u:\b)",
            Secret(ApiToken),
            None,
        ),
        // Microsoft refresh tokens and authorization codes (`0.A…`, `M.C5_BAY.…`).
        rule(
            r"[01]\.A[A-Za-z0-9_\-]{30,}[A-Za-z0-9_\-.*~]*",
            Secret(RefreshToken),
            None,
        ),
        rule(
            r"(?-u:\b)M\.[A-Z0-9]{1,4}_[A-Z0-9]{2,5}\.[A-Za-z0-9!*$_\-.]{20,}",
            Secret(RefreshToken),
            None,
        ),
        // AWS access key ids, and a secret key written beside one.
        rule(
            r"(?-u:\b)(?:AKIA|ASIA)[A-Z0-9]{16}(?-u:\b)",
            Secret(Key),
            None,
        ),
        rule(
            r#"\[key\][\s,;:|"'=]+(?P<v>[A-Za-z0-9/+]{40})(?:[^A-Za-z0-9/+=]|$)"#,
            Secret(Key),
            None,
        ),
        // Azure storage account keys (88 base64 characters) and client secrets by shape.
        rule(r"[A-Za-z0-9+/]{86}==", Secret(Key), None),
        rule(
            r"(?-u:\b)[A-Za-z0-9_\-.]{3}\dQ~[A-Za-z0-9_\-.~]{31,34}",
            Secret(ClientSecret),
            None,
        ),
        // `user:password@host` in URLs.
        rule(
            r#"(?i)(?-u:\b)[a-z][a-z0-9+.\-]*://[^\s:/@"'<>]+:(?P<v>[^\s@/"'<>]+)@"#,
            Secret(Password),
            None,
        ),
        // HTTP headers that carry a credential, to the end of the line (or the quote).
        rule(
            r#"(?i)(?-u:\b)(?P<k>proxy-authorization|authorization|x-api-key|api-key|apikey|ocp-apim-subscription-key|x-functions-key|x-auth-token|private-token)["']?\s*:\s*["']?(?:(?:basic|bearer|digest|negotiate|ntlm|token|sharedaccesssignature)\s+)?(?P<v>\[[a-z ]{2,20}\][^\s"',;]*|[^\s"',;]+)"#,
            Named,
            None,
        ),
        // Cookies: every `name=value` pair of the header.
        rule(
            r#"(?i)(?-u:\b)(?:set-)?cookie["']?\s*:\s*["']?(?P<v>[^=\s;"']+=[^;\s"']*(?:;\s*[^=\s;"']+=[^;\s"']*)*)"#,
            Secret(Cookie),
            None,
        ),
        // .NET appSettings: `<add key="ClientSecret" value="…" />`.
        rule(
            &format!(
                r#"(?i)key\s*=\s*["'](?P<k>{SECRET_NAME})["']\s+value\s*=\s*["'](?P<v>[^"']*)["']"#
            ),
            Named,
            None,
        ),
        // Schemes of an Authorization value written anywhere.
        rule(
            r"(?i)(?-u:\b)(?:bearer|basic)\s+(?P<v>[A-Za-z0-9_\-.~+/]{12,}=*)",
            Secret(AccessToken),
            Some(looks_random),
        ),
        // Query parameters that carry a credential (SAS signatures, codes, secrets).
        rule(
            r#"(?i)[?&#](?P<k>sig|code|client_secret|access_token|refresh_token|id_token|token|password|pwd|key|api[_\-]?key|apikey|secret|signature|client_assertion|assertion)=(?P<v>\[[a-z ]{2,20}\][^&\s"'<>#]*|[^&\s"'<>#]+)"#,
            Named,
            None,
        ),
        // PowerShell: a plain-text SecureString and a literal PSCredential password.
        rule(
            r#"(?i)ConvertTo-SecureString\s+(?:-String\s+)?(?P<v>"[^"\r\n]*"|'[^'\r\n]*'|[^\s$()|'"\-][^\s()|]*)"#,
            Secret(Password),
            None,
        ),
        rule(
            r#"(?i)PSCredential\]?\s*(?:\(|::new\(|-ArgumentList\s*(?:@?\()?)\s*(?:"[^"\r\n]*"|'[^'\r\n]*'|\$[A-Za-z0-9_:]+|[^\s,()]+)\s*,\s*(?P<v>"[^"\r\n]*"|'[^'\r\n]*')"#,
            Secret(Password),
            None,
        ),
        // Command-line flags: `-p VALUE`, `--password=VALUE`, `-ClientSecret VALUE`, `/p:VALUE`.
        rule(
            &format!(
                r#"(?i)(?:^|[\s"'`])(?:--?|/)(?P<k>password|passwd|pwd|pass|p|client-?secret|application-?secret|app-?secret|secret|certificate-?password|cert-?password|pfx-?password|key-?password|account-?key|storage-?key|sas-?token|access-?token|refresh-?token|api-?key|token|connection-?string)(?:\s+|[=:])(?P<v>\([^)\r\n]*\)|{VALUE})"#
            ),
            Named,
            Some(flag_value),
        ),
        // Fields named like a secret: JSON (also escaped inside a string), YAML, INI, XML,
        // `key=value` and connection strings, whatever their case.
        rule(
            &format!(r#"(?i)"(?P<k>{SECRET_NAME})"\s*:\s*"(?P<v>(?:[^"\\]|\\.)+)""#),
            Named,
            None,
        ),
        rule(
            &format!(r#"(?i)\\"(?P<k>{SECRET_NAME})\\"\s*:\s*\\"(?P<v>(?:[^"\\]|\\[^"])+)\\""#),
            Named,
            None,
        ),
        rule(
            &format!(r#"(?i)'(?P<k>{SECRET_NAME})'\s*:\s*'(?P<v>[^'\r\n]+)'"#),
            Named,
            None,
        ),
        rule(
            &format!(r#"(?i)<(?:[A-Za-z0-9_]+:)?(?P<k>{SECRET_NAME})(?:\s[^>]*)?>(?P<v>[^<]+)</"#),
            Named,
            None,
        ),
        rule(
            &format!(
                r#"(?i)(?:^|[\s{{(,;&?$@"'\-])(?P<k>{SECRET_NAME}|user\s?password)\s*[:=]\s*(?P<v>{VALUE})"#
            ),
            Named,
            Some(field_value),
        ),
        rule(
            r"(?i)(?-u:\b)[a-z0-9._%+\-]+@[a-z0-9\-]+(?:\.[a-z0-9\-]+)+(?-u:\b)",
            Personal("[email]"),
            None,
        ),
        rule(
            r"(?i)(?-u:\b)[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(?-u:\b)",
            Personal("[id]"),
            None,
        ),
    ]
}

/// Whether a word after `Basic`/`Bearer` looks like a credential rather than a word
/// ("Basic authentication is disabled").
fn looks_random(v: &str) -> bool {
    let upper = v.chars().skip(1).filter(char::is_ascii_uppercase).count();
    v.chars()
        .any(|c| c.is_ascii_digit() || "=+/_-.~".contains(c))
        || upper >= 2
}

/// Whether the value after a flag is a secret: not a variable's name alone, a path or a port
/// (`mkdir -p /tmp/x`, `docker run -p 8080:80`), nor an msbuild property (`/p:Name=Value`).
fn flag_value(v: &str) -> bool {
    let bare = v.trim_matches(|c| c == '"' || c == '\'');
    !(bare.is_empty()
        || bare.starts_with(['/', '.', '~', '-', '$'])
        || bare.chars().all(|c| c.is_ascii_digit() || c == ':')
        || (bare.contains('=') && !v.starts_with(['"', '\'', '('])))
}

/// Whether the value of a field is a secret rather than code that computes one: a variable
/// (`$pw`) or a cmdlet (`Read-Host`, `ConvertTo-SecureString`) is kept.
fn field_value(v: &str) -> bool {
    let cmdlet = v.split_once('-').is_some_and(|(verb, noun)| {
        verb.len() > 1
            && verb.starts_with(|c: char| c.is_ascii_uppercase())
            && verb[1..].chars().all(|c| c.is_ascii_lowercase())
            && noun.starts_with(|c: char| c.is_ascii_uppercase())
            && noun.chars().all(|c| c.is_ascii_alphanumeric())
    });
    !(v.starts_with('$') || cmdlet)
}

/// Whether a value is already a placeholder (redacting twice changes nothing and warns of
/// nothing).
fn is_placeholder(v: &str) -> bool {
    let bare = v.trim_matches(|c| c == '"' || c == '\'');
    PLACEHOLDERS.contains(&bare)
}

/// Redacts `text`. Error codes (`AADSTS50076`, `ErrorAccessDenied`) are kept.
pub fn redact(text: &str) -> Redacted {
    let mut out = text.to_string();
    let mut secrets = Vec::new();
    let run = candidates(text);
    for (rule, _) in RULES.iter().zip(&run).filter(|(_, run)| **run) {
        if !rule.re.is_match(&out) {
            continue;
        }
        let replaced = rule.re.replace_all(&out, |c: &Captures| {
            let whole = c.get(0).expect("a match");
            let value = c.name("v").unwrap_or(whole);
            let kept = |v: &str| is_placeholder(v) || rule.keep.is_some_and(|keep| !keep(v));
            if kept(value.as_str()) {
                return whole.as_str().to_string();
            }
            let with = match rule.what {
                What::Secret(kind) => {
                    secrets.push(kind);
                    kind.placeholder()
                }
                What::Named => {
                    let kind = SecretKind::of_name(c.name("k").map_or("", |k| k.as_str()));
                    secrets.push(kind);
                    kind.placeholder()
                }
                What::Personal(with) => with,
            };
            let start = value.start() - whole.start();
            let end = value.end() - whole.start();
            format!(
                "{}{with}{}",
                &whole.as_str()[..start],
                &whole.as_str()[end..]
            )
        });
        out = replaced.into_owned();
    }
    secrets.sort();
    secrets.dedup();
    Redacted { text: out, secrets }
}

/// The warning shown to a user whose message holds secrets, or `None`.
pub fn warning(secrets: &[SecretKind]) -> Option<String> {
    if secrets.is_empty() {
        return None;
    }
    let names: Vec<&str> = secrets.iter().map(|s| s.name()).collect();
    Some(format!(
        "⚠️ Your message seems to contain {}. Consider deleting it and rotating the credential; errmedic does not store it.",
        names.join(" and ")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str, gone: &str, kept: &str, kinds: &[SecretKind]) {
        let r = redact(text);
        assert!(!r.text.contains(gone), "{gone:?} still in {:?}", r.text);
        assert!(r.text.contains(kept), "{kept:?} lost from {:?}", r.text);
        assert_eq!(r.secrets, kinds, "{text}");
    }

    #[test]
    fn secrets_go_and_codes_stay() {
        let jwt = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJodHRwczovL2dyYXBoIn0.c2lnbmF0dXJlLXNpZ25hdHVyZQ";
        check(
            &format!("AADSTS50076 with token {jwt}"),
            jwt,
            "AADSTS50076",
            &[SecretKind::AccessToken],
        );
        check(
            "Authorization: Bearer abcdefghijklmnopqrstuvwxyz012345",
            "abcdefghijklmnop",
            "Authorization",
            &[SecretKind::AccessToken],
        );
        check(
            "secret Abc8Q~aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa used",
            "Abc8Q~aaaa",
            "secret",
            &[SecretKind::ClientSecret],
        );
        check(
            r#"{"client_secret": "s3cr3tValue123", "code": "ErrorAccessDenied"}"#,
            "s3cr3tValue123",
            "ErrorAccessDenied",
            &[SecretKind::ClientSecret],
        );
        check(
            "az login -u admin -p hunter2 password=hunter2",
            "hunter2",
            "az login",
            &[SecretKind::Password],
        );
        check(
            "Connect-X -Password 'P@ssw0rd!'",
            "P@ssw0rd!",
            "Connect-X",
            &[SecretKind::Password],
        );
        check(
            "DefaultEndpointsProtocol=https;AccountKey=abcdefghijklmnopqrstuvwxyz0123456789==",
            "abcdefghijklmnopq",
            "AccountKey",
            &[SecretKind::Key],
        );
    }

    #[test]
    fn error_words_that_look_like_fields_are_kept() {
        for t in [
            "Get-MgUser : InvalidAuthenticationToken: Access token has expired or is not yet valid.",
            "Basic authentication is disabled for this tenant.",
            "Code: Authorization_RequestDenied\nMessage: Insufficient privileges to complete the operation.",
            r#"{"error":{"code":"InvalidAuthenticationToken","message":"Access token is empty."}}"#,
            "mkdir -p /tmp/errmedic && docker run -p 8080:80 image",
            "msbuild /p:Configuration=Release",
            "AADSTS50126: Error validating credentials due to invalid username or password.",
            r#""passwordPolicies": "DisablePasswordExpiration", "forceChangePasswordNextSignIn": true"#,
        ] {
            let r = redact(t);
            assert_eq!(r.text, t, "changed");
            assert!(r.secrets.is_empty(), "{t}: {:?}", r.secrets);
        }
    }

    #[test]
    fn a_bracketed_word_does_not_shield_the_rest_of_a_value() {
        for text in [
            "X-Api-Key: [prod]9f8e7d6c5b4a3210fedc",
            "https://acct.blob.core.windows.net/c/f?sv=2022&sig=[ab]XYZ0123456789abcdefXYZ",
            "client_secret=[dev]Qx8Q~abcdefghijklmnopqrstuvwxyz",
        ] {
            let r = redact(text);
            assert!(
                !r.text.contains("0123456789")
                    && !r.text.contains("9f8e7d6c5b4a3210")
                    && !r.text.contains("abcdefghijklmnop"),
                "{text} → {}",
                r.text
            );
        }
        // What redaction wrote stays as it is.
        let once = redact("x-api-key: 9f8e7d6c5b4a3210fedcba and Authorization: Bearer abcdefghijklmnopqrstuvwxyz012345");
        let twice = redact(&once.text);
        assert_eq!(twice.text, once.text);
        assert!(twice.secrets.is_empty(), "{:?}", twice.secrets);
    }

    #[test]
    fn letters_that_fold_to_ascii_do_not_hide_a_field() {
        let r = redact("pa\u{17f}\u{17f}word=hunter22 and \u{212a}ey=c2VjcmV0dmFsdWUxMjM0NTY3ODkw");
        assert!(!r.text.contains("hunter22"), "{}", r.text);
    }

    #[test]
    fn redacting_twice_changes_nothing_more() {
        let once = redact("password=hunter22 and Bearer abcdefghijklmnopqrstuvwxyz012345");
        let twice = redact(&once.text);
        assert_eq!(twice.text, once.text);
        assert!(twice.secrets.is_empty(), "{:?}", twice.secrets);
    }

    #[test]
    fn personal_data_goes_without_a_warning() {
        check(
            "user jdoe@contoso.com in tenant 8fd8421c-4adc-405f-92f9-f2bd61326000",
            "jdoe@contoso.com",
            "[email]",
            &[],
        );
        check(
            "tenant 8fd8421c-4adc-405f-92f9-f2bd61326000",
            "8fd8421c",
            "[id]",
            &[],
        );
        assert_eq!(warning(&[]), None);
        assert!(warning(&[SecretKind::AccessToken, SecretKind::Password])
            .unwrap()
            .contains("an access token and a password"));
    }

    #[test]
    fn ordinary_text_is_untouched() {
        let t = "AADSTS50173: The provided grant has expired. Code: Authorization_RequestDenied";
        assert_eq!(
            redact(t),
            Redacted {
                text: t.to_string(),
                secrets: vec![]
            }
        );
    }

    #[test]
    fn every_rule_has_its_triggers_and_text_without_them_runs_few_rules() {
        assert_eq!(RULES.len(), TRIGGERS.len());
        let plain =
            candidates("AADSTS50076: Due to a configuration change made by your administrator.");
        assert!(plain.iter().filter(|r| **r).count() <= 3, "{plain:?}");
        let all = candidates("password=x token Bearer eyJ -----BEGIN @ :// == q~ akia");
        assert!(all.iter().filter(|r| **r).count() >= 15, "{all:?}");
    }
}

//! Redaction of secrets and personal data in pasted text, before anything is stored or logged.
//! Error codes stay; access tokens, client secrets, passwords, keys, e-mail addresses and ids
//! go. What kinds of secret were found is reported, so the user can be told to rotate them.

use std::sync::LazyLock;

use regex::Regex;

/// A kind of secret found in a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum SecretKind {
    AccessToken,
    ClientSecret,
    Password,
    Key,
}

impl SecretKind {
    /// How the kind is named to the user.
    pub fn name(self) -> &'static str {
        match self {
            SecretKind::AccessToken => "an access token",
            SecretKind::ClientSecret => "a client secret",
            SecretKind::Password => "a password",
            SecretKind::Key => "an access key",
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
pub const PLACEHOLDERS: [&str; 6] = [
    "[access token]",
    "[client secret]",
    "[password]",
    "[key]",
    "[email]",
    "[id]",
];

/// (pattern, replacement, kind of secret or none for personal data), applied in order.
static RULES: LazyLock<Vec<(Regex, &'static str, Option<SecretKind>)>> = LazyLock::new(|| {
    let rule = |re: &str, with: &'static str, kind: Option<SecretKind>| {
        (Regex::new(re).expect("redaction regex"), with, kind)
    };
    vec![
        rule(
            r"\beyJ[A-Za-z0-9_\-]{8,}\.eyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,}",
            "[access token]",
            Some(SecretKind::AccessToken),
        ),
        rule(
            r"(?i)\bbearer\s+[A-Za-z0-9_\-.~+/=]{16,}",
            "Bearer [access token]",
            Some(SecretKind::AccessToken),
        ),
        rule(
            r"\b[A-Za-z0-9_\-.]{3}\dQ~[A-Za-z0-9_\-.~]{31,34}",
            "[client secret]",
            Some(SecretKind::ClientSecret),
        ),
        rule(
            r#"(?i)(client_?secret|secret_?value|app_?secret)(["']?\s*[:=]\s*["']?)[^\s"'&,;]{6,}"#,
            "$1$2[client secret]",
            Some(SecretKind::ClientSecret),
        ),
        rule(
            r#"(?i)(password|passwd|pwd)(["']?\s*[:=]\s*["']?)[^\s"'&,;]{3,}"#,
            "$1$2[password]",
            Some(SecretKind::Password),
        ),
        rule(
            r#"(?i)(-password\s+["']?)[^\s"']{3,}"#,
            "$1[password]",
            Some(SecretKind::Password),
        ),
        rule(
            r"(?i)(accountkey|sharedaccesskey|api_?key|x-api-key)(\s*[:=]\s*)[A-Za-z0-9+/=_\-]{16,}",
            "$1$2[key]",
            Some(SecretKind::Key),
        ),
        rule(
            r"(?i)\b[a-z0-9._%+\-]+@[a-z0-9\-]+(?:\.[a-z0-9\-]+)+\b",
            "[email]",
            None,
        ),
        rule(
            r"(?i)\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b",
            "[id]",
            None,
        ),
    ]
});

/// Redacts `text`. Error codes (`AADSTS50076`, `ErrorAccessDenied`) are kept.
pub fn redact(text: &str) -> Redacted {
    let mut out = text.to_string();
    let mut secrets = Vec::new();
    for (re, with, kind) in RULES.iter() {
        if re.is_match(&out) {
            out = re.replace_all(&out, *with).into_owned();
            if let Some(k) = kind {
                secrets.push(*k);
            }
        }
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
            "password=hunter2",
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
}

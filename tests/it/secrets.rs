//! Credentials in the forms people paste them (`tests/secrets/forms.jsonl`), generated with
//! fresh values inside real-looking pastes: none survives `redact`, and the error words around
//! them do. The end-to-end half (record, report, thread, draft) is in `discord/secrets.rs`.

use std::sync::OnceLock;

use proptest::prelude::*;
use regex::Regex;
use serde::Deserialize;

use errmedic::text::redact::redact;

use crate::test_path;

/// One form of credential: a template whose `{…}` holes are filled with generated values.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Form {
    pub form: String,
    pub template: String,
}

/// Every form in the corpus.
pub fn forms() -> &'static [Form] {
    static FORMS: OnceLock<Vec<Form>> = OnceLock::new();
    FORMS.get_or_init(|| {
        let path = test_path("secrets/forms.jsonl");
        std::fs::read_to_string(&path)
            .unwrap()
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
            .map(|(i, l)| {
                serde_json::from_str(l)
                    .unwrap_or_else(|e| panic!("{}:{}: {e}", path.display(), i + 1))
            })
            .collect()
    })
}

/// A small deterministic generator (SplitMix64), so that a failing seed can be replayed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn pick(&mut self, alphabet: &str, n: usize) -> String {
        let chars: Vec<char> = alphabet.chars().collect();
        (0..n)
            .map(|_| chars[(self.next() % chars.len() as u64) as usize])
            .collect()
    }
}

const LETTERS: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const ALNUM: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/// A value for one hole: `pw` (a password with punctuation), `pwsemi` (one with a `;`),
/// `jwt`, `discord` (a bot token), `csecret` (an Entra client secret), or an alphabet and a
/// length (`alnum:34`, `hex:32`, `b64:40`, `b64url:60`, `upper:16`, `digits:12`).
fn value(rng: &mut Rng, kind: &str, n: usize) -> String {
    let b64 = format!("{ALNUM}+/");
    let b64url = format!("{ALNUM}-_");
    match kind {
        "pw" => {
            let len = 10 + (rng.next() % 9) as usize;
            // A letter first and a digit inside: never a path, a port or a variable.
            format!(
                "{}{}{}",
                rng.pick(LETTERS, 1),
                rng.pick(&format!("{ALNUM}!@#%^*_+"), len - 2),
                rng.pick("0123456789", 1)
            )
        }
        "pwsemi" => format!("{};{}", value(rng, "pw", 0), rng.pick(ALNUM, 6)),
        "jwt" => format!(
            "eyJ{}.eyJ{}.{}",
            rng.pick(&b64url, 30),
            rng.pick(&b64url, 60),
            rng.pick(&b64url, 43)
        ),
        "discord" => format!(
            "M{}.{}.{}",
            rng.pick(&b64url, 25),
            rng.pick(&b64url, 6),
            rng.pick(&b64url, 38)
        ),
        "csecret" => format!(
            "{}{}Q~{}",
            rng.pick(ALNUM, 3),
            rng.pick("0123456789", 1),
            rng.pick(&b64url, 34)
        ),
        "alnum" => rng.pick(ALNUM, n),
        "hex" => rng.pick("0123456789abcdef", n),
        "b64" => rng.pick(&b64, n),
        "b64url" => rng.pick(&b64url, n),
        "upper" => rng.pick("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", n),
        "digits" => rng.pick("0123456789", n),
        other => panic!("forms.jsonl: no generator for `{{{other}}}`"),
    }
}

/// A form filled with values from `seed`: the text, and the values that must not survive.
pub fn render(form: &Form, seed: u64) -> (String, Vec<String>) {
    static HOLE: OnceLock<Regex> = OnceLock::new();
    let hole = HOLE.get_or_init(|| {
        Regex::new(
            r"\{(pw|pwsemi|jwt|discord|csecret|alnum|hex|b64|b64url|upper|digits)(?::(\d+))?\}",
        )
        .unwrap()
    });
    let mut rng = Rng(seed);
    let mut values = Vec::new();
    let text = hole.replace_all(&form.template, |c: &regex::Captures| {
        let n = c.get(2).map_or(0, |n| n.as_str().parse().unwrap());
        let v = value(&mut rng, &c[1], n);
        values.push(v.clone());
        v
    });
    assert!(!values.is_empty(), "form {:?} has no hole", form.form);
    (text.into_owned(), values)
}

/// Pastes as people post them, with the credential in the middle: `{}` is where it goes. Each
/// keeps its words (the second field) through redaction.
pub const FRAMES: &[(&str, &str)] = &[
    ("{}", ""),
    (
        "Tried this:\n```\n{}\n```\nand got\n```\nAADSTS50076: Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication.\nTrace ID: 1b2c3d4e-0000-4000-8000-000000000001\n```",
        "AADSTS50076",
    ),
    (
        "PS C:\\> {}\nConnect-MgGraph : InvalidAuthenticationToken: Access token has expired or is not yet valid.\nAt line:1 char:1",
        "InvalidAuthenticationToken: Access token has expired",
    ),
    (
        "{\"error\":{\"code\":\"Authorization_RequestDenied\",\"message\":\"Insufficient privileges to complete the operation.\"},\"debug\":\"{}\"}",
        "Authorization_RequestDenied",
    ),
    (
        "2026-11-30T10:00:01Z ERROR sync: request failed (401)\n{}\n2026-11-30T10:00:02Z ERROR sync: giving up",
        "request failed (401)",
    ),
    (
        "hey all, our script broke overnight — {} — any idea? Error was Request_BadRequest",
        "Request_BadRequest",
    ),
];

/// Whether any run of 8 characters of `secret` is still in `text`.
pub fn leaks(text: &str, secret: &str) -> bool {
    let chars: Vec<char> = secret.chars().collect();
    let width = chars.len().min(8);
    chars
        .windows(width)
        .any(|w| text.contains(&w.iter().collect::<String>()))
}

fn check(form: &Form, seed: u64, frame: usize) -> Result<(), TestCaseError> {
    let (credential, values) = render(form, seed);
    let (frame_text, kept) = FRAMES[frame % FRAMES.len()];
    let paste = frame_text.replacen("{}", &credential, 1);
    let r = redact(&paste);
    for v in &values {
        prop_assert!(
            !leaks(&r.text, v),
            "form {:?}: {v:?} survives in {:?}",
            form.form,
            r.text
        );
    }
    prop_assert!(
        !r.secrets.is_empty(),
        "form {:?}: no warning for {paste:?}",
        form.form
    );
    // Redacting what was redacted changes nothing and warns of nothing (text is redacted as it
    // is read, and again where it is recorded).
    let again = redact(&r.text);
    prop_assert!(
        again.text == r.text && again.secrets.is_empty(),
        "form {:?}: redacting twice gives {:?} ({:?}) from {:?}",
        form.form,
        again.text,
        again.secrets,
        r.text
    );
    prop_assert!(
        r.text.contains(kept),
        "form {:?}: {kept:?} lost from {:?}",
        form.form,
        r.text
    );
    Ok(())
}

#[test]
fn every_form_in_the_corpus_is_redacted() {
    assert!(forms().len() >= 60, "{} forms", forms().len());
    let mut missed = Vec::new();
    for (i, form) in forms().iter().enumerate() {
        for frame in 0..FRAMES.len() {
            if let Err(e) = check(form, i as u64 * 7919 + frame as u64, frame) {
                missed.push(e.to_string());
            }
        }
    }
    assert!(missed.is_empty(), "{}", missed.join("\n"));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(600), ..ProptestConfig::default() })]

    #[test]
    fn no_generated_credential_survives_redaction(form in 0..1000usize, seed in any::<u64>(), frame in 0..FRAMES.len()) {
        let forms = forms();
        check(&forms[form % forms.len()], seed, frame)?;
    }

    #[test]
    fn several_credentials_in_one_paste_all_go(picks in proptest::collection::vec((0..1000usize, any::<u64>()), 2..6)) {
        let forms = forms();
        let rendered: Vec<(String, Vec<String>)> = picks.iter().map(|(f, s)| render(&forms[f % forms.len()], *s)).collect();
        let paste = rendered.iter().map(|(t, _)| t.as_str()).collect::<Vec<_>>().join("\nthen\n");
        let r = redact(&paste);
        for v in rendered.iter().flat_map(|(_, v)| v) {
            prop_assert!(!leaks(&r.text, v), "{v:?} survives in {:?}", r.text);
        }
    }
}

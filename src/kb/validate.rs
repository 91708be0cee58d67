//! Validation of parsed entries: every problem is collected, none stops the check.

use std::fmt;

use super::entry::{Entry, MatchSpec, Rule, REFUSAL_STATUS};

/// Largest compiled size of one pattern, in bytes; larger patterns are rejected.
pub const PATTERN_SIZE_LIMIT: usize = 256 * 1024;

/// How much text one answer may hold: most characters of a cause, a step, a note and of an
/// entry's text in all, and most steps and links. An entry must fit one answer without being
/// cut; the chat adapter checks that [`Budget::ANSWER`] fits its own limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Budget {
    pub cause: usize,
    pub step: usize,
    pub steps: usize,
    pub note: usize,
    pub links: usize,
    pub total: usize,
}

impl Budget {
    /// The budget of one answer, as every adapter shows it.
    pub const ANSWER: Budget = Budget {
        cause: 1500,
        step: 600,
        steps: 15,
        note: 400,
        links: 10,
        total: 5000,
    };
}

const MAX_CAUSE: usize = Budget::ANSWER.cause;
const MAX_STEP: usize = Budget::ANSWER.step;
const MAX_STEPS: usize = Budget::ANSWER.steps;
const MAX_NOTE: usize = Budget::ANSWER.note;
const MAX_LINKS: usize = Budget::ANSWER.links;
const MAX_ENTRY_TEXT: usize = Budget::ANSWER.total;

/// An example paste's length, in characters.
const MIN_EXAMPLE: usize = 20;
const MAX_EXAMPLE: usize = 4000;

/// One problem in the knowledge base: where it is and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub file: String,
    pub entry: Option<String>,
    pub field: Option<String>,
    /// 1-based; 0 when the problem concerns the whole file.
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl Problem {
    pub(crate) fn file(file: &str, message: String) -> Problem {
        Problem {
            file: file.to_string(),
            entry: None,
            field: None,
            line: 0,
            column: 0,
            message,
        }
    }

    pub(crate) fn entry(file: &str, id: &str, field: &str, message: String) -> Problem {
        Problem {
            file: file.to_string(),
            entry: Some(id.to_string()),
            field: Some(field.to_string()),
            line: 0,
            column: 0,
            message,
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if self.line > 0 {
            write!(f, ":{}:{}", self.line, self.column.max(1))?;
        }
        write!(f, ":")?;
        if let Some(id) = &self.entry {
            write!(f, " entry `{id}`")?;
        }
        if let Some(field) = &self.field {
            write!(f, " field `{field}`")?;
        }
        if self.entry.is_some() || self.field.is_some() {
            write!(f, ":")?;
        }
        write!(f, " {}", self.message)
    }
}

/// Line of the first `"key"` in `text` (1-based), or 0.
pub(crate) fn field_line(text: &str, key: &str) -> usize {
    locate(text, &format!("\"{key}\""), 0).0
}

/// Line and column (1-based) of `needle` at or after byte `from`, or (0, 0).
fn locate(text: &str, needle: &str, from: usize) -> (usize, usize) {
    let Some(at) = text
        .get(from..)
        .and_then(|t| t.find(needle))
        .map(|i| i + from)
    else {
        return (0, 0);
    };
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let column = at - before.rfind('\n').map_or(0, |i| i + 1) + 1;
    (line, column)
}

/// Collects the problems of one entry's fields. `text` is the file's text, used to locate
/// problems by line; `file` names the file in the problems.
pub fn validate_entry(file: &str, text: &str, entry: &Entry) -> Vec<Problem> {
    let mut problems = Vec::new();
    Checker {
        file,
        id: &entry.id,
        text,
        problems: &mut problems,
    }
    .entry(entry);
    problems
}

/// The problem of an id already used by an entry in `first`.
pub(crate) fn duplicate_id(file: &str, text: &str, id: &str, first: &str) -> Problem {
    let mut problems = Vec::new();
    Checker {
        file,
        id,
        text,
        problems: &mut problems,
    }
    .report(
        "id",
        "id",
        id,
        format!("duplicate id: also used in {first}"),
    );
    problems.remove(0)
}

struct Checker<'a> {
    file: &'a str,
    id: &'a str,
    text: &'a str,
    problems: &'a mut Vec<Problem>,
}

impl Checker<'_> {
    /// A `none` (a rule's, or the entry's for all its `rules`): no empty alternative, and no
    /// term that one of the rules requires (such a rule could hold only without it). Reported
    /// once, naming the first such rule when the `none` is the entry's.
    fn none(&mut self, field: &str, none: &str, rules: &[Rule]) {
        if none.is_empty() {
            return;
        }
        if none
            .split('|')
            .any(|alt| !has_word(alt.trim_end_matches('*'), false))
        {
            self.report(
                field,
                "none",
                none,
                format!("`none` (`{none}`) has an empty alternative"),
            );
        }
        let key = |t: &str| crate::text::words::words(t).join(" ");
        for (i, rule) in rules.iter().enumerate() {
            let required: std::collections::HashSet<String> = rule
                .all
                .iter()
                .flat_map(|g| g.split('|'))
                .map(key)
                .collect();
            if let Some(both) = none
                .split('|')
                .map(key)
                .find(|n| !n.is_empty() && required.contains(n))
            {
                let which = if rules.len() == 1 {
                    "`all`".to_string()
                } else {
                    format!("`all` of match.rules[{i}]")
                };
                self.report(
                    field,
                    "none",
                    none,
                    format!("`none` excludes `{both}`, which {which} requires"),
                );
                return;
            }
        }
    }

    /// The entry's `none` may not hold a term found in its own codes or messages: wherever that
    /// code or message is pasted, the entry's wording would be silenced by its own words.
    fn none_in_own_words(&mut self, m: &MatchSpec) {
        let key = |t: &str| format!(" {} ", crate::text::words::words(t).join(" "));
        let own: Vec<String> = m.codes.iter().chain(&m.messages).map(|t| key(t)).collect();
        if let Some(term) = m
            .none
            .split('|')
            .find(|n| !n.trim().is_empty() && own.iter().any(|o| o.contains(&key(n))))
        {
            self.report(
                "match.none",
                "none",
                &m.none,
                format!("`none` excludes `{term}`, which the entry's own codes or messages hold"),
            );
        }
    }

    /// Records a problem at `field`, located at the JSON string `value` after the `key`.
    fn report(&mut self, field: &str, key: &str, value: &str, message: String) {
        let key_at = self.text.find(&format!("\"{key}\"")).unwrap_or(0);
        let quoted = serde_json::to_string(value).unwrap_or_default();
        let (mut line, mut column) = locate(self.text, &quoted, key_at);
        if line == 0 {
            (line, column) = locate(self.text, &format!("\"{key}\""), 0);
        }
        self.problems.push(Problem {
            line,
            column,
            ..Problem::entry(self.file, self.id, field, message)
        });
    }

    fn non_empty(&mut self, field: &str, key: &str, value: &str) {
        if value.trim().is_empty() {
            self.report(field, key, value, "must not be empty".into());
        }
    }

    fn entry(&mut self, e: &Entry) {
        if !is_valid_id(&e.id) {
            self.report(
                "id",
                "id",
                &e.id,
                "must be lowercase letters and digits in words joined by `-`".into(),
            );
        }
        self.non_empty("title", "title", &e.title);
        if e.title.chars().count() > 200 {
            self.report(
                "title",
                "title",
                &e.title,
                "must be at most 200 characters".into(),
            );
        }
        if e.products.is_empty() {
            self.report(
                "products",
                "products",
                "",
                "must name at least one product".into(),
            );
        }
        self.non_empty("cause", "cause", &e.cause);
        if e.steps.is_empty() {
            self.report(
                "steps",
                "steps",
                "",
                "must hold at least one resolution step".into(),
            );
        }
        for (i, step) in e.steps.iter().enumerate() {
            self.non_empty(&format!("steps[{i}]"), "steps", step);
        }
        self.fits_in_an_answer(e);
        for (i, link) in e.links.iter().enumerate() {
            self.non_empty(&format!("links[{i}].title"), "links", &link.title);
            if !is_https_url(&link.url) {
                self.report(
                    &format!("links[{i}].url"),
                    "links",
                    &link.url,
                    format!("`{}` is not an absolute https:// URL", link.url),
                );
            }
        }
        self.matching(e);
    }

    fn matching(&mut self, e: &Entry) {
        let m = &e.matching;
        if m.codes.is_empty()
            && m.messages.is_empty()
            && m.rules.is_empty()
            && m.patterns.is_empty()
        {
            self.report(
                "match",
                "match",
                "",
                "nothing to match on: give at least one of codes, messages, rules or patterns"
                    .into(),
            );
        }
        for (i, code) in m.codes.iter().enumerate() {
            if crate::text::words::code_key(code).len() < 3 {
                self.report(
                    &format!("match.codes[{i}]"),
                    "codes",
                    code,
                    "a code needs at least 3 letters or digits".into(),
                );
            }
        }
        for (i, message) in m.messages.iter().enumerate() {
            if !has_word(message, true) {
                self.report(
                    &format!("match.messages[{i}]"),
                    "messages",
                    message,
                    "a message needs at least one word that is not a stop word".into(),
                );
            }
        }
        for (i, rule) in m.rules.iter().enumerate() {
            let field = format!("match.rules[{i}]");
            let refuses = |alt: &str| {
                REFUSAL_STATUS
                    .iter()
                    .any(|r| alt.trim().eq_ignore_ascii_case(r))
            };
            if rule.refusal && !rule.all.iter().flat_map(|g| g.split('|')).any(refuses) {
                self.report(
                    &field,
                    "refusal",
                    &rule.why,
                    format!(
                        "`refusal` needs a group that holds one of {}",
                        REFUSAL_STATUS
                            .iter()
                            .map(|r| format!("`{r}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                );
            }
            if rule.all.is_empty() {
                self.report(
                    &field,
                    "rules",
                    &rule.why,
                    "`all` must hold at least one group of terms".into(),
                );
            }
            for group in &rule.all {
                if group
                    .split('|')
                    .any(|alt| !has_word(alt.trim_end_matches('*'), false))
                {
                    self.report(
                        &field,
                        "rules",
                        group,
                        format!("the group `{group}` has an empty alternative"),
                    );
                }
            }
            self.none(
                &format!("{field}.none"),
                &rule.none,
                std::slice::from_ref(rule),
            );
            self.weight(&field, &rule.why, rule.weight);
            self.non_empty(&format!("{field}.why"), "rules", &rule.why);
        }
        self.none("match.none", &m.none, &m.rules);
        self.none_in_own_words(m);
        for (i, pattern) in m.patterns.iter().enumerate() {
            let field = format!("match.patterns[{i}]");
            if let Err(e) = check_pattern(&pattern.regex) {
                let first = e.lines().last().unwrap_or("").trim().to_string();
                self.report(
                    &field,
                    "patterns",
                    &pattern.regex,
                    format!("the regex does not compile: {first}"),
                );
            }
            self.weight(&field, &pattern.regex, pattern.weight);
            self.non_empty(&format!("{field}.why"), "patterns", &pattern.why);
        }
        for (i, keyword) in m.keywords.iter().enumerate() {
            self.non_empty(&format!("match.keywords[{i}]"), "keywords", keyword);
        }
        for (i, l) in m.localized.iter().enumerate() {
            let field = format!("match.localized[{i}]");
            if !super::entry::LANGUAGES.contains(&l.lang.as_str()) {
                self.report(
                    &format!("{field}.lang"),
                    "lang",
                    &l.lang,
                    format!("is not one of {}", super::entry::LANGUAGES.join(", ")),
                );
            }
            self.non_empty(&format!("{field}.source"), "source", &l.source);
            if !has_word(&l.message, true) {
                self.report(
                    &format!("{field}.message"),
                    "message",
                    &l.message,
                    "a message needs at least one word that is not a stop word".into(),
                );
            }
            if l.message.contains(['{', '}']) {
                self.report(
                    &format!("{field}.message"),
                    "message",
                    &l.message,
                    "holds a placeholder ({…}): keep the words Microsoft writes around it, as separate messages".into(),
                );
            }
        }
        for (i, example) in m.examples.iter().enumerate() {
            let field = format!("match.examples[{i}]");
            self.non_empty(&format!("{field}.source"), "source", &example.source);
            let n = example.text.chars().count();
            if !(MIN_EXAMPLE..=MAX_EXAMPLE).contains(&n) {
                self.report(
                    &format!("{field}.text"),
                    "text",
                    &example.text,
                    format!("is {n} characters; an example is {MIN_EXAMPLE} to {MAX_EXAMPLE}"),
                );
            }
            if !crate::text::redact::redact(&example.text)
                .secrets
                .is_empty()
            {
                self.report(
                    &format!("{field}.text"),
                    "text",
                    &example.text,
                    "holds a credential: redact it (errmedic kb examples accepts only redacted text)".into(),
                );
            }
        }
    }

    /// An entry must fit one answer whole (`/kb show`): the text of its cause, steps, notes and
    /// links together, and each part, within [`Budget::ANSWER`].
    fn fits_in_an_answer(&mut self, e: &Entry) {
        let n = |s: &str| s.chars().count();
        if n(&e.cause) > MAX_CAUSE {
            self.report(
                "cause",
                "cause",
                &e.cause,
                format!(
                    "is {} characters; at most {MAX_CAUSE} fit an answer",
                    n(&e.cause)
                ),
            );
        }
        for (i, step) in e.steps.iter().enumerate() {
            if n(step) > MAX_STEP {
                self.report(
                    &format!("steps[{i}]"),
                    "steps",
                    step,
                    format!(
                        "is {} characters; a step may be at most {MAX_STEP}",
                        n(step)
                    ),
                );
            }
        }
        if e.steps.len() > MAX_STEPS {
            self.report(
                "steps",
                "steps",
                "",
                format!("has {} steps; at most {MAX_STEPS}", e.steps.len()),
            );
        }
        for (i, note) in e.notes.iter().enumerate() {
            if n(note) > MAX_NOTE {
                self.report(
                    &format!("notes[{i}]"),
                    "notes",
                    note,
                    format!(
                        "is {} characters; a note may be at most {MAX_NOTE}",
                        n(note)
                    ),
                );
            }
        }
        if e.links.len() > MAX_LINKS {
            self.report(
                "links",
                "links",
                "",
                format!("has {} links; at most {MAX_LINKS}", e.links.len()),
            );
        }
        let total = n(&e.title)
            + n(&e.cause)
            + e.steps.iter().map(|s| n(s) + 5).sum::<usize>()
            + e.notes.iter().map(|s| n(s)).sum::<usize>()
            + e.links
                .iter()
                .map(|l| n(&l.title) + n(&l.url) + 4)
                .sum::<usize>();
        if total > MAX_ENTRY_TEXT {
            self.report("id", "id", &e.id, format!("the entry's text is {total} characters; at most {MAX_ENTRY_TEXT} fit one answer"));
        }
    }

    fn weight(&mut self, field: &str, near: &str, weight: f32) {
        if !(weight > 0.0 && weight <= 10.0) {
            self.report(
                &format!("{field}.weight"),
                "weight",
                near,
                format!("weight {weight} is outside (0, 10]"),
            );
        }
    }
}

/// The syntax of knowledge-base patterns: over bytes, with ASCII classes and word boundaries,
/// so that all patterns run as one fast automaton.
pub fn pattern_syntax() -> regex_automata::util::syntax::Config {
    regex_automata::util::syntax::Config::new()
        .unicode(false)
        .utf8(false)
}

/// Checks a pattern as the engine will build it: its syntax, and the size of its automaton.
pub(crate) fn check_pattern(regex: &str) -> Result<(), String> {
    let hir = regex_syntax::ParserBuilder::new()
        .unicode(false)
        .utf8(false)
        .build()
        .parse(regex)
        .map_err(|e| e.to_string())?;
    regex_automata::nfa::thompson::Compiler::new()
        .configure(
            regex_automata::nfa::thompson::Config::new()
                .nfa_size_limit(Some(PATTERN_SIZE_LIMIT))
                .shrink(false)
                .which_captures(regex_automata::nfa::thompson::WhichCaptures::None),
        )
        .build_from_hir(&hir)
        .map(drop)
        .map_err(|e| {
            format!(
                "the pattern is too large (its automaton exceeds {} KB): {e}",
                PATTERN_SIZE_LIMIT / 1024
            )
        })
}

/// True when `text` has a word (a content word, when `content`) as the engine reads words.
fn has_word(text: &str, content: bool) -> bool {
    let mut found = false;
    crate::text::words::for_each_word(text, |w| {
        found |= !(content && crate::text::words::is_stop_word(w))
    });
    found
}

pub(crate) fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.split('-').all(|w| {
            !w.is_empty()
                && w.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

pub(super) fn is_https_url(url: &str) -> bool {
    url.strip_prefix("https://")
        .map(|rest| rest.split(['/', '?', '#']).next().unwrap_or(""))
        .is_some_and(|host| host.contains('.') && !host.contains(char::is_whitespace))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_kebab_case() {
        assert!(is_valid_id("token-expired"));
        assert!(is_valid_id("bad-request-400"));
        assert!(!is_valid_id("Token-expired"));
        assert!(!is_valid_id("token--expired"));
        assert!(!is_valid_id(""));
        assert!(!is_valid_id("token expired"));
    }

    #[test]
    fn links_must_be_absolute_https() {
        assert!(is_https_url(
            "https://learn.microsoft.com/en-us/graph/errors"
        ));
        assert!(!is_https_url("http://learn.microsoft.com/"));
        assert!(!is_https_url(
            "../authorization-best-practices.md#conditional-access"
        ));
        assert!(!is_https_url("https://"));
    }

    #[test]
    fn pattern_checks() {
        assert!(check_pattern(r"(?i)\(?\b400\b\)?\s*bad\s*request").is_ok());
        assert!(check_pattern(r"(unclosed")
            .unwrap_err()
            .contains("unclosed group"));
        let huge = check_pattern(r"a{1000}{1000}").unwrap_err();
        assert!(huge.contains("too large"), "{huge}");
        // ASCII only: Unicode classes are not available.
        assert!(check_pattern(r"\p{Greek}").is_err());
    }

    #[test]
    fn locate_reports_one_based_line_and_column() {
        let text = "{\n  \"id\": \"x\",\n  \"title\": \"\"\n}";
        assert_eq!(locate(text, "\"title\"", 0), (3, 3));
        assert_eq!(field_line(text, "id"), 2);
        assert_eq!(locate(text, "missing", 0), (0, 0));
    }
}

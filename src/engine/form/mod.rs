//! What kind of message a text is: one that *carries* an error (a log line, an exception, a JSON
//! error body, a status line, a code with its message, "I get this error: …"), one that asks about
//! an error (a question), or one that only *mentions* an error (a changelog line or commit title,
//! source code that tests for an error's text, a reminder, documentation quoted to make a point).
//! Only the last kind keeps the bot silent on its own: a mention is not a pasted error.
//!
//! Read line by line: an error's code or text inside a line of source code or a changelog entry
//! does not count as carried.

use std::sync::LazyLock;

use regex::bytes::{RegexSet, RegexSetBuilder};

/// How a text relates to the errors in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Form {
    /// Some line carries an error (and is not source code or a changelog entry).
    pub carries: bool,
    /// The text asks a question.
    pub asks: bool,
    /// Some line is source code, a changelog entry, a reminder or a quote from documentation.
    pub mentions: bool,
    /// Some line describes something not working (`doesn't show`, `only lists`, `missing`).
    pub symptom: bool,
    /// The writer says they hit the error themself ("I get", "I can no longer sign in", "we
    /// run into the … error"), outside source code and changelogs.
    pub reports: bool,
    /// The message as a whole is about errors rather than one that happened: its title is a
    /// change or a report on documentation, it is a write-up that already gives cause and fix,
    /// a table of codes, or a list of several codes each explained. Whatever lines it quotes,
    /// it is a mention.
    pub genre: Option<Genre>,
}

/// What kind of writing about errors a message is (see [`Form::genre`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Genre {
    /// A commit, pull-request or changelog title ("Add the missing error code", "Made a change
    /// to the X message").
    Change,
    /// A report on documentation ("AADSTS900382 is missing", "not documented", "Clarify …").
    DocsReport,
    /// A write-up or article that already gives the cause and the fix.
    WriteUp,
    /// A Markdown table whose rows hold error codes.
    Table,
    /// Several distinct codes, each with its explanation.
    ListOfErrors,
    /// Source code holding error strings (constants, comments, `case` labels, `-match` tests).
    SourceCode,
}

impl Genre {
    pub fn describe(self) -> &'static str {
        match self {
            Genre::Change => "a change's title",
            Genre::DocsReport => "a report on documentation",
            Genre::WriteUp => "a write-up that already gives the fix",
            Genre::Table => "a table of codes",
            Genre::ListOfErrors => "a list of several errors",
            Genre::SourceCode => "source code holding error strings",
        }
    }
}

impl Form {
    /// The text only talks about an error: it mentions one, carries none, and asks nothing; or
    /// the message as a whole is writing about errors (its genre).
    pub fn only_mentions(self) -> bool {
        (self.mentions && !self.carries && !self.asks) || self.genre.is_some()
    }

    /// A short description, for explanations.
    pub fn describe(self) -> &'static str {
        match (self.carries, self.asks, self.mentions) {
            (true, _, _) => "carries an error",
            (false, true, _) => "asks about an error",
            (false, false, true) => "only mentions an error",
            (false, false, false) => "plain text",
        }
    }
}

/// Every line pattern below and [`genre`]'s, in one automaton: a line is read once. The genre
/// patterns read Unicode (with ASCII word boundaries); the others read bytes.
static LINE: LazyLock<RegexSet> = LazyLock::new(|| {
    let genre = [
        WRITE_UP,
        FOR_OTHERS,
        SHARED_FIX,
        PROPOSAL,
        TEMPLATE,
        TABLE_ROW,
        EXPLAINED_CODE,
        SOURCE_LINE,
        QUOTED_CODE,
        TIP,
        REPORT,
    ]
    .map(|p| format!("(?u:{})", ascii_boundaries(p)));
    RegexSetBuilder::new(
        [
            CODE_LINE,
            CHANGELOG_LINE,
            TALK,
            CARRIES,
            ASKS,
            SYMPTOM,
            VERSION_LINE,
            BRINGS,
        ]
        .into_iter()
        .map(str::to_string)
        .chain(genre),
    )
    .case_insensitive(true)
    .unicode(false)
    .dfa_size_limit(PATTERN_SET_CACHE)
    .build()
    .expect("form patterns")
});

/// Room for the lazy automata of the pattern sets: at the default size their caches fill on
/// ordinary traffic (many different lines) and the search falls back to simulating the
/// patterns, several times slower. `paste_varied_us` in the bench times such traffic.
const PATTERN_SET_CACHE: usize = 16 << 20;

/// The reason phrases of the HTTP statuses a service answers with, as one group: where a
/// status is named in words (a line that carries it, a message that is only a status). A
/// macro, so that the patterns can hold it.
macro_rules! http_reason {
    () => {
        "(bad request|unauthorized|forbidden|not found|method not allowed|request timeout|conflict|precondition failed|unprocessable entity|too many requests|internal server error|bad gateway|service unavailable|gateway timeout)"
    };
}
/// A line that carries an error: structure an error has when it is pasted.
const CARRIES: &str = concat!(
    // JSON and OAuth error bodies.
    r#""(error|error_description|error_codes|odata\.error)"\s*:"#,
    r#"|"code"\s*:\s*"[^"]+"\s*,?\s*"message""#,
    // The same bodies as Python prints them (a dict's repr, in single quotes).
    r"|'(error|error_description|error_codes)'\s*:\s*[{'\[]|'code'\s*:\s*'[^']+'\s*,\s*'message'",
    r"|\bodata\.?error\b",
    // Exceptions, stack traces, PowerShell error records, log levels.
    r"|\b[a-z]*exception\b\s*[:(]|\bexception\s*(message|type|:)",
    r"|^\s+at\s+[\w.<>`$]+[.(]|\bcategoryinfo\s*:|\bfullyqualifiederrorid\b",
    r"|\btraceback \(most recent call last\)|\bstacktrace\s*:|\bhresult\s*=",
    r"|^\s*(error|fatal|exception)\s*[:!\]]|\[(error|err|fatal)\]|(?-i:\b(ERROR|FATAL)\b)\s*[:\]-]?",
    // Status lines.
    r"|status code does not indicate success|\bhttp/\d(\.\d)?\s+[45]\d\d\b",
    r"|\bhttp\s*status\s*:?\s*(badrequest|notfound|conflict|toomanyrequests|internalservererror)\b",
    r"|\bstatus(\s*code)?\s*[:=]\s*[45]\d\d\b|\([45]\d\d\)\s*[a-z]|returned an error",
    r"|\b[45]\d\d\s+",
    http_reason!(),
    r"\b",
    // A code with its message, or a message field.
    r"|\baadsts\d{4,8}\s*[:\-]\s*([a-z'\x22]|‘|“)|\b(code|error ?code|errorcode)\s*[:=]\s*\S+",
    r"|\b(message|error_description|errordetails?|details)\s*[:=]\s*\S",
    // Someone reporting an error they get.
    r"|\b(get|gets|getting|got|receive|received|receiving|see|seeing|saw|throws?|threw|thrown|returns|returned|hit|hitting|encounter(ed|ing)?)\b[^.\n]{0,40}(\b[a-z]*(error|exception)|\b(message|response|following))\b",
    // An error a page or tool still shows ("the login page still shows Error …"), not what a
    // table or dialog shows in general.
    r"|\b(still|now|it|keeps?|just) (shows?|showing|showed|displays?|displaying|displayed)( me)?\b[^.\n]{0,40}\b(error|exception|message)\b",
    r"|\bthe following (error|message|exception)\b|\berror message\b|\berror\s*:",
    // … or a code they hit, named without its message ("stuck on AADSTS50011", "same here,
    // AADSTS50011", "AADSTS50011 for everyone").
    r"|\b(getting|got|receiving|received|seeing|hitting|encountered|ends with|ended with|stuck (on|at|with)|same here|same for me|still)\b[^.\n]{0,30}\baadsts\d{4,8}\b",
    r"|\b(i|we)\s+((have|keep|always|now|also|then|still)\s+)?(get|receive|hit|encounter)\b[^.\n]{0,30}\baadsts\d{4,8}\b",
    r"|(依旧|依然|仍然|仍是|一直)[^\n]{0,30}aadsts\d{4,8}",
    r"|\baadsts\d{4,8}\b[^.\n]{0,30}\b(for me|for us|for everyone)\b",
    r"|\b(failed|fails|failing) with\b|:\s*(failed|failure)\b|\bfailed\s*:",
    // A PowerShell cmdlet's error (`Set-Mailbox : …`), and a line saying what failed.
    r"|^\s*[a-z]+-[a-z0-9]+\s*:\s+\S",
    r"|\b(couldn't|could not|cannot|can't|unable to|not allowed|access denied|insufficient|invalid|not found|wasn't found|has expired|is expired|failed|denied|forbidden|unauthorized)\b",
);

/// A line of source code: a statement keyword at its start, or an operator that tests a value.
const CODE_LINE: &str = concat!(
    // Statements: a keyword with the syntax that makes it code, not an English word.
    r"^\s*(if|elif|else\s+if|elseif|while|for|foreach|switch|catch|when|unless)\s*\(",
    r"|^\s*(if|elif|while)\s.*:\s*$|^\s*except(\s+[\w.]+(\s+as\s+\w+)?)?\s*:|^\s*catch\s*\{",
    r"|^\s*case\s+[\x22'\w.]+\s*:|^\s*(throw\s+new|raise)\s+\w+(error|exception)?\s*\(",
    r"|^\s*(const|let|var)\s+\w+\s*=|^\s*(def|function|fn|func)\s+\w+\s*\(",
    r"|^\s*(public|private|protected|internal|static)\s+.*[({;]\s*$",
    r"|^\s*import\s+[\w.{*]|^\s*from\s+[\w.]+\s+import\s|^\s*using\s+[\w.]+;|^\s*#include\s*[<\x22]",
    // Operators that test a value.
    r"|\s(==|!=|===|!==|&&|\|\|)\s|\s-(match|notmatch|like|notlike|eq|ne|contains|in)\s",
    r"|\.(contains|includes|startswith|endswith|indexof|match|test)\(|\bre\.(search|match|compile)\(|\bregex\(",
    r"|^\s*(//|#|/\*|\*)\s*(todo|fixme|note|hack)\b",
);

/// A changelog entry or commit title: a verb of change at its start, or a release/PR marker.
const CHANGELOG_LINE: &str = concat!(
    r"^\s*([-*+]\s+|\d+\.\s+)?(\[[^\]]{1,30}\]\s*|\w+(\([\w-]+\))?!?:\s*)?(fix|fixed|fixes|add|added|adds|handle|handled|handles|improve|improved|improves|update|updated|updates|bump|bumped|remove|removed|removes|refactor|refactored|support|supports|supported|detect|detects|detected|catch|catches|retry|retries|ignore|ignores|surface|surfaces|map|maps|translate|translates)\s",
    // A list item labelled as a changelog labels it ("- Fixed: …", "* Added: …").
    r"|^\s*[-*+]\s+(added|changed|fixed|removed|deprecated|security)\s*:\s",
    r"|^\s*(feat|fix|chore|docs|refactor|perf|test|build|ci)(\([\w-]+\))?!?:\s",
    r"|\bchangelog\b|\brelease notes\b|\bwhat's new\b|\(#\d+\)|\bmerge pull request\b",
    // A pull request or issue linked under its number (`- [[#7078]](https://…/pull/7078) Fix …`).
    r"|\[\[?#\d+\]?\]\(https?://[^)\s]*/(pull|issues)/\d+\)",
);

/// An issue title naming an action in the present (`Update user password …`, `Add-… …`): no
/// list mark, no past tense, no pull-request number — a changelog entry has those.
static ACTION_TITLE: LazyLock<regex::Regex> = LazyLock::new(|| {
    regex::RegexBuilder::new(r"^\s*(#+\s*)?(update|add|create|remove|delete|set|get|assign|grant|enable|disable|connect|sync|install|run|call|change|reset|send|upload|deploy|register)\b[^#\n]*$")
        .case_insensitive(true)
        .build()
        .expect("action title pattern")
});

/// What an action brings, in an issue's title ("Update user … results in …", "Add-… fails
/// with …"): a changelog says what was changed, not what an action results in.
const BRINGS: &str = r"\b(results? in|resulting in|throws?|returns? (an? )?(error|exception|[45]\d\d)|fails? with|is denied|was denied|not working)\b";

/// A version named (`release 2.3`, `bumped to v1.4`): a changelog's mark, unless the line also
/// carries an error ("stopped working with version 2.2.3 with the following message: …").
const VERSION_LINE: &str = r"\b(release|released|version|bump|bumped|upgraded? to)\s+v?\d+\.\d+";

/// Talk about an error: a reminder, a joke, documentation quoted to make a point.
const TALK: &str = concat!(
    r"\b(reminder|remember to|remember that|don't forget|do not forget|note to self|heads[- ]up|pro tip|fyi|til|psa)\b",
    r"|\b(lol|lmao|rofl|haha|meme|joke)\b",
    r"|\baccording to (the )?(docs|documentation|microsoft)\b|\bthe (docs|documentation) (say|says|state|states)\b",
    r"|\bas documented\b|\bper the docs\b|\bdocumentation (says|states)\b",
    // An error in quotes explained ("'Application is not authorized …' means the app lacks …").
    r#"|(["'`]|”|’)\s*(means|indicates|is caused by)\s+(that\s+)?(the|an?|your|you|this|it)\b"#,
    r"|\bthe (docs|documentation|article) should (explicitly |clearly )?(call (this|it) out|mention|say|state|explain|note|include)\b[^:\n]*$",
    // An error that is gone: the writer's problem is over ("the AADSTS50076 went away after …").
    r"|\b(error|message|warning|it|aadsts\d{4,8})\s+(went away|is gone|has gone away|disappeared|no longer (appears|shows( up)?|comes up|occurs|happens))\b|^\s*(thanks?( you)?[,!.]?\s*)?(that|this) (worked|did the trick|fixed it)( for me)?\s*([!.]|$)",
);

/// Something not working, in a person's words.
const SYMPTOM: &str = r"\b(doesn't|does not|don't|do not|didn't|did not|isn't|is not|aren't|are not|won't|will not|can't|cannot|couldn't|could not|unable|fails?|failing|failed|broken|missing|only (shows?|lists?|some|part)|fewer|not all|incomplete|partially|no longer|stopped|error)\b";

/// A question.
const ASKS: &str = concat!(
    r"\?\s*$|\?\s+\S",
    r"|^\s*(what|why|how|does|do|is|are|can|could|should|anyone|any idea|has anyone)\b[^.\n]*\?",
    // In scripts written without spaces: the full-width question mark, and the words of a
    // request for help (Japanese, Chinese, Korean).
    r"|？|でしょうか|教えて(ください|下さい|いただけ|頂け)|困っています|先に進めません|どう(すれば|したら)(いい|よい|良い)(ですか|のか|か)",
    r"|怎么办|(怎么|如何)解决(？|\?|吗|呢)|求助|请问|請問|어떻게 해야 (하나요|할까요)|도와주세요",
);

/// The first line of a change: a commit or pull-request title, a changelog entry.
const CHANGE_TITLE: &str = concat!(
    // (After an area's tag in brackets: `[Core] Support …`, `[Identity] Handle …`.)
    r"^\s*(#+\s*)?(\[[A-Za-z0-9 ._-]{1,30}\]\s*)?(add|added|adds|adding|fix|fixed|fixes|handle|handles|handled|update|updated|updates|changed|made a change|improve|improved|improves|support|supports|prompt (the )?user|maps|surface|surfaces|bump|refactor|removed|rename|renamed|merge|merged)\s",
    r"|^\s*(#+\s*)?(feat|fix|chore|docs)(\([\w-]+\))?!?:|^\s*(addresses|closes|resolves|fixes)\s+#\d+",
    r"|\bthis (pull request|pr|commit|change|code|patch) (adds|updates|fixes|changes|handles|removes)\b",
    // A changelog's section or release heading, alone on its line (`### Fixed`, `## [2.4.1] -
    // 2024-05-01`): what follows says what changed.
    r"|^\s*#+\s*\[?(added|changed|fixed|removed|deprecated|security|fixes|bug ?fixes)\]?\s*:?\s*$",
    r"|^\s*#+\s*\[?v?\d+\.\d+(\.\d+)*\]?(\s*[-–]\s*\d{4}-\d{2}-\d{2})?\s*$",
);

/// What makes a title starting with a verb an issue's rather than a change's: it says
/// something fails ("Update user password results in …", "Add-MailboxPermission : …").
const FAILURE_TITLE: &str = concat!(
    r"\band now\b|\b(fails?|failing|failed|results? in|returns?|returning|throws?|cannot|can't|unable|not working|doesn't|does not|didn't|did not|won't|isn't|broken|still|get|gets|getting|got|receiv\w*|seeing|denied|forbidden|errors? (when|while)|here is the error|issue|problem|help)\b|\berror\s*:",
    // An error's status named with its reason (`… - Error 400 Bad Request`), not a status a
    // change handles (`Add retry on 429 Too Many Requests`).
    r"|\berror:?\s+[45]\d\d\s+",
    http_reason!(),
    r"\b",
);

/// The first line of a report on documentation: a code (or error message) missing from it,
/// undocumented or unclear, or a request or suggestion to its writers.
const DOCS_TITLE: &str = concat!(
    // (Not a code followed by its own message: `Error AADSTS90014: The required field … is
    // missing`, `AADSTS90122 User identifier is not present`.)
    r"(aadsts\d{4,8}|error ?codes?|error messages?)\b\s*([^:\s][^\n]{0,58}\s)?(is |are )?(missing|not (documented|listed|present (in|on) (the )?(list|docs|documentation|table|page)|in the (list|docs|documentation)))\b",
    r"|^\s*(missing|undocumented|new)\s+((sign[- ]?in|error)\s+)*codes?\b|^\s*(missing|clarify|document)\b.{0,40}\b(aadsts\d{4,8}|error ?codes?)",
    r"|\bplease (update|fix|correct) (the|this) (doc|document|documentation|docs|page|article)\b",
    r"|^\s*(please\s+)?(include|add)\s+(the\s+)?(details|information|info|an? (description|explanation)|documentation)\s+(for|on|about|of)\s+(the\s+)?(error\s+)?(aadsts\d{4,8}|error ?codes?|\d{5,8})\b",
    r"|\b(docs|documentation|doc page|this page)\b.{0,40}\b(is |are )?(missing|outdated|wrong|incorrect|unclear)\b",
    r"|\b(the|this) (doc|docs|document|documentation|doc page|docs page|article)\b.{0,20}\b(does not|doesn't|do not|don't)\s+(describe|mention|list|cover|include|explain|document)\b",
    r"|\bcan (this|it|these|they) be added to the (doc|docs|document|documentation|article|table)\b",
    r"|^\s*#*\s*(documentation|docs|doc) (request|issue|feedback|update|improvement)\s*$",
    r"|^\s*(not seeing|there is no|there's no|can'?t find|cannot find|could ?n[o']t find) (any )?(info|information|documentation|details|description)\b.{0,40}\b(error|aadsts\d{4,8}|codes?)\b",
    // A code asked for by its number: "Please add sign-in code 70044".
    r"|^\s*(please\s+)?(add|include|document)\s+(the\s+)?(missing\s+)?((sign[- ]?in|error)\s+)+codes?\s+(aadsts)?\d{4,8}\b",
    // A note suggested for the page: "I would like to suggest a note for this page."
    r"|\b(suggest|propose|request)\s+(a|an)\s+(note|addition|change|update|correction|clarification)\s+(for|to|on|in)\s+((this|the)\s+(doc|docs|document|documentation|article)|this page)\b",
    // A request to the docs' writers: "Please add to the documentation the error responses …".
    r"|^\s*(please\s+)?(add|include|list)\s+(to|in)\s+((the|this)\s+(doc|docs|document|documentation|article)|this page)\b",
    r"|^\s*(please\s+)?document\s+(the|which|what)\s+(errors?|error (codes|responses|messages)|responses?)\b",
);

/// Headings and labels of a write-up that gives the cause and the fix, in the languages
/// Microsoft's articles are read in.
const WRITE_UP: &str = concat!(
    r"^\s*#+\s*(([^\w\s]|\x{FE0F}|\x{200D}){1,8}\s*)?(symptoms?|cause|causes|resolution|solution|workaround|fix|how to fix|more information|ursache|lösung|cause du problème|résolution|causa|solución|resolución|solução|oorzaak|oplossing|orsak|lösning)\b|^\s*([-*•]\s*)?(\*\*)?(symptoms?|root cause|cause|causes|resolution|solution|workaround|fix|how to fix|more information|ursache|lösung|cause du problème|résolution|causa|solución|resolución|solução|oorzaak|oplossing|orsak|lösning)(\*\*)?\s*[:：]",
    r"|^\s*[#\-*•・]*\s*(原因|解決策|解決方法|対処法|対処方法|回避策|回答|事象|現象|お問い合わせ内容|解决方案|解决方法|解決方案|处理方法|修复方法|问题原因|問題原因|问题根因|問題根因|根因|根本原因|根因分析|原因分析|可能原因|可能的原因|解决步骤|解決步驟|解决办法|解決辦法)\s*[:：]?\s*$",
    r"|^\s*[【\[]\s*(原因|解決策|解決方法|対処法|対処方法|回避策|解决方案|解决方法|处理方法|修复方法)\s*([:：][^\n]{0,40})?[】\]]",
    r"|^\s*(symptoms?|root cause|cause|causes|resolution|solution|workaround|why does this happen|ursache|lösung|résolution|orsak|lösning|oorzaak|oplossing|solución|solução|symptom|symptôme|síntoma)\s*$",
    r"|^\s*(what (this|the) error means|what does (this|the) error mean\??|why (it|this) happen(s|ed)|step-by-step (fix|resolution|solution)|steps to (fix|resolve)( it)?|how to (fix|resolve) it|the fix|the error|table of contents|toc|introduction|prevention|conclusion)\s*:?\s*$",
    r"|^\s*#*\s*((possible|likely|common|probable) causes?|diagnosis( steps)?|diagnostic steps|resolution steps|how to verify|verification steps)\s*:?\s*$",
);

/// Phrases of an article about an error (its first line, in the languages Microsoft's articles
/// are read in).
const ARTICLE: &str = concat!(
    r"\b(this article|in this article|este artigo|este artículo|cet article|dieser artikel|diesem artikel|questo articolo|den här artikeln|dit artikel|if you arrived here|so lösen sie|so beheben sie|comment résoudre|cómo solucionar|como resolver)\b",
    r"|^\s*#*\s*[^\n]{0,60}\berror codes?\b[^\n]{0,30}\b(and|&) (fixes|solutions|resolutions)\b",
    r"|^\s*understanding\s|\bcommon errors\b|よく(ある|起こる|発生する)エラー|この記事|本記事|徹底解説|の原因と|原因と(解決|対処)|原因(及|和|与|與|以及)(解决|解決|处理|處理|修复|修復)|解説します|ご紹介します|(解決|対処|トラブルシューティング)ガイド|(解决|排查|故障排除)指南",
    r"|^\s*#*\s*how to (fix|resolve|solve|troubleshoot)\b|^\s*applies to\b|\bhere'?s what (it|this error) means\b",
    r"|\b(this guide|in this guide|questa guida|diese anleitung|dieser leitfaden|ce guide|esta guía|este guia|deze handleiding|den här guiden)\b|\berror guide\b|\b(meaning|causes)\s*(&|and)\s*(solutions|fixes)\s*$",
    r"|が原因です。",
    // "This article …" as Microsoft Learn opens a page in other languages (no `\b` before a
    // letter outside ASCII: the boundary is read on ASCII).
    r"|本文(介绍|介紹|说明|說明|讨论|討論|提供|列出|描述|将|將)|(这|這)篇文章|이 문서(에서는|는)",
    r"|(^|\s)(в этой статье|эта статья|w tym artykule|ten artykuł|bu makalede|bu makale|v tomto článku|tento článek|ebben a cikkben|ez a cikk|artikel ini|neste artigo)",
    // A solved problem's report, tagged as such in its title.
    r"|^\s*\[(bug_?fix|solved|resolved|solution)\]",
);

/// An article someone followed or read ("I'm following this article …"): the text cites it, it
/// is not the article.
static CITED_ARTICLE: LazyLock<regex::Regex> = LazyLock::new(|| {
    regex::RegexBuilder::new(
        r"\b(following|followed|follow|per|read|reading|using|from|according to|based on|tried|did|steps (in|of)) this (article|guide)\b|\b(followed|following|tried|did)\b[^.\n]{0,40}\b(in|of|from) this (article|guide)\b|\b(seguito|seguendo) questa guida\b|\b(suivi|suivant) ce guide\b|\b(seguí|siguiendo) esta guía\b|\b(segui|seguindo) este guia\b|\bdieser anleitung gefolgt\b|\bdeze handleiding gevolgd\b|\bföljt den här guiden\b",
    )
    .case_insensitive(true)
    .build()
    .expect("cited article pattern")
});

/// A change proposed in the text itself (a pull request's or feature request's body): the
/// error is what the change is about, not what the writer hit.
const PROPOSAL: &str = r"^\s*#+\s*(why this change is needed|motivation|(expected )?benefits?( for [\w ]{1,30})?|修复方向|修复方案|修改方案|解决思路)\s*$|^\s*#*\s*\**(idea|ideas|proposal|suggestion|feature request)\**\s*:?\s*$|\b(could|should) use a (catch|check|handler) for\b|\bplease add (support|handling) for\b|\bthis (pr|pull request|patch)\b|\bthis commit (adds|fixes|updates|changes|handles|removes|makes|introduces)\b|\bwould be (nice|good|great|helpful|useful) to (print|show|handle|add|support|map|display|catch|document)\b|\b(does not|doesn't|do not|don't|did not|didn't) (cover|handle|recogni[sz]e) (the |this |an? )?((undocumented|unknown|new|unexpected) )?(response |error )?codes?\b|\bproposed (solution|fix|change)\b|\bsuggest (detecting|handling|catching|adding|mapping|showing|checking|surfacing|retrying|clearing)\b|\bwe (currently )?(output|print|show|display|log|emit|surface) (something like|a message like)\b|\bwe should (detect|handle|catch|show|return|surface|map|display)\b|\bupdating the (repo|repository|code)\b|^\s*([-*•+]\s*)?fixed an? (issue|bug|problem) (where|in which|that caused|causing)\b";

/// Prose written for others who will meet the error, or that already says how to fix it.
const FOR_OTHERS: &str = r#"\b(you|users|one|customers|admins|administrators|developers) (will|may|might|would) (see|get|receive)\b[^.\n]{0,30}\berror\b|\b(will|would|may|might) (get|give) you (this|that|the following|an?) (error|message)\b|\b(will|would) (result in|produce|return|throw|give|raise) (an? |the |this )?(error|exception)s? (like|such as|similar to)\b|\b(below are|here are|follow these) (some )?(guidelines|steps|tips) (for|to) (resolving|resolve|fixing|fix) (the|this) (error|issue)\b|\b(another|a similar|a second) (situation|scenario) (could|may|might) (occur|happen|arise)\b|\bthis (error|message|issue|problem) ([a-z]+ly )?(occurs|happens|appears|fires|is (returned|thrown|raised|shown|displayed)) (when|if|because|after)\s+(the|an?|your|you|users?|it|this|that|there|someone|some|one)\b|\b(a|one|the most) common (errors?|issues?|problems?) (encountered|you|when|is|that)\b|\bthe following (error|message) is observed\b|\bin order to (prevent|avoid) the following (error|message)\b|\bwhy (are you|you are|you're) (getting|seeing)\b|\bhere'?s (a|an) (sample|example) (error )?response\b|\b(an?|the) (application|app|client|user) (receives|gets|may receive|sees|might see) the following error\b|\bto (resolve|fix) this( issue| error)?,? (you|we) (must|need to|should|can)\b|\botherwise,? it( will|'ll) (error|throw) with\b|\broot cause (is|was|turned out to be) (the|an?|that|our|its)\b[^?\n]*$|^\s*@\S+[ ,:]+(according to|based on|looking at|judging by) (the|your) (error|errors|log|logs|error log|output|trace|stack trace)\b[^\n]*\byour\b|(^\s*|[.!:`"]\s+)(this|it|the error|that) (means|indicates) (that )?your\b|\bas you can see (in )?(the )?(below|following|above) (example|output|screenshot)\b"#;

/// A heading of a pull request's template: what was tested, what changed.
/// Also a line of its closing keyword alone (`Closes #48`), which only a change carries.
const TEMPLATE: &str = r"^\s*#+\s*(testing|test plan|testing done|how (was|has) this (been )?tested\??|type of change|changes|changes made)\s*:?\s*$|^\s*([-*]\s*)?(close|closes|fix|fixes|resolve|resolves|closed|fixed|resolved)\s*:?\s+#\d+(\s*(,|and)\s*#\d+)*\s*\.?\s*$";

/// A fix the writer shares ("I fixed it by …", "the solution was to …"): with a report before
/// it, the report is its setting; a report after it says the fix did not help.
const SHARED_FIX: &str = concat!(
    r#"\bto (resolve|fix|solve|work around) (the |this )?(issue|problem|error),? i (modified|changed|added|updated|patched|edited|replaced)\b|\bi (fixed|solved|resolved) (it|this|the issue|the problem|the error) by\b|\b(this|that|here) (was|is) (my|the|our) (solution|fix|workaround)\b[^?\n]*$|(\bthe |^\s*)(solution|fix|workaround) (would be|is|was) to\b[^?\n]*$|"#,
    got_it_working_by!(),
);

/// "I got it working by …": a fix and how, whose "I got" is no report. (Without the how, "I got
/// it working with the old module; with v2 it fails …" is a report.) A macro, so that
/// [`SHARED_FIX`] can hold it.
macro_rules! got_it_working_by {
    () => {
        r"\bi (finally )?got (it|this|everything|things) (working|to work|fixed|sorted|resolved),? (by|after|once|with(out)? \w+ing)\b"
    };
}
use got_it_working_by;

static GOT_IT_WORKING: LazyLock<regex::Regex> = LazyLock::new(|| {
    regex::Regex::new(&format!("(?i){}", ascii_boundaries(got_it_working_by!())))
        .expect("got it working pattern")
});

static REPORTS: LazyLock<regex::Regex> = LazyLock::new(|| {
    regex::Regex::new(&format!("(?i){}", ascii_boundaries(REPORT))).expect("report pattern")
});

/// The line reports the error only by its "I got it working": nothing before or after that
/// reports ("I got it working, but now I get …" still reports).
fn only_got_it_working(line: &str) -> bool {
    GOT_IT_WORKING.find(line).is_some_and(|m| {
        !REPORTS.is_match(&line[..m.start()]) && !REPORTS.is_match(&line[m.end()..])
    })
}

/// A tip for others: an error in quotes (or a code) and what to do when you see it ("if you
/// see '…', just sign out and back in").
const TIP: &str = r#"\bif you (see|get|hit|run into|encounter|receive|are getting|keep getting) (the |this |an? )?(error |message |warning )?(["“'`]|aadsts\d{4,8}\b)[^\n]{0,300}?[,;]?\s+(just |simply |then )?(sign|log|run|re-?run|restart|clear|delete|remove|add|grant|assign|check|make sure|try|use|go|open|reset|wait|update|enable|disable|set|reconnect|re-?authenticate|re-?consent)\b"#;

/// The writer hit the error themself, or the people they support did ("our users can't sign in",
/// "our customer receives this error"): a tip they followed that did not help, or talk about the
/// docs that goes on to say it still fails, is a report. (Not "I see": that is understanding.)
const REPORT: &str = r"\bi (still |now |keep )?(get|got|am getting|'m getting|receive|keep getting)\b|\b(i|we) (can no longer|can['’]t|cannot|can not|am unable to|['’]m unable to|are unable to|am not able to|['’]m not able to) ((sign|log)[ -]?(in|on)|login|connect|authenticate)\b|\b(our|my) (users?|customers?|clients?|colleagues?|staff|employees)\b[^.\n]{0,40}\b(receives?|received|gets?|got|sees?|saw|hits?|is getting|are getting) (this|the|an?|following) (error|message)\b|\b(our |my )(users?|customers?|clients?|staff|employees) (can no longer|can['’]t|cannot|can not|are unable to|are not able to) ((sign|log)[ -]?(in|on)|login|connect|authenticate)\b|\b(users?|customers?|clients?|staff|employees) (can no longer|can['’]t|cannot|can not|are unable to|are not able to) ((sign|log)[ -]?(in|on)|login|connect|authenticate)\b[^.\n]{0,30}\b(our|my)\b|\b(came back|reappeared)\b|\b(i|we) (run|ran|am running|'m running|are running|keep running) into (an?|the|this) [^.\n]{0,40}\berror\b|\bbut\b[^.\n]{0,40}\b(now|this morning|today|since|again)\b|\bi thought i (fixed|solved|resolved)\b|\bsame (result|error)\s*[:.!]|\b(it is|it's|the error is) back\b|\bstill (get|getting|fails?|failing|see|seeing)\b|\b(didn'?t|did not|doesn'?t|does not) (help|work)\b|\b(i|we)( am| are|['’]m|['’]re)? (also )?(having|have|facing|experiencing|seeing|getting|get) (exactly )?the (same|exact same) (issue|problem|error)\b|\bbut (then )?the following (error|exception) (occurs|occurred|appears|appeared)\b";

/// A line of source code: a comment, a declaration, a branch, an `await` or an arrow function
/// (`(x) =>`, not the `'error' => '…'` of a dumped hash), a statement's end, Go's `:=` and
/// `func`, a Pester assertion (`| Should -Match`). Not a `$variable = …` line: a script pasted
/// with the error it brought is a report, not source code. A block comment's ` * ` lines are
/// indented; a Markdown bullet `* ` at the margin is no code, though an indented sub-bullet
/// still reads as one. A test's opening and its checks (`it("…", …`, `expect(…`,
/// `jest.spyOn(…`) are code too.
const SOURCE_LINE: &str = r#"^\s*((it|test|describe|context)\s*\(\s*["'`]|(expect|assert)[\w.]*\s*\(|(jest|sinon|vi)\.\w+\()|^(\s+\*(\s|/|$)|\*/)|^\s*(//|/\*|#\s|(try|catch|finally)\s*(\{|\(|$)|(elseif|else if|catch)\s*\(|throw\s|(export\s+)?(const|let|var|static|public|private|internal|readonly)\s|case\s|elif\s|else\b|if\s*\(|switch\b|default\b|def\s|function\s|return\s|await\s|'[^'\n]*'\s*\{|"[^"\n]*"\s*\{)|[;{]\s*$|\)\s*=>|^\s*(async\s+)?[a-z_$][\w$]*\s*=>\s*[{(]|-match\s+["']|^\s*func\s|\s:=\s|\|\s*should\s+-|^\s*\+?\s*"(?:[^"\\\n]|\\.)*"\s*\+\s*$"#;

/// An error string in quotes in a line of code (`"AADSTS50076"`, `'invalid_grant'`, `*AADSTS*`,
/// `'*Microsoft.Graph.ServiceException*'`, Exchange's `"ErrorSendAsDenied"`).
const QUOTED_CODE: &str = concat!(
    r#"["'*]\*?([a-z0-9]+\.)*(aadsts\d{4,8}|[a-z]+_[a-z_]+|[a-z]+(exception|error)|(?-i:Error[A-Z][a-z]+[A-Z]\w*))\*?["'*]"#,
    // A wildcard pattern opening with a code and its message (`-like '*AADSTS65001: The …*'`).
    r#"|["']\*aadsts\d{4,8}:"#,
);

/// What a line of source code holds of an error: a message in quotes, a sentence saying what
/// failed (`'Insufficient privileges to complete the operation.'`, `"Access token has expired or is
/// not yet valid."`), a string opening with a code and its message (`"AADSTS70043: The refresh
/// token …"`), or a comment naming a code (`// Error: AADSTS65001, …`). Read only on a line of
/// code: there it is an error string the code holds (a test's mock, a handler's match); in a
/// sentence it is the writer quoting what they hit. A quote mark inside a word (`don't`) opens
/// and closes nothing.
static HELD_ERROR: LazyLock<regex::Regex> = LazyLock::new(|| {
    regex::RegexBuilder::new(&ascii_boundaries(concat!(
        r#"(^|[^a-z0-9])["'`]([^"'`\n]* )?(insufficient|expired|denied|not authorized|unauthorized|forbidden|invalid|failed|could not|unable to|not consented|consent (is )?required|not found|not allowed)\b[^"'`\n]*["'`]([^a-z0-9]|$)"#,
        r#"|(^|[^a-z0-9])["'`]aadsts\d{4,8}:"#,
        r#"|^\s*(//|/\*)[^\n]*\baadsts\d{4,8}\b|^\s+\*\s[^\n]*\baadsts\d{4,8}\b"#,
    )))
    .case_insensitive(true)
    .build()
    .expect("held error pattern")
});

/// A row of a Markdown table that holds a code: an Entra code, a number, a snake_case or
/// `ErrorXxx` code anywhere in the row, or a cell that is only one of Graph's camelCase codes
/// (`invalidRequest`, `itemNotFound`; not a field's name such as `innerError` or `appId`).
const TABLE_ROW: &str = concat!(
    r"^\s*\|.*\b(aadsts\d{4,8}|\d{5,8}|[a-z]+_[a-z_]+|[a-z]{1,6}\d{4,8}|(?-i:Error[A-Z][a-z]+[A-Z]\w*))\b.*\|",
    r"|^\s*\|(.*\|)?\s*`?(?-i:accessDenied|activityLimitReached|badRequest|generalException|",
    r"invalidArgument|invalidRange|invalidRequest|itemNotFound|malwareDetected|nameAlreadyExists|",
    r"notAllowed|notSupported|quotaLimitReached|resourceModified|resyncRequired|",
    r"serviceNotAvailable|tooManyRequests|unauthenticated)`?\s*\|",
);

/// A code at the start of a line followed by its explanation (one item of a list of errors).
const EXPLAINED_CODE: &str = concat!(
    r"^\s*([-*+]\s+|[•·▪◦‣]\s*|\d+\.\s+|#+\s+|\*\*|`)+\*{0,2}`?(aadsts\d{4,8})`?\*{0,2}\s*[:\-–|]\s*\S",
    // A section's heading: an OAuth error's name, then its code (`### invalid_grant
    // (AADSTS50076)`, Markdown's `access\_denied` too).
    r"|^\s*#+\s+`?[a-z]+(\\?_[a-z]+)+`?\s*[(`]{1,2}aadsts\d{4,8}[)`]{1,2}\s*$",
    // A list item opening with an HTTP status, named and numbered (`2) Forbidden (403) …`,
    // `- 404 Not Found: …`).
    // (The statuses a client meets and a list explains; not every status a log lists.)
    r"|^\s*(\d+[.)]\s*|[-*+]\s+|[•·▪◦‣]\s*|#+\s+)\**((bad request|unauthorized|forbidden|not found|conflict|too many requests)\s*\(?[45]\d\d\b|[45]\d\d\)?\s+(bad request|unauthorized|forbidden|not found|conflict|too many requests)\b)[^/\n]*$",
);

/// A commit subject in the `area: verb …` style (`auth: Preserve credentials …`): the area as
/// written, in lower case, and not a label word ("Note: Make sure …", "message: use …").
static COMMIT_SUBJECT: LazyLock<regex::Regex> = LazyLock::new(|| {
    regex::Regex::new(r"^\s*(?:#+\s*)?([a-z][a-z0-9./_-]{1,20}):\s+(?i:add|fix|preserve|keep|handle|update|support|remove|retry|avoid|allow|make|use|show|surface|map|stop|ignore|improve|treat|report)\s")
        .expect("commit subject pattern")
});

/// Words that open a line as a label, not as a commit's area.
const LABELS: &[&str] = &[
    "note",
    "notes",
    "hint",
    "tip",
    "message",
    "details",
    "detail",
    "warning",
    "error",
    "edit",
    "re",
    "subject",
    "reason",
    "suggestion",
    "update",
    "info",
    "summary",
    "question",
    "answer",
    "problem",
    "issue",
    "solution",
    "fix",
    "workaround",
    "cause",
    "context",
    "description",
    "result",
    "output",
    "example",
    "ps",
    "nb",
    "todo",
    "step",
    "steps",
    "action",
    "expected",
    "actual",
];

/// Whether a first line is a commit subject (see [`COMMIT_SUBJECT`]).
fn is_commit_subject(line: &str) -> bool {
    COMMIT_SUBJECT
        .captures(line)
        .and_then(|c| c.get(1))
        .is_some_and(|area| !LABELS.contains(&area.as_str()))
}

/// An article's phrases read apart from the sets, on the lines after the first.
static ARTICLE_LINE: LazyLock<regex::Regex> = LazyLock::new(|| {
    regex::RegexBuilder::new(&ascii_boundaries(ARTICLE))
        .case_insensitive(true)
        .build()
        .expect("article pattern")
});

/// An Entra code, its digits captured.
static ENTRA_CODE: LazyLock<regex::bytes::Regex> = LazyLock::new(|| {
    regex::bytes::Regex::new(r"(?i)\baadsts(\d{4,8})\b").expect("entra code pattern")
});

/// The HTTP status of a list item that explains one (see [`EXPLAINED_CODE`]).
static LISTED_STATUS: LazyLock<regex::bytes::Regex> =
    LazyLock::new(|| regex::bytes::Regex::new(r"\b[45]\d\d\b").expect("status pattern"));

/// A changelog's release heading underlined (`4.60.1` then `==========`), opening the text.
static RELEASE_HEADING: LazyLock<regex::Regex> = LazyLock::new(|| {
    regex::Regex::new(r"^\s*\[?v?\d+\.\d+(?:\.\d+)*\]?(?:[ \t]*[-–][ \t]*\d{4}-\d{2}-\d{2})?[ \t]*\r?\n[ \t]*(?:=+|-{3,})[ \t]*(?:\r?\n|$)")
        .expect("release heading pattern")
});

/// A CI run's summary page as it is copied: its annotations, counted, under their heading
/// (GitHub Actions: `Annotations` then `3 errors`, or `6 errors, 2 warnings, and 2 notices`).
static CI_RUN: LazyLock<regex::Regex> = LazyLock::new(|| {
    regex::Regex::new(r"(?m)^[ \t]*Annotations[ \t]*(?:\r?\n[ \t]*)+\d+ (?:errors?|warnings?|notices?)(?:,? (?:and )?\d+ (?:errors?|warnings?|notices?))*[ \t]*\r?$")
        .expect("CI run pattern")
});

/// Where the report-on-docs pattern stands in [`OPENING`] (read alone too, on what a line says
/// before a code and its message: `Document AADSTS76026 publicly: AADSTS76026: The request …`).
const OPENING_DOCS: usize = 2;

/// The patterns read on a message's first line, in one set: a change's title, a failure's, a
/// report on docs, an article's.
static OPENING: LazyLock<regex::RegexSet> = LazyLock::new(|| {
    regex::RegexSetBuilder::new(
        [CHANGE_TITLE, FAILURE_TITLE, DOCS_TITLE, ARTICLE].map(ascii_boundaries),
    )
    .case_insensitive(true)
    .dfa_size_limit(PATTERN_SET_CACHE)
    .build()
    .expect("opening patterns")
});

/// A pattern whose word boundaries are ASCII ones: Unicode boundaries stop the fast automaton at
/// the first non-ASCII byte (a curly quote, a dash), which most pastes have. The words the
/// patterns bound are ASCII.
fn ascii_boundaries(pattern: &str) -> String {
    pattern.replace(r"\b", r"(?-u:\b)")
}

/// What the genre's line patterns found over a message's lines.
#[derive(Debug, Default)]
struct Lines {
    labels: usize,
    for_others: bool,
    proposal: bool,
    /// A pull request's template heading (a change, unless the writer reports the error).
    template: bool,
    tables: usize,
    /// Non-empty lines, and of them lines of source code.
    all: usize,
    code: usize,
    quoted: bool,
    /// A line of code holds an error's message or names a code in a comment (see
    /// [`HELD_ERROR`]).
    held: bool,
    /// A tip for others, and the writer's own report of the error.
    tip: bool,
    report: bool,
    /// A fix the writer shares, and a report of theirs with or after it (the fix did not help;
    /// a report before the fix is its setting).
    fix: bool,
    report_after_fix: bool,
    /// Codes explained one a line.
    codes: Vec<String>,
}

impl Lines {
    /// Counts line `l` by the genre patterns it matched (`hits`, in [`LINE`]'s order).
    fn add(&mut self, l: &str, hits: [bool; 11]) {
        let [label, others, fix, proposes, template, row, explains, source, quotes, tip, report] =
            hits;
        // A line quoted from another message (`> requested changes on this pull request.`)
        // is that message's: a change it names is not the writer's own.
        let theirs = l.trim_start().starts_with('>');
        self.template |= template && !theirs;
        self.tip |= tip;
        self.report |= report;
        self.labels += usize::from(label);
        self.for_others |= others;
        self.fix |= fix;
        self.report_after_fix |= report && self.fix;
        self.proposal |= proposes && !theirs;
        self.tables += usize::from(row);
        if explains {
            if let Some(m) = ENTRA_CODE.find(l.as_bytes()) {
                self.codes
                    .push(String::from_utf8_lossy(m.as_bytes()).to_ascii_lowercase());
            } else if let Some(m) = LISTED_STATUS.find(l.as_bytes()) {
                self.codes
                    .push(format!("http {}", String::from_utf8_lossy(m.as_bytes())));
            }
        }
        // A line of closing brackets only (`}`, `})`, `]`) is neither code nor prose: JSON has
        // them too, so it does not count as code, and it does not dilute the code around it.
        let closing = l.trim().bytes().all(|b| b"}])>;,".contains(&b));
        if !closing {
            self.all += 1;
            self.code += usize::from(source);
            self.quoted |= quotes;
            // (Read only on a line of code: few lines are, and most lines quote something.)
            self.held |= source && HELD_ERROR.is_match(&l[..l.floor_char_boundary_compat(2000)]);
        }
    }
}

/// Reads the genre of a whole message: its first line, its headings, its tables and lists.
pub fn genre(text: &str) -> Option<Genre> {
    read(text).genre
}

/// The genre of a message whose lines read as `lines`.
fn genre_of(text: &str, mut lines: Lines) -> Option<Genre> {
    let opening = |n| {
        text.lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .take(n)
            .map(|l| &l[..l.floor_char_boundary_compat(1000)])
    };
    let first = opening(1).next()?;
    // The first line's patterns in one pass.
    let mut heads = [false; 4];
    OPENING.matches_read_at(&mut heads, first, 0);
    let [is_change, is_failure, is_docs, first_is_article] = heads;
    // A CI run's page opens with the title of the commit that started it; its annotations are
    // the run's own errors, not a change the writer made.
    let is_change = (is_change || is_commit_subject(first) || RELEASE_HEADING.is_match(text))
        && !CI_RUN.is_match(text);
    // What a change avoids ("…, or it will throw a …") is not a failure of the title's own.
    let is_failure = is_failure && (!is_change || fails_besides_what_it_avoids(first));
    if is_change && !is_failure {
        return Some(Genre::Change);
    }
    // An error line ("AADSTS90014: The required field … is missing") is not a report on docs,
    // nor is a report of a request that lacks a part ("fails with AADSTS900144 stating that
    // the device_code parameter is missing").
    if is_docs && !is_error_line(first) && !MISSING_PART.is_match(first) {
        return Some(Genre::DocsReport);
    }
    // A write-up names its cause and its fix (two labelled parts), or is an article about the
    // error (said in its opening lines); one "Fix:" line in a chat message is neither.
    let about = |l: &str| ARTICLE_LINE.is_match(l) && !CITED_ARTICLE.is_match(l);
    let first_about = first_is_article && !CITED_ARTICLE.is_match(first);
    let tip = lines.tip && !lines.report;
    // Text written for others that also says the writer hits the error is a report; so is a
    // fix shared that goes on to say the writer still hits it.
    let for_others = (lines.for_others && !lines.report) || (lines.fix && !lines.report_after_fix);
    if lines.labels >= 2 || first_about || opening(4).skip(1).any(about) || for_others || tip {
        return Some(Genre::WriteUp);
    }
    if lines.proposal || (lines.template && !lines.report) {
        return Some(Genre::Change);
    }
    if lines.tables >= 2 {
        return Some(Genre::Table);
    }
    lines.codes.sort();
    lines.codes.dedup();
    if lines.codes.len() >= 3 || entra_codes(text) >= CATALOG_CODES {
        return Some(Genre::ListOfErrors);
    }
    // Source code: most of its lines are code, or it opens a test case (`it("…", () => {`),
    // and an error string is quoted in it.
    let code = (lines.code >= 4 && lines.code * 2 >= lines.all) || TEST_OPENING.is_match(first);
    // A message a line of code holds is the code's, unless the writer says they hit the error
    // (their own code beside it logs its failures too: `console.error('Sign-in failed')`).
    let holds = lines.quoted || (lines.held && !lines.report);
    ((code && holds) || is_recording(text)).then_some(Genre::SourceCode)
}

/// A recorded HTTP exchange a test replays (go-vcr's and VCR's cassettes: `method:`, `url:`,
/// then `response:` on a line of its own, in YAML): test data, however real the response it
/// holds.
fn is_recording(text: &str) -> bool {
    static PARTS: LazyLock<regex::RegexSet> = LazyLock::new(|| {
        regex::RegexSet::new([
            r"(?m)^[ \t]*(?:-[ \t]+)?method:[ \t]+(?i:get|post|put|patch|delete)[ \t]*\r?$",
            r"(?m)^[ \t]*(?:-[ \t]+)?ur[il]:[ \t]+https?://",
            r"(?m)^[ \t]*response:[ \t]*\r?$",
        ])
        .expect("recording patterns")
    });
    // Both fixed words first: a paste with a server's `response:` (most token errors) seldom
    // holds `method:`, and the patterns then need not read it.
    text.contains("method:") && text.contains("response:") && PARTS.matches(text).matched_all()
}

/// A test case's opening line (`it("maps the error", async () => {`, `test('…', function () {`):
/// a message that starts with one is a test's source.
static TEST_OPENING: LazyLock<regex::Regex> = LazyLock::new(|| {
    regex::Regex::new(r#"^(it|test|describe|context)\s*\(\s*["'`].*(=>|\bfunction\b)"#)
        .expect("test opening pattern")
});

/// A failure a change's title names, besides what the change avoids: the title read again
/// without its consequences of doing otherwise ("or it will throw", "otherwise it'll fail").
fn fails_besides_what_it_avoids(title: &str) -> bool {
    static AVOIDED: LazyLock<regex::Regex> = LazyLock::new(|| {
        regex::RegexBuilder::new(&ascii_boundaries(
            r"\b(or( else)?|otherwise|else),? ((it|this|that|they|we|you|the \w+)( |'ll ))?((will|would|could|might|may) )?(\w+ )?(throw|fail|error|return|break|crash)\w*",
        ))
        .case_insensitive(true)
        .build()
        .expect("avoided failure pattern")
    });
    OPENING
        .matches(&AVOIDED.replace_all(title, ""))
        .matched(OPENING_FAILURE)
}

/// Where [`FAILURE_TITLE`] is in [`OPENING`].
const OPENING_FAILURE: usize = 1;

/// A text naming this many different Entra codes is a list of them (a reference, a handler's
/// table, a catalogue), however it is laid out: one failure brings one code, or a few in a chain.
const CATALOG_CODES: usize = 4;

/// How many different Entra codes a text names (counted up to [`CATALOG_CODES`]).
fn entra_codes(text: &str) -> usize {
    let mut seen: Vec<&[u8]> = Vec::new();
    for c in ENTRA_CODE.captures_iter(text.as_bytes()) {
        let digits = c.get(1).map_or(&b""[..], |m| m.as_bytes());
        if !seen.contains(&digits) {
            seen.push(digits);
            if seen.len() >= CATALOG_CODES {
                break;
            }
        }
    }
    seen.len()
}

/// Whether a line starts with a log level and a colon (`VERBOSE: …`, `[WARN] …`, `info: …`).
fn is_log_line(line: &str) -> bool {
    let line = line.trim_start();
    let (head, close) = match line.strip_prefix('[') {
        Some(inner) => (inner, ']'),
        None => (line, ':'),
    };
    let level = head.bytes().take_while(u8::is_ascii_alphabetic).count();
    head[level..].trim_start().starts_with(close)
        && matches!(
            head[..level].to_ascii_lowercase().as_str(),
            "verbose"
                | "debug"
                | "info"
                | "information"
                | "warning"
                | "warn"
                | "error"
                | "trace"
                | "notice"
                | "fatal"
                | "critical"
        )
}

/// The writer speaking of themself (`I`, `we`, `my`, `our`).
static FIRST_PERSON: LazyLock<regex::Regex> = LazyLock::new(|| {
    regex::Regex::new(r"(?i)(?-u:\b)(i|we|i['’]m|my|our)(?-u:\b)").expect("first person pattern")
});

/// A retest's outcome: the same failure again ("re-tested on a current build; it still fails").
static STILL_FAILS: LazyLock<regex::Regex> = LazyLock::new(|| {
    regex::Regex::new(r"(?i)(?-u:\b)still (fails?|failing)(?-u:\b)").expect("still fails pattern")
});

/// A part of a request said to be missing: what an error reports, not what the docs lack.
static MISSING_PART: LazyLock<regex::Regex> = LazyLock::new(|| {
    regex::RegexBuilder::new(
        r#"\b(parameters?|fields?|claims?|headers?|propert(y|ies)|attributes?|arguments?)\b\s*([`'"‘“][^`'"’”\n]{1,40}[`'"’”]\s*)?(is |are )?(missing|not present)\b|[`'"‘“][\w.-]{1,40}[`'"’”]\s+(parameter|field|claim|header|property|attribute|argument)\s+(is |are )?(missing|not present)\b"#,
    )
    .case_insensitive(true)
    .build()
    .expect("missing part pattern")
});

/// Whether a line starts with an Entra code and a colon: an error as shown, not a title.
fn is_error_line(line: &str) -> bool {
    let lower = line.trim_start().to_ascii_lowercase();
    lower.strip_prefix("aadsts").is_some_and(|rest| {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        digits >= 4 && rest[digits..].trim_start().starts_with(':')
    }) || CODE_AND_MESSAGE.captures_iter(line).any(|c| {
        let before = &line[..c.get(0).map_or(0, |m| m.start())];
        !DOCS_WORDS.contains(&c["word"].to_ascii_lowercase().as_str())
            && !OPENING.matches(before).matched(OPENING_DOCS)
    })
}

/// Words that open a writer's remark about a code rather than the code's own message
/// (`AADSTS50199 - Not documented`).
const DOCS_WORDS: &[&str] = &[
    "not",
    "missing",
    "undocumented",
    "please",
    "add",
    "document",
    "docs",
    "documentation",
    "unclear",
    "outdated",
];

/// A code followed by its own message in a line: a dash, or a colon where the code opens a
/// part of the line (after a colon or "error"), then a capitalised word (`login error after
/// wrapping: AADSTS90020 -The SAML 1.1 Assertion is missing …`). [`is_error_line`] leaves out
/// a writer's words about the code (`AADSTS50199 - Not documented`) and a request to document
/// it that quotes it (`document AADSTS76026 publicly: AADSTS76026: The request has expired`).
static CODE_AND_MESSAGE: LazyLock<regex::Regex> = LazyLock::new(|| {
    regex::Regex::new(r"(?:\b[Aa][Aa][Dd][Ss][Tt][Ss]\d{4,8}\s*[-–]|(?::|\b[Ee]rror)\s*[Aa][Aa][Dd][Ss][Tt][Ss]\d{4,8}\s*:)\s*(?P<word>[A-Z][a-z]+)")
        .expect("code and message pattern")
});

/// Cutting a line at a character boundary at most `max` bytes in.
trait FloorBoundary {
    fn floor_char_boundary_compat(&self, max: usize) -> usize;
}

impl FloorBoundary for str {
    fn floor_char_boundary_compat(&self, max: usize) -> usize {
        let mut end = max.min(self.len());
        while !self.is_char_boundary(end) {
            end -= 1;
        }
        end
    }
}

/// Reads the form of a text (decoded, before noise is removed: stack frames are a sign).
pub fn read(text: &str) -> Form {
    let mut form = Form::default();
    let mut lines = Lines::default();
    let mut diff = Diff::opening(text);
    for (n, line) in text.lines().take(2000).enumerate() {
        // Over bytes: a cut inside a character is harmless.
        let bytes = line.as_bytes();
        let mut hits = [false; 8 + 11];
        LINE.matches_read_at(&mut hits, &bytes[..bytes.len().min(2000)], 0);
        let [code, changelog, talk, carries, asks, symptom, version, brings, genre @ ..] = hits;
        // A line a diff adds or removes is the change's text: an error there is what the change
        // is about (a troubleshooting page written, a message reworded), not one the writer hit.
        let carries = if diff.changes(line) {
            diff.errors |= carries;
            false
        } else {
            carries
        };
        // A change verb opening a line that says what an action brings is an issue's title
        // ("Update user password results in Authorization Request Denied"), not a change.
        let changelog = changelog && !(brings && ACTION_TITLE.is_match(line));
        // A log line's level reads like a commit's type (`VERBOSE: Detected …`, `feat: add …`).
        let changelog = changelog && !is_log_line(line);
        // Talk about the docs that goes on to say the writer still hits the error ("the docs
        // say to sign in again; I did and it still fails:") is a report.
        // "I got it working by …" shares a fix; its "I got" reports nothing.
        // (`genre` in `LINE`'s order: the shared fix third, the report last.)
        let mut genre = genre;
        let [_, _, fix, .., report] = genre;
        if fix && report && only_got_it_working(line) {
            genre[genre.len() - 1] = false;
        }
        let [.., reports] = genre;
        let talk = talk && !reports;
        if code || changelog || talk {
            form.mentions = true;
        } else if carries || reports {
            form.carries = true;
            // The writer in the first person, or a retest's "still fails"; a heading saying "I
            // get error …" is an FAQ's.
            form.reports |= reports
                && (FIRST_PERSON.is_match(line) || STILL_FAILS.is_match(line))
                && !line.trim_start().starts_with('#');
        } else if version {
            form.mentions = true;
        }
        form.asks |= asks;
        form.symptom |= symptom;
        if n < 400 {
            lines.add(line, genre);
            // A question after a fix shared: the fix did not settle it.
            lines.report_after_fix |= asks && lines.fix;
        }
    }
    form.genre = genre_of(text, lines);
    if form.genre.is_none() && diff.errors && !form.carries {
        form.genre = Some(Genre::Change);
    }
    form
}

/// Where a message's diff is, read line by line: a fenced ```` ```diff ```` block, or a bare
/// hunk from its `@@ -1,2 +1,3 @@` header to the first line that is no diff line.
#[derive(Debug, Default)]
struct Diff {
    fenced: bool,
    hunk: bool,
    /// An error stood on a line the diff adds or removes.
    errors: bool,
}

impl Diff {
    /// A text that opens with lines a diff adds (`+### Unable to sign in`, `+Many people see …`),
    /// its header cut off when it was pasted, is in a hunk from its first line. Two such lines:
    /// one is a reply's `+1`; PowerShell's `+ CategoryInfo` has a space after its `+`.
    fn opening(text: &str) -> Diff {
        let added = |l: Option<&str>| {
            l.is_some_and(|l| {
                l.starts_with('+') && !l.starts_with("++") && !l[1..].starts_with([' ', '\t'])
            })
        };
        let text = text.trim_start_matches(['\r', '\n']);
        if !text.starts_with('+') {
            return Diff::default();
        }
        let mut lines = text.lines();
        Diff {
            hunk: added(lines.next()) && added(lines.next()),
            ..Diff::default()
        }
    }

    /// Reads `line`; whether it is a line the diff adds or removes.
    fn changes(&mut self, line: &str) -> bool {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            let info = trimmed.trim_start_matches(['`', '~']).trim();
            self.fenced = info.eq_ignore_ascii_case("diff") || info.eq_ignore_ascii_case("patch");
            self.hunk = false;
            return false;
        }
        if line.starts_with("@@ -") {
            self.hunk = true;
            return false;
        }
        let marked =
            line.starts_with(['+', '-']) && !line.starts_with("+++") && !line.starts_with("---");
        if self.hunk && !(marked || line.starts_with([' ', '\\']) || line.is_empty()) {
            self.hunk = false;
        }
        (self.fenced || self.hunk) && marked
    }
}

// Declared after `http_reason!`, which they use.
mod message;
#[cfg(test)]
mod tests;

pub use message::{messages, refuses};

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
    r"^\s*(#+\s*)?(add|added|adds|adding|fix|fixed|fixes|handle|handles|handled|update|updated|updates|changed|made a change|improve|improved|improves|support|supports|prompt (the )?user|maps|surface|surfaces|bump|refactor|removed|rename|renamed|merge|merged)\s",
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

/// A row of a Markdown table that holds a code.
const TABLE_ROW: &str = r"^\s*\|.*\b(aadsts\d{4,8}|\d{5,8}|[a-z]+_[a-z_]+|[a-z]{1,6}\d{4,8}|(?-i:Error[A-Z][a-z]+[A-Z]\w*))\b.*\|";

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
    text.contains("response:") && PARTS.matches(text).matched_all()
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
            && !DOCS_LINE.is_match(before)
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

/// A report on documentation, read alone: what a line says before a code and its message
/// (`Document AADSTS76026 publicly: AADSTS76026: The request has expired`).
static DOCS_LINE: LazyLock<regex::Regex> = LazyLock::new(|| {
    regex::RegexBuilder::new(&ascii_boundaries(DOCS_TITLE))
        .case_insensitive(true)
        .build()
        .expect("docs title pattern")
});

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
    let mut diff = Diff::default();
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

/// The verbs PowerShell's cmdlets are named with (`Get-…`, `Set-…`), the common ones.
const CMDLET_VERB: &str = "(?i:Add|Approve|Assert|Backup|Block|Build|Checkpoint|Clear|Close|Compare|Complete|Compress|Confirm|Connect|Convert|ConvertFrom|ConvertTo|Copy|Debug|Deny|Deploy|Disable|Disconnect|Dismount|Edit|Enable|Enter|Exit|Expand|Export|Find|Format|Get|Grant|Group|Hide|Import|Initialize|Install|Invoke|Join|Limit|Lock|Measure|Merge|Mount|Move|New|Open|Optimize|Out|Ping|Pop|Protect|Publish|Push|Read|Receive|Redo|Register|Remove|Rename|Repair|Request|Reset|Resize|Resolve|Restart|Restore|Resume|Revoke|Save|Search|Select|Send|Set|Show|Skip|Split|Start|Step|Stop|Submit|Suspend|Switch|Sync|Test|Trace|Unblock|Undo|Uninstall|Unlock|Unprotect|Unpublish|Unregister|Update|Use|Wait|Watch|Write)";

/// The error's own message, where the paste spells it out: a cmdlet's error line
/// (`Get-MgUser : …`), a JSON `message` or `error_description` (Azure AD Graph's
/// `"message": {"lang": …, "value": …}` too), a `Message:` field, an exception's text
/// (`…Exception: …`). A line that stops mid-sentence, wrapped by a terminal, goes on to the next
/// when that one goes on in lower case (`…to complete the` / `  operation.`, or after
/// Terraform's `│`), unless the next is a stack frame (`   at Contoso.Sync.Run()`).
static MESSAGE: LazyLock<regex::bytes::Regex> = LazyLock::new(|| {
    let line = LINE_MESSAGE;
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
        format!(r#"(?mR)\bMessage\s*[:=]\s*(?P<c>{line})$"#),
        format!(r#"(?mR)\b[A-Za-z.]*Exception:\s+(?P<d>{line})$"#),
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
        format!(r#"(?mR)\b(?i:error details?)\s*:\s*(?P<k>{line})$"#),
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

/// A message written on a line: the line, or, when it stops mid-sentence, the line and the next
/// one that goes on in lower case after a terminal's indent (spaces, `>`, `|`, Terraform's `│`),
/// and is no stack frame (`at …`).
const LINE_MESSAGE: &str = r"[^\r\n]{11,}[^.\r\n]\r?\n(?:[ \t>|]|\xE2\x94\x82)*(?:[b-z]|a[^t\r\n]|at\S)[^\r\n]*|[^\r\n]{12,}";

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
        .take(8)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str, carries: bool, asks: bool, mentions: bool) {
        let f = read(text);
        assert_eq!(
            (f.carries, f.asks, f.mentions),
            (carries, asks, mentions),
            "{text:?}: {}",
            f.describe()
        );
    }

    #[test]
    fn talk_about_the_docs_that_still_fails_is_a_report() {
        check(
            "The docs say to run Connect-MgGraph again. I did and it still fails:\nProvide valid credential.",
            true,
            false,
            false,
        );
        check(
            "The docs say \"Provide valid credential.\" means the token is stale, I see.",
            false,
            false,
            true,
        );
    }

    #[test]
    fn pasted_errors_carry_them() {
        check(
            "AADSTS50076: Due to a configuration change made by your administrator",
            true,
            false,
            false,
        );
        // A code named without its message, as its writer hits it.
        for text in [
            "`AADSTS7000216: 'client_assertion', 'client_secret' or 'request' is required for the 'client_credentials' grant type.`",
            "After the upgrade i have receive the code AADSTS500201 on every start",
            "We always get AADSTS900144 from the token endpoint",
            "改了重定向地址以后依旧是AADSTS50011",
            "Since yesterday we are receiving AdalException calling AcquireTokenAsync",
            "I got TokenExpiredError from oauthlib after an hour",
        ] {
            check(text, true, false, false);
        }
        // … and one named in passing, or as what users in general meet, is not.
        for text in [
            "The table lists AADSTS500201 beside the other codes",
            "Users get AADSTS500201 when the account is new",
        ] {
            check(text, false, false, false);
        }
        check(
            r#"{"error":{"code":"Authorization_RequestDenied","message":"Insufficient privileges"}}"#,
            true,
            false,
            false,
        );
        check(
            "{'error': {'code': 'Authorization_RequestDenied', 'message': 'Insufficient privileges to complete the operation.'}}",
            true,
            false,
            false,
        );
        check(
            "requests said {'error': 'invalid_grant', 'error_description': 'AADSTS70008: The refresh token has expired'}",
            true,
            false,
            false,
        );
        check(
            "Get-MgUser : Insufficient privileges to complete the operation.\n    + CategoryInfo          : InvalidOperation: (:) [Get-MgUser_List], Exception",
            true,
            false,
            false,
        );
        check(
            "Microsoft.Identity.Client.MsalUiRequiredException: AADSTS50078\n   at Microsoft.Identity.Client.Internal.Requests.RequestBase.RunAsync()",
            true,
            false,
            false,
        );
        check(
            "2024-05-02 10:11:12 ERROR sync - token refresh failed",
            true,
            false,
            false,
        );
        check(
            "since this morning I keep getting this error when I open the portal, help",
            true,
            false,
            false,
        );
        // An error the page or the tool shows.
        check(
            "the login page still shows Error AADSTS50011 in a private window",
            true,
            false,
            false,
        );
        check(
            "Outlook keeps displaying the error 'Need admin approval' after the restart",
            true,
            false,
            false,
        );
        // An error in quotes, explained, is talk about it; a writer who hits it still carries it.
        check(
            "In Intune, a 403 'Application is not authorized to perform this operation' means the app lacks the permission; grant it.",
            false,
            false,
            true,
        );
        check(
            "\"Insufficient privileges to complete the operation.\" is caused by an app with delegated permissions only.",
            false,
            false,
            true,
        );
        assert!(read("I get 'Insufficient privileges to complete the operation.' when I run Get-MgUser, what does it mean?").carries);
        // A code the writer hits, named without its message.
        for text in [
            "Same here, AADSTS50011 after the redirect to our app.",
            "I'm stuck on AADSTS50011 after moving the app to the new domain.",
            "Login now ends with AADSTS50011 for everyone in the tenant.",
            "We keep hitting AADSTS50011 when we sign in through the proxy.",
            "Still AADSTS50011 for me after changing the redirect URI.",
        ] {
            assert!(read(text).carries, "{text}");
        }
        for text in [
            "AADSTS50011 means the redirect URI does not match the one registered.",
            "Fixed AADSTS50011 by adding the redirect URI.",
            "The table lists AADSTS50011 with the other redirect errors.",
            "Users get AADSTS50011 when the redirect URI does not match the one registered.",
            "The article says AADSTS50011 is a redirect mismatch.",
            "AADSTS50011 is returned every time the reply URL differs from the registered one.",
            "The table below shows the error codes returned by the token endpoint.",
        ] {
            assert!(!read(text).carries, "{text}");
        }
        // A status named by its word.
        check(
            "WARNING: Request to https://graph.microsoft.com/beta/x: HTTP Status BadRequest",
            true,
            false,
            false,
        );
    }

    #[test]
    fn a_request_to_the_docs_only_mentions_the_error() {
        check(
            "If the button is not clicked, the connector will throw Authorization_RequestDenied exceptions. The documentation should explicitly call this out.",
            false,
            false,
            true,
        );
    }

    #[test]
    fn a_log_line_s_level_is_not_a_commit_s_type() {
        for line in [
            "VERBOSE: Detected count of '0', skipping validation",
            "[INFO] Added 3 members to the group",
            "debug: updated the cached token",
        ] {
            check(line, false, false, false);
        }
        check("fix: detect AADSTS50076 and retry", false, false, true);
        check("[auth] Added a retry for AADSTS50076", false, false, true);
    }

    #[test]
    fn source_code_changelogs_and_reminders_only_mention_them() {
        check(
            "if ($_.Exception.Message -match 'AADSTS50076') { Connect-MgGraph -UseDeviceCode }",
            false,
            false,
            true,
        );
        check(
            "catch (MsalUiRequiredException e) when (e.Message.Contains(\"AADSTS50079\")) {",
            false,
            false,
            true,
        );
        check(
            "- Fixed: AADSTS700082 refresh token expiry is now handled by re-authorising (#412)",
            false,
            false,
            true,
        );
        check(
            "fix(auth): retry once on AADSTS50173 instead of failing the sync",
            false,
            false,
            true,
        );
        check(
            "reminder: AADSTS700082 means the refresh token went unused for 90 days, re-auth the integrations this week",
            false,
            false,
            true,
        );
        check(
            "Released version 3.2.0: the AADSTS50173 prompt now names the account",
            false,
            false,
            true,
        );
    }

    #[test]
    fn an_error_said_to_be_gone_is_only_mentioned() {
        check(
            "Thanks, that worked! The AADSTS50076 went away after I excluded the service account.",
            false,
            false,
            true,
        );
        check(
            "Rebooted the connector and the Insufficient access rights error is gone now",
            false,
            false,
            true,
        );
        check(
            "Since the migration our enterprise app is gone and sign-in fails with AADSTS700016: Application with identifier 'abc' was not found in the directory.",
            true,
            false,
            false,
        );
        check(
            "This worked, until last week. Now every token call fails with AADSTS7000222: The provided client secret keys are expired.",
            true,
            false,
            false,
        );
        // What worked before the error is no fix.
        check(
            "This worked until yesterday, now Graph answers: Lifetime validation failed, the token is expired.",
            true,
            false,
            false,
        );
        // Gone, then back: a report.
        check(
            "AADSTS50076 went away yesterday but I still get it today on the sync account",
            true,
            false,
            false,
        );
        check(
            "Sign-in fails with AADSTS50076: Due to a configuration change made by your administrator",
            true,
            false,
            false,
        );
    }

    #[test]
    fn changelog_items_labelled_by_kind_are_changes() {
        check(
            "- Fixed: AADSTS700016 now shows a clearer message",
            false,
            false,
            true,
        );
        check("* Added: a retry on AADSTS50173", false, false, true);
        // A chat update is no changelog item.
        check(
            "Update: same error again, AADSTS50173: The provided grant has expired",
            true,
            false,
            false,
        );
    }

    #[test]
    fn a_changelog_item_linking_its_pull_request_is_a_change() {
        check(
            "- [[#7078]](https://github.com/contoso/cli/pull/7078) Fix tenant resolution, preventing `AADSTS700082` errors for guest users.",
            false,
            false,
            true,
        );
        check(
            "* [#88](https://github.com/contoso/sync/issues/88) handle AADSTS50173 by signing in again",
            false,
            false,
            true,
        );
        // A link to an issue beside a pasted error is no changelog.
        check(
            "Same as https://github.com/contoso/sync/issues/88 here: AADSTS50173: The provided grant has expired due to it being revoked",
            true,
            false,
            false,
        );
    }

    #[test]
    fn an_issue_title_opening_with_a_change_verb_carries_its_failure() {
        check(
            "Update user password results in Authorization Request Denied",
            true,
            false,
            false,
        );
        check(
            "Add-MailboxPermission fails with access denied for shared mailboxes",
            true,
            false,
            false,
        );
    }

    #[test]
    fn a_changelog_entry_naming_what_a_bug_brought_is_still_a_changelog() {
        check(
            "- Fixed sign-in that fails with AADSTS50076 when MFA is required (#123)",
            false,
            false,
            true,
        );
        check(
            "- Handle AADSTS50076 which results in an endless prompt loop",
            false,
            false,
            true,
        );
    }

    #[test]
    fn a_version_named_beside_the_error_it_brought_is_a_report() {
        // "since version 2.4.1" is how reports date a failure: with the error on the same
        // line, the line carries it.
        check(
            "Since version 2.4.1 the login stops with the following message: `AADSTS65001: The user or administrator has not consented to use the application`",
            true,
            false,
            false,
        );
        check(
            "After we upgraded to 5.3.0 every call fails with AADSTS700082: The refresh token has expired due to inactivity.",
            true,
            false,
            false,
        );
    }

    #[test]
    fn english_that_looks_like_code_is_not_code() {
        check(
            "For a week the Graph call always returns \"ErrorAccessDenied\" when the sender differs.",
            false,
            false,
            false,
        );
        check(
            "Set-Mailbox : ||The operation couldn't be performed because the object wasn't found.",
            true,
            false,
            false,
        );
        check(
            "PUT /v1.0/users/x {accountEnabled:false} -> 403 Authorization_RequestDenied Insufficient privileges to complete the operation.",
            true,
            false,
            false,
        );
    }

    #[test]
    fn the_error_s_own_message_is_found() {
        let m = messages(concat!(
            "Get-MgTeamworkDevice : Failed to read the device list for this user.\r\n",
            "    + FullyQualifiedErrorId : Forbidden,Some.Type\n",
            r#"{"error":{"code":"X","message":"Something specific went wrong here"}}"#,
        ));
        assert_eq!(
            m,
            [
                "Failed to read the device list for this user.",
                "Something specific went wrong here"
            ]
        );
    }

    #[test]
    fn graph_powershell_s_message_before_its_status_is_found() {
        // The concise view: the message and the status on one line after PowerShell's bars.
        let m = messages(concat!(
            "     |  ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~\n",
            "     | Widgets are not supported on the API version used in this request.  Status: 400 (BadRequest) ErrorCode: Request_BadRequest\n",
        ));
        assert_eq!(
            m,
            ["Widgets are not supported on the API version used in this request."]
        );
        // The message on its line, the status below after a blank line; the variant of the
        // cmdlet after an underscore.
        let m = messages(concat!(
            "Get-MgWidget_List: The widget's owner could not be read.\n\n",
            "Status: 403 (Forbidden)\n",
            "ErrorCode: Authorization_RequestDenied\n",
        ));
        assert_eq!(m, ["The widget's owner could not be read."]);
        let m = messages("The widget's owner could not be read.\n\nStatus: 403 (Forbidden)\n");
        assert_eq!(m, ["The widget's owner could not be read."]);
        // A status with nothing before it spells no message.
        assert!(messages("Status: 400 (BadRequest)\nErrorCode: X\n").is_empty());
    }

    #[test]
    fn a_wrapper_s_error_after_its_status_is_found() {
        // Terraform's providers: `with error: Code: message`, wrapped by the terminal after `│`.
        let m = messages(concat!(
            "│ Widget Name: \"w\"): unexpected\n",
            "│ status 400 (400 Bad Request) with error: BadRequest: The widget format was\n",
            "│ unexpected. Widgets must name an owner.\n",
        ));
        assert_eq!(
            m,
            ["The widget format was\n│ unexpected. Widgets must name an owner."]
        );
    }

    #[test]
    fn markdown_emphasis_is_no_part_of_a_message() {
        // .NET's default text, in bold, still names nothing of the error.
        assert!(
            messages("Get-Widget : **Exception of type 'System.Exception' was thrown.**\n")
                .is_empty()
        );
        let m = messages("Get-Widget : **The widget's owner could not be read.**\n");
        assert_eq!(m, ["The widget's owner could not be read."]);
    }

    #[test]
    fn one_word_is_no_message() {
        // Graph's Teams bodies put a code where the message goes.
        let body = r#"{"error":{"code":"Forbidden","message":"UnknownError","innerError":{}}}"#;
        assert!(messages(body).is_empty(), "{:?}", messages(body));
    }

    #[test]
    fn the_body_s_message_inside_an_exception_line_is_the_message() {
        let php = r#"PHP Fatal error: Uncaught GuzzleHttp\Exception\ClientException: Client error: `GET https://graph.microsoft.com/v1.0/me/events` resulted in a `400 Bad Request` response: {"error":{"code":"BadRequest","message":"Parsing OData Select and Expand failed.","innerError":{}}} in /var/www/vendor/Guzzle.php:113"#;
        assert_eq!(messages(php), ["Parsing OData Select and Expand failed."]);
        let escaped = r#"requests.exceptions.HTTPError: 403 Client Error: body={\"error\":{\"code\":\"Authorization_RequestDenied\",\"message\":\"Insufficient privileges to complete the operation.\"}}"#;
        assert_eq!(
            messages(escaped),
            ["Insufficient privileges to complete the operation."]
        );
        // A line without a body is its own message.
        let plain =
            "System.InvalidOperationException: The mailbox sync job stopped before the first batch";
        assert_eq!(
            messages(plain),
            ["The mailbox sync job stopped before the first batch"]
        );
    }

    #[test]
    fn a_response_header_is_no_cmdlet_s_message() {
        // Graph PowerShell prints the response's headers; `request-id` opens like a cmdlet
        // (`Request-…`), and its value may wrap onto the next line.
        let headers = concat!(
            "Headers:\n",
            "Vary                          : Accept-Encoding\n",
            "request-id                    : 4f3c2b1a-0d9e-4c8b-a7f6-e5d4c3b2a1f0\n",
            "client-request-id             : 5f3c2b1a-0d9e-4c8b-a7f6-e5d4c3b2a1f0\n",
            "request-id                    : \n",
            "                              client-request-id: 6f3c2b1a\n",
        );
        assert!(messages(headers).is_empty(), "{:?}", messages(headers));
        // A cmdlet's error still opens its line and holds its message on it.
        let m = messages("Request-SPOPersonalSite : Only a tenant administrator can do this.\n");
        assert_eq!(m, ["Only a tenant administrator can do this."]);
    }

    #[test]
    fn a_python_dict_s_message_is_found() {
        let m = messages(
            "{'error': {'code': 'Request_BadRequest', 'message': 'Invalid value specified for property mail.'}}",
        );
        assert_eq!(m, ["Invalid value specified for property mail."]);
    }

    #[test]
    fn a_python_message_in_double_quotes_is_found() {
        let m = messages(
            r#"{'error': {'code': 'X', 'message': "The user's token was rejected by the service."}}"#,
        );
        assert_eq!(m, ["The user's token was rejected by the service."]);
    }

    #[test]
    fn azure_ad_graph_messages_are_found_inside_their_language_object() {
        // An SDK wrapper's own `Message="Unknown service error"` stands before the body; the
        // body's message sits in an object with its language.
        let m = messages(concat!(
            "Status=403 Code=\"Unknown\" Message=\"Unknown service error\"\n",
            r#"Details=[{"odata.error":{"code":"Authorization_RequestDenied","message":{"lang":"en","value":"Insufficient privileges to complete the operation."}}}]"#,
        ));
        assert_eq!(
            m,
            [
                "Unknown service error",
                "Insufficient privileges to complete the operation."
            ]
        );
    }

    #[test]
    fn questions_about_an_error_ask() {
        let f = read("does AADSTS50020 always mean the guest is in the wrong tenant?");
        assert!(f.asks && !f.only_mentions(), "{f:?}");
    }

    #[test]
    fn a_writer_who_cannot_sign_in_reports_the_error() {
        check(
            "Since yesterday I can no longer login to the Graph explorer, I run into an AADSTS50011 error.",
            true,
            false,
            false,
        );
        check(
            "We run into the AADSTS50076 error on the sync account every morning",
            true,
            false,
            false,
        );
        assert!(read("We run into the AADSTS50076 error on the sync account").reports);
        assert!(read("Since Monday I can’t sign-in, AADSTS50076 every time").reports);
        // An admin reporting for the people they support.
        assert!(
            read("Our customer signs in to Outlook and receives this error: AADSTS90023").reports
        );
        assert!(read("Our users can't sign in since the policy change").reports);
        // "Me too", in the first person, with the error pasted above it.
        assert!(read("Need admin approval\n\nHi, I am having the same issue as the others, and user consent is on").reports);
        assert!(read("We're facing the exact same problem after the update.").reports);
        assert!(!read("If you are having the same issue, check the consent settings.").reports);
        // A helper who had it, and shares the fix, reports nothing.
        assert!(!read("I had the same issue, the solution was to add the redirect URI.").reports);
        // Talk about the docs stays talk.
        check(
            "According to the documentation, the portal still shows the consent prompt until an admin grants it.",
            false,
            false,
            true,
        );
        assert!(!read("Customers receive this error when the policy blocks them.").reports);
        assert!(
            !read("Legacy authentication does not work once security defaults are on.").reports
        );
        assert!(!read("## I get error AADSTS700027 when signing in with a certificate\nUpload the certificate again.").reports);
        assert!(
            read("Re-tested on the current build: the sign-in still fails with AADSTS900971.")
                .reports
        );
        // Others who cannot sign in, in a write-up, are no report of the writer's.
        check(
            "Reminder: users who cannot sign in after AADSTS50076 need the CA exclusion",
            false,
            false,
            true,
        );
    }

    #[test]
    fn requests_for_help_in_scripts_without_spaces_ask() {
        for text in [
            "ログインすると「エラーコード: AADSTS700016」と表示されて先に進めません。",
            "AADSTS50020 が出ます。どうすればよいでしょうか",
            "登录时提示 AADSTS50011，请问怎么解决",
            "AADSTS50076 오류가 납니다. 도와주세요",
        ] {
            assert!(read(text).asks, "{text}");
        }
        // A how-to title asks nothing.
        assert!(!read("AADSTS50011 错误原因及如何解决").asks);
        // A docs page's symptom, in the same script, asks nothing.
        let f = read("サインインしようとすると、次のエラー メッセージが表示されます。AADSTS50020");
        assert!(!f.asks, "{f:?}");
    }

    #[test]
    fn a_paste_with_a_script_still_carries_its_error() {
        let f = read(concat!(
            "$r = Invoke-RestMethod -Uri $uri -Headers $h\n",
            "if ($r.value.Count -eq 0) { throw 'nothing' }\n",
            "Invoke-RestMethod : {\"error\":{\"code\":\"ErrorAccessDenied\",\"message\":\"Access is denied.\"}}",
        ));
        assert!(f.carries && f.mentions && !f.only_mentions(), "{f:?}");
    }

    #[test]
    fn the_genre_of_a_message_about_errors_is_a_mention() {
        let cases: &[(&str, Option<Genre>)] = &[
            // Changes: commit and pull-request titles, whatever they quote.
            ("Add retry when Graph answers AADSTS50076\n\nThe error text is: AADSTS50076: Due to a configuration change…", Some(Genre::Change)),
            ("Made a change to the consent error message shown for AADSTS65001", Some(Genre::Change)),
            ("feat(auth): surface AADSTS700082 to the user", Some(Genre::Change)),
            ("Closes #88: prompt for sign-in again on invalid_grant", Some(Genre::Change)),
            // A release's heading underlined; a table of a service's own codes.
            ("4.60.1\n==========\n### Bug Fixes\n- Resolved an issue where sign-in with a certificate failed with `MsalServiceException` (AADSTS5002730).", Some(Genre::Change)),
            ("4.60.1\nSign-in fails with AADSTS5002730 since this version.", None),
            ("## Errors\n\n|Code|Message|\n|:---|:---|\n|AF10001|The permission set sent in the request did not include the expected permission.|\n|AF20022|No subscription found for the specified content type.|", Some(Genre::Table)),
            // A CI run's page: the commit's title, then the run's own annotations.
            ("Bump msal from 1.26.0 to 1.28.0 #31\nAnnotations\n1 error\nbuild\nAADSTS700213: No matching federated identity record found for presented assertion subject.", None),
            ("Bump msal from 1.26.0 to 1.28.0 #31\nAnnotations: the build now reports AADSTS700213 on a subject mismatch.", Some(Genre::Change)),
            ("fix console output in the worker #48\ntest-deployment.yaml\non: push\nAnnotations\n4 errors, 1 warning, and 2 notices\ndeploy\nAADSTS7000215: Invalid client secret provided.", None),
            // A title that names its error's status is a report; one naming a status it handles
            // is a change.
            ("Add groupmember to security group - Error 400 Bad Request\n\nI followed the doc and it throws 400 status code - Bad request.", None),
            ("Add retry on 429 Too Many Requests from Graph", Some(Genre::Change)),
            // A change quoted from the message replied to is not the writer's own.
            ("Thanks, but when I submit a request I get the following error:\n> requested changes on this pull request.\nAADSTS50020: User account 'user@contoso.com' from identity provider 'live.com' does not exist in tenant 'Contoso'", None),
            ("The sign-in still fails with AADSTS50020.\nThis pull request adds the tenant to the sign-in request.", Some(Genre::Change)),
            // A changelog's section or release heading opens what changed.
            ("### Fixed\n- Saving a group no longer fails with 'A null value was found with the expected type'.", Some(Genre::Change)),
            ("## [2.4.1] - 2026-05-01\n- Sign-in retries once on AADSTS50076.", Some(Genre::Change)),
            ("### Error\n```\nAADSTS50076: Due to a configuration change made by your administrator\n```", None),
            ("## Steps to reproduce 1.2\nConnect-MgGraph fails with AADSTS50076.", None),
            // A title that names the failure the change fixes, said so ("this commit fixes"),
            // and a body closing its issue (`Closes #48` alone on a line).
            ("Creating an event failed with UnableToDeserializePostBody, this commit fixes the content type of the request", Some(Genre::Change)),
            ("Send the Content-Type header on POST\n\nCreating an event failed with UnableToDeserializePostBody.\n\nCloses #48", Some(Genre::Change)),
            ("Ask for the token again when the certificate step fails\n\nFix #102, #103\n\nSign-in failed with AADSTS50076: Due to a configuration change made by your administrator, you must use multi-factor authentication.", Some(Genre::Change)),
            // A report that only cites the commit it blames, or an issue's number in passing.
            ("Since this commit was merged, creating an event fails:\nUnableToDeserializePostBody: were unable to deserialize", None),
            ("Creating an event fails with UnableToDeserializePostBody, same as in #48:\nwere unable to deserialize", None),
            // Reports on documentation.
            ("AADSTS9002313 is missing from the error code reference", Some(Genre::DocsReport)),
            ("Missing error code AADSTS135010 in the table", Some(Genre::DocsReport)),
            ("The documentation for error code 50158 is outdated", Some(Genre::DocsReport)),
            ("Please add details for AADSTS50199\n\nAADSTS50199\nFailure reason: the user must confirm the sign-in.", Some(Genre::DocsReport)),
            ("Please add information on error code 53003 to the table", Some(Genre::DocsReport)),
            ("This document does not describe error AADSTS53010. Can this be added to the document?", Some(Genre::DocsReport)),
            ("The article doesn't mention AADSTS50199 at all", Some(Genre::DocsReport)),
            ("Please add to the documentation the error responses of these cases:\n1. the member is already in the group\nThis returns 400 Bad Request: One or more added object references already exist.", Some(Genre::DocsReport)),
            ("Please add sign-in code 70044\n\nmissing sign-in error code 70044\noccurred while logging in via Outlook Mobile", Some(Genre::DocsReport)),
            ("Please add the user again, then sign-in code 70044 shows:\nAADSTS70044: The session has expired or is invalid due to sign-in frequency checks by conditional access.", None),
            ("I would like to suggest a note for this page. Deleting an admin fails with \"Insufficient privileges to delete the selected users.\" and Graph gives 403.", Some(Genre::DocsReport)),
            ("@someone According to the error log: `The refresh token has expired due to inactivity`. It means that your refresh token is expired; sign in again.", Some(Genre::WriteUp)),
            ("Graph PowerShell asks for scopes.\nAs you can see in the below example, even a global admin cannot list users:\nGet-MgUser : Insufficient privileges to complete the operation.\nRun Connect-MgGraph -Scopes User.Read.All first.", Some(Genre::WriteUp)),
            ("As you can see in the output below, it fails for me:\nGet-MgUser : Insufficient privileges to complete the operation.", None),
            ("I read that this means your client secret expired. Still:\nConnect-MgGraph : AADSTS7000215: Invalid client secret provided.", None),
            ("@sam from the output:\nConnect-MgGraph : AADSTS7000215: Invalid client secret provided.", None),
            ("When I request a change on the page I get 403 Forbidden: Insufficient privileges to complete the operation.", None),
            ("I got it working with the old module; with v2 it fails with AADSTS7000215: Invalid client secret provided.", None),
            ("I got it working on my dev machine.\nOn the build agent: Connect-MgGraph : AADSTS7000215: Invalid client secret provided.", None),
            ("According to the error log it fails here:\nAADSTS700082: The refresh token has expired due to inactivity.\nWhat does it mean?", None),
            ("Please document which errors the call returns when the user is disabled.\n403 Forbidden: Insufficient privileges to complete the operation.", Some(Genre::DocsReport)),
            ("Please add the user to the group again, then I get:\n400 Bad Request: One or more added object references already exist.", None),
            ("AADSTS50199 shows up for half our users. Can it be added to the exclusion list?", None),
            ("The sign-in page does not mention why, it only shows AADSTS50199: For security reasons, user confirmation is required for this request.", None),
            ("Please give more details on AADSTS50105, I get it in Teams", None),
            ("Please add the following detail: I get AADSTS50199 on every sign-in", None),
            // A request that lacks a part is what an error reports, not what the docs lack.
            ("Sign-in fails with AADSTS900144 saying that the 'scope' parameter is missing", None),
            ("Token refresh returns error AADSTS90014 because the client_id field is missing from the request", None),
            ("Error code AADSTS50199 is missing from the table; its claims are not documented", Some(Genre::DocsReport)),
            ("AADSTS50199 not present in the list of codes", Some(Genre::DocsReport)),
            ("AADSTS7000216 is not listed\nWe keep seeing it when we ask for a token.", Some(Genre::DocsReport)),
            // A code's own message saying what is missing is the error, not the docs' gap.
            ("AcquireTokenAsync exception AADSTS90122 User identifier is not present\nSince yesterday our on-behalf-of call fails.", None),
            ("Sign-in fails: Error AADSTS90014: The required field 'request' is missing from the credential.", None),
            ("AADSTS50199 - not documented", Some(Genre::DocsReport)),
            // A code with its own message in the title is the error, even where the message
            // says something is missing; a writer's remark after the code, or a request to
            // document it that quotes its message, stays a report on documentation.
            ("AADSTS50199 - Not documented", Some(Genre::DocsReport)),
            ("Missing error code: AADSTS7000112: Application is disabled.", Some(Genre::DocsReport)),
            ("Sign-in error after the upgrade: AADSTS90020 -The SAML 1.1 Assertion is missing ImmutableID of the user.", None),
            // Said when it happens to the writer, after "but the following error occurs".
            ("I moved the pod to workload identity and configured it, but the following error occurs:\n```\nAADSTS700024: Client assertion is not within its valid time range.\n```\nThis error occurs after one day or so.", None),
            ("This error occurs when the assertion has expired. Request a new assertion before each token call.", Some(Genre::WriteUp)),
            ("I fixed it by setting expirationSeconds to 3600. Before that the first call worked but an error occurred after a day.\nFix: set expirationSeconds to 3600 in the projected token volume.", Some(Genre::WriteUp)),
            ("Error code AADSTS50199: missing from the reference table", Some(Genre::DocsReport)),
            ("Document AADSTS76026 publicly for developers: AADSTS76026: The request has expired", Some(Genre::DocsReport)),
            // Write-ups and articles that already give the fix, in several languages.
            ("## Symptoms\nSign-in fails with AADSTS50020.\n## Cause\nThe guest was removed.\n## Resolution\nInvite the user again.", Some(Genre::WriteUp)),
            ("Dieser Artikel beschreibt den Fehler AADSTS50020.\nUrsache: der Gast fehlt.\nLösung: erneut einladen.", Some(Genre::WriteUp)),
            ("Teamsでエラー AADSTS50020 の原因と解決策\nサインインできない場合…", Some(Genre::WriteUp)),
            ("登录时出现错误\n本文介绍登录 Microsoft 365 时出现的错误:\nAADSTS50020: 来自标识提供者的用户帐户不存在于租户中。", Some(Genre::WriteUp)),
            ("同意時發生非預期的錯誤\n這篇文章討論同意應用程式時發生的錯誤。\nAADSTS90094: 需要系統管理員同意。", Some(Genre::WriteUp)),
            ("로그인 오류\n이 문서에서는 AADSTS50020 오류를 해결하는 방법을 설명합니다.", Some(Genre::WriteUp)),
            ("Ошибка входа\nВ этой статье описывается ошибка AADSTS50020 и способы ее устранения.", Some(Genre::WriteUp)),
            ("Błąd logowania\nW tym artykule opisano błąd AADSTS50020.", Some(Genre::WriteUp)),
            ("Oturum açma hatası\nBu makalede AADSTS50020 hatası açıklanmaktadır.", Some(Genre::WriteUp)),
            ("Erro de entrada\nNeste artigo, descrevemos o erro AADSTS50020.", Some(Genre::WriteUp)),
            // A mail's body (本文 in Japanese) is not "this article".
            ("メール本文に次のエラーが表示されます:\nAADSTS50020: User account from identity provider does not exist in tenant.", None),
            ("## 现象\n登录时报错 AADSTS50020。\n\n## 原因\n来宾账户已被删除。\n\n## 解决方案\n重新邀请该用户。", Some(Genre::WriteUp)),
            ("同步工具刷新令牌时报错 AADSTS70008\n\n## 问题描述\n令牌长期未使用。\n\n## 修复方向\n- 每天刷新一次令牌", Some(Genre::Change)),
            // Tables and lists of several codes each explained.
            ("| Code | Meaning |\n|---|---|\n| AADSTS50076 | MFA required |\n| AADSTS50079 | MFA enrolment |", Some(Genre::Table)),
            ("- AADSTS50076: MFA is required\n- AADSTS50079: enrol in MFA\n- AADSTS50078: MFA expired", Some(Genre::ListOfErrors)),
            // A troubleshooting page's sections, each headed by its code; one heading in an
            // issue is not a list.
            ("### invalid_grant (AADSTS50076)\nMFA is needed.\n### access_denied (AADSTS65005)\nThe tenant is unmanaged.\n### unauthorized_client (`AADSTS700016`)\nThe app is unknown.", Some(Genre::ListOfErrors)),
            ("### Error (AADSTS50076)\nI get this every morning when the sync runs:\nAADSTS50076: Due to a configuration change made by your administrator", None),
            // An article says what it is in its opening lines, not only its first.
            ("Sign-in trouble in Teams happens at the worst time.\nIn this article we go through AADSTS50020 and what to do.", Some(Genre::WriteUp)),
            ("Fel AADSTS50011: omdirigerings-URI:n matchar inte\n\nDen här artikeln beskriver felet.", Some(Genre::WriteUp)),
            // Bare headings of a write-up.
            ("Token expired\nError Message\nAADSTS700082: The refresh token has expired\nRoot Cause\nThe token sat unused.\nResolution\nIssue a new token.", Some(Genre::WriteUp)),
            // Text written for others who will meet the error, or that already says how to fix it.
            ("From next month guests must be invited first.\n\nUsers will see the following error when they sign in:\n> AADSTS50020: User account from identity provider does not exist in tenant", Some(Genre::WriteUp)),
            ("Sign-in fails with AADSTS50105 for some users. To resolve this, you must assign the users to the application.", Some(Genre::WriteUp)),
            ("Another situation could occur when a calendar user needs to sign in again, with a response similar to:\nAADSTS70000: The user could not be authenticated as the grant is expired.", Some(Genre::WriteUp)),
            ("Sign-in fails with AADSTS90014: The request body must contain the following parameter: 'client_id'.\nTo resolve issue, I modified request_token as follows.", Some(Genre::WriteUp)),
            ("I fixed it by passing the tenant id.\nAADSTS90002: Tenant not found.", Some(Genre::WriteUp)),
            ("I fixed it by passing the tenant id, but now I get:\nAADSTS90002: Tenant not found.", None),
            ("One may receive the following 403 error when adding a member:\n\"code\": \"Authorization_RequestDenied\",\n\"message\": \"Insufficient privileges to complete the operation.\"", Some(Genre::WriteUp)),
            ("Adding a member fails:\n\"code\": \"Authorization_RequestDenied\"\n\nBelow are some guidelines for resolving the error.\nCheck the group type.", Some(Genre::WriteUp)),
            ("I followed the steps to resolve the error and I still get:\n\"code\": \"Authorization_RequestDenied\"", None),
            ("As you can see the error below, the sync stops every night:\nAuthorization_RequestDenied: Insufficient privileges to complete the operation.", None),
            ("I followed the steps to fix this error from the docs but nothing changed:\nAuthorization_RequestDenied: Insufficient privileges to complete the operation.", None),
            ("To fix the issue I added the role, but now the nightly job stops with:\nAuthorization_RequestDenied: Insufficient privileges to complete the operation.", None),
            ("To fix the issue I added the role, but the nightly job now stops with:\nAuthorization_RequestDenied: Insufficient privileges to complete the operation.", None),
            ("To resolve the error, I changed the app's role. Same result:\nAuthorization_RequestDenied: Insufficient privileges to complete the operation.", None),
            ("Calling the endpoint as the app, you will receive the following error response, and you will receive the same error when reading the calendar:\nErrorAccessDenied: Access is denied. Check credentials and try again.", Some(Genre::WriteUp)),
            ("I fixed it by adding the role last week. Today it is back:\nAuthorization_RequestDenied: Insufficient privileges to complete the operation.", None),
            ("## Admin account (AADSTS50076)\nfails every morning\n## Service account (AADSTS50079)\nfails too\n## Guest account (AADSTS50020)\nfails since Monday", None),
            ("Add the missing error codes as below:\n| AADSTS50173 | FreshTokenNeeded |", Some(Genre::Change)),
            // A tip for the team: an error in quotes and what to do when you see it; a tip the
            // writer followed that did not help is a report.
            ("Heads-up team: if you see \"The provided grant has expired due to it being revoked\", just sign out and back in.", Some(Genre::WriteUp)),
            ("if you get 'Insufficient access rights to perform the operation' try the Organization Management group first", Some(Genre::WriteUp)),
            ("The guide says if you see \"AADSTS50173\", sign in again. I did and still get:\nAADSTS50173: The provided grant has expired due to it being revoked", None),
            ("if you get a chance, check this error for me: AADSTS50173: The provided grant has expired", None),
            ("I see, thanks. The docs say if you see \"AADSTS50173\", just sign in again.", Some(Genre::WriteUp)),
            // A list with typographic bullets; labelled parts as list items, in Japanese too.
            ("You get one of these messages:\n  • AADSTS65001: The user has not consented\n  • AADSTS650056: Misconfigured application\n  • AADSTS90094: An administrator has set a policy", Some(Genre::ListOfErrors)),
            ("よくあるエラー\n- エラー文\nAADSTS50020: User account does not exist in tenant\n- 原因\n別アカウントでログインしています。\n- 対処法\nサインアウトします。", Some(Genre::WriteUp)),
            ("Graph sign-in\n- Cause: the secret was rotated\n- Fix: create a new secret\nAADSTS7000215: Invalid client secret provided.", Some(Genre::WriteUp)),
            // An explainer: what the error is, in the third person; a writer's own "this error
            // occurs when I …" is a report.
            ("AADSTS65001: The user or administrator has not consented to use the application\n\nThis error occurs when the application requests permissions that need consent.", Some(Genre::WriteUp)),
            ("AADSTS65001: The user or administrator has not consented to use the application\n\nThis error occurs when I open the app from Teams.", None),
            ("When reviewing the service logs, the following error is observed:\nError AADSTS50105: The signed in user is not assigned to a role for the application.", Some(Genre::WriteUp)),
            ("After pasting the URL into the browser, the following error is returned:\nMessage: AADSTS7000112: Application is disabled.", None),
            ("When I reviewed the service logs, the following error was shown:\nError AADSTS50105: The signed in user is not assigned to a role for the application.", None),
            ("Reset passwords with Graph\nA common error encountered is \"Insufficient privileges.\"\n{\"error\": {\"code\": \"Authorization_RequestDenied\"}}", Some(Genre::WriteUp)),
            ("Troubleshooting: Need Admin Approval\nWhy are you getting this message when trying to log in?", Some(Genre::WriteUp)),
            // A change described in its body; a request for a missing code's description.
            ("This code adds exception handling around the sign-in to show the error like so:\n```\nAADSTS50076: Due to a configuration change made by your administrator\n```", Some(Genre::Change)),
            ("Not seeing any information regarding the error message: **AADSTS230109** ;\n> Backup Auth Service only allows AuthN requests from AAD Gateway", Some(Genre::DocsReport)),
            ("Not seeing any improvement: AADSTS50173: The provided grant has expired due to it being revoked", None),
            ("Please add details for AADSTS76026 to the error code reference page, so that developers who build on the platform can tell what the message means and what to change in their requests. AADSTS76026: The request has expired.", Some(Genre::DocsReport)),
            // Four different sign-in codes in one text are a list of them, however laid out.
            ("bool needsSignIn(String code) => [AADSTS50076, AADSTS50079, AADSTS50158, AADSTS700082].any(code.contains);", Some(Genre::ListOfErrors)),
            // A vendor's article: the error, then its root cause and solution as labels.
            ("During synchronization this message appears:\nAADSTS7000222: The provided client secret keys are expired.\n\nRoot Cause:\nThe secret expired.\n\nSolution:\nCreate a new secret.", Some(Genre::WriteUp)),
            // Source code holding error strings.
            ("protected override async Task OnFailureAsync(HttpResponseMessage response)\n{\n    var body = await response.Content.ReadAsStringAsync();\n    var code = JsonNode.Parse(body)[\"error\"][\"code\"].GetValue<string>();\n    if (code == \"ErrorAccessDenied\" && response.StatusCode == HttpStatusCode.Forbidden)\n    {\n        await MarkFolderUnreadableAsync();\n    }\n}", Some(Genre::SourceCode)),
            ("// errors we retry on\nconst RETRY = [\n  \"AADSTS50076\",\n  \"AADSTS50079\",\n];\nif (err.code === RETRY[0]) {\n  return signIn();\n}", Some(Genre::SourceCode)),
            ("switch -Regex ($msg) {\n    '*AADSTS50076*' { Write-Warning 'MFA needed' }\n    default { throw }\n}\n# end of the retry block\nreturn $null;", Some(Genre::SourceCode)),
            // A PowerShell `switch` translating messages: arms in either quote (an apostrophe
            // inside a double-quoted pattern), a dotted exception type as the pattern.
            ("    # map what the service says to what the user reads\n    switch -Wildcard ($message) {\n        'Access is denied.' { 'Grant the role first' }\n        \"The tenant isn't licensed for this feature\" { 'Buy a P1 licence' }\n        '*Microsoft.Exchange.Management.Tasks.ManagementObjectNotFoundException*' { 'No such mailbox' }\n        '*Insufficient access rights*' { 'Add the Exchange role' }\n        default { $message }\n    }", Some(Genre::SourceCode)),
            // What a command would do, told to others (a change's description).
            ("if the login does not have the Graph permission, the command will result in error like:\n\nOperation failed with status: 'Forbidden'. Details: 403 Client Error: Forbidden for url: https://graph.windows.net/x/getObjectsByObjectIds\n\nthe login needs the permission.", Some(Genre::WriteUp)),
            ("Since the upgrade every run results in an error like this one:\n403 Client Error: Forbidden for url: https://graph.windows.net/x/getObjectsByObjectIds", None),
            ("Following the steps as written will get you this error:\n    AADSTS700054: response_type 'id_token' is not enabled for the application.\n\nAdd the missing step to the page.", Some(Genre::WriteUp)),
            ("Following the steps as written I get this error:\n    AADSTS700054: response_type 'id_token' is not enabled for the application.", None),
            // A list of HTTP errors, each with its cause.
            ("Provisioning errors and what to check\n1) Bad Request (400) Property userPrincipalName is invalid\nThe account id is not in a form the service takes.\n2) Forbidden (403) Insufficient privileges to complete the operation\nThe case of the account id differs.\n3) Not Found (404) Resource does not exist\nThe account was deleted.", Some(Genre::ListOfErrors)),
            ("Creating the user fails:\n1) Forbidden (403) Insufficient privileges to complete the operation\nWhat am I missing?", None),
            // A report that goes on to give its own fix is solved; a fix that goes on to fail is not.
            ("I receive the following error:\n* AADSTS7000216: 'client_assertion', 'client_secret' or 'request' is required for the 'client_credentials' grant type\n\nSolution was to use the overload that takes the secret as a string.", Some(Genre::WriteUp)),
            ("The solution was to grant admin consent again.\nBut I still get AADSTS65001: The user or administrator has not consented to use the application", None),
            ("I get AADSTS65001: The user or administrator has not consented to use the application\nI got it working by granting admin consent in the portal.", Some(Genre::WriteUp)),
            ("I get AADSTS65001: The user or administrator has not consented to use the application\nI got it working by granting admin consent.\nNow I get it again for a second user.", None),
            ("Signing in I receive the following error:\nConnect-AzAccount: AADSTS50097: Device authentication is required.\n\n## Steps to reproduce\n- Run Connect-AzAccount\n- You will see the error in the console.", None),
            // A fix the writer cannot apply, asked about, is no solved report.
            ("I get AADSTS65001 when users sign in.\nThe solution would be to grant admin consent, but I'm not a global admin.\nWhat else can I do?", None),
            ("Sign-in fails with AADSTS50076.\n## Testing\nI get the same error in Graph Explorer.", None),
            // Three failures a user lists, each on a path, are no list of explained errors.
            ("Graph gives me these:\n- 401 Unauthorized on /me\n- 403 Forbidden on /users\n- 429 Too Many Requests on /$batch", None),
            // A pull request's template: what was tested, what changed.
            ("## Description\n\nAzure login failed:\n```\nError: AADSTS50027: JWT token is invalid or malformed.\n```\n\nAdding the missing permission to the workflow.\n\n## Testing\n\nScheduled run.", Some(Genre::Change)),
            ("## Description\nSign-in fails:\n```\nAADSTS50076: Due to a configuration change made by your administrator\n```\n## Steps to reproduce\n1. Run the sync\n## Expected behavior\nIt signs in.", None),
            // Branches written with their braces on lines of their own.
            ("        try\n        {\n            Connect-MgGraph -Scopes $scopes\n        }\n        catch\n        {\n            if ($_.Exception -like '*AADSTS50076: Due to a configuration change*')\n            {\n                Connect-WithMfa\n            }\n            elseif ($_.Exception -like '*AADSTS65001:*')\n            {\n                throw \"Grant consent first\"\n            }\n        }", Some(Genre::SourceCode)),
            // A pasted JSON body is no code, however many brackets it closes.
            ("Graph answers:\n{\n  \"error\": {\n    \"code\": \"Authorization_RequestDenied\",\n    \"message\": \"Insufficient privileges to complete the operation.\",\n    \"innerError\": {\n      \"date\": \"2024-05-01T10:00:00\",\n      \"request-id\": \"0000\"\n    }\n  }\n}", None),
            // A banner of asterisks around a logged error is no block comment.
            ("***\n*** Sync\n*** An exception occurred:\n*** {\"error\":\"invalid_grant\",\"error_description\":\"AADSTS700082: The refresh token has expired due to inactivity.\"}\n***", None),
            ("/**\n * Retries on 'AADSTS50076'.\n * @param err the error\n */\nfunction retry(err) {", Some(Genre::SourceCode)),
            // A test's mock that throws an error's message; a recorded exchange a test replays.
            ("it('reports a refused grant', async () => {\n  sinon.stub(graph, 'post').rejects({ error: { message: 'Insufficient privileges to complete the operation.' } });\n  await assert.rejects(run(), /Insufficient privileges/);\n});", Some(Genre::SourceCode)),
            ("    request:\n      method: POST\n      url: https://login.microsoftonline.com/common/oauth2/v2.0/token\n    response:\n      status: 400 Bad Request\n      body: '{\"error\":\"invalid_grant\",\"error_description\":\"AADSTS50173: The provided grant has expired due to it being revoked.\"}'", Some(Genre::SourceCode)),
            // A user's own capture of the exchange is no recording a test replays.
            ("Captured in Fiddler:\nPOST https://login.microsoftonline.com/common/oauth2/v2.0/token HTTP/1.1\nHost: login.microsoftonline.com\n\nHTTP/1.1 400 Bad Request\n{\"error\":\"invalid_grant\",\"error_description\":\"AADSTS50173: The provided grant has expired due to it being revoked.\"}", None),
            // The writer's own words quoting the error beside their code are no error string
            // of the code's.
            ("I get 'Access is denied. Check credentials and try again.' on this call:\n    var req = client.Me.Request();\n    var items = await req.GetAsync();\n    return items;\n    // Calendars.ReadWrite is granted", None),
            // Tests in JavaScript: arrow functions and awaits.
            ("await step('connect fails', async () => {\n  await userEvent.click(button)\n  await screen.findByRole('alert')\n  await waitFor(() => {\n    expect(canvas.getByText(/AADSTS70008/)).toBeInTheDocument()\n  })\n  errorCode: 'expired_token',\n  errorMessage: 'AADSTS70020: The provided device code has expired.',\n})", Some(Genre::SourceCode)),
            // An error object as Node's console prints it, and a hash as Perl dumps it, are
            // pasted errors, not code.
            ("ServerError: invalid_grant: AADSTS70008: The provided authorization code or refresh token has expired due to inactivity.\n    at ResponseHandler.validateTokenResponse\n  errorCode: 'invalid_grant',\n  errorMessage: 'AADSTS70008: The provided authorization code or refresh token has expired due to inactivity.',\n  subError: '',\n  timestamp: '2024-01-01 10:00:00Z',\n  traceId: '0000',\n  correlationId: '0000'\n}", None),
            ("$VAR1 = {\n  'error' => 'invalid_grant',\n  'error_codes' => [70008],\n  'error_description' => 'AADSTS70008: The provided authorization code or refresh token has expired due to inactivity.',\n  'timestamp' => '2024-01-01 10:00:00Z',\n};", None),
            // Tests holding an error as a fixture: Pester's `It … {` and `Should`.
            ("Describe \"Connect-Tenant\" {\n    It \"maps the MFA error to a hint\" {\n        $hint = Get-SignInHint -Message $mfaError\n        # the hint names the policy and keeps the code\n        $hint | Should -Match \"Conditional Access\"\n        $hint | Should -Match 'AADSTS50076'\n    }\n}", Some(Genre::SourceCode)),
            ("token, err := cred.GetToken(ctx, opts)\nif err != nil {\n    if strings.Contains(err.Error(), \"AADSTS700082\") {\n        return reauth(ctx)\n    }\n    return err\n}", Some(Genre::SourceCode)),
            // A test case, however its strings break into lines.
            ("test('maps a revoked grant to a sign-in prompt', async () => {\n  const err = new AuthError(\n    'invalid_grant',\n    'AADSTS50173: The provided grant has expired due to it being revoked.\nTrace ID: 0000\nCorrelation ID: 1111\nTimestamp: 2026-01-01 00:00:00Z'\n  );\n  render(<Login />);", Some(Genre::SourceCode)),
            // A diff's added lines hold the change's text, not an error the writer hit; the error
            // beside a diff, outside it, is theirs.
            ("Add a troubleshooting section\n\n```diff\n+## Expired secrets\n+If sign-in fails with `AADSTS7000222: The provided client secret keys are expired`, create a new secret.\n```", Some(Genre::Change)),
            ("docs: reword the consent hint\n@@ -10,3 +10,3 @@\n-AADSTS65001: The user or administrator has not consented to use the application\n+Ask an admin to consent (AADSTS65001).\n context line", Some(Genre::Change)),
            ("I changed the scopes like this:\n```diff\n- scopes: ['User.Read']\n+ scopes: ['User.Read', 'Mail.Send']\n```\nand now the call fails with\nAADSTS65001: The user or administrator has not consented to use the application", None),
            // A script the writer ran, pasted with the error it brought, is no source code.
            ("Here is my script:\n$tenantId = \"contoso.onmicrosoft.com\"\n$clientId = \"1111\"\n$secret = Get-Secret -Name app -AsPlainText\n$token = Get-MsalToken -ClientId $clientId -TenantId $tenantId -ClientSecret $secret\nIt fails with \"AADSTS7000215: Invalid client secret provided.\"", None),
            // Markdown's `* ` bullets at the margin are a list, not a block comment.
            ("Steps I took:\n* Set `Mail.Send` on the app\n* Ran Send-MgUserMail\n* Got 'access_denied'\n* Retried after an hour;\nAccess is denied. Check credentials and try again.", None),
            // A guide the writer followed is cited, not written.
            ("Hi,\nI followed all steps mentioned in this guide but I am getting the following error:\nAADSTS65001: The user or administrator has not consented to use the application", None),
            ("# Microsoft Graph error codes and fixes\n\n403 Forbidden: grant the permission.", Some(Genre::WriteUp)),
            // A change proposed in the body.
            ("Some calls fail with AADSTS50076 when the tenant needs MFA.\n\nThis PR adds the tenant to the re-authentication hint.", Some(Genre::Change)),
            ("Users see AADSTS65001 as a raw error.\nWe should detect it and show a consent link instead.", Some(Genre::Change)),
            ("The tool prints nothing useful for AADSTS50053 yet.\nWould be nice to show 'account locked' for it.", Some(Genre::Change)),
            ("Our wrapper doesn't handle the error code AADSTS50158, it just exits.", Some(Genre::Change)),
            ("The login helper could use a catch for accounts locked by smart lockout.\n\nif ($err -match \"AADSTS50053\") { Write-Output 'locked' }", Some(Genre::Change)),
            ("Sometimes the sign-in answers AADSTS50057 for a disabled user and the tool keeps retrying.\n\nIdea:\n- stop retrying on that code and print the user", Some(Genre::Change)),
            ("Please add support for AADSTS50076 in the device-code fallback.", Some(Genre::Change)),
            // What a change avoids is not a failure its title reports; a failure besides it is.
            ("Adds a tenant option, which the sign-in needs or it will throw AADSTS90002: Tenant not found.", Some(Genre::Change)),
            ("Added the scope, otherwise it would fail with AADSTS65001: The user or administrator has not consented", Some(Genre::Change)),
            ("Added the scope and it still fails with AADSTS65001: The user or administrator has not consented", None),
            ("Added the scope or it will throw, and now it fails with AADSTS65001: The user or administrator has not consented", None),
            ("Added the redirect URI otherwise it would fail but sign-in still stops here:\nAADSTS65001: The user or administrator has not consented", None),
            ("fix: pass the tenant, or it'll fail with AADSTS90002: Tenant not found", Some(Genre::Change)),
            ("**Expired grants loop forever**\nWhen the token endpoint answers invalid_grant (the refresh token has been revoked) the sync retries with the same token. Suggest detecting invalid_grant and clearing the stored token.", Some(Genre::Change)),
            ("# Merge @someone support for AADSTS50076 prompts", Some(Genre::Change)),
            ("mail/auth: keep the account after access errors on one mailbox\n\n- treat a denied mailbox as non-terminal", Some(Genre::Change)),
            ("sync: retry fails with AADSTS700082 after the upgrade", None),
            // Labels opening a line are not commit areas.
            ("Note: Make sure the app has consent.\nAADSTS65001: The user or administrator has not consented to use the application", None),
            ("Message: Make sure the app is assigned.\nAADSTS50105: Your administrator has configured the application to block users", None),
            // A user's issue template: "The error" and "Troubleshooting steps" are not a write-up.
            ("## The error\nAADSTS700082: The refresh token has expired due to inactivity.\n\n## Troubleshooting steps\n- signed out and in again", None),
            ("In the catch block we log the following:\nAADSTS700082: The refresh token has expired due to inactivity.", None),
            ("When the cached account is gone we output something like\n\nAADSTS50173: The provided grant has expired due to it being revoked.\n\nCan we say which account to sign in again?", Some(Genre::Change)),
            ("### Problem statement\nOnboarding stops with AADSTS700016 for tenants on the second app.\n\n### Benefits for MSPs\n- One instance for every licence model", Some(Genre::Change)),
            ("The client assertion error AADSTS700024 shows up when clocks drift.\n\nWould be good to add a troubleshooting section for it to the certificate page.", Some(Genre::Change)),
            ("The checker didn't handle the unknown code AADSTS90033 from the token endpoint, it fell through to the generic branch.", Some(Genre::Change)),
            ("Tokens from the device flow expire after an hour.\n\n### Motivation\nLong jobs fail with AADSTS700082.\n\n### Alternatives considered\nNone.", Some(Genre::Change)),
            // A feature request that carries the error as it came is someone's error.
            ("### Describe this feature\nRefresh the token.\n\n### Describe the solution you'd like\nRetry.\n\n### Additional information\n{\"error\":{\"code\":\"InvalidAuthenticationToken\",\"message\":\"Access token has expired or is not yet valid.\"}}", None),
            ("Some users cannot sign in.\n\nAn app receives the following error when it asks for a token:\nAADSTS7000215: Invalid client secret provided.", Some(Genre::WriteUp)),
            // An admin reporting for their users reports; a symptom a write-up names does not.
            ("Our users can't sign in since this morning.\n\nAn app receives the following error when it asks for a token:\nAADSTS7000215: Invalid client secret provided.", None),
            ("Errors come back in the OAuth shape.\n\nHere's a sample error response:\n{\"error\": \"invalid_grant\", \"error_description\": \"AADSTS50173: The provided grant has expired\"}", Some(Genre::WriteUp)),
            // A guide or an error guide, in the languages its readers read; a guide someone
            // followed is cited, not written.
            ("AADSTS50105 in Teams, explained\nThis guide walks you through assigning users to the app.", Some(Genre::WriteUp)),
            ("L'errore AADSTS65001 blocca l'accesso all'app.\nQuesta guida ti aiuterà a risolverlo in pochi passaggi.", Some(Genre::WriteUp)),
            ("Entra ID Error Guide: AADSTS50158 External Security Challenge\nAADSTS50158 means a third-party MFA provider was not satisfied.", Some(Genre::WriteUp)),
            ("Exchange Online: Error 'Insufficient access rights' – Meaning & Solutions\nThe error means the admin lacks a role.", Some(Genre::WriteUp)),
            ("I followed this guide to register the app and now sign-in fails:\nAADSTS50011: The redirect URI specified in the request does not match", None),
            ("Ho seguito questa guida e ora l'accesso non riesce:\nAADSTS50011: The redirect URI specified in the request does not match", None),
            ("What's the cause and fix for AADSTS50011? It started today.", None),
            // Japanese help pages: question and answer as labels, a solution heading in brackets,
            // an explanation of what the error is caused by.
            ("お問い合わせ内容\nサインイン時に AADSTS50076 が表示されます。\n回答\n多要素認証を完了してください。", Some(Genre::WriteUp)),
            ("【原因】\nロールが足りません。\n【解決策:2つの確認ポイント】\n1. ユーザーにロールを割り当てる\n2. 管理者の同意を与える", Some(Genre::WriteUp)),
            ("「Need admin approval」エラーは、管理者の同意がないことが原因です。", Some(Genre::WriteUp)),
            ("「Need admin approval」が表示されます。これが原因ですか？", None),
            // Chinese answer pages: the cause and the solution as headings, or named together
            // in a title; a report that does not know its cause is not one.
            ("创建应用时报Insufficient privileges错误\n问题原因\n服务主体没有目录角色。\n对应报错信息:\nAuthorization_RequestDenied: Insufficient privileges to complete the operation.\n解决方案\n分配应用程序管理员角色。", Some(Genre::WriteUp)),
            ("调用Graph创建团队仍报Forbidden错误\n问题原因及解决方案\n委派权限下必须显式指定所有者。", Some(Genre::WriteUp)),
            ("调用Graph创建团队报Forbidden错误，原因不明，请帮忙看看\n{\"error\":{\"code\":\"Forbidden\",\"message\":\"Forbidden\"}}", None),
            // Headings with a symbol before the label; a resolution guide in Japanese.
            ("## 🔴 Symptom\nAADSTS50011 on sign-in.\n## ✅ Solution\nAdd the redirect URI.", Some(Genre::WriteUp)),
            ("## ⚠️ Cause\nThe redirect URI differs.\n## 🛠️ Solution\nAdd it to the app.", Some(Genre::WriteUp)),
            ("AADSTS50011 解決ガイド\nリダイレクト URI が一致しない場合の対処です。", Some(Genre::WriteUp)),
            // What happens otherwise, written for others.
            ("The service account needs Group.ReadWrite.All, otherwise it will error with:\nAuthorization_RequestDenied: Insufficient privileges to complete the operation.", Some(Genre::WriteUp)),
            ("I gave it Group.ReadWrite.All and otherwise nothing. It errors with:\nAuthorization_RequestDenied: Insufficient privileges to complete the operation.", None),
            ("I reconnect every hour, otherwise it will fail with AADSTS700082: The refresh token has expired due to inactivity.", None),
            // What to set to prevent an error, written for others; the error met is not.
            ("Single-tenant apps must set the tenant id here in order to prevent the following error:\nAADSTS50194: Application is not configured as a multi-tenant application.", Some(Genre::WriteUp)),
            ("I set the tenant id to prevent it, and still get the following error:\nAADSTS50194: Application is not configured as a multi-tenant application.", None),
            ("How can I configure the app to avoid this error?\nAADSTS50194: Application is not configured as a multi-tenant application.", None),
            // A write-up's headings: what happened and why, in English and Chinese.
            ("Nightly deploy broke\n\nSymptom: the job fails with AADSTS7000222: The provided client secret keys for app are expired.\n\nWhy it happened\nThe connection's secret ran out after a year.\n\nFix\nCreate a new secret.", Some(Genre::WriteUp)),
            ("Why it happened to us, I can't say. Every run now ends with AADSTS7000222: The provided client secret keys for app are expired.", None),
            ("调用Graph时报AADSTS65001\n\n问题根因\n第二个API的权限没有被同意。\n\n解决方案\n登录时一并申请所有scope。", Some(Genre::WriteUp)),
            // A fix the writer shares; one they ask about, or followed and still fail, is not.
            ("got an `AADSTS700025: Client is public so neither 'client_assertion' nor 'client_secret' should be presented.` error. this was my solution", Some(Genre::WriteUp)),
            ("AADSTS50020: User account from identity provider does not exist in tenant\n\nThe solution would be to use an account of the tenant.", Some(Genre::WriteUp)),
            ("So the fix is to re-consent?\nAADSTS65001: The user or administrator has not consented", None),
            ("They told me the fix is to grant admin consent. I did and I still get:\nAADSTS65001: The user or administrator has not consented", None),
            ("Here is the workaround I found online, it doesn't help:\nAADSTS50076: Due to a configuration change made by your administrator", None),
            // A write-up that states the root cause it found; a root cause still sought is not.
            ("Adding an account fails with AADSTS65006.\n\nRoot cause is the app registration's API permissions, not our code.", Some(Genre::WriteUp)),
            ("Adding an account fails with AADSTS65006. The root cause is unknown to me, any idea?", None),
            ("I think the root cause is the CA policy, how do I fix it?\nAADSTS53003: Access has been blocked by Conditional Access policies.", None),
            // A request to update the docs.
            ("Can you please update the document with the permission this needs?\n{\"error\": {\"code\": \"Authorization_RequestDenied\"}}", Some(Genre::DocsReport)),
            // A release note's item says what was fixed.
            ("Mail connector 2.4\n\n- Fixed an issue where moving items failed with an access denied error.", Some(Genre::Change)),
            ("I fixed an issue where the secret was wrong, now I get:\nAADSTS7000215: Invalid client secret provided.", None),
            ("Moving items still fails for me with access denied:\nErrorAccessDenied: Access is denied. Check credentials and try again.", None),
            // Articles: a how-to title, an 'Applies to' line, plain section headings.
            ("How to resolve AADSTS50173 in Outlook\n\nThe grant was revoked after a password change.", Some(Genre::WriteUp)),
            ("Teams sign-in errors\n\nApplies to: Teams desktop and web\n\nAADSTS50020: User account from identity provider does not exist in tenant", Some(Genre::WriteUp)),
            ("AADSTS50105 explained\n\nWhat this error means\nThe user is not assigned to the app.\n\nStep-by-step fix\n1. Assign the user.", Some(Genre::WriteUp)),
            ("Key Vault access from the pipeline\n\nSymptom\nThe job fails with AADSTS7000215.\n\nPossible Causes\n- The secret was rotated.\n\nDiagnosis Steps\n1. Compare the secret ids.", Some(Genre::WriteUp)),
            ("[solved] Graph export fails with AADSTS50173 after a password reset\nSign in again to get a new refresh token.", Some(Genre::WriteUp)),
            ("## Documentation request\n\nThe setup page does not say that Mail.Send must be an application permission; as delegated it returns 403 Forbidden.", Some(Genre::DocsReport)),
            // People replace values with placeholders of their own when they paste: no sign of
            // documentation.
            ("Sign-in fails:\nAADSTS50020: User account 'https://sts.windows.net/{GUID1}/' does not exist in tenant '{Tenant}'", None),
            // Pasted errors and reports of them are not.
            ("Hi. I'm following this article to set up SSO for the tab and when I upload the app I get AADSTS65001: The user or administrator has not consented to use the application.", None),
            // A stack trace or a pretty JSON body is not source code.
            ("{\n  \"error\": {\n    \"code\": \"Authorization_RequestDenied\",\n    \"message\": \"Insufficient privileges to complete the operation.\"\n  }\n}", None),
            ("Unhandled exception. Microsoft.Identity.Client.MsalUiRequiredException: AADSTS50076: Due to a configuration change\n   at Microsoft.Identity.Client.Internal.Requests.RequestBase.RunAsync()\n   at Program.Main()", None),
            ("Rotated the client secret and now:\nAADSTS7000215: Invalid client secret provided.", None),
            ("AADSTS90014: The required field 'scope' is missing from the credential.", None),
            ("AADSTS50076: Due to a configuration change\nAADSTS50079: The user is required to enrol\nAADSTS50158: External security challenge was not satisfied", None),
            ("Add-MailboxPermission : Insufficient access rights to perform the operation.", None),
            ("Update user password results in Authorization_RequestDenied", None),
            ("Handling ERROR: {\"code\":\"Request_BadRequest\",\"message\":\"Invalid value\"}", None),
            ("Fix needed: since Monday every sign-in fails with AADSTS50076", None),
            ("Update: still getting AADSTS50076 after the reset", None),
            ("Support needed, Get-MgUser gives error: Insufficient privileges", None),
            ("fix: tried reauthorizing but AADSTS700082 didn't go away", None),
            ("AADSTS50076: Due to a configuration change made by your administrator, you must use multi-factor authentication.", None),
            ("Tried the fix from the docs, still get AADSTS50173: The provided grant has expired", None),
            // A script's braces and a JSON body are no placeholders; a how-to asked is no article.
            ("Get-MgUser -All | ForEach-Object { $_.Id }\nGet-MgUser : Insufficient privileges to complete the operation.", None),
            ("{\"error\":{\"code\":\"InvalidAuthenticationToken\",\"message\":\"Access token has expired.\"}}", None),
            ("How do I fix this? AADSTS700082: The refresh token has expired due to inactivity.", None),
            ("Error\nAADSTS50076: Due to a configuration change made by your administrator, you must use multi-factor authentication.", None),
            ("It would be nice to get past this: AADSTS50076 every morning", None),
            // A bug report's template headings are a report of someone's error.
            ("### Describe the bug\nSign-in fails.\n\n### Steps to reproduce\n1. Connect-MgGraph\n\n### Error\nAADSTS50076: Due to a configuration change made by your administrator", None),
            ("My app receives the following error since Monday:\nAADSTS7000215: Invalid client secret provided.", None),
        ];
        for (text, want) in cases {
            assert_eq!(genre(text), *want, "{text}");
            assert_eq!(
                read(text).only_mentions(),
                want.is_some() || read(text).only_mentions(),
                "{text}"
            );
        }
    }

    #[test]
    fn wrapped_messages_are_read() {
        let said = messages("Error: Could not create policy: ConditionalAccessPoliciesClient.BaseClient.Post(): unexpected status 400 with OData error: BadRequest: 1039: Cannot create policies with premium features.");
        assert_eq!(
            said,
            ["1039: Cannot create policies with premium features."]
        );
        // A terminal wrapped the message mid-sentence: it goes on to the next line.
        let said = messages("unexpected status 403 with OData error: Authorization_RequestDenied: Insufficient privileges to complete\n      > the operation.\n");
        assert_eq!(
            said,
            ["Insufficient privileges to complete\n      > the operation."]
        );
        // Terraform wraps with a box-drawing bar.
        let said = messages("│ unexpected status 403 with OData\n│ error: Authorization_RequestDenied: Insufficient privileges to complete the\n│ operation.\n");
        assert_eq!(
            said,
            ["Insufficient privileges to complete the\n│ operation."]
        );
        // A message cut without a period is not joined to the stack frame under it.
        let said = messages("Microsoft.Graph.ServiceException: Code: Authorization_RequestDenied Timestamp: 2024-01-02T03:04:05Z\n   at Microsoft.Graph.UserItemRequestBuilder.PatchAsync()");
        assert_eq!(
            said,
            ["Code: Authorization_RequestDenied Timestamp: 2024-01-02T03:04:05Z"]
        );
        // A whole sentence ends the message; the stack frame under it is not part of it.
        let said = messages(
            "System.InvalidOperationException: The token has expired.\n   at Contoso.Sync.Run()",
        );
        assert_eq!(said, ["The token has expired."]);
        // A line that ends mid-sentence before one that starts a new thought in capitals.
        let said = messages("Message: Access to the mailbox was denied for\nUser: ana@contoso.com");
        assert_eq!(said, ["Access to the mailbox was denied for"]);
    }

    #[test]
    fn http_headers_are_not_cmdlet_errors() {
        let said = messages("Content-Type: application/json\nUser-Agent: Mozilla/5.0 PowerShell/7.0.2\nSet-Mailbox : Insufficient access rights to perform the operation.");
        assert_eq!(
            said,
            ["Insufficient access rights to perform the operation."]
        );
    }

    #[test]
    fn a_status_alone_is_no_message() {
        let said = messages("Update-IntuneManagedDevice : 400 Bad Request\n{\"error\": {\"code\": \"No method match route template\", \"message\": \"No OData route exists that match template ~/singleton\"}}");
        assert_eq!(
            said,
            ["No OData route exists that match template ~/singleton"]
        );
        assert!(messages("Get-MgUser : (403) Forbidden.").is_empty());
        assert!(messages(
            "Invoke-RestMethod : The remote server returned an error: (403) Forbidden."
        )
        .is_empty());
        assert!(messages(
            "Exception: Response status code does not indicate success: 403 (Forbidden)."
        )
        .is_empty());
        assert!(messages("AxiosError: Request failed with status code 403").is_empty());
        assert_eq!(
            messages(
                "Get-MgUser : 403 Forbidden: Insufficient privileges to complete the operation."
            ),
            ["403 Forbidden: Insufficient privileges to complete the operation."]
        );
    }

    #[test]
    fn every_group_of_the_message_pattern_is_a_named_message() {
        let named = MESSAGE.capture_names().flatten().count();
        assert_eq!(
            MESSAGE.captures_len(),
            named + 1,
            "an unnamed group in MESSAGE"
        );
    }

    #[test]
    fn messages_of_bodies_inside_strings_are_read() {
        let said = messages(
            r#"autorest/azure: Service returned an error. Status=403 Code=\"Unknown\" Message=\"Unknown service error\" Details=[{\"odata.error\":{}}]"#,
        );
        assert_eq!(said, ["Unknown service error"]);
        let said = messages(
            r#"{"errors":["Status=403 Details=[{\"odata.error\":{\"code\":\"Authorization_RequestDenied\",\"message\":{\"lang\":\"en\",\"value\":\"The backing application must be in the local tenant\"}}}]"]}"#,
        );
        assert!(
            said.iter()
                .any(|m| m == "The backing application must be in the local tenant"),
            "{said:?}"
        );
        let said = messages(
            r#"log: "{\"error\":\"invalid_grant\",\"error_description\":\"AADSTS50173: The provided grant has expired due to it being revoked.\\r\\nTrace ID: 0\"}""#,
        );
        assert!(
            said.iter().any(
                |m| m == "AADSTS50173: The provided grant has expired due to it being revoked."
            ),
            "{said:?}"
        );
    }

    #[test]
    fn messages_in_log_fields_and_error_details_are_read() {
        let said = messages("push failed: httpStatusCode=400 errorCode=Request_BadRequest errorMessage=\"Unable to update the specified properties for synced objects.\" request-id=<id>");
        assert_eq!(
            said,
            ["Unable to update the specified properties for synced objects."]
        );
        let said = messages("error_message: The user account is disabled by policy");
        assert_eq!(said, ["The user account is disabled by policy"]);
        let said = messages("Unable to connect to the tenant. Error detail: Insufficient privileges to complete the operation.\n   at Contoso.Connect()");
        assert_eq!(said, ["Insufficient privileges to complete the operation."]);
        let said = messages(
            r#"{"errorCode": "Forbidden", "errorMessage": "The caller is not authorized for this tenant."}"#,
        );
        assert_eq!(said, ["The caller is not authorized for this tenant."]);
        let said = messages("Error Details: Insufficient privileges to complete the operation.");
        assert_eq!(said, ["Insufficient privileges to complete the operation."]);
        // A word that only ends in "message" is no field of one, and an assignment in code is
        // no log.
        assert!(messages("sendErrorMessage=true in the settings").is_empty());
        assert!(
            messages(r#"    errorMessage = "Could not load the data for this account";"#)
                .is_empty()
        );
        // .NET's default text names the exception's type only: no message of the error.
        assert!(messages("Error detail: Exception of type 'Microsoft.Graph.Models.ODataErrors.ODataError' was thrown.").is_empty());
    }

    #[test]
    fn a_word_error_in_prose_is_not_a_log_level() {
        assert!(!read("error-prone setups are common here").carries);
        assert!(read("2024-05-02 10:11:12 ERROR - sync stopped").carries);
    }
}

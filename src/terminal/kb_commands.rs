//! `errmedic kb …`: checking, importing, drafting, promoting and showing knowledge-base entries.
//! One function per subcommand.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use clap::Subcommand;

use super::{console, render};
use crate::authoring::drafts;
use crate::config::Config;
use crate::engine::Engine;
use crate::kb;

#[derive(Debug, Subcommand)]
pub enum KbCommand {
    /// Validate a knowledge-base directory and list every problem.
    Check {
        /// [default: ERRMEDIC_KB_DIR or kb]
        dir: Option<PathBuf>,
        /// Warn about entries not reviewed within this long (`180d`, `26w`).
        #[arg(long)]
        stale_after: Option<String>,
    },
    /// Check every link of the knowledge base; non-zero exit when any is broken.
    Links {
        #[arg(long)]
        kb: Option<PathBuf>,
        /// Seconds each request may take.
        #[arg(long, default_value_t = 10)]
        timeout: u64,
        /// Requests at a time.
        #[arg(long, default_value_t = 8)]
        concurrency: usize,
    },
    /// List the entries.
    List {
        #[arg(long)]
        kb: Option<PathBuf>,
    },
    /// Show one entry.
    Show {
        id: String,
        #[arg(long)]
        kb: Option<PathBuf>,
    },
    /// Turn troubleshooting pages in Markdown into draft entries (kb/drafts/), one per section.
    Import {
        /// Markdown pages (GitBook, MkDocs, a docs repo).
        #[arg(required = true)]
        pages: Vec<PathBuf>,
        /// The pages' published URL, to make relative links absolute.
        #[arg(long)]
        base_url: Option<String>,
        /// Where the drafts go [default: <kb>/drafts].
        #[arg(long)]
        out: Option<PathBuf>,
        #[arg(long)]
        kb: Option<PathBuf>,
    },
    /// Write a draft from a closed escalation in the record, or skeletons for the errors nothing
    /// answered most often.
    Draft {
        /// The escalation's record id (as `report --json` gives it) or its thread id.
        #[arg(long, conflicts_with = "unanswered")]
        escalation: Option<String>,
        /// Skeletons for the most frequent unanswered errors.
        #[arg(long, conflicts_with = "signature")]
        unanswered: bool,
        /// A skeleton for the unanswered error with this signature (as `report` and the
        /// dashboard give it).
        #[arg(long, conflicts_with = "escalation")]
        signature: Option<String>,
        #[arg(long, default_value_t = 5)]
        top: usize,
        #[arg(long)]
        kb: Option<PathBuf>,
    },
    /// Check a draft as a published entry, record the review, and move it into the knowledge base.
    Promote {
        id: String,
        /// Who reviewed it [default: $USER].
        #[arg(long)]
        by: Option<String>,
        #[arg(long)]
        kb: Option<PathBuf>,
    },
    /// Example pastes of entries: those marked Solved in the record wait for a person
    /// (`--pending`), who accepts or drops them; `--add ENTRY --source S` adds one from stdin.
    /// Every example is redacted and checked before it is written.
    Examples {
        /// List the pastes marked Solved that wait to become examples.
        #[arg(long)]
        pending: bool,
        /// Add the waiting paste with this number to its entry.
        #[arg(long, value_name = "N")]
        accept: Option<i64>,
        /// Forget the waiting paste with this number.
        #[arg(long, value_name = "N")]
        drop: Option<i64>,
        /// Add the paste on stdin to this entry (with --source).
        #[arg(long, value_name = "ENTRY", requires = "source")]
        add: Option<String>,
        /// Where the pasted example was seen (a thread's address).
        #[arg(long)]
        source: Option<String>,
        #[arg(long)]
        kb: Option<PathBuf>,
    },
    /// The reference tier (the general meaning of every Entra and common Graph code).
    Reference {
        #[command(subcommand)]
        command: ReferenceCommand,
    },
    /// Write a synthetic knowledge base (the shipped entries plus generated ones) for timing.
    Synth {
        /// Number of entries in all.
        #[arg(long)]
        entries: usize,
        #[arg(long)]
        out: PathBuf,
        #[arg(long, default_value_t = 42)]
        seed: u64,
        #[arg(long)]
        kb: Option<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
pub enum ReferenceCommand {
    /// Write the Entra pack from Microsoft's table (reference-error-codes.md of
    /// MicrosoftDocs/entra-docs) and our words in reference/.
    Import {
        /// The Markdown page holding the AADSTS table.
        table: PathBuf,
        /// Our words and notes: aadsts-words.json, categories.json, articles.json, aadsts-unlisted.json.
        #[arg(long, default_value = "reference")]
        sources: PathBuf,
        #[arg(long, default_value = "kb/reference/aadsts.json")]
        out: PathBuf,
    },
}

/// Runs a `kb` subcommand; the exit code.
pub fn run(command: KbCommand, config: &Config) -> anyhow::Result<i32> {
    match command {
        KbCommand::Check { dir, stale_after } => check(dir, stale_after, config),
        KbCommand::Links {
            kb,
            timeout,
            concurrency,
        } => links(kb, timeout, concurrency, config),
        KbCommand::Import {
            pages,
            base_url,
            out,
            kb,
        } => import(pages, base_url, out, kb, config),
        KbCommand::Draft {
            escalation,
            unanswered,
            signature,
            top,
            kb,
        } => draft(escalation, unanswered, signature, top, kb, config),
        KbCommand::Promote { id, by, kb } => promote(id, by, kb, config),
        KbCommand::List { kb } => list(kb, config),
        KbCommand::Examples {
            pending,
            accept,
            drop,
            add,
            source,
            kb,
        } => examples(
            Examples {
                pending,
                accept,
                drop,
                add: add.zip(source),
            },
            kb,
            config,
        ),
        KbCommand::Reference { command } => reference(command),
        KbCommand::Synth {
            entries,
            out,
            seed,
            kb,
        } => synth(entries, out, seed, kb, config),
        KbCommand::Show { id, kb } => show(id, kb, config),
    }
}

/// `kb check`: every problem of the knowledge base and its drafts; with `--stale-after`, entries not reviewed for that long.
fn check(
    dir: Option<PathBuf>,
    stale_after: Option<String>,
    config: &Config,
) -> anyhow::Result<i32> {
    let dir = kb_dir(dir, config);
    let stale_days = stale_after
        .as_deref()
        .map(crate::authoring::links::parse_age)
        .transpose()
        .map_err(|e| anyhow::anyhow!("--stale-after: {e}"))?;
    let (published, mut code) = match kb::load_dir(&dir) {
        Ok(kb) => {
            println!(
                "{}: {} entries and {} reference entries, no problems",
                dir.display(),
                kb.curated().count(),
                kb.reference().count()
            );
            if let Some(days) = stale_days {
                stale(&kb, days);
            }
            (kb.entries.iter().map(|e| e.id.clone()).collect(), 0)
        }
        Err(e) => {
            for p in &e.problems {
                println!("{p}");
            }
            println!("{} problem(s) in {}", e.problems.len(), dir.display());
            (drafts::published_ids(&dir), 1)
        }
    };
    let drafts = drafts::check_dir(&dir.join("drafts"), &published);
    if !drafts.drafts.is_empty() || !drafts.errors.is_empty() {
        for p in &drafts.errors {
            println!("{p}");
        }
        for p in &drafts.todo {
            println!("to fill before promoting: {p}");
        }
        println!(
            "{} draft(s) in {}: {} problem(s), {} thing(s) for a reviewer to fill",
            drafts.drafts.len(),
            dir.join("drafts").display(),
            drafts.errors.len(),
            drafts.todo.len()
        );
        if !drafts.errors.is_empty() {
            code = 1;
        }
    }
    Ok(code)
}

/// `kb links`: every link checked; broken ones listed.
fn links(
    kb: Option<PathBuf>,
    timeout: u64,
    concurrency: usize,
    config: &Config,
) -> anyhow::Result<i32> {
    let dir = kb_dir(kb, config);
    let links = crate::authoring::links::collect(&dir);
    let urls: Vec<String> = links.keys().cloned().collect();
    let runtime = tokio::runtime::Runtime::new().context("starting the async runtime")?;
    let results = runtime.block_on(crate::authoring::links::check(
        urls,
        std::time::Duration::from_secs(timeout),
        concurrency,
    ))?;
    let broken: Vec<&(String, crate::authoring::links::Outcome)> = results
        .iter()
        .filter(|(_, o)| matches!(o, crate::authoring::links::Outcome::Broken(_)))
        .collect();
    for (url, outcome) in &broken {
        if let crate::authoring::links::Outcome::Broken(why) = outcome {
            println!("BROKEN  {url}  {why}  in {}", links[url].join(", "));
        }
    }
    println!("{} link(s) checked, {} broken", results.len(), broken.len());
    Ok(if broken.is_empty() { 0 } else { 1 })
}

/// `kb import`: Markdown pages into drafts; drafts a person edited are kept as they are.
fn import(
    pages: Vec<PathBuf>,
    base_url: Option<String>,
    out: Option<PathBuf>,
    kb: Option<PathBuf>,
    config: &Config,
) -> anyhow::Result<i32> {
    let dir = kb_dir(kb, config);
    let out = out.unwrap_or_else(|| dir.join("drafts"));
    let mut ids = drafts::Ids::new(&drafts::published_ids(&dir), &drafts::existing(&out));
    let (mut written, mut kept) = (0, 0);
    for page in &pages {
        let text =
            std::fs::read_to_string(page).with_context(|| format!("reading {}", page.display()))?;
        // The page as named on the command line: two pages of the same file name in
        // different folders are different origins.
        let name = page.display().to_string();
        for draft in crate::authoring::import::drafts(&text, &name, base_url.as_deref(), &mut ids) {
            match drafts::write(&out, &draft) {
                Ok(path) => {
                    println!("{}  {}", path.display(), draft.title);
                    written += 1;
                }
                Err(e @ (drafts::DraftError::Edited(_) | drafts::DraftError::Taken(_))) => {
                    println!("kept: {e}");
                    kept += 1;
                }
                Err(e) => return Err(e.into()),
            }
        }
    }
    println!(
        "{written} draft(s){}; review them (errmedic kb check), then errmedic kb promote ID",
        if kept > 0 {
            format!(", {kept} edited one(s) kept as they are")
        } else {
            String::new()
        }
    );
    Ok(0)
}

/// `kb draft`: a draft from an escalation, or skeletons for the errors nothing answered most often.
fn draft(
    escalation: Option<String>,
    unanswered: bool,
    signature: Option<String>,
    top: usize,
    kb: Option<PathBuf>,
    config: &Config,
) -> anyhow::Result<i32> {
    let dir = kb_dir(kb, config);
    if !config.database.exists() {
        bail!("no record at {} (ERRMEDIC_DATABASE)", config.database);
    }
    let store = crate::store::Store::connect(&config.database)?;
    let mut ids = drafts::Ids::new(
        &drafts::published_ids(&dir),
        &drafts::existing(&dir.join("drafts")),
    );
    let drafts: Vec<kb::Entry> = match (escalation, unanswered) {
        (None, false) if signature.is_some() => {
            let signature = signature.unwrap_or_default();
            let u = store.unanswered_signature(&signature)?.ok_or_else(|| {
                anyhow::anyhow!(
                    "no unanswered error with the signature `{signature}` in the record"
                )
            })?;
            vec![crate::authoring::drafting::from_unanswered(&u, &mut ids)]
        }
        (Some(key), _) => {
            // A thread id is a Discord snowflake; a record id is small.
            let source = match key.parse::<i64>() {
                Ok(n) if n < 1 << 32 => store.draft_source(crate::store::DraftKey::Id(n))?,
                _ => store.draft_source(crate::store::DraftKey::Thread(&key))?,
            };
            let source =
                source.ok_or_else(|| anyhow::anyhow!("no escalation `{key}` in the record"))?;
            vec![crate::authoring::drafting::from_escalation(
                &source, &mut ids,
            )]
        }
        (None, true) => {
            let report = store.report_data()?;
            let mut out = Vec::new();
            for u in report.unanswered.iter().take(top) {
                out.push(crate::authoring::drafting::from_unanswered(u, &mut ids));
            }
            out
        }
        (None, false) => bail!("say which: --escalation ID, --unanswered or --signature TEXT"),
    };
    for d in &drafts {
        let path = drafts::write(&dir.join("drafts"), d)?;
        println!("{}  {}", path.display(), d.title);
    }
    println!(
        "{} draft(s); review them (errmedic kb check), then errmedic kb promote ID",
        drafts.len()
    );
    Ok(0)
}

/// `kb promote`: a reviewed draft into the knowledge base.
fn promote(
    id: String,
    by: Option<String>,
    kb: Option<PathBuf>,
    config: &Config,
) -> anyhow::Result<i32> {
    let dir = kb_dir(kb, config);
    let by = by
        .or_else(|| std::env::var("USER").ok())
        .unwrap_or_else(|| "unknown".into());
    match drafts::promote(&dir, &id, &by, &crate::text::dates::today()) {
        Ok(path) => {
            println!(
                "promoted {id} to {} (reviewed by {by}); /kb reload serves it",
                path.display()
            );
            Ok(0)
        }
        Err(e) => {
            eprintln!("errmedic: {e}");
            Ok(1)
        }
    }
}

/// `kb list`: the entries, one a line.
fn list(kb: Option<PathBuf>, config: &Config) -> anyhow::Result<i32> {
    let engine = load_engine(&kb_dir(kb, config))?;
    print!(
        "{}",
        console::respond(&engine, &console::Input::KbList(None)).unwrap_or_default()
    );
    Ok(0)
}

/// `kb reference import`: Microsoft's table of Entra codes and our words into the reference pack.
fn reference(command: ReferenceCommand) -> anyhow::Result<i32> {
    let ReferenceCommand::Import {
        table,
        sources,
        out,
    } = command;
    let crate::authoring::reference_import::Imported { entries, orphans } =
        crate::authoring::reference_import::import(&table, &sources, &out)?;
    let mut by_category: std::collections::BTreeMap<&str, usize> = Default::default();
    for e in &entries {
        *by_category.entry(e.category.as_str()).or_default() += 1;
    }
    let named = entries.iter().filter(|e| e.name.is_some()).count();
    println!(
        "wrote {} codes ({named} with Microsoft's name) to {}",
        entries.len(),
        out.display()
    );
    for (c, n) in by_category {
        println!("  {c:<20} {n}");
    }
    let messages: usize = entries.iter().map(|e| e.messages.len()).sum();
    let with = entries.iter().filter(|e| !e.messages.is_empty()).count();
    println!("  {messages} of Microsoft's messages on {with} codes");
    if !orphans.is_empty() {
        println!(
            "  not written: messages of {} codes neither the table nor aadsts-unlisted.json lists: {}",
            orphans.len(),
            orphans.join(", ")
        );
    }
    Ok(0)
}

/// `kb synth`: a synthetic knowledge base for benchmarks.
fn synth(
    entries: usize,
    out: PathBuf,
    seed: u64,
    kb: Option<PathBuf>,
    config: &Config,
) -> anyhow::Result<i32> {
    let shipped = kb::load_dir(&kb_dir(kb, config)).map_err(|e| anyhow::anyhow!("{e}"))?;
    let curated: Vec<kb::Entry> = shipped.curated().cloned().collect();
    let all = crate::devtools::synth::knowledge_base(&curated, entries, seed);
    crate::devtools::synth::write_dir(&all, &out)
        .with_context(|| format!("writing {}", out.display()))?;
    println!("wrote {} entries to {}", all.len(), out.display());
    Ok(0)
}

/// `kb show`: one entry in full.
fn show(id: String, kb: Option<PathBuf>, config: &Config) -> anyhow::Result<i32> {
    let engine = load_engine(&kb_dir(kb, config))?;
    match engine.kb().get(&id) {
        Some(e) => {
            print!("{}", render::entry(e));
            Ok(0)
        }
        None => {
            eprintln!("no entry `{id}`");
            Ok(1)
        }
    }
}

/// Loads the knowledge base and builds the engine, or fails listing every problem.
pub fn load_engine(dir: &Path) -> anyhow::Result<Engine> {
    let kb = kb::load_dir(dir).map_err(|e| {
        anyhow::anyhow!(
            "cannot load the knowledge base from {}:\n{e}",
            dir.display()
        )
    })?;
    tracing::info!(entries = kb.entries.len(), dir = %dir.display(), "knowledge base loaded");
    Ok(Engine::new(kb))
}

pub(super) fn kb_dir(flag: Option<PathBuf>, config: &Config) -> PathBuf {
    flag.unwrap_or_else(|| config.kb_dir.clone())
}

/// Prints the curated entries not reviewed within `days` days (or never).
fn stale(kb: &kb::KnowledgeBase, days: u64) {
    let today = crate::text::dates::days_of(&crate::text::dates::today()).unwrap_or(0);
    let mut n = 0;
    for e in kb.curated() {
        let age = e
            .reviewed
            .as_ref()
            .and_then(|r| crate::text::dates::days_of(&r.on))
            .map(|d| today - d);
        match age {
            Some(a) if a <= days as i64 => {}
            Some(a) => {
                println!("stale: {} was last reviewed {a} days ago", e.id);
                n += 1;
            }
            None => {
                println!("stale: {} has never been reviewed", e.id);
                n += 1;
            }
        }
    }
    println!(
        "{n} entr{} not reviewed within {days} days",
        if n == 1 { "y" } else { "ies" }
    );
}

/// What `kb examples` was asked to do.
struct Examples {
    pending: bool,
    accept: Option<i64>,
    drop: Option<i64>,
    add: Option<(String, String)>,
}

/// `kb examples`: candidate examples from the record, accepted or dropped; or one from stdin.
fn examples(ask: Examples, kb: Option<PathBuf>, config: &Config) -> anyhow::Result<i32> {
    use crate::authoring::examples::add;
    use crate::kb::Example;
    let dir = kb_dir(kb, config);
    if let Some((entry, source)) = ask.add {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin(), &mut text)?;
        let path = add(&dir, &entry, Example { text, source })?;
        println!("added an example to {}", path.display());
        return Ok(0);
    }
    if !(ask.pending || ask.accept.is_some() || ask.drop.is_some()) {
        bail!("say which: --pending, --accept N, --drop N, or --add ENTRY --source S");
    }
    if !config.database.exists() {
        bail!(
            "no record at {} yet (ERRMEDIC_DATABASE); the bot creates it on first run",
            config.database
        );
    }
    let store = crate::store::Store::connect(&config.database)?;
    let waiting = store.example_candidates()?;
    let find = |n: i64| {
        waiting
            .iter()
            .find(|c| c.id == n)
            .ok_or_else(|| anyhow::anyhow!("no waiting example {n} (see --pending)"))
    };
    if let Some(n) = ask.accept {
        let c = find(n)?;
        let source = format!("record: answer marked Solved (message {})", c.message);
        let path = add(
            &dir,
            &c.entry,
            Example {
                text: c.text.clone(),
                source,
            },
        )?;
        store.drop_example_candidate(n)?;
        println!(
            "example {n} added to {}; /kb reload (or a restart) serves it",
            path.display()
        );
    } else if let Some(n) = ask.drop {
        find(n)?;
        store.drop_example_candidate(n)?;
        println!("example {n} dropped");
    } else {
        if waiting.is_empty() {
            println!("no pastes marked Solved are waiting");
        }
        for c in &waiting {
            let first = c.text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
            println!(
                "{:>4}  {}  {}",
                c.id,
                c.entry,
                crate::text::words::cut(first.trim(), 100)
            );
        }
    }
    Ok(0)
}

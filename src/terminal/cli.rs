//! Command-line commands: `ask`, `match --jsonl`, `eval`, `kb check|list|show`, and the default
//! (the bot when a Discord token is configured, the console otherwise).

use std::io::{BufRead, Read, Write};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use clap::{Parser, Subcommand};
use serde::{Deserialize, Serialize};

use super::{console, render};
use crate::authoring::drafts;
use crate::config::Config;
use crate::devtools::eval;
use crate::engine::{Engine, Mode};
use crate::kb;

/// errmedic: answers pasted Microsoft cloud errors from a curated knowledge base.
#[derive(Debug, Parser)]
#[command(name = "errmedic", version, about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Answer an error or question, as a person reads it (text from the arguments or stdin).
    Ask {
        /// The text; read from stdin when absent.
        text: Vec<String>,
        /// Treat the text as a lookup (`/fix`) instead of a pasted message.
        #[arg(long)]
        query: bool,
        /// Knowledge-base directory [default: ERRMEDIC_KB_DIR or kb].
        #[arg(long)]
        kb: Option<PathBuf>,
    },
    /// Match JSON Lines from stdin: {"text": ..., "mode": "paste"|"query"} → one JSON line each.
    Match {
        /// Read and write JSON Lines (the only format).
        #[arg(long, required = true)]
        jsonl: bool,
        #[arg(long)]
        kb: Option<PathBuf>,
    },
    /// Run evaluation case files and print the figures and every miss.
    Eval {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        #[arg(long)]
        kb: Option<PathBuf>,
        /// Print, for every miss, the evidence, the gate's inputs and its decision.
        #[arg(long)]
        explain: bool,
    },
    /// Fit the auto-reply gate's weights on evaluation cases and cross-validate the fit.
    Calibrate {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        #[arg(long)]
        kb: Option<PathBuf>,
        /// L2 penalty on the weights.
        #[arg(long, default_value_t = 0.05)]
        l2: f32,
        /// Folds of the cross-validation.
        #[arg(long, default_value_t = 5)]
        folds: usize,
    },
    /// Knowledge-base tools.
    Kb {
        #[command(subcommand)]
        command: KbCommand,
    },
    /// Print the record for a support lead: entries by helpfulness, escalations, unanswered errors.
    Report {
        /// One JSON object, for tooling (an empty report when there is no record yet).
        #[arg(long)]
        json: bool,
    },
    /// Time the engine (shipped, 1,000- and 10,000-entry knowledge bases) against a baseline.
    Bench {
        #[arg(long)]
        kb: Option<PathBuf>,
        /// Print one JSON line of the figures instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Load a knowledge base and print the resident memory in MB (used by `bench`).
    #[command(hide = true)]
    BenchRss {
        #[arg(long)]
        kb: PathBuf,
    },
}

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
        #[arg(long)]
        unanswered: bool,
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
        /// Our words: aadsts-words.json, categories.json, articles.json.
        #[arg(long, default_value = "reference")]
        sources: PathBuf,
        #[arg(long, default_value = "kb/reference/aadsts.json")]
        out: PathBuf,
    },
}

/// Completes on Ctrl-C or SIGTERM.
async fn shutdown_signal() {
    #[cfg(unix)]
    {
        let mut term =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(s) => s,
                Err(_) => return std::future::pending().await,
            };
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    let _ = tokio::signal::ctrl_c().await;
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

fn kb_dir(flag: Option<PathBuf>, config: &Config) -> PathBuf {
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

/// Reads evaluation case files.
fn read_cases(files: &[PathBuf]) -> anyhow::Result<Vec<eval::Case>> {
    let mut cases = Vec::new();
    for file in files {
        let text =
            std::fs::read_to_string(file).with_context(|| format!("reading {}", file.display()))?;
        cases.extend(eval::parse_cases(&file.display().to_string(), &text)?);
    }
    Ok(cases)
}

/// Runs a parsed command line. Returns the process exit code.
pub fn run(cli: Cli, config: Config) -> anyhow::Result<i32> {
    let stdout = std::io::stdout();
    match cli.command {
        None => match &config.discord_token {
            Some(_) => {
                let engine = load_engine(&config.kb_dir)?;
                let wiring = crate::discord::Wiring {
                    api_base: config.api_base.clone(),
                    handled: None,
                };
                let runtime =
                    tokio::runtime::Runtime::new().context("starting the async runtime")?;
                runtime.block_on(crate::discord::run(
                    config,
                    engine,
                    wiring,
                    shutdown_signal(),
                ))?;
                Ok(0)
            }
            None => {
                let engine = load_engine(&config.kb_dir)?;
                console::run(&engine, std::io::stdin().lock(), stdout.lock())?;
                Ok(0)
            }
        },
        Some(Command::Ask { text, query, kb }) => {
            let engine = load_engine(&kb_dir(kb, &config))?;
            let text = if text.is_empty() {
                let mut s = String::new();
                std::io::stdin()
                    .read_to_string(&mut s)
                    .context("reading the text from stdin")?;
                s
            } else {
                text.join(" ")
            };
            let out = if query {
                render::lookup(&engine, &engine.query(&text))
            } else {
                render::ask(&engine, &engine.paste(&text))
            };
            print!("{out}");
            Ok(0)
        }
        Some(Command::Match { kb, .. }) => {
            let engine = load_engine(&kb_dir(kb, &config))?;
            match_jsonl(&engine, std::io::stdin().lock(), stdout.lock())?;
            Ok(0)
        }
        Some(Command::Eval { files, kb, explain }) => {
            let engine = load_engine(&kb_dir(kb, &config))?;
            let cases = read_cases(&files)?;
            let figures = eval::run(&engine, &cases);
            for miss in &figures.misses {
                println!("{}", miss.line);
                if explain {
                    println!("{}", eval::explain(&engine, &miss.case));
                }
            }
            println!("{figures}");
            Ok(0)
        }
        Some(Command::Calibrate {
            files,
            kb,
            l2,
            folds,
        }) => {
            let engine = load_engine(&kb_dir(kb, &config))?;
            let cases = read_cases(&files)?;
            let samples = crate::devtools::calibrate::samples(&engine, &cases);
            print!(
                "{}",
                crate::devtools::calibrate::report(&samples, l2, folds.max(2))
            );
            Ok(0)
        }
        Some(Command::Kb { command }) => kb_command(command, &config),
        Some(Command::Report { json }) => {
            let report = if config.database.exists() {
                crate::store::Store::connect(&config.database)?.report_data()?
            } else if json {
                crate::store::Report::default()
            } else {
                bail!(
                    "no record at {} yet (ERRMEDIC_DATABASE); the bot creates it on first run",
                    config.database
                );
            };
            if json {
                println!("{}", serde_json::to_string(&report)?);
            } else {
                print!("{report}");
            }
            Ok(0)
        }
        Some(Command::Bench { kb, json }) => {
            let dir = kb_dir(kb, &config);
            let shipped = kb::load_dir(&dir).map_err(|e| anyhow::anyhow!("{e}"))?;
            let scratch =
                std::env::temp_dir().join(format!("errmedic-bench-{}", std::process::id()));
            let exe = std::env::current_exe().context("finding the errmedic binary")?;
            let rss = |dir: &Path| -> Option<f64> {
                let out = std::process::Command::new(&exe)
                    .args(["bench-rss", "--kb"])
                    .arg(dir)
                    .output()
                    .ok()?;
                String::from_utf8_lossy(&out.stdout).trim().parse().ok()
            };
            let mut progress = |what: &str| eprintln!("bench: {what}…");
            let figures =
                crate::devtools::bench::run(&dir, &shipped, &scratch, &rss, &mut progress);
            let _ = std::fs::remove_dir_all(&scratch);
            let figures = figures?;
            if json {
                println!("{}", crate::devtools::bench::json(&figures));
            } else {
                print!("{}", crate::devtools::bench::table(&figures));
            }
            Ok(0)
        }
        Some(Command::BenchRss { kb }) => {
            let engine = load_engine(&kb)?;
            std::hint::black_box(&engine);
            println!(
                "{:.1}",
                crate::devtools::bench::resident_mb().unwrap_or(0.0)
            );
            Ok(0)
        }
    }
}

fn kb_command(command: KbCommand, config: &Config) -> anyhow::Result<i32> {
    match command {
        KbCommand::Check { dir, stale_after } => {
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
        KbCommand::Links {
            kb,
            timeout,
            concurrency,
        } => {
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
        KbCommand::Import {
            pages,
            base_url,
            out,
            kb,
        } => {
            let dir = kb_dir(kb, config);
            let out = out.unwrap_or_else(|| dir.join("drafts"));
            let mut ids = drafts::Ids::new(&drafts::published_ids(&dir), &drafts::existing(&out));
            let (mut written, mut kept) = (0, 0);
            for page in &pages {
                let text = std::fs::read_to_string(page)
                    .with_context(|| format!("reading {}", page.display()))?;
                // The page as named on the command line: two pages of the same file name in
                // different folders are different origins.
                let name = page.display().to_string();
                for draft in
                    crate::authoring::import::drafts(&text, &name, base_url.as_deref(), &mut ids)
                {
                    match drafts::write(&out, &draft) {
                        Ok(path) => {
                            println!("{}  {}", path.display(), draft.title);
                            written += 1;
                        }
                        Err(e @ drafts::DraftError::Edited(_)) => {
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
        KbCommand::Draft {
            escalation,
            unanswered,
            top,
            kb,
        } => {
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
                (Some(key), _) => {
                    // A thread id is a Discord snowflake; a record id is small.
                    let source = match key.parse::<i64>() {
                        Ok(n) if n < 1 << 32 => {
                            store.draft_source(crate::store::DraftKey::Id(n))?
                        }
                        _ => store.draft_source(crate::store::DraftKey::Thread(&key))?,
                    };
                    let source = source
                        .ok_or_else(|| anyhow::anyhow!("no escalation `{key}` in the record"))?;
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
                (None, false) => bail!("say which: --escalation ID or --unanswered"),
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
        KbCommand::Promote { id, by, kb } => {
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
        KbCommand::List { kb } => {
            let engine = load_engine(&kb_dir(kb, config))?;
            print!(
                "{}",
                console::respond(&engine, &console::Input::KbList(None)).unwrap_or_default()
            );
            Ok(0)
        }
        KbCommand::Reference {
            command:
                ReferenceCommand::Import {
                    table,
                    sources,
                    out,
                },
        } => {
            let entries = crate::authoring::reference_import::import(&table, &sources, &out)?;
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
            Ok(0)
        }
        KbCommand::Synth {
            entries,
            out,
            seed,
            kb,
        } => {
            let shipped = kb::load_dir(&kb_dir(kb, config)).map_err(|e| anyhow::anyhow!("{e}"))?;
            let curated: Vec<kb::Entry> = shipped.curated().cloned().collect();
            let all = crate::devtools::synth::knowledge_base(&curated, entries, seed);
            crate::devtools::synth::write_dir(&all, &out)
                .with_context(|| format!("writing {}", out.display()))?;
            println!("wrote {} entries to {}", all.len(), out.display());
            Ok(0)
        }
        KbCommand::Show { id, kb } => {
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
    }
}

/// One input line of `match --jsonl`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct MatchInput {
    text: String,
    #[serde(default = "paste_mode")]
    mode: String,
}

fn paste_mode() -> String {
    "paste".into()
}

/// One output line of `match --jsonl`.
#[derive(Debug, Serialize, PartialEq)]
pub struct MatchOutput {
    pub auto_reply: Option<String>,
    pub top: Vec<Ranked>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

#[derive(Debug, Serialize, PartialEq)]
pub struct Ranked {
    pub id: String,
    pub score: f32,
    pub reasons: Vec<String>,
}

/// The output for one input line; a line that is not valid input gets an `error` and no answer.
pub fn match_line(engine: &Engine, line: &str) -> MatchOutput {
    let input: MatchInput = match serde_json::from_str(line) {
        Ok(i) => i,
        Err(e) => {
            return MatchOutput {
                auto_reply: None,
                top: vec![],
                error: Some(format!("not a match input: {e}")),
            }
        }
    };
    let mode = match input.mode.as_str() {
        "paste" => Mode::Paste,
        "query" => Mode::Query,
        other => {
            return MatchOutput {
                auto_reply: None,
                top: vec![],
                error: Some(format!("unknown mode `{other}`: use paste or query")),
            }
        }
    };
    let answer = engine.answer(&input.text, mode);
    MatchOutput {
        auto_reply: engine.auto_reply_id(&answer).map(str::to_string),
        top: answer
            .matches
            .iter()
            .take(3)
            .map(|m| Ranked {
                id: engine.entry(m.entry).id.clone(),
                score: (m.score * 1000.0).round() / 1000.0,
                reasons: m.reasons.clone(),
            })
            .collect(),
        error: None,
    }
}

/// Runs `match --jsonl`: one output line per non-empty input line, in order.
pub fn match_jsonl(engine: &Engine, input: impl BufRead, output: impl Write) -> anyhow::Result<()> {
    let mut out = std::io::BufWriter::new(output);
    for line in input.lines() {
        let line = line.context("reading stdin")?;
        if line.trim().is_empty() {
            continue;
        }
        serde_json::to_writer(&mut out, &match_line(engine, &line))?;
        out.write_all(b"\n")?;
    }
    out.flush()?;
    Ok(())
}

//! The binary's commands, run as a user would.

use std::io::Write;
use std::process::{Command, Stdio};

use crate::{root, run_errmedic, test_path};

/// The binary with `args`, run at the project's root on the shipped knowledge base, its three
/// streams piped.
fn spawn(args: &[&str]) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_errmedic"))
        .args(args)
        .current_dir(root())
        .env_remove("DISCORD_TOKEN")
        .env("ERRMEDIC_KB_DIR", "kb")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

fn errmedic(args: &[&str], stdin: &str) -> (i32, String, String) {
    let mut child = spawn(args);
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

#[test]
fn match_jsonl_keeps_the_contract() {
    let input = concat!(
        r#"{"text": "AADSTS50078: Presented multi-factor authentication has expired", "mode": "paste"}"#,
        "\n",
        r#"{"text": "thanks!", "mode": "paste"}"#,
        "\n\n",
        r#"{"text": "token expird", "mode": "query"}"#,
        "\n",
        "not json\n",
    );
    let (code, out, err) = errmedic(&["match", "--jsonl"], input);
    assert_eq!(code, 0, "{err}");
    let lines: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 4, "{out}");
    assert_eq!(lines[0]["auto_reply"], "mfa-expired");
    assert_eq!(lines[0]["top"][0]["id"], "mfa-expired");
    let score = lines[0]["top"][0]["score"].as_f64().unwrap();
    // An auto-reply shows one of the confidences its band was observed at.
    assert!(errmedic::engine::SHOWN.contains(&(score as f32)), "{score}");
    assert!(!lines[0]["top"][0]["reasons"].as_array().unwrap().is_empty());
    assert_eq!(lines[1]["auto_reply"], serde_json::Value::Null);
    assert_eq!(lines[1]["top"].as_array().unwrap().len(), 0);
    assert_eq!(lines[2]["auto_reply"], serde_json::Value::Null);
    assert_eq!(lines[2]["top"][0]["id"], "token-expired");
    assert!(lines[2]["top"].as_array().unwrap().len() <= 3);
    assert!(lines[3]["error"]
        .as_str()
        .unwrap()
        .contains("not a match input"));
}

/// A reader that stops early (`errmedic match --jsonl … | head -1`): the command ends without a
/// panic or an error message, as other command-line tools do.
#[test]
fn a_reader_that_goes_away_ends_the_command_quietly() {
    use std::io::{BufRead, BufReader};
    let mut child = spawn(&["match", "--jsonl"]);
    // Far more answers than a pipe holds, written from a thread (the child may stop reading).
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        let line = "{\"text\": \"AADSTS50076: Due to a configuration change made by your administrator\", \"mode\": \"paste\"}\n";
        for _ in 0..20_000 {
            if stdin.write_all(line.as_bytes()).is_err() {
                break;
            }
        }
    });
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    assert!(first.contains("mfa-required-location"), "{first}");
    // The reader goes away.
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        !err.contains("panicked") && !err.contains("Broken pipe"),
        "{err}"
    );
}

#[test]
fn ask_prints_steps_or_says_nothing_matched() {
    let (code, out, _) = errmedic(&["ask", "Code: ErrorSendAsDenied"], "");
    assert_eq!(code, 0);
    assert!(
        out.contains("[graph-exo-access-denied]")
            && out.contains("  1. ")
            && out.contains("https://"),
        "{out}"
    );
    let (_, out, _) = errmedic(&["ask"], "we are having lunch");
    assert!(out.contains("No knowledge-base entry matches"), "{out}");
}

#[test]
fn kb_check_fails_on_a_broken_kb_and_passes_on_the_shipped_one() {
    let (code, out, _) = errmedic(
        &[
            "kb",
            "check",
            test_path("fixtures/broken_kb").to_str().unwrap(),
        ],
        "",
    );
    assert_eq!(code, 1);
    assert!(
        out.contains("problem(s)") && out.contains("bad-pattern.json:"),
        "{out}"
    );
    let (code, out, _) = errmedic(&["kb", "check", "kb"], "");
    assert_eq!(code, 0, "{out}");
}

#[test]
fn a_missing_kb_dir_is_a_clear_error() {
    let (code, _, err) = errmedic(&["ask", "--kb", "no-such-dir", "x"], "");
    assert_eq!(code, 1);
    assert!(
        err.contains("cannot load the knowledge base") && err.contains("no-such-dir"),
        "{err}"
    );
}

#[test]
fn nothing_is_fitted_on_the_frozen_split() {
    let frozen = test_path("collected/frozen.jsonl");
    let out = std::env::temp_dir().join(format!("errmedic-frozen-{}.json", std::process::id()));
    let (code, _, err) = errmedic(
        &[
            "train-mentions",
            "--out",
            out.to_str().unwrap(),
            test_path("collected/tune.jsonl").to_str().unwrap(),
            frozen.to_str().unwrap(),
        ],
        "",
    );
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("frozen.jsonl") && err.contains("nothing is fitted on it"),
        "{err}"
    );
    assert!(!out.exists(), "a model was written");
}

#[test]
fn eval_prints_the_figures() {
    let file = test_path("cases/queries.jsonl");
    let n = std::fs::read_to_string(&file)
        .unwrap()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .count();
    assert!(n > 0, "no lookup cases in {}", file.display());
    let (code, out, _) = errmedic(&["eval", file.to_str().unwrap()], "");
    assert_eq!(code, 0);
    assert!(
        out.contains(&format!("queries: {n} — top-1 {n} (100.0%)")),
        "{out}"
    );
}

#[test]
fn kb_synth_writes_a_valid_knowledge_base_that_match_can_use() {
    let dir = std::env::temp_dir().join(format!("errmedic-synth-test-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let (code, out, err) = errmedic(
        &[
            "kb",
            "synth",
            "--entries",
            "60",
            "--out",
            dir.to_str().unwrap(),
        ],
        "",
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("wrote 60 entries"), "{out}");
    let (code, out, _) = errmedic(&["kb", "check", dir.to_str().unwrap()], "");
    assert_eq!(code, 0, "{out}");
    let (code, out, err) = errmedic(
        &["match", "--jsonl", "--kb", dir.to_str().unwrap()],
        "{\"text\": \"AADSTS50078 while signing in\"}\n",
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("\"auto_reply\":\"mfa-expired\""), "{out}");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The binary run in `dir`, where a `.env` may lie.
fn errmedic_in(dir: &std::path::Path, args: &[&str]) -> (i32, String) {
    let (code, _, err) = run_errmedic(dir, &[("ERRMEDIC_KB_DIR", &root().join("kb"))], args);
    (code, err)
}

#[test]
fn dotenv_is_read_before_logging_and_a_malformed_one_stops_start() {
    let dir = std::env::temp_dir().join(format!("errmedic-cli-env-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    // RUST_LOG from `.env` takes effect: debug lines appear.
    std::fs::write(dir.join(".env"), "RUST_LOG=errmedic=debug\n").unwrap();
    let (code, err) = errmedic_in(&dir, &["kb", "list"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("configuration read"), "{err}");
    // A line that is not NAME=value: a clear error naming the file and line, and nothing runs.
    std::fs::write(dir.join(".env"), "RUST_LOG=warn\nDISCORD TOKEN abc\n").unwrap();
    let (code, err) = errmedic_in(&dir, &["kb", "list"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains(".env") && err.contains("line 2"), "{err}");
    // A malformed value is named by its key and line, never echoed: it may be a secret.
    std::fs::write(
        dir.join(".env"),
        "RUST_LOG=warn\nERRMEDIC_DATABASE=x.sqlite3\nAZURE_CLIENT_SECRET=\"Winter2026x'Blue\n",
    )
    .unwrap();
    let (code, err) = errmedic_in(&dir, &["kb", "list"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("AZURE_CLIENT_SECRET") && err.contains("line 3"),
        "{err}"
    );
    assert!(!err.contains("Winter2026"), "the value is echoed: {err}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_reference_importer_reads_a_table_and_writes_a_pack_that_loads() {
    let dir = std::env::temp_dir().join(format!("errmedic-ref-import-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let out = dir.join("aadsts.json");
    // Our words as shipped, without the codes the table lacks: the table's rows alone.
    let sources = dir.join("sources");
    std::fs::create_dir_all(&sources).unwrap();
    for file in ["aadsts-words.json", "categories.json", "articles.json"] {
        std::fs::copy(root().join("reference").join(file), sources.join(file)).unwrap();
    }
    std::fs::write(sources.join("aadsts-unlisted.json"), "{}").unwrap();
    std::fs::write(
        sources.join("aadsts-messages.json"),
        r#"{
            "AADSTS700016": [{"message": "Application with identifier '{appId}' was not found in the directory '{tenant}'.", "source": "owner/repo#1"}],
            "AADSTS1234567": [{"message": "A code no table lists, with a message of its own.", "source": "owner/repo#2"}]
        }"#,
    )
    .unwrap();
    let import = |sources: &std::path::Path| {
        errmedic(
            &[
                "kb",
                "reference",
                "import",
                test_path("fixtures/reference/table.md").to_str().unwrap(),
                "--sources",
                sources.to_str().unwrap(),
                "--out",
                out.to_str().unwrap(),
            ],
            "",
        )
    };
    let (code, stdout, err) = import(&sources);
    assert_eq!(code, 0, "{err}");
    assert!(
        stdout.contains("wrote 6 codes (5 with Microsoft's name)"),
        "{stdout}"
    );
    let pack = errmedic::kb::reference::load_dir(&dir).unwrap();
    let ids: Vec<&str> = pack.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "aadsts50011",
            "aadsts50029",
            "aadsts50078",
            "aadsts90094",
            "aadsts700016",
            "aadsts9999999"
        ]
    );
    // Microsoft's messages join their codes' entries; a code with no entry is named.
    assert_eq!(
        pack[4].messages,
        ["Application with identifier '{appId}' was not found in the directory '{tenant}'."]
    );
    assert!(pack[..4].iter().all(|e| e.messages.is_empty()));
    assert!(
        stdout.contains("1 of Microsoft's messages on 1 codes")
            && stdout.contains("messages of 1 codes neither the table nor aadsts-unlisted.json lists: AADSTS1234567"),
        "{stdout}"
    );
    let reply = &pack[0];
    assert_eq!(reply.name.as_deref(), Some("InvalidReplyTo"));
    assert_eq!(reply.category, "redirect-uri");
    assert!(
        reply.links.iter().any(|l| l.url.contains("aadsts50011")),
        "its own article"
    );
    assert!(
        !reply.meaning.contains("written for this fixture"),
        "our words, not the table's"
    );
    assert_eq!(
        pack[1].name, None,
        "a row that starts with prose has no name"
    );
    let new = pack.last().unwrap();
    assert_eq!(new.name.as_deref(), Some("BrandNewThingFailed"));
    assert!(
        new.meaning.contains("no note of ours covers it yet"),
        "{}",
        new.meaning
    );
    // With the codes the table lacks, as shipped: each becomes an entry that links Microsoft's
    // error lookup.
    let unlisted: std::collections::BTreeMap<String, serde_json::Value> = serde_json::from_str(
        &std::fs::read_to_string(root().join("reference/aadsts-unlisted.json")).unwrap(),
    )
    .unwrap();
    assert!(unlisted.len() >= 50, "{}", unlisted.len());
    let (code, stdout, err) = import(&root().join("reference"));
    assert_eq!(code, 0, "{err}");
    assert!(
        stdout.contains(&format!("wrote {} codes", 6 + unlisted.len())),
        "{stdout}"
    );
    let pack = errmedic::kb::reference::load_dir(&dir).unwrap();
    for code in unlisted.keys() {
        let entry = pack.iter().find(|e| &e.code == code).expect(code);
        assert!(
            entry.links[0]
                .url
                .starts_with("https://login.microsoftonline.com/error?code="),
            "{code}: {:?}",
            entry.links
        );
        assert!(!entry.meaning.contains("no note of ours"), "{code}");
    }
    // A file that is not the table is refused with a clear error.
    let (code, _, err) = errmedic(
        &[
            "kb",
            "reference",
            "import",
            root().join("README.md").to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
        "",
    );
    assert_eq!(code, 1);
    assert!(err.contains("no `| AADSTS<digits> | … |` rows"), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn report_json_is_empty_without_a_record_and_text_names_the_gap() {
    let dir = std::env::temp_dir().join(format!("errmedic-report-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let db = dir.join("none.sqlite3");
    let run = |args: &[&str]| with_record(&dir, &db, &root().join("kb"), args);
    let (code, out, _) = run(&["report", "--json"]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(v["unanswered"], serde_json::json!([]));
    assert_eq!(v["escalations_open"], 0);
    let (code, _, err) = run(&["report"]);
    assert_eq!(code, 1);
    assert!(err.contains("no record"), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn kb_draft_writes_skeletons_for_unanswered_errors_and_drafts_from_escalations() {
    let dir = std::env::temp_dir().join(format!("errmedic-kb-draft-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("kb")).unwrap();
    let db = dir.join("record.sqlite3");
    {
        let s = errmedic::store::Store::open(&db).unwrap();
        for _ in 0..3 {
            s.unanswered(
                "backup job failed disk quota exceeded",
                "Backup job failed: disk quota exceeded on [id]",
                None,
                None,
            )
            .unwrap();
        }
        s.unanswered(
            "AADSTS7000012",
            "AADSTS7000012: The grant was obtained for a different tenant.",
            None,
            None,
        )
        .unwrap();
        s.open_escalation(&errmedic::store::Escalation {
            conversation: "c".into(),
            thread_id: "1234567890123456789".into(),
            reporter: "1".into(),
            summary: "s".into(),
            closed: false,
            guild: None,
            entry: None,
        })
        .unwrap();
        s.escalation_details(
            "1234567890123456789",
            "AADSTS7000012: The grant was obtained for a different tenant.",
            &["AADSTS7000012".to_string()],
            &["Entra".to_string()],
        )
        .unwrap();
        s.close_escalation(
            "1234567890123456789",
            "Consented in the wrong tenant. Consent again from the client tenant.",
        )
        .unwrap();
    }
    let run = |args: &[&str]| with_record(&dir, &db, &dir.join("kb"), args);
    let (code, out, err) = run(&["kb", "draft", "--unanswered", "--top", "5"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("2 draft(s)"), "{out}");
    let skeleton =
        std::fs::read_to_string(dir.join("kb/drafts/backup-job-failed-disk-quota-exceeded.json"))
            .unwrap();
    assert!(
        skeleton.contains("Seen 3 times") && skeleton.contains("\"cause\": \"\""),
        "{skeleton}"
    );
    let (code, out, err) = run(&["kb", "draft", "--escalation", "1"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("AADSTS7000012"), "{out}");
    let (code, _, err) = run(&["kb", "draft", "--escalation", "99"]);
    assert_eq!(code, 1);
    assert!(err.contains("no escalation `99`"), "{err}");
    // One unanswered error by its signature (the dashboard's draft line).
    let (code, out, err) = run(&["kb", "draft", "--signature", "AADSTS7000012"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("1 draft(s)"), "{out}");
    let (code, _, err) = run(&["kb", "draft", "--signature", "no such error"]);
    assert_eq!(code, 1);
    assert!(
        err.contains("no unanswered error with the signature `no such error`"),
        "{err}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn report_for_one_server_prints_its_dashboard_numbers() {
    let dir = std::env::temp_dir().join(format!("errmedic-report-guild-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let db = dir.join("record.sqlite3");
    {
        let s = errmedic::store::Store::open(&db).unwrap();
        s.unanswered("sig one", "first", Some(1), Some(5)).unwrap();
        s.unanswered("sig two", "elsewhere", Some(2), Some(6))
            .unwrap();
        s.vote("token-expired", false, 1, 9, Some(5)).unwrap();
    }
    let run = |args: &[&str]| with_record(&dir, &db, &root().join("kb"), args);
    let (code, out, err) = run(&["report", "--guild", "5", "--json"]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["guild"], "5");
    assert_eq!(v["activity"].as_array().unwrap().len(), 30);
    assert_eq!(v["unanswered"][0]["signature"], "sig one");
    assert_eq!(v["unanswered"].as_array().unwrap().len(), 1);
    assert_eq!(v["entries"][0]["unhelpful"], 1);
    let (code, out, _) = run(&["report", "--guild", "5"]);
    assert_eq!(code, 0);
    assert!(
        out.contains("## unanswered (1 rows)") && out.contains("sig one"),
        "{out}"
    );
    assert!(!out.contains("elsewhere"));
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The binary run in `dir` with a record and a knowledge base: (exit code, stdout, stderr).
fn with_record(
    dir: &std::path::Path,
    db: &std::path::Path,
    kb: &std::path::Path,
    args: &[&str],
) -> (i32, String, String) {
    run_errmedic(
        dir,
        &[("ERRMEDIC_DATABASE", db), ("ERRMEDIC_KB_DIR", kb)],
        args,
    )
}

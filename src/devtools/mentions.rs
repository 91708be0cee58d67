//! Fitting the learned reader of genre (`errmedic train-mentions`): a logistic model telling a
//! text that only mentions errors (labelled `kind: negative`) from one that carries an error
//! (`paste`, `near-miss`), fitted on case files and cross-validated by repository, so that the
//! figures it prints are those of texts from projects the model never saw.

use std::collections::HashMap;

use crate::engine::mention::{fit, Fitted, Fitting, Labelled};
use crate::engine::Engine;
use crate::kb::MentionModel;

use super::eval::{in_fold, Case, CaseMode};
use super::language::{language, Language};

/// What fitting decides beside the weights.
#[derive(Debug, Clone, Copy)]
pub struct Settings {
    pub folds: usize,
    pub min_chars: usize,
    pub threshold: f32,
}

/// One labelled text: its features, whether it only mentions errors, its fold, its length, its
/// language.
struct Sample {
    features: Vec<String>,
    mention: bool,
    group: u64,
    chars: usize,
    language: Language,
}

/// How the held-out folds read: (texts long enough, of them read as mentions) for mentions and
/// for texts carrying an error, and each long enough text's probability and label.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HeldOut {
    pub mentions: (usize, usize),
    pub carrying: (usize, usize),
    pub read: Vec<(f32, bool)>,
}

impl HeldOut {
    /// At each threshold: the share of mentions and of texts carrying an error read as mentions.
    pub fn table(&self, thresholds: &[f32]) -> String {
        let mut out = String::from("held-out texts read as mentions, by threshold:\n");
        for &t in thresholds {
            let rate = |mention: bool| {
                let of: Vec<bool> = self
                    .read
                    .iter()
                    .filter(|r| r.1 == mention)
                    .map(|r| r.0 >= t)
                    .collect();
                let k = of.iter().filter(|&&f| f).count();
                format!(
                    "{k}/{} ({:.1}%)",
                    of.len(),
                    100.0 * k as f64 / of.len().max(1) as f64
                )
            };
            out.push_str(&format!(
                "  {t:.2}: mentions {}, carrying an error {}\n",
                rate(true),
                rate(false)
            ));
        }
        out
    }
}

fn samples(cases: &[Case]) -> Vec<Sample> {
    cases
        .iter()
        .enumerate()
        // An ambiguous case (a reply welcome, silence fine) says neither way what its text is.
        .filter(|(_, c)| c.mode == CaseMode::Paste && c.expect.as_deref() != Some("ambiguous"))
        .filter_map(|(i, c)| {
            let mention = match c.kind.as_deref() {
                Some("negative") => true,
                Some("paste" | "near-miss") => false,
                _ => return None,
            };
            Some(Sample {
                features: Engine::mention_features(&c.text),
                mention,
                group: c.group(i),
                chars: c.text.chars().count(),
                language: language(&c.text),
            })
        })
        .collect()
}

/// The samples outside fold `k` of `folds`.
fn without_fold(samples: &[Sample], folds: u64, k: u64) -> Vec<&Sample> {
    samples
        .iter()
        .filter(|s| !in_fold(s.group, folds, k))
        .collect()
}

/// The most a text's weight is raised or lowered by its language.
const MAX_LANGUAGE_WEIGHT: f64 = 4.0;

/// The samples to fit on, weighted so that within each language mentions and texts carrying an
/// error weigh in the same proportion as in all the samples. Cases in a language other than
/// English are mostly of one kind (translated documentation, for one): unweighted, that
/// language's words would learn to stand for the kind, and a real paste in the language would be
/// read as its documentation.
fn labelled(samples: &[&Sample]) -> Vec<Labelled> {
    // Per language: (mentions, texts).
    let mut counts: HashMap<Language, (usize, usize)> = HashMap::new();
    for s in samples {
        let c = counts.entry(s.language).or_default();
        c.0 += usize::from(s.mention);
        c.1 += 1;
    }
    let share = |(mentions, texts): (usize, usize)| mentions as f64 / texts.max(1) as f64;
    let all = share((samples.iter().filter(|s| s.mention).count(), samples.len()));
    samples
        .iter()
        .map(|s| {
            let own = share(counts[&s.language]);
            // Only kinds present in the language are weighed, so neither ratio divides by 0.
            let weight = if s.mention {
                all / own
            } else {
                (1.0 - all) / (1.0 - own)
            };
            Labelled {
                features: s.features.clone(),
                mention: s.mention,
                weight: weight.clamp(1.0 / MAX_LANGUAGE_WEIGHT, MAX_LANGUAGE_WEIGHT),
            }
        })
        .collect()
}

/// Fits the model on every labelled case of `cases` and cross-validates it by repository. Returns
/// the model and the held-out figures; `Err` when there is nothing to learn from.
pub fn train(cases: &[Case], how: Settings) -> anyhow::Result<(MentionModel, HeldOut)> {
    let samples = samples(cases);
    let mentions = samples.iter().filter(|s| s.mention).count();
    if mentions == 0 || mentions == samples.len() {
        anyhow::bail!(
            "{} labelled pastes, {mentions} of them mentions: fitting needs both texts that \
             mention errors (kind `negative`) and texts that carry one (`paste`, `near-miss`)",
            samples.len()
        );
    }
    let folds = how.folds.max(2) as u64;
    let mut held = HeldOut::default();
    for k in 0..folds {
        let model: Fitted = fit(
            &labelled(&without_fold(&samples, folds, k)),
            Fitting::default(),
        );
        for s in samples
            .iter()
            .filter(|s| in_fold(s.group, folds, k) && s.chars >= how.min_chars)
        {
            let p = model.probability(&s.features);
            held.read.push((p, s.mention));
            let flagged = p >= how.threshold;
            let tally = if s.mention {
                &mut held.mentions
            } else {
                &mut held.carrying
            };
            tally.0 += 1;
            tally.1 += usize::from(flagged);
        }
    }
    let all: Vec<&Sample> = samples.iter().collect();
    let fitted = fit(&labelled(&all), Fitting::default());
    let pct = |(n, k): (usize, usize)| 100.0 * k as f64 / n.max(1) as f64;
    let trained_on = format!(
        "{} pastes ({mentions} only mentioning errors). {folds}-fold cross-validation by repository, \
         texts of {} characters or more: {}/{} mentions ({:.1}%) and {}/{} texts carrying an \
         error ({:.1}%) read as mentions at {}",
        samples.len(),
        how.min_chars,
        held.mentions.1,
        held.mentions.0,
        pct(held.mentions),
        held.carrying.1,
        held.carrying.0,
        pct(held.carrying),
        how.threshold,
    );
    Ok((
        MentionModel {
            trained_on,
            min_chars: how.min_chars,
            threshold: how.threshold,
            bias: fitted.bias,
            weights: fitted.weights.into_iter().collect(),
        },
        held,
    ))
}

/// What the engine answers on the held-out folds, with each fold's model fitted without it, at
/// each `(min_chars, threshold)` of `grid`, beside the same folds answered with no model: the
/// figures that decide the reader's length and threshold, from threads it never saw.
pub fn answers(
    cases: &[Case],
    kb: &crate::kb::KnowledgeBase,
    folds: usize,
    grid: &[(usize, f32)],
) -> Vec<Answered> {
    let samples = samples(cases);
    let folds = folds.max(2) as u64;
    let mut sums: Vec<Answered> = std::iter::once(None)
        .chain(grid.iter().copied().map(Some))
        .map(|setting| Answered {
            setting,
            ..Answered::default()
        })
        .collect();
    for k in 0..folds {
        let fitted = fit(
            &labelled(&without_fold(&samples, folds, k)),
            Fitting::default(),
        );
        let held: Vec<Case> = cases
            .iter()
            .enumerate()
            .filter(|(i, c)| in_fold(c.group(*i), folds, k))
            .map(|(_, c)| c.clone())
            .collect();
        for sum in &mut sums {
            let mut kb = kb.clone();
            kb.mentions = sum.setting.map(|(min_chars, threshold)| MentionModel {
                trained_on: String::new(),
                min_chars,
                threshold,
                bias: fitted.bias,
                weights: fitted.weights.clone().into_iter().collect(),
            });
            let f = super::eval::run(&Engine::new(kb), &held);
            sum.right += f.right;
            sum.covered += f.covered;
            sum.false_replies += f.false_replies;
            sum.uncovered += f.uncovered;
            sum.codes_right += f.reference_right;
            sum.codes += f.with_codes;
        }
    }
    sums
}

/// The engine's answers on the held-out folds at one setting of the reader, summed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Answered {
    /// `(min_chars, threshold)`; `None` for the engine with no model.
    pub setting: Option<(usize, f32)>,
    pub right: usize,
    pub covered: usize,
    pub false_replies: usize,
    pub uncovered: usize,
    pub codes_right: usize,
    pub codes: usize,
}

/// [`answers`] as a table.
pub fn answers_table(rows: &[Answered]) -> String {
    let mut out = String::from(
        "answers on the held-out folds (by repository), each fold's model fitted without it:\n",
    );
    for a in rows {
        let name = a.setting.map_or("no model".to_string(), |(m, t)| {
            format!("{m}+ chars at {t:.2}")
        });
        out.push_str(&format!(
            "  {name:>18}: right {}/{}, false replies {}/{}, codes {}/{}\n",
            a.right, a.covered, a.false_replies, a.uncovered, a.codes_right, a.codes
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn case(text: String, kind: &str, source: String) -> Case {
        Case {
            text,
            mode: CaseMode::Paste,
            expect: None,
            alt: Vec::new(),
            kind: Some(kind.into()),
            codes: Vec::new(),
            source: Some(source),
        }
    }

    #[test]
    fn a_language_whose_cases_are_mostly_one_kind_is_weighed_back_to_the_whole() {
        let mut cases = Vec::new();
        for i in 0..20 {
            let kind = if i % 2 == 0 { "negative" } else { "paste" };
            cases.push(case(
                format!("I get this error when I run the script {i} and it is not clear why."),
                kind,
                format!("en{i}/app#{i}"),
            ));
        }
        // Translated documentation, and one paste, in German.
        for i in 0..9 {
            cases.push(case(
                format!("Die Ursache {i} ist, dass der Token abgelaufen ist und nicht mehr gilt."),
                "negative",
                format!("de{i}/docs#{i}"),
            ));
        }
        cases.push(case(
            "Ich bekomme den Fehler bei der Anmeldung und weiß nicht, was ich tun kann.".into(),
            "paste",
            "de/app#1".into(),
        ));
        let samples = samples(&cases);
        let all: Vec<&Sample> = samples.iter().collect();
        let weighted = labelled(&all);
        for (s, l) in samples.iter().zip(&weighted) {
            match (s.language, s.mention) {
                // 19 of 30 are mentions in all, 10 of 20 in English, 9 of 10 in German.
                (Language::English, _) => {
                    assert!((l.weight - 1.0).abs() < 0.3, "{}", l.weight)
                }
                (Language::German, true) => assert!(l.weight < 0.75, "{}", l.weight),
                (Language::German, false) => assert!(l.weight > 3.0, "{}", l.weight),
                other => panic!("read as {other:?}"),
            }
        }
    }

    #[test]
    fn a_model_is_fitted_and_judged_on_threads_it_did_not_see() {
        let mut cases = Vec::new();
        for i in 0..30 {
            cases.push(case(
                format!("## Cause\nThis error means the grant expired ({i}). Solution: sign in again, then retry the request from the application."),
                "negative",
                format!("docs{i}/pages#{i}"),
            ));
            cases.push(case(
                format!("I get this when I run the script ({i}):\n```\nAADSTS50173: the provided grant has expired\n```\nany idea what I'm doing wrong?"),
                "paste",
                format!("tool{i}/app#{i}"),
            ));
        }
        let how = Settings {
            folds: 5,
            min_chars: 50,
            threshold: 0.5,
        };
        let (model, held) = train(&cases, how).unwrap();
        assert_eq!(held.mentions.0, 30);
        assert_eq!(held.carrying.0, 30);
        assert!(held.mentions.1 >= 27, "{held:?}");
        assert!(held.carrying.1 <= 3, "{held:?}");
        assert!(
            model.trained_on.contains("60 pastes (30 only mentioning"),
            "{}",
            model.trained_on
        );
        // What it writes reads back as a valid model.
        let text = serde_json::to_string(&model).unwrap();
        assert_eq!(crate::kb::parse_mentions("m.json", &text).unwrap(), model);
    }

    #[test]
    fn one_kind_alone_teaches_nothing() {
        let cases: Vec<Case> = (0..5)
            .map(|i| case(format!("text {i}"), "paste", format!("s{i}")))
            .collect();
        let how = Settings {
            folds: 5,
            min_chars: 1,
            threshold: 0.5,
        };
        let e = train(&cases, how).unwrap_err().to_string();
        assert!(e.contains("5 labelled pastes, 0 of them mentions"), "{e}");
    }

    #[test]
    fn a_reader_fitted_without_a_fold_silences_its_write_ups_and_keeps_its_pastes() {
        let kb = crate::kb::load_dir(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("kb"))
            .expect("the shipped knowledge base");
        let mut cases = Vec::new();
        for i in 0..24 {
            cases.push(case(
                format!(
                    "Many of our readers wrote in about this one ({i}), so here is what we \
                     learned. When you see AADSTS50076: Due to a configuration change made by \
                     your administrator, or because you moved to a new location, you must use \
                     multi-factor authentication to access the resource, it usually means a \
                     Conditional Access policy now asks for a second factor. In our experience \
                     the simplest way forward is to sign in interactively once, complete the \
                     prompt, and let the application pick up the new token afterwards."
                ),
                "negative",
                format!("docs{i}/pages#{i}"),
            ));
            let mut paste = case(
                format!(
                    "hi all, our nightly job {i} broke this morning and I am stuck, any idea \
                     what changed? it ran for months without a problem:\n```\nGet-MgUser : \
                     AADSTS50076: Due to a configuration change made by your administrator, or \
                     because you moved to a new location, you must use multi-factor \
                     authentication to access '00000003-0000-0000-c000-000000000000'.\nTrace \
                     ID: 8fd8421c-4adc-405f-92f9-f2bd61326000\n```\nthanks in advance"
                ),
                "paste",
                format!("team{i}/job#{i}"),
            );
            paste.expect = Some("mfa-required-location".into());
            cases.push(paste);
        }
        let rows = answers(&cases, &kb, 4, &[(400, 0.5)]);
        let [none, model] = &rows[..] else {
            panic!("{rows:?}");
        };
        assert_eq!((none.covered, none.uncovered), (24, 24), "{rows:?}");
        assert_eq!(model.right, none.right, "{rows:?}");
        assert!(none.false_replies > 0, "{rows:?}");
        assert!(model.false_replies < none.false_replies, "{rows:?}");
        assert!(answers_table(&rows).contains("400+ chars at 0.50"));
    }
}

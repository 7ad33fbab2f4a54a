//! `lamplight verify`: integrity of every generation and of every journal in the vault, with no key
//! needed (or, with `--identity`, a full decrypt of each). Exits non-zero when the newest generation
//! is not good, or when a journal's chain is broken (a torn last record, which the journal sets
//! aside when next opened, is reported but is not a failure: nothing acknowledged was lost).

use std::path::PathBuf;

use lamplight_vault::journal;
use serde::Serialize;

use crate::commands::inspect::{GenerationRow, generation_rows};
use crate::secrets::load_rotated;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The vault folder.
    #[arg(long)]
    vault: PathBuf,
    /// Also decrypt every generation with this identity (otherwise only what needs no key).
    #[arg(long)]
    identity: Option<PathBuf>,
    #[arg(long)]
    passphrase_file: Option<PathBuf>,
    /// A key the identity replaced (rotation): generations sealed for it are decrypted with it.
    #[arg(long = "previous-identity", value_name = "KEY")]
    previous_identities: Vec<PathBuf>,
    #[command(flatten)]
    trust: crate::secrets::Trust,
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Serialize)]
struct Report {
    vault: PathBuf,
    /// True when the newest generation is good: this PC is ready for downtime.
    ready: bool,
    good: usize,
    bad: usize,
    generations: Vec<GenerationRow>,
    /// Every PC journal in `VAULT/journal/`.
    journals: Vec<JournalRow>,
}

#[derive(Debug, Serialize)]
struct JournalRow {
    pc: String,
    file: PathBuf,
    /// `good`, `torn` (an incomplete last record, set aside when next opened) or `broken`.
    state: &'static str,
    /// Whole records verified.
    records: u64,
    /// What is wrong (ids and counts only), and its stable code.
    problem: Option<String>,
    code: Option<&'static str>,
}

pub fn run(args: &Args) -> anyhow::Result<()> {
    let identity = args
        .identity
        .as_deref()
        .map(|p| load_rotated(p, &args.previous_identities, args.passphrase_file.as_deref()))
        .transpose()?;
    let vault = args.trust.vault(&args.vault)?;
    if !vault.checks_signatures() {
        eprintln!(
            "warning: signatures not checked (no --trust): a snapshot anyone sealed to this PC's recipient would be taken. Give --trust with the staging key's public key"
        );
    }
    let checks = vault.verify(identity.as_ref())?;
    let mut journal_errors = Vec::new();
    let mut journals = Vec::new();
    for (pc, path) in journal::journal_files(&args.vault)? {
        let row = match journal::check_file(&path, Some(&pc), identity.as_ref()) {
            Ok(check) => JournalRow {
                pc,
                state: if check.torn.is_some() { "torn" } else { "good" },
                records: check.records,
                problem: check.torn.as_ref().map(|t| {
                    format!(
                        "record {} is incomplete ({} bytes, never acknowledged): set aside when the journal is next opened",
                        t.sequence, t.bytes
                    )
                }),
                code: check.torn.is_some().then_some("torn_record"),
                file: path,
            },
            Err(e) => {
                let row = JournalRow {
                    pc,
                    file: path,
                    state: "broken",
                    records: 0,
                    problem: Some(e.to_string()),
                    code: Some(e.code()),
                };
                journal_errors.push(e);
                row
            }
        };
        journals.push(row);
    }
    if checks.is_empty() {
        return Err(lamplight_vault::VaultError::NoSnapshots {
            dir: args.vault.clone(),
        }
        .into());
    }
    let generations = generation_rows(&checks);
    let good = generations.iter().filter(|g| g.state == "good").count();
    let report = Report {
        vault: args.vault.clone(),
        ready: checks[0].result.is_ok(),
        good,
        bad: generations.len() - good,
        generations,
        journals,
    };
    if args.json {
        crate::output::json(&report)?;
    } else {
        for g in &report.generations {
            let problem = g.problem.as_deref().map(|p| format!("  {p}")).unwrap_or_default();
            crate::output::line(&format!(
                "{:>6}  {:<10} {}{problem}",
                g.generation, g.state, g.file
            ))?;
        }
        for j in &report.journals {
            let problem = j.problem.as_deref().map(|p| format!("  {p}")).unwrap_or_default();
            crate::output::line(&format!(
                "{:>6}  {:<10} {} ({}){problem}",
                j.records,
                format!("journal {}", j.state),
                j.file.display(),
                j.pc
            ))?;
        }
    }
    eprintln!("{} good, {} damaged", report.good, report.bad);
    if !report.journals.is_empty() {
        eprintln!(
            "{} journal(s): {} broken, {} with a torn last record",
            report.journals.len(),
            journal_errors.len(),
            report.journals.iter().filter(|j| j.state == "torn").count()
        );
    }
    match checks.into_iter().next().map(|c| c.result) {
        Some(Err(e)) => {
            Err(anyhow::Error::new(e).context("the newest generation is not usable: this PC is not ready"))
        }
        _ => match journal_errors.into_iter().next() {
            Some(e) => Err(anyhow::Error::new(e)
                .context("a journal's chain is broken: keep the vault as it is and call IT")),
            None => Ok(()),
        },
    }
}

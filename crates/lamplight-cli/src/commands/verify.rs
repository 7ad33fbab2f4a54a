//! `lamplight verify`: integrity of every generation, with no key needed (or, with `--identity`,
//! a full decrypt of each). Exits non-zero when the newest generation is not good.

use std::path::PathBuf;

use lamplight_vault::Vault;
use serde::Serialize;

use crate::commands::inspect::{GenerationRow, generation_rows};
use crate::secrets::load_identity;

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
}

pub fn run(args: &Args) -> anyhow::Result<()> {
    let identity = args
        .identity
        .as_deref()
        .map(|p| load_identity(p, args.passphrase_file.as_deref()))
        .transpose()?;
    let vault = Vault::new(&args.vault);
    let checks = vault.verify(identity.as_ref())?;
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
    }
    eprintln!("{} good, {} damaged", report.good, report.bad);
    match checks.into_iter().next().map(|c| c.result) {
        Some(Err(e)) => {
            Err(anyhow::Error::new(e).context("the newest generation is not usable: this PC is not ready"))
        }
        _ => Ok(()),
    }
}

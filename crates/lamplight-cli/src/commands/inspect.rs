//! `lamplight inspect`: what the newest good snapshot holds, and the state of every generation.

use std::path::PathBuf;

use chrono::Utc;
use lamplight_model::{Counts, time};
use lamplight_vault::GenerationCheck;
use serde::Serialize;

use crate::secrets::OpenVault;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    open: OpenVault,
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Serialize)]
pub struct Report {
    pub vault: PathBuf,
    pub newest_good: Snapshot,
    /// True when newer generations could not be opened and an older one is shown.
    pub fell_back: bool,
    pub generations: Vec<GenerationRow>,
}

#[derive(Debug, Serialize)]
pub struct Snapshot {
    pub generation: u64,
    pub site: String,
    pub source: String,
    pub wards: Vec<String>,
    pub created_at: chrono::DateTime<Utc>,
    /// `null` when the source gave no time: the age is unknown, never 1970.
    pub extracted_at: Option<chrono::DateTime<Utc>>,
    pub extracted_at_text: String,
    pub age_minutes: Option<i64>,
    pub age_text: String,
    pub counts: Counts,
}

#[derive(Debug, Serialize)]
pub struct GenerationRow {
    pub generation: u64,
    pub file: String,
    /// `good`, or the error code (`corrupt`, `truncated`, `wrong_key`, …).
    pub state: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub problem: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_at: Option<chrono::DateTime<Utc>>,
    /// The trusted staging key that signed it, when signatures were checked (`--trust`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signed_by: Option<String>,
}

pub fn generation_rows(checks: &[GenerationCheck]) -> Vec<GenerationRow> {
    checks
        .iter()
        .map(|c| GenerationRow {
            generation: c.generation,
            file: c
                .path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            state: c
                .result
                .as_ref()
                .map_or_else(|e| e.code().to_owned(), |_| "good".to_owned()),
            problem: c.result.as_ref().err().map(ToString::to_string),
            created_at: c.result.as_ref().ok().map(|(h, _)| h.created_at),
            signed_by: c
                .result
                .as_ref()
                .ok()
                .and_then(|(_, s)| s.as_ref())
                .map(|s| s.key.to_string()),
        })
        .collect()
}

pub fn run(args: &Args) -> anyhow::Result<()> {
    let identity = args.open.load_identity()?;
    let vault = args.open.trust.vault(&args.open.vault)?;
    if !vault.checks_signatures() {
        eprintln!(
            "warning: signatures not checked (no --trust): a snapshot anyone sealed to this PC's recipient would be taken. Give --trust with the staging key's public key"
        );
    }
    let opened = vault.open_newest(&identity)?;
    let site = opened
        .database
        .site()
        .map_err(|e| lamplight_vault::VaultError::Database {
            path: opened.path.clone(),
            detail: e.to_string(),
        })?;
    let now = Utc::now();
    let h = &opened.header;
    let report = Report {
        vault: args.open.vault.clone(),
        newest_good: Snapshot {
            generation: h.generation,
            site: site.name.clone(),
            source: h.source.clone(),
            wards: h.wards.clone(),
            created_at: h.created_at,
            extracted_at: h.data_as_of(),
            extracted_at_text: h
                .data_as_of()
                .map_or_else(|| "an unknown time".to_owned(), time::clinical),
            age_minutes: h.data_as_of().map(|t| (now - t).num_minutes()),
            age_text: h
                .data_as_of()
                .map_or_else(|| "age unknown".to_owned(), |t| time::age_words(t, now)),
            counts: site.counts(),
        },
        fell_back: !opened.skipped.is_empty(),
        generations: generation_rows(&vault.verify(Some(&identity))?),
    };
    for s in &opened.skipped {
        eprintln!("warning: generation {} skipped: {}", s.generation, s.error);
    }
    if report.fell_back {
        eprintln!(
            "warning: using generation {}, an older snapshot, because newer ones could not be opened",
            h.generation
        );
    }
    if args.json {
        return crate::output::json(&report);
    }
    let s = &report.newest_good;
    let c = &s.counts;
    let text = format!(
        "{site}\nGeneration {g} from {source}\nData as of {asof} ({age})\nWards: {wards}\n\
         Patients {p}  beds {b}  medication orders {mo}  administrations {ad}\n\
         Pending tests {t}  observation sets {o}  allergies {al}  alerts {fl}\n\nGenerations:",
        site = s.site,
        g = s.generation,
        source = s.source,
        asof = s.extracted_at_text,
        age = s.age_text,
        wards = s.wards.join(", "),
        p = c.patients,
        b = c.beds,
        mo = c.medication_orders,
        ad = c.administrations,
        t = c.pending_tests,
        o = c.observations,
        al = c.allergies,
        fl = c.alerts,
    );
    crate::output::line(&text)?;
    for g in &report.generations {
        crate::output::line(&format!("  {:>6}  {:<10} {}", g.generation, g.state, g.file))?;
    }
    Ok(())
}

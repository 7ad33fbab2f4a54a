//! `lamplight stage`: seal a new snapshot generation from a FHIR bundle file or an EPR's FHIR base URL.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Context as _;
use chrono::Utc;
use lamplight_fhir::ImportReport;
use lamplight_vault::{Recipient, Staged, Vault};
use serde_json::json;

use crate::exit::{BadInput, CutOff, EprUnavailable};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// A FHIR R4 bundle file (JSON), `-` for standard input, or an EPR's FHIR R4 base URL
    /// (https://…; then --ward is required).
    #[arg(long)]
    from: String,
    /// With a base URL: a file holding the bearer token for the EPR (first line).
    #[arg(long)]
    token_file: Option<PathBuf>,
    /// With a base URL: a PEM file of an extra certificate authority to trust (the trust's own CA).
    #[arg(long)]
    ca_file: Option<PathBuf>,
    /// Stage only this ward (its code, e.g. WD7, or its Location id) from a site-wide bundle.
    #[arg(long)]
    ward: Option<String>,
    #[command(flatten)]
    recipients: Recipients,
    /// The vault folder (created if missing).
    #[arg(long)]
    vault: PathBuf,
    /// How many generations to keep.
    #[arg(long, default_value_t = lamplight_vault::DEFAULT_KEEP)]
    keep: usize,
    #[arg(long)]
    json: bool,
}

/// Who may open what a command seals: `--recipient` and `--recipients-file` (stage, watch, refresh).
#[derive(Debug, clap::Args)]
pub struct Recipients {
    /// Who may open the snapshot (age1…): the ward PC, and IT's break-glass recipient. Repeatable.
    #[arg(long = "recipient", value_name = "AGE1…")]
    inline: Vec<String>,
    /// A file of recipients, one per line (`#` comments allowed), as `age-keygen -y` writes.
    #[arg(long = "recipients-file", value_name = "FILE")]
    files: Vec<PathBuf>,
}

impl Recipients {
    /// Parses them all; none at all is [`lamplight_vault::VaultError::NoRecipients`].
    pub fn load(&self) -> anyhow::Result<Vec<Recipient>> {
        recipients(&self.inline, &self.files)
    }
}

fn recipients(inline: &[String], files: &[PathBuf]) -> anyhow::Result<Vec<Recipient>> {
    let mut out = Vec::new();
    for r in inline {
        out.push(Recipient::parse(r)?);
    }
    for f in files {
        let text = std::fs::read_to_string(f)
            .with_context(|| format!("while reading recipients from {}", f.display()))?;
        for line in text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
        {
            out.push(Recipient::parse(line)?);
        }
    }
    if out.is_empty() {
        return Err(lamplight_vault::VaultError::NoRecipients.into());
    }
    Ok(out)
}

/// Reads and imports a bundle, cut to one ward when asked.
pub fn load_bundle(from: &str, ward: Option<&str>) -> anyhow::Result<(lamplight_model::Site, ImportReport)> {
    if from.starts_with("http://") || from.starts_with("https://") {
        anyhow::bail!(
            "{from} is an EPR's base URL: stage from it with `lamplight stage --from URL --ward CODE`"
        );
    }
    let text = if from == "-" {
        std::io::read_to_string(std::io::stdin()).context("while reading the bundle from standard input")?
    } else {
        std::fs::read_to_string(Path::new(from))
            .with_context(|| format!("while reading the bundle {from}"))?
    };
    let (site, report) = lamplight_fhir::import_str(&text).map_err(|e| match e {
        lamplight_fhir::ImportError::NotJson(ref n) if n.cut_off => {
            anyhow::Error::new(CutOff(format!("{from}: {e}")))
        }
        e => anyhow::Error::new(BadInput(format!("{from}: {e}"))),
    })?;
    drop(text);
    let site = match ward {
        None => site,
        Some(code) => site.ward_subset(code).ok_or_else(|| {
            let known: Vec<&str> = site.wards.iter().map(|w| w.code.as_str()).collect();
            BadInput(format!(
                "{from} has no ward {code:?}; it has: {}",
                known.join(", ")
            ))
        })?,
    };
    Ok((site, report))
}

fn is_url(from: &str) -> bool {
    from.starts_with("http://") || from.starts_with("https://")
}

/// Pulls the ward's census from an EPR. Its failures carry [`EprUnavailable`] (exit 11).
fn load_epr(args: &Args) -> anyhow::Result<(lamplight_model::Site, ImportReport)> {
    let ward = args
        .ward
        .as_deref()
        .ok_or_else(|| BadInput("staging from an EPR needs --ward CODE (the ward's Location code)".into()))?;
    let mut config = lamplight_fhir::EprConfig::new(&args.from);
    if let Some(f) = &args.token_file {
        config.token = Some(
            lamplight_fhir::BearerToken::from_file(f)
                .with_context(|| format!("while reading the token file {}", f.display()))?,
        );
    }
    config.ca_file.clone_from(&args.ca_file);
    let pull = || -> Result<lamplight_fhir::Census, lamplight_fhir::EprError> {
        let epr = lamplight_fhir::Epr::new(config)?;
        let caps = epr.capabilities()?;
        lamplight_fhir::full_pull(&epr, &caps, &lamplight_fhir::CensusOptions::ward(ward))
    };
    let census = pull().map_err(EprUnavailable)?;
    Ok((census.site, census.report))
}

/// The most memory this process has held (Linux's VmHWM), for the staging summary.
pub fn peak_memory_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

pub fn run(args: &Args) -> anyhow::Result<()> {
    let started = Instant::now();
    let recipients = args.recipients.load()?;
    let progress = indicatif::ProgressBar::new_spinner();
    progress.enable_steady_tick(std::time::Duration::from_millis(120));
    progress.set_message(format!("reading and importing {}", args.from));
    let (site, report) = if is_url(&args.from) {
        load_epr(args)?
    } else {
        load_bundle(&args.from, args.ward.as_deref())?
    };
    progress.set_message(format!(
        "sealing {} patients on {} ward(s) to {} recipient(s)",
        site.patients.len(),
        site.wards.len(),
        recipients.len()
    ));
    let source = if is_url(&args.from) {
        format!("EPR {}", args.from)
    } else {
        format!("bundle {}", if args.from == "-" { "(stdin)" } else { &args.from })
    };
    let staged = Vault::new(&args.vault)
        .keep(args.keep)
        .stage(&site, &source, &recipients, Utc::now())?;
    progress.finish_and_clear();
    summarise(
        args.json,
        &staged,
        &report,
        recipients.len(),
        started.elapsed().as_secs_f64(),
    )
}

pub fn summarise(
    json_out: bool,
    staged: &Staged,
    report: &ImportReport,
    recipients: usize,
    seconds: f64,
) -> anyhow::Result<()> {
    let h = &staged.header;
    if json_out {
        return crate::output::json(&json!({
            "generation": h.generation,
            "path": staged.path,
            "bytes": staged.bytes,
            "created_at": h.created_at,
            "extracted_at": h.extracted_at,
            "source": h.source,
            "wards": h.wards,
            "counts": h.counts,
            "recipients": recipients,
            "pruned": staged.pruned,
            "seconds": seconds,
            "peak_memory_bytes": peak_memory_bytes(),
            "import": {
                "bundle_type": report.bundle_type,
                "entries": report.entries,
                "imported": report.imported,
                "skipped": report.skipped,
                "unknown_resource_types": report.unknown_resource_types,
                "unknown_extensions": report.unknown_extensions,
                "warnings": report.warnings.iter().map(ToString::to_string).collect::<Vec<_>>(),
            },
        }));
    }
    let c = &h.counts;
    eprintln!(
        "Staged generation {} of {} ({}): {} patients, {} beds, {} medication orders, {} administrations, \
         {} pending tests, {} observation sets, {} allergies, {} alerts; sealed to {recipients} recipient(s), \
         {:.1} MB in {seconds:.1} s.",
        h.generation,
        h.wards.join(", "),
        h.source,
        c.patients,
        c.beds,
        c.medication_orders,
        c.administrations,
        c.pending_tests,
        c.observations,
        c.allergies,
        c.alerts,
        megabytes(staged.bytes),
    );
    eprintln!("Import: {}", report.summary());
    for (t, n) in &report.unknown_resource_types {
        eprintln!("  not read: {n} × {t}");
    }
    for w in report.warnings.iter().take(20) {
        eprintln!("  warning: {w}");
    }
    if report.warnings.len() > 20 {
        eprintln!(
            "  … and {} more warnings (see --json)",
            report.warnings.len() - 20
        );
    }
    crate::output::line(&staged.path.display().to_string())
}

/// Bytes as megabytes for people (display only: sizes here are far below 2^52).
#[allow(clippy::cast_precision_loss, reason = "display rounding of a file size")]
fn megabytes(bytes: u64) -> f64 {
    bytes as f64 / 1e6
}

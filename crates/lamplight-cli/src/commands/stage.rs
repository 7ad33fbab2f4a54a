//! `lamplight stage`: seal a new snapshot generation from a FHIR bundle file or an EPR's FHIR base URL.
//! The staging itself is the station's (`lamplight_station::sync`), shared with the window's refresh.

use std::path::PathBuf;
use std::time::Instant;

use chrono::Utc;
use lamplight_fhir::ImportReport;
use lamplight_station::sync::{self, EprSettings, Stager, WardScope};
use lamplight_vault::{Recipient, Staged, Vault};
use serde_json::json;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// A FHIR R4 bundle file (JSON), `-` for standard input, or an EPR's FHIR R4 base URL
    /// (https://…; then --ward or --site is required).
    #[arg(long)]
    from: String,
    /// With a base URL: a file holding the bearer token for the EPR (first line).
    #[arg(long)]
    token_file: Option<PathBuf>,
    /// With a base URL: a PEM file of an extra certificate authority to trust (the trust's own CA).
    #[arg(long)]
    ca_file: Option<PathBuf>,
    #[command(flatten)]
    wards: Wards,
    #[command(flatten)]
    recipients: Recipients,
    /// The vault folder (created if missing).
    #[arg(long)]
    vault: PathBuf,
    /// How many generations to keep.
    #[arg(long, default_value_t = lamplight_vault::DEFAULT_KEEP)]
    keep: usize,
    /// Sign the generation with IT's staging key (from `lamplight keygen --signing`): ward PCs
    /// given its public key with --trust show only what it signed.
    #[arg(long, value_name = "KEY")]
    sign_with: Option<PathBuf>,
    /// Stage even when the data holds no inpatients, or fewer than half of the previous
    /// generation's (held back otherwise, exit 12): for a ward that really closed or emptied.
    #[arg(long)]
    accept_shrink: bool,
    #[arg(long)]
    json: bool,
}

/// Which wards a command stages or refreshes: `--ward` (repeatable) or `--site` (stage, watch, refresh).
#[derive(Debug, clap::Args)]
pub struct Wards {
    /// A ward to stage (its code, e.g. WD7, or its Location id). Repeatable; from a bundle, none
    /// means the whole bundle.
    #[arg(long = "ward", value_name = "CODE")]
    codes: Vec<String>,
    /// Every ward of the site (a bed manager's PC): from an EPR, every Location coded as a ward.
    #[arg(long, conflicts_with = "codes")]
    site: bool,
}

impl Wards {
    /// The scope; from a bundle file, naming none means the whole bundle.
    pub fn scope(&self, from_bundle: bool) -> anyhow::Result<WardScope> {
        if from_bundle && self.codes.is_empty() {
            return Ok(WardScope::Site);
        }
        Ok(WardScope::from_flags(&self.codes, self.site)?)
    }
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
        Ok(sync::recipients(&self.inline, &self.files)?)
    }
}

fn is_url(from: &str) -> bool {
    from.starts_with("http://") || from.starts_with("https://")
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
    let mut vault = Vault::new(&args.vault)
        .keep(args.keep)
        .accept_shrink(args.accept_shrink);
    if let Some(key) = &args.sign_with {
        vault = vault.sign_with(lamplight_vault::SigningKey::load(key)?);
    }
    let stager = Stager::new(vault, recipients)?;
    let scope = args.wards.scope(!is_url(&args.from))?;
    let progress = indicatif::ProgressBar::new_spinner();
    progress.enable_steady_tick(std::time::Duration::from_millis(120));
    progress.set_message(format!("reading and importing {}", args.from));
    let (site, report, source) = if is_url(&args.from) {
        let settings = EprSettings {
            base_url: args.from.clone(),
            token_file: args.token_file.clone(),
            ca_file: args.ca_file.clone(),
        };
        let census = sync::pull(&settings, &scope)?;
        (census.site, census.report, settings.source_label())
    } else {
        let (site, report) = sync::read_bundle(&args.from, &scope)?;
        let source = format!("bundle {}", if args.from == "-" { "(stdin)" } else { &args.from });
        (site, report, source)
    };
    progress.set_message(format!(
        "sealing {} patients on {} ward(s) to {} recipient(s)",
        site.patients.len(),
        site.wards.len(),
        stager.recipients()
    ));
    let sealed = stager.stage(&site, &source, Utc::now())?;
    progress.finish_and_clear();
    summarise(
        args.json,
        &sealed,
        &report,
        stager.recipients(),
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
            "extracted_at": h.data_as_of(),
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

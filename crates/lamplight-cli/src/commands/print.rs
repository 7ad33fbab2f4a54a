//! `lamplight print`: a ward's downtime paper as an A4 PDF, from the newest good snapshot of a
//! vault (or the built-in demo ward), with no window.
//!
//! The PDF is the one thing Lamplight writes unencrypted, and only because a person asked for it
//! (DESIGN.md promise 1): it goes where `--out` says, or to standard output with `--out -` so it can
//! be piped straight to `lp` without touching the disk.

use std::io::Write as _;
use std::path::PathBuf;

use anyhow::Context as _;
use chrono::Utc;
use lamplight_station::{PrintDocument, PrintOptions, Station, StationError};
use lamplight_vault::VaultError;
use serde::Serialize;

use crate::secrets::load_identity;

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum Kind {
    /// SBAR handover: a ward, one block per bed (or one patient with --patient).
    Handover,
    /// Bed census: the ward, or every ward of the site when no --ward is given.
    Census,
    /// Drug charts: every patient on the ward, or one with --patient.
    DrugChart,
    /// NEWS2 observation charts: every patient on the ward, or one with --patient.
    ObsChart,
    /// Blank admission form, drug chart, observation chart and downtime log.
    BlankForms,
    /// Census, handover and every drug chart of a ward, in one PDF.
    DowntimePack,
    /// The ward quick-reference card, one page; needs no vault (printed with none, its ward and
    /// data age are lines to write on).
    QuickReference,
}

impl From<Kind> for PrintDocument {
    fn from(k: Kind) -> Self {
        match k {
            Kind::Handover => PrintDocument::Handover,
            Kind::Census => PrintDocument::Census,
            Kind::DrugChart => PrintDocument::DrugChart,
            Kind::ObsChart => PrintDocument::ObsChart,
            Kind::BlankForms => PrintDocument::BlankForms,
            Kind::DowntimePack => PrintDocument::DowntimePack,
            Kind::QuickReference => PrintDocument::QuickReference,
        }
    }
}

#[derive(Debug, clap::Args)]
#[command(
    after_help = "The PDF holds patient data in the clear: it is the one thing Lamplight writes unencrypted, \
because you asked for it. Keep it on the ward, print it, and delete it; or use --out - and pipe it to lp \
so it never touches the disk."
)]
pub struct Args {
    #[arg(value_enum)]
    document: Kind,
    /// The vault folder (not with --demo); needed but for the quick-reference card.
    #[arg(long, conflicts_with = "demo", requires = "identity")]
    vault: Option<PathBuf>,
    /// The identity that opens the vault.
    #[arg(long, requires = "vault")]
    identity: Option<PathBuf>,
    /// The passphrase file, when the identity is passphrase-protected.
    #[arg(long)]
    passphrase_file: Option<PathBuf>,
    #[command(flatten)]
    trust: crate::secrets::Trust,
    /// Print the built-in demo ward (synthetic patients) instead of a vault.
    #[arg(long)]
    demo: bool,
    /// Where to write the PDF; `-` for standard output.
    #[arg(long)]
    out: PathBuf,
    /// Ward code (WD7) or id. Needed when the data holds several wards, except for a site census.
    #[arg(long)]
    ward: Option<String>,
    /// One patient, by NHS number (with or without spaces) or patient id.
    #[arg(long)]
    patient: Option<String>,
    /// The name printed on every page; defaults to this computer's user name.
    #[arg(long)]
    printed_by: Option<String>,
    /// This PC's name, on the quick-reference card (default: this computer's host name).
    #[arg(long)]
    pc: Option<String>,
    /// Report the result as JSON on standard output.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Serialize)]
struct Report {
    document: PrintDocument,
    out: PathBuf,
    pages: usize,
    bytes: usize,
}

/// The station to print from: the vault's newest snapshot, the demo ward, or (for the card alone)
/// no ward data at all.
fn open(args: &Args, document: PrintDocument, now: chrono::DateTime<Utc>) -> anyhow::Result<Station> {
    let card = document == PrintDocument::QuickReference;
    let (Some(vault), Some(identity)) = (&args.vault, &args.identity) else {
        if args.demo {
            return Ok(Station::demo(now));
        }
        if card {
            return Ok(Station::without_data(now));
        }
        clap::Error::raw(
            clap::error::ErrorKind::MissingRequiredArgument,
            "--vault DIR --identity KEY (or --demo) are needed: only the quick-reference card prints without ward data\n",
        )
        .exit();
    };
    let identity = load_identity(identity, args.passphrase_file.as_deref())?;
    match Station::open_vault(&args.trust.vault(vault)?, &identity, None) {
        // A PC whose first snapshot has not come yet still prints its card.
        Err(StationError::Snapshot(VaultError::NoSnapshots { .. })) if card => {
            eprintln!(
                "warning: {} holds no snapshot yet: the card is printed with no ward or data age",
                vault.display()
            );
            Ok(Station::without_data(now))
        }
        opened => opened.with_context(|| format!("while opening the vault {}", vault.display())),
    }
}

pub fn run(args: &Args) -> anyhow::Result<()> {
    let now = Utc::now();
    let document = PrintDocument::from(args.document);
    let mut station = open(args, document, now)?;
    if let Some(pc) = &args.pc {
        station = station.named(pc)?;
    }
    for w in station.status(now).warnings {
        eprintln!("warning: {w}");
    }
    let options = PrintOptions {
        ward: args.ward.clone(),
        patient: args.patient.clone(),
        printed_by: args
            .printed_by
            .clone()
            .unwrap_or_else(lamplight_station::paper::os_user),
    };
    let pdf = station
        .print_pdf(document, &options, now)
        .context("while preparing the document")?;
    if args.out.as_os_str() == "-" {
        let mut out = std::io::stdout().lock();
        out.write_all(&pdf.bytes)?;
        out.flush()?;
    } else {
        std::fs::write(&args.out, &pdf.bytes)
            .with_context(|| format!("while writing {}", args.out.display()))?;
    }
    let report = Report {
        document,
        out: args.out.clone(),
        pages: pdf.pages,
        bytes: pdf.bytes.len(),
    };
    if args.json && args.out.as_os_str() != "-" {
        return crate::output::json(&report);
    }
    eprintln!(
        "{}: {} page(s) written to {}",
        document.title(),
        report.pages,
        args.out.display()
    );
    Ok(())
}

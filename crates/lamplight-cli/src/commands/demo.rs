//! `lamplight demo`: a deterministic synthetic site as a FHIR R4 transaction bundle.

use std::path::PathBuf;

use anyhow::{Context, bail};
use chrono::{DateTime, DurationRound, TimeDelta, Utc};
use lamplight_demo::{DemoOptions, MAX_BEDS, MIN_BEDS};

#[derive(Debug, clap::Args)]
#[command(
    after_help = "The same --beds, --seed and --at always give byte-identical files. Without --at the \
data is made as of the start of the current hour (UTC), so runs within the same hour are identical too."
)]
pub struct Args {
    /// Beds across the whole site, 1 to 2,000 (wards of about 28).
    #[arg(long, default_value_t = 28)]
    pub beds: usize,
    /// Different seeds give different patients.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Where to write the bundle (pretty JSON).
    #[arg(long)]
    pub out: PathBuf,
    /// The moment the data describes, RFC 3339 (2026-11-04T03:00:00Z). Default: now, floored to the
    /// whole hour.
    #[arg(long, value_parser = parse_at)]
    pub at: Option<DateTime<Utc>>,
    /// Print the summary as JSON on stdout instead of a line on stderr.
    #[arg(long)]
    pub json: bool,
}

fn parse_at(s: &str) -> Result<DateTime<Utc>, String> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| format!("{e}: give an RFC 3339 time such as 2026-11-04T03:00:00Z"))
}

pub fn run(args: &Args) -> anyhow::Result<()> {
    if !(MIN_BEDS..=MAX_BEDS).contains(&args.beds) {
        bail!(
            "--beds {} is out of range: a demo site has between 1 and 2,000 beds",
            args.beds
        );
    }
    let at = match args.at {
        Some(t) => t,
        None => Utc::now()
            .duration_trunc(TimeDelta::hours(1))
            .context("while flooring the current time to the hour")?,
    };
    let site = lamplight_demo::site(&DemoOptions {
        beds: args.beds,
        seed: args.seed,
        at,
    });
    let text = lamplight_fhir::export_pretty(&site);
    std::fs::write(&args.out, &text).with_context(|| format!("while writing {}", args.out.display()))?;
    let counts = site.counts();
    if args.json {
        let summary = serde_json::json!({
            "out": args.out.display().to_string(),
            "bytes": text.len(),
            "at": at.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true),
            "seed": args.seed,
            "counts": counts,
        });
        #[allow(clippy::print_stdout, reason = "--json output is this command's job")]
        {
            println!("{summary}");
        }
    } else {
        eprintln!(
            "wrote {}: {} wards, {} beds, {} patients, {} medication orders, {} observation sets, as of {} (seed {})",
            args.out.display(),
            counts.wards,
            counts.beds,
            counts.patients,
            counts.medication_orders,
            counts.observations,
            lamplight_model::time::clinical(at),
            args.seed
        );
    }
    Ok(())
}

//! `lamplight fleet`: which ward PCs would be ready if the EPR failed now, read from the status
//! files they write (`--status-dir` on the app; no patient data), with the reason for each that
//! is not. Exits 15 when any is not ready, so IT can run it before planned maintenance.

use std::path::PathBuf;

use chrono::{TimeDelta, Utc};
use lamplight_station::fleet::read_fleet;
use serde_json::json;

use crate::exit::BadInput;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The folder the PCs write their status files into (often a share).
    #[arg(long)]
    status_dir: PathBuf,
    /// A PC whose newest data is older than this many minutes is not ready.
    #[arg(long, default_value_t = 60)]
    stale_after: u32,
    #[arg(long)]
    json: bool,
    /// Also write the fleet as an A4 page (not ready first, with the reasons) to this PDF.
    #[arg(long, value_name = "FILE.pdf")]
    report: Option<PathBuf>,
}

pub fn run(args: &Args) -> anyhow::Result<std::process::ExitCode> {
    if args.stale_after == 0 || args.stale_after > 7 * 24 * 60 {
        return Err(BadInput("--stale-after takes 1 to 10080 minutes (a week)".into()).into());
    }
    let now = Utc::now();
    let fleet = read_fleet(
        &args.status_dir,
        now,
        TimeDelta::minutes(i64::from(args.stale_after)),
    )
    .map_err(|e| {
        anyhow::anyhow!(
            "the status folder {} cannot be read: {e}",
            args.status_dir.display()
        )
    })?;
    let not_ready = fleet.iter().filter(|r| !r.ready).count();
    if let Some(path) = &args.report {
        // The page names the folder by its whole path: a relative one says nothing on paper.
        let dir = std::fs::canonicalize(&args.status_dir).unwrap_or_else(|_| args.status_dir.clone());
        let printed_by = format!("lamplight fleet (run by {})", lamplight_station::paper::os_user());
        let pdf = lamplight_station::fleet::fleet_report(
            &fleet,
            &dir,
            TimeDelta::minutes(i64::from(args.stale_after)),
            &printed_by,
            now,
        );
        std::fs::write(path, &pdf.bytes)
            .map_err(|e| anyhow::anyhow!("while writing the fleet page to {}: {e}", path.display()))?;
        eprintln!("Fleet page: {} page(s) written to {}", pdf.pages, path.display());
    }
    if args.json {
        crate::output::json(&json!({
            "status_dir": args.status_dir, "checked_at": now, "stale_after_minutes": args.stale_after,
            "pcs": fleet.len(), "ready": fleet.len() - not_ready, "not_ready": not_ready, "fleet": fleet,
        }))?;
    } else {
        for r in &fleet {
            let wards = if r.wards.is_empty() {
                "site".to_owned()
            } else {
                r.wards.join(",")
            };
            let age = r
                .data_age_minutes
                .map_or_else(|| "age unknown".to_owned(), |m| format!("data {m} min old"));
            let head = if r.ready { "READY    " } else { "NOT READY" };
            let mut line = format!("{head} {} ({wards}): {age}", r.pc);
            for p in &r.problems {
                line.push_str("; ");
                line.push_str(p);
            }
            for n in &r.notes {
                line.push_str(" [");
                line.push_str(n);
                line.push(']');
            }
            crate::output::line(&line)?;
        }
        eprintln!(
            "{} of {} PCs ready (data newer than {} min){}",
            fleet.len() - not_ready,
            fleet.len(),
            args.stale_after,
            if fleet.is_empty() {
                ": no status files in the folder"
            } else {
                ""
            }
        );
    }
    Ok(if not_ready > 0 || fleet.is_empty() {
        std::process::ExitCode::from(crate::exit::NOT_READY)
    } else {
        std::process::ExitCode::SUCCESS
    })
}

//! `lamplight reconcile`: the ward's downtime record back into the EPR. It plans every entry (all
//! PCs', through the ward folder) against what the EPR holds now, prints the plan, and files what
//! needs no person, one patient at a time, each acknowledgement kept in this PC's journal as soon as
//! the EPR answers. What needs a person (an order stopped meanwhile, a patient moved, a dose recorded
//! twice, a downtime admission to match) is listed and left for the worklist: exit 13 says so.
//!
//! Running it again, after a crash or with the EPR dropping out half-way, or on two PCs at once, is
//! safe: an entry is filed under its stable identifier, found rather than created a second time.
//! Drill entries are never filed unless `--allow-drill` (a drill against a test EPR), and it says so.

use std::path::PathBuf;

use anyhow::Context as _;
use chrono::Utc;
use lamplight_fhir::backfile;
use lamplight_model::reconcile::{NotFiledWhy, Outcome, Plan};
use lamplight_station::Station;
use lamplight_station::reconcile::{FILED_BY_COMMAND, FiledAck, FilingRun, conflict_words, not_filed_words};
use lamplight_station::sync::EprSettings;
use serde_json::json;

use crate::secrets::OpenVault;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    open: OpenVault,
    /// The EPR's FHIR R4 base URL.
    #[arg(long)]
    epr: String,
    /// A file holding the bearer token for the EPR.
    #[arg(long)]
    token_file: Option<PathBuf>,
    /// Extra CA certificate (PEM) to trust for the EPR's TLS.
    #[arg(long)]
    ca_file: Option<PathBuf>,
    /// This PC's name (default: the configured one, the host name).
    #[arg(long)]
    pc: Option<String>,
    /// The ward folder the ward's PCs share their entries through: every PC's entries are planned.
    #[arg(long)]
    ward_folder: Option<PathBuf>,
    /// Print the plan and file nothing.
    #[arg(long)]
    dry_run: bool,
    /// File drill entries too (only ever against a test EPR).
    #[arg(long)]
    allow_drill: bool,
    /// The plan (and what was filed) as JSON on stdout.
    #[arg(long)]
    json: bool,
    /// Also write the reconciliation report, an A4 PDF (what was filed, by whom, what was rejected
    /// and why, what is still open), to this file: after filing, or after a dry run's plan. It
    /// holds patient data in the clear, as a printout would.
    #[arg(long, value_name = "FILE.pdf")]
    report: Option<PathBuf>,
}

pub fn run(args: &Args) -> anyhow::Result<std::process::ExitCode> {
    let config = args
        .open
        .station_config(args.pc.as_deref(), args.ward_folder.as_deref())?;
    let now = Utc::now();
    let station = Station::launch(&config, now)?;
    station.check_vault(now);
    for w in station.status(now).warnings {
        eprintln!("warning: {w}");
    }
    let settings = EprSettings {
        base_url: args.epr.clone(),
        token_file: args.token_file.clone(),
        ca_file: args.ca_file.clone(),
    };
    let epr = settings.connect()?;
    let (state, plan) = station
        .fetch_plan(&epr, args.allow_drill)
        .context("reading what the EPR holds now")?;
    let drills = plan
        .entries
        .iter()
        .filter(|e| {
            matches!(
                e.outcome,
                Outcome::NotFiled {
                    why: NotFiledWhy::Drill
                }
            )
        })
        .count();
    if drills > 0 && !args.allow_drill {
        eprintln!(
            "{drills} drill entries are not filed (recorded in a drill, practice only); --allow-drill files them, only ever to a test EPR"
        );
    }
    if !args.json {
        print_plan(&plan)?;
    }
    let run = if args.dry_run {
        FilingRun::default()
    } else {
        station.file_ready(&epr, &state, &plan, FILED_BY_COMMAND)?
    };
    if run.busy > 0 {
        eprintln!(
            "{} patients' entries were being filed by another PC of the ward at the same time: run reconcile again in a minute",
            run.busy
        );
    }
    let (filed, stopped) = (run.filed, run.stopped);
    report(args, &plan, &filed, stopped.as_ref())?;
    if let Some(path) = &args.report {
        // Written even when filing stopped: what was filed so far is on it.
        let printed_by = format!(
            "{FILED_BY_COMMAND} (run by {})",
            lamplight_station::paper::os_user()
        );
        let pdf = station.reconciliation_report(&plan, state.fetched_at, &printed_by, Utc::now());
        std::fs::write(path, &pdf.bytes)
            .with_context(|| format!("while writing the reconciliation report to {}", path.display()))?;
        eprintln!(
            "Reconciliation report: {} page(s) written to {}",
            pdf.pages,
            path.display()
        );
    }
    if let Some(e) = stopped {
        return Err(anyhow::Error::new(e).context(
            "filing stopped; what was acknowledged is kept, and running reconcile again carries on",
        ));
    }
    Ok(if plan.counts().needs_person > 0 || run.busy > 0 {
        std::process::ExitCode::from(crate::exit::NEEDS_PERSON)
    } else {
        std::process::ExitCode::SUCCESS
    })
}

/// One summary line on stderr, or the whole plan and what was filed as JSON on stdout.
fn report(
    args: &Args,
    plan: &Plan,
    filed: &[FiledAck],
    stopped: Option<&backfile::FileError>,
) -> anyhow::Result<()> {
    let counts = plan.counts();
    let created = filed.iter().filter(|f| !f.already_there).count();
    if args.json {
        return crate::output::json_line(&json!({
            "plan": plan,
            "counts": counts,
            "filed": filed,
            "dry_run": args.dry_run,
            "stopped": stopped.map(ToString::to_string),
        }));
    }
    let verb = if args.dry_run { "would file" } else { "filed" };
    eprintln!(
        "{} entries: {verb} {} ({} new, {} already in the EPR), {} need a person, {} filed before, {} rejected, {} not filed by rule",
        plan.entries.len(),
        if args.dry_run { counts.ready } else { filed.len() },
        created,
        filed.len() - created,
        counts.needs_person,
        counts.filed,
        counts.rejected,
        counts.not_filed
    );
    Ok(())
}

/// The plan, a line per entry, grouped by patient: what waits for a person says why.
fn print_plan(plan: &Plan) -> anyhow::Result<()> {
    for group in plan.by_patient() {
        crate::output::line(&format!(
            "patient {}",
            group.patient_id.as_deref().unwrap_or("(none)")
        ))?;
        for e in &group.entries {
            let (what, why) = match &e.outcome {
                Outcome::Ready { decided_by, .. } => (
                    "ready",
                    decided_by
                        .as_ref()
                        .map(|b| format!("decided by {b}"))
                        .unwrap_or_default(),
                ),
                Outcome::NeedsPerson { conflicts } => (
                    "NEEDS A PERSON",
                    conflicts
                        .iter()
                        .map(conflict_words)
                        .collect::<Vec<_>>()
                        .join("; "),
                ),
                Outcome::AlreadyFiled => ("filed", String::new()),
                Outcome::Rejected { by, reason } => ("rejected", format!("by {by}: {reason}")),
                Outcome::NotFiled { why } => ("not filed", not_filed_words(why)),
            };
            crate::output::line(&format!(
                "  {} {} {what}{}{why}",
                e.entry_id,
                lamplight_model::time::clinical(e.at),
                if why.is_empty() { "" } else { ": " }
            ))?;
        }
    }
    Ok(())
}

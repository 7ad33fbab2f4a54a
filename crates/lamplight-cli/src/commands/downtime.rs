//! `lamplight downtime`: plan, declare, end and look at a ward PC's downtime, for IT and for tests.
//!
//! - `schedule --vault DIR --from T --to T --reason TEXT`: a planned downtime that the ward PCs
//!   reading this vault announce ahead, take their last snapshot before, and enter at its start.
//!   It holds times and a reason, no patient data, so it needs no key.
//! - `status|declare|end|drill --vault DIR --identity KEY`: the PC's mode, which is sealed.
//!   `end` takes one step back towards normal: downtime → recovery (the EPR is back; entries go
//!   back to it), recovery → normal, a drill → normal.
//!
//! Each goes through the station, as the window's buttons do, so the rules are the same.

use std::path::PathBuf;

use chrono::Utc;
use lamplight_model::{Mode, ModeAction, PlannedDowntime, time};
use lamplight_station::{ModeRequest, Station};
use serde_json::json;

use crate::exit::BadInput;
use crate::secrets::OpenVault;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    what: What,
}

#[derive(Debug, clap::Args)]
struct Pc {
    #[command(flatten)]
    open: OpenVault,
    #[arg(long)]
    json: bool,
}

#[derive(Debug, clap::Subcommand)]
enum What {
    /// Plan a downtime: ward PCs announce it, take a last snapshot 5 minutes before, and enter it.
    Schedule {
        /// The vault folder (or site share) the ward PCs read.
        #[arg(long)]
        vault: PathBuf,
        /// When the EPR goes down: London time (2026-12-06 02:00) or RFC 3339 with offset.
        #[arg(long)]
        from: String,
        /// When it should be back.
        #[arg(long)]
        to: String,
        /// What the ward PCs announce (`EPR maintenance`).
        #[arg(long)]
        reason: String,
        /// Who planned it (IT's name or team); by default the account running the command.
        #[arg(long)]
        by: Option<String>,
        /// Sign it with IT's staging key (`lamplight keygen --signing`): ward PCs given its public
        /// key with --trust take only what it signed.
        #[arg(long, value_name = "KEY")]
        sign_with: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
    /// The PC's mode, who set it and why, and any planned downtime.
    Status {
        #[command(flatten)]
        pc: Pc,
    },
    /// Declare downtime (the EPR cannot be used): the PC records care until recovery.
    Declare {
        #[command(flatten)]
        pc: Pc,
        /// Who declares it (recorded and shown on every screen).
        #[arg(long)]
        by: String,
        /// Why (`EPR not answering`).
        #[arg(long)]
        reason: String,
    },
    /// One step back towards normal: downtime → recovery, recovery → normal, a drill → normal.
    End {
        #[command(flatten)]
        pc: Pc,
        #[arg(long)]
        by: String,
    },
    /// Start a drill: downtime rehearsed, watermarked on every screen and page.
    Drill {
        #[command(flatten)]
        pc: Pc,
        #[arg(long)]
        by: String,
    },
}

fn open(pc: &Pc) -> anyhow::Result<Station> {
    Ok(Station::launch(&pc.open.station_config(None, None)?, Utc::now())?)
}

fn report(station: &Station, pc: &Pc) -> anyhow::Result<()> {
    let now = Utc::now();
    let status = station.status(now);
    let mode = station.mode();
    if pc.json {
        return crate::output::json(&json!({
            "mode": status.mode.mode,
            "since": mode.since,
            "cause": mode.cause,
            "by": mode.by,
            "reason": mode.reason,
            "headline": status.mode.headline,
            "detail": status.mode.detail,
            "problem": status.mode.problem,
            "planned": status.planned,
            "generation": status.generation,
            "data": status.stamp,
        }));
    }
    crate::output::line(&status.mode.headline)?;
    if let Some(d) = &status.mode.detail {
        crate::output::line(&format!("  {d}"))?;
    }
    if let Some(p) = &status.mode.problem {
        crate::output::line(&format!("  problem: {p}"))?;
    }
    if let Some(p) = &status.planned {
        crate::output::line(&format!(
            "  planned: {}{}",
            p.text,
            if p.under_way { " (under way)" } else { "" }
        ))?;
    }
    crate::output::line(&format!(
        "  generation {} on screen, {}",
        status
            .generation
            .map_or_else(|| "none".to_owned(), |g| g.to_string()),
        status.stamp
    ))
}

fn change(pc: &Pc, action: ModeAction, by: &str, reason: &str) -> anyhow::Result<()> {
    let station = open(pc)?;
    station.change_mode(
        &ModeRequest {
            action,
            by: by.to_owned(),
            reason: reason.to_owned(),
        },
        Utc::now(),
    )?;
    report(&station, pc)
}

pub fn run(args: &Args) -> anyhow::Result<()> {
    match &args.what {
        What::Schedule {
            vault,
            from,
            to,
            reason,
            by,
            sign_with,
            json,
        } => {
            let now = Utc::now();
            let from = time::parse_input(from).map_err(|e| BadInput(format!("--from: {e}")))?;
            let to = time::parse_input(to).map_err(|e| BadInput(format!("--to: {e}")))?;
            let by = by.clone().unwrap_or_else(lamplight_station::paper::os_user);
            let id = format!("plan-{}", from.format("%Y%m%dT%H%MZ"));
            let plan =
                PlannedDowntime::new(id, from, to, reason, &by, now).map_err(|e| BadInput(e.to_string()))?;
            let mut place = lamplight_vault::Vault::new(vault);
            if let Some(key) = sign_with {
                place = place.sign_with(lamplight_vault::SigningKey::load(key)?);
            }
            let path = lamplight_station::mode::write_plan(&place, &plan)?;
            if *json {
                return crate::output::json(&json!({
                    "id": plan.id, "from": plan.from, "to": plan.to, "reason": plan.reason,
                    "final_snapshot_at": plan.final_snapshot_at(), "announcement": plan.announcement(),
                    "path": path,
                }));
            }
            eprintln!("Planned: {}", plan.announcement());
            crate::output::line(&path.display().to_string())
        }
        What::Status { pc } => report(&open(pc)?, pc),
        What::Declare { pc, by, reason } => change(pc, ModeAction::DeclareDowntime, by, reason),
        What::End { pc, by } => {
            let action = match open(pc)?.mode().mode {
                Mode::Downtime => ModeAction::StartRecovery,
                Mode::Recovery => ModeAction::ReturnToNormal,
                Mode::Drill => ModeAction::EndDrill,
                Mode::Normal => {
                    return Err(BadInput(
                        "this PC is not in downtime, recovery or a drill: nothing to end".into(),
                    )
                    .into());
                }
            };
            change(pc, action, by, "")
        }
        What::Drill { pc, by } => change(pc, ModeAction::StartDrill, by, "drill"),
    }
}

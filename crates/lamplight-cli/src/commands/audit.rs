//! `lamplight audit`: who saw and did what on a ward's PCs, from their journals: sign-ins and
//! refusals, records opened, prints, changes of mode, entries, decisions, filing. Lines a reviewer
//! must look at (emergency sign-ins, refusals, a mode changed with nobody signed in) are marked `!`.
//! People are named as the journal names them; patients by id only.

use std::path::PathBuf;

use chrono::Utc;
use lamplight_model::time;
use lamplight_station::audit::{AuditQuery, read_trail};
use serde_json::json;

use crate::exit::BadInput;
use crate::secrets::OpenVault;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    open: OpenVault,
    /// The ward folder the ward's PCs share their journals through: every PC's trail too.
    #[arg(long)]
    ward_folder: Option<PathBuf>,
    /// Only from this time on: London time (2026-12-01 08:00) or RFC 3339 with offset.
    #[arg(long)]
    since: Option<String>,
    /// Only this person (full name, any case) or session id.
    #[arg(long)]
    user: Option<String>,
    #[arg(long)]
    json: bool,
}

pub fn run(args: &Args) -> anyhow::Result<()> {
    let identity = args.open.load_identity()?;
    let since = args
        .since
        .as_deref()
        .map(|t| time::parse_input(t).map_err(|e| BadInput(format!("--since: {e}"))))
        .transpose()?;
    let query = AuditQuery {
        since,
        user: args.user.clone(),
    };
    let trail = read_trail(
        &args.open.vault,
        args.ward_folder.as_deref(),
        &identity,
        &query,
        Utc::now(),
    )?;
    for p in &trail.problems {
        eprintln!("warning: {p}");
    }
    if args.json {
        return crate::output::json(&json!({ "lines": trail.lines, "problems": trail.problems }));
    }
    for l in &trail.lines {
        let detail = [l.detail.as_deref(), l.patient_id.as_deref().map(str::trim)]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ");
        let reason = l
            .emergency_reason
            .as_deref()
            .map(|r| format!(" (emergency: {r})"))
            .unwrap_or_default();
        crate::output::line(&format!(
            "{} {} {:<8} {} ({}) {}{}{}{}",
            if l.highlighted { "!" } else { " " },
            time::clinical(l.at),
            l.pc,
            l.by,
            l.role,
            l.event,
            if detail.is_empty() {
                String::new()
            } else {
                format!(" {detail}")
            },
            reason,
            if l.drill { " [drill]" } else { "" },
        ))?;
    }
    eprintln!(
        "{} lines, {} to look at (!)",
        trail.lines.len(),
        trail.lines.iter().filter(|l| l.highlighted).count()
    );
    Ok(())
}

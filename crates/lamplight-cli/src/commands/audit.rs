//! `lamplight audit`: who saw and did what on a ward's PCs, from their journals: sign-ins and
//! refusals, records opened, prints, changes of mode, entries, decisions, filing. Lines a reviewer
//! must look at (emergency sign-ins, refusals, a mode changed with nobody signed in) are marked `!`.
//! People are named as the journal names them; patients by id only. `--report` also writes the
//! trail as an A4 PDF, what to look at first.

use std::path::PathBuf;

use anyhow::Context as _;
use chrono::Utc;
use lamplight_model::time;
use lamplight_station::audit::{AuditQuery, AuditTrail, read_trail};
use lamplight_station::paper::audit::{AuditReportAbout, audit_report};
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
    /// Also write the audit report, an A4 PDF (what to look at first, then the whole trail), to
    /// this file. It names patients by id only, as the trail does.
    #[arg(long, value_name = "FILE.pdf")]
    report: Option<PathBuf>,
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
    if let Some(path) = &args.report {
        write_report(args, &query, &trail, path)?;
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

/// The audit report, printed by whoever ran the command.
fn write_report(
    args: &Args,
    query: &AuditQuery,
    trail: &AuditTrail,
    path: &std::path::Path,
) -> anyhow::Result<()> {
    let printed_by = format!("lamplight audit (run by {})", lamplight_station::paper::os_user());
    // The report names the vault by its whole path: a relative one says nothing on paper.
    let vault = std::fs::canonicalize(&args.open.vault).unwrap_or_else(|_| args.open.vault.clone());
    let about = AuditReportAbout {
        vault: &vault,
        ward_folder: args.ward_folder.as_deref(),
        query,
        printed_by: &printed_by,
    };
    let pdf = audit_report(trail, &about, Utc::now());
    std::fs::write(path, &pdf.bytes)
        .with_context(|| format!("while writing the audit report to {}", path.display()))?;
    eprintln!(
        "Audit report: {} page(s) written to {}",
        pdf.pages,
        path.display()
    );
    Ok(())
}

//! The audit trail: who saw and did what, read back from the ward's journals (this vault's and,
//! with a ward folder, every PC's), for `lamplight audit` and its report.
//!
//! Every line is a journal record: sealed, chained and shared like the entries. Audit events
//! (sign-ins and refusals, records opened, prints, warnings confirmed, changes of mode, refusals at
//! the API) are read as they were written; entries, decisions and acknowledgements are actions too
//! and read as `entry-recorded`, `decided` and `filed`. A line names people as the journal does
//! (the author of the record) and patients by id only: the report is for IT and governance, and
//! a name on it would be one more copy of patient data.

use std::collections::BTreeSet;
use std::path::Path;

use chrono::{DateTime, Utc};
use lamplight_vault::Identity;
use lamplight_vault::journal::{self, Record};
use serde::{Deserialize, Serialize};

use crate::StationError;
use crate::entries::{AuditFile, EntryFileView};

/// One line of the audit trail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditLine {
    pub at: DateTime<Utc>,
    /// The PC whose journal holds the record, and its place in that journal.
    pub pc: String,
    pub sequence: u64,
    /// Who: the record's author (the signed-in person, or the name typed where nobody was).
    pub by: String,
    /// `nurse`, `bed-manager`, `it`, or `none` (nobody signed in).
    pub role: String,
    /// `signed-in`, `refused-role-not-allowed`, `record-opened`, `printed`, `mode-changed`,
    /// `entry-recorded`, `decided`, `filed`…
    pub event: String,
    /// The action refused, the document printed, the warning confirmed, the entry's kind…
    pub detail: Option<String>,
    pub patient_id: Option<String>,
    pub session_id: Option<String>,
    /// Why an emergency sign-in was made (no roster reached the PC).
    pub emergency_reason: Option<String>,
    /// Lines a reviewer must look at: emergency sign-ins, refusals, changes of mode made with
    /// nobody signed in, records opened outside the person's wards (break-glass), and PDFs saved
    /// (the one unencrypted copy).
    pub highlighted: bool,
    /// A drill record (practice).
    pub drill: bool,
}

/// What to keep of the trail.
#[derive(Debug, Clone, Default)]
pub struct AuditQuery {
    pub since: Option<DateTime<Utc>>,
    /// A person's name (any case) or account id.
    pub user: Option<String>,
}

/// The trail and what could not be read of it.
#[derive(Debug, Clone, Default)]
pub struct AuditTrail {
    pub lines: Vec<AuditLine>,
    /// Records or journals that could not be read (ids only), said beside the trail.
    pub problems: Vec<String>,
}

/// A name no PC is given, for reading a ward folder without a journal of one's own there.
const READER: &str = "lamplight-audit";

/// Reads the audit trail of the journals in `vault_dir` and, when given, of every PC in
/// `ward_folder`, oldest first. Writes nothing.
pub fn read_trail(
    vault_dir: &Path,
    ward_folder: Option<&Path>,
    identity: &Identity,
    query: &AuditQuery,
    now: DateTime<Utc>,
) -> Result<AuditTrail, StationError> {
    let mut trail = AuditTrail::default();
    let mut records: Vec<Record> = Vec::new();
    for (pc, path) in journal::journal_files(vault_dir)? {
        match journal::read_file(&path, Some(&pc), identity) {
            Ok(r) => records.extend(r),
            Err(e) => trail
                .problems
                .push(format!("the journal of {pc} could not be read whole: {e}")),
        }
    }
    if let Some(dir) = ward_folder {
        let mut folder = lamplight_vault::WardFolder::new(dir, READER)?;
        let report = folder.pull_only(identity, now);
        if !report.reachable {
            trail.problems.push(format!(
                "the ward folder {} could not be read: only this vault's journals are in the trail",
                dir.display()
            ));
        }
        trail
            .problems
            .extend(report.problems.iter().map(ToString::to_string));
        records.extend(folder.peer_records().cloned());
    }
    let mut seen = BTreeSet::new();
    records.retain(|r| seen.insert((r.journal, r.sequence)));
    for r in &records {
        match line(r) {
            Ok(l) if keep(&l, query) => trail.lines.push(l),
            Ok(_) => {}
            Err(p) => trail.problems.push(p),
        }
    }
    trail
        .lines
        .sort_by(|a, b| (a.at, &a.pc, a.sequence).cmp(&(b.at, &b.pc, b.sequence)));
    Ok(trail)
}

fn keep(l: &AuditLine, q: &AuditQuery) -> bool {
    q.since.is_none_or(|t| l.at >= t)
        && q.user.as_deref().is_none_or(|u| {
            let u = u.trim();
            l.by.eq_ignore_ascii_case(u) || l.session_id.as_deref() == Some(u)
        })
}

fn line(r: &Record) -> Result<AuditLine, String> {
    let view = EntryFileView::read(&r.payload).map_err(|e| {
        format!(
            "record {} of {} is not one this Lamplight reads ({e})",
            r.sequence, r.pc
        )
    })?;
    let mut l = AuditLine {
        at: r.recorded_at,
        pc: r.pc.clone(),
        sequence: r.sequence,
        by: r.author.clone(),
        role: r.role.clone(),
        event: String::new(),
        detail: None,
        patient_id: None,
        session_id: None,
        emergency_reason: None,
        highlighted: false,
        drill: view.drill,
    };
    match view.what {
        crate::entries::RecordWhat::Audit(AuditFile {
            event,
            detail,
            patient_id,
            session_id,
            emergency_reason,
            ..
        }) => {
            l.highlighted = event.starts_with("refused")
                || event == "emergency-sign-in"
                || event == crate::BREAK_GLASS_EVENT
                || event.starts_with("exported-pdf")
                || event == "mode-changed-not-signed-in"
                || emergency_reason.is_some();
            l.event = event;
            l.detail = detail;
            l.patient_id = patient_id;
            l.session_id = session_id;
            l.emergency_reason = emergency_reason;
        }
        crate::entries::RecordWhat::Entry { kind, patient_id } => {
            "entry-recorded".clone_into(&mut l.event);
            l.detail = Some(kind);
            l.patient_id = patient_id;
        }
        crate::entries::RecordWhat::Decision { choice } => {
            "decided".clone_into(&mut l.event);
            l.detail = Some(choice);
        }
        crate::entries::RecordWhat::Filed => "filed".clone_into(&mut l.event),
    }
    Ok(l)
}

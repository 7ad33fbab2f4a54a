//! The audit report's content (issue 12): an [`AuditTrail`] in the words IT and governance read,
//! for `lamplight-print`'s [`AuditReport`]. Every word and heading of the report is here, and every
//! time is London's, written by [`clinical`].
//!
//! Built from the trail alone, with no snapshot opened: the report is read on a PC where nobody
//! need sign in, and it names patients by id only, as the trail does. The lines to look at are the
//! trail's own `highlighted` ones (the rule is in [`crate::audit`]), each saying why.

use std::collections::BTreeSet;
use std::path::Path;

use chrono::{DateTime, Utc};
use lamplight_model::time::clinical;
use lamplight_print::Pdf;
use lamplight_print::Stamp;
use lamplight_print::audit::{AuditNotes, AuditReport, AuditRow, AuditSection};

use crate::audit::{AuditLine, AuditQuery, AuditTrail};

pub const KIND: &str = "Audit trail";
pub const TO_LOOK_AT: &str = "To look at";
pub const WHOLE_TRAIL: &str = "The whole trail, in time order";
pub const PROBLEMS: &str = "Could not be read";
pub const NONE: &str = "none";
pub const DRILL: &str = "DRILL (practice)";
pub const NOTICE: &str = "FOR IT AND GOVERNANCE - patients by id only";
pub const LEGEND: &str = "! and shading: a line to look at (an emergency sign-in, a refusal, a mode changed with nobody signed in). DRILL: a record made in a drill (practice).";

/// Where the trail was read from and who is printing it.
#[derive(Debug, Clone, Copy)]
pub struct AuditReportAbout<'a> {
    pub vault: &'a Path,
    pub ward_folder: Option<&'a Path>,
    pub query: &'a AuditQuery,
    pub printed_by: &'a str,
}

/// Why a highlighted line is to be looked at.
fn why_to_look(l: &AuditLine) -> Option<String> {
    if !l.highlighted {
        return None;
    }
    Some(if let Some(reason) = &l.emergency_reason {
        format!("Emergency sign-in, reason given: {reason}")
    } else if l.event == "emergency-sign-in" {
        "Emergency sign-in, no reason given".to_owned()
    } else if l.event.starts_with("refused") {
        "Refused".to_owned()
    } else if l.event == "mode-changed-not-signed-in" {
        "Mode changed with nobody signed in".to_owned()
    } else {
        "Marked to look at".to_owned()
    })
}

fn row(l: &AuditLine, look: bool) -> AuditRow {
    let mut event = l.event.clone();
    if l.drill {
        event = format!("{event}\n{DRILL}");
    }
    let mut detail: Vec<String> = Vec::new();
    if look && let Some(why) = why_to_look(l) {
        detail.push(why);
    }
    detail.extend(l.detail.clone());
    if !look && let Some(reason) = &l.emergency_reason {
        detail.push(format!("Emergency: {reason}"));
    }
    AuditRow {
        time: clinical(l.at),
        pc: format!("{}\n#{}", l.pc, l.sequence),
        who: format!("{} ({})", l.by, l.role),
        event,
        detail: detail.join("\n"),
        patient: l
            .patient_id
            .as_deref()
            .map(str::trim)
            .unwrap_or_default()
            .to_owned(),
        highlighted: l.highlighted,
    }
}

fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The audit report's content for `trail`, read as `about` says, printed at `now`.
pub fn audit_report_document(
    trail: &AuditTrail,
    about: &AuditReportAbout<'_>,
    now: DateTime<Utc>,
) -> AuditReport {
    let lines = &trail.lines;
    let people: BTreeSet<&str> = lines.iter().map(|l| l.by.as_str()).collect();
    let pcs: BTreeSet<&str> = lines.iter().map(|l| l.pc.as_str()).collect();
    let look: Vec<&AuditLine> = lines.iter().filter(|l| l.highlighted).collect();
    let drills = lines.iter().filter(|l| l.drill).count();

    let vault = about.vault.display().to_string();
    let from = about.query.since.or_else(|| lines.first().map(|l| l.at));
    let period = match (from, lines.last()) {
        (Some(from), Some(last)) => format!("{} to {}", clinical(from), clinical(last.at)),
        (Some(from), None) => format!("from {}: no lines", clinical(from)),
        (None, _) => "no lines".to_owned(),
    };
    let mut filters = Vec::new();
    if let Some(t) = about.query.since {
        filters.push(format!("since {}", clinical(t)));
    }
    if let Some(u) = &about.query.user {
        filters.push(format!("only {}", u.trim()));
    }
    let filters = if filters.is_empty() {
        "none: the whole trail".to_owned()
    } else {
        filters.join("; ")
    };
    let (read, scope) = match about.ward_folder {
        Some(dir) => (
            format!(
                "this vault's journals and every PC's in the ward folder {}",
                dir.display()
            ),
            "every PC of the ward folder".to_owned(),
        ),
        None => ("this vault's journals".to_owned(), "this vault's PCs".to_owned()),
    };
    let printed_at = clinical(now);
    let header = vec![
        ("Vault".to_owned(), vault.clone()),
        ("Read from".to_owned(), read),
        ("Period".to_owned(), period),
        ("Filters".to_owned(), filters),
        ("Printed at".to_owned(), printed_at.clone()),
        ("Printed by".to_owned(), about.printed_by.to_owned()),
    ];
    let mut summary = vec![
        count(lines.len(), "line", "lines"),
        count(people.len(), "person", "people"),
        count(pcs.len(), "PC", "PCs"),
        format!("{} to look at", look.len()),
    ];
    if drills > 0 {
        summary.push(format!("{drills} in a drill"));
    }
    if !trail.problems.is_empty() {
        summary.push(format!(
            "{} could not be read (listed at the end)",
            trail.problems.len()
        ));
    }
    AuditReport {
        stamp: Stamp {
            data_as_of: printed_at.clone(),
            printed_at,
            printed_by: about.printed_by.to_owned(),
            site: format!("{KIND} of vault {vault}"),
            notice: Some(NOTICE.to_owned()),
        },
        kind: KIND.to_owned(),
        title: format!("{KIND}: {vault}"),
        scope,
        header,
        summary: summary.join(", "),
        legend: LEGEND.to_owned(),
        to_look_at: AuditSection {
            heading: TO_LOOK_AT.to_owned(),
            rows: look.iter().map(|l| row(l, true)).collect(),
        },
        trail: AuditSection {
            heading: WHOLE_TRAIL.to_owned(),
            rows: lines.iter().map(|l| row(l, false)).collect(),
        },
        problems: AuditNotes {
            heading: PROBLEMS.to_owned(),
            notes: trail.problems.clone(),
        },
        none: NONE.to_owned(),
    }
}

/// The audit report as an A4 PDF, in memory (see [`audit_report_document`]).
pub fn audit_report(trail: &AuditTrail, about: &AuditReportAbout<'_>, now: DateTime<Utc>) -> Pdf {
    lamplight_print::audit::render(&audit_report_document(trail, about, now))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn line(event: &str, highlighted: bool) -> AuditLine {
        AuditLine {
            at: Utc.with_ymd_and_hms(2026, 7, 1, 7, 4, 0).unwrap(),
            pc: "WD7-PC1".to_owned(),
            sequence: 3,
            by: "Nurse Ada Audit".to_owned(),
            role: "nurse".to_owned(),
            event: event.to_owned(),
            detail: Some("open-record".to_owned()),
            patient_id: Some("pat-1".to_owned()),
            session_id: None,
            emergency_reason: None,
            highlighted,
            drill: true,
        }
    }

    #[test]
    fn a_refusal_is_listed_to_look_at_first_saying_why_in_london_time() {
        let trail = AuditTrail {
            lines: vec![line("record-opened", false), line("refused-not-signed-in", true)],
            problems: vec!["record 9 of WD7-PC2 is not one this Lamplight reads".to_owned()],
        };
        let about = AuditReportAbout {
            vault: Path::new("/srv/vault"),
            ward_folder: None,
            query: &AuditQuery::default(),
            printed_by: "it-admin",
        };
        let now = Utc.with_ymd_and_hms(2026, 7, 1, 9, 0, 0).unwrap();
        let r = audit_report_document(&trail, &about, now);
        assert_eq!(
            r.to_look_at.rows.len(),
            1,
            "only the highlighted line is to look at"
        );
        let look = &r.to_look_at.rows[0];
        assert!(look.detail.starts_with("Refused\n"), "it says why: {look:?}");
        assert_eq!(look.time, "08:04 Wed 01/07/2026", "in London's summer time");
        assert!(look.event.contains(DRILL), "a drill record says so");
        assert_eq!(r.trail.rows.len(), 2, "the whole trail has every line");
        assert_eq!(
            r.summary,
            "2 lines, 1 person, 1 PC, 1 to look at, 2 in a drill, 1 could not be read (listed at the end)"
        );
        assert!(
            r.header
                .iter()
                .any(|(k, v)| k == "Filters" && v.starts_with("none"))
        );
    }
}

//! The reconciliation report (issue 11): after `lamplight reconcile` or the worklist, what was filed
//! back to the EPR and when, what was rejected, by whom and why, what still needs a person, and
//! what is never filed by rule, each entry in the ward's words (patient by name and bed).
//!
//! Built from the plan and the journal's acknowledgements and decisions: an entry the plan had as
//! ready that the EPR has since acknowledged is reported as filed, so the report written straight
//! after a filing run needs no second read of the EPR.
//!
//! Who filed: the journal keeps the acknowledgement's author, but the station's [`FiledAck`] does
//! not carry it, so the report names the person who decided an entry (when one did) and otherwise
//! says it was filed by `lamplight reconcile` or the worklist.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use lamplight_model::reconcile::{Choice, Decision, Outcome, Plan};
use lamplight_model::time::clinical;
use lamplight_model::{EntryKind, Site};
use lamplight_print::{Reconciliation, ReconciliationRow, ReconciliationSection, Stamp};

use super::{PrintOptions, paper_time};
use crate::Station;
use crate::reconcile::{FiledAck, conflict_words, not_filed_words};

/// Who filed an entry when no person's name is known for it.
pub const FILED_BY_UNKNOWN: &str = "filed by lamplight reconcile or the worklist";

pub const STILL_OPEN: &str = "Still open — needs a person";
pub const READY: &str = "Ready to file — not filed yet";
pub const REJECTED: &str = "Rejected";
pub const FILED: &str = "Filed";
pub const NOT_FILED: &str = "Not filed by rule";

/// What a person's decision was, in words.
fn decided_words(d: &Decision) -> String {
    let what = match &d.choice {
        Choice::Accept => "accepted as recorded".to_owned(),
        Choice::Reject { .. } => "rejected".to_owned(),
        Choice::Edit { .. } => "edited before filing".to_owned(),
        Choice::MatchPatient { epr_patient_id } => format!("matched to EPR patient {epr_patient_id}"),
        Choice::NewPatient => "filed as a new EPR patient".to_owned(),
    };
    format!("Decided by {} at {}: {what}", d.by, paper_time(d.at))
}

/// `SMITH, Mary` and `Bay A, bed A3`, as the ward knows the patient; a downtime admission by the
/// name it was recorded under.
fn patient_words(site: &Site, entries: &[lamplight_model::Entry], patient_id: Option<&str>) -> String {
    let Some(id) = patient_id else {
        return "(no patient)".to_owned();
    };
    if let Some(p) = site.patients.iter().find(|p| p.id == id) {
        let place = site.admissions.iter().find(|a| a.patient_id == id).map_or_else(
            || "not on the ward".to_owned(),
            |a| {
                let bed = a.bed_id.as_deref().and_then(|b| {
                    site.wards
                        .iter()
                        .flat_map(lamplight_model::Ward::beds)
                        .find(|(_, x)| x.id == b)
                });
                match bed {
                    Some((bay, bed)) => format!("{}, bed {}", bay.name, bed.label),
                    None => "no bed".to_owned(),
                }
            },
        );
        return format!("{}\n{place}", p.name.clinical());
    }
    let admitted = entries.iter().find_map(|e| match &e.kind {
        EntryKind::Admission { patient, .. } if patient.id == id => Some(patient.name.clinical()),
        _ => None,
    });
    match admitted {
        Some(name) => format!("{name}\nadmitted during downtime ({id})"),
        None => id.to_owned(),
    }
}

/// How an acknowledged entry was filed, in words.
fn filed_words(ack: Option<&FiledAck>, decision: Option<&Decision>) -> String {
    let mut lines = Vec::new();
    match ack {
        Some(a) if a.already_there => lines.push(format!(
            "Already in the EPR (found {}, from an earlier run or another PC)",
            paper_time(a.at)
        )),
        Some(a) => lines.push(format!("Filed {}, {FILED_BY_UNKNOWN}", paper_time(a.at))),
        None => lines.push("Already in the EPR (found by its filing identifier)".to_owned()),
    }
    if let Some(a) = ack
        && !a.resources.is_empty()
    {
        lines.push(format!("EPR: {}", a.resources.join(", ")));
    }
    if let Some(d) = decision {
        lines.push(decided_words(d));
    }
    lines.join("\n")
}

impl Station {
    /// The reconciliation report's content for `plan` (as `lamplight reconcile` or the worklist
    /// planned it against the EPR read at `epr_read_at`), with what the journal holds now.
    #[allow(clippy::too_many_lines, reason = "one entry's row per outcome, read together")]
    pub fn reconciliation_report_document(
        &self,
        plan: &Plan,
        epr_read_at: Option<DateTime<Utc>>,
        printed_by: &str,
        now: DateTime<Utc>,
    ) -> Reconciliation {
        let data = self.data();
        let site = data.site();
        let entries = data.entries();
        let options = PrintOptions {
            printed_by: printed_by.to_owned(),
            ..PrintOptions::default()
        };
        let stamp: Stamp = data.stamp(&options, now, self.mode().mode);
        let ward = match data.print_ward(&options) {
            Ok(Some(w)) => w.name.clone(),
            _ => site
                .wards
                .iter()
                .map(|w| w.name.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        };
        let acks: HashMap<String, FiledAck> = self
            .filed()
            .into_iter()
            .map(|a| (a.filing_id.clone(), a))
            .collect();
        // The latest decision about each entry is the one that counts.
        let mut decided: HashMap<String, Decision> = HashMap::new();
        for d in self.decisions() {
            decided.insert(d.entry_id.clone(), d);
        }

        let (mut open, mut ready, mut rejected, mut filed, mut rule) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
        let (mut n_filed, mut n_there) = (0usize, 0usize);
        for e in &plan.entries {
            let recorded = entries.iter().find(|x| x.id == e.entry_id);
            let kind = match &e.outcome {
                Outcome::Ready { entry, .. } => Some(&entry.kind),
                _ => recorded.map(|x| &x.kind),
            };
            let entry = kind.map_or_else(
                || format!("entry {}", e.entry_id),
                |k| {
                    let (_, label, text) = crate::patient::entry_words(site, k);
                    format!("{label}\n{text}")
                },
            );
            let decision = decided.get(&e.entry_id);
            let ack = acks.get(&e.filing_id.0);
            let row = |outcome: String| ReconciliationRow {
                time: clinical(e.at),
                patient: patient_words(site, entries, e.patient_id.as_deref()),
                entry: entry.clone(),
                outcome,
            };
            match &e.outcome {
                Outcome::NeedsPerson { conflicts } => {
                    let mut lines = vec!["Needs a person:".to_owned()];
                    lines.extend(conflicts.iter().map(|c| format!("- {}", conflict_words(c))));
                    open.push(row(lines.join("\n")));
                }
                Outcome::Ready { .. } if ack.is_some() => {
                    if ack.is_some_and(|a| a.already_there) {
                        n_there += 1;
                    } else {
                        n_filed += 1;
                    }
                    filed.push(row(filed_words(ack, decision)));
                }
                Outcome::Ready { decided_by, .. } => {
                    let mut lines = vec!["Ready to file, not filed yet".to_owned()];
                    if let Some(d) = decision {
                        lines.push(decided_words(d));
                    } else if let Some(by) = decided_by {
                        lines.push(format!("Decided by {by}"));
                    }
                    ready.push(row(lines.join("\n")));
                }
                Outcome::AlreadyFiled => {
                    if ack.is_some_and(|a| !a.already_there) {
                        n_filed += 1;
                    } else {
                        n_there += 1;
                    }
                    filed.push(row(filed_words(ack, decision)));
                }
                Outcome::Rejected { by, reason } => {
                    let when = decision
                        .filter(|d| matches!(d.choice, Choice::Reject { .. }))
                        .map(|d| format!(" at {}", paper_time(d.at)))
                        .unwrap_or_default();
                    rejected.push(row(format!("Rejected by {by}{when}\nWhy: {reason}")));
                }
                Outcome::NotFiled { why } => rule.push(row(format!("Not filed: {}", not_filed_words(why)))),
            }
        }

        let mut summary = vec![format!(
            "{} entries: {n_filed} filed, {n_there} already in the EPR, {} need a person, {} rejected, {} not filed by rule",
            plan.entries.len(),
            open.len(),
            rejected.len(),
            rule.len()
        )];
        if !ready.is_empty() {
            summary.push(format!("{} ready but not filed yet", ready.len()));
        }
        let mut summary = summary.join(", ");
        summary = match epr_read_at {
            Some(t) => format!("{summary}; EPR read at {}", paper_time(t)),
            None => format!("{summary}; EPR read at an unknown time"),
        };
        // A decision about an entry filed since is not used again: only the others are worth a look.
        let unused = plan
            .ignored_decisions
            .iter()
            .filter(|d| {
                plan.get(&d.decision.entry_id)
                    .is_none_or(|e| !matches!(e.outcome, Outcome::AlreadyFiled))
            })
            .count();
        if unused > 0 {
            summary = format!(
                "{summary}; {unused} decisions not used (they no longer fit their entry): see the worklist"
            );
        }

        let mut sections = vec![ReconciliationSection {
            heading: STILL_OPEN.to_owned(),
            rows: open,
        }];
        if !ready.is_empty() {
            sections.push(ReconciliationSection {
                heading: READY.to_owned(),
                rows: ready,
            });
        }
        for (heading, rows) in [(REJECTED, rejected), (FILED, filed), (NOT_FILED, rule)] {
            sections.push(ReconciliationSection {
                heading: heading.to_owned(),
                rows,
            });
        }
        Reconciliation {
            stamp,
            ward,
            summary,
            sections,
        }
    }

    /// The reconciliation report as an A4 PDF, in memory (see
    /// [`Station::reconciliation_report_document`]).
    pub fn reconciliation_report(
        &self,
        plan: &Plan,
        epr_read_at: Option<DateTime<Utc>>,
        printed_by: &str,
        now: DateTime<Utc>,
    ) -> lamplight_print::Pdf {
        let document = self.reconciliation_report_document(plan, epr_read_at, printed_by, now);
        lamplight_print::render(
            &document.title(),
            &[lamplight_print::Document::Reconciliation(document)],
        )
    }
}

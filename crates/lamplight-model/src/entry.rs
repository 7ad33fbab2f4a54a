//! Downtime entries: what is recorded on Lamplight while the EPR is down, and how the ward's record
//! is the snapshot with those entries laid over it.
//!
//! An entry is immutable. A correction is a new entry naming the one it corrects (`corrects`): it
//! replaces it, or, as [`EntryKind::EnteredInError`], withdraws it. Nothing is edited or deleted
//! (the journal that keeps entries is append-only). [`apply`] is pure: the board, the patient view
//! and every printed page read the site it returns, so a pack printed four hours into an outage shows
//! the last four hours, each downtime record marked as such.
//!
//! What it leaves to others: where entries are kept (`lamplight-vault`'s journal), who may record
//! what (sign-in and roles), and filing them back to the EPR (reconciliation).

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::medication::{Administration, AdministrationOutcome, OmissionReason};
use crate::observation::ObservationSet;
use crate::patient::{Admission, Patient};
use crate::site::Site;

/// One thing recorded during downtime, by a named person on a named PC.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Entry {
    /// A UUID, stable for the entry's life, used again when it is filed to the EPR.
    pub id: String,
    pub recorded_at: DateTime<Utc>,
    /// The signed-in person who keyed it.
    pub recorded_by: String,
    /// The PC it was recorded on.
    pub pc: String,
    /// Recorded in a drill: practice, never filed.
    pub drill: bool,
    /// The entry this one corrects (replaces, or withdraws).
    pub corrects: Option<String>,
    pub kind: EntryKind,
}

/// What was recorded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum EntryKind {
    /// A dose given.
    DoseGiven {
        patient_id: String,
        order_id: String,
        given_at: DateTime<Utc>,
        /// As given (`1 g`).
        dose: String,
        /// Who gave it (may differ from who keyed it).
        given_by: String,
        /// The second checker, for medicines that need one.
        checked_by: Option<String>,
        /// The due dose it was given for (the drug chart's box), when it was one: a dose given late
        /// or early still fills its own box, and a second dose for the same box is caught. `None`
        /// for a when-required dose.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        due_at: Option<DateTime<Utc>>,
    },
    /// A due dose not given, with its omission code.
    DoseNotGiven {
        patient_id: String,
        order_id: String,
        /// The due time the omission is for.
        due_at: DateTime<Utc>,
        reason: OmissionReason,
        note: Option<String>,
    },
    /// A set of observations (NEWS2 is scored from it, as for the EPR's).
    Observations { set: ObservationSet },
    /// A patient admitted during downtime, under a temporary downtime identifier.
    Admission { patient: Patient, admission: Admission },
    /// A patient moved to another bed or ward.
    Transfer {
        patient_id: String,
        ward_id: String,
        bed_id: Option<String>,
    },
    /// A patient discharged.
    Discharge {
        patient_id: String,
        at: DateTime<Utc>,
        destination: Option<String>,
    },
    /// A nursing note.
    Note { patient_id: String, text: String },
    /// A result phoned through to the ward, read back and confirmed.
    PhonedResult {
        patient_id: String,
        test: String,
        value: String,
        caller: String,
        read_back: bool,
    },
    /// Withdraws the entry named in `corrects` (recorded against the wrong patient, say).
    EnteredInError { reason: String },
}

impl EntryKind {
    /// The patient the entry is about, when it is about one.
    pub fn patient_id(&self) -> Option<&str> {
        match self {
            EntryKind::DoseGiven { patient_id, .. }
            | EntryKind::DoseNotGiven { patient_id, .. }
            | EntryKind::Transfer { patient_id, .. }
            | EntryKind::Discharge { patient_id, .. }
            | EntryKind::Note { patient_id, .. }
            | EntryKind::PhonedResult { patient_id, .. } => Some(patient_id),
            EntryKind::Observations { set } => Some(&set.patient_id),
            EntryKind::Admission { patient, .. } => Some(&patient.id),
            EntryKind::EnteredInError { .. } => None,
        }
    }
}

/// The entries that stand: each correction replaces what it corrects, and an entered-in-error one
/// withdraws it. In the order they were recorded (ties by id), so every PC computes the same.
pub fn standing(entries: &[Entry]) -> Vec<&Entry> {
    let corrected: BTreeSet<&str> = entries.iter().filter_map(|e| e.corrects.as_deref()).collect();
    let mut out: Vec<&Entry> = entries
        .iter()
        .filter(|e| !corrected.contains(e.id.as_str()))
        .filter(|e| !matches!(e.kind, EntryKind::EnteredInError { .. }))
        .collect();
    out.sort_by(|a, b| a.recorded_at.cmp(&b.recorded_at).then_with(|| a.id.cmp(&b.id)));
    out
}

/// The site with the downtime entries laid over it: doses and observations added (each marked with
/// its entry), admissions added, transfers and discharges applied. Notes and phoned results are not
/// part of a site; [`standing`] gives them to the screens that show them.
pub fn apply(site: &Site, entries: &[Entry]) -> Site {
    let mut site = site.clone();
    let mut discharged = BTreeSet::new();
    for e in standing(entries) {
        match &e.kind {
            EntryKind::DoseGiven {
                patient_id,
                order_id,
                given_at,
                dose,
                given_by,
                due_at,
                ..
            } => site.administrations.push(Administration {
                id: e.id.clone(),
                order_id: order_id.clone(),
                patient_id: patient_id.clone(),
                at: *given_at,
                outcome: AdministrationOutcome::Given {
                    dose: Some(dose.clone()),
                },
                performer: Some(given_by.clone()),
                note: None,
                entry: Some(e.id.clone()),
                due: *due_at,
            }),
            EntryKind::DoseNotGiven {
                patient_id,
                order_id,
                due_at,
                reason,
                note,
            } => site.administrations.push(Administration {
                id: e.id.clone(),
                order_id: order_id.clone(),
                patient_id: patient_id.clone(),
                at: *due_at,
                outcome: AdministrationOutcome::NotGiven { reason: *reason },
                performer: Some(e.recorded_by.clone()),
                note: note.clone(),
                entry: Some(e.id.clone()),
                due: Some(*due_at),
            }),
            EntryKind::Observations { set } => {
                let mut set = set.clone();
                set.entry = Some(e.id.clone());
                set.recorded_by.get_or_insert_with(|| e.recorded_by.clone());
                site.observations.push(set);
            }
            EntryKind::Admission { patient, admission } => {
                if !site.patients.iter().any(|p| p.id == patient.id) {
                    site.patients.push(patient.clone());
                }
                site.admissions.retain(|a| a.patient_id != patient.id);
                site.admissions.push(admission.clone());
            }
            EntryKind::Transfer {
                patient_id,
                ward_id,
                bed_id,
            } => {
                for a in site.admissions.iter_mut().filter(|a| a.patient_id == *patient_id) {
                    a.ward_id = Some(ward_id.clone());
                    a.bed_id.clone_from(bed_id);
                }
            }
            EntryKind::Discharge { patient_id, .. } => {
                discharged.insert(patient_id.clone());
            }
            EntryKind::Note { .. } | EntryKind::PhonedResult { .. } | EntryKind::EnteredInError { .. } => {}
        }
    }
    site.admissions.retain(|a| !discharged.contains(&a.patient_id));
    site
}

/// A due dose: the order and the time it was due.
pub type DueDose = (String, DateTime<Utc>);

/// Due doses recorded more than once (on one PC or several): each with the entries that recorded
/// it, for the ward to check before anyone gives it again. `due_for` says which due time a dose
/// given at an instant covers (the drug chart's cover window, `MedicationOrder::covering`).
pub fn possible_double_doses(
    entries: &[Entry],
    due_for: impl Fn(&str, DateTime<Utc>) -> Option<DateTime<Utc>>,
) -> Vec<(DueDose, Vec<String>)> {
    let mut by_dose: BTreeMap<DueDose, Vec<String>> = BTreeMap::new();
    for e in standing(entries) {
        if let EntryKind::DoseGiven {
            order_id,
            given_at,
            due_at,
            ..
        } = &e.kind
            && let Some(due) = due_at.or_else(|| due_for(order_id, *given_at))
        {
            by_dose
                .entry((order_id.clone(), due))
                .or_default()
                .push(e.id.clone());
        }
    }
    by_dose.into_iter().filter(|(_, ids)| ids.len() > 1).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(h: u32, m: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 1, h, m, 0).unwrap()
    }

    fn entry(id: &str, minute: u32, kind: EntryKind) -> Entry {
        Entry {
            id: id.into(),
            recorded_at: at(14, minute),
            recorded_by: "J Smith".into(),
            pc: "WD7-PC1".into(),
            drill: false,
            corrects: None,
            kind,
        }
    }

    fn given(id: &str, minute: u32, order: &str) -> Entry {
        entry(
            id,
            minute,
            EntryKind::DoseGiven {
                patient_id: "p1".into(),
                order_id: order.into(),
                given_at: at(14, minute),
                dose: "1 g".into(),
                given_by: "J Smith".into(),
                checked_by: None,
                due_at: None,
            },
        )
    }

    fn site() -> Site {
        let mut s = Site::empty("t", at(13, 0));
        s.admissions.push(Admission {
            id: "a1".into(),
            patient_id: "p1".into(),
            ward_id: Some("w1".into()),
            bed_id: Some("b1".into()),
            admitted_at: at(9, 0),
            consultant: None,
            specialty: None,
            expected_discharge: None,
            reason: None,
        });
        s
    }

    #[test]
    fn a_dose_recorded_in_downtime_joins_the_record_marked_as_a_downtime_entry() {
        let merged = apply(&site(), &[given("e1", 4, "o1")]);
        let a = &merged.administrations[0];
        assert_eq!(a.entry.as_deref(), Some("e1"));
        assert_eq!(a.performer.as_deref(), Some("J Smith"));
        assert!(matches!(a.outcome, AdministrationOutcome::Given { .. }));
    }

    #[test]
    fn a_correction_replaces_what_it_corrects_and_entered_in_error_withdraws_it() {
        let mut fixed = given("e2", 6, "o1");
        fixed.corrects = Some("e1".into());
        let merged = apply(&site(), &[given("e1", 4, "o1"), fixed]);
        assert_eq!(
            merged.administrations.len(),
            1,
            "the correction stands in for the original"
        );
        assert_eq!(merged.administrations[0].id, "e2");

        let mut withdraw = entry(
            "e3",
            7,
            EntryKind::EnteredInError {
                reason: "wrong patient".into(),
            },
        );
        withdraw.corrects = Some("e2".into());
        let mut fixed = given("e2", 6, "o1");
        fixed.corrects = Some("e1".into());
        let merged = apply(&site(), &[given("e1", 4, "o1"), fixed, withdraw]);
        assert!(merged.administrations.is_empty(), "withdrawn: nothing stands");
    }

    #[test]
    fn transfers_and_discharges_move_and_remove_the_patient_and_the_order_of_entries_decides() {
        let moved = entry(
            "t1",
            1,
            EntryKind::Transfer {
                patient_id: "p1".into(),
                ward_id: "w2".into(),
                bed_id: None,
            },
        );
        let merged = apply(&site(), std::slice::from_ref(&moved));
        assert_eq!(merged.admissions[0].ward_id.as_deref(), Some("w2"));
        assert_eq!(
            merged.admissions[0].bed_id, None,
            "awaiting a bed on the new ward"
        );
        let out = entry(
            "d1",
            2,
            EntryKind::Discharge {
                patient_id: "p1".into(),
                at: at(14, 2),
                destination: Some("home".into()),
            },
        );
        assert!(apply(&site(), &[out, moved]).admissions.is_empty());
    }

    #[test]
    fn the_same_due_dose_recorded_twice_is_flagged_once_with_both_entries() {
        let entries = [given("e1", 4, "o1"), given("e2", 9, "o1"), given("e3", 9, "o2")];
        let due = |_: &str, _: DateTime<Utc>| Some(at(14, 0));
        let doubles = possible_double_doses(&entries, due);
        assert_eq!(doubles.len(), 1);
        assert_eq!(doubles[0].0, ("o1".to_owned(), at(14, 0)));
        assert_eq!(doubles[0].1, ["e1", "e2"]);
    }

    #[test]
    fn entries_keep_their_order_across_the_repeated_hour_clock_change() {
        // 25 October 2026: 01:30 BST (00:30 UTC) comes before 01:10 GMT (01:10 UTC).
        let mut first = given("z-first", 0, "o1");
        first.recorded_at = Utc.with_ymd_and_hms(2026, 10, 25, 0, 30, 0).unwrap();
        let mut second = given("a-second", 0, "o1");
        second.recorded_at = Utc.with_ymd_and_hms(2026, 10, 25, 1, 10, 0).unwrap();
        let both = [second.clone(), first.clone()];
        let order: Vec<&str> = standing(&both).iter().map(|e| e.id.as_str()).collect();
        assert_eq!(
            order,
            ["z-first", "a-second"],
            "instants decide, not wall-clock text"
        );
        assert_eq!(crate::time::clock(first.recorded_at), "01:30 BST");
        assert_eq!(crate::time::clock(second.recorded_at), "01:10 GMT");
    }
}

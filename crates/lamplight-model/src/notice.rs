//! What the import left out or changed, kept with the data so that a person is told.
//!
//! An importer notes each record it could not take as it came (a patient with no bed recorded, an
//! order only partly charted, a vital sign in a unit it cannot convert); the notes travel inside the
//! sealed snapshot, and the board shows [`notice`]: counts, in words a nurse understands, with the
//! details (ids and codes, never patient data) for IT (DESIGN.md promise 10).

use std::collections::{BTreeMap, BTreeSet};

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// One thing the import left out or changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ImportNote {
    pub kind: NoteKind,
    /// The record: `Encounter/enc-12`, or `Bundle`.
    pub resource: String,
    /// The patient the record is about, when known: a ward's snapshot keeps its own patients' notes.
    pub patient_id: Option<String>,
    /// For IT: what was left out or changed and why, naming the entry and resource. Ids and codes
    /// only, never a name, NHS number or free text from the record.
    pub detail: String,
}

/// What kind of thing was left out or changed, in the order the board's notice lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum NoteKind {
    /// An inpatient with no bed recorded: no location, or one not in the data.
    NoBedRecorded,
    /// An order shown in full but not all of it charted on the grid (several dosage lines, a limit
    /// per period other than 24 h, no administration times).
    InstructionsNotCharted,
    /// A vital sign in a unit that cannot be converted exactly: left off the charts and NEWS2.
    VitalSignNotCharted,
    /// An NHS number that fails its check: the patient is shown without one.
    NhsNumberNotValid,
    /// A record left out entirely (a bed whose ward is not in the data, a dose with no order).
    LeftOut,
    /// The data does not say when it was extracted.
    AgeUnknown,
    /// Anything else imported with a caveat (a default filled in, a reference not in the data).
    Other,
}

impl NoteKind {
    /// `2 patients have no bed recorded`, for `n` records of this kind.
    pub fn words(self, n: usize) -> String {
        let one = n == 1;
        match self {
            NoteKind::NoBedRecorded if one => "1 patient has no bed recorded".to_owned(),
            NoteKind::NoBedRecorded => format!("{n} patients have no bed recorded"),
            NoteKind::InstructionsNotCharted if one => {
                "1 order's instructions are not fully charted".to_owned()
            }
            NoteKind::InstructionsNotCharted => format!("{n} orders' instructions are not fully charted"),
            NoteKind::VitalSignNotCharted if one => {
                "1 vital sign is not charted because its unit could not be read".to_owned()
            }
            NoteKind::VitalSignNotCharted => {
                format!("{n} vital signs are not charted because their units could not be read")
            }
            NoteKind::NhsNumberNotValid if one => {
                "1 patient's NHS number is not valid and is not shown: check the wristband".to_owned()
            }
            NoteKind::NhsNumberNotValid => {
                format!("{n} patients' NHS numbers are not valid and are not shown: check their wristbands")
            }
            NoteKind::LeftOut if one => "1 record was left out".to_owned(),
            NoteKind::LeftOut => format!("{n} records were left out"),
            NoteKind::AgeUnknown => "the time this data was taken is not known".to_owned(),
            NoteKind::Other if one => "1 record needs checking in the EPR".to_owned(),
            NoteKind::Other => format!("{n} records need checking in the EPR"),
        }
    }
}

/// The board's notice for `notes`, or `None` when the import took everything as it came:
/// `2 patients have no bed recorded; 1 order's instructions are not fully charted`. Each record is
/// counted once per kind, however many notes it has. Counts only: no patient data.
pub fn notice(notes: &[ImportNote]) -> Option<String> {
    let mut records: BTreeMap<NoteKind, BTreeSet<&str>> = BTreeMap::new();
    for n in notes {
        records.entry(n.kind).or_default().insert(
            n.patient_id
                .as_deref()
                .filter(|_| n.kind == NoteKind::NoBedRecorded)
                .unwrap_or(&n.resource),
        );
    }
    let text = records
        .iter()
        .map(|(kind, ids)| kind.words(ids.len()))
        .collect::<Vec<_>>()
        .join("; ");
    let mut chars = text.chars();
    let first = chars.next()?;
    Some(first.to_uppercase().chain(chars).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn note(kind: NoteKind, resource: &str, patient: Option<&str>) -> ImportNote {
        ImportNote {
            kind,
            resource: resource.into(),
            patient_id: patient.map(str::to_owned),
            detail: format!("entry 0 ({resource}): test"),
        }
    }

    #[test]
    fn the_notice_counts_each_record_once_in_a_nurses_words() {
        let notes = [
            note(
                NoteKind::InstructionsNotCharted,
                "MedicationRequest/m1",
                Some("p1"),
            ),
            note(NoteKind::NoBedRecorded, "Encounter/e1", Some("p1")),
            note(NoteKind::NoBedRecorded, "Encounter/e2", Some("p2")),
            note(
                NoteKind::InstructionsNotCharted,
                "MedicationRequest/m1",
                Some("p1"),
            ),
        ];
        assert_eq!(
            notice(&notes).as_deref(),
            Some("2 patients have no bed recorded; 1 order's instructions are not fully charted"),
            "two notes about one order are one order"
        );
    }

    #[test]
    fn no_notes_no_notice_and_an_unknown_age_is_a_sentence() {
        assert_eq!(notice(&[]), None);
        assert_eq!(
            notice(&[note(NoteKind::AgeUnknown, "Bundle", None)]).as_deref(),
            Some("The time this data was taken is not known")
        );
    }

    #[test]
    fn every_kind_has_words_for_one_and_for_several() {
        for kind in [
            NoteKind::NoBedRecorded,
            NoteKind::InstructionsNotCharted,
            NoteKind::VitalSignNotCharted,
            NoteKind::NhsNumberNotValid,
            NoteKind::LeftOut,
            NoteKind::Other,
        ] {
            assert!(kind.words(1).starts_with("1 "), "{kind:?}: {}", kind.words(1));
            assert!(kind.words(3).starts_with("3 "), "{kind:?}: {}", kind.words(3));
            assert_ne!(
                kind.words(1),
                kind.words(3).replacen('3', "1", 1),
                "{kind:?} must agree in number"
            );
        }
    }
}

//! Places: a ward, its bays (or side rooms) and their beds.
//!
//! Occupancy is not stored here: a bed is occupied when an admission points at it, so the two can
//! never disagree. A bed's own status says only whether it can take a patient.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::patient::Admission;

/// A ward of a hospital site.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Ward {
    /// Stable identifier (the FHIR Location id).
    pub id: String,
    /// The short code staff and IT use (`WD7`).
    pub code: String,
    /// `Ward 7 (Acute Medicine)`.
    pub name: String,
    pub bays: Vec<Bay>,
}

impl Ward {
    pub fn beds(&self) -> impl Iterator<Item = (&Bay, &Bed)> {
        self.bays
            .iter()
            .flat_map(|bay| bay.beds.iter().map(move |bed| (bay, bed)))
    }

    pub fn bed_count(&self) -> usize {
        self.bays.iter().map(|b| b.beds.len()).sum()
    }

    /// Where this ward's patients are, in the ward's bed order: every bed with whoever is in it,
    /// then each admission on this ward with no bed recorded (none given, or one not on this ward).
    /// The one order the board, the census, the handover and the charts pack all follow. Of
    /// `admissions`, only those on this ward are placed; two in one bed is a data error, shown rather
    /// than hidden.
    pub fn places<'a>(&'a self, admissions: impl IntoIterator<Item = &'a Admission>) -> Vec<Placement<'a>> {
        let on_ward: Vec<&Admission> = admissions.into_iter().filter(|a| a.is_on(&self.id)).collect();
        let mut out: Vec<Placement<'a>> = self
            .beds()
            .map(|(bay, bed)| Placement::Bed {
                bay,
                bed,
                admissions: on_ward
                    .iter()
                    .copied()
                    .filter(|a| a.bed_id.as_deref() == Some(bed.id.as_str()))
                    .collect(),
            })
            .collect();
        let beds: std::collections::HashSet<&str> = self.beds().map(|(_, b)| b.id.as_str()).collect();
        out.extend(
            on_ward
                .iter()
                .filter(|a| !a.bed_id.as_deref().is_some_and(|b| beds.contains(b)))
                .map(|a| Placement::NoBed(a)),
        );
        out
    }
}

/// A place on a ward's list: a bed and whoever is in it, or a patient with no bed recorded.
#[derive(Debug, Clone, PartialEq)]
pub enum Placement<'a> {
    Bed {
        bay: &'a Bay,
        bed: &'a Bed,
        /// Empty for an empty bed; more than one only when the data is wrong.
        admissions: Vec<&'a Admission>,
    },
    NoBed(&'a Admission),
}

impl<'a> Placement<'a> {
    /// The admissions of this place, in order.
    pub fn admissions(&self) -> Vec<&'a Admission> {
        match self {
            Placement::Bed { admissions, .. } => admissions.clone(),
            Placement::NoBed(a) => vec![*a],
        }
    }
}

/// A bay of several beds, or a single side room.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Bay {
    pub id: String,
    /// `Bay A`, `Side room 2`.
    pub name: String,
    pub beds: Vec<Bed>,
}

/// One bed space.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Bed {
    pub id: String,
    /// What is painted above the bed: `A3`, `SR2`.
    pub label: String,
    pub status: BedStatus,
}

/// Whether a bed can take a patient (independent of whether one is in it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum BedStatus {
    Open,
    /// Closed (staffing, maintenance).
    Closed,
    /// Awaiting cleaning after discharge.
    Cleaning,
    /// Closed for infection control.
    Contaminated,
}

impl BedStatus {
    pub fn label(self) -> &'static str {
        match self {
            BedStatus::Open => "Open",
            BedStatus::Closed => "Closed",
            BedStatus::Cleaning => "Awaiting clean",
            BedStatus::Contaminated => "Closed: infection control",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ward() -> Ward {
        let bed = |id: &str| Bed {
            id: id.into(),
            label: id.to_uppercase(),
            status: BedStatus::Open,
        };
        Ward {
            id: "w1".into(),
            code: "WD1".into(),
            name: "Ward 1".into(),
            bays: vec![
                Bay {
                    id: "bay-a".into(),
                    name: "Bay A".into(),
                    beds: vec![bed("a1"), bed("a2")],
                },
                Bay {
                    id: "bay-b".into(),
                    name: "Bay B".into(),
                    beds: vec![bed("b1")],
                },
            ],
        }
    }

    fn admission(id: &str, ward: &str, bed: Option<&str>) -> Admission {
        Admission {
            id: id.into(),
            patient_id: format!("p-{id}"),
            ward_id: Some(ward.into()),
            bed_id: bed.map(str::to_owned),
            admitted_at: chrono::DateTime::UNIX_EPOCH,
            consultant: None,
            specialty: None,
            expected_discharge: None,
            reason: None,
        }
    }

    #[test]
    fn places_follow_the_beds_then_list_everyone_on_the_ward_without_one() {
        let w = ward();
        let admissions = [
            admission("in-b1", "w1", Some("b1")),
            admission("no-bed", "w1", None),
            admission("in-a1", "w1", Some("a1")),
            admission("unknown-bed", "w1", Some("x9")),
            admission("other-ward", "w2", Some("a2")),
            admission("also-a1", "w1", Some("a1")),
        ];
        let ids: Vec<Vec<&str>> = w
            .places(&admissions)
            .iter()
            .map(|p| p.admissions().iter().map(|a| a.id.as_str()).collect())
            .collect();
        assert_eq!(
            ids,
            vec![
                vec!["in-a1", "also-a1"],
                vec![],
                vec!["in-b1"],
                vec!["no-bed"],
                vec!["unknown-bed"]
            ],
            "beds in ward order, both patients of a double-booked bed, then no-bed patients; another ward's are not here"
        );
    }
}

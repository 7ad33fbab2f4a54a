//! Places: a ward, its bays (or side rooms) and their beds.
//!
//! Occupancy is not stored here: a bed is occupied when an admission points at it, so the two can
//! never disagree. A bed's own status says only whether it can take a patient.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

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

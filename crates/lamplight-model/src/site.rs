//! A site: the wards and everything known about the people on them, at one moment.
//!
//! Kept as flat lists, one per kind, the way FHIR sends them and SQLite will store them; lookups by
//! patient are the station's job.

use chrono::{DateTime, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::clinical::{Alert, Allergy, PendingTest};
use crate::medication::{Administration, MedicationOrder};
use crate::observation::ObservationSet;
use crate::patient::{Admission, Patient};
use crate::ward::Ward;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Site {
    /// `Lamplight General Hospital (demo)`.
    pub name: String,
    /// When the source extracted this data: the age every screen and page shows runs from here.
    pub extracted_at: DateTime<Utc>,
    pub wards: Vec<Ward>,
    pub patients: Vec<Patient>,
    pub admissions: Vec<Admission>,
    pub orders: Vec<MedicationOrder>,
    pub administrations: Vec<Administration>,
    pub tests: Vec<PendingTest>,
    pub observations: Vec<ObservationSet>,
    pub allergies: Vec<Allergy>,
    pub alerts: Vec<Alert>,
}

/// How many of each kind a site holds: what staging reports and `inspect` prints.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Counts {
    pub wards: usize,
    pub beds: usize,
    pub patients: usize,
    pub admissions: usize,
    pub medication_orders: usize,
    pub administrations: usize,
    pub pending_tests: usize,
    pub observations: usize,
    pub allergies: usize,
    pub alerts: usize,
}

impl Site {
    pub fn counts(&self) -> Counts {
        Counts {
            wards: self.wards.len(),
            beds: self.wards.iter().map(Ward::bed_count).sum(),
            patients: self.patients.len(),
            admissions: self.admissions.len(),
            medication_orders: self.orders.len(),
            administrations: self.administrations.len(),
            pending_tests: self.tests.len(),
            observations: self.observations.len(),
            allergies: self.allergies.len(),
            alerts: self.alerts.len(),
        }
    }
}

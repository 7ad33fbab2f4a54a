//! A site: the wards and everything known about the people on them, at one moment.
//!
//! Kept as flat lists, one per kind, the way FHIR sends them and SQLite will store them; lookups by
//! patient are the station's job.

use chrono::{DateTime, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::clinical::{Alert, Allergy, PendingTest};
use crate::medication::{Administration, MedicationOrder};
use crate::notice::ImportNote;
use crate::observation::{BodyWeight, ObservationSet};
use crate::patient::{Admission, Patient};
use crate::ward::Ward;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Site {
    /// `Lamplight General Hospital (demo)`.
    pub name: String,
    /// When the source extracted this data: the age every screen and page shows runs from here.
    /// `None` when the source did not say: the age is unknown, shown as such and treated as stale.
    pub extracted_at: Option<DateTime<Utc>>,
    pub wards: Vec<Ward>,
    pub patients: Vec<Patient>,
    pub admissions: Vec<Admission>,
    pub orders: Vec<MedicationOrder>,
    pub administrations: Vec<Administration>,
    pub tests: Vec<PendingTest>,
    pub observations: Vec<ObservationSet>,
    /// Body weights, oldest first as the source sent them.
    #[serde(default)]
    pub weights: Vec<BodyWeight>,
    pub allergies: Vec<Allergy>,
    pub alerts: Vec<Alert>,
    /// What the import left out or changed, for the board's notice (see [`crate::notice`]).
    #[serde(default)]
    pub notes: Vec<ImportNote>,
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
    /// A site with no wards or records yet, to be filled by an importer or generator.
    pub fn empty(name: impl Into<String>, extracted_at: impl Into<Option<DateTime<Utc>>>) -> Self {
        Self {
            name: name.into(),
            extracted_at: extracted_at.into(),
            wards: Vec::new(),
            patients: Vec::new(),
            admissions: Vec::new(),
            orders: Vec::new(),
            administrations: Vec::new(),
            tests: Vec::new(),
            observations: Vec::new(),
            weights: Vec::new(),
            allergies: Vec::new(),
            alerts: Vec::new(),
            notes: Vec::new(),
        }
    }

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

impl Site {
    /// One ward (by id or code) and only the records of the patients admitted to it: what a ward PC
    /// stages for itself from a site-wide bundle. `None` when there is no such ward.
    pub fn ward_subset(&self, ward: &str) -> Option<Site> {
        self.wards_subset(&[ward.to_owned()]).ok()
    }

    /// Several wards (by id or code) and only the records of the patients admitted to them, in the
    /// order the site lists them. The codes that name no ward are the error, so none is dropped
    /// silently. Of the import's notes it keeps those about its own patients and those about the
    /// data as a whole.
    pub fn wards_subset(&self, wards: &[String]) -> Result<Site, Vec<String>> {
        let missing: Vec<String> = wards
            .iter()
            .filter(|code| !self.wards.iter().any(|w| w.id == **code || w.code == **code))
            .cloned()
            .collect();
        if !missing.is_empty() {
            return Err(missing);
        }
        let chosen: Vec<&crate::Ward> = self
            .wards
            .iter()
            .filter(|w| wards.iter().any(|c| w.id == *c || w.code == *c))
            .collect();
        let ward_ids: std::collections::HashSet<&str> = chosen.iter().map(|w| w.id.as_str()).collect();
        let admissions: Vec<_> = self
            .admissions
            .iter()
            .filter(|a| a.ward_id.as_deref().is_some_and(|w| ward_ids.contains(w)))
            .cloned()
            .collect();
        let on_ward: std::collections::HashSet<&str> =
            admissions.iter().map(|a| a.patient_id.as_str()).collect();
        let keep = |patient_id: &str| on_ward.contains(patient_id);
        Ok(Site {
            name: self.name.clone(),
            extracted_at: self.extracted_at,
            wards: chosen.into_iter().cloned().collect(),
            patients: self.patients.iter().filter(|p| keep(&p.id)).cloned().collect(),
            orders: self
                .orders
                .iter()
                .filter(|o| keep(&o.patient_id))
                .cloned()
                .collect(),
            administrations: self
                .administrations
                .iter()
                .filter(|a| keep(&a.patient_id))
                .cloned()
                .collect(),
            tests: self
                .tests
                .iter()
                .filter(|t| keep(&t.patient_id))
                .cloned()
                .collect(),
            observations: self
                .observations
                .iter()
                .filter(|o| keep(&o.patient_id))
                .cloned()
                .collect(),
            weights: self
                .weights
                .iter()
                .filter(|w| keep(&w.patient_id))
                .cloned()
                .collect(),
            allergies: self
                .allergies
                .iter()
                .filter(|a| keep(&a.patient_id))
                .cloned()
                .collect(),
            alerts: self
                .alerts
                .iter()
                .filter(|a| keep(&a.patient_id))
                .cloned()
                .collect(),
            notes: self
                .notes
                .iter()
                .filter(|n| n.patient_id.as_deref().is_none_or(keep))
                .cloned()
                .collect(),
            admissions,
        })
    }
}

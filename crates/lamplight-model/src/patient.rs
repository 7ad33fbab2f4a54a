//! People and their stays: a patient's identity, and the admission that puts them in a bed.

use chrono::{DateTime, NaiveDate, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::nhs_number::NhsNumber;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Patient {
    /// Stable identifier (the FHIR Patient id).
    pub id: String,
    /// Absent for patients not yet traced (unidentified, some overseas visitors): screens say so.
    pub nhs_number: Option<NhsNumber>,
    /// The trust's own number (MRN), as printed on wristbands.
    pub hospital_number: Option<String>,
    pub name: PersonName,
    pub birth_date: Option<NaiveDate>,
    pub sex: Sex,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct PersonName {
    pub family: String,
    pub given: Vec<String>,
    pub prefix: Option<String>,
}

impl PersonName {
    /// The form used on wards and wristbands: `SMITH, Mary Jane`.
    pub fn clinical(&self) -> String {
        let given = self.given.join(" ");
        match (self.family.is_empty(), given.is_empty()) {
            (true, true) => "UNKNOWN".to_owned(),
            (true, false) => given,
            (false, true) => self.family.to_uppercase(),
            (false, false) => format!("{}, {}", self.family.to_uppercase(), given),
        }
    }
}

/// Administrative gender, as FHIR sends it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Sex {
    Male,
    Female,
    Other,
    Unknown,
}

impl Sex {
    pub fn label(self) -> &'static str {
        match self {
            Sex::Male => "Male",
            Sex::Female => "Female",
            Sex::Other => "Other",
            Sex::Unknown => "Unknown",
        }
    }
}

/// An inpatient stay (the FHIR Encounter).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Admission {
    pub id: String,
    pub patient_id: String,
    pub ward_id: String,
    /// The bed, when allocated (a patient may be on the ward awaiting a bed, or off the ward).
    pub bed_id: Option<String>,
    pub admitted_at: DateTime<Utc>,
    pub consultant: Option<String>,
    pub specialty: Option<String>,
    pub expected_discharge: Option<NaiveDate>,
    /// Presenting complaint or reason for admission.
    pub reason: Option<String>,
}

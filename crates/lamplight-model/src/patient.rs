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
    /// The ward, when known. `None`: the source gave no location, or one not in the data; such a
    /// patient is listed on the site census as having no bed recorded, never dropped. (Snapshots
    /// written before this was optional hold `""` for it, which reads as `None`.)
    #[serde(deserialize_with = "empty_as_none")]
    #[schemars(with = "Option<String>")]
    pub ward_id: Option<String>,
    /// The bed, when allocated (a patient may be on the ward awaiting a bed, or off the ward).
    pub bed_id: Option<String>,
    pub admitted_at: DateTime<Utc>,
    pub consultant: Option<String>,
    pub specialty: Option<String>,
    pub expected_discharge: Option<NaiveDate>,
    /// Presenting complaint or reason for admission.
    pub reason: Option<String>,
}

/// An optional id where older data wrote `""` for "none".
fn empty_as_none<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(Option::<String>::deserialize(d)?.filter(|s| !s.is_empty()))
}

impl Admission {
    /// Whether this admission is to ward `ward_id`.
    pub fn is_on(&self, ward_id: &str) -> bool {
        self.ward_id.as_deref() == Some(ward_id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_admission_written_with_an_empty_ward_id_reads_as_having_no_ward() {
        let json = r#"{"id":"e1","patient_id":"p1","ward_id":"","bed_id":null,"admitted_at":"2026-11-04T03:00:00Z",
            "consultant":null,"specialty":null,"expected_discharge":null,"reason":null}"#;
        let a: Admission = serde_json::from_str(json).unwrap();
        assert_eq!(a.ward_id, None, "older snapshots wrote \"\" for no ward");
        let b: Admission =
            serde_json::from_str(&json.replace(r#""ward_id":"""#, r#""ward_id":"w1""#)).unwrap();
        assert!(b.is_on("w1"));
    }
}

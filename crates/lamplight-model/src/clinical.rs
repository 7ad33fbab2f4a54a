//! What a nurse must know before touching a patient: allergies, alerts, and tests still awaited.

use chrono::{DateTime, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::code::{Concept, SNOMED};

/// SNOMED CT concepts that state the absence of allergies rather than an allergy.
pub const NO_KNOWN_ALLERGY_CODES: &[&str] = &[
    "716186003", // No known allergy
    "409137002", // No known drug allergy
    "428607008", // No known environmental allergy
    "429625007", // No known food allergy
];

/// An allergy or intolerance (the FHIR AllergyIntolerance), or a recorded "no known allergies".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Allergy {
    pub id: String,
    pub patient_id: String,
    pub substance: Concept,
    pub category: Option<AllergyCategory>,
    pub criticality: Option<Criticality>,
    pub verification: Verification,
    /// Reactions as recorded (`Anaphylaxis`, `Rash`).
    pub reactions: Vec<String>,
    pub recorded_at: Option<DateTime<Utc>>,
}

impl Allergy {
    /// Whether this record says the patient has no known allergies (of some kind).
    pub fn is_no_known_allergy(&self) -> bool {
        self.substance
            .codes
            .iter()
            .any(|c| c.system == SNOMED && NO_KNOWN_ALLERGY_CODES.contains(&c.code.as_str()))
    }

    /// Whether a nurse must see it: refuted and entered-in-error records are kept but not shown as allergies.
    pub fn is_current(&self) -> bool {
        matches!(
            self.verification,
            Verification::Confirmed | Verification::Unconfirmed
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum AllergyCategory {
    Medication,
    Food,
    Environment,
    Biologic,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Criticality {
    Low,
    High,
    UnableToAssess,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Verification {
    Confirmed,
    Unconfirmed,
    Refuted,
    EnteredInError,
}

/// What the ward knows of a patient's allergies. "Not recorded" and "none known" are different
/// things, and a screen must never show one as the other.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum AllergyStatus {
    /// Nothing recorded: ask the patient.
    NotRecorded,
    /// A recorded statement of no known allergies.
    NoneKnown,
    /// One or more current allergies.
    Known,
}

/// A patient's allergy status from their allergy records.
pub fn allergy_status<'a>(records: impl IntoIterator<Item = &'a Allergy>) -> AllergyStatus {
    let mut status = AllergyStatus::NotRecorded;
    for a in records.into_iter().filter(|a| a.is_current()) {
        if a.is_no_known_allergy() {
            if status == AllergyStatus::NotRecorded {
                status = AllergyStatus::NoneKnown;
            }
        } else {
            return AllergyStatus::Known;
        }
    }
    status
}

/// A patient's current allergies in the order every screen and page lists them: high criticality
/// first, then by substance. Refuted and entered-in-error records, and "no known allergy" statements,
/// are left out (see [`allergy_status`] for what to say when none are left).
pub fn current_allergies<'a>(records: impl IntoIterator<Item = &'a Allergy>) -> Vec<&'a Allergy> {
    let mut list: Vec<&Allergy> = records
        .into_iter()
        .filter(|a| a.is_current() && !a.is_no_known_allergy())
        .collect();
    list.sort_by(|a, b| {
        (a.criticality != Some(Criticality::High))
            .cmp(&(b.criticality != Some(Criticality::High)))
            .then_with(|| a.substance.text.cmp(&b.substance.text))
    });
    list
}

/// A safety alert on the patient (the FHIR Flag).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Alert {
    pub id: String,
    pub patient_id: String,
    pub kind: AlertKind,
    /// As recorded: `DNACPR in place (signed 02/11/2026)`, `MRSA positive: side room`.
    pub text: String,
    pub concept: Concept,
    pub since: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum AlertKind {
    /// Do not attempt cardiopulmonary resuscitation.
    Dnacpr,
    FallsRisk,
    /// Infection risk needing isolation or precautions.
    Infection,
    Safeguarding,
    PressureUlcerRisk,
    /// Dementia, delirium or learning disability: adjust how care is given.
    Cognition,
    Other,
}

impl AlertKind {
    /// Short badge text for boards and handover sheets.
    pub fn badge(self) -> &'static str {
        match self {
            AlertKind::Dnacpr => "DNACPR",
            AlertKind::FallsRisk => "Falls",
            AlertKind::Infection => "Infection",
            AlertKind::Safeguarding => "Safeguarding",
            AlertKind::PressureUlcerRisk => "Pressure",
            AlertKind::Cognition => "Cognition",
            AlertKind::Other => "Alert",
        }
    }
}

/// A test requested and not yet resulted (the FHIR ServiceRequest).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct PendingTest {
    pub id: String,
    pub patient_id: String,
    pub test: Concept,
    pub category: TestCategory,
    pub priority: Priority,
    pub requested_at: DateTime<Utc>,
    pub requested_by: Option<String>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum TestCategory {
    Laboratory,
    Imaging,
    Other,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Priority {
    Routine,
    Urgent,
    Asap,
    Stat,
}

impl Priority {
    pub fn label(self) -> &'static str {
        match self {
            Priority::Routine => "Routine",
            Priority::Urgent => "Urgent",
            Priority::Asap => "ASAP",
            Priority::Stat => "STAT",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::code::Code;

    fn allergy(substance: &str, criticality: Option<Criticality>, verification: Verification) -> Allergy {
        Allergy {
            id: substance.into(),
            patient_id: "p1".into(),
            substance: Concept::text(substance),
            category: None,
            criticality,
            verification,
            reactions: Vec::new(),
            recorded_at: None,
        }
    }

    #[test]
    fn current_allergies_list_high_criticality_first_then_by_substance() {
        let nka = Allergy {
            substance: Concept {
                text: "No known allergy".into(),
                codes: vec![Code {
                    system: SNOMED.into(),
                    code: "716186003".into(),
                    display: None,
                }],
            },
            ..allergy("nka", None, Verification::Confirmed)
        };
        let records = [
            allergy("Penicillin", Some(Criticality::Low), Verification::Confirmed),
            allergy("Latex", None, Verification::Unconfirmed),
            allergy("Peanut", Some(Criticality::High), Verification::Confirmed),
            allergy("Aspirin", Some(Criticality::High), Verification::Refuted),
            allergy("Codeine", None, Verification::EnteredInError),
            nka,
        ];
        let names: Vec<&str> = current_allergies(&records)
            .iter()
            .map(|a| a.substance.text.as_str())
            .collect();
        assert_eq!(
            names,
            ["Peanut", "Latex", "Penicillin"],
            "a high-criticality allergy must be read first; refuted, erroneous and no-known records are not allergies"
        );
    }
}

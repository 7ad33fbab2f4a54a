//! Observations: one NEWS2 set of vital signs taken together.
//!
//! FHIR sends each vital sign as its own Observation; the FHIR mapping groups those taken at the same
//! time for the same patient into one [`ObservationSet`], the unit charts and NEWS2 work with.

use chrono::{DateTime, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// One set of observations taken together.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ObservationSet {
    pub id: String,
    pub patient_id: String,
    pub taken_at: DateTime<Utc>,
    /// Breaths per minute.
    pub respiration_rate: Option<u16>,
    /// Oxygen saturation, percent.
    pub spo2: Option<u8>,
    /// The SpO2 scale this patient is scored on (scale 2 only when prescribed).
    pub spo2_scale: Spo2Scale,
    pub oxygen: Option<Oxygen>,
    /// mmHg.
    pub systolic_bp: Option<u16>,
    /// mmHg (charted, not scored).
    pub diastolic_bp: Option<u16>,
    /// Beats per minute.
    pub pulse: Option<u16>,
    pub consciousness: Option<Consciousness>,
    /// Degrees Celsius.
    pub temperature_c: Option<f64>,
    pub recorded_by: Option<String>,
}

impl ObservationSet {
    pub fn news2(&self) -> crate::news2::News2 {
        crate::news2::score(self)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Spo2Scale {
    /// The usual scale.
    Scale1,
    /// For a prescribed target of 88–92% (hypercapnic respiratory failure).
    Scale2,
}

/// Breathing air, or on supplemental oxygen.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Oxygen {
    Air,
    Supplemental {
        /// Flow, litres per minute, when known.
        litres_per_minute: Option<f64>,
        /// `Nasal cannula`, `Venturi 28%`, ...
        device: Option<String>,
    },
}

/// ACVPU.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Consciousness {
    Alert,
    NewConfusion,
    Voice,
    Pain,
    Unresponsive,
}

impl Consciousness {
    /// The letter charted: A, C, V, P, U.
    pub fn letter(self) -> char {
        match self {
            Consciousness::Alert => 'A',
            Consciousness::NewConfusion => 'C',
            Consciousness::Voice => 'V',
            Consciousness::Pain => 'P',
            Consciousness::Unresponsive => 'U',
        }
    }
}

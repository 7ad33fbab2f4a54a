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
    /// The downtime entry (its id) that recorded this set on Lamplight; `None` for the EPR's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entry: Option<String>,
}

/// The values a form accepts for each vital sign, with its unit: anything outside is refused with
/// what was expected (a temperature of 98.6 is Fahrenheit, a pulse of 720 a slip of the finger).
/// One table, used by the observation form's checks and its hints.
pub const PLAUSIBLE: [(&str, &str, f64, f64); 6] = [
    ("Respiration rate", "breaths/min", 0.0, 80.0),
    ("SpO2", "%", 50.0, 100.0),
    ("Systolic BP", "mmHg", 40.0, 300.0),
    ("Diastolic BP", "mmHg", 10.0, 200.0),
    ("Pulse", "beats/min", 20.0, 250.0),
    ("Temperature", "°C", 25.0, 45.0),
];

/// Whether `value` of the vital sign labelled `label` (a [`PLAUSIBLE`] row) is one a form accepts;
/// the error says what was expected.
pub fn check_plausible(label: &str, value: f64) -> Result<(), String> {
    let Some((_, unit, low, high)) = PLAUSIBLE.iter().find(|(l, ..)| *l == label) else {
        return Ok(());
    };
    if (*low..=*high).contains(&value) {
        return Ok(());
    }
    let hint = if label == "Temperature" && (77.0..=113.0).contains(&value) {
        " (that looks like Fahrenheit: enter degrees Celsius)"
    } else {
        ""
    };
    Err(format!(
        "{label} {value} is outside {low}–{high} {unit}{hint}: check the reading and enter it again"
    ))
}

impl ObservationSet {
    /// A set with nothing recorded yet, to be filled in by an importer or a form.
    pub fn empty(id: impl Into<String>, patient_id: impl Into<String>, taken_at: DateTime<Utc>) -> Self {
        Self {
            id: id.into(),
            patient_id: patient_id.into(),
            taken_at,
            respiration_rate: None,
            spo2: None,
            spo2_scale: Spo2Scale::Scale1,
            oxygen: None,
            systolic_bp: None,
            diastolic_bp: None,
            pulse: None,
            consciousness: None,
            temperature_c: None,
            recorded_by: None,
            entry: None,
        }
    }

    pub fn news2(&self) -> crate::news2::News2 {
        crate::news2::score(self)
    }
}

/// A body weight, for dosing by weight (enoxaparin, gentamicin, paracetamol in the frail). Kept apart
/// from [`ObservationSet`]: it is weighed at its own times, and is no NEWS2 parameter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct BodyWeight {
    pub id: String,
    pub patient_id: String,
    pub taken_at: DateTime<Utc>,
    /// Kilograms: a weight recorded in another unit is converted exactly on import, or left out.
    pub kilograms: f64,
}

/// A weight as screens and paper write it: `72.5 kg`, to the 0.1 kg scales read to.
pub fn weight_text(kilograms: f64) -> String {
    format!("{kilograms:.1} kg")
}

/// A temperature as screens and paper write it: `37.2`, or `38.04` when a tenth would hide which side
/// of a NEWS2 band edge it is on (38.04 °C scores as above 38.0, so it is never written `38.0`).
pub fn temperature_text(celsius: f64) -> String {
    let tenths = (celsius * 10.0).round() / 10.0;
    if (celsius - tenths).abs() < 1e-9 {
        format!("{celsius:.1}")
    } else {
        format!("{celsius:.2}")
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

#[cfg(test)]
mod tests {
    use super::temperature_text;

    #[test]
    fn a_temperature_is_written_to_a_tenth_unless_that_would_move_it_across_a_band_edge() {
        assert_eq!(temperature_text(37.2), "37.2");
        assert_eq!(temperature_text(38.0), "38.0");
        assert_eq!(
            temperature_text(38.04),
            "38.04",
            "38.04 scores 1: written 38.0 it would look like a 0"
        );
        assert_eq!(temperature_text(36.95), "36.95");
    }
}

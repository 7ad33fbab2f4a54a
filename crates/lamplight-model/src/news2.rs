//! NEWS2 (Royal College of Physicians, 2017): scoring one set of observations.
//!
//! The bands are exactly the table in shared/CLINICAL.md; `tests` pins every band edge on both SpO2
//! scales. A set with a parameter missing still scores what it has, but says which parameters are
//! missing: a partial score is a lower bound and screens must show it as incomplete, never as "low".

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::observation::{Consciousness, ObservationSet, Oxygen, Spo2Scale};

/// One NEWS2 parameter, in the order charts list them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Parameter {
    RespirationRate,
    Spo2,
    AirOrOxygen,
    SystolicBp,
    Pulse,
    Consciousness,
    Temperature,
}

impl Parameter {
    pub const ALL: [Parameter; 7] = [
        Parameter::RespirationRate,
        Parameter::Spo2,
        Parameter::AirOrOxygen,
        Parameter::SystolicBp,
        Parameter::Pulse,
        Parameter::Consciousness,
        Parameter::Temperature,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Parameter::RespirationRate => "Respiration rate",
            Parameter::Spo2 => "SpO2",
            Parameter::AirOrOxygen => "Air or oxygen",
            Parameter::SystolicBp => "Systolic BP",
            Parameter::Pulse => "Pulse",
            Parameter::Consciousness => "Consciousness",
            Parameter::Temperature => "Temperature",
        }
    }
}

/// The clinical response a NEWS2 score calls for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Risk {
    /// Aggregate 0–4 with no single parameter scoring 3.
    Low,
    /// A single parameter scoring 3 with an aggregate of 1–4: urgent ward-based review.
    LowMedium,
    /// Aggregate 5–6: urgent response.
    Medium,
    /// Aggregate 7 or more: emergency response.
    High,
}

impl Risk {
    /// What the ward must do, in the words of the RCP chart.
    pub fn response(self) -> &'static str {
        match self {
            Risk::Low => "Low: ward-based response",
            Risk::LowMedium => "Low–medium: urgent ward-based review, minimum hourly observations",
            Risk::Medium => "Medium: urgent response, minimum hourly observations",
            Risk::High => "High: emergency response, continuous monitoring",
        }
    }
}

/// One parameter's score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ParameterScore {
    pub parameter: Parameter,
    pub score: u8,
}

/// The NEWS2 of one observation set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct News2 {
    /// Sum of the parameters that were recorded.
    pub total: u8,
    pub risk: Risk,
    pub scores: Vec<ParameterScore>,
    /// Parameters that were not recorded: when not empty, `total` is only a lower bound.
    pub missing: Vec<Parameter>,
    pub scale: Spo2Scale,
}

impl News2 {
    pub fn is_complete(&self) -> bool {
        self.missing.is_empty()
    }

    /// Minimum observation frequency for this score, as RCP words it.
    pub fn monitoring(&self) -> &'static str {
        match (self.risk, self.total) {
            (Risk::Low, 0) => "minimum 12-hourly",
            (Risk::Low, _) => "minimum 4–6-hourly",
            (Risk::LowMedium | Risk::Medium, _) => "minimum hourly",
            (Risk::High, _) => "continuous monitoring",
        }
    }
}

/// Respiration rate, breaths per minute.
pub fn score_respiration_rate(per_min: u16) -> u8 {
    match per_min {
        0..=8 => 3,
        9..=11 => 1,
        12..=20 => 0,
        21..=24 => 2,
        _ => 3,
    }
}

/// SpO2 percent on scale 1.
pub fn score_spo2_scale1(percent: u8) -> u8 {
    match percent {
        0..=91 => 3,
        92..=93 => 2,
        94..=95 => 1,
        _ => 0,
    }
}

/// SpO2 percent on scale 2 (prescribed target 88–92%): high saturations score only on oxygen.
pub fn score_spo2_scale2(percent: u8, on_oxygen: bool) -> u8 {
    match (percent, on_oxygen) {
        (0..=83, _) => 3,
        (84..=85, _) => 2,
        (86..=87, _) => 1,
        (88..=92, _) | (_, false) => 0,
        (93..=94, true) => 1,
        (95..=96, true) => 2,
        (_, true) => 3,
    }
}

pub fn score_air_or_oxygen(oxygen: &Oxygen) -> u8 {
    match oxygen {
        Oxygen::Air => 0,
        Oxygen::Supplemental { .. } => 2,
    }
}

/// Systolic blood pressure, mmHg.
pub fn score_systolic_bp(mmhg: u16) -> u8 {
    match mmhg {
        0..=90 => 3,
        91..=100 => 2,
        101..=110 => 1,
        111..=219 => 0,
        _ => 3,
    }
}

/// Pulse, beats per minute.
pub fn score_pulse(per_min: u16) -> u8 {
    match per_min {
        0..=40 => 3,
        41..=50 => 1,
        51..=90 => 0,
        91..=110 => 1,
        111..=130 => 2,
        _ => 3,
    }
}

pub fn score_consciousness(c: Consciousness) -> u8 {
    match c {
        Consciousness::Alert => 0,
        Consciousness::NewConfusion
        | Consciousness::Voice
        | Consciousness::Pain
        | Consciousness::Unresponsive => 3,
    }
}

/// Temperature, °C. The table's bands are given to one decimal place (35.1–36.0, ...); values between
/// them (35.05) fall in the band above the lower edge, so every real number has exactly one score.
pub fn score_temperature(celsius: f64) -> u8 {
    if celsius <= 35.0 {
        3
    } else if celsius <= 36.0 {
        1
    } else if celsius <= 38.0 {
        0
    } else if celsius <= 39.0 {
        1
    } else {
        2
    }
}

/// The risk for a total and whether any single parameter scored 3.
pub fn risk(total: u8, any_three: bool) -> Risk {
    match total {
        7.. => Risk::High,
        5..=6 => Risk::Medium,
        _ if any_three => Risk::LowMedium,
        _ => Risk::Low,
    }
}

/// Scores one observation set.
pub fn score(set: &ObservationSet) -> News2 {
    let on_oxygen = set
        .oxygen
        .as_ref()
        .map(|o| matches!(o, Oxygen::Supplemental { .. }));
    let mut scores = Vec::with_capacity(7);
    let mut missing = Vec::new();
    let mut push = |parameter, value: Option<u8>| match value {
        Some(score) => scores.push(ParameterScore { parameter, score }),
        None => missing.push(parameter),
    };
    push(
        Parameter::RespirationRate,
        set.respiration_rate.map(score_respiration_rate),
    );
    let spo2 = match (set.spo2_scale, set.spo2) {
        (_, None) => None,
        (Spo2Scale::Scale1, Some(p)) => Some(score_spo2_scale1(p)),
        // On scale 2, 93% or more scores differently on air and on oxygen: unknown oxygen, no score.
        (Spo2Scale::Scale2, Some(p)) if p >= 93 => on_oxygen.map(|o| score_spo2_scale2(p, o)),
        (Spo2Scale::Scale2, Some(p)) => Some(score_spo2_scale2(p, false)),
    };
    push(Parameter::Spo2, spo2);
    push(
        Parameter::AirOrOxygen,
        set.oxygen.as_ref().map(score_air_or_oxygen),
    );
    push(Parameter::SystolicBp, set.systolic_bp.map(score_systolic_bp));
    push(Parameter::Pulse, set.pulse.map(score_pulse));
    push(
        Parameter::Consciousness,
        set.consciousness.map(score_consciousness),
    );
    push(Parameter::Temperature, set.temperature_c.map(score_temperature));
    let total = scores.iter().map(|s| s.score).sum();
    let any_three = scores.iter().any(|s| s.score == 3);
    News2 {
        total,
        risk: risk(total, any_three),
        scores,
        missing,
        scale: set.spo2_scale,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (value, expected score) on every band edge of the table in shared/CLINICAL.md.
    #[test]
    fn respiration_rate_bands() {
        for (v, s) in [
            (0, 3),
            (8, 3),
            (9, 1),
            (11, 1),
            (12, 0),
            (20, 0),
            (21, 2),
            (24, 2),
            (25, 3),
            (60, 3),
        ] {
            assert_eq!(score_respiration_rate(v), s, "RR {v}/min must score {s}");
        }
    }

    #[test]
    fn spo2_scale1_bands() {
        for (v, s) in [
            (70, 3),
            (91, 3),
            (92, 2),
            (93, 2),
            (94, 1),
            (95, 1),
            (96, 0),
            (100, 0),
        ] {
            assert_eq!(score_spo2_scale1(v), s, "SpO2 {v}% on scale 1 must score {s}");
        }
    }

    #[test]
    fn spo2_scale2_bands_on_air_and_on_oxygen() {
        for (v, air, o2) in [
            (70, 3, 3),
            (83, 3, 3),
            (84, 2, 2),
            (85, 2, 2),
            (86, 1, 1),
            (87, 1, 1),
            (88, 0, 0),
            (92, 0, 0),
            (93, 0, 1),
            (94, 0, 1),
            (95, 0, 2),
            (96, 0, 2),
            (97, 0, 3),
            (100, 0, 3),
        ] {
            assert_eq!(
                score_spo2_scale2(v, false),
                air,
                "SpO2 {v}% on air, scale 2, must score {air}"
            );
            assert_eq!(
                score_spo2_scale2(v, true),
                o2,
                "SpO2 {v}% on oxygen, scale 2, must score {o2}"
            );
        }
    }

    #[test]
    fn air_or_oxygen() {
        assert_eq!(score_air_or_oxygen(&Oxygen::Air), 0);
        assert_eq!(
            score_air_or_oxygen(&Oxygen::Supplemental {
                litres_per_minute: None,
                device: None
            }),
            2
        );
    }

    #[test]
    fn systolic_bp_bands() {
        for (v, s) in [
            (50, 3),
            (90, 3),
            (91, 2),
            (100, 2),
            (101, 1),
            (110, 1),
            (111, 0),
            (219, 0),
            (220, 3),
            (260, 3),
        ] {
            assert_eq!(score_systolic_bp(v), s, "systolic {v} mmHg must score {s}");
        }
    }

    #[test]
    fn pulse_bands() {
        for (v, s) in [
            (20, 3),
            (40, 3),
            (41, 1),
            (50, 1),
            (51, 0),
            (90, 0),
            (91, 1),
            (110, 1),
            (111, 2),
            (130, 2),
            (131, 3),
        ] {
            assert_eq!(score_pulse(v), s, "pulse {v}/min must score {s}");
        }
    }

    #[test]
    fn consciousness_bands() {
        assert_eq!(score_consciousness(Consciousness::Alert), 0);
        for c in [
            Consciousness::NewConfusion,
            Consciousness::Voice,
            Consciousness::Pain,
            Consciousness::Unresponsive,
        ] {
            assert_eq!(score_consciousness(c), 3, "{c:?} must score 3");
        }
    }

    #[test]
    fn temperature_bands() {
        for (v, s) in [
            (33.0, 3),
            (35.0, 3),
            (35.05, 1),
            (35.1, 1),
            (36.0, 1),
            (36.1, 0),
            (38.0, 0),
            (38.1, 1),
            (39.0, 1),
            (39.1, 2),
            (41.0, 2),
        ] {
            assert_eq!(score_temperature(v), s, "temperature {v} °C must score {s}");
        }
    }

    #[test]
    fn risk_thresholds() {
        assert_eq!(risk(0, false), Risk::Low);
        assert_eq!(risk(4, false), Risk::Low);
        assert_eq!(
            risk(3, true),
            Risk::LowMedium,
            "a single 3 must trigger an urgent review"
        );
        assert_eq!(risk(4, true), Risk::LowMedium);
        assert_eq!(risk(5, false), Risk::Medium);
        assert_eq!(risk(6, true), Risk::Medium);
        assert_eq!(risk(7, false), Risk::High);
        assert_eq!(risk(20, true), Risk::High);
    }

    fn normal_set() -> ObservationSet {
        ObservationSet {
            id: "o1".into(),
            patient_id: "p1".into(),
            taken_at: chrono::DateTime::UNIX_EPOCH,
            respiration_rate: Some(16),
            spo2: Some(97),
            spo2_scale: Spo2Scale::Scale1,
            oxygen: Some(Oxygen::Air),
            systolic_bp: Some(125),
            diastolic_bp: Some(80),
            pulse: Some(72),
            consciousness: Some(Consciousness::Alert),
            temperature_c: Some(36.8),
            recorded_by: None,
        }
    }

    #[test]
    fn a_normal_set_scores_zero_and_is_complete() {
        let n = score(&normal_set());
        assert_eq!((n.total, n.risk), (0, Risk::Low));
        assert!(n.is_complete());
        assert_eq!(n.monitoring(), "minimum 12-hourly");
    }

    #[test]
    fn the_uk_core_news2_example_scores_five_by_the_rcp_table() {
        // UKCore-Bundle-NEWS2Observations-Example: RR 21, pulse 95, SpO2 93 on air, temp 37.5,
        // systolic 120, alert. The example's components score its 37.5 °C as 1 and total 6, but the RCP
        // table puts 36.1–38.0 at 0: RR 2 + SpO2 2 + pulse 1 = 5. We pin the table, not the example.
        let set = ObservationSet {
            respiration_rate: Some(21),
            spo2: Some(93),
            pulse: Some(95),
            temperature_c: Some(37.5),
            systolic_bp: Some(120),
            ..normal_set()
        };
        let n = score(&set);
        assert_eq!(n.total, 5);
        assert_eq!(n.risk, Risk::Medium);
    }

    #[test]
    fn a_missing_parameter_is_reported_not_scored_as_zero() {
        let set = ObservationSet {
            pulse: None,
            consciousness: None,
            ..normal_set()
        };
        let n = score(&set);
        assert_eq!(n.missing, vec![Parameter::Pulse, Parameter::Consciousness]);
        assert!(
            !n.is_complete(),
            "an incomplete set must never look like a complete low score"
        );
    }

    #[test]
    fn scale2_high_saturation_with_unknown_oxygen_cannot_be_scored() {
        let set = ObservationSet {
            spo2_scale: Spo2Scale::Scale2,
            spo2: Some(95),
            oxygen: None,
            ..normal_set()
        };
        let n = score(&set);
        assert!(n.missing.contains(&Parameter::Spo2));
        assert!(n.missing.contains(&Parameter::AirOrOxygen));
    }
}

//! NEWS2 (Royal College of Physicians, 2017): scoring one set of observations.
//!
//! The bands are exactly the table in docs/clinical.md, written once as data ([`rows`]): scoring
//! reads them, and so does every chart and form that shades them, so the band a value is shaded in is
//! by construction the band whose score it counts. `tests` pins every band edge on both SpO2 scales. A set with a parameter missing still scores what it has, but says which parameters are
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

/// One shaded band of a parameter's row on the chart: the values it holds and the score they carry.
///
/// A value `v` is in the band when `above < v <= up_to` (either bound may be open) and, where the band
/// says so, the patient is on air (`on_oxygen: Some(false)`) or on oxygen (`Some(true)`). Whole-number
/// parameters use whole bounds (`9-11` is above 8, up to 11); temperature's bands are written to one
/// decimal place, and a value between them (35.05 °C) belongs to the band above the lower edge, so
/// every real number is in exactly one band.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Band {
    /// As printed on the chart: `21-24`, `≥25`, `93-94 on O2`.
    pub label: &'static str,
    pub score: u8,
    /// Exclusive lower bound; `None` for the lowest band.
    pub above: Option<f64>,
    /// Inclusive upper bound; `None` for the highest band.
    pub up_to: Option<f64>,
    /// `Some(true)` only on oxygen, `Some(false)` only on air, `None` either.
    pub on_oxygen: Option<bool>,
}

impl Band {
    const fn new(label: &'static str, score: u8, above: Option<f64>, up_to: Option<f64>) -> Self {
        Self {
            label,
            score,
            above,
            up_to,
            on_oxygen: None,
        }
    }

    const fn only(self, on_oxygen: bool) -> Self {
        Self {
            on_oxygen: Some(on_oxygen),
            ..self
        }
    }

    /// Whether `value` is in this band, for a patient on oxygen, on air, or (`None`) not known.
    /// With oxygen not known, a band for air or for oxygen only does not hold the value.
    pub fn holds(&self, value: f64, on_oxygen: Option<bool>) -> bool {
        self.above.is_none_or(|a| value > a)
            && self.up_to.is_none_or(|u| value <= u)
            && self.on_oxygen.is_none_or(|o| on_oxygen == Some(o))
    }
}

/// One parameter's row of the chart: its label and its bands, top to bottom as the RCP chart draws
/// them. This table is the one statement of the NEWS2 bands: [`score`] reads it, and so does every
/// chart and form that shades them, so a value is shaded in the band whose score it is given.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Row {
    pub parameter: Parameter,
    /// `Respiration rate (per min)`.
    pub label: &'static str,
    pub bands: &'static [Band],
}

const fn b(label: &'static str, score: u8, above: Option<f64>, up_to: Option<f64>) -> Band {
    Band::new(label, score, above, up_to)
}

/// Respiration rate, breaths per minute.
pub const RESPIRATION_RATE: Row = Row {
    parameter: Parameter::RespirationRate,
    label: "Respiration rate (per min)",
    bands: &[
        b("≥25", 3, Some(24.0), None),
        b("21-24", 2, Some(20.0), Some(24.0)),
        b("12-20", 0, Some(11.0), Some(20.0)),
        b("9-11", 1, Some(8.0), Some(11.0)),
        b("≤8", 3, None, Some(8.0)),
    ],
};

/// SpO2 percent on scale 1.
pub const SPO2_SCALE_1: Row = Row {
    parameter: Parameter::Spo2,
    label: "SpO2 scale 1 (%)",
    bands: &[
        b("≥96", 0, Some(95.0), None),
        b("94-95", 1, Some(93.0), Some(95.0)),
        b("92-93", 2, Some(91.0), Some(93.0)),
        b("≤91", 3, None, Some(91.0)),
    ],
};

/// SpO2 percent on scale 2 (prescribed target 88–92%): high saturations score only on oxygen.
pub const SPO2_SCALE_2: Row = Row {
    parameter: Parameter::Spo2,
    label: "SpO2 scale 2 (%) target 88-92",
    bands: &[
        b("≥97 on O2", 3, Some(96.0), None).only(true),
        b("95-96 on O2", 2, Some(94.0), Some(96.0)).only(true),
        b("93-94 on O2", 1, Some(92.0), Some(94.0)).only(true),
        b("≥93 on air", 0, Some(92.0), None).only(false),
        b("88-92", 0, Some(87.0), Some(92.0)),
        b("86-87", 1, Some(85.0), Some(87.0)),
        b("84-85", 2, Some(83.0), Some(85.0)),
        b("≤83", 3, None, Some(83.0)),
    ],
};

/// Air (0) or supplemental oxygen (1): see [`measure`].
pub const AIR_OR_OXYGEN: Row = Row {
    parameter: Parameter::AirOrOxygen,
    label: "Air or oxygen",
    bands: &[b("Air", 0, None, Some(0.0)), b("Oxygen", 2, Some(0.0), None)],
};

/// Systolic blood pressure, mmHg.
pub const SYSTOLIC_BP: Row = Row {
    parameter: Parameter::SystolicBp,
    label: "Systolic BP (mmHg)",
    bands: &[
        b("≥220", 3, Some(219.0), None),
        b("111-219", 0, Some(110.0), Some(219.0)),
        b("101-110", 1, Some(100.0), Some(110.0)),
        b("91-100", 2, Some(90.0), Some(100.0)),
        b("≤90", 3, None, Some(90.0)),
    ],
};

/// Pulse, beats per minute.
pub const PULSE: Row = Row {
    parameter: Parameter::Pulse,
    label: "Pulse (per min)",
    bands: &[
        b("≥131", 3, Some(130.0), None),
        b("111-130", 2, Some(110.0), Some(130.0)),
        b("91-110", 1, Some(90.0), Some(110.0)),
        b("51-90", 0, Some(50.0), Some(90.0)),
        b("41-50", 1, Some(40.0), Some(50.0)),
        b("≤40", 3, None, Some(40.0)),
    ],
};

/// Alert (0), or new confusion, voice, pain or unresponsive (1): see [`measure`].
pub const CONSCIOUSNESS: Row = Row {
    parameter: Parameter::Consciousness,
    label: "Consciousness",
    bands: &[
        b("Alert", 0, None, Some(0.0)),
        b("C, V, P or U", 3, Some(0.0), None),
    ],
};

/// Temperature, °C.
pub const TEMPERATURE: Row = Row {
    parameter: Parameter::Temperature,
    label: "Temperature (°C)",
    bands: &[
        b("≥39.1", 2, Some(39.0), None),
        b("38.1-39.0", 1, Some(38.0), Some(39.0)),
        b("36.1-38.0", 0, Some(36.0), Some(38.0)),
        b("35.1-36.0", 1, Some(35.0), Some(36.0)),
        b("≤35.0", 3, None, Some(35.0)),
    ],
};

/// The chart's rows for a scale, in [`Parameter::ALL`] order.
pub fn rows(scale: Spo2Scale) -> [Row; 7] {
    [
        RESPIRATION_RATE,
        match scale {
            Spo2Scale::Scale1 => SPO2_SCALE_1,
            Spo2Scale::Scale2 => SPO2_SCALE_2,
        },
        AIR_OR_OXYGEN,
        SYSTOLIC_BP,
        PULSE,
        CONSCIOUSNESS,
        TEMPERATURE,
    ]
}

/// A parameter of `set` as the number its row's bands are written in: `None` when not recorded.
/// Air or oxygen is 0 on air and 1 on oxygen; consciousness is 0 alert and 1 otherwise.
pub fn measure(set: &ObservationSet, parameter: Parameter) -> Option<f64> {
    match parameter {
        Parameter::RespirationRate => set.respiration_rate.map(f64::from),
        Parameter::Spo2 => set.spo2.map(f64::from),
        Parameter::AirOrOxygen => set.oxygen.as_ref().map(|o| f64::from(u8::from(on_oxygen(o)))),
        Parameter::SystolicBp => set.systolic_bp.map(f64::from),
        Parameter::Pulse => set.pulse.map(f64::from),
        Parameter::Consciousness => set
            .consciousness
            .map(|c| f64::from(u8::from(c != Consciousness::Alert))),
        Parameter::Temperature => set.temperature_c,
    }
}

fn on_oxygen(o: &Oxygen) -> bool {
    matches!(o, Oxygen::Supplemental { .. })
}

impl Row {
    /// The band `value` is in, as an index into `bands`: `None` when no single band holds it (on
    /// SpO2 scale 2, 93% or more with oxygen not known scores 0 on air but 1 to 3 on oxygen).
    pub fn band_of(&self, value: f64, on_oxygen: Option<bool>) -> Option<usize> {
        let mut found = self
            .bands
            .iter()
            .enumerate()
            .filter(|(_, band)| band.holds(value, on_oxygen))
            .map(|(i, _)| i);
        let first = found.next()?;
        found.next().is_none().then_some(first)
    }

    /// The band this row's parameter of `set` is shaded in, when it was recorded and can be placed.
    pub fn band_of_set(&self, set: &ObservationSet) -> Option<usize> {
        let value = measure(set, self.parameter)?;
        self.band_of(value, set.oxygen.as_ref().map(on_oxygen))
    }

    /// The score of `value`: the score of its band.
    pub fn score_of(&self, value: f64, on_oxygen: Option<bool>) -> Option<u8> {
        self.band_of(value, on_oxygen).map(|i| self.bands[i].score)
    }

    fn score(&self, value: f64) -> u8 {
        self.score_of(value, None)
            .expect("the bands of a row without an oxygen condition cover every number once")
    }
}

/// Respiration rate, breaths per minute.
pub fn score_respiration_rate(per_min: u16) -> u8 {
    RESPIRATION_RATE.score(f64::from(per_min))
}

/// SpO2 percent on scale 1.
pub fn score_spo2_scale1(percent: u8) -> u8 {
    SPO2_SCALE_1.score(f64::from(percent))
}

/// SpO2 percent on scale 2 (prescribed target 88–92%): high saturations score only on oxygen.
pub fn score_spo2_scale2(percent: u8, on_oxygen: bool) -> u8 {
    SPO2_SCALE_2
        .score_of(f64::from(percent), Some(on_oxygen))
        .expect("on air or on oxygen, every saturation is in one band of scale 2")
}

pub fn score_air_or_oxygen(oxygen: &Oxygen) -> u8 {
    AIR_OR_OXYGEN.score(f64::from(u8::from(on_oxygen(oxygen))))
}

/// Systolic blood pressure, mmHg.
pub fn score_systolic_bp(mmhg: u16) -> u8 {
    SYSTOLIC_BP.score(f64::from(mmhg))
}

/// Pulse, beats per minute.
pub fn score_pulse(per_min: u16) -> u8 {
    PULSE.score(f64::from(per_min))
}

pub fn score_consciousness(c: Consciousness) -> u8 {
    CONSCIOUSNESS.score(f64::from(u8::from(c != Consciousness::Alert)))
}

/// Temperature, °C. The table's bands are given to one decimal place (35.1–36.0, ...); values between
/// them (35.05) fall in the band above the lower edge, so every real number has exactly one score
/// (`celsius` is a number: JSON cannot carry NaN, and [`score`] counts one as not recorded).
pub fn score_temperature(celsius: f64) -> u8 {
    TEMPERATURE.score(celsius)
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

/// Scores one observation set on its own SpO2 scale, from the same [`rows`] the chart is shaded by.
pub fn score(set: &ObservationSet) -> News2 {
    let mut scores = Vec::with_capacity(7);
    let mut missing = Vec::new();
    for row in rows(set.spo2_scale) {
        // A parameter not recorded, or (scale 2, 93% or more, oxygen not known) not placeable in
        // one band, is missing: the total is then only a lower bound.
        match row.band_of_set(set) {
            Some(i) => scores.push(ParameterScore {
                parameter: row.parameter,
                score: row.bands[i].score,
            }),
            None => missing.push(row.parameter),
        }
    }
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

    /// (value, expected score) on every band edge of the table in docs/clinical.md.
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

    /// Every value a chart could show, finely: temperature in hundredths from 30 to 43 °C, every whole
    /// number for the others, both SpO2 scales, on air and on oxygen.
    fn walk() -> Vec<(Row, f64, Option<bool>)> {
        let mut out = Vec::new();
        for hundredth in 3000..=4300 {
            out.push((TEMPERATURE, f64::from(hundredth) / 100.0, None));
        }
        for v in 0..=300u16 {
            for row in [RESPIRATION_RATE, SYSTOLIC_BP, PULSE] {
                out.push((row, f64::from(v), None));
            }
        }
        for v in 0..=100u8 {
            for oxygen in [Some(false), Some(true)] {
                out.push((SPO2_SCALE_1, f64::from(v), oxygen));
                out.push((SPO2_SCALE_2, f64::from(v), oxygen));
            }
        }
        for v in [0.0, 1.0] {
            out.push((AIR_OR_OXYGEN, v, None));
            out.push((CONSCIOUSNESS, v, None));
        }
        out
    }

    #[test]
    fn every_value_is_in_exactly_one_band_of_its_row() {
        for (row, v, oxygen) in walk() {
            let holding: Vec<&str> = row
                .bands
                .iter()
                .filter(|band| band.holds(v, oxygen))
                .map(|band| band.label)
                .collect();
            assert_eq!(
                holding.len(),
                1,
                "{} {v} (on oxygen {oxygen:?}) must be shaded in exactly one band, not {holding:?}",
                row.label
            );
        }
    }

    #[test]
    fn a_set_scores_each_parameter_by_the_band_it_is_shaded_in() {
        for (row, v, oxygen) in walk() {
            let mut set = ObservationSet {
                spo2_scale: if row == SPO2_SCALE_2 {
                    Spo2Scale::Scale2
                } else {
                    Spo2Scale::Scale1
                },
                oxygen: Some(if oxygen == Some(true) {
                    Oxygen::Supplemental {
                        litres_per_minute: Some(2.0),
                        device: None,
                    }
                } else {
                    Oxygen::Air
                }),
                ..normal_set()
            };
            #[allow(
                clippy::cast_possible_truncation,
                clippy::cast_sign_loss,
                reason = "whole numbers of the walk, 0 to 300"
            )]
            match row.parameter {
                Parameter::RespirationRate => set.respiration_rate = Some(v as u16),
                Parameter::Spo2 => set.spo2 = Some(v as u8),
                Parameter::SystolicBp => set.systolic_bp = Some(v as u16),
                Parameter::Pulse => set.pulse = Some(v as u16),
                Parameter::Temperature => set.temperature_c = Some(v),
                Parameter::AirOrOxygen | Parameter::Consciousness => continue,
            }
            let shaded = rows(set.spo2_scale)
                .iter()
                .find(|r| r.parameter == row.parameter)
                .and_then(|r| r.band_of_set(&set).map(|i| r.bands[i].score));
            let scored = score(&set)
                .scores
                .iter()
                .find(|s| s.parameter == row.parameter)
                .map(|s| s.score);
            assert_eq!(
                shaded, scored,
                "{} {v}: the band shaded and the score counted must be the same",
                row.label
            );
        }
    }

    #[test]
    fn a_temperature_between_the_tenths_scores_by_the_band_above_the_edge() {
        assert_eq!(
            score_temperature(38.04),
            1,
            "38.04 °C is above 38.0, so it is in 38.1-39.0"
        );
        assert_eq!(
            TEMPERATURE.bands[TEMPERATURE.band_of(38.04, None).unwrap()].label,
            "38.1-39.0"
        );
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
            entry: None,
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

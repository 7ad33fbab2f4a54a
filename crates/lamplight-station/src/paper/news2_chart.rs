//! The NEWS2 observation chart: one column per observation set, shaded by band.

use chrono::{DateTime, Utc};
use lamplight_model::news2::{self, Parameter};
use lamplight_model::observation::temperature_text;
use lamplight_model::time;
use lamplight_model::{ObservationSet, Oxygen, Patient, Risk, Spo2Scale};
use lamplight_print::{ObsBand, ObsBlock, ObsChart, ObsColumn, Stamp};

use super::index::Index;
use super::{OBS_BACK, OBS_MAX, initials};

/// The NEWS2 bands of each parameter, top to bottom as the RCP chart draws them: the model's table
/// ([`news2::rows`]), the one the scores are counted from.
pub fn news2_blocks(scale: Spo2Scale) -> Vec<ObsBlock> {
    news2::rows(scale)
        .iter()
        .map(|row| ObsBlock {
            label: row.label.to_owned(),
            bands: row
                .bands
                .iter()
                .map(|band| ObsBand {
                    label: band.label.to_owned(),
                    score: band.score,
                })
                .collect(),
        })
        .collect()
}

/// Which band of [`news2_blocks`] each parameter of `o` falls in, with the value as written. The band
/// is the model's ([`news2::Row::band_of_set`]), so it is the band whose score the column's total
/// counts. A value no single band holds (scale 2, 93% or more, oxygen not recorded) is not shaded,
/// and the total says it is incomplete.
pub(crate) fn news2_marks(o: &ObservationSet, scale: Spo2Scale) -> Vec<Option<(usize, String)>> {
    news2::rows(scale)
        .iter()
        .map(|row| Some((row.band_of_set(o)?, value_text(o, row.parameter)?)))
        .collect()
}

/// A parameter of `o` as written in its box.
fn value_text(o: &ObservationSet, parameter: Parameter) -> Option<String> {
    match parameter {
        Parameter::RespirationRate => o.respiration_rate.map(|v| v.to_string()),
        Parameter::Spo2 => o.spo2.map(|v| v.to_string()),
        Parameter::AirOrOxygen => o.oxygen.as_ref().map(|ox| match ox {
            Oxygen::Air => "A".to_owned(),
            Oxygen::Supplemental {
                litres_per_minute, ..
            } => litres_per_minute.map_or_else(|| "O2".to_owned(), |l| format!("{l}L")),
        }),
        Parameter::SystolicBp => o.systolic_bp.map(|v| v.to_string()),
        Parameter::Pulse => o.pulse.map(|v| v.to_string()),
        Parameter::Consciousness => o.consciousness.map(|c| c.letter().to_string()),
        Parameter::Temperature => o.temperature_c.map(temperature_text),
    }
}

pub(crate) fn risk_level(r: Risk) -> u8 {
    match r {
        Risk::Low => 0,
        Risk::LowMedium => 1,
        Risk::Medium => 2,
        Risk::High => 3,
    }
}

pub(crate) fn obs_chart(index: &Index<'_>, p: &Patient, stamp: Stamp, now: DateTime<Utc>) -> ObsChart {
    let r = index.records(p);
    let recent: Vec<&ObservationSet> = r
        .observations
        .iter()
        .filter(|o| o.taken_at >= now - OBS_BACK && o.taken_at <= now)
        .copied()
        .collect();
    let recent = &recent[recent.len().saturating_sub(OBS_MAX)..];
    let scale = recent.last().map_or(Spo2Scale::Scale1, |o| o.spo2_scale);
    let columns = recent
        .iter()
        .map(|o| {
            let n = news2::score(o);
            ObsColumn {
                date: time::london(o.taken_at).format("%d/%m").to_string(),
                time: time::clock(o.taken_at),
                marks: news2_marks(o, scale),
                total: if n.is_complete() {
                    n.total.to_string()
                } else {
                    format!("{}+", n.total)
                },
                risk_level: risk_level(n.risk),
                recorded_by: o.recorded_by.as_deref().map(initials),
            }
        })
        .collect();
    ObsChart {
        stamp,
        banner: index.banner(&r, now),
        scale_note: match scale {
            Spo2Scale::Scale1 => "SpO2 scale 1".to_owned(),
            Spo2Scale::Scale2 => "SpO2 scale 2 (prescribed target 88-92%)".to_owned(),
        },
        blocks: news2_blocks(scale),
        columns,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    pub(crate) fn set() -> ObservationSet {
        ObservationSet::empty("o", "p", Utc::now())
    }

    /// A set with one parameter at `v` (the rest recorded and normal), on `scale`, on air or oxygen.
    #[allow(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        reason = "whole numbers of the walk, 0 to 300"
    )]
    fn with(parameter: Parameter, v: f64, scale: Spo2Scale, on_oxygen: bool) -> ObservationSet {
        let mut o = ObservationSet {
            respiration_rate: Some(16),
            spo2: Some(97),
            spo2_scale: scale,
            oxygen: Some(if on_oxygen {
                Oxygen::Supplemental {
                    litres_per_minute: Some(2.0),
                    device: None,
                }
            } else {
                Oxygen::Air
            }),
            systolic_bp: Some(125),
            pulse: Some(72),
            consciousness: Some(lamplight_model::Consciousness::Alert),
            temperature_c: Some(36.8),
            ..set()
        };
        match parameter {
            Parameter::RespirationRate => o.respiration_rate = Some(v as u16),
            Parameter::Spo2 => o.spo2 = Some(v as u8),
            Parameter::SystolicBp => o.systolic_bp = Some(v as u16),
            Parameter::Pulse => o.pulse = Some(v as u16),
            Parameter::Temperature => o.temperature_c = Some(v),
            Parameter::Consciousness => {
                o.consciousness = Some(if v > 0.0 {
                    lamplight_model::Consciousness::Voice
                } else {
                    lamplight_model::Consciousness::Alert
                });
            }
            Parameter::AirOrOxygen => {}
        }
        o
    }

    #[test]
    fn every_charted_value_is_shaded_in_the_band_whose_score_its_column_counts() {
        let mut walk: Vec<(Parameter, f64)> = (3000..=4300)
            .map(|h| (Parameter::Temperature, f64::from(h) / 100.0))
            .collect();
        for v in 0..=300u16 {
            walk.extend([
                (Parameter::RespirationRate, f64::from(v)),
                (Parameter::SystolicBp, f64::from(v)),
                (Parameter::Pulse, f64::from(v)),
            ]);
        }
        walk.extend((0..=100u8).map(|v| (Parameter::Spo2, f64::from(v))));
        walk.extend([(Parameter::Consciousness, 0.0), (Parameter::Consciousness, 1.0)]);
        walk.push((Parameter::AirOrOxygen, 0.0));
        let mut checked = 0;
        for (parameter, v) in walk {
            for scale in [Spo2Scale::Scale1, Spo2Scale::Scale2] {
                for on_oxygen in [false, true] {
                    let o = with(parameter, v, scale, on_oxygen);
                    let blocks = news2_blocks(scale);
                    let marks = news2_marks(&o, scale);
                    let scored = news2::score(&o);
                    for (i, p) in Parameter::ALL.iter().enumerate() {
                        let (band, text) = marks[i]
                            .clone()
                            .unwrap_or_else(|| panic!("{p:?} of {o:?} must be charted"));
                        let counted = scored.scores.iter().find(|s| s.parameter == *p).map(|s| s.score);
                        assert_eq!(
                            Some(blocks[i].bands[band].score),
                            counted,
                            "{p:?} written {text} ({parameter:?} {v}, {scale:?}, on oxygen {on_oxygen}) is shaded in band {:?}, which must be the score its column counts",
                            blocks[i].bands[band].label
                        );
                        checked += 1;
                    }
                }
            }
        }
        assert!(checked > 60_000, "the walk covers every value: {checked}");
    }

    #[test]
    fn a_temperature_of_38_04_is_shaded_and_written_as_the_1_it_scores() {
        let o = ObservationSet {
            temperature_c: Some(38.04),
            ..set()
        };
        let (band, text) = news2_marks(&o, Spo2Scale::Scale1)[6].clone().unwrap();
        assert_eq!(news2_blocks(Spo2Scale::Scale1)[6].bands[band].label, "38.1-39.0");
        assert_eq!(text, "38.04", "written 38.0, it would contradict its shading");
    }

    #[test]
    pub(crate) fn initials_leave_out_the_role() {
        assert_eq!(initials("RN J Okafor"), "JO");
        assert_eq!(initials("Amira Hassan"), "AH");
    }
}

//! The NEWS2 observation chart: one column per observation set, shaded by band.

use chrono::{DateTime, Utc};
use lamplight_model::news2;
use lamplight_model::time;
use lamplight_model::{ObservationSet, Oxygen, Patient, Risk, Spo2Scale};
use lamplight_print::{ObsBand, ObsBlock, ObsChart, ObsColumn, Stamp};

use super::index::Index;
use super::{OBS_BACK, OBS_MAX, initials};

/// The NEWS2 bands of each parameter, top to bottom as the RCP chart draws them
/// (shared/CLINICAL.md); `tests` checks every value lands in a band with the model's score.
pub fn news2_blocks(scale: Spo2Scale) -> Vec<ObsBlock> {
    let block = |label: &str, bands: &[(&str, u8)]| ObsBlock {
        label: label.to_owned(),
        bands: bands
            .iter()
            .map(|(l, s)| ObsBand {
                label: (*l).to_owned(),
                score: *s,
            })
            .collect(),
    };
    let spo2 = match scale {
        Spo2Scale::Scale1 => block(
            "SpO2 scale 1 (%)",
            &[("≥96", 0), ("94-95", 1), ("92-93", 2), ("≤91", 3)],
        ),
        Spo2Scale::Scale2 => block(
            "SpO2 scale 2 (%) target 88-92",
            &[
                ("≥97 on O2", 3),
                ("95-96 on O2", 2),
                ("93-94 on O2", 1),
                ("≥93 on air", 0),
                ("88-92", 0),
                ("86-87", 1),
                ("84-85", 2),
                ("≤83", 3),
            ],
        ),
    };
    vec![
        block(
            "Respiration rate (per min)",
            &[("≥25", 3), ("21-24", 2), ("12-20", 0), ("9-11", 1), ("≤8", 3)],
        ),
        spo2,
        block("Air or oxygen", &[("Air", 0), ("Oxygen", 2)]),
        block(
            "Systolic BP (mmHg)",
            &[
                ("≥220", 3),
                ("111-219", 0),
                ("101-110", 1),
                ("91-100", 2),
                ("≤90", 3),
            ],
        ),
        block(
            "Pulse (per min)",
            &[
                ("≥131", 3),
                ("111-130", 2),
                ("91-110", 1),
                ("51-90", 0),
                ("41-50", 1),
                ("≤40", 3),
            ],
        ),
        block("Consciousness", &[("Alert", 0), ("C, V, P or U", 3)]),
        block(
            "Temperature (°C)",
            &[
                ("≥39.1", 2),
                ("38.1-39.0", 1),
                ("36.1-38.0", 0),
                ("35.1-36.0", 1),
                ("≤35.0", 3),
            ],
        ),
    ]
}

/// Which band of [`news2_blocks`] each parameter of `o` falls in, with the value as written.
pub(crate) fn news2_marks(o: &ObservationSet, scale: Spo2Scale) -> Vec<Option<(usize, String)>> {
    let on_o2 = matches!(o.oxygen, Some(Oxygen::Supplemental { .. }));
    let rr = o.respiration_rate.map(|v| {
        let band = match v {
            25.. => 0,
            21..=24 => 1,
            12..=20 => 2,
            9..=11 => 3,
            _ => 4,
        };
        (band, v.to_string())
    });
    let spo2 = o.spo2.map(|v| {
        let band = match scale {
            Spo2Scale::Scale1 => match v {
                96.. => 0,
                94..=95 => 1,
                92..=93 => 2,
                _ => 3,
            },
            Spo2Scale::Scale2 => match (v, on_o2) {
                (97.., true) => 0,
                (95..=96, true) => 1,
                (93..=94, true) => 2,
                (93.., false) => 3,
                (88..=92, _) => 4,
                (86..=87, _) => 5,
                (84..=85, _) => 6,
                _ => 7,
            },
        };
        (band, v.to_string())
    });
    let air = o.oxygen.as_ref().map(|ox| match ox {
        Oxygen::Air => (0, "A".to_owned()),
        Oxygen::Supplemental {
            litres_per_minute, ..
        } => (
            1,
            litres_per_minute.map_or_else(|| "O2".to_owned(), |l| format!("{l}L")),
        ),
    });
    let bp = o.systolic_bp.map(|v| {
        let band = match v {
            220.. => 0,
            111..=219 => 1,
            101..=110 => 2,
            91..=100 => 3,
            _ => 4,
        };
        (band, v.to_string())
    });
    let pulse = o.pulse.map(|v| {
        let band = match v {
            131.. => 0,
            111..=130 => 1,
            91..=110 => 2,
            51..=90 => 3,
            41..=50 => 4,
            _ => 5,
        };
        (band, v.to_string())
    });
    let acvpu = o.consciousness.map(|c| {
        let band = usize::from(c != lamplight_model::Consciousness::Alert);
        (band, c.letter().to_string())
    });
    let temp = o.temperature_c.map(|t| {
        // Bands are on one decimal, as charted.
        let t1 = (t * 10.0).round() / 10.0;
        let band = if t1 >= 39.1 {
            0
        } else if t1 >= 38.1 {
            1
        } else if t1 >= 36.1 {
            2
        } else if t1 >= 35.1 {
            3
        } else {
            4
        };
        (band, format!("{t1:.1}"))
    });
    vec![rr, spo2, air, bp, pulse, acvpu, temp]
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
    use lamplight_model::news2::{
        score_consciousness, score_pulse, score_respiration_rate, score_spo2_scale1, score_spo2_scale2,
        score_systolic_bp, score_temperature,
    };

    pub(crate) fn band_score(scale: Spo2Scale, block: usize, band: usize) -> u8 {
        news2_blocks(scale)[block].bands[band].score
    }

    pub(crate) fn set() -> ObservationSet {
        ObservationSet {
            id: "o".into(),
            patient_id: "p".into(),
            taken_at: Utc::now(),
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
        }
    }

    #[test]
    pub(crate) fn every_charted_value_lands_in_a_band_with_the_score_news2_gives_it() {
        for v in 0..=60u16 {
            let o = ObservationSet {
                respiration_rate: Some(v),
                ..set()
            };
            let (band, _) = news2_marks(&o, Spo2Scale::Scale1)[0].clone().unwrap();
            assert_eq!(
                band_score(Spo2Scale::Scale1, 0, band),
                score_respiration_rate(v),
                "RR {v}"
            );
        }
        for v in 50..=100u8 {
            for (oxygen, on) in [
                (Oxygen::Air, false),
                (
                    Oxygen::Supplemental {
                        litres_per_minute: Some(2.0),
                        device: None,
                    },
                    true,
                ),
            ] {
                let o = ObservationSet {
                    spo2: Some(v),
                    oxygen: Some(oxygen.clone()),
                    ..set()
                };
                let (b1, _) = news2_marks(&o, Spo2Scale::Scale1)[1].clone().unwrap();
                assert_eq!(
                    band_score(Spo2Scale::Scale1, 1, b1),
                    score_spo2_scale1(v),
                    "SpO2 {v} scale 1"
                );
                let (b2, _) = news2_marks(&o, Spo2Scale::Scale2)[1].clone().unwrap();
                assert_eq!(
                    band_score(Spo2Scale::Scale2, 1, b2),
                    score_spo2_scale2(v, on),
                    "SpO2 {v} scale 2, on oxygen {on}"
                );
                let (ba, _) = news2_marks(&o, Spo2Scale::Scale1)[2].clone().unwrap();
                assert_eq!(
                    band_score(Spo2Scale::Scale1, 2, ba),
                    news2::score_air_or_oxygen(&oxygen)
                );
            }
        }
        for v in 40..=260u16 {
            let o = ObservationSet {
                systolic_bp: Some(v),
                pulse: Some(v),
                ..set()
            };
            let marks = news2_marks(&o, Spo2Scale::Scale1);
            assert_eq!(
                band_score(Spo2Scale::Scale1, 3, marks[3].clone().unwrap().0),
                score_systolic_bp(v),
                "BP {v}"
            );
            assert_eq!(
                band_score(Spo2Scale::Scale1, 4, marks[4].clone().unwrap().0),
                score_pulse(v),
                "pulse {v}"
            );
        }
        for c in [
            lamplight_model::Consciousness::Alert,
            lamplight_model::Consciousness::NewConfusion,
            lamplight_model::Consciousness::Voice,
            lamplight_model::Consciousness::Pain,
            lamplight_model::Consciousness::Unresponsive,
        ] {
            let o = ObservationSet {
                consciousness: Some(c),
                ..set()
            };
            let (b, _) = news2_marks(&o, Spo2Scale::Scale1)[5].clone().unwrap();
            assert_eq!(band_score(Spo2Scale::Scale1, 5, b), score_consciousness(c));
        }
        for tenth in 330..=420 {
            let t = f64::from(tenth) / 10.0;
            let o = ObservationSet {
                temperature_c: Some(t),
                ..set()
            };
            let (b, _) = news2_marks(&o, Spo2Scale::Scale1)[6].clone().unwrap();
            assert_eq!(
                band_score(Spo2Scale::Scale1, 6, b),
                score_temperature(t),
                "temperature {t}"
            );
        }
    }

    #[test]
    pub(crate) fn initials_leave_out_the_role() {
        assert_eq!(initials("RN J Okafor"), "JO");
        assert_eq!(initials("Amira Hassan"), "AH");
    }
}

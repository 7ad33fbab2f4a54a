//! Synthetic downtime entries for a drill: what a ward records in the hours of an outage, made
//! from a site and a seed (`lamplight demo-entries` records them through the station).
//!
//! The mix is a ward's: mostly doses given at or near their due times (with the order's dose, and a
//! second checker for insulin and controlled drugs) and sets of observations (plausible vitals,
//! now and then abnormal), some doses not given with their omission code, nursing notes, a phoned
//! result, and once each a transfer to a free bed, a discharge and an admission under a temporary
//! downtime identifier (`DT-<PC>-0001`, no NHS number). Only patients the site holds are named;
//! a due dose is recorded at most once, and never one the site already shows as done.
//!
//! Pure: the same site, options and seed give the same entries. Times are clinical times in the
//! hours before `now`, ascending; when each entry is *recorded* is the caller's (the real time).

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use lamplight_model::entry::EntryKind;
use lamplight_model::{
    Admission, BedStatus, Consciousness, MedicationOrder, ObservationSet, OmissionReason, OrderStatus,
    Oxygen, Patient, PersonName, Schedule, Sex, Site, Spo2Scale,
};

use crate::catalogue::{FAMILY, FEMALE_GIVEN, MALE_GIVEN};
use crate::rng::Rng;

/// How far back the entries reach: twelve hours, more than the longest gap between the ward's
/// medicine rounds (22:00 to 06:00), so a drill at any hour has doses to give.
pub const ENTRY_WINDOW: TimeDelta = TimeDelta::hours(12);

/// What entries to make.
#[derive(Debug, Clone)]
pub struct EntryOptions {
    pub seed: u64,
    pub count: usize,
    /// The entries fall in the [`ENTRY_WINDOW`] before this.
    pub now: DateTime<Utc>,
    /// The PC they are recorded on: names the temporary identifier of an admission.
    pub pc: String,
    /// Who gives the doses.
    pub given_by: String,
    /// The second checker for insulin and controlled drugs.
    pub checker: String,
}

/// One entry to record, and the clinical time it is about.
#[derive(Debug, Clone, PartialEq)]
pub struct DemoEntry {
    pub at: DateTime<Utc>,
    pub kind: EntryKind,
}

const NOTES: &[&str] = &[
    "Settled overnight, slept well. Pressure areas intact, repositioned 2-hourly.",
    "Mobilised to chair with one assist. Eating and drinking well.",
    "Complained of pain 6/10, analgesia given as charted, reviewed after an hour: 2/10.",
    "Cannula site clean, no signs of phlebitis (VIP score 0).",
    "Fluid balance chart continued on paper during downtime: positive 450 ml since 08:00.",
    "Family updated by telephone with the patient's consent.",
    "Patient anxious about the computers being down; reassured and explained the paper charts.",
    "Catheter draining well, urine clear.",
    "Wound dressing changed, wound clean and dry.",
    "Falls risk reviewed: bed rails not indicated, call bell within reach, non-slip socks on.",
];

const RESULTS: &[(&str, &[&str])] = &[
    ("Potassium", &["5.9 mmol/L", "3.1 mmol/L", "6.2 mmol/L"]),
    ("Haemoglobin", &["78 g/L", "69 g/L"]),
    ("CRP", &["142 mg/L", "231 mg/L"]),
    ("Troponin T", &["52 ng/L", "14 ng/L"]),
    ("Sodium", &["126 mmol/L", "151 mmol/L"]),
    ("Blood culture", &["Gram-positive cocci in clusters"]),
];

const CALLERS: &[&str] = &[
    "Biochemistry lab, J. Harris",
    "Haematology lab, R. Osei",
    "Microbiology, Dr P. Lin",
];

/// Weights of the repeated kinds: dose given, dose not given, observations, note, phoned result.
const MIX: [u64; 5] = [45, 7, 33, 11, 4];

/// The demo entries for `site`: deterministic for the site and options, times ascending.
#[allow(clippy::too_many_lines)] // one pass over the slots reads more plainly than pieces of it
pub fn entries(site: &Site, o: &EntryOptions) -> Vec<DemoEntry> {
    let mut rng = Rng::new(o.seed).fork(0xE7);
    let start = o.now - ENTRY_WINDOW;
    let end = o.now - TimeDelta::minutes(1);
    let span = (end - start).num_seconds().max(1);
    let mut slots: Vec<DateTime<Utc>> = (0..o.count)
        .map(|_| start + TimeDelta::seconds(rng.range(0, span)))
        .collect();
    slots.sort_unstable();

    // Patients in a bed (or on a ward awaiting one) whom the entries may name.
    let mut pool: Vec<&Admission> = site
        .admissions
        .iter()
        .filter(|a| site.patients.iter().any(|p| p.id == a.patient_id))
        .collect();
    pool.sort_by(|a, b| a.patient_id.cmp(&b.patient_id));
    let mut free_beds = free_beds(site);

    // Once each, early in the run: a discharge, a transfer and an admission, when the ward has room.
    let structural = o.count >= 8 && pool.len() >= 4;
    let early = o.count.min(30) as u64;
    let mut at_positions = Vec::new();
    if structural {
        while at_positions.len() < 3 {
            let p = usize::try_from(rng.below(early)).unwrap_or(0);
            if !at_positions.contains(&p) {
                at_positions.push(p);
            }
        }
    }
    // The earliest of the three is the discharge, whose bed the transfer or the admission may take.
    at_positions.sort_unstable();
    let discharged = structural.then(|| {
        let i = usize::try_from(rng.below(pool.len() as u64)).unwrap_or(0);
        pool.remove(i)
    });
    if let Some(a) = discharged
        && let (Some(w), Some(b)) = (&a.ward_id, &a.bed_id)
    {
        free_beds.push((w.clone(), b.clone()));
    }

    let mut due = due_doses(site, &pool, start, end);

    let mut out = Vec::with_capacity(o.count);
    for (i, at) in slots.into_iter().enumerate() {
        if pool.is_empty() {
            break;
        }
        if let Some(which) = at_positions.iter().position(|p| *p == i) {
            let kind = match which {
                0 => discharged.map(|a| EntryKind::Discharge {
                    patient_id: a.patient_id.clone(),
                    at,
                    destination: Some(
                        rng.pick(&["Home", "Home with package of care", "Community hospital"])
                            .to_string(),
                    ),
                }),
                1 => take_bed(&mut free_beds, &mut rng).map(|(ward_id, bed_id)| {
                    let a = rng.pick(&pool);
                    EntryKind::Transfer {
                        patient_id: a.patient_id.clone(),
                        ward_id,
                        bed_id: Some(bed_id),
                    }
                }),
                // No bed free: admitted to the ward, awaiting a bed (the board shows them so).
                _ => take_bed(&mut free_beds, &mut rng)
                    .map(|(w, b)| (w, Some(b)))
                    .or_else(|| pool.first().and_then(|a| a.ward_id.clone()).map(|w| (w, None)))
                    .map(|(ward_id, bed_id)| admission(site, o, ward_id, bed_id, at, &mut rng)),
            };
            if let Some(kind) = kind {
                out.push(DemoEntry { at, kind });
                continue;
            }
        }
        let kind = match rng.weighted(&MIX) {
            k @ (0 | 1) => dose_near(&mut due, at, &mut rng).map(|(ord, due_at)| {
                if k == 0 {
                    let given_at = (due_at + TimeDelta::minutes(rng.range(-10, 30))).clamp(start, end);
                    EntryKind::DoseGiven {
                        patient_id: ord.patient_id.clone(),
                        order_id: ord.id.clone(),
                        given_at,
                        dose: ord.dose.text.clone(),
                        given_by: o.given_by.clone(),
                        // The model's rule, the one the drug-chart form enforces.
                        checked_by: lamplight_model::medication::second_check_reason(ord)
                            .map(|_| o.checker.clone()),
                        due_at: Some(due_at),
                    }
                } else {
                    omission(ord, due_at, &mut rng)
                }
            }),
            3 => Some(EntryKind::Note {
                patient_id: rng.pick(&pool).patient_id.clone(),
                text: (*rng.pick(NOTES)).to_owned(),
            }),
            4 => {
                let (test, values) = rng.pick(RESULTS);
                Some(EntryKind::PhonedResult {
                    patient_id: rng.pick(&pool).patient_id.clone(),
                    test: (*test).to_owned(),
                    value: (*rng.pick(values)).to_owned(),
                    caller: (*rng.pick(CALLERS)).to_owned(),
                    read_back: true,
                })
            }
            _ => None,
        };
        // No due dose near this time: a set of observations, the commonest entry after doses.
        let kind = kind.unwrap_or_else(|| {
            let a = rng.pick(&pool);
            EntryKind::Observations {
                set: observations(site, &a.patient_id, at, o, i, &mut rng),
            }
        });
        let at = match &kind {
            EntryKind::DoseGiven { given_at, .. } => *given_at,
            EntryKind::DoseNotGiven { due_at, .. } => *due_at,
            _ => at,
        };
        out.push(DemoEntry { at, kind });
    }
    out.sort_by_key(|e| e.at);
    out
}

/// Due doses of the pool's active regular orders in `[from, to)`, not already marked on the chart.
fn due_doses<'a>(
    site: &'a Site,
    pool: &[&Admission],
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Vec<(&'a MedicationOrder, DateTime<Utc>)> {
    let mut due: Vec<(&MedicationOrder, DateTime<Utc>)> = site
        .orders
        .iter()
        .filter(|ord| ord.status == OrderStatus::Active && matches!(ord.schedule, Schedule::Regular { .. }))
        .filter(|ord| pool.iter().any(|a| a.patient_id == ord.patient_id))
        .flat_map(|ord| {
            ord.due_between(from, to)
                .into_iter()
                .filter(|d| ord.in_force(*d))
                .filter(|d| ord.covering(*d, &site.administrations).is_none())
                .map(move |d| (ord, d))
        })
        .collect();
    due.sort_by(|a, b| (a.1, &a.0.id).cmp(&(b.1, &b.0.id)));
    due
}

/// Open beds no admission holds, by ward, in the ward's order.
fn free_beds(site: &Site) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for ward in &site.wards {
        for (_, bed) in ward.beds() {
            let taken = site
                .admissions
                .iter()
                .any(|a| a.bed_id.as_deref() == Some(bed.id.as_str()));
            if bed.status == BedStatus::Open && !taken {
                out.push((ward.id.clone(), bed.id.clone()));
            }
        }
    }
    out
}

fn take_bed(free: &mut Vec<(String, String)>, rng: &mut Rng) -> Option<(String, String)> {
    if free.is_empty() {
        return None;
    }
    let i = usize::try_from(rng.below(free.len() as u64)).unwrap_or(0);
    Some(free.remove(i))
}

/// An unused due dose from two hours before `at` to 40 minutes after (the round it belongs to).
fn dose_near<'a>(
    due: &mut Vec<(&'a MedicationOrder, DateTime<Utc>)>,
    at: DateTime<Utc>,
    rng: &mut Rng,
) -> Option<(&'a MedicationOrder, DateTime<Utc>)> {
    let near: Vec<usize> = due
        .iter()
        .enumerate()
        .filter(|(_, (_, d))| *d >= at - TimeDelta::hours(2) && *d <= at + TimeDelta::minutes(40))
        .map(|(i, _)| i)
        .collect();
    if near.is_empty() {
        return None;
    }
    Some(due.remove(*rng.pick(&near)))
}

fn omission(ord: &MedicationOrder, due_at: DateTime<Utc>, rng: &mut Rng) -> EntryKind {
    // Refused and nil by mouth are the commonest codes on a ward; "withheld" and "other" say why.
    let reason = OmissionReason::ALL[rng.weighted(&[30, 20, 8, 12, 14, 10, 2, 4])];
    let note = match reason {
        OmissionReason::Withheld => Some("Withheld: systolic BP 94, discussed with the FY1".to_owned()),
        OmissionReason::Other => {
            Some("Other: patient in the bathroom, offered again at the next round".to_owned())
        }
        OmissionReason::NilByMouth => Some("Nil by mouth for theatre".to_owned()),
        _ => None,
    };
    EntryKind::DoseNotGiven {
        patient_id: ord.patient_id.clone(),
        order_id: ord.id.clone(),
        due_at,
        reason,
        note,
    }
}

fn observations(
    site: &Site,
    patient_id: &str,
    at: DateTime<Utc>,
    o: &EntryOptions,
    i: usize,
    rng: &mut Rng,
) -> ObservationSet {
    // The patient's own scale (scale 2 only where prescribed), from the chart's latest set.
    let scale = site
        .observations
        .iter()
        .filter(|s| s.patient_id == patient_id)
        .max_by_key(|s| s.taken_at)
        .map_or(Spo2Scale::Scale1, |s| s.spo2_scale);
    let mut set = ObservationSet::empty(format!("dt-obs-{}-{}-{i:05}", o.pc, o.seed), patient_id, at);
    set.spo2_scale = scale;
    // About one set in seven is abnormal, in two or three parameters (a NEWS2 of 3 to 7 or so).
    let unwell = rng.chance(15);
    let r = |rng: &mut Rng, lo: i64, hi: i64| u16::try_from(rng.range(lo, hi)).unwrap_or(0);
    let off = |rng: &mut Rng| unwell && rng.chance(45);
    set.respiration_rate = Some(if off(rng) { r(rng, 21, 25) } else { r(rng, 14, 19) });
    let low_spo2 = off(rng);
    set.spo2 = Some(match (low_spo2, scale) {
        (true, Spo2Scale::Scale1) => u8::try_from(rng.range(91, 94)).unwrap_or(93),
        (true, Spo2Scale::Scale2) => u8::try_from(rng.range(84, 87)).unwrap_or(86),
        (false, Spo2Scale::Scale1) => u8::try_from(rng.range(95, 99)).unwrap_or(97),
        (false, Spo2Scale::Scale2) => u8::try_from(rng.range(88, 92)).unwrap_or(90),
    });
    set.oxygen = Some(if low_spo2 && rng.chance(50) {
        Oxygen::Supplemental {
            litres_per_minute: Some(2.0),
            device: Some("Nasal cannula".to_owned()),
        }
    } else {
        Oxygen::Air
    });
    set.systolic_bp = Some(if off(rng) {
        r(rng, 96, 109)
    } else {
        r(rng, 112, 145)
    });
    set.pulse = Some(if off(rng) { r(rng, 92, 118) } else { r(rng, 62, 90) });
    set.consciousness = Some(Consciousness::Alert);
    let tenths = if off(rng) {
        rng.range(381, 389)
    } else {
        rng.range(362, 376)
    };
    set.temperature_c = Some(f64::from(u16::try_from(tenths).unwrap_or(368)) / 10.0);
    set.diastolic_bp = set.systolic_bp.map(|s| s * 6 / 10 + r(rng, 0, 10));
    set
}

fn admission(
    site: &Site,
    o: &EntryOptions,
    ward_id: String,
    bed_id: Option<String>,
    at: DateTime<Utc>,
    rng: &mut Rng,
) -> EntryKind {
    let prefix = format!("DT-{}-", o.pc);
    let n = site.patients.iter().filter(|p| p.id.starts_with(&prefix)).count() + 1;
    let id = format!("{prefix}{n:04}");
    let female = rng.chance(50);
    let given = if female {
        rng.pick(FEMALE_GIVEN)
    } else {
        rng.pick(MALE_GIVEN)
    };
    let year = i32::try_from(rng.range(1935, 2000)).unwrap_or(1960);
    let month = u32::try_from(rng.range(1, 12)).unwrap_or(1);
    let day = u32::try_from(rng.range(1, 28)).unwrap_or(1);
    EntryKind::Admission {
        patient: Patient {
            id: id.clone(),
            nhs_number: None,
            hospital_number: None,
            name: PersonName {
                family: (*rng.pick(FAMILY)).to_owned(),
                given: vec![(*given).to_owned()],
                prefix: None,
            },
            birth_date: NaiveDate::from_ymd_opt(year, month, day),
            sex: if female { Sex::Female } else { Sex::Male },
        },
        admission: Admission {
            id: format!("{id}-admission"),
            patient_id: id,
            ward_id: Some(ward_id),
            bed_id,
            admitted_at: at,
            consultant: None,
            specialty: None,
            expected_discharge: None,
            reason: Some("Admitted during downtime: details on the paper admission form".to_owned()),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::DemoOptions;
    use chrono::TimeZone;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 1, 14, 0, 0).unwrap()
    }

    fn options(seed: u64, count: usize) -> EntryOptions {
        EntryOptions {
            seed,
            count,
            now: now(),
            pc: "WD7-PC1".into(),
            given_by: "Demo Nurse".into(),
            checker: "Demo Checker".into(),
        }
    }

    fn site() -> Site {
        crate::site(&DemoOptions::ward(now() - TimeDelta::hours(7)))
    }

    fn word(k: &EntryKind) -> &'static str {
        match k {
            EntryKind::DoseGiven { .. } => "given",
            EntryKind::DoseNotGiven { .. } => "not given",
            EntryKind::Observations { .. } => "obs",
            EntryKind::Admission { .. } => "admission",
            EntryKind::Transfer { .. } => "transfer",
            EntryKind::Discharge { .. } => "discharge",
            EntryKind::Note { .. } => "note",
            EntryKind::PhonedResult { .. } => "result",
            EntryKind::EnteredInError { .. } => "error",
        }
    }

    #[test]
    fn the_same_seed_gives_the_same_entries_and_another_seed_others() {
        let s = site();
        assert_eq!(entries(&s, &options(5, 60)), entries(&s, &options(5, 60)));
        assert_ne!(entries(&s, &options(5, 60)), entries(&s, &options(6, 60)));
    }

    #[test]
    fn every_entry_names_a_patient_of_the_site_or_the_one_it_admits_and_times_ascend_in_the_window() {
        let s = site();
        let made = entries(&s, &options(3, 200));
        assert_eq!(made.len(), 200);
        for e in &made {
            let id = e.kind.patient_id().unwrap();
            let known = s.patients.iter().any(|p| p.id == id);
            assert!(known || id == "DT-WD7-PC1-0001", "unknown patient {id}");
            assert!(e.at >= now() - ENTRY_WINDOW && e.at < now());
        }
        assert!(made.windows(2).all(|w| w[0].at <= w[1].at), "times ascend");
        for e in &made {
            if let EntryKind::DoseGiven {
                order_id, patient_id, ..
            } = &e.kind
            {
                let order = s.orders.iter().find(|o| o.id == *order_id).unwrap();
                assert_eq!(&order.patient_id, patient_id, "the order is the patient's");
            }
        }
    }

    #[test]
    fn the_mix_is_a_wards_with_each_kind_and_no_dose_recorded_twice() {
        let s = site();
        let made = entries(&s, &options(1, 80));
        let count = |w: &str| made.iter().filter(|e| word(&e.kind) == w).count();
        for w in ["given", "obs", "note", "admission", "transfer", "discharge"] {
            assert!(
                count(w) >= 1,
                "no {w} in {:?}",
                made.iter().map(|e| word(&e.kind)).collect::<Vec<_>>()
            );
        }
        assert_eq!(count("admission") + count("transfer") + count("discharge"), 3);
        assert!(
            count("given") + count("obs") > made.len() / 2,
            "doses and observations lead"
        );
        // Across seeds every repeated kind turns up.
        let many: Vec<DemoEntry> = (1..6).flat_map(|seed| entries(&s, &options(seed, 80))).collect();
        for w in ["not given", "result"] {
            assert!(many.iter().any(|e| word(&e.kind) == w), "no {w}");
        }
        let mut doses: Vec<(String, DateTime<Utc>)> = made
            .iter()
            .filter_map(|e| match &e.kind {
                EntryKind::DoseGiven {
                    order_id, given_at, ..
                } => Some((order_id.clone(), *given_at)),
                _ => None,
            })
            .collect();
        let n = doses.len();
        doses.sort();
        doses.dedup_by(|a, b| a.0 == b.0 && (a.1 - b.1).abs() < TimeDelta::hours(1));
        assert_eq!(doses.len(), n, "one due dose is given once");
    }

    #[test]
    fn an_admission_has_a_temporary_identifier_and_no_nhs_number_and_a_free_bed() {
        let s = site();
        let made = entries(&s, &options(2, 40));
        let (patient, admission) = made
            .iter()
            .find_map(|e| match &e.kind {
                EntryKind::Admission { patient, admission } => Some((patient, admission)),
                _ => None,
            })
            .unwrap();
        assert_eq!(patient.id, "DT-WD7-PC1-0001");
        assert!(patient.nhs_number.is_none());
        let Some(bed) = admission.bed_id.as_deref() else {
            return; // awaiting a bed: no free one
        };
        assert!(
            !s.admissions.iter().any(|a| a.bed_id.as_deref() == Some(bed)),
            "the bed was free"
        );
    }

    #[test]
    fn a_dose_names_a_second_checker_exactly_where_the_form_asks_for_one() {
        let s = site();
        for e in entries(&s, &options(3, 400)) {
            if let EntryKind::DoseGiven {
                order_id, checked_by, ..
            } = &e.kind
            {
                let order = s.orders.iter().find(|o| &o.id == order_id).unwrap();
                let needs = lamplight_model::medication::second_check_reason(order).is_some();
                assert_eq!(checked_by.is_some(), needs, "{}", order.medicine.text);
            }
        }
    }
}

//! One synthetic patient and everything recorded about them in the last days: admission, allergies,
//! alerts, drug chart and its last 24 hours, observations and pending tests.

use std::collections::BTreeSet;

use chrono::{DateTime, NaiveTime, TimeDelta, Utc};
use lamplight_model::medication::is_time_critical_by_name;
use lamplight_model::{
    Administration, AdministrationOutcome, Admission, Alert, Allergy, Code, Concept, Consciousness, Dose,
    MedicationOrder, NhsNumber, ObservationSet, OmissionReason, OrderStatus, Oxygen, Patient, PendingTest,
    PersonName, Priority, Schedule, Sex, Site, Spo2Scale, Verification, time,
};

use crate::catalogue::{
    self, ANTI_EPILEPTIC, ANTIBIOTIC_IV, ANTIBIOTIC_NON_PENICILLIN, ANTIBIOTIC_ORAL, AlertTemplate,
    AllergyKind, INSULIN_BASAL, INSULIN_BOLUS, Medicine, NEBULISER, NURSES, ONCE_ONLY, PARKINSONS, PRN,
    Pattern, REGULAR, STEROID, Specialty, TESTS,
};
use crate::rng::Rng;

/// How unwell a patient is, which shapes their observations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    Stable,
    /// Deteriorating: latest NEWS2 of 7 or more.
    High,
    /// Deteriorating: latest NEWS2 of 5 or 6.
    Medium,
    /// COPD with a prescribed target of 88–92%: scored on SpO2 scale 2, on controlled oxygen.
    Copd,
}

/// Where a patient goes and how unwell they are.
#[derive(Debug)]
pub(crate) struct PatientPlan<'a> {
    pub ward_id: &'a str,
    pub specialty: &'a Specialty,
    pub bed_id: Option<String>,
    pub side_room: bool,
    pub role: Role,
    pub at: DateTime<Utc>,
}

/// The people made so far: keeps identifiers unique across the site.
#[derive(Debug, Default)]
pub(crate) struct People {
    count: usize,
    nhs_numbers: BTreeSet<NhsNumber>,
}

fn minutes(m: i64) -> TimeDelta {
    TimeDelta::minutes(m)
}

fn concept(system_code: (&str, &str), system: &str) -> Concept {
    Concept::coded(Code::new(system, system_code.0, system_code.1))
}

impl People {
    pub(crate) fn count(&self) -> usize {
        self.count
    }

    fn nhs_number(&mut self, rng: &mut Rng) -> NhsNumber {
        loop {
            let mut nine = [9u8; 9];
            for d in &mut nine[3..] {
                *d = u8::try_from(rng.below(10)).unwrap_or(0);
            }
            if let Some(n) = NhsNumber::from_first_nine(nine)
                && self.nhs_numbers.insert(n)
            {
                return n;
            }
        }
    }

    /// Makes one patient and their records, appending them to the site.
    pub(crate) fn admit(&mut self, plan: &PatientPlan<'_>, rng: &mut Rng, site: &mut Site) {
        self.count += 1;
        let seq = self.count;
        let at = plan.at;
        let today = time::london_date(at);

        // Who they are.
        let sex = if rng.chance(50) { Sex::Female } else { Sex::Male };
        let age = match (plan.role, rng.weighted(&[15, 25, 60])) {
            (Role::Copd, _) => rng.range(62, 86),
            (_, 0) => rng.range(19, 54),
            (_, 1) => rng.range(55, 74),
            _ => rng.range(75, 97),
        };
        let birth_date = today - TimeDelta::days(age * 365 + age / 4 + rng.range(0, 360));
        let first = if sex == Sex::Female {
            rng.pick(catalogue::FEMALE_GIVEN)
        } else {
            rng.pick(catalogue::MALE_GIVEN)
        };
        let mut given = vec![(*first).to_owned()];
        if rng.chance(25) {
            // A middle name of the same sex, and never the first name again.
            let middles = if sex == Sex::Female {
                catalogue::FEMALE_MIDDLE
            } else {
                catalogue::MALE_MIDDLE
            };
            let middle = *rng.pick(middles);
            if middle != *first {
                given.push(middle.to_owned());
            }
        }
        let prefix = match sex {
            Sex::Male => "Mr",
            _ if age > 60 && rng.chance(70) => "Mrs",
            _ if rng.chance(50) => "Ms",
            _ => "Miss",
        };
        let patient_id = format!("pt{seq:05}");
        site.patients.push(Patient {
            id: patient_id.clone(),
            nhs_number: Some(self.nhs_number(rng)),
            hospital_number: Some(format!(
                "LGH{:07}",
                4_000_000 + seq * 97 + usize::try_from(rng.below(97)).unwrap_or(0)
            )),
            name: PersonName {
                family: (*rng.pick(catalogue::FAMILY)).to_owned(),
                given,
                prefix: Some(prefix.to_owned()),
            },
            birth_date: Some(birth_date),
            sex,
        });

        // Why and since when they are here.
        let stay = match rng.weighted(&[15, 50, 35]) {
            0 => rng.range(90, 12 * 60),
            1 => rng.range(12 * 60, 5 * 24 * 60),
            _ => rng.range(5 * 24 * 60, 14 * 24 * 60),
        };
        let admitted_at = at - minutes(stay);
        let reason = if plan.role == Role::Copd {
            "Infective exacerbation of COPD"
        } else {
            rng.pick(plan.specialty.reasons)
        };
        site.admissions.push(Admission {
            id: format!("adm{seq:05}"),
            patient_id: patient_id.clone(),
            ward_id: Some(plan.ward_id.to_owned()),
            bed_id: plan.bed_id.clone(),
            admitted_at,
            consultant: Some((*rng.pick(&plan.specialty.consultants)).to_owned()),
            specialty: Some(plan.specialty.specialty.to_owned()),
            expected_discharge: rng.chance(80).then(|| today + TimeDelta::days(rng.range(0, 7))),
            reason: Some(reason.to_owned()),
        });

        let ctx = Ctx {
            patient_id: &patient_id,
            seq,
            at,
            admitted_at,
        };
        let allergy = allergies(&ctx, rng, site);
        alerts(&ctx, plan, age, rng, site);
        let on = medicines(plan, reason, allergy, rng);
        orders(&ctx, plan, &on, rng, site);
        observations(&ctx, plan.role, rng, site);
        tests(&ctx, plan.role, rng, site);
    }
}

struct Ctx<'a> {
    patient_id: &'a str,
    seq: usize,
    at: DateTime<Utc>,
    admitted_at: DateTime<Utc>,
}

impl Ctx<'_> {
    /// A moment `m` minutes after admission, never after the data's own time.
    fn after_admission(&self, m: i64) -> DateTime<Utc> {
        (self.admitted_at + minutes(m)).min(self.at - minutes(1))
    }
}

/// What the patient's allergy record says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum AllergyRecord {
    Penicillin,
    Other,
    NoneKnown,
    NotRecorded,
}

fn allergy(ctx: &Ctx<'_>, n: usize, kind: &AllergyKind) -> Allergy {
    Allergy {
        id: format!("alg{:05}-{n}", ctx.seq),
        patient_id: ctx.patient_id.to_owned(),
        substance: concept((kind.snomed, kind.substance), lamplight_model::code::SNOMED),
        category: Some(kind.category),
        criticality: Some(kind.criticality),
        verification: Verification::Confirmed,
        reactions: vec![kind.reaction.to_owned()],
        recorded_at: Some(ctx.after_admission(35)),
    }
}

fn allergies(ctx: &Ctx<'_>, rng: &mut Rng, site: &mut Site) -> AllergyRecord {
    let record = match rng.below(100) {
        0..=11 => AllergyRecord::Penicillin,
        12..=21 => AllergyRecord::Other,
        22..=84 => AllergyRecord::NoneKnown,
        _ => AllergyRecord::NotRecorded,
    };
    match record {
        AllergyRecord::Penicillin => {
            site.allergies.push(allergy(ctx, 1, &catalogue::PENICILLIN));
            if rng.chance(30) {
                site.allergies
                    .push(allergy(ctx, 2, rng.pick(catalogue::OTHER_ALLERGIES)));
            }
        }
        AllergyRecord::Other => site
            .allergies
            .push(allergy(ctx, 1, rng.pick(catalogue::OTHER_ALLERGIES))),
        AllergyRecord::NoneKnown => site.allergies.push(Allergy {
            id: format!("alg{:05}-1", ctx.seq),
            patient_id: ctx.patient_id.to_owned(),
            substance: concept(("716186003", "No known allergy"), lamplight_model::code::SNOMED),
            category: None,
            criticality: None,
            verification: Verification::Confirmed,
            reactions: Vec::new(),
            recorded_at: Some(ctx.after_admission(35)),
        }),
        AllergyRecord::NotRecorded => {}
    }
    record
}

/// An alert to raise: kind, text and SNOMED code.
type Raised = (
    lamplight_model::AlertKind,
    String,
    Option<(&'static str, &'static str)>,
);

fn alerts(ctx: &Ctx<'_>, plan: &PatientPlan<'_>, age: i64, rng: &mut Rng, site: &mut Site) {
    let mut raised: Vec<Raised> = Vec::new();
    let raise = |raised: &mut Vec<_>, t: &AlertTemplate| raised.push((t.kind, t.text.to_owned(), t.snomed));
    if age >= 80 && rng.chance(35) {
        let signed = time::date(time::london_date(ctx.after_admission(240)));
        raised.push((
            lamplight_model::AlertKind::Dnacpr,
            format!("DNACPR in place (signed {signed})"),
            Some(("304253006", "Not for resuscitation")),
        ));
    }
    if (age >= 75 && rng.chance(45)) || rng.chance(8) {
        raise(&mut raised, &catalogue::FALLS);
    }
    if age >= 78 && rng.chance(20) {
        raise(&mut raised, &catalogue::DEMENTIA);
    }
    if plan.side_room && rng.chance(55) {
        raise(
            &mut raised,
            if rng.chance(60) {
                &catalogue::MRSA
            } else {
                &catalogue::CDIFF
            },
        );
    }
    if age >= 75 && rng.chance(10) {
        raise(&mut raised, &catalogue::PRESSURE);
    }
    if rng.chance(3) {
        raise(&mut raised, &catalogue::SAFEGUARDING);
    }
    for (n, (kind, text, code)) in raised.into_iter().enumerate() {
        let codes = code.map(|(c, d)| vec![Code::snomed(c, d)]).unwrap_or_default();
        site.alerts.push(Alert {
            id: format!("flag{:05}-{}", ctx.seq, n + 1),
            patient_id: ctx.patient_id.to_owned(),
            kind,
            // The alert's text is the concept's text: what the EPR's flag says, with its code.
            concept: Concept {
                text: text.clone(),
                codes,
            },
            text,
            since: Some(ctx.after_admission(60 + 30 * i64::try_from(n).unwrap_or(0))),
        });
    }
}

/// The medicines on the chart: what most inpatients have, what their problem calls for, and a few
/// when-required and once-only ones. Never a penicillin for a penicillin-allergic patient.
fn medicines(
    plan: &PatientPlan<'_>,
    reason: &str,
    allergy: AllergyRecord,
    rng: &mut Rng,
) -> Vec<&'static Medicine> {
    let mut on: Vec<&'static Medicine> = Vec::new();
    let add = |m: &'static Medicine, on: &mut Vec<&'static Medicine>| {
        if !on.iter().any(|x| x.name == m.name) {
            on.push(m);
        }
    };
    let paracetamol_regular = rng.chance(50);
    if paracetamol_regular {
        add(&REGULAR[0], &mut on);
    }
    let anticoagulated = rng.chance(12);
    if anticoagulated {
        add(&REGULAR[14], &mut on);
    } else if rng.chance(65) {
        add(&REGULAR[1], &mut on);
    }
    for _ in 0..rng.range(0, 4) {
        let m = rng.pick(&REGULAR[2..]);
        if m.name.starts_with("Apixaban") && !anticoagulated {
            continue;
        }
        add(m, &mut on);
    }
    let lower = reason.to_lowercase();
    let infection = [
        "pneumonia",
        "infection",
        "copd",
        "cellulitis",
        "sepsis",
        "cholecystitis",
        "diverticulitis",
        "appendic",
    ]
    .iter()
    .any(|w| lower.contains(w));
    if infection || rng.chance(15) {
        let m = if allergy == AllergyRecord::Penicillin {
            rng.pick(ANTIBIOTIC_NON_PENICILLIN)
        } else if plan.specialty.surgical || rng.chance(60) {
            rng.pick(ANTIBIOTIC_IV)
        } else {
            rng.pick(ANTIBIOTIC_ORAL)
        };
        debug_assert!(!(m.penicillin && allergy == AllergyRecord::Penicillin));
        add(m, &mut on);
    }
    if plan.role == Role::Copd {
        add(&NEBULISER, &mut on);
        add(&STEROID, &mut on);
    }
    if rng.chance(7) {
        add(&PARKINSONS, &mut on);
    }
    if rng.chance(5) {
        add(&ANTI_EPILEPTIC, &mut on);
    }
    if rng.chance(7) {
        add(&INSULIN_BASAL, &mut on);
        add(&INSULIN_BOLUS, &mut on);
    }
    for _ in 0..rng.range(1, 3) {
        let m = rng.pick(PRN);
        if m.name.starts_with("Paracetamol") && paracetamol_regular {
            continue;
        }
        add(m, &mut on);
    }
    if rng.chance(15) {
        add(rng.pick(ONCE_ONLY), &mut on);
    }
    if on.len() < 2 {
        add(&PRN[2], &mut on);
        add(&REGULAR[5], &mut on);
    }
    on.truncate(12);
    on
}

fn hour(h: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, 0, 0).unwrap_or(NaiveTime::MIN)
}

fn orders(ctx: &Ctx<'_>, plan: &PatientPlan<'_>, on: &[&'static Medicine], rng: &mut Rng, site: &mut Site) {
    let at = ctx.at;
    for (k, m) in on.iter().enumerate() {
        let order_id = format!("rx{:05}-{:02}", ctx.seq, k + 1);
        let mut start = ctx.after_admission(rng.range(20, 180));
        let schedule = match m.pattern {
            Pattern::Regular(hours, frequency) => Schedule::Regular {
                times: hours.iter().map(|h| hour(*h)).collect(),
                frequency: frequency.to_owned(),
            },
            Pattern::Prn(indication, min, max) => Schedule::WhenRequired {
                indication: Some(indication.to_owned()),
                min_interval_minutes: Some(min),
                max_doses_per_24h: Some(max),
            },
            Pattern::Once => {
                let when = if rng.chance(50) {
                    (at - minutes(rng.range(60, 18 * 60))).max(start)
                } else {
                    at + minutes(rng.range(15, 150))
                };
                start = start.min(when);
                Schedule::OnceOnly { at: when }
            }
        };
        let stopped = matches!(m.pattern, Pattern::Regular(..)) && rng.chance(5);
        let end = stopped
            .then(|| at - minutes(rng.range(120, 20 * 60)))
            .filter(|e| *e > start);
        let order = MedicationOrder {
            id: order_id,
            patient_id: ctx.patient_id.to_owned(),
            medicine: concept((m.dmd, m.name), lamplight_model::code::DMD),
            dose: Dose {
                value: m.value.map(str::to_owned),
                unit: m.unit.map(str::to_owned),
                text: m.dose_text.to_owned(),
            },
            route: Some(concept(m.route, lamplight_model::code::SNOMED)),
            schedule,
            time_critical: is_time_critical_by_name(m.name),
            status: if end.is_some() {
                OrderStatus::Stopped
            } else {
                OrderStatus::Active
            },
            start,
            end,
            prescriber: Some((*rng.pick(catalogue::JUNIOR_DOCTORS)).to_owned()),
            indication: m.indication.map(str::to_owned),
            instructions: m.instructions.map(str::to_owned),
            further_dosage_lines: Vec::new(),
        };
        administrations(ctx, plan, &order, rng, site);
        site.orders.push(order);
    }
}

/// The last 24 hours of the chart: most doses given at or near their time, some omitted with a code,
/// and a few recent ones not yet recorded (they show as overdue).
fn administrations(
    ctx: &Ctx<'_>,
    plan: &PatientPlan<'_>,
    order: &MedicationOrder,
    rng: &mut Rng,
    site: &mut Site,
) {
    let at = ctx.at;
    let mut n = 0;
    let mut record =
        |when: DateTime<Utc>, outcome: AdministrationOutcome, note: Option<String>, rng: &mut Rng| {
            n += 1;
            site.administrations.push(Administration {
                id: format!("ma{}-{n:02}", &order.id[2..]),
                order_id: order.id.clone(),
                patient_id: ctx.patient_id.to_owned(),
                at: when,
                outcome,
                performer: Some((*rng.pick(NURSES)).to_owned()),
                note,
                entry: None,
                due: None,
            });
        };
    if let Schedule::WhenRequired {
        min_interval_minutes,
        max_doses_per_24h,
        ..
    } = &order.schedule
    {
        if rng.chance(50) {
            return;
        }
        let min = i64::from(min_interval_minutes.unwrap_or(240));
        let max = max_doses_per_24h.unwrap_or(4).min(3);
        let mut t = (at - TimeDelta::hours(24) + minutes(rng.range(0, 600))).max(order.start + minutes(10));
        let mut given = 0;
        while t < at - minutes(10) && given < max {
            record(
                t,
                AdministrationOutcome::Given {
                    dose: Some(order.dose.text.clone()),
                },
                None,
                rng,
            );
            given += 1;
            t += minutes(min + rng.range(30, 360));
        }
        return;
    }
    for due in order.due_between(at - TimeDelta::hours(24), at) {
        let age = at - due;
        let unrecorded = if age < minutes(30) {
            rng.chance(55)
        } else if age < TimeDelta::hours(2) {
            rng.chance(8)
        } else {
            false
        };
        if unrecorded {
            continue;
        }
        let omit = rng.chance(if plan.specialty.surgical { 10 } else { 7 });
        if omit {
            let nbm = if plan.specialty.surgical { 25 } else { 4 };
            let reason = [
                OmissionReason::Refused,
                OmissionReason::NilByMouth,
                OmissionReason::Unavailable,
                OmissionReason::AwayFromWard,
                OmissionReason::Withheld,
                OmissionReason::UnableToTake,
                OmissionReason::Other,
            ][rng.weighted(&[30, nbm, 8, 8, 20, 6, 6])];
            let note = match reason {
                OmissionReason::Refused => Some((*rng.pick(catalogue::REFUSED_NOTES)).to_owned()),
                OmissionReason::NilByMouth => Some("Nil by mouth for theatre".to_owned()),
                OmissionReason::Unavailable => Some("Not stocked on ward: pharmacy contacted".to_owned()),
                OmissionReason::AwayFromWard => Some("In radiology".to_owned()),
                OmissionReason::Withheld => Some((*rng.pick(catalogue::WITHHELD_NOTES)).to_owned()),
                OmissionReason::Other => Some((*rng.pick(catalogue::OTHER_NOTES)).to_owned()),
                _ => None,
            };
            let when = (due + minutes(rng.range(0, 30))).min(at);
            record(when, AdministrationOutcome::NotGiven { reason }, note, rng);
        } else {
            let when = (due + minutes(rng.range(-15, 40))).min(at).max(order.start);
            record(
                when,
                AdministrationOutcome::Given {
                    dose: Some(order.dose.text.clone()),
                },
                None,
                rng,
            );
        }
    }
}

/// A patient's usual values, and where a deteriorating patient is heading.
#[derive(Debug, Clone, Copy)]
struct Vitals {
    rr: i64,
    spo2: i64,
    sbp: i64,
    dbp: i64,
    pulse: i64,
    /// Tenths of a degree Celsius.
    temp: i64,
}

#[allow(
    clippy::too_many_lines,
    reason = "one set of vital signs read top to bottom, as charted"
)]
fn observations(ctx: &Ctx<'_>, role: Role, rng: &mut Rng, site: &mut Site) {
    let at = ctx.at;
    let base = Vitals {
        rr: rng.range(14, 18),
        spo2: if role == Role::Copd {
            rng.range(88, 91)
        } else {
            rng.range(95, 99)
        },
        sbp: rng.range(114, 150),
        dbp: rng.range(60, 84),
        pulse: rng.range(62, 88),
        temp: rng.range(362, 373),
    };
    let target = match role {
        Role::High => Vitals {
            rr: 23,
            spo2: 93,
            sbp: 104,
            dbp: 58,
            pulse: 112,
            temp: 384,
        },
        Role::Medium => Vitals {
            rr: 22,
            spo2: 95,
            sbp: 108,
            dbp: 62,
            pulse: 102,
            temp: 383,
        },
        _ => base,
    };
    // Taken about four-hourly; hourly for the last few hours when someone is going off.
    let mut times = Vec::new();
    let mut t = if matches!(role, Role::High | Role::Medium) {
        at - minutes(rng.range(5, 35))
    } else {
        at - minutes(rng.range(20, 220))
    };
    let earliest = (at - TimeDelta::hours(24)).max(ctx.admitted_at + minutes(10));
    let mut k = 0;
    while t >= earliest || times.is_empty() {
        times.push(t.max(ctx.admitted_at + minutes(5)).min(at));
        let gap = if matches!(role, Role::High | Role::Medium) && k < 3 {
            60
        } else {
            240
        };
        t -= minutes(gap + rng.range(-25, 25));
        k += 1;
        if times.len() > 12 {
            break;
        }
    }
    times.reverse();
    let steps = i64::try_from(times.len().min(5)).unwrap_or(1);
    for (i, taken_at) in times.iter().enumerate() {
        let from_last = i64::try_from(times.len() - 1 - i).unwrap_or(0);
        let latest = from_last == 0;
        // 0 for older sets, rising to `steps` at the latest: a trend a nurse would see on the chart.
        let f = (steps - from_last).max(0);
        let towards = |b: i64, t: i64| b + (t - b) * f / steps;
        let noise = |rng: &mut Rng, n: i64| {
            if latest && role != Role::Stable {
                0
            } else {
                rng.range(-n, n)
            }
        };
        let deteriorating = matches!(role, Role::High | Role::Medium);
        let rr = towards(base.rr, target.rr) + noise(rng, 1);
        let spo2 = (towards(base.spo2, target.spo2) + noise(rng, 1)).min(100);
        let oxygen = match role {
            Role::Copd => Oxygen::Supplemental {
                litres_per_minute: Some(4.0),
                device: Some("Venturi 28%".to_owned()),
            },
            Role::High if from_last <= 1 => Oxygen::Supplemental {
                litres_per_minute: Some(2.0),
                device: Some("Nasal cannula".to_owned()),
            },
            _ => Oxygen::Air,
        };
        let temp = towards(base.temp, target.temp) + noise(rng, 2);
        let consciousness = if deteriorating && latest && role == Role::High && rng.chance(30) {
            Consciousness::NewConfusion
        } else {
            Consciousness::Alert
        };
        let to_u16 = |v: i64| u16::try_from(v).unwrap_or(0);
        site.observations.push(ObservationSet {
            id: format!("obs{:05}-{:02}", ctx.seq, i + 1),
            patient_id: ctx.patient_id.to_owned(),
            taken_at: *taken_at,
            respiration_rate: Some(to_u16(rr)),
            spo2: Some(u8::try_from(spo2).unwrap_or(0)),
            spo2_scale: if role == Role::Copd {
                Spo2Scale::Scale2
            } else {
                Spo2Scale::Scale1
            },
            oxygen: Some(oxygen),
            systolic_bp: Some(to_u16(towards(base.sbp, target.sbp) + noise(rng, 8))),
            diastolic_bp: Some(to_u16(towards(base.dbp, target.dbp) + noise(rng, 5))),
            pulse: Some(to_u16(towards(base.pulse, target.pulse) + noise(rng, 5))),
            consciousness: Some(consciousness),
            // Whole tenths divided once: the nearest double to the charted value, exact in JSON.
            #[allow(clippy::cast_precision_loss, reason = "tenths of a degree are small integers")]
            temperature_c: Some(temp as f64 / 10.0),
            recorded_by: Some((*rng.pick(NURSES)).to_owned()),
            entry: None,
        });
    }
}

fn tests(ctx: &Ctx<'_>, role: Role, rng: &mut Rng, site: &mut Site) {
    let mut chosen: Vec<usize> = Vec::new();
    if matches!(role, Role::High | Role::Medium) {
        chosen.extend([4, 8]); // blood cultures, chest X-ray
    }
    let count = rng.weighted(&[15, 30, 30, 15, 10]);
    for _ in 0..count {
        let i = usize::try_from(rng.below(TESTS.len() as u64)).unwrap_or(0);
        if !chosen.contains(&i) {
            chosen.push(i);
        }
    }
    for (n, i) in chosen.into_iter().enumerate() {
        let t = &TESTS[i];
        let urgent = matches!(role, Role::High | Role::Medium) && n < 2;
        let priority = if urgent {
            if role == Role::High {
                Priority::Stat
            } else {
                Priority::Urgent
            }
        } else {
            [
                Priority::Routine,
                Priority::Urgent,
                Priority::Asap,
                Priority::Stat,
            ][rng.weighted(&[60, 25, 10, 5])]
        };
        let test = match t.snomed {
            Some(code) => Concept::coded(Code::snomed(code, t.name)),
            None => Concept::text(t.name),
        };
        let requested_at = if urgent {
            ctx.at - minutes(rng.range(5, 40))
        } else {
            (ctx.at - minutes(rng.range(30, 20 * 60)))
                .max(ctx.admitted_at + minutes(15))
                .min(ctx.at)
        };
        site.tests.push(PendingTest {
            id: format!("sr{:05}-{:02}", ctx.seq, n + 1),
            patient_id: ctx.patient_id.to_owned(),
            test,
            category: t.category,
            priority,
            requested_at,
            requested_by: Some((*rng.pick(catalogue::JUNIOR_DOCTORS)).to_owned()),
            note: if rng.chance(50) {
                t.note.map(str::to_owned)
            } else {
                None
            },
        });
    }
}

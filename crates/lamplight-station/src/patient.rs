//! Everything about one patient, allergies first.

use chrono::{DateTime, Utc};
use lamplight_model::clinical::allergy_status;
use lamplight_model::time;
use lamplight_model::{
    Administration, MedicationOrder, ObservationSet, OrderStatus, Oxygen, Schedule, Verification,
};
use lamplight_model::{Entry, EntryKind};

use crate::chart::{Chart, OVERDUE_BEHIND, age_years, news2_summary};
use crate::status::status;
use crate::view::{
    AdmissionLine, AllergyLine, DowntimeEntryLine, Location, MedicineLine, ObservationLine, PatientIdentity,
    PatientView,
};
use crate::wording::administration_words;
use crate::{StationError, WardData};

fn schedule_text(order: &MedicationOrder) -> String {
    match &order.schedule {
        Schedule::Regular { times, frequency } => {
            let times: Vec<String> = times.iter().map(|t| t.format("%H:%M").to_string()).collect();
            if times.is_empty() {
                frequency.clone()
            } else {
                times.join(", ")
            }
        }
        Schedule::WhenRequired {
            indication,
            min_interval_minutes,
            max_doses_per_24h,
        } => {
            let mut parts = vec![match indication {
                Some(i) => format!("PRN for {i}"),
                None => "PRN".to_owned(),
            }];
            parts.extend(crate::wording::prn_limits(
                *min_interval_minutes,
                *max_doses_per_24h,
            ));
            parts.join("; ")
        }
        Schedule::OnceOnly { at } => format!("Once at {}", time::clinical(*at)),
    }
}

fn administration_text(a: &Administration) -> String {
    administration_words(a, &time::clinical(a.at))
}

fn oxygen_text(o: &Oxygen) -> String {
    match o {
        Oxygen::Air => "Air".to_owned(),
        Oxygen::Supplemental {
            litres_per_minute,
            device,
        } => {
            let mut parts = vec!["O2".to_owned()];
            parts.extend(litres_per_minute.map(|l| format!("{l} L/min")));
            parts.extend(device.clone());
            parts.join(" ")
        }
    }
}

/// Every order, active regular first, then once-only, when-required, and the rest.
fn medicine_lines(chart: &Chart<'_>, now: DateTime<Utc>) -> Vec<MedicineLine> {
    let mut orders = chart.orders.clone();
    let rank = |o: &MedicationOrder| {
        let status = u8::from(o.status != OrderStatus::Active);
        let kind = match o.schedule {
            Schedule::Regular { .. } => 0,
            Schedule::OnceOnly { .. } => 1,
            Schedule::WhenRequired { .. } => 2,
        };
        (status, kind, o.medicine.text.clone())
    };
    orders.sort_by_key(|o| rank(o));
    orders
        .iter()
        .map(|o| {
            let last = chart.administrations_of(&o.id).filter(|a| a.at <= now).last();
            let next_due = if o.status == OrderStatus::Active {
                o.next_due(now)
            } else {
                None
            };
            let overdue = o.status == OrderStatus::Active
                && o.due_between(now - OVERDUE_BEHIND, now)
                    .iter()
                    .any(|at| !chart.covered(o, *at));
            MedicineLine {
                order_id: o.id.clone(),
                medicine: o.medicine.text.clone(),
                dose: o.dose.text.clone(),
                route: o.route.as_ref().map(|r| r.text.clone()),
                schedule_label: o.schedule.label().to_owned(),
                schedule_text: schedule_text(o),
                time_critical: o.time_critical,
                status: o.status,
                indication: o.indication.clone(),
                instructions: o.instructions.clone(),
                further_dosage_lines: o.further_dosage_lines.clone(),
                last_administration_text: last.map(|a| administration_text(a)),
                next_due_at: next_due,
                next_due_text: next_due.map(time::clinical),
                overdue,
            }
        })
        .collect()
}

fn observation_line(o: &ObservationSet, now: DateTime<Utc>) -> ObservationLine {
    ObservationLine {
        taken_at: o.taken_at,
        taken_at_text: time::clinical(o.taken_at),
        respiration_rate: o.respiration_rate,
        spo2: o.spo2,
        oxygen_text: o.oxygen.as_ref().map(oxygen_text),
        blood_pressure_text: o.systolic_bp.map(|s| match o.diastolic_bp {
            Some(d) => format!("{s}/{d}"),
            None => s.to_string(),
        }),
        pulse: o.pulse,
        consciousness: o.consciousness.map(|c| c.letter().to_string()),
        temperature_text: o
            .temperature_c
            .map(lamplight_model::observation::temperature_text),
        news2: news2_summary(o, now),
    }
}

pub(crate) fn patient(
    station: &WardData,
    patient_id: &str,
    now: DateTime<Utc>,
) -> Result<PatientView, StationError> {
    let site = &station.site;
    let patient =
        site.patients
            .iter()
            .find(|p| p.id == patient_id)
            .ok_or_else(|| StationError::NotFound {
                what: "patient",
                id: patient_id.to_owned(),
            })?;
    let chart = Chart::of(site, patient);
    let admission = site.admissions.iter().find(|a| a.patient_id == patient.id);
    let ward = admission
        .and_then(|a| a.ward_id.as_deref())
        .and_then(|id| site.wards.iter().find(|w| w.id == id));
    let bay_bed = admission
        .and_then(|a| a.bed_id.as_deref())
        .and_then(|bed_id| ward.and_then(|w| w.beds().find(|(_, b)| b.id == bed_id)));

    let today = time::london_date(now);
    let admission_line = admission.map(|a| AdmissionLine {
        admitted_at_text: time::clinical(a.admitted_at),
        length_of_stay_text: format!(
            "Day {}",
            (today - time::london_date(a.admitted_at)).num_days() + 1
        ),
        consultant: a.consultant.clone(),
        specialty: a.specialty.clone(),
        expected_discharge_text: a.expected_discharge.map(time::date),
        reason: a.reason.clone(),
    });

    let medicines = medicine_lines(&chart, now);
    let observations = chart
        .observations
        .iter()
        .map(|o| observation_line(o, now))
        .collect();

    let weight_text = site
        .weights
        .iter()
        .filter(|w| w.patient_id == patient.id && w.taken_at <= now)
        .max_by_key(|w| w.taken_at)
        .map(|w| {
            format!(
                "{}, weighed {}",
                lamplight_model::observation::weight_text(w.kilograms),
                time::clinical(w.taken_at)
            )
        });
    Ok(PatientView {
        downtime_entries: downtime_entries(site, &station.entries, &patient.id),
        weight_text,
        status: status(station, now),
        identity: PatientIdentity {
            patient_id: patient.id.clone(),
            name: patient.name.clinical(),
            nhs_number: patient.nhs_number.map(|n| n.to_string()),
            hospital_number: patient.hospital_number.clone(),
            birth_date_text: patient.birth_date.map(time::date),
            age_years: age_years(patient, now),
            sex: patient.sex,
        },
        location: Location {
            ward_id: ward.map(|w| w.id.clone()),
            ward_name: ward.map(|w| w.name.clone()),
            bay_name: bay_bed.map(|(bay, _)| bay.name.clone()),
            bed_label: bay_bed.map(|(_, bed)| bed.label.clone()),
        },
        admission: admission_line,
        allergy_status: allergy_status(chart.allergies.iter().copied()),
        allergies: chart
            .current_allergies()
            .iter()
            .map(|a| AllergyLine {
                substance: a.substance.text.clone(),
                reactions: a.reactions.clone(),
                criticality: a.criticality,
                verification_text: match a.verification {
                    Verification::Confirmed => "Confirmed",
                    Verification::Unconfirmed => "Unconfirmed",
                    Verification::Refuted => "Refuted",
                    Verification::EnteredInError => "Entered in error",
                }
                .to_owned(),
            })
            .collect(),
        alerts: chart.alert_badges(),
        medicines,
        pending_tests: chart.pending_tests(),
        observations,
    })
}

/// The patient's downtime entries, newest first, each in words (see [`DowntimeEntryLine`]).
fn downtime_entries(
    site: &lamplight_model::Site,
    entries: &[Entry],
    patient_id: &str,
) -> Vec<DowntimeEntryLine> {
    let mut out: Vec<DowntimeEntryLine> = entries
        .iter()
        .filter(|e| e.kind.patient_id() == Some(patient_id))
        .map(|e| {
            let (kind, label, text) = entry_words(site, &e.kind);
            let superseded = entries
                .iter()
                .find(|c| c.corrects.as_deref() == Some(e.id.as_str()))
                .map(|c| match &c.kind {
                    EntryKind::EnteredInError { reason } => format!("Withdrawn: entered in error ({reason})"),
                    _ => "Replaced by a correction".to_owned(),
                });
            DowntimeEntryLine {
                entry_id: e.id.clone(),
                kind: kind.to_owned(),
                label: label.to_owned(),
                text,
                recorded_at: e.recorded_at,
                recorded_text: format!(
                    "Recorded {} by {} on {}, downtime entry{}",
                    time::clinical(e.recorded_at),
                    e.recorded_by,
                    e.pc,
                    if e.drill { " (DRILL)" } else { "" }
                ),
                drill: e.drill,
                superseded,
            }
        })
        .collect();
    out.sort_by(|a, b| {
        b.recorded_at
            .cmp(&a.recorded_at)
            .then_with(|| b.entry_id.cmp(&a.entry_id))
    });
    out
}

/// An entry's kind, its label and its words.
#[allow(
    clippy::too_many_lines,
    reason = "one short arm per kind of entry, read together"
)]
pub(crate) fn entry_words(
    site: &lamplight_model::Site,
    kind: &EntryKind,
) -> (&'static str, &'static str, String) {
    let medicine = |order_id: &str| {
        site.orders
            .iter()
            .find(|o| o.id == order_id)
            .map_or_else(|| "a medicine".to_owned(), |o| o.medicine.text.clone())
    };
    let place = |ward_id: &str, bed_id: Option<&str>| {
        let ward = site.wards.iter().find(|w| w.id == ward_id);
        let bed = bed_id.and_then(|b| ward.and_then(|w| w.beds().find(|(_, x)| x.id == b)));
        match (ward, bed) {
            (Some(w), Some((_, b))) => format!("{} bed {}", w.name, b.label),
            (Some(w), None) => format!("{}, no bed yet", w.name),
            (None, _) => "another ward".to_owned(),
        }
    };
    match kind {
        EntryKind::DoseGiven {
            order_id,
            given_at,
            dose,
            given_by,
            checked_by,
            ..
        } => (
            "dose_given",
            "Dose given",
            format!(
                "{} {dose} given {} by {given_by}{}",
                medicine(order_id),
                time::clock(*given_at),
                checked_by
                    .as_ref()
                    .map(|c| format!(", checked by {c}"))
                    .unwrap_or_default()
            ),
        ),
        EntryKind::DoseNotGiven {
            order_id,
            due_at,
            reason,
            note,
            ..
        } => (
            "dose_not_given",
            "Dose not given",
            format!(
                "{} due {} not given ({}: {}{})",
                medicine(order_id),
                time::clock(*due_at),
                reason.code(),
                reason.label(),
                note.as_ref().map(|n| format!(": {n}")).unwrap_or_default()
            ),
        ),
        EntryKind::Observations { set } => {
            let n = set.news2();
            (
                "observations",
                "Observations",
                format!(
                    "Taken {}: NEWS2 {}{} ({})",
                    time::clock(set.taken_at),
                    n.total,
                    if n.is_complete() { "" } else { ", incomplete" },
                    n.risk.response()
                ),
            )
        }
        EntryKind::Admission { patient, admission } => (
            "admission",
            "Admitted during downtime",
            format!(
                "Admitted as {} to {}",
                patient.id,
                admission
                    .ward_id
                    .as_deref()
                    .map_or_else(|| "no ward".to_owned(), |w| place(w, admission.bed_id.as_deref()))
            ),
        ),
        EntryKind::Transfer { ward_id, bed_id, .. } => (
            "transfer",
            "Moved",
            format!("Moved to {}", place(ward_id, bed_id.as_deref())),
        ),
        EntryKind::Discharge { at, destination, .. } => (
            "discharge",
            "Discharged",
            format!(
                "Discharged {}{}",
                time::clinical(*at),
                destination
                    .as_ref()
                    .map(|d| format!(" to {d}"))
                    .unwrap_or_default()
            ),
        ),
        EntryKind::Note { text, .. } => ("note", "Nursing note", text.clone()),
        EntryKind::PhonedResult {
            test, value, caller, ..
        } => (
            "phoned_result",
            "Result phoned through",
            format!("{test}: {value}, phoned by {caller}; read back and confirmed"),
        ),
        EntryKind::EnteredInError { reason } => ("entered_in_error", "Withdrawn", reason.clone()),
    }
}

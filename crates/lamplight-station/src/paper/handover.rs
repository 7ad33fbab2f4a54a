//! The SBAR handover sheet: one block per bed, or one patient.

use chrono::{DateTime, TimeDelta, Utc};
use lamplight_model::time;
use lamplight_model::{Admission, MedicationOrder, ObservationSet, OrderStatus, Oxygen, Placement};
use lamplight_print::{Cell, Handover, HandoverBed, HandoverPatient, Stamp};

use super::index::{Index, Records, cell_for, location};
use super::{HANDOVER_DUE_AHEAD, PrintOptions, dose_route, paper_time};
use crate::wording::NO_BED_RECORDED;
use crate::{StationError, WardData};

impl WardData {
    pub(crate) fn handover(
        &self,
        index: &Index<'_>,
        options: &PrintOptions,
        stamp: Stamp,
        now: DateTime<Utc>,
    ) -> Result<Handover, StationError> {
        if let Some(key) = &options.patient {
            let p = self.find_patient(key)?;
            let r = index.records(p);
            let banner = index.banner(&r, now);
            return Ok(Handover {
                stamp,
                ward: banner.ward.clone(),
                beds: vec![HandoverBed {
                    bed: location(&r),
                    empty_status: None,
                    patient: Some(handover_patient(
                        index,
                        &r,
                        &downtime_lines(&self.entries, &p.id),
                        now,
                    )),
                }],
                patient: Some(banner),
            });
        }
        let ward = self.require_ward(options)?;
        let mut beds = Vec::new();
        let patient_bed = |a: &Admission, label: String| {
            let patient = index.patients.get(a.patient_id.as_str()).map(|p| {
                let r = index.records(p);
                handover_patient(index, &r, &downtime_lines(&self.entries, &p.id), now)
            });
            HandoverBed {
                bed: label,
                empty_status: patient
                    .is_none()
                    .then(|| "Patient record missing: check the EPR or paper".to_owned()),
                patient,
            }
        };
        for place in ward.places(&self.site().admissions) {
            match place {
                Placement::Bed { bay, bed, admissions } => {
                    let label = format!("{} ({})", bed.label, bay.name);
                    if admissions.is_empty() {
                        let status = match bed.status {
                            lamplight_model::BedStatus::Open => "Empty".to_owned(),
                            other => format!("Empty, {}", other.label().to_lowercase()),
                        };
                        beds.push(HandoverBed {
                            bed: label.clone(),
                            empty_status: Some(status),
                            patient: None,
                        });
                    }
                    beds.extend(admissions.iter().map(|a| patient_bed(a, label.clone())));
                }
                Placement::NoBed(a) => beds.push(patient_bed(a, NO_BED_RECORDED.to_owned())),
            }
        }
        Ok(Handover {
            stamp,
            ward: ward.name.clone(),
            patient: None,
            beds,
        })
    }
}

/// What was noted and phoned through for a patient during downtime, for the handover's assessment:
/// Lamplight's own record, not yet in the EPR, so the next shift reads it on paper too.
pub(crate) fn downtime_lines(entries: &[lamplight_model::Entry], patient_id: &str) -> Vec<String> {
    lamplight_model::entry::standing(entries)
        .into_iter()
        .filter(|e| e.kind.patient_id() == Some(patient_id))
        .filter_map(|e| match &e.kind {
            lamplight_model::EntryKind::Note { text, .. } => Some(format!(
                "Note {} by {} (downtime entry): {text}",
                paper_time(e.recorded_at),
                e.recorded_by
            )),
            lamplight_model::EntryKind::PhonedResult {
                test, value, caller, ..
            } => Some(format!(
                "Result phoned through {}: {test} {value}, from {caller}, read back and confirmed; taken by {} (downtime entry)",
                paper_time(e.recorded_at),
                e.recorded_by
            )),
            _ => None,
        })
        .collect()
}

pub(crate) fn handover_patient(
    index: &Index<'_>,
    r: &Records<'_>,
    downtime: &[String],
    now: DateTime<Utc>,
) -> HandoverPatient {
    let p = r.patient;
    let age = p.birth_date.map(|d| time::age_years(d, time::london_date(now)));
    let sex = p.sex.label().chars().next().unwrap_or('U');
    let latest = r.observations.last().copied();
    let news = latest.map(ObservationSet::news2);
    let alerts: Vec<String> = index
        .alerts
        .get(p.id.as_str())
        .map(|list| {
            list.iter()
                .map(|a| format!("{}: {}", a.kind.badge(), a.text))
                .collect()
        })
        .unwrap_or_default();

    let mut situation = Vec::new();
    let mut background = Vec::new();
    if let Some(a) = r.admission {
        situation.push(format!(
            "Admitted with: {}",
            a.reason.as_deref().unwrap_or("reason not recorded")
        ));
        let day = (time::london_date(now) - time::london_date(a.admitted_at)).num_days() + 1;
        let who = match (&a.consultant, &a.specialty) {
            (Some(c), Some(s)) => format!(" under {c} ({s})"),
            (Some(c), None) => format!(" under {c}"),
            (None, Some(s)) => format!(" ({s})"),
            (None, None) => String::new(),
        };
        background.push(format!(
            "Admitted {}{who}; day {day} of stay",
            paper_time(a.admitted_at)
        ));
        if let Some(edd) = a.expected_discharge {
            background.push(format!("Expected discharge {}", time::date(edd)));
        }
    }
    let active: Vec<&&MedicationOrder> = r.orders.iter().filter(|o| o.in_force(now)).collect();
    let critical: Vec<&str> = active
        .iter()
        .filter(|o| o.time_critical)
        .map(|o| o.medicine.text.as_str())
        .collect();
    background.push(format!(
        "{} active medicine(s){}",
        active.len(),
        if critical.is_empty() {
            String::new()
        } else {
            format!("; time-critical: {}", critical.join(", "))
        }
    ));

    let mut assessment = Vec::new();
    match (latest, &news) {
        (Some(o), Some(n)) => {
            let mut line = format!(
                "NEWS2 {}{} at {} ({}): {}",
                n.total,
                if n.is_complete() { "" } else { "+ (incomplete)" },
                paper_time(o.taken_at),
                time::age_words(o.taken_at, now),
                n.risk.response()
            );
            if !n.is_complete() {
                let missing: Vec<&str> = n.missing.iter().map(|m| m.label()).collect();
                line = format!("{line}; not recorded: {}", missing.join(", "));
            }
            assessment.push(line);
            assessment.push(obs_summary(o));
        }
        _ => assessment.push("No observations recorded: take a full set".to_owned()),
    }
    assessment.extend(downtime.iter().cloned());

    let recommendation = recommendation(index, r, news.as_ref(), now);

    HandoverPatient {
        name: p.name.clinical(),
        nhs_number: p
            .nhs_number
            .map_or_else(|| "NHS number not known".to_owned(), |n| format!("NHS {n}")),
        age_sex: match age {
            Some(a) => format!("{a} y {sex}"),
            None => sex.to_string(),
        },
        news2: news.map(|n| format!("NEWS2 {}{}", n.total, if n.is_complete() { "" } else { "+" })),
        alerts,
        allergies: index.allergy_line(&p.id),
        situation,
        background,
        assessment,
        recommendation,
    }
}

/// What the next shift must do: medicines due (or overdue), tests awaited, how often to observe.
pub(crate) fn recommendation(
    index: &Index<'_>,
    r: &Records<'_>,
    news: Option<&lamplight_model::News2>,
    now: DateTime<Utc>,
) -> Vec<String> {
    let p = r.patient;
    let mut recommendation = Vec::new();
    let mut due: Vec<(DateTime<Utc>, &MedicationOrder)> = Vec::new();
    for o in r.orders.iter().filter(|o| o.status == OrderStatus::Active) {
        for at in o.due_between(now - TimeDelta::hours(2), now + HANDOVER_DUE_AHEAD) {
            if matches!(cell_for(r, o, at), Cell::Due) {
                due.push((at, o));
            }
        }
    }
    due.sort_by(|a, b| {
        a.0.cmp(&b.0)
            .then_with(|| a.1.medicine.text.cmp(&b.1.medicine.text))
    });
    for (at, o) in due {
        let mut line = format!("{} {} {}", time::clock(at), o.medicine.text, dose_route(o));
        if at < now {
            line = format!("OVERDUE {line}");
        }
        if o.time_critical {
            line.push_str(" (time-critical)");
        }
        recommendation.push(format!("Due: {line}"));
    }
    for t in index.site.tests.iter().filter(|t| t.patient_id == p.id) {
        recommendation.push(format!(
            "Pending: {} ({}, requested {})",
            t.test.text,
            t.priority.label(),
            paper_time(t.requested_at)
        ));
    }
    if let Some(n) = news {
        recommendation.push(format!("Observations {}", n.monitoring()));
    }
    recommendation
}

pub(crate) fn obs_summary(o: &ObservationSet) -> String {
    let mut parts = Vec::new();
    if let Some(v) = o.respiration_rate {
        parts.push(format!("RR {v}"));
    }
    if let Some(v) = o.spo2 {
        parts.push(format!("SpO2 {v}%"));
    }
    match &o.oxygen {
        Some(Oxygen::Air) => parts.push("air".to_owned()),
        Some(Oxygen::Supplemental {
            litres_per_minute,
            device,
        }) => {
            let mut t = "O2".to_owned();
            if let Some(l) = litres_per_minute {
                t = format!("{t} {l} L/min");
            }
            if let Some(d) = device {
                t = format!("{t} {d}");
            }
            parts.push(t);
        }
        None => {}
    }
    if let Some(s) = o.systolic_bp {
        parts.push(match o.diastolic_bp {
            Some(d) => format!("BP {s}/{d}"),
            None => format!("BP {s}"),
        });
    }
    if let Some(v) = o.pulse {
        parts.push(format!("P {v}"));
    }
    if let Some(c) = o.consciousness {
        parts.push(c.letter().to_string());
    }
    if let Some(t) = o.temperature_c {
        parts.push(format!("T {}", lamplight_model::observation::temperature_text(t)));
    }
    parts.join(", ")
}

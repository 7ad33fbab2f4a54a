//! The drug chart: regular medicines on a time grid, once-only and when-required below.

use chrono::{DateTime, TimeDelta, Utc};
use lamplight_model::time;
use lamplight_model::{MedicationOrder, OrderStatus, Patient, Schedule};
use lamplight_print::{
    Cell, DrugChart, GridColumn, OnceOnlyMedicine, RegularMedicine, Stamp, WhenRequiredMedicine,
};

use super::index::{Index, Records, cell_for};
use super::{GRID_HOURS, administration_line, dose_route, omission_codes, paper_time, schedule_rules};

pub(crate) fn drug_chart(index: &Index<'_>, p: &Patient, stamp: Stamp, now: DateTime<Utc>) -> DrugChart {
    let r = index.records(p);
    let end = now + TimeDelta::hours(GRID_HOURS);
    let in_chart = |o: &&&MedicationOrder| {
        o.status == OrderStatus::Active && o.start < end && o.end.is_none_or(|e| e > now)
    };
    let mut regular: Vec<&MedicationOrder> = r
        .orders
        .iter()
        .filter(in_chart)
        .filter(|o| matches!(o.schedule, Schedule::Regular { .. }))
        .copied()
        .collect();
    regular.sort_by(|a, b| {
        b.time_critical
            .cmp(&a.time_critical)
            .then_with(|| a.medicine.text.cmp(&b.medicine.text))
    });
    let dues: Vec<Vec<DateTime<Utc>>> = regular.iter().map(|o| o.due_between(now, end)).collect();
    let mut instants: Vec<DateTime<Utc>> = dues.iter().flatten().copied().collect();
    instants.sort_unstable();
    instants.dedup();
    let columns = instants
        .iter()
        .map(|at| GridColumn {
            day: time::london(*at).format("%a %d/%m").to_string(),
            time: time::clock(*at),
        })
        .collect();
    let last_of = |o: &MedicationOrder| {
        r.administrations
            .iter()
            .rfind(|a| a.order_id == o.id && a.at <= now)
            .map(|a| administration_line(a))
    };
    let regular_lines = regular
        .iter()
        .zip(&dues)
        .map(|(o, due)| {
            let mut details = vec![format!("Start {}", time::date(time::london_date(o.start)))];
            details.extend(o.prescriber.clone());
            details.extend(o.indication.as_ref().map(|i| format!("for {i}")));
            details.extend(o.instructions.clone());
            RegularMedicine {
                medicine: o.medicine.text.clone(),
                dose_route: dose_route(o),
                times: schedule_rules(o),
                time_critical: o.time_critical,
                details: details.join("  ·  "),
                further_instructions: o.further_dosage_lines.clone(),
                last_given: last_of(o),
                cells: instants
                    .iter()
                    .map(|at| {
                        if due.contains(at) {
                            cell_for(&r, o, *at)
                        } else {
                            Cell::NotDue
                        }
                    })
                    .collect(),
            }
        })
        .collect();
    let once_only = once_only(&r);
    let mut when_required: Vec<WhenRequiredMedicine> = r
        .orders
        .iter()
        .filter(in_chart)
        .filter(|o| matches!(o.schedule, Schedule::WhenRequired { .. }))
        .map(|o| WhenRequiredMedicine {
            medicine: o.medicine.text.clone(),
            dose_route: dose_route(o),
            rules: schedule_rules(o),
            time_critical: o.time_critical,
            further_instructions: o.further_dosage_lines.clone(),
            last_given: last_of(o),
        })
        .collect();
    when_required.sort_by(|a, b| a.medicine.cmp(&b.medicine));
    DrugChart {
        stamp,
        banner: index.banner(&r, now),
        grid_caption: format!("grid from {} for {GRID_HOURS} hours", time::clinical(now)),
        columns,
        regular: regular_lines,
        once_only,
        when_required,
        omission_codes: omission_codes(),
    }
}

/// Once-only orders, soonest first, with what was recorded for each.
pub(crate) fn once_only(r: &Records<'_>) -> Vec<OnceOnlyMedicine> {
    let mut once_only: Vec<OnceOnlyMedicine> = r
        .orders
        .iter()
        .filter(|o| o.status == OrderStatus::Active)
        .filter_map(|o| match o.schedule {
            Schedule::OnceOnly { at } => Some(OnceOnlyMedicine {
                medicine: o.medicine.text.clone(),
                dose_route: dose_route(o),
                due: paper_time(at),
                time_critical: o.time_critical,
                further_instructions: o.further_dosage_lines.clone(),
                outcome: r
                    .administrations
                    .iter()
                    .rfind(|a| a.order_id == o.id)
                    .map(|a| administration_line(a)),
            }),
            _ => None,
        })
        .collect();
    once_only.sort_by(|a, b| a.due.cmp(&b.due));
    once_only
}

//! One patient's records gathered once per screen query, and the summaries the board and the
//! patient view share (NEWS2, age, what is due).

use chrono::{DateTime, TimeDelta, Utc};
use lamplight_model::clinical::current_allergies;
use lamplight_model::time;
use lamplight_model::{
    Administration, Alert, Allergy, MedicationOrder, News2, ObservationSet, OrderStatus, Patient,
    PendingTest, Site,
};

use crate::view::{AlertBadge, DueMedicine, News2Summary, PendingTestLine};

/// The board shows medicines due in the next two hours...
pub(crate) const DUE_AHEAD: TimeDelta = TimeDelta::hours(2);
/// ...and those whose time passed in the last two hours with nothing recorded.
pub(crate) const OVERDUE_BEHIND: TimeDelta = TimeDelta::hours(2);

/// One patient's records, gathered once per query.
pub(crate) struct Chart<'a> {
    pub(crate) orders: Vec<&'a MedicationOrder>,
    pub(crate) administrations: Vec<&'a Administration>,
    pub(crate) tests: Vec<&'a PendingTest>,
    pub(crate) observations: Vec<&'a ObservationSet>,
    pub(crate) allergies: Vec<&'a Allergy>,
    pub(crate) alerts: Vec<&'a Alert>,
}

impl<'a> Chart<'a> {
    pub(crate) fn of(site: &'a Site, patient: &'a Patient) -> Self {
        let id = patient.id.as_str();
        let mut observations: Vec<_> = site.observations.iter().filter(|o| o.patient_id == id).collect();
        observations.sort_by_key(|o| std::cmp::Reverse(o.taken_at));
        let mut administrations: Vec<_> = site
            .administrations
            .iter()
            .filter(|a| a.patient_id == id)
            .collect();
        administrations.sort_by_key(|a| a.at);
        let mut tests: Vec<_> = site.tests.iter().filter(|t| t.patient_id == id).collect();
        tests.sort_by_key(|t| (std::cmp::Reverse(t.priority), t.requested_at));
        Self {
            orders: site.orders.iter().filter(|o| o.patient_id == id).collect(),
            administrations,
            tests,
            observations,
            allergies: site.allergies.iter().filter(|a| a.patient_id == id).collect(),
            alerts: site.alerts.iter().filter(|a| a.patient_id == id).collect(),
        }
    }

    pub(crate) fn administrations_of(&self, order_id: &str) -> impl Iterator<Item = &&'a Administration> {
        self.administrations
            .iter()
            .filter(move |a| a.order_id == order_id)
    }

    /// Whether an administration (given or not) was recorded for this due dose: the drug chart's
    /// rule too ([`MedicationOrder::covering`]).
    pub(crate) fn covered(&self, order: &MedicationOrder, due_at: DateTime<Utc>) -> bool {
        order
            .covering(due_at, self.administrations.iter().copied())
            .is_some()
    }

    /// Current allergies in the order every screen and page lists them.
    pub(crate) fn current_allergies(&self) -> Vec<&'a Allergy> {
        current_allergies(self.allergies.iter().copied())
    }

    pub(crate) fn alert_badges(&self) -> Vec<AlertBadge> {
        self.alerts
            .iter()
            .map(|a| AlertBadge {
                kind: a.kind,
                badge: a.kind.badge().to_owned(),
                text: a.text.clone(),
            })
            .collect()
    }

    pub(crate) fn due_medicines(&self, now: DateTime<Utc>) -> Vec<DueMedicine> {
        let mut due = Vec::new();
        for order in self.orders.iter().filter(|o| o.status == OrderStatus::Active) {
            for at in order.due_between(now - OVERDUE_BEHIND, now + DUE_AHEAD) {
                if self.covered(order, at) {
                    continue;
                }
                due.push(DueMedicine {
                    order_id: order.id.clone(),
                    medicine: order.medicine.text.clone(),
                    dose: order.dose.text.clone(),
                    route: order.route.as_ref().map(|r| r.text.clone()),
                    due_at: at,
                    due_text: time::clock(at),
                    time_critical: order.time_critical,
                    overdue: at < now,
                });
            }
        }
        due.sort_by(|a, b| a.due_at.cmp(&b.due_at).then_with(|| a.medicine.cmp(&b.medicine)));
        due
    }

    pub(crate) fn pending_tests(&self) -> Vec<PendingTestLine> {
        self.tests
            .iter()
            .map(|t| PendingTestLine {
                test_id: t.id.clone(),
                name: t.test.text.clone(),
                category: t.category,
                priority: t.priority,
                priority_label: t.priority.label().to_owned(),
                requested_at_text: time::clinical(t.requested_at),
            })
            .collect()
    }
}

pub(crate) fn news2_summary(set: &ObservationSet, now: DateTime<Utc>) -> News2Summary {
    let News2 {
        total, risk, missing, ..
    } = set.news2();
    News2Summary {
        total,
        risk,
        response: risk.response().to_owned(),
        complete: missing.is_empty(),
        missing: missing.iter().map(|p| p.label().to_owned()).collect(),
        taken_at: set.taken_at,
        taken_at_text: time::clinical(set.taken_at),
        age_text: time::age_words(set.taken_at, now),
    }
}

pub(crate) fn age_years(patient: &Patient, now: DateTime<Utc>) -> Option<u32> {
    patient
        .birth_date
        .map(|dob| time::age_years(dob, time::london_date(now)))
}

//! Medicines: orders (the prescription on the drug chart) and administrations (what was given, or why not).
//!
//! Due times are computed here, in Europe/London, from a regular order's administration times;
//! see [`crate::time`] for how the clock changes are handled.

use chrono::{DateTime, NaiveTime, TimeDelta, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::code::Concept;
use crate::time;

/// A prescription on the drug chart (the FHIR MedicationRequest).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct MedicationOrder {
    pub id: String,
    pub patient_id: String,
    /// The medicine, dm+d coded where known (`Amoxicillin 500mg capsules`).
    pub medicine: Concept,
    pub dose: Dose,
    pub route: Option<Concept>,
    pub schedule: Schedule,
    /// Insulin, Parkinson's medicines, anticoagulants, antimicrobials, anti-epileptics...: marked on
    /// every chart, and a missed dose is flagged sooner.
    pub time_critical: bool,
    pub status: OrderStatus,
    pub start: DateTime<Utc>,
    pub end: Option<DateTime<Utc>>,
    pub prescriber: Option<String>,
    pub indication: Option<String>,
    /// Additional instructions (`with food`, `check blood glucose first`).
    pub instructions: Option<String>,
    /// The dosage lines after the first, in words, as prescribed (`then 1 g at 22:00 for pain`).
    /// `dose`, `route` and `schedule` are the first line, the one the drug chart's grid charts;
    /// screens and paper show these as well ("see full instructions"), so no instruction is cut.
    #[serde(default)]
    pub further_dosage_lines: Vec<String>,
}

/// A dose as prescribed. `value` keeps the decimal exactly as the EPR sent it (`0.5`, `2.50`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Dose {
    pub value: Option<String>,
    pub unit: Option<String>,
    /// What the chart shows: `500 mg`, `1–2 tablets`, `as per sliding scale`.
    pub text: String,
}

impl Dose {
    pub fn quantity(value: &str, unit: &str) -> Self {
        Self {
            value: Some(value.to_owned()),
            unit: Some(unit.to_owned()),
            text: format!("{value} {unit}"),
        }
    }
}

/// When an order is to be given.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Schedule {
    /// Regular: given at set London times every day.
    Regular {
        /// Administration times, ascending (`08:00`, `14:00`, `22:00`).
        times: Vec<NaiveTime>,
        /// As the prescriber wrote it (`three times a day`).
        frequency: String,
    },
    /// When required (PRN).
    WhenRequired {
        indication: Option<String>,
        /// Minimum time between doses, in minutes.
        min_interval_minutes: Option<u32>,
        /// Maximum doses in 24 hours.
        max_doses_per_24h: Option<u32>,
    },
    /// A single dose at a set time (stat or premedication).
    OnceOnly { at: DateTime<Utc> },
}

impl Schedule {
    pub fn label(&self) -> &'static str {
        match self {
            Schedule::Regular { .. } => "Regular",
            Schedule::WhenRequired { .. } => "When required",
            Schedule::OnceOnly { .. } => "Once only",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum OrderStatus {
    Active,
    OnHold,
    Stopped,
    Completed,
}

/// An administration recorded from an hour before a due time...
pub const COVER_BEFORE: TimeDelta = TimeDelta::hours(1);
/// ...to two hours after it marks that dose (given, or not given with a reason): the one rule the
/// board's "due" list, the patient view's "overdue" and the drug chart's boxes all use.
pub const COVER_AFTER: TimeDelta = TimeDelta::hours(2);

impl MedicationOrder {
    /// The administration that marks the dose due at `due_at`: of this order's administrations, one
    /// recorded for that box ([`Administration::due`]), else the one recorded nearest the due time
    /// within [`COVER_BEFORE`] and [`COVER_AFTER`] of it (the earlier of two equally near). `None`:
    /// the dose is still due, or was missed.
    pub fn covering<'a>(
        &self,
        due_at: DateTime<Utc>,
        administrations: impl IntoIterator<Item = &'a Administration>,
    ) -> Option<&'a Administration> {
        administrations
            .into_iter()
            .filter(|a| {
                a.order_id == self.id
                    && match a.due {
                        // Recorded for a box: that box, however late or early it was given.
                        Some(d) => d == due_at,
                        None => a.at >= due_at - COVER_BEFORE && a.at <= due_at + COVER_AFTER,
                    }
            })
            .min_by_key(|a| {
                let distance = if a.due == Some(due_at) {
                    TimeDelta::zero()
                } else {
                    (a.at - due_at).abs()
                };
                (distance, a.at)
            })
    }

    /// Whether the order is in force at `at` (started, not ended, active).
    pub fn in_force(&self, at: DateTime<Utc>) -> bool {
        self.status == OrderStatus::Active && self.start <= at && self.end.is_none_or(|end| at < end)
    }

    /// Scheduled administrations due in `[from, to)`, ascending. When-required orders have none.
    pub fn due_between(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Vec<DateTime<Utc>> {
        let mut due = match &self.schedule {
            Schedule::Regular { times, .. } => {
                let mut out = Vec::new();
                // Scan from the London day before `from` (a day's times may fall before midnight UTC).
                let mut day = time::london_date(from) - TimeDelta::days(1);
                let last = time::london_date(to);
                while day <= last {
                    for t in times {
                        let at = time::instant_of(day, *t);
                        if at >= from && at < to {
                            out.push(at);
                        }
                    }
                    day += TimeDelta::days(1);
                }
                out.sort_unstable();
                out.dedup();
                out
            }
            Schedule::WhenRequired { .. } => Vec::new(),
            Schedule::OnceOnly { at } => {
                if *at >= from && *at < to {
                    vec![*at]
                } else {
                    Vec::new()
                }
            }
        };
        due.retain(|at| *at >= self.start && self.end.is_none_or(|end| *at < end));
        due
    }

    /// The next scheduled administration at or after `now`, within a week.
    pub fn next_due(&self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        self.due_between(now, now + TimeDelta::days(7)).into_iter().next()
    }
}

/// A record of a dose given, or not given with a reason (the FHIR MedicationAdministration).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Administration {
    pub id: String,
    pub order_id: String,
    pub patient_id: String,
    pub at: DateTime<Utc>,
    pub outcome: AdministrationOutcome,
    /// Who gave it, or recorded the omission.
    pub performer: Option<String>,
    pub note: Option<String>,
    /// The downtime entry (its id) that recorded this on Lamplight; `None` for what the EPR holds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entry: Option<String>,
    /// The due dose it is for, when the record says (a downtime entry from the drug chart's box):
    /// it then marks that box whenever it was given. `None`: the box is the one whose cover window
    /// holds `at`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AdministrationOutcome {
    Given { dose: Option<String> },
    NotGiven { reason: OmissionReason },
}

/// Why a dose was not given: the common default codes of English drug charts (docs/clinical.md).
/// Trusts differ; the code number printed on charts is [`OmissionReason::code`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum OmissionReason {
    Refused,
    NilByMouth,
    Unavailable,
    AwayFromWard,
    /// Withheld on clinical grounds: the note says why.
    Withheld,
    UnableToTake,
    SelfAdministered,
    /// Other: the note says why.
    Other,
}

impl OmissionReason {
    pub const ALL: [OmissionReason; 8] = [
        OmissionReason::Refused,
        OmissionReason::NilByMouth,
        OmissionReason::Unavailable,
        OmissionReason::AwayFromWard,
        OmissionReason::Withheld,
        OmissionReason::UnableToTake,
        OmissionReason::SelfAdministered,
        OmissionReason::Other,
    ];

    /// The number written in the chart's box.
    pub fn code(self) -> u8 {
        match self {
            OmissionReason::Refused => 1,
            OmissionReason::NilByMouth => 2,
            OmissionReason::Unavailable => 3,
            OmissionReason::AwayFromWard => 4,
            OmissionReason::Withheld => 5,
            OmissionReason::UnableToTake => 6,
            OmissionReason::SelfAdministered => 7,
            OmissionReason::Other => 8,
        }
    }

    pub fn from_code(code: u8) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            OmissionReason::Refused => "Refused",
            OmissionReason::NilByMouth => "Nil by mouth",
            OmissionReason::Unavailable => "Medicine unavailable",
            OmissionReason::AwayFromWard => "Patient away from ward",
            OmissionReason::Withheld => "Withheld on clinical grounds (note why)",
            OmissionReason::UnableToTake => "Unable to take or swallow",
            OmissionReason::SelfAdministered => "Self-administered",
            OmissionReason::Other => "Other (note why)",
        }
    }
}

/// Whether a medicine is time-critical by name, for sources that do not flag it. The classes are
/// those of docs/clinical.md: insulin, Parkinson's medicines, anticoagulants, antimicrobials and
/// anti-epileptics. A trust's own list (or an EPR flag) takes precedence; this is the safe default.
pub fn is_time_critical_by_name(name: &str) -> bool {
    const STEMS: &[&str] = &[
        // insulins
        "insulin",
        "humulin",
        "novorapid",
        "lantus",
        "levemir",
        "humalog",
        "abasaglar",
        "tresiba",
        // Parkinson's
        "levodopa",
        "co-careldopa",
        "co-beneldopa",
        "sinemet",
        "madopar",
        "ropinirole",
        "pramipexole",
        "rotigotine",
        "rasagiline",
        "selegiline",
        "entacapone",
        "apomorphine",
        // anticoagulants
        "heparin",
        "enoxaparin",
        "dalteparin",
        "tinzaparin",
        "warfarin",
        "apixaban",
        "rivaroxaban",
        "edoxaban",
        "dabigatran",
        "fondaparinux",
        // antimicrobials
        "cillin",
        "co-amoxiclav",
        "tazobactam",
        "cef",
        "meropenem",
        "ertapenem",
        "gentamicin",
        "amikacin",
        "vancomycin",
        "teicoplanin",
        "clarithromycin",
        "erythromycin",
        "azithromycin",
        "doxycycline",
        "ciprofloxacin",
        "levofloxacin",
        "metronidazole",
        "trimethoprim",
        "nitrofurantoin",
        "clindamycin",
        "aciclovir",
        "fluconazole",
        "linezolid",
        // anti-epileptics
        "levetiracetam",
        "phenytoin",
        "valproate",
        "carbamazepine",
        "lamotrigine",
        "lacosamide",
        "clobazam",
        "phenobarbital",
        "topiramate",
    ];
    let lower = name.to_lowercase();
    STEMS.iter().any(|stem| lower.contains(stem))
}

/// Why a dose of this medicine needs a second person to check it before it is given, or `None`.
/// The classes are those of docs/clinical.md: controlled drugs (Schedule 2 and 3), insulin, and
/// anything given intravenously. A trust's own list takes precedence; this is the safe default.
/// One table, used by the drug-chart form (which asks for the checker) and by the station (which
/// refuses a dose recorded without one).
pub fn second_check_reason(order: &MedicationOrder) -> Option<&'static str> {
    const CONTROLLED: &[&str] = &[
        "morphine",
        "diamorphine",
        "oxycodone",
        "fentanyl",
        "alfentanil",
        "methadone",
        "pethidine",
        "hydromorphone",
        "tapentadol",
        "buprenorphine",
        "midazolam",
        "ketamine",
        "tramadol",
        "temazepam",
        "lorazepam",
        "phenobarbital",
    ];
    let name = order.medicine.text.to_lowercase();
    if CONTROLLED.iter().any(|stem| name.contains(stem)) {
        return Some("controlled drug: a second person checks and witnesses it");
    }
    if name.contains("insulin") || is_insulin_brand(&name) {
        return Some("insulin: a second person checks the dose and the device");
    }
    let route = order
        .route
        .as_ref()
        .map(|r| r.text.to_lowercase())
        .unwrap_or_default();
    if route.contains("intravenous") || route == "iv" {
        return Some("intravenous: a second person checks the medicine, dose and rate");
    }
    None
}

fn is_insulin_brand(lower: &str) -> bool {
    [
        "humulin",
        "novorapid",
        "lantus",
        "levemir",
        "humalog",
        "abasaglar",
        "tresiba",
    ]
    .iter()
    .any(|b| lower.contains(b))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::code::Concept;

    fn utc(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    fn regular(times: &[(u32, u32)]) -> MedicationOrder {
        MedicationOrder {
            id: "m1".into(),
            patient_id: "p1".into(),
            medicine: Concept::text("Paracetamol 500mg tablets"),
            dose: Dose::quantity("1", "g"),
            route: None,
            schedule: Schedule::Regular {
                times: times
                    .iter()
                    .map(|(h, m)| NaiveTime::from_hms_opt(*h, *m, 0).unwrap())
                    .collect(),
                frequency: "four times a day".into(),
            },
            time_critical: false,
            status: OrderStatus::Active,
            start: utc("2026-01-01T00:00:00Z"),
            end: None,
            prescriber: None,
            indication: None,
            instructions: None,
            further_dosage_lines: Vec::new(),
        }
    }

    #[test]
    fn due_times_are_london_times() {
        let o = regular(&[(8, 0), (22, 0)]);
        // Summer: 08:00 BST is 07:00 UTC.
        let due = o.due_between(utc("2026-07-01T00:00:00Z"), utc("2026-07-02T00:00:00Z"));
        assert_eq!(
            due,
            vec![utc("2026-07-01T07:00:00Z"), utc("2026-07-01T21:00:00Z")]
        );
    }

    #[test]
    fn a_dose_in_the_repeated_hour_is_due_once() {
        let o = regular(&[(1, 30)]);
        let due = o.due_between(utc("2026-10-24T22:00:00Z"), utc("2026-10-25T04:00:00Z"));
        assert_eq!(
            due,
            vec![utc("2026-10-25T00:30:00Z")],
            "the 01:30 dose must not be charted twice"
        );
    }

    #[test]
    fn a_dose_in_the_spring_gap_is_still_due() {
        let o = regular(&[(1, 30)]);
        let due = o.due_between(utc("2026-03-28T22:00:00Z"), utc("2026-03-29T04:00:00Z"));
        assert_eq!(
            due.len(),
            1,
            "a dose whose local time does not exist must not vanish from the chart"
        );
    }

    #[test]
    fn nothing_is_due_before_the_start_or_after_the_end() {
        let mut o = regular(&[(8, 0), (20, 0)]);
        o.start = utc("2026-11-02T12:00:00Z");
        o.end = Some(utc("2026-11-03T12:00:00Z"));
        let due = o.due_between(utc("2026-11-01T00:00:00Z"), utc("2026-11-05T00:00:00Z"));
        assert_eq!(
            due,
            vec![utc("2026-11-02T20:00:00Z"), utc("2026-11-03T08:00:00Z")]
        );
    }

    fn given(id: &str, at: &str) -> Administration {
        Administration {
            id: id.into(),
            order_id: "m1".into(),
            patient_id: "p1".into(),
            at: utc(at),
            outcome: AdministrationOutcome::Given { dose: None },
            performer: None,
            note: None,
            entry: None,
            due: None,
        }
    }

    #[test]
    fn a_dose_is_marked_by_the_nearest_administration_from_an_hour_before_to_two_after() {
        let o = regular(&[(8, 0)]);
        let due = utc("2026-11-04T08:00:00Z");
        let found = |list: &[Administration]| o.covering(due, list).map(|a| a.id.clone());
        assert_eq!(
            found(&[given("early", "2026-11-04T07:00:00Z")]).as_deref(),
            Some("early")
        );
        assert_eq!(
            found(&[given("late", "2026-11-04T10:00:00Z")]).as_deref(),
            Some("late")
        );
        assert_eq!(
            found(&[given("too early", "2026-11-04T06:59:00Z")]),
            None,
            "more than an hour before the due time is another dose"
        );
        assert_eq!(
            found(&[given("too late", "2026-11-04T10:01:00Z")]),
            None,
            "more than two hours after, the dose was missed"
        );
        assert_eq!(
            found(&[
                given("a", "2026-11-04T07:30:00Z"),
                given("b", "2026-11-04T08:10:00Z"),
                given("c", "2026-11-04T09:00:00Z")
            ])
            .as_deref(),
            Some("b"),
            "the administration nearest the due time marks it"
        );
        let mut other = given("other order", "2026-11-04T08:00:00Z");
        other.order_id = "m2".into();
        assert_eq!(found(&[other]), None, "another order's dose marks nothing here");
    }

    #[test]
    fn omission_codes_match_the_default_chart() {
        let codes: Vec<u8> = OmissionReason::ALL.iter().map(|r| r.code()).collect();
        assert_eq!(codes, vec![1, 2, 3, 4, 5, 6, 7, 8]);
        assert_eq!(OmissionReason::from_code(2), Some(OmissionReason::NilByMouth));
        assert_eq!(OmissionReason::from_code(9), None);
    }

    #[test]
    fn time_critical_classes_are_recognised() {
        for name in [
            "Insulin aspart",
            "Co-careldopa 25mg/100mg",
            "Enoxaparin 40mg",
            "Amoxicillin 500mg",
            "Levetiracetam",
        ] {
            assert!(is_time_critical_by_name(name), "{name} is time-critical");
        }
        for name in ["Paracetamol 500mg", "Senna 7.5mg", "Lactulose"] {
            assert!(!is_time_critical_by_name(name), "{name} is not time-critical");
        }
    }
}

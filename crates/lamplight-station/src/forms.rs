//! The downtime forms, as the station serves them: what a form shows (the drug chart's grid with
//! what is due, given and overdue now; when-required limits; the live NEWS2 of a set being typed),
//! and what a filled form becomes (a checked [`EntryKind`], recorded by [`Station::record`]).
//!
//! Every clinical rule a form applies lives in `lamplight-model` as data (NEWS2 bands, omission
//! codes, plausible vital signs, who needs a second checker, when-required limits): the window only
//! lays out what this module returns, so screen, paper and station agree. A form's times are typed
//! as London wall-clock times (`08:04`); one in the repeated October hour must say which (`01:30
//! BST` or `01:30 GMT`) and is never guessed.
//!
//! Refusals name what is wrong and change nothing. A warning a person may go past after thinking
//! (a when-required dose sooner than its interval, a due dose already recorded as given) is refused
//! with [`StationError::NeedsConfirmation`]; sending its code back in `confirmed_warnings` records
//! the entry, and the audit trail keeps who went past which warning.

use chrono::{DateTime, NaiveDate, NaiveTime, TimeDelta, Utc};
use lamplight_model::entry::EntryKind;
use lamplight_model::medication::{AdministrationOutcome, OmissionReason, second_check_reason};
use lamplight_model::news2::{self, Parameter};
use lamplight_model::observation::check_plausible;
use lamplight_model::{
    Admission, Consciousness, MedicationOrder, NhsNumber, ObservationSet, OrderStatus, Oxygen, Patient,
    PersonName, Risk, Schedule, Sex, Site, Spo2Scale, time,
};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::view::{AllergyLine, DataStatus, PatientIdentity};
use crate::{Station, StationError};

/// How far ahead of now a typed time may be (a clock a minute or two fast), before it is refused.
const FUTURE_SLACK: TimeDelta = TimeDelta::minutes(5);
/// The drug chart form's grid: from this long ago...
const GRID_BEHIND: TimeDelta = TimeDelta::hours(24);
/// ...to this far ahead.
const GRID_AHEAD: TimeDelta = TimeDelta::hours(12);
/// Downtime admissions take identifiers from this reserved range, never an EPR's: `DT-<PC>-0001`.
pub const DOWNTIME_ID_PREFIX: &str = "DT-";

/// What the window sends to record an entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct RecordRequest {
    pub entry: EntryForm,
    /// The entry this one corrects (replaces, or withdraws with `entered_in_error`).
    #[serde(default)]
    pub corrects: Option<String>,
    /// What the barcode scanner read from the wristband, when the patient was scanned: an entry
    /// for another patient than the one scanned is refused.
    #[serde(default)]
    pub scanned: Option<String>,
    /// Codes of warnings the person has seen and chosen to go past (from a `needs_confirmation`
    /// refusal).
    #[serde(default)]
    pub confirmed_warnings: Vec<String>,
}

/// A filled form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "form", rename_all = "snake_case")]
pub enum EntryForm {
    DoseGiven {
        patient_id: String,
        order_id: String,
        /// London time it was given (`08:04`); `None`: now.
        #[serde(default)]
        time: Option<String>,
        /// As given; empty: the prescribed dose.
        #[serde(default)]
        dose: Option<String>,
        /// Who gave it; `None`: the signed-in person.
        #[serde(default)]
        given_by: Option<String>,
        /// The second checker, required for the medicines that need one.
        #[serde(default)]
        checked_by: Option<String>,
        /// The box it is given for (a grid cell's `due_at`); `None` for a when-required dose (a
        /// regular one then takes the box whose cover window holds its time).
        #[serde(default)]
        due_at: Option<DateTime<Utc>>,
    },
    DoseNotGiven {
        patient_id: String,
        order_id: String,
        /// The due time the omission is for (a grid cell's `due_at`).
        due_at: DateTime<Utc>,
        /// The omission code written in the box (1–8).
        code: u8,
        #[serde(default)]
        note: Option<String>,
    },
    Observations {
        draft: ObservationsDraft,
    },
    Admission {
        family_name: String,
        given_names: String,
        /// `dd/mm/yyyy` or `yyyy-mm-dd`.
        birth_date: String,
        sex: Sex,
        #[serde(default)]
        nhs_number: Option<String>,
        ward_id: String,
        #[serde(default)]
        bed_id: Option<String>,
        #[serde(default)]
        reason: Option<String>,
        #[serde(default)]
        consultant: Option<String>,
    },
    Transfer {
        patient_id: String,
        ward_id: String,
        #[serde(default)]
        bed_id: Option<String>,
    },
    Discharge {
        patient_id: String,
        #[serde(default)]
        time: Option<String>,
        #[serde(default)]
        destination: Option<String>,
    },
    Note {
        patient_id: String,
        text: String,
    },
    PhonedResult {
        patient_id: String,
        test: String,
        value: String,
        /// Who called (name, department, number).
        caller: String,
        /// The value was read back to the caller, who confirmed it.
        read_back: bool,
    },
    EnteredInError {
        reason: String,
    },
}

/// An observation set as typed: every value optional until it is recorded.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ObservationsDraft {
    pub patient_id: String,
    /// London time taken (`14:05`); `None`: now.
    #[serde(default)]
    pub time: Option<String>,
    #[serde(default)]
    pub respiration_rate: Option<u16>,
    #[serde(default)]
    pub spo2: Option<u8>,
    /// `None`: the scale the patient was last scored on (scale 2 only when prescribed).
    #[serde(default)]
    pub spo2_scale: Option<Spo2Scale>,
    /// `None`: not recorded; `Some(false)`: air.
    #[serde(default)]
    pub on_oxygen: Option<bool>,
    #[serde(default)]
    pub oxygen_litres_per_minute: Option<f64>,
    #[serde(default)]
    pub oxygen_device: Option<String>,
    #[serde(default)]
    pub systolic_bp: Option<u16>,
    #[serde(default)]
    pub diastolic_bp: Option<u16>,
    #[serde(default)]
    pub pulse: Option<u16>,
    #[serde(default)]
    pub consciousness: Option<Consciousness>,
    /// Degrees Celsius as typed (`37.2`).
    #[serde(default)]
    pub temperature: Option<String>,
}

/// The NEWS2 of a set being typed, as the form shows it beside the fields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct News2Preview {
    pub total: u8,
    pub risk: Risk,
    /// `Medium: urgent response, minimum hourly observations`.
    pub response: String,
    /// `minimum hourly`.
    pub monitoring: String,
    pub complete: bool,
    pub missing: Vec<String>,
    /// `Scale 2 (prescribed target 88–92%)`.
    pub scale_text: String,
    pub spo2_scale: Spo2Scale,
    /// One per parameter, in the chart's order.
    pub parameters: Vec<ParameterPreview>,
    /// Values a form would refuse (out of range, wrong unit): said beside the field.
    pub problems: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ParameterPreview {
    pub parameter: Parameter,
    pub label: String,
    /// `None`: not recorded yet.
    pub score: Option<u8>,
}

/// What the window shows after "Saved".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct RecordOutcome {
    pub entry_id: String,
    /// `Saved 14:05: Amoxicillin 500 mg given at 14:04 by Sam Jones`.
    pub saved_text: String,
    /// The patient the entry is about (for an admission, the new downtime identifier).
    pub patient_id: Option<String>,
    /// Where it is kept: `this PC's journal; shared with the ward folder` or `memory only (demo)`.
    pub kept_in: String,
    pub status: DataStatus,
}

/// The result of scanning a wristband against the chart open.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct PatientConfirmation {
    pub patient_id: String,
    /// `Wristband scanned at 14:05: this is the patient whose chart is open`.
    pub text: String,
}

/// The drug chart as a form: the grid of due doses around now, when-required and once-only below.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct DrugChartForm {
    pub status: DataStatus,
    pub identity: PatientIdentity,
    pub allergy_text: String,
    pub allergies: Vec<AllergyLine>,
    pub rows: Vec<ChartRow>,
    pub omission_codes: Vec<OmissionCode>,
    /// `24 h back and 12 h ahead of 14:05`.
    pub grid_caption: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ChartRow {
    pub order_id: String,
    pub medicine: String,
    /// As prescribed (`500 mg`).
    pub dose: String,
    pub route: Option<String>,
    /// `regular`, `when_required`, `once_only`.
    pub kind: String,
    pub schedule_text: String,
    pub time_critical: bool,
    /// Why a second person must check a dose, when one must.
    pub second_check: Option<String>,
    pub indication: Option<String>,
    pub instructions: Option<String>,
    pub further_dosage_lines: Vec<String>,
    /// The due doses in the grid's window (regular and once-only), oldest first.
    pub cells: Vec<DoseCell>,
    /// For when-required medicines: what the limits allow now.
    pub when_required: Option<WhenRequiredState>,
    /// `Given 08:04 by Sam Jones (downtime entry)`.
    pub last_text: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DoseState {
    Given,
    NotGiven,
    /// Due within the hour either side of now, nothing recorded.
    DueNow,
    /// Its time passed (beyond the hour's grace) with nothing recorded.
    Overdue,
    Upcoming,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct DoseCell {
    pub due_at: DateTime<Utc>,
    /// `08:00`.
    pub due_text: String,
    /// `Tue 01/12`.
    pub day_text: String,
    pub state: DoseState,
    /// What the box shows: initials, an omission code, or empty.
    pub mark: String,
    /// `Given 08:04 by Sam Jones (downtime entry)`.
    pub text: Option<String>,
    /// The downtime entry that filled it (to correct it), when one did.
    pub entry_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct WhenRequiredState {
    pub given_last_24h: u32,
    pub max_per_24h: Option<u32>,
    pub min_interval_minutes: Option<u32>,
    /// `2 of 4 in the last 24 h; last 10:15; next from 14:15`.
    pub text: String,
    /// Why a dose now would break a limit (the form warns before it is given).
    pub warning_now: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct OmissionCode {
    pub code: u8,
    pub reason: OmissionReason,
    pub label: String,
    /// Codes whose note must say why (withheld, other).
    pub needs_note: bool,
}

/// The omission codes as forms offer them, one table for the drug chart and the worklist's editor:
/// the trust's own choice and order (`omission_codes` in the configuration file), all eight by default.
pub fn omission_codes(offered: &[OmissionReason]) -> Vec<OmissionCode> {
    offered
        .iter()
        .map(|r| OmissionCode {
            code: r.code(),
            reason: *r,
            label: r.label().to_owned(),
            needs_note: matches!(r, OmissionReason::Withheld | OmissionReason::Other),
        })
        .collect()
}

/// A warning a person may go past: its code (sent back to confirm) and its words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    pub code: &'static str,
    pub text: String,
}

/// Reads a time typed on a form: `HH:MM` is London time on the day it last was (today, or
/// yesterday when today's is still ahead); a full date-time is read by [`time::parse_input`]. A time
/// in the repeated October hour needs `BST` or `GMT` after it; a time ahead of now is refused.
pub fn form_time(text: Option<&str>, now: DateTime<Utc>) -> Result<DateTime<Utc>, String> {
    let Some(text) = text.map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(now);
    };
    let upper = text.to_uppercase();
    let (clock, zone) = match upper.rsplit_once(' ') {
        Some((c, z @ ("BST" | "GMT"))) => (c.trim().to_owned(), Some(z.to_owned())),
        _ => (upper.clone(), None),
    };
    let at = if let Ok(t) = NaiveTime::parse_from_str(&clock, "%H:%M") {
        let today = time::london_date(now);
        let on = |d: NaiveDate| on_day(d, t, zone.as_deref(), text);
        match on(today)? {
            at if at <= now + FUTURE_SLACK => at,
            _ => on(today.pred_opt().expect("a date has a day before"))?,
        }
    } else {
        time::parse_input(text).map_err(|e| e.to_string())?
    };
    if at > now + FUTURE_SLACK {
        return Err(format!(
            "{text} is in the future ({} now): enter the time it happened",
            time::clock(now)
        ));
    }
    Ok(at)
}

fn on_day(d: NaiveDate, t: NaiveTime, zone: Option<&str>, typed: &str) -> Result<DateTime<Utc>, String> {
    let iso = format!("{}T{}", d.format("%Y-%m-%d"), t.format("%H:%M"));
    match zone {
        Some(z) => {
            let offset = if z == "BST" { "+01:00" } else { "+00:00" };
            time::parse_input(&format!("{iso}:00{offset}")).map_err(|e| e.to_string())
        }
        None => time::parse_input(&iso).map_err(|e| match e {
            time::TimeInputError::Ambiguous(_) => format!(
                "{typed} happens twice tonight (the clocks went back): write {typed} BST for the first, {typed} GMT for the second"
            ),
            time::TimeInputError::DoesNotExist(_) => format!(
                "{typed} did not happen tonight (the clocks went forward past it): check the time"
            ),
            other => other.to_string(),
        }),
    }
}

/// The scale a patient is scored on: the last set's (scale 2 is prescribed, and carried on each set).
fn prescribed_scale(site: &Site, patient_id: &str) -> Spo2Scale {
    site.observations
        .iter()
        .filter(|o| o.patient_id == patient_id)
        .max_by_key(|o| o.taken_at)
        .map_or(Spo2Scale::Scale1, |o| o.spo2_scale)
}

fn scale_text(scale: Spo2Scale) -> &'static str {
    match scale {
        Spo2Scale::Scale1 => "SpO2 scale 1",
        Spo2Scale::Scale2 => "SpO2 scale 2 (prescribed target 88–92%)",
    }
}

/// The set a draft makes, and the problems that would stop it being recorded.
fn draft_set(
    site: &Site,
    draft: &ObservationsDraft,
    taken_at: DateTime<Utc>,
) -> (ObservationSet, Vec<String>) {
    let mut problems = Vec::new();
    let mut set = ObservationSet::empty("", &draft.patient_id, taken_at);
    set.spo2_scale = draft
        .spo2_scale
        .unwrap_or_else(|| prescribed_scale(site, &draft.patient_id));
    let mut check = |label: &str, v: Option<f64>| {
        if let Some(v) = v
            && let Err(p) = check_plausible(label, v)
        {
            problems.push(p);
        }
    };
    check("Respiration rate", draft.respiration_rate.map(f64::from));
    check("SpO2", draft.spo2.map(f64::from));
    check("Systolic BP", draft.systolic_bp.map(f64::from));
    check("Diastolic BP", draft.diastolic_bp.map(f64::from));
    check("Pulse", draft.pulse.map(f64::from));
    let temperature = match draft
        .temperature
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
    {
        None => None,
        Some(t) => {
            if let Ok(v) = t.trim_end_matches("°C").trim().parse::<f64>() {
                check("Temperature", Some(v));
                Some(v)
            } else {
                problems.push(format!(
                    "Temperature {t:?} is not a number: enter degrees Celsius, as 37.2"
                ));
                None
            }
        }
    };
    if let (Some(s), Some(d)) = (draft.systolic_bp, draft.diastolic_bp)
        && d >= s
    {
        problems.push(format!(
            "Blood pressure {s}/{d}: the diastolic must be below the systolic; check the reading"
        ));
    }
    set.respiration_rate = draft.respiration_rate;
    set.spo2 = draft.spo2;
    set.oxygen = draft.on_oxygen.map(|on| {
        if on {
            Oxygen::Supplemental {
                litres_per_minute: draft.oxygen_litres_per_minute,
                device: draft.oxygen_device.clone().filter(|d| !d.trim().is_empty()),
            }
        } else {
            Oxygen::Air
        }
    });
    set.systolic_bp = draft.systolic_bp;
    set.diastolic_bp = draft.diastolic_bp;
    set.pulse = draft.pulse;
    set.consciousness = draft.consciousness;
    set.temperature_c = temperature;
    (set, problems)
}

/// The NEWS2 preview of a set: scored by the model, the same function that scores the EPR's sets.
pub fn preview(site: &Site, draft: &ObservationsDraft, now: DateTime<Utc>) -> News2Preview {
    let (set, problems) = draft_set(site, draft, now);
    let n = news2::score(&set);
    News2Preview {
        total: n.total,
        risk: n.risk,
        response: n.risk.response().to_owned(),
        monitoring: n.monitoring().to_owned(),
        complete: n.is_complete(),
        missing: n.missing.iter().map(|p| p.label().to_owned()).collect(),
        scale_text: scale_text(set.spo2_scale).to_owned(),
        spo2_scale: set.spo2_scale,
        parameters: Parameter::ALL
            .iter()
            .map(|p| ParameterPreview {
                parameter: *p,
                label: p.label().to_owned(),
                score: n.scores.iter().find(|s| s.parameter == *p).map(|s| s.score),
            })
            .collect(),
        problems,
    }
}

/// Digits of a scanned code: wristbands and Lamplight's pages carry the NHS number as 10 digits
/// (some wristbands add the hospital number or a prefix around it).
fn scanned_matches(patient: &Patient, scanned: &str) -> bool {
    let compact: String = scanned.chars().filter(|c| !c.is_whitespace()).collect();
    if compact.is_empty() {
        return false;
    }
    if compact.eq_ignore_ascii_case(&patient.id) {
        return true;
    }
    if let Some(h) = &patient.hospital_number
        && compact.eq_ignore_ascii_case(h)
    {
        return true;
    }
    let Some(nhs) = patient.nhs_number else {
        return false;
    };
    let digits: String = compact.chars().filter(char::is_ascii_digit).collect();
    digits == nhs.digits() || compact.contains(&nhs.digits())
}

impl Station {
    /// Checks a scanned wristband against the patient whose chart is open.
    pub fn confirm_patient(
        &self,
        patient_id: &str,
        scanned: &str,
        now: DateTime<Utc>,
    ) -> Result<PatientConfirmation, StationError> {
        self.require(lamplight_model::Action::OpenRecord, now)?;
        let data = self.data();
        let patient = data.find_patient(patient_id)?;
        if !scanned_matches(patient, scanned) {
            tracing::warn!("wristband scanned does not match the chart open");
            return Err(StationError::WrongPatient);
        }
        Ok(PatientConfirmation {
            patient_id: patient.id.clone(),
            text: format!(
                "Wristband scanned at {}: this is the patient whose chart is open",
                time::clock(now)
            ),
        })
    }

    /// The NEWS2 of a set being typed, for the form's live score.
    pub fn score_observations(&self, draft: &ObservationsDraft, now: DateTime<Utc>) -> News2Preview {
        preview(self.data().site(), draft, now)
    }

    /// The drug chart form of one patient: requires a person who may open the record.
    pub fn drug_chart_form(
        &self,
        patient_id: &str,
        now: DateTime<Utc>,
    ) -> Result<DrugChartForm, StationError> {
        self.require(lamplight_model::Action::OpenRecord, now)?;
        let view = self.patient(patient_id, now)?;
        let data = self.data();
        let site = data.site();
        let patient = data.find_patient(patient_id)?;
        let mut orders: Vec<&MedicationOrder> = site
            .orders
            .iter()
            .filter(|o| o.patient_id == patient.id && o.status == OrderStatus::Active)
            .collect();
        orders.sort_by(|a, b| {
            kind_rank(&a.schedule)
                .cmp(&kind_rank(&b.schedule))
                .then_with(|| b.time_critical.cmp(&a.time_critical))
                .then_with(|| a.medicine.text.cmp(&b.medicine.text))
        });
        let rows = orders.iter().map(|o| chart_row(site, o, now)).collect();
        Ok(DrugChartForm {
            allergy_text: crate::paper::index::Index::new(site).allergy_line(&patient.id),
            status: view.status,
            identity: view.identity,
            allergies: view.allergies,
            rows,
            omission_codes: omission_codes(&self.config.omission_codes),
            grid_caption: format!("24 h back and 12 h ahead of {}", time::clock(now)),
        })
    }

    /// Checks a filled form and records it for the signed-in person (see [`Station::record`]).
    pub fn record_form(
        &self,
        request: &RecordRequest,
        now: DateTime<Utc>,
    ) -> Result<RecordOutcome, StationError> {
        // Who, first: a locked session or a bed manager's dose is refused before anything is read.
        let action = match &request.entry {
            EntryForm::Admission { .. } | EntryForm::Transfer { .. } | EntryForm::Discharge { .. } => {
                lamplight_model::Action::RecordBedMove
            }
            // Withdrawing an entry asks what recording it asked.
            EntryForm::EnteredInError { reason } => self.action_to_record(
                &EntryKind::EnteredInError {
                    reason: reason.clone(),
                },
                request.corrects.as_deref(),
            ),
            _ => lamplight_model::Action::RecordClinical,
        };
        let actor = self.require(action, now)?;
        let data = self.data();
        let site = data.site();
        if let Some(patient_id) = form_patient(&request.entry) {
            let patient = data.find_patient(patient_id)?;
            if let Some(scanned) = request.scanned.as_deref().filter(|s| !s.trim().is_empty())
                && !scanned_matches(patient, scanned)
            {
                tracing::warn!("entry refused: wristband scanned is another patient's");
                return Err(StationError::WrongPatient);
            }
        }
        let (kind, warnings, summary) =
            self.build_entry(site, data.entries(), &request.entry, &actor.full_name, now)?;
        let unconfirmed: Vec<&Warning> = warnings
            .iter()
            .filter(|w| !request.confirmed_warnings.iter().any(|c| c == w.code))
            .collect();
        if let Some(first) = unconfirmed.first() {
            return Err(StationError::NeedsConfirmation {
                code: first.code,
                message: first.text.clone(),
            });
        }
        drop(data);
        for w in &warnings {
            self.audit(&actor, "warning-confirmed", Some(w.code), now);
        }
        let patient_id = kind.patient_id().map(str::to_owned);
        let entry = self.record_as(&actor, kind, request.corrects.as_deref(), now)?;
        let kept_in = if self.vault.is_none() {
            "memory only: this is the demo ward, and nothing is written to disk".to_owned()
        } else if self.config.ward_folder.is_some() {
            "this PC's journal, and shared with the ward's other PCs".to_owned()
        } else {
            "this PC's journal (no ward folder is configured: the other PCs do not see it)".to_owned()
        };
        Ok(RecordOutcome {
            saved_text: format!("Saved {}: {summary}", time::clock(now)),
            entry_id: entry.id,
            patient_id,
            kept_in,
            status: self.status(now),
        })
    }

    /// The entry a form makes, the warnings it raises, and its words for "Saved …".
    #[allow(
        clippy::too_many_lines,
        reason = "one short arm per form, read together: splitting them would scatter the forms' rules"
    )]
    pub(crate) fn build_entry(
        &self,
        site: &Site,
        entries: &[lamplight_model::Entry],
        form: &EntryForm,
        me: &str,
        now: DateTime<Utc>,
    ) -> Result<(EntryKind, Vec<Warning>, String), StationError> {
        let invalid = StationError::InvalidEntry;
        let mut warnings = Vec::new();
        let order_of = |patient_id: &str, order_id: &str| {
            site.orders
                .iter()
                .find(|o| o.id == order_id && o.patient_id == patient_id)
                .ok_or_else(|| StationError::NotFound {
                    what: "medicine order",
                    id: order_id.to_owned(),
                })
        };
        let text = |s: &Option<String>| {
            s.as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
        };
        Ok(match form {
            EntryForm::DoseGiven {
                patient_id,
                order_id,
                time: t,
                dose,
                given_by,
                checked_by,
                due_at,
            } => {
                let order = order_of(patient_id, order_id)?;
                let given_at = form_time(t.as_deref(), now).map_err(invalid)?;
                if let Some(due) = due_at {
                    check_box(order, *due, given_at).map_err(invalid)?;
                }
                if order.status != OrderStatus::Active || !order.in_force(given_at) {
                    return Err(invalid(format!(
                        "{} is not an active order at {}: it cannot be recorded as given. Check the chart with the prescriber",
                        order.medicine.text,
                        time::clock(given_at)
                    )));
                }
                let given_by = text(given_by).unwrap_or_else(|| me.to_owned());
                let checked_by = text(checked_by);
                if let Some(why) = second_check_reason(order) {
                    match &checked_by {
                        None => {
                            return Err(invalid(format!(
                                "{} needs a second checker ({why}): enter who checked it",
                                order.medicine.text
                            )));
                        }
                        Some(c) if c.eq_ignore_ascii_case(&given_by) => {
                            return Err(invalid(
                                "the second checker must be another person than the one who gave it"
                                    .to_owned(),
                            ));
                        }
                        Some(_) => {}
                    }
                }
                warnings.extend(dose_warnings(site, order, given_at, *due_at));
                let dose = text(dose).unwrap_or_else(|| order.dose.text.clone());
                let summary = format!(
                    "{} {dose} given at {} by {given_by}",
                    order.medicine.text,
                    time::clock(given_at)
                );
                (
                    EntryKind::DoseGiven {
                        patient_id: patient_id.clone(),
                        order_id: order_id.clone(),
                        given_at,
                        dose,
                        given_by,
                        checked_by,
                        due_at: *due_at,
                    },
                    warnings,
                    summary,
                )
            }
            EntryForm::DoseNotGiven {
                patient_id,
                order_id,
                due_at,
                code,
                note,
            } => {
                let order = order_of(patient_id, order_id)?;
                let reason = OmissionReason::from_code(*code).ok_or_else(|| {
                    invalid(format!(
                        "{code} is not an omission code: use 1–{}",
                        OmissionReason::ALL.len()
                    ))
                })?;
                let note = text(note);
                if matches!(reason, OmissionReason::Withheld | OmissionReason::Other) && note.is_none() {
                    return Err(invalid(format!(
                        "code {code} ({}) needs a note saying why",
                        reason.label()
                    )));
                }
                if *due_at > now + TimeDelta::hours(2) {
                    return Err(invalid(format!(
                        "the dose due {} is not due yet: record an omission when it falls due",
                        time::clinical(*due_at)
                    )));
                }
                let summary = format!(
                    "{} due {} not given ({code}: {})",
                    order.medicine.text,
                    time::clock(*due_at),
                    reason.label()
                );
                (
                    EntryKind::DoseNotGiven {
                        patient_id: patient_id.clone(),
                        order_id: order_id.clone(),
                        due_at: *due_at,
                        reason,
                        note,
                    },
                    warnings,
                    summary,
                )
            }
            EntryForm::Observations { draft } => {
                let taken_at = form_time(draft.time.as_deref(), now).map_err(invalid)?;
                let (mut set, problems) = draft_set(site, draft, taken_at);
                if let Some(p) = problems.first() {
                    return Err(invalid(p.clone()));
                }
                let n = news2::score(&set);
                if n.scores.is_empty() {
                    return Err(invalid("enter at least one observation".to_owned()));
                }
                set.id = lamplight_vault::journal::Uuid::new_v4().to_string();
                set.recorded_by = Some(me.to_owned());
                let summary = format!(
                    "observations at {}, NEWS2 {}{} ({})",
                    time::clock(taken_at),
                    n.total,
                    if n.is_complete() { "" } else { " so far" },
                    n.risk.response()
                );
                (EntryKind::Observations { set }, warnings, summary)
            }
            EntryForm::Admission {
                family_name,
                given_names,
                birth_date,
                sex,
                nhs_number,
                ward_id,
                bed_id,
                reason,
                consultant,
            } => {
                let family = family_name.trim();
                if family.is_empty() && given_names.trim().is_empty() {
                    return Err(invalid(
                        "enter the patient's name (or UNKNOWN for an unidentified patient)".to_owned(),
                    ));
                }
                let birth_date = parse_birth_date(birth_date, now).map_err(invalid)?;
                let nhs_number = match text(nhs_number) {
                    None => None,
                    Some(n) => Some(
                        n.parse::<NhsNumber>()
                            .map_err(|e| invalid(format!("the NHS number entered is not valid: {e}")))?,
                    ),
                };
                if let Some(n) = nhs_number
                    && site.patients.iter().any(|p| p.nhs_number == Some(n))
                {
                    warnings.push(Warning {
                        code: "nhs-number-known",
                        text: "a patient with this NHS number is already in the ward's record: check it is not the same person before admitting them again".to_owned(),
                    });
                }
                check_bed(site, ward_id, bed_id.as_deref(), None).map_err(invalid)?;
                let id = self.next_downtime_id(site, entries);
                let patient = Patient {
                    id: id.clone(),
                    nhs_number,
                    hospital_number: None,
                    name: PersonName {
                        family: family.to_owned(),
                        given: given_names.split_whitespace().map(str::to_owned).collect(),
                        prefix: None,
                    },
                    birth_date,
                    sex: *sex,
                };
                let admission = Admission {
                    id: format!("{id}-stay"),
                    patient_id: id.clone(),
                    ward_id: Some(ward_id.clone()),
                    bed_id: text(bed_id),
                    admitted_at: now,
                    consultant: text(consultant),
                    specialty: None,
                    expected_discharge: None,
                    reason: text(reason),
                };
                let summary = format!(
                    "admitted as {id} ({})",
                    place_words(site, ward_id, bed_id.as_deref())
                );
                (EntryKind::Admission { patient, admission }, warnings, summary)
            }
            EntryForm::Transfer {
                patient_id,
                ward_id,
                bed_id,
            } => {
                check_bed(site, ward_id, bed_id.as_deref(), Some(patient_id)).map_err(invalid)?;
                let summary = format!("moved to {}", place_words(site, ward_id, bed_id.as_deref()));
                (
                    EntryKind::Transfer {
                        patient_id: patient_id.clone(),
                        ward_id: ward_id.clone(),
                        bed_id: text(bed_id),
                    },
                    warnings,
                    summary,
                )
            }
            EntryForm::Discharge {
                patient_id,
                time: t,
                destination,
            } => {
                let at = form_time(t.as_deref(), now).map_err(invalid)?;
                let destination = text(destination);
                let summary = format!(
                    "discharged at {}{}",
                    time::clock(at),
                    destination
                        .as_ref()
                        .map(|d| format!(" to {d}"))
                        .unwrap_or_default()
                );
                (
                    EntryKind::Discharge {
                        patient_id: patient_id.clone(),
                        at,
                        destination,
                    },
                    warnings,
                    summary,
                )
            }
            EntryForm::Note { patient_id, text: t } => {
                let t = t.trim();
                if t.is_empty() {
                    return Err(invalid("the note is empty".to_owned()));
                }
                (
                    EntryKind::Note {
                        patient_id: patient_id.clone(),
                        text: t.to_owned(),
                    },
                    warnings,
                    "nursing note".to_owned(),
                )
            }
            EntryForm::PhonedResult {
                patient_id,
                test,
                value,
                caller,
                read_back,
            } => {
                for (what, v) in [("the test", test), ("the value", value), ("who called", caller)] {
                    if v.trim().is_empty() {
                        return Err(invalid(format!("enter {what}")));
                    }
                }
                if !read_back {
                    return Err(invalid(
                        "read the result back to the caller and have them confirm it, then tick \"read back and confirmed\"".to_owned(),
                    ));
                }
                (
                    EntryKind::PhonedResult {
                        patient_id: patient_id.clone(),
                        test: test.trim().to_owned(),
                        value: value.trim().to_owned(),
                        caller: caller.trim().to_owned(),
                        read_back: true,
                    },
                    warnings,
                    format!("{} result phoned through, read back", test.trim()),
                )
            }
            EntryForm::EnteredInError { reason } => {
                if reason.trim().is_empty() {
                    return Err(invalid("say why the entry was in error".to_owned()));
                }
                (
                    EntryKind::EnteredInError {
                        reason: reason.trim().to_owned(),
                    },
                    warnings,
                    "entry withdrawn as entered in error".to_owned(),
                )
            }
        })
    }

    /// The next temporary identifier for a downtime admission on this PC: `DT-<PC>-0001`. The PC's
    /// name keeps two PCs admitting at once from taking the same one.
    /// The next `DT-<PC>-NNNN`: past every one this PC has used, including an admission since
    /// withdrawn as entered in error (its patient is gone from the ward, but entries recorded
    /// against the identifier stay in the journal, and must never attach to another person).
    fn next_downtime_id(&self, site: &Site, entries: &[lamplight_model::Entry]) -> String {
        let prefix = format!("{DOWNTIME_ID_PREFIX}{}-", self.config.pc.to_uppercase());
        let admitted = entries.iter().filter_map(|e| match &e.kind {
            EntryKind::Admission { patient, .. } => Some(patient.id.as_str()),
            _ => None,
        });
        let used = site
            .patients
            .iter()
            .map(|p| p.id.as_str())
            .chain(admitted)
            .filter_map(|id| id.strip_prefix(&prefix))
            .filter_map(|n| n.parse::<u32>().ok())
            .max()
            .unwrap_or(0);
        format!("{prefix}{:04}", used + 1)
    }
}

fn kind_rank(s: &Schedule) -> u8 {
    match s {
        Schedule::Regular { .. } => 0,
        Schedule::OnceOnly { .. } => 1,
        Schedule::WhenRequired { .. } => 2,
    }
}

fn form_patient(form: &EntryForm) -> Option<&str> {
    match form {
        EntryForm::DoseGiven { patient_id, .. }
        | EntryForm::DoseNotGiven { patient_id, .. }
        | EntryForm::Transfer { patient_id, .. }
        | EntryForm::Discharge { patient_id, .. }
        | EntryForm::Note { patient_id, .. }
        | EntryForm::PhonedResult { patient_id, .. } => Some(patient_id),
        EntryForm::Observations { draft } => Some(&draft.patient_id),
        EntryForm::Admission { .. } | EntryForm::EnteredInError { .. } => None,
    }
}

/// An entry as the filled form that would make it, for a person to correct in the reconciliation
/// worklist: the same form and the same checks as when it was recorded. `None` for the kinds not
/// corrected that way (an admission is matched to an EPR patient; a transfer or a withdrawal is
/// withdrawn and recorded again). Times are London wall-clock times with their date; one in the
/// repeated October hour carries its offset, so it reads back as the same instant.
pub fn form_of(kind: &EntryKind) -> Option<EntryForm> {
    let typed = |t: DateTime<Utc>| {
        let local = time::london(t);
        if time::is_ambiguous(t) {
            local.format("%Y-%m-%dT%H:%M:%S%:z").to_string()
        } else {
            local.format("%Y-%m-%d %H:%M").to_string()
        }
    };
    Some(match kind {
        EntryKind::DoseGiven {
            patient_id,
            order_id,
            given_at,
            dose,
            given_by,
            checked_by,
            due_at,
        } => EntryForm::DoseGiven {
            patient_id: patient_id.clone(),
            order_id: order_id.clone(),
            time: Some(typed(*given_at)),
            dose: Some(dose.clone()),
            given_by: Some(given_by.clone()),
            checked_by: checked_by.clone(),
            due_at: *due_at,
        },
        EntryKind::DoseNotGiven {
            patient_id,
            order_id,
            due_at,
            reason,
            note,
        } => EntryForm::DoseNotGiven {
            patient_id: patient_id.clone(),
            order_id: order_id.clone(),
            due_at: *due_at,
            code: reason.code(),
            note: note.clone(),
        },
        EntryKind::Observations { set } => {
            let (on_oxygen, litres, device) = match &set.oxygen {
                None => (None, None, None),
                Some(Oxygen::Air) => (Some(false), None, None),
                Some(Oxygen::Supplemental {
                    litres_per_minute,
                    device,
                }) => (Some(true), *litres_per_minute, device.clone()),
            };
            EntryForm::Observations {
                draft: ObservationsDraft {
                    patient_id: set.patient_id.clone(),
                    time: Some(typed(set.taken_at)),
                    respiration_rate: set.respiration_rate,
                    spo2: set.spo2,
                    spo2_scale: Some(set.spo2_scale),
                    on_oxygen,
                    oxygen_litres_per_minute: litres,
                    oxygen_device: device,
                    systolic_bp: set.systolic_bp,
                    diastolic_bp: set.diastolic_bp,
                    pulse: set.pulse,
                    consciousness: set.consciousness,
                    temperature: set.temperature_c.map(|t| format!("{t:.1}")),
                },
            }
        }
        EntryKind::Discharge {
            patient_id,
            at,
            destination,
        } => EntryForm::Discharge {
            patient_id: patient_id.clone(),
            time: Some(typed(*at)),
            destination: destination.clone(),
        },
        EntryKind::Note { patient_id, text } => EntryForm::Note {
            patient_id: patient_id.clone(),
            text: text.clone(),
        },
        EntryKind::PhonedResult {
            patient_id,
            test,
            value,
            caller,
            read_back,
        } => EntryForm::PhonedResult {
            patient_id: patient_id.clone(),
            test: test.clone(),
            value: value.clone(),
            caller: caller.clone(),
            read_back: *read_back,
        },
        EntryKind::Admission { .. } | EntryKind::Transfer { .. } | EntryKind::EnteredInError { .. } => {
            return None;
        }
    })
}

fn parse_birth_date(text: &str, now: DateTime<Utc>) -> Result<Option<NaiveDate>, String> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    let d = NaiveDate::parse_from_str(t, "%d/%m/%Y")
        .or_else(|_| NaiveDate::parse_from_str(t, "%Y-%m-%d"))
        .map_err(|_| "write the date of birth as dd/mm/yyyy (leave it empty when not known)".to_owned())?;
    if d > time::london_date(now) {
        return Err("the date of birth is in the future: check it".to_owned());
    }
    Ok(Some(d))
}

/// A bed for a patient: on the ward, open, and not taken by someone else.
fn check_bed(site: &Site, ward_id: &str, bed_id: Option<&str>, moving: Option<&str>) -> Result<(), String> {
    let ward = site
        .wards
        .iter()
        .find(|w| w.id == ward_id)
        .ok_or_else(|| "that ward is not in this PC's data: choose one from the list".to_owned())?;
    let Some(bed_id) = bed_id.filter(|b| !b.is_empty()) else {
        return Ok(());
    };
    let (_, bed) = ward
        .beds()
        .find(|(_, b)| b.id == bed_id)
        .ok_or_else(|| format!("that bed is not on {}: choose one from the list", ward.name))?;
    if bed.status != lamplight_model::BedStatus::Open {
        return Err(format!(
            "bed {} is {}: choose an open bed",
            bed.label,
            bed.status.label().to_lowercase()
        ));
    }
    let taken = site
        .admissions
        .iter()
        .any(|a| a.bed_id.as_deref() == Some(bed_id) && Some(a.patient_id.as_str()) != moving);
    if taken {
        return Err(format!(
            "bed {} already has a patient: move them first, or choose an empty bed",
            bed.label
        ));
    }
    Ok(())
}

fn place_words(site: &Site, ward_id: &str, bed_id: Option<&str>) -> String {
    let ward = site.wards.iter().find(|w| w.id == ward_id);
    let bed = bed_id.and_then(|b| ward.and_then(|w| w.beds().find(|(_, x)| x.id == b)));
    match (ward, bed) {
        (Some(w), Some((_, b))) => format!("{} bed {}", w.name, b.label),
        (Some(w), None) => format!("{}, no bed yet", w.name),
        _ => ward_id.to_owned(),
    }
}

/// What a dose given at `at` would break: a when-required interval or daily maximum, or a regular
/// dose already recorded for the same due time (a second dose).
fn dose_warnings(
    site: &Site,
    order: &MedicationOrder,
    at: DateTime<Utc>,
    due_at: Option<DateTime<Utc>>,
) -> Vec<Warning> {
    let given: Vec<DateTime<Utc>> = site
        .administrations
        .iter()
        .filter(|a| a.order_id == order.id && matches!(a.outcome, AdministrationOutcome::Given { .. }))
        .map(|a| a.at)
        .collect();
    let mut out = Vec::new();
    match &order.schedule {
        Schedule::WhenRequired {
            min_interval_minutes,
            max_doses_per_24h,
            ..
        } => {
            if let Some(w) = prn_warning(&given, *min_interval_minutes, *max_doses_per_24h, at) {
                out.push(w);
            }
        }
        Schedule::Regular { .. } | Schedule::OnceOnly { .. } => {
            let slot = due_at.or_else(|| {
                order
                    .due_between(
                        at - lamplight_model::medication::COVER_AFTER,
                        at + lamplight_model::medication::COVER_BEFORE,
                    )
                    .into_iter()
                    .min_by_key(|due| (*due - at).abs())
            });
            if let Some(due) = slot
                && let Some(already) = order.covering(
                    due,
                    site.administrations
                        .iter()
                        .filter(|a| matches!(a.outcome, AdministrationOutcome::Given { .. })),
                )
            {
                out.push(Warning {
                    code: "already-given",
                    text: format!(
                        "the dose due {} is already recorded as given at {}{}: giving it again would be a second dose. Check the patient and the chart first",
                        time::clock(due),
                        time::clock(already.at),
                        already.performer.as_ref().map(|p| format!(" by {p}")).unwrap_or_default()
                    ),
                });
            }
        }
    }
    out
}

/// A dose given for a box: the box must be one of the order's due times, and a dose is given from
/// an hour before it is due ([`lamplight_model::medication::COVER_BEFORE`]); later is a late dose,
/// recorded as such.
fn check_box(order: &MedicationOrder, due: DateTime<Utc>, given_at: DateTime<Utc>) -> Result<(), String> {
    let is_due = match &order.schedule {
        Schedule::OnceOnly { at } => *at == due,
        _ => order
            .due_between(due - TimeDelta::seconds(1), due + TimeDelta::seconds(1))
            .contains(&due),
    };
    if !is_due {
        return Err(format!(
            "{} is not due at {}: choose the dose's box on the chart",
            order.medicine.text,
            time::clinical(due)
        ));
    }
    let earliest = due - lamplight_model::medication::COVER_BEFORE;
    if given_at < earliest {
        return Err(format!(
            "the {} dose of {} is not due yet: it can be given from {}. If it must be given now, ask the prescriber",
            time::clock(due),
            order.medicine.text,
            time::clock(earliest)
        ));
    }
    Ok(())
}

fn prn_warning(
    given: &[DateTime<Utc>],
    min_interval_minutes: Option<u32>,
    max_per_24h: Option<u32>,
    at: DateTime<Utc>,
) -> Option<Warning> {
    if let Some(min) = min_interval_minutes
        && let Some(last) = given.iter().filter(|g| **g <= at).max()
        && at - *last < TimeDelta::minutes(i64::from(min))
    {
        let next = *last + TimeDelta::minutes(i64::from(min));
        return Some(Warning {
            code: "prn-interval",
            text: format!(
                "the last dose was at {}: the minimum interval is {}, so the next is due from {}",
                time::clock(*last),
                interval_words(min),
                time::clock(next)
            ),
        });
    }
    if let Some(max) = max_per_24h {
        let in_24h = given
            .iter()
            .filter(|g| **g > at - TimeDelta::hours(24) && **g <= at)
            .count();
        if in_24h >= max as usize {
            return Some(Warning {
                code: "prn-max-24h",
                text: format!(
                    "{in_24h} doses were given in the 24 hours before {}: the maximum is {max} in 24 hours",
                    time::clock(at)
                ),
            });
        }
    }
    None
}

fn interval_words(minutes: u32) -> String {
    if minutes.is_multiple_of(60) {
        format!("{} h", minutes / 60)
    } else {
        format!("{minutes} min")
    }
}

fn chart_row(site: &Site, o: &MedicationOrder, now: DateTime<Utc>) -> ChartRow {
    let administrations: Vec<&lamplight_model::Administration> = site
        .administrations
        .iter()
        .filter(|a| a.order_id == o.id)
        .collect();
    let words = |a: &lamplight_model::Administration| {
        let mut s = crate::wording::administration_words(a, &time::clock(a.at));
        if a.entry.is_some() {
            s.push_str(" (downtime entry)");
        }
        s
    };
    let dues: Vec<DateTime<Utc>> = match &o.schedule {
        Schedule::Regular { .. } => o.due_between(now - GRID_BEHIND, now + GRID_AHEAD),
        Schedule::OnceOnly { at } => vec![*at],
        Schedule::WhenRequired { .. } => Vec::new(),
    };
    let grace = lamplight_model::medication::COVER_AFTER;
    let cells = dues
        .into_iter()
        .map(|due| {
            let covering = o.covering(due, administrations.iter().copied());
            let (state, mark) = match covering.map(|a| &a.outcome) {
                Some(AdministrationOutcome::Given { .. }) => (
                    DoseState::Given,
                    covering
                        .and_then(|a| a.performer.as_deref())
                        .map(crate::paper::initials)
                        .filter(|i| !i.is_empty())
                        .unwrap_or_else(|| "✓".to_owned()),
                ),
                Some(AdministrationOutcome::NotGiven { reason }) => {
                    (DoseState::NotGiven, reason.code().to_string())
                }
                None if due + grace < now => (DoseState::Overdue, String::new()),
                None if due <= now + TimeDelta::hours(1) => (DoseState::DueNow, String::new()),
                None => (DoseState::Upcoming, String::new()),
            };
            DoseCell {
                due_at: due,
                due_text: time::clock(due),
                day_text: time::london(due).format("%a %d/%m").to_string(),
                state,
                mark,
                text: covering.map(words),
                entry_id: covering.and_then(|a| a.entry.clone()),
            }
        })
        .collect();
    let when_required = when_required_state(o, &administrations, now);
    ChartRow {
        order_id: o.id.clone(),
        medicine: o.medicine.text.clone(),
        dose: o.dose.text.clone(),
        route: o.route.as_ref().map(|r| r.text.clone()),
        kind: match o.schedule {
            Schedule::Regular { .. } => "regular",
            Schedule::WhenRequired { .. } => "when_required",
            Schedule::OnceOnly { .. } => "once_only",
        }
        .to_owned(),
        schedule_text: crate::paper::schedule_rules(o),
        time_critical: o.time_critical,
        second_check: second_check_reason(o).map(str::to_owned),
        indication: o.indication.clone(),
        instructions: o.instructions.clone(),
        further_dosage_lines: o.further_dosage_lines.clone(),
        cells,
        when_required,
        last_text: administrations.iter().rfind(|a| a.at <= now).map(|a| words(a)),
    }
}

fn when_required_state(
    o: &MedicationOrder,
    administrations: &[&lamplight_model::Administration],
    now: DateTime<Utc>,
) -> Option<WhenRequiredState> {
    let given: Vec<DateTime<Utc>> = administrations
        .iter()
        .filter(|a| matches!(a.outcome, AdministrationOutcome::Given { .. }))
        .map(|a| a.at)
        .collect();
    match &o.schedule {
        Schedule::WhenRequired {
            min_interval_minutes,
            max_doses_per_24h,
            ..
        } => {
            let in_24h = given
                .iter()
                .filter(|g| **g > now - TimeDelta::hours(24) && **g <= now)
                .count();
            let last = given.iter().filter(|g| **g <= now).max();
            let mut parts = vec![match max_doses_per_24h {
                Some(m) => format!("{in_24h} of {m} in the last 24 h"),
                None => format!("{in_24h} in the last 24 h"),
            }];
            if let Some(l) = last {
                parts.push(format!("last {}", time::clock(*l)));
                if let Some(min) = min_interval_minutes {
                    let next = *l + TimeDelta::minutes(i64::from(*min));
                    if next > now {
                        parts.push(format!("next from {}", time::clock(next)));
                    }
                }
            }
            Some(WhenRequiredState {
                given_last_24h: u32::try_from(in_24h).unwrap_or(u32::MAX),
                max_per_24h: *max_doses_per_24h,
                min_interval_minutes: *min_interval_minutes,
                text: parts.join("; "),
                warning_now: prn_warning(&given, *min_interval_minutes, *max_doses_per_24h, now)
                    .map(|w| w.text),
            })
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn a_clock_time_is_the_last_time_it_was_that_time_in_london() {
        let now = Utc.with_ymd_and_hms(2026, 12, 1, 14, 5, 0).unwrap();
        assert_eq!(
            form_time(Some("08:04"), now).unwrap(),
            Utc.with_ymd_and_hms(2026, 12, 1, 8, 4, 0).unwrap()
        );
        assert_eq!(
            form_time(Some("23:30"), now).unwrap(),
            Utc.with_ymd_and_hms(2026, 11, 30, 23, 30, 0).unwrap(),
            "a time still ahead today is yesterday's"
        );
        assert_eq!(form_time(None, now).unwrap(), now);
        assert!(
            form_time(Some("2026-12-01 18:00"), now)
                .unwrap_err()
                .contains("future")
        );
        assert!(form_time(Some("8 o'clock"), now).is_err());
    }

    #[test]
    fn clock_change_a_time_in_the_repeated_hour_must_say_bst_or_gmt() {
        // 02:10 GMT on the night the clocks go back: 01:30 happened twice.
        let now = Utc.with_ymd_and_hms(2026, 10, 25, 2, 10, 0).unwrap();
        let e = form_time(Some("01:30"), now).unwrap_err();
        assert!(e.contains("01:30 BST") && e.contains("01:30 GMT"), "{e}");
        assert_eq!(
            form_time(Some("01:30 BST"), now).unwrap(),
            Utc.with_ymd_and_hms(2026, 10, 25, 0, 30, 0).unwrap()
        );
        assert_eq!(
            form_time(Some("01:30 gmt"), now).unwrap(),
            Utc.with_ymd_and_hms(2026, 10, 25, 1, 30, 0).unwrap()
        );
    }

    #[test]
    fn clock_change_a_time_the_clocks_skipped_is_refused() {
        let now = Utc.with_ymd_and_hms(2026, 3, 29, 3, 0, 0).unwrap();
        assert!(
            form_time(Some("01:30"), now)
                .unwrap_err()
                .contains("did not happen")
        );
    }

    #[test]
    fn when_required_limits_warn_before_a_dose_that_breaks_them() {
        let t = |h, m| Utc.with_ymd_and_hms(2026, 12, 1, h, m, 0).unwrap();
        let w = prn_warning(&[t(10, 0)], Some(240), Some(4), t(12, 0)).unwrap();
        assert_eq!(w.code, "prn-interval");
        assert!(w.text.contains("14:00"), "{}", w.text);
        assert!(prn_warning(&[t(10, 0)], Some(240), Some(4), t(14, 0)).is_none());
        let four = [t(0, 0), t(4, 0), t(8, 0), t(12, 0)];
        assert_eq!(
            prn_warning(&four, Some(240), Some(4), t(16, 0)).unwrap().code,
            "prn-max-24h"
        );
    }
}

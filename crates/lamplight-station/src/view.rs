//! What screens show: the response types of the station's API.
//!
//! These are the one typed boundary between Rust and every front end. They derive `JsonSchema`; the
//! schemas in `schemas/` are generated from them (`tests/schemas.rs`) and the UI's TypeScript types
//! from those, so nobody writes these shapes twice. Times come both as instants (for machines) and as
//! London text (for people), so no front end ever formats a clinical time itself.

use chrono::{DateTime, Utc};
use lamplight_model::{
    AlertKind, AllergyStatus, BedStatus, Criticality, Mode, ModeAction, OrderStatus, Priority, Risk, Sex,
    TestCategory,
};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Where the data on screen came from, and how old it is (DESIGN.md promise 6).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct DataStatus {
    pub source: SourceKind,
    /// `Built-in demo ward: synthetic patients, not real people`.
    pub source_label: String,
    pub site_name: String,
    /// When the source extracted the data; `None` when it did not say (`age_known` is false).
    pub extracted_at: Option<DateTime<Utc>>,
    /// `03:01 Tue 04/11/2026`, or `an unknown time`.
    pub extracted_at_text: String,
    /// `42 min ago`, or `age unknown`.
    pub age_text: String,
    /// `None` when the age is unknown.
    pub age_minutes: Option<i64>,
    /// False when the source gave no extraction time: the data is then treated as stale, and every
    /// screen and page says "age unknown", never a date in 1970.
    pub age_known: bool,
    /// Older than `stale_after_minutes`, or of unknown age: every screen turns its banner red.
    pub stale: bool,
    pub stale_after_minutes: i64,
    /// The stamp printed and shown everywhere: `data as of 03:01 Tue 04/11/2026 (42 min ago)`.
    pub stamp: String,
    /// Problems a person must know about the data itself, shown in the banner: a newer snapshot
    /// that could not be opened (so this one is older than it should be), and the like.
    pub warnings: Vec<String>,
    /// The snapshot generation on screen (`None` for the demo ward or a bundle).
    pub generation: Option<u64>,
    /// Goes up whenever what a screen shows may have changed (a new generation, the mode, the
    /// EPR's state): the window polls it and redraws its screen, keeping the nurse's place.
    pub revision: u64,
    /// `Updated at 14:05 to generation 43 (data as of 14:04)`: said after the window followed a
    /// newer generation, until the next one.
    pub updated_text: Option<String>,
    /// What this PC is doing: normal, downtime, recovery or a drill.
    pub mode: ModeView,
    /// Whether the EPR is answering.
    pub epr: EprView,
    /// A downtime IT has planned, announced ahead and while it lasts.
    pub planned: Option<PlannedView>,
    /// Who is signed in on this PC (`None` only where no station answers: a bundle read alone).
    #[serde(default)]
    pub session: Option<crate::session::SessionView>,
}

/// The PC's mode as every screen shows it (DESIGN.md "Modes of a ward PC").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ModeView {
    pub mode: Mode,
    /// `DOWNTIME: the EPR is not in use. Record care here or on paper`.
    pub headline: String,
    /// `Declared by Sam Jones at 14:05 Tue 01/12/2026: EPR not answering`.
    pub detail: Option<String>,
    /// The station proposes downtime because the EPR stopped answering; a person confirms it.
    pub proposal: Option<String>,
    /// During downtime, the EPR answers again: recovery can start.
    pub recovery_offer: Option<String>,
    /// The mode could not be read or saved: a person must know the PC may not resume it.
    pub problem: Option<String>,
    /// What a person may do now, the suggested one first.
    pub actions: Vec<ModeActionView>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ModeActionView {
    pub action: ModeAction,
    /// `Declare downtime`, or `Confirm downtime` when the station proposes it.
    pub label: String,
    /// The action the banner suggests (a proposal, an offer of recovery).
    pub suggested: bool,
    /// Downtime needs a reason; the form asks for one.
    pub needs_reason: bool,
}

/// Whether the EPR answers, as the health check last found it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct EprView {
    pub state: EprState,
    /// `EPR answering`, `EPR slow (4.2 s)`, `EPR not answering since 14:02`.
    pub text: String,
    /// `checked 14:05:10`.
    pub checked_text: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum EprState {
    /// This PC has no EPR configured: an agent keeps its vault fresh.
    NotMonitored,
    /// Configured, not checked yet.
    Unknown,
    Answering,
    /// Answering, but slower than the health policy allows.
    Slow,
    NotAnswering,
}

/// A downtime IT planned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct PlannedView {
    pub id: String,
    /// `EPR maintenance 02:00–04:00 Sun 06/12; final snapshot at 01:55`.
    pub text: String,
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    /// The window has started.
    pub under_way: bool,
}

/// A person asks to change the PC's mode.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ModeRequest {
    pub action: ModeAction,
    /// The person's name, recorded with the change (sign-in replaces this with the signed-in person).
    pub by: String,
    /// Why (required to declare downtime).
    pub reason: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum SourceKind {
    /// The built-in synthetic ward.
    Demo,
    /// A snapshot staged from the EPR or a bundle.
    Snapshot,
    /// No snapshot yet: the PC's first pull from the EPR is under way.
    Waiting,
}

/// The wards a ward PC can show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct WardList {
    pub status: DataStatus,
    pub wards: Vec<WardSummary>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct WardSummary {
    pub id: String,
    pub code: String,
    pub name: String,
    pub beds: usize,
    pub occupied: usize,
    /// Patients on the ward's list who have no bed allocated.
    pub unallocated: usize,
}

/// What the import left out or changed, for the board (DESIGN.md promise 10).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ImportNotice {
    /// In a nurse's words, counts only: `2 patients have no bed recorded; 1 order's instructions are
    /// not fully charted`.
    pub text: String,
    /// For IT, one line per note: `entry 12 (Encounter/enc-4): names no active location: ...`. Ids
    /// and codes only.
    pub details: Vec<String>,
}

/// The ward board: every bed, at a glance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct WardBoard {
    pub status: DataStatus,
    /// Shown above the beds when the import left anything out or changed it; `None` otherwise.
    pub import_notice: Option<ImportNotice>,
    pub ward: WardSummary,
    /// The window "due soon" covers, in minutes (120: medicines due in the next 2 hours).
    pub due_window_minutes: i64,
    /// Every bed, in ward order, then patients without a bed.
    pub rows: Vec<BoardRow>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct BoardRow {
    /// `None` for a patient on the ward with no bed allocated.
    pub bed_id: Option<String>,
    /// `A3`, or `No bed recorded` for a patient with none (none given, or one not in the data).
    pub bed_label: String,
    pub bay_name: Option<String>,
    pub bed_status: Option<BedStatus>,
    pub patient: Option<BoardPatient>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct BoardPatient {
    pub patient_id: String,
    /// `SMITH, Mary Jane`.
    pub name: String,
    /// `943 476 5919`, or `None` when the patient has no NHS number yet.
    pub nhs_number: Option<String>,
    pub age_years: Option<u32>,
    pub sex: Sex,
    pub allergy_status: AllergyStatus,
    /// Current allergy substances, most critical first.
    pub allergies: Vec<String>,
    pub alerts: Vec<AlertBadge>,
    pub news2: Option<News2Summary>,
    /// Scheduled medicines due in the board's window (and any overdue in the last 2 hours).
    pub due_medicines: Vec<DueMedicine>,
    pub pending_tests: Vec<PendingTestLine>,
    pub consultant: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct AlertBadge {
    pub kind: AlertKind,
    /// `DNACPR`, `Falls`, ...
    pub badge: String,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct News2Summary {
    pub total: u8,
    pub risk: Risk,
    /// `Medium: urgent response, minimum hourly observations`.
    pub response: String,
    /// False when a parameter was not recorded: the total is then only a lower bound.
    pub complete: bool,
    /// Labels of the parameters not recorded.
    pub missing: Vec<String>,
    pub taken_at: DateTime<Utc>,
    pub taken_at_text: String,
    pub age_text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct DueMedicine {
    pub order_id: String,
    pub medicine: String,
    pub dose: String,
    pub route: Option<String>,
    pub due_at: DateTime<Utc>,
    /// `14:00`.
    pub due_text: String,
    pub time_critical: bool,
    /// Due time passed with no administration recorded for it.
    pub overdue: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct PendingTestLine {
    pub test_id: String,
    pub name: String,
    pub category: TestCategory,
    pub priority: Priority,
    pub priority_label: String,
    pub requested_at_text: String,
}

/// Everything about one patient, allergies first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct PatientView {
    pub status: DataStatus,
    pub identity: PatientIdentity,
    pub location: Location,
    pub admission: Option<AdmissionLine>,
    pub allergy_status: AllergyStatus,
    pub allergies: Vec<AllergyLine>,
    pub alerts: Vec<AlertBadge>,
    pub medicines: Vec<MedicineLine>,
    pub pending_tests: Vec<PendingTestLine>,
    /// Newest first.
    pub observations: Vec<ObservationLine>,
    /// The latest body weight and when it was taken: `72.5 kg, weighed 08:00 Tue 03/11/2026`.
    pub weight_text: Option<String>,
    /// What was recorded on Lamplight for this patient during downtime (every PC's), newest first;
    /// withdrawn and replaced entries stay listed, marked as such.
    pub downtime_entries: Vec<DowntimeEntryLine>,
}

/// One downtime entry, as the patient view lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct DowntimeEntryLine {
    pub entry_id: String,
    /// `dose_given`, `dose_not_given`, `observations`, `admission`, `transfer`, `discharge`,
    /// `note`, `phoned_result`.
    pub kind: String,
    /// `Dose given`, `Nursing note`, `Result phoned through`.
    pub label: String,
    /// `Amoxicillin 500 mg given 08:04 by Sam Jones`, or the note's text.
    pub text: String,
    pub recorded_at: DateTime<Utc>,
    /// `Recorded 08:05 by Sam Jones on PC1, downtime entry` (and `DRILL` in a drill).
    pub recorded_text: String,
    pub drill: bool,
    /// `Withdrawn: entered in error (wrong patient)` or `Replaced by a correction`.
    pub superseded: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct PatientIdentity {
    pub patient_id: String,
    pub name: String,
    pub nhs_number: Option<String>,
    pub hospital_number: Option<String>,
    /// `15/03/1950`.
    pub birth_date_text: Option<String>,
    pub age_years: Option<u32>,
    pub sex: Sex,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Location {
    pub ward_id: Option<String>,
    pub ward_name: Option<String>,
    pub bay_name: Option<String>,
    pub bed_label: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct AdmissionLine {
    pub admitted_at_text: String,
    /// `Day 3` (the admission day is day 1).
    pub length_of_stay_text: String,
    pub consultant: Option<String>,
    pub specialty: Option<String>,
    pub expected_discharge_text: Option<String>,
    pub reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct AllergyLine {
    pub substance: String,
    pub reactions: Vec<String>,
    pub criticality: Option<Criticality>,
    /// `Confirmed`, `Unconfirmed`.
    pub verification_text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct MedicineLine {
    pub order_id: String,
    pub medicine: String,
    pub dose: String,
    pub route: Option<String>,
    /// `Regular`, `When required`, `Once only`.
    pub schedule_label: String,
    /// `08:00, 14:00, 22:00`, or `PRN for pain; at least 4 h apart; max 4 in 24 h`.
    pub schedule_text: String,
    pub time_critical: bool,
    pub status: OrderStatus,
    pub indication: Option<String>,
    pub instructions: Option<String>,
    /// The order's dosage lines after the first, as prescribed (`then 1 g at 22:00`): shown in full
    /// with the order. `dose`, `route` and `schedule_text` are the first line, the one the drug
    /// chart's grid charts; when this is not empty the chart says "see full instructions".
    pub further_dosage_lines: Vec<String>,
    /// `Given 08:02 Wed 04/11/2026 by RN J Okafor`, or `Not given (2: Nil by mouth) ...`.
    pub last_administration_text: Option<String>,
    pub next_due_at: Option<DateTime<Utc>>,
    pub next_due_text: Option<String>,
    pub overdue: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ObservationLine {
    pub taken_at: DateTime<Utc>,
    pub taken_at_text: String,
    pub respiration_rate: Option<u16>,
    pub spo2: Option<u8>,
    /// `Air`, or `O2 2 L/min nasal cannula`.
    pub oxygen_text: Option<String>,
    /// `128/76`.
    pub blood_pressure_text: Option<String>,
    pub pulse: Option<u16>,
    /// `A`, `C`, `V`, `P`, `U`.
    pub consciousness: Option<String>,
    /// `37.2`.
    pub temperature_text: Option<String>,
    pub news2: News2Summary,
}

/// An error as it crosses to a front end: the UI branches on `code` and shows `message`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ApiError {
    pub code: ErrorCode,
    pub message: String,
    /// For `needs_confirmation`: the warning's code, sent back in `confirmed_warnings` to go past it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub warning: Option<String>,
    /// For `wrong_passphrase` after several: how long the window waits before the next try.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after_seconds: Option<u32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    NotFound,
    /// The snapshot could not be opened (wrong key, damaged, none staged): the message says which.
    SnapshotUnavailable,
    /// The request needs more (which ward to print): the message says what.
    InvalidRequest,
    /// No printing system or printer: the message says what to do instead (Save as PDF).
    PrinterUnavailable,
    /// The change could not be made durable (the vault folder is not writable, the disk is full):
    /// nothing changed.
    NotSaved,
    /// Nobody is signed in on this PC: the sign-in screen.
    NotSignedIn,
    /// The session locked after idle time: sign in again to carry on.
    SessionLocked,
    /// The signed-in person's role may not do this.
    NotPermitted,
    /// The sign-in was refused: the message says why and what to do.
    SignInRefused,
    /// A form's content is wrong or incomplete: the message says what; nothing was recorded.
    InvalidEntry,
    /// The wristband scanned is another patient's: nothing was recorded.
    WrongPatient,
    /// The EPR could not be reached or refused (reconciliation): the message says what; try again.
    EprUnavailable,
    /// A warning to confirm before recording (a dose too soon, a second dose): `warning` is its code.
    NeedsConfirmation,
    /// The record is outside the signed-in person's wards: it opens with a stated reason
    /// (break-glass, audited); ask for one and open it again with it.
    ReasonNeeded,
    /// This PC's identity is protected by a passphrase and none was given: the window asks for it
    /// (`unlock_identity`).
    PassphraseNeeded,
    /// The passphrase given does not open this PC's identity: try again, after `retry_after_seconds`
    /// when set.
    WrongPassphrase,
    Internal,
}

/// Every type of the API, gathered so that one JSON Schema holds each once (`schemas/lamplight-api.json`).
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[schemars(title = "LamplightApi")]
pub struct Api {
    pub data_status: DataStatus,
    pub ward_list: WardList,
    pub ward_board: WardBoard,
    pub patient_view: PatientView,
    pub api_error: ApiError,
    pub print_document: crate::paper::PrintDocument,
    pub print_options: crate::paper::PrintOptions,
    pub print_outcome: crate::paper::PrintOutcome,
    pub print_preview: crate::paper::PrintPreview,
    pub mode_request: ModeRequest,
    pub session_view: crate::session::SessionView,
    pub sign_in_request: crate::session::SignInRequest,
    pub emergency_sign_in: crate::session::EmergencySignIn,
    pub record_request: crate::forms::RecordRequest,
    pub record_outcome: crate::forms::RecordOutcome,
    pub observations_draft: crate::forms::ObservationsDraft,
    pub news2_preview: crate::forms::News2Preview,
    pub drug_chart_form: crate::forms::DrugChartForm,
    pub patient_confirmation: crate::forms::PatientConfirmation,
    pub worklist_view: crate::reconcile::WorklistView,
    pub decision_request: crate::reconcile::DecisionRequest,
    pub edit_request: crate::reconcile::EditRequest,
}

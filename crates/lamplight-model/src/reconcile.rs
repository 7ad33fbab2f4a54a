//! Reconciliation, the plan: for every downtime entry, what happens to it when the EPR is back.
//!
//! [`plan`] is pure. It takes the ward's entries, the snapshot Lamplight worked from, what the EPR
//! holds now ([`EprState`]) and what people decided ([`Decision`]), and gives every entry exactly one
//! [`Outcome`]: ready to file, needs a person (with the [`Conflict`]s to show), already filed,
//! rejected by a person, or never filed (drills, withdrawn and replaced entries). It decides nothing a
//! person should: a conflict is shown, never resolved by a rule, and a downtime admission is joined to
//! an EPR patient only by an explicit [`Decision`].
//!
//! Each entry is filed under a stable identifier ([`filing_id`], a UUID v5 of the entry's own id under
//! [`FILING_NAMESPACE`], in the identifier system [`FILING_ID_SYSTEM`]), so the same entry gets the
//! same identifier on every PC and every retry.
//!
//! What it leaves to others: fetching the EPR's state and turning a ready entry into FHIR (and sending
//! it, serialised per patient, `ifNoneExist` on the filing identifier) is `lamplight-fhir`'s; keeping
//! decisions and what was filed in the journal is the station's and the vault's; showing the worklist
//! is the window's.

use std::collections::BTreeSet;

use chrono::{DateTime, NaiveDate, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::entry::{Entry, EntryKind};
use crate::nhs_number::NhsNumber;
use crate::site::Site;

/// The FHIR identifier `system` under which every filed resource carries its entry's [`FilingId`]
/// (`identifier` on the resource, and the `ifNoneExist` search `identifier=SYSTEM|VALUE`).
pub const FILING_ID_SYSTEM: &str = "urn:lamplight:downtime-entry";

/// The UUID v5 namespace of filing identifiers. Fixed for ever: changing it would give every entry
/// a new identifier and file it again. (A random v4 chosen once for Lamplight, 2026-12-01.)
pub const FILING_NAMESPACE: Uuid = Uuid::from_u128(0xb58b_a464_3580_4308_809f_7ef1_682f_ce2b);

/// The identifier an entry is filed under: a UUID v5, lower-case and hyphenated, of the entry's id
/// under [`FILING_NAMESPACE`]. See [`filing_id`].
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(transparent)]
pub struct FilingId(pub String);

impl FilingId {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for FilingId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The filing identifier of the entry with id `entry_id`: UUID v5 (SHA-1, RFC 9562) of the entry's
/// UUID under [`FILING_NAMESPACE`]. An id that parses as a UUID is hashed as its 16 bytes (so
/// `ABC…` and `abc…` are one entry); any other id as its exact UTF-8 text. The same entry gives the
/// same identifier on every PC, in every version, on every retry; no two entries share one.
pub fn filing_id(entry_id: &str) -> FilingId {
    let id = match Uuid::parse_str(entry_id) {
        Ok(u) => Uuid::new_v5(&FILING_NAMESPACE, u.as_bytes()),
        Err(_) => Uuid::new_v5(&FILING_NAMESPACE, entry_id.as_bytes()),
    };
    FilingId(id.hyphenated().to_string())
}

// ---------------------------------------------------------------------------------------------
// What the EPR holds now.
// ---------------------------------------------------------------------------------------------

/// What the planner needs of the EPR as it is now, fetched (by `lamplight-fhir`) for the entries'
/// patients after the EPR returns.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct EprState {
    /// When it was fetched.
    pub fetched_at: Option<DateTime<Utc>>,
    /// The current status of each order the entries name (MedicationRequest).
    pub orders: Vec<EprOrder>,
    /// Each patient's current (latest) encounter.
    pub encounters: Vec<EprEncounter>,
    /// The administrations the EPR holds for those orders, from any source.
    pub administrations: Vec<EprAdministration>,
    /// Patients a downtime admission may be matched to (searched by NHS number, and by family name
    /// and birth date).
    pub patients: Vec<EprPatient>,
    /// Every [`FilingId`] the EPR holds on any resource (identifier system [`FILING_ID_SYSTEM`]):
    /// what was filed before, by any PC.
    pub filed: BTreeSet<FilingId>,
}

/// An order as the EPR has it now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct EprOrder {
    /// The MedicationRequest id (the model's `MedicationOrder::id`).
    pub id: String,
    pub patient_id: String,
    pub status: EprOrderStatus,
    /// When the status (or the order) last changed, when the EPR says (`meta.lastUpdated`, or a
    /// status date). `None`: unknown.
    pub changed_at: Option<DateTime<Utc>>,
}

/// FHIR R4 `MedicationRequest.status`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum EprOrderStatus {
    Active,
    OnHold,
    Cancelled,
    Completed,
    EnteredInError,
    Stopped,
    Draft,
    Unknown,
}

/// A patient's current encounter as the EPR has it now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct EprEncounter {
    pub id: String,
    pub patient_id: String,
    pub status: EncounterStatus,
    /// Where the EPR has the patient now (the encounter's active location).
    pub place: Place,
    /// `Encounter.period.end`, for a finished encounter.
    pub ended_at: Option<DateTime<Utc>>,
}

/// Whether an encounter is still going.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum EncounterStatus {
    /// `in-progress` (and the states before it: planned, arrived, triaged, onleave).
    InProgress,
    /// `finished`: discharged.
    Finished,
    /// `cancelled`, `entered-in-error`, `unknown`.
    Other,
}

/// A ward and a bed (either may be unknown).
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
pub struct Place {
    pub ward_id: Option<String>,
    pub bed_id: Option<String>,
}

/// An administration the EPR holds (MedicationAdministration).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct EprAdministration {
    pub id: String,
    pub order_id: String,
    pub patient_id: String,
    /// `effectiveDateTime` (or the period's start).
    pub at: DateTime<Utc>,
    pub status: EprAdministrationStatus,
    /// The [`FilingId`]s it carries (identifier system [`FILING_ID_SYSTEM`]); empty for one recorded
    /// in the EPR itself or by another system.
    pub filing_ids: Vec<FilingId>,
}

/// FHIR R4 `MedicationAdministration.status`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum EprAdministrationStatus {
    InProgress,
    NotDone,
    OnHold,
    Completed,
    EnteredInError,
    Stopped,
    Unknown,
}

/// A patient in the EPR, as a downtime admission is matched against.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct EprPatient {
    pub id: String,
    pub nhs_number: Option<NhsNumber>,
    pub family: String,
    pub given: Vec<String>,
    pub birth_date: Option<NaiveDate>,
}

// ---------------------------------------------------------------------------------------------
// What people decided.
// ---------------------------------------------------------------------------------------------

/// What a person decided about an entry that needed one, recorded in the journal by the station.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Decision {
    /// The entry decided about.
    pub entry_id: String,
    /// The signed-in person who decided.
    pub by: String,
    pub at: DateTime<Utc>,
    pub choice: Choice,
}

/// What was decided. The latest decision about an entry (by `at`) is the one that counts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "choice", rename_all = "snake_case")]
pub enum Choice {
    /// File it as recorded, the conflicts shown notwithstanding.
    Accept,
    /// Never file it.
    Reject { reason: String },
    /// File this instead (a corrected value or time), under the entry's own filing identifier.
    Edit { kind: Box<EntryKind> },
    /// A downtime admission: the patient is this EPR patient; the admission and every entry on the
    /// downtime patient are filed against them.
    MatchPatient { epr_patient_id: String },
    /// A downtime admission: file the patient as a new EPR patient.
    NewPatient,
}

// ---------------------------------------------------------------------------------------------
// The plan.
// ---------------------------------------------------------------------------------------------

/// What [`plan`] works from.
#[derive(Debug, Clone, Copy)]
pub struct PlanInput<'a> {
    /// Every entry of the ward (all PCs), corrections and withdrawals included, in any order.
    pub entries: &'a [Entry],
    /// The snapshot Lamplight worked from during the downtime: its orders (for due times) and
    /// where it believed each patient was.
    pub site: &'a Site,
    pub epr: &'a EprState,
    pub decisions: &'a [Decision],
    /// Filing identifiers Lamplight's own journal records as filed (the EPR answered with success),
    /// in case the EPR's search does not show them yet.
    pub filed: &'a BTreeSet<FilingId>,
    /// File drill entries too (a drill against a test EPR). Off for a real recovery.
    pub allow_drill: bool,
}

/// The plan: one [`EntryPlan`] per entry, in time order, and the decisions that were not used.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Plan {
    pub entries: Vec<EntryPlan>,
    /// Decisions that named no entry, or did not fit the entry they named: reported, never applied.
    pub ignored_decisions: Vec<IgnoredDecision>,
}

/// What happens to one entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct EntryPlan {
    pub entry_id: String,
    pub filing_id: FilingId,
    /// The patient as recorded (a downtime identifier for a downtime admission); `None` for a
    /// withdrawal.
    pub patient_id: Option<String>,
    /// When it happened (a dose's time, a set's time, ...; else when it was recorded): the worklist's order.
    pub at: DateTime<Utc>,
    pub outcome: Outcome,
}

/// The one outcome of an entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Outcome {
    /// To be filed: this entry (edited, if a person edited it), for this patient.
    Ready {
        entry: Box<Entry>,
        patient: FilingPatient,
        /// The decision that cleared its conflicts, if it had any.
        decided_by: Option<String>,
    },
    /// Waits for a person: each conflict is shown.
    NeedsPerson { conflicts: Vec<Conflict> },
    /// The EPR (or Lamplight's journal of what it filed) already holds it.
    AlreadyFiled,
    /// A person decided it is not to be filed.
    Rejected { by: String, reason: String },
    /// Never filed, by rule.
    NotFiled { why: NotFiledWhy },
}

/// The EPR patient a ready entry is filed against.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "patient", rename_all = "snake_case")]
pub enum FilingPatient {
    /// A patient the EPR has (the entry's own, or the one a downtime admission was matched to).
    Epr { id: String },
    /// The downtime patient, filed as a new EPR patient by a person's decision.
    New { downtime_id: String },
    /// The entry is about no patient.
    None,
}

/// Why an entry is never filed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "why", rename_all = "snake_case")]
pub enum NotFiledWhy {
    /// Recorded in a drill.
    Drill,
    /// Replaced by a correction, which is filed instead.
    Replaced { by: String },
    /// Withdrawn as entered in error.
    Withdrawn { by: String },
    /// The entered-in-error record itself (it withdraws an entry that was never filed).
    Withdrawal,
}

/// Something a person must look at before the entry is filed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "conflict", rename_all = "snake_case")]
pub enum Conflict {
    /// The EPR does not have the order the dose is for.
    OrderNotInEpr { order_id: String },
    /// The order was stopped, cancelled, held or changed before the dose's time (or the EPR says it
    /// is not active and not when it changed).
    OrderChanged {
        order_id: String,
        status: EprOrderStatus,
        changed_at: Option<DateTime<Utc>>,
        dose_at: DateTime<Utc>,
    },
    /// The EPR has the patient somewhere other than where Lamplight believed: the entries may have
    /// been recorded at a bed that held someone else.
    PatientMoved { believed: Place, epr: Place },
    /// The EPR's encounter is finished (the patient was discharged) before this entry's time.
    PatientDischarged { ended_at: Option<DateTime<Utc>> },
    /// The EPR has no current encounter for the patient.
    NoEncounter,
    /// The EPR already holds an administration covering this due dose (the drug chart's cover
    /// window), recorded elsewhere.
    DoseHeldByEpr {
        order_id: String,
        due_at: DateTime<Utc>,
        administration_id: String,
        at: DateTime<Utc>,
    },
    /// The same due dose was recorded by more than one entry (one PC or several): all of them.
    SameDoseTwice {
        order_id: String,
        due_at: DateTime<Utc>,
        entries: Vec<String>,
    },
    /// A downtime admission: a person matches it to an EPR patient or files it as new.
    AdmissionNeedsMatch { candidates: Vec<Candidate> },
    /// The entry is on a downtime patient whose admission is not matched yet (or was rejected).
    PatientNotMatched { admission_entry: String },
    /// A value outside what a form accepts (`observation::check_plausible`).
    Implausible { problems: Vec<String> },
    /// A correction of an entry already filed: the EPR's copy must be amended by a person.
    CorrectsFiledEntry { filed_entry: String },
}

/// An EPR patient a downtime admission may be.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Candidate {
    pub epr_patient_id: String,
    /// Higher is likelier: NHS number 100, family name with birth date 60, each given name that
    /// agrees 10. Shown, never acted on alone.
    pub score: u32,
    /// What agrees.
    pub agrees: Vec<MatchField>,
    /// What is recorded on both and differs.
    pub differs: Vec<MatchField>,
}

/// A field compared when matching a downtime admission.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum MatchField {
    NhsNumber,
    FamilyName,
    GivenName,
    BirthDate,
}

/// A decision that was not used, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct IgnoredDecision {
    pub decision: Decision,
    pub why: String,
}

/// The worklist's entries for one patient, in time order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct PatientPlan {
    /// As recorded; `None` for entries on no patient.
    pub patient_id: Option<String>,
    pub entries: Vec<EntryPlan>,
}

/// How many entries have each outcome.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct PlanCounts {
    pub ready: usize,
    pub needs_person: usize,
    pub filed: usize,
    pub rejected: usize,
    pub not_filed: usize,
}

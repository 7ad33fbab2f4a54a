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

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::entry::{Entry, EntryKind, apply, standing};
use crate::medication::{Administration, AdministrationOutcome, COVER_AFTER, COVER_BEFORE, MedicationOrder};
use crate::nhs_number::NhsNumber;
use crate::observation::{ObservationSet, check_plausible};
use crate::patient::Patient;
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

impl EprState {
    /// The EPR as a snapshot had it when it was taken: every order active, every patient in their
    /// stay where the snapshot put them, nothing filed. What a drill plans against, and the start of
    /// a test's story.
    pub fn as_of(site: &Site) -> Self {
        Self {
            fetched_at: site.extracted_at,
            orders: site
                .orders
                .iter()
                .map(|o| EprOrder {
                    id: o.id.clone(),
                    patient_id: o.patient_id.clone(),
                    status: EprOrderStatus::Active,
                    changed_at: None,
                })
                .collect(),
            encounters: site
                .admissions
                .iter()
                .map(|a| EprEncounter {
                    id: a.id.clone(),
                    patient_id: a.patient_id.clone(),
                    status: EncounterStatus::InProgress,
                    place: Place {
                        ward_id: a.ward_id.clone(),
                        bed_id: a.bed_id.clone(),
                    },
                    ended_at: None,
                })
                .collect(),
            ..Self::default()
        }
    }
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
    /// The conflicts the person was shown when deciding. An accept or an edit clears only these:
    /// a conflict that arose since (the EPR changed, another PC's entry arrived) is shown again.
    #[serde(default)]
    pub seen: Vec<Conflict>,
}

/// What was decided. The latest decision about an entry (by `at`) is the one that counts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "choice", rename_all = "snake_case")]
pub enum Choice {
    /// File it as recorded, the conflicts seen notwithstanding.
    Accept,
    /// Never file it.
    Reject { reason: String },
    /// File this instead (a corrected value or time), under the entry's own filing identifier. It
    /// must be the same kind of entry, about the same patient; it is checked again as edited.
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
    /// The downtime patient, filed as a new EPR patient by a person's decision. The new patient is
    /// keyed by the admission *entry* (its filing id), never by the downtime identifier alone: a PC's
    /// `DT-<PC>-0001` comes round again in the next downtime, and must never find last month's
    /// patient.
    New {
        downtime_id: String,
        admission_entry: String,
    },
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
    /// Two records carry this entry's id but differ (a journal fault): the plan shows the one it
    /// kept, from `pcs` the PCs the copies came from.
    RecordsDiffer { pcs: Vec<String> },
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

impl Plan {
    /// How many entries have each outcome.
    pub fn counts(&self) -> PlanCounts {
        let mut c = PlanCounts::default();
        for e in &self.entries {
            match e.outcome {
                Outcome::Ready { .. } => c.ready += 1,
                Outcome::NeedsPerson { .. } => c.needs_person += 1,
                Outcome::AlreadyFiled => c.filed += 1,
                Outcome::Rejected { .. } => c.rejected += 1,
                Outcome::NotFiled { .. } => c.not_filed += 1,
            }
        }
        c
    }

    /// The plan of one entry.
    pub fn get(&self, entry_id: &str) -> Option<&EntryPlan> {
        self.entries.iter().find(|e| e.entry_id == entry_id)
    }

    /// The worklist: the plan per patient (as recorded, so a downtime patient keeps their downtime
    /// identifier), patients in identifier order, each patient's entries in time order.
    pub fn by_patient(&self) -> Vec<PatientPlan> {
        let mut groups: BTreeMap<Option<String>, Vec<EntryPlan>> = BTreeMap::new();
        for e in &self.entries {
            groups.entry(e.patient_id.clone()).or_default().push(e.clone());
        }
        groups
            .into_iter()
            .map(|(patient_id, entries)| PatientPlan { patient_id, entries })
            .collect()
    }
}

/// When an entry happened, for the worklist's order: the dose's, the set's, the admission's or the
/// discharge's time; otherwise when it was recorded.
pub fn entry_time(e: &Entry) -> DateTime<Utc> {
    match &e.kind {
        EntryKind::DoseGiven { given_at, .. } => *given_at,
        EntryKind::DoseNotGiven { due_at, .. } => *due_at,
        EntryKind::Observations { set } => set.taken_at,
        EntryKind::Admission { admission, .. } => admission.admitted_at,
        EntryKind::Discharge { at, .. } => *at,
        EntryKind::Transfer { .. }
        | EntryKind::Note { .. }
        | EntryKind::PhonedResult { .. }
        | EntryKind::EnteredInError { .. } => e.recorded_at,
    }
}

/// The due time a dose given at `given_at` is for: of the order's due times whose cover window
/// ([`COVER_BEFORE`] before to [`COVER_AFTER`] after) holds `given_at`, the nearest (the earlier of two
/// equally near), as [`MedicationOrder::covering`] marks a dose. `None` for a when-required order.
pub fn due_for(order: &MedicationOrder, given_at: DateTime<Utc>) -> Option<DateTime<Utc>> {
    order
        .due_between(
            given_at - COVER_AFTER,
            given_at + COVER_BEFORE + TimeDelta::seconds(1),
        )
        .into_iter()
        .filter(|due| *due - COVER_BEFORE <= given_at && given_at <= *due + COVER_AFTER)
        .min_by_key(|due| ((*due - given_at).abs(), *due))
}

/// The plan for every entry. Pure, deterministic, and independent of the order of `entries` and
/// `decisions`. See the module's documentation and docs/design.md ("Reconciliation: the plan").
pub fn plan(input: &PlanInput<'_>) -> Plan {
    let ctx = Context::new(input);
    let mut ignored = ctx.ignored.clone();
    let mut out: Vec<EntryPlan> = Vec::with_capacity(ctx.entries.len());

    // Admissions first: the entries on a downtime patient are filed against what their admission
    // maps to.
    let mut mapped: BTreeMap<String, FilingPatient> = BTreeMap::new();
    for e in ctx
        .entries
        .iter()
        .filter(|e| matches!(e.kind, EntryKind::Admission { .. }))
    {
        let (p, why) = ctx.outcome(e, &mapped);
        if let (EntryKind::Admission { patient, .. }, Some(fp)) =
            (&e.kind, ctx.admission_maps_to(e, &p.outcome))
        {
            mapped.insert(patient.id.clone(), fp);
        }
        ignored.extend(why);
        out.push(p);
    }
    for e in ctx
        .entries
        .iter()
        .filter(|e| !matches!(e.kind, EntryKind::Admission { .. }))
    {
        let (p, why) = ctx.outcome(e, &mapped);
        ignored.extend(why);
        out.push(p);
    }
    out.sort_by(|a, b| a.at.cmp(&b.at).then_with(|| a.entry_id.cmp(&b.entry_id)));
    ignored.sort_by(|a, b| {
        decision_key(&a.decision)
            .cmp(&decision_key(&b.decision))
            .then_with(|| a.why.cmp(&b.why))
    });
    Plan {
        entries: out,
        ignored_decisions: ignored,
    }
}

/// A total order on decisions: by entry, time, person, then what was chosen.
fn decision_key(d: &Decision) -> (&str, DateTime<Utc>, &str, String) {
    (&d.entry_id, d.at, &d.by, format!("{:?}", d.choice))
}

/// Everything [`plan`] looks up, built once.
struct Context<'a> {
    input: &'a PlanInput<'a>,
    /// One per id, in recorded order (ties by id).
    entries: Vec<&'a Entry>,
    /// The entries that count (drills only when allowed).
    counted: BTreeSet<&'a str>,
    filed: BTreeSet<FilingId>,
    /// Entry id → the latest counted entry correcting it.
    corrected_by: BTreeMap<&'a str, &'a Entry>,
    decision: BTreeMap<&'a str, &'a Decision>,
    ignored: Vec<IgnoredDecision>,
    orders: BTreeMap<&'a str, &'a MedicationOrder>,
    epr_orders: BTreeMap<&'a str, &'a EprOrder>,
    encounters: BTreeMap<&'a str, &'a EprEncounter>,
    epr_patients: BTreeMap<&'a str, &'a EprPatient>,
    /// Where Lamplight believed each patient was once its entries are laid over the snapshot.
    believed: BTreeMap<String, Place>,
    /// Every place Lamplight knew for each patient: the snapshot's, and each transfer's.
    known_places: BTreeMap<String, BTreeSet<Place>>,
    /// Downtime patient id → their admission entries' ids (the standing one last).
    downtime_patients: BTreeMap<&'a str, Vec<&'a str>>,
    /// (order, due time) → the standing entries recording that dose.
    doses: BTreeMap<(&'a str, DateTime<Utc>), Vec<String>>,
    /// Ids carried by records that differ → the PCs of those records.
    differing: BTreeMap<&'a str, BTreeSet<String>>,
}

impl<'a> Context<'a> {
    #[allow(
        clippy::too_many_lines,
        reason = "one lookup table after another, read top to bottom"
    )]
    fn new(input: &'a PlanInput<'a>) -> Self {
        // One entry per id: the same record can arrive twice (this PC's journal and the ward
        // folder's copy). Of two that differ, the smaller by its Debug text, so any order gives one.
        let mut by_id: BTreeMap<&str, &Entry> = BTreeMap::new();
        let mut differing: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
        for e in input.entries {
            by_id
                .entry(e.id.as_str())
                .and_modify(|kept| {
                    if *kept != e {
                        let pcs = differing.entry(e.id.as_str()).or_default();
                        pcs.insert(kept.pc.clone());
                        pcs.insert(e.pc.clone());
                    }
                    if format!("{e:?}") < format!("{kept:?}") {
                        *kept = e;
                    }
                })
                .or_insert(e);
        }
        let mut entries: Vec<&Entry> = by_id.into_values().collect();
        entries.sort_by(|a, b| a.recorded_at.cmp(&b.recorded_at).then_with(|| a.id.cmp(&b.id)));

        let counted_entries: Vec<Entry> = entries
            .iter()
            .filter(|e| input.allow_drill || !e.drill)
            .map(|e| (*e).clone())
            .collect();
        let counted: BTreeSet<&str> = entries
            .iter()
            .filter(|e| input.allow_drill || !e.drill)
            .map(|e| e.id.as_str())
            .collect();

        let mut filed: BTreeSet<FilingId> = input.epr.filed.union(input.filed).cloned().collect();
        for a in &input.epr.administrations {
            filed.extend(a.filing_ids.iter().cloned());
        }

        let mut corrected_by: BTreeMap<&str, &Entry> = BTreeMap::new();
        for e in entries.iter().filter(|e| counted.contains(e.id.as_str())) {
            if let Some(target) = e.corrects.as_deref() {
                corrected_by.insert(target, e); // in recorded order: the latest wins
            }
        }

        let known: BTreeSet<&str> = entries.iter().map(|e| e.id.as_str()).collect();
        let mut decision: BTreeMap<&str, &Decision> = BTreeMap::new();
        let mut ignored = Vec::new();
        for d in input.decisions {
            if !known.contains(d.entry_id.as_str()) {
                ignored.push(IgnoredDecision {
                    decision: d.clone(),
                    why: "no entry has this id".to_owned(),
                });
                continue;
            }
            decision
                .entry(d.entry_id.as_str())
                .and_modify(|kept| {
                    if decision_key(d) > decision_key(kept) {
                        *kept = d;
                    }
                })
                .or_insert(d);
        }

        let believed_site = apply(input.site, &counted_entries);
        let believed: BTreeMap<String, Place> = believed_site
            .admissions
            .iter()
            .map(|a| {
                (
                    a.patient_id.clone(),
                    Place {
                        ward_id: a.ward_id.clone(),
                        bed_id: a.bed_id.clone(),
                    },
                )
            })
            .collect();
        let mut known_places: BTreeMap<String, BTreeSet<Place>> = BTreeMap::new();
        for a in &input.site.admissions {
            known_places
                .entry(a.patient_id.clone())
                .or_default()
                .insert(Place {
                    ward_id: a.ward_id.clone(),
                    bed_id: a.bed_id.clone(),
                });
        }
        let standing_entries = standing(&counted_entries);
        for e in &standing_entries {
            match &e.kind {
                EntryKind::Transfer {
                    patient_id,
                    ward_id,
                    bed_id,
                } => {
                    known_places.entry(patient_id.clone()).or_default().insert(Place {
                        ward_id: Some(ward_id.clone()),
                        bed_id: bed_id.clone(),
                    });
                }
                EntryKind::Admission { patient, admission } => {
                    known_places.entry(patient.id.clone()).or_default().insert(Place {
                        ward_id: admission.ward_id.clone(),
                        bed_id: admission.bed_id.clone(),
                    });
                }
                _ => {}
            }
        }
        for (patient, place) in &believed {
            known_places
                .entry(patient.clone())
                .or_default()
                .insert(place.clone());
        }

        let orders: BTreeMap<&str, &MedicationOrder> =
            input.site.orders.iter().map(|o| (o.id.as_str(), o)).collect();
        let epr_orders = input.epr.orders.iter().map(|o| (o.id.as_str(), o)).collect();
        let mut encounters: BTreeMap<&str, &EprEncounter> = BTreeMap::new();
        for enc in &input.epr.encounters {
            // The current encounter: one in progress before a finished one, then the latest id.
            let rank = |x: &EprEncounter| (x.status == EncounterStatus::InProgress, x.ended_at, x.id.clone());
            encounters
                .entry(enc.patient_id.as_str())
                .and_modify(|kept| {
                    if rank(enc) > rank(kept) {
                        *kept = enc;
                    }
                })
                .or_insert(enc);
        }
        let epr_patients: BTreeMap<&str, &EprPatient> =
            input.epr.patients.iter().map(|p| (p.id.as_str(), p)).collect();

        let mut downtime_patients: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for e in entries.iter().filter(|e| counted.contains(e.id.as_str())) {
            if let EntryKind::Admission { patient, .. } = &e.kind
                && !epr_patients.contains_key(patient.id.as_str())
            {
                downtime_patients
                    .entry(patient.id.as_str())
                    .or_default()
                    .push(e.id.as_str());
            }
        }
        for ids in downtime_patients.values_mut() {
            // The standing admission (not corrected) last.
            ids.sort_by_key(|id| (!corrected_by.contains_key(id), *id));
        }

        let mut doses: BTreeMap<(&str, DateTime<Utc>), Vec<String>> = BTreeMap::new();
        let standing_ids: BTreeSet<&str> = standing_entries.iter().map(|e| e.id.as_str()).collect();
        for e in entries.iter().filter(|e| standing_ids.contains(e.id.as_str())) {
            if let Some((order, due)) = dose_of(e, &orders) {
                doses.entry((order, due)).or_default().push(e.id.clone());
            }
        }

        Self {
            input,
            entries,
            counted,
            filed,
            corrected_by,
            decision,
            ignored,
            orders,
            epr_orders,
            encounters,
            epr_patients,
            believed,
            known_places,
            downtime_patients,
            doses,
            differing,
        }
    }

    /// The plan of one entry, and the decision about it if it was not used.
    fn outcome(
        &self,
        e: &'a Entry,
        mapped: &BTreeMap<String, FilingPatient>,
    ) -> (EntryPlan, Option<IgnoredDecision>) {
        let fid = filing_id(&e.id);
        let decision = self.decision.get(e.id.as_str()).copied();
        let (outcome, ignored_why) = self.decide(e, &fid, decision, mapped);
        let ignored = match (decision, ignored_why) {
            (Some(d), Some(why)) => Some(IgnoredDecision {
                decision: d.clone(),
                why,
            }),
            _ => None,
        };
        (
            EntryPlan {
                entry_id: e.id.clone(),
                filing_id: fid,
                patient_id: e.kind.patient_id().map(str::to_owned),
                at: entry_time(e),
                outcome,
            },
            ignored,
        )
    }

    /// The outcome, and why the entry's decision (if any) was not used.
    #[allow(
        clippy::too_many_lines,
        reason = "the order of the rules is the rule: read top to bottom"
    )]
    fn decide(
        &self,
        e: &'a Entry,
        fid: &FilingId,
        decision: Option<&Decision>,
        mapped: &BTreeMap<String, FilingPatient>,
    ) -> (Outcome, Option<String>) {
        let unused = |why: &str| decision.map(|_| why.to_owned());
        if self.filed.contains(fid) {
            return (Outcome::AlreadyFiled, unused("the entry is already filed"));
        }
        if !self.counted.contains(e.id.as_str()) {
            return (
                Outcome::NotFiled {
                    why: NotFiledWhy::Drill,
                },
                unused("a drill entry is never filed"),
            );
        }
        if let Some(c) = self.corrected_by.get(e.id.as_str()) {
            let why = if matches!(c.kind, EntryKind::EnteredInError { .. }) {
                NotFiledWhy::Withdrawn { by: c.id.clone() }
            } else {
                NotFiledWhy::Replaced { by: c.id.clone() }
            };
            return (
                Outcome::NotFiled { why },
                unused("the entry was corrected: its correction is filed"),
            );
        }
        let corrects_filed = e
            .corrects
            .as_deref()
            .filter(|t| self.filed.contains(&filing_id(t)))
            .map(|t| Conflict::CorrectsFiledEntry {
                filed_entry: t.to_owned(),
            });
        if matches!(e.kind, EntryKind::EnteredInError { .. }) && corrects_filed.is_none() {
            return (
                Outcome::NotFiled {
                    why: NotFiledWhy::Withdrawal,
                },
                unused("a withdrawal of an entry never filed is not filed"),
            );
        }

        // Who the entry is filed against, and what no decision on this entry can clear.
        let mut blocking: Vec<Conflict> = Vec::new();
        let mut patient = match e.kind.patient_id() {
            None => FilingPatient::None,
            Some(id) => match self.downtime_patients.get(id) {
                None => FilingPatient::Epr { id: id.to_owned() },
                Some(_) if matches!(e.kind, EntryKind::Admission { .. }) => FilingPatient::New {
                    downtime_id: id.to_owned(),
                    admission_entry: e.id.clone(),
                },
                Some(admissions) => {
                    if let Some(fp) = mapped.get(id) {
                        fp.clone()
                    } else {
                        let admission_entry = admissions.last().copied().unwrap_or_default().to_owned();
                        blocking.push(Conflict::PatientNotMatched {
                            admission_entry: admission_entry.clone(),
                        });
                        FilingPatient::New {
                            downtime_id: id.to_owned(),
                            admission_entry,
                        }
                    }
                }
            },
        };

        let mut entry = e.clone();
        let mut conflicts: Vec<Conflict> = corrects_filed.into_iter().collect();
        if let Some(pcs) = self.differing.get(e.id.as_str()) {
            conflicts.push(Conflict::RecordsDiffer {
                pcs: pcs.iter().cloned().collect(),
            });
        }
        let mut decided_by = None;
        let mut ignored_why = None;

        if let EntryKind::Admission { patient: p, .. } = &e.kind
            && let Some(id) = self.downtime_patient_of(e)
        {
            // A downtime admission is filed only once a person matched it or chose a new patient.
            match decision.map(|d| (&d.choice, d)) {
                Some((Choice::MatchPatient { epr_patient_id }, d)) => {
                    if self.epr_patients.contains_key(epr_patient_id.as_str()) {
                        patient = FilingPatient::Epr {
                            id: epr_patient_id.clone(),
                        };
                        decided_by = Some(d.by.clone());
                        conflicts.retain(|c| !d.seen.contains(c));
                    } else {
                        ignored_why = Some("the EPR patient it names was not among those fetched".to_owned());
                        blocking.push(Conflict::AdmissionNeedsMatch {
                            candidates: candidates(p, &self.input.epr.patients),
                        });
                    }
                }
                Some((Choice::NewPatient, d)) => {
                    patient = FilingPatient::New {
                        downtime_id: id.to_owned(),
                        admission_entry: e.id.clone(),
                    };
                    decided_by = Some(d.by.clone());
                    conflicts.retain(|c| !d.seen.contains(c));
                }
                Some((Choice::Reject { reason }, d)) => {
                    return (
                        Outcome::Rejected {
                            by: d.by.clone(),
                            reason: reason.clone(),
                        },
                        None,
                    );
                }
                Some(_) => {
                    ignored_why =
                        Some("a downtime admission is matched to an EPR patient or filed as new".to_owned());
                    blocking.push(Conflict::AdmissionNeedsMatch {
                        candidates: candidates(p, &self.input.epr.patients),
                    });
                }
                None => blocking.push(Conflict::AdmissionNeedsMatch {
                    candidates: candidates(p, &self.input.epr.patients),
                }),
            }
        } else {
            let mut deciding = None;
            match decision.map(|d| (&d.choice, d)) {
                None => {}
                Some((Choice::Accept, d)) => deciding = Some(d),
                Some((Choice::Reject { reason }, d)) => {
                    return (
                        Outcome::Rejected {
                            by: d.by.clone(),
                            reason: reason.clone(),
                        },
                        None,
                    );
                }
                Some((Choice::Edit { kind }, d)) => {
                    if std::mem::discriminant(kind.as_ref()) == std::mem::discriminant(&e.kind)
                        && kind.patient_id() == e.kind.patient_id()
                    {
                        entry.kind = (**kind).clone();
                        deciding = Some(d);
                    } else {
                        ignored_why = Some("an edit keeps the entry's kind and patient".to_owned());
                    }
                }
                Some((Choice::MatchPatient { .. } | Choice::NewPatient, _)) => {
                    ignored_why = Some("only a downtime admission is matched to a patient".to_owned());
                }
            }
            // The conflicts of what would be filed (an edited entry is checked as edited).
            conflicts.extend(self.conflicts(&entry, &patient));
            if let Some(d) = deciding {
                // A person decided about the conflicts they were shown; one that arose since (the
                // EPR changed, another PC's entry arrived) is shown again.
                if conflicts.iter().all(|c| d.seen.contains(c)) {
                    conflicts.clear();
                    decided_by = Some(d.by.clone());
                } else {
                    ignored_why = Some("a conflict arose after the decision: it is shown again".to_owned());
                }
            }
        }
        blocking.extend(conflicts);
        if blocking.is_empty() {
            (
                Outcome::Ready {
                    entry: Box::new(entry),
                    patient,
                    decided_by,
                },
                ignored_why,
            )
        } else {
            (Outcome::NeedsPerson { conflicts: blocking }, ignored_why)
        }
    }

    /// The downtime patient a downtime admission entry admits, if it is one.
    fn downtime_patient_of(&self, e: &Entry) -> Option<&'a str> {
        match &e.kind {
            EntryKind::Admission { patient, .. } => self
                .downtime_patients
                .get_key_value(patient.id.as_str())
                .map(|(k, _)| *k),
            _ => None,
        }
    }

    /// What a ready admission (or one already filed) maps its downtime patient to.
    fn admission_maps_to(&self, e: &Entry, outcome: &Outcome) -> Option<FilingPatient> {
        let id = self.downtime_patient_of(e)?;
        match outcome {
            Outcome::Ready { patient, .. } => Some(patient.clone()),
            Outcome::AlreadyFiled => Some(match self.decision.get(e.id.as_str()).map(|d| &d.choice) {
                Some(Choice::MatchPatient { epr_patient_id }) => FilingPatient::Epr {
                    id: epr_patient_id.clone(),
                },
                _ => FilingPatient::New {
                    downtime_id: id.to_owned(),
                    admission_entry: e.id.clone(),
                },
            }),
            _ => None,
        }
    }

    /// The conflicts of an entry that is not a downtime admission.
    fn conflicts(&self, e: &Entry, patient: &FilingPatient) -> Vec<Conflict> {
        let mut out = Vec::new();
        let at = entry_time(e);
        if let FilingPatient::Epr { id } = patient
            && !self.downtime_patients.contains_key(id.as_str())
            && e.kind.patient_id() == Some(id.as_str())
        {
            out.extend(self.encounter_conflicts(e, id, at));
        }
        if let Some((order_id, dose_at)) = dose_time(e) {
            out.extend(self.order_conflicts(e, order_id, dose_at));
        }
        if let EntryKind::Observations { set } = &e.kind {
            let problems = implausible(set);
            if !problems.is_empty() {
                out.push(Conflict::Implausible { problems });
            }
        }
        out
    }

    fn encounter_conflicts(&self, e: &Entry, patient_id: &str, at: DateTime<Utc>) -> Vec<Conflict> {
        let Some(enc) = self.encounters.get(patient_id) else {
            return vec![Conflict::NoEncounter];
        };
        match enc.status {
            EncounterStatus::Other => vec![Conflict::NoEncounter],
            EncounterStatus::Finished => {
                let encounter_level =
                    matches!(e.kind, EntryKind::Transfer { .. } | EntryKind::Discharge { .. });
                if encounter_level || enc.ended_at.is_none_or(|end| at > end) {
                    vec![Conflict::PatientDischarged {
                        ended_at: enc.ended_at,
                    }]
                } else {
                    Vec::new()
                }
            }
            EncounterStatus::InProgress => {
                let Some(believed) = self.believed.get(patient_id) else {
                    return Vec::new(); // Lamplight discharged them: the discharge is what is filed
                };
                let known = self.known_places.get(patient_id);
                if known.is_some_and(|k| k.contains(&enc.place)) {
                    Vec::new()
                } else {
                    vec![Conflict::PatientMoved {
                        believed: believed.clone(),
                        epr: enc.place.clone(),
                    }]
                }
            }
        }
    }

    fn order_conflicts(&self, e: &Entry, order_id: &str, dose_at: DateTime<Utc>) -> Vec<Conflict> {
        let mut out = Vec::new();
        match self.epr_orders.get(order_id) {
            None => out.push(Conflict::OrderNotInEpr {
                order_id: order_id.to_owned(),
            }),
            Some(o) => {
                let changed_before_dose = o.changed_at.is_none_or(|c| c <= dose_at);
                let conflict = match o.status {
                    EprOrderStatus::Cancelled | EprOrderStatus::EnteredInError => true,
                    EprOrderStatus::Active => o.changed_at.is_some_and(|c| {
                        c <= dose_at && self.input.site.extracted_at.is_some_and(|snapshot| c > snapshot)
                    }),
                    EprOrderStatus::OnHold
                    | EprOrderStatus::Stopped
                    | EprOrderStatus::Completed
                    | EprOrderStatus::Draft
                    | EprOrderStatus::Unknown => changed_before_dose,
                };
                if conflict {
                    out.push(Conflict::OrderChanged {
                        order_id: order_id.to_owned(),
                        status: o.status,
                        changed_at: o.changed_at,
                        dose_at,
                    });
                }
            }
        }
        if let Some((order, due)) = dose_of(e, &self.orders)
            && let Some(model_order) = self.orders.get(order)
        {
            let own = filing_id(&e.id);
            let held: Vec<Administration> = self
                .input
                .epr
                .administrations
                .iter()
                .filter(|a| {
                    a.status != EprAdministrationStatus::EnteredInError && !a.filing_ids.contains(&own)
                })
                .map(|a| Administration {
                    id: a.id.clone(),
                    order_id: a.order_id.clone(),
                    patient_id: a.patient_id.clone(),
                    at: a.at,
                    outcome: AdministrationOutcome::Given { dose: None },
                    performer: None,
                    note: None,
                    entry: None,
                    due: None,
                })
                .collect();
            if let Some(a) = model_order.covering(due, &held) {
                out.push(Conflict::DoseHeldByEpr {
                    order_id: order.to_owned(),
                    due_at: due,
                    administration_id: a.id.clone(),
                    at: a.at,
                });
            }
            if let Some(ids) = self.doses.get(&(order, due))
                && ids.len() > 1
            {
                out.push(Conflict::SameDoseTwice {
                    order_id: order.to_owned(),
                    due_at: due,
                    entries: ids.clone(),
                });
            }
        }
        out
    }
}

/// A dose entry's order and its time (given, or due for one not given).
fn dose_time(e: &Entry) -> Option<(&str, DateTime<Utc>)> {
    match &e.kind {
        EntryKind::DoseGiven {
            order_id, given_at, ..
        } => Some((order_id, *given_at)),
        EntryKind::DoseNotGiven { order_id, due_at, .. } => Some((order_id, *due_at)),
        _ => None,
    }
}

/// The due dose a dose entry is for: (order, due time). A dose given names its box when it was
/// recorded from one, else it is for the due time whose cover window holds it ([`due_for`]); one
/// not given names its due time.
fn dose_of<'e>(e: &'e Entry, orders: &BTreeMap<&str, &MedicationOrder>) -> Option<(&'e str, DateTime<Utc>)> {
    match &e.kind {
        EntryKind::DoseGiven {
            order_id,
            due_at: Some(due),
            ..
        } => orders.get(order_id.as_str()).map(|_| (order_id.as_str(), *due)),
        EntryKind::DoseGiven {
            order_id, given_at, ..
        } => due_for(orders.get(order_id.as_str())?, *given_at).map(|due| (order_id.as_str(), due)),
        EntryKind::DoseNotGiven { order_id, due_at, .. } => Some((order_id.as_str(), *due_at)),
        _ => None,
    }
}

/// What is outside the forms' plausible ranges in a set (`observation::check_plausible`).
fn implausible(set: &ObservationSet) -> Vec<String> {
    let values = [
        ("Respiration rate", set.respiration_rate.map(f64::from)),
        ("SpO2", set.spo2.map(f64::from)),
        ("Systolic BP", set.systolic_bp.map(f64::from)),
        ("Diastolic BP", set.diastolic_bp.map(f64::from)),
        ("Pulse", set.pulse.map(f64::from)),
        ("Temperature", set.temperature_c),
    ];
    values
        .into_iter()
        .filter_map(|(label, v)| check_plausible(label, v?).err())
        .collect()
}

/// The EPR patients a downtime patient may be, likeliest first. A patient is a candidate when the
/// NHS number agrees, or the family name and the birth date both do; a name alone never makes one.
pub fn candidates(p: &Patient, epr: &[EprPatient]) -> Vec<Candidate> {
    let norm = |s: &str| s.trim().to_lowercase();
    let mut out: Vec<Candidate> = epr
        .iter()
        .filter_map(|q| {
            let mut agrees = Vec::new();
            let mut differs = Vec::new();
            let mut compare = |field, same: Option<bool>| match same {
                Some(true) => agrees.push(field),
                Some(false) => differs.push(field),
                None => {}
            };
            let nhs = p.nhs_number.zip(q.nhs_number).map(|(a, b)| a == b);
            compare(MatchField::NhsNumber, nhs);
            let family = (!p.name.family.trim().is_empty() && !q.family.trim().is_empty())
                .then(|| norm(&p.name.family) == norm(&q.family));
            compare(MatchField::FamilyName, family);
            let given = p
                .name
                .given
                .first()
                .zip(q.given.first())
                .map(|(a, b)| norm(a) == norm(b));
            compare(MatchField::GivenName, given);
            let birth = p.birth_date.zip(q.birth_date).map(|(a, b)| a == b);
            compare(MatchField::BirthDate, birth);
            let by_nhs = nhs == Some(true);
            let by_name_and_birth = family == Some(true) && birth == Some(true);
            if !by_nhs && !by_name_and_birth {
                return None;
            }
            let score = 100 * u32::from(by_nhs)
                + 60 * u32::from(by_name_and_birth)
                + 10 * u32::from(given == Some(true));
            Some(Candidate {
                epr_patient_id: q.id.clone(),
                score,
                agrees,
                differs,
            })
        })
        .collect();
    out.sort_by(|a, b| {
        b.score
            .cmp(&a.score)
            .then_with(|| a.epr_patient_id.cmp(&b.epr_patient_id))
    });
    out
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::medication::{Dose, OmissionReason, OrderStatus, Schedule};
    use crate::patient::{Admission, PersonName, Sex};
    use chrono::{NaiveTime, TimeZone};

    /// 1 December 2026: London is on GMT, so London times are UTC times.
    pub(super) fn at(h: u32, m: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 1, h, m, 0).unwrap()
    }

    pub(super) fn entry(id: &str, kind: EntryKind) -> Entry {
        Entry {
            id: id.into(),
            recorded_at: at(15, 0),
            recorded_by: "J Smith".into(),
            pc: "WD7-PC1".into(),
            drill: false,
            corrects: None,
            kind,
        }
    }

    pub(super) fn given(id: &str, order: &str, h: u32, m: u32) -> Entry {
        entry(
            id,
            EntryKind::DoseGiven {
                patient_id: "p1".into(),
                order_id: order.into(),
                given_at: at(h, m),
                dose: "1 g".into(),
                given_by: "J Smith".into(),
                checked_by: None,
                due_at: None,
            },
        )
    }

    pub(super) fn note(id: &str, patient: &str) -> Entry {
        entry(
            id,
            EntryKind::Note {
                patient_id: patient.into(),
                text: "settled".into(),
            },
        )
    }

    pub(super) fn order(id: &str) -> MedicationOrder {
        MedicationOrder {
            id: id.into(),
            patient_id: "p1".into(),
            medicine: crate::code::Concept::text("Paracetamol 500mg tablets"),
            dose: Dose::quantity("1", "g"),
            route: None,
            schedule: Schedule::Regular {
                times: vec![
                    NaiveTime::from_hms_opt(14, 0, 0).unwrap(),
                    NaiveTime::from_hms_opt(22, 0, 0).unwrap(),
                ],
                frequency: "twice a day".into(),
            },
            time_critical: false,
            status: OrderStatus::Active,
            start: at(0, 0),
            end: None,
            prescriber: None,
            indication: None,
            instructions: None,
            further_dosage_lines: Vec::new(),
        }
    }

    pub(super) fn site() -> Site {
        let mut s = Site::empty("t", at(12, 0));
        s.admissions.push(Admission {
            id: "a1".into(),
            patient_id: "p1".into(),
            ward_id: Some("w1".into()),
            bed_id: Some("b1".into()),
            admitted_at: at(9, 0),
            consultant: None,
            specialty: None,
            expected_discharge: None,
            reason: None,
        });
        s.orders.push(order("o1"));
        s.orders.push(order("o2"));
        s
    }

    pub(super) fn place(ward: &str, bed: &str) -> Place {
        Place {
            ward_id: Some(ward.into()),
            bed_id: Some(bed.into()),
        }
    }

    pub(super) fn epr() -> EprState {
        EprState {
            fetched_at: Some(at(18, 0)),
            orders: ["o1", "o2"]
                .map(|id| EprOrder {
                    id: id.into(),
                    patient_id: "p1".into(),
                    status: EprOrderStatus::Active,
                    changed_at: Some(at(9, 0)),
                })
                .to_vec(),
            encounters: vec![EprEncounter {
                id: "enc1".into(),
                patient_id: "p1".into(),
                status: EncounterStatus::InProgress,
                place: place("w1", "b1"),
                ended_at: None,
            }],
            administrations: Vec::new(),
            patients: vec![
                EprPatient {
                    id: "p1".into(),
                    nhs_number: Some("9434765919".parse().unwrap()),
                    family: "Smith".into(),
                    given: vec!["Mary".into()],
                    birth_date: NaiveDate::from_ymd_opt(1950, 1, 1),
                },
                EprPatient {
                    id: "p9".into(),
                    nhs_number: None,
                    family: "Jones".into(),
                    given: vec!["Alan".into()],
                    birth_date: NaiveDate::from_ymd_opt(1961, 6, 2),
                },
            ],
            filed: BTreeSet::new(),
        }
    }

    pub(super) fn run(entries: &[Entry], epr: &EprState, decisions: &[Decision]) -> Plan {
        let site = site();
        let filed = BTreeSet::new();
        plan(&PlanInput {
            entries,
            site: &site,
            epr,
            decisions,
            filed: &filed,
            allow_drill: false,
        })
    }

    fn decide(entry_id: &str, choice: Choice) -> Decision {
        Decision {
            entry_id: entry_id.into(),
            by: "Sister A Khan".into(),
            at: at(19, 0),
            choice,
            seen: Vec::new(),
        }
    }

    /// The decision, made having seen the entry's conflicts in `p`.
    fn seeing(p: &Plan, mut d: Decision) -> Decision {
        if let Outcome::NeedsPerson { conflicts } = outcome(p, &d.entry_id) {
            d.seen.clone_from(conflicts);
        }
        d
    }

    fn outcome<'p>(p: &'p Plan, id: &str) -> &'p Outcome {
        &p.get(id).unwrap().outcome
    }

    fn conflicts(p: &Plan, id: &str) -> Vec<Conflict> {
        match outcome(p, id) {
            Outcome::NeedsPerson { conflicts } => conflicts.clone(),
            other => panic!("{id}: expected a person to be needed, got {other:?}"),
        }
    }

    fn is_ready(p: &Plan, id: &str) -> bool {
        matches!(outcome(p, id), Outcome::Ready { .. })
    }

    fn downtime_admission(
        id: &str,
        nhs: Option<&str>,
        family: &str,
        given: &str,
        birth: (i32, u32, u32),
    ) -> Entry {
        entry(
            id,
            EntryKind::Admission {
                patient: Patient {
                    id: "DT-WD7-PC1-0001".into(),
                    nhs_number: nhs.map(|n| n.parse().unwrap()),
                    hospital_number: None,
                    name: PersonName {
                        family: family.into(),
                        given: vec![given.into()],
                        prefix: None,
                    },
                    birth_date: NaiveDate::from_ymd_opt(birth.0, birth.1, birth.2),
                    sex: Sex::Female,
                },
                admission: Admission {
                    id: "DT-adm-1".into(),
                    patient_id: "DT-WD7-PC1-0001".into(),
                    ward_id: Some("w1".into()),
                    bed_id: Some("b4".into()),
                    admitted_at: at(13, 0),
                    consultant: None,
                    specialty: None,
                    expected_discharge: None,
                    reason: None,
                },
            },
        )
    }

    #[test]
    fn the_filing_identifier_is_a_uuid_v5_of_the_entry_id_pinned_for_ever() {
        // Pinned against an independent computation (Python: SHA-1 of namespace bytes + UUID bytes).
        let id = "0f8e2c1a-7b3d-4e5f-9a6b-1c2d3e4f5a6b";
        assert_eq!(filing_id(id).as_str(), "7b9fa084-b72d-54f4-9706-36985d805e38");
        assert_eq!(
            filing_id(&id.to_uppercase()),
            filing_id(id),
            "one UUID however it is written"
        );
        assert_eq!(filing_id("e1").as_str(), "e27c9b9c-b4b7-5ac1-98fb-a23d9cc6da81");
        assert_ne!(filing_id("e1"), filing_id("e2"));
        assert_eq!(FILING_ID_SYSTEM, "urn:lamplight:downtime-entry");
    }

    #[test]
    fn a_dose_with_nothing_in_its_way_is_ready_for_its_patient() {
        let p = run(&[given("e1", "o1", 14, 5)], &epr(), &[]);
        match outcome(&p, "e1") {
            Outcome::Ready {
                entry,
                patient,
                decided_by,
            } => {
                assert_eq!(entry.id, "e1");
                assert_eq!(*patient, FilingPatient::Epr { id: "p1".into() });
                assert_eq!(*decided_by, None);
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(p.get("e1").unwrap().filing_id, filing_id("e1"));
    }

    #[test]
    fn an_order_stopped_cancelled_or_changed_before_the_dose_goes_to_a_person() {
        let cases = [
            // (status, changed at, conflict?)
            (EprOrderStatus::Stopped, Some(at(13, 0)), true),
            (EprOrderStatus::Stopped, None, true),
            (EprOrderStatus::Stopped, Some(at(16, 0)), false), // stopped after the dose was given
            (EprOrderStatus::Completed, Some(at(16, 0)), false),
            (EprOrderStatus::OnHold, Some(at(14, 0)), true),
            (EprOrderStatus::Cancelled, Some(at(16, 0)), true), // void whenever it changed
            (EprOrderStatus::EnteredInError, None, true),
            (EprOrderStatus::Active, Some(at(13, 0)), true), // changed during the downtime
            (EprOrderStatus::Active, Some(at(9, 0)), false), // changed before the snapshot
            (EprOrderStatus::Active, None, false),
        ];
        for (status, changed_at, conflict) in cases {
            let mut state = epr();
            state.orders[0].status = status;
            state.orders[0].changed_at = changed_at;
            let p = run(&[given("e1", "o1", 14, 5)], &state, &[]);
            assert_eq!(!is_ready(&p, "e1"), conflict, "{status:?} changed {changed_at:?}");
            if conflict {
                assert!(matches!(conflicts(&p, "e1")[..], [Conflict::OrderChanged { .. }]));
            }
        }
        let mut state = epr();
        state.orders.clear();
        let p = run(&[given("e1", "o1", 14, 5)], &state, &[]);
        assert_eq!(
            conflicts(&p, "e1"),
            [Conflict::OrderNotInEpr {
                order_id: "o1".into()
            }]
        );
    }

    #[test]
    fn a_patient_the_epr_moved_or_discharged_goes_to_a_person() {
        let mut moved = epr();
        moved.encounters[0].place = place("w2", "b7");
        let p = run(&[note("n1", "p1")], &moved, &[]);
        assert_eq!(
            conflicts(&p, "n1"),
            [Conflict::PatientMoved {
                believed: place("w1", "b1"),
                epr: place("w2", "b7"),
            }]
        );

        // Where Lamplight's own transfer put them is no conflict (the EPR already has the move).
        let transfer = entry(
            "t1",
            EntryKind::Transfer {
                patient_id: "p1".into(),
                ward_id: "w2".into(),
                bed_id: Some("b7".into()),
            },
        );
        let p = run(&[transfer.clone(), note("n1", "p1")], &moved, &[]);
        assert!(is_ready(&p, "t1") && is_ready(&p, "n1"));
        // ... nor is the EPR still having them where they were before it.
        let p = run(&[transfer, note("n1", "p1")], &epr(), &[]);
        assert!(is_ready(&p, "t1") && is_ready(&p, "n1"));

        let mut out = epr();
        out.encounters[0].status = EncounterStatus::Finished;
        out.encounters[0].ended_at = Some(at(14, 30));
        let p = run(&[given("before", "o1", 14, 5), note("after", "p1")], &out, &[]);
        assert!(
            is_ready(&p, "before"),
            "a dose before the discharge files to the finished stay"
        );
        assert_eq!(
            conflicts(&p, "after"),
            [Conflict::PatientDischarged {
                ended_at: Some(at(14, 30))
            }]
        );

        let mut none = epr();
        none.encounters.clear();
        let p = run(&[note("n1", "p1")], &none, &[]);
        assert_eq!(conflicts(&p, "n1"), [Conflict::NoEncounter]);
    }

    fn held(id: &str, h: u32, m: u32, filing_ids: Vec<FilingId>) -> EprAdministration {
        EprAdministration {
            id: id.into(),
            order_id: "o1".into(),
            patient_id: "p1".into(),
            at: at(h, m),
            status: EprAdministrationStatus::Completed,
            filing_ids,
        }
    }

    #[test]
    fn a_dose_the_epr_already_holds_within_the_cover_window_goes_to_a_person() {
        for (h, m, conflict) in [
            (14, 10, true),
            (13, 0, true),
            (16, 0, true),
            (12, 59, false),
            (16, 1, false),
        ] {
            let mut state = epr();
            state.administrations.push(held("ma1", h, m, Vec::new()));
            let p = run(&[given("e1", "o1", 14, 5)], &state, &[]);
            assert_eq!(!is_ready(&p, "e1"), conflict, "EPR dose at {h}:{m}");
            if conflict {
                assert_eq!(
                    conflicts(&p, "e1"),
                    [Conflict::DoseHeldByEpr {
                        order_id: "o1".into(),
                        due_at: at(14, 0),
                        administration_id: "ma1".into(),
                        at: at(h, m),
                    }]
                );
            }
        }
        // One the EPR holds but marked entered-in-error covers nothing.
        let mut state = epr();
        let mut void = held("ma1", 14, 10, Vec::new());
        void.status = EprAdministrationStatus::EnteredInError;
        state.administrations.push(void);
        assert!(is_ready(&run(&[given("e1", "o1", 14, 5)], &state, &[]), "e1"));
        // One carrying this entry's own filing identifier is this entry, filed.
        let mut state = epr();
        state
            .administrations
            .push(held("ma1", 14, 5, vec![filing_id("e1")]));
        assert_eq!(
            *outcome(&run(&[given("e1", "o1", 14, 5)], &state, &[]), "e1"),
            Outcome::AlreadyFiled
        );
    }

    /// The rule for two PCs recording the same due dose: neither is filed until a person decides;
    /// each is shown with all the entries that recorded it; a person accepts one and rejects the
    /// other (or accepts both, if two doses really were given).
    #[test]
    fn two_pcs_recording_the_same_due_dose_file_neither_until_a_person_decides() {
        let a = given("e-pc1", "o1", 14, 5);
        let mut b = given("e-pc2", "o1", 14, 40);
        b.pc = "WD7-PC2".into();
        let other_order = given("e-o2", "o2", 14, 5);
        let other_time = given("e-22", "o1", 22, 0);
        let entries = [a, b, other_order, other_time];
        let p = run(&entries, &epr(), &[]);
        let twice = Conflict::SameDoseTwice {
            order_id: "o1".into(),
            due_at: at(14, 0),
            entries: vec!["e-pc1".into(), "e-pc2".into()],
        };
        assert_eq!(conflicts(&p, "e-pc1"), std::slice::from_ref(&twice));
        assert_eq!(conflicts(&p, "e-pc2"), [twice]);
        assert!(
            is_ready(&p, "e-o2") && is_ready(&p, "e-22"),
            "another order or due time is another dose"
        );

        let decisions = [
            seeing(&p, decide("e-pc1", Choice::Accept)),
            decide(
                "e-pc2",
                Choice::Reject {
                    reason: "the same dose, recorded again on PC2".into(),
                },
            ),
        ];
        let p = run(&entries, &epr(), &decisions);
        assert!(is_ready(&p, "e-pc1"));
        assert!(matches!(outcome(&p, "e-pc2"), Outcome::Rejected { by, .. } if by == "Sister A Khan"));

        // A dose not given and one given for the same due time are the same dose recorded twice too.
        let not_given = entry(
            "ng",
            EntryKind::DoseNotGiven {
                patient_id: "p1".into(),
                order_id: "o1".into(),
                due_at: at(14, 0),
                reason: OmissionReason::Refused,
                note: None,
            },
        );
        let p = run(&[given("e1", "o1", 14, 5), not_given], &epr(), &[]);
        assert!(!is_ready(&p, "e1") && !is_ready(&p, "ng"));
    }

    #[test]
    fn two_different_records_under_one_id_go_to_a_person_and_the_same_record_twice_is_one_entry() {
        let a = note("n1", "p1");
        let p = run(&[a.clone(), a.clone()], &epr(), &[]);
        assert_eq!(p.entries.len(), 1);
        assert!(is_ready(&p, "n1"));
        let mut b = a.clone();
        b.pc = "WD7-PC2".into();
        let p = run(&[a.clone(), b.clone()], &epr(), &[]);
        assert_eq!(p.entries.len(), 1);
        assert_eq!(
            conflicts(&p, "n1"),
            [Conflict::RecordsDiffer {
                pcs: vec!["WD7-PC1".into(), "WD7-PC2".into()]
            }]
        );
        assert_eq!(p, run(&[b, a], &epr(), &[]), "the same plan in either order");
    }

    #[test]
    fn a_conflict_that_arises_after_the_decision_is_shown_again() {
        let mut stopped = epr();
        stopped.orders[0].status = EprOrderStatus::Stopped;
        stopped.orders[0].changed_at = Some(at(13, 0));
        let dose = [given("e1", "o1", 14, 5)];
        let p = run(&dose, &stopped, &[]);
        let accept = seeing(&p, decide("e1", Choice::Accept));
        assert!(is_ready(
            &run(&dose, &stopped, std::slice::from_ref(&accept)),
            "e1"
        ));

        // Since the decision, the EPR received the same dose from elsewhere.
        stopped.administrations.push(held("ma1", 14, 10, Vec::new()));
        let p = run(&dose, &stopped, std::slice::from_ref(&accept));
        assert_eq!(conflicts(&p, "e1").len(), 2, "both shown again");
        assert_eq!(
            p.ignored_decisions.len(),
            1,
            "and the decision reported as not applied"
        );
    }

    #[test]
    fn a_downtime_admission_is_matched_only_by_a_person_and_candidates_never_by_name_alone() {
        let epr = epr();
        // NHS number agrees: the best candidate, still shown to a person.
        let by_nhs = downtime_admission("adm", Some("9434765919"), "Smith", "Mary", (1950, 1, 1));
        let p = run(std::slice::from_ref(&by_nhs), &epr, &[]);
        let [Conflict::AdmissionNeedsMatch { candidates }] = &conflicts(&p, "adm")[..] else {
            panic!("expected a match to be asked for");
        };
        assert_eq!(candidates.len(), 1);
        assert_eq!(candidates[0].epr_patient_id, "p1");
        assert_eq!(candidates[0].score, 170);

        // Family name and birth date: a candidate; the NHS number differing is shown.
        let other_nhs = downtime_admission("adm", Some("4010232137"), "SMITH ", "Maria", (1950, 1, 1));
        let p = run(&[other_nhs], &epr, &[]);
        let [Conflict::AdmissionNeedsMatch { candidates }] = &conflicts(&p, "adm")[..] else {
            panic!()
        };
        assert_eq!(candidates[0].score, 60);
        assert_eq!(
            candidates[0].differs,
            [MatchField::NhsNumber, MatchField::GivenName]
        );

        // A name alone (birth date differs) makes no candidate.
        let name_only = downtime_admission("adm", None, "Smith", "Mary", (1951, 1, 1));
        let p = run(&[name_only], &epr, &[]);
        assert_eq!(
            conflicts(&p, "adm"),
            [Conflict::AdmissionNeedsMatch {
                candidates: Vec::new()
            }]
        );
    }

    #[test]
    fn entries_on_a_downtime_patient_wait_for_the_match_and_then_file_against_the_matched_patient() {
        let adm = downtime_admission("adm", Some("9434765919"), "Smith", "Mary", (1950, 1, 1));
        let n = note("n1", "DT-WD7-PC1-0001");
        let entries = [adm, n];
        let p = run(&entries, &epr(), &[]);
        assert_eq!(
            conflicts(&p, "n1"),
            [Conflict::PatientNotMatched {
                admission_entry: "adm".into()
            }]
        );
        // Accepting the note does not match its patient.
        let p = run(&entries, &epr(), &[decide("n1", Choice::Accept)]);
        assert!(!is_ready(&p, "n1"));

        let matched = [decide(
            "adm",
            Choice::MatchPatient {
                epr_patient_id: "p1".into(),
            },
        )];
        let p = run(&entries, &epr(), &matched);
        for id in ["adm", "n1"] {
            assert!(
                matches!(outcome(&p, id), Outcome::Ready { patient: FilingPatient::Epr { id }, .. } if id == "p1"),
                "{id}"
            );
        }

        let p = run(&entries, &epr(), &[decide("adm", Choice::NewPatient)]);
        let new = FilingPatient::New {
            downtime_id: "DT-WD7-PC1-0001".into(),
            admission_entry: "adm".into(),
        };
        assert!(matches!(outcome(&p, "n1"), Outcome::Ready { patient, .. } if *patient == new));

        // A match to a patient the EPR did not give is not applied, and is reported.
        let p = run(
            &entries,
            &epr(),
            &[decide(
                "adm",
                Choice::MatchPatient {
                    epr_patient_id: "nobody".into(),
                },
            )],
        );
        assert!(!is_ready(&p, "adm") && !is_ready(&p, "n1"));
        assert_eq!(p.ignored_decisions.len(), 1);

        // An accept is no match.
        let p = run(&entries, &epr(), &[decide("adm", Choice::Accept)]);
        assert!(!is_ready(&p, "adm"));
        assert_eq!(p.ignored_decisions.len(), 1);
    }

    #[test]
    fn an_implausible_value_goes_to_a_person_and_an_edit_or_accept_clears_it() {
        let mut set = ObservationSet::empty("s1", "p1", at(14, 0));
        set.pulse = Some(720);
        let obs = entry("o", EntryKind::Observations { set: set.clone() });
        let p = run(std::slice::from_ref(&obs), &epr(), &[]);
        assert!(
            matches!(&conflicts(&p, "o")[..], [Conflict::Implausible { problems }] if problems[0].contains("Pulse 720"))
        );

        set.pulse = Some(72);
        let edit = decide(
            "o",
            Choice::Edit {
                kind: Box::new(EntryKind::Observations { set: set.clone() }),
            },
        );
        let p = run(std::slice::from_ref(&obs), &epr(), &[edit]);
        match outcome(&p, "o") {
            Outcome::Ready {
                entry, decided_by, ..
            } => {
                assert_eq!(entry.kind, EntryKind::Observations { set });
                assert_eq!(decided_by.as_deref(), Some("Sister A Khan"));
            }
            other => panic!("{other:?}"),
        }
        let accept = decide("o", Choice::Accept);
        let p = run(std::slice::from_ref(&obs), &epr(), std::slice::from_ref(&accept));
        assert!(
            !is_ready(&p, "o"),
            "an accept clears only the conflicts the person saw"
        );
        let seen = seeing(&p, accept);
        let p = run(std::slice::from_ref(&obs), &epr(), &[seen]);
        assert!(is_ready(&p, "o"));

        // An edit that changes what the entry is, or whom it is about, is not applied.
        let p = run(
            std::slice::from_ref(&obs),
            &epr(),
            &[decide(
                "o",
                Choice::Edit {
                    kind: Box::new(note("x", "p1").kind),
                },
            )],
        );
        assert!(!is_ready(&p, "o"));
        assert_eq!(p.ignored_decisions.len(), 1);
    }

    #[test]
    fn drills_replaced_and_withdrawn_entries_are_never_filed_and_the_correction_is() {
        let mut drill = note("drill", "p1");
        drill.drill = true;
        let original = given("e1", "o1", 14, 5);
        let mut replacement = given("e2", "o1", 14, 10);
        replacement.corrects = Some("e1".into());
        let wrong = note("n-wrong", "p1");
        let mut withdraw = entry(
            "w",
            EntryKind::EnteredInError {
                reason: "wrong patient".into(),
            },
        );
        withdraw.corrects = Some("n-wrong".into());
        let entries = [drill.clone(), original, replacement, wrong, withdraw];
        let p = run(&entries, &epr(), &[]);
        assert_eq!(
            *outcome(&p, "drill"),
            Outcome::NotFiled {
                why: NotFiledWhy::Drill
            }
        );
        assert_eq!(
            *outcome(&p, "e1"),
            Outcome::NotFiled {
                why: NotFiledWhy::Replaced { by: "e2".into() }
            }
        );
        assert!(
            is_ready(&p, "e2"),
            "the correction is filed, and is not a second dose"
        );
        assert_eq!(
            *outcome(&p, "n-wrong"),
            Outcome::NotFiled {
                why: NotFiledWhy::Withdrawn { by: "w".into() }
            }
        );
        assert_eq!(
            *outcome(&p, "w"),
            Outcome::NotFiled {
                why: NotFiledWhy::Withdrawal
            }
        );

        // A drill against a test EPR files drill entries.
        let site = site();
        let filed = BTreeSet::new();
        let p = plan(&PlanInput {
            entries: &[drill],
            site: &site,
            epr: &epr(),
            decisions: &[],
            filed: &filed,
            allow_drill: true,
        });
        assert!(is_ready(&p, "drill"));
    }

    #[test]
    fn a_correction_of_an_entry_already_filed_goes_to_a_person() {
        let mut withdraw = entry(
            "w",
            EntryKind::EnteredInError {
                reason: "wrong patient".into(),
            },
        );
        withdraw.corrects = Some("n1".into());
        let mut state = epr();
        state.filed.insert(filing_id("n1"));
        let p = run(&[note("n1", "p1"), withdraw], &state, &[]);
        assert_eq!(*outcome(&p, "n1"), Outcome::AlreadyFiled);
        assert_eq!(
            conflicts(&p, "w"),
            [Conflict::CorrectsFiledEntry {
                filed_entry: "n1".into()
            }]
        );
    }

    #[test]
    fn what_was_filed_before_is_never_planned_again_and_decisions_on_it_are_reported() {
        let mut state = epr();
        state.filed.insert(filing_id("n1"));
        let p = run(
            &[note("n1", "p1"), note("n2", "p1")],
            &state,
            &[decide("n1", Choice::Accept)],
        );
        assert_eq!(*outcome(&p, "n1"), Outcome::AlreadyFiled);
        assert!(is_ready(&p, "n2"));
        assert_eq!(p.ignored_decisions.len(), 1);

        // Lamplight's own journal of what it filed counts as much as the EPR's search.
        let site = site();
        let filed = BTreeSet::from([filing_id("n2")]);
        let p = plan(&PlanInput {
            entries: &[note("n2", "p1")],
            site: &site,
            epr: &epr(),
            decisions: &[],
            filed: &filed,
            allow_drill: false,
        });
        assert_eq!(*outcome(&p, "n2"), Outcome::AlreadyFiled);
    }

    #[test]
    fn a_decision_for_no_entry_is_reported_and_a_rejection_is_kept_with_who_and_why() {
        let p = run(
            &[note("n1", "p1")],
            &epr(),
            &[
                decide("ghost", Choice::Accept),
                decide(
                    "n1",
                    Choice::Reject {
                        reason: "duplicate of the paper note".into(),
                    },
                ),
            ],
        );
        assert_eq!(p.ignored_decisions.len(), 1);
        assert_eq!(p.ignored_decisions[0].decision.entry_id, "ghost");
        assert_eq!(
            *outcome(&p, "n1"),
            Outcome::Rejected {
                by: "Sister A Khan".into(),
                reason: "duplicate of the paper note".into()
            }
        );
        // The latest decision counts.
        let mut later = decide("n1", Choice::Accept);
        later.at = at(20, 0);
        let p = run(
            &[note("n1", "p1")],
            &epr(),
            &[later, decide("n1", Choice::Reject { reason: "no".into() })],
        );
        assert!(is_ready(&p, "n1"));
    }

    #[test]
    fn the_worklist_groups_by_patient_in_time_order_and_counts_each_outcome() {
        let mut drill = note("drill", "p1");
        drill.drill = true;
        let mut state = epr();
        state.filed.insert(filing_id("e22"));
        let entries = [
            given("e22", "o1", 22, 0),
            given("e14", "o1", 14, 5),
            note("n-p2", "p2"),
            drill,
            note("rej", "p1"),
        ];
        let p = run(
            &entries,
            &state,
            &[decide("rej", Choice::Reject { reason: "x".into() })],
        );
        let groups = p.by_patient();
        assert_eq!(groups.len(), 2);
        assert_eq!(groups[0].patient_id.as_deref(), Some("p1"));
        let order: Vec<&str> = groups[0].entries.iter().map(|e| e.entry_id.as_str()).collect();
        assert_eq!(order, ["e14", "drill", "rej", "e22"]);
        assert_eq!(
            p.counts(),
            PlanCounts {
                ready: 1,
                needs_person: 1, // p2 has no encounter in the EPR
                filed: 1,
                rejected: 1,
                not_filed: 1,
            }
        );
    }
}

#[cfg(test)]
mod props {
    use super::tests::{at, entry, epr, given, note, place, site};
    use super::*;
    use crate::medication::OmissionReason;
    use crate::patient::{Admission, PersonName, Sex};
    use proptest::prelude::*;

    const PATIENTS: [&str; 3] = ["p1", "p2", "DT-WD7-PC1-0001"];
    const ORDERS: [&str; 2] = ["o1", "o2"];
    const ORDER_STATUSES: [EprOrderStatus; 4] = [
        EprOrderStatus::Active,
        EprOrderStatus::Stopped,
        EprOrderStatus::Cancelled,
        EprOrderStatus::OnHold,
    ];

    fn minute(m: u32) -> DateTime<Utc> {
        at(12, 0) + TimeDelta::minutes(i64::from(m))
    }

    /// (kind, patient, order, minute, drill, corrects, value)
    type Spec = (u8, usize, usize, u32, bool, Option<usize>, u16);

    fn build(i: usize, (kind, patient, order, m, drill, corrects, value): Spec) -> Entry {
        let patient_id = PATIENTS[patient].to_owned();
        let id = format!("e{i:02}");
        let mut e = match kind {
            0 => {
                let mut e = given(&id, ORDERS[order], 12, 0);
                if let EntryKind::DoseGiven {
                    given_at,
                    patient_id: p,
                    ..
                } = &mut e.kind
                {
                    *given_at = minute(m);
                    p.clone_from(&patient_id);
                }
                e
            }
            1 => entry(
                &id,
                EntryKind::DoseNotGiven {
                    patient_id,
                    order_id: ORDERS[order].into(),
                    due_at: if m % 2 == 0 { at(14, 0) } else { at(22, 0) },
                    reason: OmissionReason::Refused,
                    note: None,
                },
            ),
            2 => {
                let mut set = ObservationSet::empty(format!("s{i}"), patient_id, minute(m));
                set.pulse = Some(value);
                entry(&id, EntryKind::Observations { set })
            }
            3 => entry(
                &id,
                EntryKind::Transfer {
                    patient_id,
                    ward_id: format!("w{}", value % 3),
                    bed_id: Some(format!("b{}", value % 4)),
                },
            ),
            4 => entry(
                &id,
                EntryKind::Discharge {
                    patient_id,
                    at: minute(m),
                    destination: None,
                },
            ),
            5 => note(&id, &patient_id),
            6 => entry(
                &id,
                EntryKind::Admission {
                    patient: Patient {
                        id: PATIENTS[2].into(),
                        nhs_number: (value % 2 == 0).then(|| "9434765919".parse().unwrap()),
                        hospital_number: None,
                        name: PersonName {
                            family: "Smith".into(),
                            given: vec!["Mary".into()],
                            prefix: None,
                        },
                        birth_date: NaiveDate::from_ymd_opt(1950, 1, 1),
                        sex: Sex::Female,
                    },
                    admission: Admission {
                        id: format!("adm{i}"),
                        patient_id: PATIENTS[2].into(),
                        ward_id: Some("w1".into()),
                        bed_id: Some("b4".into()),
                        admitted_at: minute(m),
                        consultant: None,
                        specialty: None,
                        expected_discharge: None,
                        reason: None,
                    },
                },
            ),
            _ => entry(
                &id,
                EntryKind::EnteredInError {
                    reason: "wrong".into(),
                },
            ),
        };
        e.recorded_at = minute(m / 2 * 2); // ties in recorded time, broken by id
        e.drill = drill;
        e.corrects = corrects.filter(|_| i > 0).map(|c| format!("e{:02}", c % i));
        e
    }

    fn spec() -> impl Strategy<Value = Spec> {
        (
            0u8..8,
            0usize..3,
            0usize..2,
            0u32..600,
            proptest::bool::weighted(0.1),
            proptest::option::weighted(0.2, 0usize..40),
            0u16..800,
        )
    }

    #[derive(Debug, Clone)]
    struct World {
        entries: Vec<Entry>,
        epr: EprState,
        journal_filed: BTreeSet<FilingId>,
        decisions: Vec<Decision>,
        /// A permutation key for each entry (after duplicates) and each decision.
        entry_keys: Vec<u32>,
        decision_keys: Vec<u32>,
    }

    #[allow(clippy::too_many_lines, reason = "one generated ward, read top to bottom")]
    fn world() -> impl Strategy<Value = World> {
        (
            proptest::collection::vec(spec(), 0..25),
            proptest::collection::vec(0usize..40, 0..4), // entries seen twice
            proptest::collection::vec((0usize..4, proptest::option::of(0u32..600)), 2),
            proptest::collection::vec((0usize..2, 0u32..600, proptest::option::of(0usize..40)), 0..5),
            proptest::collection::vec(0usize..40, 0..5), // filed (EPR)
            proptest::collection::vec(0usize..40, 0..3), // filed (journal)
            proptest::collection::vec((0usize..45, 0u8..5, 0u32..60), 0..10),
            (0u8..3, 0u8..3),
            proptest::collection::vec(any::<u32>(), 40),
            proptest::collection::vec(any::<u32>(), 10),
        )
            .prop_map(
                |(
                    specs,
                    dups,
                    orders,
                    admins,
                    filed,
                    journal,
                    decisions,
                    encs,
                    entry_keys,
                    decision_keys,
                )| {
                    let mut entries: Vec<Entry> =
                        specs.iter().enumerate().map(|(i, s)| build(i, *s)).collect();
                    let n = entries.len();
                    let id = |k: usize| format!("e{:02}", k % n.max(1));
                    if n > 0 {
                        for d in dups {
                            entries.push(entries[d % n].clone());
                        }
                    }
                    let mut state = epr();
                    for (o, (status, changed)) in state.orders.iter_mut().zip(orders) {
                        o.status = ORDER_STATUSES[status];
                        o.changed_at = changed.map(minute);
                    }
                    match encs.0 {
                        0 => {}
                        1 => state.encounters[0].place = place("w2", "b7"),
                        _ => {
                            state.encounters[0].status = EncounterStatus::Finished;
                            state.encounters[0].ended_at = Some(minute(300));
                        }
                    }
                    if encs.1 > 0 {
                        state.encounters.push(EprEncounter {
                            id: "enc2".into(),
                            patient_id: "p2".into(),
                            status: EncounterStatus::InProgress,
                            place: place("w1", &format!("b{}", encs.1)),
                            ended_at: None,
                        });
                    }
                    for (k, (o, m, carries)) in admins.into_iter().enumerate() {
                        state.administrations.push(EprAdministration {
                            id: format!("ma{k}"),
                            order_id: ORDERS[o].into(),
                            patient_id: "p1".into(),
                            at: minute(m),
                            status: EprAdministrationStatus::Completed,
                            filing_ids: carries
                                .filter(|_| n > 0)
                                .map(|c| filing_id(&id(c)))
                                .into_iter()
                                .collect(),
                        });
                    }
                    if n > 0 {
                        state.filed.extend(filed.into_iter().map(|k| filing_id(&id(k))));
                    }
                    let journal_filed = if n > 0 {
                        journal.into_iter().map(|k| filing_id(&id(k))).collect()
                    } else {
                        BTreeSet::new()
                    };
                    let decisions: Vec<Decision> = decisions
                        .into_iter()
                        .map(|(k, c, m)| Decision {
                            // Some name no entry (e40..e44 and beyond the entries made).
                            entry_id: format!("e{k:02}"),
                            by: format!("nurse {}", m % 3),
                            at: minute(400 + m),
                            choice: match c {
                                0 => Choice::Accept,
                                1 => Choice::Reject { reason: "no".into() },
                                2 => Choice::MatchPatient {
                                    epr_patient_id: if m % 2 == 0 { "p1".into() } else { "p9".into() },
                                },
                                3 => Choice::NewPatient,
                                _ => Choice::Edit {
                                    kind: Box::new(note("x", "p1").kind),
                                },
                            },
                            seen: Vec::new(),
                        })
                        .collect();
                    // Half the decisions were made having seen the entry's conflicts.
                    let site = site();
                    let before = plan(&PlanInput {
                        entries: &entries,
                        site: &site,
                        epr: &state,
                        decisions: &[],
                        filed: &journal_filed,
                        allow_drill: false,
                    });
                    let decisions = decisions
                        .into_iter()
                        .map(|mut d: Decision| {
                            if d.at.timestamp() % 120 == 0
                                && let Some(Outcome::NeedsPerson { conflicts }) =
                                    before.get(&d.entry_id).map(|e| &e.outcome)
                            {
                                d.seen.clone_from(conflicts);
                            }
                            d
                        })
                        .collect();
                    World {
                        entries,
                        epr: state,
                        journal_filed,
                        decisions,
                        entry_keys,
                        decision_keys,
                    }
                },
            )
    }

    fn plan_of(w: &World, entries: &[Entry], decisions: &[Decision]) -> Plan {
        let site = site();
        plan(&PlanInput {
            entries,
            site: &site,
            epr: &w.epr,
            decisions,
            filed: &w.journal_filed,
            allow_drill: false,
        })
    }

    fn permuted<T: Clone>(items: &[T], keys: &[u32]) -> Vec<T> {
        let mut idx: Vec<usize> = (0..items.len()).collect();
        idx.sort_by_key(|i| (keys.get(*i).copied().unwrap_or(0), *i));
        idx.into_iter().map(|i| items[i].clone()).collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn every_entry_gets_exactly_one_outcome(w in world()) {
            let p = plan_of(&w, &w.entries, &w.decisions);
            let ids: BTreeSet<&str> = w.entries.iter().map(|e| e.id.as_str()).collect();
            let planned: Vec<&str> = p.entries.iter().map(|e| e.entry_id.as_str()).collect();
            prop_assert_eq!(planned.len(), ids.len(), "one plan per entry, duplicates of a record counted once");
            prop_assert_eq!(&planned.iter().copied().collect::<BTreeSet<_>>(), &ids);
            let c = p.counts();
            prop_assert_eq!(c.ready + c.needs_person + c.filed + c.rejected + c.not_filed, ids.len());
        }

        #[test]
        fn filing_is_never_planned_twice_for_one_entry(w in world()) {
            let p = plan_of(&w, &w.entries, &w.decisions);
            let mut filed: BTreeSet<FilingId> = w.epr.filed.union(&w.journal_filed).cloned().collect();
            filed.extend(w.epr.administrations.iter().flat_map(|a| a.filing_ids.iter().cloned()));
            let mut ready = BTreeSet::new();
            for e in &p.entries {
                if let Outcome::Ready { entry, .. } = &e.outcome {
                    prop_assert!(ready.insert(e.filing_id.clone()), "{} planned twice", e.entry_id);
                    prop_assert!(!filed.contains(&e.filing_id), "{} is filed already", e.entry_id);
                    prop_assert_eq!(&filing_id(&entry.id), &e.filing_id, "filed under its own identifier");
                }
            }
        }

        #[test]
        fn the_plan_does_not_depend_on_the_order_of_entries_or_decisions(w in world()) {
            let mut sorted = w.entries.clone();
            sorted.sort_by(|a, b| a.recorded_at.cmp(&b.recorded_at).then_with(|| a.id.cmp(&b.id)));
            let shuffled = permuted(&w.entries, &w.entry_keys);
            let decisions = permuted(&w.decisions, &w.decision_keys);
            prop_assert_eq!(plan_of(&w, &shuffled, &decisions), plan_of(&w, &sorted, &w.decisions));
        }

        #[test]
        fn decisions_for_unknown_entries_are_ignored_and_reported(w in world()) {
            let p = plan_of(&w, &w.entries, &w.decisions);
            let ids: BTreeSet<&str> = w.entries.iter().map(|e| e.id.as_str()).collect();
            for d in w.decisions.iter().filter(|d| !ids.contains(d.entry_id.as_str())) {
                prop_assert!(p.ignored_decisions.iter().any(|i| i.decision == *d), "{:?} not reported", d);
            }
            let bare = plan_of(&w, &w.entries, &[]);
            let unknown: Vec<Decision> =
                w.decisions.iter().filter(|d| !ids.contains(d.entry_id.as_str())).cloned().collect();
            prop_assert_eq!(plan_of(&w, &w.entries, &unknown).entries, bare.entries, "they change nothing");
        }
    }
}

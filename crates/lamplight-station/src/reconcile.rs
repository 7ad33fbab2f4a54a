//! Reconciliation at the station: the ward's record (every PC's entries, the decisions people made
//! about them, what the EPR acknowledged) put to the model's pure plan against the EPR as it is now,
//! and the decisions and acknowledgements kept in the journal beside the entries, so that any PC of
//! the ward, or `lamplight reconcile` run again after a crash, carries on from the same record.
//!
//! What it leaves to others: the plan's rules (`lamplight_model::reconcile`), fetching the EPR's
//! state and filing FHIR transactions (`lamplight_fhir`), and the worklist on screen.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use lamplight_model::reconcile::{self, Choice, Conflict, Decision, EprState, FilingId, Plan, PlanInput};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use lamplight_fhir::backfile::{self, AckStatus, FileOptions, PatientFiling};
use lamplight_fhir::epr_state::{self, StateQuery};
use lamplight_model::reconcile::{FilingPatient, NotFiledWhy, Outcome};

use crate::entries::Other;
use crate::{Station, StationError};

/// A filing lease older than this was left by a PC that stopped mid-way.
pub const LEASE_STALE: std::time::Duration = std::time::Duration::from_secs(600);

/// A PC's hold on filing one patient: released when dropped.
struct Lease {
    path: Option<std::path::PathBuf>,
}

impl Drop for Lease {
    fn drop(&mut self) {
        if let Some(p) = &self.path {
            let _ = std::fs::remove_file(p);
        }
    }
}

/// What one filing run did.
#[derive(Debug, Default)]
pub struct FilingRun {
    /// Each acknowledgement, as kept in the journal.
    pub filed: Vec<FiledAck>,
    /// Why filing stopped before the end; running again carries on.
    pub stopped: Option<backfile::FileError>,
    /// Patients another PC was filing at the time: left for the next run.
    pub busy: usize,
}

/// Who the journal names as having filed, when a command (not a signed-in person) files.
pub const FILED_BY_COMMAND: &str = "lamplight reconcile";

/// The EPR took (or already held) an entry's resources: appended to the journal as soon as the EPR
/// answers, so a second run, or another PC, never files it again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct FiledAck {
    pub entry_id: String,
    pub filing_id: String,
    /// `MedicationAdministration/123/_history/1`, as the EPR answered.
    pub resources: Vec<String>,
    /// The EPR held them already (an earlier run, another PC): nothing was created.
    pub already_there: bool,
    pub at: DateTime<Utc>,
}

impl Station {
    /// The decisions people made about the ward's entries, every PC's, oldest first.
    pub fn decisions(&self) -> Vec<Decision> {
        let mut d = self.recon().decisions;
        d.sort_by(|a, b| a.at.cmp(&b.at).then_with(|| a.entry_id.cmp(&b.entry_id)));
        d
    }

    /// What the EPR acknowledged, every PC's.
    pub fn filed(&self) -> Vec<FiledAck> {
        self.recon().filed
    }

    fn recon(&self) -> crate::entries::Recon {
        self.book
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .as_ref()
            .map(crate::entries::EntryBook::recon)
            .unwrap_or_default()
    }

    /// The plan for the ward's record against the EPR's state now: every entry's one outcome.
    pub fn reconciliation_plan(&self, epr: &EprState, allow_drill: bool) -> Plan {
        let data = self.data();
        let decisions = self.decisions();
        let filed: BTreeSet<FilingId> = self.filed().into_iter().map(|f| FilingId(f.filing_id)).collect();
        reconcile::plan(&PlanInput {
            entries: data.entries(),
            site: data.snapshot(),
            epr,
            decisions: &decisions,
            filed: &filed,
            allow_drill,
        })
    }

    /// A person decides about an entry that needed one: refused unless they are signed in and
    /// their role may record that kind of entry; kept in the journal before it returns.
    pub fn decide(
        &self,
        entry_id: &str,
        choice: Choice,
        seen: Vec<Conflict>,
        now: DateTime<Utc>,
    ) -> Result<Decision, StationError> {
        let entry = self
            .data()
            .entries()
            .iter()
            .find(|e| e.id == entry_id)
            .cloned()
            .ok_or_else(|| StationError::NotFound {
                what: "entry",
                id: entry_id.to_owned(),
            })?;
        let action = lamplight_model::people::Action::to_record(&entry.kind, None);
        let actor = self.require(action, now)?;
        // "Accept" of an entry a person has edited accepts the edit (a conflict that arose after
        // the edit is accepted for it): the latest decision is the one that counts, and a plain
        // accept would otherwise file the entry as first recorded, undoing the correction.
        let choice = match (choice, self.standing_edit(entry_id)) {
            (Choice::Accept, Some(kind)) => Choice::Edit { kind: Box::new(kind) },
            (c, _) => c,
        };
        let decision = Decision {
            entry_id: entry_id.to_owned(),
            by: actor.full_name.clone(),
            at: now,
            choice,
            seen,
        };
        self.append_other(
            &actor.full_name,
            actor.role.word(),
            Other::Decision(decision.clone()),
            now,
        )?;
        self.live().revision += 1;
        Ok(decision)
    }

    /// The entry as a person last edited it, when the decision that counts for it is an edit.
    fn standing_edit(&self, entry_id: &str) -> Option<lamplight_model::EntryKind> {
        self.standing_edits().remove(entry_id)
    }

    /// Every entry whose decision that counts (the latest, as the plan takes it) is an edit: the
    /// entry as the person edited it.
    fn standing_edits(&self) -> std::collections::BTreeMap<String, lamplight_model::EntryKind> {
        let mut latest: std::collections::BTreeMap<String, Decision> = std::collections::BTreeMap::new();
        for d in self.decisions() {
            if latest.get(&d.entry_id).is_none_or(|l| d.at > l.at) {
                latest.insert(d.entry_id.clone(), d);
            }
        }
        latest
            .into_iter()
            .filter_map(|(id, d)| match d.choice {
                Choice::Edit { kind } => Some((id, *kind)),
                _ => None,
            })
            .collect()
    }

    /// A person corrects an entry from the worklist (a mistyped value or time seen once the EPR
    /// was back): the form comes back as it would for a new entry and gets the same checks (an
    /// implausible value, a second checker, a when-required dose too soon are refused or need
    /// confirming just the same); the entry in the journal is untouched, and the correction is a
    /// decision ([`Choice::Edit`]), filed under the entry's own filing identifier.
    pub fn edit(&self, request: &EditRequest, now: DateTime<Utc>) -> Result<Decision, StationError> {
        let entry = self
            .data()
            .entries()
            .iter()
            .find(|e| e.id == request.entry_id)
            .cloned()
            .ok_or_else(|| StationError::NotFound {
                what: "entry",
                id: request.entry_id.clone(),
            })?;
        let actor = self.require(lamplight_model::people::Action::to_record(&entry.kind, None), now)?;
        if crate::forms::form_of(&entry.kind).is_none() {
            return Err(StationError::InvalidEntry(format!(
                "a {} is not edited in the worklist: reject it with a reason, and record it again if it is needed",
                crate::patient::entry_words(self.data().site(), &entry.kind)
                    .1
                    .to_lowercase()
            )));
        }
        let data = self.data();
        // The checks see the ward without the entry being corrected: its own dose is not "already
        // given".
        let mut site = data.site().clone();
        site.administrations
            .retain(|a| a.entry.as_deref() != Some(entry.id.as_str()));
        site.observations
            .retain(|o| o.entry.as_deref() != Some(entry.id.as_str()));
        let (mut kind, warnings, _) =
            self.build_entry(&site, data.entries(), &request.form, &actor.full_name, now)?;
        drop(data);
        if std::mem::discriminant(&kind) != std::mem::discriminant(&entry.kind)
            || kind.patient_id() != entry.kind.patient_id()
        {
            return Err(StationError::InvalidEntry(
                "an edit keeps the entry's kind and patient: to record something else, reject this entry and record the other".to_owned(),
            ));
        }
        if let (
            lamplight_model::EntryKind::Observations { set },
            lamplight_model::EntryKind::Observations { set: was },
        ) = (&mut kind, &entry.kind)
        {
            set.id.clone_from(&was.id);
            set.recorded_by.clone_from(&was.recorded_by);
        }
        if let Some(w) = warnings
            .iter()
            .find(|w| !request.confirmed_warnings.iter().any(|c| c == w.code))
        {
            return Err(StationError::NeedsConfirmation {
                code: w.code,
                message: w.text.clone(),
            });
        }
        for w in &warnings {
            self.audit(&actor, "warning-confirmed", Some(w.code), now);
        }
        self.decide(
            &entry.id,
            Choice::Edit { kind: Box::new(kind) },
            request.seen.clone(),
            now,
        )
    }

    /// Entries not yet filed to the EPR nor decided against, by what this PC's journal and its
    /// peers' say (no EPR needed): while any remain, the PC does not return to normal.
    pub fn unreconciled(&self) -> usize {
        let plan = self.reconciliation_plan(&EprState::default(), false);
        plan.entries
            .iter()
            .filter(|e| matches!(e.outcome, Outcome::Ready { .. } | Outcome::NeedsPerson { .. }))
            .count()
    }

    /// What the EPR holds now for the ward's entries, and the plan against it.
    pub fn fetch_plan(
        &self,
        epr: &lamplight_fhir::Epr,
        allow_drill: bool,
    ) -> Result<(EprState, Plan), crate::SyncError> {
        let entries = self.data().entries().to_vec();
        let state = epr_state::fetch(epr, &StateQuery::for_entries(&entries))?;
        let plan = self.reconciliation_plan(&state, allow_drill);
        Ok((state, plan))
    }

    /// Files the plan's ready entries, one patient at a time (writes to one patient are never
    /// concurrent), each acknowledgement kept in the journal before the next patient is sent.
    /// Stops at the first patient the EPR will not take; what was acknowledged is kept, and filing
    /// again carries on (nothing is filed twice). `by`: who is filing.
    pub fn file_ready(
        &self,
        epr: &lamplight_fhir::Epr,
        state: &EprState,
        plan: &Plan,
        by: &str,
    ) -> Result<FilingRun, StationError> {
        // One filing run per PC at a time: holding the PC's journal proves it.
        self.claim_journal()?;
        let mut run = FilingRun::default();
        for group in plan.by_patient() {
            let ready: Vec<(&lamplight_model::Entry, &FilingPatient)> = group
                .entries
                .iter()
                .filter_map(|e| match &e.outcome {
                    Outcome::Ready { entry, patient, .. } => Some((entry.as_ref(), patient)),
                    _ => None,
                })
                .collect();
            let Some((_, patient)) = ready.first() else {
                continue;
            };
            // One PC at a time files a patient's entries: another PC's run on the same ward waits
            // for the next one (conditional create is not safe against concurrent writes).
            let _lease = match self.take_lease(group.patient_id.as_deref().unwrap_or("none")) {
                Ok(Some(lease)) => Some(lease),
                Ok(None) => {
                    run.busy += 1;
                    continue;
                }
                Err(e) => {
                    tracing::warn!(error = %e, "no filing lease in the ward folder; filing without one");
                    None
                }
            };
            let encounter = match patient {
                FilingPatient::Epr { id } => state
                    .encounters
                    .iter()
                    .find(|e| &e.patient_id == id)
                    .map(|e| e.id.clone()),
                _ => None,
            };
            let filing = PatientFiling {
                patient: (*patient).clone(),
                encounter,
                entries: ready.iter().map(|(e, _)| *e).collect(),
            };
            let (acks, error) = match backfile::file_patient(epr, &filing, &FileOptions::default()) {
                Ok(acks) => (acks, None),
                Err(s) => (s.acks, Some(s.error)),
            };
            for ack in acks {
                let kept = FiledAck {
                    entry_id: ack.entry_id.clone(),
                    filing_id: ack.filing_id.0.clone(),
                    resources: ack
                        .resources
                        .iter()
                        .map(|r| match &r.version {
                            Some(v) => format!("{}/_history/{v}", r.reference),
                            None => r.reference.clone(),
                        })
                        .collect(),
                    already_there: ack.status == AckStatus::AlreadyThere,
                    at: Utc::now(),
                };
                self.record_filed(kept.clone(), by, Utc::now())?;
                run.filed.push(kept);
            }
            if let Some(e) = error {
                run.stopped = Some(e);
                return Ok(run);
            }
        }
        self.live().revision += 1;
        Ok(run)
    }

    /// Takes this PC's hold on filing one patient, in the ward folder (`filing/<patient>.lease`,
    /// made with create-new, so two PCs cannot both take it). `None`: another PC holds it. A hold
    /// older than [`LEASE_STALE`] was left by a PC that crashed, and is taken over. Without a ward
    /// folder there is no other PC to hold off.
    fn take_lease(&self, patient: &str) -> std::io::Result<Option<Lease>> {
        let Some(folder) = &self.config.ward_folder else {
            return Ok(Some(Lease { path: None }));
        };
        let dir = folder.join("filing");
        std::fs::create_dir_all(&dir)?;
        let name: String = patient
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        let path = dir.join(format!("{name}.lease"));
        for _ in 0..2 {
            match std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)
            {
                Ok(mut f) => {
                    use std::io::Write as _;
                    writeln!(f, "{} {}", self.config.pc, Utc::now().to_rfc3339())?;
                    return Ok(Some(Lease { path: Some(path) }));
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    let age = std::fs::metadata(&path)
                        .and_then(|m| m.modified())
                        .ok()
                        .and_then(|t| t.elapsed().ok());
                    // This PC's own lease is left from a run that stopped: this run holds the
                    // PC's journal (`file_ready` claims it), so no other run of this PC is live.
                    let holder = std::fs::read_to_string(&path).unwrap_or_default();
                    let ours = holder.split_whitespace().next() == Some(self.config.pc.as_str());
                    if ours || age.is_some_and(|a| a > LEASE_STALE) {
                        tracing::warn!("a filing lease was left by a run that stopped; taking it over");
                        let _ = std::fs::remove_file(&path);
                        continue;
                    }
                    return Ok(None);
                }
                Err(e) => return Err(e),
            }
        }
        Ok(None)
    }

    /// Keeps what the EPR acknowledged, in the journal, before anything else is filed: `by` is who
    /// ran the filing (`lamplight reconcile` run by IT, or the signed-in nurse).
    pub fn record_filed(&self, ack: FiledAck, by: &str, now: DateTime<Utc>) -> Result<(), StationError> {
        self.append_other(by, "reconcile", Other::Filed(ack), now)
    }
}

/// Why an entry is never filed, in words.
pub fn not_filed_words(why: &NotFiledWhy) -> String {
    match why {
        NotFiledWhy::Drill => "recorded in a drill: practice, never filed".to_owned(),
        NotFiledWhy::Replaced { by } => format!("replaced by the correction {by}"),
        NotFiledWhy::Withdrawn { by } => format!("withdrawn as entered in error ({by})"),
        NotFiledWhy::Withdrawal => "withdraws an entry never filed".to_owned(),
    }
}

/// A conflict in a nurse's words, for the worklist and `lamplight reconcile` (ids, times and
/// places; never a patient's name).
pub fn conflict_words(c: &Conflict) -> String {
    use lamplight_model::time::clinical;
    let place = |p: &reconcile::Place| match (&p.ward_id, &p.bed_id) {
        (Some(w), Some(b)) => format!("ward {w} bed {b}"),
        (Some(w), None) => format!("ward {w}, no bed"),
        (None, Some(b)) => format!("bed {b}"),
        (None, None) => "nowhere recorded".to_owned(),
    };
    match c {
        Conflict::OrderNotInEpr { order_id } => {
            format!("the EPR has no order {order_id}: check with the prescriber what this dose was for")
        }
        Conflict::OrderChanged {
            status,
            changed_at,
            dose_at,
            ..
        } => format!(
            "the order is now {} in the EPR{}, and the dose was at {}: check it should stand",
            serde_json::to_value(status)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default(),
            changed_at
                .map(|t| format!(" (changed {})", clinical(t)))
                .unwrap_or_default(),
            clinical(*dose_at)
        ),
        Conflict::PatientMoved { believed, epr } => format!(
            "the EPR has the patient at {}, Lamplight had them at {}: check the entries are this patient's",
            place(epr),
            place(believed)
        ),
        Conflict::PatientDischarged { ended_at } => format!(
            "the EPR has the patient discharged{}: check the entry belongs to this stay",
            ended_at
                .map(|t| format!(" at {}", clinical(t)))
                .unwrap_or_default()
        ),
        Conflict::NoEncounter => "the EPR has no current stay for the patient".to_owned(),
        Conflict::DoseHeldByEpr { due_at, at, .. } => format!(
            "the EPR already holds a dose for {} (recorded at {} elsewhere): filing this would double it",
            clinical(*due_at),
            clinical(*at)
        ),
        Conflict::SameDoseTwice { due_at, entries, .. } => format!(
            "the dose due {} was recorded {} times: keep one",
            clinical(*due_at),
            entries.len()
        ),
        Conflict::AdmissionNeedsMatch { candidates } => match candidates.len() {
            0 => "admitted during downtime: no EPR patient matches; file as a new patient, or find them"
                .to_owned(),
            n => format!("admitted during downtime: match to the EPR patient ({n} candidates)"),
        },
        Conflict::PatientNotMatched { .. } => {
            "on a patient admitted during downtime, not matched to the EPR yet".to_owned()
        }
        Conflict::Implausible { problems } => problems.join("; "),
        Conflict::CorrectsFiledEntry { .. } => {
            "corrects an entry already filed: amend the EPR's copy".to_owned()
        }
        Conflict::RecordsDiffer { pcs } => format!(
            "two copies of this entry differ (from {}): tell IT",
            pcs.join(", ")
        ),
    }
}

/// The reconciliation worklist, as the window shows it in recovery: every entry of the ward grouped
/// by patient, what will be sent, and each conflict in words, with what to send back to decide.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct WorklistView {
    pub status: crate::DataStatus,
    /// `EPR read at 14:05`.
    pub fetched_text: String,
    pub counts: reconcile::PlanCounts,
    pub patients: Vec<WorklistPatient>,
    /// Decisions that did not fit their entry any more (the EPR changed since): shown, not used.
    pub ignored: Vec<String>,
    /// The omission codes, for the editor of a dose not given.
    pub omission_codes: Vec<crate::forms::OmissionCode>,
    /// What the last filing acknowledged, and why it stopped, when it did.
    pub filing: Option<FilingReport>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct WorklistPatient {
    /// As recorded (a downtime identifier for a downtime admission).
    pub patient_id: Option<String>,
    /// `SMITH, Mary`, or the downtime identifier.
    pub name: String,
    pub entries: Vec<WorklistEntry>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct WorklistEntry {
    pub entry_id: String,
    /// When it happened, as it will be filed (a person's edit, when one stands): `08:04 Tue 01/12/2026`.
    pub at_text: String,
    /// A dose of a medicine that needs a second checker: why (`a controlled drug`).
    pub second_check: Option<String>,
    /// `Dose given`.
    pub label: String,
    /// What will be sent, in words: `Amoxicillin 500 mg given 08:04 by Sam Jones`.
    pub text: String,
    /// `ready`, `needs_person`, `filed`, `rejected`, `not_filed`.
    pub outcome: String,
    /// `Ready to file`, `Filed`, `Rejected by Sam Jones: recorded twice`...
    pub outcome_text: String,
    /// Each conflict in words (the EPR's side and Lamplight's).
    pub conflicts: Vec<String>,
    /// The conflicts as the plan has them: sent back with a decision (what the person saw).
    pub seen: Vec<Conflict>,
    /// A downtime admission's possible EPR patients, likeliest first.
    pub candidates: Vec<reconcile::Candidate>,
    pub is_admission: bool,
    /// The entry as a form a person may correct (the same form it was recorded with), when it is
    /// still to file and its kind is corrected that way: send it back changed with `edit_entry`.
    pub form: Option<crate::forms::EntryForm>,
    /// When a person's edit will be filed instead of the entry as recorded: the entry as recorded,
    /// in words (`text` is then the edit).
    pub was_text: Option<String>,
}

/// A decision from the worklist.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct DecisionRequest {
    pub entry_id: String,
    pub choice: Choice,
    #[serde(default)]
    pub seen: Vec<Conflict>,
}

/// A correction from the worklist: the entry's form (as [`WorklistEntry::form`] gave it), changed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct EditRequest {
    pub entry_id: String,
    pub form: crate::forms::EntryForm,
    /// The conflicts the person was shown (as [`WorklistEntry::seen`]).
    #[serde(default)]
    pub seen: Vec<Conflict>,
    /// Codes of warnings the person has seen and chosen to go past.
    #[serde(default)]
    pub confirmed_warnings: Vec<String>,
}

/// What a filing run did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct FilingReport {
    pub filed: usize,
    pub already_there: usize,
    /// Why filing stopped before the end (the EPR dropped out): filing again carries on.
    pub stopped: Option<String>,
}

impl Station {
    /// This PC's EPR client, for reconciliation from the window.
    fn reconcile_epr(&self) -> Result<lamplight_fhir::Epr, StationError> {
        let settings = self.config.epr.as_ref().ok_or(StationError::NoEpr)?;
        settings
            .connect()
            .map_err(|e| StationError::Reconcile(e.to_string()))
    }

    /// The worklist against the EPR as it is now: for a signed-in person who may open records.
    pub fn worklist(&self, now: DateTime<Utc>) -> Result<WorklistView, StationError> {
        self.require(lamplight_model::Action::OpenRecord, now)?;
        let epr = self.reconcile_epr()?;
        let (_, plan) = self
            .fetch_plan(&epr, false)
            .map_err(|e| StationError::Reconcile(e.to_string()))?;
        Ok(self.worklist_view(&plan, None, now))
    }

    /// Decides about one entry from the worklist, and shows the worklist again.
    pub fn decide_entry(
        &self,
        request: &DecisionRequest,
        now: DateTime<Utc>,
    ) -> Result<WorklistView, StationError> {
        self.decide(
            &request.entry_id,
            request.choice.clone(),
            request.seen.clone(),
            now,
        )?;
        self.worklist(now)
    }

    /// Corrects one entry from the worklist ([`Station::edit`]), and shows the worklist again.
    pub fn edit_entry(
        &self,
        request: &EditRequest,
        now: DateTime<Utc>,
    ) -> Result<WorklistView, StationError> {
        self.edit(request, now)?;
        self.worklist(now)
    }

    /// Files every entry that is ready, for the signed-in person, and shows the worklist again.
    pub fn file_from_worklist(&self, now: DateTime<Utc>) -> Result<WorklistView, StationError> {
        let actor = self.require(lamplight_model::Action::RecordClinical, now)?;
        let epr = self.reconcile_epr()?;
        let (state, plan) = self
            .fetch_plan(&epr, false)
            .map_err(|e| StationError::Reconcile(e.to_string()))?;
        let run = self.file_ready(&epr, &state, &plan, &actor.full_name)?;
        let report = FilingReport {
            filed: run.filed.iter().filter(|f| !f.already_there).count(),
            already_there: run.filed.iter().filter(|f| f.already_there).count(),
            stopped: run.stopped.map(|e| e.to_string()).or_else(|| {
                (run.busy > 0).then(|| {
                    format!(
                        "{} patients' entries were being filed by another PC of the ward: file again in a minute",
                        run.busy
                    )
                })
            }),
        };
        let (_, plan) = self
            .fetch_plan(&epr, false)
            .map_err(|e| StationError::Reconcile(e.to_string()))?;
        Ok(self.worklist_view(&plan, Some(report), now))
    }

    /// The worklist view of a plan.
    #[allow(
        clippy::too_many_lines,
        reason = "one entry's words per outcome, read together"
    )]
    pub fn worklist_view(
        &self,
        plan: &Plan,
        filing: Option<FilingReport>,
        now: DateTime<Utc>,
    ) -> WorklistView {
        let edits = self.standing_edits();
        let data = self.data();
        let site = data.site();
        let patients = plan
            .by_patient()
            .into_iter()
            .map(|group| {
                let name = group
                    .patient_id
                    .as_deref()
                    .and_then(|id| site.patients.iter().find(|p| p.id == id))
                    .map_or_else(
                        || {
                            group
                                .patient_id
                                .clone()
                                .unwrap_or_else(|| "(no patient)".to_owned())
                        },
                        |p| p.name.clinical(),
                    );
                let entries = group
                    .entries
                    .iter()
                    .filter_map(|e| {
                        let entry = data.entries().iter().find(|x| x.id == e.entry_id)?;
                        let (_, label, recorded) = crate::patient::entry_words(site, &entry.kind);
                        // What will be sent: a person's edit, when one stands.
                        let edit = edits.get(e.entry_id.as_str()).filter(|k| **k != entry.kind);
                        let text =
                            edit.map_or_else(|| recorded.clone(), |k| crate::patient::entry_words(site, k).2);
                        let open = matches!(e.outcome, Outcome::Ready { .. } | Outcome::NeedsPerson { .. });
                        let form = open
                            .then(|| crate::forms::form_of(edit.unwrap_or(&entry.kind)))
                            .flatten();
                        let was_text = (open && edit.is_some()).then_some(recorded);
                        let (outcome, outcome_text, seen, candidates) = match &e.outcome {
                            Outcome::Ready { decided_by, .. } => (
                                "ready",
                                decided_by.as_ref().map_or_else(
                                    || "Ready to file".to_owned(),
                                    |b| format!("Ready to file (decided by {b})"),
                                ),
                                Vec::new(),
                                Vec::new(),
                            ),
                            Outcome::NeedsPerson { conflicts } => (
                                "needs_person",
                                "Needs a person".to_owned(),
                                conflicts.clone(),
                                conflicts
                                    .iter()
                                    .find_map(|c| match c {
                                        Conflict::AdmissionNeedsMatch { candidates } => {
                                            Some(candidates.clone())
                                        }
                                        _ => None,
                                    })
                                    .unwrap_or_default(),
                            ),
                            Outcome::AlreadyFiled => ("filed", "Filed".to_owned(), Vec::new(), Vec::new()),
                            Outcome::Rejected { by, reason } => (
                                "rejected",
                                format!("Not filed: rejected by {by} ({reason})"),
                                Vec::new(),
                                Vec::new(),
                            ),
                            Outcome::NotFiled { why } => (
                                "not_filed",
                                format!("Not filed: {}", not_filed_words(why)),
                                Vec::new(),
                                Vec::new(),
                            ),
                        };
                        Some(WorklistEntry {
                            entry_id: e.entry_id.clone(),
                            at_text: lamplight_model::time::clinical(edit.map_or(e.at, |k| {
                                // The plan's own rule for when an entry happened, of the edit.
                                reconcile::entry_time(&lamplight_model::Entry {
                                    kind: k.clone(),
                                    ..entry.clone()
                                })
                            })),
                            second_check: match &entry.kind {
                                lamplight_model::EntryKind::DoseGiven { order_id, .. } => site
                                    .orders
                                    .iter()
                                    .find(|o| o.id == *order_id)
                                    .and_then(lamplight_model::medication::second_check_reason)
                                    .map(str::to_owned),
                                _ => None,
                            },
                            label: label.to_owned(),
                            text,
                            outcome: outcome.to_owned(),
                            outcome_text,
                            conflicts: seen.iter().map(conflict_words).collect(),
                            seen,
                            candidates,
                            is_admission: matches!(entry.kind, lamplight_model::EntryKind::Admission { .. }),
                            form,
                            was_text,
                        })
                    })
                    .collect();
                WorklistPatient {
                    patient_id: group.patient_id,
                    name,
                    entries,
                }
            })
            .collect();
        WorklistView {
            status: self.status(now),
            fetched_text: format!("EPR read at {}", lamplight_model::time::clock(now)),
            counts: plan.counts(),
            patients,
            ignored: plan
                .ignored_decisions
                .iter()
                .map(|d| {
                    format!(
                        "A decision by {} about entry {} was not used: {}",
                        d.decision.by, d.decision.entry_id, d.why
                    )
                })
                .collect(),
            filing,
            omission_codes: crate::forms::omission_codes(&self.config.omission_codes),
        }
    }
}

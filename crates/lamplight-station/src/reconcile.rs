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

use crate::entries::Other;
use crate::{Station, StationError};

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
        let actor = self
            .sessions()
            .require(action, now)
            .map_err(StationError::Refused)?;
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

    /// Keeps what the EPR acknowledged, in the journal, before anything else is filed: `by` is who
    /// ran the filing (`lamplight reconcile` run by IT, or the signed-in nurse).
    pub fn record_filed(&self, ack: FiledAck, by: &str, now: DateTime<Utc>) -> Result<(), StationError> {
        self.append_other(by, "reconcile", Other::Filed(ack), now)
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

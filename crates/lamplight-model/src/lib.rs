//! Lamplight's domain: wards, beds, patients, medicines, observations, and the pure clinical rules
//! over them (NHS number, NEWS2, due times, Europe/London time).
//!
//! This crate does no I/O and knows nothing of FHIR, SQLite or windows. Everything here can be
//! tested with tables, and the rules that could hurt a patient if wrong are pinned by such tables.

#![forbid(unsafe_code)]

pub mod clinical;
pub mod code;
pub mod entry;
pub mod medication;
pub mod mode;
pub mod news2;
pub mod nhs_number;
pub mod notice;
pub mod observation;
pub mod patient;
pub mod people;
pub mod reconcile;
pub mod site;
pub mod time;
pub mod ward;

pub use clinical::{
    Alert, AlertKind, Allergy, AllergyCategory, AllergyStatus, Criticality, PendingTest, Priority,
    TestCategory, Verification,
};
pub use code::{Code, Concept};
pub use entry::{Entry, EntryKind};
pub use medication::{
    Administration, AdministrationOutcome, Dose, MedicationOrder, OmissionReason, OrderStatus, Schedule,
};
pub use mode::{Mode, ModeAction, ModeCause, ModeChange, ModeError, ModeState, PlannedDowntime};
pub use news2::{News2, Risk};
pub use nhs_number::NhsNumber;
pub use notice::{ImportNote, NoteKind};
pub use observation::{BodyWeight, Consciousness, ObservationSet, Oxygen, Spo2Scale};
pub use patient::{Admission, Patient, PersonName, Sex};
pub use people::{Action, PinProblem, PinRule, Role};
pub use reconcile::{
    Candidate, Choice, Conflict, Decision, EncounterStatus, EntryPlan, EprAdministration,
    EprAdministrationStatus, EprEncounter, EprOrder, EprOrderStatus, EprPatient, EprState, FILING_ID_SYSTEM,
    FILING_NAMESPACE, FilingId, FilingPatient, IgnoredDecision, MatchField, NotFiledWhy, Outcome,
    PatientPlan, Place, Plan, PlanCounts, PlanInput, candidates, due_for, entry_time, filing_id, plan,
};
pub use site::{Counts, Site};
pub use ward::{Bay, Bed, BedStatus, Placement, Ward};

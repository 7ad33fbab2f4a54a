//! The ward PC's brain: the one API every front end calls.
//!
//! The Tauri shell, the `lamplight` command and the tests all go through [`Station`]; none of them
//! holds a clinical rule of its own. A station owns its vault, its identity, its configuration and
//! its mode. It shows one generation at a time ([`WardData`], swapped whole when a newer one lands:
//! [`Station::check_vault`]), keeps the EPR's health ([`Station::record_probe`]), and moves between
//! modes only when a person (or IT's schedule) says so ([`Station::change_mode`],
//! [`Station::tick`]). [`Station::start`] runs all of that in the background for a window; the CLI
//! calls the same functions one at a time. Queries take `now` explicitly so that a test can stand
//! at any moment (a clock change, a stale snapshot, an outage a minute old).
//!
//! Split by concept: `status`, `board`, `patient` and `paper` build what screens and pages show;
//! `mode`, `health`, `follow` and `sync` are the live parts; `worker` runs them on threads.
//!
//! What it leaves to others: the domain rules (`lamplight-model`), FHIR (`lamplight-fhir`), sealing
//! (`lamplight-vault`), and how anything is drawn.

#![forbid(unsafe_code)]

pub mod agent;
pub mod audit;
mod board;
pub mod break_glass;
mod chart;
mod config;
mod data;
mod entries;
pub mod fleet;
mod follow;
pub mod forms;
pub mod health;
pub mod logging;
pub mod mode;
pub mod paper;
mod patient;
pub mod reconcile;
pub mod revoke;
pub mod session;
pub mod settings;
mod signed_files;
mod status;
pub mod sync;
pub mod unlock;
pub mod view;
mod wording;
mod worker;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError, RwLock};
use std::time::Duration;

use chrono::{DateTime, Utc};
use lamplight_model::time;
use lamplight_model::{Mode, ModeAction, ModeCause, ModeChange, ModeState, PlannedDowntime, Site};
use lamplight_vault::{Identity, Recipient, Vault, VaultError};

pub use break_glass::BREAK_GLASS_EVENT;
pub use config::{ConfigError, StationConfig};
pub use data::WardData;
pub use forms::{
    DrugChartForm, EntryForm, News2Preview, ObservationsDraft, PatientConfirmation, RecordOutcome,
    RecordRequest,
};
pub use health::HealthPolicy;
/// The type a passphrase is held in from the moment it arrives (a front end need not depend on
/// the vault crate for it).
pub use lamplight_vault::SecretString;
pub use paper::{PrintDocument, PrintOptions, PrintOutcome, PrintPreview, PrinterError, PrintingPc};
pub use sync::{EprSettings, RefreshPolicy, SyncError, WardScope};
pub use unlock::{Opening, Unlock};
pub use view::*;
pub use worker::Background;

/// How old data may get before every screen turns red, by default (minutes).
pub const DEFAULT_STALE_AFTER_MINUTES: i64 = 60;

/// An id as an error says it: quoted, unless it is an NHS number (a person typed or scanned one),
/// which an error text must not carry.
fn id_words(id: &str) -> String {
    let digits: String = id.chars().filter(|c| !c.is_whitespace() && *c != '-').collect();
    if digits.len() == 10 && digits.bytes().all(|b| b.is_ascii_digit()) {
        "that NHS number".to_owned()
    } else {
        format!("id {id:?}")
    }
}

/// What went wrong in a query or an action.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StationError {
    #[error(
        "no {what} with {} in this data; it may have been discharged or moved since the list was shown: refresh the board",
        id_words(.id)
    )]
    NotFound { what: &'static str, id: String },
    #[error("the snapshot could not be opened: {0}")]
    Snapshot(#[from] VaultError),
    #[error("the snapshot has no ward {0}: check the ward codes this PC is configured with")]
    NoSuchWard(String),
    #[error("this PC's Lamplight is not configured correctly: {0}")]
    Config(#[from] ConfigError),
    #[error("cannot print yet: {0}")]
    PrintNeeds(String),
    #[error("{0}")]
    Printer(#[from] PrinterError),
    #[error("{0}")]
    Mode(#[from] lamplight_model::ModeError),
    #[error("not saved: {0}; nothing was recorded, so record it again or on paper")]
    NotSaved(VaultError),
    #[error("{0}")]
    Refused(session::Refusal),
    #[error(
        "this Lamplight cannot record entries: another Lamplight on this PC holds its journal, or it has no vault; record on the ward PC's window or on paper"
    )]
    NoJournal,
    #[error("{0}")]
    SignIn(session::SignInError),
    #[error("not recorded: {0}")]
    InvalidEntry(String),
    #[error(
        "STOP: the wristband scanned is not the patient whose chart is open. Nothing was recorded. Check the patient's identity, then open the chart of the patient in front of you"
    )]
    WrongPatient,
    #[error("check before recording: {message}")]
    NeedsConfirmation { code: &'static str, message: String },
    #[error(
        "{0} downtime entries are not yet filed to the EPR nor decided: finish reconciliation (the worklist, or lamplight reconcile) before returning to normal"
    )]
    NotReconciled(usize),
    #[error("reconciliation could not reach the EPR: {0}")]
    Reconcile(String),
    #[error("{0}")]
    ReasonNeeded(#[from] break_glass::ReasonNeeded),
    #[error("not saved as PDF: {0}")]
    PdfNotSaved(String),
    #[error(
        "not recorded: IT revoked this PC ({by} on {at}: {reason}), so the ward's other PCs no longer take what it records. Record on another PC of the ward, or on paper"
    )]
    Revoked { by: String, at: String, reason: String },
    #[error(
        "this PC has no EPR configured, so it cannot reconcile from the window: start it with --epr URL, or have IT run lamplight reconcile"
    )]
    NoEpr,
    /// A passphrase typed in the window did not open this PC's identity ([`Unlock::attempt`]).
    #[error("{}", unlock::wrong_passphrase_words(*.failures, *.wait))]
    WrongPassphrase { failures: u32, wait: Duration },
}

impl StationError {
    /// The error as it crosses to a front end.
    pub fn to_api(&self) -> ApiError {
        let code = match self {
            StationError::NotFound { .. } | StationError::NoSuchWard(_) => ErrorCode::NotFound,
            StationError::Snapshot(VaultError::PassphraseNeeded { .. }) => ErrorCode::PassphraseNeeded,
            StationError::Snapshot(VaultError::WrongPassphrase { .. })
            | StationError::WrongPassphrase { .. } => ErrorCode::WrongPassphrase,
            StationError::Snapshot(_) | StationError::Config(_) => ErrorCode::SnapshotUnavailable,
            StationError::PrintNeeds(_) | StationError::Mode(_) => ErrorCode::InvalidRequest,
            StationError::Printer(_) => ErrorCode::PrinterUnavailable,
            StationError::NotSaved(_) => ErrorCode::NotSaved,
            StationError::Refused(session::Refusal::NotSignedIn) => ErrorCode::NotSignedIn,
            StationError::Refused(session::Refusal::Idle { .. }) => ErrorCode::SessionLocked,
            StationError::Refused(_) => ErrorCode::NotPermitted,
            StationError::NoJournal | StationError::Revoked { .. } | StationError::PdfNotSaved(_) => {
                ErrorCode::NotSaved
            }
            StationError::SignIn(_) => ErrorCode::SignInRefused,
            StationError::InvalidEntry(_) => ErrorCode::InvalidEntry,
            StationError::WrongPatient => ErrorCode::WrongPatient,
            StationError::ReasonNeeded(_) => ErrorCode::ReasonNeeded,
            StationError::NeedsConfirmation { .. } => ErrorCode::NeedsConfirmation,
            StationError::NotReconciled(_) => ErrorCode::InvalidRequest,
            StationError::Reconcile(_) | StationError::NoEpr => ErrorCode::EprUnavailable,
        };
        ApiError {
            code,
            message: match self {
                // The vault's words name --passphrase-file, which the window does not need: it asks.
                StationError::Snapshot(VaultError::PassphraseNeeded { .. }) => unlock::PROMPT.to_owned(),
                _ => self.to_string(),
            },
            warning: match self {
                StationError::NeedsConfirmation { code, .. } => Some((*code).to_owned()),
                _ => None,
            },
            retry_after_seconds: match self {
                StationError::WrongPassphrase { wait, .. } if !wait.is_zero() => {
                    Some(u32::try_from(wait.as_secs().max(1)).unwrap_or(u32::MAX))
                }
                _ => None,
            },
        }
    }
}

/// A ward PC: its data, its mode and what it knows of the EPR. `Sync`, so a window's commands and
/// the background threads share one.
#[derive(Debug)]
pub struct Station {
    vault: Option<Vault>,
    identity: Option<Identity>,
    /// Who can open what this station seals (its own recipient, and IT's break-glass ones).
    recipients: Vec<Recipient>,
    config: StationConfig,
    data: RwLock<Arc<WardData>>,
    live: Mutex<Live>,
    /// Who is signed in, the roster and failed attempts (`session`).
    sessions: Mutex<session::Sessions>,
    /// This PC's journal and the ward's entries (`entries`); `None` without a vault, or when
    /// another Lamplight on this PC holds the journal (the command line beside the window).
    book: Mutex<Option<entries::EntryBook>>,
    /// The last patient record opened, by which session: opening it again is not audited again.
    last_opened: Mutex<Option<(String, String)>>,
    /// Records opened outside the person's wards with a reason (session, patient): following
    /// newer data in that session does not ask again ([`break_glass`]).
    break_glass: Mutex<std::collections::BTreeSet<(String, String)>>,
}

/// What changes while the station runs.
#[derive(Debug)]
struct Live {
    revision: u64,
    mode: ModeState,
    /// The mode file could not be read: the PC may not be in the mode it was left in.
    mode_problem: Option<String>,
    mode_seen: Option<std::time::SystemTime>,
    health: health::Health,
    plans: Vec<PlannedDowntime>,
    plan_problems: Vec<String>,
    plans_seen: Vec<(String, Option<std::time::SystemTime>)>,
    /// Generations newer than the one shown that could not be opened, and why.
    failed: BTreeMap<u64, String>,
    /// When the window last followed a newer generation, and to which.
    updated: Option<(DateTime<Utc>, u64)>,
    /// Since when, and why, the vault folder cannot be read (a share that vanished).
    vault_problem: Option<(DateTime<Utc>, String)>,
    /// What opening this PC's journal found (a torn last record set aside, a journal that won't open).
    journal_notes: Vec<String>,
    /// A pull the station's own refresh could not seal (held back, disk full), said until the next good one.
    refresh_problem: Option<String>,
    /// Planned downtimes whose final snapshot was taken.
    final_taken: BTreeSet<String>,
    /// What the banner offered at the last tick: a change bumps the revision.
    offered: (bool, bool, Option<(String, bool)>),
}

impl Station {
    fn build(
        mut data: WardData,
        vault: Option<(Vault, Identity)>,
        config: StationConfig,
        recipients: Vec<Recipient>,
    ) -> Self {
        let now = Utc::now();
        let failed: BTreeMap<u64, String> = std::mem::take(&mut data.skipped).into_iter().collect();
        let (vault, identity) = match vault {
            Some((v, i)) => (Some(v), Some(i)),
            None => (None, None),
        };
        // A journal that does not exist yet is made by the first entry (`record`), not here: a
        // command that only reads (`downtime status`, `print`, `journal`) leaves the vault and the
        // ward folder as they were, and a PC that has recorded nothing still reads its peers'.
        let journal_exists = vault.as_ref().is_some_and(|v| {
            lamplight_vault::journal::journal_dir(v.dir())
                .join(format!(
                    "{}.{}",
                    config.pc,
                    lamplight_vault::journal::JOURNAL_EXTENSION
                ))
                .exists()
        });
        let wants_book = journal_exists || config.ward_folder.is_some();
        let (book, journal_notes) = match (&vault, &identity) {
            (Some(v), Some(i)) if wants_book => {
                match entries::EntryBook::open(
                    v,
                    i,
                    &config.pc,
                    &config.wards,
                    config.ward_folder.as_deref(),
                    false,
                ) {
                    Ok((book, notes)) => (Some(book), notes),
                    Err(VaultError::JournalInUse { .. }) => (None, Vec::new()),
                    Err(e) => (
                        None,
                        vec![format!(
                            "This PC's journal of downtime entries cannot be opened ({e}): record on paper and tell IT"
                        )],
                    ),
                }
            }
            _ => (None, Vec::new()),
        };
        let entries = book.as_ref().map(entries::EntryBook::all).unwrap_or_default();
        if !entries.is_empty() {
            data = data.with_entries(entries);
        }
        let station = Self {
            book: Mutex::new(book),
            last_opened: Mutex::new(None),
            break_glass: Mutex::new(std::collections::BTreeSet::new()),
            sessions: Mutex::new(session::Sessions::for_station(
                vault.as_ref(),
                identity.as_ref(),
                &config.wards,
                config.idle_lock_minutes,
            )),
            vault,
            identity,
            recipients,
            live: Mutex::new(Live {
                revision: 1,
                mode: ModeState::initial(now),
                mode_problem: None,
                mode_seen: None,
                health: health::Health::new(config.health, config.epr.is_some()),
                plans: Vec::new(),
                plan_problems: Vec::new(),
                plans_seen: Vec::new(),
                failed,
                updated: None,
                refresh_problem: None,
                vault_problem: None,
                journal_notes,
                final_taken: BTreeSet::new(),
                offered: (false, false, None),
            }),
            config,
            data: RwLock::new(Arc::new(data)),
        };
        station.check_state_files();
        station
    }

    /// A station over data from a staged snapshot or bundle, with no vault behind it.
    pub fn new(site: Site, source: SourceKind, source_label: impl Into<String>) -> Self {
        Self::build(
            WardData::new(site, source, source_label),
            None,
            StationConfig::default(),
            Vec::new(),
        )
    }

    /// The built-in demo ward, made fresh as of `now`.
    pub fn demo(now: DateTime<Utc>) -> Self {
        Self::build(WardData::demo(now), None, StationConfig::default(), Vec::new())
    }

    /// A PC with no ward data at all (a vault with no snapshot yet, or none given), for the paper
    /// that needs none: the quick-reference card and the blank forms, stamped "no ward data yet".
    pub fn without_data(now: DateTime<Utc>) -> Self {
        Self::build(WardData::waiting(now), None, StationConfig::default(), Vec::new())
    }

    /// The same station under another PC's name (`--pc`), as its journal and paper name it.
    pub fn named(mut self, pc: &str) -> Result<Self, StationError> {
        if lamplight_vault::journal::check_pc_name(pc).is_err() {
            return Err(ConfigError::BadPcName(pc.to_owned()).into());
        }
        pc.clone_into(&mut self.config.pc);
        Ok(self)
    }

    /// The newest snapshot of a vault (the whole site, or one ward), read once: for the command
    /// line's print and bench. A window uses [`Station::launch`], which also follows the vault.
    pub fn open_vault(vault: &Vault, identity: &Identity, ward: Option<&str>) -> Result<Self, StationError> {
        let wards: Vec<String> = ward.map(str::to_owned).into_iter().collect();
        Ok(Self::build(
            WardData::open_vault(vault, identity, &wards)?,
            None,
            StationConfig::default(),
            Vec::new(),
        ))
    }

    /// The station a window (or the CLI) opens with this configuration: the demo ward when no vault
    /// is configured, else the vault's newest good snapshot, its mode and its planned downtimes.
    /// A passphrase-protected identity takes its passphrase from `--passphrase-file`; a window
    /// without one asks for it instead ([`Station::open_or_ask`]).
    pub fn launch(config: &StationConfig, now: DateTime<Utc>) -> Result<Self, StationError> {
        config.check()?;
        // Read only where it is used: a passphrase file beside the demo ward is not an error.
        let passphrase = if config.vault.is_some() && config.identity.is_some() {
            config.passphrase()?
        } else {
            None
        };
        Self::launch_with_passphrase(config, passphrase, now)
    }

    /// As [`Station::launch`], with the identity's passphrase given (typed in the window) rather
    /// than read from `config.passphrase_file`, which is not read. `None` for an identity that is
    /// protected fails with `VaultError::PassphraseNeeded`; a wrong one with
    /// `VaultError::WrongPassphrase` (both as `StationError::Snapshot`).
    pub fn launch_with_passphrase(
        config: &StationConfig,
        passphrase: Option<lamplight_vault::SecretString>,
        now: DateTime<Utc>,
    ) -> Result<Self, StationError> {
        config.check()?;
        let Some(dir) = &config.vault else {
            let mut data = WardData::demo(now);
            data.stale_after_minutes = config.stale_after_minutes;
            return Ok(Self::build(data, None, config.clone(), Vec::new()));
        };
        let key = config.identity.as_ref().ok_or(ConfigError::NoIdentity)?;
        let mut identity = Identity::load(key, passphrase.as_ref())?;
        for older in &config.previous_identities {
            identity = identity.with_previous(Identity::load(older, passphrase.as_ref())?);
        }
        // Zeroed now that the identity is read, not when the snapshot has been opened too.
        drop(passphrase);
        let mut vault = Vault::new(dir).keep(config.keep_generations);
        if let Some(keys) = &config.trust {
            vault = vault.trust(keys.clone());
        }
        if let Some(key) = &config.signing_key {
            let signer = lamplight_vault::SigningKey::load(key)?;
            if config
                .trust
                .as_ref()
                .is_some_and(|t| !t.contains(&signer.public()))
            {
                return Err(ConfigError::SignerNotTrusted(key.clone()).into());
            }
            vault = vault.sign_with(signer);
        }
        let mut data = match WardData::open_vault(&vault, &identity, &config.wards) {
            Ok(data) => data,
            // A new PC that pulls from the EPR, or takes from the site share, starts empty, saying
            // so, and fills on the first pull or take.
            Err(StationError::Snapshot(VaultError::NoSnapshots { .. }))
                if (config.epr.is_some() && config.refresh.is_some()) || config.site_share.is_some() =>
            {
                WardData::waiting(now)
            }
            Err(e) => return Err(e),
        };
        data.stale_after_minutes = config.stale_after_minutes;
        let mut recipients = vec![identity.recipient()];
        if let Some(f) = &config.recipients_file {
            recipients.extend(
                sync::recipients(&[], std::slice::from_ref(f))
                    .map_err(|e| ConfigError::Recipients(f.clone(), e.to_string()))?,
            );
        }
        Ok(Self::build(
            data,
            Some((vault, identity)),
            config.clone(),
            recipients,
        ))
    }

    pub fn config(&self) -> &StationConfig {
        &self.config
    }

    pub fn vault(&self) -> Option<&Vault> {
        self.vault.as_ref()
    }

    /// The generation on screen.
    pub fn data(&self) -> Arc<WardData> {
        Arc::clone(&self.data.read().unwrap_or_else(PoisonError::into_inner))
    }

    /// Sign-in, the session and role checks: every recording or viewing call asks
    /// [`session::Sessions::require`] first.
    pub fn sessions(&self) -> MutexGuard<'_, session::Sessions> {
        self.sessions.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn live(&self) -> MutexGuard<'_, Live> {
        self.live.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The mode, who set it and why.
    pub fn mode(&self) -> ModeState {
        self.live().mode.clone()
    }

    /// Goes up whenever what screens show may have changed.
    pub fn revision(&self) -> u64 {
        self.live().revision
    }

    /// Where the data came from, how old it is, the PC's mode and the EPR's state.
    pub fn status(&self, now: DateTime<Utc>) -> DataStatus {
        let data = self.data();
        let base = data.status(now);
        self.overlay(base, &data, now)
    }

    fn overlay(&self, mut s: DataStatus, data: &WardData, now: DateTime<Utc>) -> DataStatus {
        // Before `live` is locked: the entry book is never locked while `live` is held.
        let entry_warnings = self.entry_warnings();
        s.session = Some(self.sessions().view(now));
        let live = self.live();
        s.revision = live.revision;
        s.generation = data.generation;
        let shown = data.generation.unwrap_or(0);
        for (generation, why) in live.failed.range(shown + 1..) {
            s.warnings.push(format!(
                "Newer snapshot (generation {generation}) could not be opened, so older data (generation {shown}) is shown: {why}"
            ));
        }
        s.warnings.extend(live.journal_notes.iter().cloned());
        s.warnings.extend(entry_warnings);
        s.warnings.extend(live.plan_problems.iter().cloned());
        s.warnings.extend(live.refresh_problem.iter().cloned());
        if let Some((since, why)) = &live.vault_problem {
            s.warnings.push(format!(
                "This PC cannot read its vault folder since {} ({why}): newer data cannot reach this screen. Tell IT",
                time::clock(*since)
            ));
        }
        s.updated_text = live.updated.map(|(at, generation)| {
            format!(
                "Updated at {} to generation {generation} ({})",
                time::clock(at),
                s.stamp
            )
        });
        let (proposal, offer) = offers(&live, now);
        s.mode = mode::view(&live.mode, proposal, offer, live.mode_problem.clone());
        s.epr = live.health.view();
        s.planned = mode::announced(&live.plans, now);
        s
    }

    /// The wards this station can show.
    pub fn wards(&self, now: DateTime<Utc>) -> WardList {
        let data = self.data();
        let mut list = data.wards(now);
        list.status = self.overlay(list.status, &data, now);
        list
    }

    /// The board of one ward: on show to anyone on the ward when nobody is signed in (a ward's
    /// whiteboard), and refused to a signed-in role that may not see it (IT sees no clinical record).
    pub fn board(&self, ward_id: &str, now: DateTime<Utc>) -> Result<WardBoard, StationError> {
        let refused = self
            .sessions()
            .refuse_if_signed_in_may_not(lamplight_model::Action::ViewBoard, now);
        if refused.is_err() {
            self.flush_session_audit();
        }
        refused?;
        let data = self.data();
        let mut board = data.board(ward_id, now)?;
        board.status = self.overlay(board.status, &data, now);
        Ok(board)
    }

    /// Everything about one patient.
    pub fn patient(&self, patient_id: &str, now: DateTime<Utc>) -> Result<PatientView, StationError> {
        let data = self.data();
        let mut view = data.patient(patient_id, now)?;
        view.status = self.overlay(view.status, &data, now);
        Ok(view)
    }

    /// One patient's record, opened by the signed-in person: refused to nobody, a locked session
    /// and a role that may not open records (IT); the opening is in the audit trail.
    pub fn open_record(&self, patient_id: &str, now: DateTime<Utc>) -> Result<PatientView, StationError> {
        self.open_record_with_reason(patient_id, None, now)
    }

    /// [`Station::open_record`], with the reason the person gave for a record outside their
    /// wards (break-glass: asked once a session for that patient, audited and highlighted).
    pub fn open_record_with_reason(
        &self,
        patient_id: &str,
        reason: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<PatientView, StationError> {
        let actor = self.require(lamplight_model::Action::OpenRecord, now)?;
        let view = self.patient(patient_id, now)?;
        let key = (actor.session_id.clone(), view.identity.patient_id.clone());
        let granted = self
            .break_glass
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .contains(&key);
        if !granted {
            let person_wards = self
                .sessions()
                .current()
                .map(|s| s.wards().to_vec())
                .unwrap_or_default();
            let patient_ward = view.location.ward_id.as_deref().and_then(|id| {
                self.data()
                    .site()
                    .wards
                    .iter()
                    .find(|w| w.id == id)
                    .map(|w| w.code.clone())
            });
            if let Some(reason) = break_glass::check(&person_wards, patient_ward.as_deref(), reason)? {
                self.break_glass
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .insert(key.clone());
                *self.last_opened.lock().unwrap_or_else(PoisonError::into_inner) = Some(key);
                self.append_audit(
                    &actor.full_name,
                    actor.role.word(),
                    entries::audit_of(
                        &actor,
                        BREAK_GLASS_EVENT,
                        Some(&reason),
                        Some(&view.identity.patient_id),
                    ),
                    now,
                );
                tracing::warn!(session = %actor.session_id, "record opened outside the person's wards (break-glass)");
                return Ok(view);
            }
        }
        let first = {
            let mut last = self.last_opened.lock().unwrap_or_else(PoisonError::into_inner);
            let first = last.as_ref() != Some(&key);
            *last = Some(key);
            first
        };
        if first {
            self.audit_patient(&actor, "record-opened", &view.identity.patient_id, now);
        }
        Ok(view)
    }

    /// A person changes the mode. Saved (sealed, fsync'd) before it is shown; refused with the
    /// reason when the mode does not allow it or nothing could be saved.
    ///
    /// Who: the signed-in person, when someone is (their name, whatever was typed). With nobody
    /// signed in it is still taken, under the name typed: a ward whose EPR has just failed must
    /// not wait for a sign-in to say so; the audit trail marks that name as not signed in.
    pub fn change_mode(&self, request: &ModeRequest, now: DateTime<Utc>) -> Result<DataStatus, StationError> {
        let actor = self
            .sessions()
            .signed_in_who_may(lamplight_model::Action::ChangeMode, now);
        let request = ModeRequest {
            by: actor
                .as_ref()
                .map_or_else(|| request.by.clone(), |a| a.full_name.clone()),
            ..request.clone()
        };
        let status = self.change_mode_as(&request, now)?;
        let action = serde_json::to_value(request.action)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned));
        match &actor {
            Some(a) => self.audit(a, "mode-changed", action.as_deref(), now),
            None => self.append_audit(
                request.by.trim(),
                "none",
                entries::AuditFile {
                    event: "mode-changed-not-signed-in".to_owned(),
                    detail: action,
                    patient_id: None,
                    session_id: None,
                    account_id: None,
                    emergency_reason: None,
                },
                now,
            ),
        }
        Ok(status)
    }

    fn change_mode_as(&self, request: &ModeRequest, now: DateTime<Utc>) -> Result<DataStatus, StationError> {
        if request.action == ModeAction::ReturnToNormal {
            // Before `live` is locked: the entry book is never locked while `live` is held.
            let left = self.unreconciled();
            if left > 0 {
                return Err(StationError::NotReconciled(left));
            }
        }
        {
            let mut live = self.live();
            let proposed = offers(&live, now).0.is_some();
            let cause = if request.action == ModeAction::DeclareDowntime && proposed {
                ModeCause::ProposalConfirmed
            } else {
                ModeCause::Declared
            };
            let change = ModeChange {
                action: request.action,
                cause,
                by: request.by.clone(),
                reason: request.reason.clone(),
            };
            let next = live.mode.apply(&change, now)?;
            self.save_mode(&mut live, next)?;
            tracing::info!(mode = ?request.action.target(), "mode changed by a person");
        }
        Ok(self.status(now))
    }

    /// Persists and takes `next` as the mode.
    fn save_mode(&self, live: &mut Live, next: ModeState) -> Result<(), StationError> {
        if let Some(vault) = &self.vault {
            vault
                .write_state(mode::MODE_STATE, &mode::encode(&next), &self.recipients)
                .map_err(StationError::NotSaved)?;
            live.mode_seen = vault.state_modified(mode::MODE_STATE);
        }
        live.mode = next;
        live.mode_problem = None;
        live.revision += 1;
        Ok(())
    }

    /// Shows the ward's downtime entries (every PC's, from the journal) over the snapshot: the
    /// board, the patient view and every printed page then include them, marked as downtime entries.
    pub fn show_entries(&self, entries: Vec<lamplight_model::Entry>) {
        {
            // Read and replaced under one write lock, so a generation followed meanwhile is kept.
            let mut shown = self.data.write().unwrap_or_else(PoisonError::into_inner);
            if shown.entries == entries {
                return;
            }
            *shown = Arc::new(shown.with_entries(entries));
        }
        self.live().revision += 1;
    }

    /// Records a health probe of the EPR.
    pub fn record_probe(
        &self,
        at: DateTime<Utc>,
        answered: bool,
        elapsed: Duration,
        problem: Option<String>,
    ) {
        let mut live = self.live();
        if live.health.record(at, answered, elapsed, problem) {
            live.revision += 1;
        }
    }

    /// Says (or clears) what the station's own refresh could not do.
    pub(crate) fn set_refresh_problem(&self, problem: Option<String>) {
        let mut live = self.live();
        if live.refresh_problem != problem {
            live.refresh_problem = problem;
            live.revision += 1;
        }
    }

    /// What time alone changes: a planned downtime starts (the PC enters downtime, as IT scheduled),
    /// a proposal or an offer of recovery appears. Returns the planned downtime whose final snapshot
    /// is due now, for the refresh loop to take.
    pub fn tick(&self, now: DateTime<Utc>) -> Option<PlannedDowntime> {
        let mut live = self.live();
        let mut final_due = None;
        let plans = live.plans.clone();
        for plan in &plans {
            // A person who set the mode after the window began (the EPR came back early) is not
            // overruled; a PC that never had a mode, or set it before, enters the window.
            let set_before = live.mode.cause == ModeCause::Initial || live.mode.since < plan.from;
            if plan.is_on(now) && live.mode.mode == Mode::Normal && set_before {
                let change = ModeChange {
                    action: ModeAction::DeclareDowntime,
                    cause: ModeCause::Scheduled,
                    by: if plan.planned_by.is_empty() {
                        "IT schedule".to_owned()
                    } else {
                        format!("IT schedule ({})", plan.planned_by)
                    },
                    reason: plan.reason.clone(),
                };
                match live.mode.apply(&change, now) {
                    Ok(next) => {
                        if let Err(e) = self.save_mode(&mut live, next) {
                            live.mode_problem = Some(format!(
                                "The planned downtime started but could not be saved: {e}. Declare downtime by hand."
                            ));
                            live.revision += 1;
                        } else {
                            tracing::info!("entered a planned downtime");
                        }
                    }
                    Err(e) => tracing::warn!(error = %e, "a planned downtime could not start"),
                }
            }
            if now >= plan.final_snapshot_at() && now < plan.from && !live.final_taken.contains(&plan.id) {
                final_due = Some(plan.clone());
            }
        }
        let (proposal, offer) = offers(&live, now);
        let offered = (
            proposal.is_some(),
            offer.is_some(),
            mode::announced(&live.plans, now).map(|p| (p.id, p.under_way)),
        );
        if offered != live.offered {
            live.offered = offered;
            live.revision += 1;
        }
        final_due
    }

    /// The final snapshot before a planned downtime was taken.
    pub(crate) fn final_snapshot_taken(&self, plan_id: &str) {
        self.live().final_taken.insert(plan_id.to_owned());
    }

    /// Re-reads the mode file and the planned downtimes when they changed on disk (another process,
    /// such as `lamplight downtime declare`, or IT's schedule). True when anything changed.
    fn check_state_files(&self) -> bool {
        let (Some(vault), Some(identity)) = (&self.vault, &self.identity) else {
            return false;
        };
        let mut changed = false;
        let mut live = self.live();
        let seen = vault.state_modified(mode::MODE_STATE);
        if seen != live.mode_seen {
            live.mode_seen = seen;
            match vault.read_state(mode::MODE_STATE, identity) {
                Ok(None) => {}
                Ok(Some(bytes)) => match mode::decode(&bytes) {
                    Ok(state) => {
                        live.mode = state;
                        live.mode_problem = None;
                    }
                    Err(e) => {
                        live.mode_problem = Some(format!(
                            "The saved mode could not be read ({e}): check the mode on every screen and set it again"
                        ));
                    }
                },
                Err(e) => {
                    live.mode_problem = Some(format!(
                        "The saved mode could not be opened ({e}): check the mode on every screen and set it again"
                    ));
                }
            }
            changed = true;
        }
        let fingerprint = plans_fingerprint(vault.dir());
        if fingerprint != live.plans_seen {
            let (plans, problems) = mode::read_plans(vault);
            live.plans = plans;
            live.plan_problems = problems;
            live.plans_seen = fingerprint;
            changed = true;
        }
        if changed {
            live.revision += 1;
        }
        changed
    }
}

/// What the banner offers at `now`: downtime proposed (the EPR silent long enough while normal),
/// and recovery offered (the EPR answering again, or the planned window over, during downtime).
fn offers(live: &Live, now: DateTime<Utc>) -> (Option<String>, Option<String>) {
    let proposal = (live.mode.mode == Mode::Normal && live.health.outage_confirmed(now)).then(|| {
        let since = live.health.failing_since().unwrap_or(now);
        format!(
            "The EPR has not answered since {} ({}). If the ward cannot use the EPR, confirm downtime.",
            time::clock(since),
            time::age_words(since, now).trim_end_matches(" ago")
        )
    });
    let offer = (live.mode.mode == Mode::Downtime).then(|| {
        if let Some(since) = live.health.answering_since() {
            return Some(format!(
                "The EPR is answering again (since {}). When IT confirms it is back, start recovery.",
                time::clock(since)
            ));
        }
        live.plans
            .iter()
            .find(|p| live.mode.cause == ModeCause::Scheduled && p.to <= now && p.from <= live.mode.since)
            .map(|p| {
                format!(
                    "The planned downtime ended at {}. When IT confirms the EPR is back, start recovery.",
                    time::clock(p.to)
                )
            })
    });
    (proposal, offer.flatten())
}

fn plans_fingerprint(vault_dir: &std::path::Path) -> Vec<(String, Option<std::time::SystemTime>)> {
    let mut out: Vec<_> = std::fs::read_dir(vault_dir.join(mode::PLANS_DIR))
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| {
            (
                e.file_name().to_string_lossy().into_owned(),
                e.metadata().and_then(|m| m.modified()).ok(),
            )
        })
        .collect();
    out.sort();
    out
}

/// A station shared by a window's commands and its background threads.
pub type SharedStation = Arc<Station>;

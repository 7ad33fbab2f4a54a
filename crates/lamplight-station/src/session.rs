//! Who is at the ward PC: sign-in against the roster, the session that locks when left idle, the
//! emergency sign-in when no roster reaches the PC, and the role check every recording or viewing
//! call makes (DESIGN.md promise 9, "people are accountable").
//!
//! [`Sessions`] is the PC's desk: the roster it signs people in with, the session in use (or locked,
//! waiting for the same person to come back), failed attempts, and the audit events it owes the
//! journal. A recording call asks [`Sessions::require`] (or [`Session::require`]) first and
//! attributes what it records to the [`Actor`] it gets back; a refusal is typed ([`Refusal`]) and
//! says what to do.
//!
//! - **Wrong PIN and unknown user** read the same to the person at the PC (so the PC does not tell
//!   someone guessing which names exist) but are distinct in [`SignInError::audit_code`].
//! - **Too many attempts** (5 in a row for one name) pause sign-in for that name for a minute, and
//!   a minute more for each further 5 (at most 15). Kept in memory: a restart clears them.
//! - **Idle**: after [`SessionPolicy::idle`] (10 minutes) without activity the session locks. The
//!   same person signing in again resumes it (same session id, so the window keeps its place);
//!   anyone else gets a fresh session and the locked one ends.
//! - **Emergency sign-in** (full name, role, the reason) only when no roster could be read on this
//!   PC, and never as IT; the session, every screen and every entry say so.
//!
//! Time is passed in (`now`), so tests stand at any moment. PINs are [`Pin`]s: never logged, never
//! in an error, never in an audit event. Log lines carry account ids and codes, never what was typed.

pub mod roster;

use std::collections::HashMap;

use chrono::{DateTime, TimeDelta, Utc};
use lamplight_model::{Action, Role, time};
use lamplight_vault::{Identity, Vault};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use roster::Lookup;
pub use roster::{Account, NewAccount, NewSecret, Pin, PinCost, Roster, RosterError};

/// How sessions behave on this PC.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionPolicy {
    /// Without activity for this long, the session locks.
    pub idle: TimeDelta,
    /// Failed attempts in a row for one name before sign-in for it pauses.
    pub max_failures: u32,
    /// How long it pauses (and again for each further `max_failures`).
    pub lockout: TimeDelta,
}

impl Default for SessionPolicy {
    fn default() -> Self {
        Self {
            idle: TimeDelta::minutes(10),
            max_failures: 5,
            lockout: TimeDelta::minutes(1),
        }
    }
}

/// The person a recording or a view is attributed to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Actor {
    /// The session it happened in.
    pub session_id: String,
    /// The roster's user id; `None` for an emergency sign-in.
    pub account_id: Option<String>,
    pub full_name: String,
    pub role: Role,
    /// Why the person signed in without a roster, for an emergency sign-in.
    pub emergency_reason: Option<String>,
}

impl Actor {
    pub fn is_emergency(&self) -> bool {
        self.emergency_reason.is_some()
    }
}

/// A signed-in person's session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    actor: Actor,
    wards: Vec<String>,
    started_at: DateTime<Utc>,
    last_active: DateTime<Utc>,
    idle: TimeDelta,
}

impl Session {
    pub fn actor(&self) -> &Actor {
        &self.actor
    }

    pub fn id(&self) -> &str {
        &self.actor.session_id
    }

    /// The wards the person works on (their roster account's; an emergency sign-in takes the
    /// PC's). Empty or holding [`roster::EVERY_WARD`]: every ward.
    pub fn wards(&self) -> &[String] {
        &self.wards
    }

    /// When it locks if nothing happens.
    pub fn locks_at(&self) -> DateTime<Utc> {
        self.last_active + self.idle
    }

    pub fn is_locked(&self, now: DateTime<Utc>) -> bool {
        now >= self.locks_at()
    }

    /// Activity (a key pressed, a screen opened) keeps an unlocked session open.
    pub fn touch(&mut self, now: DateTime<Utc>) {
        if !self.is_locked(now) && now > self.last_active {
            self.last_active = now;
        }
    }

    /// May this person do `action` now? On success it counts as activity, and says who to attribute
    /// it to; else a refusal saying why and what to do.
    pub fn require(&mut self, action: Action, now: DateTime<Utc>) -> Result<Actor, Refusal> {
        if self.is_locked(now) {
            return Err(Refusal::Idle {
                minutes: self.idle.num_minutes(),
                at: self.locks_at(),
            });
        }
        if !self.actor.role.may(action) {
            return Err(Refusal::NotAllowed {
                role: self.actor.role,
                action,
            });
        }
        self.touch(now);
        Ok(self.actor.clone())
    }

    fn view(&self, now: DateTime<Utc>) -> SignedInView {
        SignedInView {
            session_id: self.actor.session_id.clone(),
            account_id: self.actor.account_id.clone(),
            full_name: self.actor.full_name.clone(),
            role: self.actor.role,
            role_label: self.actor.role.label().to_owned(),
            wards: self.wards.clone(),
            emergency: self.actor.is_emergency(),
            emergency_reason: self.actor.emergency_reason.clone(),
            banner: self.actor.emergency_reason.as_ref().map(|why| {
                format!(
                    "EMERGENCY SIGN-IN: {} ({}), not checked against a roster ({why}). Every entry is marked as such",
                    self.actor.full_name,
                    self.actor.role.label()
                )
            }),
            signed_in_at: self.started_at,
            locks_at: self.locks_at(),
            locks_at_text: time::clock(self.locks_at()),
            may: Action::ALL
                .into_iter()
                .filter(|a| self.actor.role.may(*a))
                .collect(),
            locked: self.is_locked(now),
        }
    }
}

/// Why a signed-in person (or nobody) may not do what was asked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Refusal {
    #[error("nobody is signed in on this PC: sign in first")]
    NotSignedIn,
    #[error("signed out after {minutes} minutes idle (at {}): sign in again", time::clock(*at))]
    Idle { minutes: i64, at: DateTime<Utc> },
    #[error("{} cannot {}: {}", role.as_subject(), action.words(), action.ask_instead())]
    NotAllowed { role: Role, action: Action },
}

impl Refusal {
    /// A stable code for front ends and the audit trail.
    pub fn code(&self) -> &'static str {
        match self {
            Refusal::NotSignedIn => "not-signed-in",
            Refusal::Idle { .. } => "session-locked",
            Refusal::NotAllowed { .. } => "role-not-allowed",
        }
    }
}

/// The words for a name or PIN that did not match: the same for both, on purpose.
const NOT_RECOGNISED: &str = "that name and PIN do not match an account on this PC: check both and try again";

/// Why a sign-in was refused. Never holds the PIN, nor a name that was typed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SignInError {
    #[error("{NOT_RECOGNISED}")]
    UnknownUser,
    #[error("{NOT_RECOGNISED}")]
    WrongPin { account_id: String },
    #[error(
        "too many attempts that did not match: sign-in with this name is paused until {}: wait, or ask the nurse in charge",
        time::clock(*until)
    )]
    TooManyAttempts { until: DateTime<Utc> },
    #[error("more than one account has this name: sign in with your user id instead")]
    Ambiguous,
    #[error(
        "your account is not for this PC's ward ({pc}): use a PC on your ward ({yours}), or ask IT to add this ward to your account"
    )]
    NotOnThisWard {
        account_id: String,
        pc: String,
        yours: String,
    },
    #[error(
        "no roster has reached this PC ({0}): use the emergency sign-in (your full name, your role and why)"
    )]
    NoRoster(String),
    #[error(
        "this PC has a roster: sign in with your name and PIN. If you are not on it, ask the nurse in charge or IT to add you"
    )]
    RosterAvailable,
    #[error("the emergency sign-in needs {0}")]
    EmergencyIncomplete(&'static str),
    #[error("IT cannot use the emergency sign-in: it is for ward staff (nurse, bed manager)")]
    EmergencyRole,
}

impl SignInError {
    /// What a front end may branch on: wrong PIN and unknown user share one code here.
    pub fn code(&self) -> &'static str {
        match self {
            SignInError::UnknownUser | SignInError::WrongPin { .. } => "not-recognised",
            other => other.audit_code(),
        }
    }

    /// What the audit trail records: every kind apart.
    pub fn audit_code(&self) -> &'static str {
        match self {
            SignInError::UnknownUser => "unknown-user",
            SignInError::WrongPin { .. } => "wrong-pin",
            SignInError::TooManyAttempts { .. } => "too-many-attempts",
            SignInError::Ambiguous => "ambiguous-name",
            SignInError::NotOnThisWard { .. } => "not-on-this-ward",
            SignInError::NoRoster(_) => "no-roster",
            SignInError::RosterAvailable => "roster-available",
            SignInError::EmergencyIncomplete(_) => "emergency-incomplete",
            SignInError::EmergencyRole => "emergency-role",
        }
    }
}

/// What the sign-in screen sends. The PIN is moved into a [`Pin`] (wiped when dropped) at once.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct SignInRequest {
    /// The user id or full name.
    pub name: String,
    pub pin: String,
}

impl std::fmt::Debug for SignInRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SignInRequest").finish_non_exhaustive()
    }
}

/// What an emergency sign-in asks for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct EmergencySignIn {
    pub full_name: String,
    pub role: Role,
    /// Why there is no roster sign-in (`roster not on this PC; EPR down since 02:10`).
    pub reason: String,
}

/// One thing the journal's audit trail must hold about sign-in. No PIN, and no text that was typed
/// for an unknown name (it may be a PIN typed in the wrong box).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct AuditEvent {
    pub at: DateTime<Utc>,
    /// `signed-in`, `resumed`, `emergency-sign-in`, `signed-out`, `ended-by-another`, or a refusal's
    /// [`SignInError::audit_code`].
    pub event: String,
    pub session_id: Option<String>,
    pub account_id: Option<String>,
    pub full_name: Option<String>,
    pub role: Option<Role>,
    pub reason: Option<String>,
    /// For a refusal at the API: the action refused (`record-clinical`).
    pub detail: Option<String>,
}

/// Whether the PC has a roster to sign people in with.
#[derive(Debug, Clone, PartialEq, Eq)]
enum RosterState {
    Ready(Roster),
    /// None was provisioned, or it could not be opened: why.
    Unavailable(String),
}

#[derive(Debug, Clone, Copy, Default)]
struct Failures {
    count: u32,
    paused_until: Option<DateTime<Utc>>,
}

/// The ward PC's sign-in desk: its roster, the session in use, failed attempts, audit events owed.
#[derive(Debug)]
pub struct Sessions {
    roster: RosterState,
    /// The PC's ward codes (empty: a whole-site PC, which takes any account).
    wards: Vec<String>,
    policy: SessionPolicy,
    current: Option<Session>,
    failures: HashMap<String, Failures>,
    audit: Vec<AuditEvent>,
    /// When the roster file was last read (for [`Sessions::follow_roster`]).
    roster_seen: Option<std::time::SystemTime>,
}

impl Sessions {
    /// A desk over `roster` (`None`: no roster reached this PC) for a PC showing `wards`.
    pub fn new(roster: Option<Roster>, wards: Vec<String>, policy: SessionPolicy) -> Self {
        Self {
            roster: roster.map_or_else(
                || RosterState::Unavailable("none has been provisioned".into()),
                RosterState::Ready,
            ),
            wards,
            policy,
            current: None,
            failures: HashMap::new(),
            audit: Vec::new(),
            roster_seen: None,
        }
    }

    /// A desk over the vault's roster; one that cannot be opened is said on the sign-in screen and
    /// leaves the emergency sign-in open.
    pub fn open(vault: &Vault, identity: &Identity, wards: Vec<String>, policy: SessionPolicy) -> Self {
        let mut desk = Self::new(None, wards, policy);
        desk.roster_seen = vault.state_modified(roster::ROSTER_STATE);
        desk.set_roster(Roster::load(vault, identity));
        desk
    }

    /// Re-reads the roster when its file changed (IT provisioned a new one); true when it did. For
    /// the station's follow loop, beside the mode file.
    pub fn follow_roster(&mut self, vault: &Vault, identity: &Identity) -> bool {
        let seen = vault.state_modified(roster::ROSTER_STATE);
        if seen == self.roster_seen {
            return false;
        }
        self.roster_seen = seen;
        self.set_roster(Roster::load(vault, identity));
        true
    }

    /// The desk of a station: the vault's roster when there is a vault (the demo ward has none, so
    /// only the emergency sign-in), for the PC's configured wards, locking after `idle_minutes`.
    pub fn for_station(
        vault: Option<&Vault>,
        identity: Option<&Identity>,
        wards: &[String],
        idle_minutes: i64,
    ) -> Self {
        let policy = SessionPolicy {
            idle: TimeDelta::minutes(idle_minutes),
            ..SessionPolicy::default()
        };
        match (vault, identity) {
            (Some(v), Some(i)) => Self::open(v, i, wards.to_vec(), policy),
            _ => Self::new(None, wards.to_vec(), policy),
        }
    }

    /// Takes a newer roster (IT changed it), or says why none can be used. A signed-in session stays.
    pub fn set_roster(&mut self, roster: Result<Option<Roster>, RosterError>) {
        self.roster = match roster {
            Ok(Some(r)) => RosterState::Ready(r),
            Ok(None) => RosterState::Unavailable("none has been provisioned".into()),
            Err(e) => {
                tracing::warn!(error = %e, "the roster could not be opened");
                RosterState::Unavailable(e.to_string())
            }
        };
    }

    pub fn policy(&self) -> SessionPolicy {
        self.policy
    }

    /// The session in use, or locked.
    pub fn current(&self) -> Option<&Session> {
        self.current.as_ref()
    }

    fn audit(&mut self, at: DateTime<Utc>, event: &str, actor: Option<&Actor>) {
        self.audit.push(AuditEvent {
            at,
            event: event.to_owned(),
            session_id: actor.map(|a| a.session_id.clone()),
            account_id: actor.and_then(|a| a.account_id.clone()),
            full_name: actor.map(|a| a.full_name.clone()),
            role: actor.map(|a| a.role),
            reason: actor.and_then(|a| a.emergency_reason.clone()),
            detail: None,
        });
    }

    fn refused(&mut self, at: DateTime<Utc>, e: SignInError) -> SignInError {
        let account_id = match &e {
            SignInError::WrongPin { account_id } | SignInError::NotOnThisWard { account_id, .. } => {
                Some(account_id.clone())
            }
            _ => None,
        };
        tracing::info!(
            code = e.audit_code(),
            account = account_id.as_deref(),
            "sign-in refused"
        );
        self.audit.push(AuditEvent {
            at,
            event: e.audit_code().to_owned(),
            session_id: None,
            account_id,
            full_name: None,
            role: None,
            reason: None,
            detail: None,
        });
        e
    }

    /// The audit events since the last call, oldest first, for the journal.
    pub fn take_audit(&mut self) -> Vec<AuditEvent> {
        std::mem::take(&mut self.audit)
    }

    /// Signs a person in with their user id or full name and PIN. The same person as a locked
    /// session resumes it; anyone else starts afresh.
    pub fn sign_in(
        &mut self,
        name_or_id: &str,
        pin: &Pin,
        now: DateTime<Utc>,
    ) -> Result<Session, SignInError> {
        let roster = match &self.roster {
            RosterState::Ready(r) => r,
            RosterState::Unavailable(why) => {
                let e = SignInError::NoRoster(why.clone());
                return Err(self.refused(now, e));
            }
        };
        let found = match roster.lookup(name_or_id) {
            Lookup::One(a) => Some(a.clone()),
            Lookup::None => None,
            Lookup::Many => return Err(self.refused(now, SignInError::Ambiguous)),
        };
        let key = found
            .as_ref()
            .map_or_else(|| typed_key(name_or_id), |a| a.id.clone());
        if let Some(until) = self
            .failures
            .get(&key)
            .and_then(|f| f.paused_until)
            .filter(|u| now < *u)
        {
            return Err(self.refused(now, SignInError::TooManyAttempts { until }));
        }
        let verified = if let Some(a) = &found {
            roster::verify(a.pin_hash(), pin)
        } else {
            // Spend the time a real check would, so a name's absence does not show in the timing.
            if let Some(any) = roster.accounts().first() {
                let _ = roster::verify(any.pin_hash(), pin);
            }
            false
        };
        let account = match (found, verified) {
            (Some(a), true) => a,
            (found, _) => {
                let policy = self.policy;
                let f = self.failures.entry(key).or_default();
                f.count += 1;
                if f.count.is_multiple_of(policy.max_failures) {
                    // A minute more for each further round, at most 15: short, so a nurse who
                    // forgot is not kept from a patient for long.
                    let rounds = (f.count / policy.max_failures).min(15);
                    f.paused_until = Some(now + policy.lockout * i32::try_from(rounds).unwrap_or(15));
                }
                let e = match found {
                    Some(a) => SignInError::WrongPin { account_id: a.id },
                    None => SignInError::UnknownUser,
                };
                return Err(self.refused(now, e));
            }
        };
        self.failures.remove(&key);
        if !account.serves(&self.wards) {
            let e = SignInError::NotOnThisWard {
                account_id: account.id.clone(),
                pc: self.wards.join(", "),
                yours: account.wards.join(", "),
            };
            return Err(self.refused(now, e));
        }
        let same = self
            .current
            .as_ref()
            .is_some_and(|s| s.actor.account_id.as_deref() == Some(account.id.as_str()));
        if same {
            tracing::info!(account = %account.id, "session resumed");
            return Ok(self.resume(now));
        }
        let actor = Actor {
            session_id: new_session_id(),
            account_id: Some(account.id.clone()),
            full_name: account.full_name.clone(),
            role: account.role,
            emergency_reason: None,
        };
        tracing::info!(account = %account.id, "signed in");
        Ok(self.start(actor, account.wards.clone(), now, "signed-in"))
    }

    /// The same person is back: the locked (or open) session carries on.
    fn resume(&mut self, now: DateTime<Utc>) -> Session {
        let session = self
            .current
            .as_mut()
            .expect("resumed only when there is a session");
        session.last_active = now;
        let session = session.clone();
        self.audit(now, "resumed", Some(&session.actor));
        session
    }

    fn start(&mut self, actor: Actor, wards: Vec<String>, now: DateTime<Utc>, event: &str) -> Session {
        if let Some(old) = self.current.take() {
            self.audit(now, "ended-by-another", Some(&old.actor));
        }
        self.audit(now, event, Some(&actor));
        let session = Session {
            actor,
            wards,
            started_at: now,
            last_active: now,
            idle: self.policy.idle,
        };
        self.current = Some(session.clone());
        session
    }

    /// Signs a person in without a roster, when none reached this PC: marked and audited as such.
    /// The same name and role as a locked emergency session resume it.
    pub fn emergency_sign_in(
        &mut self,
        request: &EmergencySignIn,
        now: DateTime<Utc>,
    ) -> Result<Session, SignInError> {
        if matches!(self.roster, RosterState::Ready(_)) {
            return Err(self.refused(now, SignInError::RosterAvailable));
        }
        let name = request.full_name.split_whitespace().collect::<Vec<_>>().join(" ");
        if name.split(' ').count() < 2 {
            return Err(self.refused(
                now,
                SignInError::EmergencyIncomplete("your full name (first name and surname)"),
            ));
        }
        let reason = request.reason.trim();
        if reason.chars().count() < 3 {
            return Err(self.refused(
                now,
                SignInError::EmergencyIncomplete("the reason (why there is no roster sign-in)"),
            ));
        }
        if !request.role.may_sign_in_in_emergency() {
            return Err(self.refused(now, SignInError::EmergencyRole));
        }
        let same = self.current.as_ref().is_some_and(|s| {
            s.actor.account_id.is_none()
                && s.actor.full_name.eq_ignore_ascii_case(&name)
                && s.actor.role == request.role
        });
        if same {
            return Ok(self.resume(now));
        }
        let actor = Actor {
            session_id: new_session_id(),
            account_id: None,
            full_name: name,
            role: request.role,
            emergency_reason: Some(reason.to_owned()),
        };
        tracing::warn!(role = request.role.word(), "emergency sign-in without a roster");
        Ok(self.start(actor, self.wards.clone(), now, "emergency-sign-in"))
    }

    /// Ends the session (the person pressed "sign out").
    pub fn sign_out(&mut self, now: DateTime<Utc>) {
        if let Some(old) = self.current.take() {
            self.audit(now, "signed-out", Some(&old.actor));
        }
    }

    /// Activity in the window keeps the session open.
    pub fn touch(&mut self, now: DateTime<Utc>) {
        if let Some(s) = &mut self.current {
            s.touch(now);
        }
    }

    /// May whoever is signed in do `action` now? See [`Session::require`]. A refusal is in the
    /// audit trail: who (when someone is signed in, even locked), what was asked, and why not.
    pub fn require(&mut self, action: Action, now: DateTime<Utc>) -> Result<Actor, Refusal> {
        let result = match self.current.as_mut() {
            None => Err(Refusal::NotSignedIn),
            Some(session) => session.require(action, now),
        };
        if let Err(r) = &result {
            tracing::info!(code = r.code(), action = action.code(), "refused");
            self.audit_refusal(r, action, now);
        }
        result
    }

    /// Who is signed in, when they may do `action` now; `None` otherwise, not a refusal (what
    /// anyone on the ward may do, done with or without a name).
    pub fn signed_in_who_may(&mut self, action: Action, now: DateTime<Utc>) -> Option<Actor> {
        self.current.as_mut()?.require(action, now).ok()
    }

    fn audit_refusal(&mut self, r: &Refusal, action: Action, now: DateTime<Utc>) {
        let actor = self.current.as_ref().map(|s| s.actor.clone());
        self.audit.push(AuditEvent {
            at: now,
            event: format!("refused-{}", r.code()),
            session_id: actor.as_ref().map(|a| a.session_id.clone()),
            account_id: actor.as_ref().and_then(|a| a.account_id.clone()),
            full_name: actor.as_ref().map(|a| a.full_name.clone()),
            role: actor.as_ref().map(|a| a.role),
            reason: None,
            detail: Some(action.code().to_owned()),
        });
    }

    /// Refuses `action` when someone is signed in whose role may not do it; with nobody signed in
    /// (or a locked session) it is allowed: what anyone on the ward may see (the board).
    pub fn refuse_if_signed_in_may_not(
        &mut self,
        action: Action,
        now: DateTime<Utc>,
    ) -> Result<(), crate::StationError> {
        match &self.current {
            Some(s) if !s.is_locked(now) && !s.actor.role.may(action) => {
                let r = Refusal::NotAllowed {
                    role: s.actor.role,
                    action,
                };
                self.audit_refusal(&r, action, now);
                Err(crate::StationError::Refused(r))
            }
            _ => Ok(()),
        }
    }

    /// What the sign-in screen and every screen's banner show.
    pub fn view(&self, now: DateTime<Utc>) -> SessionView {
        let (signed_in, locked) = match &self.current {
            Some(s) if s.is_locked(now) => (
                None,
                Some(LockedView {
                    full_name: s.actor.full_name.clone(),
                    role: s.actor.role,
                    since: s.locks_at(),
                    text: format!(
                        "Locked at {} after {} minutes idle. {}, sign in again to carry on where you were",
                        time::clock(s.locks_at()),
                        self.policy.idle.num_minutes(),
                        s.actor.full_name
                    ),
                }),
            ),
            Some(s) => (Some(s.view(now)), None),
            None => (None, None),
        };
        let (roster_available, roster_problem) = match &self.roster {
            RosterState::Ready(_) => (true, None),
            RosterState::Unavailable(why) => (
                false,
                Some(format!(
                    "No roster has reached this PC ({why}): staff sign in with the emergency sign-in, marked as such. Tell IT"
                )),
            ),
        };
        SessionView {
            signed_in,
            locked,
            roster_available,
            emergency_allowed: !roster_available,
            roster_problem,
            idle_minutes: self.policy.idle.num_minutes(),
        }
    }
}

/// The key failed attempts at an unknown name are counted under: a digest, so that what was typed
/// (perhaps a PIN, in the wrong box) is not kept, nor shown by `Debug`.
fn typed_key(name_or_id: &str) -> String {
    use std::hash::{Hash as _, Hasher as _};
    let mut h = std::hash::DefaultHasher::new();
    name_or_id
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
        .hash(&mut h);
    format!("typed:{:016x}", h.finish())
}

fn new_session_id() -> String {
    use argon2::password_hash::rand_core::{OsRng, RngCore as _};
    let mut bytes = [0u8; 8];
    OsRng.fill_bytes(&mut bytes);
    bytes.iter().fold(String::with_capacity(16), |mut s, b| {
        use std::fmt::Write as _;
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// Who is signed in on this PC, as every screen shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct SessionView {
    /// The person signed in now; `None` when nobody is, or the session is locked.
    pub signed_in: Option<SignedInView>,
    /// A session locked after idle time, waiting for its person to sign in again.
    pub locked: Option<LockedView>,
    /// Whether a roster reached this PC (sign in with name and PIN).
    pub roster_available: bool,
    /// Whether the emergency sign-in is offered (no roster reached this PC).
    pub emergency_allowed: bool,
    /// Why there is no roster, for the sign-in screen.
    pub roster_problem: Option<String>,
    pub idle_minutes: i64,
}

/// The person signed in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct SignedInView {
    /// Stays the same when the person resumes after a lock: the window keeps its place.
    pub session_id: String,
    /// `None` for an emergency sign-in.
    pub account_id: Option<String>,
    pub full_name: String,
    pub role: Role,
    /// `bed manager`.
    pub role_label: String,
    /// The account's wards (`*`: every ward).
    pub wards: Vec<String>,
    pub emergency: bool,
    pub emergency_reason: Option<String>,
    /// Shown on every screen for an emergency sign-in.
    pub banner: Option<String>,
    pub signed_in_at: DateTime<Utc>,
    pub locks_at: DateTime<Utc>,
    /// `14:20`.
    pub locks_at_text: String,
    /// What this person may do: the UI hides the rest (the station refuses it anyway).
    pub may: Vec<Action>,
    pub locked: bool,
}

/// A session locked after idle time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct LockedView {
    pub full_name: String,
    pub role: Role,
    pub since: DateTime<Utc>,
    /// `Locked at 14:20 after 10 minutes idle. Sam Jones, sign in again to carry on where you were`.
    pub text: String,
}

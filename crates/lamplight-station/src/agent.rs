//! The refresh agent: Lamplight without a window, on an IT server or a ward PC, keeping snapshots
//! fresh with the same code the window runs.
//!
//! What it does follows from the configuration ([`AgentPlan::from_config`]):
//! - **Site agent** (`[epr]` and `site_share`): one client of the EPR for the whole site. Each pull
//!   is staged into `<share>/SITE/` and, ward by ward, into `<share>/<WARD>/`
//!   ([`crate::sync::share`]). It needs no key that opens snapshots: staging seals to recipients.
//! - **Ward PC agent** (a vault and its identity, with `[epr]` or `site_share`): the window's own
//!   background (follow, health, refresh or take from the share, status file), started by
//!   [`Station::start_agent`] without claiming the PC's journal, so the nurse's window opened
//!   later records as always.
//!
//! Either way it survives the EPR being down (a pull that fails changes nothing and the next tries
//! again, so the first pull after the EPR returns lands within one interval), writes its status file
//! for `lamplight fleet`, and stops between pulls when asked ([`SiteAgent::run`]'s `stop`), never
//! half-way through writing a generation: staging writes a temporary file and renames it.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use chrono::{DateTime, Utc};
use lamplight_vault::{Recipient, Vault};

use crate::fleet::PcStatus;
use crate::sync::{self, RefreshLoop, Stager, SyncError, WardScope, share};
use crate::{Station, StationConfig, StationError};

/// What an agent started with this configuration would do, or why it cannot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AgentPlan {
    /// Pull from the EPR and stage every ward into the site share.
    Site { share: PathBuf },
    /// Run a ward PC's background without its window.
    WardPc,
}

/// Why an agent cannot start.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AgentError {
    #[error(
        "the agent has nothing to do: set [epr] url (to pull) with site_share (stage every ward into the share) or with vault and identity (keep this PC's vault fresh), or set site_share with vault and identity (a ward PC taking its ward from the share)"
    )]
    NothingToDo,
    #[error("[refresh] every_secs = 0 stops the agent pulling at all: give the seconds between pulls (60)")]
    NoRefresh,
    #[error(
        "a site agent seals what it stages to recipients: set recipients_file (the site's ward PCs and IT's break-glass key), or identity"
    )]
    NoRecipients,
    #[error("{0}")]
    Sync(#[from] SyncError),
    #[error("{0}")]
    Station(#[from] StationError),
}

impl AgentPlan {
    pub fn from_config(c: &StationConfig) -> Result<Self, AgentError> {
        let pulls = c.epr.is_some() && c.refresh.is_some();
        let opens = c.vault.is_some() && c.identity.is_some();
        match (&c.site_share, pulls, opens) {
            // Pulling with a share: the site agent (an IT server), whatever else is set.
            (Some(share), true, _) => {
                if c.recipients_file.is_none() && c.identity.is_none() {
                    return Err(AgentError::NoRecipients);
                }
                Ok(Self::Site { share: share.clone() })
            }
            // A ward PC taking from the share (its EPR, if any, for health checks only), or
            // pulling for itself.
            (Some(_), false, true) | (None, true, true) => Ok(Self::WardPc),
            (None, false, _) if c.epr.is_some() => Err(AgentError::NoRefresh),
            _ => Err(AgentError::NothingToDo),
        }
    }

    /// In words, for `--check` and the agent's first log line.
    pub fn describe(&self, c: &StationConfig) -> String {
        let wards = if c.wards.is_empty() {
            "every ward".to_owned()
        } else {
            c.wards.join(", ")
        };
        let every = c.refresh.unwrap_or_default().every.as_secs();
        match self {
            Self::Site { share } => format!(
                "pull {wards} from {} every {every} s and stage each ward, signed{}, into the site share {}",
                c.epr.as_ref().map_or("", |e| e.base_url.as_str()),
                if c.signing_key.is_some() {
                    ""
                } else {
                    " (NOT: no sign_with)"
                },
                share.display()
            ),
            Self::WardPc => {
                let vault = c
                    .vault
                    .as_deref()
                    .map(|d| d.display().to_string())
                    .unwrap_or_default();
                match (&c.site_share, &c.epr) {
                    (Some(s), _) => format!(
                        "take {wards}'s newest generation from the site share {} into the vault {vault} every {every} s, as PC {}",
                        s.display(),
                        c.pc
                    ),
                    (None, Some(e)) => format!(
                        "keep the vault {vault} fresh from {} every {every} s ({wards}), as PC {}",
                        e.base_url, c.pc
                    ),
                    (None, None) => String::new(),
                }
            }
        }
    }
}

impl Station {
    /// Takes this PC's ward's (or, showing every ward, the site's) newest generation from the site
    /// share into its own vault, then follows it. `Ok(None)`: the vault is already up to date.
    pub fn take_from_share(&self, now: DateTime<Utc>) -> Result<Option<u64>, StationError> {
        let (Some(share), Some(vault), Some(identity)) =
            (&self.config.site_share, &self.vault, &self.identity)
        else {
            return Ok(None);
        };
        let ward = match self.config.wards.as_slice() {
            [] => None,
            [one] => Some(one.as_str()),
            more => {
                return Err(StationError::InvalidEntry(format!(
                    "a PC fed by the site share shows one ward or the whole site, not {}",
                    more.join(" and ")
                )));
            }
        };
        let folder = share::folder(share, ward).map_err(|e| StationError::InvalidEntry(e.to_string()))?;
        let taken = vault.take_newest_from(&vault.clone().at(folder), Some(identity))?;
        Ok(match taken {
            lamplight_vault::Taken::UpToDate { .. } => None,
            lamplight_vault::Taken::Copied { header, skipped, .. } => {
                for s in &skipped {
                    tracing::warn!(generation = s.generation, error = %s.error, "a generation on the site share was not taken");
                }
                self.check_vault(now);
                Some(header.generation)
            }
        })
    }
}

/// One pass of the site agent, as its log and `--json` say it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Cycle {
    pub ok: bool,
    pub generation: Option<u64>,
    pub patients: usize,
    pub requests: usize,
    pub millis: u64,
    /// Wards staged into the share this pass.
    pub wards_staged: usize,
    /// What went wrong, in one line each (no patient data).
    pub problems: Vec<String>,
}

/// The site agent: pulls the site and stages it into the share, ward by ward.
#[derive(Debug)]
pub struct SiteAgent {
    config: StationConfig,
    share: PathBuf,
    refresh: RefreshLoop,
    recipients: Vec<Recipient>,
    template: Vault,
    last_generation: Option<u64>,
    data_as_of: Option<DateTime<Utc>>,
    epr: &'static str,
    warnings: usize,
}

impl SiteAgent {
    pub fn new(config: &StationConfig, share: &Path) -> Result<Self, AgentError> {
        let epr = config.epr.clone().ok_or(AgentError::NothingToDo)?;
        let policy = config.refresh.ok_or(AgentError::NoRefresh)?;
        let mut recipients = Vec::new();
        if let Some(id) = &config.identity {
            let passphrase = config.passphrase().map_err(StationError::from)?;
            let identity =
                lamplight_vault::Identity::load(id, passphrase.as_ref()).map_err(StationError::from)?;
            recipients.push(identity.recipient());
        }
        if let Some(f) = &config.recipients_file {
            recipients.extend(sync::recipients(&[], std::slice::from_ref(f))?);
        }
        let mut template = Vault::new(share).keep(config.keep_generations);
        if let Some(key) = &config.signing_key {
            template = template.sign_with(lamplight_vault::SigningKey::load(key).map_err(SyncError::from)?);
        }
        let site_vault = template.clone().at(share::folder(share, None)?);
        let stager = Stager::new(site_vault, recipients.clone())?;
        let scope = if config.wards.is_empty() {
            WardScope::Site
        } else {
            WardScope::Wards(config.wards.clone())
        };
        Ok(Self {
            refresh: RefreshLoop::new(&epr, scope, stager, policy)?,
            config: config.clone(),
            share: share.to_owned(),
            recipients,
            template,
            last_generation: None,
            data_as_of: None,
            epr: "unknown",
            warnings: 0,
        })
    }

    /// Between pulls.
    pub fn every(&self) -> Duration {
        self.refresh.policy().every
    }

    /// One pull, staged into the share; the status file written after it.
    pub fn cycle(&mut self, now: DateTime<Utc>) -> Cycle {
        let mut cycle = Cycle {
            ok: false,
            generation: None,
            patients: 0,
            requests: 0,
            millis: 0,
            wards_staged: 0,
            problems: Vec::new(),
        };
        match self.refresh.pull_once(now) {
            Ok(pulled) => {
                self.epr = "answering";
                let source = self
                    .config
                    .epr
                    .as_ref()
                    .map(sync::EprSettings::source_label)
                    .unwrap_or_default();
                let Some(site) = self.refresh.site() else {
                    unreachable!("a pull that succeeded leaves its census")
                };
                let staged = share::stage_wards(
                    &self.share,
                    site,
                    &self.recipients,
                    &self.template,
                    &source,
                    Utc::now(),
                );
                cycle.wards_staged = staged.wards.iter().filter(|(_, r)| r.is_ok()).count();
                cycle
                    .problems
                    .extend(staged.failures().map(|(w, e)| format!("ward {w}: {e}")));
                cycle.ok = cycle.problems.is_empty();
                cycle.generation = Some(pulled.staged.header.generation);
                cycle.patients = pulled.patients;
                cycle.requests = pulled.requests;
                cycle.millis = u64::try_from(pulled.millis).unwrap_or(u64::MAX);
                self.last_generation = cycle.generation;
                self.data_as_of = pulled.staged.header.data_as_of();
            }
            Err(e) => {
                if matches!(e, SyncError::Epr(_)) {
                    self.epr = "not_answering";
                }
                cycle
                    .problems
                    .push(format!("the pull failed, the share is unchanged: {e}"));
            }
        }
        self.warnings = cycle.problems.len();
        if let Some(dir) = &self.config.status_dir
            && let Err(e) = crate::fleet::write_status(dir, &self.status(Utc::now()))
        {
            tracing::warn!(error = %e, "the agent's status file could not be written");
        }
        cycle
    }

    /// The agent's status file: what `lamplight fleet` reads of every PC.
    pub fn status(&self, now: DateTime<Utc>) -> PcStatus {
        PcStatus {
            format: 1,
            pc: self.config.pc.clone(),
            wards: self.config.wards.clone(),
            written_at: now,
            lamplight_version: env!("CARGO_PKG_VERSION").to_owned(),
            source: if self.last_generation.is_some() {
                "snapshot"
            } else {
                "waiting"
            }
            .to_owned(),
            generation: self.last_generation,
            data_as_of: self.data_as_of,
            checks_signatures: self.config.signing_key.is_some(),
            epr: self.epr.to_owned(),
            mode: "normal".to_owned(),
            unreconciled: 0,
            warnings: self.warnings,
        }
    }

    /// Pulls every interval until `stop` is set (checked every 200 ms, so SIGTERM is answered at
    /// once between pulls) or `cycles` have run; `report` hears each pass.
    pub fn run(&mut self, stop: &AtomicBool, cycles: Option<u64>, mut report: impl FnMut(&Cycle)) {
        let mut done = 0u64;
        while !stop.load(Ordering::SeqCst) {
            let cycle = self.cycle(Utc::now());
            report(&cycle);
            done += 1;
            if cycles.is_some_and(|n| done >= n) {
                return;
            }
            let until = std::time::Instant::now() + self.every();
            while std::time::Instant::now() < until && !stop.load(Ordering::SeqCst) {
                std::thread::sleep(Duration::from_millis(200).min(until - std::time::Instant::now()));
            }
        }
    }
}

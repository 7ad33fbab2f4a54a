//! The ward PC's brain: the one API every front end calls.
//!
//! The Tauri shell, the `lamplight` command and the tests all go through [`Station`]; none of them
//! holds a clinical rule of its own. Queries take `now` explicitly so that a test can stand at any
//! moment (a clock change, a stale snapshot) and the window simply passes the wall clock.
//!
//! What it leaves to others: the domain rules (`lamplight-model`), FHIR (`lamplight-fhir`), and how
//! anything is drawn.

#![forbid(unsafe_code)]

mod board;
mod chart;
mod launch;
pub mod paper;
mod patient;
mod status;
pub mod view;
mod wording;

use chrono::{DateTime, Utc};
use lamplight_model::Site;

pub use launch::{LaunchConfig, LaunchError};
pub use paper::{PrintDocument, PrintOptions, PrintOutcome, PrintPreview, PrinterError};
pub use view::*;

/// How old data may get before every screen turns red, by default (minutes).
pub const DEFAULT_STALE_AFTER_MINUTES: i64 = 60;

/// The ward PC's view of its data.
#[derive(Debug)]
pub struct Station {
    site: Site,
    source: SourceKind,
    source_label: String,
    stale_after_minutes: i64,
    warnings: Vec<String>,
}

/// What went wrong in a query.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StationError {
    #[error(
        "no {what} with id {id:?} in this data; it may have been discharged or moved since the list was shown: refresh the board"
    )]
    NotFound { what: &'static str, id: String },
    #[error("the snapshot could not be opened: {0}")]
    Snapshot(#[from] lamplight_vault::VaultError),
    #[error("the snapshot has no ward {0:?}: check the ward code this PC is configured with")]
    NoSuchWard(String),
    #[error("this PC's Lamplight is not configured correctly: {0}")]
    Launch(#[from] LaunchError),
    #[error("cannot print yet: {0}")]
    PrintNeeds(String),
    #[error("{0}")]
    Printer(#[from] PrinterError),
}

impl StationError {
    /// The error as it crosses to a front end.
    pub fn to_api(&self) -> ApiError {
        let code = match self {
            StationError::NotFound { .. } | StationError::NoSuchWard(_) => ErrorCode::NotFound,
            StationError::Snapshot(_) | StationError::Launch(_) => ErrorCode::SnapshotUnavailable,
            StationError::PrintNeeds(_) => ErrorCode::InvalidRequest,
            StationError::Printer(_) => ErrorCode::PrinterUnavailable,
        };
        ApiError {
            code,
            message: self.to_string(),
        }
    }
}

impl Station {
    /// A station over data from a staged snapshot or bundle.
    pub fn new(site: Site, source: SourceKind, source_label: impl Into<String>) -> Self {
        Self {
            site,
            source,
            source_label: source_label.into(),
            stale_after_minutes: DEFAULT_STALE_AFTER_MINUTES,
            warnings: Vec::new(),
        }
    }

    /// The newest snapshot of a vault that opens with `identity`: the whole site, or one ward of it.
    /// When newer generations had to be skipped, every screen says so.
    pub fn open_vault(
        vault: &lamplight_vault::Vault,
        identity: &lamplight_vault::Identity,
        ward: Option<&str>,
    ) -> Result<Self, StationError> {
        let opened = vault.open_newest(identity)?;
        let read = |e: lamplight_vault::store::Error| lamplight_vault::VaultError::Database {
            path: opened.path.clone(),
            detail: e.to_string(),
        };
        let site = match ward {
            None => opened.database.site().map_err(read)?,
            Some(code) => match opened.database.ward_site(code) {
                Err(lamplight_vault::store::Error::QueryReturnedNoRows) => {
                    return Err(StationError::NoSuchWard(code.to_owned()));
                }
                other => other.map_err(read)?,
            },
        };
        let h = &opened.header;
        let label = format!(
            "Snapshot generation {} from {}, sealed {}",
            h.generation,
            h.source,
            lamplight_model::time::clinical(h.created_at)
        );
        let mut station = Self::new(site, SourceKind::Snapshot, label);
        station.warnings = opened
            .skipped
            .iter()
            .map(|s| {
                format!(
                    "Newer snapshot (generation {}) could not be opened, so older data is shown: {}",
                    s.generation, s.error
                )
            })
            .collect();
        Ok(station)
    }

    /// The built-in demo ward (28 beds, seed 1), made fresh as of `now` so that a newcomer sees
    /// realistic due times and ages.
    pub fn demo(now: DateTime<Utc>) -> Self {
        let site = lamplight_demo::site(&lamplight_demo::DemoOptions::ward(now));
        Self::new(
            site,
            SourceKind::Demo,
            "Built-in demo ward: synthetic patients, not real people",
        )
    }

    #[must_use]
    pub fn with_stale_after(mut self, minutes: i64) -> Self {
        self.stale_after_minutes = minutes;
        self
    }

    pub fn site(&self) -> &Site {
        &self.site
    }

    /// Where the data came from and how old it is.
    pub fn status(&self, now: DateTime<Utc>) -> DataStatus {
        status::status(self, now)
    }

    /// The wards this station can show.
    pub fn wards(&self, now: DateTime<Utc>) -> WardList {
        board::wards(self, now)
    }

    /// The board of one ward.
    pub fn board(&self, ward_id: &str, now: DateTime<Utc>) -> Result<WardBoard, StationError> {
        board::board(self, ward_id, now)
    }

    /// Everything about one patient.
    pub fn patient(&self, patient_id: &str, now: DateTime<Utc>) -> Result<PatientView, StationError> {
        patient::patient(self, patient_id, now)
    }
}

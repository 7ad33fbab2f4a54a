//! The ward PC's brain: the one API every front end calls.
//!
//! The Tauri shell, the `lamplight` command and the tests all go through [`Station`]; none of them
//! holds a clinical rule of its own. Queries take `now` explicitly so that a test can stand at any
//! moment (a clock change, a stale snapshot) and the window simply passes the wall clock.
//!
//! What it leaves to others: the domain rules (`lamplight-model`), FHIR (`lamplight-fhir`), and how
//! anything is drawn.

#![forbid(unsafe_code)]

mod query;
pub mod view;

use chrono::{DateTime, Utc};
use lamplight_model::Site;

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
}

/// What went wrong in a query.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StationError {
    #[error(
        "no {what} with id {id:?} in this data; it may have been discharged or moved since the list was shown: refresh the board"
    )]
    NotFound { what: &'static str, id: String },
}

impl StationError {
    /// The error as it crosses to a front end.
    pub fn to_api(&self) -> ApiError {
        let code = match self {
            StationError::NotFound { .. } => ErrorCode::NotFound,
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
        }
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
        query::status(self, now)
    }

    /// The wards this station can show.
    pub fn wards(&self, now: DateTime<Utc>) -> WardList {
        query::wards(self, now)
    }

    /// The board of one ward.
    pub fn board(&self, ward_id: &str, now: DateTime<Utc>) -> Result<WardBoard, StationError> {
        query::board(self, ward_id, now)
    }

    /// Everything about one patient.
    pub fn patient(&self, patient_id: &str, now: DateTime<Utc>) -> Result<PatientView, StationError> {
        query::patient(self, patient_id, now)
    }
}

//! One generation of ward data as screens and paper read it: the site, where it came from, and what
//! a person must know about it. Immutable: when a newer generation lands, the [`crate::Station`]
//! swaps in a new `WardData` whole, so a screen being built never sees half of each.

use chrono::{DateTime, Utc};
use lamplight_model::Site;

use crate::view::{DataStatus, PatientView, SourceKind, WardBoard, WardList};
use crate::{DEFAULT_STALE_AFTER_MINUTES, StationError};

/// The data on screen.
#[derive(Debug)]
pub struct WardData {
    pub(crate) site: Site,
    pub(crate) source: SourceKind,
    pub(crate) source_label: String,
    pub(crate) stale_after_minutes: i64,
    pub(crate) warnings: Vec<String>,
    /// The snapshot generation, when the data came from a vault.
    pub(crate) generation: Option<u64>,
    /// Newer generations that could not be opened, and why: every screen says so.
    pub(crate) skipped: Vec<(u64, String)>,
    /// The site as staged, before downtime entries were laid over it (`site` is the merged one).
    pub(crate) snapshot: std::sync::Arc<Site>,
    /// The downtime entries laid over the snapshot.
    pub(crate) entries: Vec<lamplight_model::Entry>,
}

impl WardData {
    /// Data from a staged snapshot or bundle.
    pub fn new(site: Site, source: SourceKind, source_label: impl Into<String>) -> Self {
        Self {
            snapshot: std::sync::Arc::new(site.clone()),
            entries: Vec::new(),
            site,
            source,
            source_label: source_label.into(),
            stale_after_minutes: DEFAULT_STALE_AFTER_MINUTES,
            warnings: Vec::new(),
            generation: None,
            skipped: Vec::new(),
        }
    }

    /// The newest snapshot of a vault that opens with `identity`: the whole site, or the wards named.
    /// When newer generations had to be skipped, every screen says so.
    pub fn open_vault(
        vault: &lamplight_vault::Vault,
        identity: &lamplight_vault::Identity,
        wards: &[String],
    ) -> Result<Self, StationError> {
        let opened = vault.open_newest(identity)?;
        let site = opened
            .database
            .site()
            .map_err(|e| lamplight_vault::VaultError::Database {
                path: opened.path.clone(),
                detail: e.to_string(),
            })?;
        let site = if wards.is_empty() {
            site
        } else {
            site.wards_subset(wards)
                .map_err(|missing| StationError::NoSuchWard(missing.join(", ")))?
        };
        let h = &opened.header;
        let label = format!(
            "Snapshot generation {} from {}, sealed {}",
            h.generation,
            h.source,
            lamplight_model::time::clinical(h.created_at)
        );
        let mut data = Self::new(site, SourceKind::Snapshot, label);
        data.generation = Some(h.generation);
        data.skipped = opened
            .skipped
            .iter()
            .map(|s| (s.generation, s.error.to_string()))
            .collect();
        Ok(data)
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

    /// A PC configured to pull from the EPR whose vault holds nothing yet: no patients, said
    /// plainly, until the first pull lands and is followed.
    pub fn waiting(now: DateTime<Utc>) -> Self {
        let mut data = Self::new(
            Site::empty("No ward data yet", now),
            SourceKind::Waiting,
            "No snapshot yet: this PC's first pull from the EPR is under way",
        );
        data.warnings.push(
            "This PC holds no ward data yet: use the last printed downtime pack or paper until the board fills"
                .to_owned(),
        );
        data
    }

    /// The same generation with `entries` (the ward's downtime record) laid over its snapshot.
    #[must_use]
    pub fn with_entries(&self, entries: Vec<lamplight_model::Entry>) -> Self {
        Self {
            site: lamplight_model::entry::apply(&self.snapshot, &entries),
            snapshot: std::sync::Arc::clone(&self.snapshot),
            entries,
            source: self.source,
            source_label: self.source_label.clone(),
            stale_after_minutes: self.stale_after_minutes,
            warnings: self.warnings.clone(),
            generation: self.generation,
            skipped: self.skipped.clone(),
        }
    }

    /// The site as staged, before the downtime entries were laid over it: what the ward worked from.
    pub fn snapshot(&self) -> &Site {
        &self.snapshot
    }

    /// The downtime entries shown with this generation.
    pub fn entries(&self) -> &[lamplight_model::Entry] {
        &self.entries
    }

    pub fn site(&self) -> &Site {
        &self.site
    }

    pub fn generation(&self) -> Option<u64> {
        self.generation
    }

    /// Where the data came from and how old it is (without the PC's mode and the EPR's state,
    /// which the [`crate::Station`] adds).
    pub fn status(&self, now: DateTime<Utc>) -> DataStatus {
        crate::status::status(self, now)
    }

    /// The wards this data holds.
    pub fn wards(&self, now: DateTime<Utc>) -> WardList {
        crate::board::wards(self, now)
    }

    /// The board of one ward.
    pub fn board(&self, ward_id: &str, now: DateTime<Utc>) -> Result<WardBoard, StationError> {
        crate::board::board(self, ward_id, now)
    }

    /// Everything about one patient.
    pub fn patient(&self, patient_id: &str, now: DateTime<Utc>) -> Result<PatientView, StationError> {
        crate::patient::patient(self, patient_id, now)
    }
}

//! Where the data on screen came from and how old it is (DESIGN.md promise 6).

use chrono::{DateTime, Utc};
use lamplight_model::time;

use crate::Station;
use crate::view::DataStatus;

pub(crate) fn status(station: &Station, now: DateTime<Utc>) -> DataStatus {
    let extracted_at = station.site.extracted_at;
    let age_minutes = (now - extracted_at).num_minutes();
    let extracted_at_text = time::clinical(extracted_at);
    let age_text = time::age_words(extracted_at, now);
    DataStatus {
        source: station.source,
        source_label: station.source_label.clone(),
        site_name: station.site.name.clone(),
        extracted_at,
        stamp: format!("data as of {extracted_at_text} ({age_text})"),
        extracted_at_text,
        age_text,
        age_minutes,
        stale: age_minutes > station.stale_after_minutes,
        stale_after_minutes: station.stale_after_minutes,
        warnings: station.warnings.clone(),
    }
}

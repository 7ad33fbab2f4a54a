//! Where the data on screen came from and how old it is (DESIGN.md promise 6).

use chrono::{DateTime, Utc};
use lamplight_model::time;

use crate::WardData;
use crate::view::DataStatus;

pub(crate) fn status(station: &WardData, now: DateTime<Utc>) -> DataStatus {
    let extracted_at = station.site.extracted_at;
    let age_minutes = (now - extracted_at).num_minutes();
    let waiting = station.source == crate::view::SourceKind::Waiting;
    let extracted_at_text = if waiting {
        "no data yet".to_owned()
    } else {
        time::clinical(extracted_at)
    };
    let age_text = if waiting {
        "no data yet".to_owned()
    } else {
        time::age_words(extracted_at, now)
    };
    DataStatus {
        source: station.source,
        source_label: station.source_label.clone(),
        site_name: station.site.name.clone(),
        extracted_at,
        stamp: if waiting {
            "no ward data yet".to_owned()
        } else {
            format!("data as of {extracted_at_text} ({age_text})")
        },
        extracted_at_text,
        age_text,
        age_minutes,
        stale: waiting || age_minutes > station.stale_after_minutes,
        stale_after_minutes: station.stale_after_minutes,
        warnings: station
            .warnings
            .iter()
            .cloned()
            .chain(station.skipped.iter().map(|(generation, why)| {
                format!(
                    "Newer snapshot (generation {generation}) could not be opened, so older data is shown: {why}"
                )
            }))
            .collect(),
        generation: station.generation,
        revision: 0,
        updated_text: None,
        // The data alone knows no mode or EPR: the `Station` that shows it fills these in.
        mode: crate::mode::view(&lamplight_model::ModeState::initial(now), None, None, None),
        epr: crate::health::Health::new(crate::HealthPolicy::default(), false).view(),
        planned: None,
    }
}

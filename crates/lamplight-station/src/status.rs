//! Where the data on screen came from and how old it is (DESIGN.md promise 6).

use chrono::{DateTime, Utc};
use lamplight_model::time;

use crate::WardData;
use crate::view::{DataStatus, ImportNotice};

/// What every screen and page says of a data's age when the source gave no extraction time.
pub(crate) const AGE_UNKNOWN: &str = "age unknown";

pub(crate) fn status(station: &WardData, now: DateTime<Utc>) -> DataStatus {
    let extracted_at = station.site.extracted_at;
    let age_minutes = extracted_at.map(|t| (now - t).num_minutes());
    let waiting = station.source == crate::view::SourceKind::Waiting;
    let (extracted_at_text, age_text, stamp) = match extracted_at {
        _ if waiting => (
            "no data yet".to_owned(),
            "no data yet".to_owned(),
            "no ward data yet".to_owned(),
        ),
        Some(t) => {
            let (text, age) = (time::clinical(t), time::age_words(t, now));
            let stamp = format!("data as of {text} ({age})");
            (text, age, stamp)
        }
        // Unknown is said as unknown, and treated as stale: never as 1970, never as fresh.
        None => (
            "an unknown time".to_owned(),
            AGE_UNKNOWN.to_owned(),
            format!("data {AGE_UNKNOWN}: the source gave no time for it"),
        ),
    };
    DataStatus {
        source: station.source,
        source_label: station.source_label.clone(),
        site_name: station.site.name.clone(),
        extracted_at,
        stamp,
        extracted_at_text,
        age_text,
        age_minutes,
        age_known: extracted_at.is_some(),
        stale: waiting || age_minutes.is_none_or(|m| m > station.stale_after_minutes),
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
        session: None,
    }
}

/// The notice of what the import left out or changed, from the notes in the snapshot: of one ward
/// (its patients' notes, the data's own, and those of patients on no ward, who are on no board), or
/// of the whole site (`None`).
pub(crate) fn import_notice(data: &WardData, ward_id: Option<&str>) -> Option<ImportNotice> {
    let site = &data.site;
    let about_this_ward = |patient_id: &str| {
        let mut admissions = site
            .admissions
            .iter()
            .filter(|a| a.patient_id == patient_id)
            .peekable();
        admissions.peek().is_none()
            || admissions.any(|a| a.ward_id.is_none() || ward_id.is_none_or(|w| a.is_on(w)))
    };
    let notes: Vec<_> = site
        .notes
        .iter()
        .filter(|n| n.patient_id.as_deref().is_none_or(about_this_ward))
        .cloned()
        .collect();
    Some(ImportNotice {
        text: lamplight_model::notice::notice(&notes)?,
        details: notes.into_iter().map(|n| n.detail).collect(),
    })
}

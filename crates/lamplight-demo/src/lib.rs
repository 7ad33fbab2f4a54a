//! Deterministic synthetic hospital sites, for demos, drills, tests and benchmarks.
//!
//! [`site`] builds a whole [`Site`] (wards of about 28 beds in bays and side rooms, patients, their
//! admissions, drug charts with the last 24 hours of administrations, observations, allergies, alerts
//! and pending tests) that a UK ward nurse would recognise. Everything is relative to
//! [`DemoOptions::at`], so a demo made "now" has doses due in the next hour and observations taken this
//! morning. The same options always give the identical site: the random numbers come from a generator
//! written out in this crate (see `rng`), never from a dependency.
//!
//! Every patient is synthetic: NHS numbers are valid numbers in the `999` test range, names are drawn
//! from common UK names, and nothing here describes a real person.
//!
//! What it leaves to others: FHIR (`lamplight-fhir` turns the site into a bundle) and what screens show.

#![forbid(unsafe_code)]

mod catalogue;
pub mod entries;
mod patient;
mod rng;

use chrono::{DateTime, Utc};
use lamplight_model::{Bay, Bed, BedStatus, Site, Ward};

use crate::catalogue::{SITE_NAME, SPECIALTIES};
use crate::patient::{PatientPlan, Role};
use crate::rng::Rng;

/// The fewest beds a demo site can have.
pub const MIN_BEDS: usize = 1;
/// The most beds a demo site can have: a large acute trust's whole bed base.
pub const MAX_BEDS: usize = 2000;
/// About how many beds each generated ward has.
pub const BEDS_PER_WARD: usize = 28;

/// What demo site to build.
#[derive(Debug, Clone)]
pub struct DemoOptions {
    /// Beds across the whole site, from [`MIN_BEDS`] to [`MAX_BEDS`] (values outside are clamped).
    pub beds: usize,
    /// Different seeds give different patients; the same seed always the same ones.
    pub seed: u64,
    /// The moment the data describes: admissions, doses and observations all lead up to it.
    pub at: DateTime<Utc>,
}

impl DemoOptions {
    /// One ward of 28 beds with seed 1: the built-in demo.
    pub fn ward(at: DateTime<Utc>) -> Self {
        Self {
            beds: BEDS_PER_WARD,
            seed: 1,
            at,
        }
    }
}

/// Builds the demo site for these options. Same options, identical site.
pub fn site(o: &DemoOptions) -> Site {
    let beds = o.beds.clamp(MIN_BEDS, MAX_BEDS);
    let root = Rng::new(o.seed);
    let mut site = Site::empty(SITE_NAME, o.at);
    let mut people = patient::People::default();
    for (index, size) in ward_sizes(beds).into_iter().enumerate() {
        let mut rng = root.fork(index as u64 + 1);
        let ward = ward(index, size, &mut rng);
        let placements = occupancy(&ward, index, &mut rng);
        let roles = roles(placements.len(), &mut rng);
        for ((bed, side_room), role) in placements.into_iter().zip(roles) {
            let plan = PatientPlan {
                ward_id: &ward.id,
                specialty: &SPECIALTIES[index % SPECIALTIES.len()],
                bed_id: bed,
                side_room,
                role,
                at: o.at,
            };
            let mut patient_rng = rng.fork(people.count() as u64 + 1);
            people.admit(&plan, &mut patient_rng, &mut site);
        }
        site.wards.push(ward);
    }
    site
}

/// Splits the site's beds into wards of about [`BEDS_PER_WARD`], as evenly as possible.
fn ward_sizes(beds: usize) -> Vec<usize> {
    let wards = beds.div_ceil(BEDS_PER_WARD).max(1);
    (0..wards)
        .map(|i| beds / wards + usize::from(i < beds % wards))
        .collect()
}

/// Bay letters: a ward rarely has more than six bays.
const BAY_LETTERS: &[u8] = b"ABCDEFGHJK";

/// A ward of `size` beds: bays of four to six, and a side room for about every seventh bed.
fn ward(index: usize, size: usize, rng: &mut Rng) -> Ward {
    let specialty = &SPECIALTIES[index % SPECIALTIES.len()];
    let number = index + 7;
    let id = format!("wd{number}");
    let side_rooms = if size >= 7 { size / 7 } else { 0 };
    let in_bays = size - side_rooms;
    let bay_count = in_bays.div_ceil(6);
    let mut bays = Vec::new();
    for b in 0..bay_count {
        let letter = char::from(BAY_LETTERS[b % BAY_LETTERS.len()]);
        let beds_here = in_bays / bay_count + usize::from(b < in_bays % bay_count);
        let bay_id = format!("{id}-bay-{}", letter.to_ascii_lowercase());
        let beds = (1..=beds_here)
            .map(|n| Bed {
                id: format!("{id}-{}{n}", letter.to_ascii_lowercase()),
                label: format!("{letter}{n}"),
                status: bed_status(rng, false),
            })
            .collect();
        bays.push(Bay {
            id: bay_id,
            name: format!("Bay {letter}"),
            beds,
        });
    }
    for s in 1..=side_rooms {
        bays.push(Bay {
            id: format!("{id}-sr{s}"),
            name: format!("Side room {s}"),
            beds: vec![Bed {
                id: format!("{id}-sr{s}-bed"),
                label: format!("SR{s}"),
                status: bed_status(rng, true),
            }],
        });
    }
    Ward {
        id,
        code: format!("WD{number}"),
        name: format!("Ward {number} ({})", specialty.ward_label),
        bays,
    }
}

fn bed_status(rng: &mut Rng, side_room: bool) -> BedStatus {
    match rng.below(100) {
        0..=2 => BedStatus::Cleaning,
        3..=4 => BedStatus::Closed,
        5 if side_room => BedStatus::Contaminated,
        _ => BedStatus::Open,
    }
}

/// Which beds have a patient (about nine in ten open beds), plus at times one patient on the ward
/// waiting for a bed (`None`). Each entry says whether the bed is a side room.
fn occupancy(ward: &Ward, index: usize, rng: &mut Rng) -> Vec<(Option<String>, bool)> {
    let mut out = Vec::new();
    for (bay, bed) in ward.beds() {
        let side_room = bay.beds.len() == 1 && bay.name.starts_with("Side room");
        if bed.status == BedStatus::Open && rng.chance(90) {
            out.push((Some(bed.id.clone()), side_room));
        }
    }
    // The first ward always shows a patient waiting for a bed; others now and then.
    let waiting = if index == 0 {
        ward.bed_count() >= 10
    } else {
        rng.chance(25)
    };
    if waiting {
        out.push((None, false));
    }
    out
}

/// Who on the ward is unwell: a couple deteriorating (one scoring 7 or more), one with COPD scored on
/// SpO2 scale 2. Small wards get fewer.
fn roles(patients: usize, rng: &mut Rng) -> Vec<Role> {
    let mut roles = vec![Role::Stable; patients];
    let mut free: Vec<usize> = (0..patients).collect();
    let mut take = |rng: &mut Rng| -> Option<usize> {
        if free.is_empty() {
            return None;
        }
        let i = usize::try_from(rng.below(free.len() as u64)).unwrap_or(0);
        Some(free.swap_remove(i))
    };
    let wanted: &[Role] = match patients {
        0 => &[],
        1..=3 => &[Role::High],
        4..=7 => &[Role::High, Role::Copd],
        _ => &[Role::High, Role::Medium, Role::Copd],
    };
    for role in wanted {
        if let Some(i) = take(rng) {
            roles[i] = *role;
        }
    }
    roles
}

/// Every given and family name the demo can give a patient: what a scan of logs and error texts
/// looks for (none may appear there).
pub fn patient_names() -> impl Iterator<Item = &'static str> {
    [
        catalogue::FEMALE_GIVEN,
        catalogue::MALE_GIVEN,
        catalogue::FEMALE_MIDDLE,
        catalogue::MALE_MIDDLE,
        catalogue::FAMILY,
    ]
    .into_iter()
    .flatten()
    .copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn beds_are_split_into_wards_of_about_twenty_eight() {
        assert_eq!(ward_sizes(1), vec![1]);
        assert_eq!(ward_sizes(28), vec![28]);
        assert_eq!(ward_sizes(29), vec![15, 14]);
        let sizes = ward_sizes(2000);
        assert_eq!(sizes.iter().sum::<usize>(), 2000, "no bed is lost");
        assert!(
            sizes.iter().all(|s| (26..=28).contains(s)),
            "every ward is about 28 beds: {sizes:?}"
        );
    }

    #[test]
    fn a_ward_of_twenty_eight_has_bays_of_four_to_six_and_side_rooms() {
        let mut rng = Rng::new(1);
        let w = ward(0, 28, &mut rng);
        assert_eq!(w.bed_count(), 28);
        assert_eq!(w.name, "Ward 7 (Acute Medicine)");
        assert_eq!(w.code, "WD7");
        let side_rooms = w.bays.iter().filter(|b| b.name.starts_with("Side room")).count();
        assert_eq!(side_rooms, 4, "one side room for about every seventh bed");
        for bay in w.bays.iter().filter(|b| b.name.starts_with("Bay")) {
            assert!(
                (4..=6).contains(&bay.beds.len()),
                "{} has {} beds",
                bay.name,
                bay.beds.len()
            );
        }
    }
}

//! Reconciliation's plan, measured: how long planning takes, and how much of a downtime's record
//! needs a person. Not a test (the machine is shared and noisy): medians of several runs.
//!
//! ```text
//! cargo run --release -p lamplight-station --example reconcile_bench -- [ENTRIES] [RUNS]
//! ```
//!
//! - **Planning**: ENTRIES (2,000) demo entries of a 28-bed ward, recorded on two PCs over a
//!   24-hour downtime (two 12-hour drills' worth, one after the other), planned against the EPR as it
//!   was when the downtime began (every order active, every patient in their bed). Goal: under 1 s.
//! - **The nurse's share**: of a realistic 24-hour downtime of that ward (the demo's mix, about 300
//!   entries a PC), how many entries need a person, and why; the rest files without one.
//!
//! Filing itself, against posting the same bundles directly, is `lamplight-fhir`'s
//! `examples/backfile_bench.rs` (it needs a FHIR server).

#![allow(
    clippy::print_stdout,
    clippy::unwrap_used,
    reason = "a benchmark prints its results"
)]

use std::collections::{BTreeMap, BTreeSet};
use std::time::Instant;

use chrono::{DateTime, TimeDelta, Utc};
use lamplight_demo::DemoOptions;
use lamplight_demo::entries::{EntryOptions, entries};
use lamplight_model::reconcile::{EprState, Outcome, PlanInput, plan};
use lamplight_model::{Entry, Site};

/// `per_pc` entries on each of two PCs, over the 24 hours before `now`. Each run sees what was
/// recorded before it (as a PC sees its peers' entries through the ward folder), so no dose is
/// given twice by design: what needs a person is what the EPR or the record makes so.
fn downtime(site: &Site, now: DateTime<Utc>, per_pc: usize) -> Vec<Entry> {
    let mut out: Vec<Entry> = Vec::new();
    for (half, end) in [(0, now - TimeDelta::hours(12)), (1, now)] {
        for (pc, seed) in [("PC1", 1), ("PC2", 2)] {
            let seen = lamplight_model::entry::apply(site, &out);
            let made = entries(
                &seen,
                &EntryOptions {
                    seed: seed * 10 + half,
                    count: per_pc / 2,
                    now: end,
                    pc: format!("{pc}-{half}"),
                    given_by: format!("Nurse {pc}"),
                    checker: "Ruth Adeyemi".into(),
                },
            );
            for (i, e) in made.into_iter().enumerate() {
                out.push(Entry {
                    id: uuid_for(pc, half, i),
                    recorded_at: e.at + TimeDelta::minutes(2),
                    recorded_by: format!("Nurse {pc}"),
                    pc: pc.to_owned(),
                    drill: false,
                    corrects: None,
                    kind: e.kind,
                });
            }
        }
    }
    out
}

/// A fixed UUID per entry, so runs compare.
fn uuid_for(pc: &str, half: u64, i: usize) -> String {
    let n = (u128::from(pc.as_bytes()[2]) << 64) | (u128::from(half) << 32) | i as u128;
    lamplight_vault::journal::Uuid::from_u128(n).to_string()
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let count: usize = args.first().and_then(|a| a.parse().ok()).unwrap_or(2000);
    let runs: usize = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(11);
    let now = Utc::now();
    let site = lamplight_demo::site(&DemoOptions::ward(now - TimeDelta::hours(24)));
    let epr = EprState::as_of(&site);
    let none = BTreeSet::new();

    let big = downtime(&site, now, count / 2);
    let input = PlanInput {
        entries: &big,
        site: &site,
        epr: &epr,
        decisions: &[],
        filed: &none,
        allow_drill: false,
    };
    let mut times = Vec::new();
    for _ in 0..runs {
        let t = Instant::now();
        let p = plan(&input);
        times.push(t.elapsed().as_secs_f64());
        assert_eq!(p.entries.len(), big.len());
    }
    println!(
        "planning {} entries of a 28-bed ward (two PCs, 24 h): median {:.3} s of {runs} runs (goal < 1 s)",
        big.len(),
        median(times)
    );

    // The nurse's share of a realistic day: the demo's mix, ~300 entries a PC.
    let day = downtime(&site, now, 600);
    let p = plan(&PlanInput {
        entries: &day,
        ..input
    });
    let mut why: BTreeMap<String, usize> = BTreeMap::new();
    for e in &p.entries {
        if let Outcome::NeedsPerson { conflicts } = &e.outcome {
            for c in conflicts {
                let name = serde_json::to_value(c).unwrap()["conflict"]
                    .as_str()
                    .unwrap()
                    .to_owned();
                *why.entry(name).or_default() += 1;
            }
        }
    }
    let c = p.counts();
    // Entries waiting only for their downtime patient to be matched go with that one decision.
    let decisions = p
        .entries
        .iter()
        .filter(|e| match &e.outcome {
            Outcome::NeedsPerson { conflicts } => conflicts
                .iter()
                .any(|c| !matches!(c, lamplight_model::reconcile::Conflict::PatientNotMatched { .. })),
            _ => false,
        })
        .count();
    println!(
        "a 24-hour downtime, {} entries on two PCs: {} need a person ({}.{}%), settled by {decisions} decisions; {} file without one; conflicts: {why:?}",
        day.len(),
        c.needs_person,
        c.needs_person * 100 / day.len(),
        c.needs_person * 1000 / day.len() % 10,
        c.ready
    );
}

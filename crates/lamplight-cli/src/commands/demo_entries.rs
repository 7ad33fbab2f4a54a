//! `lamplight demo-entries`: records a drill's worth of synthetic downtime entries on a ward PC, for
//! demos, training and crash tests.
//!
//! The entries come from `lamplight_demo::entries` (deterministic from the snapshot and the seed) and
//! are recorded through the station, as the window records them: `Station::record_as` for a named
//! synthetic person, role nurse (the role is still checked), each fsync'd in this PC's journal before
//! it returns. Every one is a drill entry: the station marks `drill` from its mode, so the PC is put
//! into a drill first (from normal; a PC in real downtime or recovery is refused, so no practice
//! entry can be mistaken for care). The drill is left on, as `downtime drill` leaves it; `lamplight
//! downtime end` ends it.
//!
//! One line per entry is printed as soon as it is saved, starting with its id, and flushed, so a
//! test can kill the process at any moment and know what was acknowledged. The line holds ids, the
//! ward, the bed and the kind: never a patient's name or NHS number.

use std::io::Write as _;
use std::path::PathBuf;

use anyhow::Context as _;
use chrono::Utc;
use lamplight_demo::entries::{EntryOptions, entries};
use lamplight_model::entry::EntryKind;
use lamplight_model::{Mode, ModeAction, Role, Site, time};
use lamplight_station::session::Actor;
use lamplight_station::{ModeRequest, Station};

use crate::exit::BadInput;
use crate::secrets::OpenVault;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    open: OpenVault,
    /// How many entries to record.
    #[arg(long)]
    count: usize,
    /// The same seed over the same snapshot gives the same entries.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// This PC's name in its journal and entries (default: the configured one, the host name).
    #[arg(long)]
    pc: Option<String>,
    /// Only this ward's patients (its code, WD7); all the snapshot's by default.
    #[arg(long)]
    ward: Option<String>,
    /// The ward folder the ward's PCs share their entries through.
    #[arg(long)]
    ward_folder: Option<PathBuf>,
    /// The synthetic person the entries are recorded for.
    #[arg(long, default_value = "Demo Nurse (demo-entries)")]
    by: String,
}

/// Where a patient is: `WD7 BED A3`, `WD7 NO BED`, or `NOT ON A WARD`.
pub fn place(site: &Site, patient_id: &str) -> String {
    let Some(a) = site.admissions.iter().find(|a| a.patient_id == patient_id) else {
        return "NOT ON A WARD".to_owned();
    };
    let ward = a
        .ward_id
        .as_deref()
        .and_then(|w| site.wards.iter().find(|x| x.id == w));
    let code = ward.map_or("?", |w| w.code.as_str());
    let bed = a.bed_id.as_deref().and_then(|b| {
        ward.and_then(|w| w.beds().find(|(_, bed)| bed.id == b))
            .map(|(_, bed)| bed.label.clone())
    });
    match bed {
        Some(label) => format!("{code} BED {label}"),
        None => format!("{code} NO BED"),
    }
}

/// The entry's kind as one word, as `lamplight journal` shows it too.
pub fn kind_word(kind: &EntryKind) -> &'static str {
    match kind {
        EntryKind::DoseGiven { .. } => "dose-given",
        EntryKind::DoseNotGiven { .. } => "dose-not-given",
        EntryKind::Observations { .. } => "observations",
        EntryKind::Admission { .. } => "admission",
        EntryKind::Transfer { .. } => "transfer",
        EntryKind::Discharge { .. } => "discharge",
        EntryKind::Note { .. } => "note",
        EntryKind::PhonedResult { .. } => "phoned-result",
        EntryKind::EnteredInError { .. } => "entered-in-error",
    }
}

/// `dose-given WD7 BED A3 Amoxicillin 500mg capsules 500 mg 08:04`: no name, no NHS number.
fn line(site: &Site, kind: &EntryKind, at: chrono::DateTime<Utc>) -> String {
    let medicine = |order_id: &str| {
        site.orders
            .iter()
            .find(|o| o.id == order_id)
            .map_or_else(|| "a medicine".to_owned(), |o| o.medicine.text.clone())
    };
    let detail = match kind {
        EntryKind::DoseGiven { order_id, dose, .. } => format!("{} {dose}", medicine(order_id)),
        EntryKind::DoseNotGiven { order_id, reason, .. } => {
            format!("{} code {}", medicine(order_id), reason.code())
        }
        EntryKind::Observations { set } => format!("NEWS2 {}", set.news2().total),
        EntryKind::Admission { patient, .. } => patient.id.clone(),
        EntryKind::Transfer { bed_id, .. } => {
            let to = bed_id.as_deref().and_then(|b| {
                site.wards.iter().find_map(|w| {
                    w.beds()
                        .find(|(_, bed)| bed.id == b)
                        .map(|(_, bed)| bed.label.clone())
                })
            });
            format!("to BED {}", to.unwrap_or_else(|| "none yet".to_owned()))
        }
        EntryKind::Discharge { destination, .. } => destination.clone().unwrap_or_default(),
        EntryKind::PhonedResult { test, .. } => test.clone(),
        EntryKind::Note { .. } | EntryKind::EnteredInError { .. } => String::new(),
    };
    let place = match kind {
        EntryKind::Admission { admission, .. } => {
            let mut with = site.clone();
            with.admissions.push(admission.clone());
            place(&with, &admission.patient_id)
        }
        _ => kind.patient_id().map(|p| place(site, p)).unwrap_or_default(),
    };
    let mut text = format!("{} {place}", kind_word(kind));
    if !detail.is_empty() {
        text.push(' ');
        text.push_str(&detail);
    }
    text.push(' ');
    text.push_str(&time::clock(at));
    text
}

pub fn run(args: &Args) -> anyhow::Result<()> {
    let mut config = args
        .open
        .station_config(args.pc.as_deref(), args.ward_folder.as_deref())?;
    config.wards = args.ward.iter().cloned().collect();
    let station = Station::launch(&config, Utc::now())?;
    match station.mode().mode {
        Mode::Drill => {}
        Mode::Normal => {
            station.change_mode(
                &ModeRequest {
                    action: ModeAction::StartDrill,
                    by: args.by.clone(),
                    reason: "demo entries (lamplight demo-entries)".to_owned(),
                },
                Utc::now(),
            )?;
            eprintln!(
                "This PC ({}) is now in a drill: every entry is marked as practice. `lamplight downtime end` ends it.",
                config.pc
            );
        }
        other => {
            return Err(BadInput(format!(
                "this PC is in {other:?} mode, not a drill: demo entries are drill entries only, so none was recorded (end the downtime first, or use another PC)"
            ))
            .into());
        }
    }
    let actor = Actor {
        session_id: "demo-entries".to_owned(),
        account_id: None,
        full_name: args.by.clone(),
        role: Role::Nurse,
        emergency_reason: None,
    };
    // The peers' entries first (with a ward folder), so no dose they recorded is recorded again
    // here, and no bed they filled is given twice.
    station.check_vault(Utc::now());
    let site = station.data().site().clone();
    let plan = entries(
        &site,
        &EntryOptions {
            seed: args.seed,
            count: args.count,
            now: Utc::now(),
            pc: config.pc.clone(),
            given_by: args.by.clone(),
            checker: "Demo Checker (demo-entries)".to_owned(),
        },
    );
    if plan.len() < args.count {
        eprintln!(
            "The snapshot has too few patients for {} entries: recording {}.",
            args.count,
            plan.len()
        );
    }
    let mut out = std::io::stdout().lock();
    for demo in plan {
        // Described before it is recorded: where the patient was when the entry was made.
        let shown = station.data();
        let text = line(shown.site(), &demo.kind, demo.at);
        let entry = station
            .record_as(&actor, demo.kind, None, Utc::now())
            .context("while recording a demo entry")?;
        anyhow::ensure!(
            entry.drill,
            "entry {} was saved without the drill mark (the PC left its drill meanwhile): stop, and tell IT",
            entry.id
        );
        // Saved (fsync'd) before this line is written: what is printed was acknowledged.
        writeln!(out, "{} {text}", entry.id)?;
        out.flush()?;
    }
    Ok(())
}

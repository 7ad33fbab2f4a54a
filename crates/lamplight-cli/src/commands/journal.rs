//! `lamplight journal`: the ward's downtime entries as this PC's station sees them: its own
//! journal and, with a ward folder, its peers', oldest first, newest last.
//!
//! Each line: when it was recorded (London time, with the zone in the repeated October hour), the
//! PC, who recorded it, the kind, the patient's ward and bed (ids and places only, never a name),
//! `DRILL` for practice entries, and the entry it corrects. `--json` gives one array with the ids.
//!
//! It reads through the station, so a torn tail is set aside and said as the window says it
//! (warnings on stderr), and before that every journal in the vault is checked as `verify` checks
//! it: a broken chain is listed as far as it reads and then exits 4, as `verify` does.

use std::path::PathBuf;

use anyhow::Context as _;
use chrono::Utc;
use lamplight_model::time;
use lamplight_station::Station;
use lamplight_vault::journal;
use serde::Serialize;

use crate::commands::demo_entries::{kind_word, place};
use crate::secrets::OpenVault;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    open: OpenVault,
    /// This PC's name (default: the configured one, the host name).
    #[arg(long)]
    pc: Option<String>,
    /// The ward folder the ward's PCs share their entries through: the peers' entries too.
    #[arg(long)]
    ward_folder: Option<PathBuf>,
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Serialize)]
struct Row {
    id: String,
    recorded_at: chrono::DateTime<Utc>,
    /// London time, unambiguous (`01:30 GMT Sun 25/10/2026`).
    time: String,
    pc: String,
    by: String,
    kind: &'static str,
    patient_id: Option<String>,
    /// `WD7 BED A3`, as the ward's board places the patient now.
    place: Option<String>,
    drill: bool,
    corrects: Option<String>,
}

pub fn run(args: &Args) -> anyhow::Result<()> {
    let identity = args.open.load_identity()?;
    // Every journal in the vault, checked as `verify` checks it: a broken chain decides the exit.
    let mut broken = None;
    for (pc, path) in journal::journal_files(&args.open.vault)? {
        if let Err(e) = journal::check_file(&path, Some(&pc), Some(&identity)) {
            eprintln!("warning: the journal of {pc} ({}) is broken: {e}", path.display());
            broken.get_or_insert(e);
        }
    }
    let config = args
        .open
        .station_config(args.pc.as_deref(), args.ward_folder.as_deref())?;
    let now = Utc::now();
    let station = Station::launch(&config, now)?;
    // Reads the peers' records from the ward folder (and pushes this PC's, as the window would).
    station.check_vault(now);
    for w in station.status(now).warnings {
        eprintln!("warning: {w}");
    }
    let data = station.data();
    let site = data.site();
    let rows: Vec<Row> = data
        .entries()
        .iter()
        .map(|e| Row {
            id: e.id.clone(),
            recorded_at: e.recorded_at,
            time: time::clinical(e.recorded_at),
            pc: e.pc.clone(),
            by: e.recorded_by.clone(),
            kind: kind_word(&e.kind),
            patient_id: e.kind.patient_id().map(str::to_owned),
            place: e.kind.patient_id().map(|p| place(site, p)),
            drill: e.drill,
            corrects: e.corrects.clone(),
        })
        .collect();
    if args.json {
        crate::output::json(&rows)?;
    } else {
        for r in &rows {
            crate::output::line(&format!(
                "{}  {}  {}  {:<16} {:<14}{}{}  {}",
                r.time,
                r.pc,
                r.by,
                r.kind,
                r.place.as_deref().unwrap_or("-"),
                if r.drill { "  DRILL" } else { "" },
                r.corrects
                    .as_deref()
                    .map(|c| format!("  corrects {c}"))
                    .unwrap_or_default(),
                r.id
            ))?;
        }
    }
    eprintln!("{} entries", rows.len());
    match broken {
        Some(e) => Err(anyhow::Error::new(e))
            .context("a journal's chain is broken: keep the vault as it is and call IT"),
        None => Ok(()),
    }
}

//! Fleet readiness: would each ward PC be ready if the EPR failed now?
//!
//! Each PC (the window, and later the agent) writes a small status file into a status folder IT
//! reads, often a share: `<status-dir>/<PC>.json`, replaced atomically every minute. It holds no
//! patient data: the PC's name and wards, the newest generation it can open and how old its data
//! is, the EPR's state as the PC sees it, its mode and how many downtime entries are not yet
//! reconciled. `lamplight fleet` reads a folder of them and says which PCs are ready (a verified
//! snapshot newer than the threshold, and a status file recent enough to believe) and, for each
//! that is not, why.

use std::path::{Path, PathBuf};

use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

use crate::Station;

/// How often a PC replaces its status file.
pub const STATUS_EVERY: std::time::Duration = std::time::Duration::from_secs(60);
/// A status file older than this says nothing about the PC now: it is "not reporting".
pub const SILENT_AFTER: TimeDelta = TimeDelta::minutes(10);
/// The most bytes a status file may have (it is a few hundred): a planted giant is damage.
const MAX_STATUS_BYTES: u64 = 64 * 1024;

/// One PC's status, as its file holds it (format 1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PcStatus {
    pub format: u32,
    pub pc: String,
    /// The wards it shows; empty: the whole site.
    pub wards: Vec<String>,
    pub written_at: DateTime<Utc>,
    pub lamplight_version: String,
    /// `snapshot`, `demo` or `waiting` (a new PC before its first pull).
    pub source: String,
    /// The newest generation it opened, and what moment its data describes.
    pub generation: Option<u64>,
    pub data_as_of: Option<DateTime<Utc>>,
    /// Whether it checks staging signatures (`--trust`).
    pub checks_signatures: bool,
    /// `answering`, `slow`, `not_answering`, `not_monitored`, `unknown`.
    pub epr: String,
    /// `normal`, `downtime`, `recovery`, `drill`.
    pub mode: String,
    /// Downtime entries not yet filed to the EPR nor decided.
    pub unreconciled: usize,
    /// How many warnings its screens show (their words stay on the PC: they may name a patient).
    pub warnings: usize,
}

impl Station {
    /// This PC's status file, as of `now`.
    pub fn pc_status(&self, now: DateTime<Utc>) -> PcStatus {
        let status = self.status(now);
        let word = |v: serde_json::Result<serde_json::Value>| {
            v.ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_else(|| "unknown".to_owned())
        };
        PcStatus {
            format: 1,
            pc: self.config.pc.clone(),
            wards: self.config.wards.clone(),
            written_at: now,
            lamplight_version: env!("CARGO_PKG_VERSION").to_owned(),
            source: word(serde_json::to_value(status.source)),
            generation: status.generation,
            data_as_of: status.extracted_at,
            checks_signatures: self
                .vault
                .as_ref()
                .is_some_and(lamplight_vault::Vault::checks_signatures),
            epr: word(serde_json::to_value(status.epr.state)),
            mode: word(serde_json::to_value(status.mode.mode)),
            unreconciled: self.unreconciled(),
            warnings: status.warnings.len(),
        }
    }

    /// Writes this PC's status file into `dir` (atomically: a reader never sees half of one).
    pub fn write_status(&self, dir: &Path, now: DateTime<Utc>) -> std::io::Result<PathBuf> {
        write_status(dir, &self.pc_status(now))
    }
}

/// Writes `status` as `<dir>/<PC>.json`, replacing the last one atomically.
pub fn write_status(dir: &Path, status: &PcStatus) -> std::io::Result<PathBuf> {
    lamplight_vault::journal::check_pc_name(&status.pc)
        .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidInput, e.to_string()))?;
    let path = dir.join(format!("{}.json", status.pc));
    let tmp = dir.join(format!(".tmp-{}.json", status.pc));
    let text = serde_json::to_vec_pretty(status).expect("a status always serialises");
    {
        use std::io::Write as _;
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(&text)?;
        f.sync_all()?;
    }
    std::fs::rename(&tmp, &path)?;
    Ok(path)
}

/// A PC's readiness, and why not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Readiness {
    pub pc: String,
    pub wards: Vec<String>,
    pub ready: bool,
    /// Each reason it is not ready, in words IT acts on.
    pub problems: Vec<String>,
    /// What IT should know that does not make it unready (in downtime, entries to reconcile).
    pub notes: Vec<String>,
    pub data_age_minutes: Option<i64>,
    pub status: Option<PcStatus>,
}

/// Whether `status` shows a PC ready at `now`: a snapshot it opens whose data is at most
/// `stale_after` old, reported recently enough to believe.
pub fn readiness(status: &PcStatus, now: DateTime<Utc>, stale_after: TimeDelta) -> Readiness {
    let mut problems = Vec::new();
    let mut notes = Vec::new();
    let silent = now - status.written_at;
    if silent > SILENT_AFTER {
        problems.push(format!(
            "not reporting: its status is {} old (Lamplight closed, the PC off, or the share unreachable from it)",
            minutes_words(silent.num_minutes())
        ));
    }
    let age = status.data_as_of.map(|at| (now - at).num_minutes());
    match (status.source.as_str(), status.generation, age) {
        ("demo", ..) => problems.push("shows the built-in demo ward, not a vault: configure its vault".to_owned()),
        ("waiting", ..) | (_, None, _) => {
            problems.push("has no snapshot it can open: stage one for it, and check its key".to_owned());
        }
        (_, Some(_), None) => problems.push("its data is of unknown age: stage a new snapshot".to_owned()),
        (_, Some(g), Some(m)) if m > stale_after.num_minutes() => problems.push(format!(
            "its newest data (generation {g}) is {} old, over the {} threshold: check its refresh or the agent",
            minutes_words(m),
            minutes_words(stale_after.num_minutes())
        )),
        _ => {}
    }
    if !status.checks_signatures {
        notes.push("does not check staging signatures (no --trust)".to_owned());
    }
    if status.mode != "normal" {
        notes.push(format!("in {} mode", status.mode));
    }
    if status.unreconciled > 0 {
        notes.push(format!(
            "{} downtime entries not yet reconciled",
            status.unreconciled
        ));
    }
    if status.epr == "not_answering" {
        notes.push("cannot reach the EPR".to_owned());
    }
    Readiness {
        pc: status.pc.clone(),
        wards: status.wards.clone(),
        ready: problems.is_empty(),
        problems,
        notes,
        data_age_minutes: age,
        status: Some(status.clone()),
    }
}

fn minutes_words(m: i64) -> String {
    if m >= 2 * 60 {
        format!("{} h {} min", m / 60, m % 60)
    } else {
        format!("{m} min")
    }
}

/// Every status file in `dir`, each PC's readiness at `now`, by PC name; a file that cannot be
/// read is a PC that is not ready, named by its file.
pub fn read_fleet(dir: &Path, now: DateTime<Utc>, stale_after: TimeDelta) -> std::io::Result<Vec<Readiness>> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = entry.path();
        if name.starts_with('.') || !path.extension().is_some_and(|e| e.eq_ignore_ascii_case("json")) {
            continue;
        }
        let pc = name.trim_end_matches(".json").to_owned();
        let read = (|| -> Result<PcStatus, String> {
            use std::io::Read as _;
            let mut bytes = Vec::new();
            std::fs::File::open(&path)
                .and_then(|f| f.take(MAX_STATUS_BYTES + 1).read_to_end(&mut bytes))
                .map_err(|e| e.to_string())?;
            if bytes.len() as u64 > MAX_STATUS_BYTES {
                return Err("larger than any status file".to_owned());
            }
            let status: PcStatus = serde_json::from_slice(&bytes).map_err(|e| e.to_string())?;
            if status.format != 1 {
                return Err(format!(
                    "status format {} is from a newer Lamplight",
                    status.format
                ));
            }
            Ok(status)
        })();
        out.push(match read {
            Ok(status) => readiness(&status, now, stale_after),
            Err(e) => Readiness {
                pc,
                wards: Vec::new(),
                ready: false,
                problems: vec![format!("its status file {name} cannot be read ({e})")],
                notes: Vec::new(),
                data_age_minutes: None,
                status: None,
            },
        });
    }
    out.sort_by(|a, b| a.pc.cmp(&b.pc));
    Ok(out)
}

/// The fleet as an A4 page for the maintenance folder: not ready first, with the reasons, then
/// ready; the folder, the threshold and when it was checked at the top. No patient data.
pub fn fleet_report(
    fleet: &[Readiness],
    status_dir: &Path,
    stale_after: TimeDelta,
    printed_by: &str,
    now: DateTime<Utc>,
) -> lamplight_print::Pdf {
    let checked = lamplight_model::time::clinical(now);
    let row = |r: &Readiness| {
        let wards = if r.wards.is_empty() {
            "site".to_owned()
        } else {
            r.wards.join(", ")
        };
        let age = r
            .data_age_minutes
            .map_or_else(|| "unknown".to_owned(), minutes_words);
        let mut why = r.problems.join("\n");
        for n in &r.notes {
            if !why.is_empty() {
                why.push('\n');
            }
            why.push_str(n);
        }
        vec![
            r.pc.clone(),
            wards,
            age,
            if why.is_empty() { "ready".to_owned() } else { why },
        ]
    };
    let not_ready: Vec<Vec<String>> = fleet.iter().filter(|r| !r.ready).map(row).collect();
    let ready: Vec<Vec<String>> = fleet.iter().filter(|r| r.ready).map(row).collect();
    let dir = status_dir.display().to_string();
    let report = lamplight_print::TableReport {
        stamp: lamplight_print::Stamp {
            data_as_of: checked.clone(),
            printed_at: checked.clone(),
            printed_by: printed_by.to_owned(),
            site: format!("Fleet readiness of {dir}"),
            notice: Some("IT readiness check: no patient data".to_owned()),
        },
        kind: "Fleet readiness".to_owned(),
        title: format!("Fleet readiness: {dir}"),
        scope: dir,
        summary: format!(
            "{} PCs: {} ready, {} not ready (ready: a snapshot it opens with data newer than {}, reported in the last {} min). Checked {checked}",
            fleet.len(),
            ready.len(),
            not_ready.len(),
            minutes_words(stale_after.num_minutes()),
            SILENT_AFTER.num_minutes()
        ),
        columns: vec![
            ("PC".to_owned(), 34),
            ("Wards".to_owned(), 26),
            ("Data age".to_owned(), 22),
            ("Why not ready; notes".to_owned(), 104),
        ],
        sections: vec![
            lamplight_print::TableSection {
                heading: "Not ready".to_owned(),
                rows: not_ready,
            },
            lamplight_print::TableSection {
                heading: "Ready".to_owned(),
                rows: ready,
            },
        ],
    };
    lamplight_print::render("Fleet readiness", &[lamplight_print::Document::Table(report)])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(pc: &str, written_ago: i64, data_ago: Option<i64>, now: DateTime<Utc>) -> PcStatus {
        PcStatus {
            format: 1,
            pc: pc.into(),
            wards: vec!["WD7".into()],
            written_at: now - TimeDelta::minutes(written_ago),
            lamplight_version: "0.1.0".into(),
            source: "snapshot".into(),
            generation: data_ago.map(|_| 42),
            data_as_of: data_ago.map(|m| now - TimeDelta::minutes(m)),
            checks_signatures: true,
            epr: "answering".into(),
            mode: "normal".into(),
            unreconciled: 0,
            warnings: 0,
        }
    }

    #[test]
    fn ready_means_fresh_data_and_a_recent_report() {
        let now = Utc::now();
        let hour = TimeDelta::minutes(60);
        assert!(readiness(&status("A", 1, Some(20), now), now, hour).ready);
        let stale = readiness(&status("B", 1, Some(95), now), now, hour);
        assert!(
            !stale.ready && stale.problems[0].contains("95 min old"),
            "{stale:?}"
        );
        let silent = readiness(&status("C", 30, Some(20), now), now, hour);
        assert!(
            !silent.ready && silent.problems[0].contains("not reporting"),
            "{silent:?}"
        );
        let empty = readiness(&status("D", 1, None, now), now, hour);
        assert!(
            !empty.ready && empty.problems[0].contains("no snapshot"),
            "{empty:?}"
        );
    }
}

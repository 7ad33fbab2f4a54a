//! The PC's mode as the station keeps it: sealed in the vault so a restart resumes it, shown on
//! every screen with what a person may do next, and planned downtimes IT leaves in the vault.
//!
//! ```text
//! VAULT/
//!   state/mode.age                  the mode (sealed: it names the person who set it)
//!   downtime-plans/<id>.json        a planned downtime (times and a reason: no patient data)
//! ```
//!
//! The rules (which change is allowed when) are `lamplight_model::mode`'s. The files here are
//! frozen storage formats of their own, kept apart from the model's serde types so that renaming a
//! field in the model never silently changes what is on disk.

use std::path::PathBuf;

use chrono::{DateTime, Utc};
use lamplight_model::{Mode, ModeAction, ModeCause, ModeState, PlannedDowntime};
use lamplight_vault::Vault;
use serde::{Deserialize, Serialize};

use crate::view::{ModeActionView, ModeView, PlannedView};

/// The state file's name in the vault.
pub(crate) const MODE_STATE: &str = "mode";
/// The folder of planned downtimes in a vault.
pub const PLANS_DIR: &str = "downtime-plans";

/// `state/mode.age`, format 1.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ModeFile {
    format: u32,
    mode: String,
    since: DateTime<Utc>,
    cause: String,
    by: String,
    reason: String,
}

fn mode_word(m: Mode) -> &'static str {
    match m {
        Mode::Normal => "normal",
        Mode::Downtime => "downtime",
        Mode::Recovery => "recovery",
        Mode::Drill => "drill",
    }
}

fn cause_word(c: ModeCause) -> &'static str {
    match c {
        ModeCause::Declared => "declared",
        ModeCause::ProposalConfirmed => "proposal-confirmed",
        ModeCause::Scheduled => "scheduled",
        ModeCause::Initial => "initial",
    }
}

/// The sealed mode file's plain text.
pub(crate) fn encode(state: &ModeState) -> Vec<u8> {
    let file = ModeFile {
        format: 1,
        mode: mode_word(state.mode).to_owned(),
        since: state.since,
        cause: cause_word(state.cause).to_owned(),
        by: state.by.clone(),
        reason: state.reason.clone(),
    };
    serde_json::to_vec(&file).expect("the mode file always serialises")
}

/// Reads the mode file's plain text; what it cannot read it says, naming the file.
pub(crate) fn decode(bytes: &[u8]) -> Result<ModeState, String> {
    let file: ModeFile =
        serde_json::from_slice(bytes).map_err(|e| format!("it is not a mode file Lamplight reads ({e})"))?;
    if file.format != 1 {
        return Err(format!(
            "it was written by a newer Lamplight (mode file format {}): update Lamplight on this PC",
            file.format
        ));
    }
    let mode = [Mode::Normal, Mode::Downtime, Mode::Recovery, Mode::Drill]
        .into_iter()
        .find(|m| mode_word(*m) == file.mode)
        .ok_or_else(|| format!("it names an unknown mode {:?}", file.mode))?;
    let cause = [
        ModeCause::Declared,
        ModeCause::ProposalConfirmed,
        ModeCause::Scheduled,
        ModeCause::Initial,
    ]
    .into_iter()
    .find(|c| cause_word(*c) == file.cause)
    .ok_or_else(|| format!("it names an unknown cause {:?}", file.cause))?;
    Ok(ModeState {
        mode,
        since: file.since,
        cause,
        by: file.by,
        reason: file.reason,
    })
}

/// `downtime-plans/<id>.json`, format 1.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct PlanFile {
    format: u32,
    id: String,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    reason: String,
    planned_by: String,
}

/// What a plan's signature says it signs.
pub const PLAN_KIND: &str = "downtime-plan";

/// Writes a planned downtime into a vault (or a site share), atomically, signed (`<id>.json.sig`,
/// written first) when the vault signs; returns its path.
pub fn write_plan(vault: &Vault, plan: &PlannedDowntime) -> std::io::Result<PathBuf> {
    let file = PlanFile {
        format: 1,
        id: plan.id.clone(),
        from: plan.from,
        to: plan.to,
        reason: plan.reason.clone(),
        planned_by: plan.planned_by.clone(),
    };
    let text = serde_json::to_vec_pretty(&file).expect("a plan always serialises");
    crate::signed_files::write(vault, PLANS_DIR, &plan.id, PLAN_KIND, &text)
}

/// Every planned downtime in a vault, soonest first, and a line for each file that could not be read
/// (a plan silently ignored would be a downtime nobody was told about). Where the vault checks
/// signatures, a plan the staging key did not sign is one of those lines, never a plan.
pub fn read_plans(vault: &Vault) -> (Vec<PlannedDowntime>, Vec<String>) {
    let mut plans = Vec::new();
    let mut problems = Vec::new();
    for (name, bytes) in crate::signed_files::read(vault, PLANS_DIR, PLAN_KIND) {
        let read = bytes
            .and_then(|b| serde_json::from_slice::<PlanFile>(&b).map_err(|e| e.to_string()))
            .and_then(|f| {
                if f.format == 1 {
                    Ok(f)
                } else {
                    Err(format!("plan format {} is from a newer Lamplight", f.format))
                }
            });
        match read {
            Ok(f) => plans.push(PlannedDowntime {
                id: f.id,
                from: f.from,
                to: f.to,
                reason: f.reason,
                planned_by: f.planned_by,
            }),
            Err(e) => problems.push(format!(
                "A planned downtime ({PLANS_DIR}/{name}) could not be read ({e}): ask IT to schedule it again"
            )),
        }
    }
    plans.sort_by_key(|p| (p.from, p.id.clone()));
    (plans, problems)
}

/// The planned downtime to announce at `now`: the one under way, else the soonest ahead.
pub(crate) fn announced(plans: &[PlannedDowntime], now: DateTime<Utc>) -> Option<PlannedView> {
    let plan = plans
        .iter()
        .find(|p| p.is_on(now))
        .or_else(|| plans.iter().find(|p| p.is_announced(now)))?;
    Some(PlannedView {
        id: plan.id.clone(),
        text: plan.announcement(),
        from: plan.from,
        to: plan.to,
        under_way: plan.is_on(now),
    })
}

/// The banner's words for "Declare downtime" while the station proposes it (the EPR is silent): the
/// quick-reference card names the button too.
pub(crate) const CONFIRM_DOWNTIME: &str = "Confirm downtime";

/// What the banner shows about the mode, and the buttons it offers.
pub(crate) fn view(
    state: &ModeState,
    proposal: Option<String>,
    recovery_offer: Option<String>,
    problem: Option<String>,
) -> ModeView {
    let mut actions: Vec<ModeActionView> = state
        .mode
        .actions()
        .iter()
        .map(|a| {
            let suggested = match a {
                ModeAction::DeclareDowntime => proposal.is_some(),
                ModeAction::StartRecovery => recovery_offer.is_some(),
                _ => false,
            };
            ModeActionView {
                action: *a,
                label: if *a == ModeAction::DeclareDowntime && proposal.is_some() {
                    CONFIRM_DOWNTIME.to_owned()
                } else {
                    a.label().to_owned()
                },
                suggested,
                needs_reason: *a == ModeAction::DeclareDowntime,
            }
        })
        .collect();
    actions.sort_by_key(|a| !a.suggested);
    ModeView {
        mode: state.mode,
        headline: state.mode.headline().to_owned(),
        detail: state.detail(),
        proposal,
        recovery_offer,
        problem,
        actions,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn the_mode_file_format_is_pinned() {
        let state = ModeState {
            mode: Mode::Downtime,
            since: Utc.with_ymd_and_hms(2026, 12, 1, 14, 5, 0).unwrap(),
            cause: ModeCause::ProposalConfirmed,
            by: "Sam Jones".into(),
            reason: "EPR not answering".into(),
        };
        let text = String::from_utf8(encode(&state)).unwrap();
        assert_eq!(
            text,
            r#"{"format":1,"mode":"downtime","since":"2026-12-01T14:05:00Z","cause":"proposal-confirmed","by":"Sam Jones","reason":"EPR not answering"}"#,
            "format 1 of state/mode.age is frozen: a change needs format 2 and a decoder for 1"
        );
        assert_eq!(decode(text.as_bytes()).unwrap(), state);
    }

    #[test]
    fn a_mode_file_from_a_newer_lamplight_or_with_an_unknown_mode_is_refused() {
        let newer = br#"{"format":2,"mode":"downtime","since":"2026-12-01T14:05:00Z","cause":"declared","by":"x","reason":"y"}"#;
        assert!(decode(newer).unwrap_err().contains("newer Lamplight"));
        let odd = br#"{"format":1,"mode":"panic","since":"2026-12-01T14:05:00Z","cause":"declared","by":"x","reason":"y"}"#;
        assert!(decode(odd).unwrap_err().contains("unknown mode"));
    }

    #[test]
    fn plans_are_read_back_and_a_broken_plan_file_is_reported_not_ignored() {
        let dir = tempfile::tempdir().unwrap();
        let now = Utc.with_ymd_and_hms(2026, 12, 1, 9, 0, 0).unwrap();
        let plan = PlannedDowntime::new(
            "20261206T0200Z",
            Utc.with_ymd_and_hms(2026, 12, 6, 2, 0, 0).unwrap(),
            Utc.with_ymd_and_hms(2026, 12, 6, 4, 0, 0).unwrap(),
            "EPR maintenance",
            "it-ops",
            now,
        )
        .unwrap();
        write_plan(&Vault::new(dir.path()), &plan).unwrap();
        std::fs::write(dir.path().join(PLANS_DIR).join("broken.json"), b"{").unwrap();
        let (plans, problems) = read_plans(&Vault::new(dir.path()));
        assert_eq!(plans, vec![plan]);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].contains("broken.json"));
    }
}

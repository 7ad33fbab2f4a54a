//! The modes of a ward PC and the rules for moving between them.
//!
//! `normal` (the EPR is up and the snapshot refreshing) → `downtime` (declared by a person,
//! scheduled by IT, or proposed by the station when the EPR stops answering and then confirmed by a
//! person) → `recovery` (the EPR is back; the ward's entries go back to it) → `normal`. A `drill`
//! rehearses downtime and is watermarked everywhere. The station never changes mode silently: every
//! change here names who made it and why, and the only change without a person at the keyboard is a
//! downtime IT scheduled in advance.
//!
//! These are the rules only; the station persists the state (sealed, so a restart resumes it) and
//! decides when to offer each action.

use chrono::{DateTime, TimeDelta, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::time;

/// What a ward PC is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// The EPR is the record; Lamplight keeps a fresh copy.
    Normal,
    /// The EPR is down: Lamplight (and paper) is the record.
    Downtime,
    /// The EPR is back: what was recorded during downtime goes back to it.
    Recovery,
    /// A rehearsal of downtime: nothing recorded is real.
    Drill,
}

impl Mode {
    /// What every screen's banner says first.
    pub fn headline(self) -> &'static str {
        match self {
            Mode::Normal => "Normal: the EPR is the record",
            Mode::Downtime => "DOWNTIME: the EPR is not in use. Record care here or on paper",
            Mode::Recovery => "RECOVERY: the EPR is back. Downtime records are being returned to it",
            Mode::Drill => "DRILL: practice only. Nothing recorded here is real",
        }
    }

    /// The actions a person may take in this mode.
    pub fn actions(self) -> &'static [ModeAction] {
        match self {
            Mode::Normal => &[ModeAction::DeclareDowntime, ModeAction::StartDrill],
            Mode::Downtime => &[ModeAction::StartRecovery],
            Mode::Recovery => &[ModeAction::ReturnToNormal, ModeAction::DeclareDowntime],
            Mode::Drill => &[ModeAction::EndDrill],
        }
    }
}

/// A change of mode a person (or IT's schedule) asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ModeAction {
    /// Normal or recovery → downtime (also how a proposed downtime is confirmed).
    DeclareDowntime,
    /// Downtime → recovery, once the EPR answers again.
    StartRecovery,
    /// Recovery → normal.
    ReturnToNormal,
    /// Normal → drill.
    StartDrill,
    /// Drill → normal.
    EndDrill,
}

impl ModeAction {
    pub const ALL: [ModeAction; 5] = [
        ModeAction::DeclareDowntime,
        ModeAction::StartRecovery,
        ModeAction::ReturnToNormal,
        ModeAction::StartDrill,
        ModeAction::EndDrill,
    ];

    /// The mode the action leads to.
    pub fn target(self) -> Mode {
        match self {
            ModeAction::DeclareDowntime => Mode::Downtime,
            ModeAction::StartRecovery => Mode::Recovery,
            ModeAction::ReturnToNormal | ModeAction::EndDrill => Mode::Normal,
            ModeAction::StartDrill => Mode::Drill,
        }
    }

    /// The button's words.
    pub fn label(self) -> &'static str {
        match self {
            ModeAction::DeclareDowntime => "Declare downtime",
            ModeAction::StartRecovery => "Start recovery",
            ModeAction::ReturnToNormal => "Return to normal",
            ModeAction::StartDrill => "Start a drill",
            ModeAction::EndDrill => "End the drill",
        }
    }

    /// The command-line word (`lamplight downtime declare`).
    pub fn word(self) -> &'static str {
        match self {
            ModeAction::DeclareDowntime => "declare",
            ModeAction::StartRecovery => "recover",
            ModeAction::ReturnToNormal => "end",
            ModeAction::StartDrill => "drill",
            ModeAction::EndDrill => "end-drill",
        }
    }
}

/// Why the mode is what it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ModeCause {
    /// A person chose it.
    Declared,
    /// The station proposed downtime (the EPR stopped answering) and a person confirmed it.
    ProposalConfirmed,
    /// IT scheduled it (a planned downtime).
    Scheduled,
    /// How every PC starts: no mode was ever recorded.
    Initial,
}

/// The mode and who set it, when and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ModeState {
    pub mode: Mode,
    pub since: DateTime<Utc>,
    pub cause: ModeCause,
    /// The person's name (or `IT schedule`).
    pub by: String,
    pub reason: String,
}

impl ModeState {
    /// A PC that has never changed mode.
    pub fn initial(now: DateTime<Utc>) -> Self {
        Self {
            mode: Mode::Normal,
            since: now,
            cause: ModeCause::Initial,
            by: String::new(),
            reason: String::new(),
        }
    }

    /// `Declared by Sam Jones at 14:05 Tue 01/12/2026: EPR not answering`.
    pub fn detail(&self) -> Option<String> {
        if self.cause == ModeCause::Initial {
            return None;
        }
        let how = match self.cause {
            ModeCause::Declared => "Declared",
            ModeCause::ProposalConfirmed => "Confirmed",
            ModeCause::Scheduled => "Scheduled",
            ModeCause::Initial => unreachable!("handled above"),
        };
        let reason = if self.reason.is_empty() {
            String::new()
        } else {
            format!(": {}", self.reason)
        };
        Some(format!(
            "{how} by {} at {}{reason}",
            self.by,
            time::clinical(self.since)
        ))
    }

    /// The state after `action`, or why it is not allowed.
    pub fn apply(&self, change: &ModeChange, now: DateTime<Utc>) -> Result<ModeState, ModeError> {
        if !self.mode.actions().contains(&change.action) {
            return Err(ModeError::NotNow {
                action: change.action,
                mode: self.mode,
            });
        }
        let by = change.by.trim();
        if by.is_empty() {
            return Err(ModeError::NoName);
        }
        let reason = change.reason.trim();
        if change.action == ModeAction::DeclareDowntime && reason.is_empty() {
            return Err(ModeError::NoReason);
        }
        Ok(ModeState {
            mode: change.action.target(),
            since: now,
            cause: change.cause,
            by: by.to_owned(),
            reason: reason.to_owned(),
        })
    }
}

/// A request to change mode.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ModeChange {
    pub action: ModeAction,
    pub cause: ModeCause,
    pub by: String,
    pub reason: String,
}

/// Why a mode change was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ModeError {
    #[error("{} is not possible in {mode:?} mode; what is possible now is shown on the banner", action.label())]
    NotNow { action: ModeAction, mode: Mode },
    #[error("say who is changing the mode: every change is recorded with a name")]
    NoName,
    #[error(
        "say why downtime is declared (for example \"EPR not answering\"): it is recorded and shown on every PC"
    )]
    NoReason,
}

/// A downtime IT has planned: the EPR's maintenance window.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct PlannedDowntime {
    /// Stable across PCs (the plan's file name).
    pub id: String,
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    /// `EPR maintenance`.
    pub reason: String,
    /// Who planned it (IT's account name).
    pub planned_by: String,
}

/// How long before a planned downtime a ward PC takes its last snapshot.
pub const FINAL_SNAPSHOT_LEAD: TimeDelta = TimeDelta::minutes(5);
/// How long ahead a ward PC announces a planned downtime.
pub const ANNOUNCE_AHEAD: TimeDelta = TimeDelta::days(7);

/// Why a planned downtime cannot be accepted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PlanError {
    #[error("the downtime must end after it starts (from {from}, to {to})")]
    EndsBeforeItStarts { from: String, to: String },
    #[error("the downtime ended already ({to}); give a window in the future")]
    InThePast { to: String },
    #[error("say why (for example \"EPR maintenance\"): the reason is announced on every ward PC")]
    NoReason,
}

impl PlannedDowntime {
    pub fn new(
        id: impl Into<String>,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        reason: &str,
        planned_by: &str,
        now: DateTime<Utc>,
    ) -> Result<Self, PlanError> {
        if to <= from {
            return Err(PlanError::EndsBeforeItStarts {
                from: time::clinical(from),
                to: time::clinical(to),
            });
        }
        if to <= now {
            return Err(PlanError::InThePast {
                to: time::clinical(to),
            });
        }
        if reason.trim().is_empty() {
            return Err(PlanError::NoReason);
        }
        Ok(Self {
            id: id.into(),
            from,
            to,
            reason: reason.trim().to_owned(),
            planned_by: planned_by.trim().to_owned(),
        })
    }

    /// When ward PCs take their last snapshot before it.
    pub fn final_snapshot_at(&self) -> DateTime<Utc> {
        self.from - FINAL_SNAPSHOT_LEAD
    }

    /// Whether `now` is inside the window.
    pub fn is_on(&self, now: DateTime<Utc>) -> bool {
        self.from <= now && now < self.to
    }

    /// Whether a ward PC should be announcing it at `now` (ahead of it, or during it).
    pub fn is_announced(&self, now: DateTime<Utc>) -> bool {
        now < self.to && self.from - ANNOUNCE_AHEAD <= now
    }

    /// `EPR maintenance 02:00–04:00 Sun 06/12; final snapshot at 01:55`. The end carries its own
    /// day when the window crosses midnight, and a time in the repeated October hour its zone.
    pub fn announcement(&self) -> String {
        let day = |t: DateTime<Utc>| time::london(t).format("%a %d/%m").to_string();
        let end = if time::london_date(self.from) == time::london_date(self.to) {
            time::clock(self.to)
        } else {
            format!("{} {}", time::clock(self.to), day(self.to))
        };
        format!(
            "{} {}–{end} {}; final snapshot at {}",
            self.reason,
            time::clock(self.from),
            day(self.from),
            time::clock(self.final_snapshot_at())
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).unwrap()
    }

    fn change(action: ModeAction, by: &str, reason: &str) -> ModeChange {
        ModeChange {
            action,
            cause: ModeCause::Declared,
            by: by.into(),
            reason: reason.into(),
        }
    }

    #[test]
    fn downtime_leads_through_recovery_back_to_normal_and_nowhere_else() {
        let now = at(2026, 12, 1, 14, 0);
        let normal = ModeState::initial(now);
        let down = normal
            .apply(
                &change(ModeAction::DeclareDowntime, "Sam Jones", "EPR not answering"),
                now,
            )
            .unwrap();
        assert_eq!(down.mode, Mode::Downtime);
        assert!(
            down.apply(&change(ModeAction::ReturnToNormal, "Sam Jones", ""), now)
                .is_err(),
            "downtime's entries must go back to the EPR (recovery) before the PC is normal again"
        );
        let recovery = down
            .apply(&change(ModeAction::StartRecovery, "Sam Jones", ""), now)
            .unwrap();
        assert_eq!(recovery.mode, Mode::Recovery);
        let normal = recovery
            .apply(&change(ModeAction::ReturnToNormal, "Sam Jones", ""), now)
            .unwrap();
        assert_eq!(normal.mode, Mode::Normal);
    }

    #[test]
    fn every_action_is_allowed_in_exactly_the_modes_that_list_it() {
        let now = at(2026, 12, 1, 14, 0);
        for mode in [Mode::Normal, Mode::Downtime, Mode::Recovery, Mode::Drill] {
            let state = ModeState {
                mode,
                ..ModeState::initial(now)
            };
            for action in ModeAction::ALL {
                let result = state.apply(&change(action, "A Person", "a reason"), now);
                assert_eq!(
                    result.is_ok(),
                    mode.actions().contains(&action),
                    "{action:?} in {mode:?}"
                );
                if let Ok(next) = result {
                    assert_eq!(next.mode, action.target());
                }
            }
        }
    }

    #[test]
    fn a_change_without_a_name_or_a_downtime_without_a_reason_is_refused() {
        let now = at(2026, 12, 1, 14, 0);
        let normal = ModeState::initial(now);
        assert_eq!(
            normal.apply(&change(ModeAction::DeclareDowntime, "  ", "EPR down"), now),
            Err(ModeError::NoName)
        );
        assert_eq!(
            normal.apply(&change(ModeAction::DeclareDowntime, "Sam Jones", " "), now),
            Err(ModeError::NoReason)
        );
    }

    #[test]
    fn a_planned_downtime_is_announced_in_london_time_with_its_final_snapshot() {
        // Sunday 6 December 2026, 02:00–04:00 GMT.
        let plan = PlannedDowntime::new(
            "p1",
            at(2026, 12, 6, 2, 0),
            at(2026, 12, 6, 4, 0),
            "EPR maintenance",
            "IT",
            at(2026, 12, 1, 9, 0),
        )
        .unwrap();
        assert_eq!(
            plan.announcement(),
            "EPR maintenance 02:00–04:00 Sun 06/12; final snapshot at 01:55"
        );
        // In summer the same wall-clock window is an hour earlier in UTC.
        let summer = PlannedDowntime::new(
            "p2",
            at(2026, 6, 7, 1, 0),
            at(2026, 6, 7, 3, 0),
            "EPR maintenance",
            "IT",
            at(2026, 6, 1, 9, 0),
        )
        .unwrap();
        assert_eq!(
            summer.announcement(),
            "EPR maintenance 02:00–04:00 Sun 07/06; final snapshot at 01:55"
        );
    }

    #[test]
    fn a_window_in_the_repeated_hour_says_which_one() {
        // 25 October 2026: 01:00–01:59 happens twice (BST, then GMT).
        let plan = PlannedDowntime::new(
            "p3",
            at(2026, 10, 25, 0, 30), // 01:30 BST
            at(2026, 10, 25, 1, 30), // 01:30 GMT
            "EPR upgrade",
            "IT",
            at(2026, 10, 20, 9, 0),
        )
        .unwrap();
        assert_eq!(
            plan.announcement(),
            "EPR upgrade 01:30 BST–01:30 GMT Sun 25/10; final snapshot at 01:25 BST"
        );
    }

    #[test]
    fn a_plan_that_ends_before_it_starts_or_is_over_is_refused() {
        let now = at(2026, 12, 1, 9, 0);
        assert!(matches!(
            PlannedDowntime::new("x", at(2026, 12, 6, 4, 0), at(2026, 12, 6, 2, 0), "m", "IT", now),
            Err(PlanError::EndsBeforeItStarts { .. })
        ));
        assert!(matches!(
            PlannedDowntime::new("x", at(2026, 11, 6, 2, 0), at(2026, 11, 6, 4, 0), "m", "IT", now),
            Err(PlanError::InThePast { .. })
        ));
        assert_eq!(
            PlannedDowntime::new("x", at(2026, 12, 6, 2, 0), at(2026, 12, 6, 4, 0), "", "IT", now),
            Err(PlanError::NoReason)
        );
    }

    #[test]
    fn a_plan_is_announced_a_week_ahead_and_until_it_ends() {
        let plan = PlannedDowntime::new(
            "p",
            at(2026, 12, 6, 2, 0),
            at(2026, 12, 6, 4, 0),
            "EPR maintenance",
            "IT",
            at(2026, 11, 1, 9, 0),
        )
        .unwrap();
        assert!(!plan.is_announced(at(2026, 11, 28, 9, 0)));
        assert!(plan.is_announced(at(2026, 11, 30, 9, 0)));
        assert!(plan.is_announced(at(2026, 12, 6, 3, 0)) && plan.is_on(at(2026, 12, 6, 3, 0)));
        assert!(!plan.is_announced(at(2026, 12, 6, 4, 0)) && !plan.is_on(at(2026, 12, 6, 4, 0)));
    }
}

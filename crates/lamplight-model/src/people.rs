//! The people who use a ward PC during downtime: their roles, what each role may do, and the rule a
//! PIN must meet.
//!
//! What each role may do is one table ([`Role::may`] reads it), so the station's API, the screens
//! and the tests agree: a bed manager records no clinical entry (but moves patients between beds);
//! IT sees no clinical record (but looks after the roster). The station enforces it at every call
//! that records or shows a record; the UI hides what a role cannot do, but is not what stops it.
//!
//! Accounts, PIN hashes and sessions are the station's: this module holds only the rules.

use schemars::JsonSchema;

use crate::entry::EntryKind;
use serde::{Deserialize, Serialize};

/// What a person signs in as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// Registered nurse (or midwife, or doctor recording on the ward): clinical care.
    Nurse,
    /// Site or ward bed manager: admissions, transfers and discharges; no clinical entries.
    BedManager,
    /// IT: the roster and the PC; no clinical record.
    It,
}

/// What a signed-in person asks the station to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum Action {
    /// See the ward's board and census (names, beds, NEWS2, allergies).
    ViewBoard,
    /// Open one patient's record (medicines, observations, notes), on screen or on paper.
    OpenRecord,
    /// Record a clinical entry: a dose given or omitted, observations, a note, a result phoned through.
    RecordClinical,
    /// Record an admission, a transfer to another bed or ward, or a discharge.
    RecordBedMove,
    /// Declare downtime, start recovery, or a drill.
    ChangeMode,
    /// Add or remove downtime accounts.
    AdministerRoster,
}

impl Action {
    /// Every action, in the table's order.
    pub const ALL: [Action; 6] = [
        Action::ViewBoard,
        Action::OpenRecord,
        Action::RecordClinical,
        Action::RecordBedMove,
        Action::ChangeMode,
        Action::AdministerRoster,
    ];

    /// A stable name for the audit trail: `record-clinical`.
    pub fn code(self) -> &'static str {
        match self {
            Action::ViewBoard => "view-board",
            Action::OpenRecord => "open-record",
            Action::RecordClinical => "record-clinical",
            Action::RecordBedMove => "record-bed-move",
            Action::ChangeMode => "change-mode",
            Action::AdministerRoster => "administer-roster",
        }
    }

    /// What is asked, as the end of "cannot …": `record a clinical entry (a dose, observations, a note)`.
    pub fn words(self) -> &'static str {
        match self {
            Action::ViewBoard => "see the ward's board",
            Action::OpenRecord => "open a patient's record",
            Action::RecordClinical => "record a clinical entry (a dose, observations, a note, a result)",
            Action::RecordBedMove => "record an admission, a transfer or a discharge",
            Action::ChangeMode => "change the PC's mode",
            Action::AdministerRoster => "add or remove downtime accounts",
        }
    }

    /// What recording an entry of `kind` asks of the person: clinical entries need
    /// [`Action::RecordClinical`], admissions, transfers and discharges [`Action::RecordBedMove`].
    /// Withdrawing an entry (entered in error) asks what recording it did (`corrected`), so a bed
    /// manager can withdraw a transfer of theirs but not a dose; with the corrected entry unknown, the
    /// stricter clinical rule applies.
    pub fn to_record(kind: &EntryKind, corrected: Option<&EntryKind>) -> Action {
        match kind {
            EntryKind::Admission { .. } | EntryKind::Transfer { .. } | EntryKind::Discharge { .. } => {
                Action::RecordBedMove
            }
            EntryKind::EnteredInError { .. } => match corrected {
                Some(EntryKind::EnteredInError { .. }) | None => Action::RecordClinical,
                Some(other) => Action::to_record(other, None),
            },
            EntryKind::DoseGiven { .. }
            | EntryKind::DoseNotGiven { .. }
            | EntryKind::Observations { .. }
            | EntryKind::Note { .. }
            | EntryKind::PhonedResult { .. } => Action::RecordClinical,
        }
    }

    /// Who to ask instead.
    pub fn ask_instead(self) -> &'static str {
        match self {
            Action::AdministerRoster => "ask IT",
            _ => "ask a nurse on the ward",
        }
    }
}

/// Who may do what: one row per action; the columns are nurse, bed manager, IT.
const TABLE: [(Action, [bool; 3]); 6] = [
    //                        nurse  bed manager  IT
    (Action::ViewBoard, [true, true, false]),
    (Action::OpenRecord, [true, true, false]),
    (Action::RecordClinical, [true, false, false]),
    (Action::RecordBedMove, [true, true, false]),
    (Action::ChangeMode, [true, true, true]),
    (Action::AdministerRoster, [false, false, true]),
];

impl Role {
    pub const ALL: [Role; 3] = [Role::Nurse, Role::BedManager, Role::It];

    fn column(self) -> usize {
        match self {
            Role::Nurse => 0,
            Role::BedManager => 1,
            Role::It => 2,
        }
    }

    /// Whether this role may do `action` (the table above).
    pub fn may(self, action: Action) -> bool {
        TABLE
            .iter()
            .find(|(a, _)| *a == action)
            .is_some_and(|(_, roles)| roles[self.column()])
    }

    /// The word in files and on the command line: `nurse`, `bed-manager`, `it`.
    pub fn word(self) -> &'static str {
        match self {
            Role::Nurse => "nurse",
            Role::BedManager => "bed-manager",
            Role::It => "it",
        }
    }

    /// Reads [`Role::word`], also `bed manager` and any case.
    pub fn parse(text: &str) -> Option<Role> {
        let t = text.trim().to_ascii_lowercase().replace([' ', '_'], "-");
        Role::ALL.into_iter().find(|r| r.word() == t)
    }

    /// As people say it: `nurse`, `bed manager`, `IT`.
    pub fn label(self) -> &'static str {
        match self {
            Role::Nurse => "nurse",
            Role::BedManager => "bed manager",
            Role::It => "IT",
        }
    }

    /// With its article, to start a sentence: `A bed manager`, `IT`.
    pub fn as_subject(self) -> &'static str {
        match self {
            Role::Nurse => "A nurse",
            Role::BedManager => "A bed manager",
            Role::It => "IT",
        }
    }

    /// Whether the role may sign in without a roster (the emergency sign-in): ward staff only, so
    /// that nobody administers accounts on a name typed at the PC.
    pub fn may_sign_in_in_emergency(self) -> bool {
        self != Role::It
    }
}

/// The rule a new PIN or passphrase must meet, said to IT when one is refused.
///
/// A PIN is digits only, at least [`PinRule::min_digits`] long, and not one digit repeated or a
/// straight run (`1111`, `1234`, `9876`): those are the first an onlooker tries. Anything that is
/// not all digits is a passphrase of at least [`PinRule::min_passphrase`] characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PinRule {
    pub min_digits: usize,
    pub min_passphrase: usize,
}

impl Default for PinRule {
    fn default() -> Self {
        Self {
            min_digits: 4,
            min_passphrase: 8,
        }
    }
}

/// Why a PIN was refused. Never holds the PIN.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PinProblem {
    #[error("the PIN is empty: choose a PIN of at least {min} digits")]
    Empty { min: usize },
    #[error("the PIN is too short: a PIN has at least {min} digits")]
    TooShort { min: usize },
    #[error(
        "the PIN is too easy to guess (one digit repeated, or digits in order up or down): choose another"
    )]
    TooEasy,
    #[error(
        "the passphrase is too short: a passphrase (anything not all digits) has at least {min} characters"
    )]
    PassphraseTooShort { min: usize },
    #[error("the PIN starts or ends with a space: remove it (spaces are easily mistyped)")]
    Spaces,
}

impl PinRule {
    /// The rule in one sentence, for help texts.
    pub fn describe(&self) -> String {
        format!(
            "a PIN of at least {} digits (not one digit repeated, not digits in order up or down), or a passphrase of at least {} characters",
            self.min_digits, self.min_passphrase
        )
    }

    /// Whether `pin` may be set as a new PIN.
    pub fn check(&self, pin: &str) -> Result<(), PinProblem> {
        if pin.is_empty() {
            return Err(PinProblem::Empty { min: self.min_digits });
        }
        if pin.trim() != pin {
            return Err(PinProblem::Spaces);
        }
        if pin.chars().all(|c| c.is_ascii_digit()) {
            if pin.len() < self.min_digits {
                return Err(PinProblem::TooShort { min: self.min_digits });
            }
            let d: Vec<i16> = pin.bytes().map(|b| i16::from(b - b'0')).collect();
            let steps: Vec<i16> = d.windows(2).map(|w| w[1] - w[0]).collect();
            let same_step = steps.windows(2).all(|s| s[0] == s[1]);
            if same_step && steps.first().is_some_and(|s| s.abs() <= 1) {
                return Err(PinProblem::TooEasy);
            }
            return Ok(());
        }
        if pin.chars().count() < self.min_passphrase {
            return Err(PinProblem::PassphraseTooShort {
                min: self.min_passphrase,
            });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_of_who_may_do_what_is_pinned() {
        use Action::*;
        let expected: &[(Role, &[Action])] = &[
            (
                Role::Nurse,
                &[ViewBoard, OpenRecord, RecordClinical, RecordBedMove, ChangeMode],
            ),
            (
                Role::BedManager,
                &[ViewBoard, OpenRecord, RecordBedMove, ChangeMode],
            ),
            (Role::It, &[ChangeMode, AdministerRoster]),
        ];
        for (role, allowed) in expected {
            for action in Action::ALL {
                assert_eq!(
                    role.may(action),
                    allowed.contains(&action),
                    "{role:?} / {action:?}: the table changed; who may record or see a record is a clinical-safety decision"
                );
            }
        }
    }

    #[test]
    fn a_bed_manager_records_no_clinical_entry_but_moves_patients_and_it_sees_no_record() {
        assert!(!Role::BedManager.may(Action::RecordClinical));
        assert!(Role::BedManager.may(Action::RecordBedMove));
        assert!(!Role::It.may(Action::OpenRecord), "IT sees no clinical record");
        assert!(
            !Role::It.may(Action::ViewBoard),
            "the board shows NEWS2 and allergies"
        );
        assert!(!Role::Nurse.may(Action::AdministerRoster));
    }

    #[test]
    fn each_entry_kind_asks_for_the_action_its_recorder_must_be_allowed() {
        let transfer = EntryKind::Transfer {
            patient_id: "p".into(),
            ward_id: "w".into(),
            bed_id: None,
        };
        let note = EntryKind::Note {
            patient_id: "p".into(),
            text: "t".into(),
        };
        let withdrawn = EntryKind::EnteredInError {
            reason: "wrong bed".into(),
        };
        assert_eq!(Action::to_record(&transfer, None), Action::RecordBedMove);
        assert_eq!(Action::to_record(&note, None), Action::RecordClinical);
        assert_eq!(
            Action::to_record(&withdrawn, Some(&transfer)),
            Action::RecordBedMove
        );
        assert_eq!(
            Action::to_record(&withdrawn, None),
            Action::RecordClinical,
            "withdrawing an entry not known here takes the stricter rule"
        );
    }

    #[test]
    fn roles_are_read_as_written_in_files_and_by_people() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.word()), Some(r));
        }
        assert_eq!(Role::parse("Bed Manager"), Some(Role::BedManager));
        assert_eq!(Role::parse("IT"), Some(Role::It));
        assert_eq!(Role::parse("doctor"), None);
    }

    #[test]
    fn the_pin_rule_refuses_short_easy_and_padded_pins_and_accepts_the_rest() {
        let rule = PinRule::default();
        for bad in ["", "123", "1111", "1234", "4321", "0000000", " 4829", "short"] {
            assert!(rule.check(bad).is_err(), "{bad:?} must be refused");
        }
        for good in ["4829", "1357", "90210", "correct horse", "lamp-light"] {
            assert_eq!(rule.check(good), Ok(()), "{good:?} must be accepted");
        }
        let shown = rule.check("12").unwrap_err().to_string();
        assert!(!shown.contains("12"), "an error never repeats the PIN: {shown}");
    }
}

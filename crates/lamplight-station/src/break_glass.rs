//! Break-glass: a patient's record outside the signed-in person's wards opens only with a reason.
//!
//! A PC that serves several wards (a bed manager's, the site's downtime PC) lets anyone on its
//! roster sign in, and the board shows every ward it serves: seeing who is where is the job. A
//! record is more: allergies, medicines, notes. Opening one on a ward the person does not work
//! on is allowed (a patient moved an hour ago, an outreach nurse called to another ward), but
//! only after they say why, and the opening is an audit line a reviewer is shown first
//! (`lamplight audit` marks it `!`, the audit report highlights it). The rule is the person's
//! wards from the roster; a PC's own wards already limit whose sign-in it takes.

use crate::session::roster::EVERY_WARD;

/// The audit event of a record opened outside the person's wards, with the reason as its detail.
pub const BREAK_GLASS_EVENT: &str = "record-opened-break-glass";

/// The fewest characters a reason may have: "moved" says nothing; "patient moved from WD8, checking
/// allergies" does.
pub const MIN_REASON_CHARS: usize = 10;
/// The most a reason may hold (it is an audit line, not a note).
pub const MAX_REASON_CHARS: usize = 500;

/// Why a record did not open for the person signed in: it is outside their wards, and no
/// reason (or too short a one) was given.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "this patient is on {ward}, not one of your wards ({yours}): opening the record is break-glass access. {ask}"
)]
pub struct ReasonNeeded {
    /// The patient's ward code.
    pub ward: String,
    /// The person's wards, as words.
    pub yours: String,
    ask: &'static str,
}

/// Whether a person who works on `person_wards` may open a record on `patient_ward` with
/// `reason`: `Ok(None)` on their own ward (no reason asked), `Ok(Some(reason))` outside it with
/// a reason long enough (trimmed), or why not.
pub fn check(
    person_wards: &[String],
    patient_ward: Option<&str>,
    reason: Option<&str>,
) -> Result<Option<String>, ReasonNeeded> {
    let everywhere = person_wards.is_empty() || person_wards.iter().any(|w| w == EVERY_WARD);
    // A patient with no ward (discharged, or a downtime admission not yet given a bed) is not
    // another ward's.
    let Some(ward) = patient_ward else {
        return Ok(None);
    };
    if everywhere || person_wards.iter().any(|w| w.eq_ignore_ascii_case(ward)) {
        return Ok(None);
    }
    let refuse = |ask| ReasonNeeded {
        ward: ward.to_owned(),
        yours: person_wards.join(", "),
        ask,
    };
    let reason = reason.map(str::trim).filter(|r| !r.is_empty());
    match reason {
        None => Err(refuse(
            "Say why you need it: your name and the reason go in the audit trail for review",
        )),
        Some(r) if r.chars().count() < MIN_REASON_CHARS => Err(refuse(
            "The reason is too short to review: say why you need this record (at least 10 characters)",
        )),
        Some(r) if r.chars().count() > MAX_REASON_CHARS => Err(refuse(
            "The reason is too long for the audit trail: say it in at most 500 characters",
        )),
        Some(r) => Ok(Some(r.to_owned())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wards(w: &[&str]) -> Vec<String> {
        w.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn own_ward_every_ward_and_no_ward_need_no_reason() {
        assert_eq!(check(&wards(&["WD7"]), Some("wd7"), None), Ok(None));
        assert_eq!(check(&wards(&["*"]), Some("WD8"), None), Ok(None));
        assert_eq!(check(&[], Some("WD8"), None), Ok(None));
        assert_eq!(check(&wards(&["WD7"]), None, None), Ok(None));
    }

    #[test]
    fn another_ward_needs_a_reason_long_enough_to_review() {
        let e = check(&wards(&["WD7", "AMU"]), Some("WD8"), None).unwrap_err();
        assert_eq!(e.ward, "WD8");
        assert!(e.to_string().contains("not one of your wards (WD7, AMU)"), "{e}");
        assert!(check(&wards(&["WD7"]), Some("WD8"), Some("  moved ")).is_err());
        assert!(check(&wards(&["WD7"]), Some("WD8"), Some(&"x".repeat(501))).is_err());
        assert_eq!(
            check(&wards(&["WD7"]), Some("WD8"), Some(" outreach call: NEWS2 of 7 ")),
            Ok(Some("outreach call: NEWS2 of 7".to_owned()))
        );
    }
}

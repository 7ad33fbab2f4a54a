//! Words that screen and paper share, so a dose or a limit reads the same on both.

use lamplight_model::{Administration, AdministrationOutcome};

/// Where a patient with no bed (none given, or one not in the data) is listed, on the board, the
/// census and the handover alike: they are never left off (DESIGN.md promise 10).
pub(crate) const NO_BED_RECORDED: &str = "No bed recorded";

/// A when-required order's limits: `at least 4 h apart`, `max 4 in 24 h`, for screen and paper alike.
pub(crate) fn prn_limits(min_interval_minutes: Option<u32>, max_doses_per_24h: Option<u32>) -> Vec<String> {
    let mut parts = Vec::new();
    if let Some(m) = min_interval_minutes {
        parts.push(if m % 60 == 0 {
            format!("at least {} h apart", m / 60)
        } else {
            format!("at least {m} min apart")
        });
    }
    if let Some(n) = max_doses_per_24h {
        parts.push(format!("max {n} in 24 h"));
    }
    parts
}

/// `Given 08:02 … by RN J Okafor`, or `Not given (2: Nil by mouth: note) …`, with `when` already
/// formatted for the screen or the paper.
pub(crate) fn administration_words(a: &Administration, when: &str) -> String {
    let mut by = a
        .performer
        .as_ref()
        .map(|p| format!(" by {p}"))
        .unwrap_or_default();
    // Recorded on Lamplight during downtime, not yet in the EPR: say so on screen and paper.
    if a.entry.is_some() {
        by.push_str(", downtime entry");
    }
    match &a.outcome {
        AdministrationOutcome::Given { .. } => format!("Given {when}{by}"),
        AdministrationOutcome::NotGiven { reason } => {
            let note = a.note.as_ref().map(|n| format!(": {n}")).unwrap_or_default();
            format!(
                "Not given ({}: {}{note}) {when}{by}",
                reason.code(),
                reason.label()
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn a_dose_recorded_in_downtime_says_so_wherever_it_is_shown() {
        let mut a = Administration {
            id: "e1".into(),
            order_id: "o1".into(),
            patient_id: "p1".into(),
            at: chrono::Utc.with_ymd_and_hms(2026, 12, 1, 8, 4, 0).unwrap(),
            outcome: AdministrationOutcome::Given { dose: None },
            performer: Some("J Smith".into()),
            note: None,
            entry: None,
            due: None,
        };
        assert_eq!(administration_words(&a, "08:04"), "Given 08:04 by J Smith");
        a.entry = Some("e1".into());
        assert_eq!(
            administration_words(&a, "08:04"),
            "Given 08:04 by J Smith, downtime entry"
        );
    }
}

//! The EPR's health over time: what the probes (`lamplight_fhir::Epr::probe`) found, said in the
//! words every screen shows, and when the station should propose downtime.
//!
//! Pure: it is fed probe results with their times, so tests stand at any moment. "Not answering
//! since" is the first failed probe after the last good one; downtime is proposed once that has
//! lasted `propose_after`, so a real outage is proposed within `propose_after` plus one probe
//! interval, and a single lost probe (an EPR that flaps) is shown but proposes nothing.

use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use lamplight_model::time;

use crate::view::{EprState, EprView};

/// How the EPR is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HealthPolicy {
    /// Between probes.
    pub every: Duration,
    /// For each request of a probe.
    pub timeout: Duration,
    /// A probe that answers but takes longer than this is "slow".
    pub slow_after: Duration,
    /// How long the EPR must have stopped answering before downtime is proposed.
    pub propose_after: Duration,
}

impl Default for HealthPolicy {
    /// A probe every 15 s with a 5 s timeout; slow past 2 s; downtime proposed after 60 s.
    fn default() -> Self {
        Self {
            every: Duration::from_secs(15),
            timeout: Duration::from_secs(5),
            slow_after: Duration::from_secs(2),
            propose_after: Duration::from_secs(60),
        }
    }
}

/// What the probes found so far.
#[derive(Debug, Clone)]
pub(crate) struct Health {
    policy: HealthPolicy,
    monitored: bool,
    last: Option<Last>,
    failing_since: Option<DateTime<Utc>>,
    answering_since: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone)]
struct Last {
    at: DateTime<Utc>,
    answered: bool,
    elapsed: Duration,
    /// Why it failed, without URLs or data: `did not answer within 5 s`.
    problem: Option<String>,
}

impl Health {
    pub(crate) fn new(policy: HealthPolicy, monitored: bool) -> Self {
        Self {
            policy,
            monitored,
            last: None,
            failing_since: None,
            answering_since: None,
        }
    }

    /// Records a probe; true when what screens show changed.
    pub(crate) fn record(
        &mut self,
        at: DateTime<Utc>,
        answered: bool,
        elapsed: Duration,
        problem: Option<String>,
    ) -> bool {
        let before = self.state();
        if answered {
            self.failing_since = None;
            self.answering_since.get_or_insert(at);
        } else {
            self.answering_since = None;
            self.failing_since.get_or_insert(at);
        }
        self.last = Some(Last {
            at,
            answered,
            elapsed,
            problem,
        });
        before != self.state()
    }

    pub(crate) fn state(&self) -> EprState {
        match &self.last {
            _ if !self.monitored => EprState::NotMonitored,
            None => EprState::Unknown,
            Some(l) if !l.answered => EprState::NotAnswering,
            Some(l) if l.elapsed > self.policy.slow_after => EprState::Slow,
            Some(_) => EprState::Answering,
        }
    }

    /// Since when the EPR has not answered, while it does not.
    pub(crate) fn failing_since(&self) -> Option<DateTime<Utc>> {
        self.failing_since
    }

    /// Since when the EPR has answered, while it does.
    pub(crate) fn answering_since(&self) -> Option<DateTime<Utc>> {
        self.answering_since
    }

    /// Whether the EPR has been down long enough at `now` to propose downtime.
    pub(crate) fn outage_confirmed(&self, now: DateTime<Utc>) -> bool {
        let after = TimeDelta::from_std(self.policy.propose_after).unwrap_or(TimeDelta::MAX);
        self.failing_since.is_some_and(|since| now - since >= after)
    }

    pub(crate) fn view(&self) -> EprView {
        let state = self.state();
        let text = match (state, &self.last) {
            (EprState::NotMonitored, _) => "EPR not monitored on this PC".to_owned(),
            (EprState::Unknown, _) | (_, None) => "EPR not checked yet".to_owned(),
            (EprState::Answering, _) => "EPR answering".to_owned(),
            (EprState::Slow, Some(l)) => format!("EPR slow ({:.1} s to answer)", l.elapsed.as_secs_f64()),
            (EprState::NotAnswering, Some(l)) => {
                let since = self.failing_since.unwrap_or(l.at);
                let mut t = format!("EPR not answering since {}", time::clock(since));
                if let Some(p) = &l.problem {
                    t = format!("{t} ({p})");
                }
                t
            }
        };
        EprView {
            state,
            text,
            checked_text: self
                .last
                .as_ref()
                .map(|l| format!("checked {}", time::london(l.at).format("%H:%M:%S"))),
        }
    }
}

/// A probe's failure in a few words for the banner: no URL, no server text.
pub(crate) fn problem_words(e: &lamplight_fhir::EprError) -> String {
    use lamplight_fhir::EprError as E;
    match e {
        E::Timeout { seconds, .. } => format!("no answer within {seconds} s"),
        E::Unreachable { .. } => "cannot connect".to_owned(),
        E::Tls { .. } => "secure connection failed".to_owned(),
        E::Unauthorized { .. } | E::Forbidden { .. } => "refused Lamplight's credentials".to_owned(),
        E::ServerError { status, .. } => format!("server error {status}"),
        E::Rejected { status, .. } => format!("refused the request ({status})"),
        _ => "not answering as a FHIR server".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn t(secs: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 1, 14, 2, 0).unwrap() + TimeDelta::seconds(secs)
    }

    const FAST: Duration = Duration::from_millis(40);

    #[test]
    fn an_outage_is_proposed_only_once_it_has_lasted_the_configured_time() {
        let mut h = Health::new(HealthPolicy::default(), true);
        assert_eq!(h.state(), EprState::Unknown);
        h.record(t(-15), true, FAST, None);
        assert_eq!(h.view().text, "EPR answering");
        h.record(
            t(0),
            false,
            Duration::from_secs(5),
            Some("no answer within 5 s".into()),
        );
        assert_eq!(
            h.view().text,
            "EPR not answering since 14:02 (no answer within 5 s)"
        );
        assert!(!h.outage_confirmed(t(59)), "59 s is not yet the 60 s policy");
        h.record(t(45), false, Duration::from_secs(5), None);
        assert!(h.outage_confirmed(t(60)));
        assert_eq!(h.failing_since(), Some(t(0)), "since the first failed probe");
    }

    #[test]
    fn one_lost_probe_shows_but_a_good_one_clears_it() {
        let mut h = Health::new(HealthPolicy::default(), true);
        h.record(t(0), false, FAST, None);
        assert_eq!(h.state(), EprState::NotAnswering);
        assert!(h.record(t(15), true, FAST, None), "the state changed back");
        assert_eq!(h.state(), EprState::Answering);
        assert!(!h.outage_confirmed(t(120)));
        assert_eq!(h.answering_since(), Some(t(15)));
    }

    #[test]
    fn a_slow_answer_is_slow_not_down() {
        let mut h = Health::new(HealthPolicy::default(), true);
        h.record(t(0), true, Duration::from_millis(4200), None);
        assert_eq!(h.view().text, "EPR slow (4.2 s to answer)");
        assert!(!h.outage_confirmed(t(600)));
    }

    #[test]
    fn a_pc_without_an_epr_says_it_does_not_monitor_one() {
        let h = Health::new(HealthPolicy::default(), false);
        assert_eq!(h.view().state, EprState::NotMonitored);
    }
}

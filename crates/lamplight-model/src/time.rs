//! Clinical time: instants are stored in UTC and shown in Europe/London (docs/clinical.md).
//!
//! Two days a year need care. When clocks go forward, local times 01:00–01:59 do not exist; a dose
//! scheduled then is read with the offset in force before the change (01:30 → 01:30 GMT, shown as 02:30
//! BST). When clocks go back, 01:00–01:59 happens twice; a scheduled time means its first occurrence, and
//! any instant in that hour is shown with its zone (`01:30 BST`, `01:30 GMT`) so paper is unambiguous.

use chrono::{
    DateTime, Datelike, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta, TimeZone, Utc,
};
use chrono_tz::Europe::London;
use chrono_tz::Tz;

/// The clinical time zone.
pub const CLINICAL_TZ: Tz = London;

/// An instant as London wall-clock time.
pub fn london(instant: DateTime<Utc>) -> DateTime<Tz> {
    instant.with_timezone(&London)
}

/// The London calendar date of an instant.
pub fn london_date(instant: DateTime<Utc>) -> NaiveDate {
    london(instant).date_naive()
}

/// Whether this instant's London wall-clock time also names another instant (the repeated hour).
pub fn is_ambiguous(instant: DateTime<Utc>) -> bool {
    matches!(
        London.from_local_datetime(&london(instant).naive_local()),
        LocalResult::Ambiguous(..)
    )
}

/// The instant a London wall-clock time names. Ambiguous times take the first occurrence; times in
/// the spring gap are read with the offset before the gap (see the module notes).
pub fn instant_of(date: NaiveDate, time: NaiveTime) -> DateTime<Utc> {
    let local = NaiveDateTime::new(date, time);
    match London.from_local_datetime(&local) {
        LocalResult::Single(t) => t.with_timezone(&Utc),
        LocalResult::Ambiguous(first, _) => first.with_timezone(&Utc),
        LocalResult::None => {
            // In the gap: the offset an hour earlier still applies (GMT, +00:00 before BST starts).
            let before = London
                .from_local_datetime(&(local - TimeDelta::hours(1)))
                .earliest()
                .map_or(local.and_utc(), |t| t.with_timezone(&Utc));
            before + TimeDelta::hours(1)
        }
    }
}

/// `HH:MM`, with the zone added in the repeated hour (`01:30 GMT`).
pub fn clock(instant: DateTime<Utc>) -> String {
    let l = london(instant);
    if is_ambiguous(instant) {
        l.format("%H:%M %Z").to_string()
    } else {
        l.format("%H:%M").to_string()
    }
}

/// `dd/mm/yyyy`.
pub fn date(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

/// `03:01 Tue 04/11/2026`, the form used on every screen and page.
pub fn clinical(instant: DateTime<Utc>) -> String {
    let l = london(instant);
    format!("{} {}", clock(instant), l.format("%a %d/%m/%Y"))
}

/// How long ago, in words a nurse reads at a glance: `just now`, `42 min ago`, `3 h 5 min ago`,
/// `2 days 4 h ago`. An instant in the future (a PC clock behind the EPR's) says so.
pub fn age_words(then: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let d = now - then;
    if d < TimeDelta::zero() {
        return "in the future (check this PC's clock)".to_owned();
    }
    let mins = d.num_minutes();
    match mins {
        0 => "just now".to_owned(),
        1..=59 => format!("{mins} min ago"),
        60..=1439 => match mins % 60 {
            0 => format!("{} h ago", mins / 60),
            m => format!("{} h {m} min ago", mins / 60),
        },
        _ => {
            let days = mins / 1440;
            let hours = (mins % 1440) / 60;
            let unit = if days == 1 { "day" } else { "days" };
            if hours == 0 {
                format!("{days} {unit} ago")
            } else {
                format!("{days} {unit} {hours} h ago")
            }
        }
    }
}

/// Age in whole years on a date.
pub fn age_years(birth: NaiveDate, on: NaiveDate) -> u32 {
    let mut years = on.year() - birth.year();
    if (on.month(), on.day()) < (birth.month(), birth.day()) {
        years -= 1;
    }
    u32::try_from(years).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    fn hm(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap()
    }

    #[test]
    fn summer_times_are_bst_and_winter_times_gmt() {
        assert_eq!(clinical(utc("2026-07-01T07:00:00Z")), "08:00 Wed 01/07/2026");
        assert_eq!(clinical(utc("2026-11-04T03:01:00Z")), "03:01 Wed 04/11/2026");
    }

    #[test]
    fn the_repeated_october_hour_shows_its_zone() {
        // 25 October 2026: 02:00 BST becomes 01:00 GMT at 01:00 UTC.
        let first = utc("2026-10-25T00:30:00Z");
        let second = utc("2026-10-25T01:30:00Z");
        assert_eq!(clock(first), "01:30 BST");
        assert_eq!(clock(second), "01:30 GMT");
        assert_ne!(
            clinical(first),
            clinical(second),
            "two instants must never print the same"
        );
        assert_eq!(
            clock(utc("2026-10-25T02:30:00Z")),
            "02:30",
            "outside the repeated hour no zone is needed"
        );
    }

    #[test]
    fn a_scheduled_time_in_the_repeated_hour_means_its_first_occurrence() {
        let d = NaiveDate::from_ymd_opt(2026, 10, 25).unwrap();
        assert_eq!(instant_of(d, hm(1, 30)), utc("2026-10-25T00:30:00Z"));
    }

    #[test]
    fn a_scheduled_time_in_the_spring_gap_is_read_with_the_earlier_offset() {
        // 29 March 2026: 01:00 GMT becomes 02:00 BST.
        let d = NaiveDate::from_ymd_opt(2026, 3, 29).unwrap();
        assert_eq!(instant_of(d, hm(1, 30)), utc("2026-03-29T01:30:00Z"));
        assert_eq!(clock(instant_of(d, hm(1, 30))), "02:30");
        assert_eq!(instant_of(d, hm(8, 0)), utc("2026-03-29T07:00:00Z"));
    }

    #[test]
    fn ages_in_words() {
        let now = utc("2026-11-04T12:00:00Z");
        assert_eq!(age_words(now, now), "just now");
        assert_eq!(age_words(utc("2026-11-04T11:18:00Z"), now), "42 min ago");
        assert_eq!(age_words(utc("2026-11-04T09:00:00Z"), now), "3 h ago");
        assert_eq!(age_words(utc("2026-11-04T08:55:00Z"), now), "3 h 5 min ago");
        assert_eq!(age_words(utc("2026-11-03T08:00:00Z"), now), "1 day 4 h ago");
        assert_eq!(
            age_words(utc("2026-11-04T12:05:00Z"), now),
            "in the future (check this PC's clock)"
        );
    }

    #[test]
    fn age_in_years_turns_on_the_birthday() {
        let dob = NaiveDate::from_ymd_opt(1950, 3, 15).unwrap();
        assert_eq!(age_years(dob, NaiveDate::from_ymd_opt(2026, 3, 14).unwrap()), 75);
        assert_eq!(age_years(dob, NaiveDate::from_ymd_opt(2026, 3, 15).unwrap()), 76);
    }
}

/// Why a typed time could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TimeInputError {
    #[error(
        "{0:?} is not a time Lamplight reads: write London time as 2026-12-06 02:00, or an instant with its offset as 2026-12-06T02:00:00Z"
    )]
    Unreadable(String),
    #[error(
        "{0} London time happens twice on the night the clocks go back: add the offset, +01:00 for the first (BST) or +00:00 for the second (GMT)"
    )]
    Ambiguous(String),
    #[error(
        "{0} London time does not exist (the clocks go forward past it): give a time outside 01:00-01:59"
    )]
    DoesNotExist(String),
}

/// A time typed by a person: RFC 3339 with its offset (`2026-12-06T02:00:00Z`), or London wall-clock
/// time (`2026-12-06 02:00`, `2026-12-06T02:00`). Unlike [`instant_of`], which reads a prescribed
/// time, this refuses the repeated and the missing hour instead of choosing for the person.
pub fn parse_input(text: &str) -> Result<DateTime<Utc>, TimeInputError> {
    let t = text.trim();
    if let Ok(instant) = DateTime::parse_from_rfc3339(t) {
        return Ok(instant.with_timezone(&Utc));
    }
    let local = [
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M:%S",
    ]
    .iter()
    .find_map(|f| NaiveDateTime::parse_from_str(t, f).ok())
    .ok_or_else(|| TimeInputError::Unreadable(t.to_owned()))?;
    match London.from_local_datetime(&local) {
        LocalResult::Single(l) => Ok(l.with_timezone(&Utc)),
        LocalResult::Ambiguous(..) => Err(TimeInputError::Ambiguous(t.to_owned())),
        LocalResult::None => Err(TimeInputError::DoesNotExist(t.to_owned())),
    }
}

#[cfg(test)]
mod input_tests {
    use super::*;

    #[test]
    fn typed_times_are_london_time_unless_they_carry_an_offset() {
        assert_eq!(
            parse_input("2026-12-06 02:00").unwrap(),
            Utc.with_ymd_and_hms(2026, 12, 6, 2, 0, 0).unwrap()
        );
        assert_eq!(
            parse_input("2026-06-07T02:00").unwrap(),
            Utc.with_ymd_and_hms(2026, 6, 7, 1, 0, 0).unwrap(),
            "in summer London is an hour ahead of UTC"
        );
        assert_eq!(
            parse_input("2026-06-07T02:00:00Z").unwrap(),
            Utc.with_ymd_and_hms(2026, 6, 7, 2, 0, 0).unwrap()
        );
    }

    #[test]
    fn the_repeated_and_the_missing_hour_are_refused_not_guessed() {
        assert!(matches!(
            parse_input("2026-10-25 01:30"),
            Err(TimeInputError::Ambiguous(_))
        ));
        assert_eq!(
            parse_input("2026-10-25T01:30:00+01:00").unwrap(),
            Utc.with_ymd_and_hms(2026, 10, 25, 0, 30, 0).unwrap()
        );
        assert!(matches!(
            parse_input("2026-03-29 01:30"),
            Err(TimeInputError::DoesNotExist(_))
        ));
        assert!(matches!(
            parse_input("next sunday"),
            Err(TimeInputError::Unreadable(_))
        ));
    }
}

//! The NHS number: ten digits whose last is a Modulus 11 check digit (docs/clinical.md).
//!
//! [`NhsNumber`] can only hold a valid number, so code that has one never needs to check it again.
//! It is stored and serialised as ten digits without spaces and displayed as `3-3-4` (`943 476 5919`).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// FHIR identifier system for the NHS number.
pub const NHS_NUMBER_SYSTEM: &str = "https://fhir.nhs.uk/Id/nhs-number";

/// A valid NHS number.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct NhsNumber([u8; 10]);

/// Why a string is not an NHS number.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum NhsNumberError {
    #[error("an NHS number has 10 digits; this has {0} (spaces are allowed only between the 3-3-4 groups)")]
    WrongLength(usize),
    #[error("an NHS number has only digits and the spaces of 3-3-4; found {0:?}")]
    NotADigit(char),
    #[error(
        "the check digit is wrong: {given} was given but the first nine digits need {expected}; check for a mistyped digit"
    )]
    WrongCheckDigit { given: u8, expected: u8 },
    #[error(
        "no valid check digit exists for these first nine digits (Modulus 11 gives 10); the number is not an NHS number"
    )]
    NoCheckDigit,
}

impl NhsNumber {
    /// The Modulus 11 check digit for nine leading digits, or `None` when they can have none.
    pub fn check_digit(first_nine: &[u8; 9]) -> Option<u8> {
        let sum: u32 = first_nine
            .iter()
            .zip((2..=10u32).rev())
            .map(|(&d, w)| u32::from(d) * w)
            .sum();
        // `sum % 11` is below 11, so the result fits a digit.
        let check = 11 - u8::try_from(sum % 11).unwrap_or(0);
        match check {
            11 => Some(0),
            10 => None,
            c => Some(c),
        }
    }

    /// Builds the valid NHS number with these first nine digits, if one exists.
    /// Synthetic patients use first digits `999`.
    pub fn from_first_nine(first_nine: [u8; 9]) -> Option<Self> {
        let check = Self::check_digit(&first_nine)?;
        let mut digits = [0u8; 10];
        digits[..9].copy_from_slice(&first_nine);
        digits[9] = check;
        Some(Self(digits))
    }

    /// The ten digits with no spaces, as stored and sent in FHIR identifiers.
    pub fn digits(&self) -> String {
        self.0.iter().map(|d| char::from(b'0' + d)).collect()
    }

    /// Whether the number is in the range reserved for testing (starts `999`).
    pub fn is_test_number(&self) -> bool {
        self.0[..3] == [9, 9, 9]
    }
}

impl FromStr for NhsNumber {
    type Err = NhsNumberError;

    /// Accepts ten digits, or the 3-3-4 form with single spaces.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let trimmed = s.trim();
        let spaced = trimmed.len() == 12
            && trimmed.as_bytes()[3] == b' '
            && trimmed.as_bytes()[7] == b' '
            && trimmed.chars().filter(|c| *c == ' ').count() == 2;
        let mut digits = [0u8; 10];
        let mut n = 0;
        for c in trimmed.chars() {
            if c == ' ' && spaced {
                continue;
            }
            let d = c.to_digit(10).ok_or(NhsNumberError::NotADigit(c))?;
            if n < 10 {
                digits[n] = u8::try_from(d).unwrap_or(0);
            }
            n += 1;
        }
        if n != 10 {
            return Err(NhsNumberError::WrongLength(n));
        }
        let mut first_nine = [0u8; 9];
        first_nine.copy_from_slice(&digits[..9]);
        match Self::check_digit(&first_nine) {
            None => Err(NhsNumberError::NoCheckDigit),
            Some(expected) if expected != digits[9] => Err(NhsNumberError::WrongCheckDigit {
                given: digits[9],
                expected,
            }),
            Some(_) => Ok(Self(digits)),
        }
    }
}

impl fmt::Display for NhsNumber {
    /// `943 476 5919`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = self.digits();
        write!(f, "{} {} {}", &d[..3], &d[3..6], &d[6..])
    }
}

impl fmt::Debug for NhsNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "NhsNumber({})", self.digits())
    }
}

impl Serialize for NhsNumber {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.digits())
    }
}

impl<'de> Deserialize<'de> for NhsNumber {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

impl schemars::JsonSchema for NhsNumber {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "NhsNumber".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "pattern": "^[0-9]{10}$",
            "description": "A valid NHS number (Modulus 11), ten digits without spaces. Display as 3-3-4."
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_clinical_md_example_is_valid_and_displays_3_3_4() {
        let n: NhsNumber = "9434765919".parse().unwrap();
        assert_eq!(n.to_string(), "943 476 5919");
        assert_eq!(
            "943 476 5919".parse::<NhsNumber>().unwrap(),
            n,
            "the 3-3-4 form must parse too"
        );
    }

    #[test]
    fn a_wrong_check_digit_is_rejected_with_the_expected_digit() {
        assert_eq!(
            "9434765918".parse::<NhsNumber>(),
            Err(NhsNumberError::WrongCheckDigit {
                given: 8,
                expected: 9
            })
        );
    }

    #[test]
    fn nine_digits_whose_check_would_be_ten_make_no_number() {
        // 000000006: the weighted sum is 6 × 2 = 12, 12 mod 11 = 1, 11 − 1 = 10: no check digit exists.
        assert_eq!(NhsNumber::check_digit(&[0, 0, 0, 0, 0, 0, 0, 0, 6]), None);
        for last in 0..=9 {
            assert_eq!(
                format!("000000006{last}").parse::<NhsNumber>(),
                Err(NhsNumberError::NoCheckDigit)
            );
        }
    }

    #[test]
    fn malformed_strings_say_what_is_wrong() {
        assert_eq!("123".parse::<NhsNumber>(), Err(NhsNumberError::WrongLength(3)));
        assert_eq!(
            "94347659l9".parse::<NhsNumber>(),
            Err(NhsNumberError::NotADigit('l'))
        );
        assert_eq!(
            "9434 765919".parse::<NhsNumber>(),
            Err(NhsNumberError::NotADigit(' '))
        );
        assert_eq!(
            "94347659190".parse::<NhsNumber>(),
            Err(NhsNumberError::WrongLength(11))
        );
    }

    #[test]
    fn serde_uses_ten_digits_and_refuses_invalid_numbers() {
        let n: NhsNumber = "9434765919".parse().unwrap();
        assert_eq!(serde_json::to_string(&n).unwrap(), "\"9434765919\"");
        assert!(serde_json::from_str::<NhsNumber>("\"9434765918\"").is_err());
    }

    proptest! {
        #[test]
        fn every_constructed_number_parses_back(first in proptest::array::uniform9(0u8..10)) {
            if let Some(n) = NhsNumber::from_first_nine(first) {
                prop_assert_eq!(n.digits().parse::<NhsNumber>().unwrap(), n);
                prop_assert_eq!(n.to_string().parse::<NhsNumber>().unwrap(), n);
            }
        }

        #[test]
        fn changing_any_one_digit_is_detected(first in proptest::array::uniform9(0u8..10), pos in 0usize..10, delta in 1u8..10) {
            if let Some(n) = NhsNumber::from_first_nine(first) {
                let mut d: Vec<u8> = n.digits().into_bytes();
                d[pos] = b'0' + (d[pos] - b'0' + delta) % 10;
                let s = String::from_utf8(d).unwrap();
                prop_assert!(s.parse::<NhsNumber>().is_err(), "a single-digit error in {} must be caught", s);
            }
        }
    }
}

//! A ward PC whose identity is protected by a passphrase that no file gives: the window asks for it.
//!
//! [`Station::open_or_ask`] is what a window does at start: it opens the station as
//! [`Station::launch`] does, or, when the identity needs a passphrase and no `--passphrase-file`
//! gives one, hands back an [`Unlock`]. That keeps the configuration and the count of wrong
//! passphrases until a person (IT or the nurse in charge) types the right one
//! ([`Unlock::attempt`]).
//!
//! Guessing is slowed twice over: each try costs scrypt's work factor (about a second at the
//! default), and after [`FREE_TRIES`] wrong ones each further try waits longer ([`wait_after`]),
//! a wait the window shows as a countdown and [`Unlock::attempt`] enforces whatever the window
//! does. Each wrong try is logged as a warning with its count and the wait, never the passphrase;
//! the passphrase is a `SecretString` from the moment it arrives, zeroed when dropped.
//!
//! What it leaves to others: reading the identity (`lamplight-vault`), the prompt (the window), and
//! starting the background threads once the station is open (`Station::start`).

use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use lamplight_vault::{SecretString, VaultError};

use crate::{ApiError, ErrorCode, Station, StationConfig, StationError};

/// What the window says while it waits for the passphrase (the `passphrase_needed` message).
pub const PROMPT: &str = "This PC's key is protected by a passphrase. IT or the nurse in charge enters it to open the ward's data.";

/// Wrong passphrases allowed before each further try must wait (typing mistakes happen; the
/// scrypt cost already slows every try).
pub const FREE_TRIES: u32 = 3;

/// The wait after the first wrong try beyond [`FREE_TRIES`]; it doubles with each one after.
pub const FIRST_WAIT: Duration = Duration::from_secs(5);

/// The longest wait: long enough to make guessing hopeless, short enough that a nurse in charge
/// who mistyped is not kept from the ward's data in an outage.
pub const LONGEST_WAIT: Duration = Duration::from_secs(60);

/// How long the next try waits after `failures` wrong passphrases in a row.
pub fn wait_after(failures: u32) -> Duration {
    let Some(beyond) = failures.checked_sub(FREE_TRIES) else {
        return Duration::ZERO;
    };
    // 5 s, 10 s, 20 s, 40 s, then 60 s: the shift is capped before it could overflow.
    FIRST_WAIT.saturating_mul(1 << beyond.min(8)).min(LONGEST_WAIT)
}

/// The words of [`StationError::WrongPassphrase`].
pub(crate) fn wrong_passphrase_words(failures: u32, wait: Duration) -> String {
    let tries = if failures == 1 {
        "1 wrong try".to_owned()
    } else {
        format!("{failures} wrong tries")
    };
    let when = if wait.is_zero() {
        "type it again".to_owned()
    } else {
        format!("type it again in {} seconds", wait.as_secs().max(1))
    };
    format!(
        "That passphrase does not open this PC's key ({tries}). Check Caps Lock and the keyboard layout, then {when}. If nobody here knows it, ask IT."
    )
}

/// What starting a window found.
#[derive(Debug)]
#[allow(clippy::large_enum_variant)] // made once per window, and moved into its state at once
pub enum Opening {
    /// The station is open: the demo ward, or the vault's data.
    Open(Station),
    /// The identity is protected by a passphrase and no file gives it: ask for it.
    NeedsPassphrase(Unlock),
}

impl Station {
    /// Opens the station as [`Station::launch`] does, or, when its identity needs a passphrase
    /// that no `--passphrase-file` gives, an [`Unlock`] to ask for it with. A configured
    /// passphrase file that is wrong stays an error: IT fixes the file.
    pub fn open_or_ask(config: &StationConfig, now: DateTime<Utc>) -> Result<Opening, StationError> {
        match Self::launch(config, now) {
            Ok(station) => Ok(Opening::Open(station)),
            Err(StationError::Snapshot(VaultError::PassphraseNeeded { .. }))
                if config.passphrase_file.is_none() =>
            {
                tracing::info!("this PC's identity is protected by a passphrase: the window asks for it");
                Ok(Opening::NeedsPassphrase(Unlock::new(config.clone())))
            }
            Err(e) => Err(e),
        }
    }
}

/// A station not yet opened because its identity's passphrase has not been typed: the
/// configuration to open it with, and the wrong tries so far.
#[derive(Debug)]
pub struct Unlock {
    config: StationConfig,
    failures: u32,
    /// No try is made before this (monotonic: a change of the wall clock neither shortens nor
    /// lengthens a wait).
    not_before: Option<Instant>,
}

impl Unlock {
    pub fn new(config: StationConfig) -> Self {
        Self {
            config,
            failures: 0,
            not_before: None,
        }
    }

    /// What every other call answers while the station is locked: `passphrase_needed`, with
    /// [`PROMPT`], which the window answers with its passphrase prompt.
    pub fn locked(&self) -> ApiError {
        ApiError {
            code: ErrorCode::PassphraseNeeded,
            message: PROMPT.to_owned(),
            warning: None,
            retry_after_seconds: None,
        }
    }

    /// Wrong passphrases in a row so far.
    pub fn failures(&self) -> u32 {
        self.failures
    }

    /// How long a try made now would wait first.
    pub fn wait_left(&self) -> Duration {
        self.not_before
            .map_or(Duration::ZERO, |t| t.saturating_duration_since(Instant::now()))
    }

    /// Tries a passphrase: the station opened with it, or why not. A wrong one is
    /// [`StationError::WrongPassphrase`] with the count and the wait before the next try; any other
    /// error means the passphrase was right and something else keeps the data closed (no
    /// snapshot staged, a damaged one), which another passphrase will not mend.
    ///
    /// A try made before the last wait is over sleeps out the rest of it first, so a caller that
    /// ignores the countdown gains nothing. Call it off the window's main thread: scrypt alone
    /// takes about a second.
    pub fn attempt(&mut self, passphrase: SecretString, now: DateTime<Utc>) -> Result<Station, StationError> {
        let left = self.wait_left();
        if !left.is_zero() {
            std::thread::sleep(left);
        }
        match Station::launch_with_passphrase(&self.config, Some(passphrase), now) {
            Ok(station) => {
                tracing::info!(
                    failures = self.failures,
                    "this PC's identity was unlocked with the passphrase typed in the window"
                );
                Ok(station)
            }
            Err(StationError::Snapshot(VaultError::WrongPassphrase { .. })) => {
                self.failures = self.failures.saturating_add(1);
                let wait = wait_after(self.failures);
                self.not_before = Some(Instant::now() + wait);
                tracing::warn!(
                    failures = self.failures,
                    wait_seconds = wait.as_secs(),
                    "a wrong passphrase for this PC's identity was typed in the window"
                );
                Err(StationError::WrongPassphrase {
                    failures: self.failures,
                    wait,
                })
            }
            Err(e) => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_wrong_tries_are_free_and_then_each_waits_longer_up_to_a_minute() {
        let waits: Vec<u64> = (0..=10).map(|n| wait_after(n).as_secs()).collect();
        assert_eq!(
            waits,
            [0, 0, 0, 5, 10, 20, 40, 60, 60, 60, 60],
            "a typing mistake or two costs nothing; guessing gets slower, never longer than a minute"
        );
        assert_eq!(wait_after(u32::MAX), LONGEST_WAIT, "no overflow at any count");
    }

    #[test]
    fn the_wrong_passphrase_words_say_the_count_and_the_wait_and_never_the_passphrase() {
        let words = wrong_passphrase_words(4, Duration::from_secs(10));
        assert!(words.contains("4 wrong tries"), "{words}");
        assert!(words.contains("in 10 seconds"), "{words}");
        let first = wrong_passphrase_words(1, Duration::ZERO);
        assert!(
            first.contains("1 wrong try)") && first.contains("type it again."),
            "{first}"
        );
    }
}

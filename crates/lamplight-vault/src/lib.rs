//! Sealed storage for a ward PC: age-encrypted snapshot generations of the ward, the keys that
//! open them, and the checks that prove nothing was lost or altered.
//!
//! Promises kept here (DESIGN.md): no patient data rests unencrypted (1); staging needs only
//! recipients, reading needs an identity (2); "saved" means durable and the journal is append-only
//! and chained (3, 4, in [`journal`]); a bad snapshot never replaces a good one (5).
//! It knows nothing of FHIR or windows: it stores a [`lamplight_model::Site`] and gives it back.

#![forbid(unsafe_code)]

mod error;
pub mod format;
pub mod journal;
pub mod keys;
pub mod keystore;
pub mod signing;
mod state;
pub mod store;
mod vault;

pub use age::secrecy::SecretString;
pub use error::VaultError;
pub use format::PublicHeader;
pub use journal::ward::{SyncReport, WardFolder};
pub use journal::{Appended, ChainCheck, Journal, NewRecord, Record, RecordHeader, TornTail};
pub use keys::{DEFAULT_WORK_FACTOR, Identity, Recipient, open_bytes, seal_bytes};
pub use signing::{Signed, SigningKey, TrustedKey};
pub use store::Database;
pub use vault::{DEFAULT_KEEP, GenerationCheck, GenerationFile, Opened, Skipped, Staged, Taken, Vault};

//! Revoking a ward PC: IT says a PC (stolen, lost, sent for repair) is no longer one of the ward's.
//!
//! A revocation names the PC and the last of its journal records the ward keeps (what it had
//! shared when IT revoked it). Its peers take its records up to that one and none after: a stolen
//! PC that still reaches the ward folder cannot put doses on the ward's record. The PC itself, if
//! it is still running, says so on every screen and records nothing more (nobody would see it).
//! What the PC could read stays readable to it: rotate the ward identity too
//! ([`lamplight_vault::Identity::with_previous`]), so nothing staged after the revocation opens on it.
//!
//! A revocation is a small JSON file in the vault (`revoked-pcs/<PC>.json`, no patient data),
//! signed by IT's staging key like a downtime plan; where the vault checks signatures, an unsigned
//! one is said, never followed (anyone who can write to the vault could otherwise hide a PC's
//! entries).

use std::path::PathBuf;

use chrono::{DateTime, Utc};
use lamplight_vault::Vault;
use serde::{Deserialize, Serialize};

/// The folder of revocations in a vault.
pub const REVOKED_DIR: &str = "revoked-pcs";
/// What a revocation's signature says it signs.
pub const REVOCATION_KIND: &str = "pc-revocation";

/// One PC revoked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RevokedPc {
    pub format: u32,
    /// The PC's name, as its journal has it (`WD7-PC2`).
    pub pc: String,
    /// The last of its records the ward keeps; `0`: none.
    pub up_to_sequence: u64,
    pub revoked_at: DateTime<Utc>,
    /// Who in IT revoked it.
    pub by: String,
    /// Why (`stolen from the ward office`): said on the other PCs' screens.
    pub reason: String,
}

impl RevokedPc {
    /// Whether the PC's record `sequence` comes after its revocation.
    pub fn excludes(&self, pc: &str, sequence: u64) -> bool {
        self.pc.eq_ignore_ascii_case(pc) && sequence > self.up_to_sequence
    }
}

/// Writes a revocation into a vault, atomically, signed beside it when the vault signs.
pub fn write_revocation(vault: &Vault, revoked: &RevokedPc) -> std::io::Result<PathBuf> {
    lamplight_vault::journal::check_pc_name(&revoked.pc)
        .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidInput, e.to_string()))?;
    let text = serde_json::to_vec_pretty(revoked).expect("a revocation always serialises");
    crate::signed_files::write(vault, REVOKED_DIR, &revoked.pc, REVOCATION_KIND, &text)
}

/// Every revocation in a vault, and a line for each file that could not be taken (unsigned where
/// signatures are checked, damaged, from a newer Lamplight): never silently ignored.
pub fn read_revocations(vault: &Vault) -> (Vec<RevokedPc>, Vec<String>) {
    let mut revoked = Vec::new();
    let mut problems = Vec::new();
    for (name, bytes) in crate::signed_files::read(vault, REVOKED_DIR, REVOCATION_KIND) {
        let read = bytes
            .and_then(|b| serde_json::from_slice::<RevokedPc>(&b).map_err(|e| e.to_string()))
            .and_then(|r| {
                if r.format == 1 {
                    Ok(r)
                } else {
                    Err(format!(
                        "revocation format {} is from a newer Lamplight",
                        r.format
                    ))
                }
            });
        match read {
            Ok(r) => revoked.push(r),
            Err(e) => problems.push(format!(
                "A revocation of a PC ({REVOKED_DIR}/{name}) could not be taken ({e}): ask IT to revoke it again"
            )),
        }
    }
    revoked.sort_by(|a, b| a.pc.cmp(&b.pc));
    (revoked, problems)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_revocation_keeps_the_records_up_to_its_sequence_and_none_after() {
        let r = RevokedPc {
            format: 1,
            pc: "WD7-PC2".into(),
            up_to_sequence: 4,
            revoked_at: Utc::now(),
            by: "IT".into(),
            reason: "stolen".into(),
        };
        assert!(!r.excludes("WD7-PC2", 4));
        assert!(r.excludes("wd7-pc2", 5));
        assert!(!r.excludes("WD7-PC1", 9));
    }

    fn revocation(pc: &str) -> RevokedPc {
        RevokedPc {
            format: 1,
            pc: pc.into(),
            up_to_sequence: 2,
            revoked_at: Utc::now(),
            by: "IT service desk".into(),
            reason: "stolen".into(),
        }
    }

    #[test]
    fn a_pc_that_checks_signatures_follows_only_a_revocation_its_staging_key_signed_and_says_so_of_others() {
        let dir = tempfile::tempdir().unwrap();
        let staging = lamplight_vault::SigningKey::generate().unwrap();
        let trusted = vec![staging.public()];
        // One revocation signed by IT's staging key, one planted unsigned, one damaged.
        write_revocation(&Vault::new(dir.path()).sign_with(staging), &revocation("WD7-PC2")).unwrap();
        write_revocation(&Vault::new(dir.path()), &revocation("WD7-PC3")).unwrap();
        std::fs::write(dir.path().join(REVOKED_DIR).join("WD7-PC4.json"), b"{ not json").unwrap();

        let (taken, problems) = read_revocations(&Vault::new(dir.path()).trust(trusted));
        assert_eq!(
            taken.iter().map(|r| r.pc.as_str()).collect::<Vec<_>>(),
            ["WD7-PC2"],
            "only the signed one is followed"
        );
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(
            problems.iter().any(|p| p.contains("WD7-PC3.json")),
            "{problems:?}"
        );
        assert!(
            problems.iter().any(|p| p.contains("WD7-PC4.json")),
            "{problems:?}"
        );
        assert!(problems.iter().all(|p| p.contains("ask IT to revoke it again")));

        // A PC that does not check signatures takes the unsigned one too (and still says the
        // damaged one).
        let (taken, problems) = read_revocations(&Vault::new(dir.path()));
        assert_eq!(taken.len(), 2);
        assert_eq!(problems.len(), 1);
    }
}

//! Story tests of the vault with real keys, real files and a real (tiny) full disk.

#![allow(clippy::unwrap_used)] // test code: a panic with its location is the clearest failure

mod common;

use std::path::Path;

use age::secrecy::SecretString;
use common::{at, tiny_site};
use lamplight_vault::{Identity, Recipient, Vault, VaultError};

fn demo_site() -> lamplight_model::Site {
    lamplight_demo::site(&lamplight_demo::DemoOptions {
        beds: 56,
        seed: 7,
        at: at("2026-11-04T03:00:00Z"),
    })
}

fn files_under(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(files_under(&p));
        } else {
            out.push(p);
        }
    }
    out
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && haystack.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn a_staged_snapshot_opens_to_exactly_the_site_that_was_staged() {
    let dir = tempfile::tempdir().unwrap();
    let id = Identity::generate();
    let vault = Vault::new(dir.path());
    let site = tiny_site();
    let staged = vault
        .stage(&site, "test", &[id.recipient()], at("2026-11-04T03:05:00Z"))
        .unwrap();
    assert_eq!(staged.header.generation, 1);
    assert_eq!(staged.header.counts, site.counts());
    let opened = vault.open_newest(&id).unwrap();
    assert!(opened.skipped.is_empty());
    assert_eq!(
        opened.database.site().unwrap(),
        site,
        "what is sealed must read back unchanged"
    );
}

/// The same search over the temp directory is in lamplight-cli's story test, which runs the real
/// binary with a private TMPDIR: the machine's shared /tmp holds other processes' files (a test FHIR
/// server's database, even a CI checkout), which would make this test fail for others' data.
#[test]
fn no_patient_name_or_nhs_number_is_readable_anywhere_in_the_vault_folder() {
    let dir = tempfile::tempdir().unwrap();
    let id = Identity::generate();
    let vault = Vault::new(dir.path());
    let mut site = demo_site();
    site.patients.extend(tiny_site().patients);
    assert!(site.patients.len() > 1, "the test needs patients to look for");
    vault
        .stage(&site, "test", &[id.recipient()], at("2026-11-04T03:05:00Z"))
        .unwrap();

    let mut needles: Vec<Vec<u8>> = Vec::new();
    for p in &site.patients {
        needles.push(p.name.family.clone().into_bytes());
        needles.extend(p.name.given.iter().map(|g| g.clone().into_bytes()));
        if let Some(n) = p.nhs_number {
            needles.push(n.digits().into_bytes());
            needles.push(n.to_string().into_bytes());
        }
        needles.extend(p.hospital_number.clone().map(String::into_bytes));
    }
    // Short given names ("Al") can occur by chance in ciphertext; look for names of 4 letters or more.
    needles.retain(|n| n.len() >= 4);

    let files = files_under(dir.path());
    assert!(
        files.iter().any(|f| f.extension().is_some_and(|e| e == "llsnap")),
        "a generation was written"
    );
    for f in files {
        let Ok(bytes) = std::fs::read(&f) else { continue };
        for n in &needles {
            assert!(
                !contains(&bytes, n),
                "{} holds {:?} in plain text: patient data must never rest unencrypted",
                f.display(),
                String::from_utf8_lossy(n)
            );
        }
    }
}

#[test]
fn a_flipped_byte_in_the_newest_generation_falls_back_to_the_previous_one_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let id = Identity::generate();
    let vault = Vault::new(dir.path());
    let mut older = tiny_site();
    older.name = "older".into();
    vault
        .stage(&older, "test", &[id.recipient()], at("2026-11-04T03:05:00Z"))
        .unwrap();
    let newest = vault
        .stage(
            &tiny_site(),
            "test",
            &[id.recipient()],
            at("2026-11-04T04:05:00Z"),
        )
        .unwrap();

    let mut bytes = std::fs::read(&newest.path).unwrap();
    let last = bytes.len() - 100;
    bytes[last] ^= 0x01;
    std::fs::write(&newest.path, bytes).unwrap();

    let opened = vault.open_newest(&id).unwrap();
    assert_eq!(
        opened.header.generation, 1,
        "the damaged generation 2 must not be used"
    );
    assert_eq!(opened.database.site().unwrap().name, "older");
    assert_eq!(
        opened.skipped.len(),
        1,
        "the fallback must be reported, not silent"
    );
    assert!(
        matches!(opened.skipped[0].error, VaultError::Corrupt { .. }),
        "{:?}",
        opened.skipped[0].error
    );
}

#[test]
fn the_wrong_identity_is_told_so() {
    let dir = tempfile::tempdir().unwrap();
    let vault = Vault::new(dir.path());
    vault
        .stage(
            &tiny_site(),
            "test",
            &[Identity::generate().recipient()],
            at("2026-11-04T03:05:00Z"),
        )
        .unwrap();
    let err = vault.open_newest(&Identity::generate()).unwrap_err();
    assert!(matches!(err, VaultError::WrongKey { .. }), "{err:?}");
    assert_eq!(err.code(), "wrong_key");
}

#[test]
fn every_recipient_can_open_a_snapshot_sealed_to_several() {
    let dir = tempfile::tempdir().unwrap();
    let (ward, it) = (Identity::generate(), Identity::generate());
    let vault = Vault::new(dir.path());
    vault
        .stage(
            &tiny_site(),
            "test",
            &[ward.recipient(), it.recipient()],
            at("2026-11-04T03:05:00Z"),
        )
        .unwrap();
    assert!(vault.open_newest(&ward).is_ok());
    assert!(
        vault.open_newest(&it).is_ok(),
        "IT's break-glass identity must open every snapshot"
    );
}

#[test]
fn staging_with_no_recipients_is_refused_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let vault = Vault::new(dir.path());
    let err = vault
        .stage(&tiny_site(), "test", &[], at("2026-11-04T03:05:00Z"))
        .unwrap_err();
    assert!(matches!(err, VaultError::NoRecipients));
    assert!(vault.generations().unwrap().is_empty());
}

#[test]
fn only_the_newest_generations_are_kept() {
    let dir = tempfile::tempdir().unwrap();
    let id = Identity::generate();
    let vault = Vault::new(dir.path()).keep(3);
    for i in 0..5 {
        let now = at("2026-11-04T03:00:00Z") + chrono::TimeDelta::minutes(i);
        vault.stage(&tiny_site(), "test", &[id.recipient()], now).unwrap();
    }
    let gens: Vec<u64> = vault
        .generations()
        .unwrap()
        .iter()
        .map(|g| g.generation)
        .collect();
    assert_eq!(gens, vec![5, 4, 3]);
}

#[test]
fn an_identity_file_round_trips_plain_and_with_a_passphrase() {
    let dir = tempfile::tempdir().unwrap();
    let id = Identity::generate();
    let plain = dir.path().join("ward.key");
    id.write_new(&plain, None, 10, "test").unwrap();
    assert_eq!(Identity::load(&plain, None).unwrap().recipient(), id.recipient());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&plain).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "a key file must be readable by its owner only");
    }
    let err = id.write_new(&plain, None, 10, "test").unwrap_err();
    assert!(
        matches!(err, VaultError::KeyExists { .. }),
        "a key must never be overwritten"
    );

    let wrapped = dir.path().join("ward-wrapped.key");
    let pass = SecretString::from("correct horse battery staple".to_owned());
    id.write_new(&wrapped, Some(&pass), 10, "test").unwrap();
    let text = std::fs::read_to_string(&wrapped).unwrap();
    assert!(
        !text.contains("AGE-SECRET-KEY"),
        "a wrapped identity must not hold the key in clear"
    );
    assert!(matches!(
        Identity::load(&wrapped, None),
        Err(VaultError::PassphraseNeeded { .. })
    ));
    let wrong = SecretString::from("wrong".to_owned());
    assert!(matches!(
        Identity::load(&wrapped, Some(&wrong)),
        Err(VaultError::WrongPassphrase { .. })
    ));
    assert_eq!(
        Identity::load(&wrapped, Some(&pass)).unwrap().recipient(),
        id.recipient()
    );
}

#[test]
fn a_recipient_parses_from_keygen_output() {
    let id = Identity::generate();
    let text = id.recipient().to_string();
    assert!(text.starts_with("age1"));
    assert_eq!(Recipient::parse(&format!("  {text}\n")).unwrap(), id.recipient());
}

/// Unmounts the test's tmpfs however the test ends.
struct Unmount<'a>(&'a Path);

impl Drop for Unmount<'_> {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount").arg(self.0).status();
    }
}

/// A real full disk: a 512 KiB tmpfs, filled by a big snapshot while a good one is already there.
/// Needs root (mount); CI runs as root. Elsewhere the test says it did not run.
#[test]
fn a_full_disk_while_staging_leaves_the_previous_generation_the_newest_good_one() {
    let dir = tempfile::tempdir().unwrap();
    let mount = dir.path().join("small");
    std::fs::create_dir(&mount).unwrap();
    let mounted = std::process::Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=512k", "tmpfs"])
        .arg(&mount)
        .status()
        .is_ok_and(|s| s.success());
    if !mounted {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI runs as root and must exercise a real full disk"
        );
        eprintln!("SKIPPED: cannot mount a tmpfs here (not root); the full-disk test did not run");
        return;
    }
    let _guard = Unmount(&mount);

    let id = Identity::generate();
    let vault = Vault::new(&mount);
    vault
        .stage(
            &tiny_site(),
            "test",
            &[id.recipient()],
            at("2026-11-04T03:05:00Z"),
        )
        .unwrap();
    let big = lamplight_demo::site(&lamplight_demo::DemoOptions {
        beds: 400,
        seed: 3,
        at: at("2026-11-04T03:00:00Z"),
    });
    assert!(big.patients.len() > 100, "the big site must not fit in 512 KiB");
    let err = vault
        .stage(&big, "test", &[id.recipient()], at("2026-11-04T04:05:00Z"))
        .unwrap_err();
    assert!(matches!(err, VaultError::DiskFull { .. }), "{err:?}");
    assert!(err.to_string().contains("nothing was replaced"));
    let opened = vault.open_newest(&id).unwrap();
    assert_eq!(opened.header.generation, 1);
    assert!(
        opened.skipped.is_empty(),
        "no half-written generation may be left behind"
    );
    assert_eq!(vault.generations().unwrap().len(), 1);
}

fn with_inpatients(n: usize) -> lamplight_model::Site {
    let mut site = tiny_site();
    let first = site.admissions[0].clone();
    site.admissions = (0..n)
        .map(|i| lamplight_model::Admission {
            id: format!("enc-{i}"),
            ..first.clone()
        })
        .collect();
    site
}

#[test]
fn a_generation_with_no_inpatients_is_held_back_and_the_previous_one_stays_the_newest() {
    let dir = tempfile::tempdir().unwrap();
    let id = Identity::generate();
    let vault = Vault::new(dir.path());
    vault
        .stage(
            &with_inpatients(4),
            "good",
            &[id.recipient()],
            at("2026-11-04T03:05:00Z"),
        )
        .unwrap();
    let err = vault
        .stage(
            &with_inpatients(0),
            "empty",
            &[id.recipient()],
            at("2026-11-04T04:05:00Z"),
        )
        .unwrap_err();
    assert!(
        matches!(
            err,
            VaultError::HeldBack {
                inpatients: 0,
                previous: Some((1, 4))
            }
        ),
        "{err:?}"
    );
    assert_eq!(err.code(), "held_back");
    let message = err.to_string();
    assert!(
        message.contains("no inpatients")
            && message.contains("generation 1")
            && message.contains("--accept-shrink"),
        "the message must say what was held back, what stays, and how to override: {message}"
    );
    assert_eq!(
        vault.generations().unwrap().len(),
        1,
        "nothing may be written for held-back data"
    );
    let opened = vault.open_newest(&id).unwrap();
    assert_eq!(
        opened.header.source, "good",
        "the good generation must stay the newest"
    );
}

#[test]
fn a_generation_with_fewer_than_half_the_previous_inpatients_is_held_back_but_half_is_not() {
    let dir = tempfile::tempdir().unwrap();
    let id = Identity::generate();
    let vault = Vault::new(dir.path());
    let stage = |n: usize| {
        vault.stage(
            &with_inpatients(n),
            "test",
            &[id.recipient()],
            at("2026-11-04T03:05:00Z"),
        )
    };
    stage(10).unwrap();
    let err = stage(4).unwrap_err();
    assert!(
        matches!(
            err,
            VaultError::HeldBack {
                inpatients: 4,
                previous: Some((1, 10))
            }
        ),
        "{err:?}"
    );
    stage(5)
        .expect("half of the previous generation's inpatients is a ward that emptied, not a failed extract");
    assert_eq!(vault.generations().unwrap().len(), 2);
}

#[test]
fn accept_shrink_stages_a_ward_that_really_closed() {
    let dir = tempfile::tempdir().unwrap();
    let id = Identity::generate();
    Vault::new(dir.path())
        .stage(
            &with_inpatients(10),
            "full",
            &[id.recipient()],
            at("2026-11-04T03:05:00Z"),
        )
        .unwrap();
    let staged = Vault::new(dir.path())
        .accept_shrink(true)
        .stage(
            &with_inpatients(0),
            "closed",
            &[id.recipient()],
            at("2026-11-04T04:05:00Z"),
        )
        .expect("--accept-shrink must let a closed ward's empty snapshot through");
    assert_eq!(staged.header.generation, 2);
    assert_eq!(
        Vault::new(dir.path()).open_newest(&id).unwrap().header.source,
        "closed"
    );
}

#[test]
fn the_first_generation_is_held_back_when_it_holds_no_inpatients() {
    let dir = tempfile::tempdir().unwrap();
    let id = Identity::generate();
    let err = Vault::new(dir.path())
        .stage(
            &with_inpatients(0),
            "empty",
            &[id.recipient()],
            at("2026-11-04T03:05:00Z"),
        )
        .unwrap_err();
    assert!(
        matches!(
            err,
            VaultError::HeldBack {
                inpatients: 0,
                previous: None
            }
        ),
        "{err:?}"
    );
    assert!(err.to_string().contains("nothing was written"), "{err}");
}

#[test]
fn a_damaged_newest_generation_is_not_the_yardstick_for_shrinking() {
    let dir = tempfile::tempdir().unwrap();
    let id = Identity::generate();
    let vault = Vault::new(dir.path());
    vault
        .stage(
            &with_inpatients(4),
            "good",
            &[id.recipient()],
            at("2026-11-04T03:05:00Z"),
        )
        .unwrap();
    let big = vault
        .stage(
            &with_inpatients(40),
            "big",
            &[id.recipient()],
            at("2026-11-04T04:05:00Z"),
        )
        .unwrap();
    let mut bytes = std::fs::read(&big.path).unwrap();
    let last = bytes.len() - 100;
    bytes[last] ^= 0x01;
    std::fs::write(&big.path, bytes).unwrap();
    vault
        .stage(
            &with_inpatients(3),
            "next",
            &[id.recipient()],
            at("2026-11-04T05:05:00Z"),
        )
        .expect("the newest good generation (4 inpatients) is the one compared, not the damaged one (40)");
}

#[test]
fn the_import_notes_travel_sealed_with_the_snapshot_and_a_ward_keeps_its_own() {
    use lamplight_model::{ImportNote, NoteKind};
    let dir = tempfile::tempdir().unwrap();
    let id = Identity::generate();
    let mut site = tiny_site();
    let note = |kind, resource: &str, patient: Option<&str>| ImportNote {
        kind,
        resource: resource.into(),
        patient_id: patient.map(str::to_owned),
        detail: format!("entry 3 ({resource}): test detail"),
    };
    site.notes = vec![
        note(
            NoteKind::InstructionsNotCharted,
            "MedicationRequest/m1",
            Some("pat-1"),
        ),
        note(
            NoteKind::NoBedRecorded,
            "Encounter/elsewhere",
            Some("pat-on-no-ward"),
        ),
        note(NoteKind::AgeUnknown, "Bundle", None),
    ];
    let staged = Vault::new(dir.path())
        .stage(&site, "test", &[id.recipient()], at("2026-11-04T03:05:00Z"))
        .unwrap();
    let bytes = std::fs::read(&staged.path).unwrap();
    assert!(
        !contains(&bytes, b"test detail") && !contains(&bytes, b"MedicationRequest/m1"),
        "the notes are sealed, not written in the clear"
    );
    let opened = Vault::new(dir.path()).open_newest(&id).unwrap();
    assert_eq!(
        opened.database.site().unwrap().notes,
        site.notes,
        "every note comes back"
    );
    let ward: Vec<String> = opened
        .database
        .ward_site("WD1")
        .unwrap()
        .notes
        .iter()
        .map(|n| n.resource.clone())
        .collect();
    assert_eq!(
        ward,
        ["MedicationRequest/m1", "Bundle"],
        "a ward's board takes its own patients' notes and the data's, not another patient's"
    );
}

#[test]
fn a_snapshot_of_unknown_age_reads_back_as_unknown_never_as_1970() {
    let dir = tempfile::tempdir().unwrap();
    let id = Identity::generate();
    let mut site = tiny_site();
    site.extracted_at = None;
    let staged = Vault::new(dir.path())
        .stage(&site, "test", &[id.recipient()], at("2026-11-04T03:05:00Z"))
        .unwrap();
    assert_eq!(
        staged.header.data_as_of(),
        None,
        "format 1's public header keeps its frozen field, and says the time is unknown"
    );
    let opened = Vault::new(dir.path()).open_newest(&id).unwrap();
    assert_eq!(opened.header.data_as_of(), None);
    assert_eq!(opened.database.site().unwrap().extracted_at, None);
    assert_eq!(opened.database.ward_site("WD1").unwrap().extracted_at, None);
}

#[test]
fn body_weights_are_sealed_with_the_snapshot_in_kilograms() {
    let dir = tempfile::tempdir().unwrap();
    let id = Identity::generate();
    let mut site = tiny_site();
    site.weights = vec![lamplight_model::BodyWeight {
        id: "wt-1".into(),
        patient_id: "pat-1".into(),
        taken_at: at("2026-11-03T08:00:00Z"),
        kilograms: 69.853_225,
    }];
    Vault::new(dir.path())
        .stage(&site, "test", &[id.recipient()], at("2026-11-04T03:05:00Z"))
        .unwrap();
    let opened = Vault::new(dir.path()).open_newest(&id).unwrap();
    assert_eq!(opened.database.site().unwrap().weights, site.weights);
    assert_eq!(opened.database.ward_site("WD1").unwrap().weights, site.weights);
}

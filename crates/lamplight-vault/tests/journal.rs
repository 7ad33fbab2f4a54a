//! The journal as the station uses it: append, reopen, set aside a torn tail, refuse a broken
//! chain, and meet the other PCs of the ward in the ward folder.

#![allow(clippy::unwrap_used)] // test code: a panic with its location is the clearest failure

use std::io::Write as _;
use std::path::Path;

use chrono::{DateTime, Utc};
use lamplight_vault::journal::{journal_dir, ward::record_name};
use lamplight_vault::{Identity, Journal, NewRecord, VaultError, WardFolder};
use uuid::Uuid;

fn at(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}

fn entry(payload: &[u8]) -> NewRecord<'_> {
    NewRecord {
        entry_id: Uuid::new_v4(),
        corrects: None,
        author: "J. Smith",
        role: "nurse",
        recorded_at: at("2026-11-04T08:04:00Z"),
        payload,
    }
}

fn append_n(journal: &mut Journal, id: &Identity, n: usize) -> Vec<Uuid> {
    (0..n)
        .map(|i| {
            let payload = format!("{{\"dose\":{i}}}");
            let e = entry(payload.as_bytes());
            journal.append(&e, &[id.recipient()]).unwrap();
            e.entry_id
        })
        .collect()
}

#[test]
fn entries_come_back_in_order_sealed_and_a_correction_points_at_what_it_corrects() {
    let vault = tempfile::tempdir().unwrap();
    let id = Identity::generate();
    let (mut journal, check) = Journal::open(vault.path(), "WD1-PC1").unwrap();
    assert_eq!(check.records, 0);
    let first = entry(b"{\"given\":\"Ada Vectorson 5 mg\"}");
    let appended = journal.append(&first, &[id.recipient()]).unwrap();
    assert_eq!(appended.sequence, 1);
    let correction = NewRecord {
        corrects: Some(first.entry_id),
        ..entry(b"{\"dose\":\"2.5 mg\"}")
    };
    journal.append(&correction, &[id.recipient()]).unwrap();
    drop(journal);

    let on_disk = std::fs::read(journal_dir(vault.path()).join("WD1-PC1.lljournal")).unwrap();
    assert!(
        !on_disk.windows(9).any(|w| w == b"Vectorson") && !on_disk.windows(8).any(|w| w == b"J. Smith"),
        "no patient or staff name rests unencrypted in the journal"
    );

    let (journal, check) = Journal::open(vault.path(), "WD1-PC1").unwrap();
    assert_eq!((check.records, check.torn), (2, None));
    let records = journal.records(&id).unwrap();
    assert_eq!(records.len(), 2);
    assert_eq!(records[0].entry_id, first.entry_id);
    assert_eq!(records[0].payload, first.payload);
    assert_eq!(records[0].author, "J. Smith");
    assert_eq!(
        records[1].corrects,
        Some(first.entry_id),
        "a correction is a new record naming the one it corrects; the first is untouched"
    );
    assert!(
        !format!("{:?}", records[0]).contains("Vectorson"),
        "a record's Debug shows ids and sizes, never its payload"
    );
}

#[test]
fn a_journal_has_one_writer() {
    let vault = tempfile::tempdir().unwrap();
    let (_journal, _) = Journal::open(vault.path(), "WD1-PC1").unwrap();
    assert!(
        matches!(
            Journal::open(vault.path(), "WD1-PC1"),
            Err(VaultError::JournalInUse { .. })
        ),
        "two writers would fork the chain"
    );
    assert!(matches!(
        Journal::open(vault.path(), "../elsewhere"),
        Err(VaultError::BadPcName(_))
    ));
}

#[test]
fn a_torn_last_record_is_set_aside_and_the_chain_continues_from_the_last_whole_one() {
    let vault = tempfile::tempdir().unwrap();
    let id = Identity::generate();
    let (mut journal, _) = Journal::open(vault.path(), "WD1-PC1").unwrap();
    let ids = append_n(&mut journal, &id, 3);
    let path = journal.path().to_owned();
    drop(journal);
    let whole = std::fs::read(&path).unwrap();
    // A crash mid-write: part of a fourth record.
    let mut f = std::fs::OpenOptions::new().append(true).open(&path).unwrap();
    f.write_all(&whole[..whole.len() / 5]).unwrap();
    drop(f);

    let strict = lamplight_vault::journal::check_file(&path, None, None)
        .unwrap()
        .into_strict(&path);
    assert!(
        matches!(strict, Err(VaultError::TornRecord { sequence: 4, .. })),
        "checked at rest, the torn tail is named: {strict:?}"
    );

    let (mut journal, check) = Journal::open(vault.path(), "WD1-PC1").unwrap();
    let torn = check.torn.expect("the torn tail is reported");
    assert_eq!(torn.sequence, 4);
    let aside = torn.set_aside.expect("and set aside");
    assert_eq!(std::fs::read(&aside).unwrap().len() as u64, torn.bytes);
    assert_eq!(
        std::fs::read(&path).unwrap(),
        whole,
        "the journal is cut back to its whole records"
    );
    let more = append_n(&mut journal, &id, 1);
    let records = journal.records(&id).unwrap();
    assert_eq!(
        records.iter().map(|r| r.entry_id).collect::<Vec<_>>(),
        [ids, more].concat(),
        "the next append continues the chain as record 4"
    );
}

#[test]
fn a_record_missing_in_the_middle_is_reported_loudly_and_the_journal_is_not_opened() {
    let vault = tempfile::tempdir().unwrap();
    let id = Identity::generate();
    let (mut journal, _) = Journal::open(vault.path(), "WD1-PC1").unwrap();
    let mut sizes = Vec::new();
    for i in 0..3u8 {
        sizes.push(journal.append(&entry(&[i]), &[id.recipient()]).unwrap().bytes);
    }
    let path = journal.path().to_owned();
    drop(journal);
    let bytes = std::fs::read(&path).unwrap();
    let without_second = [&bytes[..sizes[0]], &bytes[sizes[0] + sizes[1]..]].concat();
    std::fs::write(&path, without_second).unwrap();
    let err = Journal::open(vault.path(), "WD1-PC1").unwrap_err();
    assert!(
        matches!(
            err,
            VaultError::ChainGap {
                expected: 2,
                found: 3,
                ..
            }
        ),
        "a removed entry must never pass quietly: {err}"
    );
    assert!(
        err.to_string().contains("record 2"),
        "the message names the record: {err}"
    );
}

fn ward_pc(vault: &Path, ward: &Path, pc: &str) -> (Journal, WardFolder) {
    let (journal, _) = Journal::open(vault, pc).unwrap();
    (journal, WardFolder::new(ward, pc).unwrap())
}

#[test]
fn a_dose_recorded_on_one_pc_is_seen_on_the_other_through_the_ward_folder() {
    let ward = tempfile::tempdir().unwrap();
    let (v1, v2) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let id = Identity::generate();
    let (mut j1, mut w1) = ward_pc(v1.path(), ward.path(), "WD1-PC1");
    let (mut j2, mut w2) = ward_pc(v2.path(), ward.path(), "WD1-PC2");
    let now = at("2026-11-04T08:05:00Z");

    let dose = append_n(&mut j1, &id, 2);
    let r1 = w1.sync(&j1, &id, now);
    assert!(r1.reachable);
    assert_eq!(r1.pushed, 2);
    let r2 = w2.sync(&j2, &id, now);
    assert_eq!(r2.pulled, 2, "PC2 reads PC1's records: {r2:?}");
    assert_eq!(w2.peer_records().map(|r| r.entry_id).collect::<Vec<_>>(), dose);
    let again = w2.sync(&j2, &id, now);
    assert_eq!(
        (again.pushed, again.pulled),
        (0, 0),
        "polling reads nothing it already read"
    );

    append_n(&mut j2, &id, 1);
    w2.sync(&j2, &id, now);
    w1.sync(&j1, &id, now);
    let own = j1.records(&id).unwrap();
    assert_eq!(
        w1.union(&own).len(),
        3,
        "the ward's record is the union of both chains"
    );
}

#[test]
fn a_half_copied_record_is_skipped_and_read_once_whole() {
    let ward = tempfile::tempdir().unwrap();
    let (v1, v2) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let id = Identity::generate();
    let (mut j1, mut w1) = ward_pc(v1.path(), ward.path(), "WD1-PC1");
    let (j2, mut w2) = ward_pc(v2.path(), ward.path(), "WD1-PC2");
    let now = at("2026-11-04T08:05:00Z");
    append_n(&mut j1, &id, 2);
    w1.sync(&j1, &id, now);
    let second = ward.path().join("journals/WD1-PC1").join(record_name(2));
    let whole = std::fs::read(&second).unwrap();
    std::fs::write(&second, &whole[..whole.len() - 100]).unwrap(); // a copier not done yet

    let r = w2.sync(&j2, &id, now);
    assert_eq!(r.pulled, 1);
    assert_eq!(r.incomplete, vec![("WD1-PC1".to_owned(), 2)], "{r:?}");
    assert!(
        r.problems.is_empty(),
        "half-copied is not damage: {:?}",
        r.problems
    );
    std::fs::write(&second, &whole).unwrap();
    let r = w2.sync(&j2, &id, now);
    assert_eq!(r.pulled, 1, "read whole on the next sync");
}

#[test]
fn a_pc_that_loses_the_ward_folder_says_since_when_and_catches_up_both_ways() {
    let base = tempfile::tempdir().unwrap();
    let ward = base.path().join("share");
    std::fs::create_dir(&ward).unwrap();
    let (v1, v2) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let id = Identity::generate();
    let (mut j1, mut w1) = ward_pc(v1.path(), &ward, "WD1-PC1");
    let (mut j2, mut w2) = ward_pc(v2.path(), &ward, "WD1-PC2");
    w1.sync(&j1, &id, at("2026-11-04T08:00:00Z"));

    let gone = base.path().join("share-unmounted");
    std::fs::rename(&ward, &gone).unwrap();
    append_n(&mut j1, &id, 2);
    let r = w1.sync(&j1, &id, at("2026-11-04T08:01:00Z"));
    assert!(!r.reachable);
    assert_eq!(r.unreachable_since, Some(at("2026-11-04T08:01:00Z")));
    let r = w1.sync(&j1, &id, at("2026-11-04T08:02:00Z"));
    assert_eq!(
        r.unreachable_since,
        Some(at("2026-11-04T08:01:00Z")),
        "since the first failure after the last success, not the latest try"
    );
    assert_eq!(r.last_reached, Some(at("2026-11-04T08:00:00Z")));
    assert!(
        !ward.exists(),
        "an unreachable share is never recreated as a local folder"
    );

    std::fs::rename(&gone, &ward).unwrap();
    append_n(&mut j2, &id, 1);
    w2.sync(&j2, &id, at("2026-11-04T08:03:00Z"));
    let r = w1.sync(&j1, &id, at("2026-11-04T08:03:00Z"));
    assert!(r.reachable && r.unreachable_since.is_none());
    assert_eq!((r.pushed, r.pulled), (2, 1), "caught up both ways: {r:?}");
}

#[test]
fn a_record_from_another_chain_on_the_share_is_reported_and_nothing_after_it_is_read() {
    let ward = tempfile::tempdir().unwrap();
    let (v1, v2, v3) = (
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
    );
    let id = Identity::generate();
    let (mut j1, mut w1) = ward_pc(v1.path(), ward.path(), "WD1-PC1");
    let (j2, mut w2) = ward_pc(v2.path(), ward.path(), "WD1-PC2");
    append_n(&mut j1, &id, 3);
    w1.sync(&j1, &id, at("2026-11-04T08:00:00Z"));
    // Another ward's PC of the same name: its record 2 copied over ours.
    let (mut other, _) = Journal::open(v3.path(), "WD1-PC1").unwrap();
    append_n(&mut other, &id, 2);
    let other_share = tempfile::tempdir().unwrap();
    let other_ward = other_share.path();
    WardFolder::new(other_ward, "WD1-PC1")
        .unwrap()
        .sync(&other, &id, at("2026-11-04T08:00:00Z"));
    std::fs::copy(
        other_ward.join("journals/WD1-PC1").join(record_name(2)),
        ward.path().join("journals/WD1-PC1").join(record_name(2)),
    )
    .unwrap();

    let r = w2.sync(&j2, &id, at("2026-11-04T08:01:00Z"));
    assert_eq!(r.pulled, 1);
    assert!(
        matches!(
            r.problems.as_slice(),
            [VaultError::ForeignRecord { sequence: 2, .. }]
        ),
        "{:?}",
        r.problems
    );
}

#[test]
fn a_record_copied_ahead_of_the_one_before_it_waits_for_that_one() {
    let ward = tempfile::tempdir().unwrap();
    let (v1, v2) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let id = Identity::generate();
    let (mut j1, mut w1) = ward_pc(v1.path(), ward.path(), "WD1-PC1");
    let (j2, mut w2) = ward_pc(v2.path(), ward.path(), "WD1-PC2");
    let now = at("2026-11-04T08:05:00Z");
    append_n(&mut j1, &id, 3);
    w1.sync(&j1, &id, now);
    let dir = ward.path().join("journals/WD1-PC1");
    let held = tempfile::tempdir().unwrap();
    std::fs::rename(dir.join(record_name(2)), held.path().join("2")).unwrap();

    let r = w2.sync(&j2, &id, now);
    assert_eq!(r.pulled, 1, "record 3 is not read before record 2: {r:?}");
    assert_eq!(r.incomplete, vec![("WD1-PC1".to_owned(), 2)]);
    std::fs::rename(held.path().join("2"), dir.join(record_name(2))).unwrap();
    let r = w2.sync(&j2, &id, now);
    assert_eq!((r.pulled, r.incomplete.len()), (2, 0), "{r:?}");
}

#[test]
fn a_damaged_length_in_the_middle_is_damage_not_a_torn_tail_and_nothing_is_cut() {
    let vault = tempfile::tempdir().unwrap();
    let id = Identity::generate();
    let (mut journal, _) = Journal::open(vault.path(), "WD1-PC1").unwrap();
    let first = journal.append(&entry(b"1"), &[id.recipient()]).unwrap().bytes;
    append_n(&mut journal, &id, 2);
    let path = journal.path().to_owned();
    drop(journal);
    let bytes = std::fs::read(&path).unwrap();
    let text = String::from_utf8_lossy(&bytes[first..first + 400]).into_owned();
    let at_len = text.find("\"ciphertext_len\":").unwrap() + first + 17;
    let mut damaged = bytes.clone();
    damaged[at_len] = b'9'; // a longer record than the file holds: looks torn, but records follow
    std::fs::write(&path, &damaged).unwrap();
    let err = Journal::open(vault.path(), "WD1-PC1").unwrap_err();
    assert!(
        matches!(err, VaultError::RecordCorrupt { sequence: 2, .. }),
        "acknowledged records after a damaged one must never be set aside as a torn tail: {err}"
    );
    assert_eq!(
        std::fs::read(&path).unwrap(),
        damaged,
        "nothing is cut from a damaged journal"
    );
}

#[test]
fn a_planted_record_file_larger_than_any_record_is_damage_and_is_not_read_whole() {
    let ward = tempfile::tempdir().unwrap();
    let (v1, v2) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let id = Identity::generate();
    let (mut j1, mut w1) = ward_pc(v1.path(), ward.path(), "WD1-PC1");
    let (j2, mut w2) = ward_pc(v2.path(), ward.path(), "WD1-PC2");
    append_n(&mut j1, &id, 1);
    w1.sync(&j1, &id, at("2026-11-04T08:00:00Z"));
    // Record 2 of PC1 planted as a 4 GiB file (sparse: nothing is written to the disk).
    let planted = ward.path().join("journals/WD1-PC1").join(record_name(2));
    std::fs::File::create(&planted).unwrap().set_len(4 << 30).unwrap();
    let r = w2.sync(&j2, &id, at("2026-11-04T08:01:00Z"));
    assert_eq!(r.pulled, 1, "record 1 is read as ever");
    assert!(
        matches!(
            r.problems.as_slice(),
            [VaultError::RecordCorrupt { sequence: 2, .. }]
        ),
        "{:?}",
        r.problems
    );
}

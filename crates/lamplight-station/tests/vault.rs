//! The station over a real sealed vault: what a ward PC opens when the EPR is down.

#![allow(clippy::unwrap_used)] // test code: a panic with its location is the clearest failure

use chrono::{DateTime, Utc};
use lamplight_station::{ErrorCode, SourceKind, Station, StationError};
use lamplight_vault::{Identity, Vault};

fn at(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}

fn site() -> lamplight_model::Site {
    lamplight_demo::site(&lamplight_demo::DemoOptions {
        beds: 84,
        seed: 9,
        at: at("2026-11-04T03:00:00Z"),
    })
}

#[test]
fn a_ward_pc_opens_only_its_ward_from_a_site_snapshot() {
    let dir = tempfile::tempdir().unwrap();
    let id = Identity::generate();
    let vault = Vault::new(dir.path());
    let site = site();
    vault
        .stage(
            &site,
            "bundle site.json",
            &[id.recipient()],
            at("2026-11-04T03:05:00Z"),
        )
        .unwrap();
    let ward = &site.wards[1];

    let station = Station::open_vault(&vault, &id, Some(&ward.code)).unwrap();
    let status = station.status(at("2026-11-04T03:30:00Z"));
    assert_eq!(status.source, SourceKind::Snapshot);
    assert!(
        status.source_label.contains("generation 1"),
        "{}",
        status.source_label
    );
    assert!(status.warnings.is_empty());
    assert_eq!(
        station.data().site(),
        &site.ward_subset(&ward.code).unwrap(),
        "the SQL ward query must match the model's"
    );
    let board = station.board(&ward.code, at("2026-11-04T03:30:00Z")).unwrap();
    assert_eq!(
        board.rows.iter().filter(|r| r.bed_id.is_some()).count(),
        ward.bed_count()
    );

    let err = Station::open_vault(&vault, &id, Some("NOPE")).unwrap_err();
    assert!(matches!(err, StationError::NoSuchWard(_)));
}

#[test]
fn a_damaged_newest_snapshot_is_named_on_every_screen() {
    let dir = tempfile::tempdir().unwrap();
    let id = Identity::generate();
    let vault = Vault::new(dir.path());
    vault
        .stage(&site(), "first", &[id.recipient()], at("2026-11-04T03:05:00Z"))
        .unwrap();
    let newest = vault
        .stage(&site(), "second", &[id.recipient()], at("2026-11-04T04:05:00Z"))
        .unwrap();
    let mut bytes = std::fs::read(&newest.path).unwrap();
    let n = bytes.len() - 10;
    bytes.truncate(n);
    std::fs::write(&newest.path, bytes).unwrap();

    let station = Station::open_vault(&vault, &id, None).unwrap();
    let status = station.status(at("2026-11-04T04:30:00Z"));
    assert!(status.source_label.contains("generation 1"));
    assert_eq!(status.warnings.len(), 1);
    assert!(
        status.warnings[0].contains("generation 2"),
        "{:?}",
        status.warnings
    );
}

#[test]
fn the_wrong_key_is_a_snapshot_error_with_its_own_code() {
    let dir = tempfile::tempdir().unwrap();
    let vault = Vault::new(dir.path());
    vault
        .stage(
            &site(),
            "s",
            &[Identity::generate().recipient()],
            at("2026-11-04T03:05:00Z"),
        )
        .unwrap();
    let err = Station::open_vault(&vault, &Identity::generate(), None).unwrap_err();
    assert_eq!(err.to_api().code, ErrorCode::SnapshotUnavailable);
    assert!(
        err.to_api().message.contains("cannot open"),
        "{}",
        err.to_api().message
    );
}

/// A ward PC whose key is sealed with a passphrase, and the vault staged to it (a work factor far
/// below the real one, so that each try takes milliseconds, not a second).
fn passphrase_pc(dir: &std::path::Path, passphrase: &str) -> lamplight_station::StationConfig {
    let id = Identity::generate();
    let key = dir.join("ward.key");
    id.write_new(
        &key,
        Some(&lamplight_vault::SecretString::from(passphrase.to_owned())),
        4,
        "2026-11-04",
    )
    .unwrap();
    let vault = dir.join("vault");
    Vault::new(&vault)
        .stage(
            &site(),
            "bundle site.json",
            &[id.recipient()],
            at("2026-11-04T03:05:00Z"),
        )
        .unwrap();
    lamplight_station::StationConfig {
        vault: Some(vault),
        identity: Some(key),
        refresh: None,
        ..lamplight_station::StationConfig::default()
    }
}

fn secret(s: &str) -> lamplight_vault::SecretString {
    lamplight_vault::SecretString::from(s.to_owned())
}

#[test]
fn launch_with_passphrase_opens_with_the_right_one_and_says_which_is_wrong_or_missing() {
    let dir = tempfile::tempdir().unwrap();
    let config = passphrase_pc(dir.path(), "correct horse");
    let now = at("2026-11-04T03:30:00Z");

    let station = Station::launch_with_passphrase(&config, Some(secret("correct horse")), now).unwrap();
    assert_eq!(
        station.status(now).source,
        SourceKind::Snapshot,
        "the right passphrase opens the snapshot"
    );

    let wrong = Station::launch_with_passphrase(&config, Some(secret("correct h0rse")), now).unwrap_err();
    assert_eq!(
        wrong.to_api().code,
        ErrorCode::WrongPassphrase,
        "the window tells a wrong passphrase apart, to ask again: {wrong}"
    );
    let none = Station::launch_with_passphrase(&config, None, now).unwrap_err();
    let api = none.to_api();
    assert_eq!(
        api.code,
        ErrorCode::PassphraseNeeded,
        "no passphrase: the window asks for one: {none}"
    );
    assert!(
        api.message.contains("protected by a passphrase") && !api.message.contains("--passphrase-file"),
        "the window's words, not the command line's: {}",
        api.message
    );
    assert_eq!(
        Station::launch(&config, now).unwrap_err().to_api().code,
        ErrorCode::PassphraseNeeded,
        "launch without a passphrase file is launch_with_passphrase without one"
    );
}

#[test]
fn a_window_without_a_passphrase_file_asks_and_counts_the_wrong_tries_until_the_right_one() {
    let dir = tempfile::tempdir().unwrap();
    let config = passphrase_pc(dir.path(), "correct horse");
    let now = at("2026-11-04T03:30:00Z");

    let lamplight_station::Opening::NeedsPassphrase(mut unlock) = Station::open_or_ask(&config, now).unwrap()
    else {
        panic!("a protected identity with no passphrase file must be asked for, not opened or failed");
    };
    for n in 1..=lamplight_station::unlock::FREE_TRIES {
        let err = unlock
            .attempt(secret("guess"), now)
            .expect_err("a wrong passphrase must not open the station");
        assert!(
            matches!(err, StationError::WrongPassphrase { failures, .. } if failures == n),
            "{err}"
        );
        let api = err.to_api();
        assert_eq!(api.code, ErrorCode::WrongPassphrase);
        assert!(
            !api.message.contains("guess"),
            "never echo the passphrase: {}",
            api.message
        );
        let expected_wait = (n == lamplight_station::unlock::FREE_TRIES).then_some(5);
        assert_eq!(
            api.retry_after_seconds, expected_wait,
            "the wait starts after {n} tries"
        );
    }
    assert!(
        !unlock.wait_left().is_zero(),
        "after the free tries, the next one must wait"
    );
    assert_eq!(unlock.failures(), lamplight_station::unlock::FREE_TRIES);

    // A passphrase file that is wrong is IT's to fix: an error, not a prompt.
    let mut with_file = config.clone();
    let file = dir.path().join("passphrase");
    std::fs::write(&file, "not it\n").unwrap();
    with_file.passphrase_file = Some(file);
    let err = Station::open_or_ask(&with_file, now).expect_err("a wrong passphrase file must not open");
    assert_eq!(err.to_api().code, ErrorCode::WrongPassphrase);

    let mut fresh = match Station::open_or_ask(&config, now).unwrap() {
        lamplight_station::Opening::NeedsPassphrase(u) => u,
        lamplight_station::Opening::Open(_) => panic!("still locked"),
    };
    assert!(fresh.attempt(secret("nope"), now).is_err());
    let station = fresh
        .attempt(secret("correct horse"), now)
        .expect("the right passphrase after a wrong one opens the station");
    assert_eq!(station.status(now).source, SourceKind::Snapshot);
}

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

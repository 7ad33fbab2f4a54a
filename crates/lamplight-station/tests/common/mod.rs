//! One ward for the station's tests: a key, the demo ward staged in each PC's vault with a roster
//! (a nurse, a bed manager, IT), and a ward folder the PCs share.

#![allow(dead_code)] // each test file uses its own part of this
#![allow(clippy::unwrap_used)] // test code: a panic with its location is the clearest failure

use std::path::PathBuf;

use chrono::{DateTime, TimeDelta, Utc};
use lamplight_demo::DemoOptions;
use lamplight_model::{OrderStatus, Role, Schedule, Site};
use lamplight_station::session::{NewAccount, NewSecret, Pin, PinCost, Roster};
use lamplight_station::{Station, StationConfig};
use lamplight_vault::{Identity, Vault};

/// A fixed moment for tests whose outcome depends on the ward's clock: 14:05 on a weekday, when the
/// demo ward (made ten minutes earlier) has its 14:00 doses due and nothing recorded for them. A test
/// on the wall clock would find no dose due at some hours of the day.
pub fn now() -> DateTime<Utc> {
    "2026-11-24T14:05:00Z".parse().unwrap()
}

pub const NURSE: (&str, &str) = ("Sam Jones", "4829");
pub const BED_MANAGER: (&str, &str) = ("Pat Okafor", "7314");
pub const IT: (&str, &str) = ("Lee Chan", "5160");

pub struct Ward {
    pub dir: tempfile::TempDir,
    pub key: PathBuf,
    pub identity: Identity,
    pub site: Site,
}

impl Ward {
    pub fn new(now: DateTime<Utc>) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let key = dir.path().join("ward.key");
        Identity::generate().write_new(&key, None, 10, "test").unwrap();
        let identity = Identity::load(&key, None).unwrap();
        let site = lamplight_demo::site(&DemoOptions::ward(now - TimeDelta::minutes(10)));
        std::fs::create_dir_all(dir.path().join("ward-folder")).unwrap();
        Self {
            dir,
            key,
            identity,
            site,
        }
    }

    /// A PC of the demo ward, WD7.
    pub fn pc(&self, name: &str) -> Station {
        self.pc_of(name, "WD7")
    }

    /// The first active regular order on the ward: its patient and order.
    pub fn first_regular(&self) -> (String, String) {
        let o = self
            .site
            .orders
            .iter()
            .find(|o| o.status == OrderStatus::Active && matches!(o.schedule, Schedule::Regular { .. }))
            .unwrap();
        (o.patient_id.clone(), o.id.clone())
    }

    /// A PC of `ward` (`WD7`), with the ward's roster, sharing the ward folder.
    pub fn pc_of(&self, name: &str, ward: &str) -> Station {
        let mut site = self.site.clone();
        // Another ward's PC: the same demo ward under another code stands in for it.
        ward.clone_into(&mut site.wards[0].code);
        let vault = Vault::new(self.dir.path().join(name));
        if vault.generations().unwrap().is_empty() {
            vault
                .stage(&site, "test", &[self.identity.recipient()], Utc::now())
                .unwrap();
            let mut roster = Roster::new();
            for ((who, pin), role) in [
                (NURSE, Role::Nurse),
                (BED_MANAGER, Role::BedManager),
                (IT, Role::It),
            ] {
                roster
                    .add(
                        NewAccount {
                            full_name: who.into(),
                            role,
                            wards: vec![ward.into()],
                            secret: NewSecret::Pin(Pin::new(pin)),
                        },
                        PinCost::FOR_TESTS,
                        Utc::now(),
                    )
                    .unwrap();
            }
            roster.save(&vault, &[self.identity.recipient()]).unwrap();
        }
        let config = StationConfig {
            vault: Some(vault.dir().to_owned()),
            identity: Some(self.key.clone()),
            pc: name.to_owned(),
            wards: vec![ward.to_owned()],
            ward_folder: Some(self.dir.path().join("ward-folder")),
            ..StationConfig::default()
        };
        Station::launch(&config, Utc::now()).unwrap()
    }

    /// A regular dose due in the last two hours with nothing recorded for it, of a medicine that
    /// needs no second checker: its patient, order, and due time as the form types it.
    pub fn due_dose(&self, now: DateTime<Utc>) -> (String, String, DateTime<Utc>) {
        for o in &self.site.orders {
            if o.status != OrderStatus::Active
                || !matches!(o.schedule, Schedule::Regular { .. })
                || lamplight_model::medication::second_check_reason(o).is_some()
            {
                continue;
            }
            for due in o.due_between(now - TimeDelta::hours(2), now) {
                if o.covering(due, &self.site.administrations).is_none() {
                    return (o.patient_id.clone(), o.id.clone(), due);
                }
            }
        }
        panic!("the demo ward has a dose due now with nothing recorded")
    }
}

/// The text of a PDF, whitespace collapsed (poppler's `pdftotext`).
pub fn pdf_text(bytes: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("doc.pdf");
    std::fs::write(&path, bytes).unwrap();
    let out = std::process::Command::new("pdftotext")
        .args(["-raw", "-enc", "UTF-8"])
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is installed by packaging/install-deps.sh --test");
    assert!(out.status.success());
    String::from_utf8(out.stdout)
        .unwrap()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

//! Promise 1 with downtime entries: after two PCs of a ward record entries of every kind and share
//! them through the ward folder, no patient's name, NHS number (with or without spaces) or date of
//! birth is readable in any byte of any file in either vault, the ward folder or the temp folder
//! the commands ran with. A control first shows the scan finds a name written in plain text.

#![allow(clippy::unwrap_used)] // test code: a panic with its location is the clearest failure

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use chrono::Utc;
use lamplight_model::entry::EntryKind;
use lamplight_model::{OmissionReason, Role};
use lamplight_station::session::Actor;
use lamplight_station::{Station, StationConfig};

struct Scene {
    dir: tempfile::TempDir,
}

impl Scene {
    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn s(&self, name: &str) -> String {
        self.path(name).to_string_lossy().into_owned()
    }

    /// A command with `TMPDIR` pointed at this scene's private temp folder.
    fn run(&self, args: &[&str]) -> Output {
        let o = Command::new(env!("CARGO_BIN_EXE_lamplight"))
            .args(args)
            .env("TMPDIR", self.path("tmp"))
            .output()
            .unwrap();
        assert!(
            o.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        o
    }

    fn station(&self, pc: &str) -> Station {
        let config = StationConfig {
            vault: Some(self.path(&format!("vault-{pc}"))),
            identity: Some(self.path("ward.key")),
            pc: pc.to_owned(),
            ward_folder: Some(self.path("ward-folder")),
            ..StationConfig::default()
        };
        Station::launch(&config, Utc::now()).unwrap()
    }
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(files_under(&p));
        } else {
            out.push(p);
        }
    }
    out
}

/// Every (file, needle) where the needle's bytes occur in the file.
fn scan(roots: &[PathBuf], needles: &BTreeSet<String>) -> Vec<(PathBuf, String)> {
    let mut found = Vec::new();
    for f in roots.iter().flat_map(|r| files_under(r)) {
        let bytes = std::fs::read(&f).unwrap();
        for n in needles {
            if bytes.windows(n.len()).any(|w| w == n.as_bytes()) {
                found.push((f.clone(), n.clone()));
            }
        }
    }
    found
}

/// What a tool records for a named person on PC2: the kinds the seeds may not have made, and a
/// correction (entered in error). These run in this test's process, whose temp folder is not the
/// scene's; the files they write are in the vault and the ward folder, which are scanned.
fn record_the_other_kinds(scene: &Scene) {
    let pc2 = scene.station("WD7-PC2");
    pc2.check_vault(Utc::now());
    let nurse = Actor {
        session_id: "test".into(),
        account_id: None,
        full_name: "Test Nurse".into(),
        role: Role::Nurse,
        emergency_reason: None,
    };
    let data = pc2.data();
    let order = data
        .site()
        .orders
        .iter()
        .find(|o| {
            data.site()
                .admissions
                .iter()
                .any(|a| a.patient_id == o.patient_id)
        })
        .unwrap()
        .clone();
    let now = Utc::now();
    let not_given = pc2
        .record_as(
            &nurse,
            EntryKind::DoseNotGiven {
                patient_id: order.patient_id.clone(),
                order_id: order.id.clone(),
                due_at: now,
                reason: OmissionReason::Refused,
                note: None,
            },
            None,
            now,
        )
        .unwrap();
    pc2.record_as(
        &nurse,
        EntryKind::PhonedResult {
            patient_id: order.patient_id.clone(),
            test: "Potassium".into(),
            value: "6.1 mmol/L".into(),
            caller: "Biochemistry lab".into(),
            read_back: true,
        },
        None,
        now,
    )
    .unwrap();
    pc2.record_as(
        &nurse,
        EntryKind::EnteredInError {
            reason: "wrong patient".into(),
        },
        Some(&not_given.id),
        now,
    )
    .unwrap();
    drop(pc2);
}

/// Every patient's family and given names (four letters or more), NHS number with and without
/// spaces, and date of birth as a machine and as paper write it.
fn needles(site: &lamplight_model::Site) -> BTreeSet<String> {
    let mut needles = BTreeSet::new();
    for p in &site.patients {
        needles.insert(p.name.family.clone());
        needles.extend(p.name.given.iter().cloned());
        if let Some(n) = &p.nhs_number {
            needles.insert(n.digits());
            needles.insert(n.to_string());
        }
        if let Some(d) = p.birth_date {
            needles.insert(d.format("%Y-%m-%d").to_string());
            needles.insert(d.format("%d/%m/%Y").to_string());
        }
    }
    // Three-letter names would meet random ciphertext by chance; four letters or more do not.
    needles.retain(|n| n.len() >= 4);
    needles
}

/// PC2 read PC1's entries before recording its own, so no due dose was recorded on both.
fn assert_no_double_doses(pc: &Station) {
    let doubles: Vec<String> = pc
        .status(Utc::now())
        .warnings
        .into_iter()
        .filter(|w| w.contains("DOUBLE DOSE"))
        .collect();
    assert!(doubles.is_empty(), "{doubles:?}");
}

#[test]
#[allow(
    clippy::too_many_lines,
    reason = "one story read top to bottom: two PCs, every kind of entry, then the scan"
)]
fn no_patient_name_nhs_number_or_birth_date_is_readable_in_the_vaults_the_ward_folder_or_temp_after_entries_of_every_kind()
 {
    let scene = Scene {
        dir: tempfile::tempdir().unwrap(),
    };
    for d in ["tmp", "ward-folder"] {
        std::fs::create_dir_all(scene.path(d)).unwrap();
    }
    let (site, key) = (scene.s("site.json"), scene.s("ward.key"));
    scene.run(&[
        "demo",
        "--beds",
        "28",
        "--seed",
        "4",
        "--out",
        &site,
        "--at",
        &snapshot_time(),
    ]);
    let recipient = String::from_utf8(scene.run(&["keygen", "--out", &key]).stdout)
        .unwrap()
        .trim()
        .to_owned();
    // Two PCs of one ward, each with its own vault of the same snapshot, sharing one ward folder.
    let mut kinds = BTreeSet::new();
    for (pc, seed) in [("WD7-PC1", "11"), ("WD7-PC2", "12")] {
        let vault = scene.s(&format!("vault-{pc}"));
        scene.run(&[
            "stage",
            "--from",
            &site,
            "--recipient",
            &recipient,
            "--vault",
            &vault,
        ]);
        let o = scene.run(&[
            "demo-entries",
            "--vault",
            &vault,
            "--identity",
            &key,
            "--count",
            "150",
            "--seed",
            seed,
            "--pc",
            pc,
            "--ward-folder",
            &scene.s("ward-folder"),
        ]);
        for l in String::from_utf8(o.stdout).unwrap().lines() {
            kinds.insert(l.split(' ').nth(1).unwrap().to_owned());
        }
    }

    record_the_other_kinds(&scene);
    for k in [
        "dose-given",
        "observations",
        "note",
        "admission",
        "transfer",
        "discharge",
    ] {
        assert!(kinds.contains(k), "demo-entries made no {k}: {kinds:?}");
    }

    // Every PC sees the ward's entries; the names to look for include those admitted in downtime.
    let pc1 = scene.station("WD7-PC1");
    pc1.check_vault(Utc::now());
    let pcs: BTreeSet<String> = pc1.data().entries().iter().map(|e| e.pc.clone()).collect();
    assert_eq!(
        pcs,
        BTreeSet::from(["WD7-PC1".to_owned(), "WD7-PC2".to_owned()]),
        "both PCs' entries are shared"
    );
    assert_no_double_doses(&pc1);
    let site_now = pc1.data().site().clone();
    drop(pc1);
    let admitted = site_now
        .patients
        .iter()
        .filter(|p| p.id.starts_with("DT-"))
        .count();
    assert_eq!(admitted, 2, "one admission on each PC");
    let needles = needles(&site_now);
    assert!(needles.len() > 80, "the search needs real patients to look for");

    let roots = [
        scene.path("vault-WD7-PC1"),
        scene.path("vault-WD7-PC2"),
        scene.path("ward-folder"),
        scene.path("tmp"),
    ];
    for r in &roots[..3] {
        assert!(!files_under(r).is_empty(), "{} holds files", r.display());
    }
    assert!(
        files_under(&scene.path("ward-folder"))
            .iter()
            .any(|f| f.extension().is_some_and(|e| e == "llrec")),
        "records were shared"
    );

    // The control: a name written in plain text is found, so the scan can fail.
    let family = site_now.patients[0].name.family.clone();
    let control = scene.path("tmp/control.txt");
    std::fs::write(&control, format!("handover: {family}\n")).unwrap();
    assert!(
        scan(&roots, &needles)
            .iter()
            .any(|(f, n)| *f == control && *n == family),
        "the scan finds a name in plain text"
    );
    std::fs::remove_file(&control).unwrap();

    let found = scan(&roots, &needles);
    assert!(found.is_empty(), "patient data at rest unencrypted: {found:?}");
}

/// Ten hours ago, as `lamplight demo --at` takes it: an outage longer than the night's gap between
/// medicine rounds, so doses have fallen due since, whatever the hour the test runs at.
fn snapshot_time() -> String {
    (chrono::Utc::now() - chrono::TimeDelta::hours(10))
        .format("%Y-%m-%dT%H:%M:00Z")
        .to_string()
}

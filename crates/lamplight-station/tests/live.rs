//! The live station as a ward PC runs it: following its vault, keeping its mode across restarts,
//! announcing and entering a planned downtime, and noticing when the EPR stops answering and when it
//! comes back. Real vault files, real keys, and a real FHIR server that is really stopped.

#![allow(clippy::unwrap_used)] // test code: a panic with its location is the clearest failure

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, TimeDelta, Utc};
use lamplight_demo::DemoOptions;
use lamplight_fhir::test_server::{FhirServer, namespaced, put_all, resource};
use lamplight_model::{Mode, ModeAction, ModeCause, PlannedDowntime, Site};
use lamplight_station::{
    EprSettings, EprState, HealthPolicy, ModeRequest, RefreshPolicy, Station, StationConfig, mode,
};
use lamplight_vault::{Identity, Vault};

struct Pc {
    dir: tempfile::TempDir,
    key: PathBuf,
    identity: Identity,
}

impl Pc {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let key = dir.path().join("ward.key");
        Identity::generate().write_new(&key, None, 10, "test").unwrap();
        let identity = Identity::load(&key, None).unwrap();
        Self { dir, key, identity }
    }

    fn vault_dir(&self) -> PathBuf {
        self.dir.path().join("vault")
    }

    fn stage(&self, site: &Site) -> u64 {
        Vault::new(self.vault_dir())
            .stage(site, "test", &[self.identity.recipient()], Utc::now())
            .unwrap()
            .header
            .generation
    }

    fn config(&self) -> StationConfig {
        StationConfig {
            vault: Some(self.vault_dir()),
            identity: Some(self.key.clone()),
            ..StationConfig::default()
        }
    }

    fn launch(&self) -> Station {
        Station::launch(&self.config(), Utc::now()).unwrap()
    }
}

fn ward(at: DateTime<Utc>, seed: u64) -> Site {
    lamplight_demo::site(&DemoOptions { beds: 28, seed, at })
}

fn request(action: ModeAction, by: &str, reason: &str) -> ModeRequest {
    ModeRequest {
        action,
        by: by.into(),
        reason: reason.into(),
    }
}

fn newest_file(dir: &Path) -> PathBuf {
    let mut files: Vec<_> = std::fs::read_dir(dir.join("snapshots"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files.pop().unwrap()
}

#[test]
fn a_newer_generation_is_followed_and_one_that_does_not_open_never_replaces_the_one_on_screen() {
    let pc = Pc::new();
    let now = Utc::now();
    pc.stage(&ward(now - TimeDelta::minutes(30), 1));
    let station = pc.launch();
    assert_eq!(station.data().generation(), Some(1));
    assert!(!station.check_vault(now), "nothing new: nothing changes");
    let before = station.revision();

    pc.stage(&ward(now - TimeDelta::minutes(1), 2));
    assert!(station.check_vault(now), "generation 2 landed");
    assert_eq!(station.data().generation(), Some(2));
    assert!(station.revision() > before, "screens are told to redraw");
    let status = station.status(now);
    assert!(
        status
            .updated_text
            .as_deref()
            .is_some_and(|t| t.contains("generation 2")),
        "the banner says it changed: {:?}",
        status.updated_text
    );

    // Generation 3 is damaged on disk: the window keeps generation 2 and says why.
    pc.stage(&ward(now, 3));
    let damaged = newest_file(&pc.vault_dir());
    let mut bytes = std::fs::read(&damaged).unwrap();
    let last = bytes.len() - 10;
    bytes[last] ^= 0x55;
    std::fs::write(&damaged, bytes).unwrap();
    assert!(station.check_vault(now));
    assert_eq!(
        station.data().generation(),
        Some(2),
        "a newer generation that does not open never replaces the one on screen"
    );
    let warnings = station.status(now).warnings;
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("generation 3") && w.contains("could not be opened")),
        "every screen says the newer generation failed: {warnings:?}"
    );
    assert!(
        !station.check_vault(now),
        "a generation that failed is not decrypted again on every check"
    );

    pc.stage(&ward(now, 4));
    assert!(station.check_vault(now));
    assert_eq!(station.data().generation(), Some(4));
    assert!(
        !station
            .status(now)
            .warnings
            .iter()
            .any(|w| w.contains("generation 3")),
        "once a newer good generation is shown, the older failure is no longer news"
    );
}

#[test]
fn a_vault_folder_that_vanishes_is_said_on_every_screen_and_the_data_shown_stays() {
    let pc = Pc::new();
    let now = Utc::now();
    pc.stage(&ward(now, 1));
    let station = pc.launch();
    let away = pc.dir.path().join("vault-away");
    std::fs::rename(pc.vault_dir(), &away).unwrap();
    assert!(station.check_vault(now));
    let status = station.status(now);
    assert!(
        status
            .warnings
            .iter()
            .any(|w| w.contains("cannot read its vault folder")),
        "{:?}",
        status.warnings
    );
    assert_eq!(station.data().generation(), Some(1), "what was shown stays shown");
    assert!(!station.board("WD7", now).unwrap().rows.is_empty());
    std::fs::rename(&away, pc.vault_dir()).unwrap();
    assert!(station.check_vault(now));
    assert!(
        !station
            .status(now)
            .warnings
            .iter()
            .any(|w| w.contains("vault folder")),
        "the warning clears when the folder is back"
    );
}

#[test]
fn downtime_entries_reach_the_screen_and_the_paper_and_stay_over_a_newer_generation() {
    let pc = Pc::new();
    let now = Utc::now();
    let site = ward(now - TimeDelta::minutes(20), 1);
    pc.stage(&site);
    let station = pc.launch();
    let order = site
        .orders
        .iter()
        .find(|o| o.status == lamplight_model::OrderStatus::Active)
        .unwrap();
    let given = lamplight_model::Entry {
        id: "0b6f6a8e-6f2e-4c55-9c1d-2f1f3c1a9e01".into(),
        recorded_at: now,
        recorded_by: "J Smith".into(),
        pc: "WD7-PC1".into(),
        drill: false,
        corrects: None,
        kind: lamplight_model::EntryKind::DoseGiven {
            patient_id: order.patient_id.clone(),
            order_id: order.id.clone(),
            given_at: now,
            dose: order.dose.text.clone(),
            given_by: "J Smith".into(),
            checked_by: None,
            due_at: None,
        },
    };
    let before = station.revision();
    station.show_entries(vec![given]);
    assert!(station.revision() > before, "screens redraw");
    let says = |station: &Station| {
        station
            .patient(&order.patient_id, now)
            .unwrap()
            .medicines
            .iter()
            .find(|m| m.order_id == order.id)
            .and_then(|m| m.last_administration_text.clone())
            .unwrap_or_default()
    };
    assert!(
        says(&station).ends_with("by J Smith, downtime entry"),
        "the patient view says the dose was given in downtime: {}",
        says(&station)
    );
    let docs = station
        .print_documents(
            lamplight_station::PrintDocument::DrugChart,
            &lamplight_station::PrintOptions {
                patient: Some(order.patient_id.clone()),
                printed_by: "test".into(),
                ..Default::default()
            },
            now,
        )
        .unwrap();
    let paper = format!("{docs:?}");
    assert!(
        paper.contains("downtime entry"),
        "the printed drug chart shows it too"
    );

    pc.stage(&ward(now, 1));
    assert!(station.check_vault(now));
    assert_eq!(station.data().generation(), Some(2));
    assert!(
        says(&station).ends_with("downtime entry"),
        "a newer snapshot does not wash the downtime record away"
    );
}

#[test]
fn the_mode_is_sealed_in_the_vault_and_a_restart_resumes_it() {
    let pc = Pc::new();
    let now = Utc::now();
    pc.stage(&ward(now, 1));
    let station = pc.launch();
    assert_eq!(station.mode().mode, Mode::Normal);
    let status = station
        .change_mode(
            &request(ModeAction::DeclareDowntime, "Sam Okafor", "EPR not answering"),
            now,
        )
        .unwrap();
    assert_eq!(status.mode.mode, Mode::Downtime);
    drop(station);

    let restarted = pc.launch();
    assert_eq!(
        restarted.mode().mode,
        Mode::Downtime,
        "a restart resumes downtime"
    );
    let detail = restarted.status(now).mode.detail.unwrap();
    assert!(
        detail.contains("Sam Okafor") && detail.contains("EPR not answering"),
        "{detail}"
    );
    let file = pc.vault_dir().join("state/mode.age");
    let on_disk = std::fs::read(file).unwrap();
    assert!(
        !on_disk.windows(6).any(|w| w == b"Okafor"),
        "the mode names staff, so it is sealed at rest"
    );
}

#[test]
fn a_mode_set_elsewhere_reaches_the_open_station_and_a_refused_change_changes_nothing() {
    let pc = Pc::new();
    let now = Utc::now();
    pc.stage(&ward(now, 1));
    let window = pc.launch();
    let cli = pc.launch();
    cli.change_mode(
        &request(ModeAction::DeclareDowntime, "IT on call", "cyber incident"),
        now,
    )
    .unwrap();
    assert!(
        window.check_vault(now),
        "the window notices the mode file changed"
    );
    assert_eq!(window.mode().mode, Mode::Downtime);

    let err = window
        .change_mode(&request(ModeAction::ReturnToNormal, "Sam", ""), now)
        .unwrap_err();
    assert_eq!(
        err.to_api().code,
        lamplight_station::ErrorCode::InvalidRequest,
        "{err}"
    );
    assert_eq!(
        window.mode().mode,
        Mode::Downtime,
        "a refused change changes nothing"
    );
    let err = window
        .change_mode(&request(ModeAction::StartRecovery, " ", ""), now)
        .unwrap_err();
    assert!(err.to_string().contains("say who"), "{err}");
}

#[test]
fn a_mode_that_cannot_be_saved_is_not_taken() {
    let pc = Pc::new();
    let now = Utc::now();
    pc.stage(&ward(now, 1));
    let station = pc.launch();
    // The state folder's place is taken by a file: nothing can be written there.
    std::fs::write(pc.vault_dir().join("state"), b"in the way").unwrap();
    let err = station
        .change_mode(&request(ModeAction::DeclareDowntime, "Sam", "EPR down"), now)
        .unwrap_err();
    assert_eq!(err.to_api().code, lamplight_station::ErrorCode::NotSaved, "{err}");
    assert_eq!(
        station.mode().mode,
        Mode::Normal,
        "a mode the PC could not make durable is not shown as taken"
    );
}

#[test]
fn a_planned_downtime_is_announced_its_final_snapshot_is_due_and_it_starts_on_time() {
    let pc = Pc::new();
    let now = Utc::now();
    pc.stage(&ward(now, 1));
    let from = now + TimeDelta::hours(2);
    let to = from + TimeDelta::hours(2);
    let plan = PlannedDowntime::new("plan-1", from, to, "EPR maintenance", "it-ops", now).unwrap();
    mode::write_plan(&Vault::new(pc.vault_dir()), &plan).unwrap();
    let station = pc.launch();

    let planned = station.status(now).planned.unwrap();
    assert_eq!(planned.text, plan.announcement());
    assert!(planned.text.contains("final snapshot at"), "{}", planned.text);
    assert_eq!(station.tick(now), None, "no final snapshot two hours ahead");
    assert_eq!(
        station.tick(from - TimeDelta::minutes(4)),
        Some(plan.clone()),
        "the final snapshot is due five minutes before"
    );
    assert_eq!(station.mode().mode, Mode::Normal, "not before the window");

    station.tick(from + TimeDelta::minutes(1));
    let mode = station.mode();
    assert_eq!(
        mode.mode,
        Mode::Downtime,
        "the PC enters the planned downtime at its start"
    );
    assert_eq!(mode.cause, ModeCause::Scheduled);
    assert!(station.status(from).planned.unwrap().under_way);

    let after = to + TimeDelta::minutes(1);
    station.tick(after);
    let offer = station.status(after).mode.recovery_offer;
    assert!(
        offer
            .as_deref()
            .is_some_and(|o| o.contains("planned downtime ended")),
        "when the window is over, recovery is offered: {offer:?}"
    );
    assert_eq!(
        station.mode().mode,
        Mode::Downtime,
        "offered, never switched silently"
    );
}

#[test]
fn a_person_who_ends_a_planned_downtime_early_is_not_overruled() {
    let pc = Pc::new();
    let now = Utc::now();
    pc.stage(&ward(now, 1));
    let from = now - TimeDelta::minutes(30);
    let plan = PlannedDowntime::new(
        "plan-2",
        from,
        now + TimeDelta::hours(1),
        "EPR upgrade",
        "it",
        from - TimeDelta::days(1),
    )
    .unwrap();
    mode::write_plan(&Vault::new(pc.vault_dir()), &plan).unwrap();
    let station = pc.launch();
    station.tick(now);
    assert_eq!(station.mode().mode, Mode::Downtime);
    station
        .change_mode(&request(ModeAction::StartRecovery, "Sam", ""), now)
        .unwrap();
    station
        .change_mode(&request(ModeAction::ReturnToNormal, "Sam", ""), now)
        .unwrap();
    station.tick(now + TimeDelta::minutes(1));
    assert_eq!(
        station.mode().mode,
        Mode::Normal,
        "the EPR came back early and a person said so: the schedule does not put the PC back"
    );
}

fn wait_for(what: &str, limit: Duration, mut done: impl FnMut() -> bool) -> Duration {
    let started = Instant::now();
    while !done() {
        assert!(
            started.elapsed() < limit,
            "gave up waiting for {what} after {limit:?}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    started.elapsed()
}

#[test]
fn when_the_epr_stops_downtime_is_proposed_a_person_confirms_it_and_its_return_is_announced() {
    let server = FhirServer::start();
    let pc = Pc::new();
    pc.stage(&ward(Utc::now(), 1));
    let config = StationConfig {
        epr: Some(EprSettings::new(&server.url)),
        refresh: None,
        health: HealthPolicy {
            every: Duration::from_millis(500),
            timeout: Duration::from_secs(1),
            slow_after: Duration::from_secs(2),
            propose_after: Duration::from_secs(2),
        },
        ..pc.config()
    };
    let station = Arc::new(Station::launch(&config, Utc::now()).unwrap());
    let background = station.start();
    wait_for("the EPR to be seen answering", Duration::from_secs(20), || {
        station.status(Utc::now()).epr.state == EprState::Answering
    });

    server.stop();
    wait_for("the EPR to be seen down", Duration::from_secs(20), || {
        station.status(Utc::now()).epr.state == EprState::NotAnswering
    });
    let text = station.status(Utc::now()).epr.text;
    assert!(text.starts_with("EPR not answering since "), "{text}");
    wait_for("downtime to be proposed", Duration::from_secs(20), || {
        station.status(Utc::now()).mode.proposal.is_some()
    });
    let status = station.status(Utc::now());
    assert_eq!(
        status.mode.mode,
        Mode::Normal,
        "proposed, never switched silently"
    );
    assert_eq!(status.mode.actions[0].label, "Confirm downtime");
    assert!(status.mode.actions[0].suggested);
    station
        .change_mode(
            &request(ModeAction::DeclareDowntime, "Sam Okafor", "EPR not answering"),
            Utc::now(),
        )
        .unwrap();
    assert_eq!(station.mode().cause, ModeCause::ProposalConfirmed);

    server.restart();
    wait_for(
        "the EPR's return to be announced",
        Duration::from_secs(30),
        || station.status(Utc::now()).mode.recovery_offer.is_some(),
    );
    let status = station.status(Utc::now());
    assert_eq!(
        status.mode.mode,
        Mode::Downtime,
        "recovery is offered, not started"
    );
    assert_eq!(status.epr.state, EprState::Answering);
    assert!(
        status
            .mode
            .actions
            .iter()
            .any(|a| a.action == ModeAction::StartRecovery && a.suggested)
    );
    background.stop();
}

#[test]
fn a_pc_that_pulls_for_itself_starts_empty_fills_from_the_epr_and_follows_its_changes() {
    let server = FhirServer::get();
    let site = namespaced(&ward(Utc::now() + TimeDelta::minutes(5), 31), "live-");
    put_all(
        &lamplight_fhir::Epr::new(lamplight_fhir::EprConfig::new(&server.url)).unwrap(),
        lamplight_fhir::export(&site)["entry"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["resource"].clone())
            .collect(),
    );
    let code = site.wards[0].code.clone();
    let pc = Pc::new();
    let config = StationConfig {
        wards: vec![code.clone()],
        epr: Some(EprSettings::new(&server.url)),
        refresh: Some(RefreshPolicy {
            every: Duration::from_secs(1),
            full_every: TimeDelta::hours(1),
        }),
        ..pc.config()
    };
    let station = Arc::new(Station::launch(&config, Utc::now()).unwrap());
    let first = station.status(Utc::now());
    assert!(first.stale && first.stamp == "no ward data yet", "{first:?}");
    let background = station.start();
    wait_for("the first pull to be shown", Duration::from_secs(60), || {
        station.data().generation().is_some()
    });
    let board = station.board(&code, Utc::now()).unwrap();
    assert_eq!(
        board.rows.iter().filter(|r| r.patient.is_some()).count(),
        site.admissions.len(),
        "the board holds the ward the EPR holds"
    );

    // A change on the EPR reaches the board without a restart.
    let patient = &site.patients[0];
    let mut changed = resource(&site, &format!("Patient/{}", patient.id));
    changed["name"][0]["family"] = serde_json::json!("Renamedforthetest");
    put_all(
        &lamplight_fhir::Epr::new(lamplight_fhir::EprConfig::new(&server.url)).unwrap(),
        vec![changed],
    );
    wait_for("the change to reach the board", Duration::from_secs(30), || {
        station
            .board(&code, Utc::now())
            .unwrap()
            .rows
            .iter()
            .filter_map(|r| r.patient.as_ref())
            .any(|p| p.name.starts_with("RENAMEDFORTHETEST"))
    });
    background.stop();
}

/// A PC told to trust IT's staging key shows only what it signed: at start, and when it follows
/// the vault. A planted generation (sealed to the PC's public recipient, unsigned) is never shown,
/// and every screen says why the newer one was passed over.
#[test]
fn a_pc_that_trusts_the_staging_key_never_shows_an_unsigned_generation_at_start_or_when_following() {
    use lamplight_vault::SigningKey;
    let pc = Pc::new();
    let key_path = pc.dir.path().join("staging.key");
    SigningKey::generate()
        .unwrap()
        .write_new(&key_path, "test")
        .unwrap();
    let key = SigningKey::load(&key_path).unwrap();
    let trusted = key.public();
    let now = Utc::now();
    let signed = |site: &Site| {
        Vault::new(pc.vault_dir())
            .sign_with(SigningKey::load(&key_path).unwrap())
            .stage(site, "IT", &[pc.identity.recipient()], Utc::now())
            .unwrap()
            .header
            .generation
    };
    let config = StationConfig {
        trust: Some(vec![trusted.clone()]),
        ..pc.config()
    };
    // Only a planted generation: nothing to show, and the reason is said.
    pc.stage(&ward(now, 1));
    let refused = Station::launch(&config, now).unwrap_err();
    assert!(
        refused.to_string().contains("not signed by a staging key"),
        "{refused}"
    );
    // IT's signed generation opens; a planted one after it is passed over, saying why.
    let good = signed(&ward(now, 2));
    let station = Station::launch(&config, now).unwrap();
    assert_eq!(station.status(now).generation, Some(good));
    pc.stage(&ward(now, 3));
    station.check_vault(now);
    let status = station.status(now);
    assert_eq!(
        status.generation,
        Some(good),
        "the planted generation is not followed"
    );
    assert!(
        status
            .warnings
            .iter()
            .any(|w| w.contains("not signed by a staging key")),
        "{:?}",
        status.warnings
    );
    // The next signed generation is followed as ever.
    let next = signed(&ward(now, 4));
    station.check_vault(now);
    assert_eq!(station.status(now).generation, Some(next));

    // The app's own options: --trust takes the key or a file of keys; a PC that pulls from the EPR
    // and checks signatures must sign what it stages.
    let args = |list: &[&str]| list.iter().map(std::ffi::OsString::from).collect::<Vec<_>>();
    let trusted_text = trusted.to_string();
    let c = StationConfig::from_env_and_args(
        |_| None,
        args(&["--vault", "v", "--identity", "k", "--trust", &trusted_text]),
    )
    .unwrap();
    assert_eq!(c.trust, Some(vec![trusted.clone()]));
    let e = StationConfig::from_env_and_args(
        |_| None,
        args(&[
            "--vault",
            "v",
            "--identity",
            "k",
            "--trust",
            &trusted_text,
            "--epr",
            "http://127.0.0.1:1/fhir",
        ]),
    )
    .unwrap_err();
    assert!(e.to_string().contains("--sign-with"), "{e}");
    let e = StationConfig::from_env_and_args(
        |_| None,
        args(&[
            "--vault",
            "v",
            "--identity",
            "k",
            "--trust",
            key_path.to_str().unwrap(),
        ]),
    )
    .unwrap_err();
    assert!(e.to_string().contains("secret staging key"), "{e}");
}

/// Rosters and planned downtimes are IT's, like snapshots: a PC that trusts the staging key takes
/// a signed roster and plan, and refuses an unsigned one, saying why (an unsigned plan is a warning
/// on every screen, never a downtime entered; an unsigned roster signs nobody in by PIN).
#[test]
fn a_pc_that_trusts_the_staging_key_takes_only_a_signed_roster_and_signed_plans() {
    use lamplight_station::session::SignInRequest;
    use lamplight_station::session::roster::{NewAccount, NewSecret, Pin, PinCost, Roster};
    use lamplight_vault::SigningKey;
    let pc = Pc::new();
    let key_path = pc.dir.path().join("staging.key");
    SigningKey::generate()
        .unwrap()
        .write_new(&key_path, "test")
        .unwrap();
    let it = || Vault::new(pc.vault_dir()).sign_with(SigningKey::load(&key_path).unwrap());
    let now = Utc::now();
    it().stage(&ward(now, 1), "IT", &[pc.identity.recipient()], now)
        .unwrap();
    let roster = |signed: bool, pin: &str| {
        let mut r = Roster::new();
        r.add(
            NewAccount {
                full_name: "Sam Jones".into(),
                role: lamplight_model::Role::Nurse,
                wards: vec!["*".into()],
                secret: NewSecret::Pin(Pin::new(pin)),
            },
            PinCost::FOR_TESTS,
            now,
        )
        .unwrap();
        let v = if signed { it() } else { Vault::new(pc.vault_dir()) };
        r.save(&v, &[pc.identity.recipient()]).unwrap();
    };
    let config = StationConfig {
        trust: Some(vec![SigningKey::load(&key_path).unwrap().public()]),
        ..pc.config()
    };
    let sign_in = |s: &Station, pin: &str| {
        s.sign_in(
            &SignInRequest {
                name: "Sam Jones".into(),
                pin: pin.into(),
            },
            Utc::now(),
        )
    };
    roster(true, "4829");
    let station = Station::launch(&config, now).unwrap();
    sign_in(&station, "4829").unwrap();
    drop(station);
    // Someone replaces it with their own roster (sealed to the PC's public recipient, unsigned).
    roster(false, "7391");
    let station = Station::launch(&config, now).unwrap();
    let refused = sign_in(&station, "7391").unwrap_err();
    assert!(
        refused.to_string().contains("not signed by a staging key"),
        "{refused}"
    );

    // Plans: IT's signed one is announced; a planted one is a warning, never a downtime.
    let plan = |id: &str, signed: bool| {
        let p = PlannedDowntime::new(
            id.to_owned(),
            now + TimeDelta::hours(2),
            now + TimeDelta::hours(3),
            "EPR upgrade",
            "IT",
            now,
        )
        .unwrap();
        let v = if signed { it() } else { Vault::new(pc.vault_dir()) };
        mode::write_plan(&v, &p).unwrap();
    };
    plan("plan-it", true);
    plan("plan-planted", false);
    let station = Station::launch(&config, now).unwrap();
    let status = station.status(now);
    let planned = status.planned.expect("IT's plan is announced");
    assert!(planned.text.contains("EPR upgrade"), "{planned:?}");
    assert!(
        status
            .warnings
            .iter()
            .any(|w| w.contains("plan-planted") && w.contains("not signed by a staging key")),
        "{:?}",
        status.warnings
    );
}

/// A PC that stages for itself and checks signatures must trust its own key, or it would refuse
/// everything it pulls: said at start, naming the fix.
#[test]
fn a_signing_key_the_pc_does_not_trust_is_refused_at_start() {
    use lamplight_vault::SigningKey;
    let pc = Pc::new();
    let now = Utc::now();
    let own = pc.dir.path().join("own.key");
    SigningKey::generate().unwrap().write_new(&own, "test").unwrap();
    let it = SigningKey::generate().unwrap();
    pc.stage(&ward(now, 1));
    let config = StationConfig {
        trust: Some(vec![it.public()]),
        signing_key: Some(own.clone()),
        ..pc.config()
    };
    let e = Station::launch(&config, now).unwrap_err();
    assert!(e.to_string().contains("not among --trust"), "{e}");
}

//! Sign-in at the station's API: each refusal of issue 10's "Done when" (wrong PIN, unknown user, an
//! expired session, a bed manager recording a dose), the lockout, the emergency sign-in, and the
//! roster sealed in a vault.

#![allow(clippy::unwrap_used)] // test code: a panic with its location is the clearest failure

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use lamplight_model::{Action, Role};
use lamplight_station::session::{
    EmergencySignIn, NewAccount, NewSecret, Pin, PinCost, Refusal, Roster, SessionPolicy, Sessions,
    SignInError,
};
use lamplight_vault::{Identity, Vault};

fn start() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 1, 14, 0, 0).unwrap()
}

fn account(name: &str, role: Role, wards: &[&str], pin: &str) -> NewAccount {
    NewAccount {
        full_name: name.into(),
        role,
        wards: wards.iter().map(|w| (*w).to_owned()).collect(),
        secret: NewSecret::Pin(Pin::new(pin)),
    }
}

fn roster() -> Roster {
    let mut r = Roster::new();
    for a in [
        account("Sam Jones", Role::Nurse, &["AMU"], "4829"),
        account("Pat Okafor", Role::BedManager, &["*"], "7314"),
        account("Ira Chen", Role::It, &["*"], "correct horse"),
        account("Lee Smith", Role::Nurse, &["W12"], "5092"),
    ] {
        r.add(a, PinCost::FOR_TESTS, start()).unwrap();
    }
    r
}

fn amu() -> Sessions {
    Sessions::new(Some(roster()), vec!["AMU".into()], SessionPolicy::default())
}

#[test]
fn a_nurse_signs_in_by_name_or_id_and_records_a_dose_attributed_to_her() {
    let mut desk = amu();
    let session = desk.sign_in("sam jones", &Pin::new("4829"), start()).unwrap();
    assert_eq!(session.actor().account_id.as_deref(), Some("sjones"));
    let actor = desk.require(Action::RecordClinical, start()).unwrap();
    assert_eq!(
        actor.full_name, "Sam Jones",
        "the entry is attributed to the person signed in"
    );
    assert_eq!(actor.role, Role::Nurse);
    assert!(!actor.is_emergency());
    desk.sign_out(start());
    assert!(
        desk.sign_in("SJONES", &Pin::new("4829"), start()).is_ok(),
        "the user id works too"
    );
}

#[test]
fn wrong_pin_and_unknown_user_are_refused_in_the_same_words_but_audited_apart() {
    let mut desk = amu();
    let wrong = desk.sign_in("Sam Jones", &Pin::new("4828"), start()).unwrap_err();
    let unknown = desk
        .sign_in("Nobody Here", &Pin::new("4829"), start())
        .unwrap_err();
    assert!(matches!(wrong, SignInError::WrongPin { .. }), "{wrong:?}");
    assert_eq!(unknown, SignInError::UnknownUser);
    assert_eq!(
        wrong.to_string(),
        unknown.to_string(),
        "the PC must not tell someone guessing which names exist"
    );
    assert_eq!(
        wrong.code(),
        unknown.code(),
        "nor may the window, which branches on the code"
    );
    assert_ne!(
        wrong.audit_code(),
        unknown.audit_code(),
        "the audit trail tells them apart"
    );
    for text in [wrong.to_string(), unknown.to_string()] {
        assert!(!text.contains("482"), "no PIN in an error text: {text}");
    }
    let shown = format!("{desk:?}");
    assert!(
        !shown.contains("nobody here") && !shown.contains("argon2"),
        "neither what was typed nor a PIN hash reaches a log line through Debug: {shown}"
    );
    let audit = desk.take_audit();
    let events: Vec<&str> = audit.iter().map(|e| e.event.as_str()).collect();
    assert_eq!(events, ["wrong-pin", "unknown-user"]);
    assert_eq!(audit[0].account_id.as_deref(), Some("sjones"));
    assert_eq!(
        audit[1].full_name, None,
        "what was typed for an unknown name is not kept"
    );
    assert!(
        desk.require(Action::RecordClinical, start()) == Err(Refusal::NotSignedIn),
        "nobody is signed in after refusals"
    );
}

#[test]
fn an_expired_session_is_refused_until_the_same_nurse_signs_in_again_and_resumes_it() {
    let mut desk = amu();
    let first = desk.sign_in("sjones", &Pin::new("4829"), start()).unwrap();
    let five = start() + TimeDelta::minutes(5);
    desk.require(Action::OpenRecord, five).unwrap();
    assert_eq!(first.locks_at(), start() + TimeDelta::minutes(10));
    let idle = five + TimeDelta::minutes(10);
    let refusal = desk.require(Action::RecordClinical, idle).unwrap_err();
    assert!(
        matches!(refusal, Refusal::Idle { minutes: 10, .. }),
        "{refusal:?}"
    );
    assert_eq!(
        refusal.to_string(),
        "signed out after 10 minutes idle (at 14:15): sign in again"
    );
    let view = desk.view(idle);
    assert!(
        view.signed_in.is_none(),
        "a locked session shows nobody signed in"
    );
    assert!(view.locked.unwrap().text.contains("Sam Jones, sign in again"));

    let back = desk.sign_in("sjones", &Pin::new("4829"), idle).unwrap();
    assert_eq!(
        back.id(),
        first.id(),
        "the same nurse resumes her session, and the window its place"
    );
    desk.require(Action::RecordClinical, idle).unwrap();

    let later = idle + TimeDelta::minutes(11);
    let other = desk.sign_in("Pat Okafor", &Pin::new("7314"), later).unwrap();
    assert_ne!(other.id(), first.id(), "another person gets a fresh session");
    let events: Vec<String> = desk.take_audit().into_iter().map(|e| e.event).collect();
    assert_eq!(
        events,
        [
            "signed-in",
            "refused-session-locked",
            "resumed",
            "ended-by-another",
            "signed-in"
        ]
    );
}

#[test]
fn a_bed_manager_cannot_record_a_dose_but_moves_patients_and_it_sees_no_record() {
    let mut desk = amu();
    desk.sign_in("Pat Okafor", &Pin::new("7314"), start()).unwrap();
    let refusal = desk.require(Action::RecordClinical, start()).unwrap_err();
    assert_eq!(
        refusal,
        Refusal::NotAllowed {
            role: Role::BedManager,
            action: Action::RecordClinical
        }
    );
    assert!(
        refusal
            .to_string()
            .starts_with("A bed manager cannot record a clinical entry (a dose"),
        "{refusal}"
    );
    desk.require(Action::RecordBedMove, start())
        .expect("a bed manager records transfers");
    let view = desk.view(start()).signed_in.unwrap();
    assert!(
        !view.may.contains(&Action::RecordClinical),
        "the window hides what the role cannot do"
    );

    desk.sign_in("Ira Chen", &Pin::new("correct horse"), start())
        .unwrap();
    assert!(matches!(
        desk.require(Action::OpenRecord, start()),
        Err(Refusal::NotAllowed { role: Role::It, .. })
    ));
    desk.require(Action::AdministerRoster, start()).unwrap();
}

#[test]
fn an_account_for_another_ward_is_refused_after_its_pin_is_checked() {
    let mut desk = amu();
    let e = desk.sign_in("Lee Smith", &Pin::new("5092"), start()).unwrap_err();
    assert!(matches!(e, SignInError::NotOnThisWard { .. }), "{e:?}");
    assert!(
        e.to_string().contains("(AMU)") && e.to_string().contains("(W12)"),
        "{e}"
    );
    let e = desk.sign_in("Lee Smith", &Pin::new("0000"), start()).unwrap_err();
    assert!(
        matches!(e, SignInError::WrongPin { .. }),
        "with a wrong PIN nothing is said about the account's wards"
    );
}

#[test]
fn repeated_failures_pause_sign_in_for_that_name_for_a_minute() {
    let mut desk = amu();
    for _ in 0..5 {
        assert!(desk.sign_in("sjones", &Pin::new("1111"), start()).is_err());
    }
    let paused = desk.sign_in("sjones", &Pin::new("4829"), start()).unwrap_err();
    assert!(
        matches!(paused, SignInError::TooManyAttempts { .. }),
        "even the right PIN waits out the pause: {paused:?}"
    );
    assert!(paused.to_string().contains("14:01"), "{paused}");
    assert!(
        desk.sign_in("Pat Okafor", &Pin::new("7314"), start()).is_ok(),
        "other people on the ward are not locked out"
    );
    let after = start() + TimeDelta::seconds(61);
    desk.sign_in("sjones", &Pin::new("4829"), after)
        .expect("after the pause the right PIN works");
    for _ in 0..5 {
        assert!(desk.sign_in("Nobody Here", &Pin::new("1111"), after).is_err());
    }
    assert!(
        matches!(
            desk.sign_in("nobody here", &Pin::new("1111"), after),
            Err(SignInError::TooManyAttempts { .. })
        ),
        "unknown names pause the same way, so the pause does not tell them apart"
    );
}

#[test]
fn with_no_roster_an_emergency_sign_in_lets_the_ward_work_marked_and_audited() {
    let mut desk = Sessions::new(None, vec!["AMU".into()], SessionPolicy::default());
    let e = desk.sign_in("sjones", &Pin::new("4829"), start()).unwrap_err();
    assert!(matches!(e, SignInError::NoRoster(_)));
    assert!(e.to_string().contains("emergency sign-in"), "{e}");
    let view = desk.view(start());
    assert!(view.emergency_allowed && view.roster_problem.is_some());

    let ask = |name: &str, role, reason: &str| EmergencySignIn {
        full_name: name.into(),
        role,
        reason: reason.into(),
    };
    assert!(matches!(
        desk.emergency_sign_in(&ask("Sam", Role::Nurse, "no roster"), start()),
        Err(SignInError::EmergencyIncomplete(_))
    ));
    assert!(matches!(
        desk.emergency_sign_in(&ask("Sam Jones", Role::Nurse, ""), start()),
        Err(SignInError::EmergencyIncomplete(_))
    ));
    assert_eq!(
        desk.emergency_sign_in(&ask("Ira Chen", Role::It, "no roster"), start()),
        Err(SignInError::EmergencyRole)
    );
    let session = desk
        .emergency_sign_in(&ask("Sam  Jones", Role::Nurse, "roster not on this PC"), start())
        .unwrap();
    let actor = desk.require(Action::RecordClinical, start()).unwrap();
    assert_eq!(
        actor.emergency_reason.as_deref(),
        Some("roster not on this PC"),
        "every entry is marked"
    );
    assert_eq!(actor.account_id, None);
    let shown = desk.view(start()).signed_in.unwrap();
    assert!(shown.emergency);
    assert!(
        shown
            .banner
            .unwrap()
            .starts_with("EMERGENCY SIGN-IN: Sam Jones (nurse)")
    );
    let audit = desk.take_audit();
    let signed = audit.iter().find(|e| e.event == "emergency-sign-in").unwrap();
    assert_eq!(signed.full_name.as_deref(), Some("Sam Jones"));
    assert_eq!(signed.reason.as_deref(), Some("roster not on this PC"));
    let back = desk
        .emergency_sign_in(
            &ask("sam jones", Role::Nurse, "back from a break"),
            start() + TimeDelta::minutes(20),
        )
        .unwrap();
    assert_eq!(
        back.id(),
        session.id(),
        "the same person resumes a locked emergency session"
    );

    let mut with_roster = amu();
    assert_eq!(
        with_roster.emergency_sign_in(&ask("Sam Jones", Role::Nurse, "forgot PIN"), start()),
        Err(SignInError::RosterAvailable),
        "with a roster on the PC, everyone signs in with it"
    );
}

#[test]
fn the_roster_round_trips_sealed_in_the_vault_with_no_name_readable() {
    let dir = tempfile::tempdir().unwrap();
    let vault = Vault::new(dir.path());
    let pc = Identity::generate();
    let it = Identity::generate();
    assert_eq!(
        Roster::load(&vault, &pc).unwrap(),
        None,
        "no roster yet is not an error"
    );
    let mut r = roster();
    let path = r.save(&vault, &[pc.recipient(), it.recipient()]).unwrap();
    assert!(path.ends_with("state/roster.age"));
    for entry in walk(dir.path()) {
        let bytes = std::fs::read(&entry).unwrap();
        for secret in ["Sam Jones", "Okafor", "sjones", "argon2id", "AMU"] {
            assert!(
                !bytes.windows(secret.len()).any(|w| w == secret.as_bytes()),
                "{secret:?} is readable in {}",
                entry.display()
            );
        }
    }
    let mut back = Roster::load(&vault, &pc).unwrap().unwrap();
    assert_eq!(back, r);
    back.remove("Lee Smith").unwrap();
    back.save(&vault, &[]).unwrap();
    let by_it = Roster::load(&vault, &it)
        .unwrap()
        .expect("a change keeps everyone the roster was sealed to");
    assert_eq!(by_it.accounts().len(), 3);
    assert!(
        Roster::load(&vault, &Identity::generate()).is_err(),
        "another PC's key does not open it"
    );

    let mut desk = Sessions::open(&vault, &pc, vec!["AMU".into()], SessionPolicy::default());
    assert!(desk.sign_in("Sam Jones", &Pin::new("4829"), start()).is_ok());
    assert!(!desk.follow_roster(&vault, &pc), "nothing changed");

    back.add(
        account("Kim Lee", Role::Nurse, &["AMU"], "2580"),
        PinCost::FOR_TESTS,
        start(),
    )
    .unwrap();
    back.save(&vault, &[]).unwrap();
    assert!(
        desk.follow_roster(&vault, &pc),
        "IT's new roster reaches the open PC"
    );
    assert!(desk.sign_in("Kim Lee", &Pin::new("2580"), start()).is_ok());
}

#[test]
fn a_station_launched_on_a_vault_signs_people_in_with_its_roster_and_checks_their_role() {
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("ward.key");
    Identity::generate().write_new(&key, None, 10, "test").unwrap();
    let identity = Identity::load(&key, None).unwrap();
    let vault = Vault::new(dir.path().join("vault"));
    let site = lamplight_demo::site(&lamplight_demo::DemoOptions {
        beds: 4,
        seed: 1,
        at: Utc::now(),
    });
    vault
        .stage(&site, "test", &[identity.recipient()], Utc::now())
        .unwrap();
    roster().save(&vault, &[identity.recipient()]).unwrap();
    let config = lamplight_station::StationConfig {
        vault: Some(dir.path().join("vault")),
        identity: Some(key),
        ..lamplight_station::StationConfig::default()
    };
    let station = lamplight_station::Station::launch(&config, Utc::now()).unwrap();
    let now = Utc::now();
    station
        .sessions()
        .sign_in("Pat Okafor", &Pin::new("7314"), now)
        .unwrap();
    assert!(
        matches!(
            station.sessions().require(Action::RecordClinical, now),
            Err(Refusal::NotAllowed {
                role: Role::BedManager,
                ..
            })
        ),
        "the station itself refuses a bed manager a dose"
    );
    assert!(
        !station.sessions().view(now).emergency_allowed,
        "a PC with a roster signs in with it"
    );

    let demo = lamplight_station::Station::demo(now);
    assert!(
        demo.sessions().view(now).emergency_allowed,
        "the demo ward has no roster: only the emergency sign-in"
    );
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

//! `lamplight stage --from <FHIR base URL>` as IT runs it, against a real FHIR server on loopback, and
//! against loopback peers that are down, refuse, or talk nonsense. Issue 4's acceptance lives here.

#![allow(clippy::unwrap_used)] // test code: a panic with its location is the clearest failure

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::Path;
use std::process::{Command, Output};

use chrono::{TimeDelta, Utc};
use lamplight_demo::DemoOptions;
use lamplight_fhir::test_server::{FhirServer, namespaced, put_all, resource};
use lamplight_fhir::{Epr, EprConfig, export};
use serde_json::Value;

struct Scene {
    dir: tempfile::TempDir,
    recipient: String,
}

impl Scene {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let key = dir.path().join("ward.key");
        let o = run(dir.path(), &["keygen", "--out", key.to_str().unwrap()]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let recipient = String::from_utf8(o.stdout).unwrap().trim().to_owned();
        Self { dir, recipient }
    }

    fn path(&self, name: &str) -> String {
        self.dir.path().join(name).to_string_lossy().into_owned()
    }

    fn stage(&self, from: &str, extra: &[&str]) -> Output {
        let vault = self.path("vault");
        let mut args = vec![
            "stage",
            "--from",
            from,
            "--recipient",
            &self.recipient,
            "--vault",
            &vault,
            "--json",
        ];
        args.extend_from_slice(extra);
        run(self.dir.path(), &args)
    }

    fn inspect(&self) -> Value {
        let (vault, key) = (self.path("vault"), self.path("ward.key"));
        let o = run(
            self.dir.path(),
            &["inspect", "--vault", &vault, "--identity", &key, "--json"],
        );
        assert!(
            o.status.success(),
            "inspect: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        serde_json::from_slice(&o.stdout).unwrap()
    }

    /// Every file in the vault with its bytes: what "left as it was" means.
    fn vault_files(&self) -> Vec<(String, Vec<u8>)> {
        let mut out: Vec<_> = std::fs::read_dir(self.path("vault"))
            .unwrap()
            .map(|e| {
                let p = e.unwrap().path();
                (p.display().to_string(), std::fs::read(&p).unwrap_or_default())
            })
            .collect();
        out.sort();
        out
    }
}

fn run(dir: &Path, args: &[&str]) -> Output {
    let tmp = dir.join("tmp");
    std::fs::create_dir_all(&tmp).unwrap();
    Command::new(env!("CARGO_BIN_EXE_lamplight"))
        .args(args)
        .env("TMPDIR", &tmp)
        .output()
        .unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn staging_from_the_epr_seals_exactly_what_the_epr_holds_for_the_ward() {
    let server = FhirServer::get();
    let mut site = namespaced(
        &lamplight_demo::site(&DemoOptions {
            beds: 56,
            seed: 21,
            at: Utc::now() + TimeDelta::minutes(5),
        }),
        "stage-",
    );
    // A pull keeps the last 24 hours of doses and observations. The demo's go back a little past
    // that (a dose due 24 h ago, given a few minutes early), so at some times of day a record sat on
    // the boundary and the counts differed by one: keep the loaded data clear of the boundary.
    let clear = Utc::now() - TimeDelta::hours(23);
    site.administrations.retain(|a| a.at >= clear);
    site.observations.retain(|o| o.taken_at >= clear);
    Epr::new(EprConfig::new(&server.url))
        .unwrap()
        .transaction(&export(&site))
        .expect("the demo site loads into the server");
    let code = site.wards[1].code.clone();
    let loaded = site.ward_subset(&code).unwrap().counts();

    let scene = Scene::new();
    let token = scene.path("token");
    std::fs::write(&token, "synthetic-test-token\n").unwrap();
    let o = scene.stage(&server.url, &["--ward", &code, "--token-file", &token]);
    assert!(o.status.success(), "stage from the EPR: {}", stderr(&o));
    let summary: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(
        summary["counts"],
        serde_json::to_value(loaded).unwrap(),
        "the snapshot holds what was loaded into the EPR for the ward"
    );
    let inspected = scene.inspect();
    assert_eq!(
        inspected["newest_good"]["counts"],
        serde_json::to_value(loaded).unwrap(),
        "inspect --json counts equal what was loaded into the server for that ward: {inspected}"
    );
    assert!(
        summary["source"]
            .as_str()
            .unwrap()
            .starts_with("EPR http://127.0.0.1:"),
        "the snapshot says it came from the EPR"
    );
}

/// A loopback HTTP peer answering every request with `status`, `content_type` and `body`.
fn peer(status: u16, content_type: &'static str, body: &'static str) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/fhir", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut line = String::new();
            while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                line.clear();
            }
            let _ = write!(
                stream,
                "HTTP/1.1 {status} X\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    url
}

/// Stages a good snapshot from a demo file, then tries `from`: it must fail with exit 11 and a
/// message containing `says`, and leave every vault file as it was.
fn a_failing_epr_leaves_the_newest_good_snapshot_as_it_was(from: &str, says: &str) {
    let scene = Scene::new();
    let bundle = scene.path("ward.json");
    let o = run(
        scene.dir.path(),
        &["demo", "--beds", "28", "--seed", "2", "--out", &bundle],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let o = scene.stage(&bundle, &[]);
    assert!(o.status.success(), "the good snapshot: {}", stderr(&o));
    let before = scene.vault_files();

    let o = scene.stage(from, &["--ward", "WD7"]);
    assert_eq!(
        o.status.code(),
        Some(11),
        "an EPR failure has its own exit code: {}",
        stderr(&o)
    );
    let message = stderr(&o);
    assert!(
        message.contains(says),
        "the reason is clear ({says:?}): {message}"
    );
    assert_eq!(message.trim().lines().count(), 1, "one line on stderr: {message}");
    assert_eq!(
        scene.vault_files(),
        before,
        "the newest good snapshot is left exactly as it was"
    );
}

#[test]
fn an_unreachable_epr_fails_staging_and_leaves_the_snapshot_alone() {
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    a_failing_epr_leaves_the_newest_good_snapshot_as_it_was(
        &format!("http://127.0.0.1:{port}/fhir"),
        "unreachable",
    );
}

#[test]
fn an_epr_answering_401_fails_staging_and_leaves_the_snapshot_alone() {
    let url = peer(
        401,
        "application/fhir+json",
        r#"{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"login","details":{"text":"bearer token expired"}}]}"#,
    );
    a_failing_epr_leaves_the_newest_good_snapshot_as_it_was(&url, "bearer token expired");
}

#[test]
fn an_epr_answering_garbage_fails_staging_and_leaves_the_snapshot_alone() {
    let url = peer(200, "text/html", "<html>Proxy login</html>");
    a_failing_epr_leaves_the_newest_good_snapshot_as_it_was(&url, "does not look like a FHIR R4 server");
}

/// What `lamplight refresh --json` said about one pull.
fn next_pull(lines: &mut impl Iterator<Item = std::io::Result<String>>) -> Value {
    let line = lines.next().expect("refresh reports every pull").unwrap();
    serde_json::from_str(&line).unwrap()
}

#[test]
fn refresh_keeps_the_snapshot_fresh_with_incremental_pulls_and_survives_the_epr_going_away() {
    let server = FhirServer::get();
    let site = namespaced(
        &lamplight_demo::site(&DemoOptions {
            beds: 28,
            seed: 33,
            at: Utc::now() + TimeDelta::minutes(5),
        }),
        "refresh-",
    );
    let epr = Epr::new(EprConfig::new(&server.url)).unwrap();
    epr.transaction(&export(&site))
        .expect("the demo ward loads into the server");
    let code = site.wards[0].code.clone();
    let ward = site.ward_subset(&code).unwrap();

    let scene = Scene::new();
    let (vault, key) = (scene.path("vault"), scene.path("ward.key"));
    let mut child = Command::new(env!("CARGO_BIN_EXE_lamplight"))
        .args([
            "refresh",
            "--from",
            &server.url,
            "--ward",
            &code,
            "--recipient",
            &scene.recipient,
        ])
        .args(["--vault", &vault, "--every-secs", "1", "--pulls", "2", "--json"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();

    let first = next_pull(&mut lines);
    assert_eq!(first["kind"], "full", "the first pull is full: {first}");
    assert_eq!(first["patients"], ward.patients.len());
    // A discharge on the EPR between pulls.
    let discharged = &ward.admissions[0];
    let mut encounter = resource(&site, &format!("Encounter/{}", discharged.id));
    encounter["status"] = "finished".into();
    encounter["period"]["end"] = Utc::now().to_rfc3339().into();
    put_all(&epr, vec![encounter]);

    let second = next_pull(&mut lines);
    assert!(child.wait().unwrap().success());
    assert_eq!(second["kind"], "incremental", "then incremental: {second}");
    assert_eq!(second["generation"], 2, "each good pull is sealed");
    assert_eq!(
        second["patients"],
        ward.patients.len() - 1,
        "the discharged patient has left the snapshot"
    );
    let o = run(
        scene.dir.path(),
        &["inspect", "--vault", &vault, "--identity", &key, "--json"],
    );
    let inspected: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(
        inspected["newest_good"]["counts"]["patients"],
        ward.patients.len() - 1
    );

    // The EPR goes away: the pull fails, says so, and the snapshot is left exactly as it was.
    let before = scene.vault_files();
    let gone = format!(
        "http://127.0.0.1:{}",
        TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port()
    );
    let o = run(
        scene.dir.path(),
        &[
            "refresh",
            "--from",
            &gone,
            "--ward",
            &code,
            "--recipient",
            &scene.recipient,
            "--vault",
            &vault,
            "--pulls",
            "1",
            "--json",
        ],
    );
    assert_eq!(o.status.code(), Some(11), "{}", stderr(&o));
    let report: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(report["ok"], false);
    assert_eq!(
        scene.vault_files(),
        before,
        "a failed pull must not touch the vault"
    );
}

#[test]
fn staging_the_whole_site_from_the_epr_finds_every_ward_by_itself() {
    // A server of this test's own: --site reads every ward the EPR holds, so no other test's data.
    let server = FhirServer::start();
    let site = lamplight_demo::site(&DemoOptions {
        beds: 56,
        seed: 23,
        at: Utc::now() + TimeDelta::minutes(5),
    });
    Epr::new(EprConfig::new(&server.url))
        .unwrap()
        .transaction(&export(&site))
        .expect("the demo site loads into the server");
    let scene = Scene::new();
    let o = scene.stage(&server.url, &["--site"]);
    assert!(o.status.success(), "stage --site: {}", stderr(&o));
    let summary: Value = serde_json::from_slice(&o.stdout).unwrap();
    let mut codes: Vec<String> = site.wards.iter().map(|w| w.code.clone()).collect();
    codes.sort();
    let mut staged: Vec<String> = summary["wards"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w.as_str().unwrap().to_owned())
        .collect();
    staged.sort();
    assert_eq!(staged, codes, "every ward of the site, found on the EPR");
    assert_eq!(
        summary["counts"]["patients"],
        serde_json::json!(site.patients.len()),
        "and every inpatient on them"
    );
    let o = scene.stage(&server.url, &[]);
    assert_eq!(
        o.status.code(),
        Some(10),
        "from an EPR, say which wards: {}",
        stderr(&o)
    );
    assert!(stderr(&o).contains("--site"), "{}", stderr(&o));
}

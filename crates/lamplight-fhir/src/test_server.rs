//! A real FHIR R4 server for tests (feature `test-server`): no mocks of the HTTP layer.
//!
//! [`FhirServer::get`] uses the server `make test` started (`LAMPLIGHT_TEST_FHIR_URL`), or starts one
//! on loopback with the repository's `tools/fhir-server/start`, and stops it when dropped. That
//! script finds the server (`$HFS_BIN`, CI's prebuilt one in `../shared`, an `hfs` on the PATH, or
//! one built earlier into the cache); a test never builds it, since that takes about an hour: it
//! fails and says how to get one. Tests sharing a server keep apart by [`namespaced`] ids and ward
//! codes.

#![allow(clippy::print_stderr, reason = "test support: says which server it uses")]

use std::path::{Path, PathBuf};
use std::process::Command;

use lamplight_model::Site;

/// How to get a FHIR server when none is found.
const HOW_TO_GET_ONE: &str = "no FHIR server for the tests. Get one with `tools/fhir-server/start --install` \
(or just run `make test`, which does it): without ../shared beside the clone it builds helios-hfs 0.2.7 once \
into ~/.cache/lamplight/hfs-0.2.7, about an hour on 2 cores; or set HFS_BIN to an hfs binary";

/// The exit status of `start` when it would have to build the server and was told not to.
const START_WOULD_BUILD: i32 = 3;

/// A FHIR server on 127.0.0.1: shared (from the environment) or this test's own.
#[derive(Debug)]
pub struct FhirServer {
    pub url: String,
    own: Option<(PathBuf, tempfile::TempDir)>,
}

impl FhirServer {
    /// The server `make test` started, or a new one of this test's own.
    pub fn get() -> Self {
        match std::env::var("LAMPLIGHT_TEST_FHIR_URL") {
            Ok(url) if !url.trim().is_empty() => {
                assert!(
                    url.starts_with("http://127.0.0.1:"),
                    "LAMPLIGHT_TEST_FHIR_URL must be a loopback server (http://127.0.0.1:PORT), not {url}"
                );
                Self {
                    url: url.trim().trim_end_matches('/').to_owned(),
                    own: None,
                }
            }
            _ => Self::start(),
        }
    }

    /// A new server of this test's own, whatever the environment says.
    pub fn start() -> Self {
        let dir = tempfile::Builder::new()
            .prefix("lamplight-fhir-")
            .tempdir()
            .expect("a temporary directory for the FHIR server");
        let url = launch(None, dir.path());
        Self {
            url,
            own: Some((dir.path().to_owned(), dir)),
        }
    }

    /// Stops this test's own server (an EPR outage); its data stays for [`FhirServer::restart`].
    pub fn stop(&self) {
        let (dir, _) = self
            .own
            .as_ref()
            .expect("only a test's own server can be stopped");
        stop(dir);
    }

    /// Starts this test's own server again, on the same port, with the same data: the EPR is back.
    pub fn restart(&self) {
        let (dir, _) = self
            .own
            .as_ref()
            .expect("only a test's own server can be restarted");
        let port: u16 = self
            .url
            .rsplit(':')
            .next()
            .and_then(|p| p.parse().ok())
            .expect("the server's URL ends in its port");
        let url = launch(Some(port), dir);
        assert_eq!(url, self.url, "the server came back at the same address");
    }
}

/// Starts a server with its data in `dir` (on `port`, or a free one) and returns its base URL.
fn launch(port: Option<u16>, dir: &Path) -> String {
    let port_arg = port.map(|p| p.to_string()).unwrap_or_default();
    let script = tools().join("start");
    let output = Command::new(&script)
        .arg(&port_arg)
        .arg(dir)
        .env("LAMPLIGHT_FHIR_SERVER_NO_BUILD", "1")
        .output()
        .unwrap_or_else(|e| panic!("could not run {}: {e}; {HOW_TO_GET_ONE}", script.display()));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.code() != Some(START_WOULD_BUILD),
        "{HOW_TO_GET_ONE}\n{stderr}"
    );
    assert!(output.status.success(), "the FHIR server did not start: {stderr}");
    let url = String::from_utf8_lossy(&output.stdout).trim().to_owned();
    assert!(
        url.starts_with("http://127.0.0.1:"),
        "the server must be on loopback, got {url:?}"
    );
    url
}

impl Drop for FhirServer {
    fn drop(&mut self) {
        if let Some((dir, _keep)) = &self.own {
            stop(dir);
        }
    }
}

fn stop(dir: &Path) {
    let _ = Command::new(tools().join("stop")).arg(dir).output();
}

/// The repository's `tools/fhir-server`, whose `start` prefers `../shared`'s prebuilt server.
fn tools() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tools/fhir-server")
}

/// The site with every id prefixed by `ns` and every ward code too, so tests sharing one server never
/// touch each other's records.
pub fn namespaced(site: &Site, ns: &str) -> Site {
    let mut s = site.clone();
    let p = |id: &mut String| *id = format!("{ns}{id}");
    for w in &mut s.wards {
        p(&mut w.id);
        w.code = format!("{}{}", ns.to_uppercase().replace('-', ""), w.code);
        for bay in &mut w.bays {
            p(&mut bay.id);
            for bed in &mut bay.beds {
                p(&mut bed.id);
            }
        }
    }
    for x in &mut s.patients {
        p(&mut x.id);
    }
    for x in &mut s.admissions {
        p(&mut x.id);
        p(&mut x.patient_id);
        if let Some(w) = &mut x.ward_id {
            p(w);
        }
        if let Some(b) = &mut x.bed_id {
            p(b);
        }
    }
    for x in &mut s.orders {
        p(&mut x.id);
        p(&mut x.patient_id);
    }
    for x in &mut s.administrations {
        p(&mut x.id);
        p(&mut x.order_id);
        p(&mut x.patient_id);
    }
    for x in &mut s.tests {
        p(&mut x.id);
        p(&mut x.patient_id);
    }
    for x in &mut s.observations {
        p(&mut x.id);
        p(&mut x.patient_id);
    }
    for x in &mut s.allergies {
        p(&mut x.id);
        p(&mut x.patient_id);
    }
    for x in &mut s.alerts {
        p(&mut x.id);
        p(&mut x.patient_id);
    }
    s
}

/// The resource `Type/id` as `site` exports it: a test edits it to make a change on the server.
pub fn resource(site: &Site, type_and_id: &str) -> serde_json::Value {
    crate::export(site)["entry"]
        .as_array()
        .and_then(|entries| entries.iter().find(|e| e["request"]["url"] == type_and_id))
        .map_or_else(
            || panic!("{type_and_id} is not in the site"),
            |e| e["resource"].clone(),
        )
}

/// PUTs each resource to the server in one transaction: changes made "on the EPR".
pub fn put_all(epr: &crate::Epr, resources: Vec<serde_json::Value>) {
    let entries: Vec<serde_json::Value> = resources
        .into_iter()
        .map(|r| {
            let url = format!(
                "{}/{}",
                r["resourceType"].as_str().unwrap_or("?"),
                r["id"].as_str().unwrap_or("?")
            );
            serde_json::json!({ "resource": r, "request": { "method": "PUT", "url": url } })
        })
        .collect();
    epr.transaction(
        &serde_json::json!({ "resourceType": "Bundle", "type": "transaction", "entry": entries }),
    )
    .expect("the test server accepts the changes");
}

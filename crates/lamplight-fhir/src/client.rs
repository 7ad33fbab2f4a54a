//! Talking to an EPR over FHIR R4 REST: the HTTP client, the capability check, paged searches.
//!
//! [`Epr`] is a blocking client (a ward PC refreshes one ward every few minutes; no async runtime is
//! worth its weight here) over rustls with the `ring` provider, with an optional extra CA file for a
//! trust's own certificate authority, a bearer token, timeouts, and bounded retries with exponential
//! backoff on what a busy or restarting server answers (5xx, 429, timeouts, refused connections).
//! Only idempotent reads are retried; a transaction is sent once.
//!
//! Every failure is an [`EprError`] saying what happened and what to do about it. What the client
//! fetches is decided by [`crate::census`]; what it means is decided by [`crate::import`].

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::{self, Write as _};
use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{DateTime, Utc};
use reqwest::StatusCode;
use reqwest::blocking::{Client, Response};
use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, DATE, RETRY_AFTER};
use serde_json::Value;

/// Why talking to the EPR failed. Staging and refresh leave the newest good snapshot as it was.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EprError {
    #[error(
        "{url:?} is not a usable FHIR base URL ({reason}); give the server's base, e.g. https://epr.example.nhs.uk/fhir/R4"
    )]
    BadBaseUrl { url: String, reason: String },
    #[error("cannot read the CA file {path}: {reason}; give a PEM file of the trust's certificate authority")]
    CaFile { path: PathBuf, reason: String },
    #[error(
        "the EPR at {url} is unreachable ({detail}); check the address, the network and that the server is running, then try again"
    )]
    Unreachable { url: String, detail: String },
    #[error(
        "the EPR at {url} did not answer within {seconds} s (tried {attempts} times); it may be overloaded or down: try again later"
    )]
    Timeout {
        url: String,
        seconds: u64,
        attempts: u32,
    },
    #[error(
        "a secure connection to {url} failed ({detail}); if the trust uses its own certificate authority, pass its certificate with --ca-file"
    )]
    Tls { url: String, detail: String },
    #[error(
        "the EPR refused Lamplight's credentials (401 Unauthorized) at {url}; check the token (--token-file) has not expired{}",
        outcome_suffix(.outcome.as_deref())
    )]
    Unauthorized { url: String, outcome: Option<String> },
    #[error(
        "the EPR does not allow Lamplight to read this (403 Forbidden) at {url}; ask the EPR team to grant the account read access to the ward's records{}",
        outcome_suffix(.outcome.as_deref())
    )]
    Forbidden { url: String, outcome: Option<String> },
    #[error(
        "{url} does not look like a FHIR R4 server ({detail}); check the base URL (it usually ends in /fhir or /R4)"
    )]
    NotFhir { url: String, detail: String },
    #[error(
        "the server at {url} speaks FHIR {found}, not R4 (4.0.x); point Lamplight at the EPR's R4 endpoint"
    )]
    WrongFhirVersion { url: String, found: String },
    #[error(
        "the EPR answered {status} at {url}{} (tried {attempts} times); it may be restarting: try again later",
        outcome_suffix(.outcome.as_deref())
    )]
    ServerError {
        url: String,
        status: u16,
        outcome: Option<String>,
        attempts: u32,
    },
    #[error(
        "the EPR rejected the request with {status} at {url}{}; this is a bug or an unsupported server: report it with this message",
        outcome_suffix(.outcome.as_deref())
    )]
    Rejected {
        url: String,
        status: u16,
        outcome: Option<String>,
    },
    #[error(
        "the EPR at {url} answered something that is not FHIR JSON ({detail}); check the base URL, or whether a proxy or login page is in the way"
    )]
    Garbage { url: String, detail: String },
    #[error(
        "the EPR has no ward {ward:?} (searched Location by identifier and by id); check the ward code with the EPR team"
    )]
    NoSuchWard { ward: String },
    #[error("the EPR's data could not be read: {0}")]
    Import(#[from] crate::ImportError),
}

fn outcome_suffix(outcome: Option<&str>) -> String {
    outcome
        .map(|o| format!(": the server says \"{o}\""))
        .unwrap_or_default()
}

/// A bearer token: never printed, never serialised, not cloneable.
pub struct BearerToken(String);

impl BearerToken {
    pub fn new(token: impl Into<String>) -> Self {
        Self(token.into().trim().to_owned())
    }

    /// Reads a token from a file (its first line; surrounding whitespace ignored).
    pub fn from_file(path: &Path) -> std::io::Result<Self> {
        let text = std::fs::read_to_string(path)?;
        Ok(Self::new(text.lines().next().unwrap_or_default()))
    }
}

impl fmt::Debug for BearerToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("BearerToken(<redacted>)")
    }
}

/// How to reach an EPR.
#[derive(Debug)]
pub struct EprConfig {
    /// The FHIR base URL (`https://epr.example.nhs.uk/fhir/R4`).
    pub base_url: String,
    pub token: Option<BearerToken>,
    /// A PEM file of extra certificate authorities to trust (the trust's own CA).
    pub ca_file: Option<PathBuf>,
    /// The whole of one request, answer included.
    pub timeout: Duration,
    pub connect_timeout: Duration,
    /// How many times a failed read is tried again (so at most `retries + 1` attempts).
    pub retries: u32,
    /// The first wait before trying again; doubled each time, capped at 8 s.
    pub backoff: Duration,
}

impl EprConfig {
    /// Defaults for a ward PC: 60 s per request, 10 s to connect, 3 retries from 500 ms.
    pub fn new(base_url: impl Into<String>) -> Self {
        Self {
            base_url: base_url.into(),
            token: None,
            ca_file: None,
            timeout: Duration::from_secs(60),
            connect_timeout: Duration::from_secs(10),
            retries: 3,
            backoff: Duration::from_millis(500),
        }
    }
}

/// What the server says it can do (`GET /metadata`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Capabilities {
    /// `4.0.1`.
    pub fhir_version: String,
    /// `Helios FHIR Server 0.2.7`, when the server says.
    pub software: Option<String>,
    /// Per resource type: its search parameters, `_include` and `_revinclude` values.
    pub resources: BTreeMap<String, ResourceSearch>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ResourceSearch {
    pub params: BTreeSet<String>,
    pub includes: BTreeSet<String>,
    pub revincludes: BTreeSet<String>,
}

impl Capabilities {
    /// Reads a CapabilityStatement.
    pub fn from_statement(statement: &Value) -> Self {
        let mut resources = BTreeMap::new();
        let strings = |v: &Value, key: &str| -> BTreeSet<String> {
            v.get(key)
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(|s| s.as_str().map(str::to_owned))
                .collect()
        };
        for rest in statement
            .get("rest")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            for r in rest
                .get("resource")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let Some(t) = r.get("type").and_then(Value::as_str) else {
                    continue;
                };
                let params = r
                    .get("searchParam")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .filter_map(|p| p.get("name").and_then(Value::as_str).map(str::to_owned))
                    .collect();
                resources.insert(
                    t.to_owned(),
                    ResourceSearch {
                        params,
                        includes: strings(r, "searchInclude"),
                        revincludes: strings(r, "searchRevInclude"),
                    },
                );
            }
        }
        let software = statement.get("software").and_then(|s| {
            let name = s.get("name").and_then(Value::as_str)?;
            Some(match s.get("version").and_then(Value::as_str) {
                Some(v) => format!("{name} {v}"),
                None => name.to_owned(),
            })
        });
        Self {
            fhir_version: statement
                .get("fhirVersion")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned(),
            software,
            resources,
        }
    }

    /// Whether `rtype` can be searched by `param`. A server that lists no parameters for a type is
    /// taken at its word for the common ones (many do not list them): filters Lamplight sends are
    /// also checked on the answers, so an ignored one costs bandwidth, never correctness.
    pub fn supports(&self, rtype: &str, param: &str) -> bool {
        match self.resources.get(rtype) {
            Some(r) if !r.params.is_empty() => r.params.contains(param),
            _ => true,
        }
    }

    /// Whether `rtype` searches accept `_include=value` (`Encounter:subject`).
    pub fn includes(&self, rtype: &str, value: &str) -> bool {
        self.resources
            .get(rtype)
            .is_some_and(|r| r.includes.contains(value))
    }
}

/// One search, all its pages: the resources in order, and the server's clock at the first answer.
#[derive(Debug, Clone, Default)]
pub struct SearchResult {
    pub resources: Vec<Value>,
    /// OperationOutcome texts the server put in the results (ignored parameters, warnings).
    pub outcomes: Vec<String>,
    pub server_time: Option<DateTime<Utc>>,
    pub requests: usize,
    pub bytes: usize,
    /// Every page's URL, in order (for benchmarks against the server's raw answers).
    pub urls: Vec<String>,
}

/// A FHIR R4 server: a base URL and an HTTP client set up for it.
#[derive(Debug)]
pub struct Epr {
    http: Client,
    base: String,
    /// `scheme://host:port` of the base: `next` links elsewhere are refused.
    origin: String,
    token: Option<BearerToken>,
    retries: u32,
    backoff: Duration,
    timeout: Duration,
}

/// An HTTP answer read whole.
struct Answer {
    status: StatusCode,
    date: Option<DateTime<Utc>>,
    body: Vec<u8>,
}

/// The largest answer read from the EPR: a page of a search is a few megabytes at most; a stream
/// without end (a hostile or broken server) must not fill the PC's memory.
pub const MAX_ANSWER_BYTES: u64 = 256 << 20;

/// Whether an URL's host part (`host`, `host:port`, `[v6]:port`, `user@host`) is this machine.
fn is_loopback(authority: &str) -> bool {
    let host = authority.rsplit('@').next().unwrap_or_default();
    let host = if let Some(v6) = host.strip_prefix('[') {
        v6.split(']').next().unwrap_or_default()
    } else {
        host.split(':').next().unwrap_or_default()
    };
    host.eq_ignore_ascii_case("localhost")
        || host.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

impl Epr {
    /// Sets up a client for `config` (no request is sent yet).
    pub fn new(config: EprConfig) -> Result<Self, EprError> {
        let base = config.base_url.trim().trim_end_matches('/').to_owned();
        let bad = |reason: &str| EprError::BadBaseUrl {
            url: config.base_url.clone(),
            reason: reason.to_owned(),
        };
        let rest = base
            .strip_prefix("https://")
            .or_else(|| base.strip_prefix("http://"))
            .ok_or_else(|| bad("it must start with https:// or http://"))?;
        let host = rest.split('/').next().unwrap_or_default();
        if host.is_empty() {
            return Err(bad("it names no host"));
        }
        // Plain HTTP would carry the bearer token and the ward's patients in the clear, and let
        // anyone on the path answer as the EPR: only to this machine (tests, a local proxy).
        if base.starts_with("http://") && !is_loopback(host) {
            return Err(bad(
                "plain http:// is allowed only to this machine (localhost, 127.0.0.1, [::1]): use https:// for the EPR, with --ca-file for the trust's own certificate authority",
            ));
        }
        let origin = base[..base.len() - rest.len() + host.len()].to_owned();
        // reqwest is built without a default crypto provider; ring is ours. Installing twice is harmless.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let mut builder = Client::builder()
            .timeout(config.timeout)
            .connect_timeout(config.connect_timeout)
            .user_agent(concat!("lamplight/", env!("CARGO_PKG_VERSION")))
            .redirect(reqwest::redirect::Policy::none());
        if let Some(path) = &config.ca_file {
            let pem = std::fs::read(path).map_err(|e| EprError::CaFile {
                path: path.clone(),
                reason: e.to_string(),
            })?;
            let certs = reqwest::Certificate::from_pem_bundle(&pem).map_err(|e| EprError::CaFile {
                path: path.clone(),
                reason: e.to_string(),
            })?;
            if certs.is_empty() {
                return Err(EprError::CaFile {
                    path: path.clone(),
                    reason: "it holds no PEM certificate".into(),
                });
            }
            builder = builder.tls_certs_merge(certs);
        }
        let http = builder.build().map_err(|e| EprError::Tls {
            url: base.clone(),
            detail: chain(&e),
        })?;
        Ok(Self {
            http,
            base,
            origin,
            token: config.token,
            retries: config.retries,
            backoff: config.backoff,
            timeout: config.timeout,
        })
    }

    /// The base URL, without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.base
    }

    /// The capability check, and the health check: `GET [base]/metadata`, which must be an R4
    /// CapabilityStatement.
    pub fn capabilities(&self) -> Result<Capabilities, EprError> {
        let url = format!("{}/metadata", self.base);
        let answer = self.get(&url).map_err(|e| match e {
            EprError::Rejected { status: 404, .. } => EprError::NotFhir {
                url: self.base.clone(),
                detail: "it has no /metadata (404)".into(),
            },
            other => other,
        })?;
        let v = Self::json(&url, &answer.body).map_err(|e| match e {
            EprError::Garbage { detail, .. } => EprError::NotFhir {
                url: self.base.clone(),
                detail: format!("/metadata is {detail}"),
            },
            other => other,
        })?;
        if v.get("resourceType").and_then(Value::as_str) != Some("CapabilityStatement") {
            return Err(EprError::NotFhir {
                url: self.base.clone(),
                detail: format!("/metadata is {}, not a CapabilityStatement", what(&v)),
            });
        }
        let caps = Capabilities::from_statement(&v);
        if !caps.fhir_version.starts_with("4.0") {
            return Err(EprError::WrongFhirVersion {
                url: self.base.clone(),
                found: if caps.fhir_version.is_empty() {
                    "(unstated)".into()
                } else {
                    caps.fhir_version.clone()
                },
            });
        }
        Ok(caps)
    }

    /// `GET [base]/rtype?params`, following `next` links to the end.
    pub fn search(&self, rtype: &str, params: &[(&str, String)]) -> Result<SearchResult, EprError> {
        let url = self.search_url(rtype, params);
        let mut out = SearchResult::default();
        let mut next = Some(url);
        let mut pages = 0;
        while let Some(url) = next.take() {
            pages += 1;
            if pages > 100_000 {
                return Err(EprError::Garbage {
                    url,
                    detail: "a search that never ends (over 100,000 pages)".into(),
                });
            }
            let answer = self.get(&url)?;
            out.urls.push(url.clone());
            out.requests += 1;
            out.bytes += answer.body.len();
            if out.server_time.is_none() {
                out.server_time = answer.date;
            }
            let bundle = Self::json(&url, &answer.body)?;
            if bundle.get("resourceType").and_then(Value::as_str) != Some("Bundle") {
                return Err(EprError::Garbage {
                    url,
                    detail: format!("a search answered {}, not a Bundle", what(&bundle)),
                });
            }
            for entry in bundle
                .get("entry")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let Some(resource) = entry.get("resource") else {
                    continue;
                };
                let outcome = entry.pointer("/search/mode").and_then(Value::as_str) == Some("outcome")
                    || resource.get("resourceType").and_then(Value::as_str) == Some("OperationOutcome");
                if outcome {
                    out.outcomes.extend(outcome_text(resource));
                } else {
                    out.resources.push(resource.clone());
                }
            }
            next = bundle
                .get("link")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .find(|l| l.get("relation").and_then(Value::as_str) == Some("next"))
                .and_then(|l| l.get("url").and_then(Value::as_str))
                .map(str::to_owned);
            if let Some(n) = &next
                && !n.starts_with(&format!("{}/", self.origin))
            {
                return Err(EprError::Garbage {
                    url,
                    detail: format!(
                        "its next page is on another server ({n}); Lamplight only follows links to {}",
                        self.origin
                    ),
                });
            }
        }
        Ok(out)
    }

    fn search_url(&self, rtype: &str, params: &[(&str, String)]) -> String {
        let mut url = format!("{}/{rtype}", self.base);
        for (i, (k, v)) in params.iter().enumerate() {
            url.push(if i == 0 { '?' } else { '&' });
            url.push_str(&encode(k));
            url.push('=');
            url.push_str(&encode(v));
        }
        url
    }

    /// The first page of a search, checked to be a Bundle and otherwise thrown away (health probes).
    pub(crate) fn search_page(&self, rtype: &str, params: &[(&str, String)]) -> Result<(), EprError> {
        let url = self.search_url(rtype, params);
        let answer = self.get(&url)?;
        let bundle = Self::json(&url, &answer.body)?;
        if bundle.get("resourceType").and_then(Value::as_str) == Some("Bundle") {
            Ok(())
        } else {
            Err(EprError::Garbage {
                detail: format!("a search answered {}, not a Bundle", what(&bundle)),
                url,
            })
        }
    }

    /// `POST [base]` of a transaction or batch Bundle; the response Bundle. Sent once, never retried.
    pub fn transaction(&self, bundle: &Value) -> Result<Value, EprError> {
        let url = self.base.clone();
        let body = serde_json::to_vec(bundle).expect("a serde_json::Value always serialises");
        let mut request = self
            .http
            .post(&url)
            .header(ACCEPT, "application/fhir+json")
            .header(CONTENT_TYPE, "application/fhir+json")
            .body(body);
        if let Some(t) = &self.token {
            request = request.header(AUTHORIZATION, format!("Bearer {}", t.0));
        }
        let answer = match request.send() {
            Ok(r) => Self::read(&url, r)?,
            Err(e) => return Err(self.transport(&url, &e, 1)),
        };
        Self::check(&url, &answer, 1)?;
        Self::json(&url, &answer.body)
    }

    /// A GET with retries: 5xx, 429, timeouts and refused connections are tried again after a
    /// growing wait; anything else is final.
    fn get(&self, url: &str) -> Result<Answer, EprError> {
        let mut attempt = 0;
        loop {
            attempt += 1;
            let mut request = self.http.get(url).header(ACCEPT, "application/fhir+json");
            if let Some(t) = &self.token {
                request = request.header(AUTHORIZATION, format!("Bearer {}", t.0));
            }
            let (err, retry_after) = match request.send() {
                Ok(response) => {
                    let retry_after = response
                        .headers()
                        .get(RETRY_AFTER)
                        .and_then(|v| v.to_str().ok())
                        .and_then(|s| s.trim().parse::<u64>().ok())
                        .map(Duration::from_secs);
                    match Self::read(url, response) {
                        Ok(answer) => match Self::check(url, &answer, attempt) {
                            Ok(()) => return Ok(answer),
                            Err(e) => (e, retry_after),
                        },
                        Err(e) => (e, None),
                    }
                }
                Err(e) => (self.transport(url, &e, attempt), None),
            };
            let retryable = match &err {
                EprError::ServerError { .. } | EprError::Timeout { .. } | EprError::Unreachable { .. } => {
                    true
                }
                EprError::Rejected { status, .. } => *status == 429,
                _ => false,
            };
            if !retryable || attempt > self.retries {
                return Err(err);
            }
            let backoff = self
                .backoff
                .saturating_mul(1 << (attempt - 1).min(8))
                .min(Duration::from_secs(8));
            std::thread::sleep(retry_after.map_or(backoff, |r| r.min(Duration::from_secs(8))));
        }
    }

    fn read(url: &str, response: Response) -> Result<Answer, EprError> {
        let status = response.status();
        let date = response
            .headers()
            .get(DATE)
            .and_then(|v| v.to_str().ok())
            .and_then(|s| DateTime::parse_from_rfc2822(s).ok())
            .map(|t| t.with_timezone(&Utc));
        let mut body = Vec::new();
        std::io::Read::read_to_end(
            &mut std::io::Read::take(response, MAX_ANSWER_BYTES + 1),
            &mut body,
        )
        .map_err(|e| EprError::Garbage {
            url: url.to_owned(),
            detail: format!("the answer could not be read whole ({e})"),
        })?;
        if body.len() as u64 > MAX_ANSWER_BYTES {
            return Err(EprError::Garbage {
                url: url.to_owned(),
                detail: format!(
                    "the answer is larger than {} MiB, more than any page of a ward's data: it is not read",
                    MAX_ANSWER_BYTES >> 20
                ),
            });
        }
        Ok(Answer { status, date, body })
    }

    /// The error an HTTP status stands for, with the OperationOutcome's words when there is one.
    fn check(url: &str, answer: &Answer, attempts: u32) -> Result<(), EprError> {
        let status = answer.status;
        if status.is_success() {
            return Ok(());
        }
        let outcome = serde_json::from_slice::<Value>(&answer.body)
            .ok()
            .filter(|v| v.get("resourceType").and_then(Value::as_str) == Some("OperationOutcome"))
            .map(|v| outcome_text(&v).join("; "))
            .filter(|s| !s.is_empty());
        let url = url.to_owned();
        Err(match status.as_u16() {
            401 => EprError::Unauthorized { url, outcome },
            403 => EprError::Forbidden { url, outcome },
            s @ 500..=599 => EprError::ServerError {
                url,
                status: s,
                outcome,
                attempts,
            },
            s if status.is_redirection() => EprError::NotFhir {
                url,
                detail: format!("it redirects ({s}) instead of answering; use the address it redirects to"),
            },
            s => EprError::Rejected {
                url,
                status: s,
                outcome,
            },
        })
    }

    fn transport(&self, url: &str, e: &reqwest::Error, attempts: u32) -> EprError {
        let detail = chain(e);
        if e.is_timeout() {
            return EprError::Timeout {
                url: url.to_owned(),
                seconds: self.timeout.as_secs(),
                attempts,
            };
        }
        let lower = detail.to_lowercase();
        if lower.contains("certificate") || lower.contains("tls") || lower.contains("handshake") {
            return EprError::Tls {
                url: url.to_owned(),
                detail,
            };
        }
        if e.is_connect() {
            return EprError::Unreachable {
                url: url.to_owned(),
                detail,
            };
        }
        EprError::Garbage {
            url: url.to_owned(),
            detail,
        }
    }

    fn json(url: &str, body: &[u8]) -> Result<Value, EprError> {
        serde_json::from_slice::<Value>(body).map_err(|e| {
            let start: String = String::from_utf8_lossy(&body[..body.len().min(40)])
                .chars()
                .filter(|c| !c.is_control())
                .collect();
            EprError::Garbage {
                url: url.to_owned(),
                detail: format!("not JSON ({e}); it starts {start:?}"),
            }
        })
    }
}

/// The words of an OperationOutcome's issues.
fn outcome_text(outcome: &Value) -> Vec<String> {
    outcome
        .get("issue")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|i| {
            i.pointer("/details/text")
                .or_else(|| i.get("diagnostics"))
                .and_then(Value::as_str)
                .map(str::to_owned)
                .or_else(|| i.get("code").and_then(Value::as_str).map(|c| format!("({c})")))
        })
        .collect()
}

fn what(v: &Value) -> String {
    match v.get("resourceType").and_then(Value::as_str) {
        Some(t) => format!("a {t}"),
        None if v.is_object() => "a JSON object without a resourceType".into(),
        None => "JSON that is not an object".into(),
    }
}

/// An error with its causes, on one line.
fn chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut source = e.source();
    while let Some(c) = source {
        let text = c.to_string();
        if !s.contains(&text) {
            s.push_str(": ");
            s.push_str(&text);
        }
        source = c.source();
    }
    s
}

/// Percent-encodes a query component (RFC 3986 unreserved characters pass; `,` `|` `:` too, as FHIR
/// servers expect them literally in token lists).
fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~,|:".contains(&b) {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_base_url_without_a_scheme_is_refused_with_an_example() {
        let err = Epr::new(EprConfig::new("epr.example/fhir")).expect_err("no scheme");
        assert!(
            err.to_string().contains("https://"),
            "the message shows what a base URL looks like: {err}"
        );
    }

    #[test]
    fn plain_http_is_refused_beyond_this_machine() {
        for url in [
            "http://epr.example.nhs.uk/fhir",
            "http://10.0.0.5:8080/fhir",
            "http://127.0.0.1.evil.example/fhir",
            "http://localhost@epr.example/fhir",
        ] {
            let err = Epr::new(EprConfig::new(url)).expect_err(url);
            assert!(err.to_string().contains("use https://"), "{url}: {err}");
        }
        for url in [
            "http://127.0.0.1:8080/fhir",
            "http://127.0.0.9/fhir",
            "http://localhost:9/fhir",
            "http://[::1]:8080/fhir",
            "https://epr.example.nhs.uk/fhir",
        ] {
            assert!(Epr::new(EprConfig::new(url)).is_ok(), "{url}");
        }
    }

    #[test]
    fn query_values_are_encoded_but_fhir_token_lists_stay_readable() {
        assert_eq!(
            encode("gt2026-11-04T03:00:00+00:00"),
            "gt2026-11-04T03:00:00%2B00:00"
        );
        assert_eq!(encode("a,b|c d"), "a,b|c%20d");
    }

    #[test]
    fn a_bearer_token_is_never_printed() {
        let t = BearerToken::new("secret-token-value\n");
        assert!(
            !format!("{t:?}").contains("secret"),
            "Debug must redact the token"
        );
        assert_eq!(
            t.0, "secret-token-value",
            "whitespace around a token file's line is not part of it"
        );
    }

    #[test]
    fn capabilities_list_what_each_resource_can_be_searched_by() {
        let caps = Capabilities::from_statement(&serde_json::json!({
            "resourceType": "CapabilityStatement",
            "fhirVersion": "4.0.1",
            "software": { "name": "Test", "version": "1" },
            "rest": [{ "resource": [
                { "type": "Flag", "searchParam": [{ "name": "patient" }], "searchInclude": ["Flag:patient"] },
                { "type": "Patient" }
            ] }]
        }));
        assert_eq!(caps.software.as_deref(), Some("Test 1"));
        assert!(caps.supports("Flag", "patient"));
        assert!(
            !caps.supports("Flag", "status"),
            "a listed type is held to its list"
        );
        assert!(
            caps.supports("Patient", "_id"),
            "an unlisted type is taken at its word"
        );
        assert!(caps.includes("Flag", "Flag:patient"));
        assert!(!caps.includes("Patient", "Patient:link"));
    }
}

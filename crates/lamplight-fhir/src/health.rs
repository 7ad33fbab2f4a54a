//! Is the EPR answering? One probe: `GET /metadata` **and** a cheap search.
//!
//! `/metadata` alone is not enough: many servers serve their CapabilityStatement from memory while
//! their database (and so every search) is down, which is exactly when a ward needs to know. A
//! probe therefore also asks for one `Location` id, the cheapest search a census depends on. The
//! probe uses its own short timeout and no retries: the question is "is it answering now", and a
//! retried request would hide a slow or flapping server. What the answers mean over time (slow,
//! not answering since when, propose downtime) is the station's business.

use std::time::{Duration, Instant};

use crate::client::{Epr, EprConfig, EprError};

/// The outcome of one probe.
#[derive(Debug)]
pub struct Probe {
    /// How long the whole probe took (both requests).
    pub elapsed: Duration,
    /// `None` when both requests answered as a FHIR R4 server should.
    pub failure: Option<EprError>,
}

impl Probe {
    pub fn answered(&self) -> bool {
        self.failure.is_none()
    }
}

/// A client for health probes of the EPR at `base_url`: `timeout` for each request, no retries.
pub fn prober(mut config: EprConfig, timeout: Duration) -> Result<Epr, EprError> {
    config.timeout = timeout;
    config.connect_timeout = timeout;
    config.retries = 0;
    Epr::new(config)
}

impl Epr {
    /// One health probe: `/metadata`, then `Location?_count=1&_elements=id` (one page only).
    pub fn probe(&self) -> Probe {
        let started = Instant::now();
        let failure = self
            .capabilities()
            .and_then(|_| self.search_page("Location", &[("_count", "1".into()), ("_elements", "id".into())]))
            .err();
        Probe {
            elapsed: started.elapsed(),
            failure,
        }
    }
}

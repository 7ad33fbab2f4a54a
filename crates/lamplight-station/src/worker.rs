//! The station's background work for a window (and, later, the agent): three threads over one
//! shared [`Station`].
//!
//! - **follow**: file events on the vault folder (notify), with a check every few seconds as the
//!   fallback for shares and file systems that drop events; then [`Station::tick`] for what time
//!   alone changes (a planned downtime starting, a proposal appearing).
//! - **health** (with an EPR): a probe every `health.every`, recorded with [`Station::record_probe`].
//! - **refresh** (with an EPR and a refresh policy): the same [`RefreshLoop`] as `lamplight refresh`,
//!   a pull every `refresh.every`, and the final snapshot before a planned downtime on time; each
//!   sealed generation is followed at once.
//!
//! - **status** (with `--status-dir`): this PC's status file for `lamplight fleet`, every minute.
//!
//! The threads stop when the [`Background`] handle is dropped (within a second, or when a pull in
//! progress ends). Nothing here logs patient data: counts, generations and error kinds only.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use chrono::Utc;
use notify::{RecursiveMode, Watcher as _};

use crate::Station;
use crate::health::problem_words;
use crate::sync::{RefreshLoop, Stager, WardScope};

/// The running background threads; dropping it stops them.
#[derive(Debug)]
pub struct Background {
    stop: Arc<AtomicBool>,
    threads: Vec<JoinHandle<()>>,
}

impl Background {
    /// Stops the threads and waits for them.
    pub fn stop(mut self) {
        self.stop.store(true, Ordering::SeqCst);
        for t in self.threads.drain(..) {
            let _ = t.join();
        }
    }
}

impl Drop for Background {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
    }
}

/// Sleeps up to `total`, waking early when asked to stop (or when `early` says so).
fn nap(stop: &AtomicBool, total: Duration, early: impl Fn() -> bool) {
    let until = Instant::now() + total;
    while Instant::now() < until && !stop.load(Ordering::SeqCst) && !early() {
        std::thread::sleep(Duration::from_millis(200).min(until.saturating_duration_since(Instant::now())));
    }
}

impl Station {
    /// Starts following the vault, checking the EPR and refreshing, as configured: a window's.
    pub fn start(self: &Arc<Self>) -> Background {
        // A window claims its PC's journal as it opens, so a second Lamplight on the same PC (a
        // command beside it) is the one refused, never the nurse's window at its first entry.
        if let Err(e) = self.claim_journal() {
            tracing::warn!(error = %e, "this PC's journal could not be claimed");
        }
        self.start_threads()
    }

    /// The same background without a window (`lamplight agent` on a ward PC): it does not claim
    /// the PC's journal, which is the window's to hold.
    pub fn start_agent(self: &Arc<Self>) -> Background {
        self.start_threads()
    }

    fn start_threads(self: &Arc<Self>) -> Background {
        let stop = Arc::new(AtomicBool::new(false));
        let mut threads = Vec::new();
        let spawn = |name: &str, f: Box<dyn FnOnce() + Send>| {
            std::thread::Builder::new()
                .name(name.to_owned())
                .spawn(f)
                .expect("the OS starts a thread")
        };
        {
            let (station, stop) = (Arc::clone(self), Arc::clone(&stop));
            threads.push(spawn(
                "lamplight-follow",
                Box::new(move || follow(&station, &stop)),
            ));
        }
        if let Some(dir) = self.config.status_dir.clone() {
            let (station, stop4) = (Arc::clone(self), Arc::clone(&stop));
            threads.push(spawn(
                "lamplight-status",
                Box::new(move || status_loop(&station, &dir, &stop4)),
            ));
        }
        if let Some(settings) = self.config.epr.clone() {
            let (station, stop2) = (Arc::clone(self), Arc::clone(&stop));
            let probe_settings = settings.clone();
            threads.push(spawn(
                "lamplight-health",
                Box::new(move || {
                    let policy = station.config.health;
                    let prober = match probe_settings.prober(policy.timeout) {
                        Ok(p) => p,
                        Err(e) => {
                            tracing::error!(error = %e, "the EPR health check cannot start");
                            return;
                        }
                    };
                    while !stop2.load(Ordering::SeqCst) {
                        let at = Utc::now();
                        let probe = prober.probe();
                        let problem = probe.failure.as_ref().map(problem_words);
                        station.record_probe(at, probe.answered(), probe.elapsed, problem);
                        nap(&stop2, policy.every, || false);
                    }
                }),
            ));
            // A PC fed by the site share never pulls itself: that is the share's point.
            let pulls = self.config.site_share.is_none();
            if let (Some(policy), Some(vault), true) = (self.config.refresh, self.vault.clone(), pulls) {
                let (station, stop3) = (Arc::clone(self), Arc::clone(&stop));
                let scope = if self.config.wards.is_empty() {
                    WardScope::Site
                } else {
                    WardScope::Wards(self.config.wards.clone())
                };
                let recipients = self.recipients.clone();
                threads.push(spawn(
                    "lamplight-refresh",
                    Box::new(move || {
                        let stager = match Stager::new(vault, recipients) {
                            Ok(s) => s,
                            Err(e) => {
                                station.set_refresh_problem(Some(format!(
                                    "This PC cannot refresh its data: {e}"
                                )));
                                return;
                            }
                        };
                        let mut refresh = match RefreshLoop::new(&settings, scope, stager, policy) {
                            Ok(r) => r,
                            Err(e) => {
                                station.set_refresh_problem(Some(format!(
                                    "This PC cannot refresh its data: {e}"
                                )));
                                return;
                            }
                        };
                        refresh_loop(&station, &mut refresh, &stop3);
                    }),
                ));
            }
        }
        if self.config.site_share.is_some() && self.vault.is_some() {
            let (station, stop5) = (Arc::clone(self), Arc::clone(&stop));
            threads.push(spawn(
                "lamplight-share",
                Box::new(move || take_loop(&station, &stop5)),
            ));
        }
        Background { stop, threads }
    }
}

/// Writes this PC's status file every [`crate::fleet::STATUS_EVERY`] until stopped.
fn status_loop(station: &Station, dir: &std::path::Path, stop: &AtomicBool) {
    let mut failing = false;
    while !stop.load(Ordering::SeqCst) {
        match station.write_status(dir, Utc::now()) {
            Ok(_) => failing = false,
            // Said once per spell of failures, not every minute.
            Err(e) if !failing => {
                tracing::warn!(error = %e, "this PC's status file could not be written");
                failing = true;
            }
            Err(_) => {}
        }
        nap(stop, crate::fleet::STATUS_EVERY, || false);
    }
}

/// A ward PC fed by the site share: its ward's newest generation, taken every refresh interval.
fn take_loop(station: &Station, stop: &AtomicBool) {
    let every = station.config.refresh.unwrap_or_default().every;
    while !stop.load(Ordering::SeqCst) {
        match station.take_from_share(Utc::now()) {
            Ok(Some(generation)) => {
                tracing::info!(generation, "took the newest generation from the site share");
                station.set_refresh_problem(None);
            }
            Ok(None) => station.set_refresh_problem(None),
            Err(e) => {
                tracing::warn!(error = %e, "nothing taken from the site share");
                station.set_refresh_problem(Some(format!(
                    "This PC could not take its ward's newest data from the site share: {e}"
                )));
            }
        }
        nap(stop, every, || false);
    }
}

fn follow(station: &Station, stop: &AtomicBool) {
    let (tx, rx) = mpsc::channel();
    let watcher = station.vault().and_then(|vault| {
        let mut w = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
            if event.is_ok() {
                let _ = tx.send(());
            }
        })
        .ok()?;
        match w.watch(vault.dir(), RecursiveMode::Recursive) {
            Ok(()) => Some(w),
            Err(e) => {
                tracing::warn!(error = %e, "no file events from the vault folder: checking it every few seconds instead");
                None
            }
        }
    });
    let every = station.config.check_every;
    let mut last_check = Instant::now();
    while !stop.load(Ordering::SeqCst) {
        let event = rx.recv_timeout(Duration::from_millis(500)).is_ok();
        if event {
            // A generation lands as a burst of events (temporary file, rename): let it settle.
            std::thread::sleep(Duration::from_millis(150));
            while rx.try_recv().is_ok() {}
        }
        if event || last_check.elapsed() >= every {
            station.check_vault(Utc::now());
            last_check = Instant::now();
        }
        station.tick(Utc::now());
    }
    drop(watcher);
}

fn refresh_loop(station: &Station, refresh: &mut RefreshLoop, stop: &AtomicBool) {
    let every = refresh.policy().every;
    while !stop.load(Ordering::SeqCst) {
        let final_for = station.tick(Utc::now());
        match refresh.pull_once(Utc::now()) {
            Ok(pulled) => {
                tracing::info!(
                    generation = pulled.staged.header.generation,
                    patients = pulled.patients,
                    requests = pulled.requests,
                    millis = u64::try_from(pulled.millis).unwrap_or(u64::MAX),
                    "pulled and sealed"
                );
                if let Some(plan) = &final_for {
                    station.final_snapshot_taken(&plan.id);
                }
                station.set_refresh_problem(None);
                station.check_vault(Utc::now());
            }
            Err(crate::SyncError::Epr(e)) => {
                // The health check says the EPR is down; the data's age says how stale it gets.
                tracing::warn!(problem = %problem_words(&e), "a pull failed; the newest snapshot is unchanged");
            }
            Err(e) => {
                tracing::warn!(error = %e, "a pull could not be sealed");
                station.set_refresh_problem(Some(format!("The newest pull from the EPR was not kept: {e}")));
            }
        }
        nap(stop, every, || {
            station
                .tick(Utc::now())
                .is_some_and(|p| final_for.as_ref() != Some(&p))
        });
    }
}

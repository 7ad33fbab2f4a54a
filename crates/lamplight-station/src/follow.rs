//! Following the vault: when a newer generation lands (the station's own refresh, IT staging, the
//! drop folder's watcher), the station swaps it in whole; a newer one that does not open never
//! replaces the one on screen, and says so on every screen until a good one lands.
//!
//! Generation files are immutable, so one that failed to open is not tried again on every check:
//! only a newer file, or the mode and plan files changing, cost any work.

use chrono::{DateTime, Utc};

use crate::{Station, WardData};

impl Station {
    /// Says (or clears) that the vault folder cannot be read; true when that changed.
    fn set_vault_problem(&self, problem: Option<(DateTime<Utc>, String)>) -> bool {
        let mut live = self.live();
        if live.vault_problem == problem {
            return false;
        }
        live.vault_problem = problem;
        live.revision += 1;
        true
    }
}

impl Station {
    /// Looks at the vault (and the ward folder) once. True when what screens show changed: a newer
    /// generation, a newer one that failed, the mode or the planned downtimes changed on disk, the
    /// other PCs' entries.
    pub fn check_vault(&self, now: DateTime<Utc>) -> bool {
        // The ward folder first: other PCs' entries reach this screen on the same beat.
        let mut changed = self.sync_ward(now);
        changed |= self.check_state_files();
        let (Some(vault), Some(identity)) = (&self.vault, &self.identity) else {
            return changed;
        };
        // A roster IT provisioned (or changed) while the window is open is taken on the same beat.
        if self.sessions().follow_roster(vault, identity) {
            tracing::info!("roster changed: sign-in uses the new one");
            self.live().revision += 1;
            changed = true;
        }
        let shown = self.data().generation.unwrap_or(0);
        let since = self
            .live()
            .vault_problem
            .as_ref()
            .map_or(now, |(since, _)| *since);
        let newest = match vault.generations() {
            // Shown data whose files are gone: a share not connected, a folder moved or emptied.
            Ok(list) if list.is_empty() && shown > 0 => {
                let why =
                    "its snapshots are gone: the folder was moved or emptied, or the share is not connected";
                changed |= self.set_vault_problem(Some((since, why.to_owned())));
                return changed;
            }
            Ok(list) => {
                changed |= self.set_vault_problem(None);
                list.first().map_or(0, |g| g.generation)
            }
            Err(e) => {
                tracing::warn!(error = %e, "the vault could not be listed");
                changed |= self.set_vault_problem(Some((since, e.to_string())));
                return changed;
            }
        };
        let already_failed = self.live().failed.contains_key(&newest);
        if newest <= shown || already_failed {
            return changed;
        }
        match WardData::open_vault(vault, identity, &self.config.wards) {
            Ok(mut data) => {
                let opened = data.generation.unwrap_or(0);
                data.stale_after_minutes = self.config.stale_after_minutes;
                let mut live = self.live();
                // Newer generations skipped on the way down failed for good; the station says so.
                live.failed.extend(std::mem::take(&mut data.skipped));
                if opened > shown {
                    tracing::info!(from = shown, to = opened, "followed a newer generation");
                    live.updated = Some((now, opened));
                    // The ward's downtime entries stay laid over the newer snapshot. Read and
                    // replaced under one write lock, so an entry shown meanwhile is not lost.
                    let mut shown = self
                        .data
                        .write()
                        .unwrap_or_else(std::sync::PoisonError::into_inner);
                    let data = if shown.entries.is_empty() {
                        data
                    } else {
                        data.with_entries(shown.entries.clone())
                    };
                    *shown = std::sync::Arc::new(data);
                }
                live.revision += 1;
                changed = true;
            }
            Err(e) => {
                tracing::warn!(generation = newest, "a newer generation did not open");
                let mut live = self.live();
                live.failed.insert(newest, e.to_string());
                live.revision += 1;
                changed = true;
            }
        }
        changed
    }
}

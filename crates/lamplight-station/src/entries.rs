//! Recording downtime entries: who may (the session's role check), durable before "saved" (the
//! PC's journal, fsync'd), seen on every PC of the ward (the ward folder, polled), and laid over
//! the snapshot for screen and paper ([`lamplight_model::entry::apply`]).
//!
//! A journal record's payload is an [`EntryFile`]: format 1, frozen here, kept apart from the
//! model's `Entry` so that renaming a model field never silently changes what is on disk.
//!
//! What it leaves to others: the forms that build an entry (the window), the chain and its checks
//! (`lamplight_vault::journal`), and filing entries back to the EPR (reconciliation).

use chrono::{DateTime, Utc};
use lamplight_model::entry::{EntryKind, possible_double_doses};
use lamplight_model::{Entry, Mode, Schedule, time};
use lamplight_vault::journal::ward::WardFolder;
use lamplight_vault::journal::{Journal, NewRecord, Record, Uuid};
use serde::{Deserialize, Serialize};

use crate::session::{Actor, SessionView};
use crate::{Station, StationError};

pub(crate) fn audit_of(
    actor: &Actor,
    event: &str,
    detail: Option<&str>,
    patient_id: Option<&str>,
) -> AuditFile {
    AuditFile {
        event: event.to_owned(),
        detail: detail.map(str::to_owned),
        patient_id: patient_id.map(str::to_owned),
        session_id: Some(actor.session_id.clone()),
        account_id: actor.account_id.clone(),
        emergency_reason: actor.emergency_reason.clone(),
    }
}

/// A journal record's payload, format 1: an entry (`kind`) or an audit event (`audit`), never both.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct EntryFile {
    format: u32,
    pc: String,
    /// The wards the recording PC serves (empty: a whole-site PC). A PC does not take a peer's
    /// records for other wards: a ward folder shared by mistake must not put patients on this ward.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    wards: Vec<String>,
    drill: bool,
    /// The entry's kind and fields, as the model writes them (pinned by `entry_file_format_1_is_frozen`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    kind: Option<serde_json::Value>,
    /// Who did what that is no entry: signed in, opened a record, printed, went past a warning.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    audit: Option<AuditFile>,
    /// What a person decided about an entry in reconciliation (`lamplight_model::reconcile::Decision`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    decision: Option<serde_json::Value>,
    /// The EPR took (or already held) an entry's resources (`crate::reconcile::FiledAck`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    filed: Option<serde_json::Value>,
}

/// What a record is, for the audit trail: read from any PC's journal, whatever its wards.
pub(crate) enum RecordWhat {
    Audit(AuditFile),
    /// An entry: its kind (`dose_given`) and patient.
    Entry {
        kind: String,
        patient_id: Option<String>,
    },
    /// A reconciliation decision: its choice (`accept`, `reject`…).
    Decision {
        choice: String,
    },
    Filed,
}

/// A record's payload as the audit trail reads it.
pub(crate) struct EntryFileView {
    pub(crate) drill: bool,
    pub(crate) what: RecordWhat,
}

impl EntryFileView {
    pub(crate) fn read(payload: &[u8]) -> Result<Self, String> {
        let file: EntryFile = serde_json::from_slice(payload).map_err(|e| e.to_string())?;
        if file.format != 1 {
            return Err(format!("entry format {} is from a newer Lamplight", file.format));
        }
        let word = |v: &serde_json::Value, key: &str| v.get(key).and_then(|k| k.as_str()).map(str::to_owned);
        let what = match (file.kind, file.audit, file.decision, file.filed) {
            (Some(k), None, None, None) => {
                let patient_id = serde_json::from_value::<EntryKind>(k.clone())
                    .ok()
                    .and_then(|e| e.patient_id().map(str::to_owned));
                RecordWhat::Entry {
                    kind: word(&k, "kind").unwrap_or_default(),
                    patient_id,
                }
            }
            (None, Some(a), None, None) => RecordWhat::Audit(a),
            (None, None, Some(d), None) => RecordWhat::Decision {
                choice: d
                    .get("choice")
                    .and_then(|c| word(c, "choice"))
                    .unwrap_or_default(),
            },
            (None, None, None, Some(_)) => RecordWhat::Filed,
            _ => return Err("neither an entry nor one audit event, decision or acknowledgement".to_owned()),
        };
        Ok(Self {
            drill: file.drill,
            what,
        })
    }
}

/// A record that is no entry, to append.
pub(crate) enum Other {
    Audit(AuditFile),
    Decision(lamplight_model::reconcile::Decision),
    Filed(crate::reconcile::FiledAck),
}

/// What a journal record holds.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Decoded {
    Entry(Box<Entry>),
    Audit,
    Decision(lamplight_model::reconcile::Decision),
    Filed(crate::reconcile::FiledAck),
}

/// One audit event in the journal: ids and codes, sealed like every record (a patient id, never a name).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct AuditFile {
    /// `signed-in`, `wrong-pin`, `emergency-sign-in`, `record-opened`, `printed`, `warning-confirmed`…
    pub(crate) event: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) detail: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) patient_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) session_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) account_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) emergency_reason: Option<String>,
}

/// Reconciliation's records in a journal.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Recon {
    pub(crate) decisions: Vec<lamplight_model::reconcile::Decision>,
    pub(crate) filed: Vec<crate::reconcile::FiledAck>,
}

impl Recon {
    fn take(&mut self, record: Decoded) {
        match record {
            Decoded::Decision(d) => self.decisions.push(d),
            Decoded::Filed(f) => self.filed.push(f),
            Decoded::Entry(_) | Decoded::Audit => {}
        }
    }
}

/// This PC's journal, the ward folder it meets its peers in, and the entries both hold.
#[derive(Debug)]
pub(crate) struct EntryBook {
    /// `None` until this PC records its first entry: a PC that only reads (or a command that only
    /// reads) writes nothing, in its vault or on the share.
    journal: Option<Journal>,
    vault_dir: std::path::PathBuf,
    /// The vault (with its trust), read again for revocations at each sync.
    vault: lamplight_vault::Vault,
    /// The PCs IT revoked ([`crate::revoke`]) and the revocations that could not be taken.
    revoked: (Vec<crate::revoke::RevokedPc>, Vec<String>),
    pc: String,
    ward: Option<WardFolder>,
    /// This PC's wards (empty: every ward).
    wards: Vec<String>,
    own: Vec<Entry>,
    peers: Vec<Entry>,
    /// Reconciliation's records: decisions and acknowledgements, this PC's and its peers'.
    own_recon: Recon,
    peer_recon: Recon,
    /// Records that could not be read as entries, said on every screen.
    problems: Vec<String>,
    /// Since when the ward folder has not answered.
    unreachable_since: Option<DateTime<Utc>>,
}

/// What a record holds, or why it is not one Lamplight reads. `wards` are the reading PC's: a record
/// from a PC that serves none of them is refused.
fn decode(record: &Record, wards: &[String]) -> Result<Decoded, String> {
    let file: EntryFile = serde_json::from_slice(&record.payload).map_err(|e| {
        format!(
            "record {} of {} is not an entry Lamplight reads ({e})",
            record.sequence, record.pc
        )
    })?;
    if file.format != 1 {
        return Err(format!(
            "record {} of {} was written by a newer Lamplight (entry format {}): update this PC",
            record.sequence, record.pc, file.format
        ));
    }
    if !wards.is_empty() && !file.wards.is_empty() && !file.wards.iter().any(|w| wards.contains(w)) {
        return Err(format!(
            "PC {} records for ward {}, not this PC's ({}): its entries are not shown here. IT: check that the ward folder is this ward's",
            record.pc,
            file.wards.join(", "),
            wards.join(", ")
        ));
    }
    let unknown = |what: &str, e: serde_json::Error| {
        format!(
            "record {} of {} holds {what} this Lamplight does not know ({e})",
            record.sequence, record.pc
        )
    };
    let Some(kind) = file.kind else {
        return match (file.audit, file.decision, file.filed) {
            (Some(_), None, None) => Ok(Decoded::Audit),
            (None, Some(d), None) => serde_json::from_value(d)
                .map(Decoded::Decision)
                .map_err(|e| unknown("a decision", e)),
            (None, None, Some(f)) => serde_json::from_value(f)
                .map(Decoded::Filed)
                .map_err(|e| unknown("a filing acknowledgement", e)),
            _ => Err(format!(
                "record {} of {} holds neither an entry nor one audit event, decision or acknowledgement",
                record.sequence, record.pc
            )),
        };
    };
    let kind: EntryKind = serde_json::from_value(kind).map_err(|e| {
        format!(
            "record {} of {} holds an entry this Lamplight does not know ({e})",
            record.sequence, record.pc
        )
    })?;
    Ok(Decoded::Entry(Box::new(Entry {
        id: record.entry_id.to_string(),
        recorded_at: record.recorded_at,
        recorded_by: record.author.clone(),
        pc: file.pc,
        drill: file.drill,
        corrects: record.corrects.map(|c| c.to_string()),
        kind,
    })))
}

impl EntryBook {
    /// Opens this PC's journal in the vault (and the ward folder, when one is configured). A journal
    /// that does not exist yet is made now only when `create`; else by the first record.
    pub(crate) fn open(
        vault: &lamplight_vault::Vault,
        identity: &lamplight_vault::Identity,
        pc: &str,
        wards: &[String],
        ward_folder: Option<&std::path::Path>,
        create: bool,
    ) -> Result<(Self, Vec<String>), lamplight_vault::VaultError> {
        let exists = lamplight_vault::journal::journal_dir(vault.dir())
            .join(format!("{pc}.{}", lamplight_vault::journal::JOURNAL_EXTENSION))
            .exists();
        let mut notes = Vec::new();
        let journal = if exists || create {
            let (journal, check) = Journal::open(vault.dir(), pc)?;
            if let Some(torn) = &check.torn {
                notes.push(format!(
                    "This PC's journal ended in a record cut short (record {}, a crash while writing): it was set aside, and every entry saved before it is here",
                    torn.sequence
                ));
            }
            Some(journal)
        } else {
            None
        };
        let mut book = Self {
            ward: ward_folder.map(|d| WardFolder::new(d, pc)).transpose()?,
            journal,
            vault_dir: vault.dir().to_owned(),
            vault: vault.clone(),
            revoked: crate::revoke::read_revocations(vault),
            pc: pc.to_owned(),
            wards: wards.to_vec(),
            own: Vec::new(),
            peers: Vec::new(),
            own_recon: Recon::default(),
            peer_recon: Recon::default(),
            problems: Vec::new(),
            unreachable_since: None,
        };
        let records = match &book.journal {
            Some(j) => j.records(identity)?,
            None => Vec::new(),
        };
        for record in records {
            match decode(&record, &[]) {
                Ok(Decoded::Entry(e)) => book.own.push(*e),
                Ok(other) => book.own_recon.take(other),
                Err(p) => book.problems.push(p),
            }
        }
        Ok((book, notes))
    }

    /// This PC's journal, made by the first record that needs it.
    fn journal_mut(&mut self) -> Result<&mut Journal, lamplight_vault::VaultError> {
        if self.journal.is_none() {
            self.journal = Some(Journal::open(&self.vault_dir, &self.pc)?.0);
        }
        Ok(self.journal.as_mut().expect("opened just above"))
    }

    /// The ward's reconciliation records: every PC's decisions and acknowledgements.
    pub(crate) fn recon(&self) -> Recon {
        let mut all = self.own_recon.clone();
        all.decisions.extend(self.peer_recon.decisions.iter().cloned());
        all.filed.extend(self.peer_recon.filed.iter().cloned());
        all
    }

    /// The ward's entries: this PC's and its peers'.
    pub(crate) fn all(&self) -> Vec<Entry> {
        let mut all = self.own.clone();
        all.extend(self.peers.iter().cloned());
        all.sort_by(|a, b| a.recorded_at.cmp(&b.recorded_at).then_with(|| a.id.cmp(&b.id)));
        all
    }

    /// Pushes this PC's records to the ward folder and reads its peers'. True when the peers'
    /// entries or the folder's reachability changed.
    pub(crate) fn sync(&mut self, identity: &lamplight_vault::Identity, now: DateTime<Utc>) -> bool {
        let Some(ward) = &mut self.ward else {
            return false;
        };
        let report = match &self.journal {
            Some(journal) => ward.sync(journal, identity, now),
            None => ward.pull_only(identity, now),
        };
        let mut changed = report.unreachable_since != self.unreachable_since;
        self.unreachable_since = report.unreachable_since;
        let revoked = crate::revoke::read_revocations(&self.vault);
        let revocations_changed = revoked != self.revoked;
        self.revoked = revoked;
        if report.pulled > 0 || changed || revocations_changed {
            let mut peers = Vec::new();
            let mut recon = Recon::default();
            let mut problems = self.revoked.1.clone();
            let mut left_out: std::collections::BTreeMap<&str, u64> = std::collections::BTreeMap::new();
            for r in ward.peer_records() {
                if self.revoked.0.iter().any(|v| v.excludes(&r.pc, r.sequence)) {
                    *left_out.entry(r.pc.as_str()).or_default() += 1;
                    continue;
                }
                match decode(r, &self.wards) {
                    Ok(Decoded::Entry(e)) => peers.push(*e),
                    Ok(other) => recon.take(other),
                    Err(p) => problems.push(p),
                }
            }
            self.peer_recon = recon;
            for (pc, n) in left_out {
                let why = self
                    .revoked
                    .0
                    .iter()
                    .find(|v| v.pc.eq_ignore_ascii_case(pc))
                    .map(|v| format!("{} on {}: {}", v.by, time::clinical(v.revoked_at), v.reason))
                    .unwrap_or_default();
                problems.push(format!(
                    "PC {pc} was revoked by IT ({why}): {n} of its records made after that are not shown. Record what they held again if a person confirms it"
                ));
            }
            problems.extend(report.problems.iter().map(ToString::to_string));
            changed |= peers != self.peers || problems != self.problems;
            self.peers = peers;
            self.problems = problems;
        }
        changed
    }

    /// IT's revocation of this PC, when there is one: it records nothing more.
    /// As of the last look at the vault (opening the book, then each sync): never a folder read
    /// on the status poll.
    pub(crate) fn this_pc_revoked(&self) -> Option<crate::revoke::RevokedPc> {
        self.revoked
            .0
            .iter()
            .find(|v| v.pc.eq_ignore_ascii_case(&self.pc))
            .cloned()
    }

    /// What every screen must say about the ward's record.
    pub(crate) fn warnings(&self) -> Vec<String> {
        let mut out = self.problems.clone();
        if let Some(v) = self.this_pc_revoked() {
            out.push(format!(
                "IT revoked this PC ({} on {}: {}): nothing more can be recorded here. Use another PC of the ward, or paper",
                v.by,
                time::clinical(v.revoked_at),
                v.reason
            ));
        }
        if let Some(since) = self.unreachable_since {
            out.push(format!(
                "Not seeing the other PCs' entries since {}: the ward folder cannot be reached. Entries made here are saved and will be shared when it returns",
                time::clock(since)
            ));
        }
        out
    }
}

impl Station {
    /// Records a downtime entry for the signed-in person: refused (and nothing saved) when no one
    /// is signed in, the session has locked, or the role may not record it; otherwise durable (the
    /// record fsync'd in this PC's journal) before it returns, and then shown on every screen.
    pub fn record(
        &self,
        kind: EntryKind,
        corrects: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<Entry, StationError> {
        let action = self.action_to_record(&kind, corrects);
        let actor = self.require(action, now)?;
        self.record_by(&actor, kind, corrects, now)
    }

    /// What recording `kind` asks of a role; withdrawing an entry asks what recording it did.
    pub(crate) fn action_to_record(
        &self,
        kind: &EntryKind,
        corrects: Option<&str>,
    ) -> lamplight_model::Action {
        let corrected = corrects.and_then(|id| {
            self.data()
                .entries()
                .iter()
                .find(|e| e.id == id)
                .map(|e| e.kind.clone())
        });
        lamplight_model::people::Action::to_record(kind, corrected.as_ref())
    }

    /// Records an entry for `actor` without a session on this PC: for tools that act for a named
    /// person (`lamplight demo-entries` in a drill, tests). The role is still checked.
    pub fn record_as(
        &self,
        actor: &crate::session::Actor,
        kind: EntryKind,
        corrects: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<Entry, StationError> {
        let action = self.action_to_record(&kind, corrects);
        if !actor.role.may(action) {
            return Err(StationError::Refused(crate::session::Refusal::NotAllowed {
                role: actor.role,
                action,
            }));
        }
        self.record_by(actor, kind, corrects, now)
    }

    fn record_by(
        &self,
        actor: &crate::session::Actor,
        kind: EntryKind,
        corrects: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<Entry, StationError> {
        // Lock order: `live` (the mode) is never locked while the entry book is held.
        let drill = self.mode().mode == Mode::Drill;
        let entry = Entry {
            id: Uuid::new_v4().to_string(),
            recorded_at: now,
            recorded_by: actor.full_name.clone(),
            pc: self.config.pc.clone(),
            drill,
            corrects: corrects.map(str::to_owned),
            kind,
        };
        let corrects_id = corrects
            .map(Uuid::parse_str)
            .transpose()
            .map_err(|_| StationError::NotFound {
                what: "entry",
                id: corrects.unwrap_or_default().to_owned(),
            })?;
        if self.vault.is_none() {
            // The demo ward has no vault: its entries live in memory, as its screens say.
            let mut all = self.data().entries().to_vec();
            all.push(entry.clone());
            self.show_entries(all);
            return Ok(entry);
        }
        let payload = serde_json::to_vec(&EntryFile {
            format: 1,
            pc: entry.pc.clone(),
            wards: self.config.wards.clone(),
            drill,
            kind: Some(serde_json::to_value(&entry.kind).expect("an entry always serialises")),
            audit: None,
            decision: None,
            filed: None,
        })
        .expect("an entry file always serialises");
        let all = self.with_book(now, |book, recipients| {
            book.journal_mut()?.append(
                &NewRecord {
                    entry_id: Uuid::parse_str(&entry.id).expect("a fresh UUID parses"),
                    corrects: corrects_id,
                    author: &actor.full_name,
                    role: actor.role.word(),
                    recorded_at: now,
                    payload: &payload,
                },
                recipients,
            )?;
            book.own.push(entry.clone());
            Ok(())
        })?;
        self.show_entries(all);
        tracing::info!(pc = %entry.pc, "entry recorded");
        Ok(entry)
    }

    /// Runs `f` on this PC's entry book (made by the first record), then shares the journal with
    /// the ward folder at once, so the other PCs see it on their next look (a folder that does not
    /// answer is said on every screen, and the record goes when it returns). Returns the ward's
    /// entries after it.
    fn with_book(
        &self,
        now: DateTime<Utc>,
        f: impl FnOnce(&mut EntryBook, &[lamplight_vault::Recipient]) -> Result<(), lamplight_vault::VaultError>,
    ) -> Result<Vec<Entry>, StationError> {
        let mut guard = self
            .book
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if guard.is_none()
            && let (Some(vault), Some(identity)) = (&self.vault, &self.identity)
        {
            match EntryBook::open(
                vault,
                identity,
                &self.config.pc,
                &self.config.wards,
                self.config.ward_folder.as_deref(),
                true,
            ) {
                Ok((book, _)) => *guard = Some(book),
                Err(lamplight_vault::VaultError::JournalInUse { .. }) => {}
                Err(e) => return Err(StationError::NotSaved(e)),
            }
        }
        let book = guard.as_mut().ok_or(StationError::NoJournal)?;
        if let Some(revoked) = book.this_pc_revoked() {
            return Err(StationError::Revoked {
                by: revoked.by,
                at: time::clinical(revoked.revoked_at),
                reason: revoked.reason,
            });
        }
        f(book, &self.recipients).map_err(|e| match e {
            lamplight_vault::VaultError::JournalInUse { .. } => StationError::NoJournal,
            e => StationError::NotSaved(e),
        })?;
        if let Some(identity) = &self.identity {
            book.sync(identity, now);
        }
        Ok(book.all())
    }

    /// Opens (making it if need be) this PC's journal now, and holds it: for a window, which must
    /// be the one Lamplight on its PC that records. Nothing to do without a vault.
    pub fn claim_journal(&self) -> Result<(), StationError> {
        if self.vault.is_none() {
            return Ok(());
        }
        let all = self.with_book(Utc::now(), |book, _| book.journal_mut().map(|_| ()))?;
        self.show_entries(all);
        Ok(())
    }

    /// Appends an audit event to the journal. A PC without a journal (the demo ward) keeps none; a
    /// journal that will not take it is logged (ids only) and said on screen by the next entry.
    pub(crate) fn append_audit(&self, author: &str, role: &str, audit: AuditFile, now: DateTime<Utc>) {
        if self.vault.is_none() {
            return;
        }
        let record = Other::Audit(audit);
        if let Err(e) = self.append_other(author, role, record, now) {
            tracing::warn!(error = %e, "audit event not written to the journal");
        }
    }

    /// Appends a record that is no entry (an audit event, a decision, an acknowledgement) to this
    /// PC's journal, fsync'd before it returns, and shares it with the ward folder.
    pub(crate) fn append_other(
        &self,
        author: &str,
        role: &str,
        record: Other,
        now: DateTime<Utc>,
    ) -> Result<(), StationError> {
        let drill = self.mode().mode == Mode::Drill;
        let (audit, decision, filed, kept) = match record {
            Other::Audit(a) => (Some(a), None, None, None),
            Other::Decision(d) => (
                None,
                Some(serde_json::to_value(&d).expect("a decision serialises")),
                None,
                Some(Decoded::Decision(d)),
            ),
            Other::Filed(f) => (
                None,
                None,
                Some(serde_json::to_value(&f).expect("an acknowledgement serialises")),
                Some(Decoded::Filed(f)),
            ),
        };
        let payload = serde_json::to_vec(&EntryFile {
            format: 1,
            pc: self.config.pc.clone(),
            wards: self.config.wards.clone(),
            drill,
            kind: None,
            audit,
            decision,
            filed,
        })
        .expect("a journal record always serialises");
        let all = self.with_book(now, |book, recipients| {
            book.journal_mut()?.append(
                &NewRecord {
                    entry_id: Uuid::new_v4(),
                    corrects: None,
                    author,
                    role,
                    recorded_at: now,
                    payload: &payload,
                },
                recipients,
            )?;
            if let Some(kept) = kept {
                book.own_recon.take(kept);
            }
            Ok(())
        })?;
        // Opening the book may have pulled the peers' entries: shown now, or a later look at the
        // ward folder would find nothing new and never show them.
        self.show_entries(all);
        Ok(())
    }

    /// Audits what a signed-in person did that is no entry (`warning-confirmed`, `printed`).
    pub(crate) fn audit(&self, actor: &Actor, event: &str, detail: Option<&str>, now: DateTime<Utc>) {
        self.append_audit(
            &actor.full_name,
            actor.role.word(),
            audit_of(actor, event, detail, None),
            now,
        );
    }

    /// Audits what a signed-in person did with one patient's record.
    pub(crate) fn audit_patient(&self, actor: &Actor, event: &str, patient_id: &str, now: DateTime<Utc>) {
        self.append_audit(
            &actor.full_name,
            actor.role.word(),
            audit_of(actor, event, None, Some(patient_id)),
            now,
        );
    }

    /// Whoever is signed in, when they may do `action` now; a refusal is written to the audit
    /// trail before it returns.
    pub(crate) fn require(
        &self,
        action: lamplight_model::Action,
        now: DateTime<Utc>,
    ) -> Result<crate::session::Actor, StationError> {
        let result = self.sessions().require(action, now);
        if result.is_err() {
            self.flush_session_audit();
        }
        result.map_err(StationError::Refused)
    }

    /// Writes the sign-in desk's audit events (sign-ins, refusals, sign-outs) to the journal.
    pub(crate) fn flush_session_audit(&self) {
        let events = self.sessions().take_audit();
        for e in events {
            let audit = AuditFile {
                event: e.event.clone(),
                detail: e.detail.clone(),
                patient_id: None,
                session_id: e.session_id.clone(),
                account_id: e.account_id.clone(),
                emergency_reason: e.reason.clone(),
            };
            let author = e.full_name.as_deref().unwrap_or("(not recognised)");
            let role = e.role.map_or("none", lamplight_model::Role::word);
            self.append_audit(author, role, audit, e.at);
        }
    }

    /// Signs a person in with the roster (name or user id, and PIN).
    pub fn sign_in(
        &self,
        request: &crate::session::SignInRequest,
        now: DateTime<Utc>,
    ) -> Result<SessionView, StationError> {
        let pin = crate::session::Pin::new(request.pin.clone());
        let result = self.sessions().sign_in(&request.name, &pin, now);
        self.after_sign_in(result, now)
    }

    /// Signs a person in without a roster (none reached this PC): marked and audited as such.
    pub fn emergency_sign_in(
        &self,
        request: &crate::session::EmergencySignIn,
        now: DateTime<Utc>,
    ) -> Result<SessionView, StationError> {
        let result = self.sessions().emergency_sign_in(request, now);
        self.after_sign_in(result, now)
    }

    fn after_sign_in(
        &self,
        result: Result<crate::session::Session, crate::session::SignInError>,
        now: DateTime<Utc>,
    ) -> Result<SessionView, StationError> {
        self.flush_session_audit();
        self.live().revision += 1;
        result.map_err(StationError::SignIn)?;
        Ok(self.sessions().view(now))
    }

    /// Ends the session on this PC.
    pub fn sign_out(&self, now: DateTime<Utc>) -> SessionView {
        self.sessions().sign_out(now);
        *self
            .last_opened
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = None;
        self.flush_session_audit();
        self.live().revision += 1;
        self.sessions().view(now)
    }

    /// The person is using the window: their session stays open.
    pub fn session_activity(&self, now: DateTime<Utc>) -> SessionView {
        let mut sessions = self.sessions();
        sessions.touch(now);
        sessions.view(now)
    }

    /// Shares this PC's entries with the ward folder and shows its peers'. True when screens changed.
    pub(crate) fn sync_ward(&self, now: DateTime<Utc>) -> bool {
        let Some(identity) = &self.identity else {
            return false;
        };
        let mut guard = self
            .book
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let Some(book) = guard.as_mut() else {
            return false;
        };
        if !book.sync(identity, now) {
            return false;
        }
        let all = book.all();
        drop(guard);
        self.show_entries(all);
        self.live().revision += 1;
        true
    }

    /// What every screen says about the ward's downtime record: unreadable records, an unreachable
    /// ward folder, and doses recorded twice.
    pub(crate) fn entry_warnings(&self) -> Vec<String> {
        let mut out = self
            .book
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .as_ref()
            .map(EntryBook::warnings)
            .unwrap_or_default();
        let data = self.data();
        let site = data.site();
        let due_for = |order_id: &str, given_at: DateTime<Utc>| {
            let order = site.orders.iter().find(|o| o.id == order_id)?;
            if !matches!(order.schedule, Schedule::Regular { .. }) {
                return None;
            }
            order
                .due_between(
                    given_at - lamplight_model::medication::COVER_AFTER,
                    given_at + lamplight_model::medication::COVER_BEFORE,
                )
                .into_iter()
                .min_by_key(|due| (*due - given_at).abs())
        };
        for ((order_id, due), ids) in possible_double_doses(data.entries(), due_for) {
            let medicine = site
                .orders
                .iter()
                .find(|o| o.id == order_id)
                .map_or("a medicine", |o| o.medicine.text.as_str());
            out.push(format!(
                "POSSIBLE DOUBLE DOSE: {medicine} due {} was recorded as given {} times (on {}): check the patient and the chart before giving anything more",
                time::clock(due),
                ids.len(),
                pcs_of(data.entries(), &ids)
            ));
        }
        out
    }
}

fn pcs_of(entries: &[Entry], ids: &[String]) -> String {
    let mut pcs: Vec<&str> = entries
        .iter()
        .filter(|e| ids.contains(&e.id))
        .map(|e| e.pc.as_str())
        .collect();
    pcs.sort_unstable();
    pcs.dedup();
    pcs.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use lamplight_model::medication::OmissionReason;
    use lamplight_model::{Admission, Consciousness, ObservationSet, Oxygen, Patient, PersonName, Sex};

    fn at(h: u32, m: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 10, 25, h, m, 0).unwrap()
    }

    /// One entry of every kind, with fixed values.
    fn every_kind() -> Vec<EntryKind> {
        let mut set = ObservationSet::empty("obs-1", "p1", at(1, 30));
        set.respiration_rate = Some(18);
        set.spo2 = Some(96);
        set.oxygen = Some(Oxygen::Supplemental {
            litres_per_minute: Some(2.0),
            device: Some("Nasal cannula".into()),
        });
        set.systolic_bp = Some(128);
        set.diastolic_bp = Some(76);
        set.pulse = Some(88);
        set.consciousness = Some(Consciousness::Alert);
        set.temperature_c = Some(37.2);
        set.recorded_by = Some("Sam Jones".into());
        vec![
            EntryKind::DoseGiven {
                patient_id: "p1".into(),
                order_id: "o1".into(),
                given_at: at(0, 30),
                dose: "500 mg".into(),
                given_by: "Sam Jones".into(),
                checked_by: Some("Ruth Adeyemi".into()),
                due_at: None,
            },
            EntryKind::DoseNotGiven {
                patient_id: "p1".into(),
                order_id: "o2".into(),
                due_at: at(1, 0),
                reason: OmissionReason::Withheld,
                note: Some("BP low".into()),
            },
            EntryKind::Observations { set },
            EntryKind::Admission {
                patient: Patient {
                    id: "DT-PC1-0001".into(),
                    nhs_number: Some("9434765919".parse().unwrap()),
                    hospital_number: None,
                    name: PersonName {
                        family: "Testperson".into(),
                        given: vec!["Alex".into()],
                        prefix: None,
                    },
                    birth_date: chrono::NaiveDate::from_ymd_opt(1961, 3, 2),
                    sex: Sex::Female,
                },
                admission: Admission {
                    id: "DT-PC1-0001-stay".into(),
                    patient_id: "DT-PC1-0001".into(),
                    ward_id: Some("w1".into()),
                    bed_id: Some("b3".into()),
                    admitted_at: at(1, 45),
                    consultant: None,
                    specialty: None,
                    expected_discharge: None,
                    reason: Some("Fall".into()),
                },
            },
            EntryKind::Transfer {
                patient_id: "p1".into(),
                ward_id: "w2".into(),
                bed_id: None,
            },
            EntryKind::Discharge {
                patient_id: "p2".into(),
                at: at(2, 0),
                destination: Some("Home".into()),
            },
            EntryKind::Note {
                patient_id: "p1".into(),
                text: "Settled".into(),
            },
            EntryKind::PhonedResult {
                patient_id: "p1".into(),
                test: "Potassium".into(),
                value: "5.9 mmol/L".into(),
                caller: "Lab, ext 4410".into(),
                read_back: true,
            },
            EntryKind::EnteredInError {
                reason: "wrong patient".into(),
            },
        ]
    }

    /// What is on disk for an entry must not change when a model field is renamed: the payload of
    /// every kind is pinned here. A deliberate change is a new entry format (and a reader for 1).
    #[test]
    fn entry_file_format_1_is_frozen() {
        let files: Vec<serde_json::Value> = every_kind()
            .into_iter()
            .map(|kind| {
                serde_json::to_value(EntryFile {
                    format: 1,
                    pc: "PC1".into(),
                    wards: vec!["WD7".into()],
                    drill: false,
                    kind: Some(serde_json::to_value(&kind).unwrap()),
                    audit: None,
                    decision: None,
                    filed: None,
                })
                .unwrap()
            })
            .collect();
        let pinned: serde_json::Value = serde_json::from_str(include_str!("entries/entry-format-1.json"))
            .expect("the pinned file is JSON");
        if std::env::var_os("UPDATE_ENTRY_FORMAT").is_some() {
            std::fs::write(
                concat!(env!("CARGO_MANIFEST_DIR"), "/src/entries/entry-format-1.json"),
                serde_json::to_string_pretty(&files).unwrap() + "\n",
            )
            .unwrap();
        }
        assert_eq!(
            serde_json::Value::Array(files),
            pinned,
            "entry format 1 changed: a model rename reached the journal. Keep the old names with serde \
             attributes, or make a format 2 that still reads 1"
        );
        // And every pinned record still reads back as the entry it was.
        for (value, kind) in pinned.as_array().unwrap().iter().zip(every_kind()) {
            let record = Record {
                journal: Uuid::nil(),
                pc: "PC1".into(),
                sequence: 1,
                entry_id: Uuid::nil(),
                corrects: None,
                author: "Sam Jones".into(),
                role: "nurse".into(),
                recorded_at: at(2, 5),
                payload: serde_json::to_vec(value).unwrap(),
            };
            let Ok(Decoded::Entry(entry)) = decode(&record, &["WD7".into()]) else {
                panic!("a pinned record reads back as an entry");
            };
            assert_eq!(entry.kind, kind);
        }
    }

    #[test]
    fn an_audit_record_is_no_entry_and_a_record_with_neither_is_a_problem() {
        let record = |payload: &str| Record {
            journal: Uuid::nil(),
            pc: "PC1".into(),
            sequence: 3,
            entry_id: Uuid::nil(),
            corrects: None,
            author: "Sam Jones".into(),
            role: "nurse".into(),
            recorded_at: at(2, 5),
            payload: payload.as_bytes().to_vec(),
        };
        let audit =
            r#"{"format":1,"pc":"PC1","drill":false,"audit":{"event":"record-opened","patient_id":"p1"}}"#;
        assert_eq!(decode(&record(audit), &[]), Ok(Decoded::Audit));
        let neither = r#"{"format":1,"pc":"PC1","drill":false}"#;
        assert!(decode(&record(neither), &[]).unwrap_err().contains("neither"));
        let newer = r#"{"format":2,"pc":"PC1","drill":false}"#;
        assert!(
            decode(&record(newer), &[])
                .unwrap_err()
                .contains("newer Lamplight")
        );
    }
}

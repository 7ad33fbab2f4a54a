//! The ward folder: where the PCs of a ward meet, as plain files on a share (no listening port, no
//! network code). Each PC mirrors its sealed records there and reads its peers'; the ward's record
//! is the union of every chain, each verified on its own (DESIGN.md promise 11).
//!
//! ```text
//! WARD/journals/
//!   WD1-PC1/000000000001.llrec     one record per file: the same bytes as in WD1-PC1's journal
//!   WD1-PC1/.tmp-000000000002.llrec  only while being copied
//!   WD1-PC2/…
//! ```
//!
//! One file per record, unlike the local journal: each is written under a temporary name, fsync'd
//! and renamed, so a peer sees a record's name only once it is whole, and a file is never rewritten,
//! so a reader that already has record N never reads it again. Shares deliver change notifications
//! badly (SMB, NFS), so [`WardFolder::sync`] is made to be polled every few seconds: it lists the
//! PCs' folders (one per PC), asks for each peer's next record by name, and reads only records it
//! has not read; what it decrypted stays in memory (peers' records are read from the share again
//! after a restart: no local copy is kept). A record
//! that is there but incomplete (a peer or a copying tool still writing it) is skipped and read on a
//! later sync; a record that breaks its chain is reported, loudly, every time, and nothing after
//! it in that chain is read. Pushing is off the path of "saved": an entry is durable once in the
//! local journal, and reaches the share on the next sync.
//!
//! A folder that cannot be reached is not an error: the report says since when, and the next
//! sync that reaches it catches up both ways.

use std::collections::{BTreeMap, BTreeSet};
use std::fs::File;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};

use super::{ChainState, Journal, Record, check_pc_name, open_frame, parse_frame};
use crate::{Identity, VaultError};

/// A record file's extension on the share.
pub const RECORD_EXTENSION: &str = "llrec";

/// One PC's view of its ward folder, kept between syncs.
#[derive(Debug)]
pub struct WardFolder {
    dir: PathBuf,
    pc: String,
    /// How far this PC's records are known to be on the share.
    pushed: Option<u64>,
    peers: BTreeMap<String, Peer>,
    unreachable_since: Option<DateTime<Utc>>,
    last_reached: Option<DateTime<Utc>>,
}

#[derive(Debug)]
struct Peer {
    state: ChainState,
    records: Vec<Record>,
}

/// What one sync did and found. Ids and counts only: no patient data.
#[derive(Debug)]
#[non_exhaustive]
pub struct SyncReport {
    /// The folder answered this time.
    pub reachable: bool,
    /// When this PC first failed to reach the folder after it last did (`None` while reachable).
    pub unreachable_since: Option<DateTime<Utc>>,
    /// The last time the folder answered (the peers' entries shown are as of then).
    pub last_reached: Option<DateTime<Utc>>,
    /// This PC's records copied to the folder now.
    pub pushed: u64,
    /// Peers' records read now.
    pub pulled: u64,
    /// Peers' records present but incomplete (still being copied): PC and sequence, read next time.
    pub incomplete: Vec<(String, u64)>,
    /// Chains that are broken, from another ward's PC, or sealed to another key: reported every
    /// sync; nothing after the bad record of that chain is read.
    pub problems: Vec<VaultError>,
}

impl WardFolder {
    /// The ward folder `dir` as seen by the PC `pc` (whose own journal is pushed there).
    pub fn new(dir: &Path, pc: &str) -> Result<Self, VaultError> {
        check_pc_name(pc)?;
        Ok(Self {
            dir: dir.to_owned(),
            pc: pc.to_owned(),
            pushed: None,
            peers: BTreeMap::new(),
            unreachable_since: None,
            last_reached: None,
        })
    }

    fn journals(&self) -> PathBuf {
        self.dir.join("journals")
    }

    /// Pushes this PC's records not yet on the share, and reads the peers' new ones. Cheap enough
    /// to call every few seconds.
    pub fn sync(&mut self, journal: &Journal, identity: &Identity, now: DateTime<Utc>) -> SyncReport {
        self.sync_with(Some(journal), identity, now)
    }

    /// Reads the peers' new records and writes nothing: for a PC that has recorded nothing yet, or
    /// a command that only reads (it leaves no folder of its own on the share).
    pub fn pull_only(&mut self, identity: &Identity, now: DateTime<Utc>) -> SyncReport {
        self.sync_with(None, identity, now)
    }

    fn sync_with(
        &mut self,
        journal: Option<&Journal>,
        identity: &Identity,
        now: DateTime<Utc>,
    ) -> SyncReport {
        let mut report = SyncReport {
            reachable: false,
            unreachable_since: None,
            last_reached: self.last_reached,
            pushed: 0,
            pulled: 0,
            incomplete: Vec::new(),
            problems: Vec::new(),
        };
        let reached = (|| -> Result<(), std::io::Error> {
            // The folder itself is the share's: never created here, or an unmounted share would
            // silently become a local folder no peer sees.
            if !std::fs::metadata(&self.dir)?.is_dir() {
                return Err(std::io::ErrorKind::NotADirectory.into());
            }
            if self.unreachable_since.is_some() {
                self.pushed = None; // the share may have been restored: look again
            }
            if let Some(journal) = journal {
                self.push(journal, &mut report)?;
            }
            self.pull(identity, &mut report)
        })();
        match reached {
            Ok(()) => {
                report.reachable = true;
                self.unreachable_since = None;
                self.last_reached = Some(now);
                report.last_reached = Some(now);
            }
            Err(_) => {
                self.unreachable_since.get_or_insert(now);
            }
        }
        report.unreachable_since = self.unreachable_since;
        report
    }

    fn push(&mut self, journal: &Journal, report: &mut SyncReport) -> std::io::Result<()> {
        debug_assert_eq!(journal.pc(), self.pc, "a PC pushes its own journal");
        let mine = self.journals().join(&self.pc);
        std::fs::create_dir_all(&mine)?;
        if let Some(n) = self.pushed
            && n > 0
            && !mine.join(record_name(n)).exists()
        {
            self.pushed = None;
        }
        let pushed = if let Some(n) = self.pushed {
            n
        } else {
            match find_pushed(&mine, &self.pc, journal)? {
                Ok(n) => n,
                Err(problem) => {
                    report.problems.push(problem);
                    return Ok(());
                }
            }
        };
        let bytes = journal.frames_after(pushed).map_err(std::io::Error::other)?;
        let mut offset = 0;
        let mut sequence = pushed;
        while offset < bytes.len() {
            let frame =
                parse_frame(&bytes[offset..]).map_err(|_| std::io::Error::other("local journal changed"))?;
            sequence = frame.header.sequence;
            let tmp = mine.join(format!(".tmp-{}", record_name(sequence)));
            let mut f = File::create(&tmp)?;
            f.write_all(frame.bytes)?;
            f.sync_all()?;
            drop(f);
            std::fs::rename(&tmp, mine.join(record_name(sequence)))?;
            offset += frame.bytes.len();
            report.pushed += 1;
            self.pushed = Some(sequence);
        }
        if report.pushed > 0 {
            crate::vault::sync_dir(&mine)?;
        }
        self.pushed = Some(sequence);
        Ok(())
    }

    fn pull(&mut self, identity: &Identity, report: &mut SyncReport) -> std::io::Result<()> {
        let journals = self.journals();
        let listing = match std::fs::read_dir(&journals) {
            // No PC has shared a record yet (the share itself answered).
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
            other => other?,
        };
        for entry in listing {
            let entry = entry?;
            let Some(pc) = entry.file_name().to_str().map(str::to_owned) else {
                continue;
            };
            if pc == self.pc || check_pc_name(&pc).is_err() || !entry.file_type()?.is_dir() {
                continue;
            }
            let dir = entry.path();
            let peer = self.peers.entry(pc.clone()).or_insert_with(|| Peer {
                state: ChainState::new(Some(&pc)),
                records: Vec::new(),
            });
            // Records are named by sequence: ask for the next one by name rather than listing a
            // folder that grows by one file per entry, so an idle poll costs one failed open.
            loop {
                let path = dir.join(record_name(peer.state.next));
                // Read no more than a record can be: a planted file of gigabytes is damage, not memory
                // to fill on every poll.
                let read = std::fs::File::open(&path).and_then(|f| {
                    let mut b = Vec::new();
                    std::io::Read::read_to_end(
                        &mut std::io::Read::take(f, super::MAX_RECORD_FILE + 1),
                        &mut b,
                    )
                    .map(|_| b)
                });
                let bytes = match read {
                    Ok(b) if b.len() as u64 > super::MAX_RECORD_FILE => {
                        report.problems.push(VaultError::RecordCorrupt {
                            path,
                            sequence: peer.state.next,
                        });
                        break;
                    }
                    Ok(b) => b,
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                        if dir.join(record_name(peer.state.next + 1)).exists() {
                            // A later record is there before this one: still being copied.
                            report.incomplete.push((pc.clone(), peer.state.next));
                        }
                        break;
                    }
                    Err(e) => return Err(e),
                };
                let frame = match parse_frame(&bytes) {
                    Ok(f) if f.bytes.len() == bytes.len() => f,
                    Err(super::FrameProblem::Incomplete) => {
                        report.incomplete.push((pc.clone(), peer.state.next));
                        break;
                    }
                    _ => {
                        report.problems.push(VaultError::RecordCorrupt {
                            path,
                            sequence: peer.state.next,
                        });
                        break;
                    }
                };
                let mut next = peer.state.clone();
                let opened = next
                    .accept(&path, &frame)
                    .and_then(|()| open_frame(&path, &frame, identity));
                match opened {
                    Ok(record) => {
                        peer.state = next;
                        peer.records.push(record);
                        report.pulled += 1;
                    }
                    Err(e) => {
                        report.problems.push(e);
                        break;
                    }
                }
            }
        }
        Ok(())
    }

    /// Every peer's records read so far, chain by chain (PC name order), each in sequence.
    pub fn peer_records(&self) -> impl Iterator<Item = &Record> {
        self.peers.values().flat_map(|p| p.records.iter())
    }

    /// The PCs seen in the folder, with how many records of each were read.
    pub fn peers(&self) -> impl Iterator<Item = (&str, u64)> {
        self.peers.iter().map(|(pc, p)| (pc.as_str(), p.state.next - 1))
    }

    /// When this PC first failed to reach the folder since it last did.
    pub fn unreachable_since(&self) -> Option<DateTime<Utc>> {
        self.unreachable_since
    }

    /// The ward's record: this PC's records and every peer's, by time recorded (then PC, then
    /// sequence, so the order is the same on every PC).
    pub fn union<'a>(&'a self, own: &'a [Record]) -> Vec<&'a Record> {
        let mut all: Vec<&Record> = own.iter().chain(self.peer_records()).collect();
        all.sort_by(|a, b| (a.recorded_at, &a.pc, a.sequence).cmp(&(b.recorded_at, &b.pc, b.sequence)));
        all
    }
}

/// How many of this PC's records are on the share already, as a whole prefix of its chain (any
/// record missing is copied again). The last of them must be this journal's own: a share holding
/// another chain under this PC's name is a problem to report, never to overwrite.
fn find_pushed(mine: &Path, pc: &str, journal: &Journal) -> std::io::Result<Result<u64, VaultError>> {
    let on_share = list_sequences(mine)?;
    let mut n = 0;
    while on_share.contains(&(n + 1)) {
        n += 1;
    }
    let n = n.min(journal.len());
    if n > 0 {
        let path = mine.join(record_name(n));
        let theirs = std::fs::read(&path)?;
        let ours = journal.frames_after(n - 1).map_err(std::io::Error::other)?;
        let ours = parse_frame(&ours).map(|f| f.bytes).unwrap_or_default();
        if theirs != ours {
            return Ok(Err(VaultError::ForeignRecord {
                path,
                sequence: n,
                expected_pc: pc.to_owned(),
                found_pc: pc.to_owned(),
            }));
        }
    }
    Ok(Ok(n))
}

/// `000000000042.llrec`
pub fn record_name(sequence: u64) -> String {
    format!("{sequence:012}.{RECORD_EXTENSION}")
}

fn list_sequences(dir: &Path) -> std::io::Result<BTreeSet<u64>> {
    let mut out = BTreeSet::new();
    for entry in std::fs::read_dir(dir)? {
        let name = entry?.file_name();
        if let Some(n) = name
            .to_str()
            .and_then(|n| n.strip_suffix(&format!(".{RECORD_EXTENSION}")))
            .filter(|n| n.len() == 12 && n.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|n| n.parse().ok())
        {
            out.insert(n);
        }
    }
    Ok(out)
}

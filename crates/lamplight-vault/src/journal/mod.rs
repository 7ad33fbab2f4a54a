//! The journal: one PC's downtime entries and audit, as an append-only chain of sealed records
//! (DESIGN.md promises 3 and 4). The ward folder, where the PCs of a ward meet, is [`ward`].
//!
//! What it owns: the frozen record format, durability ("saved" means fsync'd), the chain and its
//! checks. What it leaves to others: a record's payload is bytes the caller owns (the station's
//! JSON of a downtime entry), and so are the rules about which entries may be recorded by whom.
//!
//! ```text
//! VAULT/journal/
//!   WD1-PC1.lljournal             this PC's chain: records one after another, never rewritten
//!   WD1-PC1.torn-000042-<time>    the incomplete tail a crash left, set aside when opened (sealed bytes)
//! ```
//!
//! # Record format 1 (frozen; `tests/journal_vectors.rs` pins it)
//! ```text
//! lamplight-record/1\n                 magic and format (plain)
//! {record header JSON}\n                no patient data: journal id, PC, sequence, previous record's
//!                                       hash, the ciphertext's length and SHA-256
//! <age ciphertext>                      sealed to the vault's recipients; inside it:
//!     lamplight-record-sealed/1\n
//!     {sealed record JSON}\n            journal, PC, sequence and previous hash again (so the public
//!                                       header cannot be edited, and a record cannot be moved to
//!                                       another place or chain), entry id, what it corrects,
//!                                       author, role, time, payload length
//!     <payload bytes>
//! ```
//! A record's hash is the SHA-256 of all its bytes; the next record names it as `previous` (the
//! first names 64 zeros). So a record cannot be removed, swapped, edited or taken from another
//! chain without the walk noticing, and that walk needs no key: IT can run `lamplight verify`
//! anywhere. A consistent forgery of every public header is caught with the key, by the sealed
//! copy.
//!
//! # Why one append-only file
//! Recording an entry must cost little more than writing and fsyncing its bytes (the benchmark's
//! floor). Appending to one open file costs exactly that: one `write` and one `fdatasync`. A file
//! per record would add a create, a rename and a folder fsync to every entry (each a journal
//! commit of the file system), two to three times the floor. The price of one file is the torn
//! tail: a crash mid-write leaves part of the last record. Frames are self-delimiting (the header
//! says how long the ciphertext is, and its hash), so a short last frame is recognised, never
//! half-read, copied aside and cut off when the journal is next opened, and the chain continues
//! from the last whole record. A short or unreadable frame *before* the end is damage, and loud.
//! The ward folder holds one file per record instead ([`ward`]): there a rename is what makes a
//! copy atomic to peers, and pushing is off the path of "saved".

pub mod ward;

/// Entry ids are UUIDs; re-exported so callers use the same type.
pub use uuid::Uuid;

use std::fs::File;
use std::io::{Read as _, Seek as _, SeekFrom, Write as _};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::VaultError;
use crate::format::hex;
use crate::keys::{Identity, Recipient, seal_bytes};

/// The first line of every record, before the format number.
pub const RECORD_MAGIC: &str = "lamplight-record/";
/// The first line inside the ciphertext.
pub const SEALED_RECORD_MAGIC: &str = "lamplight-record-sealed/";
/// The record format this code writes and reads.
pub const RECORD_FORMAT: u32 = 1;
/// A local journal file's extension.
pub const JOURNAL_EXTENSION: &str = "lljournal";
/// The `previous` of a chain's first record.
pub const GENESIS: [u8; 32] = [0; 32];

const MAX_HEADER_LINE: usize = 4096;
/// A record is one entry: a few KiB. Anything claiming more is damage, not an entry.
const MAX_CIPHERTEXT: u64 = 16 << 20;
/// The largest record file a ward folder can hold: its header lines and the largest ciphertext.
pub(crate) const MAX_RECORD_FILE: u64 = MAX_CIPHERTEXT + 4 * MAX_HEADER_LINE as u64;

/// What anyone may read about a record without a key. Frozen: field names and order are format 1.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordHeader {
    /// The chain this record belongs to, chosen at random when the PC's first record is written.
    pub journal: Uuid,
    /// The PC whose chain it is.
    pub pc: String,
    /// 1 for the first record, then one more each time.
    pub sequence: u64,
    /// SHA-256 of the previous record's bytes, lowercase hex (64 zeros for the first).
    pub previous: String,
    pub ciphertext_len: u64,
    /// SHA-256 of the ciphertext, lowercase hex.
    pub ciphertext_sha256: String,
}

impl RecordHeader {
    /// The record's first two lines, exactly as written.
    pub fn to_bytes(&self) -> Vec<u8> {
        format!(
            "{RECORD_MAGIC}{RECORD_FORMAT}\n{}\n",
            serde_json::to_string(self).expect("record headers always serialise")
        )
        .into_bytes()
    }
}

/// The storage copy of a record's metadata, sealed with its payload. Kept apart from the model's
/// and the API's types so that renaming a field there never changes format 1.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct SealedRecord {
    journal: Uuid,
    pc: String,
    sequence: u64,
    previous: String,
    entry_id: Uuid,
    corrects: Option<Uuid>,
    author: String,
    role: String,
    recorded_at: DateTime<Utc>,
    payload_len: u64,
}

/// An entry to record. The payload is the caller's bytes (e.g. JSON of a downtime entry).
#[derive(Clone)]
pub struct NewRecord<'a> {
    /// Stable for the entry's life (used again when it is filed to the EPR).
    pub entry_id: Uuid,
    /// The entry this one corrects or acknowledges; nothing is ever edited.
    pub corrects: Option<Uuid>,
    pub author: &'a str,
    pub role: &'a str,
    pub recorded_at: DateTime<Utc>,
    pub payload: &'a [u8],
}

impl std::fmt::Debug for NewRecord<'_> {
    // Author and payload may name people and patients: ids and sizes only.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewRecord")
            .field("entry_id", &self.entry_id)
            .field("corrects", &self.corrects)
            .field("recorded_at", &self.recorded_at)
            .field("payload_bytes", &self.payload.len())
            .finish_non_exhaustive()
    }
}

/// A record opened with the key.
#[derive(Clone, PartialEq, Eq)]
pub struct Record {
    pub journal: Uuid,
    pub pc: String,
    pub sequence: u64,
    pub entry_id: Uuid,
    pub corrects: Option<Uuid>,
    pub author: String,
    pub role: String,
    pub recorded_at: DateTime<Utc>,
    pub payload: Vec<u8>,
}

impl std::fmt::Debug for Record {
    // Author and payload may name people and patients: ids and sizes only.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Record")
            .field("pc", &self.pc)
            .field("sequence", &self.sequence)
            .field("entry_id", &self.entry_id)
            .field("corrects", &self.corrects)
            .field("recorded_at", &self.recorded_at)
            .field("payload_bytes", &self.payload.len())
            .finish_non_exhaustive()
    }
}

/// What [`Journal::append`] wrote: the entry is durable when this is returned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Appended {
    pub sequence: u64,
    /// SHA-256 of the record's bytes, lowercase hex.
    pub hash: String,
    /// The record's size on disk.
    pub bytes: usize,
}

/// A crash's incomplete last record, found and set aside.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TornTail {
    /// The sequence the incomplete record would have had (it was never acknowledged).
    pub sequence: u64,
    /// How many bytes of it there were.
    pub bytes: u64,
    /// Where they were copied before the journal was cut back to its last whole record
    /// (`None` when only checked, not opened for writing).
    pub set_aside: Option<PathBuf>,
}

/// The result of walking a chain with no key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainCheck {
    pub pc: Option<String>,
    pub journal: Option<Uuid>,
    /// Whole records, in order.
    pub records: u64,
    /// An incomplete last record: reported, never read.
    pub torn: Option<TornTail>,
    /// Bytes of whole records (where the torn tail, if any, starts).
    pub good_len: u64,
}

impl ChainCheck {
    /// Strict: a torn tail counts as an error too (for checking a file at rest).
    pub fn into_strict(self, path: &Path) -> Result<Self, VaultError> {
        match &self.torn {
            Some(t) => Err(VaultError::TornRecord {
                path: path.to_owned(),
                sequence: t.sequence,
            }),
            None => Ok(self),
        }
    }
}

/// One whole frame found in a byte string.
#[derive(Debug, Clone)]
pub(crate) struct Frame<'a> {
    pub header: RecordHeader,
    pub ciphertext: &'a [u8],
    pub bytes: &'a [u8],
}

impl Frame<'_> {
    pub(crate) fn hash(&self) -> [u8; 32] {
        Sha256::digest(self.bytes).into()
    }
}

/// Why a frame could not be taken whole.
#[derive(Debug)]
pub(crate) enum FrameProblem {
    /// The bytes end before the frame does (or are zeros a crash left): a torn or half-copied record.
    Incomplete,
    NotARecord,
    NewerFormat(u32),
    /// Whole, but its header does not parse or its ciphertext does not match its checksum.
    Damaged,
}

/// Reads the frame at the start of `bytes`.
pub(crate) fn parse_frame(bytes: &[u8]) -> Result<Frame<'_>, FrameProblem> {
    if bytes.iter().all(|b| *b == 0) {
        // A file system may leave zeros where a write in flight had not landed.
        return Err(FrameProblem::Incomplete);
    }
    let magic = RECORD_MAGIC.as_bytes();
    let prefix = &bytes[..bytes.len().min(magic.len())];
    if prefix != &magic[..prefix.len()] {
        return Err(FrameProblem::NotARecord);
    }
    let (first, rest) = split_line(bytes, 32).ok_or(FrameProblem::Incomplete)?;
    let version: u32 = std::str::from_utf8(&first[magic.len()..])
        .ok()
        .and_then(|v| v.parse().ok())
        .ok_or(FrameProblem::NotARecord)?;
    if version != RECORD_FORMAT {
        return Err(FrameProblem::NewerFormat(version));
    }
    let (line, ciphertext) = split_line(rest, MAX_HEADER_LINE).ok_or(if rest.len() < MAX_HEADER_LINE {
        FrameProblem::Incomplete
    } else {
        FrameProblem::Damaged
    })?;
    let header: RecordHeader = serde_json::from_slice(line).map_err(|_| FrameProblem::Damaged)?;
    if header.ciphertext_len > MAX_CIPHERTEXT {
        return Err(FrameProblem::Damaged);
    }
    let len = usize::try_from(header.ciphertext_len).map_err(|_| FrameProblem::Damaged)?;
    if ciphertext.len() < len {
        return Err(FrameProblem::Incomplete);
    }
    let ciphertext = &ciphertext[..len];
    if hex(&Sha256::digest(ciphertext)) != header.ciphertext_sha256 {
        return Err(FrameProblem::Damaged);
    }
    let total = first.len() + 1 + line.len() + 1 + len;
    Ok(Frame {
        header,
        ciphertext,
        bytes: &bytes[..total],
    })
}

fn split_line(bytes: &[u8], max: usize) -> Option<(&[u8], &[u8])> {
    let nl = bytes.iter().take(max).position(|b| *b == b'\n')?;
    Some((&bytes[..nl], &bytes[nl + 1..]))
}

/// Where a chain has got to: what the next record must say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ChainState {
    /// The PC the chain must belong to, when known.
    pub pc: Option<String>,
    pub journal: Option<Uuid>,
    pub next: u64,
    pub last_hash: [u8; 32],
}

impl ChainState {
    pub(crate) fn new(pc: Option<&str>) -> Self {
        Self {
            pc: pc.map(str::to_owned),
            journal: None,
            next: 1,
            last_hash: GENESIS,
        }
    }

    /// Checks that `frame` is the next link, and takes it.
    pub(crate) fn accept(&mut self, path: &Path, frame: &Frame<'_>) -> Result<(), VaultError> {
        let h = &frame.header;
        let foreign = |expected: &str| VaultError::ForeignRecord {
            path: path.to_owned(),
            sequence: h.sequence,
            expected_pc: expected.to_owned(),
            found_pc: h.pc.clone(),
        };
        match &self.pc {
            Some(pc) if *pc != h.pc => return Err(foreign(pc)),
            _ => {}
        }
        match self.journal {
            Some(j) if j != h.journal => return Err(foreign(&h.pc)),
            _ => {}
        }
        if h.sequence != self.next {
            return Err(VaultError::ChainGap {
                path: path.to_owned(),
                expected: self.next,
                found: h.sequence,
            });
        }
        if h.previous != hex(&self.last_hash) {
            return Err(VaultError::ChainBroken {
                path: path.to_owned(),
                sequence: h.sequence,
            });
        }
        self.pc = Some(h.pc.clone());
        self.journal = Some(h.journal);
        self.next += 1;
        self.last_hash = frame.hash();
        Ok(())
    }
}

/// Walks a whole journal's bytes with no key, calling `each` on every whole record in order.
pub(crate) fn walk<'a>(
    path: &Path,
    bytes: &'a [u8],
    pc: Option<&str>,
    mut each: impl FnMut(&Frame<'a>) -> Result<(), VaultError>,
) -> Result<(ChainCheck, ChainState), VaultError> {
    let mut state = ChainState::new(pc);
    let mut offset = 0usize;
    let mut torn = None;
    while offset < bytes.len() {
        let rest = &bytes[offset..];
        match parse_frame(rest) {
            Ok(frame) => {
                state.accept(path, &frame)?;
                each(&frame)?;
                offset += frame.bytes.len();
            }
            Err(FrameProblem::Incomplete) if holds_another_record(rest) => {
                // Whole records follow: this one is damaged (its length, say), not a crash's tail,
                // and cutting here would set acknowledged entries aside.
                return Err(VaultError::RecordCorrupt {
                    path: path.to_owned(),
                    sequence: state.next,
                });
            }
            Err(FrameProblem::Incomplete) => {
                torn = Some(TornTail {
                    sequence: state.next,
                    bytes: rest.len() as u64,
                    set_aside: None,
                });
                break;
            }
            Err(FrameProblem::NotARecord) if offset == 0 => {
                return Err(VaultError::NotAJournal {
                    path: path.to_owned(),
                });
            }
            Err(FrameProblem::NewerFormat(found)) => {
                return Err(VaultError::NewerJournalFormat {
                    path: path.to_owned(),
                    found,
                    supported: RECORD_FORMAT,
                });
            }
            Err(FrameProblem::NotARecord | FrameProblem::Damaged) => {
                return Err(VaultError::RecordCorrupt {
                    path: path.to_owned(),
                    sequence: state.next,
                });
            }
        }
    }
    Ok((
        ChainCheck {
            pc: state.pc.clone(),
            journal: state.journal,
            records: state.next - 1,
            torn,
            good_len: offset as u64,
        },
        state,
    ))
}

/// Whether bytes that look like an incomplete last record hold the start of another record after
/// their own: a crash tears only the last one. (The magic in random ciphertext: about 2^-136.)
fn holds_another_record(rest: &[u8]) -> bool {
    let magic = format!("{RECORD_MAGIC}{RECORD_FORMAT}\n");
    rest.get(1..)
        .is_some_and(|r| r.windows(magic.len()).any(|w| w == magic.as_bytes()))
}

/// Opens one record's ciphertext with `identity`, checking the sealed copy of its header.
pub(crate) fn open_frame(path: &Path, frame: &Frame<'_>, identity: &Identity) -> Result<Record, VaultError> {
    let h = &frame.header;
    let decryptor =
        age::Decryptor::new(frame.ciphertext).map_err(|e| crate::format::decrypt_error(path, e))?;
    let mut reader = decryptor
        .decrypt(identity.decrypting())
        .map_err(|e| crate::format::decrypt_error(path, e))?;
    let mut plain = Vec::with_capacity(frame.ciphertext.len());
    reader.read_to_end(&mut plain).map_err(|e| VaultError::Decrypt {
        path: path.to_owned(),
        detail: format!("record {}: {e}", h.sequence),
    })?;
    let corrupt = || VaultError::RecordCorrupt {
        path: path.to_owned(),
        sequence: h.sequence,
    };
    let (magic, rest) = split_line(&plain, 64).ok_or_else(corrupt)?;
    if magic != format!("{SEALED_RECORD_MAGIC}{RECORD_FORMAT}").as_bytes() {
        return Err(corrupt());
    }
    let (line, payload) = split_line(rest, 1 << 16).ok_or_else(corrupt)?;
    let sealed: SealedRecord = serde_json::from_slice(line).map_err(|_| corrupt())?;
    if sealed.journal != h.journal
        || sealed.pc != h.pc
        || sealed.sequence != h.sequence
        || sealed.previous != h.previous
    {
        return Err(VaultError::RecordHeaderEdited {
            path: path.to_owned(),
            sequence: h.sequence,
        });
    }
    if sealed.payload_len != payload.len() as u64 {
        return Err(corrupt());
    }
    let payload = payload.to_vec();
    Ok(Record {
        journal: sealed.journal,
        pc: sealed.pc,
        sequence: sealed.sequence,
        entry_id: sealed.entry_id,
        corrects: sealed.corrects,
        author: sealed.author,
        role: sealed.role,
        recorded_at: sealed.recorded_at,
        payload,
    })
}

/// Seals one record into its frame's bytes.
pub(crate) fn seal_record(
    state: &ChainState,
    journal: Uuid,
    pc: &str,
    entry: &NewRecord<'_>,
    recipients: &[Recipient],
) -> Result<Vec<u8>, VaultError> {
    let previous = hex(&state.last_hash);
    let sealed = SealedRecord {
        journal,
        pc: pc.to_owned(),
        sequence: state.next,
        previous: previous.clone(),
        entry_id: entry.entry_id,
        corrects: entry.corrects,
        author: entry.author.to_owned(),
        role: entry.role.to_owned(),
        recorded_at: entry.recorded_at,
        payload_len: entry.payload.len() as u64,
    };
    let mut plain = format!(
        "{SEALED_RECORD_MAGIC}{RECORD_FORMAT}\n{}\n",
        serde_json::to_string(&sealed).expect("records always serialise")
    )
    .into_bytes();
    plain.extend_from_slice(entry.payload);
    let ciphertext = seal_bytes(&plain, recipients);
    zeroize::Zeroize::zeroize(&mut plain);
    let ciphertext = ciphertext?;
    let header = RecordHeader {
        journal,
        pc: pc.to_owned(),
        sequence: state.next,
        previous,
        ciphertext_len: ciphertext.len() as u64,
        ciphertext_sha256: hex(&Sha256::digest(&ciphertext)),
    };
    let mut frame = header.to_bytes();
    frame.extend_from_slice(&ciphertext);
    Ok(frame)
}

/// A PC name is a file name on every share: plain characters only.
pub fn check_pc_name(pc: &str) -> Result<(), VaultError> {
    let ok = !pc.is_empty()
        && pc.len() <= 64
        && !pc.starts_with('.')
        && pc
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if ok {
        Ok(())
    } else {
        Err(VaultError::BadPcName(pc.to_owned()))
    }
}

/// The journal folder of a vault.
pub fn journal_dir(vault: &Path) -> PathBuf {
    vault.join("journal")
}

/// Checks a journal file at rest: the chain with no key, and with `identity` every record opened.
/// A torn tail is reported in the result (use [`ChainCheck::into_strict`] to refuse it).
pub fn check_file(
    path: &Path,
    pc: Option<&str>,
    identity: Option<&Identity>,
) -> Result<ChainCheck, VaultError> {
    let bytes = std::fs::read(path).map_err(|e| VaultError::io(format!("reading {}", path.display()), e))?;
    let (check, _) = walk(path, &bytes, pc, |frame| match identity {
        Some(id) => open_frame(path, frame, id).map(drop),
        None => Ok(()),
    })?;
    Ok(check)
}

/// Every whole record of a journal file, opened with `identity`, without taking the journal for
/// writing (a window may hold it): for reading the audit trail. A torn tail is left unread.
pub fn read_file(path: &Path, pc: Option<&str>, identity: &Identity) -> Result<Vec<Record>, VaultError> {
    let bytes = std::fs::read(path).map_err(|e| VaultError::io(format!("reading {}", path.display()), e))?;
    let mut records = Vec::new();
    walk(path, &bytes, pc, |frame| {
        records.push(open_frame(path, frame, identity)?);
        Ok(())
    })?;
    Ok(records)
}

/// Every local journal file in a vault, with the PC named by its file name.
pub fn journal_files(vault: &Path) -> Result<Vec<(String, PathBuf)>, VaultError> {
    let dir = journal_dir(vault);
    let entries = match std::fs::read_dir(&dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(VaultError::io(format!("listing {}", dir.display()), e)),
    };
    let mut out: Vec<(String, PathBuf)> = entries
        .flatten()
        .filter_map(|e| {
            let path = e.path();
            let pc = path
                .file_name()?
                .to_str()?
                .strip_suffix(&format!(".{JOURNAL_EXTENSION}"))?
                .to_owned();
            check_pc_name(&pc).ok()?;
            Some((pc, path))
        })
        .collect();
    out.sort();
    Ok(out)
}

/// One PC's journal, open for appending. One writer: a second open on the same PC is refused.
#[derive(Debug)]
pub struct Journal {
    path: PathBuf,
    pc: String,
    file: File,
    state: ChainState,
    /// Offset and length of every whole record, by sequence - 1 (for pushing to the ward folder).
    index: Vec<(u64, u32)>,
    len: u64,
}

impl Journal {
    /// Opens (creating if need be) the journal of `pc` in `vault`, walking its chain with no key.
    /// A torn last record is copied aside, cut off and reported; a broken chain is an error naming
    /// the record, and the journal is not opened (nothing may be appended to a broken chain).
    pub fn open(vault: &Path, pc: &str) -> Result<(Self, ChainCheck), VaultError> {
        check_pc_name(pc)?;
        let dir = journal_dir(vault);
        std::fs::create_dir_all(&dir).map_err(|e| write_error(&dir, e))?;
        let path = dir.join(format!("{pc}.{JOURNAL_EXTENSION}"));
        let existed = path.exists();
        let mut file = File::options()
            .read(true)
            .append(true)
            .create(true)
            .open(&path)
            .map_err(|e| write_error(&path, e))?;
        file.try_lock().map_err(|e| match e {
            std::fs::TryLockError::WouldBlock => VaultError::JournalInUse { path: path.clone() },
            std::fs::TryLockError::Error(e) => VaultError::io(format!("locking {}", path.display()), e),
        })?;
        if !existed {
            crate::vault::sync_dir(&dir).map_err(|e| write_error(&dir, e))?;
        }
        let mut bytes = Vec::new();
        file.seek(SeekFrom::Start(0))
            .and_then(|_| file.read_to_end(&mut bytes))
            .map_err(|e| VaultError::io(format!("reading {}", path.display()), e))?;
        let mut index = Vec::new();
        let mut offset = 0u64;
        let (mut check, state) = walk(&path, &bytes, Some(pc), |frame| {
            let n = frame.bytes.len();
            index.push((offset, u32::try_from(n).expect("frames are under 16 MiB")));
            offset += n as u64;
            Ok(())
        })?;
        if let Some(torn) = &mut check.torn {
            let aside = dir.join(format!(
                "{pc}.torn-{:06}-{}",
                torn.sequence,
                Utc::now().format("%Y%m%dT%H%M%S%.fZ")
            ));
            let start = usize::try_from(check.good_len).expect("read into memory");
            let written = File::create(&aside).and_then(|mut f| {
                f.write_all(&bytes[start..])?;
                f.sync_all()
            });
            written.map_err(|e| write_error(&aside, e))?;
            file.set_len(check.good_len)
                .and_then(|()| file.sync_all())
                .map_err(|e| write_error(&path, e))?;
            crate::vault::sync_dir(&dir).map_err(|e| write_error(&dir, e))?;
            torn.set_aside = Some(aside);
        }
        let len = check.good_len;
        Ok((
            Self {
                path,
                pc: pc.to_owned(),
                file,
                state,
                index,
                len,
            },
            check,
        ))
    }

    /// Seals `entry` as the next record, writes it and fsyncs it. When this returns `Ok` the entry
    /// is on disk: the caller may say "saved". On error nothing was acknowledged and the journal
    /// is as it was.
    pub fn append(
        &mut self,
        entry: &NewRecord<'_>,
        recipients: &[Recipient],
    ) -> Result<Appended, VaultError> {
        let journal = *self.state.journal.get_or_insert_with(Uuid::new_v4);
        let frame = seal_record(&self.state, journal, &self.pc, entry, recipients);
        let frame = match frame {
            Ok(f) => f,
            Err(e) => {
                if self.state.next == 1 {
                    self.state.journal = None;
                }
                return Err(e);
            }
        };
        let written = self.file.write_all(&frame).and_then(|()| self.file.sync_data());
        if let Err(e) = written {
            // Cut back whatever part landed, so the next append continues a whole chain.
            let _ = self.file.set_len(self.len).and_then(|()| self.file.sync_all());
            if self.state.next == 1 {
                self.state.journal = None;
            }
            return Err(write_error(&self.path, e));
        }
        let parsed = parse_frame(&frame).expect("a frame just sealed parses");
        let hash = parsed.hash();
        self.state.accept(&self.path, &parsed)?;
        self.index.push((
            self.len,
            u32::try_from(frame.len()).expect("frames are under 16 MiB"),
        ));
        self.len += frame.len() as u64;
        Ok(Appended {
            sequence: parsed.header.sequence,
            hash: hex(&hash),
            bytes: frame.len(),
        })
    }

    /// Every record, opened with `identity`, in order.
    pub fn records(&self, identity: &Identity) -> Result<Vec<Record>, VaultError> {
        self.records_after(0, identity)
    }

    /// The records after `sequence`, opened with `identity` (for a caller that keeps what it read).
    pub fn records_after(&self, sequence: u64, identity: &Identity) -> Result<Vec<Record>, VaultError> {
        let bytes = self.frames_after(sequence)?;
        let mut out = Vec::new();
        let mut offset = 0;
        while offset < bytes.len() {
            let frame = parse_frame(&bytes[offset..]).map_err(|_| VaultError::RecordCorrupt {
                path: self.path.clone(),
                sequence: sequence + out.len() as u64 + 1,
            })?;
            out.push(open_frame(&self.path, &frame, identity)?);
            offset += frame.bytes.len();
        }
        Ok(out)
    }

    /// The raw bytes of the records after `sequence`, read back from disk.
    pub(crate) fn frames_after(&self, sequence: u64) -> Result<Vec<u8>, VaultError> {
        let skip = usize::try_from(sequence).unwrap_or(usize::MAX);
        let Some(&(start, _)) = self.index.get(skip) else {
            return Ok(Vec::new());
        };
        let mut f = File::open(&self.path)
            .map_err(|e| VaultError::io(format!("reading {}", self.path.display()), e))?;
        let mut out = Vec::new();
        f.seek(SeekFrom::Start(start))
            .and_then(|_| (&mut f).take(self.len - start).read_to_end(&mut out))
            .map_err(|e| VaultError::io(format!("reading {}", self.path.display()), e))?;
        Ok(out)
    }

    pub fn pc(&self) -> &str {
        &self.pc
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The chain's id (`None` before the first record).
    pub fn journal_id(&self) -> Option<Uuid> {
        self.state.journal
    }

    /// How many records the chain holds (the last sequence).
    pub fn len(&self) -> u64 {
        self.state.next - 1
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

fn write_error(path: &Path, e: std::io::Error) -> VaultError {
    if e.kind() == std::io::ErrorKind::StorageFull {
        VaultError::DiskFull {
            dir: path.parent().unwrap_or(path).to_owned(),
        }
    } else {
        VaultError::io(format!("writing {}", path.display()), e)
    }
}

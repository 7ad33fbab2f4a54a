//! A journal file and a ward-folder record, as a PC meets them: any bytes as a local journal
//! (`journal::check_file`, walking the chain with no key and opening each record with the fuzz
//! identity; `journal::read_file`, as the audit trail reads it), and as a peer's first record on the
//! ward share (`WardFolder::pull_only`). Each must give a result or a `VaultError` / a reported
//! problem, never a panic.
#![no_main]

use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use lamplight_vault::journal::{self, ward};
use lamplight_vault::{Identity, WardFolder};
use libfuzzer_sys::fuzz_target;

static IDENTITY: LazyLock<Identity> = LazyLock::new(|| {
    Identity::load(
        Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/keys/fuzz-identity.key")),
        None,
    )
    .expect("the fuzz identity loads")
});

/// One scratch folder for the whole run: the journal file and a ward share with one peer.
struct Scratch {
    _dir: tempfile::TempDir,
    journal: PathBuf,
    share: PathBuf,
    peer_record: PathBuf,
}

static SCRATCH: LazyLock<Scratch> = LazyLock::new(|| {
    let dir = tempfile::tempdir().expect("a scratch folder");
    let journal = dir.path().join("WD1-PC1.lljournal");
    let share = dir.path().join("ward");
    let peer = share.join("journals").join("WD1-PC2");
    std::fs::create_dir_all(&peer).expect("the peer's folder");
    let peer_record = peer.join(ward::record_name(1));
    Scratch {
        _dir: dir,
        journal,
        share,
        peer_record,
    }
});

fuzz_target!(|data: &[u8]| {
    let s = &*SCRATCH;
    std::fs::write(&s.journal, data).expect("writing the scratch journal");
    let _ = journal::check_file(&s.journal, None, Some(&IDENTITY));
    let _ = journal::read_file(&s.journal, None, &IDENTITY);
    std::fs::write(&s.peer_record, data).expect("writing the scratch record");
    let mut folder = WardFolder::new(&s.share, "WD1-PC9").expect("a ward folder");
    let now = chrono::DateTime::from_timestamp(1_795_000_000, 0).expect("a fixed time");
    let _ = folder.pull_only(&IDENTITY, now);
});

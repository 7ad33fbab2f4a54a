//! A sealed snapshot file, as a ward PC meets it in its vault: `format::check` (no key) on any
//! bytes, then `format::open` with the fuzz identity on whatever check accepts, loading the image
//! into SQLite as the vault does. Also `open` on the raw bytes as ciphertext: the checksum in the
//! public header is no MAC (anyone planting a file can compute it), so age's header parsing and
//! our sealed header are as exposed as the public one.
//!
//! The seeds are sealed to `fuzz/keys/fuzz-identity.key`, a key made only for fuzzing, so a seed
//! opens all the way and mutations start from a file that reads.
#![no_main]

use std::path::Path;
use std::sync::LazyLock;

use lamplight_vault::{Database, Identity, PublicHeader, format};
use libfuzzer_sys::fuzz_target;

static IDENTITY: LazyLock<Identity> = LazyLock::new(|| {
    Identity::load(
        Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/keys/fuzz-identity.key")),
        None,
    )
    .expect("the fuzz identity loads")
});

/// The public header of the seed snapshot: what `open` checks the sealed one against.
static SEED_HEADER: LazyLock<PublicHeader> = LazyLock::new(|| {
    let seed = include_bytes!("../corpus/snapshot_reader/demo-4-beds.llsnap");
    format::check(Path::new("seed.llsnap"), seed)
        .expect("the seed snapshot checks")
        .0
});

fn open(header: &PublicHeader, ciphertext: &[u8]) {
    let path = Path::new("fuzzed.llsnap");
    let _ = format::open(path, header, ciphertext, &IDENTITY, |reader, len| {
        Database::load(path, reader, len)
    });
}

fuzz_target!(|data: &[u8]| {
    if let Ok((header, ciphertext)) = format::check(Path::new("fuzzed.llsnap"), data) {
        open(&header, ciphertext);
    }
    open(&SEED_HEADER, data);
});

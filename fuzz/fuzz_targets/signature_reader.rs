//! A detached snapshot signature (`<file>.sig`), as a ward PC configured with `--trust` reads it:
//! `signing::check` on any bytes, for the seed snapshot it signs (generation 1), trusting the fuzz
//! signing key. It must give `Signed` or a `VaultError`, never a panic.
#![no_main]

use std::path::Path;
use std::sync::LazyLock;

use lamplight_vault::TrustedKey;
use lamplight_vault::signing;
use libfuzzer_sys::fuzz_target;

/// The public half of the fuzz-only staging key that signed the seeds.
static TRUSTED: LazyLock<Vec<TrustedKey>> = LazyLock::new(|| {
    TrustedKey::from_arg(concat!(env!("CARGO_MANIFEST_DIR"), "/keys/fuzz-signing.pub"))
        .expect("the fuzz signing key reads")
});

const SIGNED: &[u8] = include_bytes!("../corpus/snapshot_reader/demo-4-beds.llsnap");

fuzz_target!(|data: &[u8]| {
    let _ = signing::check(Path::new("fuzzed.llsnap"), data, "snapshot", 1, SIGNED, &TRUSTED);
});

//! A FHIR bundle file, as `lamplight stage --from bundle.json` reads it: any bytes must give a site
//! or an `ImportError`, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = lamplight_fhir::import_bytes(data);
});

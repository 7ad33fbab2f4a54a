//! The roster readers and the station's configuration: the roster file's plain text (what a
//! sealed roster opens to), a roster CSV IT imports, and the app's environment and command line.
//! Each must give a value or its error (`RosterError`, `ConfigError`), never a panic.
//!
//! For the configuration, each line of the input is one argument, except lines `LAMPLIGHT_X=value`,
//! which are the environment (only the host name, the default PC name, comes from the machine).
#![no_main]

use std::ffi::OsString;
use std::os::unix::ffi::OsStringExt as _;

use lamplight_station::StationConfig;
use lamplight_station::session::roster;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = roster::decode_for_fuzzing(data);
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = roster::parse_csv(text);
    }
    let mut env = Vec::new();
    let mut args = Vec::new();
    let lines = data.strip_suffix(b"\n").unwrap_or(data);
    for line in lines.split(|b| *b == b'\n') {
        match line.strip_prefix(b"LAMPLIGHT_").and_then(|l| {
            let eq = l.iter().position(|b| *b == b'=')?;
            Some((&line[..10 + eq], &l[eq + 1..]))
        }) {
            Some((key, value)) => env.push((key.to_vec(), OsString::from_vec(value.to_vec()))),
            None => args.push(OsString::from_vec(line.to_vec())),
        }
    }
    let _ = StationConfig::from_env_and_args(
        |k| {
            env.iter()
                .rev()
                .find(|(key, _)| key == k.as_bytes())
                .map(|(_, v)| v.clone())
        },
        args,
    );
});

//! Small plain JSON files IT writes into a vault and signs like a snapshot (downtime plans, PC
//! revocations): one per name in a folder, written atomically with the signature first, and read
//! back only where the vault's trust accepts the signature. Nothing in them is patient data.

use std::path::PathBuf;

use chrono::Utc;
use lamplight_vault::Vault;

/// Writes `bytes` as `<vault>/<folder>/<name>.json`, signed (`.sig`, written first) when the
/// vault signs; returns its path.
pub(crate) fn write(
    vault: &Vault,
    folder: &str,
    name: &str,
    kind: &str,
    bytes: &[u8],
) -> std::io::Result<PathBuf> {
    let dir = vault.dir().join(folder);
    std::fs::create_dir_all(&dir)?;
    let path = dir.join(format!("{name}.json"));
    let tmp = dir.join(format!(".tmp-{name}.json"));
    {
        use std::io::Write as _;
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
    }
    vault.sign_beside(&tmp, &path, (kind, 0), bytes, Utc::now())?;
    std::fs::rename(&tmp, &path)?;
    Ok(path)
}

/// Every `.json` file of `<vault>/<folder>`: its file name, and its bytes where the vault's trust
/// accepts its signature, or why not.
pub(crate) fn read(vault: &Vault, folder: &str, kind: &str) -> Vec<(String, Result<Vec<u8>, String>)> {
    let Ok(entries) = std::fs::read_dir(vault.dir().join(folder)) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') || !path.extension().is_some_and(|e| e.eq_ignore_ascii_case("json")) {
            continue;
        }
        let bytes = std::fs::read(&path).map_err(|e| e.to_string()).and_then(|b| {
            vault
                .check_signature(&path, kind, 0, &b)
                .map(|_| b)
                .map_err(|e| e.to_string())
        });
        out.push((name, bytes));
    }
    out
}

//! The roster: the local downtime accounts a ward PC signs people in with, as IT provisions them.
//!
//! ```text
//! VAULT/
//!   state/roster.age      the accounts, sealed (format 1 below): names, roles, wards, PIN hashes
//! ```
//!
//! A PIN is never stored, logged or put in an error: only its argon2id hash, with a salt of its own
//! per account and the cost written into the hash (a PHC string, `$argon2id$v=19$m=…,t=…,p=1$…`), so
//! a cost raised later still verifies the PINs set before. [`PinCost::DEFAULT`] makes one sign-in take
//! about 150 ms on a ward PC (100–300 ms is the aim): slow for someone guessing from a stolen vault, not for a
//! nurse.
//!
//! The file is a frozen storage format of its own (`RosterFile` below, pinned by a test), kept apart
//! from [`Account`] and the API's views, so renaming a field never silently changes what is on disk.
//! It also remembers who it is sealed to, so that IT adding one account does not drop the ward PCs
//! it was sealed to before.

use std::fmt;
use std::path::PathBuf;

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher as _, PasswordVerifier as _, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use chrono::{DateTime, Utc};
use lamplight_model::{PinProblem, PinRule, Role};
use lamplight_vault::{Identity, Recipient, Vault, VaultError};
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

/// The state file's name in the vault (`state/roster.age`).
pub const ROSTER_STATE: &str = "roster";

/// The ward code an account holds to sign in on every ward's PC (IT, a site bed manager).
pub const EVERY_WARD: &str = "*";

/// A PIN or passphrase as typed: not `Clone`, not `Serialize`, redacted in `Debug`, zeroed on drop.
pub struct Pin(Zeroizing<String>);

impl Pin {
    pub fn new(text: impl Into<String>) -> Self {
        Self(Zeroizing::new(text.into()))
    }

    fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Pin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Pin(redacted)")
    }
}

/// How costly one PIN hash is (argon2id; one lane).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PinCost {
    pub memory_kib: u32,
    pub passes: u32,
}

impl PinCost {
    /// 64 MiB, 4 passes: one sign-in took 140 ms in a release build on this project's 2-core
    /// machine (64 MiB × 3 passes: 110 ms; 19 MiB × 2, OWASP's floor: 14 ms), and about 250 ms in a
    /// dev build. Re-measure with `pin_cost_on_this_machine` (ignored; run it with `--run-ignored
    /// only`, in release for the real figure). 64 MiB for a moment is nothing on a ward PC, and
    /// each guess at a stolen roster costs the same.
    pub const DEFAULT: PinCost = PinCost {
        memory_kib: 64 * 1024,
        passes: 4,
    };
    /// For tests only: fast, and far too weak for real PINs.
    pub const FOR_TESTS: PinCost = PinCost {
        memory_kib: 64,
        passes: 1,
    };
    /// The dearest hash a roster may hold (an imported hash above it is refused): a bigger one would
    /// make every sign-in stall the PC.
    const MAX: PinCost = PinCost {
        memory_kib: 1024 * 1024,
        passes: 16,
    };

    fn argon2(self) -> Argon2<'static> {
        let params = Params::new(self.memory_kib, self.passes, 1, None)
            .expect("the pin costs are valid argon2 parameters");
        Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
    }

    /// Hashes `pin` with a fresh salt, as a PHC string.
    pub fn hash(self, pin: &Pin) -> String {
        let salt = SaltString::generate(&mut OsRng);
        self.argon2()
            .hash_password(pin.expose().as_bytes(), &salt)
            .expect("hashing with valid parameters and a fresh salt does not fail")
            .to_string()
    }
}

/// Whether `pin` matches the PHC string `hash` (at the cost the hash was made with).
pub(crate) fn verify(hash: &str, pin: &Pin) -> bool {
    PasswordHash::new(hash).is_ok_and(|h| {
        Argon2::default()
            .verify_password(pin.expose().as_bytes(), &h)
            .is_ok()
    })
}

/// Checks a hash IT brings (from another system, or a CSV): argon2id, readable, not absurdly costly.
fn check_hash(hash: &str) -> Result<(), String> {
    let parsed = PasswordHash::new(hash)
        .map_err(|_| "it is not a PHC hash string ($argon2id$v=19$m=…,t=…,p=…$salt$hash)".to_owned())?;
    if parsed.algorithm.as_str() != "argon2id" {
        return Err(format!(
            "it is a {} hash: only argon2id hashes are accepted",
            parsed.algorithm
        ));
    }
    let params =
        Params::try_from(&parsed).map_err(|e| format!("its argon2 parameters are not usable ({e})"))?;
    if params.m_cost() > PinCost::MAX.memory_kib || params.t_cost() > PinCost::MAX.passes {
        return Err(
            "its cost is above what a ward PC can check quickly (at most 1 GiB and 16 passes)".into(),
        );
    }
    if parsed.hash.is_none() || parsed.salt.is_none() {
        return Err("it has no salt or no hash part".into());
    }
    Ok(())
}

/// One downtime account.
#[derive(Clone, PartialEq, Eq)]
pub struct Account {
    /// The user id people may sign in with (`sjones`, `sjones2`): unique in the roster.
    pub id: String,
    pub full_name: String,
    pub role: Role,
    /// Ward codes (`AMU`), or [`EVERY_WARD`].
    pub wards: Vec<String>,
    pin_hash: String,
    pub added_at: DateTime<Utc>,
}

impl fmt::Debug for Account {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Account")
            .field("id", &self.id)
            .field("role", &self.role)
            .field("wards", &self.wards)
            .finish_non_exhaustive()
    }
}

impl Account {
    /// Whether this account may sign in on a PC showing `pc_wards` (a PC with none shows the whole
    /// site and takes any account).
    pub fn serves(&self, pc_wards: &[String]) -> bool {
        pc_wards.is_empty()
            || self
                .wards
                .iter()
                .any(|w| w == EVERY_WARD || pc_wards.iter().any(|p| p.eq_ignore_ascii_case(w)))
    }

    pub(crate) fn pin_hash(&self) -> &str {
        &self.pin_hash
    }
}

/// The secret of a new account: a PIN to hash, or a hash made elsewhere.
#[derive(Debug)]
pub enum NewSecret {
    Pin(Pin),
    Hash(String),
}

/// An account IT asks for.
#[derive(Debug)]
pub struct NewAccount {
    pub full_name: String,
    pub role: Role,
    pub wards: Vec<String>,
    pub secret: NewSecret,
}

/// Which field of an account is wrong (named in CSV errors).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Name,
    Role,
    Wards,
    PinOrHash,
}

impl Field {
    pub fn column(self) -> &'static str {
        match self {
            Field::Name => "name",
            Field::Role => "role",
            Field::Wards => "wards",
            Field::PinOrHash => "pin-or-hash",
        }
    }
}

/// What is wrong with the roster or a change to it. Never holds a PIN.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RosterError {
    #[error("{}: {problem}", field.column())]
    BadField { field: Field, problem: String },
    #[error("{0}: choose {rule}", rule = PinRule::default().describe())]
    Pin(PinProblem),
    #[error("no account {0:?} in the roster: `lamplight roster list` shows the ids")]
    NoSuchAccount(String),
    #[error(
        "more than one account is named {0:?}: give the user id instead (`lamplight roster list` shows them)"
    )]
    Ambiguous(String),
    #[error("the roster could not be opened or saved: {0}")]
    Vault(#[from] VaultError),
    #[error("the roster was written by a newer Lamplight (roster format {0}): update Lamplight on this PC")]
    NewerFormat(u32),
    #[error("the roster is damaged ({0}): provision it again with `lamplight roster import`")]
    Damaged(String),
    #[error("{} line(s) of the CSV are not usable, so nothing was imported", .0.len())]
    Csv(Vec<LineProblem>),
}

/// One bad line of a roster CSV: its number (from 1, counting the header), the field, what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineProblem {
    pub line: usize,
    pub field: Field,
    pub problem: String,
}

impl fmt::Display for LineProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}, {}: {}", self.line, self.field.column(), self.problem)
    }
}

/// How a name or id typed at sign-in matched.
#[derive(Debug)]
pub(crate) enum Lookup<'a> {
    One(&'a Account),
    None,
    Many,
}

/// Names compare without case and with runs of spaces as one.
fn normalise(name: &str) -> String {
    name.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// The accounts of a roster.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Roster {
    accounts: Vec<Account>,
    /// Who the roster file is sealed to (`age1…`), kept across changes.
    sealed_to: Vec<String>,
}

impl Roster {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn accounts(&self) -> &[Account] {
        &self.accounts
    }

    /// The account a person typed, by user id or full name.
    pub(crate) fn lookup(&self, name_or_id: &str) -> Lookup<'_> {
        let typed = normalise(name_or_id);
        if typed.is_empty() {
            return Lookup::None;
        }
        if let Some(a) = self.accounts.iter().find(|a| a.id == typed) {
            return Lookup::One(a);
        }
        let mut by_name = self.accounts.iter().filter(|a| normalise(&a.full_name) == typed);
        match (by_name.next(), by_name.next()) {
            (Some(a), None) => Lookup::One(a),
            (None, _) => Lookup::None,
            (Some(_), Some(_)) => Lookup::Many,
        }
    }

    /// Checks a new account without hashing anything.
    pub fn check(new: &NewAccount) -> Result<(), RosterError> {
        let bad = |field, problem: &str| RosterError::BadField {
            field,
            problem: problem.to_owned(),
        };
        let name = new.full_name.trim();
        if name.split_whitespace().count() < 2 {
            return Err(bad(
                Field::Name,
                "give the person's full name (first name and surname)",
            ));
        }
        if name.chars().any(char::is_control) || name.chars().count() > 100 {
            return Err(bad(Field::Name, "a name is at most 100 printable characters"));
        }
        if new.wards.is_empty() {
            return Err(bad(
                Field::Wards,
                "name at least one ward code (AMU), or * for every ward",
            ));
        }
        for w in &new.wards {
            let plain = !w.is_empty()
                && w.len() <= 20
                && w.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
            if w != EVERY_WARD && !plain {
                return Err(RosterError::BadField {
                    field: Field::Wards,
                    problem: format!(
                        "{w:?} is not a ward code (letters, digits, - or _), nor * for every ward"
                    ),
                });
            }
        }
        match &new.secret {
            NewSecret::Pin(pin) => PinRule::default().check(pin.expose()).map_err(RosterError::Pin),
            NewSecret::Hash(h) => check_hash(h).map_err(|problem| RosterError::BadField {
                field: Field::PinOrHash,
                problem,
            }),
        }
    }

    /// A user id for `full_name` not yet taken: first initial and surname (`sjones`, then `sjones2`).
    fn new_id(&self, full_name: &str) -> String {
        let words: Vec<String> = full_name
            .split_whitespace()
            .map(|w| {
                w.chars()
                    .filter(char::is_ascii_alphabetic)
                    .collect::<String>()
                    .to_lowercase()
            })
            .filter(|w| !w.is_empty())
            .collect();
        let base = match (words.first(), words.last()) {
            (Some(first), Some(last)) if words.len() > 1 => {
                format!("{}{last}", first.chars().next().unwrap_or('x'))
            }
            (Some(only), _) => only.clone(),
            _ => "staff".to_owned(),
        };
        let taken = |id: &str| self.accounts.iter().any(|a| a.id == id);
        if !taken(&base) {
            return base;
        }
        // One more candidate than there are accounts: one of them is free.
        (2..=self.accounts.len() + 2)
            .map(|n| format!("{base}{n}"))
            .find(|id| !taken(id))
            .expect("some numbered id is free")
    }

    /// Adds an account (hashing its PIN at `cost`) and returns it.
    pub fn add(
        &mut self,
        new: NewAccount,
        cost: PinCost,
        now: DateTime<Utc>,
    ) -> Result<&Account, RosterError> {
        Self::check(&new)?;
        let pin_hash = match new.secret {
            NewSecret::Pin(pin) => cost.hash(&pin),
            NewSecret::Hash(h) => h,
        };
        self.insert(&new.full_name, new.role, new.wards, pin_hash, now);
        Ok(self.accounts.last().expect("just pushed"))
    }

    fn insert(
        &mut self,
        full_name: &str,
        role: Role,
        mut wards: Vec<String>,
        pin_hash: String,
        now: DateTime<Utc>,
    ) {
        let full_name = full_name.split_whitespace().collect::<Vec<_>>().join(" ");
        for w in &mut wards {
            w.make_ascii_uppercase();
        }
        wards.dedup();
        let id = self.new_id(&full_name);
        self.accounts.push(Account {
            id,
            full_name,
            role,
            wards,
            pin_hash,
            added_at: now,
        });
    }

    /// Adds every account or none: each is checked first, then the PINs are hashed (on every core).
    pub fn add_all(
        &mut self,
        news: Vec<NewAccount>,
        cost: PinCost,
        now: DateTime<Utc>,
    ) -> Result<usize, RosterError> {
        for n in &news {
            Self::check(n)?;
        }
        let count = news.len();
        let threads = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
        let chunk = count.div_ceil(threads).max(1);
        let hashed: Vec<(NewAccount, String)> = std::thread::scope(|s| {
            let mut rest = news;
            let mut handles = Vec::new();
            while !rest.is_empty() {
                let tail = rest.split_off(chunk.min(rest.len()));
                let part = std::mem::replace(&mut rest, tail);
                handles.push(s.spawn(move || {
                    part.into_iter()
                        .map(|mut n| {
                            let secret = std::mem::replace(&mut n.secret, NewSecret::Hash(String::new()));
                            let h = match secret {
                                NewSecret::Pin(pin) => cost.hash(&pin),
                                NewSecret::Hash(h) => h,
                            };
                            (n, h)
                        })
                        .collect::<Vec<_>>()
                }));
            }
            handles
                .into_iter()
                .flat_map(|h| h.join().expect("hashing a PIN does not panic"))
                .collect()
        });
        for (n, h) in hashed {
            self.insert(&n.full_name, n.role, n.wards, h, now);
        }
        Ok(count)
    }

    /// Adds the accounts of a CSV ([`parse_csv`]), all or none. A line naming a person already on
    /// the roster (or earlier in the file) with the same role is refused, naming the line: it is
    /// almost always the same file imported twice, which would give everyone a second account.
    pub fn import(
        &mut self,
        lines: Vec<CsvLine>,
        cost: PinCost,
        now: DateTime<Utc>,
    ) -> Result<usize, RosterError> {
        let mut problems = Vec::new();
        for (i, l) in lines.iter().enumerate() {
            let name = normalise(&l.account.full_name);
            let same = |full_name: &str, role: Role| normalise(full_name) == name && role == l.account.role;
            if let Some(a) = self.accounts.iter().find(|a| same(&a.full_name, a.role)) {
                problems.push(LineProblem {
                    line: l.line,
                    field: Field::Name,
                    problem: format!(
                        "{} ({}) is already on the roster as {}: remove that account first, or leave this line out",
                        a.full_name,
                        a.role.label(),
                        a.id
                    ),
                });
            } else if let Some(earlier) = lines[..i]
                .iter()
                .find(|e| same(&e.account.full_name, e.account.role))
            {
                problems.push(LineProblem {
                    line: l.line,
                    field: Field::Name,
                    problem: format!("the same person and role as line {}", earlier.line),
                });
            }
        }
        if !problems.is_empty() {
            return Err(RosterError::Csv(problems));
        }
        self.add_all(lines.into_iter().map(|l| l.account).collect(), cost, now)
    }

    /// Removes the account with this user id (or this full name, when only one has it).
    pub fn remove(&mut self, name_or_id: &str) -> Result<Account, RosterError> {
        let id = match self.lookup(name_or_id) {
            Lookup::One(a) => a.id.clone(),
            Lookup::None => return Err(RosterError::NoSuchAccount(name_or_id.trim().to_owned())),
            Lookup::Many => return Err(RosterError::Ambiguous(name_or_id.trim().to_owned())),
        };
        let at = self
            .accounts
            .iter()
            .position(|a| a.id == id)
            .expect("looked up just now");
        Ok(self.accounts.remove(at))
    }

    /// The roster in the vault, opened with `identity`; `None` when none has been provisioned.
    pub fn load(vault: &Vault, identity: &Identity) -> Result<Option<Roster>, RosterError> {
        vault
            .read_state(ROSTER_STATE, identity)?
            .map(|bytes| decode(&bytes))
            .transpose()
    }

    /// Seals the roster into the vault for `recipients` and everyone it was sealed to before.
    pub fn save(&mut self, vault: &Vault, recipients: &[Recipient]) -> Result<PathBuf, RosterError> {
        let mut all: Vec<Recipient> = recipients.to_vec();
        for r in &self.sealed_to {
            let r = Recipient::parse(r)?;
            if !all.contains(&r) {
                all.push(r);
            }
        }
        self.sealed_to = all.iter().map(ToString::to_string).collect();
        let plain = Zeroizing::new(encode(self));
        Ok(vault.write_state(ROSTER_STATE, &plain, &all)?)
    }
}

/// `state/roster.age`, format 1.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RosterFile {
    format: u32,
    sealed_to: Vec<String>,
    accounts: Vec<AccountFile>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct AccountFile {
    id: String,
    name: String,
    role: String,
    wards: Vec<String>,
    pin: String,
    added: DateTime<Utc>,
}

/// The roster file's plain text.
pub(crate) fn encode(roster: &Roster) -> Vec<u8> {
    let file = RosterFile {
        format: 1,
        sealed_to: roster.sealed_to.clone(),
        accounts: roster
            .accounts
            .iter()
            .map(|a| AccountFile {
                id: a.id.clone(),
                name: a.full_name.clone(),
                role: a.role.word().to_owned(),
                wards: a.wards.clone(),
                pin: a.pin_hash.clone(),
                added: a.added_at,
            })
            .collect(),
    };
    serde_json::to_vec(&file).expect("the roster file always serialises")
}

/// Reads the roster file's plain text.
pub(crate) fn decode(bytes: &[u8]) -> Result<Roster, RosterError> {
    #[derive(Deserialize)]
    struct Version {
        format: u32,
    }
    let version: Version = serde_json::from_slice(bytes)
        .map_err(|e| RosterError::Damaged(format!("it is not a roster file Lamplight reads: {e}")))?;
    if version.format != 1 {
        return Err(RosterError::NewerFormat(version.format));
    }
    let file: RosterFile = serde_json::from_slice(bytes)
        .map_err(|e| RosterError::Damaged(format!("it is not a roster file Lamplight reads: {e}")))?;
    let mut roster = Roster {
        accounts: Vec::with_capacity(file.accounts.len()),
        sealed_to: file.sealed_to,
    };
    for a in file.accounts {
        let role = Role::parse(&a.role).ok_or_else(|| {
            RosterError::Damaged(format!("account {} has an unknown role {:?}", a.id, a.role))
        })?;
        check_hash(&a.pin).map_err(|e| RosterError::Damaged(format!("account {}'s PIN hash: {e}", a.id)))?;
        if roster.accounts.iter().any(|b| b.id == a.id) {
            return Err(RosterError::Damaged(format!(
                "the user id {} is there twice",
                a.id
            )));
        }
        roster.accounts.push(Account {
            id: a.id,
            full_name: a.name,
            role,
            wards: a.wards,
            pin_hash: a.pin,
            added_at: a.added,
        });
    }
    Ok(roster)
}

/// [`decode`] for the fuzz target `fuzz/fuzz_targets/roster_reader.rs` only; not part of the API.
#[doc(hidden)]
pub fn decode_for_fuzzing(bytes: &[u8]) -> Result<Roster, RosterError> {
    decode(bytes)
}

/// One good line of a roster CSV: its number and the account it asks for.
#[derive(Debug)]
pub struct CsvLine {
    pub line: usize,
    pub account: NewAccount,
}

/// Reads a roster CSV (`name,role,wards,pin-or-hash`; an optional header line; blank lines and `#`
/// comments skipped; wards separated by `;` or spaces; fields may be "quoted"). Every bad line is
/// named with its field; any bad line means no account at all.
pub fn parse_csv(text: &str) -> Result<Vec<CsvLine>, RosterError> {
    let mut out = Vec::new();
    let mut problems = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        let trimmed = raw.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let Some(fields) = split_csv_line(trimmed) else {
            problems.push(LineProblem {
                line,
                field: Field::Name,
                problem: "a quoted field is not closed".into(),
            });
            continue;
        };
        if line == 1
            && fields
                .first()
                .is_some_and(|f| f.trim().eq_ignore_ascii_case("name"))
        {
            continue;
        }
        if fields.len() != 4 {
            problems.push(LineProblem {
                line,
                field: if fields.len() < 4 {
                    Field::PinOrHash
                } else {
                    Field::Name
                },
                problem: format!(
                    "{} fields, but a line has 4: name,role,wards,pin-or-hash",
                    fields.len()
                ),
            });
            continue;
        }
        let Some(role) = Role::parse(&fields[1]) else {
            problems.push(LineProblem {
                line,
                field: Field::Role,
                problem: format!("{:?} is not a role: nurse, bed-manager or it", fields[1].trim()),
            });
            continue;
        };
        let wards = fields[2]
            .split([';', ' '])
            .map(str::trim)
            .filter(|w| !w.is_empty())
            .map(str::to_owned)
            .collect();
        let secret_text = fields[3].trim();
        let secret = if secret_text.starts_with('$') {
            NewSecret::Hash(secret_text.to_owned())
        } else {
            NewSecret::Pin(Pin::new(secret_text))
        };
        let new = NewAccount {
            full_name: fields[0].trim().to_owned(),
            role,
            wards,
            secret,
        };
        match Roster::check(&new) {
            Ok(()) => out.push(CsvLine { line, account: new }),
            Err(RosterError::BadField { field, problem }) => {
                problems.push(LineProblem { line, field, problem });
            }
            Err(RosterError::Pin(p)) => problems.push(LineProblem {
                line,
                field: Field::PinOrHash,
                problem: p.to_string(),
            }),
            Err(other) => problems.push(LineProblem {
                line,
                field: Field::Name,
                problem: other.to_string(),
            }),
        }
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(RosterError::Csv(problems))
    }
}

/// Splits one CSV line; `None` when a quote is left open. Secrets pass through `Zeroizing` copies only.
fn split_csv_line(line: &str) -> Option<Vec<Zeroizing<String>>> {
    let mut fields = Vec::new();
    let mut field = Zeroizing::new(String::new());
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', false) if field.trim().is_empty() => {
                field.clear();
                quoted = true;
            }
            ('"', true) if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            ('"', true) => quoted = false,
            (',', false) => fields.push(std::mem::replace(&mut field, Zeroizing::new(String::new()))),
            (c, _) => field.push(c),
        }
    }
    if quoted {
        return None;
    }
    fields.push(field);
    Some(fields)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 1, 14, 5, 0).unwrap()
    }

    #[test]
    fn the_roster_file_format_is_pinned() {
        let hash = "$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$9Ytma0hV3Ck5Vu3p8rhZnc3nVWsdJhU5aCFAMYSeUfQ";
        let roster = Roster {
            accounts: vec![Account {
                id: "sjones".into(),
                full_name: "Sam Jones".into(),
                role: Role::BedManager,
                wards: vec!["AMU".into(), "W12".into()],
                pin_hash: hash.into(),
                added_at: at(),
            }],
            sealed_to: vec!["age1qqqq".into()],
        };
        let text = String::from_utf8(encode(&roster)).unwrap();
        assert_eq!(
            text,
            format!(
                r#"{{"format":1,"sealed_to":["age1qqqq"],"accounts":[{{"id":"sjones","name":"Sam Jones","role":"bed-manager","wards":["AMU","W12"],"pin":"{hash}","added":"2026-12-01T14:05:00Z"}}]}}"#
            ),
            "format 1 of state/roster.age is frozen: a change needs format 2 and a decoder for 1"
        );
        assert_eq!(decode(text.as_bytes()).unwrap(), roster);
    }

    #[test]
    fn fail_roster_files_are_refused_with_what_is_wrong() {
        let cases: [(&[u8], &str); 5] = [
            (br#"{"format":2,"sealed_to":[],"accounts":[]}"#, "newer Lamplight"),
            (br#"{"format":1"#, "not a roster file"),
            (
                br#"{"format":1,"sealed_to":[],"accounts":[{"id":"a","name":"A B","role":"surgeon","wards":["X"],"pin":"$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$9Ytma0hV3Ck5Vu3p8rhZnc3nVWsdJhU5aCFAMYSeUfQ","added":"2026-12-01T14:05:00Z"}]}"#,
                "unknown role",
            ),
            (
                br#"{"format":1,"sealed_to":[],"accounts":[{"id":"a","name":"A B","role":"nurse","wards":["X"],"pin":"1234","added":"2026-12-01T14:05:00Z"}]}"#,
                "PIN hash",
            ),
            (br#"{"format":1,"sealed_to":[],"accounts":[],"extra":1}"#, "not a roster file"),
        ];
        for (bytes, says) in cases {
            let err = decode(bytes).unwrap_err().to_string();
            assert!(err.contains(says), "{err:?} should say {says:?}");
        }
    }

    #[test]
    fn a_pin_is_stored_only_as_a_salted_argon2id_hash() {
        let mut roster = Roster::new();
        for name in ["Sam Jones", "Sara Jones"] {
            roster
                .add(
                    NewAccount {
                        full_name: name.into(),
                        role: Role::Nurse,
                        wards: vec!["amu".into()],
                        secret: NewSecret::Pin(Pin::new("4829")),
                    },
                    PinCost::FOR_TESTS,
                    at(),
                )
                .unwrap();
        }
        let [a, b] = roster.accounts() else { panic!() };
        assert_eq!(
            (a.id.as_str(), b.id.as_str()),
            ("sjones", "sjones2"),
            "ids are unique"
        );
        assert_eq!(a.wards, ["AMU"]);
        assert!(a.pin_hash.starts_with("$argon2id$"));
        assert_ne!(
            a.pin_hash, b.pin_hash,
            "the same PIN hashes differently under each account's salt"
        );
        let text = String::from_utf8(encode(&roster)).unwrap();
        assert!(!text.contains("4829"), "the PIN itself is never stored");
        assert!(verify(&a.pin_hash, &Pin::new("4829")));
        assert!(!verify(&a.pin_hash, &Pin::new("4828")));
        assert_eq!(format!("{:?}", Pin::new("4829")), "Pin(redacted)");
    }

    #[test]
    fn every_bad_csv_line_is_named_with_its_field_and_nothing_is_accepted() {
        let csv = "name,role,wards,pin-or-hash\n\
                   Sam Jones,nurse,AMU,4829\n\
                   Pat,nurse,AMU,4829\n\
                   Lee Smith,surgeon,AMU,4829\n\
                   Kim Lee,nurse,,4829\n\
                   Jo Bloggs,nurse,AMU,12\n\
                   \"Smith, Alex\",bed manager,AMU;W12,$md5$abc\n\
                   \"Ana Cruz\",it,*,correct horse\n";
        let Err(RosterError::Csv(problems)) = parse_csv(csv) else {
            panic!("bad lines must refuse the whole file")
        };
        let got: Vec<(usize, &str)> = problems.iter().map(|p| (p.line, p.field.column())).collect();
        assert_eq!(
            got,
            [
                (3, "name"),
                (4, "role"),
                (5, "wards"),
                (6, "pin-or-hash"),
                (7, "pin-or-hash")
            ]
        );
        for p in &problems {
            assert!(!p.to_string().contains("12,"), "no PIN in an error: {p}");
        }
        let good = parse_csv("Sam Jones,nurse,AMU W12,4829\n\"Ana Cruz\",IT,*,correct horse\n").unwrap();
        assert_eq!(good.len(), 2);
        assert_eq!(good[0].account.wards, ["AMU", "W12"]);
        let mut roster = Roster::new();
        roster.import(good, PinCost::FOR_TESTS, at()).unwrap();
        let again =
            parse_csv("Sam Jones,nurse,AMU,5092\nKim Lee,nurse,AMU,5092\nKim  Lee,nurse,W12,7314\n").unwrap();
        let Err(RosterError::Csv(problems)) = roster.import(again, PinCost::FOR_TESTS, at()) else {
            panic!("importing the same people twice must be refused")
        };
        let got: Vec<String> = problems.iter().map(ToString::to_string).collect();
        assert_eq!(
            got,
            [
                "line 1, name: Sam Jones (nurse) is already on the roster as sjones: remove that account first, or leave this line out",
                "line 3, name: the same person and role as line 2",
            ]
        );
        assert_eq!(roster.accounts().len(), 2, "nothing of a refused import is added");
    }

    /// Run with `cargo nextest run -p lamplight-station --run-ignored only pin_cost` in release to
    /// tune [`PinCost::DEFAULT`]: a sign-in should take about 100–300 ms on a ward PC.
    #[test]
    #[ignore = "a measurement, not a check"]
    fn pin_cost_on_this_machine() {
        let pin = Pin::new("4829");
        let start = std::time::Instant::now();
        let h = PinCost::DEFAULT.hash(&pin);
        let hashed = start.elapsed();
        let start = std::time::Instant::now();
        assert!(verify(&h, &pin));
        eprintln!("hash {hashed:?}, verify {:?}", start.elapsed());
    }
}

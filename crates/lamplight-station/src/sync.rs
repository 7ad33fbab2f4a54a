//! Keeping a vault fresh: staging a generation from a bundle or the EPR, and the refresh loop.
//!
//! This is the one copy of that code: `lamplight stage`, `lamplight refresh`, `lamplight watch`,
//! the window's own refresh thread and (later) the agent all call it. Staging needs only
//! recipients (public keys): the part that writes snapshots cannot read them (DESIGN.md promise 2).
//! A failure of the EPR or of the input leaves the newest good generation exactly as it was.

use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use lamplight_fhir::{
    BearerToken, Census, CensusOptions, Epr, EprConfig, EprError, ImportReport, PullKind, Refresher,
};
use lamplight_model::Site;
use lamplight_vault::{Recipient, Staged, Vault, VaultError};

/// Which wards to stage or refresh.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WardScope {
    /// Every ward of the site (a bed manager's PC, a site agent).
    Site,
    /// These wards, by code (`WD7`) or Location id.
    Wards(Vec<String>),
}

impl WardScope {
    /// From the command line's `--ward` (repeatable) and `--site`.
    pub fn from_flags(wards: &[String], site: bool) -> Result<Self, SyncError> {
        match (site, wards.is_empty()) {
            (true, true) => Ok(WardScope::Site),
            (false, false) => Ok(WardScope::Wards(wards.to_vec())),
            (true, false) => Err(SyncError::BadInput(
                "give either --site or --ward CODE (repeatable), not both".into(),
            )),
            (false, true) => Err(SyncError::BadInput(
                "say which wards: --ward CODE (repeatable) or --site for every ward".into(),
            )),
        }
    }

    fn cut(&self, site: Site, from: &str) -> Result<Site, SyncError> {
        match self {
            WardScope::Site => Ok(site),
            WardScope::Wards(codes) => site.wards_subset(codes).map_err(|missing| {
                let known: Vec<&str> = site.wards.iter().map(|w| w.code.as_str()).collect();
                SyncError::BadInput(format!(
                    "{from} has no ward {}; it has: {}",
                    missing.join(", "),
                    known.join(", ")
                ))
            }),
        }
    }
}

/// How to reach the EPR.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EprSettings {
    /// The FHIR R4 base URL.
    pub base_url: String,
    /// A file whose first line is the bearer token.
    pub token_file: Option<PathBuf>,
    /// A PEM file of the trust's certificate authority.
    pub ca_file: Option<PathBuf>,
}

impl EprSettings {
    pub fn new(base_url: impl Into<String>) -> Self {
        Self {
            base_url: base_url.into(),
            token_file: None,
            ca_file: None,
        }
    }

    /// The client configuration, with the token read from its file.
    pub fn config(&self) -> Result<EprConfig, SyncError> {
        let mut config = EprConfig::new(&self.base_url);
        if let Some(f) = &self.token_file {
            config.token = Some(BearerToken::from_file(f).map_err(|e| SyncError::TokenFile {
                path: f.clone(),
                source: e,
            })?);
        }
        config.ca_file.clone_from(&self.ca_file);
        Ok(config)
    }

    /// A client for pulls.
    pub fn connect(&self) -> Result<Epr, SyncError> {
        Ok(Epr::new(self.config()?)?)
    }

    /// A client for health probes: `timeout` per request, no retries.
    pub fn prober(&self, timeout: Duration) -> Result<Epr, SyncError> {
        Ok(lamplight_fhir::prober(self.config()?, timeout)?)
    }

    /// What the snapshot header records as the source.
    pub fn source_label(&self) -> String {
        format!("EPR {}", self.base_url)
    }
}

/// Why staging or a pull failed. In every case the newest good generation is unchanged.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SyncError {
    /// The input is wrong (a malformed bundle, a ward it does not hold): exit code 10.
    #[error("{0}")]
    BadInput(String),
    /// The bundle stops part-way through: a file still being written, or one cut short.
    #[error("{0}")]
    CutOff(String),
    #[error(
        "reading the token file {path}: {source}; give a file whose first line is the EPR's bearer token"
    )]
    TokenFile {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The EPR is unreachable, refuses, or is not FHIR: exit code 11.
    #[error(transparent)]
    Epr(#[from] EprError),
    #[error(transparent)]
    Vault(#[from] VaultError),
}

/// Reads and imports a bundle file (`-` for standard input), cut to the wards asked for.
pub fn read_bundle(from: &str, scope: &WardScope) -> Result<(Site, ImportReport), SyncError> {
    if from.starts_with("http://") || from.starts_with("https://") {
        return Err(SyncError::BadInput(format!(
            "{from} is an EPR's base URL: stage from it with `lamplight stage --from URL --ward CODE`"
        )));
    }
    let read = if from == "-" {
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin(), &mut bytes).map(|_| bytes)
    } else {
        std::fs::read(Path::new(from))
    };
    let bytes = read.map_err(|e| {
        SyncError::BadInput(format!(
            "{from}: {e}; check the path and that the file is a FHIR JSON bundle"
        ))
    })?;
    // Bytes, not text: a file that is not UTF-8 is the input's fault, said with its offset.
    let (site, report) = lamplight_fhir::import_bytes(&bytes).map_err(|e| {
        if e.is_cut_off() {
            SyncError::CutOff(format!("{from}: {e}"))
        } else {
            SyncError::BadInput(format!("{from}: {e}"))
        }
    })?;
    drop(bytes);
    Ok((scope.cut(site, from)?, report))
}

/// The census options for a scope: a site's wards are found on the EPR first.
fn census_options(epr: &Epr, scope: &WardScope) -> Result<CensusOptions, SyncError> {
    match scope {
        WardScope::Wards(codes) => Ok(CensusOptions::wards(codes.clone())),
        WardScope::Site => {
            let wards = lamplight_fhir::site_wards(epr)?;
            if wards.is_empty() {
                return Err(SyncError::BadInput(
                    "the EPR lists no ward Locations (physicalType `wa`): stage named wards with --ward"
                        .into(),
                ));
            }
            Ok(CensusOptions::wards(wards))
        }
    }
}

/// A full pull of the wards from the EPR.
pub fn pull(settings: &EprSettings, scope: &WardScope) -> Result<Census, SyncError> {
    let epr = settings.connect()?;
    let caps = epr.capabilities()?;
    let opts = census_options(&epr, scope)?;
    Ok(lamplight_fhir::full_pull(&epr, &caps, &opts)?)
}

/// Seals sites into a vault.
#[derive(Debug, Clone)]
pub struct Stager {
    vault: Vault,
    recipients: Vec<Recipient>,
}

impl Stager {
    /// A stager for `vault`; none at all is [`VaultError::NoRecipients`].
    pub fn new(vault: Vault, recipients: Vec<Recipient>) -> Result<Self, SyncError> {
        if recipients.is_empty() {
            return Err(VaultError::NoRecipients.into());
        }
        Ok(Self { vault, recipients })
    }

    pub fn vault(&self) -> &Vault {
        &self.vault
    }

    pub fn recipients(&self) -> usize {
        self.recipients.len()
    }

    /// Seals `site` as the vault's next generation.
    pub fn stage(&self, site: &Site, source: &str, now: DateTime<Utc>) -> Result<Staged, SyncError> {
        Ok(self.vault.stage(site, source, &self.recipients, now)?)
    }
}

/// Reads recipients given inline (`age1…`) and in files (one per line, `#` comments allowed).
pub fn recipients(inline: &[String], files: &[PathBuf]) -> Result<Vec<Recipient>, SyncError> {
    let mut out = Vec::new();
    for r in inline {
        out.push(Recipient::parse(r)?);
    }
    for f in files {
        let text = std::fs::read_to_string(f)
            .map_err(|e| SyncError::BadInput(format!("reading recipients from {}: {e}", f.display())))?;
        for line in text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
        {
            out.push(Recipient::parse(line)?);
        }
    }
    if out.is_empty() {
        return Err(VaultError::NoRecipients.into());
    }
    Ok(out)
}

/// How often the refresh loop pulls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RefreshPolicy {
    /// Between pulls (incremental after the first full one).
    pub every: Duration,
    /// A full pull at least this often: the safety net for what `_lastUpdated` cannot show.
    pub full_every: TimeDelta,
}

impl Default for RefreshPolicy {
    /// An incremental pull every 60 s, a full one every hour.
    fn default() -> Self {
        Self {
            every: Duration::from_secs(60),
            full_every: TimeDelta::hours(1),
        }
    }
}

/// One pull that was sealed.
#[derive(Debug)]
pub struct Pulled {
    pub kind: PullKind,
    pub staged: Staged,
    pub patients: usize,
    pub requests: usize,
    pub millis: u128,
}

/// The refresh loop's state: the EPR client, the last census, and where it seals.
#[derive(Debug)]
pub struct RefreshLoop {
    epr: Epr,
    settings: EprSettings,
    scope: WardScope,
    refresher: Option<Refresher>,
    stager: Stager,
    policy: RefreshPolicy,
}

impl RefreshLoop {
    pub fn new(
        settings: &EprSettings,
        scope: WardScope,
        stager: Stager,
        policy: RefreshPolicy,
    ) -> Result<Self, SyncError> {
        Ok(Self {
            epr: settings.connect()?,
            settings: settings.clone(),
            scope,
            refresher: None,
            stager,
            policy,
        })
    }

    pub fn policy(&self) -> RefreshPolicy {
        self.policy
    }

    /// The site as last pulled (incremental pulls merged in), borrowed: the site agent stages it
    /// again, ward by ward, into the share without copying it every pull.
    pub fn site(&self) -> Option<&Site> {
        self.refresher.as_ref()?.census().map(|c| &c.site)
    }

    /// What the next pull at `now` will be.
    pub fn next_kind(&self, now: DateTime<Utc>) -> PullKind {
        self.refresher
            .as_ref()
            .map_or(PullKind::Full, |r| r.next_kind(now))
    }

    /// One pull (full or incremental), sealed as a new generation. On error nothing is written
    /// and the next pull tries again from the same census.
    pub fn pull_once(&mut self, now: DateTime<Utc>) -> Result<Pulled, SyncError> {
        let caps = self.epr.capabilities()?;
        if self.refresher.is_none() {
            let options = census_options(&self.epr, &self.scope)?;
            self.refresher = Some(Refresher::new(options, self.policy.full_every));
        }
        let refresher = self.refresher.as_mut().expect("set just above");
        let kind = refresher.next_kind(now);
        let census = refresher.pull(&self.epr, &caps, now)?;
        let staged = self
            .stager
            .stage(&census.site, &self.settings.source_label(), Utc::now())?;
        Ok(Pulled {
            kind,
            patients: census.site.patients.len(),
            requests: census.stats.requests,
            millis: census.stats.millis,
            staged,
        })
    }
}

/// The site share: one client of the EPR per site instead of one per ward PC.
///
/// The agent pulls the whole site (or its wards) once a minute and stages it into the share: the
/// whole site into `<share>/SITE/` (a bed manager's PC) and each ward into `<share>/<WARD>/`, each
/// an ordinary vault, signed when the agent has a staging key. A ward PC with
/// `site_share` and no EPR takes its ward's newest generation from there into its own vault
/// ([`lamplight_vault::Vault::take_newest_from`]), byte for byte with IT's signature, so it still
/// has it when the share is gone. Each ward is sealed to the site's recipients and, when the ward's
/// folder holds a `recipients` file (age1…, one per line), to those too: IT can seal a ward to its
/// own PCs only by giving the site list no ward PC at all.
pub mod share {
    use super::{Path, PathBuf, Recipient, Site, Staged, SyncError, Vault, recipients};
    use chrono::{DateTime, Utc};

    /// The folder of the whole site within the share.
    pub const SITE_FOLDER: &str = "SITE";
    /// A ward's own extra recipients, in its folder.
    pub const WARD_RECIPIENTS: &str = "recipients";

    /// The folder a ward's (or, with `None`, the whole site's) generations are in.
    pub fn folder(share: &Path, ward: Option<&str>) -> Result<PathBuf, SyncError> {
        let name = ward.unwrap_or(SITE_FOLDER);
        // A ward code becomes a folder name: nothing that climbs out of the share or means
        // something else to Windows.
        if name.is_empty()
            || name.len() > 64
            || !name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
            || name.starts_with('.')
        {
            return Err(SyncError::BadInput(format!(
                "ward code {name:?} cannot name a folder on the site share: letters, digits, '-', '_' and '.'"
            )));
        }
        Ok(share.join(name))
    }

    /// Each ward's staging, by ward code (`SITE` for the whole site).
    #[derive(Debug)]
    pub struct ShareStaged {
        pub wards: Vec<(String, Result<Staged, SyncError>)>,
    }

    impl ShareStaged {
        pub fn failures(&self) -> impl Iterator<Item = (&str, &SyncError)> {
            self.wards
                .iter()
                .filter_map(|(w, r)| r.as_ref().err().map(|e| (w.as_str(), e)))
        }
    }

    /// Stages `site` into the share, every ward into its folder (the refresh loop has staged the
    /// whole site into `SITE` already). One ward's failure (a full disk, a ward emptied by mistake
    /// and held back) stops none of the others.
    pub fn stage_wards(
        share: &Path,
        site: &Site,
        site_recipients: &[Recipient],
        template: &Vault,
        source: &str,
        now: DateTime<Utc>,
    ) -> ShareStaged {
        let mut wards = Vec::new();
        let codes: Vec<String> = site.wards.iter().map(|w| w.code.clone()).collect();
        for code in &codes {
            let name = code.clone();
            let result = (|| {
                let dir = folder(share, Some(code))?;
                let part = site
                    .ward_subset(code)
                    .ok_or_else(|| SyncError::BadInput(format!("ward {code} vanished from the pull")))?;
                let mut all = site_recipients.to_vec();
                let extra = dir.join(WARD_RECIPIENTS);
                if extra.is_file() {
                    all.extend(recipients(&[], &[extra])?);
                }
                Ok(template.clone().at(dir).stage(&part, source, &all, now)?)
            })();
            wards.push((name, result));
        }
        ShareStaged { wards }
    }
}

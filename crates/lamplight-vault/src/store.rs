//! The snapshot's query engine: a site in an in-memory SQLite database.
//!
//! The database is built in memory, serialised to bytes only to be sealed, and deserialised from the
//! decrypting reader straight into SQLite's memory: it never exists as a file. Migrations are
//! embedded, append-only, and a database from a newer Lamplight is refused rather than misread.

use std::io::Read;
use std::path::Path;

use lamplight_model::{BodyWeight, ImportNote, Site};
use rusqlite::{Connection, params};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::VaultError;

/// A query error of the snapshot database.
pub use rusqlite::Error;

/// Embedded migrations, in order. `PRAGMA user_version` records how many were applied.
const MIGRATIONS: &[&str] = &[
    include_str!("../migrations/0001_snapshot.sql"),
    include_str!("../migrations/0002_import_notes.sql"),
    include_str!("../migrations/0003_body_weights.sql"),
];

/// The schema version this build writes and the newest it reads.
pub fn schema_version() -> i64 {
    i64::try_from(MIGRATIONS.len()).expect("a handful of migrations")
}

fn configure(conn: &Connection) -> rusqlite::Result<()> {
    conn.pragma_update(None, "foreign_keys", true)?;
    conn.pragma_update(None, "temp_store", "MEMORY")?;
    Ok(())
}

fn migrate(conn: &Connection) -> rusqlite::Result<()> {
    let applied: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    for (i, sql) in MIGRATIONS
        .iter()
        .enumerate()
        .skip(usize::try_from(applied).unwrap_or(0))
    {
        conn.execute_batch(sql)?;
        conn.pragma_update(
            None,
            "user_version",
            i64::try_from(i + 1).expect("a handful of migrations"),
        )?;
    }
    Ok(())
}

fn json<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value).expect("domain types always serialise")
}

/// Builds the database image of a site.
pub fn build(site: &Site) -> Result<Vec<u8>, rusqlite::Error> {
    let mut conn = Connection::open_in_memory()?;
    configure(&conn)?;
    // Built once in memory and thrown away: no rollback journal is needed, and a database written in
    // one transaction in rowid order has nothing for VACUUM to compact.
    conn.pragma_update(None, "journal_mode", "OFF")?;
    migrate(&conn)?;
    let tx = conn.transaction()?;
    tx.execute(
        "INSERT INTO site (id, name, extracted_at) VALUES (1, ?1, ?2)",
        params![site.name, json(&site.extracted_at)],
    )?;
    {
        let mut st = tx.prepare("INSERT INTO wards (id, code, data) VALUES (?1, ?2, ?3)")?;
        for w in &site.wards {
            st.execute(params![w.id, w.code, json(w)])?;
        }
        let mut st = tx.prepare("INSERT INTO patients (id, nhs_number, data) VALUES (?1, ?2, ?3)")?;
        for p in &site.patients {
            st.execute(params![p.id, p.nhs_number.map(|n| n.digits()), json(p)])?;
        }
        let mut st = tx.prepare(
            "INSERT INTO admissions (id, patient_id, ward_id, bed_id, data) VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        for a in &site.admissions {
            // The column is for queries; `data` keeps the model's `None` for a patient with no ward.
            st.execute(params![
                a.id,
                a.patient_id,
                a.ward_id.as_deref().unwrap_or(""),
                a.bed_id,
                json(a)
            ])?;
        }
        let mut st =
            tx.prepare("INSERT INTO medication_orders (id, patient_id, data) VALUES (?1, ?2, ?3)")?;
        for o in &site.orders {
            st.execute(params![o.id, o.patient_id, json(o)])?;
        }
        let mut st = tx.prepare(
            "INSERT INTO administrations (id, patient_id, order_id, at, data) VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        for a in &site.administrations {
            st.execute(params![
                a.id,
                a.patient_id,
                a.order_id,
                a.at.to_rfc3339(),
                json(a)
            ])?;
        }
        let mut st = tx.prepare("INSERT INTO pending_tests (id, patient_id, data) VALUES (?1, ?2, ?3)")?;
        for t in &site.tests {
            st.execute(params![t.id, t.patient_id, json(t)])?;
        }
        let mut st =
            tx.prepare("INSERT INTO observations (id, patient_id, taken_at, data) VALUES (?1, ?2, ?3, ?4)")?;
        for o in &site.observations {
            st.execute(params![o.id, o.patient_id, o.taken_at.to_rfc3339(), json(o)])?;
        }
        let mut st = tx.prepare("INSERT INTO allergies (id, patient_id, data) VALUES (?1, ?2, ?3)")?;
        for a in &site.allergies {
            st.execute(params![a.id, a.patient_id, json(a)])?;
        }
        let mut st = tx.prepare("INSERT INTO alerts (id, patient_id, data) VALUES (?1, ?2, ?3)")?;
        for a in &site.alerts {
            st.execute(params![a.id, a.patient_id, json(a)])?;
        }
        let mut st =
            tx.prepare("INSERT INTO weights (id, patient_id, taken_at, data) VALUES (?1, ?2, ?3, ?4)")?;
        for w in &site.weights {
            st.execute(params![w.id, w.patient_id, w.taken_at.to_rfc3339(), json(w)])?;
        }
        let mut st = tx
            .prepare("INSERT INTO import_notes (kind, resource, patient_id, data) VALUES (?1, ?2, ?3, ?4)")?;
        for n in &site.notes {
            st.execute(params![json(&n.kind), n.resource, n.patient_id, json(n)])?;
        }
    }
    tx.commit()?;
    let image = conn.serialize(rusqlite::MAIN_DB)?;
    Ok(image.to_vec())
}

/// A snapshot's database, open in memory.
#[derive(Debug)]
pub struct Database {
    conn: Connection,
}

impl Database {
    /// Reads `len` bytes of database image from `reader` into SQLite's memory.
    pub fn load(path: &Path, reader: &mut dyn Read, len: usize) -> Result<Self, VaultError> {
        let db_err = |e: rusqlite::Error| VaultError::Database {
            path: path.to_owned(),
            detail: e.to_string(),
        };
        let mut conn = Connection::open_in_memory().map_err(db_err)?;
        conn.deserialize_read_exact(rusqlite::MAIN_DB, reader, len, true)
            .map_err(db_err)?;
        configure(&conn).map_err(db_err)?;
        let found: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .map_err(db_err)?;
        if found > schema_version() {
            return Err(VaultError::NewerSchema {
                path: path.to_owned(),
                found,
                supported: schema_version(),
            });
        }
        Ok(Self { conn })
    }

    /// The schema version this database was written with.
    fn version(&self) -> rusqlite::Result<i64> {
        self.conn.pragma_query_value(None, "user_version", |r| r.get(0))
    }

    /// The name and extraction time of the site. Schema 1 wrote the Unix epoch for an unknown time,
    /// as format 1's public header still does: read as unknown ([`crate::format::known_time`]).
    fn site_row(&self) -> rusqlite::Result<(String, Option<chrono::DateTime<chrono::Utc>>)> {
        let (name, extracted_at): (String, String) =
            self.conn
                .query_row("SELECT name, extracted_at FROM site WHERE id = 1", [], |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })?;
        let extracted_at: Option<chrono::DateTime<chrono::Utc>> = serde_json::from_str(&extracted_at)
            .map_err(|e| {
                rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e))
            })?;
        Ok((name, extracted_at.and_then(crate::format::known_time)))
    }

    /// The import's notes (none in a schema 1 database, which had nowhere to keep them), all of
    /// them or those of one ward: its patients' and the data's own.
    fn notes(&self, ward_id: Option<&str>) -> rusqlite::Result<Vec<ImportNote>> {
        if self.version()? < 2 {
            return Ok(Vec::new());
        }
        match ward_id {
            None => self.all("import_notes"),
            Some(w) => self.query(
                "SELECT data FROM import_notes WHERE patient_id IS NULL \
                 OR patient_id IN (SELECT patient_id FROM admissions WHERE ward_id = ?1) ORDER BY seq",
                [w],
            ),
        }
    }

    /// Body weights (none before schema 3), all of them or those of one ward's patients.
    fn weights(&self, ward_id: Option<&str>) -> rusqlite::Result<Vec<BodyWeight>> {
        if self.version()? < 3 {
            return Ok(Vec::new());
        }
        match ward_id {
            None => self.all("weights"),
            Some(w) => self.query(
                "SELECT data FROM weights WHERE patient_id IN \
                 (SELECT patient_id FROM admissions WHERE ward_id = ?1) ORDER BY seq",
                [w],
            ),
        }
    }

    fn all<T: DeserializeOwned>(&self, table: &str) -> rusqlite::Result<Vec<T>> {
        self.query(&format!("SELECT data FROM {table} ORDER BY seq"), [])
    }

    fn query<T: DeserializeOwned, P: rusqlite::Params>(
        &self,
        sql: &str,
        params: P,
    ) -> rusqlite::Result<Vec<T>> {
        let mut st = self.conn.prepare_cached(sql)?;
        let rows = st.query_map(params, |r| {
            let text: String = r.get(0)?;
            serde_json::from_str(&text).map_err(|e| {
                rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e))
            })
        })?;
        rows.collect()
    }

    /// The whole site.
    pub fn site(&self) -> rusqlite::Result<Site> {
        let (name, extracted_at) = self.site_row()?;
        Ok(Site {
            name,
            extracted_at,
            notes: self.notes(None)?,
            wards: self.all("wards")?,
            patients: self.all("patients")?,
            admissions: self.all("admissions")?,
            orders: self.all("medication_orders")?,
            administrations: self.all("administrations")?,
            tests: self.all("pending_tests")?,
            observations: self.all("observations")?,
            weights: self.weights(None)?,
            allergies: self.all("allergies")?,
            alerts: self.all("alerts")?,
        })
    }

    /// One ward and only the records of the patients on it: what a ward PC loads for its board.
    pub fn ward_site(&self, ward: &str) -> rusqlite::Result<Site> {
        let (name, extracted_at) = self.site_row()?;
        let ward_ids: Vec<String> = {
            let mut st = self
                .conn
                .prepare("SELECT id FROM wards WHERE id = ?1 OR code = ?1")?;
            st.query_map([ward], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?
        };
        let Some(ward_id) = ward_ids.first() else {
            return Err(rusqlite::Error::QueryReturnedNoRows);
        };
        let on_ward = "(SELECT patient_id FROM admissions WHERE ward_id = ?1)";
        let per_patient = |table: &str| -> rusqlite::Result<String> {
            Ok(format!(
                "SELECT data FROM {table} WHERE patient_id IN {on_ward} ORDER BY seq"
            ))
        };
        Ok(Site {
            name,
            extracted_at,
            notes: self.notes(Some(ward_id))?,
            wards: self.query("SELECT data FROM wards WHERE id = ?1", [ward_id])?,
            patients: self.query(
                &format!("SELECT data FROM patients WHERE id IN {on_ward} ORDER BY seq"),
                [ward_id],
            )?,
            admissions: self.query(
                "SELECT data FROM admissions WHERE ward_id = ?1 ORDER BY seq",
                [ward_id],
            )?,
            orders: self.query(&per_patient("medication_orders")?, [ward_id])?,
            administrations: self.query(&per_patient("administrations")?, [ward_id])?,
            tests: self.query(&per_patient("pending_tests")?, [ward_id])?,
            observations: self.query(&per_patient("observations")?, [ward_id])?,
            weights: self.weights(Some(ward_id))?,
            allergies: self.query(&per_patient("allergies")?, [ward_id])?,
            alerts: self.query(&per_patient("alerts")?, [ward_id])?,
        })
    }
}

-- Snapshot schema 3. Append-only: never edit a released migration; add 0004_… instead.
-- Body weights, for dosing by weight: kept whole as JSON (`data`, lamplight_model::BodyWeight exactly),
-- always in kilograms (the importer converts exactly or leaves a weight out).
CREATE TABLE weights (
    seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, patient_id TEXT NOT NULL, taken_at TEXT NOT NULL,
    data TEXT NOT NULL
);
CREATE INDEX weights_by_patient ON weights (patient_id, taken_at);

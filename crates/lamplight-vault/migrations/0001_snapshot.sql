-- Snapshot schema 1. Append-only: never edit a released migration; add 0002_… instead.
-- Each record is kept whole as JSON (`data`, the domain type exactly) beside the columns queries use,
-- and `seq` keeps the source's order so a snapshot reads back exactly as it was staged.
CREATE TABLE site (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    name TEXT NOT NULL,
    extracted_at TEXT NOT NULL
);
CREATE TABLE wards (seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, code TEXT NOT NULL, data TEXT NOT NULL);
CREATE TABLE patients (seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, nhs_number TEXT, data TEXT NOT NULL);
CREATE TABLE admissions (
    seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, patient_id TEXT NOT NULL, ward_id TEXT NOT NULL,
    bed_id TEXT, data TEXT NOT NULL
);
CREATE TABLE medication_orders (seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, patient_id TEXT NOT NULL, data TEXT NOT NULL);
CREATE TABLE administrations (
    seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, patient_id TEXT NOT NULL, order_id TEXT NOT NULL,
    at TEXT NOT NULL, data TEXT NOT NULL
);
CREATE TABLE pending_tests (seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, patient_id TEXT NOT NULL, data TEXT NOT NULL);
CREATE TABLE observations (
    seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, patient_id TEXT NOT NULL, taken_at TEXT NOT NULL,
    data TEXT NOT NULL
);
CREATE TABLE allergies (seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, patient_id TEXT NOT NULL, data TEXT NOT NULL);
CREATE TABLE alerts (seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, patient_id TEXT NOT NULL, data TEXT NOT NULL);

CREATE INDEX admissions_by_ward ON admissions (ward_id);
CREATE INDEX admissions_by_patient ON admissions (patient_id);
CREATE INDEX patients_by_nhs_number ON patients (nhs_number);
CREATE INDEX orders_by_patient ON medication_orders (patient_id);
CREATE INDEX administrations_by_patient ON administrations (patient_id, at);
CREATE INDEX tests_by_patient ON pending_tests (patient_id);
CREATE INDEX observations_by_patient ON observations (patient_id, taken_at);
CREATE INDEX allergies_by_patient ON allergies (patient_id);
CREATE INDEX alerts_by_patient ON alerts (patient_id);

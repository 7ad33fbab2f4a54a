-- Snapshot schema 2. Append-only: never edit a released migration; add 0003_… instead.
-- What the import left out or changed travels with the data it describes, sealed with it, so the
-- board can say so in a nurse's words (DESIGN.md promise 10). Each note is kept whole as JSON (`data`,
-- lamplight_model::ImportNote exactly); `patient_id` lets a ward's board take its own patients' notes.
-- From schema 2, `site.extracted_at` holds JSON `null` when the source gave no extraction time.
CREATE TABLE import_notes (
    seq INTEGER PRIMARY KEY, kind TEXT NOT NULL, resource TEXT NOT NULL, patient_id TEXT, data TEXT NOT NULL
);
CREATE INDEX import_notes_by_patient ON import_notes (patient_id);

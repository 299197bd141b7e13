-- Images attached to a submission. Only the re-encoded copy, with no metadata, is stored, and
-- its bytes are sealed under the submission's data key. They are raw material: the retention
-- purge deletes them with the rest. Format, width and height are stored unsealed.
CREATE TABLE attachments (
    id TEXT PRIMARY KEY,
    submission_id TEXT NOT NULL REFERENCES submissions (id) ON DELETE CASCADE,
    position INTEGER NOT NULL CHECK (position >= 1),
    format TEXT NOT NULL CHECK (format IN ('jpeg', 'png', 'webp')),
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    sealed BLOB NOT NULL,
    UNIQUE (submission_id, position)
);

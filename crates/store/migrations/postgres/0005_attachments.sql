-- Images attached to a submission. Only the re-encoded copy, with no metadata, is stored, and
-- its bytes are sealed under the submission's data key. They are raw material: the retention
-- purge deletes them with the rest. Format, width and height are stored unsealed.
CREATE TABLE attachments (
    id TEXT PRIMARY KEY,
    submission_id TEXT COLLATE "C" NOT NULL REFERENCES submissions (id) ON DELETE CASCADE,
    position BIGINT NOT NULL CHECK (position >= 1),
    format TEXT NOT NULL CHECK (format IN ('jpeg', 'png', 'webp')),
    width BIGINT NOT NULL,
    height BIGINT NOT NULL,
    sealed BYTEA NOT NULL,
    UNIQUE (submission_id, position)
);

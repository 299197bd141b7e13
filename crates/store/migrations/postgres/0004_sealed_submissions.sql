-- Raw submission material is sealed with a per-submission data key; this column holds that
-- key wrapped under the key-encryption key kept outside the database. NULL once the raw
-- material has been destroyed after the retention period.
ALTER TABLE submissions ADD COLUMN wrapped_key BYTEA;

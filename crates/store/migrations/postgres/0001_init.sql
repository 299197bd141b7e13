-- The same logical schema as the SQLite store. Text columns that are sorted or compared by
-- range use COLLATE "C", so that ordering is by byte value, as in SQLite, whatever collation
-- the database was created with. Lists and maps are stored as JSON text, exactly as
-- serde_json writes them.

-- Submissions keep only the day they arrived; ids are random. The receipt hash is added in
-- a second commit, after the submission itself is durable.
CREATE TABLE submissions (
    id TEXT COLLATE "C" PRIMARY KEY,
    received_on TEXT COLLATE "C" NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'published', 'rejected')),
    receipt_hash BYTEA UNIQUE,
    input TEXT NOT NULL,
    decision_reason TEXT,
    report_id TEXT,
    decided_on TEXT
);
CREATE INDEX submissions_status ON submissions (status, received_on, id);

-- Change numbers are taken when a report is inserted and can commit out of order across
-- connections; a follower re-reads an overlap window behind the highest number it has seen.
CREATE SEQUENCE report_change_numbers AS BIGINT;

CREATE TABLE reports (
    id TEXT COLLATE "C" PRIMARY KEY,
    change_number BIGINT NOT NULL UNIQUE DEFAULT nextval('report_change_numbers'),
    source TEXT NOT NULL,
    source_key TEXT UNIQUE,
    title TEXT NOT NULL,
    summary TEXT NOT NULL,
    what_happened TEXT NOT NULL,
    lessons_learned TEXT NOT NULL,
    recommendations TEXT NOT NULL,
    event_type TEXT NOT NULL,
    contributing_factors TEXT NOT NULL,
    context TEXT NOT NULL,
    event_month TEXT COLLATE "C" NOT NULL,
    source_tags TEXT NOT NULL,
    published_on TEXT COLLATE "C" NOT NULL
);
ALTER SEQUENCE report_change_numbers OWNED BY reports.change_number;
CREATE INDEX reports_newest ON reports (published_on DESC, event_month DESC, change_number DESC);

CREATE TABLE staff_users (
    id TEXT PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL CHECK (role IN ('analyst', 'admin')),
    password_hash TEXT NOT NULL,
    created_on TEXT NOT NULL
);

CREATE TABLE staff_sessions (
    token_hash BYTEA PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES staff_users (id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL
);
CREATE INDEX staff_sessions_user ON staff_sessions (user_id);

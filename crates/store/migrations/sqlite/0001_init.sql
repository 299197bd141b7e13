-- Submissions keep only the day they arrived; ids are random. The receipt hash is added in
-- a second commit, after the submission itself is durable.
CREATE TABLE submissions (
    id TEXT PRIMARY KEY,
    received_on TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'published', 'rejected')),
    receipt_hash BLOB UNIQUE,
    input TEXT NOT NULL,
    decision_reason TEXT,
    report_id TEXT,
    decided_on TEXT
);
CREATE INDEX submissions_status ON submissions (status, received_on);

CREATE TABLE reports (
    id TEXT PRIMARY KEY,
    change_number INTEGER NOT NULL UNIQUE,
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
    event_month TEXT NOT NULL,
    source_tags TEXT NOT NULL,
    published_on TEXT NOT NULL
);
CREATE INDEX reports_newest ON reports (published_on DESC, event_month DESC, change_number DESC);

CREATE TABLE staff_users (
    id TEXT PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL CHECK (role IN ('analyst', 'admin')),
    password_hash TEXT NOT NULL,
    created_on TEXT NOT NULL
);

CREATE TABLE staff_sessions (
    token_hash BLOB PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES staff_users (id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL
);

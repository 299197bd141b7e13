-- Staff account security: the TOTP second factor, pending sign-ins, per-account sign-in
-- throttling, settings and the hash-chained audit log of staff actions.

-- The TOTP secret is as sensitive as a password hash: whoever reads it can compute codes.
-- `last_step` is the last time step whose code was accepted; each code works once.
CREATE TABLE staff_totp (
    user_id TEXT PRIMARY KEY REFERENCES staff_users (id) ON DELETE CASCADE,
    secret BLOB NOT NULL,
    last_step INTEGER NOT NULL
);

-- A password that was accepted, waiting for the TOTP code (or, for an account without TOTP,
-- for enrolment with `enrol_secret`). Not a session: it opens no staff page.
CREATE TABLE staff_pending_logins (
    token_hash BLOB PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES staff_users (id) ON DELETE CASCADE,
    enrol_secret BLOB,
    created_at INTEGER NOT NULL
);
CREATE INDEX staff_pending_logins_created ON staff_pending_logins (created_at);

-- Failed password or TOTP attempts per account; no client address is kept.
CREATE TABLE staff_sign_in_failures (
    user_id TEXT PRIMARY KEY REFERENCES staff_users (id) ON DELETE CASCADE,
    failures INTEGER NOT NULL,
    window_start INTEGER NOT NULL,
    locked_until INTEGER
);

CREATE TABLE settings (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- Staff actions only. `staff_id` is NULL for the operator at the command line; it has no
-- foreign key, so that entries outlive the accounts they name.
CREATE TABLE audit_log (
    seq INTEGER PRIMARY KEY,
    staff_id TEXT,
    at TEXT NOT NULL,
    action TEXT NOT NULL,
    subject TEXT NOT NULL,
    details TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    entry_hash TEXT NOT NULL
);

-- Sessions opened before the second factor existed end here, so that every account signs in
-- again with TOTP.
DELETE FROM staff_sessions;

-- The analyst's working copy of a submission under review: draft text, detected spans and
-- decisions, as JSON. It holds raw text and is deleted with the submission's raw material.
CREATE TABLE review_drafts (
    submission_id TEXT PRIMARY KEY REFERENCES submissions (id) ON DELETE CASCADE,
    draft TEXT NOT NULL
);

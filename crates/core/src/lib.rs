//! Domain types of nearmiss: the taxonomy, submissions, reports, staff roles and the
//! validation rules that every entry point (web form, JSON API, CLI import) shares.
//! This crate does no I/O.

pub mod audit;
pub mod calendar;
pub mod receipt;
pub mod report;
pub mod review;
pub mod staff;
pub mod submission;
pub mod taxonomy;
pub mod totp;

pub use report::{NewReport, Report, ReportSource};
pub use staff::Role;
pub use submission::{FieldError, FieldErrors, Narrative, Submission, SubmissionInput, SubmissionStatus};

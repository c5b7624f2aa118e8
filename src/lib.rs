//! scalelint: a linter for architecture description files.

pub mod check;
pub mod cli;
pub mod diagnostic;
pub mod discover;
pub mod load;
pub mod model;
pub mod registry;
pub mod report;
pub mod span;

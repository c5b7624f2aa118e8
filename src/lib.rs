//! scalelint: a linter for architecture description files.

pub mod diagnostic;
pub mod load;
pub mod model;
pub mod span;

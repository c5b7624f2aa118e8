//! scalelint: a linter for architecture description files.

pub mod check;
pub mod checks;
pub mod cli;
pub mod config;
pub mod diagnostic;
pub mod discover;
pub mod engine;
pub mod fix;
pub mod forecast;
pub mod graph;
pub mod load;
pub mod lsp;
pub mod model;
pub mod registry;
pub mod report;
pub mod span;
pub mod stage;

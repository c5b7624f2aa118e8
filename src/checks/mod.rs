//! Native check kinds that need more than reading one field: capacity
//! formulas, graph walks, stage logic, and CEL expressions for users' rules.
//! The generic kinds (threshold, ratio, match) live in `engine::eval`.

pub mod cel;
pub mod formula;
pub mod global;
pub mod graph;
pub mod stage;

//! The loader: description text → spanned node tree → typed model, with
//! every problem on the way reported as SL000–SL003.

pub mod scalar;
pub mod tree;

//! Doorstep's rules core: the household-service domain model and every business rule.
//!
//! Pure Rust with no I/O and no async: the same code decides on the worker's phone (wasm),
//! in the dispatcher's browser and in the native `doorstep` command line. Functions never
//! panic on bad input: they return a value plus the problems found, or a typed error.
//!
//! The rule numbers (callback days, capacity, shift cap, acceptance order) live in
//! [`config::Rules`] with the domain's defaults; nothing else hard-codes them.

pub mod acceptance;
pub mod booking;
pub mod checklist;
pub mod config;
pub mod demo;
pub mod dispatch;
pub mod flow;
pub mod followup;
pub mod geo;
pub mod iso;
pub mod lang;
pub mod model;
pub mod pin;
pub mod pricing;
pub mod privacy;
pub mod record;
mod rng;
pub mod signature;
pub mod step;
pub mod toolkit;

pub use config::Rules;
pub use lang::{Explain, Lang, Text};

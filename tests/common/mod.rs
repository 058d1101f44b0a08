//! Code shared by the test binaries (cargo builds no test from this folder).
#![allow(dead_code)]

pub mod calls;
pub mod scripted;

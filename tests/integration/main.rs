//! The crate's integration tests, in one binary (one link, one run).

mod review;

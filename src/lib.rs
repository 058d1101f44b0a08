//! Typed client for Cashfree's Verification API.
#![allow(missing_docs)]

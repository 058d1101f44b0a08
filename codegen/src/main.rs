//! `cashfree-codegen`: import Cashfree specs and refresh the generated API's review copies.
fn main() {}

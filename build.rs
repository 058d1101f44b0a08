//! Generates the client from `spec/` at compile time; all logic lives in `codegen/`.
fn main() {
    cashfree_codegen::build_script::run();
}

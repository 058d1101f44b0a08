#!/usr/bin/env bash
# Instructions per call of the same `POST /oauth/token` three ways, in one run (issue 21): hand-written
# reqwest, a plain progenitor client (progenitor's build.rs example on the seed spec, no hooks, the
# credentials as the reqwest client's default headers) and this crate. The plain client is the
# minimal reproduction of progenitor's own share: plain − raw is progenitor's generated code, crate −
# plain is this crate's layer (steps, retries' spare request, tracing, wire rules).
#
#   benches/progenitor_share.sh
#
# Needs valgrind (callgrind) and python3 with PyYAML (the seed is YAML). Each side makes 200 and
# then 1200 calls; the difference over 1000 is the steady per-call count (start-up cancels out).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'kill "${server:-0}" 2>/dev/null || true; rm -rf "$work"' EXIT

(cd "$root" && cargo bench -q --bench overhead --no-run 2>/dev/null)
bench=$(ls -t "$root"/target/release/deps/overhead-* | grep -v '\.d$' | head -1)

mkdir -p "$work/plain/src"
cat >"$work/plain/Cargo.toml" <<'TOML'
[package]
name = "plain"
version = "0.0.0"
edition = "2024"

[workspace]

[dependencies]
progenitor-client = "0.15.1"
reqwest = { version = "0.13.4", default-features = false, features = ["json", "query", "multipart", "rustls-no-provider"] }
rustls = { version = "0.23", default-features = false, features = ["ring", "std", "tls12"] }
serde = { version = "1", features = ["derive"] }
serde_json = "1"
tokio = { version = "1", features = ["rt", "macros"] }

[build-dependencies]
progenitor = "0.15.1"
prettyplease = "0.2"
serde_json = "1"
syn = "2"

[profile.release]
debug = 1
TOML
cp "$root/Cargo.lock" "$work/plain/Cargo.lock"
python3 -c 'import json, sys, yaml; json.dump(yaml.safe_load(open(sys.argv[1])), open(sys.argv[2], "w"))' \
  "$root/spec/vrs-generate-auth-token.yaml" "$work/plain/openapi.json"
cat >"$work/plain/build.rs" <<'RS'
fn main() {
    println!("cargo:rerun-if-changed=openapi.json");
    let spec = serde_json::from_reader(std::fs::File::open("openapi.json").unwrap()).unwrap();
    let mut settings = progenitor::GenerationSettings::new();
    settings.with_interface(progenitor::InterfaceStyle::Builder);
    let tokens = progenitor::Generator::new(&settings).generate_tokens(&spec).unwrap();
    let code = prettyplease::unparse(&syn::parse2(tokens).unwrap());
    std::fs::write(std::path::Path::new(&std::env::var("OUT_DIR").unwrap()).join("codegen.rs"), code).unwrap();
}
RS
cat >"$work/plain/src/main.rs" <<'RS'
include!(concat!(env!("OUT_DIR"), "/codegen.rs"));

fn body() -> types::CreateAuthRequestSchema {
    types::CreateAuthRequestSchema::builder()
        .app_id("app_id_for_vkyc")
        .product("VKYC")
        .metadata(types::CreateAuthRequestSchemaMetadata::builder().vkyc_request_id("249749"))
        .authenticated_user(
            types::CreateAuthRequestSchemaAuthenticatedUser::builder()
                .identifier_type("userId")
                .identifier_value("123456"),
        )
        .try_into()
        .unwrap()
}

fn main() {
    let mut args = std::env::args().skip(1);
    let base = args.next().expect("base URL");
    let calls: usize = args.next().expect("calls").parse().unwrap();
    let _ = rustls::crypto::ring::default_provider().install_default();
    // The bench's client set-up: the same timeouts, no redirects, the credentials on every request.
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("x-client-id", "bench-client-id".parse().unwrap());
    headers.insert("x-client-secret", "bench-client-secret".parse().unwrap());
    let http = reqwest::Client::builder()
        .default_headers(headers)
        .connect_timeout(std::time::Duration::from_secs(10))
        .timeout(std::time::Duration::from_secs(30))
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let client = Client::new_with_client(&base, http);
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(async {
        for _ in 0..calls {
            let token = client
                .vrs_generate_auth_token()
                .x_api_version("2024-12-01")
                .body(body())
                .send()
                .await
                .unwrap();
            assert!(token.access_token.is_some());
        }
    });
}
RS
(cd "$work/plain" && cargo build -q --release 2>/dev/null)
plain="$work/plain/target/release/plain"

# The bench's own server (a child process), for the plain client.
coproc SERVER { exec env CASHFREE_BENCH_PINNED=1 "$bench" --serve 2>/dev/null; }
server=$SERVER_PID
read -r port <&"${SERVER[0]}"

count() { # command... -> instructions
  valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 | awk '/Collected/ {print $4}'
}
per_call() { # side -> instructions per call (1200 calls minus 200, over 1000)
  local few many
  if [ "$1" = plain ]; then
    few=$(count "$plain" "http://127.0.0.1:$port" 200)
    many=$(count "$plain" "http://127.0.0.1:$port" 1200)
  else
    few=$(CASHFREE_BENCH_PINNED=1 count "$bench" --only "$1" 200)
    many=$(CASHFREE_BENCH_PINNED=1 count "$bench" --only "$1" 1200)
  fi
  echo $(((many - few) / 1000))
}
raw=$(per_call raw)
plain_calls=$(per_call plain)
crate=$(per_call crate)
printf 'instructions per call: raw reqwest %d, plain progenitor %d (%.3fx raw), this crate %d (%.3fx raw, %.3fx plain progenitor)\n' \
  "$raw" "$plain_calls" "$(echo "$plain_calls / $raw" | bc -l)" "$crate" \
  "$(echo "$crate / $raw" | bc -l)" "$(echo "$crate / $plain_calls" | bc -l)"
printf "progenitor's share of the gap: %d of %d per call; this crate's layer: %d\n" \
  "$((plain_calls - raw))" "$((crate - raw))" "$((crate - plain_calls))"

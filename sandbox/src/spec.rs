//! The merged spec the crate was built from, indexed for the sandbox: routes, security, request
//! schemas and documented responses. Nothing here is written per operation.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use cashfree_openapi::{operation_parameters, operations_of, resolve};
use serde_json::Value;

use super::schema::Limits;

/// The merged document the client was built from (`cashfree_verification::spec::openapi_json`).
pub(crate) fn document() -> &'static Value {
    static DOC: OnceLock<Value> = OnceLock::new();
    DOC.get_or_init(|| {
        serde_json::from_str(cashfree_verification::spec::openapi_json())
            .expect("the build writes valid JSON")
    })
}

/// Every operation of the merged document.
pub(crate) fn operations() -> &'static [OpSpec] {
    static OPS: OnceLock<Vec<OpSpec>> = OnceLock::new();
    OPS.get_or_init(|| index(document()))
}

/// One operation, as the sandbox needs it.
#[derive(Debug, Clone)]
pub(crate) struct OpSpec {
    pub method: String,
    pub path: String,
    pub operation_id: String,
    /// The operation's tags (its product: `1-Click`, `Auth`, ...).
    pub tags: Vec<String>,
    /// Alternatives; each lists (scheme name, header) pairs that must all be present.
    pub security: Vec<Vec<(String, String)>>,
    pub request_schema: Option<Value>,
    /// The request body is `multipart/form-data` (parsed into an object of its parts).
    pub multipart: bool,
    pub body_required: bool,
    /// Query and path parameters.
    pub params: Vec<ParamSpec>,
    /// Header parameters (lower-case names).
    pub headers: Vec<ParamSpec>,
    /// The documented request: the body's examples and each parameter's example, as one object
    /// (what the operation's documentation sends; the default example is the one that answers it).
    pub request_example: Value,
    /// Documented responses by status.
    pub responses: BTreeMap<u16, ResponseSpec>,
    /// Length limits the error examples document beside the schema ([`super::limits`]).
    pub limits: Limits,
}

/// A documented parameter.
#[derive(Debug, Clone)]
pub(crate) struct ParamSpec {
    pub name: String,
    pub required: bool,
    /// Its schema (`{}` when the spec gives none).
    pub schema: Value,
}

/// A documented response.
#[derive(Debug, Clone, Default)]
pub(crate) struct ResponseSpec {
    pub schema: Option<Value>,
    /// Example bodies, sorted by name (so nothing depends on the order of the document's maps).
    pub examples: Vec<Example>,
}

/// A documented example body and its name: the key under `examples`, or `example` for a lone
/// `example` (of the media type, or of its schema).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Example {
    pub name: String,
    pub value: Value,
}

impl OpSpec {
    /// The values of this operation's query and path parameters in `target` (path and query).
    pub fn param_values(&self, target: &str) -> Vec<(String, String)> {
        let (path, query) = target.split_once('?').unwrap_or((target, ""));
        let mut values: Vec<(String, String)> = url::form_urlencoded::parse(query.as_bytes())
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        let want: Vec<&str> = self.path.trim_matches('/').split('/').collect();
        let got: Vec<&str> = path.trim_matches('/').split('/').collect();
        for (w, g) in want.iter().zip(&got) {
            if let Some(name) = w.strip_prefix('{').and_then(|w| w.strip_suffix('}')) {
                let value = url::form_urlencoded::parse(g.as_bytes())
                    .next()
                    .map(|(k, _)| k.into_owned())
                    .unwrap_or_default();
                values.push((name.to_string(), value));
            }
        }
        values
    }

    /// `true` when `path` (no query) matches this operation's template.
    pub fn matches(&self, method: &str, path: &str) -> bool {
        if !self.method.eq_ignore_ascii_case(method) {
            return false;
        }
        let want: Vec<&str> = self.path.trim_matches('/').split('/').collect();
        let got: Vec<&str> = path.trim_matches('/').split('/').collect();
        want.len() == got.len()
            && want
                .iter()
                .zip(&got)
                .all(|(w, g)| (w.starts_with('{') && w.ends_with('}') && !g.is_empty()) || w == g)
    }

    /// The documented error example with `code`, from this operation or, failing that, any other
    /// (codes are shared across Cashfree's API): (status, body).
    pub fn documented_error(&self, code: &str) -> Option<(u16, Value)> {
        let find = |op: &OpSpec| {
            op.responses.iter().find_map(|(status, r)| {
                r.examples
                    .iter()
                    .find(|e| e.value.get("code").and_then(Value::as_str) == Some(code))
                    .map(|e| (*status, e.value.clone()))
            })
        };
        find(self).or_else(|| operations().iter().find_map(find))
    }

    /// Whether a response with `code` is documented for this operation.
    pub fn documents(&self, code: &str) -> bool {
        self.responses.values().any(|r| {
            r.examples
                .iter()
                .any(|e| e.value.get("code").and_then(Value::as_str) == Some(code))
        })
    }

    /// Every documented example of this operation with its status, in (status, name) order.
    pub fn examples(&self) -> impl Iterator<Item = (u16, &Example)> {
        self.responses
            .iter()
            .flat_map(|(status, r)| r.examples.iter().map(move |e| (*status, e)))
    }

    /// The documented success response: the lowest 2xx status (200 when none is documented).
    pub fn success(&self) -> (u16, Option<&ResponseSpec>) {
        self.responses
            .iter()
            .find(|(s, _)| (200..300).contains(*s))
            .map_or((200, None), |(s, r)| (*s, Some(r)))
    }
}

/// The named examples of a media type object, sorted by name: each of `examples` (its `value`,
/// through `$ref`s), a lone `example`, or failing both the schema's own `example` (unwrapping the
/// stray `value:` Cashfree's documents put around some).
fn named_examples(doc: &Value, media: &Value) -> Vec<Example> {
    let mut out: Vec<Example> = media
        .get("examples")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .filter_map(|(name, e)| {
            Some(Example {
                name: name.clone(),
                value: resolve(doc, e).get("value")?.clone(),
            })
        })
        .collect();
    let lone = media.get("example").or_else(|| {
        media
            .get("schema")
            .map(|s| resolve(doc, s))
            .and_then(|s| s.get("example"))
    });
    if out.is_empty()
        && let Some(e) = lone
    {
        let value = match e.as_object() {
            Some(o) if o.len() == 1 && o.get("value").is_some_and(Value::is_object) => &o["value"],
            _ => e,
        };
        out.push(Example {
            name: "example".into(),
            value: value.clone(),
        });
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}

/// What an operation's documentation sends: its request body example (the first by name) with
/// each parameter's example beside it.
fn request_example(doc: &Value, body: Option<&Value>, params: &[&Value]) -> Value {
    let mut out = body
        .and_then(|b| b.get("content"))
        .and_then(Value::as_object)
        .into_iter()
        .flat_map(|c| c.values())
        .flat_map(|media| named_examples(doc, media))
        .find_map(|e| e.value.as_object().cloned())
        .unwrap_or_default();
    for p in params {
        let example = p
            .get("example")
            .or_else(|| p.pointer("/schema/example"))
            .or_else(|| p.pointer("/schema/default"));
        if let (Some(name), Some(example)) = (p.get("name").and_then(Value::as_str), example) {
            out.entry(name.to_string()).or_insert(example.clone());
        }
    }
    Value::Object(out)
}

/// The client's operation table entry for the document's operation at `path` and `method`.
fn table_entry(path: &str, method: &str) -> &'static cashfree_verification::spec::Operation {
    cashfree_verification::spec::every_operation()
        .iter()
        .find(|op| op.path == path && op.method.eq_ignore_ascii_case(method))
        .unwrap_or_else(|| {
            panic!("{} {path} is in the merged document but not in the client's operation table; the build writes both from one document", method.to_uppercase())
        })
}

/// The sandbox's index, in document order: what each operation needs (operationId, security,
/// multipart) from the client's operation table, so the two never disagree; its schemas,
/// parameters and examples from the document.
fn index(doc: &Value) -> Vec<OpSpec> {
    // Which header carries each scheme: the client's own table too.
    let header_of = |name: &str| -> String {
        cashfree_verification::spec::scheme(name)
            .filter(|s| s.supported)
            .map(|s| s.header.to_string())
            .unwrap_or_else(|| name.to_ascii_lowercase())
    };
    let mut ops = Vec::new();
    for (path, method, op) in operations_of(doc) {
        let entry = table_entry(path, method);
        let security = entry
            .security
            .iter()
            .map(|alt| alt.iter().map(|k| (k.to_string(), header_of(k))).collect())
            .collect();
        let body = op.get("requestBody").map(|b| resolve(doc, b));
        let multipart = entry.multipart;
        let request_schema = body
            .and_then(|b| {
                b.pointer("/content/application~1json/schema")
                    .or_else(|| b.pointer("/content/multipart~1form-data/schema"))
            })
            .map(|s| resolve(doc, s).clone());
        let body_required = body
            .and_then(|b| b.get("required"))
            .and_then(Value::as_bool)
            .unwrap_or(false);
        let all_params = operation_parameters(doc, op, path);
        let params_of = |places: &[&str]| -> Vec<ParamSpec> {
            all_params
                .iter()
                .filter(|p| {
                    p.get("in")
                        .and_then(Value::as_str)
                        .is_some_and(|i| places.contains(&i))
                })
                .filter_map(|p| {
                    Some(ParamSpec {
                        name: p.get("name")?.as_str()?.to_string(),
                        required: p.get("required").and_then(Value::as_bool).unwrap_or(false),
                        schema: p.get("schema").map_or_else(
                            || Value::Object(Default::default()),
                            |s| resolve(doc, s).clone(),
                        ),
                    })
                })
                .collect()
        };
        let query_and_path = params_of(&["query", "path"]);
        let mut headers = params_of(&["header"]);
        for h in &mut headers {
            h.name.make_ascii_lowercase();
        }
        let mut responses = BTreeMap::new();
        for (status, r) in op
            .get("responses")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            let Ok(status) = status.parse::<u16>() else {
                continue;
            };
            let r = resolve(doc, r);
            let media = r.pointer("/content/application~1json");
            let schema = media
                .and_then(|m| m.get("schema"))
                .map(|s| resolve(doc, s).clone());
            let examples = media.map(|m| named_examples(doc, m)).unwrap_or_default();
            responses.insert(status, ResponseSpec { schema, examples });
        }
        let request_example = request_example(doc, body, &all_params);
        let limits = super::limits::documented(
            doc,
            responses
                .iter()
                .filter(|(s, _)| **s >= 400)
                .flat_map(|(_, r)| r.examples.iter().map(|e| &e.value)),
            request_schema.as_ref(),
            &request_example,
        );
        ops.push(OpSpec {
            method: entry.method.to_string(),
            path: path.clone(),
            operation_id: entry.operation_id.to_string(),
            tags: op
                .get("tags")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .map(String::from)
                .collect(),
            security,
            request_schema,
            multipart,
            body_required,
            request_example,
            limits,
            params: query_and_path,
            headers,
            responses,
        });
    }
    ops
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_merged_spec_is_indexed() {
        let ops = operations();
        let session = ops.iter().find(|o| o.path == "/oauth2/session").unwrap();
        assert!(
            session.matches("POST", "/oauth2/session/")
                && !session.matches("GET", "/oauth2/session")
        );
        assert_eq!(
            session.security,
            [vec![
                ("UVXClientID".to_string(), "x-client-id".to_string()),
                ("UVXClientSecret".to_string(), "x-client-secret".to_string())
            ]]
        );
        assert_eq!(
            session.responses.keys().copied().collect::<Vec<_>>(),
            [200, 400, 401, 409, 422, 429, 500]
        );
        assert_eq!(
            session
                .documented_error("verification_id_already_exists")
                .unwrap()
                .0,
            409
        );
        let token = ops.iter().find(|o| o.path == "/oauth/token").unwrap();
        // Not documented for /oauth/token, but documented elsewhere: shared codes are found.
        assert_eq!(
            token.documented_error("x-client-id_missing").unwrap().0,
            400
        );
        assert!(
            token
                .headers
                .iter()
                .any(|h| h.name == "x-cf-signature" && !h.required)
        );
        // Examples by name, whatever the document's map order.
        let pan = ops.iter().find(|o| o.path == "/pan" && o.method == "POST");
        if let Some(pan) = pan {
            let names: Vec<&str> = pan.responses[&200]
                .examples
                .iter()
                .map(|e| e.name.as_str())
                .collect();
            assert_eq!(
                names,
                ["Invalid PAN", "Valid PAN Business", "Valid PAN Individual"]
            );
            assert_eq!(pan.request_example["pan"], "ABCPV1234D");
        }
    }
}

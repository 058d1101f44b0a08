//! What an import reads: the one YAML fence of a Cashfree docs page, and the one operation of the
//! document it holds.

use serde_json::Value;

use crate::source::operations_of;

/// Extracts the content of the one ```` ```yaml ```` fence of a Markdown page, byte for byte.
///
/// Fences follow CommonMark: three or more backticks or tildes, closed by a line of at least as many of
/// the same character, so a shorter fence inside the YAML (in a description) does not end it.
///
/// # Errors
/// No yaml fence, several yaml fences, or an unclosed one.
pub fn extract_yaml_fence(page: &str) -> Result<&str, String> {
    let mut found: Vec<(usize, usize, usize)> = Vec::new(); // (line number, start byte, end byte)
    let mut open: Option<(char, usize, bool, usize, usize)> = None; // (char, len, is_yaml, line, content start)
    let mut offset = 0;
    for (i, line) in page.split_inclusive('\n').enumerate() {
        let start = offset;
        offset += line.len();
        let text = line.trim_end_matches(['\n', '\r']);
        let indent = text.len() - text.trim_start_matches(' ').len();
        if indent > 3 {
            continue;
        }
        let body = &text[indent..];
        let Some(c) = body.chars().next().filter(|c| *c == '`' || *c == '~') else {
            continue;
        };
        let run = body.chars().take_while(|x| *x == c).count();
        if run < 3 {
            continue;
        }
        let rest = &body[run..];
        match open {
            None => {
                let info = rest.trim();
                let is_yaml = info.split_whitespace().next().is_some_and(|w| {
                    w.eq_ignore_ascii_case("yaml") || w.eq_ignore_ascii_case("yml")
                });
                open = Some((c, run, is_yaml, i + 1, offset));
            }
            Some((oc, olen, is_yaml, oline, content_start)) => {
                if c == oc && run >= olen && rest.trim().is_empty() {
                    if is_yaml {
                        found.push((oline, content_start, start));
                    }
                    open = None;
                }
            }
        }
    }
    if let Some((_, _, true, line, _)) = open {
        return Err(format!(
            "the yaml fence opened on line {line} is never closed"
        ));
    }
    match found.as_slice() {
        [] => Err("no ```yaml fence found: a Cashfree docs page holds its OpenAPI document in one ```yaml block".into()),
        [(_, s, e)] => Ok(&page[*s..*e]),
        many => Err(format!(
            "{} ```yaml fences found (lines {}); a docs page must hold exactly one OpenAPI document",
            many.len(),
            many.iter().map(|f| f.0.to_string()).collect::<Vec<_>>().join(", ")
        )),
    }
}

/// The one operation of a document: (method, path, operationId).
pub(super) fn single_operation(doc: &Value) -> Result<(String, String, Option<String>), String> {
    let mut ops: Vec<(String, String, Option<String>)> = operations_of(doc)
        .map(|(path, method, op)| {
            let id = op
                .get("operationId")
                .and_then(Value::as_str)
                .map(String::from);
            (method.clone(), path.clone(), id)
        })
        .collect();
    match ops.len() {
        1 => Ok(ops.remove(0)),
        0 => Err("it defines no operation; spec/ holds one operation per file".into()),
        n => Err(format!(
            "it defines {n} operations ({}); spec/ holds one operation per file, as Cashfree's docs pages publish them",
            ops.iter()
                .map(|(m, p, _)| format!("{} {p}", m.to_uppercase()))
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

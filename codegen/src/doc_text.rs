//! Spec text in generated documentation, made inert: no description, summary or title from a spec
//! can become a doctest that `cargo test` would compile and run.
//!
//! Rustdoc runs every code block of a doc comment that is not marked with another language: fenced
//! blocks (```` ``` ```` or `~~~` at the start of a line, also inside list items and block quotes) and
//! indented blocks (four spaces or a tab). [`neutralize`] rewrites text so that it contains neither,
//! and [`doctest_lines`] checks the generated code's doc attributes so that a text reaching the docs by
//! any other road fails the build instead.

use proc_macro2::{TokenStream, TokenTree};
use serde_json::Value;

use cashfree_openapi::keywords::{Kind, is_name_map, kind};

/// Code block languages that rustdoc does not compile: progenitor's own usage example (`ignore`) and
/// typify's JSON schema (`json`).
const INERT_LANGUAGES: [&str; 3] = ["ignore", "json", "text"];

/// Makes `text` safe to place in a doc comment, keeping it readable.
///
/// - line endings become `\n` (CommonMark also ends lines at a lone `\r`);
/// - every run of spaces and tabs becomes one space and lines lose their indentation, so no line is
///   indented enough to start an indented code block, whatever container it is in;
/// - every backtick and tilde in a run of three or more is escaped with a backslash, so no fence can
///   open; shorter runs, which cannot open a fence, keep their meaning (inline code stays inline code).
///
/// ```
/// use cashfree_codegen::doc_text::neutralize;
/// let text = neutralize("Send `x`:\n```\nstd::process::exit(1)\n```\n    indented();");
/// assert_eq!(text, "Send `x`:\n\\`\\`\\`\nstd::process::exit(1)\n\\`\\`\\`\nindented();");
/// ```
pub fn neutralize(text: &str) -> String {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut out = String::with_capacity(text.len());
    for (n, line) in text.split('\n').enumerate() {
        if n > 0 {
            out.push('\n');
        }
        let collapsed = line.split([' ', '\t']).filter(|w| !w.is_empty());
        let line: Vec<&str> = collapsed.collect();
        escape_fence_runs(&line.join(" "), &mut out);
    }
    out
}

fn escape_fence_runs(line: &str, out: &mut String) {
    let chars: Vec<char> = line.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let run = chars[i..].iter().take_while(|&&d| d == c).count();
        for _ in 0..run {
            if matches!(c, '`' | '~') && run >= 3 {
                out.push('\\');
            }
            out.push(c);
        }
        i += run;
    }
}

/// Applies [`neutralize`] to every `description`, `summary` and `title` of `doc` in keyword position
/// (a *property* named `description` is left alone).
pub fn neutralize_document(doc: &mut Value) {
    walk(doc, false);
}

fn walk(value: &mut Value, in_name_map: bool) {
    match value {
        Value::Object(map) => {
            for (key, child) in map.iter_mut() {
                if in_name_map {
                    walk(child, false);
                } else if kind(key).is_data() {
                    continue;
                } else if kind(key) == Kind::Prose
                    && let Value::String(text) = child
                {
                    *text = neutralize(text);
                } else {
                    walk(child, is_name_map(key));
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|item| walk(item, false)),
        _ => {}
    }
}

/// Every `#[doc = "..."]` text in `tokens`, in order.
pub fn doc_attributes(tokens: TokenStream) -> Vec<String> {
    let mut docs = Vec::new();
    collect_docs(tokens, &mut docs);
    docs
}

fn collect_docs(tokens: TokenStream, docs: &mut Vec<String>) {
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    for (i, tree) in trees.iter().enumerate() {
        match tree {
            TokenTree::Group(group) => collect_docs(group.stream(), docs),
            TokenTree::Ident(ident) if ident == "doc" => {
                if let (Some(TokenTree::Punct(eq)), Some(TokenTree::Literal(lit))) =
                    (trees.get(i + 1), trees.get(i + 2))
                    && eq.as_char() == '='
                    && let Ok(text) = syn::parse_str::<syn::LitStr>(&lit.to_string())
                {
                    docs.push(text.value());
                }
            }
            _ => {}
        }
    }
}

/// The lines (1-based) of `doc` that open a code block rustdoc would compile as a doctest: a fence
/// whose language is not one of progenitor's or typify's inert ones, or an indented block.
///
/// Conservative on purpose: it may flag a line rustdoc would not run, never the other way round for
/// the shapes above, so a flagged line fails the build rather than risk running spec text.
pub fn doctest_lines(doc: &str) -> Vec<usize> {
    let doc = doc.replace("\r\n", "\n").replace('\r', "\n");
    let mut flagged = Vec::new();
    let mut open: Option<(char, usize)> = None;
    let mut after_blank = true;
    for (n, raw) in doc.split('\n').enumerate() {
        let (line, indented_in_container) = strip_containers(raw);
        if let Some((c, len)) = open {
            let run = line.chars().take_while(|&d| d == c).count();
            if run >= len && line[run * c.len_utf8()..].trim().is_empty() {
                open = None;
            }
            continue;
        }
        let first = line.chars().next().unwrap_or(' ');
        let run = line.chars().take_while(|&d| d == first).count();
        if matches!(first, '`' | '~') && run >= 3 {
            let info = line[run..].trim();
            let language = info.split([',', ' ']).next().unwrap_or("");
            if !INERT_LANGUAGES.contains(&language) {
                flagged.push(n + 1);
            }
            open = Some((first, run));
            continue;
        }
        if indented_in_container || (after_blank && indentation(raw) >= 4 && !raw.trim().is_empty())
        {
            flagged.push(n + 1);
        }
        after_blank = raw.trim().is_empty();
    }
    flagged
}

/// `line` without leading white space, block quote markers and list markers; and whether a marker
/// was followed by five or more columns, which makes the rest an indented code block.
fn strip_containers(line: &str) -> (&str, bool) {
    let mut rest = line.trim_start();
    let mut indented = false;
    loop {
        let before = rest;
        let marker = if rest.starts_with(['>', '-', '*', '+']) {
            1
        } else {
            let digits = rest.chars().take_while(char::is_ascii_digit).count();
            if digits > 0 && rest[digits..].starts_with(['.', ')']) {
                digits + 1
            } else {
                0
            }
        };
        if marker > 0 {
            let after = &rest[marker..];
            let gap = indentation(after);
            // A list marker needs white space after it; a block quote marker does not.
            if gap > 0 || rest.starts_with('>') {
                indented |= gap >= 5 && !after.trim().is_empty();
                rest = after.trim_start();
            }
        }
        if rest == before {
            return (rest, indented);
        }
    }
}

fn indentation(line: &str) -> usize {
    let mut width = 0;
    for c in line.chars() {
        match c {
            ' ' => width += 1,
            '\t' => width += 4,
            _ => break,
        }
    }
    width
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn neutralized_text_opens_no_code_block_in_any_container() {
        let hostile = [
            "```\nstd::fs::write(\"x\", \"\").unwrap();\n```",
            "~~~rust\nboom();\n~~~",
            "intro\n\n    indented_code();",
            "intro\n\n\tindented_code();",
            "- ```\n  boom();\n  ```",
            "> ```\n> boom();\n> ```",
            "1.     indented_in_list();",
            "a\r```\rboom();\r```",
            "````\nboom();\n````",
        ];
        for text in hostile {
            let safe = neutralize(text);
            assert_eq!(
                doctest_lines(&format!("\n{safe}\n")),
                Vec::<usize>::new(),
                "{safe:?}"
            );
            assert!(
                !doctest_lines(&format!("\n{text}\n")).is_empty(),
                "{text:?} should be flagged"
            );
        }
    }

    #[test]
    fn readable_text_keeps_inline_code_and_words() {
        assert_eq!(
            neutralize("Use `x-api-version`  and ``a`b``.\n  - item"),
            "Use `x-api-version` and ``a`b``.\n- item"
        );
    }

    #[test]
    fn progenitor_and_typify_blocks_are_inert() {
        let doc = "Sends a `POST`\n\n```ignore\nlet r = client.x().send();\n```\n<details>\n\n```json\n{\n    \"a\": 1\n}\n```\n</details>";
        assert_eq!(doctest_lines(doc), Vec::<usize>::new());
        assert_eq!(doctest_lines("a\n\n```rust,no_run\nx();\n```"), vec![3]);
    }

    #[test]
    fn only_documentation_keywords_are_rewritten() {
        let mut doc = serde_json::json!({
            "description": "```\nboom\n```",
            "properties": {"description": {"type": "string", "description": "    x"}},
            "example": {"description": "```"},
            "examples": {"a": {"summary": "```", "value": {"title": "```"}}}
        });
        neutralize_document(&mut doc);
        assert_eq!(doc["description"], "\\`\\`\\`\nboom\n\\`\\`\\`");
        assert_eq!(doc["properties"]["description"]["type"], "string");
        assert_eq!(doc["properties"]["description"]["description"], "x");
        assert_eq!(
            doc["example"]["description"], "```",
            "examples are data, not docs"
        );
        assert_eq!(doc["examples"]["a"]["value"]["title"], "```");
    }

    #[test]
    fn doc_attributes_are_found_at_any_depth() {
        let tokens: TokenStream =
            syn::parse_str("#[doc = \"a\\nb\"] mod m { #[doc = r\"c\"] fn f() {} }").unwrap();
        assert_eq!(doc_attributes(tokens), vec!["a\nb", "c"]);
    }
}

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
///   open; shorter runs, which cannot open a fence, keep their meaning (inline code stays inline code);
/// - outside inline code, `[`, `]`, `<` and `\` are escaped with a backslash, so no link, image,
///   intra-doc link, footnote, autolink or raw HTML (`<a href=..>`) can form: spec text never becomes
///   a link. Inside inline code (a run of one or two backticks closed on the same line by a run of the
///   same length) nothing is a link anyway, and the text is kept as it is.
///
/// ```
/// use cashfree_codegen::doc_text::neutralize;
/// let text = neutralize("Send `x`:\n```\nstd::process::exit(1)\n```\n    indented();");
/// assert_eq!(text, "Send `x`:\n\\`\\`\\`\nstd::process::exit(1)\n\\`\\`\\`\nindented();");
/// assert_eq!(
///     neutralize("[docs](javascript:alert(1)) <a href=x> `[a](b)`"),
///     "\\[docs\\](javascript:alert(1)) \\<a href=x> `[a](b)`"
/// );
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
        escape_line(&line.join(" "), &mut out);
    }
    out
}

/// One line of [`neutralize`]: fence runs and link syntax escaped, closed inline code kept.
fn escape_line(line: &str, out: &mut String) {
    let chars: Vec<char> = line.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let run = chars[i..].iter().take_while(|&&d| d == c).count();
        if c == '`'
            && run < 3
            && let Some(end) = closing_run(&chars, i + run, run)
        {
            // Inline code, as CommonMark reads it: the first later run of exactly `run` backticks
            // closes it, and nothing inside is a link or HTML.
            out.extend(&chars[i..end + run]);
            i = end + run;
            continue;
        }
        for _ in 0..run {
            let escape = match c {
                '`' | '~' => run >= 3 || c == '`',
                '[' | ']' | '<' | '\\' => true,
                _ => false,
            };
            if escape {
                out.push('\\');
            }
            out.push(c);
        }
        i += run;
    }
}

/// Where the first run of exactly `len` backticks at or after `from` starts.
fn closing_run(chars: &[char], from: usize, len: usize) -> Option<usize> {
    let mut i = from;
    while i < chars.len() {
        if chars[i] != '`' {
            i += 1;
            continue;
        }
        let run = chars[i..].iter().take_while(|&&d| d == '`').count();
        if run == len {
            return Some(i);
        }
        i += run;
    }
    None
}

/// `text` as plain Markdown text that means nothing else: every ASCII punctuation character
/// escaped with a backslash (no emphasis, code, link, HTML, entity or table cell can start), and
/// every run of white space or control characters one space (no line can start a block).
///
/// For short spec strings placed in generated docs (a product's tag, an error code that is not
/// plain).
///
/// ```
/// use cashfree_codegen::doc_text::inert;
/// assert_eq!(inert("[x](javascript:y)\n```"), "\\[x\\]\\(javascript\\:y\\) \\`\\`\\`");
/// assert_eq!(inert("BAV V2"), "BAV V2");
/// ```
pub fn inert(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.chars() {
        if c.is_whitespace() || c.is_control() {
            space = true;
            continue;
        }
        if space && !out.is_empty() {
            out.push(' ');
        }
        space = false;
        if c.is_ascii_punctuation() {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// `text` as inline code when it is made only of letters, digits, inner spaces and `-_.:/{}*` (an
/// error code, a path, a status value); otherwise as [`inert`] text. Inline code shows its text as it is and can
/// hold no link, so only a backtick could break out of it, and no such text has one.
///
/// ```
/// use cashfree_codegen::doc_text::inert_code;
/// assert_eq!(inert_code("x-client-id_missing"), "`x-client-id_missing`");
/// assert_eq!(inert_code("/pan/{reference_id}"), "`/pan/{reference_id}`");
/// assert_eq!(inert_code("a`[b](c)`"), "a\\`\\[b\\]\\(c\\)\\`");
/// ```
pub fn inert_code(text: &str) -> String {
    let plain = !text.is_empty()
        && text.trim() == text
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || " -_.:/{}*".contains(c));
    if plain {
        format!("`{text}`")
    } else {
        inert(text)
    }
}

/// `url` when it may be a link in generated docs: `https`, on `cashfree.com` or one of its
/// subdomains (no user name, no port), made only of characters that cannot end a Markdown link
/// destination or start anything else (no white space, parentheses, brackets, angle brackets,
/// quotes, backslashes or backticks). Anything else (`javascript:`, `http:`, a relative path,
/// another host) is dropped: `None`.
///
/// ```
/// use cashfree_codegen::doc_text::https_page;
/// let page = "https://www.cashfree.com/docs/api-reference/vrs/v2/pan/verify-pan-sync";
/// assert_eq!(https_page(page), Some(page));
/// assert_eq!(https_page("javascript:alert(1)"), None);
/// assert_eq!(https_page("http://www.cashfree.com/docs"), None);
/// assert_eq!(https_page("https://cashfree.com.evil.example/docs"), None);
/// assert_eq!(https_page("https://www.cashfree.com/docs)[x](javascript:y"), None);
/// ```
pub fn https_page(url: &str) -> Option<&str> {
    let rest = url.strip_prefix("https://")?;
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    let safe = |c: char| c.is_ascii_alphanumeric() || "-._~:/?#!$&*+,;=%".contains(c);
    let host_ok = host == "cashfree.com" || host.ends_with(".cashfree.com");
    let host_plain = host
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.');
    (host_ok && host_plain && url.chars().all(safe)).then_some(url)
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
    fn neutralized_text_escapes_link_and_html_syntax_outside_closed_inline_code() {
        let cases = [
            ("[x](javascript:alert(1))", "\\[x\\](javascript:alert(1))"),
            (
                "![i](https://t.example/p.png)",
                "!\\[i\\](https://t.example/p.png)",
            ),
            (
                "<a href=\"javascript:x\">y</a>",
                "\\<a href=\"javascript:x\">y\\</a>",
            ),
            ("<https://t.example>", "\\<https://t.example>"),
            ("[x]: javascript:y", "\\[x\\]: javascript:y"),
            ("[`Client`] and [^1]", "\\[`Client`\\] and \\[^1\\]"),
            // A backslash cannot escape the escape.
            ("\\[x](y)", "\\\\\\[x\\](y)"),
            // Closed inline code is kept; an unclosed backtick is escaped, so nothing after it
            // is taken for code.
            ("`[a](b)` [c](d)", "`[a](b)` \\[c\\](d)"),
            ("` open [c](d)", "\\` open \\[c\\](d)"),
            ("``a`b`` `x`", "``a`b`` `x`"),
            // A run of three inside inline code is its text, and cannot start a fence there.
            ("` ```[c](d) `", "` ```[c](d) `"),
            ("```[c](d)", "\\`\\`\\`\\[c\\](d)"),
        ];
        for (text, safe) in cases {
            assert_eq!(neutralize(text), safe, "{text:?}");
        }
    }

    #[test]
    fn inert_text_and_code_mean_nothing_else() {
        assert_eq!(inert("a\n\n    ```b"), "a \\`\\`\\`b");
        assert_eq!(inert("x&lt;y"), "x\\&lt\\;y");
        assert_eq!(inert_code("VALID"), "`VALID`");
        assert_eq!(inert_code("IN PROGRESS"), "`IN PROGRESS`");
        assert_eq!(inert_code(" x"), "x");
        assert_eq!(inert_code(""), "");
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

//! The layout rules of issue 18, checked on the repository's own sources: no file of `src/`,
//! `sandbox/src/`, `codegen/src/` or `openapi/src/` holds more than 350 lines outside its test
//! modules, every one is listed with its one concern in ARCHITECTURE.md, and no file names an item
//! of another that names it back, directly or through others (an import circle).
//!
//! An edge runs from file A to file B when A's code (outside comments, strings and test modules)
//! names a path `crate::…`, `super::…` or `self::…` that resolves to B's module; a name a module
//! re-exports (`pub use child::Item;`, the crate root's facade included) resolves to the module that
//! defines it, so a circle through a re-export is one. Edges from a module to its own descendants
//! (a parent declaring and re-exporting its children) do not count.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Most lines a handwritten file may hold outside its test modules.
const MAX_LINES: usize = 350;

/// The crates' source directories, from the repository's root.
const ROOTS: [&str; 4] = ["src", "sandbox/src", "codegen/src", "openapi/src"];

/// A module path inside its crate (`[]` is the crate root).
type Module = Vec<String>;

/// One source file: its code outside test modules with comments and literals blanked, and which
/// of its lines sit in test modules.
struct Source {
    path: PathBuf,
    outside_tests: String,
    test_lines: Vec<bool>,
    /// Child modules declared `#[cfg(test)] mod name;` (their files are test code).
    test_children: BTreeSet<String>,
    /// The names this module re-exports (`pub use`, `pub(crate) use`), each with the path it
    /// names (relative to this module unless it starts with `crate`, `super` or `self`).
    reexports: BTreeMap<String, Vec<String>>,
}

/// `text` with every comment, string and char literal replaced by spaces, newlines kept.
fn blank_comments_and_literals(text: &str) -> String {
    let b = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let keep_newlines = |s: &[u8]| -> String {
        s.iter()
            .map(|&c| if c == b'\n' { '\n' } else { ' ' })
            .collect()
    };
    while i < b.len() {
        let rest = &b[i..];
        let end = if rest.starts_with(b"//") {
            i + rest.iter().position(|&c| c == b'\n').unwrap_or(rest.len())
        } else if rest.starts_with(b"/*") {
            let mut depth = 0usize;
            let mut j = i;
            loop {
                if b[j..].starts_with(b"/*") {
                    depth += 1;
                    j += 2;
                } else if b[j..].starts_with(b"*/") {
                    depth -= 1;
                    j += 2;
                    if depth == 0 {
                        break j;
                    }
                } else {
                    j += 1;
                }
            }
        } else if let Some(hashes) = raw_string_start(rest) {
            // r"…", r#"…"#, br"…": ends at the quote followed by as many hashes.
            let open = rest.iter().position(|&c| c == b'"').unwrap();
            let close: Vec<u8> = std::iter::once(b'"')
                .chain(std::iter::repeat_n(b'#', hashes))
                .collect();
            let body = &rest[open + 1..];
            let at = body
                .windows(close.len())
                .position(|w| w == close.as_slice())
                .unwrap_or(body.len());
            i + open + 1 + at + close.len()
        } else if rest[0] == b'"' {
            let mut j = i + 1;
            while j < b.len() && b[j] != b'"' {
                j += if b[j] == b'\\' { 2 } else { 1 };
            }
            j + 1
        } else if rest[0] == b'\'' && is_char_literal(rest) {
            let mut j = i + 1;
            while j < b.len() && b[j] != b'\'' {
                j += if b[j] == b'\\' { 2 } else { 1 };
            }
            j + 1
        } else {
            out.push(b[i] as char);
            i += 1;
            continue;
        };
        let end = end.min(b.len());
        out.push_str(&keep_newlines(&b[i..end]));
        i = end;
    }
    out
}

/// The number of hashes of a raw string starting at `s` (`r"`, `r#"`, `br"`), if one does.
fn raw_string_start(s: &[u8]) -> Option<usize> {
    let s = s.strip_prefix(b"b").unwrap_or(s);
    let s = s.strip_prefix(b"r")?;
    let hashes = s.iter().take_while(|&&c| c == b'#').count();
    (s.get(hashes) == Some(&b'"')).then_some(hashes)
}

/// Whether the `'` starting `s` opens a char literal (`'a'`, `'\n'`) rather than a lifetime.
fn is_char_literal(s: &[u8]) -> bool {
    match s.get(1) {
        Some(b'\\') => true,
        Some(_) => {
            // A char is one (possibly multi-byte) character then `'`.
            let text = std::str::from_utf8(&s[1..s.len().min(6)]).unwrap_or("");
            let mut chars = text.chars();
            chars.next();
            chars.next() == Some('\'')
        }
        None => false,
    }
}

fn read(path: &Path) -> Source {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let code: Vec<String> = blank_comments_and_literals(&text)
        .lines()
        .map(str::to_string)
        .collect();
    let mut test_lines = vec![false; code.len()];
    let mut test_children = BTreeSet::new();
    let mut line = 0;
    while line < code.len() {
        let trimmed = code[line].trim();
        let is_test_cfg = trimmed.starts_with("#[cfg(")
            && trimmed.contains("test")
            && !trimmed.contains("not(test");
        if !is_test_cfg {
            line += 1;
            continue;
        }
        // The item the attribute applies to: up to its `;` or its balanced braces.
        let start = line;
        let mut depth = 0i64;
        let mut opened = false;
        let mut end = line;
        'item: for (n, text) in code.iter().enumerate().skip(line + 1) {
            end = n;
            for c in text.chars() {
                match c {
                    '{' => {
                        depth += 1;
                        opened = true;
                    }
                    '}' => depth -= 1,
                    ';' if !opened => break 'item,
                    _ => {}
                }
                if opened && depth == 0 {
                    break 'item;
                }
            }
        }
        let declaration = code[start + 1..=end].join(" ");
        if !opened
            && let Some(name) = declaration
                .trim()
                .trim_start_matches("pub(crate) ")
                .strip_prefix("mod ")
        {
            test_children.insert(name.trim_end_matches(';').trim().to_string());
        }
        for flag in &mut test_lines[start..=end] {
            *flag = true;
        }
        line = end + 1;
    }
    let outside_tests: String = code
        .iter()
        .zip(&test_lines)
        .filter(|(_, test)| !**test)
        .map(|(line, _)| format!("{line}\n"))
        .collect();
    Source {
        path: path.to_path_buf(),
        reexports: reexports(&outside_tests),
        outside_tests,
        test_lines,
        test_children,
    }
}

/// Every `.rs` file under `dir`, at any depth.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    out
}

/// Every `.rs` file under `dir`, by module path.
fn modules(root: &Path) -> BTreeMap<Module, Source> {
    let files = rust_files(root);
    let mut all: BTreeMap<Module, Source> = files
        .iter()
        .map(|path| {
            let rel = path.strip_prefix(root).unwrap().with_extension("");
            let mut module: Module = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            if module.last().is_some_and(|l| l == "mod") {
                module.pop();
            }
            // A binary beside a library is a crate of its own (it names the library by its
            // name, not `crate::`): kept under its file name, for its line count.
            let binary_beside_library = module == ["main"] && root.join("lib.rs").exists();
            if (module == ["lib"] || module == ["main"]) && !binary_beside_library {
                module.clear();
            }
            (module, read(path))
        })
        .collect();
    // Files of modules declared only for tests are test code as a whole.
    let test_files: Vec<Module> = all
        .iter()
        .flat_map(|(module, source)| {
            source.test_children.iter().map(move |child| {
                let mut m = module.clone();
                m.push(child.clone());
                m
            })
        })
        .collect();
    for module in test_files {
        all.remove(&module);
    }
    all
}

/// The paths `crate::…`, `super::…`, `self::…` named in `code`, `use` groups expanded.
fn named_paths(code: &str) -> Vec<Vec<String>> {
    let tokens = tokenize(code);
    let mut out = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let t = tokens[i].as_str();
        let starts = matches!(t, "crate" | "super" | "self")
            && tokens.get(i + 1).is_some_and(|n| n == "::")
            && (i == 0 || tokens[i - 1] != "::");
        if starts {
            let (paths, next) = path_at(&tokens, i, Vec::new());
            out.extend(paths);
            i = next;
        } else {
            i += 1;
        }
    }
    out
}

/// The path (or, through `{ … }`, paths) starting at token `i`, after `prefix`; and the next token.
fn path_at(tokens: &[String], mut i: usize, prefix: Vec<String>) -> (Vec<Vec<String>>, usize) {
    let mut path = prefix;
    loop {
        let t = &tokens[i];
        if is_ident(t) {
            path.push(t.clone());
            i += 1;
        } else if t == "{" {
            // A group: each comma-separated entry continues the path.
            let mut paths = Vec::new();
            i += 1;
            while i < tokens.len() && tokens[i] != "}" {
                if tokens[i] == "," {
                    i += 1;
                    continue;
                }
                let (inner, next) = path_at(tokens, i, path.clone());
                paths.extend(inner);
                i = next;
                // `as name` ends an entry.
                while i < tokens.len() && tokens[i] != "," && tokens[i] != "}" {
                    i += 1;
                }
            }
            return (paths, i + 1);
        } else {
            return (vec![path], i);
        }
        if tokens.get(i).is_some_and(|t| t == "::") {
            i += 1;
        } else {
            // `as name` and the like end the path.
            return (vec![path], i);
        }
    }
}

fn is_ident(t: &str) -> bool {
    t.chars()
        .next()
        .is_some_and(|c| c.is_alphabetic() || c == '_')
}

/// Identifiers, `::`, and single punctuation characters of `code`.
fn tokenize(code: &str) -> Vec<String> {
    let chars: Vec<char> = code.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_alphanumeric() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            out.push(chars[start..i].iter().collect());
        } else if c == ':' && chars.get(i + 1) == Some(&':') {
            out.push("::".into());
            i += 2;
        } else {
            if !c.is_whitespace() {
                out.push(c.to_string());
            }
            i += 1;
        }
    }
    out
}

/// The names re-exported by `pub use …;` / `pub(…) use …;` statements of `code`, with their paths.
fn reexports(code: &str) -> BTreeMap<String, Vec<String>> {
    let tokens = tokenize(code);
    let mut out = BTreeMap::new();
    let mut i = 0;
    while i < tokens.len() {
        if tokens[i] != "pub" {
            i += 1;
            continue;
        }
        let mut j = i + 1;
        if tokens.get(j).is_some_and(|t| t == "(") {
            while j < tokens.len() && tokens[j] != ")" {
                j += 1;
            }
            j += 1;
        }
        if tokens.get(j).is_none_or(|t| t != "use") {
            i = j;
            continue;
        }
        let (paths, next) = path_at(&tokens, j + 1, Vec::new());
        // `as alias` after a single path.
        let alias = (tokens.get(next).is_some_and(|t| t == "as"))
            .then(|| tokens.get(next + 1).cloned())
            .flatten();
        let single = paths.len() == 1;
        for path in paths {
            let name = match &alias {
                Some(alias) if single => alias.clone(),
                _ => path.last().cloned().unwrap_or_default(),
            };
            if !name.is_empty() && name != "self" {
                out.insert(name, path);
            }
        }
        i = next;
    }
    out
}

/// The module of `modules` a path named in `from` lands in: the longest module prefix, then,
/// when that module re-exports the next name, the module the re-export names (followed on).
fn resolve(modules: &BTreeMap<Module, Source>, from: &Module, path: &[String]) -> Option<Module> {
    resolve_within(modules, from, path, 0)
}

fn resolve_within(
    modules: &BTreeMap<Module, Source>,
    from: &Module,
    path: &[String],
    depth: usize,
) -> Option<Module> {
    let (mut base, mut rest) = match path.first().map(String::as_str) {
        Some("crate") => (Vec::new(), &path[1..]),
        Some("self") => (from.clone(), &path[1..]),
        Some("super") => (from.clone(), path),
        // A `use` inside a module names its children without a prefix.
        _ => (from.clone(), path),
    };
    while rest.first().is_some_and(|s| s == "super") {
        base.pop();
        rest = &rest[1..];
    }
    let (module, used) = (0..=rest.len()).rev().find_map(|k| {
        let mut candidate = base.clone();
        candidate.extend(rest[..k].iter().cloned());
        modules.contains_key(&candidate).then_some((candidate, k))
    })?;
    let reexported = rest
        .get(used)
        .and_then(|name| modules[&module].reexports.get(name));
    match reexported {
        Some(target) if depth < 8 => {
            let mut followed = target.clone();
            followed.extend(rest[used + 1..].iter().cloned());
            resolve_within(modules, &module, &followed, depth + 1).or(Some(module))
        }
        _ => Some(module),
    }
}

/// The edges that count (see the file's documentation) between the files of one crate.
fn edges(modules: &BTreeMap<Module, Source>) -> BTreeMap<Module, BTreeSet<Module>> {
    modules
        .iter()
        .map(|(module, source)| {
            let targets = named_paths(&source.outside_tests)
                .iter()
                .filter_map(|path| resolve(modules, module, path))
                .filter(|target| target != module && !target.starts_with(module))
                .collect();
            (module.clone(), targets)
        })
        .collect()
}

/// A circle through `start`, if one exists (the files in order, `start` first).
fn circle_through(
    graph: &BTreeMap<Module, BTreeSet<Module>>,
    start: &Module,
) -> Option<Vec<Module>> {
    let mut stack = vec![(start.clone(), vec![start.clone()])];
    let mut seen = BTreeSet::new();
    while let Some((at, trail)) = stack.pop() {
        for next in graph.get(&at).into_iter().flatten() {
            if next == start {
                return Some(trail.clone());
            }
            if seen.insert(next.clone()) {
                let mut longer = trail.clone();
                longer.push(next.clone());
                stack.push((next.clone(), longer));
            }
        }
    }
    None
}

fn repository() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn shown(module: &Module) -> String {
    if module.is_empty() {
        "(root)".into()
    } else {
        module.join("/")
    }
}

#[test]
fn no_handwritten_file_holds_more_than_350_lines_outside_its_tests() {
    let mut long = Vec::new();
    for root in ROOTS {
        for source in modules(&repository().join(root)).values() {
            let lines = source.test_lines.iter().filter(|test| !**test).count();
            if lines > MAX_LINES {
                long.push(format!("{} ({lines} lines)", source.path.display()));
            }
        }
    }
    assert!(
        long.is_empty(),
        "split these files by concern (ARCHITECTURE.md's table names each file's one concern): {}",
        long.join(", ")
    );
}

#[test]
fn no_file_imports_a_file_that_imports_it_back() {
    let mut circles = BTreeSet::new();
    for root in ROOTS {
        let modules = modules(&repository().join(root));
        let graph = edges(&modules);
        for module in graph.keys() {
            if let Some(mut circle) = circle_through(&graph, module) {
                // One report per circle, whichever file it was found from.
                let first = circle.iter().min().unwrap().clone();
                let at = circle.iter().position(|m| *m == first).unwrap();
                circle.rotate_left(at);
                let names: Vec<String> = circle.iter().map(shown).collect();
                circles.insert(format!("{root}: {} -> {}", names.join(" -> "), names[0]));
            }
        }
    }
    assert!(
        circles.is_empty(),
        "import circles:\n{}",
        circles.into_iter().collect::<Vec<_>>().join("\n")
    );
}

#[test]
fn every_file_is_listed_with_its_concern_in_architecture_md() {
    let architecture = std::fs::read_to_string(repository().join("ARCHITECTURE.md")).unwrap();
    let mut missing = Vec::new();
    for root in ROOTS {
        for file in rust_files(&repository().join(root)) {
            let shown = file
                .strip_prefix(repository())
                .unwrap()
                .display()
                .to_string();
            if !architecture.contains(&format!("| `{shown}` |")) {
                missing.push(shown);
            }
        }
    }
    missing.sort();
    assert!(
        missing.is_empty(),
        "add a row `| `path` | its one concern |` to ARCHITECTURE.md's \"Every file and its one concern\" for: {}",
        missing.join(", ")
    );
}

/// The checker itself: a circle, a test module, a comment and a string are each seen for what they
/// are, so the two tests above cannot pass by not looking.
#[test]
fn the_checker_sees_a_circle_and_not_what_tests_comments_and_strings_name() {
    let dir = std::env::temp_dir().join(format!("layout-check-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("b")).unwrap();
    let write = |name: &str, text: &str| std::fs::write(dir.join(name), text).unwrap();
    write(
        "lib.rs",
        "mod a;\nmod b;\nmod c;\nmod p;\nmod q;\npub use q::Q;\n#[cfg(test)]\nmod d;\n",
    );
    // A circle through the root's re-export: p names `crate::Q`, which is q's.
    write("p.rs", "pub struct P;\nfn u(_: crate::Q) {}\n");
    write("q.rs", "pub struct Q;\nfn v(_: crate::p::P) {}\n");
    write("a.rs", "use crate::b::{x::One, Two as T};\npub fn f() {}\n");
    write("b/mod.rs", "mod x;\npub use x::One;\npub struct Two;\n");
    write(
        "b/x.rs",
        "pub struct One;\nfn g() { super::super::a::f() }\n",
    );
    write(
        "c.rs",
        "// crate::a::f()\nconst S: &str = \"crate::a::f\";\nconst R: &str = r#\"crate::a\"#;\n#[cfg(test)]\nmod tests {\n    fn t() { crate::a::f(); let s = \"}\"; }\n}\n",
    );
    write("d.rs", "fn h() { crate::a::f() }\n");
    let modules = modules(&dir);
    assert!(
        !modules.contains_key(&vec!["d".to_string()]),
        "d.rs is test code"
    );
    let graph = edges(&modules);
    let m = |s: &str| s.split('/').map(String::from).collect::<Module>();
    assert_eq!(graph[&m("a")], BTreeSet::from([m("b/x"), m("b")]));
    assert_eq!(graph[&m("b/x")], BTreeSet::from([m("a")]));
    assert!(
        graph[&m("b")].is_empty(),
        "a parent's edges to its children do not count"
    );
    assert!(graph[&m("c")].is_empty(), "{:?}", graph[&m("c")]);
    assert_eq!(
        modules[&m("c")].test_lines.iter().filter(|t| **t).count(),
        4
    );
    assert_eq!(
        circle_through(&graph, &m("a")),
        Some(vec![m("a"), m("b/x")])
    );
    assert_eq!(circle_through(&graph, &m("c")), None);
    assert_eq!(graph[&m("p")], BTreeSet::from([m("q")]));
    assert_eq!(circle_through(&graph, &m("p")), Some(vec![m("p"), m("q")]));
    std::fs::remove_dir_all(&dir).unwrap();
}

//! The one list of OpenAPI / JSON Schema keywords whose values are not structure: prose, links,
//! examples and literal values. The generator's comparisons, its doc-comment rewriting, its
//! defaults checks and the [`walk`](crate::walk) all read it, so "is this documentation?" and "is
//! this data?" have one answer.
//!
//! ```
//! use cashfree_openapi::keywords::{Kind, kind};
//! assert_eq!(kind("description"), Kind::Prose);
//! assert!(kind("examples").documents_only() && kind("examples").is_data());
//! assert!(kind("enum").is_data() && !kind("enum").documents_only());
//! assert_eq!(kind("properties"), Kind::Structure);
//! ```

/// What the value of a keyword (in keyword position) is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// Text for people (`description`, `summary`, `title`): progenitor and typify copy it into doc
    /// comments.
    Prose,
    /// A link to more documentation (`externalDocs`).
    Link,
    /// A documented sample (`example`, `examples`): data, and documentation only.
    Example,
    /// A literal value the schema means (`default`, `enum`, `const`): data that changes the code.
    Literal,
    /// Anything else: structure (a schema, a map of names, a type, a reference).
    Structure,
}

impl Kind {
    /// `true` for keywords whose change never changes the generated code (prose, links, examples).
    pub fn documents_only(self) -> bool {
        matches!(self, Kind::Prose | Kind::Link | Kind::Example)
    }

    /// `true` for keywords whose value is data, not schemas: never searched for schemas or `$ref`s.
    pub fn is_data(self) -> bool {
        matches!(self, Kind::Example | Kind::Literal)
    }
}

/// Every keyword that is not [`Kind::Structure`], with its kind.
pub const KEYWORDS: [(&str, Kind); 9] = [
    ("description", Kind::Prose),
    ("summary", Kind::Prose),
    ("title", Kind::Prose),
    ("externalDocs", Kind::Link),
    ("example", Kind::Example),
    ("examples", Kind::Example),
    ("default", Kind::Literal),
    ("enum", Kind::Literal),
    ("const", Kind::Literal),
];

/// The kind of `keyword` ([`Kind::Structure`] when it is not in [`KEYWORDS`]).
pub fn kind(keyword: &str) -> Kind {
    KEYWORDS
        .iter()
        .find(|(k, _)| *k == keyword)
        .map_or(Kind::Structure, |(_, kind)| *kind)
}

/// The keywords of [`KEYWORDS`] whose kind `keep` accepts, in list order.
pub fn keywords_where(keep: impl Fn(Kind) -> bool) -> impl Iterator<Item = &'static str> {
    KEYWORDS
        .iter()
        .filter(move |(_, kind)| keep(*kind))
        .map(|(k, _)| *k)
}

/// Keywords whose value is a map from *names* to objects. Inside such a map a key such as
/// `description` is a property or component name, not a keyword.
pub const NAME_MAPS: [&str; 16] = [
    "properties",
    "patternProperties",
    "schemas",
    "responses",
    "parameters",
    "requestBodies",
    "headers",
    "securitySchemes",
    "links",
    "callbacks",
    "content",
    "encoding",
    "variables",
    "definitions",
    "scopes",
    "paths",
];

/// `true` when `keyword`'s value maps names to objects ([`NAME_MAPS`]).
pub fn is_name_map(keyword: &str) -> bool {
    NAME_MAPS.contains(&keyword)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documentation_and_data_overlap_only_in_examples() {
        let docs: Vec<_> = keywords_where(Kind::documents_only).collect();
        assert_eq!(
            docs,
            [
                "description",
                "summary",
                "title",
                "externalDocs",
                "example",
                "examples"
            ]
        );
        let data: Vec<_> = keywords_where(Kind::is_data).collect();
        assert_eq!(data, ["example", "examples", "default", "enum", "const"]);
        assert_eq!(kind("$ref"), Kind::Structure);
        assert!(is_name_map("properties") && !is_name_map("items"));
    }
}

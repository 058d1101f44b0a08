//! What the caller's visitor wants, and the conversions of the wire rules on the way to it.

use std::fmt;

use serde::de::value::{
    BoolDeserializer, BorrowedStrDeserializer, F64Deserializer, I64Deserializer,
    MapAccessDeserializer, StrDeserializer, U64Deserializer,
};
use serde::de::{self, DeserializeSeed, Deserializer, EnumAccess, MapAccess, SeqAccess, Visitor};

use super::Lenient;
use super::access::{Empty, LenientMap, LenientSeed, LenientSeq, One};

/// What the caller's visitor asked for, which decides the conversions applied.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Want {
    /// Whatever arrives (containers are still read leniently inside).
    Any,
    Text,
    Number,
    Integer,
    Flag,
    List,
}

/// The caller's visitor, seeing values converted to what it wants.
pub(super) struct Coerce<V> {
    pub visitor: V,
    pub want: Want,
}

impl<'de, V: Visitor<'de>> Coerce<V> {
    /// A lone value where a list is wanted: the list of that one value.
    fn one<D: Deserializer<'de>>(self, element: D) -> Result<V::Value, D::Error> {
        self.visitor.visit_seq(One(Some(element)))
    }

    /// The text of a number, where text is wanted.
    fn number_text<E: de::Error>(self, text: String) -> Result<V::Value, E> {
        self.visitor.visit_string(text)
    }

    /// A string where a number is wanted: the number it holds, or the string as it is (for the
    /// caller's visitor to refuse).
    fn parsed<E: de::Error>(self, s: &str) -> Result<V::Value, E> {
        if let Ok(n) = s.parse::<u64>() {
            return self.visitor.visit_u64(n);
        }
        if let Ok(n) = s.parse::<i64>() {
            return self.visitor.visit_i64(n);
        }
        if self.want == Want::Number
            && is_json_number(s)
            && let Ok(x) = s.parse::<f64>()
            && x.is_finite()
        {
            return self.visitor.visit_f64(x);
        }
        self.visitor.visit_str(s)
    }
}

/// `true` when `s` is written as a JSON number (so `"inf"`, `"1_000"` or `" 1"` are not numbers).
fn is_json_number(s: &str) -> bool {
    serde_json::from_str::<serde_json::Number>(s).is_ok()
}

impl<'de, V: Visitor<'de>> Visitor<'de> for Coerce<V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.visitor.expecting(f)
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<V::Value, E> {
        match self.want {
            Want::Text => self.visitor.visit_str(if v { "true" } else { "false" }),
            Want::List => self.one(BoolDeserializer::<E>::new(v)),
            _ => self.visitor.visit_bool(v),
        }
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<V::Value, E> {
        match self.want {
            Want::Text => self.number_text(v.to_string()),
            Want::List => self.one(I64Deserializer::<E>::new(v)),
            _ => self.visitor.visit_i64(v),
        }
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<V::Value, E> {
        match self.want {
            Want::Text => self.number_text(v.to_string()),
            Want::List => self.one(U64Deserializer::<E>::new(v)),
            _ => self.visitor.visit_u64(v),
        }
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<V::Value, E> {
        match self.want {
            Want::Text => self.number_text(v.to_string()),
            Want::List => self.one(F64Deserializer::<E>::new(v)),
            // A whole number written with a fraction (`2.0`) is that integer; any other is refused.
            Want::Integer if v.fract() == 0.0 && v >= 0.0 && v < u64::MAX as f64 => {
                self.visitor.visit_u64(v as u64)
            }
            Want::Integer if v.fract() == 0.0 && v >= i64::MIN as f64 && v < 0.0 => {
                self.visitor.visit_i64(v as i64)
            }
            _ => self.visitor.visit_f64(v),
        }
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<V::Value, E> {
        match self.want {
            Want::Number | Want::Integer => self.parsed(v),
            Want::Flag => match v {
                "true" => self.visitor.visit_bool(true),
                "false" => self.visitor.visit_bool(false),
                _ => self.visitor.visit_str(v),
            },
            Want::List if v.is_empty() => self.visitor.visit_seq(Empty(Default::default())),
            Want::List => self.one(StrDeserializer::<E>::new(v)),
            _ => self.visitor.visit_str(v),
        }
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<V::Value, E> {
        match self.want {
            Want::Text | Want::Any => self.visitor.visit_borrowed_str(v),
            Want::List if !v.is_empty() => self.one(BorrowedStrDeserializer::<E>::new(v)),
            _ => self.visit_str(v),
        }
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<V::Value, E> {
        match self.want {
            Want::Text | Want::Any => self.visitor.visit_string(v),
            _ => self.visit_str(&v),
        }
    }

    fn visit_unit<E: de::Error>(self) -> Result<V::Value, E> {
        self.visitor.visit_unit()
    }

    fn visit_none<E: de::Error>(self) -> Result<V::Value, E> {
        self.visitor.visit_none()
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<V::Value, D::Error> {
        self.visitor.visit_some(Lenient(deserializer))
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<V::Value, D::Error> {
        self.visitor.visit_newtype_struct(Lenient(deserializer))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<V::Value, A::Error> {
        // A list where text or a number is wanted is refused by the caller's visitor.
        self.visitor.visit_seq(LenientSeq(seq))
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<V::Value, A::Error> {
        match self.want {
            // A lone object where a list is wanted: the list of that object.
            Want::List => self.one(MapAccessDeserializer::new(map)),
            _ => self.visitor.visit_map(LenientMap(map)),
        }
    }

    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<V::Value, A::Error> {
        self.visitor.visit_enum(LenientEnum(data))
    }

    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<V::Value, E> {
        self.visitor.visit_bytes(v)
    }

    fn visit_borrowed_bytes<E: de::Error>(self, v: &'de [u8]) -> Result<V::Value, E> {
        self.visitor.visit_borrowed_bytes(v)
    }

    fn visit_byte_buf<E: de::Error>(self, v: Vec<u8>) -> Result<V::Value, E> {
        self.visitor.visit_byte_buf(v)
    }
}

/// An enum whose variant content is read leniently.
struct LenientEnum<A>(pub A);

impl<'de, A: EnumAccess<'de>> EnumAccess<'de> for LenientEnum<A> {
    type Error = A::Error;
    type Variant = LenientVariant<A::Variant>;

    fn variant_seed<V: DeserializeSeed<'de>>(
        self,
        seed: V,
    ) -> Result<(V::Value, Self::Variant), A::Error> {
        self.0
            .variant_seed(seed)
            .map(|(value, variant)| (value, LenientVariant(variant)))
    }
}

struct LenientVariant<A>(A);

impl<'de, A: de::VariantAccess<'de>> de::VariantAccess<'de> for LenientVariant<A> {
    type Error = A::Error;

    fn unit_variant(self) -> Result<(), A::Error> {
        self.0.unit_variant()
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, A::Error> {
        self.0.newtype_variant_seed(LenientSeed(seed))
    }

    fn tuple_variant<V: Visitor<'de>>(self, len: usize, visitor: V) -> Result<V::Value, A::Error> {
        self.0.tuple_variant(
            len,
            Coerce {
                visitor,
                want: Want::Any,
            },
        )
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, A::Error> {
        self.0.struct_variant(
            fields,
            Coerce {
                visitor,
                want: Want::Any,
            },
        )
    }
}

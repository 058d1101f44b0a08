//! A `serde` deserializer adapter that reads a value the way Cashfree sends it, not only the way its
//! schema says: each conversion below keeps everything the wire carried.
//!
//! | the type wants | also accepted | becomes |
//! | --- | --- | --- |
//! | a string | a number, a boolean | its JSON text (`100` → `"100"`) |
//! | a number | a string holding a number | the number (`"1"` → `1`) |
//! | an integer | a number with no fraction | the integer (`2.0` → `2`) |
//! | a boolean | `"true"`, `"false"` | the boolean |
//! | a list | `""` | an empty list |
//! | a list | a lone value | a list of that one value (`"KARNATAKA"` → `["KARNATAKA"]`) |
//!
//! Everything else is read as the type says, so a value that cannot be read without losing
//! something (`"0,"` for a number) is still an error. The adapter changes only how values are
//! *read*: the types are the generated ones (a `String` field is a `String`), and requests are
//! serialized exactly as the schema says.

use std::fmt;

use serde::de::value::{
    BoolDeserializer, BorrowedStrDeserializer, F64Deserializer, I64Deserializer,
    MapAccessDeserializer, StrDeserializer, U64Deserializer,
};
use serde::de::{self, DeserializeSeed, Deserializer, EnumAccess, MapAccess, SeqAccess, Visitor};

/// Reads through `D`, applying the conversions of the module docs at every depth.
pub(crate) struct Lenient<D>(pub D);

/// What the caller's visitor asked for, which decides the conversions applied.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Want {
    /// Whatever arrives (containers are still read leniently inside).
    Any,
    Text,
    Number,
    Integer,
    Flag,
    List,
}

/// The caller's visitor, seeing values converted to what it wants.
struct Coerce<V> {
    visitor: V,
    want: Want,
}

macro_rules! forward_as {
    ($($method:ident => $want:expr),* $(,)?) => {
        $(
            fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
                self.0.deserialize_any(Coerce { visitor, want: $want })
            }
        )*
    };
}

impl<'de, D: Deserializer<'de>> Deserializer<'de> for Lenient<D> {
    type Error = D::Error;

    forward_as! {
        deserialize_any => Want::Any,
        deserialize_str => Want::Text,
        deserialize_string => Want::Text,
        deserialize_char => Want::Text,
        deserialize_f32 => Want::Number,
        deserialize_f64 => Want::Number,
        deserialize_i8 => Want::Integer,
        deserialize_i16 => Want::Integer,
        deserialize_i32 => Want::Integer,
        deserialize_i64 => Want::Integer,
        deserialize_i128 => Want::Integer,
        deserialize_u8 => Want::Integer,
        deserialize_u16 => Want::Integer,
        deserialize_u32 => Want::Integer,
        deserialize_u64 => Want::Integer,
        deserialize_u128 => Want::Integer,
        deserialize_bool => Want::Flag,
        deserialize_seq => Want::List,
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        self.0.deserialize_option(Coerce {
            visitor,
            want: Want::Any,
        })
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        self.0.deserialize_map(Coerce {
            visitor,
            want: Want::Any,
        })
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        self.0.deserialize_struct(
            name,
            fields,
            Coerce {
                visitor,
                want: Want::Any,
            },
        )
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        self.0.deserialize_newtype_struct(
            name,
            Coerce {
                visitor,
                want: Want::Any,
            },
        )
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        self.0.deserialize_enum(
            name,
            variants,
            Coerce {
                visitor,
                want: Want::Any,
            },
        )
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        self.0.deserialize_unit(visitor)
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        self.0.deserialize_unit_struct(name, visitor)
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        self.0.deserialize_bytes(visitor)
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        self.0.deserialize_byte_buf(visitor)
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        self.0.deserialize_identifier(visitor)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        self.0.deserialize_ignored_any(visitor)
    }

    fn is_human_readable(&self) -> bool {
        self.0.is_human_readable()
    }
}

/// A seed that reads its value leniently.
struct LenientSeed<S>(S);

impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for LenientSeed<S> {
    type Value = S::Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<S::Value, D::Error> {
        self.0.deserialize(Lenient(deserializer))
    }
}

/// A list whose elements are read leniently.
struct LenientSeq<A>(A);

impl<'de, A: SeqAccess<'de>> SeqAccess<'de> for LenientSeq<A> {
    type Error = A::Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, A::Error> {
        self.0.next_element_seed(LenientSeed(seed))
    }

    fn size_hint(&self) -> Option<usize> {
        self.0.size_hint()
    }
}

/// An object whose values are read leniently (keys as they are).
struct LenientMap<A>(A);

impl<'de, A: MapAccess<'de>> MapAccess<'de> for LenientMap<A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        self.0.next_key_seed(seed)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, A::Error> {
        self.0.next_value_seed(LenientSeed(seed))
    }

    fn size_hint(&self) -> Option<usize> {
        self.0.size_hint()
    }
}

/// An enum whose variant content is read leniently.
struct LenientEnum<A>(A);

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

/// A list of exactly one element, read leniently: how a lone value reaches a list type.
struct One<D>(Option<D>);

impl<'de, D: Deserializer<'de>> SeqAccess<'de> for One<D> {
    type Error = D::Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, D::Error> {
        match self.0.take() {
            Some(element) => seed.deserialize(Lenient(element)).map(Some),
            None => Ok(None),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(usize::from(self.0.is_some()))
    }
}

/// The empty list `""` stands for.
struct Empty<E>(std::marker::PhantomData<E>);

impl<'de, E: de::Error> SeqAccess<'de> for Empty<E> {
    type Error = E;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, _: T) -> Result<Option<T::Value>, E> {
        Ok(None)
    }

    fn size_hint(&self) -> Option<usize> {
        Some(0)
    }
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

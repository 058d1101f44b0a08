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

use serde::de::{Deserializer, Visitor};

mod access;
mod coerce;

use coerce::{Coerce, Want};

/// Reads through `D`, applying the conversions of the module docs at every depth.
pub(crate) struct Lenient<D>(pub D);

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

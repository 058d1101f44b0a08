//! The containers of a value read leniently: lists, objects, and the two lists the wire rules
//! make (a lone value's list of one, `""`'s empty list). Enums are read in `coerce` (a variant's
//! content is coerced to what its visitor wants).

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess};

use super::Lenient;

/// A seed that reads its value leniently.
pub(super) struct LenientSeed<S>(pub S);

impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for LenientSeed<S> {
    type Value = S::Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<S::Value, D::Error> {
        self.0.deserialize(Lenient(deserializer))
    }
}

/// A list whose elements are read leniently.
pub(super) struct LenientSeq<A>(pub A);

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
pub(super) struct LenientMap<A>(pub A);

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

/// A list of exactly one element, read leniently: how a lone value reaches a list type.
pub(super) struct One<D>(pub Option<D>);

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
pub(super) struct Empty<E>(pub std::marker::PhantomData<E>);

impl<'de, E: de::Error> SeqAccess<'de> for Empty<E> {
    type Error = E;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, _: T) -> Result<Option<T::Value>, E> {
        Ok(None)
    }

    fn size_hint(&self) -> Option<usize> {
        Some(0)
    }
}

//! Structs are read from JSON objects only.
//!
//! serde's derived `Deserialize` of a struct has two readers: one for a JSON object (`visit_map`)
//! and one for the struct's fields given as an array in declaration order (`visit_seq`), and
//! serde_json's `deserialize_struct` compiles both into every struct's reader. No contract of
//! this crate is ever written as an array (docs/store-format.md, docs/model-format.md), so the
//! array form only ever turned a mistake into a confusing error ("invalid length 2, expected
//! struct Order with 6 elements") — and doubled the deserialization code in the wasm module.
//!
//! [`ObjectsOnly`] wraps a deserializer and passes every request through unchanged, except that a
//! struct is asked for as a map: an array where a struct belongs is then `invalid type: sequence,
//! expected struct Order`, and no struct's array reader is ever instantiated (about 50 KB less
//! code in the wasm module before wasm-opt; docs/js-api.md "Size and speed"). The wrapping is
//! recursive: every nested value (map values, sequence elements, `Option` contents, enum
//! variants) is read through the wrapper too. Everything else (messages, positions, the
//! hand-written visitors of `Calibration`, `Operand`, `FeatureValue`) is serde_json's own.

use serde::de::{self, DeserializeSeed, Deserializer, EnumAccess, MapAccess, SeqAccess, VariantAccess, Visitor};
use std::fmt;

/// A deserializer that reads structs as maps only: the crate's own entry points read every
/// contract through it, and the server's request parsing does too, so that an array where an
/// object belongs is the same error everywhere (see the module docs).
///
/// ```
/// use merchant_credit::error::ObjectsOnly;
/// use serde::Deserialize;
///
/// #[derive(Deserialize)]
/// struct Point { x: i32, y: i32 }
///
/// let mut de = serde_json::Deserializer::from_str(r#"{"x": 1, "y": 2}"#);
/// assert_eq!(Point::deserialize(ObjectsOnly(&mut de)).unwrap().y, 2);
/// // serde's array form of a struct (`[1, 2]`) is a type error, not a Point
/// let mut de = serde_json::Deserializer::from_str("[1, 2]");
/// let err = Point::deserialize(ObjectsOnly(&mut de)).err().unwrap();
/// assert!(err.to_string().starts_with("invalid type: sequence, expected struct Point"));
/// ```
#[derive(Debug)]
pub struct ObjectsOnly<D>(pub D);

/// A visitor whose nested deserializers are wrapped in [`ObjectsOnly`].
struct Wrap<V>(V);

/// A seed (map value, sequence element, enum payload) read through [`ObjectsOnly`].
struct Seed<S>(S);

/// A map, sequence or enum whose contents are read through [`ObjectsOnly`].
struct Access<A>(A);

macro_rules! forward {
    ($($method:ident)*) => {$(
        #[inline]
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
            self.0.$method(Wrap(visitor))
        }
    )*};
}

impl<'de, D: Deserializer<'de>> Deserializer<'de> for ObjectsOnly<D> {
    type Error = D::Error;

    forward! {
        deserialize_any deserialize_bool deserialize_i8 deserialize_i16 deserialize_i32
        deserialize_i64 deserialize_i128 deserialize_u8 deserialize_u16 deserialize_u32
        deserialize_u64 deserialize_u128 deserialize_f32 deserialize_f64 deserialize_char
        deserialize_str deserialize_string deserialize_bytes deserialize_byte_buf
        deserialize_option deserialize_unit deserialize_seq deserialize_map
        deserialize_identifier deserialize_ignored_any
    }

    #[inline]
    fn deserialize_unit_struct<V: Visitor<'de>>(self, name: &'static str, visitor: V) -> Result<V::Value, D::Error> {
        self.0.deserialize_unit_struct(name, Wrap(visitor))
    }

    #[inline]
    fn deserialize_newtype_struct<V: Visitor<'de>>(self, name: &'static str, visitor: V) -> Result<V::Value, D::Error> {
        self.0.deserialize_newtype_struct(name, Wrap(visitor))
    }

    #[inline]
    fn deserialize_tuple<V: Visitor<'de>>(self, len: usize, visitor: V) -> Result<V::Value, D::Error> {
        self.0.deserialize_tuple(len, Wrap(visitor))
    }

    #[inline]
    fn deserialize_tuple_struct<V: Visitor<'de>>(self, name: &'static str, len: usize, visitor: V) -> Result<V::Value, D::Error> {
        self.0.deserialize_tuple_struct(name, len, Wrap(visitor))
    }

    /// The one change: a struct is read as a map.
    #[inline]
    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_map(Wrap(visitor))
    }

    #[inline]
    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_enum(name, variants, Wrap(visitor))
    }

    fn is_human_readable(&self) -> bool {
        self.0.is_human_readable()
    }
}

macro_rules! visit {
    ($($method:ident($ty:ty))*) => {$(
        #[inline]
        fn $method<E: de::Error>(self, v: $ty) -> Result<Self::Value, E> {
            self.0.$method(v)
        }
    )*};
}

impl<'de, V: Visitor<'de>> Visitor<'de> for Wrap<V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.expecting(f)
    }

    visit! {
        visit_bool(bool) visit_i8(i8) visit_i16(i16) visit_i32(i32) visit_i64(i64) visit_i128(i128)
        visit_u8(u8) visit_u16(u16) visit_u32(u32) visit_u64(u64) visit_u128(u128)
        visit_f32(f32) visit_f64(f64) visit_char(char) visit_str(&str) visit_borrowed_str(&'de str)
        visit_string(String) visit_bytes(&[u8]) visit_borrowed_bytes(&'de [u8]) visit_byte_buf(Vec<u8>)
    }

    #[inline]
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        self.0.visit_none()
    }

    #[inline]
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        self.0.visit_unit()
    }

    #[inline]
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        self.0.visit_some(ObjectsOnly(d))
    }

    #[inline]
    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        self.0.visit_newtype_struct(ObjectsOnly(d))
    }

    #[inline]
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        self.0.visit_seq(Access(seq))
    }

    #[inline]
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        self.0.visit_map(Access(map))
    }

    #[inline]
    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<Self::Value, A::Error> {
        self.0.visit_enum(Access(data))
    }
}

impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for Seed<S> {
    type Value = S::Value;

    #[inline]
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        self.0.deserialize(ObjectsOnly(d))
    }
}

impl<'de, A: SeqAccess<'de>> SeqAccess<'de> for Access<A> {
    type Error = A::Error;

    #[inline]
    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, A::Error> {
        self.0.next_element_seed(Seed(seed))
    }

    fn size_hint(&self) -> Option<usize> {
        self.0.size_hint()
    }
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for Access<A> {
    type Error = A::Error;

    #[inline]
    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, A::Error> {
        self.0.next_key_seed(Seed(seed))
    }

    #[inline]
    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, A::Error> {
        self.0.next_value_seed(Seed(seed))
    }

    fn size_hint(&self) -> Option<usize> {
        self.0.size_hint()
    }
}

impl<'de, A: EnumAccess<'de>> EnumAccess<'de> for Access<A> {
    type Error = A::Error;
    type Variant = Access<A::Variant>;

    #[inline]
    fn variant_seed<V: DeserializeSeed<'de>>(self, seed: V) -> Result<(V::Value, Self::Variant), A::Error> {
        let (value, variant) = self.0.variant_seed(Seed(seed))?;
        Ok((value, Access(variant)))
    }
}

impl<'de, A: VariantAccess<'de>> VariantAccess<'de> for Access<A> {
    type Error = A::Error;

    #[inline]
    fn unit_variant(self) -> Result<(), A::Error> {
        self.0.unit_variant()
    }

    #[inline]
    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, A::Error> {
        self.0.newtype_variant_seed(Seed(seed))
    }

    #[inline]
    fn tuple_variant<V: Visitor<'de>>(self, len: usize, visitor: V) -> Result<V::Value, A::Error> {
        self.0.tuple_variant(len, Wrap(visitor))
    }

    /// A struct variant's fields: serde_json reads them through `deserialize_struct`, which would
    /// instantiate the array form again; the visitor sees only the object form.
    #[inline]
    fn struct_variant<V: Visitor<'de>>(self, fields: &'static [&'static str], visitor: V) -> Result<V::Value, A::Error> {
        self.0.struct_variant(fields, MapOnlyVisitor(visitor))
    }
}

/// A struct visitor given only the object form: an array is `invalid type: sequence`.
struct MapOnlyVisitor<V>(V);

impl<'de, V: Visitor<'de>> Visitor<'de> for MapOnlyVisitor<V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.expecting(f)
    }

    #[inline]
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        self.0.visit_map(Access(map))
    }
}

#[cfg(test)]
mod tests {
    use crate::store::StoreData;

    /// An array where a struct belongs is a type error at that path (serde's array form of a
    /// struct would have read `["m", "2024-01-01"]` as a Merchant), also deep inside a list.
    #[test]
    fn a_struct_given_as_an_array_is_a_type_error_at_its_path() {
        let head = r#"{"as_of": "2025-06-30", "currency": "CNY", "#;
        let err = StoreData::from_json(&format!(r#"{head}"merchant": ["m", "2024-01-01"], "monthly": [{{"month": "2025-05", "gmv": 1, "orders": 1}}]}}"#)).unwrap_err();
        assert_eq!((err.code(), err.path()), ("malformed_json", "merchant"), "{err}");
        assert!(err.to_string().contains("invalid type: sequence, expected struct Merchant"), "{err}");
        let err = StoreData::from_json(&format!(r#"{head}"merchant": {{"id": "m", "opened_on": "2024-01-01"}}, "monthly": [["2025-05", 1, 1]]}}"#)).unwrap_err();
        assert_eq!((err.code(), err.path()), ("malformed_json", "monthly[0]"), "{err}");
        // the object form still reads
        assert!(StoreData::from_json(&format!(r#"{head}"merchant": {{"id": "m", "opened_on": "2024-01-01"}}, "monthly": [{{"month": "2025-05", "gmv": 1, "orders": 1}}]}}"#)).is_ok());
    }
}

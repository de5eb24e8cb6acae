//! `specta::Type` for the hand-written serde impls of this module (feature `specta`): the
//! string enums and [`Id`](super::Id). Each is written to match what its `Serialize` produces.

use std::borrow::Cow;

use specta::datatype::{DataType, EnumRepr, LiteralType, PrimitiveType};
use specta::internal::construct;
use specta::{SpectaID, TypeCollection};

/// A string enum with an `Unknown(String)` fallback, as TypeScript sees it: the known wire
/// spellings, then any other string (kept verbatim, so the union stays open).
pub(crate) fn open_string_enum(
    name: &'static str,
    sid: SpectaID,
    wires: &[&'static str],
) -> DataType {
    let variant = |ty: DataType| {
        construct::enum_variant(
            false,
            None,
            Cow::Borrowed(""),
            construct::enum_variant_unnamed(vec![construct::field(
                false,
                false,
                None,
                Cow::Borrowed(""),
                Some(ty),
            )]),
        )
    };
    let mut variants: Vec<(Cow<'static, str>, _)> = wires
        .iter()
        .map(|w| {
            (
                Cow::Borrowed(*w),
                variant(DataType::Literal(LiteralType::String((*w).to_owned()))),
            )
        })
        .collect();
    variants.push((
        Cow::Borrowed("Unknown"),
        variant(DataType::Primitive(PrimitiveType::String)),
    ));
    DataType::Enum(construct::r#enum(
        Cow::Borrowed(name),
        sid,
        EnumRepr::Untagged,
        false,
        vec![],
        variants,
    ))
}

/// Registers `T` in the collection and refers to it by name.
pub(crate) fn named_reference<T: specta::NamedType>(
    type_map: &mut TypeCollection,
    name: &'static str,
) -> specta::datatype::reference::Reference {
    specta::datatype::reference::reference::<T>(
        type_map,
        construct::data_type_reference(Cow::Borrowed(name), T::sid(), vec![]),
    )
}

/// Implements `Type` and `NamedType` for a `string_enum!`.
macro_rules! specta_string_enum {
    ($name:ident, [$($wire:literal),*]) => {
        const _: () = {
            const SID: specta::SpectaID = specta::internal::construct::sid(
                stringify!($name),
                concat!("::", module_path!(), ":", line!(), ":", column!()),
            );
            impl specta::Type for $name {
                fn inline(
                    _: &mut specta::TypeCollection,
                    _: specta::Generics,
                ) -> specta::datatype::DataType {
                    crate::models::specta_types::open_string_enum(
                        stringify!($name),
                        SID,
                        &[$($wire),*],
                    )
                }
                fn reference(
                    type_map: &mut specta::TypeCollection,
                    _: &[specta::datatype::DataType],
                ) -> specta::datatype::reference::Reference {
                    crate::models::specta_types::named_reference::<Self>(type_map, stringify!($name))
                }
            }
            impl specta::NamedType for $name {
                fn sid() -> specta::SpectaID {
                    SID
                }
                fn named_data_type(
                    type_map: &mut specta::TypeCollection,
                    generics: &[specta::datatype::DataType],
                ) -> specta::datatype::NamedDataType {
                    specta::internal::construct::named_data_type(
                        stringify!($name).into(),
                        std::borrow::Cow::Borrowed(""),
                        None,
                        SID,
                        specta::internal::construct::impl_location(concat!(file!(), ":", line!())),
                        <Self as specta::Type>::inline(type_map, specta::Generics::Provided(generics)),
                    )
                }
                fn definition_named_data_type(
                    type_map: &mut specta::TypeCollection,
                ) -> specta::datatype::NamedDataType {
                    Self::named_data_type(type_map, &[])
                }
            }
        };
    };
}

pub(crate) use specta_string_enum;

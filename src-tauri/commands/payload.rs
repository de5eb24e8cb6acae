//! [`Payload`]: a command argument the UI builds as one of Penneo's models (a form definition,
//! a casefile draft, a prefilled request).
//!
//! Tauri reads a plain typed argument before the command runs and, when the JSON does not fit,
//! rejects the call with a bare string (`invalid args `draft` for command …`). A `Payload<T>`
//! is read the same way, but a shape the model rejects comes back in the one error shape,
//! `invalid_input` on the argument's name with serde's description of what did not fit. To
//! the generated TypeScript it is simply `T`.

use serde::de::DeserializeOwned;
use specta::datatype::{reference::Reference, DataType};
use specta::{Generics, Type, TypeCollection};
use tauri::ipc::{CommandArg, CommandItem, InvokeError};
use tauri::Runtime;

use crate::error::CommandError;

/// A typed model read from the argument of the same name.
#[derive(Debug, Clone, PartialEq)]
pub struct Payload<T>(pub T);

impl<T> Payload<T> {
    /// The model.
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<'de, R: Runtime, T: DeserializeOwned> CommandArg<'de, R> for Payload<T> {
    fn from_command(command: CommandItem<'de, R>) -> Result<Self, InvokeError> {
        let key = command.key;
        T::deserialize(command).map(Payload).map_err(|e| {
            InvokeError::from(CommandError::invalid(
                key,
                format!("The {key} is not valid: {e}"),
            ))
        })
    }
}

impl<T: Type> Type for Payload<T> {
    fn inline(type_map: &mut TypeCollection, generics: Generics) -> DataType {
        T::inline(type_map, generics)
    }

    fn reference(type_map: &mut TypeCollection, generics: &[DataType]) -> Reference {
        T::reference(type_map, generics)
    }
}

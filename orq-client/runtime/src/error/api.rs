//! The declared error responses of an operation, parsed into its enum and carried by
//! [`Error::Api`](crate::Error::Api) type-erased.

use std::any::Any;
use std::fmt;

/// The operations of an SDK that declare error responses: the enum their
/// declared error bodies are parsed into, for [`Error::api_error`](crate::Error::api_error).
///
/// Each generated request builder of such an operation implements it
/// (`requests::ContactsCreate` has `type Error = requests::ContactsCreateError`).
pub trait OperationErrors {
    /// The operation's id, as [`Error::operation`](crate::Error::operation) reports it.
    const OPERATION_ID: &'static str;
    /// One variant per declared error response.
    type Error: Any + fmt::Debug + Send + Sync;
}

/// A declared error response, parsed into its operation's error enum.
///
/// [`Error`](crate::Error) is one type for every operation of every SDK, so the enum is kept
/// type-erased here; [`Error::api_error`](crate::Error::api_error) gives it back typed, checking the
/// operation.
pub struct ApiErrorModel {
    value: Box<dyn Any + Send + Sync>,
    debug: fn(&(dyn Any + Send + Sync), &mut fmt::Formatter<'_>) -> fmt::Result,
    type_name: &'static str,
}

impl ApiErrorModel {
    /// Wraps a parsed error response.
    pub fn new<T: fmt::Debug + Send + Sync + 'static>(value: T) -> Self {
        Self {
            value: Box::new(value),
            debug: |value, f| match value.downcast_ref::<T>() {
                Some(value) => value.fmt(f),
                None => f.write_str("<error response>"),
            },
            type_name: std::any::type_name::<T>(),
        }
    }

    pub(crate) fn downcast_ref<T: Any>(&self) -> Option<&T> {
        self.value.downcast_ref()
    }

    pub(crate) fn downcast<T: Any>(self) -> Result<T, Self> {
        let Self {
            value,
            debug,
            type_name,
        } = self;
        match value.downcast::<T>() {
            Ok(value) => Ok(*value),
            Err(value) => Err(Self {
                value,
                debug,
                type_name,
            }),
        }
    }

    /// The Rust type name of the parsed response, for diagnostics.
    pub fn type_name(&self) -> &'static str {
        self.type_name
    }
}

impl fmt::Debug for ApiErrorModel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        (self.debug)(&*self.value, f)
    }
}

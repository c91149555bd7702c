//! The declared error responses of an operation, parsed into its enum and carried by
//! [`Error::Api`](crate::Error::Api) type-erased.

use std::any::Any;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::marker::PhantomData;
use std::ops::RangeInclusive;

use http::StatusCode;

/// The operations of an SDK that declare error responses: the enum their
/// declared error bodies are parsed into, for [`Error::api_error`](crate::Error::api_error).
///
/// Each generated request builder of such an operation implements it
/// (`requests::ContactsCreate` has `type Error = requests::ContactsCreateError`).
pub trait OperationErrors {
    /// The operation's id, as [`Error::operation`](crate::Error::operation) reports it.
    const OPERATION_ID: &'static str;
    /// One variant per declared error response, or [`DeclaredStatus`] when none of
    /// them has a body.
    type Error: Any + fmt::Debug + Send + Sync;
    /// The error statuses the operation declares, as inclusive ranges (`401..=401`,
    /// `500..=599`, `0..=999` for `default`): read by [`DeclaredStatus`] (generated
    /// code only; the enum of an operation with error bodies has its own `match`).
    #[doc(hidden)]
    const STATUSES: &'static [RangeInclusive<u16>] = &[];
}

/// The declared error response of operation `O` when none of its declared error
/// responses has a body: the status, which is one the spec declares for `O`.
///
/// The generated `requests::{Op}Error` of such an operation is an alias of it, so
/// `{Op}Error::from_error(&err)` reads it as it reads an enum: `Some` only for an
/// `Error::Api` of that operation whose status the spec declares. One generic type
/// instead of an enum per operation keeps an SDK whose operations declare many
/// bodiless statuses (401, 403, 404, 429...) cheap to compile.
///
/// ```
/// # use orq_runtime::{DeclaredStatus, Error, OperationErrors};
/// struct GetUser;
/// impl OperationErrors for GetUser {
///     const OPERATION_ID: &'static str = "getUser";
///     type Error = DeclaredStatus<GetUser>;
///     const STATUSES: &'static [std::ops::RangeInclusive<u16>] = &[404..=404];
/// }
/// type GetUserError = DeclaredStatus<GetUser>;
///
/// fn handle(err: &Error) {
///     match GetUserError::from_error(err) {
///         Some(declared) if declared.status() == 404 => eprintln!("no such user"),
///         // Another status, or not an answer of `getUser`.
///         _ => eprintln!("{err}"),
///     }
/// }
/// ```
pub struct DeclaredStatus<O> {
    status: StatusCode,
    operation: PhantomData<fn() -> O>,
}

impl<O> DeclaredStatus<O> {
    /// The status, one the spec declares for the operation.
    pub fn status(&self) -> StatusCode {
        self.status
    }
}

impl<O: OperationErrors> DeclaredStatus<O> {
    /// The declared status of `O` that `status` is, if it is one.
    pub(crate) fn declared(status: StatusCode) -> Option<Self> {
        let code = status.as_u16();
        O::STATUSES
            .iter()
            .any(|declared| declared.contains(&code))
            .then_some(Self {
                status,
                operation: PhantomData,
            })
    }
}

impl<O> Clone for DeclaredStatus<O> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<O> Copy for DeclaredStatus<O> {}

impl<O> PartialEq for DeclaredStatus<O> {
    fn eq(&self, other: &Self) -> bool {
        self.status == other.status
    }
}

impl<O> Eq for DeclaredStatus<O> {}

impl<O> Hash for DeclaredStatus<O> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.status.hash(state);
    }
}

impl<O: OperationErrors> fmt::Debug for DeclaredStatus<O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DeclaredStatus")
            .field("operation", &O::OPERATION_ID)
            .field("status", &self.status)
            .finish()
    }
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

/// What every generated error enum has (generated code only): `from_error` and
/// `try_from_error`, which name the enum instead of the request builder, the
/// builder's [`OperationErrors`] impl for `err.api_error::<requests::Op>()`, and the
/// enum's [`ErrorResponses`](crate::__private::ErrorResponses) impl, which maps each declared status to its variant.
///
/// `error_enum!(ContactsCreateError for ContactsCreate, "CreateContact"; 404 =>
/// Status404(json), 409 => Status409, 500..=599 => Status5xx(text), _ => Other)`
/// writes all four (statuses as `match` patterns, most specific first; `(json)` and
/// `(text)` say how the variant's body is parsed, none that it has none);
/// `error_enum!(ContactsCreateStream, "CreateContact" => ContactsCreateError)` only
/// binds another builder of the same operation (an event-stream form) to the enum.
/// `error_enum!(UsersGet, "getUser" => UsersGetError; 401, 404, 500..=599)` is the
/// form of an operation none of whose declared errors has a body: its error is the
/// alias `UsersGetError = DeclaredStatus<UsersGet>`, and the impl lists the statuses.
#[doc(hidden)]
#[macro_export]
macro_rules! __error_enum {
    ($(#[$attr:meta])* $error:ident for $request:ident, $id:literal;
        $($status:pat => $variant:ident $(($body:ident))?),* $(,)?) => {
        $crate::__error_enum!($(#[$attr])* $request, $id => $error);

        $(#[$attr])*
        impl $crate::__private::ErrorResponses for $error {
            #[inline]
            fn api_error(response: $crate::Response) -> $crate::Error {
                match response.status().as_u16() {
                    $($status => $crate::__error_variant!(
                        response, $error::$variant $(, $body)?
                    ),)*
                    #[allow(unreachable_patterns)]
                    _ => response.api_error_untyped(),
                }
            }
        }

        $(#[$attr])*
        impl $error {
            /// The declared error response in `error`, parsed into this enum: `None` if
            /// `error` is not an `Error::Api` of this enum's operation, if its status is
            /// one the spec does not declare, or if the body of a declared status does
            /// not parse (the raw body is still in `error.raw_body()`).
            #[inline]
            pub fn from_error(error: &$crate::Error) -> ::std::option::Option<&Self> {
                error.api_error::<$request>()
            }

            /// [`from_error`](Self::from_error) by value: the parsed error response, or
            /// `error` itself, unchanged, when there is none.
            #[inline]
            pub fn try_from_error(
                error: $crate::Error,
            ) -> ::std::result::Result<Self, $crate::Error> {
                error.into_api_error::<$request>()
            }
        }
    };
    ($(#[$attr:meta])* $request:ident, $id:literal => $error:ident) => {
        $(#[$attr])*
        impl $crate::OperationErrors for $request {
            const OPERATION_ID: &'static str = $id;
            type Error = $error;
        }
    };
    ($(#[$attr:meta])* $request:ident, $id:literal => $error:ident;
        $($low:literal $(..= $high:literal)?),* $(,)?) => {
        $(#[$attr])*
        impl $crate::OperationErrors for $request {
            const OPERATION_ID: &'static str = $id;
            type Error = $error;
            const STATUSES: &'static [::core::ops::RangeInclusive<u16>] =
                &[$($crate::__status_range!($low $(..= $high)?)),*];
        }
    };
}

/// One declared status of [`__error_enum`](crate::__error_enum)'s status-only form as
/// an inclusive range: `404` is `404..=404`.
#[doc(hidden)]
#[macro_export]
macro_rules! __status_range {
    ($low:literal ..= $high:literal) => {
        $low..=$high
    };
    ($status:literal) => {
        $status..=$status
    };
}

/// One arm of [`__error_enum`](crate::__error_enum)'s `ErrorResponses` impl: the
/// response as `Error::Api` with the variant, its body parsed as JSON, as text, or
/// none.
#[doc(hidden)]
#[macro_export]
macro_rules! __error_variant {
    ($response:ident, $variant:path) => {
        $response.api_error_as($variant)
    };
    ($response:ident, $variant:path, json) => {
        $response.api_error_json($variant)
    };
    ($response:ident, $variant:path, text) => {
        $response.api_error_text($variant)
    };
}

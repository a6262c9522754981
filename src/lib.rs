#![doc = include_str!("../README.md")]
#![deny(unsafe_code)]

pub mod api;
pub mod banks;
pub mod callback;
pub mod checksum;
pub mod deeplink;
pub mod emv;
pub mod error;
mod field;
mod input;
pub mod ops;
mod output;
pub mod qr;
pub mod reconcile;
pub mod rules;
pub mod text;

#[cfg(feature = "abi")]
#[allow(unsafe_code)] // raw pointers are the ABI
mod abi;
#[cfg(feature = "wasm")]
#[allow(unsafe_code)] // wasm-bindgen's generated glue
mod wasm;

pub use error::{Code, Error, Result};
pub use ops::{call, call_json};

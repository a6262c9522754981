//! The raw ABI of the plain-WASM build (feature `abi`): no imports, no
//! wasm-bindgen, three exports. This is the module `wasm2php` translates
//! into the PHP host, so it is kept to integers and linear memory.
//!
//! A host writes the op name and the input JSON into buffers from
//! `vqr_alloc`, calls `vqr_call`, reads the output JSON at the returned
//! pointer and length, and gives every buffer back with `vqr_free`.

/// A buffer of `len` bytes for the host to fill.
#[no_mangle]
pub extern "C" fn vqr_alloc(len: usize) -> *mut u8 {
    let mut buf = Vec::<u8>::with_capacity(len.max(1));
    let ptr = buf.as_mut_ptr();
    std::mem::forget(buf);
    ptr
}

/// Frees a buffer from `vqr_alloc` or `vqr_call` (`len` as given there).
///
/// # Safety
/// `ptr` and `len` must come from `vqr_alloc(len)` or from `vqr_call`'s
/// result, and the buffer must not be used afterwards.
#[no_mangle]
pub unsafe extern "C" fn vqr_free(ptr: *mut u8, len: usize) {
    // SAFETY: the caller hands back a buffer this module allocated with
    // exactly this capacity.
    drop(unsafe { Vec::from_raw_parts(ptr, 0, len.max(1)) });
}

/// Runs `call(op, input)`: op name and input JSON as UTF-8 bytes. Returns
/// the output JSON as `(ptr << 32) | len`; free it with `vqr_free(ptr, len)`.
/// Input that is not UTF-8 gives `invalid_input`, like any bad input.
///
/// # Safety
/// The two ranges must be readable memory of this module.
#[no_mangle]
pub unsafe extern "C" fn vqr_call(
    op_ptr: *const u8,
    op_len: usize,
    in_ptr: *const u8,
    in_len: usize,
) -> u64 {
    // SAFETY: the caller passes buffers it filled in this module's memory.
    let (op, input) = unsafe {
        (
            std::slice::from_raw_parts(op_ptr, op_len),
            std::slice::from_raw_parts(in_ptr, in_len),
        )
    };
    let out = match (std::str::from_utf8(op), std::str::from_utf8(input)) {
        (Ok(op), Ok(input)) => crate::call_json(op, input),
        _ => {
            let e = crate::Error::invalid_input("op and input must be UTF-8");
            crate::output::envelope(Err(e)).to_string()
        }
    };
    let out = out.into_bytes().into_boxed_slice();
    let len = out.len();
    let ptr = Box::into_raw(out) as *mut u8;
    ((ptr as u64) << 32) | len as u64
}

//! The SDK's PHP-serialized token file, as read from disk: any bytes.
//!
//! No panic, no hang, no huge allocation (length prefixes are checked against the bytes
//! left); whatever parses re-encodes to bytes that parse to the same tokens, and the error
//! text never quotes the data.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zoho_oauth::store::php_format;

fuzz_target!(|data: &[u8]| {
    match php_format::decode(data) {
        Ok(tokens) => {
            // Every entry needs at least one `O:` header: the count is bounded by the input.
            assert!(tokens.len() <= data.len() / 8 + 1);
            let again = php_format::decode(&php_format::encode(&tokens));
            assert_eq!(
                again.as_ref().ok(),
                Some(&tokens),
                "re-encoding changed the tokens"
            );
        }
        Err(message) => {
            assert!(message.len() < 200, "error text is short: {message}");
            assert!(!message.contains('\0'));
        }
    }
});

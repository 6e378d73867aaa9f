//! Our JSON token file, as read from disk: any bytes. No panic, no hang; whatever parses
//! re-encodes to the same tokens; errors give a position, never the data.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zoho_oauth::store::json_format;

fuzz_target!(|data: &[u8]| {
    match json_format::decode(data) {
        Ok(tokens) => {
            let again = json_format::decode(&json_format::encode(&tokens));
            assert_eq!(
                again.as_ref().ok(),
                Some(&tokens),
                "re-encoding changed the tokens"
            );
        }
        Err(message) => assert!(message.len() < 200, "error text is short: {message}"),
    }
});

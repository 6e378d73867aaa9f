//! `keygen PATH`: a new token encryption key in a new file (the core's
//! `zoho_oauth::seal::key::generate`: 0600, never over a file nor through a symlink).

use serde_json::json;

use crate::cli::KeygenArgs;
use crate::exit::Failure;
use crate::output::Output;

/// Writes the key and prints its id.
pub fn keygen(args: &KeygenArgs, out: Output) -> Result<(), Failure> {
    let id = zoho_oauth::seal::key::generate(&args.path)?;
    let path = args.path.display();
    out.result(
        &format!(
            "Wrote a new key to {path} (key id {id}, mode 0600).\n\
             Seal with it: name it first in token_encryption_key_file, keeping the old keys after it (docs/encryption.md)."
        ),
        json!({ "path": path.to_string(), "key_id": id.hex() }),
    );
    Ok(())
}

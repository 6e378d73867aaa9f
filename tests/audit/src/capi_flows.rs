//! The C API: `capi.py` drives `libzoho_oauth.so` through ctypes and prints every
//! `zoho_last_error_message`.

use std::path::Path;
use std::process::Command;

use crate::cli_flows::default_bin;
use crate::world::{Door, World, run_captured, script_door};

/// Runs the C flows, or reports the library (or python3) missing.
pub fn run(world: &World, lib: Option<&Path>) -> Result<Door, String> {
    let lib = lib
        .map(Path::to_path_buf)
        .unwrap_or_else(|| default_bin("libzoho_oauth.so"));
    if !lib.exists() {
        return Ok(Door::Missing(format!("{} not built", lib.display())));
    }
    if Command::new("python3").arg("--version").output().is_err() {
        return Ok(Door::Missing("python3 is not installed".into()));
    }
    let (out, input_path) = script_door(world, "capi", "CAPI")?;
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("capi.py");
    let code = run_captured(
        &out,
        "capi",
        Command::new("python3")
            .arg(script)
            .arg(&lib)
            .arg(&input_path),
    )?;
    let stdout = std::fs::read_to_string(out.join("capi.out")).unwrap_or_default();
    let steps = stdout
        .lines()
        .find_map(|l| l.strip_prefix("capi steps: "))
        .and_then(|n| n.trim().parse().ok());
    match steps {
        Some(n) if code == 0 => Ok(Door::Ran(n)),
        _ => Err(format!(
            "the C flows failed (exit {code}); see {}",
            out.display()
        )),
    }
}

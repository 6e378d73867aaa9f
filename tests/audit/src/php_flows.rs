//! The PHP extension: `php/audit.php` with the log on and exception arguments in traces.

use std::path::Path;
use std::process::Command;

use crate::cli_flows::default_bin;
use crate::world::{Door, World, run_captured, script_door};

/// Runs the PHP flows, or reports the extension missing.
pub fn run(world: &World, ext: Option<&Path>) -> Result<Door, String> {
    let ext = ext
        .map(Path::to_path_buf)
        .unwrap_or_else(|| default_bin("libzoho_oauth_php.so"));
    if !ext.exists() {
        return Ok(Door::Missing(format!("{} not built", ext.display())));
    }
    if Command::new("php").arg("-v").output().is_err() {
        return Ok(Door::Missing("php is not installed".into()));
    }
    let (out, input_path) = script_door(world, "php", "PHP")?;
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("php/audit.php");
    let mut php = Command::new("php");
    php.arg("-d")
        .arg(format!("extension={}", ext.display()))
        .args([
            "-d",
            "zend.exception_ignore_args=0",
            "-d",
            "display_errors=stderr",
            "-d",
            "log_errors=0",
        ])
        .arg(script)
        .arg(&input_path);
    let code = run_captured(&out, "audit-php", &mut php)?;
    let stdout = std::fs::read_to_string(out.join("audit-php.out")).unwrap_or_default();
    let steps = stdout.matches("\n== ").count() + usize::from(stdout.starts_with("== "));
    if steps < 20 {
        return Err(format!(
            "the PHP flows stopped early (exit {code}, {steps} steps); see {}",
            out.display()
        ));
    }
    Ok(Door::Ran(steps))
}

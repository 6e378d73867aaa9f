//! Opening a URL in the user's browser, when there is one.

use std::process::{Command, Stdio};

/// Starts a browser on `url` and returns whether one was started. Uses `$BROWSER`, else
/// `open` on macOS, else `xdg-open` when a display is available.
pub fn open(url: &str) -> bool {
    let Some(program) = pick() else {
        return false;
    };
    let spawned = Command::new(program)
        .arg(url)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn();
    match spawned {
        Ok(mut child) => {
            // Reap it in the background; xdg-open returns quickly.
            std::thread::spawn(move || child.wait());
            true
        }
        Err(_) => false,
    }
}

fn pick() -> Option<String> {
    if let Some(b) = std::env::var("BROWSER")
        .ok()
        .filter(|b| !b.trim().is_empty())
    {
        // $BROWSER may list alternatives separated by ':'; take the first.
        return b.split(':').next().map(|s| s.trim().to_string());
    }
    if cfg!(target_os = "macos") {
        return Some("open".into());
    }
    let has_display = ["DISPLAY", "WAYLAND_DISPLAY"]
        .iter()
        .any(|v| std::env::var_os(v).is_some_and(|d| !d.is_empty()));
    has_display.then(|| "xdg-open".into())
}

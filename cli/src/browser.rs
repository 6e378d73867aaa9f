//! Opening a URL in the user's browser, when there is one.

use std::process::{Command, Stdio};

/// Starts a browser on `url` and returns whether one was started. Uses `$BROWSER`, else
/// `open` on macOS, else `xdg-open` when a display is available.
pub fn open(url: &str) -> bool {
    let Some(mut command) = pick().and_then(|browser| command_for(&browser, url)) else {
        return false;
    };
    let spawned = command
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

/// The command that opens `url` with `browser`, a `$BROWSER` entry: a program and its
/// arguments separated by spaces, where `%s` stands for the URL (it is appended when no
/// argument has one), as the `$BROWSER` convention has it. No shell is involved.
fn command_for(browser: &str, url: &str) -> Option<Command> {
    let mut words = browser.split_whitespace();
    let mut command = Command::new(words.next()?);
    let mut placed = false;
    for word in words {
        if word.contains("%s") {
            command.arg(word.replace("%s", url));
            placed = true;
        } else {
            command.arg(word);
        }
    }
    if !placed {
        command.arg(url);
    }
    // The browser inherits nothing secret: configuration given through the environment
    // (ZOHO_CLIENT_SECRET above all, every ZOHO_* variable) is for this process only.
    for (var, _) in std::env::vars_os() {
        if var.as_encoded_bytes().starts_with(b"ZOHO_") {
            command.env_remove(var);
        }
    }
    Some(command)
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

#[cfg(test)]
mod tests {
    use super::*;

    fn argv(browser: &str) -> Option<(String, Vec<String>)> {
        let command = command_for(browser, "https://a.example/?x=1&y=2")?;
        let program = command.get_program().to_string_lossy().into_owned();
        let args = command
            .get_args()
            .map(|a| a.to_string_lossy().into_owned())
            .collect();
        Some((program, args))
    }

    #[test]
    fn browser_entries_take_the_url_at_percent_s_or_at_the_end() {
        let url = "https://a.example/?x=1&y=2".to_string();
        assert_eq!(argv("firefox"), Some(("firefox".into(), vec![url.clone()])));
        assert_eq!(
            argv("firefox --new-window"),
            Some(("firefox".into(), vec!["--new-window".into(), url.clone()]))
        );
        assert_eq!(
            argv("w3m -o x=%s"),
            Some(("w3m".into(), vec!["-o".into(), format!("x={url}")]))
        );
        assert_eq!(argv("   "), None);
    }
}

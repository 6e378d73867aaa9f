//! The host name a refresh is recorded under.

/// The environment variable that names this host in refresh histories instead of the
/// kernel's host name (tests run "two hosts" on one machine; containers may prefer a name
/// of their own).
pub const HOST_NAME_ENV: &str = "ZOHO_OAUTH_HOST_NAME";

/// This host's name for refresh histories: `ZOHO_OAUTH_HOST_NAME` when set and not empty,
/// else the kernel's host name, else `unknown`.
pub fn host_name() -> String {
    std::env::var(HOST_NAME_ENV)
        .ok()
        .filter(|name| !name.trim().is_empty())
        .or_else(|| {
            ["/proc/sys/kernel/hostname", "/etc/hostname"]
                .iter()
                .find_map(|path| std::fs::read_to_string(path).ok())
        })
        .map(|name| name.trim().to_string())
        .filter(|name| !name.is_empty())
        .unwrap_or_else(|| "unknown".to_string())
}

//! Helpers for running the `zoho-oauth` binary against the in-process accounts emulator.

use std::io::{BufRead, BufReader, Read};
use std::net::TcpListener;
use std::ops::Deref;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdout, Command, Stdio};

use serde_json::Value;
use zoho_accounts_emulator::ClientSpec;

pub use crate::common::{ADA, CLIENT_ID, CLIENT_SECRET, REDIRECT_URI, SCOPES, TestEnv, http};

pub const BIN: &str = env!("CARGO_BIN_EXE_zoho-oauth");

/// A finished run of the binary.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// The last stdout line as JSON.
    pub fn json(&self) -> Value {
        let line = self.stdout.lines().last().unwrap_or("");
        serde_json::from_str(line).unwrap_or_else(|e| panic!("not JSON ({e}): {self:?}"))
    }

    /// Asserts the exit code, showing the output when it differs.
    pub fn expect(self, code: i32) -> Run {
        assert_eq!(self.code, code, "unexpected exit code: {self:#?}");
        self
    }
}

/// The shared test environment (emulator, client, token directory), with the client also
/// allowed a loopback redirect URI for `login`, and an empty HOME so nothing of the
/// developer's own setup leaks in.
pub struct Env {
    env: TestEnv,
    pub redirect_uri: String,
}

impl Deref for Env {
    type Target = TestEnv;
    fn deref(&self) -> &TestEnv {
        &self.env
    }
}

impl Env {
    pub fn start() -> Env {
        let env = TestEnv::start();
        let redirect_uri = format!("http://127.0.0.1:{}/callback", free_port());
        env.emulator.register_client(ClientSpec {
            client_id: CLIENT_ID.into(),
            client_secret: CLIENT_SECRET.into(),
            redirect_uris: vec![REDIRECT_URI.into(), redirect_uri.clone()],
            data_centres: vec!["us".into(), "eu".into()],
            scopes: vec![],
        });
        std::fs::create_dir(env.dir.path().join("home")).expect("home");
        Env { env, redirect_uri }
    }

    pub fn token_dir(&self) -> PathBuf {
        self.dir.path().to_path_buf()
    }

    pub fn json_file(&self) -> PathBuf {
        self.token_dir().join("zoho_oauth_tokens.json")
    }

    /// The binary with a clean environment configured for the emulator.
    pub fn cmd(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(BIN);
        cmd.args(args)
            .env_clear()
            .env("HOME", self.dir.path().join("home"))
            .env("ZOHO_CLIENT_ID", CLIENT_ID)
            .env("ZOHO_CLIENT_SECRET", CLIENT_SECRET)
            .env("ZOHO_ACCOUNTS_URL", self.emulator.url())
            .env("ZOHO_REDIRECT_URI", &self.redirect_uri)
            .env("ZOHO_TOKEN_DIR", self.token_dir())
            .stdin(Stdio::null());
        cmd
    }

    pub fn run(&self, args: &[&str]) -> Run {
        run(self.cmd(args))
    }

    /// Exchanges a fresh grant for `user` through the CLI.
    pub fn exchange(&self, user: &str, extra: &[&str]) -> Run {
        let code = self.grant(user, SCOPES);
        let mut args = vec!["exchange", "--grant-token", code.as_str()];
        args.extend_from_slice(extra);
        self.run(&args).expect(0)
    }

    /// Sets the access-token lifetime the emulator gives from now on.
    pub fn set_token_ttl(&self, secs: u64) {
        self.set_settings(|s| s.access_token_ttl_secs = secs);
    }
}

/// Runs a command to completion.
pub fn run(mut cmd: Command) -> Run {
    let out = cmd.output().expect("zoho-oauth runs");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// A port that was free a moment ago.
pub fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.local_addr().expect("addr").port()
}

/// A `login --json` in progress: the URL it printed and the process.
pub struct Login {
    pub child: Child,
    pub authorize_url: String,
    stdout: BufReader<ChildStdout>,
}

impl Login {
    /// Starts `login --json --no-browser` and reads the URL line.
    pub fn start(env: &Env, extra: &[&str]) -> Login {
        let mut args = vec!["login", "--json", "--no-browser"];
        args.extend_from_slice(extra);
        let mut child = env
            .cmd(&args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("login starts");
        let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
        let mut line = String::new();
        stdout.read_line(&mut line).expect("first line");
        let first: Value = serde_json::from_str(&line).expect("first line is JSON");
        let authorize_url = first["authorize_url"]
            .as_str()
            .expect("authorize_url")
            .to_string();
        Login {
            child,
            authorize_url,
            stdout,
        }
    }

    /// Plays the browser at Zoho: the auth endpoint's redirect (`Location`).
    pub fn consent(&self, extra_query: &str) -> String {
        let reply = http()
            .get(format!("{}{extra_query}", self.authorize_url))
            .send()
            .expect("auth endpoint");
        assert_eq!(
            reply.status().as_u16(),
            302,
            "auth endpoint answers a redirect"
        );
        reply.headers()["location"]
            .to_str()
            .expect("location")
            .to_string()
    }

    /// Plays the browser landing on the redirect URI; returns the status and page.
    pub fn land(&self, location: &str) -> (u16, String) {
        let reply = http().get(location).send().expect("loopback listener");
        let status = reply.status().as_u16();
        (status, reply.text().unwrap_or_default())
    }

    /// Waits for the process and collects the rest of its output.
    pub fn finish(mut self) -> Run {
        let mut rest = String::new();
        let _ = self.stdout.read_to_string(&mut rest);
        let mut stderr = String::new();
        if let Some(mut e) = self.child.stderr.take() {
            let _ = e.read_to_string(&mut stderr);
        }
        let status = self.child.wait().expect("login exits");
        Run {
            code: status.code().unwrap_or(-1),
            stdout: rest,
            stderr,
        }
    }
}

/// A fixture of Zoho's PHP SDK.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures/php-sdk")
        .join(name)
}

/// An expected-output file under `cli/tests/support/`.
pub fn expected(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/support")
        .join(name)
}

/// Fails if any stored token or the client secret appears in `text`.
pub fn assert_no_secrets(env: &Env, text: &str) {
    assert!(
        !text.contains(CLIENT_SECRET),
        "client secret leaked: {text}"
    );
    for file in [env.token_file(), env.json_file()] {
        let Ok(bytes) = std::fs::read(&file) else {
            continue;
        };
        for t in zoho_oauth::store::php_format::decode(&bytes)
            .or_else(|_| zoho_oauth::store::json_format::decode(&bytes))
            .unwrap_or_default()
        {
            assert!(
                !text.contains(t.access_token.expose()),
                "access token leaked: {text}"
            );
            if let Some(r) = &t.refresh_token {
                assert!(!text.contains(r.expose()), "refresh token leaked: {text}");
            }
        }
    }
}

/// The stored entries of the SDK-format token file.
pub fn stored(env: &Env) -> Vec<zoho_oauth::Tokens> {
    let bytes = std::fs::read(env.token_file()).unwrap_or_default();
    zoho_oauth::store::php_format::decode(&bytes).expect("readable token file")
}

/// Runs a command with `input` on its stdin, to completion.
pub fn run_with_stdin(mut cmd: Command, input: &str) -> Run {
    use std::io::Write;
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("zoho-oauth starts");
    let mut stdin = child.stdin.take().expect("stdin");
    stdin.write_all(input.as_bytes()).expect("stdin written");
    drop(stdin);
    let out = child.wait_with_output().expect("zoho-oauth runs");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Zoho's (the emulator's) reply to a refresh with `refresh_token`, made directly, not
/// through the CLI.
pub fn refresh_at_emulator(env: &Env, refresh_token: &str) -> Value {
    let body = format!(
        "grant_type=refresh_token&client_id={CLIENT_ID}&client_secret={}&refresh_token={}",
        url::form_urlencoded::byte_serialize(CLIENT_SECRET.as_bytes()).collect::<String>(),
        url::form_urlencoded::byte_serialize(refresh_token.as_bytes()).collect::<String>(),
    );
    let reply = http()
        .post(format!("{}/oauth/v2/token", env.emulator.url()))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .expect("token endpoint")
        .text()
        .expect("reply");
    serde_json::from_str(&reply).unwrap_or_else(|e| panic!("not JSON ({e}): {reply}"))
}

/// The value of the `key=` line in the tokens printed as NOT saved.
pub fn printed(stdout: &str, key: &str) -> Option<String> {
    stdout
        .lines()
        .find_map(|l| l.strip_prefix(&format!("{key}=")))
        .map(str::to_string)
}

/// Waits until process `pid` has got as far as the lock file `lock`: it waits for a `flock`
/// on it (a `->` line of `/proc/locks`), or holds it open (it polls for the lock, which a
/// bounded wait does), so a test knows it is waiting.
pub fn wait_until_blocked_on_a_lock(pid: u32, lock: &std::path::Path) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let fd_dir = format!("/proc/{pid}/fd");
    let pid = pid.to_string();
    loop {
        let locks = std::fs::read_to_string("/proc/locks").expect("/proc/locks");
        let waiting = locks.lines().any(|l| {
            let mut words = l.split_whitespace().skip(1);
            words.next() == Some("->") && words.nth(3) == Some(pid.as_str())
        });
        let holds_it_open = std::fs::read_dir(&fd_dir).is_ok_and(|fds| {
            fds.flatten()
                .any(|fd| std::fs::read_link(fd.path()).is_ok_and(|target| target == lock))
        });
        if waiting || holds_it_open {
            return;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "pid {pid} never waited for a lock:\n{locks}"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

/// The ECHO flag of the terminal behind `fd`.
fn echo_of(fd: &impl std::os::fd::AsRawFd) -> bool {
    // SAFETY: termios is plain data, filled by tcgetattr on a live descriptor.
    let mut t: libc::termios = unsafe { std::mem::zeroed() };
    let got = unsafe { libc::tcgetattr(fd.as_raw_fd(), &mut t) };
    assert_eq!(got, 0, "tcgetattr: {}", std::io::Error::last_os_error());
    t.c_lflag & libc::ECHO != 0
}

/// The binary run on a pseudo-terminal: stdin, stdout and stderr are the terminal, which is
/// its controlling terminal, so typed Ctrl-C sends it SIGINT as a shell's terminal would.
pub struct Pty {
    master: std::fs::File,
    pub child: Child,
    output: std::sync::Arc<std::sync::Mutex<Vec<u8>>>,
}

impl Pty {
    pub fn spawn(mut cmd: Command) -> Pty {
        use std::os::fd::{FromRawFd, OwnedFd};
        use std::os::unix::process::CommandExt;
        let (mut master, mut slave) = (-1, -1);
        // SAFETY: openpty writes two descriptors; the name, termios and size are optional.
        let opened = unsafe {
            libc::openpty(
                &mut master,
                &mut slave,
                std::ptr::null_mut(),
                std::ptr::null(),
                std::ptr::null(),
            )
        };
        assert_eq!(opened, 0, "openpty: {}", std::io::Error::last_os_error());
        // SAFETY: both descriptors were just opened and are owned by nobody else.
        let (master, slave) =
            unsafe { (OwnedFd::from_raw_fd(master), OwnedFd::from_raw_fd(slave)) };
        assert!(echo_of(&slave), "a new terminal echoes");
        let stdio = || Stdio::from(slave.try_clone().expect("dup the terminal"));
        cmd.stdin(stdio()).stdout(stdio()).stderr(stdio());
        // SAFETY: setsid and ioctl are async-signal-safe; the child's stdin is the terminal.
        unsafe {
            cmd.pre_exec(|| {
                if libc::setsid() < 0 || libc::ioctl(0, libc::TIOCSCTTY, 0) < 0 {
                    return Err(std::io::Error::last_os_error());
                }
                // A foreground program on a terminal: the signals a terminal sends act as
                // they do for a user's shell, even when the tests run in a background job
                // (which inherits SIGINT and SIGQUIT ignored).
                for signal in [libc::SIGINT, libc::SIGQUIT, libc::SIGTERM, libc::SIGHUP] {
                    if libc::signal(signal, libc::SIG_DFL) == libc::SIG_ERR {
                        return Err(std::io::Error::last_os_error());
                    }
                }
                Ok(())
            });
        }
        let child = cmd.spawn().expect("zoho-oauth starts on the terminal");
        drop(cmd); // closes this process's copies of the terminal's side
        drop(slave);
        let master = std::fs::File::from(master);
        let output = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let (mut reader, sink) = (master.try_clone().expect("dup"), output.clone());
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            // Ends with EIO once the child (the last holder of the terminal) is gone.
            while let Ok(n @ 1..) = reader.read(&mut buf) {
                sink.lock().unwrap().extend_from_slice(&buf[..n]);
            }
        });
        Pty {
            master,
            child,
            output,
        }
    }

    /// Everything the terminal showed so far.
    pub fn shown(&self) -> String {
        String::from_utf8_lossy(&self.output.lock().unwrap()).into_owned()
    }

    /// Waits until `check` holds, failing the test after 20 s.
    pub fn wait_until(&self, what: &str, check: impl Fn(&Pty) -> bool) {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        while !check(self) {
            assert!(
                std::time::Instant::now() < deadline,
                "timed out waiting for {what}; the terminal showed: {:?}",
                self.shown()
            );
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
    }

    /// The terminal's ECHO flag (the master reads the terminal's settings on Linux).
    pub fn echo(&self) -> bool {
        echo_of(&self.master)
    }

    /// Types `text` at the terminal.
    pub fn type_text(&self, text: &str) {
        use std::io::Write;
        (&self.master).write_all(text.as_bytes()).expect("typed");
    }

    /// Waits for the process to end, failing the test (and killing it) after 30 s.
    pub fn wait(&mut self) -> std::process::ExitStatus {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        loop {
            if let Some(status) = self.child.try_wait().expect("zoho-oauth's status") {
                return status;
            }
            if std::time::Instant::now() >= deadline {
                let _ = self.child.kill();
                let _ = self.child.wait();
                panic!(
                    "zoho-oauth did not exit within 30 s; the terminal showed: {:?}",
                    self.shown()
                );
            }
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
    }
}

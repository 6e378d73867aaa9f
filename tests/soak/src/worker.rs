//! A Rust worker: one `OAuthClient` on the shared token file, a random mix of get, forced
//! refresh, generate-from-refresh, save and delete(-and-restore) for the run time.

use std::time::{Duration, Instant};

use zoho_oauth::clock::system_now_ms;
use zoho_oauth::{ErrorKind, OAuthClient, Secret, Tokens};

use crate::args::WorkerArgs;
use crate::progress::Writer;
use crate::rng::Rng;
use crate::setup::{self, SCRATCH_PER_WORKER};
use crate::stats::Stats;

/// Attempts to restore a deleted user before declaring it lost.
const RESTORE_ATTEMPTS: usize = 200;

struct Worker {
    client: OAuthClient,
    log: Writer,
    stats: Stats,
    rng: Rng,
    id: usize,
    users: usize,
    saves: u64,
}

/// Runs a worker; prints its `DONE` line. Returns whether it finished its run.
pub fn run(a: &WorkerArgs) -> Result<bool, String> {
    let config = setup::config(&a.dir, &a.url, a.margin, a.timeout);
    let client = OAuthClient::from_config(config).map_err(|e| e.to_string())?;
    let mut w = Worker {
        client,
        log: Writer::open(&a.dir, a.id)?,
        stats: Stats::default(),
        rng: Rng::new(a.id as u64),
        id: a.id,
        users: a.users,
        saves: 0,
    };
    let deadline = Instant::now() + Duration::from_secs(a.amount);
    while Instant::now() < deadline {
        w.step();
    }
    println!("{}", w.stats.done_line());
    Ok(true)
}

impl Worker {
    fn step(&mut self) {
        let u = self.rng.below(self.users);
        // Mostly reads, as in an application; the rest keeps every writer path busy.
        match self.rng.below(1000) {
            0..850 => self.get(u),
            850..880 => self.forced_refresh(u),
            880..910 => {
                let _ = self.generate_from_refresh_token("generate_from_refresh", u);
            }
            910..980 => self.save_scratch(),
            _ => self.delete_and_restore(u),
        }
    }

    fn get(&mut self, u: usize) {
        self.stats.start("get");
        match self.client.get_access_token(&setup::user(u)) {
            Ok(token) if !token.is_empty() => self.stats.success("get"),
            Ok(_) => self
                .stats
                .unexpected
                .push("get: an empty access token".into()),
            Err(e) => self.failed("get", u, &e),
        }
    }

    fn failed(&mut self, op: &str, u: usize, e: &zoho_oauth::Error) {
        if e.kind() == ErrorKind::Timeout {
            self.log
                .event(&format!("T {} {}", setup::user(u), system_now_ms()));
        }
        self.stats.error(op, e);
    }

    fn forced_refresh(&mut self, u: usize) {
        self.stats.start("refresh");
        let start = system_now_ms();
        let result = self.client.refresh_user(&setup::user(u));
        self.explicit(u, start);
        match result {
            Ok(_) => self.stats.success("refresh"),
            Err(e) => self.failed("refresh", u, &e),
        }
    }

    /// Logs an explicit refresh of user `u` that started at `start`.
    fn explicit(&mut self, u: usize, start: i64) {
        let end = system_now_ms();
        self.log
            .event(&format!("X {} {start} {end}", setup::user(u)));
    }

    fn generate_from_refresh_token(&mut self, op: &str, u: usize) -> bool {
        self.stats.start(op);
        let start = system_now_ms();
        let result = self
            .client
            .generate_access_token_from_refresh_token(&setup::refresh_token(u), &setup::user(u));
        self.explicit(u, start);
        match result {
            Ok(_) => {
                self.stats.success(op);
                true
            }
            Err(e) => {
                self.failed(op, u, &e);
                false
            }
        }
    }

    fn save_scratch(&mut self) {
        self.stats.start("save");
        self.saves += 1;
        let name = setup::scratch_user(self.id, self.rng.below(SCRATCH_PER_WORKER));
        let tokens = Tokens::new(
            Some(name.clone()),
            Secret::new(format!("1000.scratch.{}.{}", self.id, self.saves)),
            Some(Secret::new("1000.scratch.refresh")),
            4_000_000_000_000,
        );
        match self.client.store().save(&tokens) {
            Ok(()) => {
                self.stats.success("save");
                self.log.event(&format!("S {name} {}", self.saves));
            }
            Err(e) => {
                self.stats.error("save", &e);
                let message = format!("save: {e}");
                self.stats.unexpected.push(message);
            }
        }
    }

    fn delete_and_restore(&mut self, u: usize) {
        self.stats.start("delete");
        let name = setup::user(u);
        self.log.event(&format!("D {name}"));
        match self.client.delete_tokens(&name) {
            Ok(_) => self.stats.success("delete"),
            Err(e) => {
                self.stats.error("delete", &e);
                self.stats.unexpected.push(format!("delete: {e}"));
            }
        }
        for _ in 0..RESTORE_ATTEMPTS {
            if self.generate_from_refresh_token("restore", u) {
                self.log.event(&format!("R {name}"));
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        self.log.event(&format!("L {name}"));
        self.stats.lost.push(name);
    }
}

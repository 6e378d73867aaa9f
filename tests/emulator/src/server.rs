//! The threaded HTTP/1.1 server: an accept thread plus one thread per connection.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use crate::conn::{Conn, ReadError};
use crate::dispatch::{self, Outcome};
use crate::shared::Shared;

/// Idle keep-alive connections are closed after this long (longer than reqwest's 90 s pool
/// idle timeout, so that clients close first and never reuse a connection being closed).
const IDLE_TIMEOUT: Duration = Duration::from_secs(120);

/// Open connections, so that stopping the server can close them.
#[derive(Default)]
struct Registry {
    next_id: u64,
    streams: HashMap<u64, TcpStream>,
    handles: Vec<JoinHandle<()>>,
}

/// A running server; [`Server::stop`] (or drop) stops it.
pub struct Server {
    addr: SocketAddr,
    shared: Arc<Shared>,
    registry: Arc<Mutex<Registry>>,
    accept: Option<JoinHandle<()>>,
}

fn lock(registry: &Mutex<Registry>) -> std::sync::MutexGuard<'_, Registry> {
    registry.lock().unwrap_or_else(|e| e.into_inner())
}

impl Server {
    /// Serves `listener` until stopped.
    pub fn spawn(listener: TcpListener, shared: Arc<Shared>) -> std::io::Result<Server> {
        let addr = listener.local_addr()?;
        let registry = Arc::new(Mutex::new(Registry::default()));
        let (s, r) = (shared.clone(), registry.clone());
        let accept = std::thread::Builder::new()
            .name("emulator-accept".to_string())
            .spawn(move || accept_loop(&listener, &s, &r))?;
        Ok(Server {
            addr,
            shared,
            registry,
            accept: Some(accept),
        })
    }

    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Stops accepting, closes every connection and joins all threads.
    pub fn stop(&mut self) {
        let Some(accept) = self.accept.take() else {
            return;
        };
        self.shared.begin_shutdown();
        let mut wake = self.addr;
        if wake.ip().is_unspecified() {
            wake.set_ip(std::net::Ipv4Addr::LOCALHOST.into());
        }
        // Wake the blocking accept with a connection of our own.
        for _ in 0..50 {
            if accept.is_finished() {
                break;
            }
            let _ = TcpStream::connect_timeout(&wake, Duration::from_millis(200));
            std::thread::sleep(Duration::from_millis(5));
        }
        let _ = accept.join();
        let handles = {
            let mut reg = lock(&self.registry);
            for s in reg.streams.values() {
                let _ = s.shutdown(Shutdown::Both);
            }
            std::mem::take(&mut reg.handles)
        };
        for h in handles {
            let _ = h.join();
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop();
    }
}

fn accept_loop(listener: &TcpListener, shared: &Arc<Shared>, registry: &Arc<Mutex<Registry>>) {
    for stream in listener.incoming() {
        if shared.is_shutdown() {
            break;
        }
        let Ok(stream) = stream else {
            // E.g. out of file descriptors: back off instead of spinning.
            std::thread::sleep(Duration::from_millis(10));
            continue;
        };
        shared.lock().metrics.bump("connections");
        let mut reg = lock(registry);
        reg.handles.retain(|h| !h.is_finished());
        let id = reg.next_id;
        reg.next_id += 1;
        if let Ok(clone) = stream.try_clone() {
            reg.streams.insert(id, clone);
        }
        let (s, r) = (shared.clone(), registry.clone());
        let spawned = std::thread::Builder::new()
            .name("emulator-conn".to_string())
            .spawn(move || {
                serve(stream, &s);
                lock(&r).streams.remove(&id);
            });
        match spawned {
            Ok(h) => reg.handles.push(h),
            Err(_) => {
                reg.streams.remove(&id);
            }
        }
    }
}

/// Serves requests on one connection until it closes.
fn serve(stream: TcpStream, shared: &Shared) {
    let _ = stream.set_read_timeout(Some(IDLE_TIMEOUT));
    let _ = stream.set_nodelay(true);
    let Ok(mut writer) = stream.try_clone() else {
        return;
    };
    let mut conn = Conn::new(stream);
    while !shared.is_shutdown() {
        let send_continue = || writer.write_all(b"HTTP/1.1 100 Continue\r\n\r\n");
        let req = match conn.read_request(send_continue) {
            Ok(req) => req,
            Err(ReadError::Closed) => return,
            Err(ReadError::Bad(resp)) => {
                let _ = resp.write_to(&mut writer, true, false);
                drain_and_close(&mut writer);
                return;
            }
        };
        match dispatch::handle(shared, &req) {
            Outcome::Reply(resp) => {
                let close = resp.close || !req.keep_alive || shared.is_shutdown();
                let head_only = req.method.eq_ignore_ascii_case("HEAD");
                if resp.write_to(&mut writer, close, head_only).is_err() || close {
                    let _ = writer.shutdown(Shutdown::Write);
                    return;
                }
            }
            Outcome::Reset => {
                reset(&writer);
                return;
            }
        }
    }
}

/// Closes with SO_LINGER 0 so the peer sees a TCP reset.
fn reset(stream: &TcpStream) {
    let _ = socket2::SockRef::from(stream).set_linger(Some(Duration::ZERO));
    let _ = stream.shutdown(Shutdown::Read);
}

/// After an error reply, reads (and discards) what the client still sends for a moment,
/// so that it sees the reply rather than a reset.
fn drain_and_close(stream: &mut TcpStream) {
    let _ = stream.flush();
    let _ = stream.shutdown(Shutdown::Write);
    let _ = stream.set_read_timeout(Some(Duration::from_millis(500)));
    let mut buf = [0u8; 16 * 1024];
    let mut left: usize = 8 << 20;
    while left > 0 {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => left = left.saturating_sub(n),
        }
    }
}

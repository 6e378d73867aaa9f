//! The read and write timeouts of an open connection's socket, set before each statement
//! to what is left of the call's bound (the driver only sets them when it connects).

use std::io;
use std::os::fd::AsRawFd;
use std::time::Duration;

/// Sets `SO_RCVTIMEO` and `SO_SNDTIMEO` of the socket under `conn` (TCP or Unix) to
/// `timeout`, at least 1 ms: a zero timeout would mean "wait forever" to the kernel.
pub fn set_timeouts(conn: &impl AsRawFd, timeout: Duration) -> io::Result<()> {
    let timeout = timeout.max(Duration::from_millis(1));
    let value = libc::timeval {
        tv_sec: libc::time_t::try_from(timeout.as_secs()).unwrap_or(libc::time_t::MAX),
        tv_usec: libc::suseconds_t::from(timeout.subsec_micros() as i32),
    };
    let fd = conn.as_raw_fd();
    for option in [libc::SO_RCVTIMEO, libc::SO_SNDTIMEO] {
        // SAFETY: `fd` is the open socket of a live connection borrowed for this call; `value`
        // is an initialized timeval and the length passed is its size.
        let result = unsafe {
            libc::setsockopt(
                fd,
                libc::SOL_SOCKET,
                option,
                (&value as *const libc::timeval).cast(),
                std::mem::size_of::<libc::timeval>() as libc::socklen_t,
            )
        };
        if result != 0 {
            return Err(io::Error::last_os_error());
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;
    use std::net::{TcpListener, TcpStream};
    use std::time::Instant;

    #[test]
    fn a_read_on_a_silent_peer_ends_at_the_timeout_set() {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let mut client = TcpStream::connect(listener.local_addr().expect("addr")).expect("connect");
        let _server = listener.accept().expect("accept");
        set_timeouts(&client, Duration::from_millis(150)).expect("set");
        // The kernel keeps it in clock ticks (up to 10 ms).
        let set = client
            .read_timeout()
            .expect("read back")
            .expect("a timeout");
        assert!(
            set >= Duration::from_millis(150) && set <= Duration::from_millis(160),
            "{set:?}"
        );
        let started = Instant::now();
        let e = client.read(&mut [0u8; 1]).expect_err("nothing to read");
        assert!(matches!(
            e.kind(),
            io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
        ));
        assert!(started.elapsed() < Duration::from_secs(3));
        set_timeouts(&client, Duration::ZERO).expect("zero is clamped");
        let set = client.read_timeout().expect("read back");
        assert!(
            set.is_some_and(|t| t > Duration::ZERO && t <= Duration::from_millis(10)),
            "zero would mean no timeout: {set:?}"
        );
    }
}

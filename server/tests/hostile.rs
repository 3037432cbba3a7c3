//! A hostile network, on loopback: idle connections by the thousand, bodies that trickle,
//! headers that never end, and a shutdown with requests in flight. The server keeps answering
//! others, frees what it holds, and stops within its deadline. Bounded in time; loopback only
//! (127.0.0.2 plays the attacker: all of 127/8 is this machine).

mod common;

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpSocket, TcpStream};
use veilig_server::listen::Limits;

async fn from(local: &str, to: SocketAddr) -> std::io::Result<TcpStream> {
    let socket = TcpSocket::new_v4()?;
    socket.bind(format!("{local}:0").parse().unwrap())?;
    socket.connect(to).await
}

async fn health_in(base: &str) -> Duration {
    let t = Instant::now();
    let res = reqwest::Client::builder()
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap()
        .get(format!("{base}/api/health"))
        .send()
        .await
        .expect("health answers");
    assert_eq!(res.status(), 200);
    t.elapsed()
}

/// Whether the server closed this connection (read gives end of stream or a reset) within
/// `wait`.
async fn closed_within(stream: &mut TcpStream, wait: Duration) -> bool {
    let mut buf = [0u8; 64];
    match tokio::time::timeout(wait, stream.read(&mut buf)).await {
        Ok(Ok(0)) | Ok(Err(_)) => true,
        Ok(Ok(_)) => true,
        Err(_) => false,
    }
}

async fn server(limits: Limits) -> (common::Server, tempfile::TempDir, tempfile::TempDir) {
    let dist = tempfile::tempdir().unwrap();
    common::dist(dist.path());
    let data = tempfile::tempdir().unwrap();
    let mut config = common::config(dist.path(), data.path(), 0);
    config.limits = limits;
    (common::start_with(config).await, dist, data)
}

#[tokio::test]
async fn two_thousand_idle_connections_and_two_hundred_slow_bodies_do_not_stop_health() {
    let limits = Limits {
        max_per_address: 256,
        header_timeout: Duration::from_secs(30),
        ..Limits::default()
    };
    let (server, _dist, _data) = server(limits).await;
    let addr: SocketAddr = server.base.trim_start_matches("http://").parse().unwrap();

    // 200 requests whose body never finishes, from one address.
    let mut slow = Vec::new();
    for _ in 0..200 {
        let mut s = from("127.0.0.2", addr).await.unwrap();
        s.write_all(b"POST /api/v1/devices/enroll HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{\"code\":")
            .await
            .unwrap();
        slow.push(s);
    }
    // 2,000 idle connections from the same address: all but its cap are closed at once.
    let mut idle = Vec::new();
    for _ in 0..2000 {
        if let Ok(s) = from("127.0.0.2", addr).await {
            idle.push(s);
        }
    }
    // Let the server's accept loop reach the last of them.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let mut closed = 0;
    for s in idle.iter_mut() {
        if closed_within(s, Duration::from_millis(2)).await {
            closed += 1;
        }
    }
    assert!(
        closed >= 2000 - 56,
        "the address's connections over its cap are closed: {closed}"
    );
    // Everyone else is served at once.
    for _ in 0..5 {
        let took = health_in(&server.base).await;
        assert!(took < Duration::from_secs(1), "health took {took:?}");
    }
    drop(slow);
    drop(idle);
    server.stop().await;
}

#[tokio::test]
async fn headers_that_never_end_are_cut_off() {
    let limits = Limits {
        header_timeout: Duration::from_millis(500),
        ..Limits::default()
    };
    let (server, _dist, _data) = server(limits).await;
    let addr: SocketAddr = server.base.trim_start_matches("http://").parse().unwrap();
    let mut s = TcpStream::connect(addr).await.unwrap();
    s.write_all(b"GET /api/health HTTP/1.1\r\nhost: x\r\nx-slow: ")
        .await
        .unwrap();
    assert!(
        closed_within(&mut s, Duration::from_secs(3)).await,
        "closed after the header timeout"
    );
    let mut quiet = TcpStream::connect(addr).await.unwrap();
    assert!(
        closed_within(&mut quiet, Duration::from_secs(3)).await,
        "a connection that says nothing is closed too"
    );
    server.stop().await;
}

#[tokio::test]
async fn shutdown_waits_for_requests_in_flight_up_to_its_deadline() {
    let limits = Limits {
        shutdown_deadline: Duration::from_millis(800),
        ..Limits::default()
    };
    let (server, _dist, _data) = server(limits).await;
    let addr: SocketAddr = server.base.trim_start_matches("http://").parse().unwrap();
    // A request in flight that never finishes its body.
    let mut s = TcpStream::connect(addr).await.unwrap();
    s.write_all(b"POST /api/v1/devices/enroll HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{")
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(100)).await;
    let t = Instant::now();
    let ended = server.shutdown().await;
    let took = t.elapsed();
    assert!(matches!(ended, Some(Ok(()))));
    assert!(
        took >= Duration::from_millis(700),
        "it waited for the request: {took:?}"
    );
    assert!(
        took < Duration::from_secs(3),
        "and stopped at the deadline: {took:?}"
    );
    drop(s);
}

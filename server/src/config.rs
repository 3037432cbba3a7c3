//! Server settings: flags first, then environment variables, then defaults.

use std::net::IpAddr;
use std::path::PathBuf;

#[derive(Debug, Clone, clap::Args)]
#[command(
    name = "veilig-server",
    about = "Serves the Veilig PWA and its sync API"
)]
pub struct Config {
    /// Address to listen on. The default keeps the server private to this machine.
    #[arg(long, global = true, env = "VEILIG_BIND", default_value = "127.0.0.1")]
    pub bind: IpAddr,

    /// TCP port (0 picks a free one, which is printed).
    #[arg(long, global = true, env = "VEILIG_PORT", default_value_t = 8080)]
    pub port: u16,

    /// Folder for the SQLite database; created when missing.
    #[arg(long, global = true, env = "VEILIG_DATA_DIR", default_value = "data")]
    pub data_dir: PathBuf,

    /// Folder with the built PWA (Trunk's output).
    #[arg(long, global = true, env = "VEILIG_DIST_DIR", default_value = "dist")]
    pub dist_dir: PathBuf,

    /// The address people use to reach the server, e.g. `https://veilig.example.nl` behind a
    /// proxy that terminates TLS. Used for the links it prints and shows (setup, enrollment
    /// QR codes); an `https://` address also makes the cookies `Secure` with the `__Host-`
    /// prefix. Without it: `http://<bind>:<port>`.
    #[arg(long, global = true, env = "VEILIG_PUBLIC_URL")]
    pub public_url: Option<String>,

    /// Log every detail (debug level, also of the HTTP layers). The log never holds a body,
    /// a field value, a cookie or an address as sent, at any level.
    #[arg(long, global = true, env = "VEILIG_VERBOSE")]
    pub verbose: bool,

    /// Test only: the server's clock runs this many days ahead (aftercare tasks falling due,
    /// sessions expiring). Hidden from `--help`; never set it on a real server.
    #[arg(
        long,
        global = true,
        env = "VEILIG_TEST_CLOCK_OFFSET_DAYS",
        hide = true,
        default_value_t = 0
    )]
    pub test_clock_offset_days: i64,

    /// Where to send the e-mail that says something waits in the workspace (`host:port` of an
    /// SMTP relay, plain SMTP on the organisation's network). Without it, no e-mail is sent.
    #[arg(long, global = true, env = "VEILIG_SMTP")]
    pub smtp: Option<String>,

    /// The sender of those e-mails.
    #[arg(
        long,
        global = true,
        env = "VEILIG_MAIL_FROM",
        default_value = "veilig@localhost"
    )]
    pub mail_from: String,

    /// Connection caps and timeouts (`listen.rs`); fixed defaults, changed by tests.
    #[arg(skip)]
    pub limits: crate::listen::Limits,

    /// For tests only, never a flag: the most pages the server's database may hold (SQLite's
    /// `PRAGMA max_page_count`), so that a full disk can be tested where no small filesystem
    /// can be mounted (`server/tests/full_disk.rs`). `None`: as large as the disk allows.
    #[arg(skip)]
    pub max_page_count: Option<u32>,
}

impl Config {
    pub fn secure_cookies(&self) -> bool {
        self.public_url
            .as_deref()
            .is_some_and(|u| u.starts_with("https://"))
    }
}

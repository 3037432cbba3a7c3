//! Server settings: flags first, then environment variables, then defaults.

use std::net::IpAddr;
use std::path::PathBuf;

use clap::Parser;

#[derive(Debug, Clone, Parser)]
#[command(
    name = "veilig-server",
    about = "Serves the Veilig PWA and its sync API"
)]
pub struct Config {
    /// Address to listen on. The default keeps the server private to this machine.
    #[arg(long, env = "VEILIG_BIND", default_value = "127.0.0.1")]
    pub bind: IpAddr,

    /// TCP port (0 picks a free one, which is printed).
    #[arg(long, env = "VEILIG_PORT", default_value_t = 8080)]
    pub port: u16,

    /// Folder for the SQLite database; created when missing.
    #[arg(long, env = "VEILIG_DATA_DIR", default_value = "data")]
    pub data_dir: PathBuf,

    /// Folder with the built PWA (Trunk's output).
    #[arg(long, env = "VEILIG_DIST_DIR", default_value = "dist")]
    pub dist_dir: PathBuf,

    /// Bearer token that may read received reports (until accounts and roles exist).
    /// Without it, reading reports is switched off.
    #[arg(long, env = "VEILIG_ADMIN_TOKEN", hide_env_values = true)]
    pub admin_token: Option<String>,
}

use clap::Parser;
use veilig_server::{prepare, serve, Config};

#[tokio::main]
async fn main() -> std::process::ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "veilig_server=info".into()),
        )
        .init();
    let config = Config::parse();
    let prepared = match prepare(&config).await {
        Ok(prepared) => prepared,
        Err(err) => {
            eprintln!("veilig-server: {err}");
            return std::process::ExitCode::FAILURE;
        }
    };
    // The line scripts and people look for; keep its shape.
    println!("Veilig draait op http://{}/", prepared.addr);
    if let Err(err) = serve(prepared, shutdown_signal()).await {
        eprintln!("veilig-server: {err}");
        return std::process::ExitCode::FAILURE;
    }
    println!("veilig-server: stopped");
    std::process::ExitCode::SUCCESS
}

/// Ctrl-C or SIGTERM (what `kill` and service managers send).
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut sig) => {
                sig.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}

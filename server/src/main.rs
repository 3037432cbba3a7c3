use clap::Parser;
use veilig_server::cli::{self, Cli, Command};
use veilig_server::{prepare, serve};

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let Cli { config, command } = Cli::parse();
    let level = if config.verbose {
        "veilig_server=trace,tower_http=trace,axum=trace"
    } else {
        "veilig_server=info"
    };
    // The log goes to standard error; standard output carries only the lines people and
    // scripts look for (the address, the setup address, the subcommands' answers).
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| level.into()),
        )
        .init();
    match command {
        None | Some(Command::Serve) => {}
        Some(command) => {
            return match cli::run(&config, command) {
                Ok(out) => {
                    println!("{out}");
                    std::process::ExitCode::SUCCESS
                }
                Err(err) => {
                    eprintln!("veilig-server: {err}");
                    std::process::ExitCode::FAILURE
                }
            };
        }
    }
    let prepared = match prepare(&config).await {
        Ok(prepared) => prepared,
        Err(err) => {
            eprintln!("veilig-server: {err}");
            return std::process::ExitCode::FAILURE;
        }
    };
    // The line scripts and people look for; keep its shape.
    println!("Veilig draait op http://{}/", prepared.addr);
    if let Some(url) = &prepared.setup_url {
        println!("Er is nog geen beheerder. Maak die eenmalig op: {url}");
    }
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

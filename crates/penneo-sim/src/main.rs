//! `penneo-sim` binary.

use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Parser, ValueEnum};
use penneo_sim::{Seed, SignerStatusScheme, Sim, SimConfig};

#[derive(Clone, Copy, ValueEnum)]
enum SchemeArg {
    /// 0 new, 1 pending, 2 rejected, 3 deleted, 4 signed, 5 undeliverable (Penneo's SDKs).
    Sdk,
    /// 0 sent, 1 request opened, 2 opened, 3 signed, 4 rejected (Penneo's Postman collection).
    Postman,
}

#[derive(Clone, Copy, ValueEnum)]
enum SeedArg {
    Demo,
    Empty,
}

/// A stateful local simulator of the Penneo API.
#[derive(Parser)]
#[command(name = "penneo-sim", version)]
struct Args {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8719")]
    listen: SocketAddr,
    /// Initial data when the state is new.
    #[arg(long, value_enum, default_value = "empty")]
    seed: SeedArg,
    /// Persist all state to this file (atomically).
    #[arg(long = "state")]
    state: Option<PathBuf>,
    /// Simulated duration of a Send job (ms).
    #[arg(long = "job-delay-ms", default_value_t = 2000)]
    job_delay_ms: u64,
    /// Approve OAuth authorization requests without showing the consent page.
    #[arg(long = "auto-approve")]
    auto_approve: bool,
    /// Register an OAuth client with one exact redirect URI, `ID:SECRET:REDIRECT_URI`
    /// (repeatable). Any other redirect URI gets the OAuth error page, as at Penneo.
    #[arg(long = "client", value_name = "ID:SECRET:REDIRECT_URI", value_parser = parse_client)]
    clients: Vec<penneo_sim::state::RegisteredClient>,
    /// How signer statuses (`signingRequest.status`) are numbered.
    #[arg(long = "signer-status-scheme", value_enum, default_value = "sdk")]
    signer_status_scheme: SchemeArg,
}

fn parse_client(s: &str) -> Result<penneo_sim::state::RegisteredClient, String> {
    penneo_sim::state::RegisteredClient::parse(s)
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .with_writer(std::io::stderr)
        .init();
    let args = Args::parse();
    let config_clients: Vec<(String, String)> = args
        .clients
        .iter()
        .map(|c| (c.id.clone(), c.redirect_uri.clone()))
        .collect();
    let config = SimConfig {
        listen: args.listen,
        seed: match args.seed {
            SeedArg::Demo => Seed::Demo,
            SeedArg::Empty => Seed::Empty,
        },
        state_file: args.state,
        job_delay_ms: args.job_delay_ms,
        auto_approve: args.auto_approve,
        clients: args.clients,
        signer_status_scheme: match args.signer_status_scheme {
            SchemeArg::Sdk => SignerStatusScheme::Sdk,
            SchemeArg::Postman => SignerStatusScheme::Postman,
        },
    };
    let sim = match Sim::start(config).await {
        Ok(s) => s,
        Err(e) => {
            eprintln!("penneo-sim: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "penneo-sim listening on {}", sim.base_url());
    let _ = writeln!(
        out,
        "  OAuth client: {} / {}   API key: {} / {}   user: {} <{}>",
        penneo_sim::DEMO_CLIENT_ID,
        penneo_sim::DEMO_CLIENT_SECRET,
        penneo_sim::DEMO_API_KEY,
        penneo_sim::DEMO_API_SECRET,
        penneo_sim::DEMO_USER_NAME,
        penneo_sim::DEMO_USER_EMAIL
    );
    for c in &config_clients {
        let _ = writeln!(
            out,
            "  OAuth client: {} (redirect URI exactly {})",
            c.0, c.1
        );
    }
    let _ = out.flush();
    drop(out);
    wait_for_signal().await;
    sim.shutdown().await;
    std::process::ExitCode::SUCCESS
}

async fn wait_for_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

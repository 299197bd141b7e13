//! `nearmiss user`: staff account management.

use std::io::{BufRead, IsTerminal};
use std::process::ExitCode;

use anyhow::{bail, Context};
use clap::{Subcommand, ValueEnum};
use nearmiss_app::Actor;
use nearmiss_core::Role;

use crate::DataArgs;

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum RoleArg {
    Analyst,
    Admin,
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create a staff account. The password is read from standard input, or prompted for
    /// without echo on a terminal.
    Add {
        #[command(flatten)]
        data: DataArgs,
        #[arg(long)]
        username: String,
        #[arg(long, value_enum)]
        role: RoleArg,
    },
    /// Remove an account's TOTP secret and end its sessions, for a staff member who lost the
    /// device. The account enrols again at its next sign-in.
    ResetTotp {
        #[command(flatten)]
        data: DataArgs,
        #[arg(long)]
        username: String,
    },
}

fn read_password() -> anyhow::Result<String> {
    if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password("Password: ").context("cannot read the password")?;
        let second = rpassword::prompt_password("Repeat password: ").context("cannot read the password")?;
        if first != second {
            bail!("the two passwords differ");
        }
        return Ok(first);
    }

    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .context("cannot read the password from standard input")?;
    Ok(line.trim_end_matches(['\r', '\n']).to_owned())
}

pub async fn run(command: UserCommand) -> anyhow::Result<ExitCode> {
    match command {
        UserCommand::Add { data, username, role } => {
            let role = match role {
                RoleArg::Analyst => Role::Analyst,
                RoleArg::Admin => Role::Admin,
            };
            let password = read_password()?;
            let app = data.open().await?;
            let user = app.add_user(Actor::Operator, &username, role, &password).await?;
            println!("created {} account {}", role.as_str(), user.username);
            Ok(ExitCode::SUCCESS)
        }
        UserCommand::ResetTotp { data, username } => {
            let app = data.open().await?;
            let user = app.reset_totp(Actor::Operator, &username).await?;
            println!(
                "reset TOTP of {}: the account enrols again at its next sign-in",
                user.username
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}

//! A connection from the resolved credentials. Only plain connections are built in, so a
//! TLS requirement is refused up front rather than failing in the handshake.

use crate::diagnostics::Problem;
use crate::failure::Failure;
use crate::settings::{Credentials, Ssl};
use crate::values::SslMode;

/// Connects with `credentials`, naming the session `application` for `pg_stat_activity`.
pub(crate) fn connect(
    credentials: Option<&Credentials>,
    application: &str,
) -> Result<postgres::Client, Failure> {
    let Some(credentials) = credentials else {
        return Err(Failure::rejected(
            "the database connection",
            vec![
                Problem::new("no database to read: no URL or credentials are configured")
                    .with_help("pass `--url postgres://user:password@host:5432/db`, add `[db_credentials]` to drizzle.toml, or set DATABASE_URL"),
            ],
        ));
    };
    let mut config = match credentials {
        // The error never repeats the URL: it usually holds a password.
        Credentials::Url(url) => url
            .parse::<postgres::Config>()
            .map_err(|e| refused(Problem::new(format!("the database URL is not valid: {e}"))))?,
        Credentials::Params {
            host,
            port,
            user,
            password,
            database,
            ssl,
        } => {
            let mut c = postgres::Config::new();
            c.host(host).port(port.unwrap_or(5432)).dbname(database);
            if let Some(user) = user {
                c.user(user);
            }
            if let Some(password) = password {
                c.password(password);
            }
            let needs_tls = matches!(
                ssl,
                Some(Ssl::Enabled(true) | Ssl::Mode(SslMode::Require | SslMode::VerifyFull))
            );
            if needs_tls {
                return Err(refused(
                    Problem::new("TLS connections are not supported by this drizzle-kit build")
                        .with_help("set `ssl = \"prefer\"` or `ssl = false`, or connect through a TLS-terminating proxy"),
                ));
            }
            c
        }
    };
    if config.get_application_name().is_none() {
        config.application_name(application);
    }
    config.connect(postgres::NoTls).map_err(|e| {
        refused(Problem::new(format!(
            "cannot connect to the database: {}",
            drizzle_migrate::DatabaseMessage::from_error(&e)
        )))
    })
}

fn refused(problem: Problem) -> Failure {
    Failure::rejected("the database connection", vec![problem])
}

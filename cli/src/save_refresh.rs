//! `exchange --refresh-token -`: saves tokens from a refresh token read from stdin, e.g.
//! the lines printed when Zoho's tokens could not be saved (see `unsaved.rs`).

use std::io::Read;

use crate::cli::ExchangeArgs;
use crate::config::Settings;
use crate::exit::Failure;
use crate::output::Output;
use crate::unsaved::{Input, parse};
use crate::{prompt, session};

/// The most stdin `--refresh-token -` reads: far more than the printed lines need.
const MAX_INPUT: u64 = 64 * 1024;

/// `exchange --refresh-token -`: refreshes at Zoho with a refresh token read from stdin
/// (or asked for without echo on a terminal) and saves the tokens under the user.
pub fn save_from_refresh_token(
    args: &ExchangeArgs,
    settings: &Settings,
    out: Output,
) -> Result<(), Failure> {
    if args.refresh_token.as_deref() != Some("-") {
        return Err(Failure::usage("--refresh-token takes only `-`").with_hint(
            "a token on the command line is visible to other users in `ps`; pipe it in: zoho-oauth exchange --refresh-token - < saved.txt",
        ));
    }
    if args.grant_token.is_some() {
        return Err(Failure::usage(
            "give either --grant-token or --refresh-token, not both",
        ));
    }
    let input = read_input()?;
    let refresh_token = input.refresh_token.clone().ok_or_else(|| {
        Failure::usage("no refresh token was given on stdin").with_hint(
            "pipe in the lines printed when the tokens were not saved, or the refresh token alone",
        )
    })?;
    let user = args
        .user
        .clone()
        .or_else(|| input.user.clone())
        .or_else(|| settings.current_user().map(str::to_string))
        .ok_or_else(|| {
            Failure::usage("--user is needed: whom should the tokens be saved under?")
        })?;
    let client = settings.client(issuing_config(settings, &input)?)?;
    let tokens = client.generate_access_token_from_refresh_token(&refresh_token, &user)?;
    session::report_saved(out, &client, &tokens, None);
    Ok(())
}

/// Reads the input: a no-echo prompt on a terminal, else all of stdin (bounded).
fn read_input() -> Result<Input, Failure> {
    if let Some(line) = prompt::secret("Refresh token: ") {
        let line =
            line.map_err(|e| Failure::usage(format!("cannot read the refresh token: {e}")))?;
        return Ok(parse(&line));
    }
    let mut text = String::new();
    std::io::stdin()
        .take(MAX_INPUT)
        .read_to_string(&mut text)
        .map_err(|e| Failure::usage(format!("cannot read the refresh token from stdin: {e}")))?;
    Ok(parse(&text))
}

/// The configuration, pointed at the accounts server that issued the tokens when the input
/// names one and it is trusted (a refresh token works only there).
fn issuing_config(settings: &Settings, input: &Input) -> Result<zoho_oauth::Config, Failure> {
    let config = settings.client_config()?;
    Ok(session::routed(
        config,
        input.accounts_url.as_deref(),
        "the input names",
    ))
}

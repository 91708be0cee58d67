//! `/errmedic dashboard`: a private link to this server's dashboard, signed for this server and
//! valid for `ERRMEDIC_DASHBOARD_HOURS` (staff only). The link is never logged.

use crate::dashboard::{tables::when, token};
use crate::discord::handlers::checks::staff_only;
use crate::discord::io::send::private_reply;
use crate::discord::state::{Context, Error};
use crate::text::dates::unix_now;

/// A link to this server's dashboard (staff only; private)
#[poise::command(slash_command, rename = "dashboard", check = "staff_only", guild_only)]
pub async fn dashboard(ctx: Context<'_>) -> Result<(), Error> {
    let Some(guild) = ctx.guild_id() else {
        return Ok(());
    };
    ctx.defer_ephemeral().await?;
    let data = ctx.data();
    let (Some(base), Some(_)) = (&data.config.public_url, data.config.http_addr) else {
        ctx.send(private_reply(NOT_SET_UP)).await?;
        return Ok(());
    };
    let key = match data.pages.key().await {
        Ok(k) => k,
        Err(e) => {
            tracing::warn!(error = %format!("{e:#}"), "no dashboard key");
            ctx.send(private_reply(NO_KEY)).await?;
            return Ok(());
        }
    };
    let hours = data.config.dashboard_hours;
    let expires = unix_now() + hours as i64 * 3600;
    let link = format!("{base}/d/{}", token::sign(&key, guild.get(), expires));
    ctx.send(private_reply(&text(&link, hours, expires)))
        .await?;
    tracing::info!(guild = %guild, hours, "gave a dashboard link");
    Ok(())
}

const NOT_SET_UP: &str = "The dashboard is not set up on this bot: its operator sets `ERRMEDIC_HTTP_ADDR` and `ERRMEDIC_PUBLIC_URL` (see the README, \"Operating it\").";
const NO_KEY: &str =
    "I cannot make a dashboard link right now: my record cannot be read. Try again in a minute.";

/// What the staff member is told.
fn text(link: &str, hours: u64, expires: i64) -> String {
    format!(
        "This server's dashboard: {link}\nValid for {hours} h (until {} UTC). Whoever has the link sees this server's dashboard: keep it among staff. Ask again for a new one.",
        when(expires)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reply_gives_the_link_and_its_expiry() {
        let t = text("https://x.example/d/1.2.ab", 24, 86_400 * 2);
        assert!(t.contains("https://x.example/d/1.2.ab\n"));
        assert!(t.contains("until 1970-01-03 00:00 UTC"));
    }
}

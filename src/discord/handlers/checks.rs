//! Who may run a command: staff of the server (Manage Server, or its staff role), and the
//! bot's operators (the application's owners, or staff of the home server) for what every
//! server shares. poise runs these checks before the command.

use crate::discord::decide::policy;
use crate::discord::state::{Context, Error};

/// The staff check of staff-only commands (poise runs it on every call): Manage Server, or
/// the staff role.
pub(super) async fn staff_only(ctx: Context<'_>) -> Result<bool, Error> {
    let member = ctx.author_member().await;
    // While the server's settings cannot be read, its staff role is unknown: Manage Server only.
    let role = ctx
        .data()
        .settings_for_checks(ctx.guild_id())
        .await
        .and_then(|s| s.staff_role);
    Ok(policy::member_is_staff(member.as_deref(), role))
}

/// The commands that change or read what every server shares (the knowledge base, drafts):
/// for the bot's operators only (see [`operators_only`]).
pub const OPERATOR_COMMANDS: [&str; 3] = ["kb reload", "kb draft", "kb drafts"];

/// The operators' check: the application's owners, or staff of the home server.
pub(super) async fn operators_only(ctx: Context<'_>) -> Result<bool, Error> {
    let staff = staff_only(ctx).await?;
    Ok(ctx
        .data()
        .is_operator(ctx.author().id, ctx.guild_id(), staff))
}

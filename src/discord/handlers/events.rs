//! Gateway events the bot acts on, routed to their handlers: messages (`messages`) and button
//! clicks (`clicks`). Commands are routed by poise.

use poise::serenity_prelude as serenity;
use serenity::FullEvent;

use crate::discord::handlers::clicks;
use crate::discord::handlers::messages;
use crate::discord::state::Data;
use crate::discord::state::Error;

/// Routes the events the bot acts on.
pub async fn handle(
    fctx: poise::FrameworkContext<'_, Data, Error>,
    event: &FullEvent,
) -> Result<(), Error> {
    let (ctx, data) = (fctx.serenity_context, fctx.user_data);
    match event {
        FullEvent::Message { new_message } => {
            messages::created(ctx, data, fctx.bot_id(), new_message).await
        }
        FullEvent::MessageUpdate { event, .. } => {
            messages::edited(ctx, data, fctx.bot_id(), event).await
        }
        FullEvent::MessageDelete {
            deleted_message_id, ..
        } => messages::deleted(ctx, data, *deleted_message_id).await,
        FullEvent::ThreadDelete { thread, .. } => {
            crate::discord::handlers::escalate::closed_without_thread(data, thread.id).await;
            Ok(())
        }
        FullEvent::InteractionCreate {
            interaction: serenity::Interaction::Component(click),
        } => clicks::clicked(ctx, data, click).await,
        _ => Ok(()),
    }
}

//! Escalation threads, carried out: opening one per conversation at a time, and closing it
//! (what they say and where they go is decided in `decide::escalation`). Every escalation
//! path (buttons, `/escalate`, the Close button, `/resolve`) goes through [`open`] and
//! [`close`].

use crate::ops::metrics::Escalation as Event;
use poise::serenity_prelude as serenity;
use serenity::{
    ChannelId, ChannelType, CreateAllowedMentions, CreateMessage, CreateThread, EditThread,
    GuildId, RoleId, UserId,
};

use crate::discord::decide::conversation::Conversation;
use crate::discord::decide::escalation::{place, summary, thread_name, Closed, Opened, Place};
use crate::discord::decide::limits;
use crate::discord::decide::present;
use crate::discord::io::send;
use crate::discord::state::Data;
use crate::store::{Claim, ClaimToken, Escalation};
use crate::text::words::cut;

/// A request to escalate a conversation.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    /// The record's key of the conversation (see `memory::escalation_key`).
    pub key: &'a str,
    pub conversation: &'a Conversation,
    pub reporter: UserId,
    /// What the reporter added.
    pub note: Option<&'a str>,
    /// The server, whose settings say where the thread goes and whom it pings.
    pub guild: Option<GuildId>,
    /// The entry whose answer did not help (the button clicked), if any.
    pub entry: Option<&'a str>,
}

/// Opens the escalation thread for a conversation, or returns the one already open. One
/// conversation's escalation is opened one request at a time (two clicks at once open one
/// thread: a lock in this process, a claim in the record across processes), and the record
/// allows one open escalation per conversation; a closed one can be
/// escalated again, and the record keeps both. Posts the summary, adds the reporter and pings
/// the support role.
pub async fn open(http: &serenity::Http, data: &Data, r: Request<'_>) -> anyhow::Result<Opened> {
    data.escalation_locks
        .run(r.key.to_string(), open_or_link(http, data, r))
        .await
}

async fn open_or_link(
    http: &serenity::Http,
    data: &Data,
    r: Request<'_>,
) -> anyhow::Result<Opened> {
    let settings = data.settings(r.guild).await;
    let claim = match claim_live(http, data, r.key, r.reporter).await? {
        Claimed::Open(thread) => return Ok(Opened::Existing(thread)),
        Claimed::Ours(token) => Some(token),
        Claimed::NoRecord => None,
    };
    // At most one new escalation per reporter and server within the interval: the support role
    // cannot be spammed. Linking to an open thread (above) is not limited.
    if let Some(wait) = data.escalation_too_soon(r.guild, r.reporter) {
        abandon(data, claim).await;
        return Ok(Opened::TooSoon(wait));
    }
    let created = tokio::time::timeout(
        THREAD_WAIT,
        create_thread(http, settings.escalation_channel, r.conversation),
    )
    .await
    .unwrap_or_else(|_| {
        Err(anyhow::anyhow!(
            "Discord took over {THREAD_WAIT:?} to create the thread"
        ))
    });
    let thread = match created {
        Ok(t) => t,
        Err(e) => {
            abandon(data, claim).await;
            return Err(e);
        }
    };
    // Recorded before anyone can see the thread, so that a quick `/resolve` finds it.
    let text = summary(r.conversation, r.reporter, r.note);
    record_thread(data, claim, &r, thread, &text).await;
    if let Err(e) = thread.add_thread_member(http, r.reporter).await {
        tracing::warn!(error = %e, thread = %thread, "could not add the reporter to the thread");
    }
    post_summary(http, thread, text, settings.support_role).await?;
    data.metrics.escalation(Event::Opened);
    Ok(Opened::New(thread))
}

/// Claims the conversation's escalation in the record: of two requests at once — in this
/// process or in another that shares the record — exactly one creates the thread (without a
/// record, this process's lock is all there is). An open escalation whose thread was deleted
/// (while the bot was away, say) is closed, and claimed anew.
async fn claim_live(
    http: &serenity::Http,
    data: &Data,
    key: &str,
    reporter: UserId,
) -> anyhow::Result<Claimed> {
    let claimed = claim(data, key, reporter).await?;
    match claimed {
        Claimed::Open(thread) if thread_gone(http, thread).await => {
            closed_without_thread(data, thread).await;
            claim(data, key, reporter).await
        }
        other => Ok(other),
    }
}

/// Gives a claim up (no thread was made for it).
async fn abandon(data: &Data, claim: Option<ClaimToken>) {
    if let Some(token) = claim {
        data.record(move |s| s.abandon_claim(&token)).await;
    }
}

/// Records the escalation's thread, then what a draft needs of it. The thread exists: recording
/// it is retried, so that the escalation does not stay claimed without its thread (a claim
/// left so is taken over after `STALE_CLAIM_SECS`).
async fn record_thread(
    data: &Data,
    claim: Option<ClaimToken>,
    r: &Request<'_>,
    thread: ChannelId,
    summary: &str,
) {
    let record = Escalation {
        conversation: r.key.to_string(),
        thread_id: thread.get().to_string(),
        reporter: r.reporter.get().to_string(),
        // Built from redacted text only: the conversation's, and the note read by
        // `read::user_text`.
        summary: summary.to_string(),
        closed: false,
        guild: r.guild.map(|g| g.get()),
        entry: r.entry.map(str::to_string),
    };
    let opened = retried(|| {
        let (claim, record) = (claim.clone(), record.clone());
        data.record(move |s| match claim {
            Some(token) => s.escalation_opened(&token, &record),
            None => s.open_escalation(&record).map(|()| true),
        })
    })
    .await;
    match opened {
        // Only when creating the thread outlasted a stale claim's limit.
        Some(false) => {
            tracing::error!(thread = %thread, "the claim on this escalation was taken over; the thread is not recorded")
        }
        None => {
            tracing::error!(thread = %thread, "the escalation's thread was created but could not be recorded; its claim lapses and the conversation can be escalated again")
        }
        Some(true) => {
            let c = r.conversation;
            let details = retried(|| {
                let (thread, original) = (thread.get().to_string(), c.text.clone());
                let (codes, products) = (c.codes.clone(), c.products.clone());
                data.record(move |s| s.escalation_details(&thread, &original, &codes, &products))
            })
            .await;
            if details.is_none() {
                tracing::warn!(thread = %thread, "what a draft needs of this escalation could not be recorded");
            }
        }
    }
}

/// Posts the summary in the thread, pinging the support role (the one ping the bot sends).
async fn post_summary(
    http: &serenity::Http,
    thread: ChannelId,
    text: String,
    support_role: Option<u64>,
) -> anyhow::Result<()> {
    let (content, mentions) = match support_role {
        Some(role) => (
            format!("<@&{role}>\n{text}"),
            CreateAllowedMentions::new().roles(vec![RoleId::new(role)]),
        ),
        None => (text, CreateAllowedMentions::new()),
    };
    let message = CreateMessage::new()
        .content(content)
        .allowed_mentions(mentions)
        .components(present::close_only());
    send::message(http, thread, message).await?;
    Ok(())
}

/// Runs `attempt` up to three times (waiting 250 ms, then 1 s) until it gives a value.
async fn retried<T, F: std::future::Future<Output = Option<T>>>(
    mut attempt: impl FnMut() -> F,
) -> Option<T> {
    for wait in [250, 1_000] {
        if let Some(v) = attempt().await {
            return Some(v);
        }
        tokio::time::sleep(std::time::Duration::from_millis(wait)).await;
    }
    attempt().await
}

/// Whether Discord says `thread` no longer exists (other failures: it is taken to exist).
async fn thread_gone(http: &serenity::Http, thread: ChannelId) -> bool {
    match http.get_channel(thread).await {
        Err(serenity::Error::Http(serenity::HttpError::UnsuccessfulRequest(r))) => {
            r.status_code.as_u16() == 404
        }
        _ => false,
    }
}

/// Closes the escalation of a thread that was deleted.
pub async fn closed_without_thread(data: &Data, thread: ChannelId) {
    let t = thread.get().to_string();
    if data
        .record(move |s| s.close_escalation(&t, "thread deleted"))
        .await
        == Some(true)
    {
        tracing::info!(thread = %thread, "an escalation's thread was deleted; the escalation is closed");
    }
}

/// The longest an escalation waits for Discord to create its thread (well within the time a
/// claim stays valid, `store::STALE_CLAIM_SECS`).
const THREAD_WAIT: std::time::Duration = std::time::Duration::from_secs(40);

/// What claiming a conversation's escalation in the record came to.
enum Claimed {
    /// This request creates the thread (the claim's token).
    Ours(ClaimToken),
    /// The conversation has this open thread.
    Open(ChannelId),
    /// There is no record to claim in.
    NoRecord,
}

/// How long a request waits for another (in any process) that is creating the same
/// conversation's thread: longer than that one may take ([`THREAD_WAIT`], then recording it).
const CLAIM_WAIT: std::time::Duration = std::time::Duration::from_secs(60);

async fn claim(data: &Data, key: &str, reporter: UserId) -> anyhow::Result<Claimed> {
    let deadline = tokio::time::Instant::now() + CLAIM_WAIT;
    let failing_until = tokio::time::Instant::now() + std::time::Duration::from_secs(5);
    let mut waiting = false;
    loop {
        let (owned, by) = (key.to_string(), reporter.get().to_string());
        match data.record(move |s| s.claim_escalation(&owned, &by)).await {
            None if !data.has_record() => return Ok(Claimed::NoRecord),
            // The record failed: asked again for a few seconds; then the escalation is opened
            // without the record's guard (answering matters more than a second thread).
            None => {
                if tokio::time::Instant::now() >= failing_until {
                    tracing::warn!(conversation = key, "the record did not answer; opening the escalation without its guard against a second thread");
                    return Ok(Claimed::NoRecord);
                }
                tokio::time::sleep(std::time::Duration::from_millis(250)).await;
            }
            Some(Claim::Claimed(token)) => return Ok(Claimed::Ours(token)),
            Some(Claim::Open(thread)) => {
                if let Some(t) = thread.parse::<u64>().ok().filter(|&t| t > 0) {
                    return Ok(Claimed::Open(ChannelId::new(t)));
                }
                anyhow::bail!(
                    "the record holds escalation thread `{thread}`, which is not a thread id"
                );
            }
            Some(Claim::Pending) => {
                if !waiting {
                    waiting = true;
                    tracing::info!(
                        conversation = key,
                        "another request is opening this escalation; waiting for its thread"
                    );
                }
                if tokio::time::Instant::now() >= deadline {
                    anyhow::bail!(
                        "another request has been opening this escalation for {CLAIM_WAIT:?}"
                    );
                }
                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            }
        }
    }
}

async fn create_thread(
    http: &serenity::Http,
    escalation_channel: Option<u64>,
    c: &Conversation,
) -> anyhow::Result<ChannelId> {
    let name = thread_name(c);
    let thread = match place(escalation_channel, c.channel, c.message) {
        Place::Channel(channel) => {
            let private = CreateThread::new(name.clone())
                .kind(ChannelType::PrivateThread)
                .invitable(false);
            match channel.create_thread(http, private).await {
                Ok(t) => t,
                Err(e) => {
                    tracing::info!(error = %e, "private thread refused; opening a public one");
                    let public = CreateThread::new(name).kind(ChannelType::PublicThread);
                    channel.create_thread(http, public).await?
                }
            }
        }
        Place::OnMessage(channel, message) => {
            match channel
                .create_thread_from_message(http, message, CreateThread::new(name.clone()))
                .await
            {
                Ok(t) => t,
                // The message has a thread already (an escalation closed before), or is in a
                // thread itself: a thread in the channel instead.
                Err(e) => {
                    tracing::info!(error = %e, "no thread on the message; opening one in the channel");
                    let public = CreateThread::new(name).kind(ChannelType::PublicThread);
                    channel.create_thread(http, public).await?
                }
            }
        }
        Place::InChannel(channel) => {
            let public = CreateThread::new(name).kind(ChannelType::PublicThread);
            channel.create_thread(http, public).await?
        }
    };
    Ok(thread.id)
}

/// Closes the escalation of `thread` with an outcome, and archives the thread when that was
/// recorded.
pub async fn close(
    http: &serenity::Http,
    data: &Data,
    thread: ChannelId,
    outcome: String,
) -> Closed {
    let closed = data
        .record(move |s| s.close_escalation(&thread.get().to_string(), &outcome))
        .await;
    match closed {
        Some(true) => {
            data.metrics.escalation(Event::Closed);
            if let Err(e) = thread
                .edit_thread(http, EditThread::new().archived(true))
                .await
            {
                tracing::warn!(error = %e, thread = %thread, "could not archive a closed escalation");
            }
            Closed::Recorded
        }
        Some(false) => Closed::NotOpen,
        None => Closed::Unavailable,
    }
}

/// Writes a draft entry from the escalation of `thread` into the knowledge base's `drafts/`,
/// and posts it in the thread as a `.json` attachment with the command that promotes it. Returns
/// what the member who asked is told.
pub async fn write_draft(
    http: &serenity::Http,
    data: &Data,
    thread: ChannelId,
) -> anyhow::Result<String> {
    let key = thread.get().to_string();
    let Some(source) = data
        .record(move |s| s.draft_source(crate::store::DraftKey::Thread(&key)))
        .await
        .flatten()
    else {
        return Ok(
            "This thread holds no escalation in the record, so there is nothing to draft from."
                .into(),
        );
    };
    let dir = data.config.kb_dir.clone();
    let written = tokio::task::spawn_blocking(move || {
        use crate::authoring::drafts;
        // Another draft may take the same id at the same time (another escalation, another
        // process): the ids are read again and the draft written under the next one.
        let mut tries = 0;
        loop {
            let mut ids = drafts::Ids::new(
                &drafts::published_ids(&dir),
                &drafts::existing(&dir.join("drafts")),
            );
            let draft = crate::authoring::drafting::from_escalation(&source, &mut ids);
            match drafts::write(&dir.join("drafts"), &draft) {
                Err(drafts::DraftError::Taken(_)) if tries < 5 => tries += 1,
                written => return written.map(|_| draft),
            }
        }
    })
    .await?;
    let draft = match written {
        Ok(draft) => draft,
        // Said to the member who asked: a reviewer's edits are never overwritten.
        Err(
            e @ (crate::authoring::drafts::DraftError::Edited(_)
            | crate::authoring::drafts::DraftError::Taken(_)),
        ) => return Ok(format!("Not written: {e}.")),
        Err(e) => return Err(e.into()),
    };
    let json = serde_json::to_string_pretty(&draft)?;
    let text = format!(
        "Draft entry `{id}` written to `kb/drafts/{id}.json` from this escalation. Review it (`errmedic kb check`), then `errmedic kb promote {id}` and `/kb reload`.",
        id = draft.id
    );
    let message = CreateMessage::new()
        .content(cut(&text, limits::MESSAGE))
        .allowed_mentions(send::no_pings())
        .add_file(serenity::CreateAttachment::bytes(
            json.into_bytes(),
            format!("{}.json", draft.id),
        ));
    send::message(http, thread, message).await?;
    tracing::info!(draft = %draft.id, thread = %thread, "draft entry written from an escalation");
    Ok(text)
}

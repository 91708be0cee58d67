//! Dashboard links: `<server>.<expiry>.<signature>`, the signature an HMAC-SHA256 over the
//! server's id and the expiry (Unix seconds) with the operator's key. A link names one server
//! and is refused after its expiry, or when any part of it was changed. Pure.

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

/// Why a link was refused (never shown in detail to the visitor: all get the same 403).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Refused {
    #[error("the link is not one errmedic made")]
    Malformed,
    #[error("the link's signature does not match")]
    Forged,
    #[error("the link has expired")]
    Expired,
}

fn mac(key: &[u8], guild: u64, expires: i64) -> Hmac<Sha256> {
    let mut m = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes a key of any length");
    m.update(format!("errmedic-dashboard\n{guild}\n{expires}").as_bytes());
    m
}

/// A link's token for `guild`, valid until `expires`.
pub fn sign(key: &[u8], guild: u64, expires: i64) -> String {
    let tag = mac(key, guild, expires).finalize().into_bytes();
    format!("{guild}.{expires}.{}", hex(&tag))
}

/// The server a token opens, if it is ours, unchanged and not expired at `now`.
pub fn verify(key: &[u8], token: &str, now: i64) -> Result<u64, Refused> {
    let mut parts = token.split('.');
    let (Some(guild), Some(expires), Some(tag), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(Refused::Malformed);
    };
    let canonical =
        |s: &str| !s.is_empty() && s.len() <= 20 && s.bytes().all(|b| b.is_ascii_digit());
    if !canonical(guild)
        || !canonical(expires)
        || guild.starts_with('0')
        || expires.starts_with('0')
    {
        return Err(Refused::Malformed);
    }
    let (Ok(guild), Ok(expires)) = (guild.parse::<u64>(), expires.parse::<i64>()) else {
        return Err(Refused::Malformed);
    };
    let tag = unhex(tag).ok_or(Refused::Malformed)?;
    mac(key, guild, expires)
        .verify_slice(&tag)
        .map_err(|_| Refused::Forged)?;
    if now >= expires {
        return Err(Refused::Expired);
    }
    Ok(guild)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(s: &str) -> Option<Vec<u8>> {
    if s.len() != 64 {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| {
            let pair = s.get(i..i + 2)?;
            if pair
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
            {
                u8::from_str_radix(pair, 16).ok()
            } else {
                None
            }
        })
        .collect()
}

/// A fresh random key (hex), for a record that has none yet.
pub fn fresh_key() -> anyhow::Result<String> {
    let mut bytes = [0u8; 32];
    getrandom::getrandom(&mut bytes)
        .map_err(|e| anyhow::anyhow!("no randomness for the dashboard key: {e}"))?;
    Ok(hex(&bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &[u8] = b"0123456789abcdef0123456789abcdef";

    #[test]
    fn a_link_opens_its_server_until_it_expires() {
        let t = sign(KEY, 42, 1_000);
        assert_eq!(verify(KEY, &t, 999), Ok(42));
        assert_eq!(verify(KEY, &t, 1_000), Err(Refused::Expired));
    }

    #[test]
    fn any_change_is_refused() {
        let t = sign(KEY, 42, 1_000);
        let (g, rest) = t.split_once('.').unwrap();
        let (e, tag) = rest.split_once('.').unwrap();
        // Another server, a later expiry, another key, a flipped digit of the signature.
        assert_eq!(
            verify(KEY, &format!("43.{e}.{tag}"), 0),
            Err(Refused::Forged)
        );
        assert_eq!(
            verify(KEY, &format!("{g}.9999.{tag}"), 0),
            Err(Refused::Forged)
        );
        assert_eq!(
            verify(b"another key another key another", &t, 0),
            Err(Refused::Forged)
        );
        let mut flipped = tag.to_string().into_bytes();
        flipped[0] = if flipped[0] == b'0' { b'1' } else { b'0' };
        let flipped = String::from_utf8(flipped).unwrap();
        assert_eq!(
            verify(KEY, &format!("{g}.{e}.{flipped}"), 0),
            Err(Refused::Forged)
        );
    }

    #[test]
    fn what_is_not_a_token_is_malformed() {
        let t = sign(KEY, 42, 1_000);
        for bad in [
            "",
            "42",
            "42.1000",
            &format!("{t}.x"),
            &format!("042.{}", &t[3..]),
            &format!("+42.{}", &t[3..]),
            &t.replacen(".1000.", ".01000.", 1),
            &t[..t.len() - 1],
            &t.to_uppercase(),
            "42.1000.zz",
        ] {
            assert_eq!(verify(KEY, bad, 0), Err(Refused::Malformed), "{bad}");
        }
    }

    #[test]
    fn fresh_keys_differ() {
        let (a, b) = (fresh_key().unwrap(), fresh_key().unwrap());
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
    }
}

//! Microsoft's messages in other languages (`match.localized`): the same paste in each
//! language gets the same answer as in English — with its code, and without it, where only
//! the localized words can say which error it is.

use crate::engine;

/// The frames a paste comes in: a code before the message, or the message alone.
fn frames(code: Option<&str>, message: &str) -> Vec<String> {
    let mut out = vec![format!(
        "Microsoft 365 sign-in fails for one user:\n{message}\nCorrelation ID: 5b0c1f2e-1111-2222-3333-444455556666"
    )];
    if let Some(code) = code {
        out.push(format!(
            "Connect-MgGraph\n```\n{code}: {message}\nTrace ID: 0f0e0d0c-0000-1111-2222-333344445555\n```"
        ));
    }
    out
}

#[test]
fn each_localized_message_gets_the_english_answer() {
    let engine = engine();
    let mut checked = 0;
    let mut languages = std::collections::BTreeSet::new();
    for entry in engine.kb().curated() {
        let m = &entry.matching;
        if m.localized.is_empty() {
            continue;
        }
        let code = m
            .codes
            .iter()
            .find(|c| c.starts_with("AADSTS"))
            .map(String::as_str);
        let english = m
            .messages
            .first()
            .expect("an entry with localized messages has English ones");
        let answer_of = |text: &str| {
            let a = engine.paste(text);
            a.auto_reply
                .first()
                .map(|&i| engine.entry(a.matches[i].entry).id.clone())
        };
        for (frame_en, frames_l) in frames(code, english).into_iter().zip(
            // Per frame, every language's paste.
            (0..frames(code, english).len()).map(|f| {
                m.localized
                    .iter()
                    .map(|l| (l.lang.clone(), frames(code, &l.message)[f].clone()))
                    .collect::<Vec<_>>()
            }),
        ) {
            let want = answer_of(&frame_en);
            assert_eq!(
                want.as_deref(),
                Some(entry.id.as_str()),
                "English: {frame_en}"
            );
            for (lang, text) in frames_l {
                assert_eq!(answer_of(&text), want, "{lang}: {text}");
                languages.insert(lang);
                checked += 1;
            }
        }
    }
    assert!(checked >= 30, "only {checked} localized pastes");
    assert!(languages.len() >= 6, "{languages:?}");
}

#[test]
fn a_localized_message_in_unrelated_words_is_not_an_answer() {
    // The localized words are an entry's evidence only as its message: the same words in
    // someone's chat about something else do not answer.
    let a = engine().paste("Kurze Frage: ist der neue Standort im Büro schon eingerichtet?");
    assert!(a.auto_reply.is_empty());
}

#[test]
fn chat_that_ends_with_a_message_s_opening_words_is_not_an_answer() {
    // A paste cut short is read as its message; a message's opening words are often ordinary
    // ones ("Der Benutzer muss", "O usuário deve", "Die Sitzung ist auf…"), and chat that
    // ends with them or runs on with a word that begins the next has shown no error.
    let e = engine();
    let mut checked = 0;
    for entry in e.kb().curated() {
        let m = &entry.matching;
        let messages = m
            .messages
            .iter()
            .chain(m.localized.iter().map(|l| &l.message));
        for message in messages {
            let words: Vec<&str> = message.split_whitespace().collect();
            // Three words that are well under half of a long message.
            if words.len() < 8
                || words
                    .iter()
                    .take(3)
                    .any(|w| !w.chars().all(char::is_alphabetic))
            {
                continue;
            }
            let opening = words[..3].join(" ");
            for chat in [
                format!("Kurze Frage vom Team, nichts Dringendes: {opening}"),
                format!("{opening} and then we went for lunch, see you all tomorrow"),
            ] {
                let a = e.paste(&chat);
                assert!(a.auto_reply.is_empty(), "{}: {chat}", entry.id);
                checked += 1;
            }
        }
    }
    assert!(checked >= 20, "only {checked} openings");
}

#[test]
fn chinese_chat_sharing_a_message_s_characters_is_not_an_answer() {
    // Read as character pairs, a message's pairs (管理, 配置, 位置, 用户…) turn up in any chat
    // about offices and admins: only the message in order, near-complete, is evidence.
    let e = engine();
    for chat in [
        "请问管理员在哪里更改配置？我们搬到新位置了，用户需要新的电脑。",
        "管理者に確認してください。新しい場所のユーザーの構成はまだです。",
    ] {
        let a = e.paste(chat);
        assert!(a.auto_reply.is_empty(), "{chat}");
    }
    let a = e.paste("登录失败：由于管理员做了配置更改，或者你已移到新位置，用户必须使用多重身份验证来访问资源。");
    assert_eq!(
        a.auto_reply
            .first()
            .map(|&i| e.entry(a.matches[i].entry).id.as_str()),
        Some("mfa-required-location")
    );
}

#[test]
fn lookups_are_not_corrected_into_another_language() {
    // `acess` is one letter from English `access` and from Portuguese `acesso` (a localized
    // message's word): a lookup is read in English.
    let a = engine().answer("insufficent acess rights", errmedic::engine::Mode::Query);
    let reasons = a.matches[0].reasons.join("; ");
    assert!(reasons.contains("read “acess” as “access”"), "{reasons}");
    assert_eq!(
        engine().entry(a.matches[0].entry).id,
        "exchange-insufficient-access"
    );
}

#[test]
fn a_message_in_another_language_is_no_evidence_against_the_rules_around_it() {
    // The status and the code name are the rule's; the message is in a language the rules are
    // not written in, so it neither touches nor contradicts them: the same answer as in English.
    let e = engine();
    let reply = |text: &str| {
        let a = e.paste(text);
        a.auto_reply
            .first()
            .map(|&i| e.entry(a.matches[i].entry).id.clone())
    };
    let body = |message: &str| {
        format!(
            "Get-MgUser : {message}\nStatus: 403 (Forbidden)\nErrorCode: Authorization_RequestDenied\nDate: 2024-05-01T10:00:00"
        )
    };
    let english = reply(&body("Insufficient privileges to complete the operation."));
    assert_eq!(english.as_deref(), Some("graph-exo-access-denied"));
    assert_eq!(
        reply(&body("Privilèges insuffisants pour effectuer l'opération.")),
        english
    );
    // An English message that names another cause still says the rules missed it.
    assert_eq!(
        reply(&body("Access to OData is disabled for this tenant.")),
        None
    );
}

#[test]
fn microsoft_s_name_in_chinese_japanese_and_korean_names_a_microsoft_service() {
    // Wording alone needs a Microsoft context; a message written in these scripts names the
    // company in them.
    let e = engine();
    let microsoft = |text: &str| e.paste(text).gate.facts.microsoft;
    let error = "Error: refresh token expired, sign in again";
    for name in ["微软", "微軟", "マイクロソフト", "마이크로소프트"] {
        assert!(
            microsoft(&format!("{name}的同步脚本报错：\n{error}")),
            "{name}"
        );
    }
    assert!(!microsoft(&format!("同步脚本每天报错：\n{error}")));
}

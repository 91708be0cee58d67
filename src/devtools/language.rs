//! A rough reader of a text's language, for fitting only: which language's common words a text
//! uses most (Japanese, Chinese and Korean by their scripts). It needs to tell languages apart,
//! not to name every one: a text it cannot place is English, the language of most cases.

/// A language a text can be read as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Language {
    English,
    German,
    French,
    Spanish,
    Italian,
    Dutch,
    Portuguese,
    Swedish,
    Japanese,
    Chinese,
    Korean,
}

/// Each language's commonest short words, chosen to be rare in the others and in English.
const COMMON: &[(Language, &[&str])] = &[
    (
        Language::English,
        &[
            "the", "and", "is", "to", "of", "in", "for", "with", "not", "this", "that", "you",
            "it", "on", "are", "was", "when", "have",
        ],
    ),
    (
        Language::German,
        &[
            "der", "die", "das", "und", "nicht", "ist", "mit", "für", "auf", "eine", "ich", "wird",
            "werden", "oder", "bei", "auch", "von", "zu", "den", "dem", "sich", "kann",
        ],
    ),
    (
        Language::French,
        &[
            "le", "les", "et", "est", "pas", "une", "pour", "avec", "dans", "sur", "vous", "nous",
            "cette", "sont", "être", "avez", "je",
        ],
    ),
    (
        Language::Spanish,
        &[
            "el", "los", "las", "es", "una", "para", "con", "por", "del", "su", "al", "está",
            "puede", "esta", "pero", "como",
        ],
    ),
    (
        Language::Italian,
        &[
            "il", "gli", "che", "non", "per", "sono", "della", "alla", "questo", "è", "ho", "anche",
        ],
    ),
    (
        Language::Dutch,
        &[
            "het", "een", "niet", "van", "dat", "zijn", "ik", "wordt", "voor", "met", "bij", "ook",
            "naar", "deze",
        ],
    ),
    (
        Language::Portuguese,
        &[
            "os", "não", "uma", "com", "ao", "você", "são", "mas", "também", "na", "no", "em",
        ],
    ),
    (
        Language::Swedish,
        &[
            "och", "är", "att", "det", "som", "för", "inte", "på", "av", "ett", "jag", "kan",
        ],
    ),
];

/// The language `text` is most likely written in.
pub fn language(text: &str) -> Language {
    let (mut kana, mut han, mut hangul) = (0usize, 0usize, 0usize);
    for c in text.chars() {
        match c {
            '\u{3040}'..='\u{30ff}' => kana += 1,
            '\u{4e00}'..='\u{9fff}' => han += 1,
            '\u{ac00}'..='\u{d7af}' => hangul += 1,
            _ => {}
        }
    }
    // A handful of characters can be a name or a quoted word in another text.
    const SCRIPT: usize = 20;
    if kana >= SCRIPT {
        return Language::Japanese;
    }
    if hangul >= SCRIPT {
        return Language::Korean;
    }
    if han >= SCRIPT {
        return Language::Chinese;
    }
    let mut counts = [0usize; COMMON.len()];
    for word in text.split(|c: char| !c.is_alphabetic()) {
        if word.is_empty() || word.len() > 12 {
            continue;
        }
        let word = word.to_lowercase();
        for (slot, (_, words)) in counts.iter_mut().zip(COMMON) {
            *slot += usize::from(words.contains(&word.as_str()));
        }
    }
    // English wins ties and texts with too few common words to tell.
    let mut best = (Language::English, counts[0].max(2));
    for (&n, (lang, _)) in counts.iter().zip(COMMON).skip(1) {
        if n > best.1 {
            best = (*lang, n);
        }
    }
    best.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_are_read_in_their_language() {
        let cases = [
            ("I get this error when I sign in to the portal, and it is not clear why.", Language::English),
            ("Ich bekomme den Fehler bei der Anmeldung und weiß nicht, was ich tun kann.", Language::German),
            ("Je reçois cette erreur pour une connexion avec le compte, est-ce que vous avez une idée ?", Language::French),
            ("Recibo este error al iniciar sesión con la cuenta, pero no sé por qué está pasando.", Language::Spanish),
            ("Ik krijg deze fout bij het aanmelden en het is niet duidelijk waarom dat gebeurt.", Language::Dutch),
            ("サインインするとこのエラーが表示されます。管理者に問い合わせてください。何か方法はありますか？よろしくお願いします。", Language::Japanese),
            ("AADSTS50076 Get-MgUser 403", Language::English),
        ];
        for (text, want) in cases {
            assert_eq!(language(text), want, "{text}");
        }
    }
}

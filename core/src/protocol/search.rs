//! Offline search over all protocol text, blind to case and diacritics
//! ("beeindig" finds "Beëindig").

use super::model::Protocol;
use super::texts::{all_texts, Place};

/// Lower-case, without diacritics, with typographic quotes made plain.
pub fn fold(text: &str) -> String {
    text.chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => 'a',
            'ç' => 'c',
            'è' | 'é' | 'ê' | 'ë' => 'e',
            'ì' | 'í' | 'î' | 'ï' => 'i',
            'ñ' => 'n',
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' => 'o',
            'ù' | 'ú' | 'û' | 'ü' => 'u',
            'ý' | 'ÿ' => 'y',
            '‘' | '’' | '‚' | '‛' => '\'',
            '“' | '”' | '„' => '"',
            other => other,
        })
        .collect()
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit<'p> {
    pub place: Place,
    pub text: &'p str,
}

/// Texts that contain every word of the query, in protocol order. An empty query finds nothing.
pub fn search<'p>(protocol: &'p Protocol, query: &str) -> Vec<Hit<'p>> {
    let words: Vec<String> = fold(query).split_whitespace().map(str::to_owned).collect();
    if words.is_empty() {
        return Vec::new();
    }
    let mut hits: Vec<Hit<'p>> = Vec::new();
    for (place, text) in all_texts(protocol) {
        let folded = fold(text);
        let duplicate = hits.iter().any(|h| h.text == text && h.place == place);
        if !duplicate && words.iter().all(|w| folded.contains(w.as_str())) {
            hits.push(Hit { place, text });
        }
    }
    hits
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::{dutch, FlowId};

    #[test]
    fn folding_removes_case_and_diacritics() {
        assert_eq!(fold("Beëindig"), "beeindig");
        assert_eq!(fold("Geïrriteerdheid"), "geirriteerdheid");
        assert_eq!(fold("collega’s"), "collega's");
    }

    #[test]
    fn beeindig_finds_the_steps_that_say_beeindig() {
        let hits = search(dutch(), "beeindig");
        assert!(hits.iter().any(|h| h.text == "Beëindig het gesprek"));
        assert!(hits
            .iter()
            .any(|h| matches!(&h.place, Place::Flow { flow: FlowId::Woning, node: Some(n) } if n == "verlaten")));
    }

    #[test]
    fn all_words_must_match() {
        let p = dutch();
        assert!(!search(p, "politie").is_empty());
        let both = search(p, "politie STIL alarm");
        assert!(!both.is_empty());
        assert!(both.iter().all(|h| fold(h.text).contains("stil alarm")));
        assert!(search(p, "politie zebrapad").is_empty());
    }

    #[test]
    fn an_empty_query_finds_nothing() {
        assert!(search(dutch(), "   ").is_empty());
    }

    #[test]
    fn search_reaches_every_part() {
        let p = dutch();
        for (query, part) in [
            ("onverwachte bewegingen", Place::GeneralPoints),
            ("gijzeling", Place::Extreme),
            ("slapeloosheid", Place::Aftercare),
            ("dwangsom", Place::Sanctions),
        ] {
            assert!(search(p, query).iter().any(|h| h.place == part), "{query}");
        }
    }
}

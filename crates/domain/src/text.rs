//! How alike two texts read, for spotting copies (duty lists) and repeats (hazard reports):
//! the Jaccard index of their character bigrams, ignoring spaces and ASCII punctuation, so a
//! copy with a few words changed still scores high.

use std::collections::HashSet;

fn bigrams<'a>(texts: impl IntoIterator<Item = &'a str>) -> HashSet<(char, char)> {
    let mut out = HashSet::new();
    for t in texts {
        let chars: Vec<char> = t.chars().filter(|c| !c.is_whitespace() && !c.is_ascii_punctuation()).collect();
        out.extend(chars.windows(2).map(|w| (w[0], w[1])));
    }
    out
}

/// From 0 (nothing shared) to 1 (the same words), over all the texts of each side.
pub fn similarity<'a, 'b>(a: impl IntoIterator<Item = &'a str>, b: impl IntoIterator<Item = &'b str>) -> f64 {
    let (x, y) = (bigrams(a), bigrams(b));
    let union = x.union(&y).count();
    if union == 0 {
        return 0.0;
    }
    x.intersection(&y).count() as f64 / union as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_words_score_one_and_unrelated_words_zero() {
        assert_eq!(similarity(["配电箱门损坏"], ["配电箱门 损坏."]), 1.0);
        assert_eq!(similarity(["配电箱门损坏"], ["消防通道堵塞"]), 0.0);
        let near = similarity(["二号车间配电箱门损坏带电部位裸露"], ["二号车间配电箱门坏了带电部位裸露"]);
        assert!(near > 0.6 && near < 1.0, "{near}");
        assert_eq!(similarity(Vec::<&str>::new(), Vec::<&str>::new()), 0.0);
    }
}

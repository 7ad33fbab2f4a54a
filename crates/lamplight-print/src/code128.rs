//! Code 128, code set C: the NHS number as a barcode a ward scanner reads.
//!
//! Set C packs two digits per symbol, so a ten-digit NHS number is a start symbol, five data
//! symbols, a Modulus 103 check symbol and the stop pattern: 90 modules. It is small enough to
//! write out here (no dependency) and to pin with a test that decodes the bars back.

/// Bar and space widths (in modules) of symbols 0–106; 106 is the stop pattern (with its final bar).
const PATTERNS: [&str; 107] = [
    "212222", "222122", "222221", "121223", "121322", "131222", "122213", "122312", "132212", "221213",
    "221312", "231212", "112232", "122132", "122231", "113222", "123122", "123221", "223211", "221132",
    "221231", "213212", "223112", "312131", "311222", "321122", "321221", "312212", "322112", "322211",
    "212123", "212321", "232121", "111323", "131123", "131321", "112313", "132113", "132311", "211313",
    "231113", "231311", "112133", "112331", "132131", "113123", "113321", "133121", "313121", "211331",
    "231131", "213113", "213311", "213131", "311123", "311321", "331121", "312113", "312311", "332111",
    "314111", "221411", "431111", "111224", "111422", "121124", "121421", "141122", "141221", "112214",
    "112412", "122114", "122411", "142112", "142211", "241211", "221114", "413111", "241112", "134111",
    "111242", "121142", "121241", "114212", "124112", "124211", "411212", "421112", "421211", "212141",
    "214121", "412121", "111143", "111341", "131141", "114113", "114311", "411113", "411311", "113141",
    "114131", "311141", "411131", "211412", "211214", "211232", "2331112",
];

const START_C: usize = 105;
const STOP: usize = 106;

/// Why digits cannot be encoded in set C.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Code128Error {
    #[error("code set C encodes an even number of digits only; got {0:?}")]
    NotEvenDigits(String),
}

/// The symbol values (start, data, check, stop) for an even-length string of digits.
pub fn symbols(digits: &str) -> Result<Vec<usize>, Code128Error> {
    if digits.is_empty() || !digits.len().is_multiple_of(2) || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Code128Error::NotEvenDigits(digits.to_owned()));
    }
    let mut values = vec![START_C];
    values.extend(
        digits
            .as_bytes()
            .chunks(2)
            .map(|pair| usize::from(pair[0] - b'0') * 10 + usize::from(pair[1] - b'0')),
    );
    let check = values
        .iter()
        .enumerate()
        .map(|(i, v)| v * i.max(1))
        .sum::<usize>()
        % 103;
    values.push(check);
    values.push(STOP);
    Ok(values)
}

/// Bar and space widths in modules, alternating bar, space, bar, ..., ending with a bar.
pub fn widths(digits: &str) -> Result<Vec<u8>, Code128Error> {
    Ok(symbols(digits)?
        .into_iter()
        .flat_map(|s| PATTERNS[s].bytes().map(|b| b - b'0'))
        .collect())
}

/// Reads digits back from bar and space widths (in modules), checking start, check and stop.
/// `None` when the widths are not a valid set C symbol of this kind.
pub fn decode(widths: &[u8]) -> Option<String> {
    if widths.len() < 6 + 6 + 7 || !(widths.len() - 7).is_multiple_of(6) {
        return None;
    }
    let (body, stop) = widths.split_at(widths.len() - 7);
    if pattern_of(stop)? != STOP {
        return None;
    }
    let values: Vec<usize> = body.chunks(6).map(pattern_of).collect::<Option<_>>()?;
    let (&start, rest) = values.split_first()?;
    let (&check, data) = rest.split_last()?;
    if start != START_C || data.iter().any(|&v| v > 99) {
        return None;
    }
    let sum = start + data.iter().enumerate().map(|(i, v)| v * (i + 1)).sum::<usize>();
    if sum % 103 != check {
        return None;
    }
    let mut digits = String::with_capacity(data.len() * 2);
    for v in data {
        digits.push(char::from(b'0' + u8::try_from(v / 10).ok()?));
        digits.push(char::from(b'0' + u8::try_from(v % 10).ok()?));
    }
    Some(digits)
}

fn pattern_of(w: &[u8]) -> Option<usize> {
    let text: String = w.iter().map(|d| char::from(b'0' + d)).collect();
    PATTERNS.iter().position(|p| *p == text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_symbol_is_eleven_modules_and_the_stop_thirteen() {
        for (i, p) in PATTERNS.iter().enumerate() {
            let modules: u32 = p.bytes().map(|b| u32::from(b - b'0')).sum();
            let want = if i == STOP { 13 } else { 11 };
            assert_eq!(modules, want, "symbol {i} ({p}) must be {want} modules wide");
        }
    }

    #[test]
    fn an_nhs_number_encodes_as_start_c_five_pairs_check_and_stop() {
        // 9434765919: pairs 94 34 76 59 19; check = (105 + 94·1 + 34·2 + 76·3 + 59·4 + 19·5) mod 103.
        let s = symbols("9434765919").unwrap();
        let check = (105 + 94 + 34 * 2 + 76 * 3 + 59 * 4 + 19 * 5) % 103;
        assert_eq!(s, vec![105, 94, 34, 76, 59, 19, check, 106]);
        let modules: u32 = widths("9434765919").unwrap().iter().map(|&w| u32::from(w)).sum();
        assert_eq!(
            modules, 90,
            "a ten-digit NHS number is 90 modules between its quiet zones"
        );
    }

    #[test]
    fn the_bars_decode_back_to_the_same_digits() {
        for digits in ["9990000018", "9434765919", "0000000000", "9999999999"] {
            assert_eq!(
                decode(&widths(digits).unwrap()).as_deref(),
                Some(digits),
                "a scanner reading these bars must get the NHS number printed beside them"
            );
        }
    }

    #[test]
    fn a_misread_bar_fails_the_check_instead_of_giving_a_wrong_number() {
        let mut w = widths("9434765919").unwrap();
        // Misread the second data symbol (34) as another valid symbol (35): the check symbol catches it.
        let misread: Vec<u8> = PATTERNS[35].bytes().map(|b| b - b'0').collect();
        w.splice(12..18, misread);
        assert_eq!(
            decode(&w),
            None,
            "a misread must be rejected, never read as 9434765919 or another number"
        );
    }

    #[test]
    fn odd_or_non_digit_input_is_refused() {
        assert!(symbols("123").is_err());
        assert!(symbols("12a4").is_err());
        assert!(symbols("").is_err());
    }
}

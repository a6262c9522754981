//! QR encoding over the `qrcode` crate's own steps, with a faster choice of
//! mask. `QrCode::new` scores the eight masks with a boxed closure per module
//! (tens of thousands of allocations per code, ~7× slower than the npm
//! `qrcode` package); this scores the same rules, in the same order, over a
//! plain bit matrix, so it picks exactly the mask the crate picks (a test
//! below checks that against the crate itself).

use qrcode::canvas::{Canvas, MaskPattern};
use qrcode::types::{Color, QrResult};
use qrcode::{bits, ec, EcLevel};

/// Mask order of the crate (`ALL_PATTERNS_QR`): ties go to the first.
const PATTERNS: [MaskPattern; 8] = [
    MaskPattern::Checkerboard,
    MaskPattern::HorizontalLines,
    MaskPattern::VerticalLines,
    MaskPattern::DiagonalLines,
    MaskPattern::LargeCheckerboard,
    MaskPattern::Fields,
    MaskPattern::Diamonds,
    MaskPattern::Meadow,
];

/// Encodes `data` at `ecl`: modules per side and the row-major dark flags.
pub fn modules(data: &[u8], ecl: EcLevel) -> QrResult<(usize, Vec<bool>)> {
    let bits = bits::encode_auto(data, ecl)?;
    let version = bits.version();
    let width = version.width() as usize;
    let raw = bits.into_bytes();
    let (data_codewords, ec_codewords) = ec::construct_codewords(&raw, version, ecl)?;
    let mut canvas = Canvas::new(version, ecl);
    canvas.draw_all_functional_patterns();
    canvas.draw_data(&data_codewords, &ec_codewords);
    let mut best: Option<(u16, Vec<bool>)> = None;
    for pattern in PATTERNS {
        let mut masked = canvas.clone();
        masked.apply_mask(pattern);
        let dark: Vec<bool> = masked
            .into_colors()
            .into_iter()
            .map(|c| c == Color::Dark)
            .collect();
        let score = penalty(&dark, width);
        if best.as_ref().is_none_or(|(s, _)| score < *s) {
            best = Some((score, dark));
        }
    }
    let (_, dark) = best.expect("eight masks were scored");
    Ok((width, dark))
}

/// The crate's penalty score (ISO/IEC 18004 §7.8.3, with the crate's
/// unrounded balance term), in its u16 arithmetic. Columns are scored as the
/// rows of the transposed matrix, so every scan runs over a plain slice.
fn penalty(m: &[bool], w: usize) -> u16 {
    let transposed: Vec<bool> = (0..w * w).map(|k| m[(k % w) * w + k / w]).collect();
    let mut score: u16 = 0;
    for grid in [m, &transposed[..]] {
        for row in grid.chunks_exact(w) {
            score = score.wrapping_add(run_penalty(row));
            score = score.wrapping_add(finder_penalty(row));
        }
        // The three real finder patterns match three rows each: 9 × 40.
        score = score.wrapping_sub(360);
    }
    // 2×2 blocks of one colour: 3 each.
    for (top, bottom) in m.chunks_exact(w).zip(m.chunks_exact(w).skip(1)) {
        for x in 0..w - 1 {
            let c = top[x];
            if c == top[x + 1] && c == bottom[x] && c == bottom[x + 1] {
                score = score.wrapping_add(3);
            }
        }
    }
    // Dark/light balance: distance of the dark share (in half-percent) from 50%.
    let dark = m.iter().filter(|&&d| d).count();
    let ratio = dark * 200 / m.len();
    score.wrapping_add(ratio.abs_diff(100) as u16)
}

/// Runs of five or more modules of one colour: run length − 2 each.
fn run_penalty(row: &[bool]) -> u16 {
    let mut score: u16 = 0;
    let mut run = 1u16;
    for pair in row.windows(2) {
        if pair[0] == pair[1] {
            run += 1;
        } else {
            if run >= 5 {
                score = score.wrapping_add(run - 2);
            }
            run = 1;
        }
    }
    if run >= 5 {
        score = score.wrapping_add(run - 2);
    }
    score
}

/// Finder-like 1:1:3:1:1 runs without four light modules on a side: 40 each.
fn finder_penalty(row: &[bool]) -> u16 {
    const PATTERN: [bool; 7] = [true, false, true, true, true, false, true];
    let mut score: u16 = 0;
    for j in 0..row.len().saturating_sub(6) {
        if row[j..j + 7] != PATTERN {
            continue;
        }
        let left = row[j.saturating_sub(4)..j].iter().any(|&d| d);
        let right = row[j + 7..(j + 11).min(row.len())].iter().any(|&d| d);
        if !left || !right {
            score = score.wrapping_add(40);
        }
    }
    score
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use qrcode::QrCode;

    fn crate_modules(data: &[u8], ecl: EcLevel) -> Vec<bool> {
        let code = QrCode::with_error_correction_level(data, ecl).unwrap();
        code.to_colors()
            .into_iter()
            .map(|c| c == Color::Dark)
            .collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]
        #[test]
        fn picks_the_same_mask_as_the_crate(text in "[ -~]{1,400}", ecl in 0usize..4) {
            let ecl = [EcLevel::L, EcLevel::M, EcLevel::Q, EcLevel::H][ecl];
            let (_, ours) = modules(text.as_bytes(), ecl).unwrap();
            prop_assert_eq!(ours, crate_modules(text.as_bytes(), ecl));
        }
    }

    #[test]
    fn same_as_the_crate_on_vietqr_payloads() {
        let p = "00020101021238570010A000000727012700069704360113102345678901230208QRIBFTTA530370454071250000580VN62300115INV20251122010811DH10234 Thanh6304ABCD";
        for ecl in [EcLevel::L, EcLevel::M, EcLevel::Q, EcLevel::H] {
            for n in [10, 60, 100, p.len()] {
                assert_eq!(
                    modules(&p.as_bytes()[..n], ecl).unwrap().1,
                    crate_modules(&p.as_bytes()[..n], ecl)
                );
            }
        }
    }
}

//! QR codes as SVG (for pages) and PNG (for emails), over the `qrcode` crate.
//!
//! The SVG is one path of dark runs on a white square: crisp at any size,
//! scalable through `viewBox`. The PNG is 1-bit grayscale, the smallest
//! lossless form of a two-colour image; a PNG is only three chunks, so it is
//! written here over `miniz_oxide` (deflate) and a CRC-32 of its own.

use crate::error::{Code, Error, Result};
use crate::input::input_struct;
use base64::Engine;
use qrcode::EcLevel;
use std::fmt::Write;

pub mod mask;

input_struct! {
    /// Options shared by [`svg`] and [`png`].
    #[derive(Debug, Clone)]
    pub struct QrOptions {
        /// What the QR code holds (a VietQR payload, a certificate, a URL …).
        pub text: String,
        /// Error correction: `L`, `M` (default), `Q` or `H`.
        pub ecl: Option<String>,
        /// Pixels per module: the SVG's width/height and the PNG's scale. Default 6.
        pub module_px: Option<u32>,
        /// White border in modules. Default 4, the minimum the QR standard asks.
        pub quiet_zone: Option<u32>,
    }
}

pub const MODULE_PX_DEFAULT: u32 = 6;
pub const MODULE_PX_MAX: u32 = 64;
pub const QUIET_ZONE_DEFAULT: u32 = 4;
pub const QUIET_ZONE_MAX: u32 = 16;

/// The module matrix of a QR code plus the quiet zone.
pub struct Matrix {
    /// Modules per side, without the quiet zone.
    pub width: usize,
    /// `true` = dark, row-major.
    pub dark: Vec<bool>,
    pub quiet_zone: usize,
    pub module_px: usize,
}

impl Matrix {
    /// Encodes `text` with the options' ECL, checking every option.
    pub fn encode(o: &QrOptions) -> Result<Matrix> {
        let ecl = match o.ecl.as_deref().unwrap_or("M") {
            "L" | "l" => EcLevel::L,
            "M" | "m" => EcLevel::M,
            "Q" | "q" => EcLevel::Q,
            "H" | "h" => EcLevel::H,
            other => {
                return Err(Error::new(
                    Code::InvalidEcl,
                    format!("ecl is {other:?}; expected L, M, Q or H"),
                ))
            }
        };
        let module_px = o.module_px.unwrap_or(MODULE_PX_DEFAULT);
        if !(1..=MODULE_PX_MAX).contains(&module_px) {
            return Err(Error::new(
                Code::InvalidModulePx,
                format!("module_px is {module_px}; expected 1 to {MODULE_PX_MAX}"),
            ));
        }
        let quiet_zone = o.quiet_zone.unwrap_or(QUIET_ZONE_DEFAULT);
        if quiet_zone > QUIET_ZONE_MAX {
            return Err(Error::new(
                Code::InvalidQuietZone,
                format!("quiet_zone is {quiet_zone}; expected 0 to {QUIET_ZONE_MAX}"),
            ));
        }
        if o.text.is_empty() {
            return Err(Error::new(
                Code::EmptyText,
                "text is empty; a QR code needs content",
            ));
        }
        let (width, dark) = mask::modules(o.text.as_bytes(), ecl).map_err(|e| {
            Error::new(
                Code::QrTooLong,
                format!(
                    "text of {} bytes does not fit in a QR code at ECL {}: {e}",
                    o.text.len(),
                    o.ecl.as_deref().unwrap_or("M")
                ),
            )
        })?;
        Ok(Matrix {
            width,
            dark,
            quiet_zone: quiet_zone as usize,
            module_px: module_px as usize,
        })
    }

    /// Modules per side including the quiet zone.
    pub fn size(&self) -> usize {
        self.width + 2 * self.quiet_zone
    }
}

/// An SVG document of the QR code.
///
/// ```
/// let svg = vietqr::qr::svg(&vietqr::qr::QrOptions { text: "MER-ECM-MER37695058".into(), ecl: None, module_px: Some(4), quiet_zone: None }).unwrap();
/// assert!(svg.starts_with(r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 29 29" width="116" height="116""#));
/// ```
pub fn svg(o: &QrOptions) -> Result<String> {
    let m = Matrix::encode(o)?;
    let size = m.size();
    let px = size * m.module_px;
    let mut s = String::with_capacity(64 + m.dark.len() * 3);
    let _ = write!(
        s,
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" width="{px}" height="{px}" shape-rendering="crispEdges"><path fill="#fff" d="M0 0h{size}v{size}H0z"/><path fill="#000" d=""##
    );
    let q = m.quiet_zone;
    for (y, row) in m.dark.chunks(m.width).enumerate() {
        let mut x = 0;
        while x < row.len() {
            if !row[x] {
                x += 1;
                continue;
            }
            let start = x;
            while x < row.len() && row[x] {
                x += 1;
            }
            let _ = write!(s, "M{} {}h{}v1H{}z", start + q, y + q, x - start, start + q);
        }
    }
    s.push_str(r#""/></svg>"#);
    Ok(s)
}

/// A PNG file of the QR code: 1-bit grayscale, `module_px` pixels a module.
pub fn png(o: &QrOptions) -> Result<Vec<u8>> {
    let m = Matrix::encode(o)?;
    let side = m.size() * m.module_px;
    let row_bytes = side.div_ceil(8);
    // Each scanline: filter type 0, then pixels packed 8 a byte, 1 = white.
    let mut raw = Vec::with_capacity((row_bytes + 1) * side);
    let q = m.quiet_zone;
    for py in 0..side {
        raw.push(0);
        let my = py / m.module_px;
        let start = raw.len();
        raw.resize(start + row_bytes, 0);
        for px in 0..side {
            let mx = px / m.module_px;
            let dark = my >= q
                && mx >= q
                && my - q < m.width
                && mx - q < m.width
                && m.dark[(my - q) * m.width + (mx - q)];
            if !dark {
                raw[start + px / 8] |= 0x80 >> (px % 8);
            }
        }
    }
    let mut out = Vec::with_capacity(raw.len() / 8 + 100);
    out.extend_from_slice(b"\x89PNG\r\n\x1a\n");
    let side32 = u32::try_from(side).map_err(|_| Error::new(Code::Internal, "image too large"))?;
    let mut ihdr = Vec::with_capacity(13);
    ihdr.extend_from_slice(&side32.to_be_bytes());
    ihdr.extend_from_slice(&side32.to_be_bytes());
    ihdr.extend_from_slice(&[1, 0, 0, 0, 0]); // bit depth 1, grayscale, deflate, filter 0, no interlace
    chunk(&mut out, b"IHDR", &ihdr);
    chunk(
        &mut out,
        b"IDAT",
        &miniz_oxide::deflate::compress_to_vec_zlib(&raw, 9),
    );
    chunk(&mut out, b"IEND", &[]);
    Ok(out)
}

fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    out.extend_from_slice(&crc32(&[kind, data]).to_be_bytes());
}

// A 1 KiB table built at compile time: crc32fast's 16 KiB are too much for three small chunks.
const fn crc32_table() -> [u32; 256] {
    let mut t = [0u32; 256];
    let mut i = 0;
    while i < 256 {
        let mut c = i as u32;
        let mut b = 0;
        while b < 8 {
            c = if c & 1 != 0 {
                (c >> 1) ^ 0xEDB8_8320
            } else {
                c >> 1
            };
            b += 1;
        }
        t[i] = c;
        i += 1;
    }
    t
}

static CRC32_TABLE: [u32; 256] = crc32_table();

/// CRC-32 (ISO-HDLC, the one PNG uses: reflected 0x04C11DB7) of `parts` in turn.
fn crc32(parts: &[&[u8]]) -> u32 {
    let crc = parts.iter().flat_map(|p| p.iter()).fold(!0u32, |crc, &b| {
        (crc >> 8) ^ CRC32_TABLE[usize::from(crc as u8 ^ b)]
    });
    !crc
}

/// [`png`] as standard Base64, for JSON and `data:` URLs.
pub fn png_base64(o: &QrOptions) -> Result<String> {
    Ok(base64::engine::general_purpose::STANDARD.encode(png(o)?))
}

/// The QR code in a terminal: two module rows per line with half blocks.
pub fn terminal(o: &QrOptions) -> Result<String> {
    let m = Matrix::encode(o)?;
    let size = m.size();
    let q = m.quiet_zone;
    let dark = |x: usize, y: usize| {
        x >= q
            && y >= q
            && x - q < m.width
            && y - q < m.width
            && m.dark[(y - q) * m.width + (x - q)]
    };
    let mut s = String::new();
    for y in (0..size).step_by(2) {
        for x in 0..size {
            // Light modules print as ink so the code reads on dark terminals.
            s.push(match (dark(x, y), y + 1 < size && dark(x, y + 1)) {
                (true, true) => ' ',
                (true, false) => '▄',
                (false, true) => '▀',
                (false, false) => '█',
            });
        }
        s.push('\n');
    }
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts(text: &str) -> QrOptions {
        QrOptions {
            text: text.into(),
            ecl: None,
            module_px: None,
            quiet_zone: None,
        }
    }

    #[test]
    fn crc32_check_value() {
        assert_eq!(crc32(&[b"123456789"]), 0xCBF4_3926);
        assert_eq!(crc32(&[b"1234", b"", b"56789"]), 0xCBF4_3926);
        assert_eq!(crc32(&[b"IEND"]), 0xAE42_6082);
    }

    #[test]
    fn png_is_well_formed() {
        let png = png(&opts("hello")).unwrap();
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        assert_eq!(&png[12..16], b"IHDR");
        // version 1 (21 modules) + 2×4 quiet zone, 6 px a module
        assert_eq!(u32::from_be_bytes(png[16..20].try_into().unwrap()), 29 * 6);
        assert!(png.len() < 1000, "{} bytes", png.len());
    }

    #[test]
    fn option_errors_are_named() {
        let mut o = opts("x");
        o.ecl = Some("X".into());
        assert_eq!(
            svg(&o).unwrap_err().message,
            r#"ecl is "X"; expected L, M, Q or H"#
        );
        o.ecl = None;
        o.module_px = Some(0);
        assert_eq!(svg(&o).unwrap_err().code, "invalid_module_px");
        let long = opts(&"9".repeat(8000));
        assert_eq!(svg(&long).unwrap_err().code, "qr_too_long");
    }
}

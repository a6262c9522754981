//! "Open in bank app" links through VietQR.io's deep-link service
//! (`https://dl.vietqr.io/pay`): a phone that shows the shop's QR cannot
//! scan it, so the buyer taps a bank app instead, which opens with the
//! transfer filled in where the app supports it, and returns to `url` once
//! paid. The one table of apps is [`APPS`], next to the bank table it points
//! into ([`crate::banks`]); `docs/protocol.md` §7 has the facts and sources.

use crate::banks;
use crate::error::{Code, Error, Result};
use crate::rules::{self, AMOUNT_MAX};
use crate::text;
use serde::Serialize;

/// The service every link goes through.
pub const BASE: &str = "https://dl.vietqr.io/pay";

/// Longest transfer content taken (the payments table's column).
pub const CONTENT_MAX: usize = 100;

/// Longest account holder name sent (as VietQR's `userBankName`).
pub const HOLDER_MAX: usize = 50;

/// One bank app the service opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct App {
    /// The service's `app` parameter: the app's id, not a bank code.
    pub app_id: &'static str,
    /// The app's name as its bank calls it.
    pub app_name: &'static str,
    /// The bank's VietQR code in [`banks::BANKS`].
    pub bank_code: &'static str,
    /// The app fills in account, amount and content by itself.
    pub autofill: bool,
    /// Where the id and the autofill come from.
    pub source: &'static str,
}

/// Every app with a documented id, those that fill in the transfer first.
/// BIDV SmartBanking (changelog 2.16) and ACB ONE (2.15) fill it in too, but
/// no source names their `app` id: they stay out until one does.
pub static APPS: &[App] = &[
    App {
        app_id: "mb",
        app_name: "MBBank",
        bank_code: "MB",
        autofill: true,
        source: "https://www.vietqr.io/changelog.md [2.18] (autofill, example app=mb); https://www.vietqr.io/deeplink.md (\"MB Bank là mb\")",
    },
    App {
        app_id: "icb",
        app_name: "VietinBank iPay",
        bank_code: "ICB",
        autofill: true,
        source: "https://www.vietqr.io/changelog.md [2.17] (autofill, example app=icb); https://www.vietqr.io/deeplink.md (\"VietinBank iPay là icb\")",
    },
    App {
        app_id: "ocb",
        app_name: "OCB OMNI",
        bank_code: "OCB",
        autofill: true,
        source: "https://www.vietqr.io/changelog.md [2.12] (autofill, example app=ocb); https://www.vietqr.io/deeplink.md (example app=ocb)",
    },
];

/// One link, as `deeplinks.list` gives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Link {
    pub app_id: &'static str,
    pub app_name: &'static str,
    /// The app's bank, by its short name ("MBBank").
    pub bank_name: &'static str,
    pub autofill: bool,
    pub url: String,
}

/// The transfer a link opens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transfer<'a> {
    /// The shop's bank: BIN or VietQR code.
    pub bank: &'a str,
    pub account: &'a str,
    pub amount: u64,
    pub content: &'a str,
    /// The account holder, folded to plain capitals; left out when empty.
    pub holder: &'a str,
    /// Absolute http(s) URL the app returns to after paying.
    pub return_url: &'a str,
}

/// The links for `t`, one per app of [`APPS`], apps that fill in first.
///
/// ```
/// use vietqr::deeplink::{links, Transfer};
/// let t = Transfer { bank: "970422", account: "0123456789", amount: 25000,
///     content: "DH 123", holder: "Nguyễn Văn A", return_url: "https://shop.vn/o/1?key=k" };
/// let all = links(&t).unwrap();
/// assert_eq!(all[0].url, "https://dl.vietqr.io/pay?app=mb&am=25000&tn=DH%20123\
///     &ba=0123456789@mb&bn=NGUYEN%20VAN%20A&url=https://shop.vn/o/1?key=k");
/// ```
pub fn links(t: &Transfer) -> Result<Vec<Link>> {
    let ba = account_at_bank(t.bank, t.account)?;
    if t.amount == 0 || t.amount > AMOUNT_MAX {
        return Err(Error::new(
            Code::InvalidAmount,
            format!("amount must be 1 to {AMOUNT_MAX} VND, got {}", t.amount),
        ));
    }
    if t.content.trim().is_empty() || t.content.chars().count() > CONTENT_MAX {
        return Err(Error::new(
            Code::InvalidContent,
            format!("content must be 1 to {CONTENT_MAX} characters"),
        ));
    }
    let url = return_url(t.return_url)?;
    let holder = text::fold(t.holder, Some(HOLDER_MAX)).to_ascii_uppercase(); // fold gives ASCII
    let bn = if holder.is_empty() {
        String::new()
    } else {
        format!("&bn={}", encode(&holder))
    };
    let tail = format!(
        "&am={}&tn={}&ba={ba}{bn}&url={url}",
        t.amount,
        encode(t.content)
    );
    let mut out: Vec<Link> = APPS
        .iter()
        .map(|app| Link {
            app_id: app.app_id,
            app_name: app.app_name,
            bank_name: banks::by_code(app.bank_code).map_or(app.app_name, |b| b.short_name),
            autofill: app.autofill,
            url: format!("{BASE}?app={}{tail}", app.app_id),
        })
        .collect();
    out.sort_by_key(|l| !l.autofill); // stable: the table's order within each group
    Ok(out)
}

/// `ba`: `{account}@{bank code in lower case}`, the `@` kept as it is.
fn account_at_bank(bank: &str, account: &str) -> Result<String> {
    let Some(b) = banks::lookup(bank) else {
        return Err(Error::new(
            Code::UnknownBank,
            format!("no bank has BIN or code {bank:?}"),
        ));
    };
    if rules::account(account).is_err() {
        return Err(Error::new(
            Code::InvalidAccount,
            format!(
                "account must be 1 to {} letters and digits",
                rules::ACCOUNT_MAX
            ),
        ));
    }
    Ok(format!("{account}@{}", b.code.to_ascii_lowercase()))
}

/// The return URL as the service's docs want it: not encoded (`https://`
/// stays), except the few characters that would end or change the query
/// parameter (`&`, `#`, `+`, `%` not starting an escape) and anything that
/// is not printable ASCII.
fn return_url(url: &str) -> Result<String> {
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"));
    if rest.is_none() || url.len() > rules::CALLBACK_URL_MAX {
        return Err(Error::invalid_input(format!(
            "return_url must be an absolute http(s) URL of at most {} characters",
            rules::CALLBACK_URL_MAX
        )));
    }
    let bytes = url.as_bytes();
    let mut out = String::with_capacity(url.len());
    for (i, &b) in bytes.iter().enumerate() {
        let escape = b == b'%'
            && bytes
                .get(i + 1..i + 3)
                .is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit));
        match b {
            b'&' | b'#' | b'+' => push_escaped(&mut out, b),
            b'%' if !escape => push_escaped(&mut out, b),
            0x21..=0x7e => out.push(b as char),
            _ => push_escaped(&mut out, b),
        }
    }
    Ok(out)
}

/// Query encoding of a value: unreserved characters (RFC 3986) as they are,
/// every other UTF-8 byte as `%XX` (a space is `%20`, as in the service's
/// examples).
fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for &b in value.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            push_escaped(&mut out, b);
        }
    }
    out
}

fn push_escaped(out: &mut String, b: u8) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    out.push('%');
    out.push(HEX[usize::from(b >> 4)] as char);
    out.push(HEX[usize::from(b & 15)] as char);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn transfer() -> Transfer<'static> {
        Transfer {
            bank: "ICB",
            account: "22102025",
            amount: 2000,
            content: "ck",
            holder: "BAN VAN DONG CUU TRO TRUNG UONG",
            return_url: "https://payos.vn",
        }
    }

    #[test]
    fn table_is_well_formed() {
        for (i, app) in APPS.iter().enumerate() {
            assert!(banks::by_code(app.bank_code).is_some(), "{app:?}");
            assert!(app.source.contains("https://www.vietqr.io/"), "{app:?}");
            assert!(APPS[i + 1..].iter().all(|o| o.app_id != app.app_id));
        }
        // Apps that fill in come first in the table too.
        assert!(APPS.windows(2).all(|w| w[0].autofill >= w[1].autofill));
    }

    #[test]
    fn the_changelog_examples() {
        // changelog.md 2.18 and 2.17: the same parameters, in deeplink.md's order.
        let all = links(&transfer()).unwrap();
        assert_eq!(all[0].url, "https://dl.vietqr.io/pay?app=mb&am=2000&tn=ck&ba=22102025@icb&bn=BAN%20VAN%20DONG%20CUU%20TRO%20TRUNG%20UONG&url=https://payos.vn");
        assert_eq!(all[1].url, all[0].url.replace("app=mb", "app=icb"));
    }

    #[test]
    fn return_url_keeps_its_form_but_not_what_would_split_it() {
        assert_eq!(
            return_url("https://a.vn/?page_id=7&order-received=12#x").unwrap(),
            "https://a.vn/?page_id=7%26order-received=12%23x"
        );
        assert_eq!(
            return_url("http://a.vn/%C3%A1 b%").unwrap(),
            "http://a.vn/%C3%A1%20b%25"
        );
        assert_eq!(return_url("HTTPS://A.VN").unwrap(), "HTTPS://A.VN");
        for bad in ["", "ftp://a.vn", "javascript:alert(1)", "https:/a"] {
            assert_eq!(return_url(bad).unwrap_err().code, "invalid_input", "{bad}");
        }
    }

    #[test]
    fn encodes_content_and_name() {
        assert_eq!(
            encode("Thanh toán #1&2=3+4"),
            "Thanh%20to%C3%A1n%20%231%262%3D3%2B4"
        );
        let mut t = transfer();
        t.holder = "  ";
        assert!(!links(&t).unwrap()[0].url.contains("&bn="));
    }
}

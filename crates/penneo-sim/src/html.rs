//! Shared HTML page chrome for the browser-facing pages (consent, fill-in, signing).

use axum::http::StatusCode;

use crate::util::esc;

const STYLE: &str = "body{font-family:system-ui,-apple-system,Segoe UI,sans-serif;background:#f4f6f8;color:#1d2733;margin:0}\
main{max-width:720px;margin:40px auto;background:#fff;border-radius:8px;padding:32px;box-shadow:0 1px 4px rgba(0,0,0,.08)}\
h1{font-size:1.4rem;margin-top:0}h2{font-size:1.1rem;margin-bottom:.3rem}\
label{display:block;margin:.8rem 0 .2rem;font-weight:600}\
input[type=text],input[type=email],input[type=tel],input[type=number],input[type=date],select,textarea{width:100%;box-sizing:border-box;padding:8px;border:1px solid #c5ccd3;border-radius:4px;font:inherit}\
input[readonly],select[disabled]{background:#eef1f4;color:#555}\
button{padding:10px 18px;border:0;border-radius:4px;font:inherit;cursor:pointer;margin-right:8px}\
.primary{background:#1b6ef3;color:#fff}.secondary{background:#e3e7eb}.danger{background:#d93b3b;color:#fff}\
.err{color:#b00020;font-weight:600}.muted{color:#68737d;font-size:.9rem}.sim{font-size:.8rem;color:#68737d;text-align:center;margin-top:24px}\
fieldset{border:1px solid #dde2e6;border-radius:6px;margin:1rem 0;padding:1rem}";

/// Wrap a body in the simulator's page chrome.
pub fn page(title: &str, body: &str) -> String {
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{t} · Penneo (simulator)</title>\
<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><style>{STYLE}</style></head>\
<body><main>{body}</main><p class=\"sim\">Penneo simulator · not the real Penneo service</p></body></html>",
        t = esc(title)
    )
}

pub fn error_page(status: StatusCode, message: &str) -> String {
    page(
        "Error",
        &format!(
            "<h1>{} {}</h1><p class=\"err\" id=\"error\">{}</p>",
            status.as_u16(),
            esc(status.canonical_reason().unwrap_or("Error")),
            esc(message)
        ),
    )
}

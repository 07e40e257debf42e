//! The page around the sections: head with the content security policy
//! (no script, nothing from the network), the style sheet for screen and
//! print, the title block and the table of contents.

use std::fmt::Write as _;

use super::escape::Esc;
use super::{Ctx, SectionInfo};

/// Screen and print styles. Printing starts every section on a new page,
/// keeps charts whole, repeats table headers and keeps the colours.
const STYLE: &str = r#"
:root{--ink:#1d2430;--muted:#5b6575;--line:#d9dee7;--ok:#2f7d4f;--gap:#c0392b;--accent:#1f5f99;--soft:#f3f5f8}
*{box-sizing:border-box}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;color:var(--ink);max-width:1120px;margin:0 auto;padding:24px}
h1{font-size:24px;margin:0 0 4px}
h2{font-size:19px;border-bottom:2px solid var(--accent);padding-bottom:4px;margin:36px 0 12px}
h3{font-size:15px;margin:18px 0 6px}
p{margin:6px 0 10px;max-width:80ch}
.meta,.note{color:var(--muted);font-size:12.5px}
nav ol{margin:8px 0;padding-left:20px;columns:2}
.lead{font-size:15.5px}
.figures{display:grid;grid-template-columns:repeat(auto-fit,minmax(140px,1fr));gap:10px;margin:12px 0}
.figure{border:1px solid var(--line);border-left:4px solid var(--accent);border-radius:4px;padding:8px 12px}
.figure.bad{border-left-color:var(--gap)}
.figure.good{border-left-color:var(--ok)}
.figure .v{font-size:23px;font-weight:600;display:block}
.figure .k{color:var(--muted);font-size:12px}
table{border-collapse:collapse;width:100%;font-size:12.5px;margin:6px 0 12px}
th,td{text-align:left;padding:3px 6px;border-bottom:1px solid var(--line);vertical-align:top}
th{background:var(--soft);font-weight:600}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
tr.gap td{background:#fdecea}
table.kv{width:auto;min-width:420px}
.bad{color:var(--gap)}
.ok{color:var(--ok)}
svg.chart{max-width:100%;height:auto;display:block;margin:6px 0}
svg text{font-family:system-ui,sans-serif;font-size:11px;fill:#1d2430}
svg text.s{font-size:9px;fill:#5b6575}
svg text.b{font-weight:600}
svg text.w{fill:#fff}
.legend{font-size:12px;color:var(--muted);margin:4px 0 10px}
.legend i{display:inline-block;width:12px;height:12px;vertical-align:-2px;margin:0 4px 0 10px;border:1px solid #bbb}
.cell svg{display:block}
.multiples{display:grid;grid-template-columns:repeat(auto-fill,minmax(330px,1fr));gap:4px 16px}
.multiples svg.chart{margin:0}
code,pre{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12px}
pre{white-space:pre-wrap;word-break:break-all;background:var(--soft);padding:8px;border-radius:4px}
@page{size:A4;margin:14mm}
@media print{
 body{max-width:none;padding:0;font-size:11px}
 nav{display:none}
 section{break-before:page}
 section#summary{break-before:auto}
 h2,h3{break-after:avoid}
 svg.chart,.figures,.keep{break-inside:avoid}
 thead{display:table-header-group}
 tr{break-inside:avoid}
 *{print-color-adjust:exact;-webkit-print-color-adjust:exact}
}
"#;

/// The complete HTML document.
pub fn document(ctx: &Ctx, sections: &[SectionInfo], body: &str) -> String {
    let l = ctx.lang;
    let s = &ctx.d.summary;
    let mut o = String::with_capacity(body.len() + 8192);
    let _ = write!(
        o,
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"generator\" content=\"ploeg {version}\">\n\
         <title>{title} — {scenario}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<header>\n\
         <h1>{title}</h1>\n<p class=\"meta\">{scenario} · {people} · {projects} · ploeg {version}{pseudo}</p>\n",
        lang = l.code(),
        version = Esc(&s.ploeg_version),
        title = l.t("Staffing plan", "Bezettingsplan"),
        scenario = Esc(&s.scenario),
        people = format_args!("{} {}", l.num(s.people as f64, 0), l.t("people", "mensen")),
        projects = format_args!("{} {}", l.num(s.projects as f64, 0), l.t("projects", "projecten")),
        pseudo = if ctx.names.pseudonyms.is_some() {
            l.t(
                " · names replaced by pseudonyms",
                " · namen vervangen door pseudoniemen",
            )
        } else {
            ""
        },
    );
    o.push_str("<nav><ol>");
    for sec in sections.iter().filter(|s| s.shown) {
        let _ = write!(o, "<li><a href=\"#{}\">{}</a></li>", sec.id, Esc(sec.title));
    }
    o.push_str("</ol></nav>\n</header>\n<main>\n");
    o.push_str(body);
    let _ = write!(
        o,
        "</main>\n<footer class=\"note\"><p>{}</p></footer>\n</body>\n</html>\n",
        l.t(
            "Made by ploeg from the files of one run; every figure can be traced to those files.",
            "Gemaakt door ploeg uit de bestanden van één run; elk getal is terug te vinden in die bestanden.",
        )
    );
    o
}

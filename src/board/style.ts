/** The board's style sheet: served as a file by specflowd, inlined (with its hash in the CSP) by `board --out`. */
export const BOARD_CSS = `
:root{color-scheme:light dark;--fg:#1d1f23;--bg:#f6f7f9;--card:#fff;--line:#d5d9e0;--muted:#5b6270;--err:#b3261e;--warn:#8a5a00;--ok:#1e6b35;--focus:#0b57d0}
@media (prefers-color-scheme:dark){:root{--fg:#e6e8eb;--bg:#16181c;--card:#21242a;--line:#3a3f48;--muted:#a0a7b4;--err:#ff8a80;--warn:#ffcc66;--ok:#7bd88f;--focus:#8ab4f8}}
*{box-sizing:border-box}
body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:var(--fg);background:var(--bg)}
header.top{display:flex;gap:1rem;align-items:baseline;flex-wrap:wrap;padding:.8rem 1.2rem;border-bottom:1px solid var(--line)}
header.top h1{font-size:1.15rem;margin:0}
header.top a{color:inherit}
#live{margin:0 0 0 auto;font-size:.85rem;color:var(--muted)}
#live.stopped{color:var(--err);font-weight:600}
main{padding:1rem 1.2rem}
a:focus-visible,summary:focus-visible{outline:3px solid var(--focus);outline-offset:2px}
.summary{display:flex;flex-wrap:wrap;gap:.6rem 1.6rem;align-items:baseline;margin-bottom:1rem}
.summary ul.phases{display:flex;gap:.9rem;list-style:none;margin:0;padding:0}
.summary .next code,.summary .problems code{font-size:.9em}
.problems{color:var(--err)}
.problems ul{margin:.2rem 0 0;padding-left:1.2rem;color:var(--fg)}
.columns{display:grid;grid-template-columns:repeat(6,minmax(11rem,1fr));gap:.8rem;overflow-x:auto}
.column h2{font-size:1rem;margin:0 0 .5rem;padding-bottom:.3rem;border-bottom:2px solid var(--line)}
.column ul{list-style:none;margin:0;padding:0;display:flex;flex-direction:column;gap:.55rem}
a.card{display:block;padding:.55rem .65rem;border:1px solid var(--line);border-radius:6px;background:var(--card);color:inherit;text-decoration:none}
a.card:hover{border-color:var(--muted)}
a.card.unbacked{border-left:5px solid var(--err)}
.card b{white-space:nowrap}
.card>span:not(.badge){overflow-wrap:anywhere}
.card small{display:block;font-size:.83rem;color:var(--muted)}
.card strong{color:var(--err)}
.card em{color:var(--warn);font-style:normal}
.card progress{width:100%;height:.55rem}
.badge{display:inline-block;margin-top:.3rem;padding:0 .35rem;border:1px solid var(--err);border-radius:4px;color:var(--err);font-size:.8rem;font-weight:600}
.errors{color:var(--err);font-weight:600}
.warnings{color:var(--warn)}
.empty{color:var(--muted);font-style:italic}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}
dl.facts dt{color:var(--muted)}
dl.facts dd{margin:0}
ul.findings{padding-left:1.2rem}
ul.findings li{margin-bottom:.35rem}
.where{font-family:ui-monospace,monospace;font-size:.9em}
.hint{display:block;color:var(--muted)}
ul.tasks{list-style:none;padding-left:.2rem}
table{border-collapse:collapse;width:100%;font-size:.9rem}
th,td{text-align:left;padding:.3rem .5rem;border-bottom:1px solid var(--line);vertical-align:top}
.held{color:var(--ok)}
.failed{color:var(--err);font-weight:700}
section.feature{margin-top:2.5rem;padding-top:1rem;border-top:2px solid var(--line)}
.unreadable{color:var(--err)}
`;

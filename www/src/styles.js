// Styles of the widget's shadow root. Every colour, the font and the radius come from CSS custom
// properties, so a host page themes the widget without reaching inside it:
//   merchant-credit-precheck { --mc-accent: #7c3aed; --mc-radius: 4px; }
// Default colours meet WCAG AA contrast (4.5:1 for text) on the default surfaces.

export const CSS = `
:host {
  --mc-font: system-ui, -apple-system, "Segoe UI", Roboto, "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", "WenQuanYi Micro Hei", sans-serif;
  --mc-bg: #f6f7f9;
  --mc-surface: #ffffff;
  --mc-text: #111827;
  --mc-muted: #4b5563;
  --mc-border: #d1d5db;
  --mc-accent: #1d4ed8;
  --mc-accent-text: #ffffff;
  --mc-approve: #047857;
  --mc-refer: #b45309;
  --mc-decline: #b91c1c;
  --mc-focus: #2563eb;
  --mc-radius: 10px;
  --mc-bar: #3b82f6;
  --mc-bar-refund: #f59e0b;
  display: block;
  font-family: var(--mc-font);
  color: var(--mc-text);
  line-height: 1.45;
  font-size: 15px;
}
:host([hidden]) { display: none; }
* { box-sizing: border-box; }
.mc { background: var(--mc-bg); border-radius: var(--mc-radius); padding: 20px; border: 1px solid var(--mc-border); }
.top { display: flex; gap: 12px; align-items: flex-start; justify-content: space-between; flex-wrap: wrap; }
h2 { font-size: 1.35em; margin: 0 0 2px; }
h3 { font-size: 1.02em; margin: 0 0 10px; }
p { margin: 0; }
.muted { color: var(--mc-muted); }
.small { font-size: 0.87em; }
.privacy { display: flex; gap: 8px; align-items: flex-start; margin: 12px 0 16px; padding: 10px 12px; border-radius: var(--mc-radius);
  background: #ecfdf5; color: #065f46; border: 1px solid #a7f3d0; font-size: 0.9em; }
.privacy svg { flex: none; margin-top: 2px; }
.card { background: var(--mc-surface); border: 1px solid var(--mc-border); border-radius: var(--mc-radius); padding: 16px; }
.grid { display: grid; gap: 14px; grid-template-columns: repeat(2, minmax(0, 1fr)); margin-top: 14px; }
@media (max-width: 720px) { .grid { grid-template-columns: minmax(0, 1fr); } }
#result-heading:focus { outline: none; }
.wide { grid-column: 1 / -1; }
select, button, input[type=range] { font: inherit; }
select { padding: 6px 8px; border-radius: 6px; border: 1px solid var(--mc-border); background: var(--mc-surface); color: var(--mc-text); }
label.field { display: inline-flex; flex-direction: column; gap: 4px; font-size: 0.87em; color: var(--mc-muted); }
.btn { display: inline-flex; align-items: center; gap: 6px; padding: 8px 14px; border-radius: 8px; border: 1px solid var(--mc-accent);
  background: var(--mc-accent); color: var(--mc-accent-text); cursor: pointer; font-weight: 600; font-size: 0.95em; }
.btn.secondary { background: var(--mc-surface); color: var(--mc-accent); }
.btn:hover { filter: brightness(1.08); }
.btn[disabled] { opacity: .55; cursor: not-allowed; }
:focus-visible, .file:focus-visible + label { outline: 3px solid var(--mc-focus); outline-offset: 2px; }
.sr-only { position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
.drop { border: 2px dashed var(--mc-border); border-radius: var(--mc-radius); background: var(--mc-surface); padding: 22px; text-align: center; transition: border-color .15s, background .15s; }
.drop.over { border-color: var(--mc-accent); background: #eff6ff; }
.drop .title { font-weight: 600; font-size: 1.05em; }
.drop .actions { display: flex; gap: 14px; justify-content: center; align-items: flex-end; flex-wrap: wrap; margin-top: 14px; }
.sample { display: flex; gap: 10px; justify-content: center; align-items: flex-end; flex-wrap: wrap; margin-top: 14px; padding-top: 12px; border-top: 1px solid var(--mc-border); }
.progress { margin-top: 14px; }
.progress .bar { height: 8px; border-radius: 4px; background: #e5e7eb; overflow: hidden; margin-top: 6px; }
.progress .fill { height: 100%; width: 0; background: var(--mc-accent); transition: width .1s linear; }
.error { margin-top: 14px; padding: 12px; border-radius: var(--mc-radius); background: #fef2f2; color: #7f1d1d; border: 1px solid #fecaca; }
.error code { font-size: 0.9em; }
.summary { display: grid; grid-template-columns: minmax(180px, 220px) 1fr; gap: 18px; align-items: center; }
@media (max-width: 560px) { .summary { grid-template-columns: 1fr; } }
.badge { display: inline-block; padding: 4px 10px; border-radius: 999px; font-weight: 700; font-size: 0.95em; color: #fff; }
.badge.approve { background: var(--mc-approve); }
.badge.refer { background: var(--mc-refer); }
.badge.decline { background: var(--mc-decline); }
.line { font-size: 2.1em; font-weight: 700; letter-spacing: -0.01em; margin: 6px 0 2px; font-variant-numeric: tabular-nums; }
.kv { display: flex; gap: 18px; flex-wrap: wrap; margin-top: 8px; font-size: 0.9em; }
.kv div { display: flex; flex-direction: column; }
.kv dt, .kv .k { color: var(--mc-muted); font-size: 0.85em; }
.kv .v { font-weight: 600; font-variant-numeric: tabular-nums; }
.gauge text { font-family: var(--mc-font); fill: var(--mc-text); }
table { width: 100%; border-collapse: collapse; font-size: 0.92em; }
th, td { text-align: left; padding: 8px 6px; border-bottom: 1px solid var(--mc-border); vertical-align: top; }
th { color: var(--mc-muted); font-weight: 600; font-size: 0.88em; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
ol.reasons { margin: 0; padding: 0; list-style: none; counter-reset: r; }
ol.reasons li { counter-increment: r; display: grid; grid-template-columns: 26px 1fr auto; gap: 8px; padding: 8px 0; border-bottom: 1px solid var(--mc-border); }
ol.reasons li::before { content: counter(r); width: 22px; height: 22px; border-radius: 50%; background: #e5e7eb; color: var(--mc-text); font-size: 0.8em; font-weight: 700; display: grid; place-items: center; }
ol.reasons .pts { color: var(--mc-decline); font-weight: 600; white-space: nowrap; font-variant-numeric: tabular-nums; }
ol.reasons .tip { color: var(--mc-muted); font-size: 0.87em; }
ul.plain { margin: 0; padding: 0; list-style: none; }
ul.plain li { padding: 6px 0; border-bottom: 1px solid var(--mc-border); display: flex; gap: 8px; }
ul.plain li:last-child, ol.reasons li:last-child { border-bottom: none; }
.tag { flex: none; font-size: 0.75em; font-weight: 700; padding: 2px 6px; border-radius: 4px; background: #e5e7eb; color: var(--mc-text); height: fit-content; }
.tag.warning, .tag.refer { background: #fef3c7; color: #78350f; }
.tag.error, .tag.decline { background: #fee2e2; color: #7f1d1d; }
.whatif .ctl { display: grid; grid-template-columns: 1fr auto; gap: 2px 10px; margin-bottom: 10px; }
.whatif label { font-size: 0.9em; }
.whatif output { font-weight: 600; font-variant-numeric: tabular-nums; }
.whatif input[type=range] { grid-column: 1 / -1; width: 100%; accent-color: var(--mc-accent); }
.scenario { margin-top: 8px; padding: 10px 12px; border-radius: 8px; background: #eff6ff; border: 1px solid #bfdbfe; }
.scenario .delta { font-weight: 700; font-size: 1.1em; font-variant-numeric: tabular-nums; }
.scenario .delta.up { color: var(--mc-approve); }
.scenario .delta.down { color: var(--mc-decline); }
.chart svg { width: 100%; height: auto; display: block; }
.chart text { font-family: var(--mc-font); fill: var(--mc-muted); font-size: 11px; }
.legend { display: flex; gap: 14px; font-size: 0.82em; color: var(--mc-muted); margin-top: 6px; }
.chart rect.net { fill: var(--mc-bar); }
.chart rect.ref { fill: var(--mc-bar-refund); }
.legend i.net { background: var(--mc-bar); }
.legend i.ref { background: var(--mc-bar-refund); }
.legend i { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 4px; vertical-align: -1px; }
.foot { margin-top: 14px; display: flex; justify-content: space-between; gap: 12px; flex-wrap: wrap; align-items: center; }
.official { display: flex; flex-direction: column; gap: 8px; }
.official .status { font-size: 0.92em; }
.official .status.match { color: var(--mc-approve); font-weight: 600; }
.official .status.differs { color: var(--mc-refer); font-weight: 600; }
code.digest { font-size: 0.8em; color: var(--mc-muted); word-break: break-all; }
@media (prefers-reduced-motion: reduce) { * { transition: none !important; } }
`;

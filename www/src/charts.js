// Inline SVG: the score gauge and the monthly sales chart. No library, no external asset.

import { esc } from './util.js';

/** A half-circle gauge from `lo` to `hi` with grade bands; `cuts` are [{grade, min_score}] high to low. */
export function gaugeSvg(score, grade, cuts, labels) {
  const mins = cuts.map((c) => c.min_score).filter((x) => typeof x === 'number');
  const lo = Math.min(...mins, score) - 30;
  const hi = Math.max(...mins, score) + 40;
  const cx = 110, cy = 105, r = 86, w = 16;
  const ang = (v) => Math.PI * (1 - (Math.min(Math.max(v, lo), hi) - lo) / (hi - lo));
  const pt = (a, rr) => [cx + rr * Math.cos(a), cy - rr * Math.sin(a)];
  const arc = (a0, a1, color) => {
    const [x0, y0] = pt(a0, r);
    const [x1, y1] = pt(a1, r);
    return `<path d="M${x0.toFixed(1)} ${y0.toFixed(1)} A${r} ${r} 0 0 1 ${x1.toFixed(1)} ${y1.toFixed(1)}" stroke="${color}" stroke-width="${w}" fill="none"/>`;
  };
  // Bands: worst grade on the left. Colours go from red to green.
  const palette = ['#dc2626', '#ea580c', '#f59e0b', '#eab308', '#65a30d', '#059669'];
  const sorted = [...cuts].sort((a, b) => (a.min_score ?? -Infinity) - (b.min_score ?? -Infinity));
  let bands = '';
  for (let i = 0; i < sorted.length; i++) {
    const from = sorted[i].min_score ?? lo;
    const to = i + 1 < sorted.length ? sorted[i + 1].min_score : hi;
    const color = palette[Math.round((i * (palette.length - 1)) / Math.max(1, sorted.length - 1))];
    bands += arc(ang(from), ang(to), color);
  }
  // The score is a marker on the arc (a needle would cross the number in the middle).
  const [mx, my] = pt(ang(score), r);
  return `<svg class="gauge" viewBox="0 0 220 130" role="img" aria-label="${esc(labels.aria)}">
  <path d="M${cx - r} ${cy} A${r} ${r} 0 0 1 ${cx + r} ${cy}" stroke="#e5e7eb" stroke-width="${w}" fill="none"/>
  ${bands}
  <circle cx="${mx.toFixed(1)}" cy="${my.toFixed(1)}" r="11" fill="#111827" stroke="#fff" stroke-width="3"/>
  <text x="${cx}" y="${cy - 14}" text-anchor="middle" font-size="34" font-weight="700">${esc(String(score))}</text>
  <text x="${cx}" y="${cy + 12}" text-anchor="middle" font-size="14">${esc(labels.grade)} ${esc(grade)}</text>
</svg>`;
}

function niceStep(max, ticks) {
  const raw = max / ticks;
  const p = Math.pow(10, Math.floor(Math.log10(raw || 1)));
  const m = raw / p;
  return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 2.5 ? 2.5 : m <= 5 ? 5 : 10) * p;
}

/** Bars of sales per month with the refunded part stacked on top; a hidden table for screen readers. */
export function salesChartSvg(series, f, t) {
  if (!series.length) return `<p class="muted">${esc(t.noSales)}</p>`;
  const W = 640, H = 220, L = 56, R = 8, T = 10, B = 34;
  const max = Math.max(...series.map((s) => s.gross), 1);
  const step = niceStep(max, 4);
  const top = Math.ceil(max / step) * step;
  const y = (v) => T + (H - T - B) * (1 - v / top);
  const bw = (W - L - R) / series.length;
  let grid = '';
  for (let v = 0; v <= top + 1e-9; v += step) {
    grid += `<line x1="${L}" x2="${W - R}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="#e5e7eb"/>`;
    grid += `<text x="${L - 6}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end">${esc(f.compact(v))}</text>`;
  }
  let bars = '';
  const every = Math.ceil(series.length / 8);
  series.forEach((s, i) => {
    const x = L + i * bw + bw * 0.15;
    const bwi = bw * 0.7;
    const net = Math.max(0, s.gross - s.refunds);
    const yNet = y(net);
    const yGross = y(s.gross);
    const title = `${f.month(s.month)}: ${t.gross} ${f.money(s.gross)}, ${t.refunds} ${f.money(s.refunds)}`;
    bars += `<g><title>${esc(title)}</title>`;
    bars += `<rect x="${x.toFixed(1)}" y="${yNet.toFixed(1)}" width="${bwi.toFixed(1)}" height="${(y(0) - yNet).toFixed(1)}" class="net" rx="2"/>`;
    if (s.refunds > 0) {
      bars += `<rect x="${x.toFixed(1)}" y="${yGross.toFixed(1)}" width="${bwi.toFixed(1)}" height="${(yNet - yGross).toFixed(1)}" class="ref"/>`;
    }
    bars += '</g>';
    if (i % every === 0 || (i === series.length - 1 && i % every >= Math.max(2, every / 2))) {
      bars += `<text x="${(x + bwi / 2).toFixed(1)}" y="${H - B + 16}" text-anchor="middle">${esc(f.month(s.month))}</text>`;
    }
  });
  const desc = t.salesDesc(f.month(series[0].month), f.month(series[series.length - 1].month), series.length);
  const rows = series.map((s) => `<tr><th scope="row">${esc(f.month(s.month))}</th><td>${esc(f.money(s.gross))}</td><td>${esc(f.money(s.refunds))}</td></tr>`).join('');
  return `<svg viewBox="0 0 ${W} ${H}" role="img" aria-label="${esc(desc)}">${grid}${bars}
  <line x1="${L}" x2="${W - R}" y1="${y(0)}" y2="${y(0)}" stroke="#9ca3af"/></svg>
  <div class="legend" aria-hidden="true"><span><i class="net"></i>${esc(t.gross)}</span><span><i class="ref"></i>${esc(t.refunds)}</span></div>
  <table class="sr-only"><caption>${esc(t.sales)}</caption><thead><tr><th scope="col"></th><th scope="col">${esc(t.gross)}</th><th scope="col">${esc(t.refunds)}</th></tr></thead><tbody>${rows}</tbody></table>`;
}

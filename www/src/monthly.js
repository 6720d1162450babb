// Monthly sales series for the chart, computed from a StoreData in the worker.
//
// Orders are grouped by the calendar month (UTC) of `placed_at`; cancelled orders are left out of
// sales, refunds are what `refund_amount` says (or the whole amount for a `refunded` order without
// one). Pre-aggregated `monthly` rows fill months that have no orders, as the engine does.
// Only the last `maxMonths` months up to `as_of` are returned.

export function monthlySeries(store, maxMonths = 24) {
  const byMonth = new Map();
  const bucket = (m) => {
    let b = byMonth.get(m);
    if (!b) {
      b = { month: m, gross: 0, refunds: 0, orders: 0 };
      byMonth.set(m, b);
    }
    return b;
  };
  const orders = Array.isArray(store.orders) ? store.orders : [];
  for (let i = 0; i < orders.length; i++) {
    const o = orders[i];
    if (!o || typeof o.placed_at !== 'string' || o.status === 'cancelled') continue;
    const b = bucket(o.placed_at.slice(0, 7));
    const amount = Number(o.amount) || 0;
    b.gross += amount;
    b.orders += 1;
    const refund = o.refund_amount != null ? Number(o.refund_amount) || 0 : o.status === 'refunded' ? amount : 0;
    b.refunds += refund;
  }
  const monthly = Array.isArray(store.monthly) ? store.monthly : [];
  for (const m of monthly) {
    if (!m || typeof m.month !== 'string' || byMonth.has(m.month)) continue;
    const b = bucket(m.month);
    b.gross = Number(m.gmv) || 0;
    b.refunds = Number(m.refunds) || 0;
    b.orders = Number(m.orders) || 0;
  }
  const end = typeof store.as_of === 'string' ? store.as_of.slice(0, 7) : null;
  let months = [...byMonth.keys()].sort();
  if (end) months = months.filter((m) => m <= end);
  if (months.length === 0) return [];
  // Fill gaps with zero months so the chart's time axis is honest.
  const filled = [];
  let [y, mo] = months[0].split('-').map(Number);
  const last = end && end >= months[months.length - 1] ? end : months[months.length - 1];
  for (let guard = 0; guard < 600; guard++) {
    const key = `${y}-${String(mo).padStart(2, '0')}`;
    const b = byMonth.get(key) || { month: key, gross: 0, refunds: 0, orders: 0 };
    filled.push({ month: key, gross: round2(b.gross), refunds: round2(b.refunds), net: round2(b.gross - b.refunds), orders: b.orders });
    if (key >= last) break;
    mo += 1;
    if (mo > 12) {
      mo = 1;
      y += 1;
    }
  }
  return filled.slice(-maxMonths);
}

function round2(x) {
  return Math.round(x * 100) / 100;
}

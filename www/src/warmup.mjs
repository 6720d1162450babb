// Warm-up of the wasm engine in the widget's worker (worker.js calls `warmUp` when it creates the
// engine). Kept apart from the worker so a test can run it against the built package.
//
// V8 (Chromium, Node) runs a wasm function in its baseline tier until the function has used up a
// tiering budget, and a call already running never switches to the optimised code. So the first
// evaluation of a large export ran entirely in baseline code: 1,000,000 orders took 6.5 s on the
// first `evaluateCsv` in Chromium and 1.1 s on every later one. A few small imports right after the
// engine starts (a few hundred ms, before the seller has picked a file) use up the budget of the
// hot functions, so the seller's file runs in optimised code from its first call.
export function warmUpCsv(rows, shopify) {
  const day = (i) => `2025-0${1 + (i % 9)}-${String(1 + (i % 28)).padStart(2, '0')}`;
  const lines = [
    shopify
      ? 'Name,Email,Financial Status,Paid at,Fulfillment Status,Fulfilled at,Currency,Total,Created at,Lineitem quantity,Lineitem name,Lineitem price,Refunded Amount,Cancelled at'
      : 'id,placed_at,amount,status,refund_amount,buyer_id,shipped_at,delivered_at,rating,currency',
  ];
  for (let i = 0; i < rows; i++) {
    const t = `${day(i)} 10:${String(i % 60).padStart(2, '0')}:00`;
    lines.push(
      shopify
        ? `#${1000 + i},b${i % 97}@example.com,paid,${t} +0000,fulfilled,${t} +0000,CNY,${20 + (i % 50)}.50,${t} +0000,1,Mug,${20 + (i % 50)}.50,0.00,`
        : `o${i},${day(i)}T10:00:00Z,${20 + (i % 50)}.50,delivered,,b${i % 97},${day(i)}T18:00:00Z,${day(i)}T20:00:00Z,5,CNY`,
    );
  }
  return new TextEncoder().encode(lines.join('\n') + '\n');
}

export function warmUp(eng) {
  try {
    const csvs = [warmUpCsv(4000, false), warmUpCsv(2000, true)];
    for (let round = 0; round < 3; round++) {
      for (const bytes of csvs) eng.evaluateCsv(bytes, 'auto', { merchant_id: 'warm-up', opened_on: '2024-01-01' });
    }
  } catch (e) {
    // only a speed-up: an engine that cannot score the sample will say so on the seller's file
  }
}

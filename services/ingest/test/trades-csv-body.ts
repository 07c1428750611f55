/**
 * A trades CSV in the original format of about `bytes` bytes (never more), with a distinct trade per
 * row (quantity = row number), so every row has its own event id. Returns the body and its row count.
 */
export function tradesCsvBody(
  symbol: string,
  bytes: number,
  startMs = 1_534_849_272_066,
): { body: Buffer; rows: number } {
  const lines: string[] = [];
  let size = 0;
  for (let i = 0; ; i++) {
    const line = `${symbol},${i % 2 ? 'BUY ' : 'SELL'},${(100 + (i % 1000) / 100).toFixed(2)},${i},${startMs + i},2018-08-21 10:21:12.066\n`;
    if (size + line.length > bytes) break;
    lines.push(line);
    size += line.length;
  }
  return { body: Buffer.from(lines.join('')), rows: lines.length };
}

/**
 * Aligned plain-text tables. Columns are `{ header, align: 'left' | 'right' }`; cells are
 * strings. Widths count code points, which is right for the symbols used here (≤ ✓ ✗ × –).
 */
const width = (text) => [...text].length;
const pad = (text, size, align) => (align === 'right' ? ' '.repeat(size - width(text)) + text : text + ' '.repeat(size - width(text)));

export function formatTable(columns, rows, indent = '  ') {
  const sizes = columns.map((column, index) => Math.max(width(column.header), ...rows.map((row) => width(row[index] ?? ''))));
  const line = (cells) =>
    indent +
    cells
      .map((cell, index) => pad(cell ?? '', sizes[index], columns[index].align))
      .join('  ')
      .trimEnd();
  return [line(columns.map((column) => column.header)), indent + sizes.map((size) => '─'.repeat(size)).join('  '), ...rows.map(line)].join('\n');
}

/** 12.3 below 100, 1,234 above: enough digits to compare, no false precision. */
export function formatNs(ns) {
  if (!Number.isFinite(ns)) return '—';
  return ns < 100 ? ns.toFixed(1) : Math.round(ns).toLocaleString('en-US');
}

export function formatInteger(value) {
  return Math.round(value).toLocaleString('en-US');
}

export function formatRatio(ratio) {
  if (!Number.isFinite(ratio)) return '—';
  return ratio < 10 ? `${ratio.toFixed(1)}×` : `${Math.round(ratio).toLocaleString('en-US')}×`;
}

/** `≤ 100 ✓` within budget; `≤ 100 ✗ OVER +23%` past it. */
export function formatBudget(value, budget, unit = '') {
  if (budget === undefined) return '';
  if (!Number.isFinite(value)) return `≤ ${budget}${unit} ?`;
  if (value <= budget) return `≤ ${budget}${unit} ✓`;
  return `≤ ${budget}${unit} ✗ OVER +${Math.round((value / budget - 1) * 100)}%`;
}

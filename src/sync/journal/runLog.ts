import type { FieldValue } from '../ports';
import type { RunEntry } from './records';
import { reasonParts, type ReasonWords } from './reasons';

/** CSV of a run log for Excel: RFC 4180 quoting, CRLF, a BOM, and `;` for Dutch Excel. */

export interface CsvOptions {
  separator?: ',' | ';';
  /** Excel needs the BOM to read UTF-8 (é, ë, ü in Dutch and Belgian names). */
  bom?: boolean;
  /** The reader's words for the Reason column; English when absent. */
  reasonWords?: ReasonWords;
}

const HEADER = ['Action', 'Outcome', 'Exact key', 'Name', 'Item id', 'Field', 'Before', 'After', 'Reason'];

/**
 * Names and values come from Exact and the CRM; a cell that starts like a formula would run as one
 * when the log is opened in Excel, so it is prefixed with ' (plain negative numbers stay numbers).
 */
function defuseFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) && !/^-\d+([.,]\d+)?$/.test(value) ? `'${value}` : value;
}

export function csvField(raw: string, separator: string): string {
  const value = defuseFormula(raw);
  if (value.indexOf('"') >= 0 || value.indexOf(separator) >= 0 || /[\r\n]/.test(value)) {
    return `"${value.replace(/"/g, '""')}"`;
  }
  return value;
}

function show(value: FieldValue): string {
  return value === null ? '' : String(value);
}

/** One row per changed field; entries without changes (skips, errors) get one row with the reason. */
export function runLogToCsv(entries: RunEntry[], options: CsvOptions = {}): string {
  const separator = options.separator ?? ',';
  const rows: string[][] = [HEADER];
  for (const e of entries) {
    const head = [e.action, e.outcome, e.exactKey, e.label, e.itemId === null ? '' : String(e.itemId)];
    const said = reasonParts(e, options.reasonWords).join('; ');
    const reason = e.message ? `${said} (${e.message})` : said;
    if (e.changes.length === 0) {
      rows.push([...head, e.problems.map((p) => p.field).join(', '), '', '', reason]);
      continue;
    }
    for (const c of e.changes) rows.push([...head, c.field, show(c.before), show(c.after), reason]);
  }
  const body = rows.map((row) => row.map((v) => csvField(v, separator)).join(separator)).join('\r\n') + '\r\n';
  return (options.bom === false ? '' : '\ufeff') + body;
}

import { saveBlob } from './download';

/**
 * CSV as Excel opens it: UTF-8 with a byte-order mark (else Excel on Chinese Windows reads
 * GBK and garbles every name), CRLF line ends, every cell quoted when it needs to be, and a
 * cell that starts like a formula prefixed with ' so that a spreadsheet never runs it.
 */
export function toCsv(rows: (string | number | null)[][]): string {
  const cell = (v: string | number | null) => {
    let s = v === null ? '' : String(v);
    if (/^[=+\-@\t\r]/.test(s) && typeof v === 'string') s = `'${s}`;
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return '\uFEFF' + rows.map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}

/** Saves CSV text (from toCsv) as a download. */
export function download(filename: string, text: string): void {
  saveBlob(filename, new Blob([text], { type: 'text/csv;charset=utf-8' }));
}

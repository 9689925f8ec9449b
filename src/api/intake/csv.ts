/** One CSV record and the file line it starts on (a quoted field may span lines). */
export interface CsvRecord {
  line: number;
  fields: string[];
}

/** The file is not well-formed CSV: where and why. */
export class CsvSyntaxError extends Error {
  constructor(
    readonly line: number,
    readonly reason: string,
  ) {
    super(`line ${line}: ${reason}`);
    this.name = 'CsvSyntaxError';
  }
}

/**
 * RFC 4180 CSV: comma-separated fields; a field in double quotes may hold commas, line
 * breaks and doubled quotes (`""` for `"`). Records end with CRLF or LF (a lone CR too); the
 * last one may have no line break. A leading UTF-8 BOM is dropped. Blank lines are skipped.
 * A quote inside an unquoted field, or text after a closing quote, is refused rather than guessed at.
 */
export function parseCsv(text: string): CsvRecord[] {
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const records: CsvRecord[] = [];
  let line = 1;
  let i = 0;
  const n = src.length;

  while (i < n) {
    const startLine = line;
    const fields: string[] = [];
    let anyQuoted = false;
    for (;;) {
      // One field, starting at i.
      let value = '';
      if (src[i] === '"') {
        anyQuoted = true;
        const openedOn = line;
        i++;
        for (;;) {
          if (i >= n) throw new CsvSyntaxError(openedOn, 'a quoted field is not closed');
          const c = src[i];
          if (c === '"') {
            if (src[i + 1] === '"') {
              value += '"';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          if (c === '\r' || c === '\n') {
            line++;
            if (c === '\r' && src[i + 1] === '\n') {
              value += '\r\n';
              i += 2;
              continue;
            }
          }
          value += c;
          i++;
        }
        if (i < n && src[i] !== ',' && src[i] !== '\r' && src[i] !== '\n') {
          throw new CsvSyntaxError(line, 'unexpected text after a closing quote');
        }
      } else {
        const start = i;
        while (i < n && src[i] !== ',' && src[i] !== '\r' && src[i] !== '\n') {
          if (src[i] === '"') throw new CsvSyntaxError(line, 'a quote inside an unquoted field (quote the whole field and double the quote)');
          i++;
        }
        value = src.slice(start, i);
      }
      fields.push(value);
      if (i < n && src[i] === ',') {
        i++;
        continue;
      }
      break;
    }
    // End of record: a line break or the end of the text.
    if (i < n) {
      if (src[i] === '\r' && src[i + 1] === '\n') i += 2;
      else i++;
      line++;
    }
    const blank = fields.length === 1 && fields[0] === '' && !anyQuoted;
    if (!blank) records.push({ line: startLine, fields });
  }
  return records;
}

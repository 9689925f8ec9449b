import { problem } from '../http/problem';

/** Charsets a CSV upload may declare: UTF-8, and GB18030 with its subsets GBK and GB2312 (what Excel on Chinese Windows saves). */
const GB = ['gb18030', 'gbk', 'gb2312', 'x-gbk', 'cp936'];
const UTF8 = ['utf-8', 'utf8'];

const charsetOf = (contentType?: string): string | undefined => /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType ?? '')?.[1].toLowerCase();

/**
 * The text of a CSV upload. A UTF-8 BOM means UTF-8 (and is dropped); `charset=gb18030` (or
 * gbk, gb2312) means GB18030; otherwise UTF-8 if the bytes are valid UTF-8, else GB18030 —
 * "CSV (逗号分隔)" from Excel on Chinese Windows is GB18030 and says nothing. Decoding is
 * strict (Node's ICU TextDecoder, fatal): bytes that are neither are refused, not guessed at.
 */
export function decodeCsv(bytes: Uint8Array, contentType?: string): string {
  const charset = charsetOf(contentType);
  if (charset && !GB.includes(charset) && !UTF8.includes(charset))
    throw problem(415, 'unsupported-media-type', `CSV 只接受 UTF-8 或 GB18030 编码 / a CSV file must be UTF-8 or GB18030, not ${charset.slice(0, 40)}`);
  const bom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  if (bom) return strict('utf-8', bytes.subarray(3));
  if (charset && GB.includes(charset)) return strict('gb18030', bytes);
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return strict('gb18030', bytes);
  }
}

function strict(encoding: 'utf-8' | 'gb18030', bytes: Uint8Array): string {
  try {
    return new TextDecoder(encoding, { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    const name = encoding === 'utf-8' ? 'UTF-8' : 'GB18030';
    throw problem(400, 'validation', `文件不是有效的 ${name} 文本 / the file is not valid ${name} text`, [
      { path: 'body', message: `not valid ${encoding === 'utf-8' ? 'UTF-8' : 'UTF-8 nor GB18030'}` },
    ]);
  }
}

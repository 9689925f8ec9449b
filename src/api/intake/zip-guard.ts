import { inflateRawSync } from 'node:zlib';
import { problem } from '../http/problem';

/** What an .xlsx upload may unpack to: a 5,000-row sheet is a few MB; more is a zip bomb, not a list of households. */
export const XLSX_MAX_UNPACKED_BYTES = 40 * 1024 * 1024;
export const XLSX_MAX_ENTRIES = 500;

const refuse = (detail: string, message: string) => problem(400, 'validation', detail, [{ path: 'body', message }]);

/**
 * Checks an .xlsx upload (a zip archive) before the spreadsheet library opens it, since that
 * library unpacks every part in memory: the archive must be a plain zip (no zip64, no
 * encryption, stored or deflated parts) of at most XLSX_MAX_ENTRIES parts, and its parts must
 * really unpack to at most XLSX_MAX_UNPACKED_BYTES in all. The sizes are measured by unpacking
 * with a cap (zlib's maxOutputLength), not read from the headers, which a hostile file can fake.
 */
export function guardZip(bytes: Buffer): void {
  const notZip = () => refuse('不是有效的 .xlsx 文件（不是 zip 压缩包）/ not an .xlsx file: not a zip archive', 'not a zip archive');
  // End of central directory: 22 bytes, then a comment of up to 65,535 bytes.
  let eocd = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 0xffff); i--) {
    if (bytes.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw notZip();
  const entries = bytes.readUInt16LE(eocd + 10);
  const cdOffset = bytes.readUInt32LE(eocd + 16);
  if (entries === 0xffff || cdOffset === 0xffffffff) throw refuse('不支持 zip64 格式 / zip64 archives are not accepted', 'zip64 archive');
  if (entries === 0) throw notZip();
  if (entries > XLSX_MAX_ENTRIES)
    throw refuse(`压缩包内文件过多 / the archive holds ${entries} parts; at most ${XLSX_MAX_ENTRIES}`, `more than ${XLSX_MAX_ENTRIES} parts`);

  let budget = XLSX_MAX_UNPACKED_BYTES;
  let at = cdOffset;
  for (let k = 0; k < entries; k++) {
    if (at + 46 > bytes.length || bytes.readUInt32LE(at) !== 0x02014b50) throw notZip();
    const flags = bytes.readUInt16LE(at + 8);
    const method = bytes.readUInt16LE(at + 10);
    const compressed = bytes.readUInt32LE(at + 20);
    const local = bytes.readUInt32LE(at + 42);
    const next = at + 46 + bytes.readUInt16LE(at + 28) + bytes.readUInt16LE(at + 30) + bytes.readUInt16LE(at + 32);
    if (flags & 1) throw refuse('不接受加密的文件 / encrypted workbooks are not accepted', 'encrypted');
    if (local + 30 > bytes.length || bytes.readUInt32LE(local) !== 0x04034b50) throw notZip();
    const start = local + 30 + bytes.readUInt16LE(local + 26) + bytes.readUInt16LE(local + 28);
    if (start + compressed > bytes.length) throw notZip();
    const data = bytes.subarray(start, start + compressed);
    let size: number;
    if (method === 0) size = compressed;
    else if (method === 8) {
      try {
        size = inflateRawSync(data, { maxOutputLength: budget + 1 }).length;
      } catch (e) {
        if ((e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') size = budget + 1;
        else throw notZip();
      }
    } else throw refuse(`不支持的压缩方式 / compression method ${method} is not accepted`, 'unsupported compression');
    budget -= size;
    if (budget < 0)
      throw problem(
        413,
        'too-large',
        `文件解压后超过 ${XLSX_MAX_UNPACKED_BYTES / 1024 / 1024} MB（疑似压缩炸弹）/ the workbook unpacks to more than ${XLSX_MAX_UNPACKED_BYTES / 1024 / 1024} MB`,
        [{ path: 'body', message: 'unpacks too large (zip bomb?)' }],
      );
    at = next;
  }
}

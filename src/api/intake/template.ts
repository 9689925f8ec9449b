import ExcelJS from 'exceljs';
import { MAX_INTAKE_ROWS } from '../contract/intake-schemas';
import { COLUMN_KEYS, INTAKE_COLUMNS, type IntakeColumn } from './columns';

/**
 * The downloadable intake templates (GET /intake/template.xlsx and .csv): the Chinese headers,
 * one example row (refused if uploaded: intake-rows.ts recognises its ID number) and, in the
 * workbook, a note on each header and a sheet of instructions, Chinese then English.
 */

const GENERAL_NOTES: [string, string][] = [
  ['第一行是列名，请勿修改；每行填写一户。', 'Row 1 holds the column names: keep it. One household per row.'],
  ['第二行是示例，上传前请删除（否则该行会被拒绝）。', 'Row 2 is an example: delete it before uploading (it would be refused).'],
  [`一次最多 ${MAX_INTAKE_ROWS} 户；上传时选择所属村。`, `At most ${MAX_INTAKE_ROWS} households per file; choose the village when uploading.`],
  ['身份证号、银行账号请以文本格式填写，否则 Excel 会丢失末几位。', 'Enter ID and account numbers as text, or Excel loses their last digits.'],
  ['公式按 Excel 保存的计算结果读取。', 'Formulas are read as the values Excel saved with them.'],
  ['可另存为 CSV（UTF-8 或 GB18030 编码）上传。', 'The sheet may also be saved and uploaded as CSV (UTF-8 or GB18030).'],
];

const VALUE_LISTS: Partial<Record<keyof typeof INTAKE_COLUMNS, string>> = {
  head_able_to_work: '"是,否"',
  head_health: '"健康,慢性病,大病,残疾"',
  housing_grade: '"A,B,C,D"',
  primary_cause: '"因病,缺技术,生存环境差,缺资金,收入低,因学,因灾"',
};

export async function templateXlsx(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.created = new Date(0);
  const ws = wb.addWorksheet('申请登记', { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = COLUMN_KEYS.map((k) => {
    const c = INTAKE_COLUMNS[k];
    // ID and account numbers as text ('@'), so that Excel keeps every digit.
    return { header: c.zh, key: k, width: Math.max(14, c.zh.length * 2.5), ...('digits' in c ? { style: { numFmt: '@' } } : {}) };
  });
  const header = ws.getRow(1);
  header.font = { bold: true };
  COLUMN_KEYS.forEach((k, i) => {
    const c = INTAKE_COLUMNS[k];
    header.getCell(i + 1).note = `${c.required ? '必填' : '选填'}：${c.hintZh}\n${c.required ? 'Required' : 'Optional'} (${k}): ${c.hintEn}`;
  });
  const example = ws.addRow(
    COLUMN_KEYS.map((k) => {
      const c: IntakeColumn = INTAKE_COLUMNS[k];
      return !c.digits && /^\d+(\.\d+)?$/.test(c.example) ? Number(c.example) : c.example;
    }),
  );
  example.font = { italic: true, color: { argb: 'FF808080' } };
  COLUMN_KEYS.forEach((k, i) => {
    const list = VALUE_LISTS[k];
    if (!list) return;
    const letter = ws.getColumn(i + 1).letter;
    for (let row = 2; row <= 200; row++) {
      ws.getCell(`${letter}${row}`).dataValidation = { type: 'list', allowBlank: true, formulae: [list], showErrorMessage: true };
    }
  });

  const notes = wb.addWorksheet('填写说明 Notes');
  notes.columns = [
    { header: '列名', width: 18 },
    { header: 'Column', width: 20 },
    { header: '必填 / Required', width: 16 },
    { header: '填写说明', width: 50 },
    { header: 'Notes', width: 60 },
  ];
  notes.getRow(1).font = { bold: true };
  for (const k of COLUMN_KEYS) {
    const c = INTAKE_COLUMNS[k];
    notes.addRow([c.zh, k, c.required ? '必填 / yes' : '选填 / no', c.hintZh, c.hintEn]);
  }
  notes.addRow([]);
  for (const [zh, en] of GENERAL_NOTES) notes.addRow([zh, '', '', '', en]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const csvField = (s: string) => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

/** UTF-8 with a BOM, so that Excel opens it with the Chinese intact: the header and the example row. */
export function templateCsv(): Buffer {
  const lines = [COLUMN_KEYS.map((k) => csvField(INTAKE_COLUMNS[k].zh)), COLUMN_KEYS.map((k) => csvField(INTAKE_COLUMNS[k].example))];
  return Buffer.from(`\uFEFF${lines.map((l) => l.join(',')).join('\r\n')}\r\n`, 'utf8');
}

import { HEALTH, HOUSING_GRADES, POVERTY_CAUSES } from '../../domain/household';

/**
 * The columns of a bulk intake file (CSV or .xlsx) and of the downloadable template. Each has
 * an English name (the original CSV header) and a Chinese one (what village officials write in
 * Excel); a header may use either, column by column. Errors name a column as the file names it.
 */
export interface IntakeColumn {
  /** The header as Chinese spreadsheets write it. */
  zh: string;
  /** Required in the header (a cell may still be empty, and is then refused by the row's validation). */
  required: boolean;
  /** What goes in the column, Chinese then English (the template's notes). */
  hintZh: string;
  hintEn: string;
  /** The template's example value. */
  example: string;
  /** Cells that must be text: long digit strings lose their last digits when Excel stores them as numbers. */
  digits?: boolean;
}

/** The template's example household: its row is refused on upload (delete it before uploading), recognised by this ID number. */
export const EXAMPLE_HEAD_ID = '522701199001010008';

export const INTAKE_COLUMNS = {
  head_name: { zh: '户主姓名', required: true, hintZh: '户主的姓名', hintEn: "the head of household's name", example: '陈军' },
  head_id_number: {
    zh: '户主身份证号',
    required: true,
    hintZh: '18 位身份证号（末位校验码可为 X），请以文本格式填写',
    hintEn: '18-character resident ID number (last may be X), entered as text',
    example: EXAMPLE_HEAD_ID,
    digits: true,
  },
  head_age: {
    zh: '户主年龄',
    required: true,
    hintZh: '可空，按身份证号中的出生日期计算；填写时须与之相符（整数周岁）',
    hintEn: "may be empty: read from the ID number's birth date; if written, whole years agreeing with it",
    example: '',
  },
  head_able_to_work: { zh: '户主有劳动能力', required: true, hintZh: '是 或 否', hintEn: 'yes/no (true/false)', example: '是' },
  head_health: {
    zh: '户主健康状况',
    required: true,
    hintZh: '健康、慢性病、大病、残疾',
    hintEn: HEALTH.join(', '),
    example: '慢性病',
  },
  members: {
    zh: '其他家庭成员',
    required: false,
    hintZh: '可空。每人写作 姓名|与户主关系|身份证号|年龄|有劳动能力|健康状况，多人用 ; 分隔；年龄可空',
    hintEn: 'optional: each as name|relation|idNumber|age|ableToWork|health, separated by ;',
    example: '陈华|配偶|522701199203040002||否|大病',
    digits: true,
  },
  annual_income_fen: {
    zh: '家庭年收入（分）',
    required: true,
    hintZh: '上一年家庭纯收入，单位：分（1 元 = 100 分），整数',
    hintEn: "last year's net income in integer fen (1 yuan = 100 fen)",
    example: '180000',
  },
  housing_grade: { zh: '住房等级', required: true, hintZh: 'A、B、C、D', hintEn: HOUSING_GRADES.join(', '), example: 'C' },
  primary_cause: {
    zh: '主要致贫原因',
    required: true,
    hintZh: '因病、缺技术、生存环境差、缺资金、收入低、因学、因灾',
    hintEn: POVERTY_CAUSES.join(', '),
    example: '因病',
  },
  secondary_causes: { zh: '次要致贫原因', required: false, hintZh: '可空；多个用 ; 分隔，取值同上', hintEn: 'optional, separated by ;', example: '收入低' },
  requested_help: { zh: '申请帮扶内容', required: true, hintZh: '需要的帮扶', hintEn: 'the help asked for', example: '医疗费用补助' },
  bank: {
    zh: '开户银行',
    required: false,
    hintZh: '可空；与银行账号同时填写',
    hintEn: 'optional: bank name, with the account number',
    example: '农村信用合作社',
  },
  account_number: {
    zh: '银行账号',
    required: false,
    hintZh: '可空；8 至 30 位数字，请以文本格式填写',
    hintEn: 'optional: 8 to 30 digits, entered as text',
    example: '6228480098765432',
    digits: true,
  },
  land_mu: { zh: '耕地面积（亩）', required: false, hintZh: '可空；数字', hintEn: 'optional: farmland in mu', example: '3.5' },
} as const satisfies Record<string, IntakeColumn>;

export type ColumnKey = keyof typeof INTAKE_COLUMNS;
export const COLUMN_KEYS = Object.keys(INTAKE_COLUMNS) as ColumnKey[];

/** Full-width brackets and spaces (as Chinese input methods type them) read as their ASCII forms; case is ignored. */
const normalise = (h: string) => h.normalize('NFKC').replace(/\s+/g, '').toLowerCase();

const BY_HEADER = new Map<string, ColumnKey>(COLUMN_KEYS.flatMap((k) => [[normalise(k), k] as const, [normalise(INTAKE_COLUMNS[k].zh), k] as const]));

/** The column a header names, in English or Chinese, or undefined. */
export const columnOf = (header: string): ColumnKey | undefined => BY_HEADER.get(normalise(header));

/**
 * Chinese words accepted for coded values, beside the codes themselves, so that a sheet filled
 * in Chinese needs no English: 是/否, health, causes.
 */
export const YES = ['true', 'yes', '1', '是', '有'];
export const NO = ['false', 'no', '0', '否', '无'];
export const HEALTH_ZH: Record<string, (typeof HEALTH)[number]> = { 健康: 'healthy', 慢性病: 'chronic_illness', 大病: 'serious_illness', 残疾: 'disabled' };
export const CAUSE_ZH: Record<string, (typeof POVERTY_CAUSES)[number]> = {
  因病: 'illness',
  缺技术: 'lack_of_skilled_labour',
  生存环境差: 'living_environment',
  缺资金: 'lack_of_development_funds',
  收入低: 'low_income',
  因学: 'schooling',
  因灾: 'disaster',
};

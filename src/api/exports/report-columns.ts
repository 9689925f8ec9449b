import type { ReportRowT } from '../contract/report-schemas';
import type { ExportColumn } from './table-file';

const ratio = (v: number | null) => (v === null ? null : Math.round(v * 10_000) / 100); // a percentage with two decimals
const yuan = (fen: number) => (fen / 100).toFixed(2);

/** The progress report's and the assessment's columns (Chinese first, English in brackets). */
export const REPORT_COLUMNS: ExportColumn<ReportRowT>[] = [
  { zh: '行政区划代码', en: 'jurisdiction', value: (r) => r.jurisdiction },
  { zh: '名称', en: 'name', value: (r) => r.name },
  { zh: '户籍人口', en: 'population', value: (r) => r.population },
  { zh: '在册贫困户数', en: 'enrolled households', value: (r) => r.enrolledHouseholds },
  { zh: '在册贫困人口', en: 'enrolled people', value: (r) => r.enrolledPeople },
  { zh: '贫困发生率(%)', en: 'incidence %', value: (r) => ratio(r.incidence) },
  { zh: '新立案件', en: 'cases opened', value: (r) => r.casesOpened },
  { zh: '新纳入户数', en: 'households enrolled', value: (r) => r.householdsEnrolled },
  { zh: '脱贫退出户数', en: 'households exited', value: (r) => r.householdsExited },
  { zh: '超期在办案件', en: 'open cases overdue', value: (r) => r.openOverdue },
  { zh: '已结对户数', en: 'households paired', value: (r) => r.paired },
  { zh: '结对覆盖率(%)', en: 'coverage %', value: (r) => ratio(r.coverage) },
  { zh: '走访次数', en: 'visits', value: (r) => r.visits },
  { zh: '失联户数', en: 'lost contact', value: (r) => r.lostContact },
  { zh: '帮扶计划生效户数', en: 'help plans in effect', value: (r) => r.plansEffective },
  { zh: '拨付资金(元)', en: 'paid out (yuan)', value: (r) => yuan(r.disbursedFen) },
];

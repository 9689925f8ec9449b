import type { Stage } from '../../domain/case/stages';
import type { ExportColumn } from './table-file';

/** The columns of the exported lists: the JSON fields, flattened, under Chinese headers (English in brackets), plus the stage's Chinese name. */

export const STAGE_ZH: Record<Stage, string> = {
  village_evaluation: '村级评议',
  village_publicity: '村级公示',
  town_audit: '乡镇审核',
  town_publicity: '乡镇公示',
  county_approval: '县级审批',
  enrolled: '已纳入',
  exit_verification: '退出核实',
  exit_publicity: '退出公示',
  exited: '已退出',
  rejected: '未通过',
};

export interface CaseListItem {
  caseId: string;
  householdId: string;
  stage: Stage;
  status: string;
  location: { county: string; town: string; village: string };
  deadlines: { stageEnteredAt: string; stageDueAt: string | null };
  openedAt: string;
  updatedAt: string;
}

export const CASE_COLUMNS: ExportColumn<CaseListItem>[] = [
  { zh: '案件编号', en: 'caseId', value: (c) => c.caseId },
  { zh: '户编号', en: 'householdId', value: (c) => c.householdId },
  { zh: '阶段', en: 'stage', value: (c) => c.stage },
  { zh: '阶段名称', en: 'stage name', value: (c) => STAGE_ZH[c.stage] },
  { zh: '状态', en: 'status', value: (c) => c.status },
  { zh: '县', en: 'county', value: (c) => c.location.county },
  { zh: '乡镇', en: 'town', value: (c) => c.location.town },
  { zh: '村', en: 'village', value: (c) => c.location.village },
  { zh: '进入本阶段时间', en: 'stageEnteredAt', value: (c) => c.deadlines.stageEnteredAt },
  { zh: '本阶段期限', en: 'stageDueAt', value: (c) => c.deadlines.stageDueAt },
  { zh: '立案时间', en: 'openedAt', value: (c) => c.openedAt },
  { zh: '更新时间', en: 'updatedAt', value: (c) => c.updatedAt },
];

export interface StalledItem {
  caseId: string;
  stage: Stage;
  village: string;
  town: string;
  holder: string | null;
  heldSince: string | null;
  escalationLevel: 'none' | 'town' | 'county';
  stageEnteredAt: string;
  dueAt: string;
  daysOverdue: number;
}

const ESCALATION_ZH = { none: '未上报', town: '已上报乡镇', county: '已上报县级' } as const;

export const STALLED_COLUMNS: ExportColumn<StalledItem>[] = [
  { zh: '案件编号', en: 'caseId', value: (c) => c.caseId },
  { zh: '阶段', en: 'stage', value: (c) => c.stage },
  { zh: '阶段名称', en: 'stage name', value: (c) => STAGE_ZH[c.stage] },
  { zh: '乡镇', en: 'town', value: (c) => c.town },
  { zh: '村', en: 'village', value: (c) => c.village },
  { zh: '经办人', en: 'holder', value: (c) => c.holder },
  { zh: '进入本阶段时间', en: 'stageEnteredAt', value: (c) => c.stageEnteredAt },
  { zh: '期限', en: 'dueAt', value: (c) => c.dueAt },
  { zh: '超期天数', en: 'daysOverdue', value: (c) => c.daysOverdue },
  { zh: '经办起始时间', en: 'heldSince', value: (c) => c.heldSince },
  { zh: '督办层级', en: 'escalationLevel', value: (c) => `${ESCALATION_ZH[c.escalationLevel]} ${c.escalationLevel}` },
];

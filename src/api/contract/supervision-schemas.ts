import { z } from 'zod';
import { ExportFormatParam } from './export-schemas';
import { STAGES } from '../../domain/case/stages';
import { Limit, TownCode, VillageCode } from './schemas';

const Jurisdiction = z.string().regex(/^\d{6}(\d{3}){0,2}$/, 'a county (6), town (9) or village (12) code');

export const StalledQuery = z.object({
  stage: z.enum(STAGES).optional(),
  jurisdiction: Jurisdiction.optional().describe('narrow to a town or village within yours'),
  limit: Limit,
  cursor: z.string().max(200).optional(),
  format: ExportFormatParam,
});

export const StalledView = z.object({
  items: z.array(
    z.object({
      caseId: z.string(),
      stage: z.enum(STAGES),
      village: VillageCode,
      town: TownCode,
      holder: z.string().nullable(),
      heldSince: z.string().nullable().describe('since when the holder has had the task (claimed or reassigned)'),
      escalationLevel: z.enum(['none', 'town', 'county']).describe('how far the overdue step has gone up (issue #13)'),
      taskId: z.string().nullable().describe("the step's open task, for POST /tasks/{taskId}/reassign (null if it has none)"),
      stageEnteredAt: z.string(),
      dueAt: z.string(),
      daysOverdue: z.number().int(),
    }),
  ),
  nextCursor: z.string().nullable(),
});

export const SummaryQuery = z.object({
  jurisdiction: Jurisdiction.optional(),
  by: z.enum(['town', 'village']).default('town').describe('the level to group by'),
});

export const SummaryView = z.object({
  asOf: z.string(),
  rows: z.array(
    z.object({
      stage: z.enum(STAGES),
      jurisdiction: z.string(),
      open: z.number().int(),
      overdue: z.number().int(),
      averageAgeDays: z.number(),
      oldestAgeDays: z.number(),
    }),
  ),
});

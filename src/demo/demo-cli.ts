/**
 * `npm run demo`: drives a village's worth of households through every branch of the
 * identification procedure against the running service (start it with a short publicity
 * period: `PUBLICITY_PERIOD=PT5S npm start`), and prints what happened to each; then the
 * revolving-loan story (src/demo/scheme-story.ts).
 */
import { nthResidentId } from '../domain/resident-id';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomInt } from 'node:crypto';
import type { UserRecord } from '../directory/directory';
import { DemoClient } from './demo-client';
import { schemeStory } from './scheme-story';

const VILLAGE = '522701101201';
const votes = { representatives: 21, present: 18, for: 15, against: 2, abstain: 1 };
const against = { representatives: 21, present: 18, for: 3, against: 14, abstain: 1 };

function household(name: string) {
  const id = nthResidentId('522701', randomInt(0, 19_000_000));
  return {
    members: [{ name, relation: 'head', idNumber: id, ableToWork: true, health: 'chronic_illness' }],
    annualIncomeFen: 280_000,
    housingGrade: 'C',
    primaryCause: 'illness',
    secondaryCauses: [],
    requestedHelp: 'medical top-up',
  };
}

async function main(): Promise<void> {
  const apiUrl = process.env.API_URL ?? `http://127.0.0.1:${process.env.PORT ?? 3000}`;
  const users = JSON.parse(readFileSync(join(__dirname, '..', '..', 'demo', 'users.json'), 'utf8')) as UserRecord[];
  const api = new DemoClient(apiUrl, users);

  const apply = async (name: string) =>
    (
      await api.call<{ caseId: string; case: { deadlines: { stageDueAt: string; stageEnteredAt: string } } }>('POST', '/applications', 'village-shiban', {
        village: VILLAGE,
        household: household(name),
      })
    ).body.caseId;
  const decide = (caseId: string, as: string, stage: string, decision: string, extra: Record<string, unknown> = {}) =>
    api.call('POST', `/cases/${caseId}/decisions`, as, { stage, decision, ...extra });

  // Probe the publicity period the service runs with: the demo waits through real periods.
  const probe = await apply('Probe Household');
  await decide(probe, 'village-shiban', 'village_evaluation', 'approve', { votes });
  const probed = (await api.call<{ publicity: { endsAt: string } | null; deadlines: { stageEnteredAt: string } }>('GET', `/cases/${probe}`, 'county-office'))
    .body;
  const periodMs = Date.parse(probed.publicity?.endsAt ?? '') - Date.parse(probed.deadlines.stageEnteredAt);
  if (!(periodMs <= 60_000)) {
    process.stderr.write(
      `The service's publicity period is ${Math.round(periodMs / 1000)} s. Restart it with a short one, e.g.\n  PUBLICITY_PERIOD=PT5S npm start\nand run the demo again.\n`,
    );
    process.exit(2);
  }
  const wait = periodMs * 3 + 15_000;
  const results: [string, string, string][] = [];
  const run = async (label: string, story: () => Promise<string>) => {
    const t0 = Date.now();
    const outcome = await story();
    const took = `${((Date.now() - t0) / 1000).toFixed(1)} s`;
    results.push([label, outcome, took]);
    process.stdout.write(`  ${label.padEnd(52)} ${took.padStart(7)}  → ${outcome}\n`);
  };
  const throughTown = async (caseId: string) => {
    await api.waitForStage(caseId, ['town_audit'], wait);
    await decide(caseId, 'town-heping', 'town_audit', 'approve');
    await api.waitForStage(caseId, ['county_approval'], wait);
  };
  const final = async (caseId: string) => {
    const c = (await api.call<{ stage: string; status: string; reason: string | null }>('GET', `/cases/${caseId}`, 'county-office')).body;
    return `${c.status} (${c.stage})${c.reason ? `: ${c.reason}` : ''}`;
  };

  process.stdout.write(`Demo against ${apiUrl}, publicity period ${periodMs / 1000} s, village ${VILLAGE}\n`);
  const stories: [string, () => Promise<string>][] = [
    [
      'happy path to enrolment',
      async () => {
        const c = await apply('Zhang Wei');
        await decide(c, 'village-shiban', 'village_evaluation', 'approve', { votes });
        await throughTown(c);
        await decide(c, 'county-office', 'county_approval', 'approve');
        return final(c);
      },
    ],
    [
      'objection found unsubstantiated: case proceeds',
      async () => {
        const c = await apply('Li Na');
        await decide(c, 'village-shiban', 'village_evaluation', 'approve', { votes });
        const o = (await api.call<{ objectionId: string }>('POST', `/cases/${c}/objections`, 'applicant-shiban-1', { grounds: 'they bought a motorbike' }))
          .body;
        await api.waitForPublicityEnd(c, wait);
        await api.call('POST', `/objections/${o.objectionId}/resolution`, 'town-heping', { substantiated: false, finding: 'the motorbike is borrowed' });
        return `now at ${await api.waitForStage(c, ['town_audit'], wait)}`;
      },
    ],
    [
      'objection substantiated: back to village evaluation',
      async () => {
        const c = await apply('Wang Qiang');
        await decide(c, 'village-shiban', 'village_evaluation', 'approve', { votes });
        const o = (await api.call<{ objectionId: string }>('POST', `/cases/${c}/objections`, 'applicant-shiban-1', { grounds: 'son works in the city' })).body;
        await api.call('POST', `/objections/${o.objectionId}/resolution`, 'village-shiban', { substantiated: true, finding: 'wages not declared' });
        return `now at ${(await api.call<{ stage: string }>('GET', `/cases/${c}`, 'county-office')).body.stage}`;
      },
    ],
    [
      'town returns to village; village appraises again',
      async () => {
        const c = await apply('Liu Yang');
        await decide(c, 'village-shiban', 'village_evaluation', 'approve', { votes });
        await api.waitForStage(c, ['town_audit'], wait);
        await decide(c, 'town-heping', 'town_audit', 'return', { reason: 'land area missing' });
        await decide(c, 'village-shiban', 'village_evaluation', 'approve', { votes });
        return `now at ${(await api.call<{ stage: string }>('GET', `/cases/${c}`, 'county-office')).body.stage}`;
      },
    ],
    [
      'appraisal without quorum is recorded, then a valid one',
      async () => {
        const c = await apply('Chen Jie');
        await decide(c, 'village-shiban', 'village_evaluation', 'approve', { votes: { representatives: 21, present: 9, for: 9, against: 0, abstain: 0 } });
        const after = (await api.call<{ stage: string }>('GET', `/cases/${c}`, 'county-office')).body.stage;
        await decide(c, 'village-shiban', 'village_evaluation', 'approve', { votes });
        return `stayed at ${after}, then ${(await api.call<{ stage: string }>('GET', `/cases/${c}`, 'county-office')).body.stage}`;
      },
    ],
    [
      'rejected at village evaluation',
      async () => {
        const c = await apply('Yang Fan');
        await decide(c, 'village-shiban', 'village_evaluation', 'reject', { votes: against, reason: 'income above the line' });
        return final(c);
      },
    ],
    [
      'rejected at town audit',
      async () => {
        const c = await apply('Zhao Lei');
        await decide(c, 'village-shiban', 'village_evaluation', 'approve', { votes });
        await api.waitForStage(c, ['town_audit'], wait);
        await decide(c, 'town-heping', 'town_audit', 'reject', { reason: 'owns a second house' });
        return final(c);
      },
    ],
    [
      'rejected at county approval',
      async () => {
        const c = await apply('Huang Min');
        await decide(c, 'village-shiban', 'village_evaluation', 'approve', { votes });
        await throughTown(c);
        await decide(c, 'county-office', 'county_approval', 'reject', { reason: 'registered in another county' });
        return final(c);
      },
    ],
    [
      'enrolled, then exits ("poverty eliminated")',
      async () => {
        const c = await apply('Zhou Jun');
        await decide(c, 'village-shiban', 'village_evaluation', 'approve', { votes });
        await throughTown(c);
        const enrolled = (await decide(c, 'county-office', 'county_approval', 'approve')).body as { householdId: string };
        const exit = (
          await api.call<{ caseId: string }>('POST', `/households/${enrolled.householdId}/exit`, 'village-shiban', {
            reason: 'income above the line for two years',
          })
        ).body;
        await decide(exit.caseId, 'town-heping', 'exit_verification', 'approve');
        await api.waitForStage(exit.caseId, ['exited'], wait);
        return `household ${(await api.call<{ status: string }>('GET', `/households/${enrolled.householdId}`, 'town-heping')).body.status}`;
      },
    ],
  ];
  await Promise.all(stories.map(([label, story]) => run(label, story)));
  await schemeStory(api, wait);
  const stalled = (await api.call<{ items: unknown[] }>('GET', '/supervision/stalled?limit=100', 'supervisor')).body.items.length;
  process.stdout.write(`\n${results.length} stories done; ${stalled} cases past their stage limit in the county; probe case ${probe}.\n`);
}

main().catch((e: Error) => {
  process.stderr.write(`demo: ${e.message}\n`);
  process.exit(1);
});

import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');

interface Probe {
  filePath: string;
  code: string;
}
interface Verdict {
  filePath: string;
  messages: { ruleId: string | null; message: string }[];
}

/**
 * Lints source texts as if they stood at the given paths, with the project's own
 * eslint.config.mjs. In a child process: ESLint loads its config with a dynamic import(), which
 * jest's module sandbox does not allow. Type information is switched off (the import rules
 * need none, and building the TypeScript program for each probe would take long).
 */
function lint(probes: Probe[]): Verdict[] {
  const script = `
    import { ESLint } from 'eslint';
    const probes = JSON.parse(await new Promise((resolve) => { let s = ''; process.stdin.on('data', (d) => (s += d)); process.stdin.on('end', () => resolve(s)); }));
    const eslint = new ESLint({
      cwd: ${JSON.stringify(root)},
      overrideConfig: [{ files: ['**/*.ts'], languageOptions: { parserOptions: { project: null } }, rules: { '@typescript-eslint/no-floating-promises': 'off' } }],
    });
    const out = [];
    for (const p of probes) {
      const [r] = await eslint.lintText(p.code, { filePath: p.filePath });
      out.push({ filePath: p.filePath, messages: r.messages.map((m) => ({ ruleId: m.ruleId, message: m.message })) });
    }
    process.stdout.write(JSON.stringify(out));`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, input: JSON.stringify(probes), encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`eslint probe failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as Verdict[];
}

const restricted = (v: Verdict) => v.messages.filter((m) => m.ruleId === '@typescript-eslint/no-restricted-imports').map((m) => m.message);

/** Issue #9 item 4: the boundaries between the API, the worker, the activities and the domain are enforced by lint. */
describe('lint boundaries', () => {
  const probes: Record<string, Probe> = {
    apiImportsWorker: {
      filePath: 'src/api/cases/probe.ts',
      code: "import { createWorker } from '../../worker/create-worker';\nexport const w = createWorker;\n",
    },
    apiImportsActivityType: {
      filePath: 'src/api/funds/probe.ts',
      code: "import type { ReconciliationActivities } from '../../activities/reconciliation-activities';\nexport type A = ReconciliationActivities;\n",
    },
    apiImportsTemporalWorker: { filePath: 'src/api/probe.ts', code: "import { Worker } from '@temporalio/worker';\nexport const w = Worker;\n" },
    apiImportsStoreAndDomain: {
      filePath: 'src/api/probe.ts',
      code: "import { createEventStore } from '../store/create-event-store';\nimport { contains } from '../domain/jurisdiction';\nexport const x = [createEventStore, contains];\n",
    },
    domainImportsStore: {
      filePath: 'src/domain/funds/probe.ts',
      code: "import type { EventStore } from '../../store/event-store';\nexport type S = EventStore;\n",
    },
    domainImportsPg: { filePath: 'src/domain/probe.ts', code: "import { Pool } from 'pg';\nexport const p = Pool;\n" },
    domainImportsNest: { filePath: 'src/domain/probe.ts', code: "import { Injectable } from '@nestjs/common';\nexport const i = Injectable;\n" },
    domainImportsActivities: {
      filePath: 'src/domain/probe.ts',
      code: "import type { ReconciliationResult } from '../activities/reconciliation-activities';\nexport type R = ReconciliationResult;\n",
    },
    activityImportsApi: { filePath: 'src/activities/probe.ts', code: "import { problem } from '../api/http/problem';\nexport const p = problem;\n" },
    workerImportsNest: { filePath: 'src/worker/probe.ts', code: "import { Injectable } from '@nestjs/common';\nexport const i = Injectable;\n" },
    domainImportsDomain: { filePath: 'src/domain/funds/probe.ts', code: "import { contains } from '../jurisdiction';\nexport const c = contains;\n" },
  };
  let verdicts: Record<string, Verdict>;

  beforeAll(() => {
    const names = Object.keys(probes);
    const results = lint(names.map((n) => probes[n]));
    verdicts = Object.fromEntries(names.map((n, i) => [n, results[i]]));
  }, 120_000);

  it('refuses an import from the API into the worker, the activities (types too) or @temporalio/worker', () => {
    expect(restricted(verdicts.apiImportsWorker).join()).toMatch(/never imports the worker or activities/);
    expect(restricted(verdicts.apiImportsActivityType).join()).toMatch(/never imports the worker or activities/);
    expect(restricted(verdicts.apiImportsTemporalWorker).join()).toMatch(/never imports the worker or activities/);
  });

  it('refuses an import of the API or Nest from outside src/api (the worker, activities, store)', () => {
    expect(restricted(verdicts.activityImportsApi).join()).toMatch(/Only src\/api may import the API or Nest/);
    expect(restricted(verdicts.workerImportsNest).join()).toMatch(/Only src\/api may import the API or Nest/);
  });

  it('lets the API import the store and the domain', () => {
    expect(verdicts.apiImportsStoreAndDomain.messages).toEqual([]);
  });

  it('refuses an import from the domain into the store, pg, Nest or the activities, and allows the domain itself', () => {
    for (const name of ['domainImportsStore', 'domainImportsPg', 'domainImportsNest', 'domainImportsActivities']) {
      expect({ name, messages: restricted(verdicts[name]).join() }).toEqual({
        name,
        messages: expect.stringMatching(/The domain imports nothing but the domain/),
      });
    }
    expect(verdicts.domainImportsDomain.messages).toEqual([]);
  });
});

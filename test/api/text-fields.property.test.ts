import fc from 'fast-check';
import { apiHarness, type ApiHarness } from '../support/api-harness';
import { enrolHousehold } from '../support/enrol';
import { householdInput } from '../support/fixtures';

const SHIBAN = '522701101201';
const votes = { representatives: 21, present: 18, for: 15, against: 2, abstain: 1 };
const CSV_HEADER = 'head_name,head_id_number,head_age,head_able_to_work,head_health,annual_income_fen,housing_grade,primary_cause,requested_help';

/** Characters that broke something once, or could: controls, separators, surrogates, marks that NFC composes, quotes and separators of CSV. */
const NASTY = [
  '\u0000',
  '\u0007',
  '\b',
  '\t',
  '\n',
  '\r',
  '\u001b',
  '\u007f',
  '\u0085',
  '\u009f',
  '\u2028',
  '\u2029',
  '\ud800',
  '\udbff',
  '\udc00',
  '\udfff',
  '\ufeff',
  '\u200b',
  '\u202e',
  '\ufffd',
  '\uffff',
  'e\u0301',
  '\u212b',
  '\u1100\u1161',
  ' ',
  '\u3000',
  '"',
  ',',
  '\\',
  '|',
  ';',
  '王芳',
  '🐄',
  '%00',
  "'; --",
];
const unit = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...NASTY) },
  { weight: 4, arbitrary: fc.string({ unit: 'grapheme', maxLength: 3 }) },
  { weight: 2, arbitrary: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)) }, // any UTF-16 unit, lone surrogates too
  { weight: 1, arbitrary: fc.string({ unit: 'binary-ascii', maxLength: 3 }) },
);
/** Short mixtures, and now and then a huge one around or far past the limits. */
const anyText = fc.oneof(
  { weight: 8, arbitrary: fc.array(unit, { maxLength: 12 }).map((us) => us.join('')) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom(99, 100, 101, 199, 200, 201, 1999, 2000, 2001, 3999, 4000, 4001, 200_000), fc.constantFrom('x', '王', '🐄', 'e\u0301'))
      .map(([n, c]) => c.repeat(n)),
  },
);

/** What the store must hold for an accepted text: the input, NFC-normalised and trimmed (contract/text.ts). */
const kept = (s: string) => s.normalize('NFC').trim();
/** Over HTTP as UTF-8 (CSV, URLs) a lone surrogate cannot travel: it arrives as U+FFFD. */
const asUtf8 = (s: string) => s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
/** Independent of the code under test: an accepted text is well-formed and holds no control character but \n and \t. */
function assertStorable(s: string) {
  expect(() => encodeURIComponent(s)).not.toThrow(); // throws URIError on an unpaired surrogate
  expect(s).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]/);
}

type Reply = { status: number; body: any };
interface Field {
  /** The path a 400 must name (body.…, query.…), or the field a refused intake row names. */
  path: string;
  send(s: string): Promise<Reply>;
  /** What was stored, read back through the API (or the event store). */
  stored(reply: Reply): Promise<unknown>;
  /** The store's value expected for an accepted input (default: kept). */
  expected?: (s: string) => unknown;
  /** Other answers that are right for some inputs (e.g. 422 for a supplier not on the approved list). */
  alsoRight?: (reply: Reply, s: string) => boolean;
  /** Inputs for this field, if not anyText. */
  inputs?: fc.Arbitrary<string>;
  runs: number;
}

/**
 * Arbitrary strings at every text field of every route (issue #8): never a 5xx; either success
 * (and the store holds exactly the NFC-normalised, trimmed input) or a 400 problem naming the field.
 */
describe('every text field of every route, under arbitrary strings', () => {
  let api: ApiHarness;
  let ids = Math.floor(Math.random() * 5000);
  const household = () => householdInput();
  const events = async (streamId: string, type: string) =>
    (await api.db.pool.query('SELECT data FROM events WHERE stream_id = $1 AND type = $2 ORDER BY version', [streamId, type])).rows.map((r) => r.data);
  const newCase = async () =>
    (await api.call('POST', '/applications', { as: 'village-shiban', body: { village: SHIBAN, household: household() } })).body.caseId as string;

  let publicityCase: string;
  /** Enrolled: exits are proposed for it (and refused at verification), and it is paid. */
  let enrolled: string;
  let fundId: string;

  beforeAll(async () => {
    // Short publicity by default, so a household can be enrolled; then Shiban's cases stay in publicity a day.
    api = await apiHarness({ PUBLICITY_PERIOD: 'PT1S' });
    await api.db.pool.query(
      `INSERT INTO suppliers (supplier_id, name, jurisdiction, account) VALUES ('county-hospital', 'County hospital', '522701', '6228480077770001')`,
    );
    enrolled = await enrolHousehold(api, '6228480011113333');
    await api.call('POST', `/jurisdictions/${SHIBAN}/settings`, { as: 'county-office', body: { publicityPeriod: 'P1D' } });
    publicityCase = await newCase();
    await api.call('POST', `/cases/${publicityCase}/decisions`, { as: 'village-shiban', body: { stage: 'village_evaluation', decision: 'approve', votes } });
    const fund = await api.call('POST', '/funds', { as: 'fund-manager', body: { name: 'Property fund', jurisdiction: '522701', account: '6228480000009901' } });
    fundId = fund.body.fundId;
  }, 120_000);
  afterAll(() => api?.close());

  /** A scheme on a pool of its own (a fund is the pool of one scheme at most). */
  const newScheme = async (text: { name?: string; agreementText?: string }) => {
    const pool = await api.call('POST', '/funds', {
      as: 'fund-manager',
      body: { name: 'Pool', jurisdiction: '522701', account: `62284801${String(ids++).padStart(8, '0')}` },
    });
    return api.call('POST', '/loan-schemes', {
      as: 'county-office',
      body: {
        name: 'Cattle loans',
        agreementText: '借款协议 Loan agreement',
        ...text,
        fundId: pool.body.fundId,
        amountFen: 110_000,
        instalments: [{ shareBp: 10_000, due: { kind: 'months', months: 12 } }],
        graceDays: 0,
        eligibleVillages: [SHIBAN],
        writeOffBarYears: 0,
        inKindAllowed: false,
      },
    });
  };

  const application = (path: string, put: (h: ReturnType<typeof household>, s: string) => void, read: (c: any, s: string) => unknown): Field => ({
    path: `body.household.${path}`,
    runs: 6,
    send: (s) => {
      const h = household();
      put(h, s);
      return api.call('POST', '/applications', { as: 'village-shiban', body: { village: SHIBAN, household: h } });
    },
    stored: async (r) => read(r.body.case, ''),
  });
  const lodge = (grounds: string) => api.call('POST', `/cases/${publicityCase}/objections`, { as: 'applicant-baiyun-1', body: { grounds } });
  const supplierRequest = (supplierId: string, receiptNumber: string) =>
    api.call('POST', '/disbursements', {
      as: 'fund-manager',
      body: {
        fundId,
        purpose: 'one_time_relief',
        amountFen: 100,
        payee: { type: 'supplier', supplierId, householdId: enrolled, receipt: { number: receiptNumber, amountFen: 100, issuedAt: '2026-01-02T03:04:05Z' } },
      },
    });
  const requested = async (r: Reply) => (await events(r.body.disbursementId, 'DisbursementRequested'))[0].payee;
  const csv = (name: string, help: string) => {
    const head = household().members[0];
    const q = (s: string) => `"${s.replace(/"/g, '""')}"`;
    return api.call('POST', `/intake/batches?village=${SHIBAN}`, {
      as: 'village-shiban',
      headers: { 'content-type': 'text/csv' },
      raw: `${CSV_HEADER}\n${[q(name), head.idNumber, head.age, head.ableToWork, head.health, 150000, 'C', 'illness', q(help)].join(',')}\n`,
    });
  };
  const intakeCase = async (r: Reply) => {
    for (let i = 0; i < 200 && r.body.status !== 'done'; i++) {
      await new Promise((w) => setTimeout(w, 100));
      r = await api.call('GET', `/intake/batches/${r.body.batchId}`, { as: 'village-shiban' });
    }
    return (await api.call('GET', `/cases/${r.body.accepted[0].caseId}`, { as: 'village-shiban' })).body.household;
  };
  // CSV travels as UTF-8 text, and its line breaks inside a quoted field are kept as \n.
  const viaCsv = (s: string) => kept(asUtf8(s).replace(/\r\n?/g, '\n'));

  const fields: Record<string, Field> = {
    "application: head's name": application(
      'members.0.name',
      (h, s) => {
        h.members[0].name = s;
      },
      (c) => c.household.members[0].name,
    ),
    "application: member's name": application(
      'members.1.name',
      (h, s) => {
        h.members[1].name = s;
      },
      (c) => c.household.members[1].name,
    ),
    "application: member's relation": {
      ...application(
        'members.1.relation',
        (h, s) => {
          h.members[1].relation = s;
        },
        (c) => c.household.members[1].relation,
      ),
      alsoRight: (r, s) => kept(s) === 'head' && r.status === 400, // two heads: refused as a whole
    },
    'application: requested help': application(
      'requestedHelp',
      (h, s) => {
        h.requestedHelp = s;
      },
      (c) => c.household.requestedHelp,
    ),
    'application: bank name': {
      ...application(
        'bankAccount.bank',
        (h, s) => {
          h.bankAccount = { bank: s, accountNumber: '6228480012340000' };
        },
        () => undefined,
      ),
      stored: async (r) => (await events(r.body.caseId, 'ApplicationSubmitted'))[0].household.bankAccount.bank,
    },
    'decision: reason': {
      path: 'body.reason',
      runs: 6,
      send: async (s) =>
        api.call('POST', `/cases/${await newCase()}/decisions`, {
          as: 'village-shiban',
          body: { stage: 'village_evaluation', decision: 'approve', reason: s, votes },
        }),
      stored: async (r) => (await events(r.body.caseId, 'StageDecided'))[0].reason,
    },
    'objection: grounds': {
      path: 'body.grounds',
      runs: 10,
      send: lodge,
      stored: async (r) => (await events(publicityCase, 'ObjectionLodged')).find((e) => e.objectionId === r.body.objectionId).grounds,
    },
    'resolution: finding': {
      path: 'body.finding',
      runs: 8,
      send: async (s) => {
        const o = await lodge('a new car');
        const r = await api.call('POST', `/objections/${o.body.objectionId}/resolution`, { as: 'town-heping', body: { substantiated: false, finding: s } });
        return { ...r, body: { ...r.body, objectionId: o.body.objectionId } };
      },
      stored: async (r) => (await events(publicityCase, 'ObjectionResolved')).find((e) => e.objectionId === r.body.objectionId).finding,
    },
    'exit: reason': {
      path: 'body.reason',
      runs: 5,
      send: async (s) => {
        const r = await api.call('POST', `/households/${enrolled}/exit`, { as: 'village-shiban', body: { reason: s } });
        // Refused at verification, the household is enrolled again with no open case: ready for the next run.
        if (r.status === 201)
          await api.call('POST', `/cases/${r.body.caseId}/decisions`, {
            as: 'town-heping',
            body: { stage: 'exit_verification', decision: 'reject', reason: 'not verified' },
          });
        return r;
      },
      stored: async (r) => (await events(r.body.caseId, 'ExitProposed'))[0].reason,
    },
    'fund: name': {
      path: 'body.name',
      runs: 10,
      send: (s) =>
        api.call('POST', '/funds', { as: 'fund-manager', body: { name: s, jurisdiction: '522701', account: `62284800${String(ids++).padStart(8, '0')}` } }),
      stored: async (r) => (await api.call('GET', `/funds/${r.body.fundId}`, { as: 'auditor' })).body.name,
    },
    'loan scheme: name': {
      path: 'body.name',
      runs: 6,
      send: (s) => newScheme({ name: s }),
      stored: async (r) => (await events(r.body.schemeId, 'SchemeCreated'))[0].name,
    },
    'loan scheme: agreement text': {
      path: 'body.agreementText',
      runs: 6,
      send: (s) => newScheme({ agreementText: s }),
      stored: async (r) => (await events(r.body.schemeId, 'SchemeCreated'))[0].terms.agreement.text,
    },
    'deposit: reference': {
      path: 'body.reference',
      runs: 10,
      send: (s) => api.call('POST', `/funds/${fundId}/deposits`, { as: 'fund-manager', body: { amountFen: 100, source: 'donation', reference: s } }),
      stored: async () =>
        (await api.call('GET', `/funds/${fundId}/ledger?limit=100`, { as: 'auditor' })).body.entries
          .filter((e: { kind: string }) => e.kind === 'deposit')
          .at(-1).reference,
    },
    'disbursement: supplier id': {
      path: 'body.payee.supplierId',
      runs: 8,
      send: (s) => supplierRequest(s, 'R-1'),
      stored: async (r) => (await requested(r)).supplierId,
      alsoRight: (r) => r.status === 422 && r.body.type.endsWith('/not-an-approved-supplier'),
    },
    'disbursement: receipt number': {
      path: 'body.payee.receipt.number',
      runs: 6,
      send: (s) => supplierRequest('county-hospital', s),
      stored: async (r) => (await requested(r)).receipt.number,
    },
    'disbursement decision: reason': {
      path: 'body.reason',
      runs: 5,
      send: async (s) => {
        const d = await api.call('POST', '/disbursements', {
          as: 'fund-manager',
          body: { fundId, payee: { type: 'household', householdId: enrolled }, purpose: 'one_time_relief', amountFen: 100 },
        });
        return api.call('POST', `/disbursements/${d.body.disbursementId}/decisions`, { as: 'town-heping', body: { decision: 'approve', reason: s } });
      },
      stored: async (r) => (await events(r.body.disbursementId, 'DisbursementApproved'))[0].reason,
    },
    'intake JSON row: requested help': {
      path: 'requestedHelp',
      runs: 5,
      send: (s) => api.call('POST', '/intake/batches', { as: 'village-shiban', body: { village: SHIBAN, rows: [{ ...household(), requestedHelp: s }] } }),
      stored: async (r) => (await intakeCase(r)).requestedHelp,
    },
    "intake CSV row: head's name": {
      path: 'head_name',
      runs: 5,
      send: (s) => csv(s, 'roof repair'),
      expected: viaCsv,
      stored: async (r) => (await intakeCase(r)).members[0].name,
    },
    'intake CSV row: requested help': {
      path: 'requested_help',
      runs: 5,
      send: (s) => csv('Sun Qiang', s),
      expected: viaCsv,
      stored: async (r) => (await intakeCase(r)).requestedHelp,
    },
    'settings: publicity period': {
      path: 'body.publicityPeriod',
      runs: 12,
      expected: (s) => s,
      inputs: fc.oneof(
        anyText,
        fc.nat(400).map((n) => `P${n}D`),
        fc.nat(2000).map((n) => `PT${n}H`),
        fc.constant('P99999999999D'),
      ),
      send: (s) => api.call('POST', '/jurisdictions/522701102202/settings', { as: 'county-office', body: { publicityPeriod: s } }),
      stored: async () => (await api.call('GET', '/jurisdictions/522701102202/settings', { as: 'county-office' })).body.publicityPeriod,
    },
    ...Object.fromEntries(
      ['/cases', '/tasks', '/supervision/stalled'].map((route) => [
        `cursor of GET ${route}`,
        {
          path: 'query.cursor',
          runs: 10,
          expected: () => undefined,
          stored: async () => undefined,
          // Cursors are opaque: arbitrary text, or a well-formed cursor (base64url JSON) holding it. A URL is
          // bounded by the server's header limit (431) before any field is read: a few hundred characters here.
          send: (text: string) => {
            const s = text.slice(0, 300);
            const as = route === '/supervision/stalled' ? 'supervisor' : 'town-heping';
            const cursor = s.length % 2 ? s : Buffer.from(JSON.stringify(['2026-01-01T00:00:00Z', s])).toString('base64url');
            return api.call('GET', `${route}?cursor=${encodeURIComponent(asUtf8(cursor))}`, { as });
          },
        } satisfies Field,
      ]),
    ),
  };

  it.each(Object.keys(fields))(
    '%s',
    async (name) => {
      const field = fields[name];
      await fc.assert(
        fc.asyncProperty(field.inputs ?? anyText, async (s) => {
          const r = await field.send(s);
          expect(r.status).toBeLessThan(500);
          if (field.alsoRight?.(r, s)) return;
          if (r.status === 202) {
            // an intake batch: each row is accepted or refused on its own, naming the field
            if (r.body.rejected.length) {
              expect(r.body.rejected[0].errors.map((e: { path: string }) => e.path)).toContain(field.path);
              return;
            }
          } else if (r.status >= 400) {
            expect(r.status).toBe(400);
            expect(r.body.errors.map((e: { path: string }) => e.path)).toContain(field.path);
            return;
          }
          expect(r.status).toBeLessThan(300);
          const stored = await field.stored(r);
          expect(stored).toEqual((field.expected ?? kept)(s));
          if (typeof stored === 'string') assertStorable(stored);
        }),
        { numRuns: field.runs, endOnFailure: true },
      );
    },
    120_000,
  );
});

import { contractMismatch, type Exchange } from '../support/response-contract';

const UUID = '00000000-0000-4000-8000-000000000000';
const json = (body: unknown, type = 'application/json; charset=utf-8'): Pick<Exchange, 'headers' | 'text'> => ({
  headers: new Headers({ 'content-type': type }),
  text: JSON.stringify(body),
});

/** A loan official's inbox entry: a batch waiting for its households' signatures. */
const signingTask = {
  taskId: `task-${UUID}-3`,
  caseId: `batch-${UUID}`,
  subjectType: 'loan-batch',
  subjectKind: 'loan-batch',
  subjectId: `batch-${UUID}`,
  kind: 'decision',
  stage: 'batch_signatures',
  roles: ['village_official'],
  location: { county: '522701', town: '522701101', village: '522701101201' },
  jurisdiction: '522701101201',
  householdHash: '',
  createdAt: '2026-03-01T00:00:00.000Z',
  dueAt: null,
  overdue: false,
  holder: null,
};

/** A loan with one repayment in kind, as GET /loans/{loanId} answers it. */
const loan = {
  loanId: `loan-${UUID}-1`,
  schemeId: `scheme-${UUID}`,
  batchId: `batch-${UUID}`,
  fundId: `fund-${UUID}`,
  disbursementId: `disb-${UUID}`,
  householdId: `hh-${UUID}`,
  village: '522701101201',
  status: 'active',
  principalFen: 110000,
  repaidFen: 30000,
  writtenOffFen: 0,
  outstandingFen: 80000,
  dueFen: 0,
  daysPastDue: 0,
  bucket: 'current',
  termsVersion: 1,
  agreementHash: 'a'.repeat(64),
  graceDays: 0,
  inKindAllowed: true,
  paidOn: '2026-03-01',
  schedule: [{ n: 1, dueDate: '2026-06-01', amountFen: 110000 }],
  repayments: [
    {
      repaymentId: `rep-${UUID}`,
      amountFen: 30000,
      method: 'in_kind',
      reference: `val-${UUID}`,
      receivedOn: '2026-04-01',
      recordedBy: 'village-shiban-2',
      inKind: { description: '母牛犊一头 a heifer calf', valuedBy: 'village-shiban', confirmedBy: 'village-shiban-2' },
      receipt: `/loans/loan-${UUID}-1/repayments/rep-${UUID}/receipt`,
    },
  ],
  pendingValuations: [],
  hardships: [],
  closedOn: null,
  version: 7,
};

const problem = { type: 'about:blank', title: 'Not Found', status: 404, detail: '没有这个 no such thing' };

describe('the response validator every API test call runs (against the document generated from the contract)', () => {
  it("accepts a loan official's inbox (a batch_signatures step) and a loan with a repayment in kind", () => {
    expect(contractMismatch({ method: 'GET', path: '/tasks?limit=5', status: 200, ...json({ items: [signingTask], nextCursor: null }) })).toBeUndefined();
    expect(contractMismatch({ method: 'GET', path: `/loans/${loan.loanId}`, status: 200, ...json(loan) })).toBeUndefined();
  });

  it('refuses a body that drifted from its schema, naming the operation, the status and the JSON pointer', () => {
    const drifted = { items: [{ ...signingTask, stage: 'no_such_step' }], nextCursor: null };
    const wrong = contractMismatch({ method: 'GET', path: '/tasks', status: 200, ...json(drifted) });
    expect(wrong).toContain('listTasks (GET /tasks) 200 application/json');
    expect(wrong).toContain('body/items/0/stage = "no_such_step": must be equal to one of the allowed values');

    const extra = { ...loan, repayments: [{ ...loan.repayments[0], inKind: { ...loan.repayments[0].inKind, valuer: 'x' } }] };
    const refused = contractMismatch({ method: 'GET', path: `/loans/${loan.loanId}`, status: 200, ...json(extra) });
    expect(refused).toContain('getLoan (GET /loans/{loanId})');
    expect(refused).toContain('body/repayments/0/inKind = {"description":');
    expect(refused).toContain('must NOT have additional properties {"additionalProperty":"valuer"}');
  });

  it('refuses a status the operation does not declare, a content type it does not declare, and a body where none is declared', () => {
    expect(contractMismatch({ method: 'GET', path: '/tasks', status: 418, ...json(problem, 'application/problem+json') })).toMatch(
      /listTasks \(GET \/tasks\): answered 418, which the document does not declare \(declared: 200, 400, 401,/,
    );
    expect(contractMismatch({ method: 'GET', path: '/tasks', status: 200, ...json({ items: [], nextCursor: null }, 'text/plain') })).toBe(
      'listTasks (GET /tasks) 200: content type text/plain, but the document declares application/json',
    );
    expect(contractMismatch({ method: 'GET', path: '/tasks', status: 400, ...json({ ...problem, status: 400 }, 'application/json') })).toContain(
      'content type application/json, but the document declares application/problem+json',
    );
    const noWwwAuthenticate = contractMismatch({
      method: 'GET',
      path: '/tasks',
      status: 401,
      ...json({ ...problem, status: 401 }, 'application/problem+json'),
    });
    expect(noWwwAuthenticate).toBe('listTasks (GET /tasks) 401: the required header WWW-Authenticate is missing');
    expect(contractMismatch({ method: 'POST', path: '/auth/logout', status: 204, headers: new Headers(), text: '' })).toBeUndefined();
    expect(contractMismatch({ method: 'POST', path: '/auth/logout', status: 204, ...json({ ok: true }) })).toBe(
      'logout (POST /auth/logout) 204: declares no body, but one came (application/json, 11 characters)',
    );
  });

  it('checks a file by its status and content type, and a path or method the document lacks by the 404 and 405 it promises', () => {
    const csv = { headers: new Headers({ 'content-type': 'text/csv; charset=utf-8' }), text: '\ufeff还款编号 repayment_id\r\n' };
    expect(contractMismatch({ method: 'GET', path: `/loan-schemes/scheme-${UUID}/repayments.csv`, status: 200, ...csv })).toBeUndefined();
    expect(contractMismatch({ method: 'GET', path: `/loan-schemes/scheme-${UUID}/repayments.csv`, status: 200, ...json([]) })).toContain(
      'content type application/json, but the document declares text/csv',
    );
    expect(contractMismatch({ method: 'GET', path: '/no-such-thing', status: 404, ...json(problem, 'application/problem+json') })).toBeUndefined();
    expect(contractMismatch({ method: 'GET', path: '/no-such-thing', status: 200, ...json({}) })).toBe(
      'GET /no-such-thing: the document has no such path, so the answer must be 404, not 200',
    );
    const notAllowed = { status: 405, detail: '不支持此方法 method not allowed', title: 'Method Not Allowed', type: 'about:blank' };
    const answer405 = (allow: string) => ({
      method: 'DELETE',
      path: '/tasks',
      status: 405,
      headers: new Headers({ 'content-type': 'application/problem+json', allow }),
      text: JSON.stringify(notAllowed),
    });
    expect(contractMismatch(answer405('GET'))).toBeUndefined();
    expect(contractMismatch(answer405(''))).toBe('DELETE /tasks 405: the Allow header "" leaves out get');
  });
});

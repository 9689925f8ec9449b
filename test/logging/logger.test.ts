import { createLogger, errorFields } from '../../src/logging/logger';

/** A pino destination that keeps what it is given. */
function capture() {
  const chunks: string[] = [];
  return {
    stream: { write: (s: string) => void chunks.push(s) },
    text: () => chunks.join(''),
    lines: () => chunks.flatMap((c) => c.split('\n').filter(Boolean)).map((l) => JSON.parse(l) as Record<string, any>),
  };
}

describe('the JSON logger', () => {
  it('writes one JSON object per line, with level names, an ISO time and the process', () => {
    const out = capture();
    const log = createLogger({ process: 'api', level: 'info', destination: out.stream });
    log.info('first');
    log.debug('below the level');
    log.warn({ context: 'http' }, 'second');
    expect(out.text().split('\n').filter(Boolean)).toHaveLength(2);
    expect(out.lines()).toEqual([
      expect.objectContaining({ level: 'info', process: 'api', msg: 'first', time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) }),
      expect.objectContaining({ level: 'warn', process: 'api', msg: 'second', context: 'http' }),
    ]);
  });

  it('redacts personal data and secrets wherever an object logged by mistake puts them', () => {
    const out = capture();
    const log = createLogger({ process: 'worker', level: 'info', destination: out.stream });
    log.info(
      {
        authorization: 'Bearer tok-secret-1',
        headers: { cookie: 'codec_session=tok-secret-2' },
        user: { password: 'pw-secret-3', token: 'tok-secret-4' },
        household: { members: [{ name: 'Zhang San', idNumber: '522701195606150013' }] },
        case: { applicant: { name: 'Li Si', phone: '13800000000' } },
        payee: { accountNumber: '6228480012345678' },
        body: { anything: 'at all' },
        caseId: 'case-kept',
      },
      'something happened',
    );
    const text = out.text();
    for (const secret of [
      'tok-secret-1',
      'tok-secret-2',
      'pw-secret-3',
      'tok-secret-4',
      'Zhang San',
      '522701195606150013',
      'Li Si',
      '13800000000',
      '6228480012345678',
      'at all',
    ]) {
      expect(text).not.toContain(secret);
    }
    expect(out.lines()[0]).toMatchObject({ caseId: 'case-kept', authorization: '[redacted]', household: '[redacted]', payee: { accountNumber: '[redacted]' } });
  });

  it("logs an error's type, message, code and stack, not a driver's details (which may repeat stored values)", () => {
    const err = Object.assign(new Error('duplicate key value violates unique constraint "x"'), {
      code: '23505',
      detail: 'Key (id_hash)=(secret-hash) already exists.',
    });
    expect(errorFields(err)).toEqual({ type: 'Error', message: err.message, code: '23505', stack: err.stack });
    const out = capture();
    createLogger({ process: 'api', level: 'info', destination: out.stream }).error({ err }, 'failed');
    expect(out.text()).not.toContain('secret-hash');
    expect(out.lines()[0].err).toMatchObject({ type: 'Error', code: '23505' });
  });
});

import { requestIdOf } from '../../src/api/logging/request-id';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('the request id', () => {
  it("keeps a caller's plain id: a UUID, a trace id, a load balancer's", () => {
    for (const id of ['3f2b8c1e-7a4d-4e0b-9c55-1d2e3f4a5b6c', 'Root=1-67891233-abcdef012345678912345678', 'req_01HZX.42:a/b+c=d@e', 'x'.repeat(100)]) {
      expect(requestIdOf(id)).toBe(id);
    }
  });

  it('replaces a hostile or absent one with a fresh UUID: control characters, spaces, quotes, markup, over 100 characters', () => {
    for (const id of [undefined, '', 'a\tb', 'a\u0000b', 'line\r\nInjected: yes', 'has space', '"quoted"', '<script>alert(1)</script>', 'x'.repeat(101), 'é']) {
      const got = requestIdOf(id);
      expect(got).toMatch(UUID);
      expect(got).not.toBe(id);
    }
    expect(requestIdOf(['first-id', 'second-id'])).toBe('first-id');
    expect(requestIdOf(undefined)).not.toBe(requestIdOf(undefined));
  });
});

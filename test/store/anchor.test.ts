import { readFileSync, writeFileSync } from 'node:fs';
import { generateKeyPairSync } from 'node:crypto';
import { ANCHOR_GENESIS, signCheckpoint, keyIdOf, lineHash } from '../../src/store/anchor/checkpoint';
import { readAnchorLog } from '../../src/store/anchor/anchor-log';
import { verifyAgainstAnchors } from '../../src/store/anchor/verify-anchored';
import { writeAnchor } from '../../src/store/anchor/write-anchor';
import { EventStore } from '../../src/store/event-store';
import type { NewEvent } from '../../src/store/types';
import { verifyChain } from '../../src/store/verify-chain';
import { startAnchorJob } from '../../src/worker/anchor-job';
import { anchorScratch, asSuperuser, rewriteHistory } from '../support/anchor';
import { createTestDatabase } from '../support/db';

const ev = (type: string, key: string, data: Record<string, unknown> = {}): NewEvent => ({ type, data, actor: 'user:test', idempotencyKey: key });

/** Each test gets its own store (the attacks leave it damaged) and its own key and log. */
async function fixture() {
  const db = await createTestDatabase();
  const store = new EventStore(db.pool);
  const anchor = anchorScratch();
  await store.append(
    'case-a',
    'case',
    'no_stream',
    [1, 2, 3, 4, 5].map((n) => ev('Step', `a-${n}`, { n, amountFen: 1000 * n })),
  );
  await store.append(
    'case-b',
    'case',
    'no_stream',
    [1, 2, 3].map((n) => ev('Step', `b-${n}`, { n })),
  );
  const target = { file: anchor.file, privateKey: anchor.privateKey };
  const verify = (streamId?: string) => verifyAgainstAnchors(db.pool, { file: anchor.file, publicKey: anchor.publicKey }, streamId);
  return {
    db,
    store,
    anchor,
    target,
    verify,
    close: async () => {
      anchor.remove();
      await db.drop();
    },
  };
}

describe('checkpoints outside the database (anchors)', () => {
  let f: Awaited<ReturnType<typeof fixture>>;
  beforeEach(async () => {
    f = await fixture();
  });
  afterEach(() => f.close());

  it("finds a superuser's rewritten history with recomputed hashes, which the chain alone accepts", async () => {
    const written = await writeAnchor(f.db.pool, f.target);
    expect(written).toMatchObject({ written: true, checkpoint: { seq: 1, streams: 2, events: 8, prev: ANCHOR_GENESIS } });
    expect(await f.verify()).toMatchObject({ ok: true, streams: 2, events: 8, anchors: { checkpoints: 1, latest: { seq: 1 } } });

    await rewriteHistory(f.db.pool, 'case-a', 2, { n: 2, amountFen: 999_999 });

    expect(await verifyChain(f.db.pool)).toMatchObject({ ok: true }); // the attack beats the chain by itself
    expect(await f.verify()).toMatchObject({ ok: false, streamId: 'case-a', version: 5, problem: expect.stringMatching(/anchored in checkpoint #1/) });
    expect(await f.verify('case-a')).toMatchObject({ ok: false, streamId: 'case-a' });
    expect(await f.verify('case-b')).toMatchObject({ ok: true });
    // Nor is the damage blessed by the next checkpoint.
    expect(await writeAnchor(f.db.pool, f.target)).toMatchObject({ written: false, reason: 'refused' });
    expect(readFileSync(f.anchor.file, 'utf8').trim().split('\n')).toHaveLength(1);
  });

  it('covers later appends from the next checkpoint on, which lists only the heads that moved', async () => {
    await writeAnchor(f.db.pool, f.target);
    expect(await writeAnchor(f.db.pool, f.target)).toEqual({ written: false, reason: 'unchanged', latestSeq: 1 });
    await f.store.append('case-a', 'case', 5, [ev('Step', 'a-6', { n: 6 })]);
    await f.store.append('case-c', 'case', 'no_stream', [ev('Step', 'c-1')]);
    const second = await writeAnchor(f.db.pool, f.target);
    expect(second).toMatchObject({ written: true, checkpoint: { seq: 2, streams: 3, events: 10 } });
    const lines = readFileSync(f.anchor.file, 'utf8').trim().split('\n');
    const [first, next] = lines.map((l) => JSON.parse(l));
    expect(next.prev).toBe(lineHash(lines[0]));
    expect(first.heads.map((h: [string]) => h[0])).toEqual(['case-a', 'case-b']);
    expect(next.heads.map((h: [string, number]) => [h[0], h[1]])).toEqual([
      ['case-a', 6],
      ['case-c', 1],
    ]);
    expect(await f.verify()).toMatchObject({ ok: true, anchors: { checkpoints: 2 } });

    // A re-hashed edit of an event that only the first checkpoint covered is found too.
    await rewriteHistory(f.db.pool, 'case-a', 1, { n: 1, amountFen: 1 });
    expect(await verifyChain(f.db.pool)).toMatchObject({ ok: true });
    expect(await f.verify()).toMatchObject({ ok: false, streamId: 'case-a', version: 5, problem: expect.stringMatching(/checkpoint #1/) });
  });

  it('finds a stream cut back to fewer events, and streams removed outright (TRUNCATE with triggers off)', async () => {
    await writeAnchor(f.db.pool, f.target);
    await asSuperuser(
      f.db.pool,
      `DELETE FROM events WHERE stream_id = 'case-b' AND version = 3;
      UPDATE streams SET version = 2, last_hash = (SELECT hash FROM events WHERE stream_id = 'case-b' AND version = 2) WHERE stream_id = 'case-b'`,
    );
    expect(await verifyChain(f.db.pool)).toMatchObject({ ok: true });
    expect(await f.verify()).toMatchObject({
      ok: false,
      streamId: 'case-b',
      version: 3,
      problem: expect.stringMatching(/anchored this stream at version 3.*ends at 2/),
    });

    await asSuperuser(f.db.pool, 'TRUNCATE events, streams');
    expect(await verifyChain(f.db.pool)).toEqual({ ok: true, streams: 0, events: 0 });
    expect(await f.verify()).toMatchObject({ ok: false, streamId: 'case-a', problem: expect.stringMatching(/no events of it/) });
  });

  it('treats an edited, shortened or forged anchor log as a finding', async () => {
    await writeAnchor(f.db.pool, f.target);
    await f.store.append('case-b', 'case', 3, [ev('Step', 'b-4')]);
    await writeAnchor(f.db.pool, f.target);
    const original = readFileSync(f.anchor.file, 'utf8');
    const [l1, l2] = original.trim().split('\n');
    const check = async (text: string, problem: RegExp) => {
      writeFileSync(f.anchor.file, text);
      expect(await f.verify()).toMatchObject({ ok: false, anchorLog: f.anchor.file, problem: expect.stringMatching(problem) });
    };
    await check(`${l1.replace(/"events":8/, '"events":7')}\n${l2}\n`, /signature does not match/);
    await check(`${l2}\n`, /out of sequence/);
    await check(`${l1}\n${l2}`, /incomplete/);
    // A line signed with any other key, even one claiming the right key id, does not count.
    const other = generateKeyPairSync('ed25519');
    const body = JSON.parse(l2);
    delete body.sig;
    const forged = signCheckpoint({ ...body, heads: [] }, other.privateKey);
    await check(`${l1}\n${JSON.stringify(forged)}\n`, /signature does not match/);
    const foreign = signCheckpoint({ ...body, keyId: keyIdOf(other.publicKey) }, other.privateKey);
    await check(`${l1}\n${JSON.stringify(foreign)}\n`, /another key/);
    writeFileSync(f.anchor.file, original);
    expect(await f.verify()).toMatchObject({ ok: true });
    expect(readAnchorLog(f.anchor.file, f.anchor.publicKey).checkpoints).toBe(2);
  });

  it("is written periodically by the worker's job, one checkpoint per change", async () => {
    const lines: string[] = [];
    const job = startAnchorJob(f.db.pool, { ...f.target, intervalMs: 100 }, (l) => lines.push(l));
    const waitFor = async (n: number) => {
      for (let i = 0; i < 200 && readAnchorLog(f.anchor.file, f.anchor.publicKey).checkpoints < n; i++) await new Promise((r) => setTimeout(r, 50));
    };
    try {
      await waitFor(1);
      await f.store.append('case-b', 'case', 3, [ev('Step', 'b-4')]);
      await waitFor(2);
      await new Promise((r) => setTimeout(r, 300)); // nothing new: no third line
    } finally {
      await job.stop();
    }
    expect(readAnchorLog(f.anchor.file, f.anchor.publicKey).checkpoints).toBe(2);
    expect(lines).toEqual([expect.stringMatching(/checkpoint #1 \(2 streams, 8 events\)/), expect.stringMatching(/checkpoint #2 \(2 streams, 9 events\)/)]);
  });
});

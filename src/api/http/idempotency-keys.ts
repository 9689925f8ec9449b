import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { createHash, randomInt } from 'node:crypto';
import { Client, type Pool } from 'pg';
import type { Config } from '../../config/config';
import { canonicalJson } from '../../store/canonical-json';
import { CONFIG, PG_POOL } from '../tokens';

/** Advisory-lock class of API process ids (two-key locks: a space apart from the one-key migration lock). */
export const INSTANCE_LOCK_CLASS = 727_002;
const RELOCK_DELAY_MS = 1000;
const PURGE_EVERY_MS = 10 * 60_000;
const SETTLE_RETRY_MS = 5 * 60_000;

/** What to do with a request that carries an Idempotency-Key. */
export type Begun =
  | { kind: 'run' } // ours: a new key, an expired one, or one taken over from a dead or hung process
  | { kind: 'replay'; status: number; response: unknown }
  | { kind: 'in-progress' } // the first request is still running in a live process
  | { kind: 'reused' }; // the key was used for a different request

/** What makes two requests "the same request" under one key. */
export function requestHash(method: string, path: string, body: unknown): string {
  // A file upload's bytes (text/csv, .xlsx) are hashed as bytes: the same file is the same request.
  const b = Buffer.isBuffer(body) ? { bytesSha256: createHash('sha256').update(body).digest('hex') } : body;
  return createHash('sha256')
    .update(canonicalJson({ method, path, body: b ?? null }))
    .digest('hex');
}

/**
 * The `idempotency_keys` table, and this API process's liveness as other processes see it.
 *
 * A request in progress names its owner: this process's random id. For its whole life the
 * process holds a session-level advisory lock on that id, on a connection of its own; when
 * the process dies, even by kill -9, Postgres ends the session and frees the lock. So a retry
 * that finds the request still in progress can test the owner: lock held, it is still running
 * (409); lock free, nobody will ever answer it, and the retry takes it over and runs the
 * request again, which is safe because every handler derives its workflow and update ids from
 * the user and key. An owner alive but stuck past the lease is taken over too. Keys expire
 * `keyTtlMs` after their first use: an expired key is new again, and a timer purges them.
 */
@Injectable()
export class IdempotencyKeys implements OnApplicationBootstrap, OnApplicationShutdown {
  /** This process's id in `owner`; positive, as Postgres shows lock keys unsigned. */
  readonly instanceId = randomInt(1, 2 ** 31);
  private readonly log = new Logger('idempotency');
  private lockSession?: Client;
  private locking?: Promise<void>;
  private relock?: NodeJS.Timeout;
  private purger?: NodeJS.Timeout;
  private stopped = false;
  private warned = false;

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  /** Takes the lock before the API serves (one try: if Postgres is down, the API starts anyway and keeps trying). */
  async onApplicationBootstrap(): Promise<void> {
    this.purger = setInterval(() => {
      this.purge().catch((e: Error) => this.log.error(`could not purge expired idempotency keys: ${e.message}`));
    }, PURGE_EVERY_MS).unref();
    this.locking = this.holdLock();
    await this.locking;
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.purger);
    clearTimeout(this.relock);
    await this.locking;
    const session = this.lockSession;
    this.lockSession = undefined; // first, so its 'end' is not taken for a loss
    await session?.end().catch(() => undefined);
  }

  /** Whether this process holds its liveness lock now (while it does not, its requests look dead to others). */
  get holdsLock(): boolean {
    return this.lockSession !== undefined;
  }

  async begin(userId: string, key: string, method: string, path: string, hash: string): Promise<Begun> {
    const { keyTtlMs, leaseMs } = this.config.idempotency;
    for (;;) {
      // A new key, or one past its time (replaced in the same statement, so two racing requests cannot both win).
      const fresh = await this.pool.query(
        `INSERT INTO idempotency_keys AS k (user_id, key, method, path, request_hash, owner) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (user_id, key) DO UPDATE
           SET method = $3, path = $4, request_hash = $5, owner = $6, status = NULL, response = NULL, created_at = now(), started_at = now()
           WHERE k.created_at < now() - $7::float8 * interval '1 millisecond'`,
        [userId, key, method, path, hash, this.instanceId, keyTtlMs],
      );
      if (fresh.rowCount === 1) return { kind: 'run' };
      // The same request in progress with no one to finish it: its owner's lock is free (the
      // probe is transaction-scoped, so it is released when this statement ends), its lease is
      // over, or it predates owners. The row lock makes one of several racing retries win;
      // the others then find the winner alive.
      const taken = await this.pool.query(
        `UPDATE idempotency_keys SET owner = $4, started_at = now()
         WHERE user_id = $1 AND key = $2 AND request_hash = $3 AND status IS NULL
           AND (owner IS NULL OR started_at < now() - $5::float8 * interval '1 millisecond'
                OR pg_try_advisory_xact_lock(${INSTANCE_LOCK_CLASS}, owner))`,
        [userId, key, hash, this.instanceId, leaseMs],
      );
      if (taken.rowCount === 1) return { kind: 'run' };
      const first = (
        await this.pool.query<{ request_hash: string; status: number | null; response: unknown }>(
          'SELECT request_hash, status, response FROM idempotency_keys WHERE user_id = $1 AND key = $2',
          [userId, key],
        )
      ).rows[0];
      if (!first) continue; // forgotten or purged between our statements
      if (first.request_hash !== hash) return { kind: 'reused' };
      if (first.status === null) return { kind: 'in-progress' };
      return { kind: 'replay', status: first.status, response: first.response };
    }
  }

  /** Keeps the answer; only while the request is still ours (another process may have taken it over meanwhile). */
  async finish(userId: string, key: string, status: number, body: unknown): Promise<void> {
    await this.pool.query('UPDATE idempotency_keys SET status = $3, response = $4 WHERE user_id = $1 AND key = $2 AND owner = $5 AND status IS NULL', [
      userId,
      key,
      status,
      JSON.stringify(body ?? null),
      this.instanceId,
    ]);
  }

  /** Drops our in-progress key after a server error, so a retry runs afresh. */
  async forget(userId: string, key: string): Promise<void> {
    await this.pool.query('DELETE FROM idempotency_keys WHERE user_id = $1 AND key = $2 AND owner = $3 AND status IS NULL', [userId, key, this.instanceId]);
  }

  /**
   * Runs `write` (finish or forget) now; if Postgres is away, keeps trying in the background for
   * a few minutes, so a key whose request is over does not answer 409 until its lease runs out.
   */
  async settle(write: () => Promise<void>): Promise<void> {
    try {
      await write();
    } catch (e) {
      this.log.warn(`could not record the end of a request (${(e as Error).message}); retrying in the background`);
      const until = Date.now() + SETTLE_RETRY_MS;
      const again = () => {
        if (this.stopped || Date.now() > until) return;
        write().catch(() => setTimeout(again, RELOCK_DELAY_MS).unref());
      };
      setTimeout(again, RELOCK_DELAY_MS).unref();
      throw e;
    }
  }

  /** Deletes expired keys; returns how many. */
  async purge(): Promise<number> {
    const r = await this.pool.query(`DELETE FROM idempotency_keys WHERE created_at < now() - $1::float8 * interval '1 millisecond'`, [
      this.config.idempotency.keyTtlMs,
    ]);
    return r.rowCount ?? 0;
  }

  /** Connects a session of its own and takes the lock; on failure, or when the session drops later, tries again. */
  private async holdLock(): Promise<void> {
    if (this.stopped) return;
    const session = new Client({ connectionString: this.config.databaseUrl, keepAlive: true, connectionTimeoutMillis: 5000 });
    const lost = () => {
      if (this.lockSession !== session) return;
      this.lockSession = undefined;
      this.log.warn("lost the session holding this process's liveness lock (Postgres restarted?); taking it again");
      session.end().catch(() => undefined);
      this.retryLock();
    };
    session.on('error', lost);
    session.on('end', lost);
    try {
      await session.connect();
      const { rows } = await session.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1, $2) AS ok', [INSTANCE_LOCK_CLASS, this.instanceId]);
      if (!rows[0].ok) throw new Error(`instance id ${this.instanceId} is held by another session`);
      if (this.stopped) {
        await session.end();
        return;
      }
      this.lockSession = session;
      this.warned = false;
    } catch (e) {
      await session.end().catch(() => undefined);
      if (!this.warned && !this.stopped) this.log.warn(`cannot take this process's liveness lock yet: ${(e as Error).message}`);
      this.warned = true;
      this.retryLock();
    }
  }

  private retryLock(): void {
    if (this.stopped) return;
    this.relock = setTimeout(() => {
      this.locking = this.holdLock();
    }, RELOCK_DELAY_MS).unref();
  }
}

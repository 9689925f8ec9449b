import { Controller, Get, Inject, Res, type BeforeApplicationShutdown } from '@nestjs/common';
import type { Client } from '@temporalio/client';
import type { Response } from 'express';
import type { Pool } from 'pg';
import { pingDatabase } from '../../store/db';
import { Public } from '../auth/public.decorator';
import { PG_POOL, TEMPORAL_CLIENT } from '../tokens';

const CHECK_TIMEOUT_MS = 2000;

interface CheckResult {
  ok: boolean;
  latencyMs?: number;
}

@Controller()
export class HealthController implements BeforeApplicationShutdown {
  /** Checks still under way: shutdown waits for them, so none outlives the connections it uses. */
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
  ) {}

  /** 200 when both the database and Temporal answer; 503 (same body) when either does not. */
  @Public()
  @Get('health')
  async health(@Res({ passthrough: true }) res: Response) {
    const deadline = Date.now() + CHECK_TIMEOUT_MS;
    const [database, temporal] = await Promise.all([
      this.probe(deadline, () => pingDatabase(this.pool, CHECK_TIMEOUT_MS)),
      // A gRPC deadline, not an abandoned promise: the client's retry interceptor would otherwise
      // keep retrying a dead server in the background (and fire into a closed channel later).
      this.probe(deadline, () => this.temporal.connection.withDeadline(deadline, () => this.temporal.workflowService.getSystemInfo({}))),
    ]);
    const ok = database.ok && temporal.ok;
    res.status(ok ? 200 : 503);
    if (!ok) res.setHeader('Retry-After', '2'); // as every 503 of the API
    return { status: ok ? 'ok' : 'unavailable', database, temporal };
  }

  async beforeApplicationShutdown(): Promise<void> {
    // Bounded: a gRPC call ends by its deadline plus one retry back-off (≤ 5 s).
    await Promise.race([Promise.allSettled([...this.inFlight]), new Promise((r) => setTimeout(r, 10_000).unref())]);
  }

  /**
   * Answers by the deadline even if the check has not ended; the check itself is bounded (its own
   * deadline or timeout) and tracked until it settles.
   */
  private async probe(deadline: number, check: () => Promise<unknown>): Promise<CheckResult> {
    const started = Date.now();
    const call = check();
    this.inFlight.add(call);
    void call.then(
      () => this.inFlight.delete(call),
      () => this.inFlight.delete(call),
    );
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('timeout')), Math.max(0, deadline - Date.now()));
    });
    try {
      await Promise.race([call, late]);
      return { ok: true, latencyMs: Date.now() - started };
    } catch {
      return { ok: false };
    } finally {
      clearTimeout(timer);
    }
  }
}

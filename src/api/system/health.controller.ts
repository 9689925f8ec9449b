import { Controller, Get, Inject, Res } from '@nestjs/common';
import type { Client } from '@temporalio/client';
import type { Response } from 'express';
import type { Pool } from 'pg';
import { Public } from '../auth/public.decorator';
import { PG_POOL, TEMPORAL_CLIENT } from '../tokens';

const CHECK_TIMEOUT_MS = 2000;

async function probe(check: () => Promise<unknown>): Promise<{ ok: boolean; latencyMs?: number }> {
  const started = Date.now();
  try {
    await Promise.race([check(), new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), CHECK_TIMEOUT_MS).unref())]);
    return { ok: true, latencyMs: Date.now() - started };
  } catch {
    return { ok: false };
  }
}

@Controller()
export class HealthController {
  constructor(@Inject(PG_POOL) private readonly pool: Pool, @Inject(TEMPORAL_CLIENT) private readonly temporal: Client) {}

  /** 200 when both the database and Temporal answer; 503 (same body) when either does not. */
  @Public() @Get('health')
  async health(@Res({ passthrough: true }) res: Response) {
    const [database, temporal] = await Promise.all([
      probe(() => this.pool.query('SELECT 1')),
      probe(() => this.temporal.workflowService.getSystemInfo({})),
    ]);
    const ok = database.ok && temporal.ok;
    res.status(ok ? 200 : 503);
    return { status: ok ? 'ok' : 'unavailable', database, temporal };
  }
}

import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import type { Config } from '../../config/config';
import { caseCountsByStageAndStatus, openTaskCounts } from '../../store/projections/ops-metrics-queries';
import { CONFIG, PG_POOL } from '../tokens';
import { HttpMetrics } from './http-metrics';
import { mergeExpositions, scrapeWorker } from './worker-scrape';

/**
 * This process's metrics (one registry per application, so that tests running several apps in
 * one process keep them apart): HTTP durations as requests end, the process's own, and the
 * engine's counts read from the projections at each scrape.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  readonly http = new HttpMetrics(this.registry);
  private readonly cases = new Gauge({
    name: 'aid_cases',
    help: 'Identification cases by stage and status',
    labelNames: ['stage', 'status'],
    registers: [this.registry],
  });
  private readonly tasksOpen = new Gauge({
    name: 'aid_tasks_open',
    help: 'Open tasks by subject kind and step',
    labelNames: ['kind', 'step'],
    registers: [this.registry],
  });
  private readonly tasksOverdue = new Gauge({
    name: 'aid_tasks_overdue',
    help: 'Open tasks past their due time, by subject kind and step',
    labelNames: ['kind', 'step'],
    registers: [this.registry],
  });
  /** Only when WORKER_METRICS_URL is set. */
  private readonly workerUp?: Gauge;

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(CONFIG) private readonly config: Config,
  ) {
    collectDefaultMetrics({ register: this.registry });
    if (config.workerMetricsUrl) {
      this.workerUp = new Gauge({
        name: 'aid_worker_metrics_up',
        help: "1 when the worker's Temporal SDK metrics (WORKER_METRICS_URL) were read for this scrape, 0 when they could not be",
        registers: [this.registry],
      });
    }
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** The exposition: counts read now, then the worker's metrics appended when configured. */
  async scrape(): Promise<string> {
    const workerUrl = this.config.workerMetricsUrl;
    const [cases, tasks, worker] = await Promise.all([
      caseCountsByStageAndStatus(this.pool),
      openTaskCounts(this.pool, new Date()),
      workerUrl ? scrapeWorker(workerUrl) : Promise.resolve(undefined),
    ]);
    // Reset first: a stage no case is at any more must drop out, not keep its last count.
    this.cases.reset();
    for (const c of cases) this.cases.set({ stage: c.stage, status: c.status }, c.cases);
    this.tasksOpen.reset();
    this.tasksOverdue.reset();
    for (const t of tasks) {
      this.tasksOpen.set({ kind: t.kind, step: t.step }, t.open);
      this.tasksOverdue.set({ kind: t.kind, step: t.step }, t.overdue);
    }
    this.workerUp?.set(worker === undefined ? 0 : 1);
    const own = await this.registry.metrics();
    return worker ? mergeExpositions(own, worker) : own;
  }
}

import { Client, Connection } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { loadConfig } from '../config/config';
import { engineDataConverter } from '../temporal/data-converter';
import { actUpdate, bareCase, closeSignal } from './bare/workflows';
import { BARE_TASK_QUEUE } from './bare/queue';

/** The engine through its public HTTP API, as the users seeded by `seed-cli directory` (BENCH_USERS_FILE). */
export class EngineApi {
  private readonly tokens: Record<string, string>;
  constructor(
    readonly baseUrl = required('BENCH_API_URL'),
    usersFile = required('BENCH_USERS_FILE'),
  ) {
    const users = JSON.parse(readFileSync(usersFile, 'utf8')) as { userId: string; token: string }[];
    this.tokens = Object.fromEntries(users.map((u) => [u.userId, u.token]));
  }

  /** Calls the API as `as`; anything but 2xx is an error (a benchmark of failures measures nothing). */
  async call<T = unknown>(method: 'GET' | 'POST', path: string, as: string, body?: unknown): Promise<T> {
    const token = this.tokens[as];
    if (!token) throw new Error(`no bench user ${as}`);
    const res = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json', 'idempotency-key': randomUUID() }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path} as ${as}: ${res.status} ${text.slice(0, 500)}`);
    return (res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text) as T;
  }
}

/** The bare baseline through the Temporal client, with the engine's client options (server, namespace, data converter). */
export class BareClient {
  private constructor(private readonly client: Client) {}

  static async connect(): Promise<BareClient> {
    const config = loadConfig();
    const connection = await Connection.connect({ address: config.temporalAddress });
    return new BareClient(new Client({ connection, namespace: config.temporalNamespace, dataConverter: engineDataConverter(config.payloadKeys) }));
  }

  /** Starts a run and takes its first step (as POST /applications starts a case and waits for its first step). */
  async open(): Promise<string> {
    const workflowId = `bare-${randomUUID()}`;
    const handle = await this.client.workflow.start(bareCase, { taskQueue: BARE_TASK_QUEUE, workflowId });
    await handle.executeUpdate(actUpdate, { args: [1] });
    return workflowId;
  }

  /** One more step of an open run (as a decision is). */
  async act(workflowId: string): Promise<void> {
    await this.client.workflow.getHandle(workflowId).executeUpdate(actUpdate, { args: [2] });
  }

  async close(workflowId: string): Promise<void> {
    await this.client.workflow.getHandle(workflowId).signal(closeSignal);
  }

  async end(): Promise<void> {
    await this.client.connection.close();
  }
}

function required(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run the benchmark with \`npm run bench\``);
  return v;
}

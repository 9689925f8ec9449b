import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mergeExpositions, scrapeWorker } from '../../src/api/metrics/worker-scrape';

const API_TEXT = `# HELP process_cpu_seconds_total Total user and system CPU time spent in seconds.
# TYPE process_cpu_seconds_total counter
process_cpu_seconds_total 1.5

# HELP aid_cases Identification cases by stage and status
# TYPE aid_cases gauge
aid_cases{stage="village_evaluation",status="open"} 3
`;

const WORKER_TEXT = `# HELP temporal_num_pollers current number of poller threads
# TYPE temporal_num_pollers gauge
temporal_num_pollers{poller_type="activity_task",task_queue="aid-cases"} 5
# HELP process_cpu_seconds_total the worker's own, same name as the API's
# TYPE process_cpu_seconds_total counter
process_cpu_seconds_total 9.25
# HELP temporal_workflow_task_execution_latency_seconds workflow task latency
# TYPE temporal_workflow_task_execution_latency_seconds histogram
temporal_workflow_task_execution_latency_seconds_bucket{le="0.1"} 4
temporal_workflow_task_execution_latency_seconds_bucket{le="+Inf"} 5
temporal_workflow_task_execution_latency_seconds_sum 0.42
temporal_workflow_task_execution_latency_seconds_count 5
aid_cases{stage="rejected",status="rejected"} 7
`;

/** Every `# TYPE` name of an exposition, with how often it is declared. */
const declared = (text: string) =>
  text
    .split('\n')
    .map((l) => /^# TYPE (\S+)/.exec(l)?.[1])
    .filter((n): n is string => !!n)
    .reduce<Record<string, number>>((acc, n) => ({ ...acc, [n]: (acc[n] ?? 0) + 1 }), {});

describe("merging the worker's metrics into the API's", () => {
  it("appends the worker's families and leaves out those the API already has (a second # TYPE would fail the scrape)", () => {
    const merged = mergeExpositions(API_TEXT, WORKER_TEXT);
    expect(merged.startsWith(API_TEXT)).toBe(true);
    expect(declared(merged)).toEqual({
      process_cpu_seconds_total: 1,
      aid_cases: 1,
      temporal_num_pollers: 1,
      temporal_workflow_task_execution_latency_seconds: 1,
    });
    expect(merged).toContain('temporal_num_pollers{poller_type="activity_task",task_queue="aid-cases"} 5\n');
    expect(merged).toContain('temporal_workflow_task_execution_latency_seconds_bucket{le="+Inf"} 5\n');
    expect(merged).toContain('temporal_workflow_task_execution_latency_seconds_count 5\n');
    expect(merged).not.toContain('9.25'); // the worker's process_cpu_seconds_total
    expect(merged).not.toContain('status="rejected"} 7'); // an untyped sample of a family the API has
    expect(merged.endsWith('\n')).toBe(true);
  });

  it('keeps the API text as it is when the worker has nothing', () => {
    expect(mergeExpositions(API_TEXT, '')).toBe(API_TEXT);
  });
});

describe("reading the worker's metrics", () => {
  let server: Server;
  let base: string;
  const hanging: ServerResponse[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/metrics') res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(WORKER_TEXT);
      else if (req.url === '/broken') res.writeHead(500).end('oops');
      else hanging.push(res); // never answers
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    for (const res of hanging) res.destroy();
    await new Promise((resolve) => server.close(resolve));
  });

  it('returns the text of a 200', async () => {
    expect(await scrapeWorker(`${base}/metrics`)).toBe(WORKER_TEXT);
  });

  it('returns nothing for another status, a refused connection, or no answer within the timeout', async () => {
    expect(await scrapeWorker(`${base}/broken`)).toBeUndefined();
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    expect(await scrapeWorker(`http://127.0.0.1:${closedPort}/metrics`)).toBeUndefined();
    expect(await scrapeWorker(`${base}/hangs`, 200)).toBeUndefined();
    expect(hanging.length).toBe(1); // it did reach the server, which never answered
  });
});

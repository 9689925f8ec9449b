// Samples the resident memory of named processes (matched on their command line, counted with
// all their descendants: Postgres' backends, the dev server's children) every second, and
// keeps each one's peak. Linux only (reads `ps`); for benchmarks.
import { spawnSync } from 'node:child_process';

/** `groups`: name → predicate on a process's command line. Returns `stop()` → name → peak MB. */
export function peakMemory(groups) {
  const peaks = Object.fromEntries(Object.keys(groups).map((name) => [name, 0]));
  const sample = () => {
    const ps = spawnSync('ps', ['-eo', 'pid=,ppid=,rss=,args='], { encoding: 'utf8' });
    const procs = [];
    for (const line of (ps.stdout ?? '').split('\n')) {
      const m = /^\s*(\d+)\s+(\d+)\s+(\d+)\s+(.*)$/.exec(line);
      if (m) procs.push({ pid: m[1], ppid: m[2], mb: Number(m[3]) / 1024, args: m[4] });
    }
    for (const [name, matches] of Object.entries(groups)) {
      const members = new Set(procs.filter((p) => matches(p.args)).map((p) => p.pid));
      for (let grew = true; grew;) {
        grew = false;
        for (const p of procs) {
          if (members.has(p.pid) || !members.has(p.ppid)) continue;
          members.add(p.pid);
          grew = true;
        }
      }
      const mb = procs.filter((p) => members.has(p.pid)).reduce((sum, p) => sum + p.mb, 0);
      peaks[name] = Math.max(peaks[name], mb);
    }
  };
  sample();
  const timer = setInterval(sample, 1000);
  return {
    stop() {
      clearInterval(timer);
      sample();
      return peaks;
    },
  };
}

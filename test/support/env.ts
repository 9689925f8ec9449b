/** The servers' addresses come from scripts/test.mjs; running jest alone needs them set by hand. */
export function requireEnv(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run the tests with \`npm test\`, which starts Postgres and Temporal`);
  return v;
}

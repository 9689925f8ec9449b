import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildOpenApi } from '../../src/api/openapi/build-openapi';

const root = join(__dirname, '..', '..');

/** The console's typed client is only as good as its types: they must be those of today's document. */
describe("the console's API types", () => {
  it('console/src/api/schema.d.ts is what `npm run gen:console-api` makes from the current OpenAPI document', () => {
    const generated = spawnSync(process.execPath, [join(root, 'scripts', 'console-api-types.mjs')], {
      input: JSON.stringify(buildOpenApi()),
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    if (generated.status !== 0) throw new Error(`openapi-typescript failed: ${generated.stderr}`);
    const committed = readFileSync(join(root, 'console', 'src', 'api', 'schema.d.ts'), 'utf8');
    // A failure here means: run `npm run gen:console-api` and commit the file.
    expect(generated.stdout === committed).toBe(true);
  });
});

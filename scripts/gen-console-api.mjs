// `npm run gen:console-api`: writes console/src/api/schema.d.ts, the web console's types of the
// API, from the OpenAPI document that src/api/openapi builds (the one /openapi.json serves).
// Run it after changing a route or a schema (it compiles first). The file is committed, so that
// the console builds and type-checks without a running server or a compile of the API, and
// test/console/console-api-types.test.ts fails when it no longer matches the document.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { root } from './lib/install.mjs';
import { consoleApiTypes } from './console-api-types.mjs';

execFileSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
const { buildOpenApi } = createRequire(import.meta.url)(join(root, 'dist', 'api', 'openapi', 'build-openapi.js'));
const out = join(root, 'console', 'src', 'api', 'schema.d.ts');
writeFileSync(out, await consoleApiTypes(buildOpenApi()));
process.stdout.write(`wrote ${out}\n`);

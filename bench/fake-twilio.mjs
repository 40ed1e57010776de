/**
 * The Twilio-compatible server of the tests (test/helpers/fake-twilio.ts),
 * used as is: its TypeScript is transpiled (types stripped, nothing else)
 * into .local/bench/fake-twilio/ on each run, so the benchmark talks to the
 * same fake as the e2e suite without a build step of its own.
 */
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';

// Every helper the fake imports (a missing one stops deps-server at start).
const SOURCES = ['fake-twilio.ts', 'fake-twilio-resources.ts', 'twilio-status-callbacks.ts'];

/** Transpiles the fake into `outDir` (below the package root) and returns its FakeTwilio class. */
export async function loadFakeTwilio(root, outDir = path.join(root, '.local', 'bench', 'fake-twilio')) {
  fs.mkdirSync(outDir, { recursive: true });
  // ESM scope for the emitted .js files, whatever an enclosing package.json says.
  fs.writeFileSync(path.join(outDir, 'package.json'), '{"type":"module"}\n');
  for (const file of SOURCES) {
    const source = fs.readFileSync(path.join(root, 'test', 'helpers', file), 'utf8');
    const { outputText } = ts.transpileModule(source, {
      fileName: file,
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: false },
    });
    // The helpers require scripts/lib/*.cjs relative to test/helpers/; point that path at the same files from outDir.
    const scripts = `${path.relative(outDir, path.join(root, 'scripts')).split(path.sep).join('/')}/`;
    const output = outputText.replaceAll("'../../scripts/", `'${scripts}`);
    fs.writeFileSync(path.join(outDir, file.replace(/\.ts$/, '.js')), output);
  }
  const module = await import(pathToFileURL(path.join(outDir, 'fake-twilio.js')).href);
  return module.FakeTwilio;
}

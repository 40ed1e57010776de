/**
 * The module boundaries `npm run lint` enforces (docs/architecture.md, "Module boundaries"): the real
 * dependency-cruiser with the project's .dependency-cruiser.cjs, and scripts/check-folder-cycles.mjs, run
 * on small source trees written here, so each rule is seen to catch what it is for. That the project's own
 * src/ passes is `npm run lint` itself.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const REPO = process.cwd();
const DEPCRUISE = path.join(REPO, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');
const FOLDER_CHECK = path.join(REPO, 'scripts', 'check-folder-cycles.mjs');

interface Run {
  status: number | null;
  output: string;
}

/** A project root holding the project's boundary configuration and `files` (path → source). */
function tree(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(tmpdir(), 'fluxkit-boundaries-'));
  copyFileSync(path.join(REPO, '.dependency-cruiser.cjs'), path.join(root, '.dependency-cruiser.cjs'));
  writeFileSync(
    path.join(root, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', strict: true }, include: ['src'] }),
  );
  for (const [file, source] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), source);
  }
  roots.push(root);
  return root;
}

function run(root: string, script: string): Run {
  const result = spawnSync(process.execPath, [script, 'src'], { cwd: root, encoding: 'utf8' });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

const roots: string[] = [];
afterAll(() => roots.forEach((root) => rmSync(root, { recursive: true, force: true })));

describe('module boundaries (npm run lint)', () => {
  it('passes a tree that keeps every rule', () => {
    const root = tree({
      'src/main.ts': "import { port } from './config/environment.js';\nexport const main = port;\n",
      'src/config/environment.ts': "import { LIMIT } from '../messaging/common/limits.js';\nexport const port = LIMIT;\n",
      'src/messaging/common/limits.ts': 'export const LIMIT = 1;\n',
      'src/messaging/providers/smtp.ts': "import { LIMIT } from '../common/limits.js';\nexport const smtp = LIMIT;\n",
      'src/messaging/channels/email.ts': "import { smtp } from '../providers/smtp.js';\nexport const email = smtp;\n",
    });
    expect(run(root, DEPCRUISE)).toMatchObject({ status: 0 });
    expect(run(root, FOLDER_CHECK)).toMatchObject({ status: 0 });
  });

  it('refuses each forbidden import and file cycle, naming the rule', () => {
    const root = tree({
      'src/messaging/channels/email.ts': 'export const MAX = 50;\n',
      'src/messaging/logs/receipt.ts': 'export interface Receipt { id: string }\n',
      'src/messaging/queue/job.ts': 'export const JOB = 1;\n',
      'src/messaging/providers/smtp.ts':
        "import { MAX } from '../channels/email.js';\nimport type { Receipt } from '../logs/receipt.js';\n" +
        "import { JOB } from '../queue/job.js';\nexport const smtp = (r: Receipt) => MAX + JOB + r.id.length;\n",
      'src/messaging/errors/codes.ts': 'export const CODE = 1;\n',
      'src/messaging/common/limits.ts': "import { CODE } from '../errors/codes.js';\nexport const LIMIT = CODE;\n",
      'src/config/environment.ts': 'export const port = 3000;\n',
      'src/messaging/redis/url.ts': "import { port } from '../../config/environment.js';\nexport const url = port;\n",
      'src/messaging/templates/a.ts': "import { b } from './b.js';\nexport const a = () => b();\n",
      'src/messaging/templates/b.ts': "import { a } from './a.js';\nexport const b = (): unknown => a;\n",
    });
    const { status, output } = run(root, DEPCRUISE);
    expect(status).not.toBe(0);
    for (const target of ['channels/email.ts', 'logs/receipt.ts', 'queue/job.ts']) {
      expect(output).toMatch(new RegExp(`providers-stay-below-channels: src/messaging/providers/smtp.ts → src/messaging/${target}`));
    }
    expect(output).toMatch(/common-imports-nothing-of-ours: src\/messaging\/common\/limits.ts → src\/messaging\/errors\/codes.ts/);
    expect(output).toMatch(/config-only-from-entry-points: src\/messaging\/redis\/url.ts → src\/config\/environment.ts/);
    expect(output).toMatch(/no-circular: src\/messaging\/templates\/a.ts/);
  });

  it('refuses a cycle between top-level folders that runs through different subfolders', () => {
    // No file cycle and no cycle between any two folder paths: only the top-level folders go round.
    const root = tree({
      'src/messaging/auth/guards/guard.ts': "import { model } from '../../openapi/models/model.js';\nexport const guard = model;\n",
      'src/messaging/auth/tokens/token.ts': 'export const token = 1;\n',
      'src/messaging/openapi/models/model.ts': 'export const model = 1;\n',
      'src/messaging/openapi/docs/doc.ts': "import { token } from '../../auth/tokens/token.js';\nexport const doc = token;\n",
    });
    expect(run(root, DEPCRUISE)).toMatchObject({ status: 0 });
    const { status, output } = run(root, FOLDER_CHECK);
    expect(status).toBe(1);
    expect(output).toContain('no-folder-cycle: auth → openapi → auth');
    expect(output).toContain('src/messaging/auth/guards/guard.ts → src/messaging/openapi/models/model.ts');
  });
});

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultTemplatesDir, findPackageRoot, PACKAGE_NAME } from './package-root.js';

describe('findPackageRoot', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'pkg-root-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('skips package.json files of other packages on the way up, at any depth', () => {
    writeFileSync(join(root, 'package.json'), JSON.stringify({ name: PACKAGE_NAME }));
    const deep = join(root, 'dist', 'x', 'y', 'z');
    mkdirSync(deep, { recursive: true });
    writeFileSync(join(root, 'dist', 'x', 'package.json'), JSON.stringify({ type: 'module' }));
    expect(findPackageRoot(deep)).toBe(root);
  });

  it('throws when no folder above is ours', () => {
    expect(() => findPackageRoot(root)).toThrow(PACKAGE_NAME);
  });

  it('finds the shipped templates/ from the source tree', () => {
    expect(defaultTemplatesDir()).toMatch(/templates$/);
  });
});

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The `name` in our package.json; the folder holding it is the package root. */
export const PACKAGE_NAME = '@fluxkit/messaging';

/**
 * Walks up from `startDir` to the folder whose package.json is ours. Works
 * from src/ (tests), dist/, any other build folder, and from
 * node_modules/@fluxkit/messaging once installed, whatever the depth.
 */
export function findPackageRoot(startDir: string): string {
  let dir = startDir;
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && readPackageName(manifest) === PACKAGE_NAME) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`No package.json named ${PACKAGE_NAME} above ${startDir}`);
    dir = parent;
  }
}

/** The `templates/` folder shipped at the package root (the default TEMPLATES_DIR). */
export function defaultTemplatesDir(): string {
  return join(findPackageRoot(dirname(fileURLToPath(import.meta.url))), 'templates');
}

function readPackageName(manifest: string): unknown {
  try {
    return (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name;
  } catch {
    return undefined;
  }
}

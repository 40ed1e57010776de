import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, sep } from 'node:path';
import { TemplateDefinitionError } from './template-manifest.js';

/** Largest template file read; real mail templates are a few KiB. */
const MAX_FILE_BYTES = 256 * 1024;

/**
 * Read access to TEMPLATES_DIR and nothing else: every path is resolved
 * through symlinks and must still lie inside the folder, so neither a `..`
 * nor a symlink can make a template read another file. Paths only ever come
 * from the folder's own listing, never from a request.
 */
export class TemplateFolder {
  private constructor(
    /** Real path of TEMPLATES_DIR. */
    readonly root: string,
  ) {}

  static async open(dir: string): Promise<TemplateFolder> {
    let root: string;
    try {
      root = await realpath(dir);
    } catch (error) {
      throw new TemplateDefinitionError(`folder "${dir}"`, `cannot be read (${codeOf(error)}); check TEMPLATES_DIR`);
    }
    if (!(await stat(root)).isDirectory()) {
      throw new TemplateDefinitionError(`folder "${dir}"`, 'is not a folder; check TEMPLATES_DIR');
    }
    return new TemplateFolder(root);
  }

  /** Names of the sub-folders of `rel` ('' for the root); hidden ones are skipped. */
  async folders(rel = ''): Promise<string[]> {
    return (await this.entries(rel, (s) => s.isDirectory())).filter((name) => !name.startsWith('.'));
  }

  /** Names of the files of `rel` ending in `extension`; none when `rel` does not exist. */
  async files(rel: string, extension: string): Promise<string[]> {
    const names = (await this.entries(rel, (s) => s.isFile())).filter((name) => name.endsWith(extension));
    return names.sort();
  }

  /** The text of `rel`, or undefined when there is no such file. */
  async read(rel: string): Promise<string | undefined> {
    const real = await this.resolve(rel);
    if (real === undefined) return undefined;
    const info = await stat(real);
    if (!info.isFile()) throw new TemplateDefinitionError(rel, 'is not a file');
    if (info.size > MAX_FILE_BYTES) throw new TemplateDefinitionError(rel, `is larger than ${MAX_FILE_BYTES} bytes`);
    return readFile(real, 'utf8');
  }

  private async entries(rel: string, keep: (info: Awaited<ReturnType<typeof stat>>) => boolean): Promise<string[]> {
    const dir = await this.resolve(rel);
    if (dir === undefined || !(await stat(dir)).isDirectory()) return [];
    const names: string[] = [];
    for (const entry of await readdir(dir)) {
      const real = await this.resolve(join(rel, entry));
      if (real !== undefined && keep(await stat(real))) names.push(entry);
    }
    return names;
  }

  /** Real path of `rel`, or undefined if missing; throws if it leads outside the folder. */
  private async resolve(rel: string): Promise<string | undefined> {
    let real: string;
    try {
      real = await realpath(join(this.root, rel));
    } catch (error) {
      if (codeOf(error) === 'ENOENT') return undefined;
      throw error;
    }
    const inside = relative(this.root, real);
    if (inside !== '' && (inside === '..' || inside.startsWith(`..${sep}`) || isAbsolute(inside))) {
      throw new TemplateDefinitionError(rel, 'leads outside TEMPLATES_DIR (symlink?); refusing to read it');
    }
    return real;
  }
}

function codeOf(error: unknown): string {
  return typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : String(error);
}

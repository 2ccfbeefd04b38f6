// `mkdir -p` that always ends. Node's recursive mkdir never returns, spinning at full CPU, when a parent
// exists but cannot hold the child: a dangling symbolic link (a data dir linked to a disk that is not
// mounted) or a path under /proc, whose mkdir answers ENOENT beneath an existing parent, which Node's walk
// takes for a missing parent and retries forever. Here each missing directory is made on its own, outermost
// first, and the first refusal is the answer.
import { mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

const codeOf = (error: unknown) => (error as NodeJS.ErrnoException).code;

function isDirectory(path: string): boolean | undefined {
  try {
    return statSync(path).isDirectory();
  } catch (error) {
    if (codeOf(error) === 'ENOENT') return undefined;
    throw error;
  }
}

function notADirectory(path: string): Error {
  return Object.assign(new Error(`ENOTDIR: ${path} exists and is not a directory (a file, or a symbolic link to something missing)`), { code: 'ENOTDIR', path });
}

/**
 * Creates `path` and its missing parents with `mode` (an existing directory keeps its own). Synchronous
 * on purpose: a few system calls, made at start or before writing a report. Throws the system's error for
 * the first directory that cannot be made.
 */
export function makeDirectories(path: string, mode = 0o777): void {
  const missing: string[] = [];
  for (let current = resolve(path); ; ) {
    const found = isDirectory(current);
    if (found === true) break;
    if (found === false) throw notADirectory(current);
    const parent = dirname(current);
    missing.unshift(current);
    if (parent === current) break;
    current = parent;
  }
  for (const directory of missing) {
    try {
      mkdirSync(directory, { mode });
    } catch (error) {
      if (codeOf(error) !== 'EEXIST') throw error;
      if (isDirectory(directory) !== true) throw notADirectory(directory);
    }
  }
}

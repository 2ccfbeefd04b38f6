import { mkdtemp, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { makeDirectories } from '../../lib/directories.ts';

let directory = '';
afterEach(async () => {
  if (directory) await rm(directory, { recursive: true, force: true });
});

it('makes every missing directory with the mode asked for, and leaves an existing one as it is', async () => {
  directory = await mkdtemp(join(tmpdir(), 'paysim-dirs-'));
  const deep = join(directory, 'a', 'b', 'c');
  makeDirectories(deep, 0o700);
  for (const path of [join(directory, 'a'), join(directory, 'a', 'b'), deep]) expect((await stat(path)).mode & 0o777).toBe(0o700);
  makeDirectories(deep, 0o755);
  expect((await stat(deep)).mode & 0o777).toBe(0o700);
});

it('refuses a file, or a link to nothing, where a directory should be, naming it', async () => {
  directory = await mkdtemp(join(tmpdir(), 'paysim-dirs-'));
  await writeFile(join(directory, 'file'), 'x');
  await symlink(join(directory, 'missing'), join(directory, 'link'));
  expect(() => makeDirectories(join(directory, 'file'))).toThrow(/ENOTDIR: .*file exists and is not a directory/);
  expect(() => makeDirectories(join(directory, 'link', 'inside'))).toThrow(/ENOTDIR: .*link exists and is not a directory \(a file, or a symbolic link to something missing\)/);
  expect(() => makeDirectories(join(directory, 'file', 'inside'))).toThrow(/ENOTDIR/);
});

import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DataDirError, prepareDataDir } from '../../shared/embedded/data-dir';

const roots: string[] = [];
const root = () => {
  const dir = mkdtempSync(join(tmpdir(), 'zhuqi-dir-'));
  roots.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of roots.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('prepareDataDir', () => {
  it('makes a new directory level by level, and undo removes all it made', () => {
    const parent = root();
    const prepared = prepareDataDir(join(parent, 'a', 'b', 'c'));
    writeFileSync(join(prepared.path, 'zhuqi.lock'), '1');
    expect(readdirSync(join(parent, 'a', 'b'))).toEqual(['c']);
    prepared.undo();
    expect(readdirSync(parent)).toEqual([]);
  });

  it('takes an empty directory, and undo empties it again without removing it', () => {
    const dir = root();
    const prepared = prepareDataDir(dir);
    mkdirSync(join(dir, 'dynamodb'));
    prepared.undo();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('takes a directory with Zhuqi data, and undo leaves the data alone', () => {
    const dir = root();
    mkdirSync(join(dir, 'dynamodb'));
    writeFileSync(join(dir, 'dynamodb', 'CURRENT'), 'x');
    prepareDataDir(dir).undo();
    expect(readdirSync(join(dir, 'dynamodb'))).toEqual(['CURRENT']);
  });

  it('refuses a file in the way, and a directory of other files', () => {
    const dir = root();
    writeFileSync(join(dir, 'file'), '');
    expect(() => prepareDataDir(join(dir, 'file', 'x'))).toThrow(
      new DataDirError(`${join(dir, 'file')} is a file, not a directory`),
    );
    expect(() => prepareDataDir(join(dir, 'file'))).toThrow(/is a file, not a directory/);
    expect(() => prepareDataDir(dir)).toThrow(/holds other files \(file\)/);
  });
});

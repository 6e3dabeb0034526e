/** Test helpers for the spool: temporary folders, and reading what is in them. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decode, parseName, recordTexts } from '../src/spool/format.js';

const made: string[] = [];

/** A fresh folder, removed by `removeTempDirs()`. */
export function tempDir(prefix = 'spool-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** Every file under `dir` (recursively), as paths relative to it. */
export function allFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (sub: string) => {
    for (const name of readdirSync(join(dir, sub))) {
      const rel = sub ? join(sub, name) : name;
      if (statSync(join(dir, rel)).isDirectory()) walk(rel);
      else out.push(rel);
    }
  };
  walk('');
  return out.sort();
}

/** Spool files (`*.seg`) under `dir`, oldest first by name, as paths. */
export function segFiles(dir: string): string[] {
  return allFiles(dir)
    .filter((f) => f.endsWith('.seg'))
    .sort((a, b) => (base(a) < base(b) ? -1 : 1))
    .map((f) => join(dir, f));
}

const base = (path: string) => path.slice(path.lastIndexOf('/') + 1);

/** The records of one spool file, as JSON texts (throws when it does not decode). */
export function fileRecords(path: string): string[] {
  const name = parseName(base(path));
  if (!name) throw new Error(`not a spool file: ${path}`);
  const decoded = decode(readFileSync(path), name.records);
  if (!('body' in decoded)) throw new Error(`${path}: ${decoded.problem}`);
  return recordTexts(decoded.body, decoded.sizes);
}

/** The records of every spool file under `dir`, oldest file first. */
export function spooledRecords(dir: string): string[] {
  return segFiles(dir).flatMap(fileRecords);
}

/** The pid of a process that has ended (for an orphan folder's owner.json). */
export function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(child.stdout.toString());
}

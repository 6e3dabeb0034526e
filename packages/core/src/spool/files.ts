/**
 * The spool's file operations. A file is written under a temporary name, flushed to the disk
 * (fsync), then renamed to its final name, and the folder is flushed too: a spool file is either
 * complete or absent, also after a crash of the machine. The asynchronous forms run on libuv's
 * threadpool (never on the thread that calls push()); the synchronous ones are for the exit hook,
 * when nothing asynchronous runs any more.
 */
import {
  closeSync,
  fsyncSync,
  openSync,
  readdirSync,
  renameSync,
  rmSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { open, readFile, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';

let temps = 0;

/** A temp name no other write (of this client or another) uses. */
function tempName(name: string): string {
  return `${name}.${process.pid}-${++temps}.tmp`;
}

export async function writeAtomic(dir: string, name: string, data: Buffer): Promise<void> {
  const temp = join(dir, tempName(name));
  const file = await open(temp, 'wx');
  try {
    await file.writeFile(data);
    await file.sync();
  } finally {
    await file.close();
  }
  await rename(temp, join(dir, name));
  await syncDir(dir);
}

/** The blocking write; the caller flushes the folder once after its last file (`syncDirSync`). */
export function writeAtomicSync(dir: string, name: string, data: Buffer): void {
  const temp = join(dir, tempName(name));
  const fd = openSync(temp, 'wx');
  try {
    for (let off = 0; off < data.length; ) off += writeSync(fd, data, off);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, join(dir, name));
}

/** The rename of a new file lasts a machine crash only once its folder is flushed too. */
async function syncDir(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r');
    await handle.sync().finally(() => handle.close());
  } catch {
    // Some systems (Windows) cannot open a folder: the rename is as durable as they make it.
  }
}

export function syncDirSync(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // as above
  }
}

export function readSpoolFile(dir: string, name: string): Promise<Buffer> {
  return readFile(join(dir, name));
}

/** Deletes a file; one that is already gone is fine. */
export async function remove(dir: string, name: string): Promise<void> {
  try {
    await unlink(join(dir, name));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

export function removeSync(dir: string, name: string): void {
  try {
    unlinkSync(join(dir, name));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

/** Keeps an unreadable file for inspection under `<name>.corrupt` (never read again). */
export async function moveAside(dir: string, name: string): Promise<string> {
  const aside = `${name}.corrupt`;
  await rename(join(dir, name), join(dir, aside));
  return aside;
}

/** Removes the folder when nothing but its owner.json is left in it. */
export function removeIfEmpty(dir: string, keep: string): void {
  try {
    if (readdirSync(dir).every((name) => name === keep)) rmSync(dir, { recursive: true });
  } catch {
    // Gone already, or not ours to remove.
  }
}

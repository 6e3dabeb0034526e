/**
 * Who owns which spool folder, so that two processes (or two clients) on one `spoolDir` never
 * write, send or delete each other's files, and the files of a dead one are taken over:
 *
 *   <spoolDir>/
 *     <stream>-<hash of rule + stream>/     one folder per destination
 *       <host>-<pid>-<tag>/                 one per client while it runs (created complete: built
 *         owner.json                        under a dot-name, then renamed into place)
 *         <time>-<counter>-<tag>-<n>r.v1.seg
 *       .claim-<tag>-<host>-<pid>-<tag2>/   a dead client's folder, being taken over by <tag>
 *
 * A folder is dead when its owner is: on this host, its pid no longer runs (or runs another
 * process: Linux records the process's start time), or it is this very process's and no client
 * here holds it (a previous incarnation with the same pid, as pid 1 in a container); on another
 * host (a shared volume), when its heartbeat (owner.json's mtime, touched every 10 s) is a
 * minute old. Taking over is one atomic rename of the dead folder to a `.claim-` name, which only
 * one contender can win; the winner then moves the files into its own folder.
 */
import { createHash, randomBytes } from 'node:crypto';
import {
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { hostname as osHostname } from 'node:os';
import { join } from 'node:path';
import { threadId } from 'node:worker_threads';

/** How often a client touches its owner.json. */
export const HEARTBEAT_MS = 10_000;
/** A folder of another host without a heartbeat for this long is dead. */
export const STALE_MS = 60_000;
export const OWNER_FILE = 'owner.json';
const CLAIM = '.claim-';

interface OwnerInfo {
  readonly pid: number;
  readonly hostname: string;
  readonly threadId: number;
  /** Linux: the process's start time in clock ticks since boot (tells a reused pid apart). */
  readonly processStart?: string;
}

/** Folders held by clients of this thread (a client closed or destroyed leaves the set). */
const held = new Set<string>();

const HOST = osHostname();

/** The folder of one destination: rule and stream decide where records go, not the endpoint. */
export function destinationDir(spoolDir: string, ruleId: string, streamName: string): string {
  const hash = createHash('sha256').update(`${ruleId}/${streamName}`).digest('hex').slice(0, 12);
  return join(spoolDir, `${safe(streamName, 60)}-${hash}`);
}

function safe(text: string, max: number): string {
  return text.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, max);
}

/** Linux: field 22 of /proc/<pid>/stat, the process's start time; else undefined. */
function processStart(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may contain spaces and parentheses: count after the last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readOwner(dir: string): { info: OwnerInfo; heartbeat: number } | undefined {
  try {
    const file = join(dir, OWNER_FILE);
    const info = JSON.parse(readFileSync(file, 'utf8')) as OwnerInfo;
    if (typeof info?.pid !== 'number' || typeof info.hostname !== 'string') return undefined;
    return { info, heartbeat: statSync(file).mtimeMs };
  } catch {
    return undefined;
  }
}

/** Whether the client that owns `dir` is gone (see the header); no owner.json: gone. */
function dead(dir: string, now: number): boolean {
  const owner = readOwner(dir);
  return owner === undefined || gone(dir, owner, now);
}

function gone(dir: string, owner: { info: OwnerInfo; heartbeat: number }, now: number): boolean {
  const { info, heartbeat } = owner;
  if (info.hostname !== HOST) return now - heartbeat > STALE_MS;
  if (info.pid === process.pid) {
    const start = processStart(process.pid);
    if (start !== undefined && info.processStart !== undefined && start !== info.processStart) {
      return true; // an earlier process with the same pid
    }
    return info.threadId === threadId && !held.has(dir);
  }
  if (!running(info.pid)) return true;
  const start = info.processStart === undefined ? undefined : processStart(info.pid);
  return start !== undefined && start !== info.processStart;
}

/** A client's own folder, created complete (owner.json inside) under its final name. */
export function createOwnFolder(dest: string, now: number): { dir: string; tag: string } {
  mkdirSync(dest, { recursive: true });
  const tag = randomBytes(4).toString('hex');
  const name = `${safe(HOST, 40)}-${process.pid}-${tag}`;
  const building = join(dest, `.new-${name}`);
  mkdirSync(building);
  const start = processStart(process.pid);
  const info: OwnerInfo = {
    pid: process.pid,
    hostname: HOST,
    threadId,
    ...(start === undefined ? {} : { processStart: start }),
  };
  writeFileSync(join(building, OWNER_FILE), `${JSON.stringify(info)}\n`);
  touch(building, now);
  const dir = join(dest, name);
  renameSync(building, dir);
  held.add(dir);
  return { dir, tag };
}

/** The heartbeat: owner.json's mtime set to `now` (the injected clock's time). */
export function touch(dir: string, now: number): void {
  const seconds = now / 1000;
  utimesSync(join(dir, OWNER_FILE), seconds, seconds);
}

/** The client let go of its folder (closed): another one may take over what is left in it. */
export function release(dir: string): void {
  held.delete(dir);
}

/**
 * Takes over the folders of dead clients: each is claimed by an atomic rename, its spool files
 * (and `.corrupt` ones) moved into `own`, the rest (temp files of an unfinished write, its
 * owner.json) removed with it. Returns the names of the files moved. Never throws: a folder
 * another client claims first, or that cannot be moved, is left alone.
 */
export function adoptOrphans(dest: string, own: string, tag: string, now: number): string[] {
  const moved: string[] = [];
  let entries: string[];
  try {
    entries = readdirSync(dest);
  } catch {
    return moved;
  }
  for (const entry of entries) {
    const path = join(dest, entry);
    if (path === own) continue;
    if (entry.startsWith('.new-')) {
      // A folder whose client died before it was complete holds no records. Without an
      // owner.json yet it may be one being built right now: left alone.
      const owner = readOwner(path);
      if (owner && gone(path, owner, now)) rmSync(path, { recursive: true, force: true });
      continue;
    }
    if (entry.startsWith(CLAIM) ? !claimAbandoned(dest, entry, now) : !dead(path, now)) continue;
    const claimed = entry.startsWith(CLAIM) ? path : join(dest, `${CLAIM}${tag}-${entry}`);
    try {
      if (claimed !== path) renameSync(path, claimed);
      moved.push(...moveFiles(claimed, own));
      rmSync(claimed, { recursive: true, force: true });
    } catch {
      // Claimed by another client first, or not ours to move: left alone.
    }
  }
  return moved;
}

/** A `.claim-<tag>-…` folder whose claimer (the folder ending in `-<tag>`) is gone or dead. */
function claimAbandoned(dest: string, entry: string, now: number): boolean {
  const tag = entry.slice(CLAIM.length, CLAIM.length + 8);
  let claimer: string | undefined;
  try {
    claimer = readdirSync(dest).find((e) => !e.startsWith('.') && e.endsWith(`-${tag}`));
  } catch {
    return false;
  }
  return claimer === undefined || dead(join(dest, claimer), now);
}

function moveFiles(from: string, to: string): string[] {
  const moved: string[] = [];
  for (const name of readdirSync(from)) {
    if (!name.endsWith('.seg') && !name.endsWith('.corrupt')) continue;
    renameSync(join(from, name), join(to, name));
    if (name.endsWith('.seg')) moved.push(name);
  }
  return moved;
}

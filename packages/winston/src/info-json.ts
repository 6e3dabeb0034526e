/**
 * The hot path: the default record of an error-free winston info as JSON text, in one pass
 * over the info's own keys, with no entry, record or Properties object in between. The JSON
 * itself is the core's `RecordWriter` (shared by every adapter); here is only what is winston's:
 * which keys are columns, the `timestamp` a format set, and the ways an info carries an error
 * (see mapping.ts `findError`), which send the info to the record path instead.
 */
import { isoTime, type RecordWriter } from 'azure-ingestion-core';
import type { WinstonInfo } from './options.js';

/**
 * The record's JSON text, or undefined when the info carries an error in any of winston's
 * ways, or the core's writer cannot promise the record path's bytes: the caller then takes
 * `toDefaultRecord(toLogEntry(info))`. (An info that is itself an Error is the caller's check.)
 * Symbol keys (level, splat, message of triple-beam) are not own string keys: never read.
 */
export function infoJson(
  writer: RecordWriter,
  info: WinstonInfo,
  label: string,
  severity: number,
  host: string | undefined,
): string | undefined {
  const message = info.message ?? '';
  if (message instanceof Error) return undefined;
  let members: string | undefined;
  let time: unknown;
  let trace: unknown;
  let traceCamel: unknown;
  let span: unknown;
  let spanCamel: unknown;
  // for…in over an info (a plain object made by winston) reads its keys from V8's enum cache,
  // with no keys array per log; inherited keys are skipped as Object.keys would.
  for (const key in info) {
    if (!Object.hasOwn(info, key)) continue;
    const v = info[key];
    switch (key) {
      case 'level':
      case 'message':
        continue;
      case 'trace_id':
        trace = v;
        continue;
      case 'traceId':
        traceCamel = v;
        continue;
      case 'span_id':
        span = v;
        continue;
      case 'spanId':
        spanCamel = v;
        continue;
      case 'timestamp':
        // A timestamp that does not read as a time stays a property (and the log gets `now`).
        if (isoTime(v) !== undefined) {
          time = v;
          continue;
        }
        break;
      case 'error':
      case 'err':
        if (v instanceof Error) return undefined;
        break;
      case 'stack':
        if (typeof v === 'string') return undefined;
        break;
    }
    const member = writer.member(key, v);
    // A key whose value JSON leaves out still makes Properties present (`{}`), as in the record path.
    if (members === undefined) members = member ?? '';
    else if (member !== undefined) members = members === '' ? member : `${members},${member}`;
  }
  return writer.write({
    // The time of the call only when no timestamp format set one (Date.now() is not free).
    time: (time ?? Date.now()) as number | string | Date,
    level: label,
    severityNumber: severity,
    message,
    traceId: idOf(trace ?? traceCamel),
    spanId: idOf(span ?? spanCamel),
    host,
    properties: members === undefined ? undefined : `{${members}}`,
  });
}

/** A string id (mapping.ts's idOf rule: the snake_case key wins, non-strings are ignored). */
const idOf = (id: unknown): string | undefined => (typeof id === 'string' ? id : undefined);

/**
 * The options about what the records hold: `fieldColumns` (parsed once) and `dcrFile` (the
 * stream's declared columns, read once, for the schema pre-flight). Both report their problems
 * to the Reader, so they join the one ConfigurationError of the constructor.
 */
import { loadDcrFile, pickRule } from '../schema/dcr-file.js';
import type { StreamSchema } from '../schema/preflight.js';
import { type FieldColumn, parseFieldColumns } from './field-columns.js';
import type { Reader } from './reader.js';

/** The `fieldColumns` option (or its variable), parsed; undefined when unset or empty. */
export function fieldColumnsOf(
  r: Reader,
  recordIdColumn: string | undefined,
): readonly FieldColumn[] | undefined {
  const raw = r.raw('fieldColumns');
  if (raw === undefined) return undefined;
  const { columns, issues } = parseFieldColumns(raw.value);
  for (const issue of issues) r.report('fieldColumns', raw, issue);
  const clash = columns.find((c) => c.column === recordIdColumn);
  if (clash) {
    r.report('fieldColumns', raw, {
      problem: `${clash.column}: is the recordId column`,
      fix: 'choose another column name, or another name for recordId',
    });
  }
  if (issues.length > 0 || clash) return undefined;
  return columns.length === 0 ? undefined : Object.freeze(columns);
}

/** Where the DCR file's rule is not the configured destination's. */
function destinationIssue(
  rule: { immutableId?: string; streams: ReadonlyMap<string, unknown> },
  ruleId: string,
  stream: string,
): { problem: string; fix: string } | undefined {
  if (ruleId !== '' && rule.immutableId !== undefined && rule.immutableId !== ruleId) {
    return {
      problem: `holds the rule ${rule.immutableId}, not ruleId ${ruleId}`,
      fix: 'export the rule you send to (az monitor data-collection rule show -g <rg> -n <dcr>), or correct ruleId',
    };
  }
  if (stream.startsWith('Microsoft-') && !rule.streams.has(stream)) {
    return {
      problem: `cannot check ${stream}: a built-in table's stream is not declared in the rule`,
      fix: "unset dcrFile for a Microsoft- stream (the pre-flight checks the rule's Custom- streams)",
    };
  }
  if (stream !== '' && !rule.streams.has(stream)) {
    const declared = [...rule.streams.keys()].join(', ') || 'none';
    return {
      problem: `does not declare the stream ${stream} (it declares ${declared}); the service refuses a stream the rule does not declare`,
      fix: 'set streamName to a declared stream, or give the DCR file of the rule you send to',
    };
  }
  return undefined;
}

/** The stream's declared columns from `dcrFile` (or its variable); undefined when unset. */
export function streamSchemaOf(
  r: Reader,
  destinations: ReadonlyArray<{ readonly ruleId: string; readonly streamName: string }>,
): StreamSchema | undefined {
  const raw = r.raw('dcrFile');
  const file = r.string('dcrFile', raw);
  if (file === undefined) return undefined;
  let rule: ReturnType<typeof pickRule>;
  // With several rules (sharding), the file describes one of them (they share a definition).
  let { ruleId, streamName: stream } = destinations[0] ?? { ruleId: '', streamName: '' };
  try {
    const rules = loadDcrFile(file);
    const match = destinations.find((d) => rules.some((x) => x.immutableId === d.ruleId));
    if (match) ({ ruleId, streamName: stream } = match);
    rule = pickRule(rules, ruleId, stream);
  } catch (error) {
    const fix =
      'give the DCR as Azure exports it (az monitor data-collection rule show), or an ARM template with it';
    r.report('dcrFile', raw, { problem: (error as Error).message, fix });
    return undefined;
  }
  if (rule === undefined) {
    r.report('dcrFile', raw, {
      problem: 'holds no data collection rule',
      fix: 'give the file of a DCR',
    });
    return undefined;
  }
  const issue = destinationIssue(rule, ruleId, stream);
  if (issue) {
    r.report('dcrFile', raw, issue);
    return undefined;
  }
  const columns = rule.streams.get(stream);
  return columns === undefined ? undefined : { stream, columns, file };
}

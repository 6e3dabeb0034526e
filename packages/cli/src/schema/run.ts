/**
 * `azure-ingestion schema [FILE…]`: sample logs in, the table and stream they need out (ARM
 * JSON or Bicep on stdout, a summary on stderr), with the `fieldColumns` value that fills the
 * new columns.
 */

import { lineInput, parseObject } from '../input.js';
import { count, EXIT, type Io, Printer, writeJson } from '../io.js';
import { type Collected, detectShape, FieldCollector, type Shape } from './collect.js';
import { type ProposeOptions, propose, type SchemaProposal } from './propose.js';
import { armTemplate, bicepFragment } from './render.js';

export interface SchemaCommand extends ProposeOptions {
  readonly files: readonly string[];
  /** How records map onto the stream; `auto` tells pino and winston lines apart. */
  readonly map: Shape | 'auto';
  readonly format: 'arm' | 'bicep';
  readonly json: boolean;
}

/** Records are buffered until this many are read, to tell what they are. */
const DETECT_AFTER = 1000;

/** Reads the input into a field collector; lines that are not JSON objects are counted. */
async function collect(
  command: SchemaCommand,
  io: Io,
): Promise<{ collected: Collected; skipped: number }> {
  const input = lineInput(command.files, io);
  const pending: Record<string, unknown>[] = [];
  let collector: FieldCollector | undefined =
    command.map === 'auto' ? undefined : new FieldCollector(command.map);
  let skipped = 0;
  for await (const line of input.lines) {
    if (line.text.trim() === '') continue;
    const parsed = parseObject(line.text);
    if ('error' in parsed) {
      skipped++;
      continue;
    }
    if (collector) collector.add(parsed.value);
    else if (pending.push(parsed.value) >= DETECT_AFTER) {
      collector = new FieldCollector(detectShape(pending));
      for (const r of pending.splice(0)) collector.add(r);
    }
  }
  collector ??= new FieldCollector(detectShape(pending));
  for (const r of pending) collector.add(r);
  return { collected: collector.result(), skipped };
}

function summary(p: SchemaProposal, skipped: number, err: Printer, format: string): void {
  const what = p.shape === 'raw' ? 'records of the stream as they are' : `${p.shape} logs`;
  const skip = skipped > 0 ? `, ${count(skipped)} lines skipped (not JSON objects)` : '';
  err.line(`${err.style('bold', 'azure-ingestion schema')}: ${count(p.records)} ${what}${skip}`);
  if (p.columns.length === 0)
    err.line('  no field is worth a column of its own: the default columns fit these logs');
  else {
    err.line(`  ${'column'.padEnd(24)}${'type'.padEnd(10)}${'share'.padStart(6)}  from`);
    for (const c of p.columns) {
      const share = `${Math.round(c.share * 100)}%`;
      err.line(`  ${c.name.padEnd(24)}${c.type.padEnd(10)}${share.padStart(6)}  ${c.field}`);
    }
  }
  for (const note of p.notes) err.line(`  ${err.style('yellow', 'note:')} ${note}`);
  if (p.fieldColumns)
    err.line(
      `  the transports fill them with: AZURE_LOGS_INGESTION_FIELD_COLUMNS='${p.fieldColumns}'`,
    );
  if (p.alternativeTransformKql)
    err.line(`  or, in the DCR instead: transformKql: ${p.alternativeTransformKql}`);
  if (p.transformKql !== 'source') err.line(`  the data flow's transformKql: ${p.transformKql}`);
  const next =
    format === 'arm'
      ? 'ARM template on stdout: az deployment group create -g <rg> --template-file <file> -p workspaceName=<workspace>'
      : 'Bicep variables on stdout: put them in place of those of templates/main.bicep';
  err.line(`  ${err.style('dim', next)}`);
}

/** Runs `schema`; resolves with the exit status. */
export async function runSchema(command: SchemaCommand, io: Io): Promise<number> {
  const { collected, skipped } = await collect(command, io);
  const err = new Printer(io.stderr, io.env);
  if (collected.records === 0) {
    err.line('azure-ingestion schema: no JSON object in the input: nothing to propose');
    return EXIT.FAILED;
  }
  const proposal = propose(collected, command);
  const output = command.format === 'arm' ? armTemplate(proposal) : bicepFragment(proposal);
  if (command.json) {
    writeJson(io.stdout, {
      ...proposal,
      skipped,
      [command.format === 'arm' ? 'template' : 'bicep']: output,
    });
    return EXIT.OK;
  }
  if (typeof output === 'string') io.stdout.write(output);
  else writeJson(io.stdout, output);
  summary(proposal, skipped, err, command.format);
  return EXIT.OK;
}

/**
 * Loading data collection rules from ARM JSON as Azure exports them (the resource, an ARM
 * template with `resources[]`, the flattened `az` CLI output, or a list of those), with
 * validation that names the file, the field and the fix.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { COLUMN_TYPES, type ColumnType } from './shape.js';
import { compileTransform, type Transform } from './transform.js';

/** One data flow from an input stream to an output table. */
export interface Flow {
  readonly outputStream: string;
  readonly table: string;
  readonly transform: Transform;
  readonly transformKql: string;
}

/** An input stream: its declared columns and where its rows go. */
export interface StreamModel {
  readonly name: string;
  readonly columns: ReadonlyMap<string, ColumnType>;
  readonly flows: ReadonlyArray<Flow>;
}

/** A rule as the server uses it. */
export interface RuleModel {
  readonly ruleId: string;
  readonly name: string;
  readonly streams: ReadonlyMap<string, StreamModel>;
}

const RULE_ID = /^dcr-[0-9a-f]{32}$/;
const COLUMN_NAME = /^[A-Za-z][A-Za-z0-9_]{1,44}$/;
const OUTPUT_STREAM = /^(Custom-[A-Za-z][A-Za-z0-9_]*_CL|Microsoft-[A-Za-z][A-Za-z0-9_]*)$/;

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Table name of an output stream: `Custom-X_CL` → `X_CL`, `Microsoft-Syslog` → `Syslog`. */
export function tableOf(outputStream: string): string {
  return outputStream.replace(/^(Custom|Microsoft)-/, '');
}

/** Expand a source (object, path, template, list) into DCR resource objects. */
function expand(source: object | string): Array<{ where: string; value: Json }> {
  let value: unknown = source;
  let where = 'dcrs[] object';
  if (typeof source === 'string') {
    where = source;
    let text: string;
    try {
      text = readFileSync(source, 'utf8');
    } catch (err) {
      throw new Error(`Cannot read DCR file ${source}: ${(err as Error).message}`);
    }
    try {
      value = JSON.parse(text);
    } catch (err) {
      throw new Error(`DCR file ${source} is not valid JSON: ${(err as Error).message}`);
    }
  }
  if (Array.isArray(value))
    return value.flatMap((v) => expand(v as object).map((e) => ({ ...e, where })));
  if (isObject(value) && Array.isArray(value.resources)) {
    const rules = value.resources.filter(
      (r) =>
        isObject(r) && String(r.type).toLowerCase() === 'microsoft.insights/datacollectionrules',
    ) as Json[];
    if (rules.length === 0) {
      throw new Error(
        `${where}: an ARM template without a Microsoft.Insights/dataCollectionRules resource`,
      );
    }
    return rules.map((r) => ({ where, value: r }));
  }
  if (!isObject(value)) throw new Error(`${where}: a DCR must be a JSON object`);
  return [{ where, value }];
}

function parseColumns(where: string, stream: string, decl: unknown): Map<string, ColumnType> {
  const cols = isObject(decl) ? decl.columns : undefined;
  if (!Array.isArray(cols) || cols.length === 0) {
    throw new Error(`${where}: streamDeclarations.${stream}.columns must be a non-empty array`);
  }
  const out = new Map<string, ColumnType>();
  for (const [i, c] of cols.entries()) {
    const at = `${where}: streamDeclarations.${stream}.columns[${i}]`;
    if (!isObject(c) || typeof c.name !== 'string' || !COLUMN_NAME.test(c.name)) {
      throw new Error(
        `${at}.name ${JSON.stringify(isObject(c) ? c.name : c)} must be 2-45 letters, digits or _, starting with a letter`,
      );
    }
    const type = String(c.type).toLowerCase() as ColumnType;
    if (!COLUMN_TYPES.includes(type)) {
      throw new Error(
        `${at}.type ${JSON.stringify(c.type)} is not one of ${COLUMN_TYPES.join(', ')}`,
      );
    }
    if (out.has(c.name)) throw new Error(`${at}: duplicate column ${c.name}`);
    out.set(c.name, type);
  }
  return out;
}

/** A stable immutable id for templates that do not carry one (Azure assigns it at deploy). */
function derivedId(name: string): string {
  return `dcr-${createHash('md5').update(name).digest('hex')}`;
}

function parseFlows(where: string, props: Json, declared: Map<string, Map<string, ColumnType>>) {
  const flows = props.dataFlows;
  if (!Array.isArray(flows) || flows.length === 0) {
    throw new Error(`${where}: properties.dataFlows must be a non-empty array`);
  }
  const byStream = new Map<string, Flow[]>();
  for (const [i, f] of flows.entries()) {
    const at = `${where}: dataFlows[${i}]`;
    if (!isObject(f) || !Array.isArray(f.streams) || f.streams.length === 0) {
      throw new Error(`${at}.streams must be a non-empty array`);
    }
    const outputStream = f.outputStream;
    if (typeof outputStream !== 'string' || !OUTPUT_STREAM.test(outputStream)) {
      throw new Error(
        `${at}.outputStream ${JSON.stringify(outputStream)} must be Custom-<Table>_CL or Microsoft-<Table>`,
      );
    }
    const kql = f.transformKql === undefined ? 'source' : String(f.transformKql);
    let transform: Transform;
    try {
      transform = compileTransform(kql);
    } catch (err) {
      throw new Error(`${at}.transformKql: ${(err as Error).message}`);
    }
    for (const s of f.streams) {
      if (typeof s !== 'string' || !declared.has(s)) {
        throw new Error(
          `${at}.streams: ${JSON.stringify(s)} is not declared in streamDeclarations`,
        );
      }
      const list = byStream.get(s) ?? [];
      list.push({ outputStream, table: tableOf(outputStream), transform, transformKql: kql });
      byStream.set(s, list);
    }
  }
  return byStream;
}

function parseRule(where: string, resource: Json): RuleModel {
  const props = isObject(resource.properties) ? resource.properties : resource;
  const name = typeof resource.name === 'string' ? resource.name : 'dcr';
  const decls = props.streamDeclarations;
  if (!isObject(decls) || Object.keys(decls).length === 0) {
    throw new Error(
      `${where}: properties.streamDeclarations must declare at least one Custom- stream`,
    );
  }
  let ruleId = props.immutableId;
  if (ruleId === undefined) ruleId = derivedId(name);
  if (typeof ruleId !== 'string' || !RULE_ID.test(ruleId)) {
    throw new Error(
      `${where}: properties.immutableId ${JSON.stringify(ruleId)} must be dcr- followed by 32 lowercase hex characters`,
    );
  }
  const declared = new Map<string, Map<string, ColumnType>>();
  for (const [stream, decl] of Object.entries(decls)) {
    if (!stream.startsWith('Custom-')) {
      throw new Error(`${where}: stream declaration ${stream} must start with Custom-`);
    }
    declared.set(stream, parseColumns(where, stream, decl));
  }
  const flows = parseFlows(where, props, declared);
  const streams = new Map<string, StreamModel>();
  for (const [stream, columns] of declared) {
    streams.set(stream, { name: stream, columns, flows: flows.get(stream) ?? [] });
  }
  return { ruleId, name, streams };
}

/** Load and validate rules; throws an Error naming the source and field on the first problem. */
export function loadRules(sources: ReadonlyArray<object | string>): RuleModel[] {
  const rules: RuleModel[] = [];
  for (const source of sources) {
    for (const { where, value } of expand(source)) {
      const rule = parseRule(where, value);
      if (rules.some((r) => r.ruleId === rule.ruleId)) {
        throw new Error(`${where}: immutableId ${rule.ruleId} is loaded twice`);
      }
      rules.push(rule);
    }
  }
  if (rules.length === 0) throw new Error('dcrs: no data collection rule to serve');
  return rules;
}

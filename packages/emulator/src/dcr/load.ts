/**
 * Loading data collection rules from ARM JSON as Azure exports them (the resource, an ARM
 * template with `resources[]` and its expressions, the flattened `az` CLI output, or a list of
 * those), with validation that names the file, the field and the fix. Each data flow's
 * transform is compiled against its stream and checked against its destination table
 * (table-check.ts) when one is known: from `tables`, or from the table resources of a template.
 */
import { createHash } from 'node:crypto';
import { type Column, columnTypeName, type Schema } from '../kql/types.js';
import type { TableInfo } from '../types.js';
import { resolveTemplateValue } from './arm-expressions.js';
import { COLUMN_TYPES, type ColumnType } from './shape.js';
import { fitTable, type TableFit } from './table-check.js';
import { readJsonFile, type TableModel, tablesOfTemplate } from './tables.js';
import { compileTransform, type Transform } from './transform.js';

/** One data flow from an input stream to an output table. */
export interface Flow {
  readonly outputStream: string;
  readonly table: string;
  readonly transform: Transform;
  readonly transformKql: string;
  /** The transform's output columns. */
  readonly output: Schema;
  readonly fit: TableFit;
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
  /** The ARM resource id (`DcrArmId` in Azure's 403 text). */
  readonly armId: string;
  readonly streams: ReadonlyMap<string, StreamModel>;
}

export interface LoadedRules {
  readonly rules: RuleModel[];
  readonly tables: TableInfo[];
  /** Said once at start: tables inferred, so their column types were not checked. */
  readonly warnings: string[];
}

const RULE_ID = /^dcr-[0-9a-f]{32}$/;
const COLUMN_NAME = /^[A-Za-z][A-Za-z0-9_]{1,44}$/;
const OUTPUT_STREAM = /^(Custom-[A-Za-z][A-Za-z0-9_]*_CL|Microsoft-[A-Za-z][A-Za-z0-9_]*)$/;
const DCR_TYPE = 'microsoft.insights/datacollectionrules';

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Table name of an output stream: `Custom-X_CL` → `X_CL`, `Microsoft-Syslog` → `Syslog`. */
export function tableOf(outputStream: string): string {
  return outputStream.replace(/^(Custom|Microsoft)-/, '');
}

interface Source {
  readonly where: string;
  readonly value: Json;
}

/** Expand a source (object, path, template, list) into DCR resources and template tables. */
function expand(source: unknown, where: string, tables: TableModel[]): Source[] {
  const value = typeof source === 'string' ? readJsonFile(source, 'DCR') : source;
  const at = typeof source === 'string' ? source : where;
  if (Array.isArray(value)) return value.flatMap((v, i) => expand(v, `${at}[${i}]`, tables));
  if (isObject(value) && Array.isArray(value.resources)) {
    tables.push(...tablesOfTemplate(value, at));
    const rules = value.resources.flatMap((r, i) =>
      isObject(r) && String(r.type).toLowerCase() === DCR_TYPE
        ? [{ where: `${at}: resources[${i}]`, value: resolveTemplateValue(r, value) as Json }]
        : [],
    );
    if (rules.length === 0)
      throw new Error(
        `${at}: an ARM template without a Microsoft.Insights/dataCollectionRules resource`,
      );
    return rules;
  }
  if (!isObject(value)) throw new Error(`${at}: a DCR must be a JSON object`);
  return [{ where: at, value }];
}

function parseColumns(where: string, stream: string, decl: unknown): Column[] {
  const cols = isObject(decl) ? decl.columns : undefined;
  if (!Array.isArray(cols) || cols.length === 0) {
    throw new Error(`${where}: streamDeclarations.${stream}.columns must be a non-empty array`);
  }
  const out: Column[] = [];
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
    if (out.some((o) => o.name === c.name)) throw new Error(`${at}: duplicate column ${c.name}`);
    out.push({ name: c.name, type: type === 'boolean' ? 'bool' : type });
  }
  return out;
}

/** A stable immutable id for templates that do not carry one (Azure assigns it at deploy). */
function derivedId(name: string): string {
  return `dcr-${createHash('md5').update(name).digest('hex')}`;
}

function compileFlow(at: string, f: Json, input: Schema, tables: ReadonlyMap<string, TableModel>) {
  const outputStream = f.outputStream;
  if (typeof outputStream !== 'string' || !OUTPUT_STREAM.test(outputStream)) {
    throw new Error(
      `${at}.outputStream ${JSON.stringify(outputStream)} must be Custom-<Table>_CL or Microsoft-<Table>`,
    );
  }
  const kql = f.transformKql === undefined ? 'source' : String(f.transformKql);
  let compiled: ReturnType<typeof compileTransform>;
  try {
    compiled = compileTransform(kql, input);
  } catch (err) {
    throw new Error(`${at}.transformKql: ${(err as Error).message}`);
  }
  const table = tableOf(outputStream);
  const fit = fitTable(compiled.output, tables.get(table), at);
  return {
    outputStream,
    table,
    transform: compiled.transform,
    transformKql: kql,
    output: compiled.output,
    fit,
  };
}

function parseFlows(
  where: string,
  props: Json,
  declared: Map<string, Column[]>,
  tables: ReadonlyMap<string, TableModel>,
) {
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
    for (const s of f.streams) {
      const input = typeof s === 'string' ? declared.get(s) : undefined;
      if (!input)
        throw new Error(
          `${at}.streams: ${JSON.stringify(s)} is not declared in streamDeclarations`,
        );
      byStream.set(s, [...(byStream.get(s) ?? []), compileFlow(at, f, input, tables)]);
    }
  }
  return byStream;
}

function parseRule(
  where: string,
  resource: Json,
  tables: ReadonlyMap<string, TableModel>,
): RuleModel {
  const props = isObject(resource.properties) ? resource.properties : resource;
  const name = typeof resource.name === 'string' ? resource.name : 'dcr';
  const decls = props.streamDeclarations;
  if (!isObject(decls) || Object.keys(decls).length === 0) {
    throw new Error(
      `${where}: properties.streamDeclarations must declare at least one Custom- stream`,
    );
  }
  const ruleId = props.immutableId ?? derivedId(name);
  if (typeof ruleId !== 'string' || !RULE_ID.test(ruleId)) {
    throw new Error(
      `${where}: properties.immutableId ${JSON.stringify(ruleId)} must be dcr- followed by 32 lowercase hex characters`,
    );
  }
  const declared = new Map<string, Column[]>();
  for (const [stream, decl] of Object.entries(decls)) {
    if (!stream.startsWith('Custom-'))
      throw new Error(`${where}: stream declaration ${stream} must start with Custom-`);
    declared.set(stream, parseColumns(where, stream, decl));
  }
  const flows = parseFlows(where, props, declared, tables);
  const streams = new Map<string, StreamModel>();
  for (const [stream, columns] of declared) {
    const shapeColumns = new Map(
      columns.map((c) => [c.name, (c.type === 'bool' ? 'boolean' : c.type) as ColumnType]),
    );
    streams.set(stream, { name: stream, columns: shapeColumns, flows: flows.get(stream) ?? [] });
  }
  const armId =
    typeof resource.id === 'string' && resource.id.startsWith('/subscriptions/')
      ? resource.id
      : `/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/emulator/providers/Microsoft.Insights/dataCollectionRules/${name}`;
  return { ruleId, name, armId, streams };
}

function inferredTables(rules: RuleModel[], given: ReadonlyMap<string, TableModel>) {
  const tables = new Map<string, TableInfo>();
  const warnings: string[] = [];
  for (const rule of rules) {
    for (const stream of rule.streams.values()) {
      for (const flow of stream.flows) {
        if (flow.fit.checked || tables.has(flow.table)) continue;
        tables.set(flow.table, {
          name: flow.table,
          columns: flow.output.map((c) => ({ name: c.name, type: columnTypeName(c.type) })),
          source: 'inferred',
        });
        warnings.push(
          `table ${flow.table}: no definition given, so it is inferred from the output of ${rule.name}/${stream.name} and column types were not checked as Azure checks them. Pass the table (option tables / --table: an ARM template, a table resource, or 'az monitor log-analytics workspace table show' output).`,
        );
      }
    }
  }
  for (const t of given.values()) {
    tables.set(t.name, {
      name: t.name,
      columns: [...t.columns].map(([name, type]) => ({ name, type: columnTypeName(type) })),
      source: t.source,
    });
  }
  return { tables: [...tables.values()], warnings };
}

/** Load and validate rules; throws an Error naming the source and field on the first problem. */
export function loadRules(
  sources: ReadonlyArray<object | string>,
  tableDefs: ReadonlyArray<TableModel> = [],
): LoadedRules {
  const templateTables: TableModel[] = [];
  const expanded = sources.flatMap((s, i) => expand(s, `dcrs[${i}] object`, templateTables));
  const tables = new Map<string, TableModel>();
  for (const t of [...templateTables, ...tableDefs]) tables.set(t.name, t);
  const rules: RuleModel[] = [];
  for (const { where, value } of expanded) {
    const rule = parseRule(where, value, tables);
    if (rules.some((r) => r.ruleId === rule.ruleId))
      throw new Error(`${where}: immutableId ${rule.ruleId} is loaded twice`);
    rules.push(rule);
  }
  if (rules.length === 0) throw new Error('dcrs: no data collection rule to serve');
  return { rules, ...inferredTables(rules, tables) };
}

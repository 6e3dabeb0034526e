/**
 * Destination tables: their columns and types, read from what users have at hand:
 *
 *   - an ARM template (`az bicep build` output, portal export) with
 *     `Microsoft.OperationalInsights/workspaces/tables` resources, expressions resolved;
 *   - one such resource;
 *   - a table as `az monitor log-analytics workspace table show` prints it (`schema` at the
 *     top) or as the REST API returns it (`properties.schema`);
 *   - a list of those, or a file holding any of them.
 *
 * `standardColumns` (TenantId, …) count as columns. A table defined without them still has
 * `TenantId` of type guid: Azure refuses a string there (`TenantId [produced:'String',
 * output:'Guid']`, seen in public deployment logs).
 */
import { readFileSync } from 'node:fs';
import { type KType, typeFromColumn } from '../kql/types.js';
import { resolveTemplateValue } from './arm-expressions.js';

export const TABLE_RESOURCE_TYPE = 'microsoft.operationalinsights/workspaces/tables';

/** A destination table as the emulator checks transforms against it. */
export interface TableModel {
  readonly name: string;
  readonly columns: ReadonlyMap<string, KType>;
  /** Where the definition came from (file and field), for messages. */
  readonly source: string;
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Read a JSON file with a message naming it. */
export function readJsonFile(path: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new Error(`Cannot read ${what} file ${path}: ${(err as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new Error(`${what} file ${path} is not valid JSON: ${(err as Error).message}`);
  }
}

function columnsOf(list: unknown, at: string, into: Map<string, KType>): void {
  if (list === undefined || list === null) return;
  if (!Array.isArray(list)) throw new Error(`${at} must be an array of { name, type }`);
  for (const [i, c] of list.entries()) {
    const type = isObject(c) ? typeFromColumn(c.type) : undefined;
    if (!isObject(c) || typeof c.name !== 'string' || type === undefined) {
      throw new Error(
        `${at}[${i}] must be { name, type } with type string, int, long, real, boolean, dateTime, guid or dynamic, got ${JSON.stringify(c)}`,
      );
    }
    into.set(c.name, type);
  }
}

/** One table definition (resource, `az` output or REST output). */
function tableOf(value: Json, where: string): TableModel {
  const props = isObject(value.properties) ? value.properties : value;
  const schema = isObject(props.schema) ? props.schema : undefined;
  if (!schema)
    throw new Error(`${where}: a table needs schema.columns (or properties.schema.columns)`);
  const name =
    typeof schema.name === 'string' && !schema.name.startsWith('[')
      ? schema.name
      : typeof value.name === 'string'
        ? (value.name.split('/').pop() ?? value.name)
        : undefined;
  if (!name || name.startsWith('['))
    throw new Error(`${where}: the table has no name (schema.name or name)`);
  const columns = new Map<string, KType>();
  columnsOf(schema.standardColumns, `${where}: schema.standardColumns`, columns);
  columnsOf(schema.columns, `${where}: schema.columns`, columns);
  if (columns.size === 0) throw new Error(`${where}: table ${name} has no columns`);
  if (!columns.has('TenantId')) columns.set('TenantId', 'guid');
  return { name, columns, source: where };
}

function isTableResource(v: unknown): v is Json {
  return isObject(v) && String(v.type).toLowerCase() === TABLE_RESOURCE_TYPE;
}

/** Table resources of an ARM template, expressions resolved. */
export function tablesOfTemplate(template: Json, where: string): TableModel[] {
  const resources = Array.isArray(template.resources) ? template.resources : [];
  return resources.flatMap((r, i) =>
    isTableResource(r)
      ? [tableOf(resolveTemplateValue(r, template) as Json, `${where}: resources[${i}]`)]
      : [],
  );
}

function expand(value: unknown, where: string): TableModel[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => expand(v, `${where}[${i}]`));
  if (!isObject(value)) throw new Error(`${where}: a table definition must be a JSON object`);
  if (Array.isArray(value.resources)) {
    const tables = tablesOfTemplate(value, where);
    if (tables.length === 0)
      throw new Error(`${where}: an ARM template without a ${TABLE_RESOURCE_TYPE} resource`);
    return tables;
  }
  return [tableOf(value, where)];
}

/** Load table definitions from objects or file paths; throws naming the source and field. */
export function loadTables(sources: ReadonlyArray<object | string>): TableModel[] {
  return sources.flatMap((s, i) =>
    typeof s === 'string' ? expand(readJsonFile(s, 'table'), s) : expand(s, `tables[${i}]`),
  );
}

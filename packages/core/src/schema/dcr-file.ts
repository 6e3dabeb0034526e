/**
 * Reading the stream declarations of a data collection rule from a file, in the forms Azure
 * gives a DCR: the resource as the portal's JSON view or `az monitor data-collection rule show`
 * exports it (`templates/dcr.json`), an ARM template with the rule in `resources[]` (a value
 * written `[variables('name')]` is looked up in the template's `variables`), or a list of those.
 * Only what the schema pre-flight needs is read: immutable id, ingestion endpoint, streams and
 * their columns. (The emulator has its own, stricter loader; the core does not depend on it.)
 */
import { readFileSync } from 'node:fs';
import { type ColumnType, isColumnType } from '../record/column-types.js';

/** One rule of a DCR file. */
export interface DcrRule {
  /** `properties.immutableId`, when the file has it (a template does not). */
  readonly immutableId?: string;
  /** The resource name, when it is plain text. */
  readonly name?: string;
  /** `properties.endpoints.logsIngestion` of a Direct DCR, when the file has it. */
  readonly logsIngestion?: string;
  /** Each declared stream's columns: name → type, in declaration order. */
  readonly streams: ReadonlyMap<string, ReadonlyMap<string, ColumnType>>;
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const DCR_TYPE = 'microsoft.insights/datacollectionrules';
const VARIABLE = /^\[variables\('([^']+)'\)\]$/;

/** Replaces every `[variables('x')]` string with the template's variable x. */
function withVariables(value: unknown, variables: Json, depth = 0): unknown {
  if (depth > 50) return value;
  if (typeof value === 'string') {
    const m = VARIABLE.exec(value);
    return m && Object.hasOwn(variables, m[1]!) ? variables[m[1]!] : value;
  }
  if (Array.isArray(value)) return value.map((v) => withVariables(v, variables, depth + 1));
  if (!isObject(value)) return value;
  const out: Json = {};
  for (const [k, v] of Object.entries(value)) out[k] = withVariables(v, variables, depth + 1);
  return out;
}

/** The DCR resources in a parsed file. */
function resources(value: unknown, where: string): Json[] {
  if (Array.isArray(value)) return value.flatMap((v) => resources(v, where));
  if (!isObject(value)) throw new Error(`${where}: a DCR must be a JSON object`);
  if (Array.isArray(value.resources)) {
    const variables = isObject(value.variables) ? value.variables : {};
    const rules = value.resources.filter(
      (r) => isObject(r) && String(r.type).toLowerCase() === DCR_TYPE,
    );
    if (rules.length === 0) {
      throw new Error(
        `${where}: an ARM template without a Microsoft.Insights/dataCollectionRules resource`,
      );
    }
    return rules.map((r) => withVariables(r, variables) as Json);
  }
  return [value];
}

function columnsOf(where: string, stream: string, decl: unknown): Map<string, ColumnType> {
  const cols = isObject(decl) ? decl.columns : undefined;
  const at = `${where}: streamDeclarations.${stream}.columns`;
  if (!Array.isArray(cols)) throw new Error(`${at} is not an array of { name, type }`);
  const out = new Map<string, ColumnType>();
  for (const [i, c] of cols.entries()) {
    const type = isObject(c) ? String(c.type).toLowerCase() : undefined;
    if (!isObject(c) || typeof c.name !== 'string' || !isColumnType(type)) {
      throw new Error(
        `${at}[${i}] is not a { name, type } with a stream column type (${JSON.stringify(c)})`,
      );
    }
    out.set(c.name, type);
  }
  return out;
}

function ruleOf(resource: Json, where: string): DcrRule {
  const props = isObject(resource.properties) ? resource.properties : resource;
  const decls = props.streamDeclarations;
  if (!isObject(decls))
    throw new Error(`${where}: no properties.streamDeclarations (is it a data collection rule?)`);
  const streams = new Map<string, ReadonlyMap<string, ColumnType>>();
  for (const [stream, decl] of Object.entries(decls))
    streams.set(stream, columnsOf(where, stream, decl));
  const endpoints = isObject(props.endpoints) ? props.endpoints : {};
  return {
    ...(typeof props.immutableId === 'string' && { immutableId: props.immutableId }),
    ...(typeof resource.name === 'string' &&
      !resource.name.startsWith('[') && { name: resource.name }),
    ...(typeof endpoints.logsIngestion === 'string' && { logsIngestion: endpoints.logsIngestion }),
    streams,
  };
}

/** The rules of a parsed DCR file (`where` names it in errors). @throws Error naming the problem */
export function readDcr(value: unknown, where: string): DcrRule[] {
  return resources(value, where).map((r) => ruleOf(r, where));
}

/** The rules of a DCR file. @throws Error naming the file and the problem */
export function loadDcrFile(path: string): DcrRule[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`cannot read ${path}: ${(error as Error).message}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (error) {
    throw new Error(`${path} is not JSON: ${(error as Error).message}`);
  }
  return readDcr(value, path);
}

/**
 * The rule of `rules` for a destination: the one with `ruleId` as its immutable id, else the
 * one that declares `stream`, else the first.
 */
export function pickRule(
  rules: readonly DcrRule[],
  ruleId: string,
  stream: string,
): DcrRule | undefined {
  return (
    rules.find((r) => r.immutableId === ruleId) ??
    rules.find((r) => r.streams.has(stream)) ??
    rules[0]
  );
}

/**
 * The scalar functions a transform may call: exactly those "Supported KQL features in Azure
 * Monitor transformations" lists (plus `iff`, and `not`, see below). Any other function, even a
 * common KQL one (coalesce, replace_string, bag_keys, todynamic, trim_start…), is refused at
 * load with the text Azure answers for it (Azure/Azure-Sentinel PR #14286 quotes it for
 * coalesce) and a pointer to the page's list.
 */

import { CONVERSION } from './conversion.js';
import { DATETIME } from './datetime.js';
import { CONDITIONAL, DYNAMIC } from './dynamic.js';
import { MATH } from './math.js';
import type { FnDef } from './registry.js';
import { STRING } from './string.js';

export const TRANSFORMS_PAGE =
  'https://learn.microsoft.com/azure/azure-monitor/data-collection/data-collection-transformations-kql';

/** The page's lists, by section (columnifexists is a tabular operator there; it is a call here). */
export const DOCUMENTED_FUNCTIONS = {
  bitwise: [
    'binary_and',
    'binary_or',
    'binary_not',
    'binary_shift_left',
    'binary_shift_right',
    'binary_xor',
  ],
  conversion: [
    'tobool',
    'todatetime',
    'todouble',
    'toreal',
    'toguid',
    'toint',
    'tolong',
    'tostring',
    'totimespan',
  ],
  datetime: [
    'ago',
    'datetime_add',
    'datetime_diff',
    'datetime_part',
    'dayofmonth',
    'dayofweek',
    'dayofyear',
    'endofday',
    'endofmonth',
    'endofweek',
    'endofyear',
    'getmonth',
    'getyear',
    'hourofday',
    'make_datetime',
    'make_timespan',
    'now',
    'startofday',
    'startofmonth',
    'startofweek',
    'startofyear',
    'weekofyear',
  ],
  dynamic: ['array_concat', 'array_length', 'pack_array', 'pack', 'parse_json', 'parse_xml', 'zip'],
  math: [
    'abs',
    'bin',
    'floor',
    'ceiling',
    'exp',
    'exp10',
    'exp2',
    'isfinite',
    'isinf',
    'isnan',
    'log',
    'log10',
    'log2',
    'pow',
    'round',
    'sign',
  ],
  conditional: ['case', 'iif', 'max_of', 'min_of'],
  string: [
    'base64_encodestring',
    'base64_decodestring',
    'countof',
    'extract',
    'extract_all',
    'indexof',
    'isempty',
    'isnotempty',
    'split',
    'strcat',
    'strcat_delim',
    'strlen',
    'substring',
    'tolower',
    'toupper',
    'hash_sha256',
  ],
  type: ['gettype', 'isnotnull', 'isnull'],
  tabular: ['columnifexists'],
} as const;

/**
 * Listed on the page as transform-only functions that the emulator cannot reproduce:
 * geo_location needs Microsoft's IP geolocation data; parse_cef_dictionary's output shape is
 * only shown as a screenshot.
 */
export const NOT_EMULATED = ['geo_location', 'parse_cef_dictionary'];

/**
 * Accepted although not on the lists: `iff` (deployed in the field, and used by the page's own
 * example) and `not()` (the logical operators are not on the page either, but a transform can
 * hardly do without them: a guess that Azure accepts them).
 */
export const ACCEPTED_BEYOND_THE_LIST = ['iff', 'not'];

export const FUNCTIONS: Readonly<Record<string, FnDef>> = {
  ...CONVERSION,
  ...DATETIME,
  ...STRING,
  ...MATH,
  ...DYNAMIC,
  ...CONDITIONAL,
};

const documented = new Set<string>(Object.values(DOCUMENTED_FUNCTIONS).flat());

/** Whether a transform may call `name` (case-sensitive, as KQL is). */
export function isAllowed(name: string): boolean {
  return documented.has(name) || ACCEPTED_BEYOND_THE_LIST.includes(name);
}

/** Azure's text for a function it does not provide to transforms, and where the list is. */
export function unknownFunction(name: string): string {
  return `Runtime scalar function provider not found for function: ${name}. Transformations support only the functions listed in "Supported KQL features in Azure Monitor transformations" (${TRANSFORMS_PAGE})`;
}

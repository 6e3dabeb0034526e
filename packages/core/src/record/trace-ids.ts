/**
 * The TraceId and SpanId columns from a log's id keys, one rule for every adapter. Loggers write
 * ids as `trace_id`/`span_id` (the OpenTelemetry log data model's JSON names, which the
 * OpenTelemetry instrumentations of pino and winston inject) or as `traceId`/`spanId`:
 *
 * - the column takes the first non-empty string, the snake_case key before the camelCase one
 *   (the instrumentations' spelling first);
 * - an empty string means "no id" and is dropped (there is nothing in it to keep);
 * - every other value under an id key stays in Properties: a non-string (a number, an object)
 *   is not an id the string column can hold, and a second, different id is data. So nothing of
 *   the log is lost, and Properties never repeats a column's value.
 */

/** The id column's value from the snake_case and camelCase keys' values, or undefined. */
export function pickId(snake: unknown, camel: unknown): string | undefined {
  if (typeof snake === 'string' && snake !== '') return snake;
  if (typeof camel === 'string' && camel !== '') return camel;
  return undefined;
}

/** Whether the value of an id key stays in Properties, given the column's id (`pickId`). */
export function idStaysInProperties(value: unknown, id: string | undefined): boolean {
  return typeof value !== 'string' || (value !== '' && value !== id);
}

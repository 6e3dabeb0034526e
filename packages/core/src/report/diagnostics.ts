/**
 * Request start/end events on `node:diagnostics_channel`, for tracing and metrics without
 * callbacks in the options. Messages are built only when a channel has subscribers, so an
 * unobserved client pays one property read per request. No header (hence no token) is ever
 * published.
 */
import diagnosticsChannel from 'node:diagnostics_channel';

/** Channel names; subscribe with `diagnostics_channel.subscribe(CHANNELS.requestEnd, fn)`. */
export const CHANNELS = {
  requestStart: 'azure-ingestion-core:request:start',
  requestEnd: 'azure-ingestion-core:request:end',
} as const;

/** Published on `CHANNELS.requestStart` before each HTTP attempt. */
export interface RequestStartMessage {
  readonly clientRequestId: string;
  readonly url: string;
  readonly records: number;
  readonly bytesRaw: number;
  readonly bytesGzipped: number;
  /** 1 for the first attempt of a batch. */
  readonly attempt: number;
}

/** Published on `CHANNELS.requestEnd` after each HTTP attempt. */
export interface RequestEndMessage extends RequestStartMessage {
  readonly status?: number;
  /** The transport error code when no answer came (ECONNRESET, TIMEOUT, …). */
  readonly errorCode?: string;
  readonly durationMs: number;
  /** Set when the batch will be retried after this attempt: the delay in ms. */
  readonly retry?: number;
}

const startChannel = diagnosticsChannel.channel(CHANNELS.requestStart);
const endChannel = diagnosticsChannel.channel(CHANNELS.requestEnd);

export function hasStartSubscribers(): boolean {
  return startChannel.hasSubscribers;
}

export function hasEndSubscribers(): boolean {
  return endChannel.hasSubscribers;
}

export function publishStart(message: RequestStartMessage): void {
  startChannel.publish(message);
}

export function publishEnd(message: RequestEndMessage): void {
  endChannel.publish(message);
}

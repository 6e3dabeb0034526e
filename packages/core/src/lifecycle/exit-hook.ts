/**
 * Delivery at exit without keeping an idle process alive, and no silent loss when the process
 * ends before delivery.
 *
 * - `beforeExit`: all timers of the core are unref'd, so when the application has nothing left
 *   to do the event loop empties and Node emits `beforeExit`; clients with undelivered records
 *   then start sending them (bounded by `closeTimeoutMs`), which keeps the loop alive until they
 *   are acknowledged; the next `beforeExit` finds nothing pending and the process exits.
 * - `exit` (`process.exit()`, an uncaught exception): nothing asynchronous can run any more.
 *   Each client reports what it still holds, synchronously: one line on stderr with the number
 *   of records and what would have kept them, and `onError` with the records.
 * - SIGTERM, SIGINT, SIGHUP with no handler of the application: Node's default is to die at
 *   once, without `exit`. While a client is open a listener of ours is installed; when it is the
 *   only one, it reports as above, removes itself and raises the signal again, so the process
 *   still ends by the signal as it would have. When the application handles the signal, ours
 *   does nothing (the application is expected to close the transport).
 *
 * One set of process listeners is shared by every open client; closing the last removes them.
 */
import { isMainThread } from 'node:worker_threads';

/** How the process is ending, for the advice in the exit line. */
export type ExitCause = 'exit' | 'exception' | NodeJS.Signals;

export interface ExitParticipant {
  /** Called on `beforeExit`; starts sending what is pending, if anything. */
  onBeforeExit(): void;
  /** The process ends now: report what is undelivered, synchronously. */
  onExit(cause: ExitCause): void;
}

const SIGNALS: readonly NodeJS.Signals[] = ['SIGTERM', 'SIGINT', 'SIGHUP'];
const participants = new Set<ExitParticipant>();
let fatal = false;

function onBeforeExit(): void {
  for (const p of participants) p.onBeforeExit();
}

function onExit(): void {
  const cause: ExitCause = fatal ? 'exception' : 'exit';
  for (const p of [...participants]) p.onExit(cause);
}

function onFatal(): void {
  fatal = true;
}

function onSignal(signal: NodeJS.Signals): void {
  // Another listener means the application handles the signal: it decides when to exit.
  if (process.listenerCount(signal) > 1) return;
  for (const p of [...participants]) p.onExit(signal);
  removeSignalListeners();
  process.kill(process.pid, signal);
}

function addListeners(): void {
  process.on('beforeExit', onBeforeExit);
  process.on('exit', onExit);
  process.on('uncaughtExceptionMonitor', onFatal);
  // Signals reach only the main thread; a worker's clients are closed by their host.
  if (isMainThread) for (const s of SIGNALS) process.on(s, onSignal);
}

function removeSignalListeners(): void {
  for (const s of SIGNALS) process.off(s, onSignal);
}

function removeListeners(): void {
  process.off('beforeExit', onBeforeExit);
  process.off('exit', onExit);
  process.off('uncaughtExceptionMonitor', onFatal);
  removeSignalListeners();
}

export function registerExit(participant: ExitParticipant): void {
  if (participants.size === 0) addListeners();
  participants.add(participant);
}

export function unregisterExit(participant: ExitParticipant): void {
  if (!participants.delete(participant)) return;
  if (participants.size === 0) removeListeners();
}

/** What would have kept the records, by how the process ended. */
export function exitAdvice(cause: ExitCause): string {
  switch (cause) {
    case 'exit':
      return "process.exit() ran before they were sent; await the transport's flush() (winston: await transport.flush(); pino: logger.flush(cb)) before calling it";
    case 'exception':
      return "an uncaught exception ended the process before they were sent; with winston set handleExceptions: true on the transport (it delivers before winston exits), otherwise flush in a process.on('uncaughtException') handler";
    default:
      return `${cause} ended the process (it has no handler) before they were sent; handle ${cause}: close the transport (await transport.close(), logger.end() or logger.flush(cb)), then exit`;
  }
}

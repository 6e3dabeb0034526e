/**
 * Delivery at exit without keeping an idle process alive. All timers of the core are unref'd,
 * so when the application has nothing left to do the event loop empties and Node emits
 * `beforeExit`; clients with undelivered records then start sending them (bounded by
 * `closeTimeoutMs`), which keeps the loop alive until they are acknowledged; the next
 * `beforeExit` finds nothing pending and the process exits. (`process.exit()` and signals
 * skip `beforeExit`: call `close()` there.)
 *
 * One process listener is shared by every open client, so many clients add no listeners and
 * closing the last one removes it.
 */

export interface ExitParticipant {
  /** Called on `beforeExit`; starts sending what is pending, if anything. */
  onBeforeExit(): void;
}

const participants = new Set<ExitParticipant>();

function onBeforeExit(): void {
  for (const p of participants) p.onBeforeExit();
}

export function registerExit(participant: ExitParticipant): void {
  if (participants.size === 0) process.on('beforeExit', onBeforeExit);
  participants.add(participant);
}

export function unregisterExit(participant: ExitParticipant): void {
  if (!participants.delete(participant)) return;
  if (participants.size === 0) process.off('beforeExit', onBeforeExit);
}

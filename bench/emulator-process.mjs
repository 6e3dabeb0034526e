/**
 * The emulator for the benchmarks, in its own process (so its CPU is not the client's): https
 * with a self-signed certificate (the official client refuses to send a token over http).
 * Reports { endpoint, ruleId, stream, token, caPem } over IPC once listening; answers
 * 'reset' (clear rows and counters) and 'stop'.
 */
import { startEmulator } from 'azure-ingestion-emulator';

// A bounded table keeps the emulator's memory flat over several runs of 100k+ rows.
const emu = await startEmulator({ port: 0, https: true, maxRowsPerTable: 20_000 });
const rule = emu.rules[0];
process.send({
  type: 'ready',
  endpoint: emu.endpoint,
  ruleId: rule.ruleId,
  stream: rule.streams[0].name,
  table: rule.streams[0].outputTable,
  token: emu.token({ lifetimeSec: 6 * 3600 }),
  caPem: emu.caCertPem,
});
process.on('message', async (message) => {
  if (message === 'reset') {
    emu.reset();
    process.send({ type: 'reset' });
  } else if (message === 'counters') {
    process.send({ type: 'counters', counters: emu.counters() });
  } else if (message === 'stop') {
    await emu.stop();
    process.disconnect();
  }
});

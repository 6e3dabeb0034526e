#!/usr/bin/env node
/**
 * `azure-ingestion`: doctor, schema and send for the Azure Monitor Logs Ingestion API. Reads
 * the AZURE_LOGS_INGESTION_* variables as the transports do. Exit status: 0 done, 1 failed,
 * 2 bad command line or invalid configuration (args.ts has the help text).
 */
import { ConfigurationError } from 'azure-ingestion-core';
import { HELP, parseCommandLine, UsageError } from './args.js';
import { renderDoctor } from './doctor/render.js';
import { doctor } from './doctor/run.js';
import { EXIT, type Io, Printer, processIo, writeJson } from './io.js';
import { runSchema } from './schema/run.js';
import { runSend } from './send/run.js';
import { VERSION } from './version.js';

async function main(argv: readonly string[], io: Io, stop: AbortSignal): Promise<number> {
  const err = new Printer(io.stderr, io.env);
  let parsed: ReturnType<typeof parseCommandLine>;
  try {
    parsed = parseCommandLine(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    err.line(`azure-ingestion: ${error.message}\n\n${HELP}`);
    return EXIT.USAGE;
  }
  try {
    switch (parsed.command) {
      case 'help':
        io.stdout.write(`${HELP}\n`);
        return EXIT.OK;
      case 'version':
        io.stdout.write(`${VERSION}\n`);
        return EXIT.OK;
      case 'doctor': {
        const report = await doctor({ dcrFile: parsed.options.dcrFile, env: io.env });
        if (parsed.options.json) writeJson(io.stdout, report);
        else renderDoctor(report, new Printer(io.stdout, io.env));
        return report.exitCode;
      }
      case 'schema':
        return await runSchema(parsed.options, io);
      case 'send':
        return await runSend(parsed.options, io, stop);
    }
  } catch (error) {
    const path = (error as NodeJS.ErrnoException).path;
    if (typeof path === 'string') {
      err.line(`azure-ingestion: cannot read ${path}: ${(error as Error).message}`);
      return EXIT.USAGE;
    }
    if (!(error instanceof ConfigurationError)) throw error;
    err.line(`azure-ingestion: not sending, the configuration is invalid\n${error.message}`);
    return EXIT.USAGE;
  }
}

const stopping = new AbortController();
let signals = 0;
const onSignal = (): void => {
  // The first signal stops reading and delivers what was read; a second one leaves now.
  if (++signals > 1) process.exit(130);
  stopping.abort();
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

main(process.argv.slice(2), processIo(), stopping.signal).then(
  (code) => {
    process.exitCode = code;
    process.stdin.destroy();
  },
  (error: unknown) => {
    process.stderr.write(`azure-ingestion: ${String((error as Error)?.stack ?? error)}\n`);
    process.exitCode = EXIT.FAILED;
    process.stdin.destroy();
  },
);

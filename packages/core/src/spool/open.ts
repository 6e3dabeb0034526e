/**
 * Opening the spool at construction: a folder that cannot be created or written is a
 * configuration error, thrown by the constructor with the option's name and the fix.
 */
import { ENV_VARS } from '../config/option-table.js';
import { ConfigurationError } from '../errors.js';
import { Spool, type SpoolDeps } from './spool.js';

export function openSpool(deps: SpoolDeps): Spool {
  try {
    return new Spool(deps);
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    throw new ConfigurationError([
      {
        option: 'spoolDir',
        envVar: ENV_VARS.spoolDir,
        value: deps.config.spoolDir,
        problem: `cannot be used as a spool folder (${e.message})`,
        fix: 'point spoolDir at a folder this process can create and write, on a local disk',
      },
    ]);
  }
}

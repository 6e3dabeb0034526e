/**
 * Which credential the client uses: an explicit TokenCredential, else a static token (option,
 * then environment), else DefaultAzureCredential when @azure/identity is installed (imported
 * lazily by the engine), else the built-in credential the environment selects (or one
 * problem saying what to do). Token values never reach a message: the Reader redacts them.
 */

import { identityInstalled } from '../credential/identity-package.js';
import type { NamedCredential } from '../credential/named.js';
import { selectBuiltIn } from '../credential/select.js';
import type { ResolvedConfig, TokenCredential } from '../types.js';
import type { Reader } from './reader.js';

export interface Auth {
  auth: ResolvedConfig['auth'];
  credential?: TokenCredential;
  token?: string;
  /** The built-in credential, when `auth` is `'built-in'`. */
  builtIn?: NamedCredential;
}

function credentialOption(r: Reader): TokenCredential | undefined {
  const c = r.options.credential as { getToken?: unknown } | null | undefined;
  if (c === undefined) return undefined;
  if (c !== null && typeof c === 'object' && typeof c.getToken === 'function') {
    return c as TokenCredential;
  }
  r.report('credential', undefined, {
    problem: 'is not a TokenCredential (an object with getToken())',
    fix: 'pass an @azure/identity credential, e.g. new DefaultAzureCredential()',
  });
  return undefined;
}

export function auth(r: Reader): Auth {
  const credential = credentialOption(r);
  const raw = credential === undefined ? r.raw('token') : r.at('option', 'token');
  const token = r.string('token', raw);
  if (token !== undefined && /^bearer\s/i.test(token)) {
    r.report('token', raw, { problem: 'starts with "Bearer "', fix: 'give only the token itself' });
  } else if (token !== undefined && /[^\x21-\x7e]/.test(token)) {
    r.report('token', raw, {
      problem: 'contains spaces or control characters',
      fix: 'give the raw token',
    });
  }
  if (credential !== undefined && token !== undefined) {
    r.report('token', raw, {
      problem: 'is given together with credential',
      fix: 'give one of them',
    });
  }
  if (credential !== undefined) return { auth: 'credential', credential };
  if (token !== undefined) return { auth: 'token', token };
  if (identityInstalled()) return { auth: 'default-credential' };
  const selected = selectBuiltIn(r.env);
  r.problems.push(...selected.problems);
  return selected.credential
    ? { auth: 'built-in', builtIn: selected.credential }
    : { auth: 'default-credential' };
}

// Runs one measurement in a fresh Node process (no JIT state, heap or sockets carried over
// from the previous one) and returns what it printed on stdout, parsed as JSON.
import { spawn } from 'node:child_process';

/** Spawns `node [...args]` with extra `env`; resolves with its stdout parsed as JSON. */
export function runChild(args, { env = {}, cwd } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      env: { ...process.env, ...env },
      cwd,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0
        ? resolve(JSON.parse(out))
        : reject(new Error(`node ${args.join(' ')} exited with ${code}`)),
    );
  });
}

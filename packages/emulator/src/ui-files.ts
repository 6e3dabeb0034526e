/**
 * The web console's static files (src/ui/: one HTML page, a style sheet, three script modules; no build
 * step, no dependency). The build copies them to dist/ui/, beside the bundles, so this module
 * finds them at `./ui/` from src/ (tests) and from dist/ (the package) alike. Read once, kept.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The files served, by name, with their content type. */
export const UI_FILES: Readonly<Record<string, string>> = {
  'index.html': 'text/html; charset=utf-8',
  'console.css': 'text/css; charset=utf-8',
  'console.js': 'text/javascript; charset=utf-8',
  'dom.js': 'text/javascript; charset=utf-8',
  'panels.js': 'text/javascript; charset=utf-8',
};

const cache = new Map<string, string>();

/** The text of a console file (a name of UI_FILES). Throws when the package lacks it. */
export function uiFile(name: string): string {
  let text = cache.get(name);
  if (text === undefined) {
    text = readFileSync(fileURLToPath(new URL(`./ui/${name}`, import.meta.url)), 'utf8');
    cache.set(name, text);
  }
  return text;
}

/**
 * The doctor's report on a terminal: one line per check with a mark, then each problem's
 * sentence and fix, indented. Colour only when the stream is a colour terminal (Printer).
 */
import type { Printer } from '../io.js';
import type { CheckStatus, DoctorReport } from './run.js';

const MARKS: Record<CheckStatus, [string, 'green' | 'yellow' | 'red' | 'dim']> = {
  ok: ['✔', 'green'],
  warning: ['!', 'yellow'],
  failed: ['✖', 'red'],
  skipped: ['-', 'dim'],
};

const WIDTH = 15;

export function renderDoctor(report: DoctorReport, out: Printer): void {
  out.line(out.style('bold', 'azure-ingestion doctor'));
  for (const check of report.checks) {
    const [mark, style] = MARKS[check.status];
    const summary = check.status === 'skipped' ? out.style('dim', check.summary) : check.summary;
    out.line(`${out.style(style, mark)} ${check.name.padEnd(WIDTH)}${summary}`);
    for (const problem of check.problems) {
      out.line(`  ${' '.repeat(WIDTH)}${problem.sentence}`);
      out.line(`  ${' '.repeat(WIDTH)}${out.style('bold', 'Fix:')} ${problem.fix}`);
    }
  }
  const verdict = report.ok
    ? out.style('green', 'The probe was accepted: the transports can send with this configuration.')
    : out.style('red', 'Not ready: fix the problems above, then run azure-ingestion doctor again.');
  out.line(verdict);
}

import { describe, expect, it } from 'vitest';
import { LineQueue } from '../src/line-queue.js';

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

function collect(): { queue: LineQueue; lines: string[] } {
  const lines: string[] = [];
  return { queue: new LineQueue((line) => lines.push(line)), lines };
}

describe('LineQueue', () => {
  it('cuts chunks into lines, joining a line split across chunks', async () => {
    const { queue, lines } = collect();
    queue.push('{"a":1}\n{"b"');
    queue.push(':2}\n{"c":3}\r\n\n');
    expect(lines).toEqual([]); // handled on a later turn, not inside write
    await turn();
    expect(lines).toEqual(['{"a":1}', '{"b":2}', '{"c":3}', '']);
    expect(queue.empty).toBe(true);
  });

  it('keeps a partial line until its end arrives, or until drainAll (close)', async () => {
    const { queue, lines } = collect();
    queue.push('one\ntw');
    await turn();
    expect(lines).toEqual(['one']);
    expect(queue.empty).toBe(true);
    queue.push('o\nthr');
    queue.push('ee\r');
    queue.drainAll();
    expect(lines).toEqual(['one', 'two', 'three']);
  });

  it('handles a slice of lines per event-loop turn, resuming inside a chunk', async () => {
    const { queue, lines } = collect();
    const text = Array.from({ length: 5000 }, (_, i) => `${i}\n`).join('');
    queue.push(text.slice(0, 7)); // a chunk boundary inside the first slice
    queue.push(text.slice(7));
    await turn();
    expect(lines).toHaveLength(4096);
    expect(queue.empty).toBe(false);
    await turn();
    expect(lines).toHaveLength(5000);
    expect(lines[4999]).toBe('4999');
    expect(new Set(lines).size).toBe(5000);
    expect(queue.empty).toBe(true);
  });
});

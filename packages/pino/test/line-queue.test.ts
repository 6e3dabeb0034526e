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

describe('LineQueue positions (flush by position)', () => {
  it('calls back once the chunks up to a position are handled, not waiting for later ones', async () => {
    const { queue, lines } = collect();
    const seen: string[][] = [];
    queue.push('a\nb\n');
    const position = queue.position;
    queue.whenHandled(position, () => seen.push([...lines]));
    queue.push('c\nd\n'); // written after the flush
    expect(seen).toEqual([]); // not inside push
    await turn();
    // Called back from the loop, after "b" and before "c" reached the handler.
    expect(seen).toEqual([['a', 'b']]);
    expect(lines).toEqual(['a', 'b', 'c', 'd']);
  });

  it('calls back at once when the position was already handled', async () => {
    const { queue } = collect();
    queue.push('a\n');
    await turn();
    let called = 0;
    queue.whenHandled(queue.position, () => called++);
    queue.whenHandled(0, () => called++);
    expect(called).toBe(2);
  });

  it('a line cut by a chunk boundary is not waited for until its newline arrives', async () => {
    const { queue, lines } = collect();
    queue.push('one\ntw');
    let called = false;
    queue.whenHandled(queue.position, () => {
      called = true;
    });
    await turn();
    expect(called).toBe(true);
    expect(lines).toEqual(['one']);
    queue.push('o\n');
    await turn();
    expect(lines).toEqual(['one', 'two']);
  });

  it('counts a chunk by the size it is given (bytes of a decoded Buffer), even when empty', async () => {
    const { queue } = collect();
    queue.push('x\n', 2);
    queue.push('', 1); // the first byte of a split character
    expect(queue.position).toBe(3);
    let called = false;
    queue.whenHandled(3, () => {
      called = true;
    });
    await turn();
    expect(called).toBe(true);
  });

  it('resolves waiters in order across slices, each when its own position is passed', async () => {
    const { queue, lines } = collect();
    const at: number[] = [];
    const block = Array.from({ length: 3000 }, (_, i) => `${i}\n`).join('');
    queue.push(block);
    queue.whenHandled(queue.position, () => at.push(lines.length));
    queue.push(block);
    queue.whenHandled(queue.position, () => at.push(lines.length));
    await turn(); // a slice is 4096 lines: the first block, and part of the second
    expect(at).toEqual([3000]);
    await turn();
    expect(at).toEqual([3000, 6000]);
  });

  it('drainAll (close) handles everything and releases every waiter, even past the end', () => {
    const { queue, lines } = collect();
    queue.push('a\nb');
    const called: number[] = [];
    queue.whenHandled(queue.position, () => called.push(1));
    queue.whenHandled(queue.position + 10, () => called.push(2)); // text that will never come
    queue.drainAll();
    expect(lines).toEqual(['a', 'b']);
    expect(called).toEqual([1, 2]);
    queue.whenHandled(queue.position + 10, () => called.push(3));
    expect(called).toEqual([1, 2, 3]);
  });
});

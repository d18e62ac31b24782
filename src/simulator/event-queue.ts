// The simulation's agenda: a binary min-heap of callbacks ordered by (virtual time, sequence).
// The sequence number breaks ties in insertion order, so two runs that schedule the same things
// in the same order replay identically.

export interface Scheduled {
  t: number;
  seq: number;
  run: () => Promise<void> | void;
}

export class EventQueue {
  private heap: Scheduled[] = [];
  private nextSeq = 0;

  get size(): number {
    return this.heap.length;
  }

  push(t: number, run: Scheduled['run']): void {
    if (!Number.isFinite(t)) throw new RangeError(`event time must be finite (got ${t})`);
    const item = { t, seq: this.nextSeq++, run };
    const h = this.heap;
    h.push(item);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(h[i]!, h[parent]!)) break;
      [h[i], h[parent]] = [h[parent]!, h[i]!];
      i = parent;
    }
  }

  peekTime(): number | undefined {
    return this.heap[0]?.t;
  }

  pop(): Scheduled | undefined {
    const h = this.heap;
    if (h.length === 0) return undefined;
    const top = h[0]!;
    const last = h.pop()!;
    if (h.length > 0) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && before(h[l]!, h[m]!)) m = l;
        if (r < h.length && before(h[r]!, h[m]!)) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m]!, h[i]!];
        i = m;
      }
    }
    return top;
  }
}

function before(x: Scheduled, y: Scheduled): boolean {
  return x.t < y.t || (x.t === y.t && x.seq < y.seq);
}

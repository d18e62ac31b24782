// Keys filed by the time bucket in which they may expire, so idle keys are found without walking
// every key: a min-heap of bucket numbers, each holding the keys filed there. Filing is lazy —
// a key that was hit again since stays where it was, and whoever drains its bucket checks the
// key's real expiry and files it again if it still lives.

export class ExpiryQueue {
  private readonly buckets = new Map<number, string[]>();
  /** Bucket numbers present in `buckets`, as a binary min-heap. */
  private readonly heap: number[] = [];

  get size(): number {
    return this.buckets.size;
  }

  file(key: string, bucket: number): void {
    const keys = this.buckets.get(bucket);
    if (keys) {
      keys.push(key);
      return;
    }
    this.buckets.set(bucket, [key]);
    this.push(bucket);
  }

  /** Removes and returns the earliest bucket if it is at or before `bound`, else null. */
  takeDue(bound: number): { bucket: number; keys: string[] } | null {
    const heap = this.heap;
    if (heap.length === 0 || heap[0]! > bound) return null;
    const bucket = heap[0]!;
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      this.siftDown(0);
    }
    const keys = this.buckets.get(bucket)!;
    this.buckets.delete(bucket);
    return { bucket, keys };
  }

  clear(): void {
    this.buckets.clear();
    this.heap.length = 0;
  }

  private push(bucket: number): void {
    const heap = this.heap;
    heap.push(bucket);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (heap[parent]! <= bucket) break;
      heap[i] = heap[parent]!;
      i = parent;
    }
    heap[i] = bucket;
  }

  private siftDown(i: number): void {
    const heap = this.heap;
    const n = heap.length;
    const x = heap[i]!;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      if (child + 1 < n && heap[child + 1]! < heap[child]!) child++;
      if (heap[child]! >= x) break;
      heap[i] = heap[child]!;
      i = child;
    }
    heap[i] = x;
  }
}

// CSPRNG from node:crypto.
import { randomBytes, randomInt } from 'node:crypto';
import type { Random } from '../../ports.ts';

export class CryptoRandom implements Random {
  bytes(n: number): Uint8Array {
    return new Uint8Array(randomBytes(n));
  }
  int(maxExclusive: number): number {
    return randomInt(maxExclusive);
  }
}

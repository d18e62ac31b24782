// What every simulated actor shares during one run: virtual time, the agenda, the API, the
// development outbox (read only when a simulated delivery succeeded), and the ground-truth log of
// refusals, later joined with the server's events to see which rule refused what.
import type { World } from '../scenario/world.ts';
import type { TollgateApi } from './client.ts';

export interface RefusalRef {
  t: number;
  sessionId: string;
  code: string | null;
  actor: 'legit' | 'attack';
  /** Journey index (legit) or planned-send index (attack). */
  index: number;
}

export interface SimContext {
  readonly seed: number;
  readonly world: World;
  readonly api: TollgateApi;
  now(): number;
  at(t: number, run: () => Promise<void> | void): void;
  /** The newest code the outbox holds for this number and session. */
  readCode(to: string, sessionId: string): Promise<string | null>;
  refusals: RefusalRef[];
}

// Small-count statistics for the pumping detector: exact Poisson tails (counts per block and per
// hour are sparse, so Gaussian z-scores would lie), Wilson bounds for completion rates, and the
// adaptive "how many numbers in one block is too many" threshold.

const LANCZOS = [
  676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012,
  9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** ln Γ(x) for x > 0 (Lanczos, g = 7; about 15 significant digits). */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let a = 0.99999999999980993;
  const t = z + 7.5;
  for (let i = 0; i < LANCZOS.length; i++) a += LANCZOS[i]! / (z + i + 1);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

function logPoissonPmf(k: number, mu: number): number {
  return -mu + k * Math.log(mu) - logGamma(k + 1);
}

/** P(X ≥ k) for X ~ Poisson(mu). */
export function poissonUpperTail(k: number, mu: number): number {
  if (k <= 0) return 1;
  if (!(mu > 0)) return 0;
  if (k > mu) {
    // Sum the upper terms; they fall geometrically once past the mean.
    let term = Math.exp(logPoissonPmf(k, mu));
    let sum = term;
    for (let j = k + 1; j < k + 10_000; j++) {
      term *= mu / j;
      sum += term;
      if (term < sum * 1e-14) break;
    }
    return Math.min(1, sum);
  }
  // Below the mean the lower part is the short one: 1 − P(X ≤ k − 1).
  let term = Math.exp(logPoissonPmf(k - 1, mu));
  let sum = term;
  for (let j = k - 1; j > 0; j--) {
    term *= j / mu;
    sum += term;
    if (term < sum * 1e-14) break;
  }
  return Math.max(0, 1 - sum);
}

export interface Bounds {
  lower: number;
  upper: number;
}

/** Wilson score interval of `ok` successes in `n` trials (n = 0 gives [0, 1]). */
export function wilson(ok: number, n: number, z: number): Bounds {
  if (n <= 0) return { lower: 0, upper: 1 };
  const p = ok / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denom;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denom;
  return { lower: ok <= 0 ? 0 : Math.max(0, centre - half), upper: ok >= n ? 1 : Math.min(1, centre + half) };
}

/**
 * Smallest count k ≥ kMin such that, with `numbers` distinct numbers per window spread as Poisson
 * with `perBlock` numbers per block and window, fewer than `falseAlarms` blocks are expected to
 * reach k by chance. Blocks in play ≈ numbers / perBlock, each reaching k with P(Pois ≥ k).
 */
export function concentrationThreshold(numbers: number, perBlock: number, falseAlarms: number, kMin: number): number {
  if (!(numbers > 0) || !(perBlock > 0)) return kMin;
  const blocks = numbers / perBlock;
  for (let k = kMin; k < 10_000; k++) {
    if (blocks * poissonUpperTail(k, perBlock) <= falseAlarms) return k;
  }
  return 10_000;
}

/** EWMA weight per step for a half-life measured in steps. */
export function halfLifeAlpha(steps: number): number {
  return steps > 0 ? 1 - Math.pow(2, -1 / steps) : 1;
}

/** Decay factor for `elapsedMs` under a half-life. */
export function decay(elapsedMs: number, halfLifeMs: number): number {
  return elapsedMs > 0 ? Math.pow(2, -elapsedMs / halfLifeMs) : 1;
}

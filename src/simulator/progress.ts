// The progress bar on stderr (cli-progress): one unit per run, filled as the run's virtual time
// advances. Without a TTY (CI) it prints a line every few seconds instead of redrawing.
import cliProgress from 'cli-progress';

export interface Progress {
  start(label: string, index: number): void;
  update(index: number, fraction: number): void;
  done(index: number): void;
  stop(): void;
}

export function progressBar(total: number, enabled: boolean): Progress {
  if (!enabled) return { start() {}, update() {}, done() {}, stop() {} };
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: 'simulate |{bar}| {percentage}% | {finished}/{runs} runs | ETA {eta_formatted} | {running}',
      noTTYOutput: !process.stderr.isTTY,
      notTTYSchedule: 10_000,
      hideCursor: true,
      etaBuffer: 50,
    },
    cliProgress.Presets.shades_classic,
  );
  const fractions = new Map<number, number>();
  const running = new Map<number, string>();
  let finished = 0;
  const payload = () => ({ finished, runs: total, running: [...running.values()].join(', ') || '-' });
  const redraw = () => bar.update(Math.round([...fractions.values()].reduce((a, b) => a + b, 0) * 1000) / 1000, payload());
  bar.start(total, 0, payload());
  return {
    start(label, index) {
      running.set(index, label);
      fractions.set(index, 0);
      redraw();
    },
    update(index, fraction) {
      fractions.set(index, Math.min(1, fraction));
      redraw();
    },
    done(index) {
      running.delete(index);
      fractions.set(index, 1);
      finished++;
      redraw();
    },
    stop() {
      bar.stop();
    },
  };
}

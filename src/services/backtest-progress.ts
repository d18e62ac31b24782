// The backtest's progress bar on stderr (cli-progress), filled as the replay's virtual time moves
// through the range. Only drawn on a terminal: piped and CI runs get no bar at all.
import cliProgress from 'cli-progress';

export interface BacktestProgress {
  update(fraction: number, attempts: number): void;
  stop(): void;
}

export function backtestProgress(enabled: boolean, stream: NodeJS.WriteStream = process.stderr): BacktestProgress {
  if (!enabled || !stream.isTTY) return { update() {}, stop() {} };
  const bar = new cliProgress.SingleBar(
    { stream, format: 'backtest |{bar}| {percentage}% | {attempts} attempts | ETA {eta_formatted}', hideCursor: true, etaBuffer: 50 },
    cliProgress.Presets.shades_classic,
  );
  bar.start(1000, 0, { attempts: 0 });
  return {
    update(fraction, attempts) {
      bar.update(Math.round(fraction * 1000), { attempts });
    },
    stop() {
      bar.stop();
    },
  };
}

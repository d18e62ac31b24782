// A backtest request that cannot run as asked (a bad duration, an empty or inverted range, a
// candidate configuration that does not validate). The CLI prints the message and exits 2.
export class BacktestInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BacktestInputError';
  }
}

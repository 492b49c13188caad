/** The closing lines of `npm test`: the suite's time, then the machine-readable tests line, unchanged. */
const SummaryReporter = require('../summary-reporter.js') as new () => {
  onRunStart(): void;
  onRunComplete(contexts: unknown, results: unknown): void;
};

describe('summary reporter', () => {
  it('prints the time on its own line, then "tests: N passed, N failed, N skipped" as the last line', () => {
    const written: string[] = [];
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    const now = jest.spyOn(Date, 'now');
    try {
      const reporter = new SummaryReporter();
      now.mockReturnValue(1_000_000);
      reporter.onRunStart();
      now.mockReturnValue(1_000_000 + 83_400);
      reporter.onRunComplete([], { numPassedTests: 10, numFailedTests: 1, numPendingTests: 2, numTodoTests: 1, startTime: 0 });
    } finally {
      spy.mockRestore();
      now.mockRestore();
    }
    const lines = written.join('').split('\n').filter(Boolean);
    expect(lines).toEqual(['time: 1 min 23.4 s (83.4 s)', 'tests: 10 passed, 1 failed, 3 skipped']);
  });
});

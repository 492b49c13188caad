// Prints the suite's wall-clock time, then one plain closing line ("tests: N passed, N failed,
// N skipped") that any CI can read; the time has its own line so that line's format never changes.
class SummaryReporter {
  onRunStart() {
    this.startedAt = Date.now();
  }

  onRunComplete(_contexts, results) {
    const { numPassedTests, numFailedTests, numPendingTests, numTodoTests, startTime } = results;
    const started = this.startedAt ?? startTime ?? Date.now();
    const seconds = (Date.now() - started) / 1000;
    process.stdout.write(`\ntime: ${formatDuration(seconds)}`);
    process.stdout.write(`\ntests: ${numPassedTests} passed, ${numFailedTests} failed, ${numPendingTests + numTodoTests} skipped\n`);
  }
}

function formatDuration(seconds) {
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes} min ${(seconds - minutes * 60).toFixed(1)} s (${seconds.toFixed(1)} s)`;
}

module.exports = SummaryReporter;
module.exports.formatDuration = formatDuration;

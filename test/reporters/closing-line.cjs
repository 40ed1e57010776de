'use strict';
/**
 * Jest reporter: ends the run with one plain line, `tests: N passed, N failed, N skipped`.
 * Jest's own summary ("Tests: 675 passed, 675 total") is not a form CI tools read, so
 * this line is what says how many tests actually ran. With TEST_COUNTS_FILE set, the
 * counts are also appended there as a JSON line, so .ci/run can total several runs.
 */
const fs = require('node:fs');

class ClosingLineReporter {
  onRunComplete(_contexts, results) {
    const counts = {
      passed: results.numPassedTests,
      failed: results.numFailedTests + results.numRuntimeErrorTestSuites,
      skipped: results.numPendingTests + results.numTodoTests,
    };
    process.stdout.write(`tests: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped\n`);
    if (process.env.TEST_COUNTS_FILE) fs.appendFileSync(process.env.TEST_COUNTS_FILE, `${JSON.stringify(counts)}\n`);
  }
}

module.exports = ClosingLineReporter;

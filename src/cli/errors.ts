/** Errors of the command line: each becomes one line on stderr and a non-zero exit status. */

/** A data file could not be read: the message names the file and, where it can, the line and column. */
export class DataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DataError';
  }
}

/** The command line itself is wrong (unknown option, bad value): exit status 2, as for usage errors. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

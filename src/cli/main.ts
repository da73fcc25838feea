/**
 * `elbo`: the command line (bundled into dist/cli.js, the package's `bin`). Each command reads
 * its data, fits or applies a model from the library and writes results; no model logic lives
 * here. Errors end the process with one line on stderr: exit status 2 for a wrong command line,
 * 1 for everything else (a bad or missing file, invalid data for the model).
 */
import { ElboError } from '../runtime/errors.js';
import { init } from '../runtime/load.js';
import { helpText, parseCommand, type Command } from './args.js';
import { bgmm, gmm } from './commands/mixture.js';
import { kmeans } from './commands/kmeans.js';
import { demo } from './commands/demo.js';
import { dictlearn } from './commands/dictlearn.js';
import { encode } from './commands/encode.js';
import { meanfield } from './commands/meanfield.js';
import { predict } from './commands/predict.js';
import { hmm } from './commands/hmm.js';
import { lista } from './commands/lista.js';
import { DataError, UsageError } from './errors.js';

declare const __ELBO_VERSION__: string | undefined;
const VERSION = typeof __ELBO_VERSION__ === 'string' ? __ELBO_VERSION__ : 'dev';

const COMMANDS: Command[] = [gmm, bgmm, kmeans, encode, dictlearn, lista, meanfield, hmm, predict, demo];

function mainHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    `elbo ${VERSION}: approximate inference (EM, sparse coding, mean-field) on SIMD WebAssembly`,
    '',
    'Usage: elbo <command> [arguments] [options]      elbo <command> --help',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Data files: CSV/TSV/text (header optional, delimiter detected; .gz allowed), JSON (an array of rows),',
    '.npy (float64 or float32, C order), or a shipped data set by name: iris, digits.',
    'Every command takes --quiet (no progress, no summary) and --json (JSON lines on stderr, a JSON summary on stdout).',
    '',
    'Examples:',
    '  elbo demo',
    '  elbo gmm iris --components 3 --plot iris.svg --out model.json',
    '  elbo predict model.json data/iris.csv > labels.csv',
    '',
  ].join('\n');
}

async function main(argv: string[]): Promise<void> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(mainHelp());
    return;
  }
  if (name === '--version' || name === '-v') {
    process.stdout.write(`${VERSION}\n`);
    return;
  }
  const cmd = COMMANDS.find((c) => c.name === name);
  if (!cmd) throw new UsageError(`unknown command ${JSON.stringify(name)}; the commands are ${COMMANDS.map((c) => c.name).join(', ')} (see elbo --help)`);
  const args = parseCommand(cmd, rest);
  if (args.values.help) {
    process.stdout.write(helpText(cmd));
    return;
  }
  await init();
  await cmd.run(args);
}

/**
 * A reader that goes away (`elbo predict model.json data.csv | head -1`) is not an error: the
 * output it wanted has been delivered, so the command ends quietly with status 0.
 */
function endQuietlyOnClosedPipe(stream: NodeJS.WriteStream): void {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE' || err.code === 'ERR_STREAM_DESTROYED') process.exit(0);
    throw err;
  });
}

endQuietlyOnClosedPipe(process.stdout);
endQuietlyOnClosedPipe(process.stderr);

main(process.argv.slice(2)).catch((err: unknown) => {
  const known = err instanceof UsageError || err instanceof DataError || err instanceof ElboError;
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`elbo: ${known ? '' : 'internal error: '}${message.split('\n')[0]}\n`);
  if (!known && process.env.ELBO_DEBUG && err instanceof Error) process.stderr.write(`${err.stack}\n`);
  process.exitCode = err instanceof UsageError ? 2 : 1;
});

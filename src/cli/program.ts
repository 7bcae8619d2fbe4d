/** The `kiln` command tree (commander). Heavy modules load inside each action, so `kiln --help` stays fast. */
import { Command, InvalidArgumentError } from 'commander';
import { kilnVersion } from '../deploy/version.js';

function int(name: string, min: number, max = Number.MAX_SAFE_INTEGER) {
  return (v: string) => {
    if (!/^\d+$/.test(v.trim()) || Number(v) < min || Number(v) > max) {
      throw new InvalidArgumentError(
        max === Number.MAX_SAFE_INTEGER ? `${name} must be an integer >= ${min}` : `${name} must be an integer from ${min} to ${max}`,
      );
    }
    return Number(v);
  };
}

function percent(v: string): number {
  const x = Number(v);
  if (v.trim() === '' || !(x >= 0 && x <= 100)) throw new InvalidArgumentError('must be a percentage from 0 to 100');
  return x;
}

function rangeMode(v: string): boolean | 'warn' {
  const modes: Record<string, boolean | 'warn'> = { off: false, refuse: true, warn: 'warn' };
  if (!Object.hasOwn(modes, v)) throw new InvalidArgumentError('must be off, refuse or warn');
  return modes[v];
}

function logFormat(v: string): 'sqlite' | 'parquet' {
  if (v !== 'sqlite' && v !== 'parquet') throw new InvalidArgumentError('must be sqlite or parquet');
  return v;
}

const REGISTRY_HELP = 'model registry (SQLite file, or postgres://user:password@host:port/db)';
const DEFAULT_REGISTRY = process.env.KILN_REGISTRY || './kiln-registry.db';

/** `writeErr` receives commander's own messages (usage errors, help on errors); set before the subcommands, which copy it. */
export function createProgram(writeErr: (s: string) => void = (s) => process.stderr.write(s)): Command {
  const program = new Command('kiln')
    .configureOutput({ writeErr })
    .description('kiln: train, evaluate, score, register and serve machine-learning models')
    .version(kilnVersion(), '-V, --version')
    .showHelpAfterError('(kiln <command> --help for usage)')
    .exitOverride();

  program
    .command('train')
    .description('train a model from a YAML/JSON config; prints its test metrics')
    .argument('<config>', 'config file (.yaml, .yml or .json)')
    .option('-o, --out <path>', "model file to write (default: the config's output)")
    .option('--register <name>', 'also register the model under this name')
    .option('--registry <db>', REGISTRY_HELP, process.env.KILN_REGISTRY)
    .option('--promote', 'point an alias (--alias, default production) at the new version')
    .option('--alias <alias>', 'alias that --promote moves')
    .option('--json', 'print the result as JSON')
    .option('--no-progress', 'no progress bar, even on a terminal')
    .action(async (config: string, opts) => (await import('./train.js')).trainCommand(config, opts));

  program
    .command('evaluate')
    .description("a model's metrics on a labelled data file")
    .requiredOption('-m, --model <model>', 'model file (or name[@alias|@version] with --registry)')
    .requiredOption('-d, --data <path>', 'data: .csv, .tsv, .parquet, .json, .arrow or vega-datasets:<file>')
    .option('-t, --target <column>', 'target column (default: the one the model was trained on)')
    .option('--metrics <names>', 'comma-separated metrics (default: those recorded in the model)')
    .option('--registry <db>', REGISTRY_HELP)
    .option('--limit <rows>', 'only the first rows', int('--limit', 1))
    .option('--json', 'print the result as JSON')
    .action(async (opts) => (await import('./evaluate.js')).evaluateCommand(opts));

  program
    .command('predict')
    .description('score a CSV or Parquet file in batches, in constant memory, into a CSV file')
    .requiredOption('-m, --model <model>', 'model file (or name[@alias|@version] with --registry)')
    .requiredOption('-i, --in <path>', 'input: .csv, .tsv or .parquet')
    .requiredOption('-o, --out <path>', 'output .csv or .parquet file (with --distributed: a directory of parts and manifest.json)')
    .option('--registry <db>', REGISTRY_HELP)
    .option('-b, --batch-size <rows>', 'rows per model call', int('--batch-size', 1))
    .option('--limit <rows>', 'only the first rows', int('--limit', 1))
    .option('--proba', 'add a probability column per class')
    .option('--keep <columns>', 'comma-separated input columns to copy to the output (e.g. an id)')
    .option('--json', 'print the run summary (rows, batches, rows/s, peak RSS) as JSON')
    .option('--no-progress', 'no progress bar, even on a terminal')
    .option('--distributed', 'score on `kiln worker`s: shards of --shard-rows rows, one output part each in the --out directory, plus manifest.json')
    .option('--shard-rows <rows>', 'rows per shard (with --distributed)', int('--shard-rows', 1))
    .option('--redis <url>', 'Redis the workers take jobs from (with --distributed; default: env KILN_REDIS)')
    .option('--store <dir>', 'the data directory the workers read (with --distributed; default: env KILN_STORE or ./kiln-data)')
    .option('--queue <name>', 'the queue the workers serve (with --distributed; default kiln)')
    .option('--format <format>', "the parts' format, csv or parquet (with --distributed; default csv)")
    .option('--attempts <n>', 'tries per shard before it is recorded as failed (with --distributed; default 3)', int('--attempts', 1))
    .option('--connect-timeout <ms>', 'milliseconds to wait for Redis (with --distributed; default 5000)', int('--connect-timeout', 1))
    .action(async (opts) =>
      opts.distributed ? (await import('./predict-distributed.js')).distributedPredictCommand(opts) : (await import('./predict.js')).predictCommand(opts),
    );

  program
    .command('worker')
    .description("run kiln's queued jobs (cross-validation folds, search candidates, batch-scoring shards) from Redis until SIGTERM/SIGINT")
    .option('--redis <url>', 'Redis to take jobs from, redis://[user:password@]host:port[/db] (default: env KILN_REDIS)')
    .option('-c, --concurrency <n>', 'jobs at once, each in its own child process; native threads are divided among them (default 1)', int('--concurrency', 1))
    .option('--queues <names>', 'comma-separated queue names to serve (default kiln)')
    .option('--store <dir>', "the data directory the producers' directoryStore writes to (default: env KILN_STORE or ./kiln-data)")
    .option('--threads <n>', 'native threads per job (default: cores / concurrency; lower it when several workers share a machine)', int('--threads', 1))
    .action(async (opts) => (await import('./worker.js')).workerCommand(opts));

  program
    .command('serve')
    .description('serve a registered model (or a model file) over HTTP until SIGTERM/SIGINT')
    .requiredOption('-m, --model <model>', 'registered name[@alias] with --registry, else a model file')
    .option('--registry <db>', `${REGISTRY_HELP} (default: env KILN_REGISTRY; a --model that is a file is served as one)`)
    .option('--alias <alias>', 'alias (or version) to serve (default production)')
    .option('-p, --port <port>', 'port (default: env PORT or 8080; 0 picks a free one)', int('--port', 0, 65535))
    .option('--host <host>', 'address to listen on (default 127.0.0.1, this machine only; 0.0.0.0 for every interface)')
    .option('--token <token>', 'bearer token required on every route but /health and /ready (default: env KILN_SERVER_TOKEN)')
    .option('--canary <percent>', 'percent of traffic for the candidate alias', percent)
    .option('--candidate-alias <alias>', 'alias of the candidate (default candidate)')
    .option('--poll-ms <ms>', 'how often an SQLite registry is checked for promotions (a PostgreSQL one notifies at once)', int('--poll-ms', 1))
    .option('--check-ranges <mode>', 'values outside the training ranges: off (default), refuse (400) or warn', rangeMode)
    .option('--log-level <level>', 'pino log level (JSON lines on stdout; silent for none)', 'info')
    .option(
      '--prediction-log <path>',
      'log every served row here (a SQLite file, or a directory of Parquet segments) and take POST /feedback (read it with kiln monitor)',
    )
    .option(
      '--prediction-log-format <format>',
      'sqlite (default) or parquet (segments rotated by size and time; the default for an existing directory)',
      logFormat,
    )
    .option('--micro-batch', 'gather concurrent requests to a busy model into one call (adaptive micro-batching)')
    .option('--drift-every <ms>', 'compute drift of the logged window on this schedule (needs --prediction-log)', int('--drift-every', 1))
    .option('--retrain <config>', 'retrain from this training config when the dataset drifts (or on --retrain-every); promoted only past the quality gate')
    .option('--retrain-every <ms>', 'also retrain on this schedule', int('--retrain-every', 1))
    .option('--retrain-cooldown <ms>', 'least time between two retraining jobs (default one hour)', int('--retrain-cooldown', 1))
    .option('--redis <url>', 'run --retrain jobs on `kiln worker`s taking jobs from this Redis, not in the server')
    .option('--queue <name>', 'the queue those workers serve (with --redis; default kiln)')
    .action(async (opts) => (await import('./serve.js')).serveCommand(opts));

  const registry = program.command('registry').description('list and change the model registry');
  const regOpt = (c: Command) =>
    c
      .option('--registry <db>', `${REGISTRY_HELP} (default: env KILN_REGISTRY or ./kiln-registry.db)`, DEFAULT_REGISTRY)
      .option('--actor <name>', 'who made the change, for the audit log (default: the OS user)')
      .option('--json', 'print JSON');
  regOpt(registry.command('list').description('models, or the versions of one model').argument('[name]')).action(async (name: string | undefined, opts) =>
    (await import('./registry.js')).listCommand(name, opts),
  );
  regOpt(registry.command('register').description('register a model file as a new version').argument('<name>').argument('<file>'))
    .option('--promote', 'point an alias (default production) at it')
    .option('--alias <alias>', 'alias that --promote moves')
    .option('--description <text>', 'what this version is')
    .action(async (name: string, file: string, opts) => (await import('./registry.js')).registerCommand(name, file, opts));
  regOpt(registry.command('promote').description('point an alias (default production) at a version').argument('<name>').argument('<version>'))
    .option('--alias <alias>', 'alias to move', 'production')
    .action(async (name: string, v: string, opts) => (await import('./registry.js')).promoteCommand(name, v, opts));
  regOpt(registry.command('rollback').description('move an alias back to its previous version (or --to one)').argument('<name>'))
    .option('--alias <alias>', 'alias to move back', 'production')
    .option('--to <version>', 'version to roll back to')
    .action(async (name: string, opts) => (await import('./registry.js')).rollbackCommand(name, opts));
  regOpt(registry.command('retire').description('retire a version for good').argument('<name>').argument('<version>'))
    .option('--force', 'also delete aliases that point to it')
    .action(async (name: string, v: string, opts) => (await import('./registry.js')).retireCommand(name, v, opts));
  regOpt(registry.command('alias').description('show, set (with a version) or --delete an alias').argument('<name>').argument('<alias>').argument('[version]'))
    .option('--delete', 'delete the alias')
    .action(async (name: string, alias: string, v: string | undefined, opts) => (await import('./registry.js')).aliasCommand(name, alias, v, opts));
  regOpt(registry.command('audit').description('the audit log (of one model, or all)').argument('[name]'))
    .option('--limit <n>', 'at most this many entries', int('--limit', 1))
    .action(async (name: string | undefined, opts) => (await import('./registry.js')).auditCommand(name, opts));
  registry
    .command('copy')
    .description('copy a whole registry (e.g. SQLite into PostgreSQL) with its model files, then verify it; safe to re-run')
    .argument('<from>', 'source registry (SQLite file or postgres:// URL), opened read-only')
    .argument('<to>', 'target registry (postgres:// URL or SQLite file); must be empty or already hold exactly the source')
    .option(
      '--store <dir>',
      "the target's model-file store (default: a PostgreSQL registry's recorded store, env KILN_REGISTRY_STORE, or ./kiln-registry.artifacts)",
    )
    .option('--from-store <dir>', "the source's model-file store, when it is not the default one")
    .option('--json', 'print the report (counts, digests) as JSON')
    .action(async (from: string, to: string, opts) => (await import('./registry.js')).copyCommand(from, to, opts));

  program
    .command('bench')
    .description('time a model (a training config, model file or registry ref) on each backend × thread count; gate CI on it')
    .argument('<target>', 'training config (.yaml/.json: times fit and predict), model file, or name[@alias] with --registry')
    .option('-d, --data <path>', 'rows to predict for a model file (default: the bundled example it was trained on, if any)')
    .option('--registry <db>', REGISTRY_HELP)
    .option('--backend <names>', 'comma-separated backends (native, webgpu, js) or all', 'all')
    .option('--threads <counts>', 'comma-separated native thread counts (default: the number of cores)')
    .option('--rows <n>', 'only the first rows of the data', int('--rows', 1))
    .option('--repeat <k>', 'timed repetitions after one warm-up (default 5)', int('--repeat', 1))
    .option('--latency-calls <n>', 'single-row calls timed for latency (default 2000)', int('--latency-calls', 1))
    .option('--json <out>', 'also write the result as JSON (docs/benchmark-schema.json)')
    .option('--baseline <file>', 'a previous --json result: fail when a metric is slower beyond --max-slowdown')
    .option('--max-slowdown <percent>', 'allowed slowdown against --baseline (default 10%)')
    .option('--require <ratio>', 'a ratio measured in this run, e.g. "native >= 3x js" (repeatable)', (v: string, all: string[] = []) => [...all, v])
    .action(async (target: string, opts) => (await import('./bench.js')).benchCommand(target, opts));

  program
    .command('monitor')
    .description("drift, data quality and performance of a window of the prediction log against the model's reference profile")
    .requiredOption('-m, --model <model>', 'model file (or name[@alias|@version] with --registry)')
    .requiredOption(
      '--log <path>',
      'the prediction log the server writes (createServer predictionLog / kiln serve --prediction-log): a SQLite file or a Parquet directory',
    )
    .option('--registry <db>', REGISTRY_HELP)
    .option('--since <when>', 'window start: a duration back from now (30m, 2h, 7d) or an ISO date (default: the whole log)')
    .option('--until <when>', 'window end (default: now)')
    .option('--html <out>', 'also write the drift report as a self-contained HTML page')
    .option('--json', 'print the result as JSON')
    .action(async (opts) => (await import('./monitor.js')).monitorCommand(opts));

  program
    .command('profile')
    .description('profile a data file: statistics, distributions, correlations, missing values, the target, alerts — as an HTML page')
    .argument('<data>', 'data: .csv, .tsv, .parquet, .json, .arrow or vega-datasets:<file>')
    .option('-t, --target <column>', 'the column to analyse the others against')
    .option('--time <column>', 'a date or ordered column: plots the numeric columns over it')
    .option('-o, --out <path>', 'the HTML report (default: profile.html, unless only --json is asked for)')
    .option('--json <path>', 'also write every number as JSON')
    .option('--limit <rows>', 'only the first rows', int('--limit', 1))
    .option('--sample <rows>', 'rows in the PCA and pair plots (default 1000)', int('--sample', 10))
    .option('--no-progress', 'no progress bar, even on a terminal')
    .action(async (data: string, opts) => (await import('./profile.js')).profileCommand(data, opts));

  program
    .command('retrain')
    .description('retrain a registered model from its config; register the candidate; promote it only if it beats the champion on the same holdout')
    .argument('<config>', 'the training config (.yaml or .json), reading the refreshed data')
    .requiredOption('--registry <db>', REGISTRY_HELP)
    .requiredOption('--name <name>', 'the registered model')
    .option('--alias <alias>', "the champion's alias, moved on success (default production)")
    .option(
      '--require-gain <metric=delta>',
      'the candidate must beat the champion by delta on metric (repeatable; default: no metric worse)',
      (v: string, all: string[] = []) => [...all, v],
    )
    .option('--reason <text>', 'why it runs (drift, a performance drop, a schedule): recorded in the lineage')
    .option('--dry-run', 'register and compare, never promote')
    .option('--json', 'print the result as JSON')
    .option('--redis <url>', 'run the job on `kiln worker`s taking jobs from this Redis (default: env KILN_REDIS with --schedule)')
    .option('--queue <name>', 'the queue the workers serve (with --redis; default kiln)')
    .option('--schedule <cron>', 'register a repeatable retraining job on the queue instead (cron, e.g. "0 3 * * *"); workers run each occurrence')
    .option('--unschedule', "remove this model's repeatable retraining job")
    .option('--connect-timeout <ms>', 'milliseconds to wait for Redis (default 5000)', int('--connect-timeout', 1))
    .action(async (config: string, opts) =>
      opts.redis || opts.schedule !== undefined || opts.unschedule
        ? (await import('./retrain-queue.js')).retrainQueueCommand(config, opts)
        : (await import('./retrain.js')).retrainCommand(config, opts),
    );

  program
    .command('card')
    .description("a model's card in Markdown")
    .requiredOption('-m, --model <model>', 'model file (or name[@alias|@version] with --registry)')
    .option('--registry <db>', REGISTRY_HELP)
    .option('-o, --out <path>', 'write the card here (default: stdout)')
    .option('--title <title>', 'card title')
    .action(async (opts) => (await import('./card.js')).cardCommand(opts));

  program
    .command('export')
    .description('write a model in a foreign format (ONNX)')
    .argument('<model>', 'model file (or name[@alias|@version] with --registry)')
    .requiredOption('--format <format>', 'the format: onnx')
    .requiredOption('-o, --out <path>', 'the file to write')
    .option('--registry <db>', REGISTRY_HELP)
    .option('--input-name <name>', 'name of the ONNX input tensor (default X)')
    .option('--opset <n>', 'ai.onnx operator set version (default 17)')
    .option('--target-opset <n>', 'ai.onnx.ml operator set version (default 3)')
    .action(async (model: string, opts) => (await import('./export.js')).exportCommand(model, opts));

  return program;
}

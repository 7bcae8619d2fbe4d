/**
 * Runs the `kiln` program and turns its outcome into an exit code: 0 done, 130 interrupted
 * (Ctrl-C, interrupt.ts), 1 anything else that went wrong, printed on one line — `code: message` for a KilnError, `kiln: message` for anything else
 * (a system error such as a missing file or a port in use) — with the stack only when KILN_DEBUG=1.
 */
import { CommanderError } from 'commander';
import { isInterruption } from './interrupt.js';
import { createProgram } from './program.js';

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
/** Ended by SIGINT/SIGTERM (128 + 2, the shell's convention for Ctrl-C). */
export const EXIT_INTERRUPTED = 130;

/** A KilnError, also one from another copy of kiln's modules (duck-typed on its stable code). */
function kilnCode(e: unknown): string | undefined {
  const code = (e as { code?: unknown })?.code;
  return e instanceof Error && typeof code === 'string' && /^E_[A-Z_]+$/.test(code) ? code : undefined;
}

/** The first line of an error's message (Node's system errors carry their code and path in it). */
function oneLine(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  const line = text.split('\n').find((l) => l.trim() !== '') ?? '';
  return line.trim() || (e instanceof Error ? e.name : 'unknown error');
}

/** Prints what went wrong (unless commander already did) and returns the exit code for it. */
export function reportError(e: unknown, stderr: (s: string) => void, env: NodeJS.ProcessEnv = process.env): number {
  // commander has printed usage errors (and help/version, which exit 0) itself
  if (e instanceof CommanderError) return e.exitCode === 0 ? EXIT_OK : EXIT_FAILED;
  if (isInterruption(e)) {
    stderr(`kiln: ${e.message}; stopped before writing anything\n`);
    return EXIT_INTERRUPTED;
  }
  const code = kilnCode(e);
  stderr(code ? `${code}: ${(e as Error).message}\n` : `kiln: ${oneLine(e)}${env.KILN_DEBUG === '1' ? '' : ' (KILN_DEBUG=1 shows where it failed)'}\n`);
  if (env.KILN_DEBUG === '1') stderr(`${(e as Error)?.stack ?? String(e)}\n`);
  return EXIT_FAILED;
}

export async function run(argv: readonly string[], stderr: (s: string) => void = (s) => process.stderr.write(s)): Promise<number> {
  const program = createProgram(stderr);
  try {
    await program.parseAsync([...argv]);
    return EXIT_OK;
  } catch (e) {
    return reportError(e, stderr);
  }
}

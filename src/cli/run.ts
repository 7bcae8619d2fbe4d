/**
 * Runs the `kiln` program and turns its outcome into an exit code: 0 done, 1 a usage error or a
 * KilnError (printed as `code: message`), 2 anything unexpected (printed with its stack).
 */
import { CommanderError } from 'commander';
import { createProgram } from './program.js';

export const EXIT_OK = 0;
export const EXIT_USAGE = 1;
export const EXIT_UNEXPECTED = 2;

/** A KilnError, also one from another copy of kiln's modules (duck-typed on its stable code). */
function kilnCode(e: unknown): string | undefined {
  const code = (e as { code?: unknown })?.code;
  return e instanceof Error && typeof code === 'string' && /^E_[A-Z_]+$/.test(code) ? code : undefined;
}

/** Prints what went wrong (unless commander already did) and returns the exit code for it. */
export function reportError(e: unknown, stderr: (s: string) => void): number {
  // commander has printed usage errors (and help/version, which exit 0) itself
  if (e instanceof CommanderError) return e.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
  const code = kilnCode(e);
  if (code) {
    stderr(`${code}: ${(e as Error).message}\n`);
    return EXIT_USAGE;
  }
  stderr(`kiln: unexpected error (please report it): ${(e as Error)?.stack ?? String(e)}\n`);
  return EXIT_UNEXPECTED;
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

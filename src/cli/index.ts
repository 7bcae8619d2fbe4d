#!/usr/bin/env node
/** The `kiln` command-line tool: `kiln --help`. */
import { run } from './run.js';

process.exitCode = await run(process.argv);

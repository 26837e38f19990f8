#!/usr/bin/env node
// Entry point of the `presswork` command: the compiled CLI in dist/.
import { main } from '../dist/cli.js';

process.exitCode = await main(process.argv);

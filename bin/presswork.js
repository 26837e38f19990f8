#!/usr/bin/env node
// Entry point of the `presswork` command: the bundled CLI in dist/bundle/ (rolldown.config.mjs).
import { main } from '../dist/bundle/presswork.js';

process.exitCode = await main(process.argv);

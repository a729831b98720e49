#!/usr/bin/env node
// Thin launcher: everything lives in the compiled CLI, the only place that exits the process.
import { main } from "../dist/cli/index.js";

await main(process.argv.slice(2));

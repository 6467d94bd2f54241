#!/usr/bin/env node
// The `balise` command: the compiled CLI (dist/, built by the package's `prepare` script).
'use strict';
require('../dist/cli/main.js')
  .main(process.argv)
  .then((code) => {
    process.exitCode = code;
  });

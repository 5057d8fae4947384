// PID 1 of a run_tests sandbox (bwrap --as-pid-1 --unshare-pid). It starts the test command and
// ends when the command ends or when the process that started bwrap goes away, whichever comes
// first. When PID 1 of a PID namespace exits, the kernel kills every other process in it, so
// nothing the command started (daemons, setsid children, processes ignoring SIGTERM) outlives it.
//
// Protocol on stdin (a socket whose other end only the parent holds; the command does not get it):
//   't'  ask every other process in the sandbox to stop (SIGTERM); the parent ends the line later;
//   EOF  the parent closed the line or died (even by SIGKILL, at any moment): exit at once.
// argv: <environment as JSON> <command> [args...]. Runs with an empty environment of its own, so
// nothing the operator allows for tests (NODE_OPTIONS included) changes how this process behaves.
// Plain JavaScript, run with `node -e`: the sandbox shows no file of baton's.
'use strict';
const { spawn } = require('node:child_process');
const { constants } = require('node:os');

const [envJson, command, ...args] = process.argv.slice(1);
let child;

function exitWith(code) {
  process.exit(code);
}

function terminateOthers() {
  try {
    // Inside our own PID namespace, -1 means every process of the sandbox but PID 1.
    if (process.pid === 1) process.kill(-1, 'SIGTERM');
    else if (child) child.kill('SIGTERM');
  } catch {
    // Nothing left to signal.
  }
}

function start() {
  child = spawn(command, args, { env: JSON.parse(envJson), stdio: ['ignore', 'inherit', 'inherit'] });
  child.on('error', (error) => {
    process.stderr.write(`could not start ${command}: ${error.message}\n`);
    exitWith(127);
  });
  child.on('exit', (code, signal) => {
    exitWith(code ?? 128 + (signal ? constants.signals[signal] : 0));
  });
}

process.stdin.on('data', (chunk) => {
  if (chunk.includes('t')) terminateOthers();
});
process.stdin.on('end', () => exitWith(137));
process.stdin.on('error', () => exitWith(137));
process.stdin.on('close', () => exitWith(137));
start();

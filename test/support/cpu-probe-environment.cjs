// Where a test run's CPU goes, per test file: with CPU_PROBE_FILE set, jest.config.js runs every file in this
// environment (jest's node environment), which appends to that file one JSON line at the file's start and one
// at its end, each with the jest worker's pid, the time, the CPU the worker has used (selfMs: every thread of
// it) and the CPU of the child processes it has waited for (childMs: a bot process or parser process counts
// once it has exited and been reaped; a grandchild whose parent was killed never does). A file's CPU is its
// end line minus its start line. With CPU_PROBE_DETAIL set too, one line per hook and test goes there.
//   CPU_PROBE_FILE=/tmp/cpu.jsonl npx jest --selectProjects e2e
const fs = require('node:fs');
const { TestEnvironment } = require('jest-environment-node');

/** The worker's CPU so far, in ms, with that of its waited-for children (/proc/self/stat: cutime, cstime in 1/100 s). */
function snapshot() {
  const stat = fs.readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const { user, system } = process.cpuUsage();
  return { pid: process.pid, t: Date.now(), selfMs: (user + system) / 1000, childMs: (Number(fields[13]) + Number(fields[14])) * 10 };
}

function fullName(test) {
  const names = [];
  for (let block = test; block && block.name !== 'ROOT_DESCRIBE_BLOCK'; block = block.parent) names.unshift(block.name);
  return names.join(' > ');
}

class CpuProbeEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    this.testPath = context.testPath;
  }

  async setup() {
    fs.appendFileSync(process.env.CPU_PROBE_FILE, JSON.stringify({ file: this.testPath, at: 'start', ...snapshot() }) + '\n');
    await super.setup();
  }

  handleTestEvent(event) {
    if (!process.env.CPU_PROBE_DETAIL) return;
    const name = event.test ? fullName(event.test) : event.hook ? `${event.hook.type} in ${event.hook.parent?.name}` : undefined;
    if (!name) return;
    if (/_start$/.test(event.name)) this.began = snapshot();
    if (/_(success|failure)$/.test(event.name) && this.began) {
      const now = snapshot();
      const line = { file: this.testPath, what: event.name, name, t: now.t, selfS: (now.selfMs - this.began.selfMs) / 1000, childS: (now.childMs - this.began.childMs) / 1000, wallS: (now.t - this.began.t) / 1000 };
      fs.appendFileSync(process.env.CPU_PROBE_DETAIL, JSON.stringify(line) + '\n');
    }
  }

  async teardown() {
    await super.teardown();
    fs.appendFileSync(process.env.CPU_PROBE_FILE, JSON.stringify({ file: this.testPath, at: 'end', ...snapshot() }) + '\n');
  }
}

module.exports = CpuProbeEnvironment;

// A fresh process for measuring what a ShapeAnalyses keeps (test/stress/shape-analyses-cost.test.ts): reads a
// JSON array of sets of query texts on stdin, analyses each set through a ShapeAnalyses of its own (the
// build's, dist/), one set after the other, and prints for each {"kept": bytes freed when it is let go of,
// "reported": its own size}. One process for every set: the parser (~2.5 s of CPU) is loaded once. A jest worker's heap also holds and
// frees what earlier test files left, so the measurement is made here, with bytecode flushing off (code that
// ages out between the two collections would otherwise count as freed).
const path = require('node:path');
const dist = path.join(__dirname, '..', '..', 'dist', 'src', 'kql', 'parser');
const { KqlAnalyzer } = require(path.join(dist, 'analyzer.js'));
const { catalogOf } = require(path.join(dist, 'catalog.js'));
const { ShapeAnalyses } = require(path.join(dist, 'shape-analyses.js'));

let input = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => (input += chunk));
process.stdin.on('end', () => {
  const sets = JSON.parse(input);
  const analyzer = new KqlAnalyzer(catalogOf());
  const bytesInUse = () => {
    for (let i = 0; i < 4; i++) globalThis.gc();
    const usage = process.memoryUsage();
    return usage.heapUsed + usage.arrayBuffers;
  };
  const measured = sets.map((texts) => {
    const filled = () => {
      const analyses = new ShapeAnalyses(analyzer, 64_000_000);
      for (const text of texts) analyses.analysis(text);
      return analyses;
    };
    // A first pass, let go of, so what the parser and V8 make once per process (or once for this set's
    // shapes) is not counted as the second's.
    filled();
    bytesInUse();
    const held = [filled()];
    const reported = held[0].size;
    const before = bytesInUse();
    held.length = 0;
    return { kept: before - bytesInUse(), reported };
  });
  process.stdout.write(JSON.stringify(measured));
});

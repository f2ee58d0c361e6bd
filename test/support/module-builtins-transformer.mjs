// ts-jest, after which each module's first line binds the built-ins it reads (Math, the typed arrays,
// …) as module constants. Under jest a module reads a global through its test file's context global,
// a lookup V8 cannot cache: Math.imul in a loop runs ~100 times slower than in a plain process, and
// the engine and the data generator run 2-3 times slower. A module constant is read directly.
// Only built-ins no test fakes or replaces: never Date, performance or the timers (fake timers swap
// them on the global after modules are loaded).
import tsJestModule from 'ts-jest';

const tsJest = tsJestModule.default ?? tsJestModule;

const BUILTINS = [
  'Math', 'Number', 'String', 'Boolean', 'Array', 'Object', 'Map', 'Set', 'WeakMap', 'WeakSet', 'JSON', 'Symbol', 'BigInt', 'Reflect',
  'Error', 'TypeError', 'RangeError', 'RegExp', 'ArrayBuffer', 'SharedArrayBuffer', 'DataView', 'Atomics', 'Buffer',
  'parseInt', 'parseFloat', 'TextDecoder', 'TextEncoder',
  'Uint8Array', 'Int8Array', 'Uint16Array', 'Int16Array', 'Uint32Array', 'Int32Array', 'Float32Array', 'Float64Array', 'BigInt64Array', 'BigUint64Array',
];
/** Part of every cache key: a change here must not reuse modules transformed the old way. */
const VERSION = 'module-builtins-1';
const USE_STRICT = '"use strict";';

/**
 * The module's code with the built-ins it does not declare itself bound at its top, on its first line
 * (so no line moves). A name declared or destructured anywhere in the module is left alone (a clash
 * would be a SyntaxError at once, never a silent change).
 */
function withBuiltins(code) {
  const declares = (name) => new RegExp(`\\b(?:const|let|var|class|function)\\s+${name}\\b|\\{[^{}]*\\b${name}\\b[^{}]*\\}\\s*=[^=]`).test(code);
  const names = BUILTINS.filter((name) => !declares(name));
  if (names.length === 0) return code;
  const binding = `const { ${names.join(', ')} } = globalThis;`;
  return code.startsWith(USE_STRICT) ? `${USE_STRICT}${binding}${code.slice(USE_STRICT.length)}` : `${binding}${code}`;
}

export default {
  createTransformer(options) {
    const inner = tsJest.createTransformer(options);
    const transformed = (result) => (typeof result === 'string' ? withBuiltins(result) : { ...result, code: withBuiltins(result.code) });
    return {
      canInstrument: inner.canInstrument,
      getCacheKey: (...args) => `${inner.getCacheKey(...args)}:${VERSION}`,
      getCacheKeyAsync: async (...args) => `${await inner.getCacheKeyAsync(...args)}:${VERSION}`,
      process: (...args) => transformed(inner.process(...args)),
      processAsync: async (...args) => transformed(await inner.processAsync(...args)),
    };
  },
};

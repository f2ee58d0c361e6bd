import { type BridgeGlobalState, keptGlobalState } from '../../src/kql/parser/bridge-runtime';

/** A stand-in state: the keeping never looks inside one. */
function fakeState(): BridgeGlobalState {
  return { WithDatabase: () => fakeState() };
}

describe("the parser's kept GlobalStates, one per catalog", () => {
  // Keys of this file alone: the states are kept per process (per jest worker), beside the real ones.
  const key = (name: string) => `kept-global-states.test ${name}`;

  test('builds a catalog\'s state once and gives that same state to every later analyser of the catalog', () => {
    let built = 0;
    const build = () => (built++, fakeState());
    const first = keptGlobalState(key('one'), build);
    expect(keptGlobalState(key('one'), build)).toBe(first);
    expect(built).toBe(1);
    expect(keptGlobalState(key('two'), build)).not.toBe(first);
    expect(built).toBe(2);
  });

  test('keeps the 16 used last: a catalog not used since 16 others were is built again', () => {
    // Sixteen states of this test's own (any kept before are older, so they go first).
    const oldest = keptGlobalState(key('oldest'), fakeState);
    const second = keptGlobalState(key('second'), fakeState);
    for (let i = 0; i < 14; i++) keptGlobalState(key(`other ${i}`), fakeState);
    // Using `second` again makes it the newest: the next two new catalogs push out `oldest` and `other 0` instead.
    expect(keptGlobalState(key('second'), fakeState)).toBe(second);
    keptGlobalState(key('new 1'), fakeState);
    keptGlobalState(key('new 2'), fakeState);
    expect(keptGlobalState(key('second'), fakeState)).toBe(second);
    expect(keptGlobalState(key('oldest'), fakeState)).not.toBe(oldest);
  });
});

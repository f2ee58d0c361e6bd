/** Sets these environment variables for the calling test file's tests, and puts the previous values back after them. */
export function envForFile(vars: Record<string, string>): void {
  const saved = Object.fromEntries(Object.keys(vars).map((name) => [name, process.env[name]]));
  beforeAll(() => Object.assign(process.env, vars));
  afterAll(() => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });
}

import { loadDefaultBenignScenarios, mergeBenignScenarios, parseBenignScenarios } from '../../src/hunts/benign-scenarios';
import { catalogWithoutAnalysis } from './hunt-fixtures';

describe('default benign scenarios', () => {
  const scenarios = loadDefaultBenignScenarios();

  test('are the five from the seed hunt plus other, in that order', () => {
    expect(scenarios.map((s) => s.id)).toEqual(['scheduled-job', 'software-update', 'remote-desktop', 'file-integrity-check', 'backup-job', 'other']);
  });

  test('carry the evidence a responder would check', () => {
    expect(scenarios.find((s) => s.id === 'scheduled-job')?.evidence).toMatch(/schtasks\.exe/);
    expect(scenarios.find((s) => s.id === 'remote-desktop')?.evidence).toMatch(/mstsc\.exe/);
  });

  test('only `other` requires a justification', () => {
    expect(scenarios.filter((s) => s.requiresJustification).map((s) => s.id)).toEqual(['other']);
  });

  test('every built-in hunt offers them', () => {
    for (const hunt of catalogWithoutAnalysis().hunts()) expect(hunt.benignScenarios.map((s) => s.id)).toEqual(scenarios.map((s) => s.id));
  });

  test('are copies, so a caller cannot change them for everyone', () => {
    loadDefaultBenignScenarios()[0].title = 'changed';
    expect(loadDefaultBenignScenarios()[0].title).toBe('Legitimate scheduled job execution');
  });
});

describe('hunt-specific scenarios', () => {
  const defaults = loadDefaultBenignScenarios();

  test('are added before `other`, and replace a default with the same id', () => {
    const extra = [
      { id: 'msp-session', title: 'MSP support session', description: 'Our MSP connected.', requiresJustification: false },
      { id: 'backup-job', title: 'Agent backup', description: 'The agent backs up.', requiresJustification: false },
    ];
    const merged = mergeBenignScenarios(defaults, extra);
    expect(merged.map((s) => s.id)).toEqual(['scheduled-job', 'software-update', 'remote-desktop', 'file-integrity-check', 'backup-job', 'msp-session', 'other']);
    expect(merged.find((s) => s.id === 'backup-job')?.title).toBe('Agent backup');
  });

  test('are validated field by field', () => {
    const { problems } = parseBenignScenarios([{ id: 'Bad Id', title: 'x' }, 'not a mapping'], 'benignScenarios');
    expect(problems).toEqual([
      `field 'benignScenarios[0].id' must be lower-case words joined by hyphens`,
      "field 'benignScenarios[0].description' is required",
      "field 'benignScenarios[1]' must be a mapping with id, title and description",
    ]);
  });
});

import { warmUpKql } from '../../src/kql';
import { hasTerm } from '../../src/kql/eval/string-ops';
import { certificateRows, column, run, scalar, SIGNER_TRAPS } from './helpers';

beforeAll(warmUpKql);

const certificates = { DeviceFileCertificateInfo: certificateRows(SIGNER_TRAPS) };

function signersWhere(condition: string): string[] {
  return column(run(`DeviceFileCertificateInfo | where ${condition} | project Signer`, certificates), 'Signer') as string[];
}

describe('has', () => {
  it('matches has on whole terms only, case-insensitively', () => {
    expect(signersWhere("Signer has 'NCH Software'")).toEqual(['NCH Software Pty Ltd', 'NCH Software', 'nch software']);
  });

  it('treats _ as a term delimiter and accented letters as term characters', () => {
    expect(hasTerm('a_b', 'a')).toBe(true);
    expect(hasTerm('café au lait', 'caf')).toBe(false);
    expect(hasTerm('Café au lait', 'CAFÉ')).toBe(true);
  });

  it('follows the documented example: "North America" has "america"', () => {
    expect(scalar('print "North America" has "america"')).toBe(true);
  });

  it('matches an empty needle everywhere', () => {
    expect(scalar("print 'anything' has ''")).toBe(true);
  });

  it('negates with !has', () => {
    expect(signersWhere("Signer !has 'NCH Software'")).toEqual(['NCHSoftware', 'NCH Softwares', 'NCH_Software', 'Branch Software']);
  });

  it('is case-sensitive as has_cs and !has_cs', () => {
    expect(signersWhere("Signer has_cs 'NCH Software'")).toEqual(['NCH Software Pty Ltd', 'NCH Software']);
    expect(signersWhere("Signer !has_cs 'NCH'")).toEqual(['nch software', 'NCHSoftware', 'Branch Software']);
  });

  it('matches any or all terms with has_any and has_all', () => {
    expect(signersWhere("Signer has_any ('ltd', 'branch')")).toEqual(['NCH Software Pty Ltd', 'Branch Software']);
    // NCH_Software has both terms: `_` delimits terms.
    expect(signersWhere("Signer has_all ('software', 'nch')")).toEqual([
      'NCH Software Pty Ltd',
      'NCH Software',
      'nch software',
      'NCH_Software',
    ]);
    expect(signersWhere("Signer has_any (dynamic(['softwares']))")).toEqual(['NCH Softwares']);
  });
});

describe('substring and equality operators', () => {
  it('matches contains case-insensitively on substrings (documented "FabriKam" contains "BRik")', () => {
    expect(scalar('print "FabriKam" contains "BRik"')).toBe(true);
    expect(signersWhere("Signer contains 'chsoft'")).toEqual(['NCHSoftware']);
    expect(signersWhere("Signer !contains 'soft'")).toEqual([]);
  });

  it('matches startswith and endswith case-insensitively', () => {
    expect(signersWhere("Signer startswith 'nch_'")).toEqual(['NCH_Software']);
    expect(signersWhere("Signer endswith 'WARES'")).toEqual(['NCH Softwares']);
  });

  it('compares == and != case-sensitively', () => {
    expect(signersWhere("Signer == 'nch software'")).toEqual(['nch software']);
    expect(signersWhere("Signer != 'nch software'")).toHaveLength(SIGNER_TRAPS.length - 1);
  });

  it('compares =~ and !~ case-insensitively', () => {
    expect(signersWhere("Signer =~ 'NCH SOFTWARE'")).toEqual(['NCH Software', 'nch software']);
    expect(signersWhere("Signer !~ 'NCH SOFTWARE'")).toHaveLength(SIGNER_TRAPS.length - 2);
  });

  it('matches regex with matches regex', () => {
    expect(signersWhere("Signer matches regex '^NCH[ _]Software$'")).toEqual(['NCH Software', 'NCH_Software']);
  });
});

describe('in and its variants', () => {
  it('tests membership case-sensitively with in and !in', () => {
    expect(signersWhere("Signer in ('NCH Software', 'NCHSOFTWARE')")).toEqual(['NCH Software']);
    expect(signersWhere("Signer !in ('NCH Software', 'nch software', 'NCHSoftware', 'NCH Softwares')")).toEqual([
      'NCH Software Pty Ltd',
      'NCH_Software',
      'Branch Software',
    ]);
  });

  it('tests membership case-insensitively with in~ (parsed as InCsExpression) and !in~', () => {
    expect(signersWhere("Signer in~ ('NCH SOFTWARE', 'branch software')")).toEqual([
      'NCH Software',
      'nch software',
      'Branch Software',
    ]);
    expect(signersWhere("Signer !in~ ('NCH SOFTWARE', 'branch software', 'nch software pty ltd')")).toEqual([
      'NCHSoftware',
      'NCH Softwares',
      'NCH_Software',
    ]);
  });

  it('accepts a dynamic array and a tabular subquery as the list', () => {
    expect(signersWhere("Signer in (dynamic(['NCHSoftware', 'x']))")).toEqual(['NCHSoftware']);
    const kql = "let Wanted = datatable(S:string)['NCH_Software', 'Branch Software']; DeviceFileCertificateInfo | where Signer in (Wanted) | project Signer";
    expect(column(run(kql, certificates), 'Signer')).toEqual(['NCH_Software', 'Branch Software']);
    expect(signersWhere("Signer in ((datatable(S:string)['NCHSoftware'] | project S))")).toEqual(['NCHSoftware']);
  });
});

import type { KustoType } from '../types';
import type { Value } from '../values/value';

type Binary = (a: Value, b: Value) => Value;

/** timespan × number keeps whole ticks; fractional factors round to the nearest tick. */
function scaleTicks(ticks: bigint, factor: number): bigint {
  return Number.isInteger(factor) ? ticks * BigInt(factor) : BigInt(Math.round(Number(ticks) * factor));
}

/**
 * The arithmetic operator for operand and result types (both operands non-null): datetime and
 * timespan are bigint ticks; integer division truncates toward zero, modulo is in [0, |D|), both give null for 0.
 */
export function arithmetic(kind: string, left: KustoType, right: KustoType, result: KustoType): Binary {
  const ticksResult = result === 'datetime' || result === 'timespan';
  if (ticksResult) {
    switch (kind) {
      case 'AddExpression':
        return (a, b) => (a as bigint) + (b as bigint);
      case 'SubtractExpression':
        return (a, b) => (a as bigint) - (b as bigint);
      case 'MultiplyExpression':
        return left === 'timespan'
          ? (a, b) => scaleTicks(a as bigint, b as number)
          : (a, b) => scaleTicks(b as bigint, a as number);
      case 'DivideExpression':
        return (a, b) => ((b as number) === 0 ? null : BigInt(Math.trunc(Number(a as bigint) / (b as number))));
      case 'ModuloExpression':
        return (a, b) => {
          const d = (b as bigint) < 0n ? -(b as bigint) : (b as bigint);
          if (d === 0n) return null;
          const r = (a as bigint) % d;
          return r < 0n ? r + d : r;
        };
    }
  }
  if (left === 'timespan' && right === 'timespan' && kind === 'DivideExpression') {
    return (a, b) => Number(a as bigint) / Number(b as bigint);
  }
  const integral = result === 'long' || result === 'int';
  switch (kind) {
    case 'AddExpression':
      return (a, b) => (a as number) + (b as number);
    case 'SubtractExpression':
      return (a, b) => (a as number) - (b as number);
    case 'MultiplyExpression':
      return (a, b) => (a as number) * (b as number);
    case 'DivideExpression':
      return integral
        ? (a, b) => ((b as number) === 0 ? null : Math.trunc((a as number) / (b as number)))
        : (a, b) => (a as number) / (b as number);
    case 'ModuloExpression':
      // Kusto's modulo is a small non-negative number: 0 <= N % D < abs(D) (numerical operators page).
      return (a, b) => {
        const d = Math.abs(b as number);
        if (d === 0) return null;
        const r = (a as number) % d;
        return r < 0 ? r + d : r + 0;
      };
  }
  throw new Error(`not an arithmetic operator: ${kind}`);
}

/** <, <=, >, >= on non-null values of one type (numbers, bigint ticks, strings ordinally). */
export function compare(kind: string): (a: Value, b: Value) => boolean {
  switch (kind) {
    case 'LessThanExpression':
      return (a, b) => (a as number) < (b as number);
    case 'LessThanOrEqualExpression':
      return (a, b) => (a as number) <= (b as number);
    case 'GreaterThanExpression':
      return (a, b) => (a as number) > (b as number);
    default:
      return (a, b) => (a as number) >= (b as number);
  }
}

/** == on non-null values: strings case-sensitively, dynamic values structurally. */
export function equals(type: KustoType): (a: Value, b: Value) => boolean {
  if (type === 'dynamic') {
    return (a, b) => a === b || (typeof a === 'object' && typeof b === 'object' && JSON.stringify(a) === JSON.stringify(b));
  }
  return (a, b) => a === b;
}

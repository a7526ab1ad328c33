import { isIntrinsic } from './intrinsics';
import type { SourceRange } from './types';

/**
 * How much reading a template may produce, in units of about one character: a scalar costs its
 * length, every collection, entry and item one. Aliases, merge keys, Globals and parameter
 * defaults all repeat values written once, so what the model holds can be far larger than the text
 * (an "alias bomb" is exponential); counting it keeps every read linear in the text. CloudFormation
 * takes at most 1 MB of template, and reading one without repeats costs about two units per
 * character (a value, then its walks and ranges): four times the text, and a quarter of a million
 * units for the small ones, leave room for the repeats real templates use.
 */
export const EXPANSION_FLOOR = 250_000;
export const EXPANSION_FACTOR = 4;

/** Spends units of reading; once spent, every later request is refused too, so reading winds down. */
export class ExpansionBudget {
  private left: number;
  private where: SourceRange | undefined;

  constructor(readonly limit: number) {
    this.left = limit;
  }

  /** Takes `units`; false once the budget is spent, remembering where it ran out. */
  take(units: number, where: () => SourceRange): boolean {
    if (this.left < 0) return false;
    this.left -= units;
    if (this.left >= 0) return true;
    this.where = where();
    return false;
  }

  /**
   * Takes `units` when that leaves some budget (true), else takes nothing (false): then take()
   * says where it ran out. Lets callers make that place only when they need it, not on every take.
   */
  tryTake(units: number): boolean {
    if (this.left < units) return false;
    this.left -= units;
    return true;
  }

  /** Where the budget ran out, if it did. */
  get exceededAt(): SourceRange | undefined {
    return this.where;
  }
}

/** A budget bound to one place in the template, for code that walks plain values. */
export type Charge = (units: number) => boolean;

/** The units a plain value (as NodeReader.value makes them) costs to walk. */
export function chargeWalk(value: unknown, charge: Charge, depth = 0): boolean {
  if (!charge(typeof value === 'string' ? value.length + 1 : 1)) return false;
  if (depth > 200 || value === null || typeof value !== 'object') return true;
  const children = Array.isArray(value) ? value : isIntrinsic(value) ? [value.args] : Object.values(value);
  for (const child of children) if (!chargeWalk(child, charge, depth + 1)) return false;
  return true;
}

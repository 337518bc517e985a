/**
 * How much a one-shot read may spend before it stops and says so: a "since" two weeks back in a busy
 * group can take thousands of FilterLogEvents pages, and a command that prints for an hour is not what
 * anyone asked for. A follow has no budget (it reads the live edge until stopped).
 */

export interface ReadBudgetOptions {
  /** FilterLogEvents calls (pages). */
  maxCalls: number;
  maxMs: number;
}

export const DEFAULT_READ_BUDGET: ReadBudgetOptions = { maxCalls: 2000, maxMs: 120_000 };

export class ReadBudget {
  private calls = 0;
  private readonly deadline: number;

  constructor(
    private readonly options: ReadBudgetOptions,
    private readonly now: () => number,
  ) {
    this.deadline = now() + options.maxMs;
  }

  /** Counts one call about to be made; returns why the read must stop instead, or undefined. */
  spend(): string | undefined {
    const used = this.exhausted();
    if (!used) this.calls++;
    return used;
  }

  /** Why the budget is used up, or undefined while it is not. */
  exhausted(): string | undefined {
    if (this.calls >= this.options.maxCalls) return `after ${this.calls.toLocaleString('en-US')} FilterLogEvents calls`;
    if (this.now() >= this.deadline) return `after ${Math.round(this.options.maxMs / 1000)} s`;
    return undefined;
  }

  get used(): number {
    return this.calls;
  }
}
